"""The root integration suite's tests: each drives the real `hull` binary."""

load("//testing/vm:vm_test.bzl", "vm_test")

# What the suite's tests use: the harness and its main(), the config message,
# test files, gtest/gmock, absl strings and time, protobuf (text format).
_COMMON_DEPS = [
    ":hull_harness",
    ":hull_test_main",
    "//config:runtime_spec_cc_proto",
    "//testing:files",
    "@com_google_absl//absl/strings",
    "@com_google_absl//absl/time",
    "@com_google_googletest//:gmock",
    "@com_google_googletest//:gtest",
    "@com_google_protobuf//:protobuf",
]

def _with_common(deps):
    return _COMMON_DEPS + [dep for dep in deps if dep not in _COMMON_DEPS]

def hull_test(name, deps = [], data = []):
    """A test of hull on this host, from `name`.cc.

    Root, real namespaces and mounts: outside Bazel's sandbox, one test at a
    time; "medium" (5 minutes) because a loaded machine can take over a minute
    for a suite of real containers.
    """
    native.cc_test(
        name = name,
        size = "medium",
        srcs = [name + ".cc"],
        args = ["$(location //tools/launcher:hull)"],
        data = ["//tools/launcher:hull"] + data,
        tags = [
            "exclusive",
            "local",
        ],
        deps = _with_common(deps),
    )

def hull_vm_test(name, deps = [], systemd = False):
    """A test of hull in the VM (testing/vm), from `name`.cc.

    `name` is the test binary (manual: it does not run on this host);
    `name` without its "_test", plus "_vm_test", runs it in one boot of the
    VM (with systemd as its PID 1 if `systemd`).
    """
    native.cc_test(
        name = name,
        size = "medium",
        srcs = [name + ".cc"],
        tags = ["manual"],
        deps = _with_common(deps),
    )
    vm_test(
        name = name[:-len("_test")] + "_vm_test",
        size = "medium",
        data = ["//tools/launcher:hull"],
        systemd = systemd,
        test_args = ["$(rootpath //tools/launcher:hull)"],
        test_binary = ":" + name,
    )
