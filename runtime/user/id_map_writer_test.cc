#include "runtime/user/id_map_writer.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/procfs_files.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::user {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

void AddMapping(google::protobuf::RepeatedPtrField<config::IdMapping>& list, uint32_t container_id,
                uint32_t host_id, uint32_t size) {
  config::IdMapping& mapping = *list.Add();
  mapping.set_container_id(container_id);
  mapping.set_host_id(host_id);
  mapping.set_size(size);
}

// A user namespace whose root is `uid`/`gid` alone.
config::Linux OwnIdsOnly(uint32_t uid, uint32_t gid) {
  config::Linux linux;
  AddMapping(*linux.mutable_uid_mappings(), 0, uid, 1);
  AddMapping(*linux.mutable_gid_mappings(), 0, gid, 1);
  return linux;
}

// Root is the user's own ids, and 1..65536 its subordinate ids.
config::Linux MultiRange(uint32_t uid, uint32_t gid) {
  config::Linux linux;
  AddMapping(*linux.mutable_uid_mappings(), 0, uid, 1);
  AddMapping(*linux.mutable_uid_mappings(), 1, 100000, 65536);
  AddMapping(*linux.mutable_gid_mappings(), 0, gid, 1);
  AddMapping(*linux.mutable_gid_mappings(), 1, 200000, 65536);
  return linux;
}

const MapWriter kBob = {.uid = 1000, .gid = 1000, .name = "bob"};

// /etc/subuid and /etc/subgid as given, every other file missing.
ReadFileFunction Files(absl::flat_hash_map<std::string, std::string> files) {
  return [files](const std::string& path) -> absl::StatusOr<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return absl::NotFoundError(absl::StrCat("open ", path));
    return it->second;
  };
}

// A reader that fails the test when it is called.
absl::StatusOr<std::string> Unread(const std::string& path) {
  ADD_FAILURE() << "read " << path;
  return absl::NotFoundError(path);
}

TEST(PlanIdMapWritesTest, RootWritesEveryMapItself) {
  absl::StatusOr<IdMapWrites> writes =
      PlanIdMapWrites(MultiRange(5, 6), {.uid = 0, .gid = 0, .name = "root"}, Unread);
  ASSERT_THAT(writes, IsOk());
  EXPECT_FALSE(writes->uid_map_by_helper);
  EXPECT_FALSE(writes->gid_map_by_helper);
  EXPECT_FALSE(writes->maps.deny_setgroups);
  EXPECT_EQ(writes->maps.uid_map, "0 5 1\n1 100000 65536\n");
}

TEST(PlanIdMapWritesTest, AUserWritesASingleRangeOfItsOwnIdsItselfDenyingSetgroups) {
  absl::StatusOr<IdMapWrites> writes = PlanIdMapWrites(OwnIdsOnly(1000, 1000), kBob, Unread);
  ASSERT_THAT(writes, IsOk());
  EXPECT_FALSE(writes->uid_map_by_helper);
  EXPECT_FALSE(writes->gid_map_by_helper);
  EXPECT_TRUE(writes->maps.deny_setgroups);
}

TEST(PlanIdMapWritesTest, AUserHasOtherMapsWrittenByTheHelpers) {
  const ReadFileFunction files =
      Files({{"/etc/subuid", "alice:300000:65536\nbob:100000:65536\n"},
             {"/etc/subgid", "1000:200000:65536\n"}});  // by uid works too
  absl::StatusOr<IdMapWrites> writes = PlanIdMapWrites(MultiRange(1000, 1000), kBob, files);
  ASSERT_THAT(writes, IsOk());
  EXPECT_TRUE(writes->uid_map_by_helper);
  EXPECT_TRUE(writes->gid_map_by_helper);
  // newgidmap is privileged: setgroups stays allowed.
  EXPECT_FALSE(writes->maps.deny_setgroups);

  // Only the uid map leaves the user's own id: the gid map is written
  // directly, after setgroups is denied.
  config::Linux linux = MultiRange(1000, 1000);
  linux.mutable_gid_mappings()->RemoveLast();
  writes = PlanIdMapWrites(linux, kBob, files);
  ASSERT_THAT(writes, IsOk());
  EXPECT_TRUE(writes->uid_map_by_helper);
  EXPECT_FALSE(writes->gid_map_by_helper);
  EXPECT_TRUE(writes->maps.deny_setgroups);

  // A single range of another id needs the helper too.
  writes = PlanIdMapWrites(OwnIdsOnly(100005, 1000), kBob, files);
  ASSERT_THAT(writes, IsOk());
  EXPECT_TRUE(writes->uid_map_by_helper);
}

TEST(PlanIdMapWritesTest, NoSubordinateIdsIsAnErrorNamingTheMapAndTheFile) {
  EXPECT_THAT(PlanIdMapWrites(MultiRange(1000, 1000), kBob, Files({})),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "linux.uidMappings maps more than user \"bob\" (uid 1000)'s own uid, which "
                       "needs subordinate uids, and /etc/subuid has none for user \"bob\" (uid "
                       "1000) (add a line \"bob:FIRST:COUNT\")"));
  EXPECT_THAT(
      PlanIdMapWrites(MultiRange(1000, 1000), kBob,
                      Files({{"/etc/subuid", "bob:100000:65536\n"},
                             {"/etc/subgid", "carol:1:2\n"}})),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("linux.gidMappings maps more than user \"bob\" (uid 1000)'s own gid, "
                         "which needs subordinate gids, and /etc/subgid has none")));
}

TEST(PlanIdMapWritesTest, HostIdsOutsideTheSubordinateRangesAreAnError) {
  EXPECT_THAT(
      PlanIdMapWrites(MultiRange(1000, 1000), kBob,
                      Files({{"/etc/subuid", "bob:100000:1000\nbob:500000:10\n"},
                             {"/etc/subgid", "bob:200000:65536\n"}})),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               "linux.uidMappings[1]: host uids 100000-165535 are neither user \"bob\" (uid "
               "1000)'s own nor among its subordinate uids in /etc/subuid (100000-100999, "
               "500000-500009)"));
}

TEST(PlanIdMapWritesTest, AMalformedMapIsRefusedFirst) {
  config::Linux linux = MultiRange(1000, 1000);
  linux.mutable_uid_mappings(1)->set_size(0);
  EXPECT_THAT(PlanIdMapWrites(linux, kBob, Unread),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("linux.uidMappings[1]")));
}

TEST(IdMapHelperArgvTest, IsTheProgramThePidAndTheTriples) {
  const config::Linux linux = MultiRange(1000, 1000);
  EXPECT_THAT(IdMapHelperArgv(kNewUidMap, 42, linux.uid_mappings()),
              ElementsAre("/usr/bin/newuidmap", "42", "0", "1000", "1", "1", "100000", "65536"));
}

// Records what WriteIdMaps does, in order.
class Recorder final : public ProcFiles {
 public:
  absl::Status Write(absl::string_view path, absl::string_view value) override {
    events.push_back(absl::StrCat("write ", path, " ", value));
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> Read(absl::string_view path) override {
    return absl::UnimplementedError(path);
  }
  RunProgramFunction Runner() {
    return [this](const std::vector<std::string>& argv) {
      events.push_back(absl::StrCat("run ", absl::StrJoin(argv, " ")));
      return absl::OkStatus();
    };
  }
  std::vector<std::string> events;
};

TEST(WriteIdMapsTest, RunsTheHelpersForTheMapsThatNeedThem) {
  const config::Linux linux = MultiRange(1000, 1000);
  Recorder recorder;
  ASSERT_THAT(WriteIdMaps({.maps = {.uid_map = "u", .gid_map = "g"},
                           .uid_map_by_helper = true,
                           .gid_map_by_helper = true},
                          linux, 42, recorder, recorder.Runner()),
              IsOk());
  EXPECT_THAT(recorder.events,
              ElementsAre("run /usr/bin/newuidmap 42 0 1000 1 1 100000 65536",
                          "run /usr/bin/newgidmap 42 0 1000 1 1 200000 65536"));
}

TEST(WriteIdMapsTest, WritesADirectGidMapAfterDenyingSetgroups) {
  const config::Linux linux = MultiRange(1000, 1000);
  Recorder recorder;
  ASSERT_THAT(WriteIdMaps({.maps = {.uid_map = "u", .gid_map = "g", .deny_setgroups = true},
                           .uid_map_by_helper = true,
                           .gid_map_by_helper = false},
                          linux, 42, recorder, recorder.Runner()),
              IsOk());
  EXPECT_THAT(recorder.events,
              ElementsAre("run /usr/bin/newuidmap 42 0 1000 1 1 100000 65536",
                          "write 42/setgroups deny", "write 42/gid_map g"));
}

TEST(WriteIdMapsTest, WritesEverythingDirectlyWithoutHelpers) {
  Recorder recorder;
  ASSERT_THAT(WriteIdMaps({.maps = {.uid_map = "u", .gid_map = "g"}}, OwnIdsOnly(0, 0), 42,
                          recorder, recorder.Runner()),
              IsOk());
  EXPECT_THAT(recorder.events, ElementsAre("write 42/uid_map u", "write 42/gid_map g"));
}

TEST(WriteIdMapsTest, AHelperFailureIsTheError) {
  Recorder recorder;
  EXPECT_THAT(WriteIdMaps({.maps = {.uid_map = "u", .gid_map = "g"}, .uid_map_by_helper = true},
                          MultiRange(1000, 1000), 42, recorder,
                          [](const std::vector<std::string>&) {
                            return absl::AbortedError("newuidmap: write to uid_map failed");
                          }),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("newuidmap")));
  EXPECT_TRUE(recorder.events.empty());
}

}  // namespace
}  // namespace hull::user
