// Optimized builds link a copy of Debian's libglog.a whose one call of
// getpwuid_r comes here (deps.bzl, static_renames).
//
// That call is glog's static initializer of its user name, which it puts in
// the names of log files; it runs before main in every process that links
// glog, and looks the user up when $USER is unset: an nscd connection (twice)
// and /etc/nsswitch.conf and /etc/passwd read, in the launcher under a service
// manager and in every container init (re-executed with an empty environment).
// Hull never writes glog's log files (tools/launcher/runc_log.cc sends every
// line to a sink), so glog is given the name "uid<N>" without a lookup: the
// name glog gives a user it cannot find, written here because glog's own
// fallback formats it with snprintf, whose formatter would otherwise run
// before main too.
#include <errno.h>
#include <pwd.h>
#include <stddef.h>
#include <string.h>

extern "C" int hull_glog_getpwuid_r(uid_t uid, struct passwd* entry, char* buffer, size_t size,
                                    struct passwd** result) {
  char digits[10];  // a uid_t has at most 10 decimal digits
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + uid % 10);
    uid /= 10;
  } while (uid != 0);
  *result = nullptr;
  if (size < sizeof("uid") + count) return ERANGE;
  memcpy(buffer, "uid", 3);
  for (size_t i = 0; i < count; ++i) buffer[3 + i] = digits[count - 1 - i];
  buffer[3 + count] = '\0';
  memset(entry, 0, sizeof(*entry));
  entry->pw_name = buffer;
  *result = entry;
  return 0;
}
