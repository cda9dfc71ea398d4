// Compares `hull` with runc and crun on one busybox bundle, each benchmark's
// runs interleaved (hull, runc, crun, then runc, crun, hull, ...: the order
// rotates each iteration), each container with its own
// --root and id: `run` of /bin/true (wall, CPU, peak RSS), parallel runs,
// create+start+delete as separate commands, `exec` into a running container,
// and `list`/`state` among many created containers. Prints each runtime's
// figures and hull's ratio to each other runtime. Needs root. See README.md.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "tools/bench/bench_setup.h"
#include "tools/bench/stats.h"
#include "tools/bench/timed_run.h"
#include "tools/cpp/runfiles/runfiles.h"

namespace hull::bench {
namespace {

using ::bazel::tools::cpp::runfiles::Runfiles;

constexpr char kUsage[] =
    "usage: bench [--runs=N] [--warmup=N] [--hull=PATH] [--runc=PATH] [--crun=PATH]\n"
    "             [--runtimes=LIST] [--benchmarks=LIST] [--parallel=LIST] [--rounds=N]\n"
    "             [--containers=N] [--rootfs=TAR] [--state-dir=DIR] [--limits] [--pause=MS]\n"
    "             [--baseline=PATH] [--measured-exec=PATH] [--exec] [--checkpoint]\n"
    "  --runs    measured runs of each runtime (default 30)\n"
    "  --warmup  unmeasured runs of each runtime first (default 2)\n"
    "  --hull    the hull binary (default: the one built with this benchmark)\n"
    "  --runc    the runc binary (default /usr/sbin/runc)\n"
    "  --crun    the crun binary (default /usr/bin/crun)\n"
    "  --baseline  another hull binary (e.g. the build before a change), measured as\n"
    "              the runtime \"base\" right after hull: the hull/base column is the\n"
    "              change's effect\n"
    "  --measured-exec  tools/bench/measured_exec (default: from the runfiles)\n"
    "  --runtimes  which runtimes, hull first (default hull,runc,crun; crun is left\n"
    "              out, with a note, when /sys/fs/cgroup is not cgroup2 alone: it\n"
    "              refuses hybrid hosts)\n"
    "  --benchmarks  which benchmarks (default run,parallel,steps,exec,list):\n"
    "      run       `run` of /bin/true: wall, CPU (user+sys of the runtime's tree),\n"
    "                peak RSS\n"
    "      parallel  --parallel's counts of `run` at once, --rounds times each: wall\n"
    "                from the first start to the last exit (they start together),\n"
    "                failures counted\n"
    "      steps     `create`, `start`, `delete --force` as separate commands\n"
    "      exec      `exec` of /bin/true into one running container of each\n"
    "      list      `list` and `state` with --containers created containers\n"
    "      checkpoint  `checkpoint` of an idle container (started first, not\n"
    "                measured), then `restore --detach` of its images under a new id\n"
    "                (not in the default set: needs criu and a kernel it can dump on,\n"
    "                as the cgroup v2 VM's)\n"
    "  --parallel  counts of parallel runs (default 20,100)\n"
    "  --rounds    rounds of each parallel count (default 3)\n"
    "  --containers  created containers for `list` and `state` (default 1000)\n"
    "  --rootfs  the busybox rootfs archive (default: //testing/rootfs:busybox_rootfs)\n"
    "  --state-dir  where the runs' --root directories go (default /run, where the\n"
    "               runtimes keep their state by default; a tmpfs is mounted there\n"
    "               for the run when it is not on one, as /run is on a standard system)\n"
    "  --limits  give the container memory (256 MiB), pids (100) and cpu (50%) limits\n"
    "  --pause   milliseconds to sleep before each run (default 0), so that each run\n"
    "            starts as a lone container start does: on cgroup v1 runc's cgroup move\n"
    "            then waits for an RCU grace period, which one right after another\n"
    "            move does not\n"
    "  --exec    the same as --benchmarks=exec\n"
    "  --checkpoint  the same as --benchmarks=checkpoint\n";

constexpr char kDefaultBenchmarks[] = "run,parallel,steps,exec,list";
constexpr char kAllBenchmarks[] = "run,parallel,steps,exec,list,checkpoint";

struct Options {
  int runs = 30;
  int warmup = 2;
  std::string hull;
  std::string runc = "/usr/sbin/runc";
  std::string crun = "/usr/bin/crun";
  std::string baseline;
  // tools/bench/measured_exec.
  std::string measured_exec;
  std::vector<std::string> runtimes = {"hull", "runc", "crun"};
  bool runtimes_given = false;
  absl::flat_hash_set<std::string> benchmarks;
  std::vector<int> parallel = {20, 100};
  int rounds = 3;
  int containers = 1000;
  std::string rootfs_tar;
  std::string state_dir = "/run";
  bool limits = false;
  int pause_ms = 0;
  bool help = false;
};

absl::StatusOr<int> ParseCount(const std::string& name, const std::string& value, int minimum) {
  int count;
  if (!absl::SimpleAtoi(value, &count) || count < minimum) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": not a valid count: \"", value, "\""));
  }
  return count;
}

absl::StatusOr<Options> ParseOptions(int argc, char** argv) {
  Options options;
  options.benchmarks = absl::StrSplit(kDefaultBenchmarks, ',');
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const std::string value = equals == std::string::npos ? "" : arg.substr(equals + 1);
    if (name == "--help" || name == "-h") {
      options.help = true;
    } else if (name == "--limits" && equals == std::string::npos) {
      options.limits = true;
    } else if (name == "--exec" && equals == std::string::npos) {
      options.benchmarks = {"exec"};
    } else if (name == "--checkpoint" && equals == std::string::npos) {
      options.benchmarks = {"checkpoint"};
    } else if (name == "--runs") {
      ASSIGN_OR_RETURN(options.runs, ParseCount(name, value, 1));
    } else if (name == "--warmup") {
      ASSIGN_OR_RETURN(options.warmup, ParseCount(name, value, 0));
    } else if (name == "--pause") {
      ASSIGN_OR_RETURN(options.pause_ms, ParseCount(name, value, 0));
    } else if (name == "--rounds") {
      ASSIGN_OR_RETURN(options.rounds, ParseCount(name, value, 1));
    } else if (name == "--containers") {
      ASSIGN_OR_RETURN(options.containers, ParseCount(name, value, 1));
    } else if (name == "--parallel" && !value.empty()) {
      options.parallel.clear();
      for (const absl::string_view count : absl::StrSplit(value, ',')) {
        ASSIGN_OR_RETURN(int parsed, ParseCount(name, std::string(count), 1));
        options.parallel.push_back(parsed);
      }
    } else if (name == "--benchmarks" && !value.empty()) {
      options.benchmarks.clear();
      const absl::flat_hash_set<std::string> known = absl::StrSplit(kAllBenchmarks, ',');
      for (const absl::string_view benchmark : absl::StrSplit(value, ',')) {
        if (!known.contains(benchmark)) {
          return absl::InvalidArgumentError(
              absl::StrCat("--benchmarks: unknown benchmark \"", benchmark, "\""));
        }
        options.benchmarks.insert(std::string(benchmark));
      }
    } else if (name == "--runtimes" && !value.empty()) {
      options.runtimes = absl::StrSplit(value, ',');
      options.runtimes_given = true;
      if (options.runtimes.front() != "hull") {
        return absl::InvalidArgumentError("--runtimes: hull comes first (the ratios are hull's)");
      }
      for (const std::string& runtime : options.runtimes) {
        if (runtime != "hull" && runtime != "runc" && runtime != "crun") {
          return absl::InvalidArgumentError(
              absl::StrCat("--runtimes: unknown runtime \"", runtime, "\""));
        }
      }
    } else if (name == "--hull" && !value.empty()) {
      options.hull = value;
    } else if (name == "--runc" && !value.empty()) {
      options.runc = value;
    } else if (name == "--measured-exec" && !value.empty()) {
      options.measured_exec = value;
    } else if (name == "--baseline" && !value.empty()) {
      options.baseline = value;
    } else if (name == "--crun" && !value.empty()) {
      options.crun = value;
    } else if (name == "--rootfs" && !value.empty()) {
      options.rootfs_tar = value;
    } else if (name == "--state-dir" && !value.empty()) {
      options.state_dir = value;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown or incomplete option: ", arg));
    }
  }
  return options;
}

absl::Status ResolvePaths(const char* argv0, Options& options) {
  options.runc = FromCallerDirectory(options.runc);
  options.crun = FromCallerDirectory(options.crun);
  options.baseline = FromCallerDirectory(options.baseline);
  options.measured_exec = FromCallerDirectory(options.measured_exec);
  options.hull = FromCallerDirectory(options.hull);
  options.rootfs_tar = FromCallerDirectory(options.rootfs_tar);
  options.state_dir = FromCallerDirectory(options.state_dir);
  if (options.hull.empty() || options.rootfs_tar.empty() || options.measured_exec.empty()) {
    std::string error;
    std::unique_ptr<Runfiles> runfiles(Runfiles::Create(argv0, &error));
    if (runfiles == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("runfiles of ", argv0, ": ", error,
                       " (run me with bazel run, or pass --hull and --rootfs)"));
    }
    if (options.hull.empty()) options.hull = runfiles->Rlocation("hull/tools/launcher/hull");
    if (options.rootfs_tar.empty()) {
      options.rootfs_tar = runfiles->Rlocation("hull/testing/rootfs/busybox_rootfs.tar");
    }
    if (options.measured_exec.empty()) {
      options.measured_exec = runfiles->Rlocation("hull/tools/bench/measured_exec");
    }
  }
  std::vector<std::string*> paths = {&options.hull, &options.rootfs_tar, &options.state_dir,
                                     &options.measured_exec};
  if (!options.baseline.empty()) paths.push_back(&options.baseline);
  for (const std::string& runtime : options.runtimes) {
    if (runtime == "runc") paths.push_back(&options.runc);
    if (runtime == "crun") paths.push_back(&options.crun);
  }
  for (std::string* path : paths) {
    std::error_code error;
    std::filesystem::path absolute = std::filesystem::canonical(*path, error);
    if (error) return absl::NotFoundError(absl::StrCat("\"", *path, "\": ", error.message()));
    *path = absolute.string();
  }
  return absl::OkStatus();
}

// crun refuses to create a container on a host whose cgroups are hybrid (v1
// with a v2 hierarchy beside it), as this benchmark's development host's are.
bool CgroupV2Alone() {
  struct statfs fs;
  return statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

struct Runtime {
  std::string name;
  std::string binary;
};

// One container of one runtime: its own --root and a unique id.
struct Container {
  const Runtime* runtime;
  std::string root;
  std::string id;

  // `<runtime> --root <root> <args>...`.
  std::vector<std::string> Command(std::vector<std::string> args) const {
    std::vector<std::string> argv = {runtime->binary, "--root", root};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  std::string StderrPath(const std::string& dir) const {
    return absl::StrCat(dir, "/", id, ".stderr");
  }
};

Container NewContainer(const Runtime& runtime, const std::string& state_dir,
                       absl::string_view root_name, absl::string_view tag) {
  return Container{.runtime = &runtime,
                   .root = absl::StrCat(state_dir, "/", runtime.name, "-", root_name),
                   .id = absl::StrCat("bench-", runtime.name, "-", getpid(), "-", tag)};
}

bool StateExists(const Container& container) {
  std::error_code error;
  return std::filesystem::exists(absl::StrCat(container.root, "/", container.id), error) || error;
}

// Never leaves a container behind: deletes it (forced) if its state is still
// there, which is an error when `should_be_gone`.
absl::Status Remove(const Container& container, const std::string& dir, bool should_be_gone) {
  if (!StateExists(container)) return absl::OkStatus();
  absl::Status deleted =
      RunSetup(container.Command({"delete", "--force", container.id}), container.StderrPath(dir));
  absl::Status result = absl::OkStatus();
  if (should_be_gone) {
    result = absl::InternalError(absl::StrCat(container.runtime->name, " left container ",
                                              container.id, "'s state behind in ",
                                              container.root));
  }
  if (!deleted.ok()) {
    result = absl::InternalError(absl::StrCat(result.ok() ? "" : result.message(),
                                              result.ok() ? "" : "; ", deleted.message()));
  }
  return result;
}

// The measured command of `container` must have exited 0.
absl::Status CheckExit(const Container& container, const Measurement& run,
                       absl::string_view verb, const std::string& dir) {
  if (run.exit_code == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(container.runtime->name, " ", verb, " ", container.id,
                                          " exited with status ", run.exit_code, ": ",
                                          ReadStderr(container.StderrPath(dir))));
}

// `run` of `container` (a fresh root and id): checks that it succeeded and
// deleted the container; removes the root.
absl::StatusOr<Measurement> RunOnce(const Container& container, const std::string& bundle,
                                    const std::string& dir) {
  ASSIGN_OR_RETURN(Measurement run,
                   TimedRun(container.Command({"run", "--bundle", bundle, container.id}),
                            container.StderrPath(dir)));
  absl::Status result = CheckExit(container, run, "run", dir);
  absl::Status removed = Remove(container, dir, /*should_be_gone=*/result.ok());
  if (result.ok()) result = removed;
  std::error_code error;
  std::filesystem::remove_all(container.root, error);
  if (result.ok() && error) {
    result = absl::InternalError(
        absl::StrCat("remove \"", container.root, "\": ", error.message()));
  }
  if (!result.ok()) return result;
  return run;
}

// The samples of one runtime in one benchmark, by figure.
using Samples = absl::flat_hash_map<std::string, std::vector<double>>;

// What the benchmarks measured: a line per figure, a column per runtime.
class Report {
 public:
  explicit Report(const std::vector<Runtime>& runtimes) : runtimes_(runtimes) {}

  // A figure of each runtime (in the order of `runtimes`); also printed at
  // once on stderr, so that a long run that fails later keeps it.
  void Add(std::string label, std::vector<double> values, std::string unit) {
    lines_.push_back({std::move(label), std::move(values), std::move(unit)});
    if (lines_.size() == 1) std::cerr << Header();
    std::cerr << Format(lines_.back());
  }
  // Adds a statistic (the median by default) of each runtime's samples of
  // `figure`.
  absl::Status AddSummaries(const std::string& label, const std::vector<Samples>& samples,
                            const std::string& figure, const std::string& unit,
                            double Summary::*statistic = &Summary::median) {
    std::vector<double> values;
    for (const Samples& runtime_samples : samples) {
      auto it = runtime_samples.find(figure);
      if (it == runtime_samples.end()) return absl::InternalError("no samples of " + figure);
      ASSIGN_OR_RETURN(Summary summary, Summarize(it->second));
      values.push_back(summary.*statistic);
    }
    Add(label, std::move(values), unit);
    return absl::OkStatus();
  }
  void AddNote(std::string note) { notes_.push_back(std::move(note)); }

  void Print() const {
    absl::PrintF("\n%s", Header());
    for (const Line& line : lines_) absl::PrintF("%s", Format(line));
    if (!notes_.empty()) absl::PrintF("\n");
    for (const std::string& note : notes_) absl::PrintF("%s\n", note);
  }

 private:
  struct Line {
    std::string label;
    std::vector<double> values;
    std::string unit;
  };

  std::string Header() const {
    std::string text = absl::StrFormat("%-44s", "");
    for (const Runtime& runtime : runtimes_) absl::StrAppendFormat(&text, " %10s", runtime.name);
    for (size_t i = 1; i < runtimes_.size(); ++i) {
      absl::StrAppendFormat(&text, " %10s", absl::StrCat("hull/", runtimes_[i].name));
    }
    return text + "\n";
  }

  static std::string Format(const Line& line) {
    std::string text = absl::StrFormat("%-44s", absl::StrCat(line.label, " (", line.unit, ")"));
    for (double value : line.values) {
      // Counts are whole; figures below 1 get more digits.
      absl::StrAppendFormat(&text, " %10.*f",
                            value == static_cast<long>(value) ? 0 : value < 1 ? 4 : 2, value);
    }
    for (size_t i = 1; i < line.values.size(); ++i) {
      if (line.values[i] > 0) {
        absl::StrAppendFormat(&text, " %10.2f", line.values[0] / line.values[i]);
      } else {
        absl::StrAppendFormat(&text, " %10s", "-");
      }
    }
    return text + "\n";
  }
  const std::vector<Runtime>& runtimes_;
  std::vector<Line> lines_;
  std::vector<std::string> notes_;
};

// Ctrl-C reaches the runtime being measured too (same process group); the
// benchmark notices afterwards and stops, cleaning up. A handler rather than
// SIG_IGN, so that the runtimes it spawns keep the default disposition.
volatile sig_atomic_t interrupted = 0;

void OnInterrupt(int) { interrupted = 1; }

absl::Status InstallInterruptHandler() {
  struct sigaction action = {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
    if (sigaction(signal, &action, nullptr) != 0) {
      return absl::InternalError(absl::StrCat("sigaction ", signal, ": ", strerror(errno)));
    }
  }
  return absl::OkStatus();
}

void Progress(absl::string_view what) { std::cerr << "bench: " << what << std::endl; }

absl::Status CheckInterrupted() {
  return interrupted ? absl::CancelledError("interrupted") : absl::OkStatus();
}

double Ms(absl::Duration duration) { return absl::ToDoubleMilliseconds(duration); }

// What every benchmark works with.
struct Bench {
  const Options& options;
  const std::vector<Runtime>& runtimes;
  // The bundles, and every runtime's stderr files.
  std::string dir;
  // Where the containers' --root directories go.
  std::string state_dir;
  std::string true_bundle;
  // The process is `sleep`: a container that keeps running (exec).
  std::string sleep_bundle;
  // An idle sh whose stdio is its own /dev/null (CRIU restores what the
  // container's stdio is), then sleep (checkpoint).
  std::string idle_bundle;
  Report& report;

  void Pause() const { absl::SleepFor(absl::Milliseconds(options.pause_ms)); }
  int Iterations() const { return options.warmup + options.runs; }
  // The runtime at `position` in iteration (or round) `iteration`: the order
  // rotates by one each time, so that each runtime follows each other one,
  // and the floor, equally often. A run pays for what its predecessor left
  // the kernel to tear down (a network namespace is freed by a kernel worker
  // after its last process exits); in a fixed order the first runtime paid
  // for the floor's, 5-12% of its median on the host.
  size_t RuntimeAt(int iteration, size_t position) const {
    return (static_cast<size_t>(iteration) + position) % runtimes.size();
  }
};

// `run` of /bin/true: wall, CPU and peak RSS; and, interleaved with the
// runtimes, the floor (bench_setup.h's FloorCommand), hull's wall time over
// which is a note.
absl::Status BenchmarkRun(const Bench& bench) {
  Progress("run");
  ASSIGN_OR_RETURN(const std::vector<std::string> floor, FloorCommand(bench.true_bundle));
  const std::string floor_stderr = absl::StrCat(bench.dir, "/floor.stderr");
  std::vector<Samples> samples(bench.runtimes.size());
  std::vector<double> floor_walls;
  for (int i = 0; i < bench.Iterations(); ++i) {
    for (size_t position = 0; position < bench.runtimes.size(); ++position) {
      const size_t r = bench.RuntimeAt(i, position);
      bench.Pause();
      const std::string tag = absl::StrCat("run-", i);
      absl::StatusOr<Measurement> run = RunOnce(
          NewContainer(bench.runtimes[r], bench.state_dir, tag, tag), bench.true_bundle,
          bench.dir);
      RETURN_IF_ERROR(CheckInterrupted());  // an interrupted run fails too: say why
      if (!run.ok()) return run.status();
      if (i < bench.options.warmup) continue;
      samples[r]["wall"].push_back(Ms(run->wall));
      samples[r]["cpu"].push_back(Ms(run->cpu));
      samples[r]["rss"].push_back(static_cast<double>(run->peak_rss_kib) / 1024);
    }
    bench.Pause();
    ASSIGN_OR_RETURN(const Measurement floor_run, TimedRun(floor, floor_stderr));
    RETURN_IF_ERROR(CheckInterrupted());
    if (floor_run.exit_code != 0) {
      return absl::InternalError(absl::StrCat("the floor (", absl::StrJoin(floor, " "),
                                              ") exited with ", floor_run.exit_code, ": ",
                                              ReadStderr(floor_stderr)));
    }
    if (i >= bench.options.warmup) floor_walls.push_back(Ms(floor_run.wall));
  }
  const std::string runs = absl::StrCat(bench.options.runs, " runs");
  RETURN_IF_ERROR(bench.report.AddSummaries(absl::StrCat("run: wall median, ", runs), samples,
                                            "wall", "ms"));
  RETURN_IF_ERROR(bench.report.AddSummaries("run: wall p90", samples, "wall", "ms", &Summary::p90));
  RETURN_IF_ERROR(bench.report.AddSummaries("run: CPU user+sys median", samples, "cpu", "ms"));
  RETURN_IF_ERROR(bench.report.AddSummaries("run: peak RSS median", samples, "rss", "MiB"));
  ASSIGN_OR_RETURN(const Summary floor_wall, Summarize(floor_walls));
  ASSIGN_OR_RETURN(const Summary hull_wall, Summarize(samples[0]["wall"]));
  bench.report.AddNote(absl::StrFormat(
      "run: the floor (%s), interleaved: wall median %.2f ms; hull/floor %.2f",
      absl::StrJoin(floor, " "), floor_wall.median, hull_wall.median / floor_wall.median));
  return absl::OkStatus();
}

// `count` runs at once, --rounds times: the wall time from the first start
// (all start together, through a StartGate) to the last exit, the CPU time of
// them all, and the runs that failed.
absl::Status BenchmarkParallel(const Bench& bench, int count) {
  Progress(absl::StrCat("parallel ", count));
  std::vector<Samples> samples(bench.runtimes.size());
  std::vector<double> failures(bench.runtimes.size(), 0);
  for (int round = 0; round < bench.options.rounds; ++round) {
    for (size_t position = 0; position < bench.runtimes.size(); ++position) {
      const size_t r = bench.RuntimeAt(round, position);
      bench.Pause();
      std::vector<Container> containers;
      std::vector<Spawned> spawned;
      ASSIGN_OR_RETURN(StartGate gate, StartGate::Create());
      absl::Status status = absl::OkStatus();
      for (int k = 0; k < count && status.ok(); ++k) {
        const std::string tag = absl::StrCat("parallel", count, "-", round, "-", k);
        containers.push_back(NewContainer(bench.runtimes[r], bench.state_dir, tag, tag));
        const Container& container = containers.back();
        absl::StatusOr<Spawned> one = Spawn(
            container.Command({"run", "--bundle", bench.true_bundle, container.id}),
            container.StderrPath(bench.dir), &gate);
        if (one.ok()) {
          spawned.push_back(*one);
        } else {
          status = one.status();
        }
      }
      status.Update(gate.Open());
      absl::Time first_start = absl::InfiniteFuture();
      absl::Time last_end = absl::InfinitePast();
      absl::Duration cpu;
      for (size_t k = 0; k < spawned.size(); ++k) {
        absl::StatusOr<Measurement> run = Wait(spawned[k]);
        if (!run.ok()) {
          status.Update(run.status());
          continue;
        }
        first_start = std::min(first_start, run->start);
        last_end = std::max(last_end, run->start + run->wall);
        cpu += run->cpu;
        absl::Status exited = CheckExit(containers[k], *run, "run", bench.dir);
        absl::Status removed =
            Remove(containers[k], bench.dir, /*should_be_gone=*/exited.ok());
        if (!exited.ok() || !removed.ok()) {
          if (failures[r]++ == 0) {
            bench.report.AddNote(absl::StrCat("parallel ", count, ": first failure of ",
                                              bench.runtimes[r].name, ": ",
                                              (exited.ok() ? removed : exited).message()));
          }
        }
        std::error_code error;
        std::filesystem::remove_all(containers[k].root, error);
      }
      RETURN_IF_ERROR(CheckInterrupted());
      RETURN_IF_ERROR(status);
      samples[r]["wall"].push_back(Ms(last_end - first_start));
      samples[r]["cpu"].push_back(Ms(cpu));
    }
  }
  const std::string label = absl::StrCat("parallel ", count, " runs: ");
  RETURN_IF_ERROR(bench.report.AddSummaries(
      absl::StrCat(label, "wall, median of ", bench.options.rounds), samples, "wall", "ms"));
  RETURN_IF_ERROR(bench.report.AddSummaries(absl::StrCat(label, "CPU user+sys"), samples, "cpu",
                                            "ms"));
  bench.report.Add(absl::StrCat(label, "failures"), failures,
                   absl::StrCat("of ", count * bench.options.rounds));
  return absl::OkStatus();
}

// `create`, `start` and `delete --force` of /bin/true as separate commands.
absl::Status BenchmarkSteps(const Bench& bench) {
  Progress("create, start, delete");
  std::vector<Samples> samples(bench.runtimes.size());
  for (int i = 0; i < bench.Iterations(); ++i) {
    for (size_t position = 0; position < bench.runtimes.size(); ++position) {
      const size_t r = bench.RuntimeAt(i, position);
      bench.Pause();
      const std::string tag = absl::StrCat("steps-", i);
      const Container container = NewContainer(bench.runtimes[r], bench.state_dir, tag, tag);
      absl::Duration total, cpu;
      absl::Status status = absl::OkStatus();
      for (const auto& [verb, args] : std::vector<std::pair<std::string, std::vector<std::string>>>{
               {"create", {"create", "--bundle", bench.true_bundle, container.id}},
               {"start", {"start", container.id}},
               {"delete", {"delete", "--force", container.id}}}) {
        absl::StatusOr<Measurement> step =
            TimedRun(container.Command(args), container.StderrPath(bench.dir));
        status = step.ok() ? CheckExit(container, *step, verb, bench.dir) : step.status();
        if (!status.ok()) break;
        samples[r][verb].push_back(Ms(step->wall));
        total += step->wall;
        cpu += step->cpu;
      }
      absl::Status removed = Remove(container, bench.dir, /*should_be_gone=*/status.ok());
      std::error_code error;
      std::filesystem::remove_all(container.root, error);
      RETURN_IF_ERROR(CheckInterrupted());
      RETURN_IF_ERROR(status);
      RETURN_IF_ERROR(removed);
      if (i < bench.options.warmup) {
        for (const char* verb : {"create", "start", "delete"}) samples[r][verb].pop_back();
        continue;
      }
      samples[r]["total"].push_back(Ms(total));
      samples[r]["cpu"].push_back(Ms(cpu));
    }
  }
  for (const char* verb : {"create", "start", "delete"}) {
    RETURN_IF_ERROR(bench.report.AddSummaries(absl::StrCat("steps: ", verb, " median"), samples,
                                              verb, "ms"));
  }
  RETURN_IF_ERROR(bench.report.AddSummaries("steps: create+start+delete median", samples,
                                            "total", "ms"));
  RETURN_IF_ERROR(bench.report.AddSummaries("steps: CPU user+sys of the three", samples, "cpu",
                                            "ms"));
  return absl::OkStatus();
}

// Deletes (forced) every container it holds when it goes, whatever happened.
class ContainerSet {
 public:
  explicit ContainerSet(std::string dir) : dir_(std::move(dir)) {}
  ContainerSet(const ContainerSet&) = delete;
  ContainerSet& operator=(const ContainerSet&) = delete;
  ~ContainerSet() {
    for (const Container& container : containers_) {
      const absl::Status removed = Remove(container, dir_, /*should_be_gone=*/false);
      if (!removed.ok()) std::cerr << "bench: " << removed.message() << "\n";
    }
    // Only once every container is deleted: containers share a --root (list),
    // and a root removed early hides the others' state from their delete.
    for (const Container& container : containers_) {
      std::error_code error;
      std::filesystem::remove_all(container.root, error);
    }
  }
  void Add(Container container) { containers_.push_back(std::move(container)); }
  const std::vector<Container>& containers() const { return containers_; }

 private:
  std::string dir_;
  std::vector<Container> containers_;
};

// `exec` of /bin/true into one running container of each runtime.
absl::Status BenchmarkExec(const Bench& bench) {
  Progress("exec");
  ContainerSet targets(bench.dir);
  for (const Runtime& runtime : bench.runtimes) {
    const Container container = NewContainer(runtime, bench.state_dir, "exec", "exec");
    targets.Add(container);
    RETURN_IF_ERROR(
        RunSetup(container.Command({"run", "--detach", "--bundle", bench.sleep_bundle,
                                    container.id}),
                 container.StderrPath(bench.dir)));
  }
  std::vector<Samples> samples(bench.runtimes.size());
  for (int i = 0; i < bench.Iterations(); ++i) {
    for (size_t position = 0; position < bench.runtimes.size(); ++position) {
      const size_t r = bench.RuntimeAt(i, position);
      bench.Pause();
      const Container& container = targets.containers()[r];
      absl::StatusOr<Measurement> exec = TimedRun(
          container.Command({"exec", container.id, "/bin/true"}), container.StderrPath(bench.dir));
      RETURN_IF_ERROR(CheckInterrupted());
      if (!exec.ok()) return exec.status();
      RETURN_IF_ERROR(CheckExit(container, *exec, "exec", bench.dir));
      if (i < bench.options.warmup) continue;
      samples[r]["wall"].push_back(Ms(exec->wall));
      samples[r]["cpu"].push_back(Ms(exec->cpu));
      samples[r]["rss"].push_back(static_cast<double>(exec->peak_rss_kib) / 1024);
    }
  }
  RETURN_IF_ERROR(bench.report.AddSummaries("exec: wall median", samples, "wall", "ms"));
  RETURN_IF_ERROR(bench.report.AddSummaries("exec: CPU user+sys median", samples, "cpu", "ms"));
  RETURN_IF_ERROR(bench.report.AddSummaries("exec: peak RSS median", samples, "rss", "MiB"));
  return absl::OkStatus();
}

// `list` and `state` of one container among --containers created ones (under
// one --root), one runtime after the other: they all wait in `create`.
absl::Status BenchmarkList(const Bench& bench) {
  const int count = bench.options.containers;
  std::vector<Samples> samples(bench.runtimes.size());
  for (size_t r = 0; r < bench.runtimes.size(); ++r) {
    Progress(absl::StrCat("list: ", count, " containers of ", bench.runtimes[r].name));
    ContainerSet created(bench.dir);
    for (int k = 0; k < count; ++k) {
      const Container container =
          NewContainer(bench.runtimes[r], bench.state_dir, "list", absl::StrCat("list-", k));
      created.Add(container);
      RETURN_IF_ERROR(RunSetup(container.Command({"create", "--bundle", bench.true_bundle,
                                                  container.id}),
                               container.StderrPath(bench.dir)));
      RETURN_IF_ERROR(CheckInterrupted());
    }
    for (int i = 0; i < bench.Iterations(); ++i) {
      const Container& container = created.containers()[i % count];
      for (const auto& [verb, args] : std::vector<std::pair<std::string, std::vector<std::string>>>{
               {"list", {"list"}}, {"state", {"state", container.id}}}) {
        absl::StatusOr<Measurement> run =
            TimedRun(container.Command(args), container.StderrPath(bench.dir));
        RETURN_IF_ERROR(CheckInterrupted());
        if (!run.ok()) return run.status();
        RETURN_IF_ERROR(CheckExit(container, *run, verb, bench.dir));
        if (i >= bench.options.warmup) samples[r][verb].push_back(Ms(run->wall));
      }
    }
    for (double list_ms : samples[r]["list"]) samples[r]["list per"].push_back(list_ms / count);
  }
  const std::string label = absl::StrCat(" with ", count, " created containers");
  RETURN_IF_ERROR(
      bench.report.AddSummaries(absl::StrCat("list", label), samples, "list", "ms"));
  RETURN_IF_ERROR(bench.report.AddSummaries("list: per container", samples, "list per", "ms"));
  RETURN_IF_ERROR(
      bench.report.AddSummaries(absl::StrCat("state", label), samples, "state", "ms"));
  return absl::OkStatus();
}

// `checkpoint` of an idle container (started, not measured), then `restore
// --detach` of its images under a new id; both containers and the images are
// removed after each round.
absl::Status BenchmarkCheckpoint(const Bench& bench) {
  Progress("checkpoint, restore");
  std::vector<Samples> samples(bench.runtimes.size());
  for (int i = 0; i < bench.Iterations(); ++i) {
    for (size_t position = 0; position < bench.runtimes.size(); ++position) {
      const size_t r = bench.RuntimeAt(i, position);
      bench.Pause();
      const std::string tag = absl::StrCat("cr-", i);
      ContainerSet round(bench.dir);
      const Container container = NewContainer(bench.runtimes[r], bench.state_dir, tag, tag);
      Container restored = container;
      restored.id += "-restored";
      // runc's checkpoint removes the container; Hull's keeps it, stopped.
      round.Add(restored);
      round.Add(container);
      const std::string images = absl::StrCat(bench.dir, "/", container.id, "-images");
      RETURN_IF_ERROR(RunSetup(container.Command({"run", "--detach", "--bundle",
                                                  bench.idle_bundle, container.id}),
                               container.StderrPath(bench.dir)));
      absl::Duration total, cpu;
      double rss_mib = 0;
      for (const auto& [verb, step_container, args] :
           std::vector<std::tuple<std::string, const Container*, std::vector<std::string>>>{
               {"checkpoint", &container,
                {"checkpoint", "--image-path", images, container.id}},
               {"restore", &restored,
                {"restore", "--detach", "--bundle", bench.idle_bundle, "--image-path", images,
                 restored.id}}}) {
        ASSIGN_OR_RETURN(const Measurement step,
                         TimedRun(step_container->Command(args),
                                  step_container->StderrPath(bench.dir)));
        RETURN_IF_ERROR(CheckInterrupted());
        RETURN_IF_ERROR(CheckExit(*step_container, step, verb, bench.dir));
        if (i >= bench.options.warmup) samples[r][verb].push_back(Ms(step.wall));
        total += step.wall;
        cpu += step.cpu;
        rss_mib = std::max(rss_mib, static_cast<double>(step.peak_rss_kib) / 1024);
      }
      std::error_code error;
      std::filesystem::remove_all(images, error);
      if (i < bench.options.warmup) continue;
      samples[r]["total"].push_back(Ms(total));
      samples[r]["cpu"].push_back(Ms(cpu));
      samples[r]["rss"].push_back(rss_mib);
    }
  }
  for (const char* verb : {"checkpoint", "restore"}) {
    RETURN_IF_ERROR(bench.report.AddSummaries(absl::StrCat(verb, " median"), samples, verb, "ms"));
  }
  RETURN_IF_ERROR(bench.report.AddSummaries("checkpoint+restore median", samples, "total", "ms"));
  RETURN_IF_ERROR(
      bench.report.AddSummaries("checkpoint+restore: CPU user+sys", samples, "cpu", "ms"));
  RETURN_IF_ERROR(
      bench.report.AddSummaries("checkpoint+restore: peak RSS median", samples, "rss", "MiB"));
  return absl::OkStatus();
}

// The runtimes to compare, hull first.
absl::StatusOr<std::vector<Runtime>> ChooseRuntimes(const Options& options) {
  std::vector<Runtime> runtimes;
  for (const std::string& name : options.runtimes) {
    if (name == "crun" && !CgroupV2Alone()) {
      if (options.runtimes_given) {
        return absl::FailedPreconditionError(
            "crun refuses a host whose /sys/fs/cgroup is not cgroup2 alone (this one's): "
            "measure it in the cgroup v2 VM (README.md)");
      }
      absl::PrintF("note:   crun left out: /sys/fs/cgroup is not cgroup2 alone, which it "
                   "refuses (measure it in the cgroup v2 VM, README.md)\n");
      continue;
    }
    runtimes.push_back({.name = name,
                        .binary = name == "hull"   ? options.hull
                                  : name == "runc" ? options.runc
                                                   : options.crun});
    if (name == "hull" && !options.baseline.empty()) {
      runtimes.push_back({.name = "base", .binary = options.baseline});
    }
  }
  return runtimes;
}

absl::Status Main(int argc, char** argv) {
  ASSIGN_OR_RETURN(Options options, ParseOptions(argc, argv));
  if (options.help) {
    std::cout << kUsage;
    return absl::OkStatus();
  }
  if (geteuid() != 0) {
    return absl::PermissionDeniedError("the runtimes need root to create containers: run as root");
  }
  RETURN_IF_ERROR(ResolvePaths(argv[0], options));
  SetMeasuredExec(options.measured_exec);
  RETURN_IF_ERROR(InstallInterruptHandler());
  ASSIGN_OR_RETURN(const std::vector<Runtime> runtimes, ChooseRuntimes(options));
  ASSIGN_OR_RETURN(const BenchDirs dirs, MakeBenchDirs(options.state_dir));
  const TempDir& dir = dirs.scratch;
  const TempDir& state_dir = dirs.state;
  ASSIGN_OR_RETURN(std::string true_bundle, MakeBundle(dir.path(), "bundle", options.rootfs_tar,
                                                       options.limits, {"/bin/true"}));
  std::string sleep_bundle;
  if (options.benchmarks.contains("exec")) {
    ASSIGN_OR_RETURN(sleep_bundle, MakeBundle(dir.path(), "sleep-bundle", options.rootfs_tar,
                                              options.limits, {"/bin/sleep", "1000000"}));
  }
  std::string idle_bundle;
  if (options.benchmarks.contains("checkpoint")) {
    ASSIGN_OR_RETURN(idle_bundle,
                     MakeBundle(dir.path(), "idle-bundle", options.rootfs_tar, options.limits,
                                {"/bin/sh", "-c",
                                 "exec </dev/null >/dev/null 2>&1; exec sleep 1000000"}));
  }
  for (const Runtime& runtime : runtimes) absl::PrintF("%-7s %s\n", runtime.name + ":", runtime.binary);
  absl::PrintF(
      "bundle: %s (busybox; hull spec's config, terminal false, args [\"/bin/true\"]%s)\n"
      "state:  %s (each container's --root in it)\n",
      true_bundle, options.limits ? ", memory+pids+cpu limits" : "",
      absl::StrCat(state_dir.path(), dirs.state_tmpfs.mounted() ? " on a tmpfs of the benchmark's" : ""));
  if (!absl::StrContains(options.hull, "-opt/")) {
    absl::PrintF(
        "note:   this hull is not an optimized build; measure with "
        "`bazel run -c opt //tools/bench`\n");
  }
  absl::PrintF("%d warm-up and %d measured runs of each, interleaved by runtime in an order that "
               "rotates each time%s\n",
               options.warmup, options.runs,
               options.pause_ms > 0 ? absl::StrCat(", ", options.pause_ms, " ms apart") : "");

  Report report(runtimes);
  const Bench bench = {.options = options,
                       .runtimes = runtimes,
                       .dir = dir.path(),
                       .state_dir = state_dir.path(),
                       .true_bundle = true_bundle,
                       .sleep_bundle = sleep_bundle,
                       .idle_bundle = idle_bundle,
                       .report = report};
  if (options.benchmarks.contains("run")) RETURN_IF_ERROR(BenchmarkRun(bench));
  if (options.benchmarks.contains("parallel")) {
    for (int count : options.parallel) RETURN_IF_ERROR(BenchmarkParallel(bench, count));
  }
  if (options.benchmarks.contains("steps")) RETURN_IF_ERROR(BenchmarkSteps(bench));
  if (options.benchmarks.contains("exec")) RETURN_IF_ERROR(BenchmarkExec(bench));
  if (options.benchmarks.contains("list")) RETURN_IF_ERROR(BenchmarkList(bench));
  if (options.benchmarks.contains("checkpoint")) RETURN_IF_ERROR(BenchmarkCheckpoint(bench));
  report.Print();
  absl::PrintF(
      "\nEach command runs as the child of tools/bench/measured_exec, which measures it:\n"
      "wall: CLOCK_MONOTONIC from its fork to its wait4's return.\n"
      "CPU: ru_utime + ru_stime from wait4: the command and every descendant it waited for.\n"
      "peak RSS: ru_maxrss from wait4, the largest resident set of any one process of the\n"
      "runtime's tree (the runtime, its helpers, the container's process), not their sum.\n"
      "parallel: every measured_exec of a round is spawned and started first, then all\n"
      "fork at once (a start gate): none starts while the others run.\n");
  return absl::OkStatus();
}

}  // namespace
}  // namespace hull::bench

int main(int argc, char** argv) {
  absl::Status status = hull::bench::Main(argc, argv);
  if (status.ok()) return 0;
  std::cerr << "bench: " << status.message() << "\n";
  if (absl::IsInvalidArgument(status)) std::cerr << hull::bench::kUsage;
  return 1;
}
