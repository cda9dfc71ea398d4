#include "runtime/rootfs/mount_options.h"

#include <sys/mount.h>

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_join.h"

namespace hull::rootfs {
namespace {

struct FlagOption {
  bool clear;
  unsigned long flag;
};

struct AttrOption {
  bool clear;
  uint64_t attr;
};

// mount(2) flags and their negations.
const absl::flat_hash_map<std::string, FlagOption>& FlagOptions() {
  static const auto* const kOptions = new absl::flat_hash_map<std::string, FlagOption>{
      {"async", {true, MS_SYNCHRONOUS}},
      {"atime", {true, MS_NOATIME}},
      {"bind", {false, MS_BIND}},
      {"dev", {true, MS_NODEV}},
      {"diratime", {true, MS_NODIRATIME}},
      {"dirsync", {false, MS_DIRSYNC}},
      {"exec", {true, MS_NOEXEC}},
      {"iversion", {false, MS_I_VERSION}},
      {"lazytime", {false, MS_LAZYTIME}},
      {"loud", {true, MS_SILENT}},
      {"mand", {false, MS_MANDLOCK}},
      {"noatime", {false, MS_NOATIME}},
      {"nodev", {false, MS_NODEV}},
      {"nodiratime", {false, MS_NODIRATIME}},
      {"noexec", {false, MS_NOEXEC}},
      {"noiversion", {true, MS_I_VERSION}},
      {"nolazytime", {true, MS_LAZYTIME}},
      {"nomand", {true, MS_MANDLOCK}},
      {"norelatime", {true, MS_RELATIME}},
      {"nostrictatime", {true, MS_STRICTATIME}},
      {"nosuid", {false, MS_NOSUID}},
      {"nosymfollow", {false, MS_NOSYMFOLLOW}},
      {"rbind", {false, MS_BIND | MS_REC}},
      {"relatime", {false, MS_RELATIME}},
      {"remount", {false, MS_REMOUNT}},
      {"ro", {false, MS_RDONLY}},
      {"rw", {true, MS_RDONLY}},
      {"silent", {false, MS_SILENT}},
      {"strictatime", {false, MS_STRICTATIME}},
      {"suid", {true, MS_NOSUID}},
      {"sync", {false, MS_SYNCHRONOUS}},
      {"symfollow", {true, MS_NOSYMFOLLOW}},
  };
  return *kOptions;
}

const absl::flat_hash_map<std::string, unsigned long>& PropagationOptions() {
  static const auto* const kOptions = new absl::flat_hash_map<std::string, unsigned long>{
      {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
      {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
      {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
      {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
  };
  return *kOptions;
}

// Recursive attributes, set with mount_setattr(AT_RECURSIVE).
const absl::flat_hash_map<std::string, AttrOption>& RecursiveOptions() {
  static const auto* const kOptions = new absl::flat_hash_map<std::string, AttrOption>{
      {"rro", {false, MOUNT_ATTR_RDONLY}},
      {"rrw", {true, MOUNT_ATTR_RDONLY}},
      {"rnosuid", {false, MOUNT_ATTR_NOSUID}},
      {"rsuid", {true, MOUNT_ATTR_NOSUID}},
      {"rnodev", {false, MOUNT_ATTR_NODEV}},
      {"rdev", {true, MOUNT_ATTR_NODEV}},
      {"rnoexec", {false, MOUNT_ATTR_NOEXEC}},
      {"rexec", {true, MOUNT_ATTR_NOEXEC}},
      {"rnodiratime", {false, MOUNT_ATTR_NODIRATIME}},
      {"rdiratime", {true, MOUNT_ATTR_NODIRATIME}},
      {"rnosymfollow", {false, MOUNT_ATTR_NOSYMFOLLOW}},
      {"rsymfollow", {true, MOUNT_ATTR_NOSYMFOLLOW}},
  };
  return *kOptions;
}

// The recursive access-time options. The access time is one mode of three
// (an enum inside MOUNT_ATTR__ATIME, not bits): the last option wins, and a
// negation of the mode in force falls back to relatime, the kernel's
// default. runc puts the bare negation into attr_clr, which the kernel
// rejects (EINVAL: MOUNT_ATTR__ATIME must be cleared whole).
const absl::flat_hash_map<std::string, AttrOption>& RecursiveAtimeOptions() {
  static const auto* const kOptions = new absl::flat_hash_map<std::string, AttrOption>{
      {"rrelatime", {false, MOUNT_ATTR_RELATIME}},
      {"rnorelatime", {true, MOUNT_ATTR_RELATIME}},
      {"rnoatime", {false, MOUNT_ATTR_NOATIME}},
      {"ratime", {true, MOUNT_ATTR_NOATIME}},
      {"rstrictatime", {false, MOUNT_ATTR_STRICTATIME}},
      {"rnostrictatime", {true, MOUNT_ATTR_STRICTATIME}},
  };
  return *kOptions;
}

}  // namespace

MountOptions ParseMountOptions(const std::vector<std::string>& options) {
  MountOptions parsed;
  std::vector<std::string> data;
  for (const std::string& option : options) {
    if (auto it = FlagOptions().find(option); it != FlagOptions().end()) {
      if (it->second.clear) {
        parsed.flags &= ~it->second.flag;
        parsed.cleared_flags |= it->second.flag;
      } else {
        parsed.flags |= it->second.flag;
        parsed.cleared_flags &= ~it->second.flag;
      }
    } else if (auto it = PropagationOptions().find(option); it != PropagationOptions().end()) {
      parsed.propagation.push_back(it->second);
    } else if (auto it = RecursiveOptions().find(option); it != RecursiveOptions().end()) {
      if (it->second.clear) {
        parsed.recursive_attr_set &= ~it->second.attr;
        parsed.recursive_attr_clr |= it->second.attr;
      } else {
        parsed.recursive_attr_set |= it->second.attr;
        parsed.recursive_attr_clr &= ~it->second.attr;
      }
    } else if (auto it = RecursiveAtimeOptions().find(option);
               it != RecursiveAtimeOptions().end()) {
      const uint64_t mode = parsed.recursive_attr_set & MOUNT_ATTR__ATIME;
      if (!it->second.clear) {
        parsed.recursive_attr_set =
            (parsed.recursive_attr_set & ~MOUNT_ATTR__ATIME) | it->second.attr;
      } else if (mode == it->second.attr) {
        parsed.recursive_attr_set &= ~MOUNT_ATTR__ATIME;
      }
      parsed.recursive_attr_clr |= MOUNT_ATTR__ATIME;
    } else if (option == "tmpcopyup") {
      parsed.tmpcopyup = true;
    } else if (option == "idmap" || option == "ridmap") {
      parsed.idmap = true;
      parsed.recursive_idmap = parsed.recursive_idmap || option == "ridmap";
    } else if (option == "defaults") {
      // mount(8)'s placeholder for "no options". runc passes it on to the
      // filesystem as data, which tmpfs and others reject.
    } else {
      data.push_back(option);
    }
  }
  parsed.data = absl::StrJoin(data, ",");
  return parsed;
}

std::vector<std::string> KnownMountOptionNames() {
  std::vector<std::string> names = {"tmpcopyup", "idmap", "ridmap", "defaults"};
  for (const auto& [name, option] : FlagOptions()) names.push_back(name);
  for (const auto& [name, propagation] : PropagationOptions()) names.push_back(name);
  for (const auto& [name, option] : RecursiveOptions()) names.push_back(name);
  for (const auto& [name, option] : RecursiveAtimeOptions()) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

unsigned long PropagationFromName(const std::string& name) {
  auto it = PropagationOptions().find(name);
  return it == PropagationOptions().end() ? 0 : it->second;
}

std::string PropagationName(unsigned long propagation) {
  for (const auto& [name, value] : PropagationOptions()) {
    if (value == propagation) return name;
  }
  return "";
}

MountAttributes MountAttributesFromFlags(unsigned long set, unsigned long cleared) {
  static constexpr std::pair<unsigned long, uint64_t> kPerMount[] = {
      {MS_RDONLY, MOUNT_ATTR_RDONLY},         {MS_NOSUID, MOUNT_ATTR_NOSUID},
      {MS_NODEV, MOUNT_ATTR_NODEV},           {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
      {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
  };
  MountAttributes attributes;
  for (const auto& [flag, attr] : kPerMount) {
    if (set & flag) attributes.set |= attr;
    if (cleared & flag) attributes.clr |= attr;
  }
  // mount(2)'s precedence: strictatime over noatime over relatime.
  if (set & MS_STRICTATIME) {
    attributes.set |= MOUNT_ATTR_STRICTATIME;
  } else if (set & MS_NOATIME) {
    attributes.set |= MOUNT_ATTR_NOATIME;
  } else if (set & MS_RELATIME || cleared & (MS_NOATIME | MS_STRICTATIME)) {
    // "atime" and "nostrictatime" return to the default mode, relatime.
    attributes.set |= MOUNT_ATTR_RELATIME;
  } else {
    return attributes;
  }
  attributes.clr |= MOUNT_ATTR__ATIME;
  return attributes;
}

}  // namespace hull::rootfs
