// Test-only crash points: places where a command that is killed leaves
// something half made, named so that a test can kill the process exactly
// there (not after a sleep) and prove that the next command cleans up.
//
//   HULL_CRASH_AT=cgroups-made hull create ...   # dies of SIGKILL there
//
// Without the variable, a crash point costs one branch on a value read once.
#ifndef HULL_BASE_CRASH_POINT_H_
#define HULL_BASE_CRASH_POINT_H_

namespace hull {

// The environment variable naming the crash point to die at.
inline constexpr char kCrashAtVariable[] = "HULL_CRASH_AT";

// Kills the calling process with SIGKILL when HULL_CRASH_AT (read at the
// first call) is `point`; does nothing otherwise.
void CrashPoint(const char* point);

}  // namespace hull

#endif  // HULL_BASE_CRASH_POINT_H_
