#include "runtime/network_stats.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace hull::runtime {

absl::StatusOr<std::vector<cgroups::NetworkInterface>> ParseNetDev(absl::string_view text) {
  std::vector<cgroups::NetworkInterface> interfaces;
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n', absl::SkipWhitespace());
  for (size_t i = 2; i < lines.size(); ++i) {
    std::pair<absl::string_view, absl::string_view> name_and_counters =
        absl::StrSplit(lines[i], absl::MaxSplits(':', 1));
    const absl::string_view name = absl::StripAsciiWhitespace(name_and_counters.first);
    std::vector<absl::string_view> fields =
        absl::StrSplit(name_and_counters.second, ' ', absl::SkipEmpty());
    uint64_t counters[16];
    bool parsed = fields.size() >= 16 && !name.empty();
    for (size_t j = 0; parsed && j < 16; ++j) parsed = absl::SimpleAtoi(fields[j], &counters[j]);
    if (!parsed) {
      return absl::InvalidArgumentError(absl::StrCat("net/dev: malformed line \"", lines[i], "\""));
    }
    if (name == "lo") continue;
    cgroups::NetworkInterface& interface = interfaces.emplace_back();
    interface.set_name(std::string(name));
    interface.set_rx_bytes(counters[0]);
    interface.set_rx_packets(counters[1]);
    interface.set_rx_errors(counters[2]);
    interface.set_rx_dropped(counters[3]);
    interface.set_tx_bytes(counters[8]);
    interface.set_tx_packets(counters[9]);
    interface.set_tx_errors(counters[10]);
    interface.set_tx_dropped(counters[11]);
  }
  return interfaces;
}

absl::StatusOr<std::vector<cgroups::NetworkInterface>> NetworkInterfacesOf(pid_t pid) {
  const std::string path = absl::StrCat("/proc/", pid, "/net/dev");
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("open ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseNetDev(text.str());
}

}  // namespace hull::runtime
