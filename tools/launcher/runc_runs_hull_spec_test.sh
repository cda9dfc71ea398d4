#!/usr/bin/env bash
# `hull spec` writes a config that Debian's runc runs on the busybox rootfs.
# Needs root and runc (tools/bootstrap.sh installs it); tags: local, exclusive.
set -euo pipefail

hull="$PWD/$1"
rootfs_tar="$PWD/$2"
runc=/usr/sbin/runc
if [[ $(id -u) -ne 0 || ! -x $runc ]]; then
  echo "FAIL: this test needs root and $runc (run tools/bootstrap.sh as root)" >&2
  exit 1
fi

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/runc-spec.XXXXXX")
id="hull-spec-test-$$"
cleanup() {
  "$runc" --root "$work/state" delete --force "$id" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/bundle" "$work/bundle/rootfs"
tar -xf "$rootfs_tar" -C "$work/bundle/rootfs"
"$hull" spec --bundle "$work/bundle"

# No terminal here, and a command whose output proves it ran inside.
sed -i -e 's/"terminal": true/"terminal": false/' \
       -e 's/^\( *\)"sh"$/\1"sh", "-c", "echo inside:$(hostname):$$"/' "$work/bundle/config.json"
grep -q '"echo inside' "$work/bundle/config.json" || {
  echo "FAIL: could not set the process args in the generated config.json" >&2
  cat "$work/bundle/config.json" >&2
  exit 1
}

output=$("$runc" --root "$work/state" run --bundle "$work/bundle" "$id" 2>&1) || {
  echo "FAIL: runc run rejected hull's config: $output" >&2
  exit 1
}
expected="inside:hull:1"
if [[ "$output" != "$expected" ]]; then
  echo "FAIL: expected '$expected' from the container, got '$output'" >&2
  exit 1
fi
echo "PASS: runc ran hull's default config: $output"
