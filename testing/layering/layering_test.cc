#include "testing/layering/layering.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST(CheckIncludesTest, DownIsAllowedUpAndSidewaysAreNot) {
  EXPECT_THAT(CheckIncludes("runtime/container.cc",
                            "#include \"base/fd.h\"\n#include \"cgroups/manager.h\"\n"
                            "#include \"runtime/spawn/init_spawner.h\"\n#include <string>\n"),
              IsEmpty());
  EXPECT_THAT(CheckIncludes("cgroups/v1.cc", "#include \"base/fd.h\"\n#include \"runtime/x.h\"\n"),
              ElementsAre("cgroups/v1.cc:2: includes runtime/x.h: runtime is above cgroups "
                          "(layer 3 > 2)"));
  EXPECT_THAT(CheckIncludes("cgroups/v1.cc", "#include \"nsenter/clone.h\"\n"),
              ElementsAre(HasSubstr("nsenter and cgroups are peers in layer 2")));
  EXPECT_THAT(CheckIncludes("base/fd.h", "  #include \"config/json.h\"\n"), SizeIs(1));
}

TEST(CheckIncludesTest, TestingIsOutsideTheLayers) {
  // Whether an includer of testing/ is a test is the BUILD rule's to say.
  EXPECT_THAT(CheckIncludes("cgroups/v1_test.cc", "#include \"testing/files.h\"\n"), IsEmpty());
  EXPECT_THAT(CheckIncludes("testing/harness.cc", "#include \"runtime/container.h\"\n"), IsEmpty());
}

TEST(CheckBuildLabelsTest, RulesAndTests) {
  const char kBuild[] = R"(
cc_library(
    name = "v1",
    deps = [
        ":cgroupfs",
        "//base:fd",
        "//runtime:container",
        "@com_google_absl//absl/status",
    ],
    visibility = ["//visibility:public"],
)

cc_test(
    name = "v1_test",
    data = ["//tools/launcher:hull"],
    deps = ["//testing:files", "//tools/bench:stats"],
)

cc_library(
    name = "fake",
    testonly = True,
    deps = ["//testing:fake_cgroupfs"],
    visibility = ["//testing:__pkg__"],
)

cc_library(
    name = "helper",
    deps = ["//testing:files"],
)
)";
  EXPECT_THAT(
      CheckBuildLabels("cgroups/BUILD", kBuild),
      ElementsAre("cgroups/BUILD:7: cc_library uses //runtime:container: runtime is above "
                  "cgroups (layer 3 > 2)",
                  HasSubstr("cgroups/BUILD:16: cc_test uses //tools/bench:stats"),
                  "cgroups/BUILD:28: cc_library uses //testing:files: testing/ serves tests only"));
}

TEST(PackageEdgesTest, NonTestRulesOnly) {
  const char kBuild[] = R"(
cc_library(
    name = "a",
    deps = [":b", "//base:fd", "//runtime/rootfs:x"],
)
cc_test(
    name = "a_test",
    deps = ["//testing:files"],
)
)";
  using Edge = std::pair<std::string, std::string>;
  EXPECT_THAT(PackageEdges("runtime/process/BUILD", kBuild),
              ElementsAre(Edge{"runtime/process", "base"}, Edge{"runtime/process", "runtime/rootfs"}));
}

TEST(FindPackageCyclesTest, NamesEachCycle) {
  EXPECT_THAT(FindPackageCycles({{"a", "b"}, {"b", "c"}, {"a", "c"}}), IsEmpty());
  EXPECT_THAT(FindPackageCycles({{"cgroups", "runtime/rootfs"},
                                 {"runtime/rootfs", "runtime/procfs"},
                                 {"runtime/procfs", "cgroups"}}),
              ElementsAre("package cycle: cgroups -> runtime/rootfs -> runtime/procfs -> cgroups"));
}

// The workspace's own files: every include and BUILD label, and the package
// graph. The test reads the source tree through the WORKSPACE file in its
// runfiles; it is never cached (tag "external"), so that it always sees the
// tree as it is.
class WorkspaceLayeringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string runfile =
        absl::StrCat(std::getenv("TEST_SRCDIR"), "/", std::getenv("TEST_WORKSPACE"), "/WORKSPACE");
    char resolved[PATH_MAX];
    ASSERT_NE(realpath(runfile.c_str(), resolved), nullptr) << runfile;
    root_ = std::string(resolved);
    root_.resize(root_.size() - std::string("/WORKSPACE").size());
    Walk("");
  }

  void Walk(const std::string& relative) {
    const std::string directory = relative.empty() ? root_ : absl::StrCat(root_, "/", relative);
    DIR* dir = opendir(directory.c_str());
    ASSERT_NE(dir, nullptr) << directory;
    while (dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      // Hidden entries, Bazel's convenience links, and the consumer, a
      // workspace of its own.
      if (name[0] == '.' || absl::StartsWith(name, "bazel-")) continue;
      const std::string path = relative.empty() ? name : absl::StrCat(relative, "/", name);
      if (path == "testing/consumer") continue;
      struct stat st;
      if (lstat(absl::StrCat(root_, "/", path).c_str(), &st) != 0) continue;
      if (S_ISDIR(st.st_mode)) {
        Walk(path);
      } else if (S_ISREG(st.st_mode) && name == "BUILD") {
        build_files_.push_back(path);
      } else if (S_ISREG(st.st_mode) && (absl::EndsWith(name, ".cc") || absl::EndsWith(name, ".h"))) {
        sources_.push_back(path);
      }
    }
    closedir(dir);
  }

  std::string Read(const std::string& path) {
    absl::StatusOr<std::string> contents = ReadFile(absl::StrCat(root_, "/", path));
    EXPECT_TRUE(contents.ok()) << contents.status();
    return contents.value_or("");
  }

  std::string root_;
  std::vector<std::string> sources_;
  std::vector<std::string> build_files_;
};

TEST_F(WorkspaceLayeringTest, NoIncludePointsUpOrSideways) {
  // Not vacuous: the walk found the tree.
  ASSERT_THAT(sources_, ::testing::Contains("runtime/container.cc"));
  ASSERT_THAT(sources_, ::testing::Contains("base/fd.h"));
  Violations violations;
  for (const std::string& path : sources_) {
    for (std::string& violation : CheckIncludes(path, Read(path))) {
      violations.push_back(std::move(violation));
    }
  }
  EXPECT_THAT(violations, IsEmpty());
}

TEST_F(WorkspaceLayeringTest, NoBuildLabelPointsUpOrSideways) {
  ASSERT_THAT(build_files_, ::testing::Contains("cgroups/BUILD"));
  Violations violations;
  for (const std::string& path : build_files_) {
    for (std::string& violation : CheckBuildLabels(path, Read(path))) {
      violations.push_back(std::move(violation));
    }
  }
  EXPECT_THAT(violations, IsEmpty());
}

TEST_F(WorkspaceLayeringTest, NoPackageCycle) {
  std::vector<std::pair<std::string, std::string>> edges;
  for (const std::string& path : build_files_) {
    for (auto& edge : PackageEdges(path, Read(path))) edges.push_back(std::move(edge));
  }
  ASSERT_THAT(edges, ::testing::Contains(std::pair<std::string, std::string>("runtime", "base")));
  EXPECT_THAT(FindPackageCycles(edges), IsEmpty());
}

}  // namespace
}  // namespace hull::testing
