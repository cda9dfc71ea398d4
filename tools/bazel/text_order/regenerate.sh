#!/bin/bash
# Regenerates tools/bazel/start_path_text_order.ld from a trace of the current
# tree's optimized hull (README.md): `run` of /bin/true from the busybox
# rootfs, then `start` and `delete` of a created container. As root, from
# anywhere in the workspace:
#
#   tools/bazel/text_order/regenerate.sh
#
# Builds with -c opt (the link writes a map into a temporary directory), runs
# hull under trace_functions against a state root on a tmpfs it mounts there,
# and rewrites the script in the source tree; commit it with the figures.
set -euo pipefail

if [[ $(id -u) != 0 ]]; then
  echo "regenerate.sh: needs root (hull run, ptrace, mount)" >&2
  exit 1
fi
cd "$(bazel info workspace 2>/dev/null)"
work=$(mktemp -d /tmp/hull-text-order.XXXXXX)
id=text-order-$$
hull=$work/hull

cleanup() {
  if [[ -x $hull ]]; then
    "$hull" --root "$work/state" delete --force "$id-run" >/dev/null 2>&1 || true
    "$hull" --root "$work/state" delete --force "$id" >/dev/null 2>&1 || true
  fi
  if mountpoint -q "$work/state"; then umount "$work/state"; fi
  rm -rf "$work"
}
trap cleanup EXIT

bazel build -c opt //tools/bazel/text_order:trace_functions //testing/rootfs:busybox_rootfs
cp bazel-bin/tools/bazel/text_order/trace_functions "$work/"
# The map must be the traced binary's: a path of its own relinks hull.
bazel build -c opt --linkopt="-Wl,-Map=$work/hull.map" //tools/launcher:hull
cp bazel-bin/tools/launcher/hull "$hull"

# Every function symbol of the binary (local ones too, and the size-less
# ones of crtbeginS.o), by link-time address.
readelf -sW "$hull" | awk '$4 == "FUNC" && $7 != "UND" { print $2 }' | sort -u >"$work/functions"

mkdir -p "$work/state" "$work/bundle/rootfs" "$work/trace/run" "$work/trace/start" "$work/trace/delete"
mount -t tmpfs -o mode=0700 tmpfs "$work/state"
tar -xf bazel-bin/testing/rootfs/busybox_rootfs.tar -C "$work/bundle/rootfs"
(cd "$work/bundle" && "$hull" spec)
python3 - "$work/bundle/config.json" <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))
config['process']['args'] = ['/bin/true']
config['process']['terminal'] = False
json.dump(config, open(sys.argv[1], 'w'), indent=2)
EOF

trace() {
  local workload=$1
  shift
  (cd "$work/bundle" && "$work/trace_functions" "$work/trace/$workload" "$work/functions" "$hull" --root "$work/state" "$@")
}
trace run run "$id-run"
# create is run's first half; its init waits for start, which the tracer
# would wait for too: only start and delete are traced.
(cd "$work/bundle" && "$hull" --root "$work/state" create "$id")
trace start start "$id"
while [[ $("$hull" --root "$work/state" state "$id") != *'"stopped"'* ]]; do sleep 0.05; done
trace delete delete "$id"

python3 tools/bazel/text_order/order_sections.py --map "$work/hull.map" \
  --out tools/bazel/start_path_text_order.ld "$work/trace/run" "$work/trace/start" "$work/trace/delete"
echo "wrote tools/bazel/start_path_text_order.ld"
