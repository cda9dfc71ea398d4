#include "runtime/rootfs/mount_options.h"

#include <sys/mount.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/repeated_field.h"

namespace hull::rootfs {
namespace {

// What an option does.
enum class Kind : uint8_t {
  kFlag,            // mount(2) flags, or (clear) their negation
  kPropagation,     // MS_PRIVATE, ... (with MS_REC for the r-variants)
  kRecursive,       // mount_setattr(AT_RECURSIVE) attributes, or their negation
  kRecursiveAtime,  // the recursive access-time mode (below)
  kTmpcopyup,
  kIdmap,
  kRecursiveIdmap,
  kDefaults,  // mount(8)'s placeholder for "no options"
};

struct Option {
  std::string_view name;
  Kind kind;
  bool clear;
  uint64_t bits;
};

// Every option with a meaning, in one constant array sorted by name and
// searched by bisection: nothing is built or allocated at a start to look an
// option up.
//
// The recursive access-time options: the access time is one mode of three
// (an enum inside MOUNT_ATTR__ATIME, not bits): the last option wins, and a
// negation of the mode in force falls back to relatime, the kernel's
// default. runc puts the bare negation into attr_clr, which the kernel
// rejects (EINVAL: MOUNT_ATTR__ATIME must be cleared whole).
constexpr Option kOptions[] = {
    {"async", Kind::kFlag, true, MS_SYNCHRONOUS},
    {"atime", Kind::kFlag, true, MS_NOATIME},
    {"bind", Kind::kFlag, false, MS_BIND},
    {"defaults", Kind::kDefaults, false, 0},
    {"dev", Kind::kFlag, true, MS_NODEV},
    {"diratime", Kind::kFlag, true, MS_NODIRATIME},
    {"dirsync", Kind::kFlag, false, MS_DIRSYNC},
    {"exec", Kind::kFlag, true, MS_NOEXEC},
    {"idmap", Kind::kIdmap, false, 0},
    {"iversion", Kind::kFlag, false, MS_I_VERSION},
    {"lazytime", Kind::kFlag, false, MS_LAZYTIME},
    {"loud", Kind::kFlag, true, MS_SILENT},
    {"mand", Kind::kFlag, false, MS_MANDLOCK},
    {"noatime", Kind::kFlag, false, MS_NOATIME},
    {"nodev", Kind::kFlag, false, MS_NODEV},
    {"nodiratime", Kind::kFlag, false, MS_NODIRATIME},
    {"noexec", Kind::kFlag, false, MS_NOEXEC},
    {"noiversion", Kind::kFlag, true, MS_I_VERSION},
    {"nolazytime", Kind::kFlag, true, MS_LAZYTIME},
    {"nomand", Kind::kFlag, true, MS_MANDLOCK},
    {"norelatime", Kind::kFlag, true, MS_RELATIME},
    {"nostrictatime", Kind::kFlag, true, MS_STRICTATIME},
    {"nosuid", Kind::kFlag, false, MS_NOSUID},
    {"nosymfollow", Kind::kFlag, false, MS_NOSYMFOLLOW},
    {"private", Kind::kPropagation, false, MS_PRIVATE},
    {"ratime", Kind::kRecursiveAtime, true, MOUNT_ATTR_NOATIME},
    {"rbind", Kind::kFlag, false, MS_BIND | MS_REC},
    {"rdev", Kind::kRecursive, true, MOUNT_ATTR_NODEV},
    {"rdiratime", Kind::kRecursive, true, MOUNT_ATTR_NODIRATIME},
    {"relatime", Kind::kFlag, false, MS_RELATIME},
    {"remount", Kind::kFlag, false, MS_REMOUNT},
    {"rexec", Kind::kRecursive, true, MOUNT_ATTR_NOEXEC},
    {"ridmap", Kind::kRecursiveIdmap, false, 0},
    {"rnoatime", Kind::kRecursiveAtime, false, MOUNT_ATTR_NOATIME},
    {"rnodev", Kind::kRecursive, false, MOUNT_ATTR_NODEV},
    {"rnodiratime", Kind::kRecursive, false, MOUNT_ATTR_NODIRATIME},
    {"rnoexec", Kind::kRecursive, false, MOUNT_ATTR_NOEXEC},
    {"rnorelatime", Kind::kRecursiveAtime, true, MOUNT_ATTR_RELATIME},
    {"rnostrictatime", Kind::kRecursiveAtime, true, MOUNT_ATTR_STRICTATIME},
    {"rnosuid", Kind::kRecursive, false, MOUNT_ATTR_NOSUID},
    {"rnosymfollow", Kind::kRecursive, false, MOUNT_ATTR_NOSYMFOLLOW},
    {"ro", Kind::kFlag, false, MS_RDONLY},
    {"rprivate", Kind::kPropagation, false, MS_PRIVATE | MS_REC},
    {"rrelatime", Kind::kRecursiveAtime, false, MOUNT_ATTR_RELATIME},
    {"rro", Kind::kRecursive, false, MOUNT_ATTR_RDONLY},
    {"rrw", Kind::kRecursive, true, MOUNT_ATTR_RDONLY},
    {"rshared", Kind::kPropagation, false, MS_SHARED | MS_REC},
    {"rslave", Kind::kPropagation, false, MS_SLAVE | MS_REC},
    {"rstrictatime", Kind::kRecursiveAtime, false, MOUNT_ATTR_STRICTATIME},
    {"rsuid", Kind::kRecursive, true, MOUNT_ATTR_NOSUID},
    {"rsymfollow", Kind::kRecursive, true, MOUNT_ATTR_NOSYMFOLLOW},
    {"runbindable", Kind::kPropagation, false, MS_UNBINDABLE | MS_REC},
    {"rw", Kind::kFlag, true, MS_RDONLY},
    {"shared", Kind::kPropagation, false, MS_SHARED},
    {"silent", Kind::kFlag, false, MS_SILENT},
    {"slave", Kind::kPropagation, false, MS_SLAVE},
    {"strictatime", Kind::kFlag, false, MS_STRICTATIME},
    {"suid", Kind::kFlag, true, MS_NOSUID},
    {"symfollow", Kind::kFlag, true, MS_NOSYMFOLLOW},
    {"sync", Kind::kFlag, false, MS_SYNCHRONOUS},
    {"tmpcopyup", Kind::kTmpcopyup, false, 0},
    {"unbindable", Kind::kPropagation, false, MS_UNBINDABLE},
};
static_assert(std::is_sorted(std::begin(kOptions), std::end(kOptions),
                             [](const Option& a, const Option& b) { return a.name < b.name; }));

// The option called `name`, or null.
const Option* Find(std::string_view name) {
  const Option* it = std::lower_bound(
      std::begin(kOptions), std::end(kOptions), name,
      [](const Option& option, std::string_view wanted) { return option.name < wanted; });
  return it != std::end(kOptions) && it->name == name ? it : nullptr;
}

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

MountOptions ParseMountOptions(const google::protobuf::RepeatedPtrField<std::string>& options) {
  MountOptions parsed;
  bool has_data = false;
  for (const std::string& name : options) {
    const Option* option = Find(name);
    if (option == nullptr) {
      if (has_data) parsed.data += ',';
      parsed.data += name;
      has_data = true;
      continue;
    }
    switch (option->kind) {
      case Kind::kFlag:
        SetOrClear<unsigned long>(option->clear, option->bits, parsed.flags, parsed.cleared_flags);
        break;
      case Kind::kPropagation:
        parsed.propagation.push_back(option->bits);
        break;
      case Kind::kRecursive:
        SetOrClear<uint64_t>(option->clear, option->bits, parsed.recursive_attr_set,
                             parsed.recursive_attr_clr);
        break;
      case Kind::kRecursiveAtime: {
        const uint64_t mode = parsed.recursive_attr_set & MOUNT_ATTR__ATIME;
        if (!option->clear) {
          parsed.recursive_attr_set =
              (parsed.recursive_attr_set & ~MOUNT_ATTR__ATIME) | option->bits;
        } else if (mode == option->bits) {
          parsed.recursive_attr_set &= ~MOUNT_ATTR__ATIME;
        }
        parsed.recursive_attr_clr |= MOUNT_ATTR__ATIME;
        break;
      }
      case Kind::kTmpcopyup:
        parsed.tmpcopyup = true;
        break;
      case Kind::kRecursiveIdmap:
        parsed.recursive_idmap = true;
        [[fallthrough]];
      case Kind::kIdmap:
        parsed.idmap = true;
        break;
      case Kind::kDefaults:
        // runc passes it on to the filesystem as data, which tmpfs and
        // others reject.
        break;
    }
  }
  return parsed;
}

std::vector<std::string> KnownMountOptionNames() {
  std::vector<std::string> names;
  for (const Option& option : kOptions) names.emplace_back(option.name);
  return names;
}

unsigned long PropagationFromName(const std::string& name) {
  const Option* option = Find(name);
  return option != nullptr && option->kind == Kind::kPropagation ? option->bits : 0;
}

std::string PropagationName(unsigned long propagation) {
  for (const Option& option : kOptions) {
    if (option.kind == Kind::kPropagation && option.bits == propagation) {
      return std::string(option.name);
    }
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
