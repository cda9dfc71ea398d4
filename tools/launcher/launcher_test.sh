#!/usr/bin/env bash
# The `hull` binary end to end, without root: spec, validate, usage errors,
# and runc-style error reporting (a log record plus the bare message).
set -uo pipefail

hull="$PWD/$1"
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/launcher.XXXXXX")
trap 'rm -rf "$work"' EXIT
source testing/checks.sh

# spec writes a config that validate accepts and prints back.
"$hull" spec --bundle "$work" 2>"$work/err"
check "spec exits 0" test $? -eq 0
check "spec writes config.json" test -s "$work/config.json"
"$hull" validate --bundle "$work" >"$work/out" 2>"$work/err"
check "validate accepts hull's own default config" test $? -eq 0
check "validate prints the config" grep -q '"ociVersion"' "$work/out"

# A second spec refuses to overwrite.
"$hull" spec -b "$work" 2>"$work/err"
check "spec refuses to overwrite (exit 1)" test $? -eq 1
check "spec names the existing file" grep -q "config.json exists. Remove it first" "$work/err"

# --rootless gives a user namespace.
mkdir "$work/rootless"
"$hull" spec --rootless -b "$work/rootless"
check "rootless spec has a user namespace" grep -q '"type": "user"' "$work/rootless/config.json"

# An invalid config: every violation, with its path, and exit 1.
cat >"$work/bad.json" <<'JSON'
{"ociVersion": "1.2.0", "root": {"path": "rootfs"},
 "process": {"cwd": "relative", "args": ["sh"]},
 "linux": {"namespaces": [{"type": "pid"}, {"type": "foo"}]}}
JSON
"$hull" validate "$work/bad.json" >"$work/out" 2>"$work/err"
check "validate rejects a bad config (exit 1)" test $? -eq 1
check "validate names process.cwd" grep -q "process.cwd" "$work/err"
check "validate names the bad namespace" grep -q 'linux.namespaces\[1\].type' "$work/err"

# Errors go to the --log file in JSON, and bare to stderr.
"$hull" --log "$work/log.json" --log-format json validate "$work/missing.json" 2>"$work/err"
check "a missing config exits 1" test $? -eq 1
check "the log has a JSON error record" grep -q '^{"level":"error","msg":".*missing.json' "$work/log.json"
check "stderr has the bare message" grep -q "missing.json" "$work/err"

# Usage errors.
"$hull" --nope spec 2>"$work/err"
check "an unknown global flag exits 1" test $? -eq 1
check "an unknown flag is named" grep -q "flag provided but not defined: -nope" "$work/err"
"$hull" frobnicate 2>"$work/err"
check "an unknown command exits 3, as runc's does" test $? -eq 3
check "an unknown command is runc's missing help topic" grep -q "No help topic for 'frobnicate'" "$work/err"
"$hull" help frobnicate 2>"$work/err"
check "help on an unknown command exits 3" test $? -eq 3
"$hull" --log-format xml spec 2>"$work/err"
check "a bad log format exits 1" test $? -eq 1
"$hull" --version >"$work/out"
check "--version prints the version" grep -q "^hull version " "$work/out"
check "--version prints the commit" grep -q "^commit: " "$work/out"
check "--version prints the spec version" grep -q "^spec: 1\.2\.0$" "$work/out"
"$hull" -v >"$work/out"
check "-v prints the version" grep -q "^hull version " "$work/out"
"$hull" --help >"$work/out"
check "--help lists spec" grep -q "^   spec " "$work/out"
for section in NAME USAGE VERSION COMMANDS "GLOBAL OPTIONS"; do
  check "--help has runc's $section section" grep -q "^$section:$" "$work/out"
done
"$hull" >"$work/out"
check "no command prints the help and exits 0, as runc does" test $? -eq 0
check "no command prints the help" grep -q "^COMMANDS:$" "$work/out"

# Every command of runc 1.1.5 takes -h, in runc's layout; flags after the id.
for command in checkpoint create delete events exec kill list pause ps restore resume run \
    spec start state update features; do
  "$hull" "$command" -h >"$work/out"
  check "$command -h exits 0" test $? -eq 0
  check "$command -h names it" grep -q "^   hull $command - " "$work/out"
  "$hull" help "$command" >"$work/out2"
  check "help $command is $command -h" cmp -s "$work/out" "$work/out2"
done
"$hull" --root "$work/root" kill nosuch KILL --all 2>"$work/err"
check "kill takes --all after the id" grep -q "container does not exist: nosuch" "$work/err"
"$hull" --root "$work/root" delete nosuch --force
check "delete takes --force after the id" test $? -eq 0

# Global flags runc has: accepted, refused by name where Hull cannot honour them.
"$hull" --criu /usr/sbin/criu --rootless auto --systemd-cgroup list --root-less 2>"$work/err"
check "an unknown list flag is still refused" grep -q "flag provided but not defined: -root-less" "$work/err"
"$hull" --root "$work/root" --criu /usr/sbin/criu --rootless false --systemd-cgroup list -q >"$work/out"
check "list takes --criu, --rootless false and --systemd-cgroup" test $? -eq 0
if [[ ! -d /run/systemd/system ]]; then
  "$hull" --root "$work/root" --systemd-cgroup run -b "$work" web 2>"$work/err"
  check "run --systemd-cgroup without systemd fails (exit 1)" test $? -eq 1
  check "the error names --systemd-cgroup" grep -q -- "--systemd-cgroup needs systemd" "$work/err"
fi
"$hull" --root "$work/root" --rootless true list -q >"$work/out" 2>"$work/err"
check "list takes --rootless true" test $? -eq 0
"$hull" --root "$work/root" --rootless maybe list 2>"$work/err"
check "--rootless takes true, false or auto" grep -q 'invalid --rootless value "maybe"' "$work/err"
"$hull" --root "$work/root" checkpoint --image-path "$work/img" web 2>"$work/err"
check "checkpoint of no container fails (exit 1)" test $? -eq 1
check "checkpoint's error says why" grep -q "container does not exist" "$work/err"
"$hull" --root "$work/root" restore -b "$work" --image-path "$work/img" web 2>"$work/err"
check "restore from no checkpoint fails (exit 1)" test $? -eq 1
check "restore's error names the image directory" grep -q "not a checkpoint image directory" "$work/err"
check "a refused restore leaves no container" test ! -e "$work/root/web"
"$hull" --root "$work/root" restore -b "$work" --no-pivot web 2>"$work/err"
check "restore refuses --no-pivot by name" grep -q -- "--no-pivot is not supported" "$work/err"

finish
