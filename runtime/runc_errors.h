// runc's words for errors that clients and scripts match on, put before
// Hull's own detail.
#ifndef HULL_RUNTIME_RUNC_ERRORS_H_
#define HULL_RUNTIME_RUNC_ERRORS_H_

#include "absl/status/status.h"
#include "base/status_util.h"

namespace hull::runtime {

// A config the spec or the host refuses: "invalid configuration: <why>".
inline absl::Status InvalidConfiguration(const absl::Status& status) {
  return Annotate(status, "invalid configuration");
}

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_RUNC_ERRORS_H_
