#!/usr/bin/env python3
"""Generates config/fuzz/corpus/malformed/gen_*.json: damaged copies of
corpus/valid/full_config.json, one class of damage per name prefix, and
corpus/expected_errors.tsv: for each generated file, a substring its error
must contain (corpus_test.cc checks it). Deterministic: rerun after changing
it, and commit what it writes.

  python3 config/fuzz/generate_corpus.py
"""

import copy
import gzip
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
MALFORMED = os.path.join(CORPUS, "malformed")
PREFIX = "gen_"
MAX_DEPTH = 100  # config/json_reader.h kMaxJsonNestingDepth


class Raw:
    """JSON text put into the document as is (what json.dumps cannot write)."""

    def __init__(self, text):
        self.text = text


def dumps(document):
    """json.dumps, with each Raw value written as its text."""
    raws = []

    def replace(value):
        if isinstance(value, Raw):
            raws.append(value.text)
            return "\x00RAW%d\x00" % (len(raws) - 1)
        if isinstance(value, dict):
            return {key: replace(item) for key, item in value.items()}
        if isinstance(value, list):
            return [replace(item) for item in value]
        return value

    text = json.dumps(replace(document), indent=2, ensure_ascii=False)
    return re.sub(r'"\\u0000RAW(\d+)\\u0000"', lambda m: raws[int(m.group(1))], text)


def parse_path(path):
    """"linux.uidMappings[0].hostID" -> ["linux", "uidMappings", 0, "hostID"]."""
    steps = []
    for part in path.split("."):
        name, *indexes = part.split("[")
        if name:
            steps.append(name)
        steps.extend(int(index.rstrip("]")) for index in indexes)
    return steps


def with_value(base, path, value):
    document = copy.deepcopy(base)
    steps = parse_path(path)
    node = document
    for step in steps[:-1]:
        if isinstance(step, str) and step not in node:
            node[step] = {}
        node = node[step]
    node[steps[-1]] = value
    return document


def main():
    with open(os.path.join(CORPUS, "valid", "full_config.json"), encoding="utf-8") as f:
        base_text = f.read()
    base = json.loads(base_text)
    files = {}  # name -> (bytes, expected substring)

    def add(name, data, expected):
        if isinstance(data, str):
            data = data.encode("utf-8")
        assert name not in files, name
        files[PREFIX + name + ".json"] = (data, expected)

    # Truncation anywhere before the closing brace leaves the document open.
    pretty = dumps(base).encode("utf-8")
    for i in range(24):
        cut = 1 + (len(pretty) - 2) * i // 23
        add("truncated_at_%d" % cut, pretty[:cut], "invalid JSON")

    # A value of the wrong JSON type, in each kind of field.
    wrong_types = [
        ("ociVersion", 1),
        ("process.terminal", "false"),
        ("process.consoleSize", [25, 80]),
        ("process.user.uid", "0"),
        ("process.user.gid", True),
        ("process.user.additionalGids", 5),
        ("process.user.additionalGids[0]", "5"),
        ("process.args", "sh -c true"),
        ("process.args[0]", 7),
        ("process.env", {"PATH": "/bin"}),
        ("process.cwd", ["/"]),
        ("process.capabilities.bounding", "CAP_KILL"),
        ("process.capabilities", ["CAP_KILL"]),
        ("process.rlimits", {"type": "RLIMIT_NOFILE"}),
        ("process.rlimits[1].hard", "1024"),
        ("process.noNewPrivileges", 1),
        ("process.oomScoreAdj", "-100"),
        ("root", "rootfs"),
        ("root.readonly", "yes"),
        ("hostname", 7),
        ("mounts", {"destination": "/proc"}),
        ("mounts[0].options", "nosuid"),
        ("mounts[0]", "/proc"),
        ("hooks.prestart", {"path": "/bin/true"}),
        ("hooks.prestart[0].timeout", "5"),
        ("annotations", ["com.example.key1"]),
        ("annotations.com\\.example\\.key1", 1),
        ("linux.namespaces[0]", "pid"),
        ("linux.uidMappings[0].hostID", "1000"),
        ("linux.sysctl", ["net.ipv4.ip_forward=1"]),
        ("linux.maskedPaths", "/proc/kcore"),
        ("linux.resources.devices[0].allow", "false"),
        ("linux.resources.memory.limit", "512M"),
        ("linux.resources.cpu.cpus", 2),
        ("linux.resources.pids", 32771),
        ("linux.resources.unified", [["io.max", "8:0 rbps=1"]]),
        ("linux.seccomp.syscalls", {"names": ["getcwd"]}),
        ("linux.seccomp.architectures", "SCMP_ARCH_X86_64"),
    ]
    for path, value in wrong_types:
        if path.startswith("annotations.com"):
            document = copy.deepcopy(base)
            document["annotations"]["com.example.key1"] = value
            expected = 'annotations["com.example.key1"]: '
        else:
            document = with_value(base, path, value)
            expected = path + ": "
        add("wrong_type_" + re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_").lower(),
            dumps(document), expected)

    # Numbers out of their field's range.
    huge_numbers = [
        ("process.user.uid", "4294967296"),
        ("process.user.gid", "-1"),
        ("process.user.umask", "100000000000000000000"),
        ("process.consoleSize.width", "4294967296"),
        ("process.oomScoreAdj", "2147483648"),
        ("process.oomScoreAdj", "-2147483649"),
        ("process.rlimits[0].hard", "18446744073709551616"),
        ("process.rlimits[0].soft", "-1"),
        ("linux.uidMappings[0].size", "4294967296"),
        ("linux.resources.memory.limit", "9223372036854775808"),
        ("linux.resources.memory.swap", "-9223372036854775809"),
        ("linux.resources.pids.limit", "1" + "0" * 40),
        ("linux.resources.cpu.shares", "18446744073709551616"),
        ("linux.resources.cpu.quota", "1e400"),
        ("linux.resources.blockIO.weight", "4294967296"),
        ("linux.seccomp.syscalls[2].args[0].value", "18446744073709551616"),
        ("linux.seccomp.defaultErrnoRet", "-1"),
    ]
    for index, (path, literal) in enumerate(huge_numbers):
        name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_").lower()
        add("out_of_range_%02d_%s" % (index, name), dumps(with_value(base, path, Raw(literal))),
            path + ": ")

    # Invalid UTF-8 in strings and keys.
    bad_sequences = {
        "continuation": b"\x80",
        "overlong_slash": b"\xc0\xaf",
        "overlong_nul": b"\xc0\x80",
        "surrogate": b"\xed\xa0\x80",
        "above_max": b"\xf4\x90\x80\x80",
        "byte_fe": b"\xfe",
        "truncated_3byte": b"\xe2\x82",
        "truncated_4byte": b"\xf0\x9f\x98",
    }
    marker = "\x01BAD\x01"
    places = [
        ("hostname", "process.args[0]"),
        ("process.env[1]", "process.env[1]"),
        ("mounts[0].destination", "mounts[0].destination"),
        ("linux.cgroupsPath", "linux.cgroupsPath"),
    ]
    for index, (name, sequence) in enumerate(sorted(bad_sequences.items())):
        path = places[index % len(places)][0]
        text = dumps(with_value(base, path, "x" + marker + "y")).encode("utf-8")
        text = text.replace(marker.encode("utf-8").replace(b"\x01", b"\\u0001"), sequence)
        add("invalid_utf8_%s_in_%s" % (name, re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_")),
            text, "not valid UTF-8")
    # In a key: an annotation's, and an unknown field's (ignored, but read).
    for where, document in [
        ("annotation_key", with_value(base, "annotations", {"k" + marker: "v"})),
        ("unknown_field_name", with_value(base, "process.x" + marker, 1)),
    ]:
        text = dumps(document).encode("utf-8")
        text = text.replace(marker.encode("utf-8").replace(b"\x01", b"\\u0001"), b"\xff")
        add("invalid_utf8_in_" + where, text, "not valid UTF-8")

    # Nesting one level deeper than the reader allows, in different places.
    def nested(depth, kind):
        return ("[" * depth + "]" * depth) if kind == "array" else ('{"a":' * depth + "1" + "}" * depth)

    for path, depth_before in [("linux.resources.x-unknown", 3), ("process.x-unknown", 2),
                               ("linux.x-unknown", 2), ("x-unknown", 1)]:
        for kind in ("array", "object"):
            value = Raw(nested(MAX_DEPTH - depth_before + 1, kind))
            add("too_deep_%s_in_%s" % (kind, re.sub(r"[^a-z]+", "_", path.lower()).strip("_")),
                dumps(with_value(base, path, value)), "nesting deeper than %d levels" % MAX_DEPTH)

    # The same key twice in one object, at each level.
    for path, key in [("", "hostname"), ("process", "cwd"), ("process.user", "uid"),
                      ("root", "path"), ("linux", "namespaces"), ("linux.resources.memory", "limit"),
                      ("annotations", "com.example.key1"), ("mounts[0]", "type"),
                      ("linux.seccomp", "defaultAction"), ("process", "x-unknown")]:
        # Repeat the key of the object at `path` as its last member.
        document = copy.deepcopy(base)
        node = document
        for step in parse_path(path) if path else []:
            node = node[step]
        node.setdefault(key, 1)  # an unknown field: in twice all the same
        value = node[key]
        marker_key = "\x02DUP\x02"
        node[marker_key] = value
        text = dumps(document)
        member = json.dumps(key) + ": " + json.dumps(value)
        encoded_marker = json.dumps(marker_key, ensure_ascii=False)
        text = re.sub(re.escape(encoded_marker) + r": .*?(?=,\n|\n)",
                      lambda m: member.replace("\\", "\\\\"), text, count=1, flags=re.S)
        # Multi-line values: rewrite from the parsed dict instead.
        if encoded_marker in text:
            raise SystemExit("cannot duplicate %s.%s" % (path, key))
        add("duplicate_key_%s_%s" % (re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_") or "top",
                                      re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")),
            text, 'duplicate key "%s"' % key)

    # Not JSON text at all.
    rng = random.Random(9)
    for index in range(6):
        add("binary_random_%d" % index, bytes(rng.randrange(256) for _ in range(64 + 97 * index)),
            "")
    add("binary_gzip", gzip.compress(base_text.encode("utf-8"), mtime=0), "")
    add("binary_utf16le", base_text.encode("utf-16-le"), "invalid JSON")
    add("binary_utf32_bom", base_text.encode("utf-32"), "")
    add("binary_elf_header", b"\x7fELF\x02\x01\x01" + bytes(57), "invalid JSON")
    add("binary_nul_bytes", bytes(128), "invalid JSON")
    add("binary_protobuf_wire", b"\x0a\x05\x31\x2e\x32\x2e\x30\x1a\x08\x0a\x06rootfs", "invalid JSON")
    # Control characters and NULs where paths go.
    add("raw_control_in_hostname", dumps(with_value(base, "hostname", Raw('"a\x07b"'))),
        "control characters in strings must be escaped")
    add("nul_escape_in_mount_destination",
        dumps(with_value(base, "mounts[0].destination", Raw('"/pr\\u0000oc"'))), "NUL")
    add("nul_escape_in_root_path", dumps(with_value(base, "root.path", Raw('"rootfs\\u0000"'))), "NUL")

    for name in os.listdir(MALFORMED):
        if name.startswith(PREFIX):
            os.remove(os.path.join(MALFORMED, name))
    for name, (data, _) in sorted(files.items()):
        with open(os.path.join(MALFORMED, name), "wb") as f:
            f.write(data)
    with open(os.path.join(CORPUS, "expected_errors.tsv"), "w", encoding="utf-8") as f:
        f.write("# Written by generate_corpus.py: file in malformed/, TAB, a substring of its\n"
                "# error (empty: any error that names the file).\n")
        for name, (_, expected) in sorted(files.items()):
            f.write("%s\t%s\n" % (name, expected))
    print("wrote %d files" % len(files))


if __name__ == "__main__":
    main()
