#!/bin/sh
# Builds a minimal container root filesystem from Debian's busybox-static and
# writes it as a tar archive: make_busybox_rootfs.sh OUT.tar
set -eu
out="$1"
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "$busybox is missing: run tools/bootstrap.sh" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/etc" "$root/proc" "$root/sys" "$root/dev" \
         "$root/tmp" "$root/root" "$root/home/user"
chmod 755 "$root"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
daemon:x:1:
audio:x:29:user
user:x:1000:
nogroup:x:65534:
GROUP
# Fixed owners, order and times: the archive depends only on busybox.
tar --create --file "$out" --directory "$root" --owner=0 --group=0 \
    --numeric-owner --sort=name --mtime=@0 .
