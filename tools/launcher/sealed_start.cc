#include "tools/launcher/sealed_start.h"

#include "runtime/spawn/sealed_entry.h"

namespace hull::launcher {
namespace {

// GlobalFlagSpecs()'s flags, by whether they take a value: NUL-separated
// names, an empty one last. (An array of pointers would hold link-time
// addresses here: the entry point runs before the binary is relocated.)
constexpr char kValueFlagNames[] = "log\0log-format\0root\0criu\0rootless\0";
constexpr char kSwitchFlagNames[] = "debug\0systemd-cgroup\0help\0h\0version\0v\0";

bool Equals(const char* a, const char* b) {
  for (; *a != '\0' && *a == *b; ++a, ++b) {
  }
  return *a == *b;
}

// True when the characters [name, name_end) are one of `names`.
bool IsOneOf(const char* name, const char* name_end, const char* names) {
  while (*names != '\0') {
    const char* c = name;
    for (; c != name_end && *c == *names; ++c, ++names) {
    }
    if (c == name_end && *names == '\0') return true;
    for (; *names != '\0'; ++names) {
    }
    ++names;
  }
  return false;
}

}  // namespace

// As FlagParser(GlobalFlagSpecs()).Parse(args, /*stop_at_first_positional=*/
// true) reads a command line: "-" and any argument not starting with '-' is
// the command, "--" makes the next one the command, a flag is "-name" or
// "--name", with its value after '=' or (a flag that takes one) in the next
// argument.
bool StartsContainerProcesses(const char* const* args) {
  const char* command = nullptr;
  for (; *args != nullptr; ++args) {
    const char* const arg = *args;
    if (arg[0] != '-' || arg[1] == '\0') {
      command = arg;
      break;
    }
    if (arg[1] == '-' && arg[2] == '\0') {
      command = args[1];
      break;
    }
    const char* const name = arg[1] == '-' ? arg + 2 : arg + 1;
    const char* name_end = name;
    for (; *name_end != '\0' && *name_end != '='; ++name_end) {
    }
    const bool inline_value = *name_end == '=';
    if (IsOneOf(name, name_end, kValueFlagNames)) {
      if (!inline_value && *++args == nullptr) return false;
    } else if (IsOneOf(name, name_end, kSwitchFlagNames)) {
      if (inline_value && !Equals(name_end + 1, "true") && !Equals(name_end + 1, "false")) {
        return false;
      }
    } else {
      return false;
    }
  }
  return command != nullptr &&
         (Equals(command, "create") || Equals(command, "run") || Equals(command, "exec"));
}

}  // namespace hull::launcher

HULL_SEALED_ENTRY_POINT(hull_launcher_entry, ::hull::launcher::StartsContainerProcesses);
