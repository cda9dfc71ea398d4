#include "testing/files.h"

#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "base/status_util.h"

namespace hull::testing {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoStatus("open ", path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

absl::Status WriteFile(const std::string& path, absl::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("write ", path));
  return absl::OkStatus();
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> DirectoryEntries(const std::string& path) {
  std::vector<std::string> entries;
  if (DIR* dir = opendir(path.c_str())) {
    while (const dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") entries.push_back(name);
    }
    closedir(dir);
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

namespace {

int RemoveEntry(const char* path, const struct stat*, int, struct FTW*) {
  remove(path);
  return 0;
}

}  // namespace

void RemoveTree(const std::string& path) {
  nftw(path.c_str(), RemoveEntry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

absl::StatusOr<std::string> MakeTempDir(absl::string_view prefix, std::string parent) {
  if (parent.empty()) {
    const char* tmpdir = getenv("TEST_TMPDIR");
    if (tmpdir == nullptr) return absl::FailedPreconditionError("TEST_TMPDIR is not set");
    parent = tmpdir;
  }
  std::string pattern = absl::StrCat(parent, "/", prefix, ".XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return ErrnoStatus("mkdtemp ", pattern);
  }
  char resolved[PATH_MAX];
  if (realpath(pattern.c_str(), resolved) == nullptr) {
    return ErrnoStatus("realpath ", pattern);
  }
  return std::string(resolved);
}

}  // namespace hull::testing
