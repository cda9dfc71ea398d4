// CRIU's service worker: `criu swrk <fd>`, a child that serves RPC requests
// over a SOCK_SEQPACKET socket it inherits (what runc and podman drive).
#ifndef HULL_RUNTIME_CRIU_SWRK_H_
#define HULL_RUNTIME_CRIU_SWRK_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "runtime/criu/rpc.pb.h"
#include "runtime/criu/runner.h"

namespace hull::runtime::criu {

class SwrkRunner final : public Runner {
 public:
  // `criu_path`: the binary, looked up in PATH without a slash.
  explicit SwrkRunner(std::string criu_path) : criu_path_(std::move(criu_path)) {}

  // One worker per request: it exits once it has answered. Its stdin and
  // stdout are /dev/null, its stderr the caller's.
  absl::StatusOr<criu_resp> Run(const criu_req& request, absl::Span<const int> extra_fds,
                                const Callbacks& callbacks) override;

 private:
  std::string criu_path_;
};

// "dump", "restore", "pre-dump", ...: the request type as CRIU's CLI names it.
std::string RequestTypeName(criu_req_type type);

}  // namespace hull::runtime::criu

#endif  // HULL_RUNTIME_CRIU_SWRK_H_
