// gmock stand-in for ProcFiles.
#ifndef HULL_TESTING_MOCK_PROC_FILES_H_
#define HULL_TESTING_MOCK_PROC_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "base/procfs_files.h"

namespace hull::testing {

class MockProcFiles : public ProcFiles {
 public:
  MOCK_METHOD(absl::Status, Write, (absl::string_view path, absl::string_view value), (override));
  MOCK_METHOD(absl::StatusOr<std::string>, Read, (absl::string_view path), (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_PROC_FILES_H_
