// Optimized builds link a copy of Debian's libglog.a whose one call of
// getpwuid_r comes here (deps.bzl, static_renames).
//
// That call is glog's static initializer of its user name, which it puts in
// the names of log files; it runs before main in every process that links
// glog, and looks the user up when $USER is unset: an nscd connection (twice)
// and /etc/nsswitch.conf and /etc/passwd read, in the launcher under a service
// manager and in every container init (re-executed with an empty environment).
// Hull never writes glog's log files (tools/launcher/runc_log.cc sends every
// line to a sink), so glog is told here that there is no such user, and names
// it "uid<N>" instead.
#include <errno.h>
#include <pwd.h>
#include <stddef.h>

extern "C" int hull_glog_getpwuid_r(uid_t /*uid*/, struct passwd* /*entry*/, char* /*buffer*/,
                                    size_t /*size*/, struct passwd** result) {
  *result = nullptr;
  return ENOENT;
}
