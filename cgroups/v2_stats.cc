#include "cgroups/v2_stats.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "cgroups/stat_files.h"
#include "base/status_macros.h"

namespace hull::cgroups {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

// Reads the files of one cgroup directory; a missing file is nullopt.
class Files {
 public:
  Files(CgroupFs& fs, const std::string& directory) : fs_(fs), directory_(directory) {}

  absl::StatusOr<std::optional<std::string>> Read(absl::string_view name) {
    return ReadOptionalFile(fs_, Path(name));
  }

  absl::StatusOr<std::optional<uint64_t>> Uint(absl::string_view name) {
    ASSIGN_OR_RETURN(const std::optional<std::string> contents, Read(name));
    if (!contents) return std::nullopt;
    ASSIGN_OR_RETURN(const uint64_t value, ParseUint(*contents, Path(name)));
    return value;
  }

  absl::StatusOr<std::optional<std::map<std::string, uint64_t>>> KeyValues(
      absl::string_view name) {
    ASSIGN_OR_RETURN(const std::optional<std::string> contents, Read(name));
    if (!contents) return std::nullopt;
    ASSIGN_OR_RETURN(auto values, ParseKeyValues(*contents, Path(name)));
    return values;
  }

  // A *.pressure file into `psi`; nothing without PSI.
  absl::Status Pressure(absl::string_view name, PsiStats* psi) {
    ASSIGN_OR_RETURN(const std::optional<std::string> contents, Read(name));
    if (!contents) return absl::OkStatus();
    ASSIGN_OR_RETURN(*psi, ParsePressure(*contents, Path(name)));
    return absl::OkStatus();
  }

  std::string Path(absl::string_view name) const { return absl::StrCat(directory_, "/", name); }

 private:
  CgroupFs& fs_;
  const std::string& directory_;
};

uint64_t Get(const std::map<std::string, uint64_t>& values, const std::string& key) {
  const auto it = values.find(key);
  return it == values.end() ? 0 : it->second;
}

absl::Status ReadCpu(Files& files, Stats& stats) {
  ASSIGN_OR_RETURN(const auto values, files.KeyValues("cpu.stat"));
  if (!values) return absl::OkStatus();
  Cpu& cpu = *stats.mutable_cpu();
  cpu.mutable_usage()->set_total(Get(*values, "usage_usec") * 1000);
  cpu.mutable_usage()->set_user(Get(*values, "user_usec") * 1000);
  cpu.mutable_usage()->set_kernel(Get(*values, "system_usec") * 1000);
  cpu.mutable_throttling()->set_periods(Get(*values, "nr_periods"));
  cpu.mutable_throttling()->set_throttled_periods(Get(*values, "nr_throttled"));
  cpu.mutable_throttling()->set_throttled_time(Get(*values, "throttled_usec") * 1000);
  return files.Pressure("cpu.pressure", cpu.mutable_psi());
}

absl::Status ReadMemory(Files& files, Stats& stats) {
  ASSIGN_OR_RETURN(const std::optional<uint64_t> current, files.Uint("memory.current"));
  if (!current) return absl::OkStatus();
  Memory& memory = *stats.mutable_memory();
  MemoryEntry& usage = *memory.mutable_usage();
  usage.set_usage(*current);
  ASSIGN_OR_RETURN(const std::optional<uint64_t> limit, files.Uint("memory.max"));
  usage.set_limit(limit.value_or(kMax));
  // memory.peak: kernel 5.19+.
  ASSIGN_OR_RETURN(const std::optional<uint64_t> peak, files.Uint("memory.peak"));
  usage.set_max(peak.value_or(0));
  ASSIGN_OR_RETURN(const auto events, files.KeyValues("memory.events"));
  if (events) usage.set_failcnt(Get(*events, "max"));

  // Without swap accounting there are no memory.swap.* files.
  ASSIGN_OR_RETURN(const std::optional<uint64_t> swap_current, files.Uint("memory.swap.current"));
  if (swap_current) {
    ASSIGN_OR_RETURN(const std::optional<uint64_t> swap_limit, files.Uint("memory.swap.max"));
    MemoryEntry& swap = *memory.mutable_swap();
    swap.set_usage(*swap_current + usage.usage());
    const uint64_t swap_max = swap_limit.value_or(kMax);
    swap.set_limit(swap_max == kMax || usage.limit() == kMax ? kMax : swap_max + usage.limit());
  }

  ASSIGN_OR_RETURN(const auto stat, files.KeyValues("memory.stat"));
  if (stat) {
    memory.mutable_raw()->insert(stat->begin(), stat->end());
    memory.set_cache(Get(*stat, "file"));
  }
  return files.Pressure("memory.pressure", memory.mutable_psi());
}

absl::Status ReadPids(Files& files, Stats& stats) {
  ASSIGN_OR_RETURN(const std::optional<uint64_t> current, files.Uint("pids.current"));
  if (!current) return absl::OkStatus();
  stats.mutable_pids()->set_current(*current);
  ASSIGN_OR_RETURN(const std::optional<uint64_t> limit, files.Uint("pids.max"));
  stats.mutable_pids()->set_limit(limit.value_or(kMax) == kMax ? 0 : *limit);
  return absl::OkStatus();
}

// io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" lines.
absl::Status ReadIo(Files& files, Stats& stats) {
  ASSIGN_OR_RETURN(const std::optional<std::string> contents, files.Read("io.stat"));
  if (!contents) return absl::OkStatus();
  Blkio& blkio = *stats.mutable_blkio();
  const auto malformed = [&](absl::string_view what) {
    return absl::DataLossError(absl::StrCat("malformed ", files.Path("io.stat"), ": \"", what, "\""));
  };
  for (const absl::string_view line : absl::StrSplit(*contents, '\n', absl::SkipWhitespace())) {
    const std::vector<absl::string_view> fields = absl::StrSplit(line, ' ', absl::SkipEmpty());
    const std::vector<absl::string_view> device = absl::StrSplit(fields[0], ':');
    uint64_t major, minor;
    if (device.size() != 2 || !absl::SimpleAtoi(device[0], &major) ||
        !absl::SimpleAtoi(device[1], &minor)) {
      return malformed(line);
    }
    for (size_t i = 1; i < fields.size(); ++i) {
      const std::vector<absl::string_view> pair = absl::StrSplit(fields[i], '=');
      uint64_t value;
      if (pair.size() != 2 || !absl::SimpleAtoi(pair[1], &value)) return malformed(fields[i]);
      BlkioEntry entry;
      entry.set_major(major);
      entry.set_minor(minor);
      entry.set_value(value);
      if (pair[0] == "rbytes" || pair[0] == "rios") entry.set_op("Read");
      if (pair[0] == "wbytes" || pair[0] == "wios") entry.set_op("Write");
      // Discards and the rest have no v1 counterpart (runc skips them too).
      if (entry.op().empty()) continue;
      if (pair[0] == "rbytes" || pair[0] == "wbytes") {
        *blkio.add_io_service_bytes_recursive() = std::move(entry);
      } else {
        *blkio.add_io_serviced_recursive() = std::move(entry);
      }
    }
  }
  return files.Pressure("io.pressure", blkio.mutable_psi());
}

absl::Status ReadHugetlb(Files& files, const std::vector<std::string>& sizes, Stats& stats) {
  for (const std::string& size : sizes) {
    ASSIGN_OR_RETURN(const std::optional<uint64_t> current,
                     files.Uint(absl::StrCat("hugetlb.", size, ".current")));
    if (!current) continue;
    Hugetlb& hugetlb = (*stats.mutable_hugetlb())[size];
    hugetlb.set_usage(*current);
    ASSIGN_OR_RETURN(const auto events, files.KeyValues(absl::StrCat("hugetlb.", size, ".events")));
    if (events) hugetlb.set_failcnt(Get(*events, "max"));
  }
  return absl::OkStatus();
}

absl::Status ParsePsiLine(absl::string_view line, PsiData& data, absl::string_view file) {
  const std::vector<absl::string_view> fields = absl::StrSplit(line, ' ', absl::SkipEmpty());
  for (size_t i = 1; i < fields.size(); ++i) {
    const std::vector<absl::string_view> pair = absl::StrSplit(fields[i], '=');
    double number = 0;
    uint64_t total = 0;
    const bool ok = pair.size() == 2 && (pair[0] == "total" ? absl::SimpleAtoi(pair[1], &total)
                                                            : absl::SimpleAtod(pair[1], &number));
    if (!ok) return absl::DataLossError(absl::StrCat("malformed ", file, ": \"", line, "\""));
    if (pair[0] == "avg10") data.set_avg10(number);
    if (pair[0] == "avg60") data.set_avg60(number);
    if (pair[0] == "avg300") data.set_avg300(number);
    if (pair[0] == "total") data.set_total(total);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PsiStats> ParsePressure(absl::string_view text, absl::string_view file) {
  PsiStats psi;
  for (const absl::string_view line : absl::StrSplit(text, '\n', absl::SkipWhitespace())) {
    if (absl::StartsWith(line, "some ")) {
      RETURN_IF_ERROR(ParsePsiLine(line, *psi.mutable_some(), file));
    } else if (absl::StartsWith(line, "full ")) {
      RETURN_IF_ERROR(ParsePsiLine(line, *psi.mutable_full(), file));
    } else {
      return absl::DataLossError(absl::StrCat("malformed ", file, ": \"", line, "\""));
    }
  }
  return psi;
}

absl::StatusOr<Stats> ReadV2Stats(CgroupFs& fs, const std::string& directory,
                                  const std::vector<std::string>& hugepage_sizes) {
  Files files(fs, directory);
  Stats stats;
  RETURN_IF_ERROR(ReadCpu(files, stats));
  RETURN_IF_ERROR(ReadMemory(files, stats));
  RETURN_IF_ERROR(ReadPids(files, stats));
  RETURN_IF_ERROR(ReadIo(files, stats));
  RETURN_IF_ERROR(ReadHugetlb(files, hugepage_sizes, stats));
  return stats;
}

}  // namespace hull::cgroups
