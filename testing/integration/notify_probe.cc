// Sends its argument as one datagram to $NOTIFY_SOCKET, as sd_notify(3)
// does, inside a container (busybox's nc has no unix datagrams). Static: the
// rootfs has no libc.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char** argv) {
  const char* path = getenv("NOTIFY_SOCKET");
  if (argc != 2 || path == nullptr) {
    fprintf(stderr, "usage: NOTIFY_SOCKET=PATH notify_probe MESSAGE\n");
    return 2;
  }
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  strncpy(address.sun_path, path, sizeof(address.sun_path) - 1);
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const size_t length = strlen(argv[1]);
  if (fd < 0 || sendto(fd, argv[1], length, 0, reinterpret_cast<const sockaddr*>(&address),
                       sizeof(address)) != static_cast<ssize_t>(length)) {
    perror("notify_probe: send");
    return 1;
  }
  return 0;
}
