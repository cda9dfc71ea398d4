#include "tools/launcher/update_command.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "config/json.h"
#include "tools/launcher/byte_size.h"
#include "tools/launcher/command_support.h"

namespace hull::launcher {
namespace {

// The flags of `update`, each a field of linux.resources.
absl::Status ApplyUpdateFlags(const ParsedFlags& flags, config::Resources& resources) {
  auto size = [&](const char* flag, auto setter) -> absl::Status {
    if (auto value = flags.Value(flag)) {
      ASSIGN_OR_RETURN(int64_t bytes, ParseByteSize(*value));
      setter(bytes);
    }
    return absl::OkStatus();
  };
  auto number = [&](const char* flag, auto setter) -> absl::Status {
    if (auto value = flags.Value(flag)) {
      int64_t parsed;
      if (!absl::SimpleAtoi(*value, &parsed)) {
        return absl::InvalidArgumentError(absl::StrCat("--", flag, ": not a number: ", *value));
      }
      setter(parsed);
    }
    return absl::OkStatus();
  };
  config::Memory& memory = *resources.mutable_memory();
  config::Cpu& cpu = *resources.mutable_cpu();
  RETURN_IF_ERROR(size("memory", [&](int64_t v) { memory.set_limit(v); }));
  RETURN_IF_ERROR(size("memory-swap", [&](int64_t v) { memory.set_swap(v); }));
  RETURN_IF_ERROR(size("memory-reservation", [&](int64_t v) { memory.set_reservation(v); }));
  RETURN_IF_ERROR(number("cpu-share", [&](int64_t v) { cpu.set_shares(v); }));
  RETURN_IF_ERROR(number("cpu-quota", [&](int64_t v) { cpu.set_quota(v); }));
  RETURN_IF_ERROR(number("cpu-period", [&](int64_t v) { cpu.set_period(v); }));
  RETURN_IF_ERROR(number("cpu-rt-period", [&](int64_t v) { cpu.set_realtime_period(v); }));
  RETURN_IF_ERROR(number("cpu-rt-runtime", [&](int64_t v) { cpu.set_realtime_runtime(v); }));
  if (auto cpus = flags.Value("cpuset-cpus")) cpu.set_cpus(*cpus);
  if (auto mems = flags.Value("cpuset-mems")) cpu.set_mems(*mems);
  RETURN_IF_ERROR(
      number("pids-limit", [&](int64_t v) { resources.mutable_pids()->set_limit(v); }));
  RETURN_IF_ERROR(number("blkio-weight",
                         [&](int64_t v) { resources.mutable_block_io()->set_weight(v); }));
  return absl::OkStatus();
}

absl::StatusOr<int> RunUpdate(const GlobalOptions& global, const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(LoadedContainer loaded, LoadContainer(global, flags.positional().front()));
  ASSIGN_OR_RETURN(statemachine::ContainerState state, loaded.container.State());
  ASSIGN_OR_RETURN(const config::Resources resources,
                   UpdatedResources(state.config().linux().resources(), flags));
  ASSIGN_OR_RETURN(const std::optional<config::IntelRdt> rdt,
                   UpdatedIntelRdt(state.config().linux(), flags));
  RETURN_IF_ERROR(loaded.container.Update(resources));
  if (rdt.has_value()) {
    RETURN_IF_ERROR(Annotate(loaded.container.UpdateIntelRdt(*rdt),
                             "--l3-cache-schema/--mem-bw-schema"));
  }
  return 0;
}

// `given` over `resources`: what it sets replaces what was there, a list as
// a whole. Protobuf's MergeFrom appends to lists, and clients such as
// containerd send a container's whole resources, rules included, with every
// update: each would add them again.
void Overlay(const config::Resources& given, config::Resources& resources) {
  if (!given.devices().empty()) resources.clear_devices();
  if (!given.hugepage_limits().empty()) resources.clear_hugepage_limits();
  if (!given.network().priorities().empty()) resources.mutable_network()->clear_priorities();
  if (given.has_block_io()) {
    const config::BlockIo& io = given.block_io();
    config::BlockIo& into = *resources.mutable_block_io();
    if (!io.weight_device().empty()) into.clear_weight_device();
    if (!io.throttle_read_bps_device().empty()) into.clear_throttle_read_bps_device();
    if (!io.throttle_write_bps_device().empty()) into.clear_throttle_write_bps_device();
    if (!io.throttle_read_iops_device().empty()) into.clear_throttle_read_iops_device();
    if (!io.throttle_write_iops_device().empty()) into.clear_throttle_write_iops_device();
  }
  resources.MergeFrom(given);
}

}  // namespace

absl::StatusOr<config::Resources> UpdatedResources(const config::Resources& current,
                                                   const ParsedFlags& flags) {
  config::Resources resources = current;
  bool swap_given = flags.Value("memory-swap").has_value();
  if (auto file = flags.Value("resources")) {
    ASSIGN_OR_RETURN(const std::string text, ReadFileOrStdin(*file));
    ASSIGN_OR_RETURN(config::Resources given, config::ParseResourcesJson(text, *file));
    swap_given = swap_given || given.memory().has_swap();
    Overlay(given, resources);
  }
  RETURN_IF_ERROR(ApplyUpdateFlags(flags, resources));
  // runc: unlimited memory without a swap limit of its own makes memory+swap
  // unlimited too. The container's finite one would stay otherwise, below
  // the new limit: the kernel refuses that (v1), and so does the conversion
  // to memory.swap.max (v2).
  if (resources.memory().limit() == -1 && !swap_given && current.memory().has_swap()) {
    resources.mutable_memory()->set_swap(-1);
  }
  return resources;
}

absl::StatusOr<std::optional<config::IntelRdt>> UpdatedIntelRdt(const config::Linux& current,
                                                                const ParsedFlags& flags) {
  const auto l3 = flags.Value("l3-cache-schema");
  const auto mem_bw = flags.Value("mem-bw-schema");
  if (!l3.has_value() && !mem_bw.has_value()) return std::nullopt;
  if (!current.has_intel_rdt()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--", l3.has_value() ? "l3-cache-schema" : "mem-bw-schema",
        ": the container has no linux.intelRdt (Intel RDT is set up at create only)"));
  }
  config::IntelRdt rdt = current.intel_rdt();
  if (l3.has_value()) rdt.set_l3_cache_schema(*l3);
  if (mem_bw.has_value()) rdt.set_mem_bw_schema(*mem_bw);
  return rdt;
}

Command UpdateCommand() {
  return {
      .name = "update",
      .arguments = "<container-id>",
      .summary = "change the container's resource limits",
      .flags =
          {
              {.name = "resources", .short_name = "r", .takes_value = true,
               .help = "a linux.resources JSON file, or - for stdin"},
              {.name = "memory", .takes_value = true, .help = "memory limit (bytes, or 64m, 1g)"},
              {.name = "memory-swap", .takes_value = true, .help = "memory plus swap limit"},
              {.name = "memory-reservation", .takes_value = true, .help = "memory soft limit"},
              {.name = "cpu-share", .takes_value = true, .help = "CPU shares (relative weight)"},
              {.name = "cpu-quota", .takes_value = true, .help = "CFS quota in microseconds"},
              {.name = "cpu-period", .takes_value = true, .help = "CFS period in microseconds"},
              {.name = "cpuset-cpus", .takes_value = true, .help = "CPUs allowed (0-3,5)"},
              {.name = "cpuset-mems", .takes_value = true, .help = "memory nodes allowed"},
              {.name = "cpu-rt-period", .takes_value = true,
               .help = "realtime period in microseconds"},
              {.name = "cpu-rt-runtime", .takes_value = true,
               .help = "realtime runtime in microseconds"},
              {.name = "pids-limit", .takes_value = true, .help = "maximum number of processes"},
              {.name = "blkio-weight", .takes_value = true,
               .help = "block IO weight (10 to 1000)"},
              {.name = "l3-cache-schema", .takes_value = true,
               .help = "The string of Intel RDT/CAT L3 cache schema"},
              {.name = "mem-bw-schema", .takes_value = true,
               .help = "The string of Intel RDT/MBA memory bandwidth schema"},
          },
      .min_args = 1,
      .max_args = 1,
      .run = RunUpdate,
  };
}

}  // namespace hull::launcher
