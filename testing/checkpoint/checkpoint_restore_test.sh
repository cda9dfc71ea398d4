#!/usr/bin/env bash
# Checkpoint and restore of real containers with Debian's CRIU, through the
# `hull` CLI, as runc's users drive it.
# Usage: checkpoint_restore_test.sh HULL ROOTFS_TAR vm|host
#   vm:   in the cgroup v2 VM (Linux 6.1), where CRIU works: every scenario
#         must pass.
#   host: on a kernel whose vDSO CRIU 3.17 cannot handle (6.18 here): the
#         checkpoint must fail with CRIU's own error quoted and the container
#         left running; should CRIU work, it says so and checks the dump.
# The containers' stdio are pipes (CRIU cannot restore a host file it cannot
# see from the container), and each id is unique to the run.
set -uo pipefail

hull="$PWD/$1"
rootfs_tar="$PWD/$2"
mode="$3"
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/criu.XXXXXX")
root="$work/root"
prefix="ck$$"
source testing/checks.sh

cleanup() {
  local id
  for id in $("$hull" --root "$root" list -q 2>/dev/null); do
    "$hull" --root "$root" delete -f "$id" >/dev/null 2>&1
  done
  exec 3>&- 4<&- 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP (loudly): checkpoint_restore_test needs root" >&2
  exit 1
fi
# hull runs `criu` from PATH, as runc does; Bazel's PATH lacks /usr/sbin.
export PATH="$PATH:/usr/sbin:/sbin"
if ! command -v criu >/dev/null; then
  echo "FAIL: criu is not installed (tools/bootstrap.sh installs it)" >&2
  exit 1
fi

# Pipes for the containers' stdio: the readers and writers outlive them.
exec 3> >(cat >/dev/null)
exec 4< <(sleep 100000)

# A bundle whose process counts, ten times a second, into /data/count (a
# bind of $work/data) and whose rootfs holds /marker with NAME; with ARGS,
# the process runs those instead.
make_bundle() {
  local name=$1
  shift
  mkdir -p "$work/$name/rootfs" "$work/data"
  tar -C "$work/$name/rootfs" -xf "$rootfs_tar"
  echo "$name" >"$work/$name/rootfs/marker"
  "$hull" spec -b "$work/$name"
  python3 - "$work/$name/config.json" "$work/data" "$@" <<'PY'
import json, sys
path, data, args = sys.argv[1], sys.argv[2], sys.argv[3:]
config = json.load(open(path))
config["process"]["terminal"] = False
config["process"]["args"] = args or [
    "sh", "-c", "i=$(cat /data/count 2>/dev/null || echo 0); "
    "while :; do i=$((i+1)); echo $i > /data/count; sleep 0.1; done"]
config["root"]["readonly"] = False
config["mounts"].append({"destination": "/data", "type": "bind", "source": data,
                         "options": ["rbind", "rw"]})
json.dump(config, open(path, "w"), indent=1)
PY
}

# hull's stderr, which `run` and `restore` give the container, is a pipe too;
# what comes through goes to $work/err.
h() { "$hull" --root "$root" "$@" <&4 >&3 2> >(cat >>"$work/err"); }
status_of() { "$hull" --root "$root" state "$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
pid_of() { "$hull" --root "$root" state "$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])'; }
# The count, read again while the writer has just truncated the file.
count() {
  local n=""
  for _ in 1 2 3 4 5; do
    n=$(cat "$work/data/count" 2>/dev/null)
    [[ -n "$n" ]] && break
    sleep 0.05
  done
  echo "${n:-0}"
}
pages_bytes() { cat "$1"/pages-*.img | wc -c; }

make_bundle one
rm -f "$work/data/count"
h run -d -b "$work/one" "$prefix-a"
check "a container that counts runs" test "$(status_of "$prefix-a")" = running
sleep 2

if [[ "$mode" == host ]]; then
  : >"$work/err"
  "$hull" --root "$root" checkpoint --image-path "$work/host-img" "$prefix-a" <&4 >&3 2>"$work/err"
  rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "CRIU cannot dump on this kernel ($(uname -r)); its error as hull reports it:" >&2
    cat "$work/err" >&2
    check "the failure names criu's dump" grep -q "criu dump failed" "$work/err"
    check "the failure names criu's log" grep -q "see $work/host-img/dump.log" "$work/err"
    check "the failure quotes criu's error lines" grep -q "Error (criu/" "$work/err"
    check "a failed checkpoint leaves the container running" test "$(status_of "$prefix-a")" = running
    before=$(count); sleep 0.5
    check "and counting" test "$(count)" -gt "$before"
  else
    echo "NOTE: CRIU dumps on this kernel ($(uname -r)): the VM test covers restore" >&2
    check "a checkpointed container is stopped" test "$(status_of "$prefix-a")" = stopped
    check "the dump has images" test -e "$work/host-img/inventory.img"
  fi
  finish
  exit
fi

# 1. Checkpoint, then restore under a new id and root: the count continues.
h checkpoint --image-path "$work/img" "$prefix-a"
check "checkpoint exits 0" test $? -eq 0
check "a checkpointed container is stopped" test "$(status_of "$prefix-a")" = stopped
check "the image directory has CRIU's images" test -e "$work/img/inventory.img"
check "and the init's stdio (descriptors.json)" grep -q 'pipe:\[' "$work/img/descriptors.json"
stopped_at=$(count)
sleep 0.5
check "the checkpointed processes are gone (the count stops)" test "$(count)" -eq "$stopped_at"
check "the count had got somewhere" test "$stopped_at" -ge 10
make_bundle two
h restore -d -b "$work/two" --image-path "$work/img" --pid-file "$work/b.pid" "$prefix-b"
check "restore -d exits 0" test $? -eq 0
check "the restored container is running" test "$(status_of "$prefix-b")" = running
check "--pid-file has the restored init's pid" test "$(cat "$work/b.pid")" = "$(pid_of "$prefix-b")"
check "the restored init lives" test -d "/proc/$(pid_of "$prefix-b")"
sleep 1
after=$(count)
check "the count continues from where it stopped ($stopped_at -> $after)" test "$after" -gt "$stopped_at"
check "the restored container runs in the new root" \
  bash -c "'$hull' --root '$root' exec '$prefix-b' cat /marker </dev/null | grep -qx two"
h delete -f "$prefix-b"
h delete "$prefix-a"
check "both are deleted" test -z "$("$hull" --root "$root" list -q)"

# 2. --leave-running: the dump is made and the container goes on.
rm -f "$work/data/count"
h run -d -b "$work/one" "$prefix-c"
sleep 1
h checkpoint --leave-running --image-path "$work/img-running" "$prefix-c"
check "checkpoint --leave-running exits 0" test $? -eq 0
check "the container is still running" test "$(status_of "$prefix-c")" = running
before=$(count); sleep 0.5
check "and counting" test "$(count)" -gt "$before"
check "its dump has images" test -e "$work/img-running/inventory.img"

h delete -f "$prefix-c"

# 3. A pre-dump, then a dump on it: the second carries only what changed. The
# process holds 3 MB it never changes and forks nothing (a new process's
# memory is all new to the second dump).
make_bundle big sh -c 'x=$(head -c 3000000 /dev/zero | tr "\0" a); mkfifo /tmp/f
  while :; do read -t 1 y <>/tmp/f; done'
h run -d -b "$work/big" "$prefix-c"
sleep 2
h checkpoint --pre-dump --image-path "$work/pre" "$prefix-c"
check "checkpoint --pre-dump exits 0" test $? -eq 0
check "a pre-dumped container is still running" test "$(status_of "$prefix-c")" = running
h checkpoint --image-path "$work/full" --parent-path ../pre "$prefix-c"
check "a dump on the pre-dump exits 0" test $? -eq 0
pre_bytes=$(pages_bytes "$work/pre")
full_bytes=$(pages_bytes "$work/full")
echo "pre-dump pages: $pre_bytes bytes; dump on it: $full_bytes bytes" >&2
check "the second dump is smaller ($full_bytes < $pre_bytes bytes)" test "$full_bytes" -lt "$pre_bytes"
h restore -d -b "$work/big" --image-path "$work/full" "$prefix-d"
check "a dump on a pre-dump restores" test "$(status_of "$prefix-d")" = running
h delete -f "$prefix-d"
h delete "$prefix-c"

# 4. A paused container is checkpointed as it is.
rm -f "$work/data/count"
h run -d -b "$work/one" "$prefix-e"
sleep 1
h pause "$prefix-e"
paused_at=$(count)
h checkpoint --image-path "$work/img-paused" "$prefix-e"
check "a paused container checkpoints" test $? -eq 0
check "and is stopped" test "$(status_of "$prefix-e")" = stopped
check "it never ran meanwhile" test "$(count)" -eq "$paused_at"
h restore -d -b "$work/two" --image-path "$work/img-paused" "$prefix-f"
state_f=$(status_of "$prefix-f")
check "its checkpoint restores ($state_f)" test "$state_f" = running -o "$state_f" = paused
h delete -f "$prefix-f"
h delete "$prefix-e"

# 5. --page-server: the memory pages go to a CRIU page server, the rest to
# --image-path; put together, they restore and the count continues.
ip link set lo up 2>/dev/null || busybox ip link set lo up
mkdir -p "$work/served-pages"
criu page-server --images-dir "$work/served-pages" --address 127.0.0.1 --port 27071 \
  >"$work/page-server.log" 2>&1 &
page_server=$!
for _ in $(seq 50); do
  grep -q ':69BF 00000000:0000 0A' /proc/net/tcp 2>/dev/null && break  # 27071, listening
  sleep 0.1
done
rm -f "$work/data/count"
h run -d -b "$work/one" "$prefix-h"
sleep 1
h checkpoint --page-server 127.0.0.1:27071 --image-path "$work/img-served" "$prefix-h"
check "checkpoint --page-server exits 0" test $? -eq 0
wait "$page_server"
check "the page server ended with the dump" test $? -eq 0
check "the pages are the server's" test "$(pages_bytes "$work/served-pages")" -gt 0
check "and not in --image-path" test -z "$(ls "$work"/img-served/pages-*.img 2>/dev/null)"
served_at=$(count)
cp "$work"/served-pages/*.img "$work/img-served/"
h restore -d -b "$work/two" --image-path "$work/img-served" "$prefix-i"
check "the images and the served pages restore" test "$(status_of "$prefix-i")" = running
sleep 1
check "and the count continues ($served_at -> $(count))" test "$(count)" -gt "$served_at"
h delete -f "$prefix-i"
h delete "$prefix-h"

# 6. --lazy-pages: the dump keeps the memory and serves it from a page server
# of its own, saying on --status-fd when it is ready; the restore runs at
# once, and CRIU's lazy-pages daemon fetches the pages as they are touched.
rm -f "$work/data/count"
h run -d -b "$work/one" "$prefix-j"
sleep 1
mkfifo "$work/status"
exec 6<>"$work/status"
"$hull" --root "$root" checkpoint --lazy-pages --page-server 127.0.0.1:27072 --status-fd 6 \
  --image-path "$work/img-lazy" "$prefix-j" <&4 >&3 2>>"$work/err" &
dumper=$!
status_byte() { timeout 300 head -c 1 <&6 | od -An -tx1 | tr -d ' '; }
check "the lazy dump writes \\0 to --status-fd once it is ready" test "$(status_byte)" = 00
lazy_at=$(count)
criu lazy-pages --page-server --address 127.0.0.1 --port 27072 \
  --images-dir "$work/img-lazy" >"$work/lazy-pages.log" 2>&1 &
lazy=$!
for _ in $(seq 100); do
  [[ -S "$work/img-lazy/lazy-pages.socket" ]] && break
  sleep 0.1
done
h restore --lazy-pages -d -b "$work/two" --image-path "$work/img-lazy" "$prefix-k"
check "restore --lazy-pages exits 0" test $? -eq 0
check "the lazily restored container is running" test "$(status_of "$prefix-k")" = running
sleep 1
check "and the count continues ($lazy_at -> $(count))" test "$(count)" -gt "$lazy_at"
wait "$dumper"
check "the lazy dump ends once its pages are fetched" test $? -eq 0
wait "$lazy"
check "so does the lazy-pages daemon" test $? -eq 0
exec 6>&-
check "the dumped container is stopped" test "$(status_of "$prefix-j")" = stopped
h delete -f "$prefix-k"
h delete "$prefix-j"

# 7. A corrupt image directory: a clear error, and nothing left.
cp -r "$work/img" "$work/bad"
for image in "$work"/bad/core-*.img "$work/bad/inventory.img"; do
  head -c 64 /dev/urandom >"$image"
done
: >"$work/err"
"$hull" --root "$root" restore -d -b "$work/two" --image-path "$work/bad" "$prefix-g" \
  <&4 >&3 2>"$work/err"
check "restore from a corrupt image fails" test $? -ne 0
cat "$work/err" >&2
check "the error is criu's restore" grep -q "criu restore failed" "$work/err"
check "and names its log" grep -q "see $work/bad/restore.log" "$work/err"
check "no container is left" test -z "$("$hull" --root "$root" list -q)"
check "no cgroup is left" test -z "$(find /sys/fs/cgroup -name "*$prefix-g*" 2>/dev/null)"

if [[ $failures -ne 0 ]]; then
  echo "hull's stderr:" >&2
  cat "$work/err" >&2
fi
finish
