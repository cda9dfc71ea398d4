"""Repository rules that turn Debian's installed packages into Bazel repositories.

Nothing here downloads: every rule reads files that tools/bootstrap.sh installed.
"""

def _pkg_config(ctx, module, what):
    return _run_pkg_config(ctx, module, [what])

def _pkg_config_static(ctx, module):
    return _run_pkg_config(ctx, module, ["--static", "--libs"])

def _run_pkg_config(ctx, module, what):
    result = ctx.execute(["pkg-config"] + what + [module])
    if result.return_code != 0:
        fail("pkg-config %s %s failed (run tools/bootstrap.sh): %s" % (" ".join(what), module, result.stderr))
    return [flag for flag in result.stdout.strip().replace("\n", " ").split(" ") if flag]

# Hull's `-c opt` condition; importers name the repository "hull" too.
_OPTIMIZED = "@hull//tools/bazel:optimized"

# Linked dynamically even in optimized builds: the C library's own, and
# libunwind, whose archive clashes with libgcc_eh's _Unwind_* symbols.
_ALWAYS_SHARED = ["c", "m", "pthread", "rt", "dl", "atomic", "unwind", "gcc_s"]

def _static_link_flags(ctx, module, package):
    """`pkg-config --static --libs`, with each archive Debian ships linked in.

    Loading a few dozen shared libraries (Abseil alone is 33) is half of the
    time `hull run` takes; optimized builds link them statically.

    Returns the link flags, and the archives copied into `package` with
    symbols renamed (static_renames), which the library lists as sources.
    """
    libdir = _pkg_config(ctx, module, "--variable=libdir")[0]
    flags = []
    archives = []
    for flag in _pkg_config_static(ctx, module):
        name = flag[2:] if flag.startswith("-l") else None
        archive = "%s/lib%s.a" % (libdir, name)
        if name in ctx.attr.static_replaced:
            continue
        if name and name not in _ALWAYS_SHARED and ctx.path(archive).exists:
            renames = ctx.attr.static_renames.get(name)
            if renames:
                copy = "lib%s_renamed.a" % name
                command = ["objcopy"]
                for rename in renames:
                    command.extend(["--redefine-sym", rename])
                result = ctx.execute(command + [archive, (package + "/" if package else "") + copy])
                if result.return_code != 0:
                    fail("objcopy %s: %s" % (archive, result.stderr))
                archives.append(copy)
            else:
                flags.append("-l:lib%s.a" % name)
        else:
            flags.append(flag)
    return flags, archives

def _pkg_config_repository_impl(ctx):
    # Label "pkg/path:name" -> cc_library in package pkg/path.
    packages = {}
    for label, module in ctx.attr.libraries.items():
        package, _, name = label.rpartition(":")
        cflags = _pkg_config(ctx, module, "--cflags")
        libs = _pkg_config(ctx, module, "--libs")
        static_libs, renamed_archives = _static_link_flags(ctx, module, package)
        static_srcs = renamed_archives + ctx.attr.static_srcs.get(label, [])
        defines = [f[2:] for f in cflags if f.startswith("-D")]
        copts = [f for f in cflags if not f.startswith("-D")]
        packages.setdefault(package, []).append(
            """cc_library(
    name = {name},
    defines = {defines},
    copts = {copts},
    deps = {deps},
    srcs = select({{
        {optimized}: {static_srcs},
        "//conditions:default": [],
    }}),
    alwayslink = {alwayslink},
    linkopts = select({{
        {optimized}: {static_libs},
        "//conditions:default": {libs},
    }}),
    visibility = ["//visibility:public"],
)
""".format(
                name = repr(name),
                defines = repr(defines),
                copts = repr(copts),
                deps = repr(ctx.attr.deps),
                optimized = repr(_OPTIMIZED),
                static_libs = repr(static_libs),
                static_srcs = repr(static_srcs),
                # Nothing in Hull calls what static_srcs define: the
                # renamed archives do, and they come after in the link.
                alwayslink = repr(bool(ctx.attr.static_srcs.get(label))),
                libs = repr(libs),
            ),
        )
    if ctx.attr.extra_build:
        packages.setdefault("", []).append(ctx.read(ctx.attr.extra_build))
    for package, rules in packages.items():
        path = package + "/BUILD.bazel" if package else "BUILD.bazel"
        ctx.file(path, "# Generated from pkg-config; do not edit.\n\n" + "\n".join(rules))
    if "" not in packages:
        ctx.file("BUILD.bazel", "")
    for label, path in ctx.attr.extra_files.items():
        ctx.symlink(label, path)

pkg_config_repository = repository_rule(
    implementation = _pkg_config_repository_impl,
    doc = "One cc_library per pkg-config module of an installed Debian -dev package.",
    attrs = {
        "libraries": attr.string_dict(
            mandatory = True,
            doc = "Maps a target ('package:name', package may be empty) to its pkg-config module.",
        ),
        "deps": attr.string_list(doc = "Labels every library of the repository depends on."),
        "extra_build": attr.label(doc = "Appended to the root BUILD file."),
        "extra_files": attr.label_keyed_string_dict(doc = "Files linked into the repository, each to the path given.", allow_files = True),
        "static_renames": attr.string_list_dict(
            doc = "Maps an archive's name ('glog' for libglog.a) to the symbols that optimized builds rename in their copy of it ('old=new', objcopy --redefine-sym).",
        ),
        "static_replaced": attr.string_list(
            doc = "Libraries ('unwind' for -lunwind) that optimized builds leave out: what is called of them is renamed (static_renames) to functions of static_srcs.",
        ),
        "static_srcs": attr.string_list_dict(
            doc = "Maps a target (as in libraries) to files of the repository (extra_files) compiled into it in optimized builds only, e.g. what static_renames point to.",
        ),
    },
    local = True,
)

def _debian_rules_cc_impl(ctx):
    # Debian's rules_cc 0.0.4 calls use_cpp_toolchain(), which Bazel 4.2.3
    # lacks; copy the tree and spell out the toolchain type instead.
    source = ctx.path(ctx.attr.path)
    result = ctx.execute(["cp", "-r", str(source) + "/.", "."])
    if result.return_code != 0:
        fail("copying %s: %s" % (source, result.stderr))
    for file in ctx.attr.patched_files:
        text = ctx.read(file)
        text = text.replace(', "use_cpp_toolchain")', ")")
        text = text.replace("use_cpp_toolchain()", '["@bazel_tools//tools/cpp:toolchain_type"]')
        ctx.file(file, text)

debian_rules_cc = repository_rule(
    implementation = _debian_rules_cc_impl,
    attrs = {
        "path": attr.string(default = "/usr/share/bazel/rules/cc"),
        "patched_files": attr.string_list(default = [
            "cc/private/rules_impl/compiler_flag.bzl",
            "cc/private/rules_impl/cc_flags_supplier.bzl",
        ]),
    },
    local = True,
)

def _files_repository_impl(ctx):
    ctx.symlink(ctx.attr.build_file, "BUILD.bazel")
    for label, path in ctx.attr.files.items():
        ctx.symlink(label, path)

files_repository = repository_rule(
    implementation = _files_repository_impl,
    doc = "A repository made of files kept in this workspace.",
    attrs = {
        "build_file": attr.label(mandatory = True),
        "files": attr.label_keyed_string_dict(allow_files = True),
    },
    local = True,
)
