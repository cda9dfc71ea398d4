#include "nsenter/namespace.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::nsenter {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr NamespaceType kAllTypes[] = {
    NamespaceType::kMount,   NamespaceType::kUts,    NamespaceType::kIpc,  NamespaceType::kPid,
    NamespaceType::kNetwork, NamespaceType::kCgroup, NamespaceType::kUser, NamespaceType::kTime,
};

TEST(NamespaceTypeTest, AllTypesAreEveryEnumerator) {
  EXPECT_THAT(AllNamespaceTypes(), ::testing::UnorderedElementsAreArray(kAllTypes));
}

TEST(NamespaceTypeTest, OciNamesRoundTrip) {
  for (NamespaceType type : kAllTypes) {
    EXPECT_THAT(NamespaceTypeFromOciName(OciName(type)), IsOkAndHolds(type)) << OciName(type);
  }
}

TEST(NamespaceTypeTest, CloneFlagsRoundTrip) {
  for (NamespaceType type : kAllTypes) {
    EXPECT_THAT(NamespaceTypeFromCloneFlag(CloneFlag(type)), IsOkAndHolds(type)) << OciName(type);
  }
}

// The runtime spec's names (config-linux.md, "Namespaces").
TEST(NamespaceTypeTest, OciNamesAreTheSpecs) {
  std::vector<std::string> names;
  for (NamespaceType type : kAllTypes) names.emplace_back(OciName(type));
  EXPECT_THAT(names,
              ElementsAre("mount", "uts", "ipc", "pid", "network", "cgroup", "user", "time"));
}

// The kernel's own answer: /proc/self/ns/<ProcNsName> is a namespace whose
// type (NS_GET_NSTYPE) is CloneFlag.
TEST(NamespaceTypeTest, ProcNamesAndCloneFlagsAreTheKernels) {
  for (NamespaceType type : kAllTypes) {
    const std::string path = absl::StrCat("/proc/self/ns/", ProcNsName(type));
    const UniqueFd ns(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(ns.valid()) << path << ": " << std::strerror(errno);
    const int nstype = ioctl(ns.get(), NS_GET_NSTYPE);
    ASSERT_GE(nstype, 0) << path << ": " << std::strerror(errno);
    EXPECT_EQ(static_cast<uint64_t>(nstype), CloneFlag(type)) << path;
  }
}

TEST(NamespaceTypeTest, UnknownNamesAreRefused) {
  EXPECT_THAT(
      NamespaceTypeFromOciName("mnt"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown namespace type \"mnt\"")));
  EXPECT_THAT(NamespaceTypeFromOciName(""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown namespace type")));
  EXPECT_THAT(NamespaceTypeFromCloneFlag(CLONE_NEWNS | CLONE_NEWPID),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a CLONE_NEW*")));
}

config::Linux LinuxWith(std::vector<std::pair<std::string, std::string>> namespaces) {
  config::Linux linux;
  for (auto& [type, path] : namespaces) {
    config::Namespace* ns = linux.add_namespaces();
    ns->set_type(type);
    ns->set_path(path);
  }
  return linux;
}

TEST(PlanNamespacesTest, NoNamespacesMeansAPlainFork) {
  absl::StatusOr<NamespacePlan> plan = PlanNamespaces(config::Linux());
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(*plan, NamespacePlan());
}

TEST(PlanNamespacesTest, NewNamespacesAreCreatedByCloneButCgroupAndTimeByTheChild) {
  absl::StatusOr<NamespacePlan> plan = PlanNamespaces(LinuxWith({{"pid", ""},
                                                                 {"network", ""},
                                                                 {"ipc", ""},
                                                                 {"uts", ""},
                                                                 {"mount", ""},
                                                                 {"user", ""},
                                                                 {"cgroup", ""},
                                                                 {"time", ""}}));
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->clone_flags, static_cast<uint64_t>(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC |
                                                     CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWUSER));
  EXPECT_TRUE(plan->joins.empty());
  EXPECT_EQ(plan->pid_namespace_for_clone, "");
  EXPECT_TRUE(plan->unshare_cgroup);
  EXPECT_TRUE(plan->unshare_time);
}

TEST(PlanNamespacesTest, JoinsComeUserFirstThenInRuncOrder) {
  absl::StatusOr<NamespacePlan> plan = PlanNamespaces(LinuxWith({{"time", "/t"},
                                                                 {"mount", "/m"},
                                                                 {"network", "/n"},
                                                                 {"cgroup", "/c"},
                                                                 {"uts", "/u"},
                                                                 {"ipc", "/i"},
                                                                 {"user", "/us"}}));
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->clone_flags, 0u);
  EXPECT_THAT(plan->joins, ElementsAre(NamespaceJoin{NamespaceType::kUser, "/us"},
                                       NamespaceJoin{NamespaceType::kIpc, "/i"},
                                       NamespaceJoin{NamespaceType::kUts, "/u"},
                                       NamespaceJoin{NamespaceType::kNetwork, "/n"},
                                       NamespaceJoin{NamespaceType::kMount, "/m"},
                                       NamespaceJoin{NamespaceType::kCgroup, "/c"},
                                       NamespaceJoin{NamespaceType::kTime, "/t"}));
  EXPECT_FALSE(plan->unshare_cgroup);
  EXPECT_FALSE(plan->unshare_time);
}

// A container of a pod: the pod's pid, network and ipc namespaces joined,
// the rest its own.
config::Linux PodLinux() {
  return LinuxWith({{"pid", "/proc/10/ns/pid"},
                    {"network", "/run/netns/pod"},
                    {"ipc", "/proc/10/ns/ipc"},
                    {"uts", ""},
                    {"mount", ""},
                    {"cgroup", ""}});
}

TEST(PlanNamespacesTest, PodStyleMixOfNewAndJoined) {
  absl::StatusOr<NamespacePlan> plan = PlanNamespaces(PodLinux());
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->clone_flags, static_cast<uint64_t>(CLONE_NEWUTS | CLONE_NEWNS));
  EXPECT_EQ(plan->pid_namespace_for_clone, "/proc/10/ns/pid");
  EXPECT_THAT(plan->joins, ElementsAre(NamespaceJoin{NamespaceType::kIpc, "/proc/10/ns/ipc"},
                                       NamespaceJoin{NamespaceType::kNetwork, "/run/netns/pod"}));
  EXPECT_TRUE(plan->unshare_cgroup);
  EXPECT_FALSE(plan->unshare_time);
}

TEST(DescribeNamespacePlanTest, NamesWhatIsCreatedUnsharedAndJoined) {
  absl::StatusOr<NamespacePlan> plan = PlanNamespaces(PodLinux());
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(DescribeNamespacePlan(*plan),
            "clone new: uts, mount; the init unshares: cgroup; clone in the pid namespace "
            "/proc/10/ns/pid; the init joins: ipc /proc/10/ns/ipc, network /run/netns/pod");
  EXPECT_EQ(DescribeNamespacePlan(NamespacePlan()), "clone new: none");
}

TEST(PlanNamespacesTest, JoinedUserNamespaceWithChildCreatedCgroupAndTimeIsFine) {
  absl::StatusOr<NamespacePlan> plan =
      PlanNamespaces(LinuxWith({{"user", "/proc/7/ns/user"}, {"cgroup", ""}, {"time", ""}}));
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->clone_flags, 0u);
  EXPECT_THAT(plan->joins, ElementsAre(NamespaceJoin{NamespaceType::kUser, "/proc/7/ns/user"}));
  EXPECT_TRUE(plan->unshare_cgroup);
  EXPECT_TRUE(plan->unshare_time);
}

TEST(PlanNamespacesTest, RefusesUnknownRepeatedAndRelative) {
  EXPECT_THAT(
      PlanNamespaces(LinuxWith({{"pid", ""}, {"mnt", ""}})),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown namespace type \"mnt\"")));
  EXPECT_THAT(PlanNamespaces(LinuxWith({{"pid", ""}, {"pid", "/proc/1/ns/pid"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("namespace type \"pid\" is given more than once")));
  EXPECT_THAT(PlanNamespaces(LinuxWith({{"network", "run/netns/x"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("path \"run/netns/x\" of the network namespace is not absolute")));
}

// What one clone cannot give: an intermediate process joins first.
TEST(PlanNamespacesTest, AJoinedUserNamespaceOwnsTheCreatedOnes) {
  absl::StatusOr<NamespacePlan> plan = PlanNamespaces(LinuxWith(
      {{"network", "/run/netns/x"}, {"user", "/proc/7/ns/user"}, {"mount", ""}, {"pid", ""}}));
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->clone_flags, static_cast<uint64_t>(CLONE_NEWNS | CLONE_NEWPID));
  EXPECT_THAT(plan->joins_before_clone,
              ElementsAre(NamespaceJoin{NamespaceType::kUser, "/proc/7/ns/user"}));
  // Joined from inside the user namespace, as runc does.
  EXPECT_THAT(plan->joins,
              ElementsAre(NamespaceJoin{NamespaceType::kNetwork, "/run/netns/x"}));
  EXPECT_THAT(DescribeNamespacePlan(*plan),
              HasSubstr("an intermediate process joins before the clone: user /proc/7/ns/user"));
}

TEST(PlanNamespacesTest, ACreatedUserNamespaceIsMadeAfterTheJoins) {
  absl::StatusOr<NamespacePlan> plan = PlanNamespaces(
      LinuxWith({{"user", ""}, {"network", "/run/netns/x"}, {"ipc", "/proc/3/ns/ipc"}}));
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->clone_flags, static_cast<uint64_t>(CLONE_NEWUSER));
  EXPECT_THAT(plan->joins_before_clone,
              ElementsAre(NamespaceJoin{NamespaceType::kIpc, "/proc/3/ns/ipc"},
                          NamespaceJoin{NamespaceType::kNetwork, "/run/netns/x"}));
  EXPECT_THAT(plan->joins, ::testing::IsEmpty());
}

TEST(PlanNamespacesTest, NewUserNamespaceInAJoinedPidNamespaceIsFine) {
  absl::StatusOr<NamespacePlan> plan =
      PlanNamespaces(LinuxWith({{"user", ""}, {"pid", "/proc/9/ns/pid"}, {"mount", ""}}));
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->clone_flags, static_cast<uint64_t>(CLONE_NEWUSER | CLONE_NEWNS));
  EXPECT_EQ(plan->pid_namespace_for_clone, "/proc/9/ns/pid");
}

}  // namespace
}  // namespace hull::nsenter
