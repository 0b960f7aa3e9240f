#!/usr/bin/env python3
"""`entsig conform --list-areas` prints exactly the rows of conformance/areas.tsv (name, answer,
input), in order, and the committed corpus has one directory per row and no other. The rows
are read by conformance/generate's own reader of the table.

  conform_area_table_test.py ENTSIG SOURCE_DIR"""
import importlib.machinery
import importlib.util
import os
import subprocess
import sys

entsig, root = sys.argv[1], sys.argv[2]
sys.dont_write_bytecode = True
path = os.path.join(root, "conformance", "generate")
spec = importlib.util.spec_from_loader("generate", importlib.machinery.SourceFileLoader("generate", path))
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)
table = generate.area_table()
rows = ["\t".join((r.name, r.output, r.input)) for r in table]

listed = subprocess.run([entsig, "conform", "--list-areas"], capture_output=True, text=True, check=True).stdout
if listed.splitlines() != rows:
    sys.exit("--list-areas differs from areas.tsv:\n%s\n---\n%s" % (listed, "\n".join(rows)))

cases = os.path.join(root, "conformance", "cases")
dirs = sorted(d for d in os.listdir(cases) if os.path.isdir(os.path.join(cases, d)))
names = sorted(r.name for r in table)
if dirs != names:
    sys.exit("conformance/cases has %s; areas.tsv lists %s" % (dirs, names))
print("%d areas agree" % len(rows))
