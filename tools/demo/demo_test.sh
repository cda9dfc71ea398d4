#!/usr/bin/env bash
# Runs the demo and checks that its output shows a container: the demo's
# hostname, the shell as pid 1, the rootfs mounted at /, a reduced
# capability set, root inside. Needs root; tags: local, exclusive.
set -euo pipefail

demo="$PWD/$1"
if [[ $(id -u) -ne 0 ]]; then
  echo "FAIL: this test needs root (it runs a container)" >&2
  exit 1
fi

status=0
output=$("$demo" 2>&1) || status=$?
echo "$output"
if ((status != 0)); then
  echo "FAIL: the demo exited with status $status" >&2
  exit 1
fi

failures=0
expect() {  # expect DESCRIPTION EXTENDED-REGEX: some line of the output matches
  if ! grep -Eq -- "$2" <<<"$output"; then
    echo "FAIL: no line shows $1 (/$2/)" >&2
    failures=$((failures + 1))
  fi
}
expect "the container's hostname" '^hull-demo$'
expect "the shell as pid 1" '^pid 1$'
expect "the rootfs mounted at /" '^[0-9]+ [0-9]+ [0-9]+:[0-9]+ [^ ]+/bundle/rootfs / '
expect "a proc mount at /proc" '^[0-9]+ [0-9]+ [0-9]+:[0-9]+ / /proc .* - proc '
expect "the effective capabilities" '^CapEff:[[:space:]]+[0-9a-f]{16}$'
expect "root inside" '^uid=0\(root\) gid=0\(root\)'
expect "the demo's exit status" '^=== The container exited with status 0$'
# The host section prints its namespaces first, the container its own after.
for ns in pid mnt uts; do
  ids=$(grep -E "^$ns: $ns:\[[0-9]+\]\$" <<<"$output" | sort -u | wc -l)
  if ((ids != 2)); then
    echo "FAIL: expected two different $ns namespaces (host, container), saw $ids" >&2
    failures=$((failures + 1))
  fi
done
if grep -Eq '^CapEff:[[:space:]]+000001ffffffffff$' <<<"$output"; then
  echo "FAIL: the container kept every capability" >&2
  failures=$((failures + 1))
fi
((failures == 0)) || exit 1
echo "PASS: the demo ran a container"
