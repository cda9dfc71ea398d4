#include "runtime/network/net_devices.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "config/namespaces.h"
#include "nsenter/namespace.h"
#include "nsenter/pidfd.h"
#include "nsenter/setns.h"
#include "runtime/network/rtnetlink.h"

namespace hull::network {
namespace {

constexpr size_t kMaxInterfaceName = 15;  // IFNAMSIZ, less the terminating NUL

// One device to move, as found before any moves.
struct PlannedMove {
  std::string entry;  // linux.netDevices["eth1"], for errors
  std::string host_name;
  int host_index = 0;
  std::vector<InterfaceAddress> addresses;
  std::string name;  // in the container
};

// `name_template` with its "%d" (the validator allows one) as the first
// number no name in `taken` has, as the kernel's dev_alloc_name picks it.
absl::StatusOr<std::string> FirstFreeName(absl::string_view name_template,
                                          const absl::flat_hash_set<std::string>& taken) {
  for (int number = 0;; ++number) {
    std::string name = absl::StrReplaceAll(name_template, {{"%d", absl::StrCat(number)}});
    if (name.size() > kMaxInterfaceName) {
      return absl::ResourceExhaustedError(
          absl::StrCat("template \"", name_template, "\": every name up to \"",
                       absl::StrReplaceAll(name_template, {{"%d", absl::StrCat(number - 1)}}),
                       "\" is taken in the container"));
    }
    if (!taken.contains(name)) return name;
  }
}

}  // namespace

absl::Status MoveNetDevices(const NetDevices& devices, Rtnetlink& host, Rtnetlink& container,
                            int container_netns_fd) {
  if (devices.empty()) return absl::OkStatus();
  std::vector<std::string> host_names;
  for (const auto& [host_name, device] : devices) host_names.push_back(host_name);
  std::sort(host_names.begin(), host_names.end());

  ASSIGN_OR_RETURN(const std::vector<std::string> names, container.InterfaceNames());
  absl::flat_hash_set<std::string> taken(names.begin(), names.end());
  std::vector<PlannedMove> moves;
  for (const std::string& host_name : host_names) {
    PlannedMove move{.entry = absl::StrCat("linux.netDevices[\"", host_name, "\"]"),
                     .host_name = host_name};
    absl::StatusOr<int> index = host.InterfaceIndex(host_name);
    if (absl::IsNotFound(index.status())) {
      return absl::NotFoundError(
          absl::StrCat(move.entry, ": the host has no network device \"", host_name, "\""));
    }
    RETURN_IF_ERROR(Annotate(index.status(), move.entry));
    move.host_index = *index;
    absl::StatusOr<std::vector<InterfaceAddress>> addresses =
        host.PermanentGlobalAddresses(move.host_index);
    RETURN_IF_ERROR(Annotate(addresses.status(), move.entry));
    move.addresses = *std::move(addresses);
    const std::string& wanted = devices.at(host_name).name();
    if (wanted.find('%') != std::string::npos) {
      absl::StatusOr<std::string> name = FirstFreeName(wanted, taken);
      RETURN_IF_ERROR(Annotate(name.status(), move.entry));
      move.name = *std::move(name);
    } else {
      move.name = wanted.empty() ? host_name : wanted;
      if (taken.contains(move.name)) {
        return absl::AlreadyExistsError(absl::StrCat(
            move.entry, ": the container's network namespace has a device \"", move.name,
            "\" already (a name ending in %d takes the first free number)"));
      }
    }
    taken.insert(move.name);
    moves.push_back(std::move(move));
  }

  for (const PlannedMove& move : moves) {
    RETURN_IF_ERROR(Annotate(host.MoveToNamespace(move.host_index, container_netns_fd, move.name),
                             move.entry));
    absl::StatusOr<int> index = container.InterfaceIndex(move.name);
    RETURN_IF_ERROR(Annotate(index.status(), move.entry));
    for (const InterfaceAddress& address : move.addresses) {
      RETURN_IF_ERROR(Annotate(container.AddAddress(*index, address), move.entry));
    }
    RETURN_IF_ERROR(Annotate(container.SetUp(*index), move.entry));
  }
  return absl::OkStatus();
}

absl::Status MoveNetDevicesInto(const NetDevices& devices, int container_netns_fd) {
  if (devices.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::unique_ptr<LinuxRtnetlink> host, LinuxRtnetlink::Open());
  ASSIGN_OR_RETURN(std::unique_ptr<LinuxRtnetlink> container,
                   LinuxRtnetlink::OpenIn(container_netns_fd));
  return MoveNetDevices(devices, *host, *container, container_netns_fd);
}

absl::Status MoveContainerNetDevices(const config::Spec& spec, pid_t init_pid, int init_pidfd) {
  const NetDevices& devices = spec.linux().net_devices();
  if (devices.empty()) return absl::OkStatus();
  std::string path = config::JoinedNamespacePath(spec, "network");
  if (path.empty()) path = absl::StrCat("/proc/", init_pid, "/ns/net");
  ASSIGN_OR_RETURN(const UniqueFd netns,
                   nsenter::OpenNamespace(path, nsenter::NamespaceType::kNetwork));
  // The pid named the init when it was opened only if the init lives now.
  RETURN_IF_ERROR(Annotate(nsenter::PidfdSendSignal(init_pidfd, 0), "the container's init"));
  return MoveNetDevicesInto(devices, netns.get());
}

}  // namespace hull::network
