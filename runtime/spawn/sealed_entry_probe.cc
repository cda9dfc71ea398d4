// sealed_entry_test's program: it starts at HULL_SEALED_ENTRY_POINT's entry
// point, which seals it when its first argument is "seal". Prints the
// kernel's AT_EXECFN and "read-only" or "writable", its binary's filesystem.
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdio>

#include "runtime/spawn/sealed_entry.h"

namespace {

bool SealsWhenAsked(const char* const* args) {
  const char* const first = args[0];
  return first != nullptr && first[0] == 's' && first[1] == 'e' && first[2] == 'a' &&
         first[3] == 'l' && first[4] == '\0';
}

}  // namespace

HULL_SEALED_ENTRY_POINT(sealed_entry_probe_start, SealsWhenAsked);

int main() {
  struct statvfs filesystem;
  if (statvfs("/proc/self/exe", &filesystem) != 0) {
    perror("statvfs /proc/self/exe");
    return 1;
  }
  std::printf("%s %s\n", reinterpret_cast<const char*>(getauxval(AT_EXECFN)),
              (filesystem.f_flag & ST_RDONLY) != 0 ? "read-only" : "writable");
  return 0;
}
