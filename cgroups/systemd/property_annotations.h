// Properties of a container's systemd unit that its config sets through
// annotations, as runc takes them: "org.systemd.property.<Name>" with the
// value in GLib's GVariant text format ("uint64 123", "'inactive-or-failed'",
// "true", "['a.service', 'b.service']"). They are added to the scope's
// properties when it starts, after Hull's own, so that they win. A name
// ending in a lowercase letter and "Sec" (TimeoutStopSec) takes seconds and
// becomes the matching "USec" property in microseconds, as runc converts it.
#ifndef HULL_CGROUPS_SYSTEMD_PROPERTY_ANNOTATIONS_H_
#define HULL_CGROUPS_SYSTEMD_PROPERTY_ANNOTATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cgroups/factory.h"
#include "cgroups/systemd/unit_properties.h"

namespace hull::cgroups::systemd {

inline constexpr absl::string_view kPropertyAnnotationPrefix = "org.systemd.property.";

// The first (by name) annotation that sets a unit property; nullopt when none
// does. Only the systemd driver can honour one.
std::optional<std::string> FirstPropertyAnnotation(const Annotations& annotations);

// The unit properties `annotations` set, in the order of the annotations'
// names. InvalidArgument naming the annotation for a name that is not ASCII
// letters (at least three), a value that is not GVariant text, or one of a
// type Hull does not send: booleans, integers of every width, doubles,
// strings, and arrays of strings, uint32 or bytes are sent; tuples,
// dictionaries, maybes, object paths and signatures are refused.
absl::StatusOr<std::vector<UnitProperty>> AnnotatedProperties(const Annotations& annotations);

// One value in GVariant's text format (exposed for tests): a bare integer is
// an int32, a bare number with a fraction or exponent a double, as GLib
// infers them; a type keyword ("uint64 5", "string 'x'") or annotation
// ("@as []") says the type.
absl::StatusOr<PropertyValue> ParseGVariantText(absl::string_view text);

}  // namespace hull::cgroups::systemd

#endif  // HULL_CGROUPS_SYSTEMD_PROPERTY_ANNOTATIONS_H_
