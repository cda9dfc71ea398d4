#!/usr/bin/env bash
# podman runs its containers with `hull` (--runtime), as the runtime named
# NAME: "hull", or "runc" (podman passes --log and --log-format only to
# runtimes it knows by name). Everything podman keeps lives in a temp dir:
# its storage (vfs), run root, events file (the file events logger) and
# Hull's state (the runtime is a script that notes its arguments and execs
# hull with --root: podman does not pass --runtime-flag on to the cleanup
# that deletes a container);
# the cgroup manager is cgroupfs; the image is imported from the busybox
# rootfs tar.
#
# With "systemd" (in the VM booted with systemd: podman_systemd_vm_test), the
# cgroup manager is systemd's, podman's default on a systemd host: podman
# passes hull --systemd-cgroup and each container is a scope in machine.slice.
# Usage: podman_test.sh HULL BUSYBOX_ROOTFS_TAR NAME [systemd]
set -uo pipefail
source testing/e2e/e2e_lib.sh
hull="$PWD/$1" rootfs_tar="$PWD/$2" name=$3
require_available podman podman conmon
cgroup_manager=cgroupfs
if [[ ${4:-} == systemd ]]; then
  [[ -d /run/systemd/system ]] || {
    echo "FAIL: the systemd variant needs systemd as PID 1 (it runs in the VM)" >&2
    exit 1
  }
  cgroup_manager=systemd
fi

work=$(mktemp -d /tmp/hull-e2e-podman.XXXXXX)
mkdir -p "$work/bin"
printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" --root "%s" "$@"\n' \
  "$work/runtime_calls" "$hull" "$work/state" >"$work/bin/$name"
chmod +x "$work/bin/$name"
image=localhost/hull-e2e-busybox:latest
# A number no other process has in its command line: the containers sleep it.
marker="sleep 7$RANDOM$$"
write_containers_conf "$work/containers.conf" "$work/events.log"
export CONTAINERS_CONF="$work/containers.conf" CONTAINERS_REGISTRIES_CONF=/dev/null
podman=(podman --root "$work/storage" --runroot "$work/run" --tmpdir "$work/tmp"
        --storage-driver vfs --cgroup-manager "$cgroup_manager" --events-backend file
        --runtime "$work/bin/$name")

cleanup() {
  "${podman[@]}" rm -af -t 0 >/dev/null 2>&1
  "${podman[@]}" rmi -af >/dev/null 2>&1
  local id
  for id in $("$hull" --root "$work/state" list -q 2>/dev/null); do
    "$hull" --root "$work/state" delete -f "$id"
  done
  grep " $work" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l
  remove_podman_parent_cgroups
  rm -rf "$work"
}
# podman's cgroupfs parent, and conmon's cgroup in it, which podman leaves
# behind with runc too: removed (when empty) if this test's podman made them.
remove_podman_parent_cgroups() {
  local dir
  for dir in $(cgroup_dirs libpod_parent); do
    grep -qx "$dir" "$work/cgroups.before" || rmdir "$dir/conmon" "$dir" 2>/dev/null
  done
}
trap cleanup EXIT
cgroup_dirs 'libpod*' >"$work/cgroups.before"

run() { "${podman[@]}" run --network none "$@"; }
status_of() { "${podman[@]}" inspect -f '{{.State.Status}}' "$1"; }
# The memory limit of container $1's cgroup, as the host sees it (v1 or v2,
# cgroupfs or the systemd scope).
memory_limit() {
  local dir
  for dir in /sys/fs/cgroup/memory/libpod_parent/libpod-$1 /sys/fs/cgroup/libpod_parent/libpod-$1 \
    "/sys/fs/cgroup/machine.slice/libpod-$1.scope"; do
    [[ -f $dir/memory.limit_in_bytes ]] && cat "$dir/memory.limit_in_bytes"
    [[ -f $dir/memory.max ]] && cat "$dir/memory.max"
  done
}
ps_lists() { "${podman[@]}" ps -q --no-trunc | grep -q "^$1\$"; }
top_lists() { "${podman[@]}" top "$1" | grep -q "$2"; }

# containers/image keeps a blob cache in /var/lib/containers/cache whatever
# --root says: the import runs in a mount namespace of its own with a tmpfs
# on /var/lib, so that the host's is left alone.
import_image() {
  unshare --mount --propagation private \
    sh -c 'mount -t tmpfs tmpfs /var/lib && exec "$@"' sh "${podman[@]}" import -q "$@"
}
check "import the busybox rootfs" import_image "$rootfs_tar" "$image" >/dev/null

# run --rm: the process's exit code is podman's.
run --rm "$image" true
check "run --rm true exits 0" test $? -eq 0
run --rm "$image" sh -c 'exit 3'
check "run --rm 'exit 3' exits 3" test $? -eq 3
run --rm "$image" /no/such/command 2>"$work/err"
check "run --rm of a missing command exits 127" test $? -eq 127
check "hull's error reaches podman" grep -q '/no/such/command' "$work/err"
out=$(run --rm "$image" sh -c 'echo hello from $(hostname)')
check "run --rm prints the container's output ($out)" grep -q "^hello from " <<<"$out"

# A detached container: exec, ps/top/stats, pause, update, stop, kill, rm.
id=$(run -d "$image" $marker)
check "run -d starts a running container" test "$(status_of "$id")" = running
out=$("${podman[@]}" exec "$id" sh -c 'echo exec ok; echo $$ >/dev/null')
check "exec runs in the container ($out)" test "$out" = "exec ok"
out=$("${podman[@]}" exec -t "$id" tty | tr -d '\r')
check "exec -t gets a terminal ($out)" grep -q "^/dev/pts/" <<<"$out"
"${podman[@]}" exec "$id" sh -c 'exit 5'
check "exec's exit code is podman's" test $? -eq 5
check "ps lists the container" ps_lists "$id"
if [[ $cgroup_manager == systemd ]]; then
  pid=$("${podman[@]}" inspect --format '{{.State.Pid}}' "$id")
  check "the container is the scope systemd made in machine.slice ($(cat "/proc/$pid/cgroup"))" \
    grep -qx "0::/machine.slice/libpod-$id.scope" "/proc/$pid/cgroup"
  check "podman passed hull --systemd-cgroup" grep -q -- "--systemd-cgroup" "$work/runtime_calls"
fi
check "top lists its process" top_lists "$id" "$marker"
check "stats reads its cgroup" "${podman[@]}" stats --no-stream --format '{{.MemUsage}}' "$id"
check "pause" "${podman[@]}" pause "$id"
check "paused" test "$(status_of "$id")" = paused
check "unpause" "${podman[@]}" unpause "$id"
check "running again" test "$(status_of "$id")" = running
check "update --memory" "${podman[@]}" update --memory 64m "$id"
out=$(memory_limit "$id")
check "the container's cgroup has the 64m limit ($out)" test "$out" = $((64 << 20))
check "stop" "${podman[@]}" stop -t 1 "$id"
check "stopped" test "$(status_of "$id")" = exited
check "rm" "${podman[@]}" rm "$id"
id=$(run -d "$image" $marker)
check "kill" "${podman[@]}" kill "$id"
"${podman[@]}" wait "$id" >/dev/null
check "rm after kill" "${podman[@]}" rm "$id"

# Read-only rootfs, with a tmpfs.
run --rm --read-only --read-only-tmpfs=false --tmpfs /scratch:rw,notmpcopyup "$image" \
  sh -c '! touch /file 2>/dev/null && touch /scratch/file && grep -q " /scratch tmpfs " /proc/mounts'
check "read-only rootfs with a tmpfs" test $? -eq 0
# podman's own --read-only puts tmpfs with tmpcopyup on /tmp, /var/tmp and /run.
check "read-only rootfs with podman's default tmpfs mounts (tmpcopyup)" \
  run --rm --read-only "$image" sh -c 'touch /tmp/file'

# A container in another's pid namespace sees its processes.
id=$(run -d "$image" $marker)
out=$(run --rm --pid "container:$id" "$image" ps)
check "a shared pid namespace shows the other container's process" grep -q "$marker" <<<"$out"
check "rm -f the pid namespace's owner" "${podman[@]}" rm -f -t 0 "$id" >/dev/null

# 20 runs at once.
parallel_run() { run --rm "$image" sh -c "exit $(($1 % 4))"; }
parallel_runs 20 parallel_run

check "events were logged to the file" grep -q '"Status":"died"' "$work/events.log"
if [[ $name == runc ]]; then
  check "podman gave the runtime named runc its --log in JSON" \
    grep -q -- '^--log-format=json --log .* create ' "$work/runtime_calls"
else
  check "podman gave the runtime named $name no --log" bash -c "! grep -q -- '--log' '$work/runtime_calls'"
fi

"${podman[@]}" rm -af -t 0 >/dev/null 2>&1
wait_for_processes_to_end "$work/"
remove_podman_parent_cgroups
leftover_checks "$work/state" "$marker" "$work/cgroups.before" 'libpod*'
finish
