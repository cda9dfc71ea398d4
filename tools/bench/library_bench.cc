// The library path beside the CLI: create -> start -> wait -> delete of
// /bin/true through hull::runtime::Runtime inside this process (what a program
// that embeds Hull pays per container), interleaved with `hull run` of the same
// bundle as a command, to show what the CLI costs on top. Needs root. See
// README.md.
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "config/json.h"
#include "runtime/container.h"
#include "runtime/spawn/sealed_reexec.h"
#include "tools/bench/bench_setup.h"
#include "tools/bench/stats.h"
#include "tools/bench/timed_run.h"
#include "tools/cpp/runfiles/runfiles.h"

namespace hull::bench {
namespace {

using ::bazel::tools::cpp::runfiles::Runfiles;

constexpr char kUsage[] =
    "usage: library_bench [--runs=N] [--warmup=N] [--hull=PATH] [--rootfs=TAR]\n"
    "                     [--state-dir=DIR] [--measured-exec=PATH]\n"
    "  --runs    measured lifecycles of each path (default 30)\n"
    "  --warmup  unmeasured ones of each first (default 2)\n"
    "  --hull    the hull binary the CLI runs are of (default: the one built with\n"
    "            this benchmark; the library is this program itself)\n"
    "  --rootfs  the busybox rootfs archive (default: //testing/rootfs:busybox_rootfs)\n"
    "  --state-dir  where the state roots go (default /run; a tmpfs is mounted\n"
    "               there for the run when it is not on one)\n"
    "  --measured-exec  tools/bench/measured_exec (default: from the runfiles)\n";

struct Options {
  int runs = 30;
  int warmup = 2;
  std::string hull;
  std::string rootfs_tar;
  std::string state_dir = "/run";
  std::string measured_exec;
  bool help = false;
};

absl::StatusOr<Options> ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    const size_t equals = arg.find('=');
    const absl::string_view name = arg.substr(0, equals);
    const std::string value(equals == absl::string_view::npos ? "" : arg.substr(equals + 1));
    if (name == "--help" || name == "-h") {
      options.help = true;
    } else if ((name == "--runs" || name == "--warmup") && !value.empty()) {
      int count = 0;
      if (!absl::SimpleAtoi(value, &count) || count < (name == "--runs" ? 1 : 0)) {
        return absl::InvalidArgumentError(absl::StrCat(name, ": not a valid count: \"", value, "\""));
      }
      (name == "--runs" ? options.runs : options.warmup) = count;
    } else if (name == "--hull" && !value.empty()) {
      options.hull = FromCallerDirectory(value);
    } else if (name == "--rootfs" && !value.empty()) {
      options.rootfs_tar = FromCallerDirectory(value);
    } else if (name == "--state-dir" && !value.empty()) {
      options.state_dir = FromCallerDirectory(value);
    } else if (name == "--measured-exec" && !value.empty()) {
      options.measured_exec = FromCallerDirectory(value);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown or incomplete option: ", arg));
    }
  }
  return options;
}

absl::Status ResolveRunfiles(const char* argv0, Options& options) {
  if (!options.hull.empty() && !options.rootfs_tar.empty() && !options.measured_exec.empty()) {
    return absl::OkStatus();
  }
  std::string error;
  std::unique_ptr<Runfiles> runfiles(Runfiles::Create(argv0, &error));
  if (runfiles == nullptr) {
    return absl::NotFoundError(absl::StrCat("runfiles of ", argv0, ": ", error,
                                            " (run me with bazel run, or pass the paths)"));
  }
  if (options.hull.empty()) options.hull = runfiles->Rlocation("hull/tools/launcher/hull");
  if (options.rootfs_tar.empty()) {
    options.rootfs_tar = runfiles->Rlocation("hull/testing/rootfs/busybox_rootfs.tar");
  }
  if (options.measured_exec.empty()) {
    options.measured_exec = runfiles->Rlocation("hull/tools/bench/measured_exec");
  }
  return absl::OkStatus();
}

absl::Duration Monotonic() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return absl::DurationFromTimespec(now);
}

// User+system CPU of this process and of its children reaped so far.
absl::Duration CpuSoFar() {
  absl::Duration total;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage usage;
    getrusage(who, &usage);
    total += absl::DurationFromTimeval(usage.ru_utime) + absl::DurationFromTimeval(usage.ru_stime);
  }
  return total;
}

struct Lifecycle {
  absl::Duration wall;
  absl::Duration cpu;
};

// What an embedder does for one container from a bundle: read its
// config.json, create, start, wait for the init (this process's child, so
// its CPU is counted once reaped), delete. A failure deletes what was made.
absl::StatusOr<Lifecycle> RunThroughLibrary(runtime::Runtime& runtime, const std::string& id,
                                            const std::string& bundle) {
  const absl::Duration start = Monotonic();
  const absl::Duration cpu_before = CpuSoFar();
  ASSIGN_OR_RETURN(config::Spec spec, config::LoadConfigFile(absl::StrCat(bundle, "/config.json")));
  ASSIGN_OR_RETURN(runtime::Container container,
                   runtime.Create(id, std::move(spec), {.bundle = bundle}));
  absl::Status status = container.Start();
  absl::StatusOr<nsenter::ExitStatus> exit = nsenter::ExitStatus{};
  if (status.ok()) exit = container.Wait();
  if (status.ok()) status = exit.status();
  if (status.ok() && exit->ShellCode() != 0) {
    status = absl::InternalError(absl::StrCat("container ", id, "'s /bin/true ", exit->ToString()));
  }
  absl::Status deleted = container.Delete(/*force=*/!status.ok());
  RETURN_IF_ERROR(status);
  RETURN_IF_ERROR(deleted);
  return Lifecycle{.wall = Monotonic() - start, .cpu = CpuSoFar() - cpu_before};
}

// `hull run` of the bundle as its own command, measured by measured_exec.
absl::StatusOr<Lifecycle> RunThroughCli(const Options& options, const std::string& root,
                                        const std::string& id, const std::string& bundle,
                                        const std::string& dir) {
  const std::string stderr_path = absl::StrCat(dir, "/", id, ".stderr");
  ASSIGN_OR_RETURN(Measurement run, TimedRun({options.hull, "--root", root, "run", "--bundle",
                                              bundle, id},
                                             stderr_path));
  if (run.exit_code != 0) {
    (void)RunSetup({options.hull, "--root", root, "delete", "--force", id}, stderr_path);
    return absl::InternalError(absl::StrCat("hull run ", id, " exited with status ",
                                            run.exit_code, ": ", ReadStderr(stderr_path)));
  }
  return Lifecycle{.wall = run.wall, .cpu = run.cpu};
}

absl::StatusOr<double> Median(const std::vector<double>& samples) {
  ASSIGN_OR_RETURN(Summary summary, Summarize(samples));
  return summary.median;
}

absl::Status Main(int argc, char** argv) {
  ASSIGN_OR_RETURN(Options options, ParseOptions(argc, argv));
  if (options.help) {
    std::cout << kUsage;
    return absl::OkStatus();
  }
  if (geteuid() != 0) {
    return absl::PermissionDeniedError("creating containers needs root: run as root");
  }
  RETURN_IF_ERROR(ResolveRunfiles(argv[0], options));
  SetMeasuredExec(options.measured_exec);
  ASSIGN_OR_RETURN(const BenchDirs dirs, MakeBenchDirs(options.state_dir));
  const TempDir& dir = dirs.scratch;
  const TempDir& state_dir = dirs.state;
  ASSIGN_OR_RETURN(const std::string bundle,
                   MakeBundle(dir.path(), "bundle", options.rootfs_tar, /*limits=*/false,
                              {"/bin/true"}));
  const std::string library_root = absl::StrCat(state_dir.path(), "/library");
  const std::string cli_root = absl::StrCat(state_dir.path(), "/cli");
  runtime::Runtime runtime(library_root);
  absl::PrintF("library: this program (one hull::runtime::Runtime for all its runs)\n"
               "cli:     %s run\n"
               "bundle:  %s (busybox; hull spec's config, terminal false, args [\"/bin/true\"])\n"
               "%d warm-up and %d measured runs of each, interleaved\n",
               options.hull, bundle, options.warmup, options.runs);

  std::vector<double> wall[2], cpu[2];
  for (int i = 0; i < options.warmup + options.runs; ++i) {
    const std::string tag = absl::StrCat("lib-", getpid(), "-", i);
    ASSIGN_OR_RETURN(Lifecycle library, RunThroughLibrary(runtime, tag + "-library", bundle));
    ASSIGN_OR_RETURN(Lifecycle cli,
                     RunThroughCli(options, cli_root, tag + "-cli", bundle, dir.path()));
    if (i < options.warmup) continue;
    int path = 0;
    for (const Lifecycle& lifecycle : {library, cli}) {
      wall[path].push_back(absl::ToDoubleMilliseconds(lifecycle.wall));
      cpu[path].push_back(absl::ToDoubleMilliseconds(lifecycle.cpu));
      ++path;
    }
  }
  absl::PrintF("\n%-44s %10s %10s %10s %13s\n", "", "library", "cli", "cli/library",
               "cli - library");
  for (const auto& [label, samples] :
       {std::pair<const char*, std::vector<double>*>{"create+start+wait+delete: wall median (ms)",
                                                     wall},
        {"create+start+wait+delete: CPU median (ms)", cpu}}) {
    ASSIGN_OR_RETURN(const double library, Median(samples[0]));
    ASSIGN_OR_RETURN(const double cli, Median(samples[1]));
    absl::PrintF("%-44s %10.2f %10.2f %10.2f %13.2f\n", label, library, cli, cli / library,
                 cli - library);
  }
  absl::PrintF(
      "\nlibrary: one lifecycle in this process, config.json read included; wall from\n"
      "CLOCK_MONOTONIC, CPU from getrusage of this process and its reaped children (the\n"
      "container's init). cli: `hull run` under tools/bench/measured_exec (wall from its\n"
      "fork to its wait4, CPU of the command's tree). The difference is what the CLI\n"
      "costs on top: its own process start, flags, and the command's glue.\n");
  return absl::OkStatus();
}

// Sealed from its start, as `hull run` is: a container's init is a clone of
// this program with no program start of its own (runtime/spawn/sealed_reexec.h).
__attribute__((section(".preinit_array"), used)) void (*const kSealAtStart)(
    int, char**, char**) = &runtime::ReexecSealedAtStart;

}  // namespace
}  // namespace hull::bench

int main(int argc, char** argv) {
  // Where the sealing at start fails, a container's init re-executes this
  // program instead.
  hull::runtime::ContainerProcessMain(argc, argv);
  absl::Status status = hull::bench::Main(argc, argv);
  if (status.ok()) return 0;
  std::cerr << "library_bench: " << status.message() << "\n";
  if (absl::IsInvalidArgument(status)) std::cerr << hull::bench::kUsage;
  return 1;
}
