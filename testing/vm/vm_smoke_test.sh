#!/usr/bin/env bash
# Boots the cgroup v2 VM once and checks what the cgroup v2 tests rely on:
# /sys/fs/cgroup is cgroup2 with the cpu, memory, io and pids controllers, a
# --share folder is writable from the guest, --env reaches the command, and the
# command runs in the host's working directory. Needs root (tags: local,
# exclusive); a VM that does not boot fails it.
set -euo pipefail

run_in_vm="$PWD/$1"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
[[ $(id -u) -eq 0 ]] || fail "this test needs root (run it with bazel test as root)"

share=$(mktemp -d "${TEST_TMPDIR:-/tmp}/vm-smoke.XXXXXX")
trap 'rm -rf "${share}"' EXIT

status=0
output=$("${run_in_vm}" --share "${share}" --env "SMOKE=a value with spaces" -- \
  /bin/sh -c '
    echo "controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
    echo "fstype: $(stat -f -c %T /sys/fs/cgroup)"
    echo "env: ${SMOKE}"
    echo "cwd: ${PWD}"
    echo "from the guest" >"$1/written"' sh "${share}" 2>&1) || status=$?
echo "${output}"
((status == 0)) || fail "run_in_vm.sh exited with ${status} (the VM did not boot or the command failed)"

controllers=$(sed -n 's/^controllers: //p' <<<"${output}")
for controller in cpu memory io pids; do
  [[ " ${controllers} " == *" ${controller} "* ]] ||
    fail "controller '${controller}' missing from the guest's cgroup.controllers: '${controllers}'"
done
grep -qx "fstype: cgroup2fs" <<<"${output}" || fail "/sys/fs/cgroup in the guest is not cgroup2"
grep -qx "env: a value with spaces" <<<"${output}" || fail "--env did not reach the command"
grep -qxF "cwd: ${PWD}" <<<"${output}" || fail "the command did not run in ${PWD}"
[[ "$(cat "${share}/written" 2>/dev/null)" == "from the guest" ]] ||
  fail "the guest's write into --share ${share} did not reach the host"
echo "PASS"
