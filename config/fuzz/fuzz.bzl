"""A fuzz target's binary and corpus replay test, for config/fuzz and statemachine/fuzz."""

def hull_fuzzer(name, target, corpus_dirs):
    """`name`: libFuzzer on `target` under --config=fuzz, a replay of files and
    directories otherwise; `<name>_replay_test`: `target` fed every file of
    `corpus_dirs` (under the package's corpus/) once, in the normal suite.
    """
    native.cc_binary(
        name = name,
        linkopts = select({
            "//config/fuzz:libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = [target] + select({
            "//config/fuzz:libfuzzer": [],
            "//conditions:default": ["//config/fuzz:replay_main"],
        }),
    )
    native.cc_test(
        name = name + "_replay_test",
        size = "small",
        args = corpus_dirs,
        data = native.glob(["corpus/**"]),
        deps = [
            target,
            "//config/fuzz:replay_main",
        ],
    )
