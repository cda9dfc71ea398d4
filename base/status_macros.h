// Early-return helpers for absl::Status and absl::StatusOr (Debian's Abseil
// predates Abseil's own). The only copy in Hull: include this, never re-define.
#ifndef HULL_BASE_STATUS_MACROS_H_
#define HULL_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns the status of `expr` from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                                        \
  do {                                                               \
    ::absl::Status hull_status_macro_status = (expr);                \
    if (!hull_status_macro_status.ok()) return hull_status_macro_status; \
  } while (0)

#define HULL_STATUS_MACROS_CONCAT_INNER(x, y) x##y
#define HULL_STATUS_MACROS_CONCAT(x, y) HULL_STATUS_MACROS_CONCAT_INNER(x, y)

// `ASSIGN_OR_RETURN(lhs, expr)`: evaluates `expr` (an absl::StatusOr<T>);
// returns its status when it is an error, else moves the value into `lhs`,
// which may be a declaration (`ASSIGN_OR_RETURN(auto fd, Open(path));`).
#define ASSIGN_OR_RETURN(lhs, expr)                                            \
  HULL_ASSIGN_OR_RETURN_IMPL(                                                  \
      HULL_STATUS_MACROS_CONCAT(hull_status_or_value_, __LINE__), lhs, expr)

#define HULL_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = *std::move(statusor)

#endif  // HULL_BASE_STATUS_MACROS_H_
