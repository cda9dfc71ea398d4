#!/usr/bin/env bash
# Installs every Debian package that Hull's build and tests need, and puts the
# cgroup v2 VM's kernel into its cache (testing/vm/fetch_kernel.sh). Idempotent:
# when everything is present it does nothing and prints nothing.
# Usage (as root on Debian 12): tools/bootstrap.sh
set -euo pipefail

packages=(
  # Build: Bazel and the rule repositories it loads from Debian's tree.
  bazel-bootstrap bazel-rules-cc bazel-rules-java bazel-platforms bazel-skylib
  g++ pkg-config
  # Libraries Hull links, declared as Bazel repositories in WORKSPACE.
  libabsl-dev libprotobuf-dev protobuf-compiler libgoogle-glog-dev
  libgtest-dev libgmock-dev libseccomp-dev libcap-dev
  # sd-bus's headers for the systemd cgroup driver (libsystemd.so.0 is loaded
  # at run time, only by --systemd-cgroup); systemd boots the VM that tests it.
  libsystemd-dev systemd
  # Fuzzing the config loader (clang with libFuzzer).
  clang-14 libclang-rt-14-dev
  # Test fixtures and peers: the busybox rootfs, and runc to compare with.
  busybox-static runc
  # crun, the C runtime tools/bench compares with (in the cgroup v2 VM).
  crun
  # The end-to-end tests (testing/e2e): podman (with conmon) and containerd
  # (with ctr and its runc shim) run containers with hull; python3 makes the
  # docker-archive and checks `hull features` against the schema.
  podman containerd python3
  # A non-root hull maps a user namespace's subordinate ids with newuidmap
  # and newgidmap (runtime/user/id_map_writer.h).
  uidmap
  # Checkpoint/restore: `criu swrk` serves Hull's RPC requests (runtime/criu).
  criu
  # The cgroup v2 VM (testing/vm): QEMU, and what turns Debian's kernel .deb
  # into a bootable vmlinux and a busybox initramfs.
  qemu-system-x86 kmod cpio xz-utils
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
  [[ "$status" == ii* ]] || missing+=("$pkg")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "bootstrap: missing packages: ${missing[*]}; run this script as root" >&2
    exit 1
  fi
  echo "bootstrap: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be absent on a fresh machine; refresh them once.
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$(dirname "${BASH_SOURCE[0]}")/../testing/vm/fetch_kernel.sh"
