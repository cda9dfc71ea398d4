#include "runtime/rootfs/mount_options.h"

#include <sys/mount.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_join.h"

namespace hull::rootfs {
namespace {

// The option tables are constant arrays sorted by name, searched by
// bisection: nothing is built or allocated at a start to look an option up.
struct FlagOption {
  std::string_view name;
  bool clear;
  unsigned long flag;
};

struct AttrOption {
  std::string_view name;
  bool clear;
  uint64_t attr;
};

struct PropagationOption {
  std::string_view name;
  unsigned long propagation;
};

template <typename Option, size_t N>
constexpr bool SortedByName(const Option (&options)[N]) {
  return std::is_sorted(std::begin(options), std::end(options),
                        [](const Option& a, const Option& b) { return a.name < b.name; });
}

// The option of `options` called `name`, or null.
template <typename Option, size_t N>
const Option* Find(const Option (&options)[N], std::string_view name) {
  const Option* it = std::lower_bound(
      std::begin(options), std::end(options), name,
      [](const Option& option, std::string_view wanted) { return option.name < wanted; });
  return it != std::end(options) && it->name == name ? it : nullptr;
}

// mount(2) flags and their negations.
constexpr FlagOption kFlagOptions[] = {
    {"async", true, MS_SYNCHRONOUS},
    {"atime", true, MS_NOATIME},
    {"bind", false, MS_BIND},
    {"dev", true, MS_NODEV},
    {"diratime", true, MS_NODIRATIME},
    {"dirsync", false, MS_DIRSYNC},
    {"exec", true, MS_NOEXEC},
    {"iversion", false, MS_I_VERSION},
    {"lazytime", false, MS_LAZYTIME},
    {"loud", true, MS_SILENT},
    {"mand", false, MS_MANDLOCK},
    {"noatime", false, MS_NOATIME},
    {"nodev", false, MS_NODEV},
    {"nodiratime", false, MS_NODIRATIME},
    {"noexec", false, MS_NOEXEC},
    {"noiversion", true, MS_I_VERSION},
    {"nolazytime", true, MS_LAZYTIME},
    {"nomand", true, MS_MANDLOCK},
    {"norelatime", true, MS_RELATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"nosuid", false, MS_NOSUID},
    {"nosymfollow", false, MS_NOSYMFOLLOW},
    {"rbind", false, MS_BIND | MS_REC},
    {"relatime", false, MS_RELATIME},
    {"remount", false, MS_REMOUNT},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"silent", false, MS_SILENT},
    {"strictatime", false, MS_STRICTATIME},
    {"suid", true, MS_NOSUID},
    {"symfollow", true, MS_NOSYMFOLLOW},
    {"sync", false, MS_SYNCHRONOUS},
};
static_assert(SortedByName(kFlagOptions));

constexpr PropagationOption kPropagationOptions[] = {
    {"private", MS_PRIVATE},
    {"rprivate", MS_PRIVATE | MS_REC},
    {"rshared", MS_SHARED | MS_REC},
    {"rslave", MS_SLAVE | MS_REC},
    {"runbindable", MS_UNBINDABLE | MS_REC},
    {"shared", MS_SHARED},
    {"slave", MS_SLAVE},
    {"unbindable", MS_UNBINDABLE},
};
static_assert(SortedByName(kPropagationOptions));

// Recursive attributes, set with mount_setattr(AT_RECURSIVE).
constexpr AttrOption kRecursiveOptions[] = {
    {"rdev", true, MOUNT_ATTR_NODEV},
    {"rdiratime", true, MOUNT_ATTR_NODIRATIME},
    {"rexec", true, MOUNT_ATTR_NOEXEC},
    {"rnodev", false, MOUNT_ATTR_NODEV},
    {"rnodiratime", false, MOUNT_ATTR_NODIRATIME},
    {"rnoexec", false, MOUNT_ATTR_NOEXEC},
    {"rnosuid", false, MOUNT_ATTR_NOSUID},
    {"rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW},
    {"rro", false, MOUNT_ATTR_RDONLY},
    {"rrw", true, MOUNT_ATTR_RDONLY},
    {"rsuid", true, MOUNT_ATTR_NOSUID},
    {"rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW},
};
static_assert(SortedByName(kRecursiveOptions));

// The recursive access-time options. The access time is one mode of three
// (an enum inside MOUNT_ATTR__ATIME, not bits): the last option wins, and a
// negation of the mode in force falls back to relatime, the kernel's
// default. runc puts the bare negation into attr_clr, which the kernel
// rejects (EINVAL: MOUNT_ATTR__ATIME must be cleared whole).
constexpr AttrOption kRecursiveAtimeOptions[] = {
    {"ratime", true, MOUNT_ATTR_NOATIME},
    {"rnoatime", false, MOUNT_ATTR_NOATIME},
    {"rnorelatime", true, MOUNT_ATTR_RELATIME},
    {"rnostrictatime", true, MOUNT_ATTR_STRICTATIME},
    {"rrelatime", false, MOUNT_ATTR_RELATIME},
    {"rstrictatime", false, MOUNT_ATTR_STRICTATIME},
};
static_assert(SortedByName(kRecursiveAtimeOptions));

// An option that turns `bits` on (into `set`) or, when `clear`, off (into
// `cleared`): the last option naming a bit wins.
template <typename Bits>
void SetOrClear(bool clear, Bits bits, Bits& set, Bits& cleared) {
  if (clear) {
    set &= ~bits;
    cleared |= bits;
  } else {
    set |= bits;
    cleared &= ~bits;
  }
}

}  // namespace

MountOptions ParseMountOptions(const std::vector<std::string>& options) {
  MountOptions parsed;
  std::vector<std::string> data;
  for (const std::string& option : options) {
    if (const FlagOption* flag = Find(kFlagOptions, option); flag != nullptr) {
      SetOrClear(flag->clear, flag->flag, parsed.flags, parsed.cleared_flags);
    } else if (const PropagationOption* propagation = Find(kPropagationOptions, option);
               propagation != nullptr) {
      parsed.propagation.push_back(propagation->propagation);
    } else if (const AttrOption* recursive = Find(kRecursiveOptions, option);
               recursive != nullptr) {
      SetOrClear(recursive->clear, recursive->attr, parsed.recursive_attr_set,
                 parsed.recursive_attr_clr);
    } else if (const AttrOption* atime = Find(kRecursiveAtimeOptions, option); atime != nullptr) {
      const uint64_t mode = parsed.recursive_attr_set & MOUNT_ATTR__ATIME;
      if (!atime->clear) {
        parsed.recursive_attr_set = (parsed.recursive_attr_set & ~MOUNT_ATTR__ATIME) | atime->attr;
      } else if (mode == atime->attr) {
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
  for (const FlagOption& option : kFlagOptions) names.emplace_back(option.name);
  for (const PropagationOption& option : kPropagationOptions) names.emplace_back(option.name);
  for (const AttrOption& option : kRecursiveOptions) names.emplace_back(option.name);
  for (const AttrOption& option : kRecursiveAtimeOptions) names.emplace_back(option.name);
  std::sort(names.begin(), names.end());
  return names;
}

unsigned long PropagationFromName(const std::string& name) {
  const PropagationOption* option = Find(kPropagationOptions, name);
  return option == nullptr ? 0 : option->propagation;
}

std::string PropagationName(unsigned long propagation) {
  for (const PropagationOption& option : kPropagationOptions) {
    if (option.propagation == propagation) return std::string(option.name);
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
