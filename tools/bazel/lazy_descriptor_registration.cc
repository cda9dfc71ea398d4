// Optimized builds of hull register each .proto file's descriptor with
// protobuf's generated pool on first use instead of before main (see
// static_cxx_runtime in BUILD).
//
// Every generated .pb.cc has a static AddDescriptorsRunner whose constructor
// parses that file's serialized FileDescriptorProto and indexes its symbols:
// 1.64 of the 2.50 million instructions `hull --version` runs, paid again by
// every container process, which re-executes hull (runtime/spawn/
// sealed_reexec.h) and uses no reflection at all. The linker points those
// constructor calls here (-Wl,--wrap), and this one does nothing. Protobuf
// registers a file anyway the first time anything asks for one of its
// descriptors (GetDescriptor, GetReflection, TextFormat, JSON: every generated
// message's metadata goes through AssignDescriptors, which calls
// AddDescriptors for the file and its imports). What no longer works is
// looking a type up by name in the generated pool before any message of its
// file was used; hull does not do that (only tests do, and they are not built
// with this).
namespace google::protobuf::internal {
struct DescriptorTable;
}  // namespace google::protobuf::internal

extern "C" void __wrap__ZN6google8protobuf8internal20AddDescriptorsRunnerC1EPKNS1_15DescriptorTableE(
    void* /*runner*/, const google::protobuf::internal::DescriptorTable* /*table*/) {}
