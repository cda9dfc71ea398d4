// A fake cgroup v1 or hybrid host (testing/fake_cgroupfs.h) in the test's
// temporary directory and the container "/hull/c" in each of its hierarchies:
// the fixture of the V1Manager, ApplyV1Resources and ReadV1Stats tests.
#ifndef HULL_CGROUPS_V1_FAKE_HOST_H_
#define HULL_CGROUPS_V1_FAKE_HOST_H_

#include <memory>
#include <string>
#include <vector>

#include "cgroups/v1_directories.h"
#include "gtest/gtest.h"
#include "testing/fake_cgroupfs.h"

namespace hull::cgroups {

class V1FakeHostTest : public ::testing::Test {
 protected:
  // The host: this machine's hybrid layout unless `options` says otherwise,
  // and an empty huge page directory (hugepages_).
  void MakeHost(testing::FakeCgroupfs::Options options = {});

  // The container's directory in each hierarchy, as NewManager lists them.
  std::vector<CgroupDirectory> Directories() const;
  // Makes them, filled with their control files as the kernel fills a new
  // cgroup (a new cpuset's cpus and mems stay empty: V1Manager::Create's
  // part is not played).
  void MakeDirectories();

  // The container's directory in `hierarchy` ("memory", "unified").
  std::string Dir(const std::string& hierarchy) const;
  std::string File(const std::string& hierarchy, const std::string& file) const;
  std::string Contents(const std::string& hierarchy, const std::string& file) const;
  void Set(const std::string& hierarchy, const std::string& file, const std::string& contents);

  std::string hugepages_;
  std::unique_ptr<testing::FakeCgroupfs> tree_;
};

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_V1_FAKE_HOST_H_
