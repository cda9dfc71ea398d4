// gmock stand-in for hull::rootfs::Mounter.
#ifndef HULL_TESTING_MOCK_MOUNTER_H_
#define HULL_TESTING_MOCK_MOUNTER_H_

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "runtime/rootfs/mounter.h"

namespace hull::testing {

class MockMounter : public rootfs::Mounter {
 public:
  MOCK_METHOD(absl::Status, SetPropagation, (const std::string& path, unsigned long propagation),
              (override));
  MOCK_METHOD(absl::Status, MakeParentMountPrivate, (const std::string& path), (override));
  MOCK_METHOD(absl::Status, BindOntoItself, (const std::string& path), (override));
  MOCK_METHOD(absl::Status, Detach, (const std::string& path), (override));
  MOCK_METHOD(bool, Exists, (const std::string& path), (override));
  MOCK_METHOD(absl::Status, Mount, (const std::string& root, const rootfs::PlannedMount& mount),
              (override));
  MOCK_METHOD(absl::Status, CreateDevice,
              (const std::string& root, const rootfs::DeviceNode& device), (override));
  MOCK_METHOD(absl::Status, CreateSymlink,
              (const std::string& root, const std::string& target, const std::string& path),
              (override));
  MOCK_METHOD(absl::Status, RemountReadOnly, (const std::string& root, const std::string& path),
              (override));
  MOCK_METHOD(absl::Status, PivotRoot, (const std::string& rootfs), (override));
  MOCK_METHOD(absl::Status, MoveRoot, (const std::string& rootfs), (override));
  MOCK_METHOD(absl::Status, MaskPath, (const std::string& path), (override));
  MOCK_METHOD(absl::Status, MakeReadOnly, (const std::string& path), (override));
  MOCK_METHOD(absl::Status, BindOpenFile, (int file, const std::string& path), (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_MOUNTER_H_
