// Makes one system call inside a container and prints what it returned:
// `syscall_probe NR [ARG...]` (numbers in C syntax: 10, 0x1f) prints "ok RET"
// or "errno N". Busybox has no way to call an arbitrary system call. Static:
// the rootfs has no libc.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2 || argc > 8) {
    fprintf(stderr, "usage: syscall_probe NR [ARG...] (up to 6 args)\n");
    return 2;
  }
  long values[7] = {};
  for (int i = 1; i < argc; ++i) values[i - 1] = static_cast<long>(strtoull(argv[i], nullptr, 0));
  const long result =
      syscall(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
  if (result == -1) {
    printf("errno %d\n", errno);
  } else {
    printf("ok %ld\n", result);
  }
  return 0;
}
