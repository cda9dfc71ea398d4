"""How code that runs at a sealed entry point is compiled (sealed_entry.h)."""

# It runs before a static position-independent binary is relocated and before
# libc has set up the thread pointer or resolved its IFUNCs: no stack
# protector (its canary is read through the thread pointer), no sanitizer, no
# loop that GCC may turn into a call of memset, memcpy or strlen. Optimized in
# every compilation mode, so that what the tests run is what `-c opt` ships.
SEALED_ENTRY_COPTS = [
    "-O2",
    "-fno-stack-protector",
    "-fno-sanitize=all",
    "-fno-builtin",
    "-fno-tree-loop-distribute-patterns",
]
