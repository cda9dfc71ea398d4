#include "runtime/process_list.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include <cerrno>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace hull::runtime {
namespace {

// Parent pid: field 4 of /proc/<pid>/stat, after the last ')' of comm.
bool ReadParent(const std::string& proc, pid_t pid, pid_t& parent) {
  std::ifstream in(absl::StrCat(proc, "/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return false;
  char state;
  int ppid;
  if (sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) != 2) return false;
  parent = ppid;
  return true;
}

bool SameNamespace(const std::string& proc, pid_t pid, const struct stat& want) {
  struct stat ns;
  return stat(absl::StrCat(proc, "/", pid, "/ns/pid").c_str(), &ns) == 0 &&
         ns.st_dev == want.st_dev && ns.st_ino == want.st_ino;
}

}  // namespace

absl::StatusOr<std::vector<pid_t>> ContainerProcesses(pid_t init_pid, bool own_pid_namespace,
                                                      const std::string& proc) {
  struct stat init_ns;
  if (stat(absl::StrCat(proc, "/", init_pid, "/ns/pid").c_str(), &init_ns) != 0) {
    if (errno == ENOENT) return std::vector<pid_t>{};
    return absl::InternalError(
        absl::StrCat("stat ", proc, "/", init_pid, "/ns/pid: ", strerror(errno)));
  }
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(proc.c_str()), closedir);
  if (dir == nullptr) {
    return absl::InternalError(absl::StrCat("open ", proc, ": ", strerror(errno)));
  }
  std::map<pid_t, pid_t> parents;  // every process: pid -> parent
  while (struct dirent* entry = readdir(dir.get())) {
    pid_t pid;
    if (!absl::SimpleAtoi(entry->d_name, &pid)) continue;
    pid_t parent;
    // A process that exits while we look is simply not listed.
    if (ReadParent(proc, pid, parent)) parents[pid] = parent;
  }
  std::vector<pid_t> members = {init_pid};
  for (const auto& [pid, parent] : parents) {
    if (pid == init_pid) continue;
    bool member = false;
    if (own_pid_namespace) {
      member = SameNamespace(proc, pid, init_ns);
    } else {
      // Walk up the ancestry until the init or the top (bounded: pids read
      // at different moments could, in theory, form a cycle).
      pid_t up = parent;
      for (size_t steps = 0; up > 1 && !member && steps < parents.size(); ++steps) {
        member = up == init_pid;
        auto it = parents.find(up);
        up = it == parents.end() ? 0 : it->second;
      }
    }
    if (member) members.push_back(pid);
  }
  return members;
}

}  // namespace hull::runtime
