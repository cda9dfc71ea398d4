#include "runtime/recorded_config.h"

#include "config/runtime_spec.pb.h"
#include "gtest/gtest.h"
#include "statemachine/state.pb.h"

namespace hull::runtime {
namespace {

using statemachine::ContainerState;
using PidNamespace = statemachine::ContainerState::PidNamespace;

void AddNamespace(config::Spec& spec, const char* type, const char* path = "") {
  config::Namespace& ns = *spec.mutable_linux()->add_namespaces();
  ns.set_type(type);
  ns.set_path(path);
}

// A state as create makes it: the facts recorded, and its config.
ContainerState Created(const config::Spec& spec) {
  ContainerState state;
  RecordConfigFacts(spec, state);
  *state.mutable_config() = spec;
  return state;
}

// A state written before the facts were recorded, loaded with its config.
ContainerState Old(const config::Spec& spec) {
  ContainerState state;
  *state.mutable_config() = spec;
  return state;
}

TEST(RecordedConfigTest, RecordsTheHooksThePidNamespaceAndIntelRdt) {
  config::Spec spec;
  ContainerState state;
  RecordConfigFacts(spec, state);
  EXPECT_TRUE(state.has_poststart_hooks());
  EXPECT_FALSE(state.poststart_hooks());
  EXPECT_TRUE(state.has_poststop_hooks());
  EXPECT_FALSE(state.poststop_hooks());
  EXPECT_EQ(state.pid_namespace().kind(), PidNamespace::KIND_NONE);
  EXPECT_TRUE(state.has_intel_rdt());
  EXPECT_FALSE(state.intel_rdt());

  spec.mutable_hooks()->add_poststart()->set_path("/bin/true");
  spec.mutable_hooks()->add_poststop()->set_path("/bin/true");
  AddNamespace(spec, "mount");
  AddNamespace(spec, "pid", "/proc/42/ns/pid");
  spec.mutable_linux()->mutable_intel_rdt()->set_l3_cache_schema("L3:0=f");
  RecordConfigFacts(spec, state);
  EXPECT_TRUE(state.poststart_hooks());
  EXPECT_TRUE(state.poststop_hooks());
  EXPECT_EQ(state.pid_namespace().kind(), PidNamespace::KIND_JOINED);
  EXPECT_EQ(state.pid_namespace().path(), "/proc/42/ns/pid");
  EXPECT_TRUE(state.intel_rdt());
}

TEST(RecordedConfigTest, PidNamespaceRecordedOrFromTheConfig) {
  config::Spec none;
  AddNamespace(none, "network");
  config::Spec made;
  AddNamespace(made, "pid");
  config::Spec joined;
  AddNamespace(joined, "pid", "/proc/42/ns/pid");
  for (const ContainerState& state : {Created(none), Old(none)}) {
    EXPECT_EQ(PidNamespaceOf(state).kind(), PidNamespace::KIND_NONE);
  }
  for (const ContainerState& state : {Created(made), Old(made)}) {
    EXPECT_EQ(PidNamespaceOf(state).kind(), PidNamespace::KIND_NEW);
    EXPECT_EQ(PidNamespaceOf(state).path(), "");
  }
  for (const ContainerState& state : {Created(joined), Old(joined)}) {
    EXPECT_EQ(PidNamespaceOf(state).kind(), PidNamespace::KIND_JOINED);
    EXPECT_EQ(PidNamespaceOf(state).path(), "/proc/42/ns/pid");
  }
  EXPECT_TRUE(RecordsPidNamespace(Created(none)));
  EXPECT_FALSE(RecordsPidNamespace(Old(made)));

  // Recorded: the config is not looked at (the engine did not load it).
  ContainerState recorded = Created(made);
  recorded.clear_config();
  EXPECT_EQ(PidNamespaceOf(recorded).kind(), PidNamespace::KIND_NEW);
  // A kind this Hull does not know is not a record: the config says it.
  ContainerState unknown = Created(joined);
  unknown.mutable_pid_namespace()->set_kind(static_cast<PidNamespace::Kind>(9));
  EXPECT_FALSE(RecordsPidNamespace(unknown));
  EXPECT_EQ(PidNamespaceOf(unknown).kind(), PidNamespace::KIND_JOINED);
  unknown.mutable_pid_namespace()->set_kind(PidNamespace::KIND_UNSPECIFIED);
  EXPECT_FALSE(RecordsPidNamespace(unknown));
}

TEST(RecordedConfigTest, IntelRdtRecordedOrFromTheConfig) {
  config::Spec without;
  config::Spec with;
  with.mutable_linux()->mutable_intel_rdt()->set_clos_id("shared");
  EXPECT_FALSE(UsesIntelRdt(Created(without)));
  EXPECT_FALSE(UsesIntelRdt(Old(without)));
  EXPECT_TRUE(UsesIntelRdt(Created(with)));
  EXPECT_TRUE(UsesIntelRdt(Old(with)));
  EXPECT_TRUE(RecordsIntelRdt(Created(without)));
  EXPECT_FALSE(RecordsIntelRdt(Old(with)));

  ContainerState recorded = Created(with);
  recorded.clear_config();
  EXPECT_TRUE(UsesIntelRdt(recorded));
}

}  // namespace
}  // namespace hull::runtime
