#include "cgroups/resctrl.h"

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"

namespace hull::cgroups {
namespace {

constexpr char kField[] = "linux.intelRdt";

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(kField, ".", field, ": ", message));
}

// The schemata lines of `rdt`, each with the field it comes from.
std::vector<std::pair<std::string, std::string>> SchemataLines(const config::IntelRdt& rdt) {
  std::vector<std::pair<std::string, std::string>> lines;
  const std::pair<const char*, const std::string*> fields[] = {
      {"l3CacheSchema", &rdt.l3_cache_schema()},
      {"memBwSchema", &rdt.mem_bw_schema()},
      {"schemata", &rdt.schemata()}};
  for (const auto& [field, text] : fields) {
    for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipWhitespace())) {
      lines.emplace_back(field, std::string(absl::StripAsciiWhitespace(line)));
    }
  }
  return lines;
}

// The number in info file `path` (one line).
absl::StatusOr<uint64_t> ReadNumber(CgroupFs& fs, const std::string& path, bool hex) {
  ASSIGN_OR_RETURN(const std::string text, fs.ReadFile(path));
  uint64_t value;
  const absl::string_view stripped = absl::StripAsciiWhitespace(text);
  if (!(hex ? absl::SimpleHexAtoi(stripped, &value) : absl::SimpleAtoi(stripped, &value))) {
    return absl::DataLossError(absl::StrCat(path, ": not a number: \"", stripped, "\""));
  }
  return value;
}

// Lines of `schemata` (the group's file) whose resource starts with `prefix`.
std::string LinesOf(absl::string_view schemata, absl::string_view prefix) {
  std::vector<absl::string_view> kept;
  for (absl::string_view line : absl::StrSplit(schemata, '\n', absl::SkipWhitespace())) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::StartsWith(line, prefix)) kept.push_back(line);
  }
  return absl::StrJoin(kept, "\n");
}

}  // namespace

bool ResctrlMounted(CgroupFs& fs, const std::string& root) {
  return fs.Exists(CgroupFile(root, "schemata")) && fs.Exists(CgroupFile(root, "info"));
}

absl::StatusOr<Resctrl> Resctrl::Open(CgroupFs& fs, const config::IntelRdt& rdt,
                                      const std::string& id, const std::string& root) {
  if (!ResctrlMounted(fs, root)) {
    return absl::FailedPreconditionError(
        absl::StrCat(kField, ": Intel RDT needs the resctrl filesystem, which is not mounted at ",
                     root, " (no RDT on this host, or `mount -t resctrl resctrl ", root, "`)"));
  }
  const bool shared = !rdt.clos_id().empty();
  std::string group = CgroupFile(root, shared ? rdt.clos_id() : id);
  std::string monitor =
      rdt.enable_monitoring() ? absl::StrCat(group, "/mon_groups/", id) : std::string();
  return Resctrl(fs, root, std::move(group), std::move(monitor), shared);
}

absl::Status Resctrl::CheckLine(absl::string_view field, absl::string_view line) {
  std::vector<absl::string_view> parts = absl::StrSplit(line, absl::MaxSplits(':', 1));
  if (parts.size() != 2 || parts[0].empty()) {
    return Invalid(field, absl::StrCat("\"", line, "\" is not RESOURCE:ID=VALUE;..."));
  }
  const std::string resource(absl::StripAsciiWhitespace(parts[0]));
  const std::string info = absl::StrCat(root_, "/info/", resource);
  if (!fs_->Exists(info)) {
    return Invalid(field, absl::StrCat("resource ", resource, " is not in ", root_,
                                       "/info (this host does not have it)"));
  }
  const bool cache = absl::StartsWith(resource, "L3") || absl::StartsWith(resource, "L2");
  const bool bandwidth = resource == "MB" || resource == "SMBA";
  if (!cache && !bandwidth) {
    return Invalid(field, absl::StrCat("resource ", resource, " is not supported"));
  }
  uint64_t cbm_mask = 0, min_cbm_bits = 1, min_bandwidth = 0;
  if (cache) {
    ASSIGN_OR_RETURN(cbm_mask, ReadNumber(*fs_, info + "/cbm_mask", /*hex=*/true));
    ASSIGN_OR_RETURN(min_cbm_bits, ReadNumber(*fs_, info + "/min_cbm_bits", /*hex=*/false));
  } else {
    ASSIGN_OR_RETURN(min_bandwidth, ReadNumber(*fs_, info + "/min_bandwidth", /*hex=*/false));
  }
  for (absl::string_view domain : absl::StrSplit(parts[1], ';', absl::SkipWhitespace())) {
    std::vector<absl::string_view> id_value = absl::StrSplit(domain, absl::MaxSplits('=', 1));
    uint64_t id, value;
    if (id_value.size() != 2 || !absl::SimpleAtoi(absl::StripAsciiWhitespace(id_value[0]), &id)) {
      return Invalid(field, absl::StrCat("\"", domain, "\" in \"", line, "\" is not ID=VALUE"));
    }
    const absl::string_view text = absl::StripAsciiWhitespace(id_value[1]);
    if (cache) {
      if (!absl::SimpleHexAtoi(text, &value) || value == 0 || (value & ~cbm_mask) != 0) {
        return Invalid(field, absl::StrCat(resource, " mask ", text, " is not within cbm_mask ",
                                           absl::Hex(cbm_mask)));
      }
      // Contiguous: the bits above the lowest set one, shifted down, are all ones.
      const uint64_t shifted = value >> std::countr_zero(value);
      if ((shifted & (shifted + 1)) != 0) {
        return Invalid(field, absl::StrCat(resource, " mask ", text, " is not contiguous"));
      }
      if (static_cast<uint64_t>(std::popcount(value)) < min_cbm_bits) {
        return Invalid(field, absl::StrCat(resource, " mask ", text, " has fewer than ",
                                           min_cbm_bits, " bits (min_cbm_bits)"));
      }
    } else if (!absl::SimpleAtoi(text, &value) || value < min_bandwidth) {
      // The upper bound (100 %, or any MB/s with mount -o mba_MBps) is the
      // kernel's to check.
      return Invalid(field, absl::StrCat(resource, " bandwidth ", text, " is below min_bandwidth ",
                                         min_bandwidth));
    }
  }
  return absl::OkStatus();
}

absl::Status Resctrl::Validate(const config::IntelRdt& rdt) {
  if (!rdt.l3_cache_schema().empty() && !absl::StartsWith(rdt.l3_cache_schema(), "L3")) {
    return Invalid("l3CacheSchema", "must start with \"L3\"");
  }
  for (const auto& [field, line] : SchemataLines(rdt)) RETURN_IF_ERROR(CheckLine(field, line));
  if (rdt.enable_monitoring() && !fs_->Exists(absl::StrCat(root_, "/info/L3_MON"))) {
    return Invalid("enableMonitoring", absl::StrCat("this host has no RDT monitoring (no ", root_,
                                                    "/info/L3_MON)"));
  }
  return absl::OkStatus();
}

absl::Status Resctrl::WriteSchemata(const config::IntelRdt& rdt) {
  std::vector<std::string> lines;
  for (auto& [field, line] : SchemataLines(rdt)) lines.push_back(std::move(line));
  if (lines.empty()) return absl::OkStatus();
  // One write: the kernel applies the lines together.
  return fs_->WriteFile(CgroupFile(group_, "schemata"), absl::StrCat(absl::StrJoin(lines, "\n"), "\n"));
}

absl::Status Resctrl::Create(const config::IntelRdt& rdt) {
  RETURN_IF_ERROR(Validate(rdt));
  if (absl::Status made = fs_->MakeDirectory(group_);
      !made.ok() && !absl::IsAlreadyExists(made)) {
    return made;
  }
  RETURN_IF_ERROR(WriteSchemata(rdt));
  if (monitor_.empty()) return absl::OkStatus();
  absl::Status made = fs_->MakeDirectory(monitor_);
  return absl::IsAlreadyExists(made) ? absl::OkStatus() : made;
}

absl::Status Resctrl::Update(const config::IntelRdt& rdt) {
  RETURN_IF_ERROR(Validate(rdt));
  return WriteSchemata(rdt);
}

absl::Status Resctrl::AddProcess(pid_t pid) {
  RETURN_IF_ERROR(fs_->WriteFile(CgroupFile(group_, "tasks"), absl::StrCat(pid)));
  if (monitor_.empty()) return absl::OkStatus();
  return fs_->WriteFile(CgroupFile(monitor_, "tasks"), absl::StrCat(pid));
}

absl::StatusOr<IntelRdt> Resctrl::Stats() {
  IntelRdt stats;
  ASSIGN_OR_RETURN(const std::string root_schemata, fs_->ReadFile(CgroupFile(root_, "schemata")));
  ASSIGN_OR_RETURN(const std::string schemata, fs_->ReadFile(CgroupFile(group_, "schemata")));
  const std::string l3_info = absl::StrCat(root_, "/info/L3");
  if (fs_->Exists(l3_info)) {
    stats.set_l3_cache_schema_root(LinesOf(root_schemata, "L3"));
    stats.set_l3_cache_schema(LinesOf(schemata, "L3"));
    ASSIGN_OR_RETURN(const std::string mask, fs_->ReadFile(l3_info + "/cbm_mask"));
    stats.mutable_l3_cache_info()->set_cbm_mask(std::string(absl::StripAsciiWhitespace(mask)));
    ASSIGN_OR_RETURN(const uint64_t bits, ReadNumber(*fs_, l3_info + "/min_cbm_bits", false));
    stats.mutable_l3_cache_info()->set_min_cbm_bits(bits);
    ASSIGN_OR_RETURN(const uint64_t closids, ReadNumber(*fs_, l3_info + "/num_closids", false));
    stats.mutable_l3_cache_info()->set_num_closids(closids);
  }
  const std::string mb_info = absl::StrCat(root_, "/info/MB");
  if (fs_->Exists(mb_info)) {
    stats.set_mem_bw_schema_root(LinesOf(root_schemata, "MB"));
    stats.set_mem_bw_schema(LinesOf(schemata, "MB"));
    MemBwInfo& info = *stats.mutable_mem_bw_info();
    const std::pair<const char*, void (MemBwInfo::*)(uint64_t)> fields[] = {
        {"bandwidth_gran", &MemBwInfo::set_bandwidth_gran},
        {"delay_linear", &MemBwInfo::set_delay_linear},
        {"min_bandwidth", &MemBwInfo::set_min_bandwidth},
        {"num_closids", &MemBwInfo::set_num_closids}};
    for (const auto& [name, set] : fields) {
      ASSIGN_OR_RETURN(const uint64_t value, ReadNumber(*fs_, mb_info + "/" + name, false));
      (info.*set)(value);
    }
  }
  if (monitor_.empty()) return stats;
  const std::string mon_data = CgroupFile(monitor_, "mon_data");
  ASSIGN_OR_RETURN(const std::vector<std::string> domains, fs_->ListDirectories(mon_data));
  for (const std::string& domain : domains) {
    if (!absl::StartsWith(domain, "mon_L3_")) continue;
    const std::string dir = CgroupFile(mon_data, domain);
    ASSIGN_OR_RETURN(const std::optional<std::string> occupancy,
                     ReadOptionalFile(*fs_, dir + "/llc_occupancy"));
    if (occupancy.has_value()) {
      ASSIGN_OR_RETURN(const uint64_t value, ReadNumber(*fs_, dir + "/llc_occupancy", false));
      stats.add_cmt_stats()->set_llc_occupancy(value);
    }
    if (fs_->Exists(dir + "/mbm_total_bytes")) {
      MbmNumaNodeStats& mbm = *stats.add_mbm_stats();
      ASSIGN_OR_RETURN(const uint64_t total, ReadNumber(*fs_, dir + "/mbm_total_bytes", false));
      mbm.set_mbm_total_bytes(total);
      ASSIGN_OR_RETURN(const uint64_t local, ReadNumber(*fs_, dir + "/mbm_local_bytes", false));
      mbm.set_mbm_local_bytes(local);
    }
  }
  return stats;
}

absl::Status Resctrl::Remove() {
  const std::string& doomed = shared_ ? monitor_ : group_;
  if (doomed.empty()) return absl::OkStatus();
  absl::Status removed = fs_->RemoveDirectory(doomed);
  return absl::IsNotFound(removed) ? absl::OkStatus() : removed;
}

}  // namespace hull::cgroups
