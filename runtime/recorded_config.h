// What a container's state records of its config when it is made, so that
// the commands after it (start, delete, kill --all) need not read the config
// file (statemachine::Actions::ReadsConfig: parsing it is most of their CPU).
// A state written before Hull recorded a fact lacks it: the fact is then
// answered from state.config(), which the engine loads for an action whose
// ReadsConfig says so (as it does while the fact is unrecorded).
#ifndef HULL_RUNTIME_RECORDED_CONFIG_H_
#define HULL_RUNTIME_RECORDED_CONFIG_H_

#include "config/runtime_spec.pb.h"
#include "statemachine/state.pb.h"

namespace hull::runtime {

// Records in `state` what the commands after create need of `spec`, the
// config the container is made with (created or restored).
void RecordConfigFacts(const config::Spec& spec, statemachine::ContainerState& state);

// The pid namespace linux.namespaces lists: recorded, else from the config.
bool RecordsPidNamespace(const statemachine::ContainerState& state);
statemachine::ContainerState::PidNamespace PidNamespaceOf(
    const statemachine::ContainerState& state);

// Whether the config has linux.intelRdt: recorded, else from the config.
bool RecordsIntelRdt(const statemachine::ContainerState& state);
bool UsesIntelRdt(const statemachine::ContainerState& state);

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_RECORDED_CONFIG_H_
