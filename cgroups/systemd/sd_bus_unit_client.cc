#include "cgroups/systemd/sd_bus_unit_client.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/wall_clock.h"
#include "systemd/sd-bus.h"

namespace hull::cgroups::systemd {
namespace {

constexpr char kDestination[] = "org.freedesktop.systemd1";
constexpr char kManagerPath[] = "/org/freedesktop/systemd1";
constexpr char kManagerInterface[] = "org.freedesktop.systemd1.Manager";

// The sd-bus functions the client calls, resolved from libsystemd.so.0, and
// the free() of the C library libsystemd allocates with: in a statically
// linked hull (optimized builds), that is a second C library, loaded with
// libsystemd, whose heap the binary's own free() must never touch.
#define HULL_SD_BUS_FUNCTIONS(X)    \
  X(free)                           \
  X(sd_bus_open_system)             \
  X(sd_bus_open_user)               \
  X(sd_bus_flush_close_unref)       \
  X(sd_bus_message_new_method_call) \
  X(sd_bus_message_append_basic)    \
  X(sd_bus_message_append_array)    \
  X(sd_bus_message_open_container)  \
  X(sd_bus_message_close_container) \
  X(sd_bus_message_read_basic)      \
  X(sd_bus_message_unref)           \
  X(sd_bus_call)                    \
  X(sd_bus_match_signal)            \
  X(sd_bus_slot_unref)              \
  X(sd_bus_process)                 \
  X(sd_bus_wait)                    \
  X(sd_bus_get_property_string)     \
  X(sd_bus_error_free)              \
  X(sd_bus_error_has_name)

struct SdBus {
#define HULL_DECLARE(name) decltype(&::name) name = nullptr;
  HULL_SD_BUS_FUNCTIONS(HULL_DECLARE)
#undef HULL_DECLARE
};

absl::Status NoSystemd(absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("--systemd-cgroup needs systemd, which is not reachable: ", why));
}

absl::StatusOr<SdBus> Load() {
  // Never unloaded: the functions stay valid for the process's life.
  void* library = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr)
    return NoSystemd(absl::StrCat("cannot load libsystemd.so.0: ", dlerror()));
  SdBus functions;
#define HULL_RESOLVE(name)                                                            \
  functions.name = reinterpret_cast<decltype(functions.name)>(dlsym(library, #name)); \
  if (functions.name == nullptr) return NoSystemd("libsystemd.so.0 lacks " #name);
  HULL_SD_BUS_FUNCTIONS(HULL_RESOLVE)
#undef HULL_RESOLVE
  return functions;
}

// Loaded once, whichever thread asks first.
absl::StatusOr<const SdBus*> LoadedSdBus() {
  static const absl::StatusOr<SdBus>* const loaded = new absl::StatusOr<SdBus>(Load());
  if (!loaded->ok()) return loaded->status();
  return &**loaded;
}

absl::Status Check(int result, absl::string_view what) {
  if (result >= 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": ", strerror(-result)));
}

// The D-Bus type of a number (a property value's C++ type, unit_properties.h).
template <typename Number>
constexpr char DbusType() {
  if constexpr (std::is_same_v<Number, uint8_t>) {
    return 'y';
  } else if constexpr (std::is_same_v<Number, int16_t>) {
    return 'n';
  } else if constexpr (std::is_same_v<Number, uint16_t>) {
    return 'q';
  } else if constexpr (std::is_same_v<Number, int32_t>) {
    return 'i';
  } else if constexpr (std::is_same_v<Number, uint32_t>) {
    return 'u';
  } else if constexpr (std::is_same_v<Number, int64_t>) {
    return 'x';
  } else if constexpr (std::is_same_v<Number, uint64_t>) {
    return 't';
  } else {
    static_assert(std::is_same_v<Number, double>, "not a D-Bus number");
    return 'd';
  }
}

class SdBusUnitClient final : public UnitClient {
 public:
  SdBusUnitClient(const SdBus& sd, sd_bus* bus, absl::Duration job_timeout)
      : sd_(sd), bus_(bus), job_timeout_(job_timeout) {}
  ~SdBusUnitClient() override {
    if (job_removed_ != nullptr) sd_.sd_bus_slot_unref(job_removed_);
    sd_.sd_bus_flush_close_unref(bus_);
  }
  SdBusUnitClient(const SdBusUnitClient&) = delete;
  SdBusUnitClient& operator=(const SdBusUnitClient&) = delete;

  // Listens for JobRemoved before any job is queued, so that none is missed.
  absl::Status Subscribe() {
    return Check(sd_.sd_bus_match_signal(bus_, &job_removed_, kDestination, kManagerPath,
                                         kManagerInterface, "JobRemoved", OnJobRemoved, this),
                 "listen for systemd's JobRemoved signal");
  }

  absl::Status StartTransientUnit(const std::string& name,
                                  const std::vector<UnitProperty>& properties) override {
    const std::string what = absl::StrCat("systemd StartTransientUnit ", name);
    ASSIGN_OR_RETURN(Message call, NewCall("StartTransientUnit", what));
    RETURN_IF_ERROR(AppendString(call.get(), name, what));
    RETURN_IF_ERROR(AppendString(call.get(), "replace", what));
    RETURN_IF_ERROR(AppendProperties(call.get(), properties, what));
    // No auxiliary units.
    RETURN_IF_ERROR(Check(sd_.sd_bus_message_open_container(call.get(), 'a', "(sa(sv))"), what));
    RETURN_IF_ERROR(Check(sd_.sd_bus_message_close_container(call.get()), what));
    ASSIGN_OR_RETURN(const std::string job, CallForJob(call.get(), what));
    return WaitForJob(job, what);
  }

  absl::Status SetUnitProperties(const std::string& name,
                                 const std::vector<UnitProperty>& properties) override {
    const std::string what = absl::StrCat("systemd SetUnitProperties ", name);
    ASSIGN_OR_RETURN(Message call, NewCall("SetUnitProperties", what));
    RETURN_IF_ERROR(AppendString(call.get(), name, what));
    const int runtime = 1;
    RETURN_IF_ERROR(Check(sd_.sd_bus_message_append_basic(call.get(), 'b', &runtime), what));
    RETURN_IF_ERROR(AppendProperties(call.get(), properties, what));
    return Call(call.get(), what).status();
  }

  absl::Status StopUnit(const std::string& name) override {
    const std::string what = absl::StrCat("systemd StopUnit ", name);
    ASSIGN_OR_RETURN(Message call, NewCall("StopUnit", what));
    RETURN_IF_ERROR(AppendString(call.get(), name, what));
    RETURN_IF_ERROR(AppendString(call.get(), "replace", what));
    absl::StatusOr<std::string> job = CallForJob(call.get(), what);
    if (absl::IsNotFound(job.status())) return absl::OkStatus();  // gone already
    RETURN_IF_ERROR(job.status());
    return WaitForJob(*job, what);
  }

  absl::StatusOr<std::string> GetUnitCgroup(const std::string& name) override {
    const std::string what = absl::StrCat("systemd GetUnit ", name);
    ASSIGN_OR_RETURN(Message call, NewCall("GetUnit", what));
    RETURN_IF_ERROR(AppendString(call.get(), name, what));
    ASSIGN_OR_RETURN(Message reply, Call(call.get(), what));
    ASSIGN_OR_RETURN(const std::string unit_path, ReadString(reply.get(), 'o', what));
    return ControlGroup(unit_path, "org.freedesktop.systemd1.Scope", name);
  }

  absl::StatusOr<std::string> GetManagerCgroup() override {
    return ControlGroup(kManagerPath, kManagerInterface, "the systemd manager");
  }

 private:
  struct MessageUnref {
    const SdBus* sd;
    void operator()(sd_bus_message* message) const { sd->sd_bus_message_unref(message); }
  };
  using Message = std::unique_ptr<sd_bus_message, MessageUnref>;

  static int OnJobRemoved(sd_bus_message* message, void* userdata, sd_bus_error*) {
    auto* client = static_cast<SdBusUnitClient*>(userdata);
    const SdBus& sd = client->sd_;
    uint32_t id;
    const char *job, *unit, *result;
    if (sd.sd_bus_message_read_basic(message, 'u', &id) < 0 ||
        sd.sd_bus_message_read_basic(message, 'o', &job) < 0 ||
        sd.sd_bus_message_read_basic(message, 's', &unit) < 0 ||
        sd.sd_bus_message_read_basic(message, 's', &result) < 0) {
      return 0;  // not the signal's documented shape: not ours to judge
    }
    client->removed_jobs_[job] = result;
    return 0;
  }

  absl::Status BusError(int result, const sd_bus_error& error, absl::string_view what) {
    if (result >= 0) return absl::OkStatus();
    const std::string text =
        absl::StrCat(what, ": ", error.message != nullptr ? error.message : strerror(-result));
    if (sd_.sd_bus_error_has_name(&error, "org.freedesktop.systemd1.NoSuchUnit")) {
      return absl::NotFoundError(text);
    }
    if (sd_.sd_bus_error_has_name(&error, "org.freedesktop.DBus.Error.InvalidArgs") ||
        sd_.sd_bus_error_has_name(&error, "org.freedesktop.systemd1.UnitExists")) {
      return absl::InvalidArgumentError(text);
    }
    return absl::InternalError(text);
  }

  absl::StatusOr<Message> NewCall(const char* method, absl::string_view what) {
    sd_bus_message* call = nullptr;
    RETURN_IF_ERROR(Check(sd_.sd_bus_message_new_method_call(
                              bus_, &call, kDestination, kManagerPath, kManagerInterface, method),
                          what));
    return Message(call, MessageUnref{&sd_});
  }

  absl::StatusOr<Message> Call(sd_bus_message* call, absl::string_view what) {
    sd_bus_error error = SD_BUS_ERROR_NULL;
    sd_bus_message* reply = nullptr;
    const int result =
        sd_.sd_bus_call(bus_, call, absl::ToInt64Microseconds(job_timeout_), &error, &reply);
    absl::Status status = BusError(result, error, what);
    sd_.sd_bus_error_free(&error);
    RETURN_IF_ERROR(status);
    return Message(reply, MessageUnref{&sd_});
  }

  // The ControlGroup property of the object at `path`.
  absl::StatusOr<std::string> ControlGroup(const std::string& path, const char* interface,
                                           absl::string_view whose) {
    sd_bus_error error = SD_BUS_ERROR_NULL;
    char* cgroup = nullptr;
    const int result = sd_.sd_bus_get_property_string(bus_, kDestination, path.c_str(), interface,
                                                      "ControlGroup", &error, &cgroup);
    absl::Status status = BusError(result, error, absl::StrCat("read ControlGroup of ", whose));
    sd_.sd_bus_error_free(&error);
    RETURN_IF_ERROR(status);
    std::string control_group(cgroup);
    sd_.free(cgroup);
    return control_group;
  }

  absl::StatusOr<std::string> CallForJob(sd_bus_message* call, absl::string_view what) {
    ASSIGN_OR_RETURN(Message reply, Call(call, what));
    return ReadString(reply.get(), 'o', what);
  }

  absl::StatusOr<std::string> ReadString(sd_bus_message* message, char type,
                                         absl::string_view what) {
    const char* value = nullptr;
    RETURN_IF_ERROR(Check(sd_.sd_bus_message_read_basic(message, type, &value), what));
    return std::string(value);
  }

  absl::Status WaitForJob(const std::string& job, absl::string_view what) {
    const absl::Time deadline = WallClockNow() + job_timeout_;
    while (true) {
      if (auto removed = removed_jobs_.find(job); removed != removed_jobs_.end()) {
        const std::string result = removed->second;
        removed_jobs_.erase(removed);
        if (result == "done") return absl::OkStatus();
        return absl::InternalError(absl::StrCat(what, ": job ", job, " ended \"", result, "\""));
      }
      const int processed = sd_.sd_bus_process(bus_, nullptr);
      RETURN_IF_ERROR(Check(processed, what));
      if (processed > 0) continue;
      const absl::Duration left = deadline - WallClockNow();
      if (left <= absl::ZeroDuration()) {
        return absl::DeadlineExceededError(absl::StrCat(what, ": job ", job, " did not finish in ",
                                                        absl::FormatDuration(job_timeout_)));
      }
      const int waited = sd_.sd_bus_wait(bus_, absl::ToInt64Microseconds(left));
      if (waited < 0 && waited != -EINTR) RETURN_IF_ERROR(Check(waited, what));
    }
  }

  absl::Status AppendString(sd_bus_message* message, const std::string& value,
                            absl::string_view what) {
    return Check(sd_.sd_bus_message_append_basic(message, 's', value.c_str()), what);
  }

  absl::Status AppendProperties(sd_bus_message* message,
                                const std::vector<UnitProperty>& properties,
                                absl::string_view what) {
    RETURN_IF_ERROR(Check(sd_.sd_bus_message_open_container(message, 'a', "(sv)"), what));
    for (const UnitProperty& property : properties) {
      const std::string context = absl::StrCat(what, ": property ", property.name);
      RETURN_IF_ERROR(Check(sd_.sd_bus_message_open_container(message, 'r', "sv"), context));
      RETURN_IF_ERROR(AppendString(message, property.name, context));
      RETURN_IF_ERROR(
          Check(std::visit([&](const auto& value) { return AppendVariant(message, value); },
                           property.value),
                context));
      RETURN_IF_ERROR(Check(sd_.sd_bus_message_close_container(message), context));
    }
    return Check(sd_.sd_bus_message_close_container(message), what);
  }

  // One property value as a D-Bus variant; a negative errno on failure.
  int AppendVariant(sd_bus_message* message, bool value) {
    const int flag = value;
    return Variant(message, "b",
                   [&] { return sd_.sd_bus_message_append_basic(message, 'b', &flag); });
  }
  template <typename Number, typename = std::enable_if_t<std::is_arithmetic_v<Number>>>
  int AppendVariant(sd_bus_message* message, Number value) {
    constexpr char kType = DbusType<Number>();
    constexpr char kSignature[] = {kType, '\0'};
    return Variant(message, kSignature,
                   [&] { return sd_.sd_bus_message_append_basic(message, kType, &value); });
  }
  int AppendVariant(sd_bus_message* message, const std::string& value) {
    return Variant(message, "s",
                   [&] { return sd_.sd_bus_message_append_basic(message, 's', value.c_str()); });
  }
  int AppendVariant(sd_bus_message* message, const std::vector<uint32_t>& value) {
    return Variant(message, "au", [&] {
      return sd_.sd_bus_message_append_array(message, 'u', value.data(),
                                             value.size() * sizeof(uint32_t));
    });
  }
  int AppendVariant(sd_bus_message* message, const std::vector<uint8_t>& value) {
    return Variant(message, "ay", [&] {
      return sd_.sd_bus_message_append_array(message, 'y', value.data(), value.size());
    });
  }
  int AppendVariant(sd_bus_message* message, const std::vector<std::string>& value) {
    return Variant(message, "as", [&] {
      int result = sd_.sd_bus_message_open_container(message, 'a', "s");
      for (const std::string& entry : value) {
        if (result >= 0) result = sd_.sd_bus_message_append_basic(message, 's', entry.c_str());
      }
      if (result >= 0) result = sd_.sd_bus_message_close_container(message);
      return result;
    });
  }
  int AppendVariant(sd_bus_message* message, const std::vector<DeviceAllow>& value) {
    return Variant(message, "a(ss)", [&] {
      int result = sd_.sd_bus_message_open_container(message, 'a', "(ss)");
      for (const DeviceAllow& entry : value) {
        if (result >= 0) result = sd_.sd_bus_message_open_container(message, 'r', "ss");
        if (result >= 0) result = sd_.sd_bus_message_append_basic(message, 's', entry.path.c_str());
        if (result >= 0) {
          result = sd_.sd_bus_message_append_basic(message, 's', entry.access.c_str());
        }
        if (result >= 0) result = sd_.sd_bus_message_close_container(message);
      }
      if (result >= 0) result = sd_.sd_bus_message_close_container(message);
      return result;
    });
  }
  template <typename AppendValue>
  int Variant(sd_bus_message* message, const char* signature, AppendValue append_value) {
    int result = sd_.sd_bus_message_open_container(message, 'v', signature);
    if (result >= 0) result = append_value();
    if (result >= 0) result = sd_.sd_bus_message_close_container(message);
    return result;
  }

  const SdBus& sd_;
  sd_bus* bus_;
  absl::Duration job_timeout_;
  sd_bus_slot* job_removed_ = nullptr;
  // Job object path to its result, as JobRemoved reported them.
  std::map<std::string, std::string> removed_jobs_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<UnitClient>> ConnectToSystemd(
    SystemdInstance instance, absl::Duration job_timeout,
    const std::string& systemd_runtime_directory) {
  if (access(systemd_runtime_directory.c_str(), F_OK) != 0) {
    return NoSystemd(
        absl::StrCat("systemd is not this host's init (no ", systemd_runtime_directory, ")"));
  }
  ASSIGN_OR_RETURN(const SdBus* sd, LoadedSdBus());
  sd_bus* bus = nullptr;
  if (instance == SystemdInstance::kUser) {
    if (const int result = sd->sd_bus_open_user(&bus); result < 0) {
      return NoSystemd(absl::StrCat(
          "cannot connect to the user's bus ($DBUS_SESSION_BUS_ADDRESS, else "
          "$XDG_RUNTIME_DIR/bus), where a rootless container's scope is made by the user's "
          "systemd instance: ",
          strerror(-result)));
    }
  } else if (const int result = sd->sd_bus_open_system(&bus); result < 0) {
    return NoSystemd(absl::StrCat("cannot connect to the system bus: ", strerror(-result)));
  }
  auto client = std::make_unique<SdBusUnitClient>(*sd, bus, job_timeout);
  RETURN_IF_ERROR(client->Subscribe());
  return client;
}

}  // namespace hull::cgroups::systemd
