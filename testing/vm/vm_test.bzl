"""vm_test: runs a test binary inside the cgroup v2 VM (run_in_vm.sh)."""

def vm_test(name, test_binary, test_args = [], mem_mb = None, systemd = False, data = [], tags = [], **kwargs):
    """Runs test_binary (e.g. a cc_test tagged manual) inside one VM boot.

    The guest sees the host's / read-only (so the runfiles' absolute paths
    work), runs the binary as root in the root of a cgroup v2 hierarchy with
    every controller, in the runfiles folder, with TEST_TMPDIR on a tmpfs of the
    guest and the gtest XML written where Bazel expects it. The test passes
    when the binary exits 0; a VM that does not boot or outlives the test's
    timeout fails it. Needs root; the test is tagged local and exclusive.

    Args:
      name: the test's name.
      test_binary: the label of the binary to run in the VM.
      test_args: arguments for the binary.
      mem_mb: the guest's memory in MB (run_in_vm.sh's default when None).
      systemd: boot systemd as the guest's PID 1, with D-Bus's system bus,
        and run the binary as its service (run_in_vm.sh --systemd).
      data: more files the binary reads (through its runfiles).
      tags: more tags; "local" and "exclusive" are always added.
      **kwargs: passed to sh_test (size, timeout, ...).
    """
    vm_options = []
    if mem_mb != None:
        vm_options += ["--mem", str(mem_mb)]
    if systemd:
        vm_options.append("--systemd")
    native.sh_test(
        name = name,
        srcs = ["//testing/vm:vm_test_runner.sh"],
        args = ["$(rootpath //testing/vm:run_in_vm)"] + vm_options +
               ["--", "$(rootpath %s)" % test_binary] + test_args,
        data = [
            test_binary,
            "//testing/vm:run_in_vm",
        ] + data,
        tags = tags + [tag for tag in ["exclusive", "local"] if tag not in tags],
        **kwargs
    )
