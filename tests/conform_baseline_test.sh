#!/bin/sh
# One adapter's conformance outcomes against its committed baseline (tests/CMakeLists.txt,
# entsig_conformance_baseline_test). Run from the source tree.
# Usage: conform_baseline_test.sh ENTSIG ADAPTER. Exit 77 (skipped) when an external adapter
# cannot answer --capabilities, i.e. its interpreter or library is not installed here; an
# adapter that does not exist at all is a failure (a misspelt name must not pass quietly).
set -u
entsig=$1
adapter=$2
script=conformance/adapters/$adapter/adapter
case $adapter in
  entsig | entsig-cf) ;;
  *)
    if [ ! -x "$script" ]; then
      echo "FAIL: no adapter $script"
      exit 1
    fi
    if ! "$script" --capabilities >/dev/null 2>&1; then
      echo "skipped: adapter $adapter is not available"
      exit 77
    fi
    ;;
esac
exec "$entsig" conform --adapter "$adapter" --baseline "conformance/baselines/$adapter.json" -o /dev/null
