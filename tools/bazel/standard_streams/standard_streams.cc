// The one initializer of the standard streams (std::cout, std::cerr, ...) in
// a program built with this directory's <iostream>, which has none. Its
// priority runs it before every initializer of default priority, so that
// those may use the streams as <iostream> promises.
#include <ios>

namespace {

__attribute__((init_priority(101))) const std::ios_base::Init standard_streams;

}  // namespace
