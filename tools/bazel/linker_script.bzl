"""cc_linker_script: a linker script fragment as a dependency of cc rules."""

def _cc_linker_script_impl(ctx):
    script = ctx.file.src
    linker_input = cc_common.create_linker_input(
        owner = ctx.label,
        user_link_flags = depset(["-Wl,-T," + script.path]),
        additional_inputs = depset([script]),
    )
    return [CcInfo(linking_context = cc_common.create_linking_context(
        linker_inputs = depset([linker_input]),
    ))]

# Passes `src` to the link of every binary that depends on it, with -T. A
# script that says `INSERT BEFORE <section>` (or AFTER) augments the
# linker's default script rather than replacing it (GNU ld only: gold has no
# INSERT).
cc_linker_script = rule(
    implementation = _cc_linker_script_impl,
    attrs = {
        "src": attr.label(allow_single_file = [".ld"], mandatory = True),
    },
    provides = [CcInfo],
)
