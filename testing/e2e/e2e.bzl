"""e2e_systemd_vm_test: an end-to-end script's systemd variant, in the VM."""

load("//testing/vm:vm_test.bzl", "vm_test")

def e2e_systemd_vm_test(name, test_binary, test_args, data):
    """Runs an e2e script (an sh_binary) in one boot of the VM with systemd.

    The guest gets more memory than vm_test's default, for the client's
    daemons; the script's last argument is "systemd".

    Args:
      name: the test's name.
      test_binary: the script's sh_binary.
      test_args: its arguments, before "systemd".
      data: what the arguments name.
    """
    vm_test(
        name = name,
        size = "large",
        mem_mb = 2048,
        systemd = True,
        test_binary = test_binary,
        test_args = test_args + ["systemd"],
        data = data,
    )
