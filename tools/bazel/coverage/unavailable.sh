#!/bin/sh
echo "coverage is not available in Hull's offline Bazel setup" >&2
exit 1
