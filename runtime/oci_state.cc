#include "runtime/oci_state.h"

#include <pwd.h>
#include <sys/types.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "config/json_writer.h"
#include "statemachine/transitions.h"

namespace hull::runtime {

std::string RootfsPath(const statemachine::ContainerState& state) {
  if (!state.rootfs().empty()) return state.rootfs();
  const std::string& root = state.config().root().path();
  return root.empty() || root.front() == '/' ? root : absl::StrCat(state.bundle(), "/", root);
}

namespace {

// runc's owner: empty for root, else the user's name ("" when /etc/passwd has
// none). States written before names were looked up here carry it.
std::string OwnerName(const statemachine::ContainerState::Owner& owner) {
  if (!owner.user_name().empty() || owner.uid() == 0) return owner.user_name();
  // `list` shows many containers of one owner: one lookup for them all.
  thread_local uid_t last_uid = 0;
  thread_local std::string last_name;
  if (owner.uid() != last_uid) {
    struct passwd entry;
    struct passwd* found = nullptr;
    char buffer[4096];
    last_name.clear();
    if (getpwuid_r(owner.uid(), &entry, buffer, sizeof(buffer), &found) == 0 && found != nullptr) {
      last_name = found->pw_name;
    }
    last_uid = owner.uid();
  }
  return last_name;
}

}  // namespace

OciState ToOciState(const statemachine::ContainerState& state) {
  OciState oci;
  oci.set_oci_version(kOciVersion);
  oci.set_id(state.id());
  oci.set_status(std::string(statemachine::StateName(state.status())));
  // A stopped container has no process (the spec: pid only while it runs).
  if (state.status() != statemachine::STATE_STOPPED) oci.set_pid(state.pid());
  oci.set_bundle(state.bundle());
  oci.set_rootfs(RootfsPath(state));
  oci.set_created(absl::FormatTime("%Y-%m-%dT%H:%M:%E9SZ",
                                   absl::FromUnixNanos(state.created_unix_nanos()),
                                   absl::UTCTimeZone()));
  oci.set_owner(OwnerName(state.owner()));
  oci.mutable_annotations()->insert(state.annotations().begin(), state.annotations().end());
  return oci;
}

namespace {

// runc's containerState: every field but the annotations (omitempty).
bool AlwaysWritten(const google::protobuf::FieldDescriptor& field) {
  return field.number() != OciState::kAnnotationsFieldNumber;
}

// runtime-spec's specs.State: every field but the pid and the annotations.
bool AlwaysWrittenForHooks(const google::protobuf::FieldDescriptor& field) {
  return field.number() != HookState::kPidFieldNumber &&
         field.number() != HookState::kAnnotationsFieldNumber;
}

// runtime-spec's specs.ContainerProcessState: every field but the metadata;
// its state as a hook's.
bool AlwaysWrittenForSeccompAgent(const google::protobuf::FieldDescriptor& field) {
  if (field.containing_type() == HookState::descriptor()) return AlwaysWrittenForHooks(field);
  return field.number() != ContainerProcessState::kMetadataFieldNumber;
}

HookState ToHookState(const statemachine::ContainerState& state, statemachine::State status,
                      int pid) {
  HookState hook_state;
  hook_state.set_oci_version(kOciVersion);
  hook_state.set_id(state.id());
  hook_state.set_status(std::string(statemachine::StateName(status)));
  hook_state.set_pid(pid);
  hook_state.set_bundle(state.bundle());
  hook_state.mutable_annotations()->insert(state.annotations().begin(), state.annotations().end());
  return hook_state;
}

}  // namespace

absl::StatusOr<std::string> OciStateToJson(const OciState& state, bool compact) {
  return config::MessageToJson(state, {.compact = compact, .always_written = AlwaysWritten});
}

absl::StatusOr<std::string> HookStateJson(const statemachine::ContainerState& state,
                                          statemachine::State status, int pid) {
  return config::MessageToJson(ToHookState(state, status, pid),
                               {.compact = true, .always_written = AlwaysWrittenForHooks});
}

absl::StatusOr<std::string> SeccompAgentStateJson(const statemachine::ContainerState& state,
                                                  statemachine::State status, int pid,
                                                  int process_pid) {
  ContainerProcessState process_state;
  process_state.set_oci_version(kOciVersion);
  process_state.add_fds("seccompFd");
  process_state.set_pid(process_pid);
  process_state.set_metadata(state.config().linux().seccomp().listener_metadata());
  *process_state.mutable_state() = ToHookState(state, status, pid);
  return config::MessageToJson(process_state,
                               {.compact = true, .always_written = AlwaysWrittenForSeccompAgent});
}

}  // namespace hull::runtime
