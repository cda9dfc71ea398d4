// The rules of the config's top-level fields but process: ociVersion, root,
// hostname and domainname, mounts, hooks.

#include "config/validator_rules.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "config/namespaces.h"
#include "config/validator_internal.h"
#include "google/protobuf/repeated_field.h"

namespace hull::config::validator_internal {
namespace {

// Whether `ok` holds for each '.'-separated identifier of `part`.
template <typename Ok>
bool AllIdentifiers(absl::string_view part, Ok ok) {
  while (true) {
    const size_t dot = part.find('.');
    if (!ok(part.substr(0, dot))) return false;
    if (dot == absl::string_view::npos) return true;
    part.remove_prefix(dot + 1);
  }
}

// SemVer 2.0.0: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD].
bool IsSemVer(absl::string_view version) {
  const auto identifiers_ok = [](absl::string_view part, bool numeric_no_leading_zero) {
    return AllIdentifiers(part, [numeric_no_leading_zero](absl::string_view id) {
      if (id.empty()) return false;
      for (char c : id) {
        if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
      }
      const bool numeric = std::all_of(id.begin(), id.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      });
      return !numeric_no_leading_zero || !numeric || IsDecimal(id);
    });
  };
  const size_t plus = version.find('+');
  if (plus != absl::string_view::npos) {
    if (!identifiers_ok(version.substr(plus + 1), false)) return false;
    version = version.substr(0, plus);
  }
  const size_t dash = version.find('-');
  if (dash != absl::string_view::npos) {
    if (!identifiers_ok(version.substr(dash + 1), true)) return false;
    version = version.substr(0, dash);
  }
  int core_parts = 0;
  return AllIdentifiers(version,
                        [&core_parts](absl::string_view id) {
                          ++core_parts;
                          return IsDecimal(id);
                        }) &&
         core_parts == 3;
}

}  // namespace

void CheckOciVersion(const Spec& spec, Report& report) {
  if (spec.oci_version().empty()) {
    report.Add("ociVersion", "required");
  } else if (!IsSemVer(spec.oci_version())) {
    report.Add("ociVersion",
               absl::StrCat(Quote(spec.oci_version()), " is not a SemVer 2.0.0 version"));
  }
}

void CheckRoot(const Spec& spec, Report& report) {
  if (spec.root().path().empty()) report.Add("root.path", "required");
}

void CheckHostnames(const Spec& spec, Report& report) {
  const bool has_uts_namespace = HasNamespace(spec, "uts");
  if (!spec.hostname().empty() && !has_uts_namespace) {
    report.Add("hostname", "setting it needs a uts namespace");
  }
  if (!spec.domainname().empty() && !has_uts_namespace) {
    report.Add("domainname", "setting it needs a uts namespace");
  }
}

void CheckMounts(const Spec& spec, Report& report) {
  for (int i = 0; i < spec.mounts_size(); ++i) {
    const Mount& mount = spec.mounts(i);
    const std::string path = Index("mounts", i);
    report.CheckAbsolute(mount.destination(), Field(path, "destination"));
    if (mount.uid_mappings().empty() != mount.gid_mappings().empty()) {
      report.Add(path, "an id-mapped mount needs both uidMappings and gidMappings");
    }
    CheckIdMappings(mount.uid_mappings(), Field(path, "uidMappings"), report);
    CheckIdMappings(mount.gid_mappings(), Field(path, "gidMappings"), report);
  }
}

void CheckHooks(const Spec& spec, Report& report) {
  const Hooks& hooks = spec.hooks();
  const std::pair<const char*, const google::protobuf::RepeatedPtrField<Hook>*> lists[] = {
      {"prestart", &hooks.prestart()},
      {"createRuntime", &hooks.create_runtime()},
      {"createContainer", &hooks.create_container()},
      {"startContainer", &hooks.start_container()},
      {"poststart", &hooks.poststart()},
      {"poststop", &hooks.poststop()},
  };
  for (const auto& [name, list] : lists) {
    for (int i = 0; i < list->size(); ++i) {
      const Hook& hook = (*list)[i];
      const std::string path = Index(Field("hooks", name), i);
      report.CheckAbsolute(hook.path(), Field(path, "path"));
      if (hook.has_timeout() && hook.timeout() <= 0) {
        report.Add(Field(path, "timeout"),
                   absl::StrCat("must be greater than zero, got ", hook.timeout()));
      }
    }
  }
}

}  // namespace hull::config::validator_internal
