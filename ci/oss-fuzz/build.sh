#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build: honours $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE
# $OUT $SRC. Produces <target>, <target>_seed_corpus.zip, <target>.dict, <target>.options.
ENTSIG_SRC=${ENTSIG_SRC:-$SRC/entsig}
PUGIXML_SRC=${PUGIXML_SRC:-$SRC/pugixml}
WORK=${WORK:-$(mktemp -d)}
build="$WORK/entsig-build"

cmake -S "$ENTSIG_SRC" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DENTSIG_FUZZ_ENGINE=libfuzzer \
  -DENTSIG_LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE" \
  -DENTSIG_PUGIXML_FROM_SOURCE=ON -DENTSIG_PUGIXML_SOURCE_DIR="$PUGIXML_SRC" \
  -DENTSIG_BUILD_TESTS=OFF -DENTSIG_BUILD_TOOLS=OFF -DENTSIG_BUILD_BENCH=OFF
cmake --build "$build" -j "$(nproc)"

for binary in "$build"/fuzzers/fuzz_*; do
  [ -x "$binary" ] || continue
  name=$(basename "$binary")
  target=${name#fuzz_}
  cp "$binary" "$OUT/$target"
  dict="$ENTSIG_SRC/fuzzers/dicts/$target.dict"
  [ -f "$dict" ] && cp "$dict" "$OUT/$target.dict"
  options="$ENTSIG_SRC/fuzzers/options/$target.options"
  [ -f "$options" ] && cp "$options" "$OUT/$target.options"
  # Seeds, campaign inputs and past findings all start the fuzzer (zip -j: names are content
  # hashes).
  for seeds in "$ENTSIG_SRC/corpus/$target" "$ENTSIG_SRC/corpus/campaign/$target" \
               "$ENTSIG_SRC/corpus/regressions/$target"; do
    if [ -d "$seeds" ]; then
      find "$seeds" -type f -print | zip -q -j "$OUT/${target}_seed_corpus.zip" -@
    fi
  done
done
