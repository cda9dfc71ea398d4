// The validator's rules of linux but its resources, cgroupsPath and seccomp.

#include "config/validator.h"

#include "config/validator_test_cases.h"
#include "gtest/gtest.h"

namespace hull::config {
namespace {

using ::hull::config::validator_test::AddNamespace;
using ::hull::config::validator_test::ExpectEachCase;
using ::hull::config::validator_test::RemoveNamespace;

TEST(LinuxRulesTest, EachRuleReportsPathAndMessage) {
  ExpectEachCase({
      {"namespace type known",
       false,
       [](Spec& s) { AddNamespace(s, "foo"); },
       {{"linux.namespaces[5].type", "unknown namespace type \"foo\""}}},
      {"namespace type unique",
       false,
       [](Spec& s) { AddNamespace(s, "pid"); },
       {{"linux.namespaces[5].type", "duplicate namespace type \"pid\""}}},
      {"namespace path absolute",
       false,
       [](Spec& s) { s.mutable_linux()->mutable_namespaces(1)->set_path("netns"); },
       {{"linux.namespaces[1].path", "must be an absolute path, got \"netns\""}}},
      {"new user namespace needs mappings",
       false,
       [](Spec& s) { AddNamespace(s, "user"); },
       {{"linux.uidMappings", "required with a new user namespace"},
        {"linux.gidMappings", "required with a new user namespace"}}},
      {"joined user namespace needs no mappings",
       false,
       [](Spec& s) {
         AddNamespace(s, "user");
         s.mutable_linux()->mutable_namespaces(5)->set_path("/proc/1/ns/user");
       },
       {}},
      {"mappings need a user namespace",
       true,
       [](Spec& s) { RemoveNamespace(s, "user"); },
       {{"linux.uidMappings", "given without a user namespace"},
        {"linux.gidMappings", "given without a user namespace"}}},
      {"mapping size and range",
       true,
       [](Spec& s) {
         s.mutable_linux()->mutable_uid_mappings(0)->set_size(0);
         s.mutable_linux()->mutable_gid_mappings(0)->set_host_id(4294967295u);
         s.mutable_linux()->mutable_gid_mappings(0)->set_size(2);
       },
       {{"linux.uidMappings[0].size", "must be greater than 0"},
        {"linux.gidMappings[0]", "the range goes past the largest 32-bit id"}}},
      {"timeOffsets",
       false,
       [](Spec& s) {
         (*s.mutable_linux()->mutable_time_offsets())["realtime"].set_secs(1);
         (*s.mutable_linux()->mutable_time_offsets())["boottime"].set_nanosecs(1000000000);
       },
       {{"linux.timeOffsets", "given without a time namespace"},
        {"linux.timeOffsets[\"boottime\"].nanosecs", "must be less than 1000000000"},
        {"linux.timeOffsets[\"realtime\"]",
         "unknown clock (only \"monotonic\" and \"boottime\" have offsets)"}}},
      {"devices",
       false,
       [](Spec& s) {
         Device& fifo = *s.mutable_linux()->add_devices();
         fifo.set_type("p");
         fifo.set_path("/dev/fifo");
         Device& tty = *s.mutable_linux()->add_devices();
         tty.set_type("c");
         tty.set_path("dev/tty9");
         tty.set_major(4);
         Device& odd = *s.mutable_linux()->add_devices();
         odd.set_type("x");
         odd.set_path("/dev/odd");
       },
       {{"linux.devices[1].minor", "required for a device of type \"c\""},
        {"linux.devices[1].path", "must be an absolute path, got \"dev/tty9\""},
        {"linux.devices[2].type", "unknown device type \"x\" (c, b, u or p)"}}},
      {"rootfsPropagation",
       false,
       [](Spec& s) { s.mutable_linux()->set_rootfs_propagation("everywhere"); },
       {{"linux.rootfsPropagation", "unknown propagation \"everywhere\""}}},
      {"sysctl needs the matching namespace",
       false,
       [](Spec& s) {
         RemoveNamespace(s, "ipc");
         RemoveNamespace(s, "network");
         RemoveNamespace(s, "uts");
         s.clear_hostname();
         auto& sysctl = *s.mutable_linux()->mutable_sysctl();
         sysctl["kernel.shmmax"] = "1";
         sysctl["fs.mqueue.msg_max"] = "1";
         sysctl["net.ipv4.ip_forward"] = "1";
         sysctl["kernel.domainname"] = "example.com";
       },
       {{"linux.sysctl[\"fs.mqueue.msg_max\"]", "needs an ipc namespace"},
        {"linux.sysctl[\"kernel.domainname\"]", "needs a uts namespace"},
        {"linux.sysctl[\"kernel.shmmax\"]", "needs an ipc namespace"},
        {"linux.sysctl[\"net.ipv4.ip_forward\"]", "needs a network namespace"}}},
      {"sysctl namespaced or refused",
       false,
       [](Spec& s) {
         auto& sysctl = *s.mutable_linux()->mutable_sysctl();
         sysctl["kernel.msgmax"] = "1";
         sysctl["net/ipv4/conf/eth0.100/rp_filter"] = "1";  // '/' form, runc converts it
         sysctl["kernel.domainname"] = "example.com";
         sysctl["kernel.hostname"] = "h";
         sysctl["vm.swappiness"] = "0";
         sysctl["net/../../../proc/sysrq-trigger"] = "c";
       },
       {{"linux.sysctl[\"kernel.hostname\"]",
         "conflicts with the \"hostname\" field; set that instead"},
        {"linux.sysctl[\"net/../../../proc/sysrq-trigger\"]", "not a sysctl name"},
        {"linux.sysctl[\"vm.swappiness\"]", "not namespaced, so it would change the host"}}},
      {"masked and readonly paths",
       false,
       [](Spec& s) {
         RemoveNamespace(s, "mount");
         s.mutable_linux()->set_masked_paths(0, "proc/acpi");
       },
       {{"linux.maskedPaths", "needs a mount namespace"},
        {"linux.maskedPaths[0]", "must be an absolute path, got \"proc/acpi\""},
        {"linux.readonlyPaths", "needs a mount namespace"}}},
      {"intelRdt",
       false,
       [](Spec& s) {
         s.mutable_linux()->mutable_intel_rdt()->set_clos_id("../x");
         s.mutable_linux()->mutable_intel_rdt()->set_mem_bw_schema("L3:0=ff");
       },
       {{"linux.intelRdt.closID", "\"../x\" is not a directory name"},
        {"linux.intelRdt.memBwSchema", "must start with \"MB:\" and be one line"}}},
      {"personality",
       false,
       [](Spec& s) {
         s.mutable_linux()->mutable_personality()->set_domain("LINUX64");
         s.mutable_linux()->mutable_personality()->add_flags("ADDR_NO_RANDOMIZE");
       },
       {{"linux.personality.domain", "unknown domain \"LINUX64\" (LINUX or LINUX32)"},
        {"linux.personality.flags[0]",
         "unknown flag \"ADDR_NO_RANDOMIZE\" (the spec defines none)"}}},
      {"memoryPolicy",
       false,
       [](Spec& s) {
         MemoryPolicy& policy = *s.mutable_linux()->mutable_memory_policy();
         policy.set_mode("MPOL_RANDOM");
         policy.set_nodes("0,,1");
         policy.add_flags("MPOL_F_FAST");
       },
       {{"linux.memoryPolicy.mode", "unknown memory policy mode \"MPOL_RANDOM\""},
        {"linux.memoryPolicy.nodes", "\"0,,1\" is not a node list such as \"0-3,5\""},
        {"linux.memoryPolicy.flags[0]", "unknown memory policy flag \"MPOL_F_FAST\""}}},
      {"memoryPolicy nodes by mode",
       false,
       [](Spec& s) { s.mutable_linux()->mutable_memory_policy()->set_mode("MPOL_BIND"); },
       {{"linux.memoryPolicy.nodes", "required with MPOL_BIND"}}},
      {"memoryPolicy local takes no nodes",
       false,
       [](Spec& s) {
         MemoryPolicy& policy = *s.mutable_linux()->mutable_memory_policy();
         policy.set_mode("MPOL_LOCAL");
         policy.set_nodes("0");
         policy.add_flags("MPOL_F_STATIC_NODES");
         policy.add_flags("MPOL_F_RELATIVE_NODES");
       },
       {{"linux.memoryPolicy.nodes", "MPOL_LOCAL takes no nodes"},
        {"linux.memoryPolicy.flags",
         "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other"}}},
      {"netDevices",
       false,
       [](Spec& s) {
         RemoveNamespace(s, "network");
         auto& devices = *s.mutable_linux()->mutable_net_devices();
         devices["eth0"].set_name("a/b");
         devices["name-longer-than-15"];
       },
       {{"linux.netDevices", "given without a network namespace"},
        {"linux.netDevices[\"eth0\"].name", "\"a/b\" is not a network interface name"},
        {"linux.netDevices[\"name-longer-than-15\"]", "not a network interface name"}}},
      {"netDevicesTemplatesAndNamesTakenTwice",
       false,
       [](Spec& s) {
         auto& devices = *s.mutable_linux()->mutable_net_devices();
         devices["eth0"].set_name("net%d");  // a template: any number may take it
         devices["eth1"].set_name("net%d");
         devices["eth2"].set_name("net%s");
         devices["eth3"].set_name("n%d%d");
         devices["eth4"].set_name("ctr0");
         devices["eth5"].set_name("ctr0");
         devices["eth6"];  // eth6 in the container
         devices["eth7"].set_name("eth6");
         devices["eth%d"];
       },
       {{"linux.netDevices[\"eth%d\"]", "not a network interface name"},
        {"linux.netDevices[\"eth2\"].name",
         "\"net%s\": a template takes one \"%d\" and no other '%'"},
        {"linux.netDevices[\"eth3\"].name",
         "\"n%d%d\": a template takes one \"%d\" and no other '%'"},
        {"linux.netDevices[\"eth5\"]", "is named \"ctr0\" in the container, as \"eth4\" is"},
        {"linux.netDevices[\"eth7\"]", "is named \"eth6\" in the container, as \"eth6\" is"}}},
  });
}

}  // namespace
}  // namespace hull::config
