#!/usr/bin/env bash
# Puts Debian's own kernel (the package linux-image-amd64 depends on) into the
# VM harness's cache, for testing/vm/run_in_vm.sh. The .deb is fetched with
# apt-get download and unpacked there with dpkg-deb: nothing is installed and
# /boot is never touched. Bazel tests must not download, so tools/bootstrap.sh
# runs this once; when the cache is complete it does nothing and prints nothing.
#
# Usage (as root): testing/vm/fetch_kernel.sh
# The cache is $HULL_VM_CACHE (default /var/cache/hull-vm); delete its kernel/
# folder to fetch the current kernel again.
#
# The cache's kernel/ folder, once complete (kernel/.complete exists):
#   vmlinux           the uncompressed kernel; QEMU boots it through its PVH
#                     entry point, which skips the in-guest decompression
#   release           the kernel release, e.g. 6.1.0-56-amd64
#   package           the .deb's package name and version
#   root/             the unpacked .deb (boot/, lib/modules/<release>/ + depmod)
#   initramfs.modules the modules the initramfs loads to reach the host's /
#                     over 9p, in load order, relative to kernel/
set -euo pipefail

readonly cache="${HULL_VM_CACHE:-/var/cache/hull-vm}"
readonly kernel_dir="${cache}/kernel"
# What the guest's stage 1 needs before the host's / is mounted: the PCI
# transport, 9p over virtio, and the overlay that makes the root writable.
readonly initramfs_modules=(virtio_pci 9pnet_virtio 9p overlay)

die() {
  echo "fetch_kernel: $*" >&2
  exit 1
}

[[ -e "${kernel_dir}/.complete" ]] && exit 0

for tool in apt-cache apt-get dpkg-deb depmod modprobe xz flock; do
  command -v "${tool}" >/dev/null ||
    die "'${tool}' is missing (run tools/bootstrap.sh)"
done
mkdir -p "${cache}" || die "cannot create the cache ${cache}"

# One fetch at a time; a second caller waits and then finds the cache complete.
exec 9>"${cache}/.lock"
flock 9
[[ -e "${kernel_dir}/.complete" ]] && exit 0

kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}
package=$(kernel_package)
# A machine whose packages were all present never refreshed apt's lists.
if [[ -z "${package}" ]]; then
  apt-get update -qq >/dev/null 2>&1 || true
  package=$(kernel_package)
fi
[[ -n "${package}" ]] ||
  die "cannot resolve linux-image-amd64 to a kernel package (apt-get update failed?)"

staging=$(mktemp -d "${cache}/kernel.staging.XXXXXX")
trap 'rm -rf "${staging}"' EXIT
mkdir "${staging}/download"
# apt drops privileges to _apt for downloads; let it write there.
chown _apt "${staging}/download" 2>/dev/null || true
(cd "${staging}/download" && apt-get download -q "${package}") \
  >"${staging}/download.log" 2>&1 ||
  die "apt-get download ${package} failed: $(cat "${staging}/download.log")"
deb=$(echo "${staging}"/download/*.deb)
[[ -f "${deb}" ]] || die "apt-get download ${package} left no .deb"

dpkg-deb -x "${deb}" "${staging}/root" || die "dpkg-deb -x ${deb} failed"
dpkg-deb -f "${deb}" Package Version | awk '{ print $2 }' | paste -sd= \
  >"${staging}/package"
rm -rf "${staging}/download" "${staging}/download.log"

release=$(ls "${staging}/root/lib/modules")
[[ "${release}" =~ ^[^[:space:]]+$ ]] ||
  die "expected one kernel release in ${package}, found: ${release}"
echo "${release}" >"${staging}/release"
# Debian's postinst would run depmod; the guest's modprobe needs its output.
depmod -b "${staging}/root" "${release}" || die "depmod ${release} failed"

for module in "${initramfs_modules[@]}"; do
  modprobe -d "${staging}/root" -S "${release}" --show-depends "${module}" ||
    die "modprobe --show-depends ${module} failed"
done | awk -v prefix="${staging}/" '
    $1 == "insmod" && !seen[$2]++ { print substr($2, length(prefix) + 1) }' \
  >"${staging}/initramfs.modules"

# vmlinuz is a boot stub followed by the xz-compressed kernel: decompress the
# first xz stream after its magic (what the kernel's scripts/extract-vmlinux
# does).
vmlinuz="${staging}/root/boot/vmlinuz-${release}"
offset=$(LC_ALL=C grep -obUaP -m1 '\xfd7zXZ\x00' "${vmlinuz}" |
  awk -F: 'NR == 1 { print $1 }')
[[ -n "${offset}" ]] || die "${vmlinuz} holds no xz-compressed kernel"
# (xz stops reading at the end of the stream: no pipe, so tail's SIGPIPE is no
# failure.)
xz -dc --single-stream <(tail -c "+$((offset + 1))" "${vmlinuz}") \
  >"${staging}/vmlinux" || die "decompressing ${vmlinuz} failed"
[[ "$(head -c 4 "${staging}/vmlinux" | od -An -tx1 | tr -d ' ')" == 7f454c46 ]] ||
  die "the kernel decompressed from ${vmlinuz} is not an ELF file"

chmod 755 "${staging}"
touch "${staging}/.complete"
rm -rf "${kernel_dir}"
mv "${staging}" "${kernel_dir}"
trap - EXIT
echo "fetch_kernel: ${package} (${release}) is in ${kernel_dir}"
