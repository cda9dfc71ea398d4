#include "runtime/recorded_config.h"

namespace hull::runtime {
namespace {

using statemachine::ContainerState;
using PidNamespace = statemachine::ContainerState::PidNamespace;

PidNamespace PidNamespaceOfConfig(const config::Spec& spec) {
  PidNamespace pid_namespace;
  pid_namespace.set_kind(PidNamespace::KIND_NONE);
  // The validator refuses a namespace type listed twice.
  for (const config::Namespace& ns : spec.linux().namespaces()) {
    if (ns.type() != "pid") continue;
    pid_namespace.set_kind(ns.path().empty() ? PidNamespace::KIND_NEW : PidNamespace::KIND_JOINED);
    pid_namespace.set_path(ns.path());
  }
  return pid_namespace;
}

}  // namespace

void RecordConfigFacts(const config::Spec& spec, ContainerState& state) {
  state.set_poststart_hooks(!spec.hooks().poststart().empty());
  state.set_poststop_hooks(!spec.hooks().poststop().empty());
  *state.mutable_pid_namespace() = PidNamespaceOfConfig(spec);
  state.set_intel_rdt(spec.linux().has_intel_rdt());
}

bool RecordsPidNamespace(const ContainerState& state) {
  switch (state.pid_namespace().kind()) {
    case PidNamespace::KIND_NONE:
    case PidNamespace::KIND_NEW:
    case PidNamespace::KIND_JOINED:
      return true;
    default:
      return false;
  }
}

PidNamespace PidNamespaceOf(const ContainerState& state) {
  if (RecordsPidNamespace(state)) return state.pid_namespace();
  return PidNamespaceOfConfig(state.config());
}

bool RecordsIntelRdt(const ContainerState& state) { return state.has_intel_rdt(); }

bool UsesIntelRdt(const ContainerState& state) {
  if (RecordsIntelRdt(state)) return state.intel_rdt();
  return state.config().linux().has_intel_rdt();
}

}  // namespace hull::runtime
