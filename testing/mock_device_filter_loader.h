// gmock stand-in for hull::cgroups::DeviceFilterLoader.
#ifndef HULL_TESTING_MOCK_DEVICE_FILTER_LOADER_H_
#define HULL_TESTING_MOCK_DEVICE_FILTER_LOADER_H_

#include <linux/bpf.h>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "cgroups/device_filter_loader.h"
#include "gmock/gmock.h"

namespace hull::testing {

class MockDeviceFilterLoader : public cgroups::DeviceFilterLoader {
 public:
  MOCK_METHOD(absl::Status, Install, (int cgroup_fd, absl::Span<const bpf_insn> program),
              (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_DEVICE_FILTER_LOADER_H_
