# Shared by the end-to-end tests (podman and containerd running `hull`): the
# checks of testing/checks.sh, a loud failure when a client is not installed,
# parallel runs, and the leftover checks every test ends with. Sourced; the
# caller sets `hull` and `work` (its temp dir) before calling leftover_checks.

source testing/checks.sh

# require_available CLIENT TOOL...: fails the test with a clear message when
# a tool it drives is not installed (tools/bootstrap.sh installs them), or
# when not root: a test that cannot run is never counted as passing.
require_available() {
  local client=$1 tool
  shift
  if [[ $(id -u) -ne 0 ]]; then
    echo "FAILED: needs root (it runs real containers through $client)" >&2
    exit 1
  fi
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null; then
      echo "FAILED: $tool is not installed (tools/bootstrap.sh installs it)" >&2
      exit 1
    fi
  done
}

# write_containers_conf FILE EVENTS_LOG: the podman tests' containers.conf:
# the cgroupfs manager, events to the file EVENTS_LOG, and low ulimits
# (podman would raise RLIMIT_NOFILE and RLIMIT_NPROC to the maximum, which a
# host, or a CI sandbox, may not allow even to root; lowering always works).
write_containers_conf() {
  cat >"$1" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$2"
CONF
}

# The cgroup directories named like `pattern` on the host, sorted.
cgroup_dirs() {
  find /sys/fs/cgroup -mindepth 1 -type d -name "$1" 2>/dev/null | sort
}

# Waits up to 30 s for the processes whose command line holds `pattern` to
# end: clients clean up after a container exits in processes of their own
# (podman's `container cleanup`, containerd's shim).
wait_for_processes_to_end() {
  local pattern=$1 i
  for ((i = 0; i < 300; i++)); do
    pgrep -f -- "$pattern" >/dev/null || return 0
    sleep 0.1
  done
  return 1
}

# No process has `pattern` in its command line; those that do are printed.
no_process() {
  ! pgrep -af -- "$1" >&2
}

# leftover_checks HULL_STATE_ROOT MARKER CGROUPS_BEFORE_FILE CGROUP_PATTERN:
# no hull state, no process whose command line holds MARKER or $work, no
# mount under $work, no new cgroup directory matching CGROUP_PATTERN.
leftover_checks() {
  local state_root=$1 marker=$2 cgroups_before=$3 pattern=$4
  local listed
  wait_for_processes_to_end "$work/"
  wait_for_processes_to_end "$marker"
  listed=$("$hull" --root "$state_root" list -q 2>/dev/null)
  check "no container is left in hull's state ($listed)" test -z "$listed"
  check "no container process is left" no_process "$marker"
  check "no process runs from the test's directory" no_process "$work/"
  check "no mount is left under the test's directory" \
    bash -c "! grep -q ' $work' /proc/self/mountinfo"
  check "no cgroup is left" diff "$cgroups_before" <(cgroup_dirs "$pattern")
}

# parallel_runs COUNT RUN_ONE: runs `RUN_ONE i` for i in 1..COUNT at once,
# each a container that must exit with i % 4; checks that each did.
parallel_runs() {
  local count=$1 run_one=$2 i ok=0
  local -a pids
  for ((i = 1; i <= count; i++)); do
    "$run_one" "$i" &
    pids[i]=$!
  done
  for ((i = 1; i <= count; i++)); do
    wait "${pids[i]}"
    [[ $? -eq $((i % 4)) ]] && ok=$((ok + 1))
  done
  check "$count parallel runs each exit with their code ($ok of $count)" test "$ok" -eq "$count"
}
