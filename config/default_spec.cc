#include "config/default_spec.h"

#include <unistd.h>

#include <cstdint>
#include <initializer_list>

namespace hull::config {
namespace {

// runc 1.1.5 writes "1.0.2-dev", the spec version its Go bindings carried.
// Hull's schema is runtime-spec 1.2, and the default uses nothing newer than
// 1.0, so the config claims the version Hull implements.
constexpr char kOciVersion[] = "1.2.0";

void AddMount(Spec& spec, const char* destination, const char* type, const char* source,
              std::initializer_list<const char*> options) {
  Mount& mount = *spec.add_mounts();
  mount.set_destination(destination);
  mount.set_type(type);
  mount.set_source(source);
  for (const char* option : options) mount.add_options(option);
}

void SetProcess(Process& process) {
  process.set_terminal(true);
  process.mutable_user()->set_uid(0);
  process.mutable_user()->set_gid(0);
  process.add_args("sh");
  process.add_env("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  process.add_env("TERM=xterm");
  process.set_cwd("/");
  // runc 1.1.5 grants these three in every set but inheritable.
  Capabilities& capabilities = *process.mutable_capabilities();
  for (const char* capability : {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"}) {
    capabilities.add_bounding(capability);
    capabilities.add_effective(capability);
    capabilities.add_permitted(capability);
    capabilities.add_ambient(capability);
  }
  Rlimit& nofile = *process.add_rlimits();
  nofile.set_type("RLIMIT_NOFILE");
  nofile.set_hard(1024);
  nofile.set_soft(1024);
  process.set_no_new_privileges(true);
}

void AddMounts(Spec& spec, bool rootless) {
  AddMount(spec, "/proc", "proc", "proc", {});
  AddMount(spec, "/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"});
  // Group 5 (tty) may not exist in a rootless user namespace.
  if (rootless) {
    AddMount(spec, "/dev/pts", "devpts", "devpts",
             {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"});
  } else {
    AddMount(spec, "/dev/pts", "devpts", "devpts",
             {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"});
  }
  AddMount(spec, "/dev/shm", "tmpfs", "shm",
           {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"});
  AddMount(spec, "/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"});
  // Without a network namespace of its own, a container may not mount sysfs.
  if (rootless) {
    AddMount(spec, "/sys", "none", "/sys", {"rbind", "nosuid", "noexec", "nodev", "ro"});
  } else {
    AddMount(spec, "/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"});
  }
  AddMount(spec, "/sys/fs/cgroup", "cgroup", "cgroup",
           {"nosuid", "noexec", "nodev", "relatime", "ro"});
}

void AddIdMapping(google::protobuf::RepeatedPtrField<IdMapping>& mappings, uint32_t host_id) {
  IdMapping& mapping = *mappings.Add();
  mapping.set_container_id(0);
  mapping.set_host_id(host_id);
  mapping.set_size(1);
}

void SetLinux(Linux& linux, bool rootless) {
  if (rootless) {
    AddIdMapping(*linux.mutable_uid_mappings(), ::geteuid());
    AddIdMapping(*linux.mutable_gid_mappings(), ::getegid());
  } else {
    // Deny every device; runc adds its default device rules on top.
    DeviceCgroup& deny_all = *linux.mutable_resources()->add_devices();
    deny_all.set_allow(false);
    deny_all.set_access("rwm");
  }
  // A rootless container cannot configure a network namespace of its own.
  if (rootless) {
    for (const char* type : {"pid", "ipc", "uts", "mount", "user"}) {
      linux.add_namespaces()->set_type(type);
    }
  } else {
    for (const char* type : {"pid", "network", "ipc", "uts", "mount"}) {
      linux.add_namespaces()->set_type(type);
    }
  }
  for (const char* path : {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                           "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                           "/proc/sched_debug", "/sys/firmware", "/proc/scsi"}) {
    linux.add_masked_paths(path);
  }
  for (const char* path :
       {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}) {
    linux.add_readonly_paths(path);
  }
}

}  // namespace

Spec DefaultSpec(bool rootless) {
  Spec spec;
  spec.set_oci_version(kOciVersion);
  SetProcess(*spec.mutable_process());
  spec.mutable_root()->set_path("rootfs");
  spec.mutable_root()->set_readonly(true);
  spec.set_hostname("hull");
  AddMounts(spec, rootless);
  SetLinux(*spec.mutable_linux(), rootless);
  return spec;
}

}  // namespace hull::config
