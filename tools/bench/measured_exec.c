// measured_exec [--gate] RESULT_FILE PROGRAM [ARG]...: runs PROGRAM (an
// absolute path) as its child, waits for it, writes "<start ns> <wall ns>
// <peak RSS KiB> <CPU us>" of it into RESULT_FILE (the start on
// CLOCK_MONOTONIC) and exits with its exit code (128 + the signal number if a
// signal killed it); 127 when it could not run it.
//
// With --gate (timed_run.h's StartGate), it writes a byte to fd 3 once it has
// started, then waits for the end of fd 4 before it runs PROGRAM: runs
// spawned one after the other then start together, and none of the
// programs shares the machine with the start of another's measured_exec.
//
// Why a process between the benchmark and the runtime it measures: the peak
// RSS wait4 reports for a process counts the memory of every program it
// exec'd from, and a child the benchmark spawns starts as the benchmark
// (fork copies its memory; vfork shares it), whose own resident set (5 MiB
// and more) then hides any smaller runtime's. This program is small, and the
// child it forks starts as a copy of it.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long Nanoseconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

// The gate's fds (StartGate in timed_run.h).
enum { kGateReadyFd = 3, kGateStartFd = 4 };

// Says it is ready on kGateReadyFd, then waits until kGateStartFd ends; both
// are closed after, so that PROGRAM gets neither.
static int PassGate(void) {
  const char ready = 'r';
  if (write(kGateReadyFd, &ready, 1) != 1) {
    fprintf(stderr, "measured_exec: write to the gate: %s\n", strerror(errno));
    return -1;
  }
  close(kGateReadyFd);
  char byte;
  ssize_t n;
  while ((n = read(kGateStartFd, &byte, 1)) != 0) {
    if (n < 0 && errno != EINTR) {
      fprintf(stderr, "measured_exec: wait at the gate: %s\n", strerror(errno));
      return -1;
    }
  }
  close(kGateStartFd);
  return 0;
}

int main(int argc, char** argv) {
  const int gated = argc > 1 && strcmp(argv[1], "--gate") == 0;
  if (gated) {
    --argc;
    ++argv;
  }
  if (argc < 3) {
    fprintf(stderr, "usage: measured_exec [--gate] RESULT_FILE PROGRAM [ARG]...\n");
    return 127;
  }
  // Only what the program ran is measured: one that is not there is no run.
  if (access(argv[2], X_OK) != 0) {
    fprintf(stderr, "measured_exec: \"%s\": %s\n", argv[2], strerror(errno));
    return 127;
  }
  if (gated && PassGate() != 0) return 127;
  const long long start = Nanoseconds();
  const pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "measured_exec: fork: %s\n", strerror(errno));
    return 127;
  }
  if (pid == 0) {
    execv(argv[2], &argv[2]);
    fprintf(stderr, "measured_exec: exec \"%s\": %s\n", argv[2], strerror(errno));
    _exit(127);
  }
  int status;
  struct rusage usage;
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      fprintf(stderr, "measured_exec: wait4 %d: %s\n", (int)pid, strerror(errno));
      return 127;
    }
  }
  const long long wall = Nanoseconds() - start;
  const long long cpu_us =
      (long long)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000LL +
      usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
  FILE* result = fopen(argv[1], "we");
  if (result == NULL || fprintf(result, "%lld %lld %ld %lld\n", start, wall, usage.ru_maxrss,
                                      cpu_us) < 0 ||
      fclose(result) != 0) {
    fprintf(stderr, "measured_exec: write \"%s\": %s\n", argv[1], strerror(errno));
    return 127;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
