#!/usr/bin/env bash
# Runs one command as root in a throw-away QEMU VM booted with Debian's own
# kernel and cgroup v2 alone (cgroup_no_v1=all), so that cgroup v2 is tested for
# real on hosts that have v1 or a hybrid layout. Prints the command's output
# (stdout and stderr merged) and exits with its exit status.
#
# Usage (as root): run_in_vm.sh [OPTION]... -- COMMAND [ARG]...
#   --share DIR    the host's DIR, writable, at the same path in the guest
#                  (repeatable)
#   --env NAME=VALUE  set in COMMAND's environment (repeatable); the rest of
#                  it is PATH, HOME=/root, LANG=C.UTF-8, TERM=dumb
#   --mem MB       guest memory (default 1024)
#   --cpus N       guest CPUs (default: the host's, at most 4)
#   --timeout S    kill the VM after S seconds (default 300)
#   --systemd      boot systemd as the guest's PID 1 (with D-Bus's system bus)
#                  and run COMMAND as its one service (guest_init.sh)
#   --verbose      print the guest's console and the timings on stderr
#
# The guest sees the host's / read-only under a tmpfs overlay (writes there are
# discarded), so it runs the binaries and tests the build made, at their host
# paths. /tmp, /run and /dev/shm are fresh tmpfs; /sys/fs/cgroup is cgroup2.
# COMMAND runs in the host's working directory (if the guest sees it; else in
# /), as the leader of a new session, with stdin from /dev/null.
#
# Exit status: COMMAND's (128+N when a signal N killed it); 124 when the timeout
# killed the VM; 125 when the VM could not run COMMAND (the console is printed).
#
# Needs the kernel that testing/vm/fetch_kernel.sh (run by tools/bootstrap.sh)
# put into $HULL_VM_CACHE (default /var/cache/hull-vm); downloads nothing.
set -euo pipefail

# guest_init.sh sits beside this script in the source tree (Bazel links to it).
self_dir=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
readonly self_dir
readonly kernel_dir="${HULL_VM_CACHE:-/var/cache/hull-vm}/kernel"

die() {
  echo "run_in_vm: $*" >&2
  exit 125
}

usage() {
  sed -n '/^# Usage/,/^# Exit status/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 125
}

positive_number() {  # NAME VALUE
  [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive number, not '$2'"
}

mem_mb=1024
cpus=$(nproc)
((cpus > 4)) && cpus=4
timeout_s=300
verbose=0
systemd=0
shares=()
envs=()
while (($# > 0)); do
  case "$1" in
    --share)
      [[ -d "${2:-}" ]] || die "--share: '${2:-}' is not a folder"
      share=$(cd "$2" && pwd -P)
      [[ "${share}" != *$'\n'* ]] || die "--share: a path with a newline"
      shares+=("${share}")
      shift 2
      ;;
    --env)
      [[ "${2:-}" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "--env needs NAME=VALUE, not '${2:-}'"
      envs+=("$2")
      shift 2
      ;;
    --mem) positive_number "$1" "${2:-}"; mem_mb=$2; shift 2 ;;
    --cpus) positive_number "$1" "${2:-}"; cpus=$2; shift 2 ;;
    --timeout) positive_number "$1" "${2:-}"; timeout_s=$2; shift 2 ;;
    --verbose) verbose=1; shift ;;
    --systemd) systemd=1; shift ;;
    --) shift; break ;;
    -h | --help) usage ;;
    *) die "unknown option '$1' (the command comes after --)" ;;
  esac
done
(($# > 0)) || usage
[[ $(id -u) -eq 0 ]] || die "must run as root (the guest reads the host's / as root)"
[[ -e "${kernel_dir}/.complete" ]] ||
  die "no kernel in ${kernel_dir}: run tools/bootstrap.sh (testing/vm/fetch_kernel.sh)"
command -v qemu-system-x86_64 >/dev/null ||
  die "qemu-system-x86_64 is missing: run tools/bootstrap.sh"
[[ -x /bin/busybox && -x /bin/bash ]] || die "/bin/busybox (busybox-static) and /bin/bash are needed"

# Everything of this run lives in one folder: the initramfs, the logs, and the
# folder the guest shares (its init, command, output and status).
work=$(mktemp -d "${TMPDIR:-/tmp}/hull-vm.XXXXXX")
guest="${work}/guest"
qemu_pid=""
watchdog_pid=""
tail_pid=""
cleanup() {
  local status=$?
  set +e
  for pid in "${qemu_pid}" "${watchdog_pid}" "${tail_pid}"; do
    [[ -n "${pid}" ]] && kill "${pid}" 2>/dev/null && wait "${pid}" 2>/dev/null
  done
  rm -rf "${work}"
  exit "${status}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# The initramfs: busybox, this folder's guest_init.sh as /init, and the modules
# that reach the host's / (fetch_kernel.sh listed them in load order). It has
# no /bin/sh on purpose: when /init fails, the kernel falls back to a shell
# there that would wait for input until the timeout; without one it panics and
# the VM stops at once. It is left uncompressed: decompressing it in an
# emulated CPU costs more than reading it.
initramfs="${work}/initramfs"
mkdir -p "${initramfs}"/{bin,dev,proc,sys,host,overlay,newroot,modules}
cp /bin/busybox "${initramfs}/bin/busybox"
install -m 0755 "${self_dir}/guest_init.sh" "${initramfs}/init"
while read -r module; do
  cp "${kernel_dir}/${module}" "${initramfs}/modules/"
  basename "${module}" >>"${initramfs}/modules/order"
done <"${kernel_dir}/initramfs.modules"
(cd "${initramfs}" && find . -mindepth 1 | LC_ALL=C sort |
  cpio -o -H newc -R 0:0 --quiet) >"${work}/initramfs.cpio"
rm -rf "${initramfs}"

mkdir "${guest}"
cp "${self_dir}/guest_init.sh" "${guest}/init"
printf '%s\n' "${shares[@]}" | sed '/^$/d' >"${guest}/shares"
if ((systemd)); then
  [[ -x /lib/systemd/systemd && -x /usr/bin/dbus-daemon ]] ||
    die "--systemd needs Debian's systemd and dbus: run tools/bootstrap.sh"
  : >"${guest}/systemd"
fi
echo "${kernel_dir}/root/lib/modules/$(cat "${kernel_dir}/release")" >"${guest}/modules"
{
  echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  echo 'export HOME=/root LANG=C.UTF-8 TERM=dumb'
  for env in "${envs[@]}"; do printf 'export %q\n' "${env}"; done
  printf 'cd %q || { echo "run_in_vm: running in / instead (--share the working directory)"; cd /; }\n' \
    "${PWD}"
  printf 'exec'
  printf ' %q' "$@"
  echo
} >"${guest}/command"
: >"${guest}/output"

# q35 rather than microvm: under TCG, microvm's guest calibrates its TSC
# against the PIT alone and hung in about 1 boot of 10. The command line turns
# off the probes that only cost time here (keyboard, extra serial ports, the
# crypto self-tests, the timer check).
append="console=ttyS0 loglevel=4 panic=-1 cgroup_no_v1=all"
append+=" i8042.noaux i8042.nokbd i8042.nopnp 8250.nr_uarts=1 no_timer_check"
append+=" random.trust_cpu=on cryptomgr.notests"
qemu=(qemu-system-x86_64
  -accel tcg,thread=multi -cpu max -M q35 -smp "${cpus}" -m "${mem_mb}"
  -nodefaults -no-user-config -nographic -no-reboot
  -kernel "${kernel_dir}/vmlinux" -initrd "${work}/initramfs.cpio"
  -append "${append}"
  -serial "file:${work}/console.log"
  -fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
  -fsdev "local,id=run,path=${guest//,/,,},security_model=none"
  -device virtio-9p-pci,fsdev=run,mount_tag=run)
for i in "${!shares[@]}"; do
  # (QEMU's option syntax: a comma in a value is written twice.)
  qemu+=(-fsdev "local,id=share${i},path=${shares[i]//,/,,},security_model=none,multidevs=remap"
    -device "virtio-9p-pci,fsdev=share${i},mount_tag=share${i}")
done

# The console without the firmware's terminal control sequences, and with an
# end of line after its last line.
console_text() {
  sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' -e 's/\r//g' "${work}/console.log"
  [[ -z "$(tail -c 1 "${work}/console.log")" ]] || echo
}
# A boot starts the command in about 3 s. Under TCG a boot rarely hangs
# before the kernel prints anything (the console stops at SeaBIOS's "Booting
# from ROM"; seen once in some dozens of boots): a guest that has not started
# the command within boot_deadline_s is killed and booted again, once. The
# --timeout counts from the boot that started it.
readonly boot_deadline_s=60
start=$(date +%s.%N)
for attempt in 1 2; do
  "${qemu[@]}" </dev/null >"${work}/qemu.log" 2>&1 &
  qemu_pid=$!
  for ((tenths = 0; tenths < boot_deadline_s * 10; tenths++)); do
    if [[ -e "${guest}/started" ]] || ! kill -0 "${qemu_pid}" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [[ -e "${guest}/started" ]] || ! kill -0 "${qemu_pid}" 2>/dev/null || ((attempt == 2)); then
    break
  fi
  echo "run_in_vm: the guest had not started the command after ${boot_deadline_s} s" \
    "(a hung boot; its console: $(console_text | tail -n 1)): booting again" >&2
  kill "${qemu_pid}" 2>/dev/null
  wait "${qemu_pid}" 2>/dev/null || true
  start=$(date +%s.%N)
done
readonly qemu_started_pid="${qemu_pid}"
# The watchdog kills QEMU by its pid at the deadline, and leaves a mark.
(
  trap 'kill "${sleep_pid}" 2>/dev/null; exit 0' TERM
  sleep "${timeout_s}" &
  sleep_pid=$!
  wait "${sleep_pid}"
  touch "${work}/timed_out"
  kill "${qemu_pid}" 2>/dev/null
  sleep 5
  kill -KILL "${qemu_pid}" 2>/dev/null
) &
watchdog_pid=$!
# The command's output, as it comes.
tail -n +1 -s 0.1 -f --pid="${qemu_pid}" "${guest}/output" &
tail_pid=$!

qemu_status=0
wait "${qemu_pid}" || qemu_status=$?
qemu_pid=""
end=$(date +%s.%N)
kill "${watchdog_pid}" 2>/dev/null
wait "${watchdog_pid}" 2>/dev/null || true
watchdog_pid=""
wait "${tail_pid}" || true
tail_pid=""

print_console() {
  echo "----- guest console -----"
  console_text
  echo "----- qemu (exit status ${qemu_status}) -----"
  cat "${work}/qemu.log"
}
if [[ "${verbose}" -eq 1 ]]; then
  print_console >&2
  if [[ -s "${guest}/finished" ]]; then
    awk -v start="${start}" -v end="${end}" '
      FNR == 1 { t[++n] = $1 }
      END { printf "run_in_vm: %.2f s wall, command started at %.2f s of guest uptime and ran %.2f s\n", end - start, t[1], t[2] - t[1] }' \
      "${guest}/started" "${guest}/finished" >&2
  fi
fi

if [[ -e "${work}/timed_out" ]]; then
  [[ "${verbose}" -eq 1 ]] || console_text | tail -n 20 >&2
  echo "run_in_vm: timeout: the VM ran ${timeout_s} s; QEMU (pid ${qemu_started_pid}) was killed" >&2
  exit 124
fi
if [[ -s "${guest}/status" ]]; then
  exit "$(cat "${guest}/status")"
fi
[[ "${verbose}" -eq 1 ]] || print_console >&2
die "the VM stopped without the command's exit status (QEMU exit status ${qemu_status})"
