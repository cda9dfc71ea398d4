// Container ids name directories under the state root, so they are checked
// before any path is built from them.
#ifndef HULL_STATEMACHINE_CONTAINER_ID_H_
#define HULL_STATEMACHINE_CONTAINER_ID_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace hull::statemachine {

// The id is a directory name (NAME_MAX, 255), and StateStore's temporary
// names add 8 characters (".<id>.XXXXXX").
inline constexpr std::size_t kMaxContainerIdLength = 247;

// OK when `id` is non-empty, at most kMaxContainerIdLength long, made of
// ASCII letters, digits and `_+-.`, and not "." or "..". Else
// InvalidArgument naming the id.
absl::Status ValidateContainerId(absl::string_view id);

}  // namespace hull::statemachine

#endif  // HULL_STATEMACHINE_CONTAINER_ID_H_
