#include "tools/bench/stats.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "absl/status/status.h"

namespace hull::bench {

absl::StatusOr<Summary> Summarize(std::vector<double> samples) {
  if (samples.empty()) return absl::InvalidArgumentError("summarize: no samples");
  std::sort(samples.begin(), samples.end());
  const size_t n = samples.size();
  const size_t p90_rank = static_cast<size_t>(std::ceil(0.9 * static_cast<double>(n)));
  return Summary{
      .min = samples.front(),
      .median = n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2,
      .p90 = samples[std::max<size_t>(p90_rank, 1) - 1],
      .max = samples.back(),
  };
}

}  // namespace hull::bench
