// Optimized builds link a copy of Debian's libglog.a whose four libunwind
// calls come here (deps.bzl, static_renames), and not libunwind.so.8 and the
// liblzma.so.5 it loads: two shared objects fewer for the dynamic loader to
// map and relocate at every start, in the launcher and again in every
// container init. (Debian's libunwind.a cannot be linked in instead: it is
// not position-independent, and hull is a PIE.)
//
// glog calls them for one thing, the stack trace of a failed CHECK or a
// LOG(FATAL) (its GetStackTrace): unw_getcontext and unw_init_local on a
// cursor, then the cursor's instruction pointer and a step to the caller,
// frame after frame. GCC's unwinder, linked in already for exceptions
// (libgcc_eh.a, //tools/bazel:static_cxx_runtime), walks the same frames from
// the same .eh_frame tables: unw_init_local collects their addresses into the
// cursor, which glog only holds on its stack and hands back.
#include <libunwind.h>
#include <unwind.h>

#include <cstdint>

namespace {

// The cursor's words: the frames' instruction pointers, their count, and the
// one glog is at.
struct Frames {
  static constexpr int kCapacity = UNW_TDEP_CURSOR_LEN - 2;
  unw_word_t count;
  unw_word_t current;
  unw_word_t ips[kCapacity];
};
static_assert(sizeof(Frames) <= sizeof(unw_cursor_t));

Frames& FramesOf(unw_cursor_t* cursor) { return *reinterpret_cast<Frames*>(cursor); }

struct Walk {
  Frames* frames;
  int skip;
};

_Unwind_Reason_Code AddFrame(struct _Unwind_Context* context, void* argument) {
  Walk& walk = *static_cast<Walk*>(argument);
  if (walk.skip > 0) {
    --walk.skip;
    return _URC_NO_REASON;
  }
  const unw_word_t ip = _Unwind_GetIP(context);
  // _start's caller, which libunwind does not report.
  if (ip == 0 || walk.frames->count == Frames::kCapacity) return _URC_END_OF_STACK;
  walk.frames->ips[walk.frames->count++] = ip;
  return _URC_NO_REASON;
}

}  // namespace

extern "C" {

// The cursor's first frame is the caller's, as libunwind's (the context it
// would capture is the caller's registers): nothing to capture here.
int hull_glog_unw_getcontext(unw_context_t* /*context*/) { return 0; }

// Not inlined into its caller: the walk leaves out this frame alone.
__attribute__((noinline)) int hull_glog_unw_init_local(unw_cursor_t* cursor,
                                                       unw_context_t* /*context*/) {
  Frames& frames = FramesOf(cursor);
  frames.count = 0;
  frames.current = 0;
  Walk walk{.frames = &frames, .skip = 1};
  _Unwind_Backtrace(AddFrame, &walk);
  return frames.count > 0 ? 0 : -UNW_EUNSPEC;
}

int hull_glog_unw_get_reg(unw_cursor_t* cursor, unw_regnum_t reg, unw_word_t* value) {
  const Frames& frames = FramesOf(cursor);
  if (reg != UNW_REG_IP) return -UNW_EBADREG;
  if (frames.current >= frames.count) return -UNW_EUNSPEC;
  *value = frames.ips[frames.current];
  return 0;
}

// 1 at the next frame, 0 past the last (libunwind's: > 0, 0 at the end).
int hull_glog_unw_step(unw_cursor_t* cursor) {
  Frames& frames = FramesOf(cursor);
  if (frames.current + 1 >= frames.count) return 0;
  ++frames.current;
  return 1;
}

}  // extern "C"
