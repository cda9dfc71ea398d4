#!/usr/bin/env python3
"""Writes the state file corpus of container "fuzz": corpus/valid/*.textproto,
states Hull saves, and corpus/malformed/gen_*.textproto, damaged ones, one
class of damage per name prefix, with corpus/expected_errors.tsv: for each
damaged file, a substring its error must contain (corpus_test.cc checks it).
Deterministic: rerun after changing it, and commit what it writes.

  python3 statemachine/fuzz/generate_corpus.py
"""

import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
PREFIX = "gen_"

HEADER = ("# proto-file: statemachine/state.proto\n"
          "# proto-message: hull.statemachine.ContainerState\n")

# The fields before the config, as StateFileText writes them.
HEAD = """id: "fuzz"
bundle: "/srv/bundles/fuzz"
status: STATE_RUNNING
pid: 4242
pid_start_time: 987654
created_unix_nanos: 1764729600123456789
owner {
  uid: 1000
  user_name: "builder"
}
annotations {
  key: "org.example.team"
  value: "storage"
}
cgroup_paths {
  key: ""
  value: "/sys/fs/cgroup/hull/fuzz"
}
cgroup_created_paths {
  key: ""
  value: "/sys/fs/cgroup/hull/fuzz"
}
"""

CONFIG = """config {
  oci_version: "1.2.0"
  process {
    user {
      uid: 1000
      gid: 1000
      additional_gids: 5
    }
    args: "sh"
    args: "-c"
    args: "echo \\"hello\\" \\303\\251"
    env: "PATH=/usr/sbin:/usr/bin:/sbin:/bin"
    cwd: "/"
    capabilities {
      bounding: "CAP_KILL"
      effective: "CAP_KILL"
    }
    rlimits {
      type: "RLIMIT_NOFILE"
      hard: 1024
      soft: 1024
    }
    no_new_privileges: true
    oom_score_adj: -100
  }
  root {
    path: "rootfs"
    readonly: true
  }
  hostname: "fuzz"
  mounts {
    destination: "/proc"
    type: "proc"
    source: "proc"
  }
  mounts {
    destination: "/tmp"
    type: "tmpfs"
    source: "tmpfs"
    options: "nosuid"
    options: "size=65536k"
  }
  annotations {
    key: "org.example.key"
    value: "value"
  }
  linux {
    uid_mappings {
      container_id: 0
      host_id: 100000
      size: 65536
    }
    resources {
      memory {
        limit: 536870912
      }
    }
    cgroups_path: "/hull/fuzz"
    namespaces {
      type: "pid"
    }
    namespaces {
      type: "mount"
    }
    seccomp {
      default_action: "SCMP_ACT_ERRNO"
      architectures: "SCMP_ARCH_X86_64"
      syscalls {
        names: "getcwd"
        action: "SCMP_ACT_ALLOW"
        args {
          index: 0
          value: 4096
          op: "SCMP_CMP_LE"
        }
      }
    }
    masked_paths: "/proc/kcore"
  }
}
"""

FULL = HEADER + HEAD + CONFIG


def replace_line(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


def main():
    valid = {
        "running_full": FULL,
        "minimal_creating": 'id: "fuzz"\nstatus: STATE_CREATING\n',
        "created": HEADER + 'id: "fuzz"\nbundle: "/b"\nstatus: STATE_CREATED\npid: 1\n',
        "paused": replace_line(HEAD, "STATE_RUNNING", "STATE_PAUSED"),
        "stopped_without_pid": 'id: "fuzz"\nstatus: STATE_STOPPED\nbundle: "/srv/b"\n',
        "fields_reordered": CONFIG + 'pid: 7\nstatus: STATE_RUNNING\nid: "fuzz"\n',
        "one_line_with_semicolons": 'id: "fuzz"; status: STATE_RUNNING; pid: 0x10; owner < uid: 0 >',
        "escapes_in_strings": 'id: "fu\\172z"\nstatus: 3\nbundle: "/srv/\\377\\x01b"\n',
    }
    malformed = {}  # name -> (bytes, expected substring)

    def add(name, data, expected):
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = PREFIX + name + ".textproto"
        assert name not in malformed, name
        malformed[name] = (data, expected)

    def add_edits(prefix, edits):
        """One file per (name, old, new, expected): FULL with old made new."""
        for name, old, new, expected in edits:
            add(prefix + name, replace_line(FULL, old, new), expected)

    # Truncated inside a token or an open message: the parser stops there.
    full = FULL.encode("utf-8")
    cuts = []
    depth = 0
    in_string = False
    for index, byte in enumerate(full):
        if in_string:
            if byte == ord("\\"):
                continue
            if byte == ord('"') and full[index - 1] != ord("\\"):
                in_string = False
        elif byte == ord('"'):
            in_string = True
        elif byte == ord("{"):
            depth += 1
        elif byte == ord("}"):
            depth -= 1
        if (in_string or depth > 0) and index > len(HEADER):
            cuts.append(index + 1)
    for cut in cuts[:: max(1, len(cuts) // 24)][:24]:
        add("truncated_at_%d" % cut, full[:cut], "corrupt state file")

    # A value of the wrong type.
    wrong_types = [
        ("id_number", 'id: "fuzz"', "id: 5", "id"),
        ("id_identifier", 'id: "fuzz"', "id: fuzz", "id"),
        ("bundle_number", 'bundle: "/srv/bundles/fuzz"', "bundle: 42", "bundle"),
        ("pid_string", "pid: 4242", 'pid: "4242"', "pid"),
        ("pid_float", "pid: 4242", "pid: 4242.5", "pid"),
        ("pid_bool", "pid: 4242", "pid: true", "pid"),
        ("pid_message", "pid: 4242", "pid { value: 4242 }", "pid"),
        ("start_time_negative", "pid_start_time: 987654", "pid_start_time: -1", "pid_start_time"),
        ("start_time_float", "pid_start_time: 987654", "pid_start_time: 1e6", "pid_start_time"),
        ("created_string", "created_unix_nanos: 1764729600123456789",
         'created_unix_nanos: "yesterday"', "created_unix_nanos"),
        ("owner_scalar", "owner {\n  uid: 1000\n  user_name: \"builder\"\n}", 'owner: "builder"',
         "owner"),
        ("owner_uid_negative", "  uid: 1000\n  user_name", "  uid: -1\n  user_name", "uid"),
        ("annotations_scalar", "annotations {\n  key: \"org.example.team\"\n  value: \"storage\"\n}",
         'annotations: "org.example.team=storage"', "annotations"),
        ("annotation_value_number", 'value: "storage"', "value: 7", "value"),
        ("cgroup_paths_list", 'cgroup_paths {\n  key: ""\n  value: "/sys/fs/cgroup/hull/fuzz"\n}',
         'cgroup_paths: ["/sys/fs/cgroup/hull/fuzz"]', "cgroup_paths"),
        ("config_scalar", CONFIG, 'config: "{}"\n', "config"),
        ("config_terminal_number", "    args: \"sh\"", "    terminal: 2\n    args: \"sh\"",
         "terminal"),
        ("config_args_number", 'args: "sh"', "args: 5", "args"),
        ("config_readonly_string", "readonly: true", 'readonly: "yes"', "readonly"),
        ("config_hostname_number", 'hostname: "fuzz"', "hostname: 1", "hostname"),
        ("config_namespaces_scalar", '    namespaces {\n      type: "pid"\n    }',
         '    namespaces: "pid"', "namespaces"),
        ("config_memory_limit_string", "limit: 536870912", 'limit: "512M"', "limit"),
        ("config_seccomp_index_negative", "index: 0", "index: -1", "index"),
    ]
    add_edits("wrong_type_", wrong_types)

    # Enums: only STATE_CREATING to STATE_STOPPED, by name or number.
    for name, value, expected in [
        ("unknown_name", "STATE_DANCING", "STATE_DANCING"),
        ("lower_case", "state_running", "state_running"),
        ("prefix_missing", "RUNNING", "RUNNING"),
        ("unspecified", "STATE_UNSPECIFIED", "no valid status"),
        ("zero", "0", "no valid status"),
        ("number_too_high", "6", "no valid status"),
        ("number_huge", "2147483648", "status"),
        ("negative", "-1", "no valid status"),
        ("string", '"STATE_RUNNING"', "status"),
        ("float", "3.0", "status"),
        ("empty", "", "status"),
    ]:
        add("bad_status_" + name, replace_line(FULL, "status: STATE_RUNNING",
                                               "status: " + value), expected)

    # Numbers out of their field's range.
    add_edits("out_of_range_", [
        ("pid_int32_max_plus_1", "pid: 4242", "pid: 2147483648", "pid"),
        ("pid_uint32_max", "pid: 4242", "pid: 4294967295", "pid"),
        ("pid_40_digits", "pid: 4242", "pid: " + "9" * 40, "pid"),
        ("pid_hex_too_large", "pid: 4242", "pid: 0x100000000", "pid"),
        ("start_time_uint64_max_plus_1", "pid_start_time: 987654",
         "pid_start_time: 18446744073709551616", "pid_start_time"),
        ("created_int64_max_plus_1", "created_unix_nanos: 1764729600123456789",
         "created_unix_nanos: 9223372036854775808", "created_unix_nanos"),
        ("created_int64_min_minus_1", "created_unix_nanos: 1764729600123456789",
         "created_unix_nanos: -9223372036854775809", "created_unix_nanos"),
        ("owner_uid_uint32_max_plus_1", "  uid: 1000\n  user_name", "  uid: 4294967296\n  user_name",
         "uid"),
        ("config_uid_huge", "      uid: 1000\n      gid", "      uid: 99999999999\n      gid", "uid"),
        ("config_rlimit_hard_uint64_overflow", "hard: 1024", "hard: 18446744073709551616", "hard"),
        ("config_oom_score_adj_overflow", "oom_score_adj: -100", "oom_score_adj: -2147483649",
         "oom_score_adj"),
        ("config_mapping_size_overflow", "size: 65536", "size: 4294967296", "size"),
        ("config_memory_limit_overflow", "limit: 536870912", "limit: 9223372036854775808", "limit"),
        ("config_seccomp_value_overflow", "value: 4096", "value: 18446744073709551616", "value"),
    ])

    # Negative pids: kill(2) would take them for process groups.
    for value in ["-1", "-42", "-2147483648", "-0x1"]:
        add("negative_pid_" + value.replace("-", "minus_"),
            replace_line(FULL, "pid: 4242", "pid: " + value), "is negative")

    # Not the state of container "fuzz".
    for name, value in [("other", '"web"'), ("upper_case", '"FUZZ"'), ("padded", '" fuzz"'),
                        ("dot_dot", '"../fuzz"'), ("slash", '"fuzz/x"'),
                        ("nul_escape", '"fuzz\\000"'), ("prefix", '"fuz"'),
                        ("trailing_newline", '"fuzz\\n"')]:
        add("bad_id_" + name, replace_line(FULL, 'id: "fuzz"', "id: " + value),
            "belongs to container")
    add("bad_id_empty", replace_line(FULL, 'id: "fuzz"', 'id: ""'), "no id")

    # Missing fields Load needs.
    add("missing_id", replace_line(FULL, 'id: "fuzz"\n', ""), "no id")
    add("missing_status", replace_line(FULL, "status: STATE_RUNNING\n", ""), "no valid status")
    add("missing_everything_but_config", HEADER + CONFIG, "no id")
    add("empty", "", "no id")
    add("header_only", HEADER, "no id")
    add("whitespace_only", " \n\t\n", "no id")
    add("id_only", 'id: "fuzz"\n', "no valid status")

    # The same field twice.
    add_edits("duplicate_", [
        ("id", 'id: "fuzz"', 'id: "fuzz"\nid: "fuzz"', "id"),
        ("status", "status: STATE_RUNNING", "status: STATE_RUNNING\nstatus: STATE_STOPPED",
         "status"),
        ("pid", "pid: 4242", "pid: 4242\npid: 1", "pid"),
        ("bundle", 'bundle: "/srv/bundles/fuzz"', 'bundle: "/a"\nbundle: "/b"', "bundle"),
        ("owner", "owner {", "owner { uid: 1 }\nowner {", "owner"),
        ("owner_uid", "  uid: 1000\n  user_name", "  uid: 1000\n  uid: 1000\n  user_name", "uid"),
        ("config", "config {", "config { hostname: \"a\" }\nconfig {", "config"),
        ("config_hostname", 'hostname: "fuzz"', 'hostname: "fuzz"\n  hostname: "fuzz"',
         "hostname"),
        ("config_root", "  root {", "  root { path: \"/\" }\n  root {", "root"),
        ("map_entry_key", 'key: "org.example.team"', 'key: "org.example.team"\n  key: "x"', "key"),
    ])

    # Not textproto syntax.
    add_edits("syntax_", [
        ("missing_colon", 'id: "fuzz"', 'id "fuzz"', "id"),
        ("unterminated_string", 'bundle: "/srv/bundles/fuzz"', 'bundle: "/srv/bundles/fuzz',
         "String literals cannot cross line boundaries"),
        ("unclosed_message", "owner {\n  uid: 1000\n  user_name: \"builder\"\n}",
         "owner {\n  uid: 1000\n  user_name: \"builder\"\n", "corrupt state file"),
        ("extra_closing_brace", "pid: 4242", "pid: 4242\n}", "}"),
        ("unknown_field", "pid: 4242", "pid: 4242\nflavour: \"mint\"", "flavour"),
        ("reserved_field", "pid: 4242", "pid: 4242\nnamespace_paths { key: \"pid\" value: \"/x\" }",
         "namespace_paths"),
        ("unknown_config_field", "  hostname", "  hostnam: \"x\"\n  hostname", "hostnam"),
        ("field_number", 'id: "fuzz"', '1: "fuzz"', "1"),
        ("extension", "pid: 4242", "pid: 4242\n[hull.ext]: 1", "hull.ext"),
        ("json_instead", 'id: "fuzz"', '{"id": "fuzz"}', "{"),
        ("invalid_escape", 'bundle: "/srv/bundles/fuzz"', 'bundle: "/srv\\qbundles"', "escape"),
        ("bad_hex_escape", 'bundle: "/srv/bundles/fuzz"', 'bundle: "\\xZZ"', "bundle"),
        ("nested_too_deep", "config {", "owner " + "{ owner " * 200 + "{" + "}" * 201 + "\nconfig {",
         "owner"),
    ])

    # Bytes Hull never writes: its state files are ASCII (non-ASCII is escaped).
    for name, sequence in [("byte_ff", b"\xff"), ("continuation", b"\x80"),
                           ("overlong", b"\xc0\xaf"), ("surrogate", b"\xed\xa0\x80"),
                           ("truncated", b"\xe2\x82"), ("above_max", b"\xf4\x90\x80\x80")]:
        add("invalid_utf8_%s_in_bundle" % name,
            full.replace(b"/srv/bundles/fuzz", b"/srv/" + sequence + b"/fuzz"), "UTF-8")
    add("invalid_utf8_in_comment", HEADER.encode() + b"# \xff\xfe\n" + full[len(HEADER):], "UTF-8")
    add("invalid_utf8_in_field_name", full.replace(b"pid: 4242", b"p\xffid: 4242"),
        "non ascii codepoint")
    add("nul_byte_in_string", full.replace(b"/srv/bundles/fuzz", b"/srv/\x00/fuzz"),
        "corrupt state file")
    add("nul_byte_between_fields", full.replace(b"pid: 4242\n", b"pid: 4242\n\x00"),
        "corrupt state file")
    add("raw_control_character", full.replace(b"pid: 4242\n", b"pid: 4242\n\x07\n"),
        "corrupt state file")

    # Binary junk.
    rng = random.Random(9)
    for index in range(6):
        add("binary_random_%d" % index, bytes(rng.randrange(256) for _ in range(48 + 131 * index)),
            "")
    add("binary_protobuf_wire", b"\x0a\x04fuzz\x12\x02/b\x18\x03\x20\x92\x21", "corrupt state file")
    add("binary_nul_bytes", bytes(256), "corrupt state file")
    add("binary_elf_header", b"\x7fELF\x02\x01\x01" + bytes(57), "corrupt state file")
    add("binary_utf16le", FULL.encode("utf-16-le"), "corrupt state file")
    add("binary_gzip_magic", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(rng.randrange(256)
                                                                                   for _ in range(40)),
        "corrupt state file")
    add("binary_half_written", full[:len(full) // 2] + bytes(512), "corrupt state file")

    for directory in ("valid", "malformed"):
        os.makedirs(os.path.join(CORPUS, directory), exist_ok=True)
    for name in os.listdir(os.path.join(CORPUS, "malformed")):
        if name.startswith(PREFIX):
            os.remove(os.path.join(CORPUS, "malformed", name))
    for name in os.listdir(os.path.join(CORPUS, "valid")):
        os.remove(os.path.join(CORPUS, "valid", name))
    for name, text in valid.items():
        with open(os.path.join(CORPUS, "valid", name + ".textproto"), "w", encoding="utf-8") as f:
            f.write(text)
    for name, (data, _) in sorted(malformed.items()):
        with open(os.path.join(CORPUS, "malformed", name), "wb") as f:
            f.write(data)
    with open(os.path.join(CORPUS, "expected_errors.tsv"), "w", encoding="utf-8") as f:
        f.write("# Written by generate_corpus.py: file in malformed/, TAB, a substring of its\n"
                "# error (empty: any error that names the file).\n")
        for name, (_, expected) in sorted(malformed.items()):
            assert "\t" not in expected and "\n" not in expected, name
            f.write("%s\t%s\n" % (name, expected))
    print("wrote %d valid and %d malformed state files" % (len(valid), len(malformed)))


if __name__ == "__main__":
    main()
