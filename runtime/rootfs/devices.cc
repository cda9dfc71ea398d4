#include "runtime/rootfs/devices.h"

#include <sys/stat.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "config/namespaces.h"
#include "base/container_path.h"
#include "base/status_macros.h"

namespace hull::rootfs {
namespace {

// runc's default devices (libcontainer/specconv AllowedDevices).
std::vector<DeviceNode> DefaultDevices() {
  auto character = [](const char* path, int64_t major, int64_t minor) {
    return DeviceNode{.path = path, .type = S_IFCHR, .major = major, .minor = minor};
  };
  return {character("/dev/null", 1, 3), character("/dev/random", 1, 8),
          character("/dev/full", 1, 7), character("/dev/tty", 5, 0),
          character("/dev/zero", 1, 5), character("/dev/urandom", 1, 9)};
}

absl::StatusOr<DeviceNode> FromConfig(const config::Device& device) {
  auto invalid = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("device \"", device.path(), "\" (type \"", device.type(), "\"): ", why));
  };
  if (device.path().empty() || device.path()[0] != '/') return invalid("path is not absolute");
  DeviceNode node{.path = CleanContainerPath(device.path())};
  if (node.path == "/") return invalid("path is \"/\"");
  if (device.type() == "c" || device.type() == "u") {
    node.type = S_IFCHR;
  } else if (device.type() == "b") {
    node.type = S_IFBLK;
  } else if (device.type() == "p") {
    node.type = S_IFIFO;
  } else {
    return invalid("type must be one of c, u, b, p");
  }
  if (node.type != S_IFIFO) {
    if (!device.has_major() || !device.has_minor()) return invalid("major and minor are required");
    if (device.major() < 0 || device.minor() < 0) return invalid("negative major or minor");
    node.major = device.major();
    node.minor = device.minor();
  }
  if (device.has_file_mode()) node.permissions = device.file_mode() & 07777;
  node.uid = device.uid();
  node.gid = device.gid();
  return node;
}

}  // namespace

absl::StatusOr<std::vector<DeviceNode>> PlanDevices(const config::Spec& spec,
                                                    bool in_user_namespace) {
  std::vector<DeviceNode> configured;
  for (const config::Device& device : spec.linux().devices()) {
    ASSIGN_OR_RETURN(DeviceNode node, FromConfig(device));
    configured.push_back(std::move(node));
  }
  std::vector<DeviceNode> devices;
  for (DeviceNode& node : DefaultDevices()) {
    bool replaced = false;
    for (const DeviceNode& other : configured) replaced |= other.path == node.path;
    if (!replaced) devices.push_back(std::move(node));
  }
  devices.insert(devices.end(), configured.begin(), configured.end());

  const bool user_namespace = in_user_namespace || config::HasNamespace(spec, "user");
  // mkfifo(3) needs no privilege: only device nodes are bound from the host.
  for (DeviceNode& node : devices) node.bind_from_host = user_namespace && node.type != S_IFIFO;
  return devices;
}

}  // namespace hull::rootfs
