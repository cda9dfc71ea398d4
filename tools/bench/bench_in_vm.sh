#!/usr/bin/env bash
# Runs tools/bench in one boot of the cgroup v2 VM (testing/vm/run_in_vm.sh),
# where crun, which refuses a hybrid-cgroup host, runs beside hull and runc.
# Usage (as root, through `bazel run -c opt //tools/bench:bench_in_vm -- ...`):
#   bench_in_vm.sh RUN_IN_VM BENCH MEASURED_EXEC HULL ROOTFS_TAR [--vm-mem=MB] [--vm-timeout=S]
#     [BENCH OPTION]...
# The guest sees the host's / read-only, so the benchmark, hull and the rootfs
# run from their host paths; the guest's /run (the runtimes' state) and /tmp
# are its own tmpfs. The guest is emulated (QEMU's TCG): only ratios count.
set -euo pipefail

(($# >= 5)) || {
  echo "usage: $0 RUN_IN_VM BENCH MEASURED_EXEC HULL ROOTFS_TAR [OPTION]..." >&2
  exit 2
}
run_in_vm=$(readlink -f "$1")
bench=$(readlink -f "$2")
measured_exec=$(readlink -f "$3")
hull=$(readlink -f "$4")
rootfs=$(readlink -f "$5")
shift 5
mem_mb=3072
timeout_s=3600
bench_options=()
for option in "$@"; do
  case "${option}" in
    --vm-mem=*) mem_mb=${option#--vm-mem=} ;;
    --vm-timeout=*) timeout_s=${option#--vm-timeout=} ;;
    *) bench_options+=("${option}") ;;
  esac
done
# The guest runs in /, which it sees: the runfiles of `bazel run` may not be.
cd /
exec "${run_in_vm}" --mem "${mem_mb}" --timeout "${timeout_s}" -- \
  "${bench}" --measured-exec="${measured_exec}" --hull="${hull}" --rootfs="${rootfs}" \
  "${bench_options[@]}"
