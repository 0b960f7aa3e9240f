#!/bin/bash -eu
# ClusterFuzzLite uses the same build as OSS-Fuzz.
exec bash "$SRC/entsig/ci/oss-fuzz/build.sh"
