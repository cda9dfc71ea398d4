// The expected errors of a fuzz corpus's generated malformed inputs:
// corpus/expected_errors.tsv, which generate_corpus.py writes next to
// corpus/malformed. For the corpus tests.
#ifndef HULL_CONFIG_FUZZ_EXPECTED_ERRORS_H_
#define HULL_CONFIG_FUZZ_EXPECTED_ERRORS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace hull::fuzz {

// File name in corpus/malformed to a substring of its error (empty: any
// error). Lines are "<name>\t<substring>"; "#" starts a comment line.
absl::StatusOr<std::map<std::string, std::string>> ReadExpectedErrors(
    const std::string& path);

}  // namespace hull::fuzz

#endif  // HULL_CONFIG_FUZZ_EXPECTED_ERRORS_H_
