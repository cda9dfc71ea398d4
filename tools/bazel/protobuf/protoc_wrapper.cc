// Runs Debian's protoc with the arguments Bazel passes.
#include <stdio.h>
#include <unistd.h>

int main(int argc, char** argv) {
  (void)argc;
  static char kProtoc[] = "/usr/bin/protoc";
  argv[0] = kProtoc;
  execv(kProtoc, argv);
  perror("exec /usr/bin/protoc (run tools/bootstrap.sh)");
  return 127;
}
