#include "testing/fake_resctrl.h"

#include <filesystem>
#include <fstream>

#include "base/status_macros.h"

namespace hull::testing {
namespace {

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

}  // namespace

void MakeFakeResctrlRoot(const std::string& root) {
  std::filesystem::create_directories(root + "/info/L3");
  std::filesystem::create_directories(root + "/info/MB");
  std::filesystem::create_directories(root + "/info/L3_MON");
  std::filesystem::create_directories(root + "/mon_groups");
  Write(root + "/schemata", "L3:0=fff;1=fff\nMB:0=100;1=100\n");
  Write(root + "/tasks", "");
  Write(root + "/info/L3/cbm_mask", "fff\n");
  Write(root + "/info/L3/min_cbm_bits", "2\n");
  Write(root + "/info/L3/num_closids", "16\n");
  Write(root + "/info/MB/bandwidth_gran", "10\n");
  Write(root + "/info/MB/delay_linear", "1\n");
  Write(root + "/info/MB/min_bandwidth", "10\n");
  Write(root + "/info/MB/num_closids", "8\n");
}

absl::StatusOr<std::string> FakeResctrlFs::ReadFile(const std::string& path) {
  return real_.ReadFile(path);
}

absl::Status FakeResctrlFs::WriteFile(const std::string& path, absl::string_view value) {
  if (!real_.Exists(path)) return real_.WriteFile(path, value);  // the real error
  Write(path, std::string(value));
  return absl::OkStatus();
}

bool FakeResctrlFs::Exists(const std::string& path) { return real_.Exists(path); }

absl::Status FakeResctrlFs::MakeDirectory(const std::string& path) {
  RETURN_IF_ERROR(real_.MakeDirectory(path));
  Write(path + "/tasks", "");
  if (std::filesystem::path(path).parent_path().filename() == "mon_groups") {
    std::filesystem::create_directories(path + "/mon_data/mon_L3_00");
    Write(path + "/mon_data/mon_L3_00/llc_occupancy", "4096\n");
    Write(path + "/mon_data/mon_L3_00/mbm_total_bytes", "100\n");
    Write(path + "/mon_data/mon_L3_00/mbm_local_bytes", "60\n");
  } else {
    Write(path + "/schemata", "L3:0=fff\nMB:0=100\n");
    std::filesystem::create_directory(path + "/mon_groups");
  }
  return absl::OkStatus();
}

absl::Status FakeResctrlFs::RemoveDirectory(const std::string& path) {
  if (!real_.Exists(path)) return real_.RemoveDirectory(path);  // the real error
  std::filesystem::remove_all(path);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> FakeResctrlFs::ListDirectories(const std::string& path) {
  return real_.ListDirectories(path);
}

absl::StatusOr<UniqueFd> FakeResctrlFs::OpenDirectory(const std::string& path) {
  return real_.OpenDirectory(path);
}

absl::StatusOr<UniqueFd> FakeResctrlFs::OpenForWriting(const std::string& path) {
  return real_.OpenForWriting(path);
}

absl::Status FakeResctrlFs::Kill(pid_t pid, int signal) { return real_.Kill(pid, signal); }

}  // namespace hull::testing
