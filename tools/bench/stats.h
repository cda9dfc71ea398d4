// Order statistics of a benchmark's samples.
#ifndef HULL_TOOLS_BENCH_STATS_H_
#define HULL_TOOLS_BENCH_STATS_H_

#include <vector>

#include "absl/status/statusor.h"

namespace hull::bench {

struct Summary {
  double min = 0;
  double median = 0;  // the mean of the two middle samples when their count is even
  double p90 = 0;     // nearest rank: the smallest sample >= 90% of the samples
  double max = 0;
};

// InvalidArgument when `samples` is empty.
absl::StatusOr<Summary> Summarize(std::vector<double> samples);

}  // namespace hull::bench

#endif  // HULL_TOOLS_BENCH_STATS_H_
