#include "runtime/features/features.h"

#include <unistd.h>

#include <algorithm>

#include "base/procfs_files.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/resctrl.h"
#include "cgroups/systemd/sd_bus_unit_client.h"
#include "base/status_macros.h"
#include "config/host_support.h"
#include "config/json_writer.h"
#include "config/kernel_names.h"
#include "nsenter/namespace.h"
#include "runtime/features/seccomp_features.h"
#include "runtime/oci_state.h"
#include "runtime/rootfs/rootfs_plan.h"
#include "runtime/security/capabilities.h"

namespace hull::runtime {
namespace {

// The oldest runtime-spec whose configs Hull reads.
constexpr char kOciVersionMin[] = "1.0.0";

EnabledFeature Enabled(bool enabled) {
  EnabledFeature feature;
  feature.set_enabled(enabled);
  return feature;
}

}  // namespace

absl::StatusOr<HostSupport> ProbeHost() {
  HostSupport host;
  LinuxProcFiles proc;
  ASSIGN_OR_RETURN(host.last_capability, security::ReadLastCapability(proc));
  for (nsenter::NamespaceType type : nsenter::AllNamespaceTypes()) {
    const std::string name(nsenter::ProcNsName(type));
    if (::access(("/proc/self/ns/" + name).c_str(), F_OK) == 0) host.proc_namespaces.insert(name);
  }
  // What the validator lets a config ask for, and the init then applies.
  const config::HostSupport& modules = config::DetectedHostSupport();
  host.apparmor = modules.apparmor;
  host.selinux = modules.selinux;
  cgroups::LinuxCgroupFs fs;
  host.resctrl = cgroups::ResctrlMounted(fs);
  host.systemd = ::access(cgroups::systemd::kSystemdRuntimeDirectory, F_OK) == 0;
  return host;
}

Features FeaturesOf(const HostSupport& host) {
  Features features;
  features.set_oci_version_min(kOciVersionMin);
  features.set_oci_version_max(kOciVersion);
  for (const char* hook : {"prestart", "createRuntime", "createContainer", "startContainer",
                           "poststart", "poststop"}) {
    features.add_hooks(hook);
  }
  for (const std::string& option : rootfs::SupportedMountOptions()) {
    features.add_mount_options(option);
  }
  (*features.mutable_annotations())["io.github.seccomp.libseccomp.version"] = LibseccompVersion();
  LinuxFeatures& linux = *features.mutable_linux();
  for (nsenter::NamespaceType type : nsenter::AllNamespaceTypes()) {
    if (host.proc_namespaces.contains(nsenter::ProcNsName(type))) {
      linux.add_namespaces(std::string(nsenter::OciName(type)));
    }
  }
  std::sort(linux.mutable_namespaces()->begin(), linux.mutable_namespaces()->end());
  const auto capabilities = config::CapabilityNames();
  for (int number = 0; number < static_cast<int>(capabilities.size()); ++number) {
    if (number <= host.last_capability) linux.add_capabilities(std::string(capabilities[number]));
  }
  CgroupFeatures& cgroup = *linux.mutable_cgroup();
  cgroup.set_v1(true);
  cgroup.set_v2(true);
  cgroup.set_systemd(host.systemd);
  // A rootless container's scope is its user's systemd's (as runc says it).
  cgroup.set_systemd_user(host.systemd);
  cgroup.set_rdma(true);
  *linux.mutable_seccomp() = SeccompFeaturesOfThisBuild();
  *linux.mutable_apparmor() = Enabled(host.apparmor);
  *linux.mutable_selinux() = Enabled(host.selinux);
  *linux.mutable_intel_rdt() = Enabled(host.resctrl);
  // Id-mapped binds (rootfs_plan.h), with or without a user namespace of the
  // container's own (then the launcher id-maps them: bind_tree.h).
  *linux.mutable_mount_extensions()->mutable_idmap() = Enabled(true);
  // linux.netDevices (runtime/network/net_devices.h).
  *linux.mutable_net_devices() = Enabled(true);
  return features;
}

absl::StatusOr<std::string> FeaturesToJson(const Features& features) {
  return config::MessageToJson(features, {});
}

}  // namespace hull::runtime
