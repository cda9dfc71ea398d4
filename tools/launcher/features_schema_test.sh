#!/usr/bin/env bash
# `hull features` against the runtime-spec's Features schema, and what its
# document must say on any host.
set -uo pipefail
hull=$1 checker=$2 schema=$3
out=$(mktemp "${TEST_TMPDIR:-/tmp}/features.XXXXXX")
trap 'rm -f "$out"' EXIT

"$hull" features >"$out" || { echo "FAIL: hull features exited $?"; exit 1; }
python3 "$checker" "$schema" <"$out" || { echo "FAIL: not valid against $schema"; cat "$out"; exit 1; }
# A broken document is refused: the checker is no rubber stamp.
if sed 's/"enabled": false/"enabled": "no"/' "$out" | python3 "$checker" "$schema" 2>/dev/null; then
  echo "FAIL: the checker accepted a string for a boolean"; exit 1
fi
python3 - "$out" <<'PY' || exit 1
import json, os, sys
doc = json.load(open(sys.argv[1]))
assert doc["ociVersionMax"] == "1.2.0", doc["ociVersionMax"]
assert doc["hooks"][0] == "prestart" and len(doc["hooks"]) == 6, doc["hooks"]
assert "rbind" in doc["mountOptions"] and "tmpcopyup" in doc["mountOptions"]
assert {"idmap", "ridmap"} <= set(doc["mountOptions"]), doc["mountOptions"]
assert doc["linux"]["mountExtensions"]["idmap"]["enabled"] is True
linux = doc["linux"]
assert {"mount", "pid", "network", "ipc", "uts"} <= set(linux["namespaces"]), linux["namespaces"]
assert linux["capabilities"][0] == "CAP_CHOWN", linux["capabilities"][:1]
# The systemd driver where systemd is the host's init, for rootless
# containers too (the user's systemd).
assert linux["cgroup"]["systemd"] is os.path.isdir("/run/systemd/system"), linux["cgroup"]
assert linux["cgroup"]["systemdUser"] is linux["cgroup"]["systemd"], linux["cgroup"]
seccomp = linux["seccomp"]
assert seccomp["enabled"] is True and "SCMP_ACT_ERRNO" in seccomp["actions"], seccomp
assert "SCMP_CMP_MASKED_EQ" in seccomp["operators"] and "SCMP_ARCH_X86_64" in seccomp["archs"], seccomp
assert set(seccomp["supportedFlags"]) <= set(seccomp["knownFlags"]), seccomp
assert "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" in seccomp["knownFlags"], seccomp
assert linux["apparmor"]["enabled"] in (True, False) and linux["selinux"]["enabled"] in (True, False)
assert doc["annotations"]["org.hull.version"], doc["annotations"]
PY
echo "PASS"
