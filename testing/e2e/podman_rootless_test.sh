#!/usr/bin/env bash
# Rootless podman runs its containers with `hull`: an ordinary user (made for
# the test with subordinate ids, removed after it) runs `podman --runtime`
# with a copy of hull it can reach. Everything podman keeps lives in a temp
# dir (vfs storage, run root, the user's $XDG_RUNTIME_DIR and $HOME); on this
# host's hybrid cgroups the user has no cgroup of its own, and hull's
# rootless containers run without one (podman asks for no limits).
# Usage: podman_rootless_test.sh HULL BUSYBOX_ROOTFS_TAR
set -uo pipefail
source testing/e2e/e2e_lib.sh
skip_unless_available podman podman conmon newuidmap setpriv

user=hullpm$$
sub_first=550000000
work=$(mktemp -d /tmp/hull-e2e-podman-rootless.XXXXXX)
chmod 755 "$work"
marker="sleep 7$RANDOM$$"

cleanup() {
  local uid pid
  uid=$(id -u "$user" 2>/dev/null)
  if [[ -n $uid ]]; then
    # The user's processes are the test's: podman's pause process, and
    # whatever a failed check left.
    for pid in $(pgrep -u "$uid"); do kill -KILL "$pid" 2>/dev/null; done
    /usr/sbin/userdel "$user"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

/usr/sbin/useradd --system --no-create-home --shell /usr/sbin/nologin "$user" &&
  /usr/sbin/usermod --add-subuids "$sub_first-$((sub_first + 65535))" \
    --add-subgids "$sub_first-$((sub_first + 65535))" "$user"
check "the test's user is made" test $? -eq 0
uid=$(id -u "$user") gid=$(id -g "$user")
mkdir -p "$work/bin" "$work/home" "$work/xdg"
cp "$1" "$work/bin/hull-real"
printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$work/home/runtime_calls" \
  "$work/bin/hull-real" >"$work/bin/hull"
chmod 755 "$work/bin/hull" "$work/bin/hull-real"
cp "$2" "$work/rootfs.tar"
chmod 644 "$work/rootfs.tar"
write_containers_conf "$work/containers.conf" "$work/home/events.log"
chown "$uid:$gid" "$work/home" "$work/xdg"
chmod 700 "$work/xdg"

# podman as the user, with its own runtime directory and home, from a
# directory it may enter (Bazel's runfiles are under root's home).
as_user() {
  cd "$work/home" && setpriv --reuid="$uid" --regid="$gid" --clear-groups \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$work/home" USER="$user" \
    XDG_RUNTIME_DIR="$work/xdg" CONTAINERS_CONF="$work/containers.conf" \
    CONTAINERS_REGISTRIES_CONF=/dev/null "$@"
  local status=$?
  cd "$OLDPWD" && return $status
}
podman=(podman --root "$work/home/storage" --runroot "$work/home/run" --tmpdir "$work/home/tmp"
        --storage-driver vfs --cgroup-manager cgroupfs --events-backend file
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
ps_lists() { as_user "${podman[@]}" ps -q --no-trunc | grep -q "^$1\$"; }
check "ps lists it" ps_lists "$id"
check "stop" as_user "${podman[@]}" stop -t 1 "$id"
check "rm" as_user "${podman[@]}" rm "$id"
check "podman ran hull as the runtime, without --root" grep -q "^create " "$work/home/runtime_calls"
check "hull kept its state under the user's \$XDG_RUNTIME_DIR/hull" test -d "$work/xdg/hull"

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
