#include "nsenter/id_map.h"

#include <array>
#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_proc_files.h"
#include "testing/status_matchers.h"

namespace hull::nsenter {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::Return;

google::protobuf::RepeatedPtrField<config::IdMapping> Mappings(
    std::initializer_list<std::array<uint32_t, 3>> triples) {
  google::protobuf::RepeatedPtrField<config::IdMapping> mappings;
  for (const auto& [container_id, host_id, size] : triples) {
    config::IdMapping* mapping = mappings.Add();
    mapping->set_container_id(container_id);
    mapping->set_host_id(host_id);
    mapping->set_size(size);
  }
  return mappings;
}

TEST(FormatIdMapTest, OneLinePerMappingInConfigOrder) {
  EXPECT_THAT(FormatIdMap(Mappings({{0, 100000, 1000}, {1000, 1000, 1}, {1001, 101001, 64535}}),
                          "linux.uidMappings"),
              IsOkAndHolds(std::string("0 100000 1000\n1000 1000 1\n1001 101001 64535\n")));
}

TEST(FormatIdMapTest, LargestRangeFits) {
  EXPECT_THAT(FormatIdMap(Mappings({{0, 0, 4294967295u}}), "linux.uidMappings"),
              IsOkAndHolds(std::string("0 0 4294967295\n")));
}

TEST(FormatIdMapTest, RefusesEmptyMappings) {
  EXPECT_THAT(FormatIdMap(Mappings({}), "linux.gidMappings"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.gidMappings: a user namespace needs a mapping")));
  EXPECT_THAT(
      FormatIdMap(Mappings({{0, 1000, 1}, {1, 2000, 0}}), "linux.uidMappings"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("linux.uidMappings[1]: size is 0")));
}

TEST(FormatIdMapTest, RefusesOverlaps) {
  EXPECT_THAT(FormatIdMap(Mappings({{0, 100000, 10}, {20, 200000, 5}, {5, 300000, 1}}),
                          "linux.uidMappings"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.uidMappings[0] and linux.uidMappings[2] overlap in their "
                                 "container ids")));
  EXPECT_THAT(FormatIdMap(Mappings({{0, 100000, 10}, {10, 100009, 5}}), "linux.uidMappings"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("overlap in their host ids")));
  // Adjacent ranges do not overlap.
  EXPECT_THAT(FormatIdMap(Mappings({{0, 100000, 10}, {10, 100010, 5}}), "linux.uidMappings"),
              IsOk());
}

TEST(FormatIdMapTest, RefusesRangesPast32Bits) {
  EXPECT_THAT(FormatIdMap(Mappings({{4294967290u, 0, 6}}), "linux.uidMappings"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("go past 4294967294")));
  EXPECT_THAT(FormatIdMap(Mappings({{0, 4294967295u, 1}}), "linux.uidMappings"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("go past 4294967294")));
}

TEST(FormatIdMapTest, LineLimit) {
  google::protobuf::RepeatedPtrField<config::IdMapping> mappings;
  for (uint32_t i = 0; i < kMaxIdMapLines; ++i) {
    config::IdMapping* mapping = mappings.Add();
    mapping->set_container_id(i);
    mapping->set_host_id(i);
    mapping->set_size(1);
  }
  EXPECT_THAT(FormatIdMap(mappings, "linux.uidMappings"), IsOk());
  config::IdMapping* extra = mappings.Add();
  extra->set_container_id(kMaxIdMapLines);
  extra->set_host_id(kMaxIdMapLines);
  extra->set_size(1);
  EXPECT_THAT(FormatIdMap(mappings, "linux.uidMappings"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("341 mappings; the kernel takes at most 340")));
}

TEST(FormatIdMapTest, RefusesMoreThanOneWriteOfText) {
  // 340 lines of ten-digit ids are too long for the kernel's single page.
  google::protobuf::RepeatedPtrField<config::IdMapping> mappings;
  for (uint32_t i = 0; i < kMaxIdMapLines; ++i) {
    config::IdMapping* mapping = mappings.Add();
    mapping->set_container_id(1000000000u + i);
    mapping->set_host_id(2000000000u + i);
    mapping->set_size(1);
  }
  EXPECT_THAT(FormatIdMap(mappings, "linux.uidMappings"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("bytes; the kernel takes at most 4095")));
}

TEST(FormatIdMapsTest, BothMaps) {
  config::Linux linux;
  *linux.mutable_uid_mappings() = Mappings({{0, 1000, 1}});
  *linux.mutable_gid_mappings() = Mappings({{0, 2000, 10}});
  absl::StatusOr<IdMaps> maps = FormatIdMaps(linux, /*deny_setgroups=*/true);
  ASSERT_THAT(maps, IsOk());
  EXPECT_EQ(maps->uid_map, "0 1000 1\n");
  EXPECT_EQ(maps->gid_map, "0 2000 10\n");
  EXPECT_TRUE(maps->deny_setgroups);

  linux.clear_gid_mappings();
  EXPECT_THAT(FormatIdMaps(linux, false),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("linux.gidMappings")));
}

TEST(WriteIdMapsTest, WritesUidMapThenGidMap) {
  ::hull::testing::MockProcFiles proc;
  InSequence in_order;
  EXPECT_CALL(proc, Write(Eq("42/uid_map"), Eq("0 1000 1\n"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(proc, Write(Eq("42/gid_map"), Eq("0 2000 1\n"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(WriteIdMaps(proc, 42, {"0 1000 1\n", "0 2000 1\n", false}), IsOk());
}

TEST(WriteIdMapsTest, DeniesSetgroupsBeforeTheGidMap) {
  ::hull::testing::MockProcFiles proc;
  InSequence in_order;
  EXPECT_CALL(proc, Write(Eq("42/uid_map"), Eq("0 1000 1\n"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(proc, Write(Eq("42/setgroups"), Eq("deny"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(proc, Write(Eq("42/gid_map"), Eq("0 2000 1\n"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(WriteIdMaps(proc, 42, {"0 1000 1\n", "0 2000 1\n", true}), IsOk());
}

TEST(WriteIdMapsTest, StopsAtTheFirstFailure) {
  ::hull::testing::MockProcFiles proc;
  EXPECT_CALL(proc, Write(Eq("42/uid_map"), Eq("0 1000 1\n")))
      .WillOnce(
          Return(absl::PermissionDeniedError("write /proc/42/uid_map: Operation not permitted")));
  EXPECT_THAT(WriteIdMaps(proc, 42, {"0 1000 1\n", "0 2000 1\n", false}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("/proc/42/uid_map")));
}

}  // namespace
}  // namespace hull::nsenter
