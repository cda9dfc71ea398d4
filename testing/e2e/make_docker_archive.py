#!/usr/bin/env python3
"""Makes a docker-archive (what `docker save` writes) of one layer.

Usage: make_docker_archive.py ROOTFS_TAR REPO_TAG OUT_TAR
The layer is ROOTFS_TAR as it is; the image config runs `sh` with the usual
PATH. containerd's `ctr images import` reads the result.
"""
import hashlib
import io
import json
import sys
import tarfile


def add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    archive.addfile(info, io.BytesIO(data))


def main():
    rootfs_tar, repo_tag, out = sys.argv[1:4]
    with open(rootfs_tar, "rb") as f:
        layer = f.read()
    layer_digest = hashlib.sha256(layer).hexdigest()
    config = json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": ["sh"],
        },
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + layer_digest]},
    }, sort_keys=True).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{
        "Config": config_name,
        "RepoTags": [repo_tag],
        "Layers": [layer_digest + "/layer.tar"],
    }]).encode()
    with tarfile.open(out, "w") as archive:
        add_bytes(archive, layer_digest + "/layer.tar", layer)
        add_bytes(archive, config_name, config)
        add_bytes(archive, "manifest.json", manifest)


if __name__ == "__main__":
    main()
