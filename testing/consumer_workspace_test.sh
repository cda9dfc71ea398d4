#!/usr/bin/env bash
# Builds the workspace in testing/consumer/ (which imports this one as @hull)
# with a nested Bazel and runs its program, a container on the busybox rootfs,
# so that importing Hull from another workspace keeps working. Tags: local (it
# runs Bazel in the source tree and needs root), exclusive (a second Bazel
# build wants both cores).
set -euo pipefail

# Runfiles of a local test are links into the source tree.
source_root=$(dirname "$(readlink -f "$1")")
hull="$PWD/$2"
rootfs_tar="$PWD/$3"
consumer="$source_root/testing/consumer"
# Kept between runs, so that only what changed is rebuilt.
output_root="/tmp/hull-consumer-bazel-$(id -u)"
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [[ $(id -u) -ne 0 ]]; then
  echo "FAIL: this test runs a container and needs root" >&2
  exit 1
fi
mkdir -p "$work/bundle/rootfs"
tar -xf "$rootfs_tar" -C "$work/bundle/rootfs"
"$hull" spec --bundle "$work/bundle"

cd "$consumer"
# --batch: no Bazel server outlives the test.
bazel --batch --nohome_rc --output_user_root="$output_root" \
  build --symlink_prefix="$work/bazel-" //:consumer >"$work/build.log" 2>&1 || {
  echo "FAIL: the consumer workspace does not build against @hull:" >&2
  tail -40 "$work/build.log" >&2
  exit 1
}
# A hang (say, a lock never released) fails here, not at the test timeout.
timeout 60 "$work/bazel-bin/consumer" "$work/bundle" "$work/state" >"$work/out" 2>&1 || {
  echo "FAIL: the consumer program failed:" >&2
  cat "$work/out" >&2
  exit 1
}
cat "$work/out"

expected=(
  "created"
  "hello from hull, pid 1"
  "container exited with code 0"
  "deleted: container does not exist: consumer"
)
for line in "${expected[@]}"; do
  grep -qF -- "$line" "$work/out" || { echo "FAIL: missing '$line' in the consumer's output" >&2; exit 1; }
done
echo "PASS: the consumer workspace builds against @hull and runs a container"
