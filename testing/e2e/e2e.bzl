"""e2e_systemd_vm_test: an end-to-end script's systemd variant, in the VM."""

load("//testing/vm:vm_test.bzl", "vm_test")

def e2e_systemd_vm_test(name, script, fixture, script_data, args = []):
    """Runs an e2e script in one boot of the VM with systemd as its PID 1.

    The script gets hull, `fixture` (its image) and `args`, then "systemd";
    the guest gets more memory than vm_test's default, for the client's
    daemons.

    Args:
      name: the test's name; the script's sh_binary is `name`_script.
      script: the scenario script.
      fixture: the label of the image the script runs.
      script_data: what the script reads besides its image.
      args: the script's arguments between the image and "systemd".
    """
    binary = name + "_script"
    native.sh_binary(
        name = binary,
        testonly = True,
        srcs = [script],
        data = script_data + [fixture],
    )
    vm_test(
        name = name,
        size = "large",
        mem_mb = 2048,
        systemd = True,
        test_binary = ":" + binary,
        test_args = [
            "$(rootpath //tools/launcher:hull)",
            "$(rootpath %s)" % fixture,
        ] + args + ["systemd"],
        data = [
            fixture,
            "//tools/launcher:hull",
        ],
    )
