#!/usr/bin/env bash
# Runs a busybox container with Hull and shows, from inside, what makes it a
# container: its own namespaces and hostname, pid 1, its own mount table, a
# reduced capability set.
# Run as root: bazel run //tools:demo
set -euo pipefail

# The commands the container runs (busybox sh), each under a heading.
readonly inside_script='
heading() { echo; echo "--- $1"; }
heading "hostname (its own UTS namespace)"
hostname
heading "namespaces (different from the host ones above)"
for ns in pid mnt uts ipc net; do echo "$ns: $(readlink /proc/self/ns/$ns)"; done
heading "pid of the shell (its own PID namespace)"
echo "pid $$"
heading "mount table (its own mount namespace, pivoted into the busybox rootfs)"
cat /proc/self/mountinfo
heading "capabilities (a reduced set)"
grep Cap /proc/self/status
heading "user"
id
heading "processes it can see"
ps -o pid,user,comm
'

die() {
  echo "demo: $*" >&2
  exit 1
}

# Files come from the runfiles tree: the current directory under `bazel run`,
# $RUNFILES_DIR under `bazel test`, or next to the script when run directly.
runfiles_root() {
  local dir
  for dir in "$0.runfiles/hull" "${RUNFILES_DIR:+$RUNFILES_DIR/hull}" "$PWD"; do
    if [[ -n $dir && -x $dir/tools/launcher/hull ]]; then
      echo "$dir"
      return
    fi
  done
  die "cannot find tools/launcher/hull in the runfiles; run me with: bazel run //tools:demo"
}

# Prints $1 as a JSON string literal.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# Rewrites the config `hull spec` prints (2-space indented, one array element
# per line): no terminal, the demo's hostname, and args replaced by $1.
adjust_config() {
  local args=$1 line in_args=0
  while IFS= read -r line; do
    if ((in_args)); then
      [[ $line =~ ^\ *\],?$ ]] && { in_args=0; echo "$line"; }
      continue
    fi
    case $line in
      '    "terminal": true,') line='    "terminal": false,' ;;
      '  "hostname": '*) line='  "hostname": "hull-demo",' ;;
      '    "args": [')
        in_args=1
        echo "$line"
        line="      $args"
        ;;
    esac
    echo "$line"
  done
}

[[ $(id -u) -eq 0 ]] || die "Hull needs root to create namespaces and mounts: run me as root"
root=$(runfiles_root)
hull=$root/tools/launcher/hull
rootfs_tar=$root/testing/rootfs/busybox_rootfs.tar
[[ -f $rootfs_tar ]] || die "missing $rootfs_tar in the runfiles"

work=$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/hull-demo.XXXXXX")
readonly id=hull-demo
cleanup() {
  "$hull" --root "$work/state" delete --force "$id" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

bundle=$work/bundle
mkdir -p "$bundle/rootfs"
tar -xf "$rootfs_tar" -C "$bundle/rootfs"
"$hull" spec --bundle "$bundle"
adjust_config "$(json_string /bin/sh), $(json_string -c), $(json_string "$inside_script")" \
  <"$bundle/config.json" >"$bundle/config.json.new"
mv "$bundle/config.json.new" "$bundle/config.json"
grep -q '"terminal": false' "$bundle/config.json" &&
  grep -q '"hostname": "hull-demo"' "$bundle/config.json" &&
  grep -q '"/bin/sh", "-c", ' "$bundle/config.json" ||
  die "could not adjust the config hull spec wrote: $(cat "$bundle/config.json")"

echo "=== On the host"
echo "hostname: $(uname -n)"
echo "this script's pid: $$"
for ns in pid mnt uts ipc net; do echo "$ns: $(readlink "/proc/$$/ns/$ns")"; done
echo "bundle: $bundle (busybox rootfs, config.json from hull spec)"
echo
echo "=== Inside the container: hull --root $work/state run -b $bundle $id"
status=0
"$hull" --root "$work/state" run --bundle "$bundle" "$id" || status=$?
echo
echo "=== The container exited with status $status"
exit "$status"
