// trace_functions OUT_DIR FUNCTIONS BINARY [ARG]...
//
// Runs BINARY under ptrace and records which of its functions each of its
// processes enters: an int3 goes at every address of FUNCTIONS (link-time
// addresses, hex, one a line: the binary's function symbols) in every image
// of BINARY (the first exec, and each re-execution of the same file, as
// `hull run` re-executes itself from its sealed binary), and a process's
// first hit of one is recorded and the original byte put back. Forks inherit their parent's
// pending int3s; a process that execs another program is let go.
//
// Writes OUT_DIR/<pid>.<image>, one file per process image: a first line
// "# launcher <command line>" (BINARY's first image and its forks) or
// "# reexec <command line>" (a re-execution of BINARY and its forks), then the
// addresses hit, in hit order. Exits with BINARY's exit status.
//
// A development tool (text_order/regenerate.sh); needs root, or the
// privilege to ptrace what BINARY starts.
#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr unsigned char kInt3 = 0xcc;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "trace_functions: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(2);
}

std::string ReadProcFile(pid_t pid, const char* name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// One process image of BINARY: where it is loaded, and its record file.
struct Image {
  uintptr_t base = 0;
  std::string kind;  // "launcher" or "reexec"
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out{nullptr, &std::fclose};
};

class Tracer {
 public:
  Tracer(std::string out_dir, std::vector<uintptr_t> functions, const std::string& binary)
      : out_dir_(std::move(out_dir)), functions_(Sorted(std::move(functions))) {
    struct stat st;
    if (stat(binary.c_str(), &st) != 0) Die("stat " + binary);
    dev_ = st.st_dev;
    ino_ = st.st_ino;
    for (uintptr_t f : functions_) {
      low_ = std::min(low_, f);
      high_ = std::max(high_, f + 1);
    }
  }

  int Run(char** argv) {
    pid_t child = fork();
    if (child < 0) Die("fork");
    if (child == 0) {
      ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
      execv(argv[0], argv);
      _exit(127);
    }
    int status;
    if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) Die("waitpid for the exec");
    long options = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                   PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
    if (ptrace(PTRACE_SETOPTIONS, child, nullptr, options) != 0) Die("PTRACE_SETOPTIONS");
    known_.insert(child);
    if (!StartImage(child, "launcher")) {
      errno = ESRCH;
      Die("the traced process does not run " + std::string(argv[0]));
    }
    ptrace(PTRACE_CONT, child, nullptr, nullptr);
    int exit_status = 0;
    while (!known_.empty()) {
      pid_t pid = waitpid(-1, &status, __WALL);
      if (pid < 0) {
        if (errno == EINTR) continue;
        Die("waitpid");
      }
      if (WIFEXITED(status) || WIFSIGNALED(status)) {
        if (pid == child) exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        images_.erase(pid);
        known_.erase(pid);
        held_.erase(pid);
        continue;
      }
      if (!WIFSTOPPED(status)) continue;
      int signal = WSTOPSIG(status);
      int event = status >> 16;
      if (known_.insert(pid).second || attaching_.erase(pid) > 0) {
        // A fork's attach stop. It runs when its record is open: its
        // parent's fork event may come after this.
        if (images_.count(pid) == 0) {
          held_.insert(pid);
          continue;
        }
        if (signal == SIGSTOP) signal = 0;
      }
      int deliver = 0;
      if (signal == SIGTRAP && event == PTRACE_EVENT_EXEC) {
        images_.erase(pid);
        if (!StartImage(pid, "reexec")) {
          ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
          known_.erase(pid);
          continue;
        }
      } else if (signal == SIGTRAP && event != 0) {
        unsigned long new_pid;
        ptrace(PTRACE_GETEVENTMSG, pid, nullptr, &new_pid);
        if (known_.insert(new_pid).second) attaching_.insert(new_pid);
        AddFork(pid, new_pid);
      } else if (signal == SIGTRAP) {
        if (!Hit(pid)) deliver = signal;
      } else {
        deliver = signal;
      }
      ptrace(PTRACE_CONT, pid, nullptr, deliver);
    }
    return exit_status;
  }

 private:
  static std::vector<uintptr_t> Sorted(std::vector<uintptr_t> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }

  // Opens the record of pid's image; when pid runs BINARY, plants the int3s.
  bool StartImage(pid_t pid, const char* kind) {
    struct stat st;
    std::string exe = "/proc/" + std::to_string(pid) + "/exe";
    if (stat(exe.c_str(), &st) != 0 || st.st_dev != dev_ || st.st_ino != ino_) return false;
    uintptr_t base = LoadAddress(pid);
    std::string mem_path = "/proc/" + std::to_string(pid) + "/mem";
    int mem = open(mem_path.c_str(), O_RDWR | O_CLOEXEC);
    if (mem < 0) Die("open " + mem_path);
    std::vector<unsigned char> text(high_ - low_);
    if (pread(mem, text.data(), text.size(), base + low_) != static_cast<ssize_t>(text.size())) {
      Die("read " + mem_path);
    }
    if (original_.empty()) original_ = text;
    for (uintptr_t f : functions_) text[f - low_] = kInt3;
    if (pwrite(mem, text.data(), text.size(), base + low_) != static_cast<ssize_t>(text.size())) {
      Die("write " + mem_path);
    }
    close(mem);
    Open(pid, base, kind, "");
    return true;
  }

  // A fork of a traced image runs that image, with the int3s it has left.
  void AddFork(pid_t parent, pid_t child) {
    auto it = images_.find(parent);
    if (it == images_.end() || images_.count(child) > 0) return;
    Open(child, it->second.base, it->second.kind, "fork of " + std::to_string(parent) + ": ");
    if (held_.erase(child) > 0) ptrace(PTRACE_CONT, child, nullptr, nullptr);
  }

  void Open(pid_t pid, uintptr_t base, std::string kind, const std::string& note) {
    std::string path = out_dir_ + "/" + std::to_string(pid) + "." + std::to_string(serial_++);
    Image& image = images_[pid];
    image.base = base;
    image.kind = std::move(kind);
    image.out.reset(std::fopen(path.c_str(), "w"));
    if (image.out == nullptr) Die("open " + path);
    std::string command = ReadProcFile(pid, "cmdline");
    for (char& c : command) {
      if (c == '\0') c = ' ';
    }
    std::fprintf(image.out.get(), "# %s %s%s\n", image.kind.c_str(), note.c_str(), command.c_str());
  }

  // A SIGTRAP stop: when at one of our int3s, records the function, puts its
  // first byte back and backs the instruction pointer up onto it.
  bool Hit(pid_t pid) {
    auto it = images_.find(pid);
    if (it == images_.end()) return false;
    user_regs_struct regs;
    if (ptrace(PTRACE_GETREGS, pid, nullptr, &regs) != 0) Die("PTRACE_GETREGS");
    uintptr_t at = regs.rip - 1 - it->second.base;
    if (!std::binary_search(functions_.begin(), functions_.end(), at)) return false;
    std::string mem_path = "/proc/" + std::to_string(pid) + "/mem";
    int mem = open(mem_path.c_str(), O_RDWR | O_CLOEXEC);
    if (mem < 0 || pwrite(mem, &original_[at - low_], 1, it->second.base + at) != 1) Die("write " + mem_path);
    close(mem);
    regs.rip -= 1;
    if (ptrace(PTRACE_SETREGS, pid, nullptr, &regs) != 0) Die("PTRACE_SETREGS");
    std::fprintf(it->second.out.get(), "%lx\n", static_cast<unsigned long>(at));
    return true;
  }

  // The address the binary (a position-independent executable) is loaded at
  // in pid: its first mapping of the binary's file.
  uintptr_t LoadAddress(pid_t pid) {
    std::istringstream maps(ReadProcFile(pid, "maps"));
    std::string line;
    while (std::getline(maps, line)) {
      unsigned long start, end, offset, inode;
      char perms[8];
      unsigned major, minor;
      if (std::sscanf(line.c_str(), "%lx-%lx %7s %lx %x:%x %lu", &start, &end, perms, &offset, &major,
                      &minor, &inode) == 7 &&
          inode == ino_ && offset == 0) {
        return start;
      }
    }
    errno = ENOENT;
    Die("no mapping of the binary in /proc/" + std::to_string(pid) + "/maps");
  }

  const std::string out_dir_;
  const std::vector<uintptr_t> functions_;
  dev_t dev_;
  ino_t ino_;
  uintptr_t low_ = UINTPTR_MAX;
  uintptr_t high_ = 0;
  std::vector<unsigned char> original_;  // the text [low_, high_) as linked
  std::set<pid_t> known_;                // every traced process
  std::set<pid_t> attaching_;            // forks whose attach SIGSTOP is still to come
  std::set<pid_t> held_;                 // forks stopped until their parent's fork event
  std::map<pid_t, Image> images_;
  int serial_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: trace_functions OUT_DIR FUNCTIONS BINARY [ARG]...\n");
    return 2;
  }
  std::ifstream list(argv[2]);
  if (!list) Die(std::string("open ") + argv[2]);
  std::vector<uintptr_t> functions;
  std::string address;
  while (list >> address) functions.push_back(std::stoul(address, nullptr, 16));
  if (functions.empty()) {
    errno = EINVAL;
    Die(std::string("no function address in ") + argv[2]);
  }
  return Tracer(argv[1], std::move(functions), argv[3]).Run(argv + 3);
}
