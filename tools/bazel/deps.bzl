"""hull_dependencies(): every external repository Hull builds with.

Called from Hull's WORKSPACE and from any workspace that imports Hull:

    local_repository(name = "hull", path = "...")
    load("@hull//tools/bazel:deps.bzl", "hull_dependencies")
    hull_dependencies()

Each repository reads a Debian package that tools/bootstrap.sh installs;
nothing is downloaded.
"""

load(":debian_repositories.bzl", "debian_rules_cc", "files_repository", "pkg_config_repository")

# Abseil targets under their upstream labels, so that code reads as it would
# against Abseil's own Bazel build.
_ABSEIL = {
    "absl/algorithm:container": "absl_algorithm_container",
    "absl/base:core_headers": "absl_core_headers",
    "absl/cleanup:cleanup": "absl_cleanup",
    "absl/container:flat_hash_map": "absl_flat_hash_map",
    "absl/container:flat_hash_set": "absl_flat_hash_set",
    "absl/functional:function_ref": "absl_function_ref",
    "absl/status:status": "absl_status",
    "absl/status:statusor": "absl_statusor",
    "absl/strings:strings": "absl_strings",
    "absl/strings:str_format": "absl_str_format",
    "absl/synchronization:synchronization": "absl_synchronization",
    "absl/time:time": "absl_time",
    "absl/types:optional": "absl_optional",
    "absl/types:span": "absl_span",
}

def _maybe(rule, name, **kwargs):
    if name not in native.existing_rules():
        rule(name = name, **kwargs)

def hull_dependencies():
    # Bazel's own rule repositories, from Debian's bazel-* packages.
    _maybe(native.local_repository, "rules_java", path = "/usr/share/bazel/rules/java")
    _maybe(native.local_repository, "platforms", path = "/usr/share/bazel/tools/platforms")
    _maybe(native.local_repository, "bazel_skylib", path = "/usr/share/bazel/tools/skylib")
    _maybe(debian_rules_cc, "rules_cc")

    # Every test rule depends on these; coverage is not offered offline.
    _maybe(
        files_repository,
        "remote_coverage_tools",
        build_file = Label("//tools/bazel/coverage:BUILD.repository"),
        files = {Label("//tools/bazel/coverage:unavailable.sh"): "unavailable.sh"},
    )

    # Their headers include <iostream>: the library's own replaces it (its
    # iostream file says why).
    standard_streams = ["@hull//tools/bazel/standard_streams"]
    _maybe(pkg_config_repository, "com_google_absl", libraries = _ABSEIL, deps = standard_streams)
    _maybe(
        pkg_config_repository,
        "com_google_protobuf",
        libraries = {":protobuf": "protobuf"},
        deps = standard_streams,
        extra_build = Label("//tools/bazel/protobuf:BUILD.extra"),
        extra_files = {Label("//tools/bazel/protobuf:protoc_wrapper.cc"): "protoc_wrapper.cc"},
    )
    _maybe(
        pkg_config_repository,
        "com_google_googletest",
        libraries = {
            ":gtest": "gtest",
            ":gtest_main": "gtest_main",
            ":gmock": "gmock",
            ":gmock_main": "gmock_main",
        },
    )
    _maybe(
        pkg_config_repository,
        "com_github_google_glog",
        libraries = {":glog": "libglog"},
        # glog looks the user up before main, for log file names Hull never
        # writes (//tools/bazel/glog:no_user_lookup.cc says what it costs),
        # and loads libunwind.so.8 and liblzma.so.5 for the stack trace of a
        # failed CHECK, which GCC's unwinder takes (stack_trace.cc); and it
        # registers its flags with gflags, whose command line Hull never
        # parses (no_flag_registration.cc).
        static_renames = {"glog": [
            "getpwuid_r=hull_glog_getpwuid_r",
            "_Ux86_64_getcontext=hull_glog_unw_getcontext",
            "_ULx86_64_init_local=hull_glog_unw_init_local",
            "_ULx86_64_get_reg=hull_glog_unw_get_reg",
            "_ULx86_64_step=hull_glog_unw_step",
            "_ZN6google14FlagRegistererC1IbEEPKcS3_S3_PT_S5_=hull_glog_register_bool_flag",
            "_ZN6google14FlagRegistererC1IiEEPKcS3_S3_PT_S5_=hull_glog_register_int32_flag",
            "_ZN6google14FlagRegistererC1IjEEPKcS3_S3_PT_S5_=hull_glog_register_uint32_flag",
            "_ZN6google14FlagRegistererC1INSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEEPKcS9_S9_PT_SB_=hull_glog_register_string_flag",
        ]},
        static_replaced = ["unwind", "gflags"],
        static_srcs = {":glog": ["no_user_lookup.cc", "stack_trace.cc", "no_flag_registration.cc"]},
        extra_files = {
            Label("//tools/bazel/glog:no_user_lookup.cc"): "no_user_lookup.cc",
            Label("//tools/bazel/glog:stack_trace.cc"): "stack_trace.cc",
            Label("//tools/bazel/glog:no_flag_registration.cc"): "no_flag_registration.cc",
        },
    )
    _maybe(pkg_config_repository, "libseccomp", libraries = {":libseccomp": "libseccomp"})
    _maybe(pkg_config_repository, "libcap", libraries = {":libcap": "libcap"})

    # sd-bus's headers only: libsystemd.so.0 is dlopen'ed by the systemd
    # cgroup driver when it is used (cgroups/systemd/sd_bus_unit_client.cc),
    # so that no other `hull` start loads it and what it links.
    _maybe(
        native.new_local_repository,
        "libsystemd_headers",
        path = "/usr/include/systemd",
        build_file_content = """cc_library(
    name = "sd_bus",
    hdrs = glob(["*.h"]),
    include_prefix = "systemd",
    visibility = ["//visibility:public"],
)
""",
    )
