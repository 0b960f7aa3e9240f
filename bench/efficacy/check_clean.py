#!/usr/bin/env python3
"""A clean build rejects every seeded-bug reproducer at the check the bug removes.

  bench/efficacy/check_clean.py BUILD_DIR

Runs each reproducer through BUILD_DIR's replay fuzz target (must exit 0: no invariant
breaks) and its payload through BUILD_DIR's `entsig` (must print exactly the expected error
id, bench/efficacy/reproducers.py CLEAN_ERRORS). The seeded half, that each seeded build
crashes, needs one tree per bug and is `bench/efficacy/run --prove-only`.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import reproducers  # noqa: E402

TARGETS = {}  # bug -> target, from bugs.txt
for line in (Path(__file__).resolve().parent / "bugs.txt").read_text().splitlines():
    if line.strip() and not line.startswith("#"):
        cells = [c.strip() for c in line.split("|")]
        TARGETS[cells[0]] = cells[1]

# How `entsig` reads each target's payload.
VERBS = {"plist_binary": ["convert", "--to", "json"], "der_entitlements": ["convert", "--to", "json"],
         "superblob": ["inspect"], "code_directory": ["inspect"], "macho": ["inspect"]}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build = Path(sys.argv[1])
    failures = []  # (bug, what went wrong)
    if set(TARGETS) != set(reproducers.REPRODUCERS):
        failures.append(("*", "bugs.txt and reproducers.py name different bugs"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = reproducers.write_all(Path(tmp) / "inputs")
        for bug, target in TARGETS.items():
            path = folder / bug
            run = subprocess.run([str(build / "fuzzers" / f"fuzz_{target}"), str(path)],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if run.returncode != 0:
                failures.append((bug, f"fuzz_{target} exit {run.returncode}: {run.stdout.decode()[-300:]}"))
            expected = reproducers.CLEAN_ERRORS[bug]
            if expected is None:
                continue
            payload = Path(tmp) / f"{bug}.payload"
            payload.write_bytes(path.read_bytes()[reproducers.LEADING_BYTES[target]:])
            cli = subprocess.run([str(build / "tools" / "entsig"), *VERBS[target], str(payload)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            said = cli.stderr.decode("utf-8", "replace").strip()
            if cli.returncode != 1 or not said.startswith(f"error: {expected} at offset "):
                failures.append((bug, f"entsig {' '.join(VERBS[target])} exit {cli.returncode}: {said!r}, "
                                      f"expected error: {expected}"))
    for bug, what in failures:
        print(f"FAIL {bug}: {what}")
    bad = {bug for bug, _ in failures}
    print(f"efficacy reproducers: {len(set(TARGETS) - bad)} of {len(TARGETS)} rejected as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
