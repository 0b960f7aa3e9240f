#!/usr/bin/env python3
"""`entsig conform --list-areas` prints exactly the rows of conformance/areas.tsv (name, answer,
input), in order, and the committed corpus has one directory per row and no other.

  conform_area_table_test.py ENTSIG SOURCE_DIR"""
import os
import subprocess
import sys

entsig, root = sys.argv[1], sys.argv[2]
rows = []
with open(os.path.join(root, "conformance", "areas.tsv"), encoding="utf-8") as f:
    for line in f:
        line = line.rstrip("\n")
        if line and not line.startswith("#"):
            name, _reader, _modules, output, stdin = line.split("\t")
            rows.append("\t".join((name, output, stdin)))

listed = subprocess.run([entsig, "conform", "--list-areas"], capture_output=True, text=True, check=True).stdout
if listed.splitlines() != rows:
    sys.exit("--list-areas differs from areas.tsv:\n%s\n---\n%s" % (listed, "\n".join(rows)))

cases = os.path.join(root, "conformance", "cases")
dirs = sorted(d for d in os.listdir(cases) if os.path.isdir(os.path.join(cases, d)))
names = sorted(r.split("\t")[0] for r in rows)
if dirs != names:
    sys.exit("conformance/cases has %s; areas.tsv lists %s" % (dirs, names))
print("%d areas agree" % len(rows))
