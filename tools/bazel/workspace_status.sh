#!/usr/bin/env bash
# Bazel's --workspace_status_command under --config=stamped: the commit `hull`
# prints in `hull --version` (STABLE_ keys end up in stable-status.txt).
commit=$(git rev-parse HEAD 2>/dev/null) || exit 0
git diff --quiet HEAD 2>/dev/null || commit+="-dirty"
echo "STABLE_HULL_COMMIT $commit"
