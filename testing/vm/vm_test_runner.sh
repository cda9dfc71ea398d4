#!/usr/bin/env bash
# The test behind vm_test (vm_test.bzl): runs a test binary in one boot of the
# cgroup v2 VM and exits with its status.
# Usage: vm_test_runner.sh RUN_IN_VM [OPTION]... -- TEST_BINARY [ARG]...
# (the OPTIONs go to run_in_vm.sh; paths are relative to the runfiles folder).
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "FAIL: a vm_test needs root (QEMU reads the host's / for the guest)" >&2
  exit 1
fi
run_in_vm="$1"
shift
vm_options=()
while (($# > 0)) && [[ "$1" != -- ]]; do
  vm_options+=("$1")
  shift
done
(($# >= 2)) || { echo "FAIL: usage: $0 RUN_IN_VM [OPTION]... -- TEST_BINARY [ARG]..." >&2; exit 1; }
test_binary="${PWD}/$2"
shift 2

# The VM is killed 15 s before Bazel's own timeout, so that the harness says
# what happened.
timeout_s=$((${TEST_TIMEOUT:-300} - 15))
((timeout_s >= 30)) || timeout_s=30

# Bazel's test environment, as the binary would see it on the host, except
# that TEST_TMPDIR is the guest's /tmp (a fresh tmpfs) and the gtest XML goes
# to a folder shared with the host.
env_options=(--env TEST_TMPDIR=/tmp --env GTEST_TMP_DIR=/tmp)
for name in TEST_SRCDIR RUNFILES_DIR TEST_WORKSPACE TEST_TARGET TEST_SIZE \
  TEST_TIMEOUT TESTBRIDGE_TEST_ONLY TEST_RANDOM_SEED; do
  [[ -v "${name}" ]] && env_options+=(--env "${name}=${!name}")
done
while IFS= read -r name; do
  [[ "${name}" == GTEST_TMP_DIR ]] || env_options+=(--env "${name}=${!name}")
done < <(compgen -e GTEST_ || true)
share_options=()
# The runfiles of source files (scripts, data) link into the workspace: a
# workspace under a folder the guest mounts afresh (a checkout in /tmp, as CI
# may make) is shared so that those links resolve there too.
workspace=$(dirname "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")")
case "${workspace}/" in
  /tmp/* | /run/* | /dev/shm/*) share_options+=(--share "${workspace}") ;;
esac
if [[ -n "${XML_OUTPUT_FILE:-}" ]]; then
  share_options+=(--share "$(dirname "${XML_OUTPUT_FILE}")")
  env_options+=(--env "XML_OUTPUT_FILE=${XML_OUTPUT_FILE}")
fi

exec "${run_in_vm}" --timeout "${timeout_s}" "${vm_options[@]}" \
  "${env_options[@]}" "${share_options[@]}" -- "${test_binary}" "$@"
