#!/usr/bin/env bash
# run_in_vm.sh's contract: the command's exit status comes back (two boots), a
# VM that outlives --timeout is killed and reported with 124, bad usage is 125
# without a boot, and no temporary folder is left behind. Needs root (tags:
# local, exclusive).
set -euo pipefail

run_in_vm="$PWD/$1"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
[[ $(id -u) -eq 0 ]] || fail "this test needs root (run it with bazel test as root)"

# The harness's temporary folders go here, to check that none is left.
export TMPDIR
TMPDIR=$(mktemp -d "${TEST_TMPDIR:-/tmp}/run-in-vm.XXXXXX")
trap 'rm -rf "${TMPDIR}"' EXIT

run() {  # EXPECTED_STATUS RUN_IN_VM_ARGUMENT...
  local expected=$1 status=0
  shift
  output=$("${run_in_vm}" "$@" 2>&1) || status=$?
  echo "${output}"
  ((status == expected)) || fail "run_in_vm.sh $* exited with ${status}, not ${expected}"
}

run 3 -- /bin/sh -c 'echo before the exit; exit 3'
grep -qx "before the exit" <<<"${output}" || fail "the command's output is missing"

run 137 -- /bin/sh -c 'kill -KILL $$'

SECONDS=0
run 124 --timeout 8 -- sleep 600
((SECONDS < 30)) || fail "the timed-out VM took ${SECONDS} s to stop"
grep -q "timeout" <<<"${output}" || fail "the timeout was not reported"

run 125 --mem lots -- true
run 125 -- # no command
grep -q "Usage" <<<"${output}" || fail "no usage for a missing command"

leftovers=$(ls -A "${TMPDIR}")
[[ -z "${leftovers}" ]] || fail "run_in_vm.sh left ${leftovers} in ${TMPDIR}"
echo "PASS"
