// Prints "monotonic SECONDS" and "boottime SECONDS" as the calling process's
// time namespace sees CLOCK_MONOTONIC and CLOCK_BOOTTIME.
#include <stdio.h>
#include <time.h>

int main() {
  struct timespec monotonic;
  struct timespec boottime;
  if (clock_gettime(CLOCK_MONOTONIC, &monotonic) != 0 ||
      clock_gettime(CLOCK_BOOTTIME, &boottime) != 0) {
    perror("clock_gettime");
    return 1;
  }
  printf("monotonic %lld\nboottime %lld\n", static_cast<long long>(monotonic.tv_sec),
         static_cast<long long>(boottime.tv_sec));
  return 0;
}
