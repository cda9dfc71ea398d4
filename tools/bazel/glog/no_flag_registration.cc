// Optimized builds link a copy of Debian's libglog.a whose calls of gflags'
// FlagRegisterer constructor come here (deps.bzl, static_renames), and not
// libgflags.a.
//
// Each of glog's flags (--v, --logtostderr, ...) is a global whose value its
// static initializer takes from the environment (GLOG_v, ...) and then
// registers with gflags, so that a program's gflags command line can set it.
// Hull parses its own command line (runc's) and sets the globals it uses
// directly (tools/launcher/runc_log.cc): the registry was built before main in
// every process, in the launcher and again in every container init, and
// never read. Without these calls nothing links gflags, whose own flags
// (--help, --flagfile, ...) registered themselves as well.
//
// The constructor is a member function of an empty class: `this` comes
// first, then the flag's name, help text, file, value and default. objcopy
// renames each instantiation glog calls (bool, int32, uint32, std::string)
// to a name of its own; all four name the one empty function.
extern "C" {

void hull_glog_register_flag(void* /*self*/, const char* /*name*/, const char* /*help*/,
                             const char* /*file*/, void* /*value*/, void* /*default*/) {}

void hull_glog_register_bool_flag(void*, const char*, const char*, const char*, void*, void*)
    __attribute__((alias("hull_glog_register_flag")));
void hull_glog_register_int32_flag(void*, const char*, const char*, const char*, void*, void*)
    __attribute__((alias("hull_glog_register_flag")));
void hull_glog_register_uint32_flag(void*, const char*, const char*, const char*, void*, void*)
    __attribute__((alias("hull_glog_register_flag")));
void hull_glog_register_string_flag(void*, const char*, const char*, const char*, void*, void*)
    __attribute__((alias("hull_glog_register_flag")));

}  // extern "C"
