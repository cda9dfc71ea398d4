#!/bin/busybox sh
# shellcheck shell=dash
# The VM's init (see run_in_vm.sh), run by busybox sh in two stages.
#
# Stage 1, PID 1 in the initramfs: loads the modules that reach the host, mounts
# the host's / (9p, read-only) under a tmpfs overlay as the new root, gives it
# /proc, /sys, cgroup2 at /sys/fs/cgroup, /dev, a fresh /tmp and /run, the run
# folder at /run/hull-vm and the --share folders, and switches root into it.
#
# Stage 2, PID 1 in the new root (this file read from /run/hull-vm/init): brings
# up lo, runs /run/hull-vm/command with its output into /run/hull-vm/output,
# writes its exit status into /run/hull-vm/status, and powers off. With
# /run/hull-vm/systemd (run_in_vm.sh --systemd) it execs systemd as PID 1
# instead, which runs the command (stage 3) as the one service of a minimal
# boot: D-Bus's system bus and nothing else.
#
# The run folder (written by run_in_vm.sh) also holds `shares` (one host folder
# a line, mounted from the 9p tags share0, share1, ... in that order) and
# `modules` (the host path of the kernel's /lib/modules/<release> folder).
# A failure prints "hull-vm: ..." on the console and powers off without a
# status, which run_in_vm.sh reports with the console log.

b=/bin/busybox
run=/run/hull-vm
# 9p over virtio; 512 KB messages are the most the virtio transport carries.
p9="trans=virtio,version=9p2000.L,msize=512000"

fail() {
  echo "hull-vm: $*" >/dev/console
  $b poweroff -f
}

mount_or_fail() {
  $b mount "$@" || fail "mount $*"
}

stage1() {
  $b mount -t proc proc /proc
  $b mount -t sysfs sysfs /sys
  $b mount -t devtmpfs devtmpfs /dev
  for module in $($b cat /modules/order); do
    $b insmod "/modules/${module}" || fail "insmod ${module}"
  done

  mount_or_fail -t 9p -o "${p9},ro,cache=loose" hostroot /host
  mount_or_fail -t tmpfs -o mode=0755 overlay-upper /overlay
  $b mkdir /overlay/upper /overlay/work
  mount_or_fail -t overlay \
    -o lowerdir=/host,upperdir=/overlay/upper,workdir=/overlay/work \
    root /newroot
  n=/newroot

  mount_or_fail --move /proc "${n}/proc"
  mount_or_fail --move /sys "${n}/sys"
  mount_or_fail --move /dev "${n}/dev"
  mount_or_fail -t cgroup2 -o nsdelegate cgroup2 "${n}/sys/fs/cgroup"
  $b mkdir -p "${n}/dev/pts" "${n}/dev/shm"
  mount_or_fail -t devpts -o gid=5,mode=0620,ptmxmode=0666 devpts "${n}/dev/pts"
  mount_or_fail -t tmpfs -o mode=1777 shm "${n}/dev/shm"
  mount_or_fail -t tmpfs -o mode=1777 tmp "${n}/tmp"
  mount_or_fail -t tmpfs -o mode=0755 run "${n}/run"
  $b mkdir "${n}${run}"
  mount_or_fail -t 9p -o "${p9},cache=none" run "${n}${run}"

  i=0
  while IFS= read -r share; do
    $b mkdir -p "${n}${share}"
    mount_or_fail -t 9p -o "${p9},cache=none" "share${i}" "${n}${share}"
    i=$((i + 1))
  done <"${n}${run}/shares"

  # The kernel's modules, for modprobe in the guest (the host's are another
  # kernel's).
  modules=$($b cat "${n}${run}/modules")
  guest_modules="${n}/lib/modules/${modules##*/}"
  $b mkdir -p "${guest_modules}"
  mount_or_fail --bind "${n}${modules}" "${guest_modules}"

  # (Should switch_root fail, the shell exits: PID 1 dies, the kernel panics
  # and the VM stops, and run_in_vm.sh prints the console.)
  # shellcheck disable=SC2093
  exec $b switch_root "${n}" "${b}" sh "${run}/init" stage2
}

stage2() {
  $b ip link set lo up || fail "ip link set lo up"
  $b hostname hull-vm
  # /dev/net/tun, which CRIU opens to check the kernel: devtmpfs makes the
  # node only once the module is loaded, and open() of the node loads it.
  $b mkdir -p /dev/net
  [ -e /dev/net/tun ] || $b mknod -m 0666 /dev/net/tun c 10 200
  # /dev/fd, as udev makes it: bash's process substitution opens through it.
  [ -e /dev/fd ] || $b ln -s /proc/self/fd /dev/fd
  if [ -e "${run}/systemd" ]; then
    boot_systemd
  fi
  run_command
}

# Runs the command and powers off (stage 2, or stage 3 under systemd).
run_command() {
  $b cat /proc/uptime >"${run}/started"
  # setsid: the command leads its own session, as a process started from a
  # login would (CRIU, for one, needs that).
  $b setsid /bin/bash "${run}/command" </dev/null >>"${run}/output" 2>&1
  echo "$?" >"${run}/status"
  $b cat /proc/uptime >"${run}/finished"
  $b poweroff -f
}

# systemd boots straight into hull-vm.target: the command's service after the
# system bus (dbus.socket and dbus.service without their default dependencies,
# so that sysinit.target and all it pulls in stay out of the boot). The units
# go to the overlay's /etc, which the host never sees.
boot_systemd() {
  units=/etc/systemd/system
  $b cat >"${units}/hull-vm.target" <<EOF
[Unit]
Description=Hull VM: the command, over the system bus
Wants=hull-vm.service
EOF
  $b cat >"${units}/hull-vm.service" <<EOF
[Unit]
Description=Hull VM command
DefaultDependencies=no
Requires=dbus.service
After=dbus.service

[Service]
Type=oneshot
ExecStart=/bin/busybox sh ${run}/init stage3
EOF
  for unit in dbus.socket dbus.service; do
    $b mkdir -p "${units}/${unit}.d"
    printf '[Unit]\nDefaultDependencies=no\n' >"${units}/${unit}.d/hull-vm.conf"
  done
  # shellcheck disable=SC2093
  exec /lib/systemd/systemd --system --unit=hull-vm.target --log-target=console \
    --log-level=warning --show-status=false
}

# The kernel starts stage 1 with no argument (or with words of its command line
# it does not know).
case "${1:-}" in
  stage2) stage2 ;;
  stage3) run_command ;;
  *) stage1 ;;
esac
