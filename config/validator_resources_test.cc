// The validator's rules of linux.cgroupsPath and linux.resources.

#include "config/validator.h"

#include "config/default_spec.h"
#include "config/validator_test_cases.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull::config {
namespace {

using ::hull::config::validator_test::ExpectEachCase;
using ::testing::IsEmpty;

TEST(ResourcesRulesTest, EachRuleReportsPathAndMessage) {
  ExpectEachCase({
      {"cgroupsPath systemd form",
       false,
       [](Spec& s) { s.mutable_linux()->set_cgroups_path("machine:hull"); },
       {{"linux.cgroupsPath",
         "\"machine:hull\" is neither a path nor systemd's \"slice:prefix:name\""}}},
      {"cgroupsPath no ..",
       false,
       [](Spec& s) { s.mutable_linux()->set_cgroups_path("/hull/../../escape"); },
       {{"linux.cgroupsPath", "must not contain \"..\" components"}}},
      {"cgroupsPath accepted forms",
       false,
       [](Spec& s) {
         s.mutable_linux()->set_cgroups_path("system.slice:hull:c1");
         Spec relative = s;
         relative.mutable_linux()->set_cgroups_path("hull/c1");
         Spec absolute = s;
         absolute.mutable_linux()->set_cgroups_path("/hull/c1");
         EXPECT_THAT(FindViolations(relative), IsEmpty());
         EXPECT_THAT(FindViolations(absolute), IsEmpty());
       },
       {}},
      {"device rules",
       false,
       [](Spec& s) {
         DeviceCgroup& rule = *s.mutable_linux()->mutable_resources()->add_devices();
         rule.set_type("x");
         rule.set_access("rwx");  // accepted, as runc does: x is ignored
         s.mutable_linux()->mutable_resources()->add_devices()->set_access("rr");
         s.mutable_linux()->mutable_resources()->add_devices()->set_access("x");
         s.mutable_linux()->mutable_resources()->add_devices()->set_access("");
       },
       {{"linux.resources.devices[1].type", "unknown device type \"x\" (a, c or b)"},
        {"linux.resources.devices[3].access", "\"x\" has none of r, w and m"},
        {"linux.resources.devices[4].access", "\"\" has none of r, w and m"}}},
      {"memory",
       false,
       [](Spec& s) {
         Memory& memory = *s.mutable_linux()->mutable_resources()->mutable_memory();
         memory.set_limit(2000);
         memory.set_swap(1000);
         memory.set_kernel(-2);
         memory.set_swappiness(101);
       },
       {{"linux.resources.memory.kernel", "-2 is neither bytes nor -1 (unlimited)"},
        {"linux.resources.memory.swap",
         "1000 is below the memory limit 2000 (swap counts memory plus swap)"},
        {"linux.resources.memory.swappiness", "101 is outside [0, 100]"}}},
      {"cpu",
       false,
       [](Spec& s) {
         Cpu& cpu = *s.mutable_linux()->mutable_resources()->mutable_cpu();
         cpu.set_quota(50000);  // without a period: accepted, as runc does
         cpu.set_burst(60000);
         cpu.set_cpus("0-");
         cpu.set_mems("3-1");
         cpu.set_idle(2);
       },
       {{"linux.resources.cpu.burst", "60000 is above the quota 50000"},
        {"linux.resources.cpu.cpus", "\"0-\" is not a CPU list such as \"0-3,5\""},
        {"linux.resources.cpu.mems", "\"3-1\" is not a node list such as \"0-3,5\""},
        {"linux.resources.cpu.idle", "2 is neither 0 nor 1"}}},
      {"blockIO",
       false,
       [](Spec& s) {
         BlockIo& block_io = *s.mutable_linux()->mutable_resources()->mutable_block_io();
         block_io.set_weight(5);
         block_io.set_leaf_weight(1001);
         block_io.add_weight_device()->set_major(8);
       },
       {{"linux.resources.blockIO.weight", "5 is outside [10, 1000]"},
        {"linux.resources.blockIO.leafWeight", "1001 is outside [10, 1000]"},
        {"linux.resources.blockIO.weightDevice[0]", "needs weight, leafWeight or both"}}},
      {"hugepage page size",
       false,
       [](Spec& s) {
         s.mutable_linux()->mutable_resources()->add_hugepage_limits()->set_page_size("2M");
       },
       {{"linux.resources.hugepageLimits[0].pageSize",
         "\"2M\" is not a page size such as \"2MB\""}}},
      {"rdma entry needs a limit",
       false,
       [](Spec& s) { (*s.mutable_linux()->mutable_resources()->mutable_rdma())["mlx5_1"]; },
       {{"linux.resources.rdma[\"mlx5_1\"]", "needs hcaHandles, hcaObjects or both"}}},
      {"unified keys are file names",
       false,
       [](Spec& s) {
         auto& unified = *s.mutable_linux()->mutable_resources()->mutable_unified();
         unified["memory.max"] = "1G";
         unified["../../release_agent"] = "/evil";
         unified["memorymax"] = "1G";
       },
       {{"linux.resources.unified[\"../../release_agent\"]",
         "not a cgroup file name such as \"memory.max\""},
        {"linux.resources.unified[\"memorymax\"]",
         "not a cgroup file name such as \"memory.max\""}}},
  });
}

TEST(ResourcesRulesTest, AcceptsTheCpuListsRuncWrites) {
  Spec spec = DefaultSpec(false);
  for (const char* list : {"0", "0-3", "0-3,5,7-8", "3-3"}) {
    spec.mutable_linux()->mutable_resources()->mutable_cpu()->set_cpus(list);
    EXPECT_THAT(FindViolations(spec), IsEmpty()) << list;
  }
  for (const char* list : {",", "0,", "-1", "a", "01", "0 - 3", "4294967296"}) {
    spec.mutable_linux()->mutable_resources()->mutable_cpu()->set_cpus(list);
    EXPECT_THAT(FindViolations(spec), ::testing::SizeIs(1)) << list;
  }
}

}  // namespace
}  // namespace hull::config
