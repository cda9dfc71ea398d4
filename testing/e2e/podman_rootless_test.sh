#!/usr/bin/env bash
# Rootless podman runs its containers with `hull`: an ordinary user (made for
# the test with subordinate ids, removed after it) runs `podman --runtime`
# with a copy of hull it can reach. Everything podman keeps lives in a temp
# dir (vfs storage, run root, the user's $XDG_RUNTIME_DIR and $HOME); on this
# host's hybrid cgroups the user has no cgroup of its own, and hull's
# rootless containers run without one (podman asks for no limits).
#
# With "systemd" (in the VM booted with systemd: podman_rootless_systemd_vm_test),
# podman's default for a rootless user with a systemd session: the user's
# systemd (user@UID.service, started for the test) runs, podman uses the
# systemd cgroup manager and passes hull --systemd-cgroup, and each
# container's cgroup is a scope the user's systemd made.
# Usage: podman_rootless_test.sh HULL BUSYBOX_ROOTFS_TAR [systemd]
set -uo pipefail
source testing/e2e/e2e_lib.sh
require_available podman podman conmon newuidmap setpriv
systemd=0
if [[ ${3:-} == systemd ]]; then
  systemd=1
  [[ -d /run/systemd/system ]] || {
    echo "FAIL: the systemd variant needs systemd as PID 1 (it runs in the VM)" >&2
    exit 1
  }
fi

user=hullpm$$
sub_first=550000000
marker="sleep 7$RANDOM$$"
work=

cleanup() {
  local uid pid
  uid=$(id -u "$user" 2>/dev/null)
  if [[ -n $uid ]]; then
    ((systemd)) && systemctl stop "user@$uid.service"
    # The user's processes are the test's: podman's pause process, and
    # whatever a failed check left.
    for pid in $(pgrep -u "$uid"); do kill -KILL "$pid" 2>/dev/null; done
    /usr/sbin/userdel "$user"
  fi
  [[ -n $work ]] && rm -rf "$work"
}
trap cleanup EXIT

/usr/sbin/useradd --system --no-create-home --shell /usr/sbin/nologin "$user" &&
  /usr/sbin/usermod --add-subuids "$sub_first-$((sub_first + 65535))" \
    --add-subgids "$sub_first-$((sub_first + 65535))" "$user"
check "the test's user is made" test $? -eq 0
uid=$(id -u "$user") gid=$(id -g "$user")
cgroup_manager=cgroupfs
if ((systemd)); then
  # First: its first start brings up sysinit.target, which mounts a new
  # tmpfs on the VM's /tmp.
  systemctl start "user@$uid.service"
  check "the user's systemd starts" test $? -eq 0
  cgroup_manager=systemd
fi
work=$(mktemp -d /tmp/hull-e2e-podman-rootless.XXXXXX)
chmod 755 "$work"
# The user's runtime directory: its session's, where its systemd's bus is,
# with the systemd manager; else one of the test's.
xdg="$work/xdg"
((systemd)) && xdg="/run/user/$uid"
mkdir -p "$work/bin" "$work/home" "$xdg"
cp "$1" "$work/bin/hull-real"
printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$work/home/runtime_calls" \
  "$work/bin/hull-real" >"$work/bin/hull"
chmod 755 "$work/bin/hull" "$work/bin/hull-real"
cp "$2" "$work/rootfs.tar"
chmod 644 "$work/rootfs.tar"
write_containers_conf "$work/containers.conf" "$work/home/events.log"
chown "$uid:$gid" "$work/home" "$xdg"
chmod 700 "$xdg"

# podman as the user, with its own runtime directory and home, from a
# directory it may enter (Bazel's runfiles are under root's home).
as_user() {
  cd "$work/home" && setpriv --reuid="$uid" --regid="$gid" --clear-groups \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$work/home" USER="$user" \
    XDG_RUNTIME_DIR="$xdg" CONTAINERS_CONF="$work/containers.conf" \
    CONTAINERS_REGISTRIES_CONF=/dev/null "$@"
  local status=$?
  cd "$OLDPWD" && return $status
}
podman=(podman --root "$work/home/storage" --runroot "$work/home/run" --tmpdir "$work/home/tmp"
        --storage-driver vfs --cgroup-manager "$cgroup_manager" --events-backend file
        --runtime "$work/bin/hull")
image=localhost/hull-e2e-busybox:latest
run() { as_user "${podman[@]}" run --network none "$@" </dev/null; }

as_user "${podman[@]}" import -q "$work/rootfs.tar" "$image" >/dev/null
check "the user imports the busybox rootfs" test $? -eq 0

out=$(run --rm "$image" sh -c 'id -u; cat /proc/self/uid_map')
check "root inside is the user outside ($out)" \
  grep -Eq "^ +0 +$uid +1\$" <<<"$out"
check "the user's subordinate ids are mapped too ($out)" grep -Eq " $sub_first +65536\$" <<<"$out"
run --rm "$image" sh -c 'exit 3'
check "run --rm 'exit 3' exits 3" test $? -eq 3

id=$(run -d "$image" $marker 2>"$work/err")
check "run -d starts a container ($(cat "$work/err"))" test -n "$id"
out=$(as_user "${podman[@]}" exec "$id" sh -c 'echo exec ok')
check "exec runs in the container ($out)" test "$out" = "exec ok"
if ((systemd)); then
  pid=$(as_user "${podman[@]}" inspect --format '{{.State.Pid}}' "$id")
  scope="/user.slice/user-$uid.slice/user@$uid.service/user.slice/libpod-$id.scope"
  check "the container's cgroup is the scope the user's systemd made ($(cat "/proc/$pid/cgroup"))" \
    grep -qx "0::$scope" "/proc/$pid/cgroup"
  check "podman passed hull --systemd-cgroup" grep -q -- "--systemd-cgroup" "$work/home/runtime_calls"
fi
ps_lists() { as_user "${podman[@]}" ps -q --no-trunc | grep -q "^$1\$"; }
check "ps lists it" ps_lists "$id"
check "stop" as_user "${podman[@]}" stop -t 1 "$id"
check "rm" as_user "${podman[@]}" rm "$id"
check "podman ran hull as the runtime" grep -Eq "^(--systemd-cgroup )?create " "$work/home/runtime_calls"
check "podman gave hull no --root" bash -c "! grep -q -- --root '$work/home/runtime_calls'"
check "hull kept its state under the user's \$XDG_RUNTIME_DIR/hull" test -d "$xdg/hull"

wait_for_processes_to_end "$marker"
check "no container process is left" no_process "$marker"
listed=$(as_user "$work/bin/hull-real" list -q 2>&1)
check "no container is left in the user's hull state ($listed)" test -z "$listed"
check "no mount is left under the test's directory" \
  bash -c "! grep -q ' $work' /proc/self/mountinfo"
cleanup
trap - EXIT
check "the user is gone from /etc/subuid and /etc/subgid" \
  bash -c "! grep -q '^$user:' /etc/subuid /etc/subgid /etc/passwd"
finish
