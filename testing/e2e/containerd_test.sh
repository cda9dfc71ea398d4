#!/usr/bin/env bash
# containerd runs its containers with `hull` (`ctr run --runc-binary`): a
# private containerd this test starts and stops (its config, root, state and
# sockets in a temp dir; the CRI plugin disabled), the native snapshotter,
# and an image imported from a docker-archive of the busybox rootfs.
#
# With "systemd" (in the VM booted with systemd: containerd_systemd_vm_test),
# runc's systemd cgroup driver, as Kubernetes nodes run containerd
# (SystemdCgroup): the shim passes hull --systemd-cgroup, and each container
# is a scope in system.slice (ctr's --runc-systemd-cgroup, with a cgroupsPath
# "system.slice:hull-e2e:<id>").
# Usage: containerd_test.sh HULL DOCKER_ARCHIVE [systemd]
set -uo pipefail
source testing/e2e/e2e_lib.sh
hull="$PWD/$1" archive="$PWD/$2"
require_available containerd containerd ctr containerd-shim-runc-v2 script
systemd=0
if [[ ${3:-} == systemd ]]; then
  [[ -d /run/systemd/system ]] || {
    echo "FAIL: the systemd variant needs systemd as PID 1 (it runs in the VM)" >&2
    exit 1
  }
  systemd=1
fi

work=$(mktemp -d /tmp/hull-e2e-containerd.XXXXXX)
namespace=hull-e2e-$$
image=localhost/hull-e2e-busybox:latest
marker="sleep 7$RANDOM$$"
cat >"$work/config.toml" <<CONF
version = 2
root = "$work/root"
state = "$work/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$work/containerd.sock"

[ttrpc]
  address = "$work/containerd.sock.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "$work/opt"
CONF
ctr=(ctr --address "$work/containerd.sock" --namespace "$namespace")
# ctr's IO FIFOs would go to /run/containerd/fifo.
run_flags=(--snapshotter native --runc-binary "$hull" --runc-root "$work/hull" --fifo-dir "$work/fifo")
exec_flags=(--fifo-dir "$work/fifo")
# The shim gives hull --root <runc root>/<namespace>.
state_root="$work/hull/$namespace"

containerd_pid=
cleanup() {
  local id
  for id in $("${ctr[@]}" tasks ls -q 2>/dev/null); do
    "${ctr[@]}" tasks kill -s SIGKILL "$id" >/dev/null 2>&1
    "${ctr[@]}" tasks rm -f "$id" >/dev/null 2>&1
  done
  for id in $("${ctr[@]}" containers ls -q 2>/dev/null); do
    "${ctr[@]}" containers rm "$id" >/dev/null 2>&1
  done
  if [[ -n $containerd_pid ]]; then
    kill "$containerd_pid" 2>/dev/null && wait "$containerd_pid" 2>/dev/null
  fi
  # Shims this test's containerd started and could not end (after a failure).
  local pid
  for pid in $(pgrep -f -- "-address $work/containerd.sock"); do kill -9 "$pid"; done
  for id in $("$hull" --root "$state_root" list -q 2>/dev/null); do
    "$hull" --root "$state_root" delete -f "$id"
  done
  grep " $work" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l
  # containerd's cgroup parent for the namespace (runc leaves it too).
  find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name "$namespace" -exec rmdir {} + 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cgroup_dirs 'e2e-*' >"$work/cgroups.before"
# The shims' sockets go to containerd's fixed /run/containerd/s.
# The entries alone: containerd makes the (empty) directory itself at its
# first start, which is no leftover.
run_containerd_entries() {
  find /run/containerd/s /run/containerd/fifo -mindepth 1 2>/dev/null | sort
}
run_containerd_entries >"$work/run_containerd.before"

containerd --config "$work/config.toml" >"$work/containerd.log" 2>&1 &
containerd_pid=$!
for ((i = 0; i < 100; i++)); do
  "${ctr[@]}" version >/dev/null 2>&1 && break
  sleep 0.1
done
check "containerd answers" "${ctr[@]}" version >/dev/null

check "import the docker-archive" "${ctr[@]}" images import --snapshotter native "$archive" >/dev/null

# ctr run [FLAG]... IMAGE ID [COMMAND]...: with systemd, the container's
# scope is named after its ID.
run() {
  local args=("$@") i
  local cgroup=()
  if ((systemd)); then
    for ((i = 0; i + 1 < ${#args[@]}; i++)); do
      if [[ ${args[i]} == "$image" ]]; then
        cgroup=(--runc-systemd-cgroup --cgroup "system.slice:hull-e2e:${args[i + 1]}")
        break
      fi
    done
  fi
  "${ctr[@]}" run "${run_flags[@]}" "${cgroup[@]}" "$@"
}
status_of() { "${ctr[@]}" tasks ls | awk -v id="$1" '$1 == id {print $3}'; }
pid_of() { "${ctr[@]}" tasks ls | awk -v id="$1" '$1 == id {print $2}'; }
wait_for_status() {  # wait_for_status ID STATUS: up to 10 s.
  local i
  for ((i = 0; i < 100; i++)); do
    [[ $(status_of "$1") == "$2" ]] && return 0
    sleep 0.1
  done
  return 1
}
remove() { "${ctr[@]}" tasks rm "$1" >/dev/null && "${ctr[@]}" containers rm "$1"; }

# run --rm: the process's exit code is ctr's.
run --rm "$image" e2e-true true
check "run --rm true exits 0" test $? -eq 0
run --rm "$image" e2e-three sh -c 'exit 3'
check "run --rm 'exit 3' exits 3" test $? -eq 3
run --rm "$image" e2e-127 sh -c '/no/such/command'
check "run --rm of a missing command in a shell exits 127" test $? -eq 127
run --rm "$image" e2e-missing /no/such/command 2>"$work/err"
check "run --rm of a missing executable fails (as runc's does: ctr exits 1)" test $? -eq 1
check "the failure names the missing executable" grep -q '/no/such/command' "$work/err"
"${ctr[@]}" containers rm e2e-missing >/dev/null 2>&1

# A detached container: exec, ps, metrics, pause/resume, kill, delete.
check "run -d" run -d "$image" e2e-daemon $marker
check "the task is running" wait_for_status e2e-daemon RUNNING
if ((systemd)); then
  daemon_pid=$(pid_of e2e-daemon)
  check "the container is the scope systemd made ($(cat "/proc/$daemon_pid/cgroup"))" \
    grep -qx "0::/system.slice/hull-e2e-e2e-daemon.scope" "/proc/$daemon_pid/cgroup"
fi
out=$("${ctr[@]}" tasks exec "${exec_flags[@]}" --exec-id e1 e2e-daemon sh -c 'echo exec ok')
check "exec runs in the container ($out)" test "$out" = "exec ok"
"${ctr[@]}" tasks exec "${exec_flags[@]}" --exec-id e2 e2e-daemon sh -c 'exit 5'
check "exec's exit code is ctr's" test $? -eq 5
# ctr -t wants a terminal of its own: script(1) gives it one.
# script passes the end of its stdin on to ctr's terminal as a control
# character, which the exec'd process's terminal may echo ("^@") before tty
# prints its line: the name is looked for anywhere in the line.
out=$(script -qec "${ctr[*]} tasks exec ${exec_flags[*]} -t --exec-id e3 e2e-daemon tty" /dev/null 2>/dev/null | tr -d '\r')
check "exec -t gets a terminal ($out)" grep -q "/dev/pts/[0-9]" <<<"$out"
pid=$(pid_of e2e-daemon)
check "ps (hull ps --format json) lists the init ($pid)" \
  bash -c "'${ctr[0]}' --address '$work/containerd.sock' --namespace '$namespace' tasks ps e2e-daemon | grep -q '^$pid '"
check "metrics reads the cgroup" bash -c \
  "'${ctr[0]}' --address '$work/containerd.sock' --namespace '$namespace' tasks metrics e2e-daemon | grep -q memory"
check "pause" "${ctr[@]}" tasks pause e2e-daemon
check "paused" wait_for_status e2e-daemon PAUSED
check "resume" "${ctr[@]}" tasks resume e2e-daemon
check "running again" wait_for_status e2e-daemon RUNNING
# ctr has no command for a task's resources: podman_test covers update.

# A container in the daemon's pid namespace sees its processes.
out=$(run --rm --with-ns "pid:/proc/$pid/ns/pid" "$image" e2e-shared-pid ps)
check "a shared pid namespace shows the other container's process" grep -q "$marker" <<<"$out"

check "kill" "${ctr[@]}" tasks kill -s SIGKILL e2e-daemon
check "stopped" wait_for_status e2e-daemon STOPPED
# `tasks rm -f` kills first; the shim takes only runc's "container not
# running" for a process already gone.
check "delete -f of a stopped task" "${ctr[@]}" tasks rm -f e2e-daemon
check "delete" "${ctr[@]}" containers rm e2e-daemon

# SIGTERM stops a process that handles it (a container's `stop`).
run -d "$image" e2e-stop sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
check "the process to stop runs" wait_for_status e2e-stop RUNNING
check "kill (SIGTERM)" "${ctr[@]}" tasks kill e2e-stop
check "it stopped" wait_for_status e2e-stop STOPPED
check "delete the stopped one" remove e2e-stop

# Read-only rootfs, with a tmpfs.
run --rm --read-only --mount type=tmpfs,src=tmpfs,dst=/scratch,options=rw:nosuid "$image" \
  e2e-read-only sh -c '! touch /file 2>/dev/null && touch /scratch/file'
check "read-only rootfs with a tmpfs" test $? -eq 0

# 20 runs at once.
parallel_run() { run --rm "$image" "e2e-parallel-$1" sh -c "exit $(($1 % 4))"; }
parallel_runs 20 parallel_run

"${ctr[@]}" images rm "$image" >/dev/null
check "stop containerd" kill "$containerd_pid"
wait "$containerd_pid"
containerd_pid=
leftover_checks "$state_root" "$marker" "$work/cgroups.before" 'e2e-*'
((systemd)) && check "no container's scope is left" \
  bash -c "! systemctl list-units --all --no-legend 'hull-e2e-*' | grep -q ."
check "no shim socket or FIFO is left in /run/containerd" \
  diff "$work/run_containerd.before" <(run_containerd_entries)
finish
