#!/usr/bin/env python3
"""The seeded bugs live in patches only, and every patch still applies.

  bench/efficacy/check_patches.py [--self-test]

Checks, without building anything: bugs.txt and bench/efficacy/bugs/*.patch name the same
bugs; each patch opens with a description, changes only files under parsers/ and changes
the file its bugs.txt row names; `git apply --check` accepts each one against the working
tree; and no file of the parsers, tools, fuzzers or CMake build holds a seeded-bug macro.
--self-test shows that each kind of break is caught: a drifted context line, a patch that
is missing, and a macro in a parser file.
"""
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import seeded  # noqa: E402

ROOT = seeded.ROOT
MACRO = "ENTSIG_SEEDED_BUG"
# Where seeded code once lived and must not come back.
CLEAN_PLACES = ["parsers", "tools", "fuzzers", "cmake", "CMakeLists.txt"]


def bug_rows(root):
    """bugs.txt rows as {name: file it names}."""
    rows = {}
    for line in (root / "bench" / "efficacy" / "bugs.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            cells = [c.strip() for c in line.split("|")]
            rows[cells[0]] = cells[2]
    return rows


def check_patches(root, bugs_dir):
    failures = []
    rows = bug_rows(root)
    patches = {p.stem: p for p in sorted(bugs_dir.glob("*.patch"))}
    for name in sorted(set(rows) - set(patches)):
        failures.append(f"{name}: in bugs.txt, no {name}.patch")
    for name in sorted(set(patches) - set(rows)):
        failures.append(f"{name}.patch: not in bugs.txt")
    for name in sorted(set(rows) & set(patches)):
        patch = patches[name]
        text = patch.read_text()
        header = []
        for line in text.splitlines():
            if line.startswith(("diff ", "--- ")):
                break
            header.append(line)
        if not "".join(header).strip():
            failures.append(f"{patch.name}: no description before the diff")
        paths = seeded.patched_paths(patch)
        if not paths:
            failures.append(f"{patch.name}: changes no file")
        failures += [f"{patch.name}: changes {p}, outside parsers/" for p in paths if not p.startswith("parsers/")]
        if rows[name] not in paths:
            failures.append(f"{patch.name}: does not change {rows[name]}, the file bugs.txt names")
        if MACRO in "".join(l for l in text.splitlines(True) if l.startswith("+")):
            failures.append(f"{patch.name}: adds a {MACRO} macro (the patch is the bug, nothing to switch)")
        try:
            seeded.apply_patch(name, root, check_only=True, patch=patch)
        except seeded.PatchError as e:
            failures.append(str(e).strip())
    return failures, len(patches)


def check_no_macros(root):
    failures = []
    for place in CLEAN_PLACES:
        top = root / place
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            for number, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), 1):
                if MACRO in line:
                    failures.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return failures


def self_test():
    """A copy of the few files involved, broken three ways; each must be reported."""
    name = sorted(bug_rows(ROOT))[0]
    patch = seeded.patch_file(name)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "tree"
        for rel in ["bench/efficacy/bugs.txt", *seeded.patched_paths(patch)]:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / rel, root / rel)
        bugs_dir = root / "bench" / "efficacy" / "bugs"
        bugs_dir.mkdir()
        shutil.copyfile(patch, bugs_dir / patch.name)
        bugs_txt = root / "bench" / "efficacy" / "bugs.txt"
        bugs_txt.write_text("".join(l for l in bugs_txt.read_text().splitlines(True)
                                    if l.startswith("#") or l.startswith(name + " ")))

        def expect(what, failures, pattern):
            nonlocal ok
            hit = any(re.search(pattern, f) for f in failures)
            print(f"self-test {what}: {'caught' if hit else 'MISSED'}")
            ok = ok and hit

        failures, _ = check_patches(root, bugs_dir)
        print(f"self-test {name}.patch on an unchanged copy: {'applies' if not failures else failures}")
        ok = ok and not failures
        # Drift: the first context line of the first hunk changes in the tree.
        target = root / seeded.patched_paths(patch)[0]
        hunk = patch.read_text().split("\n@@", 1)[1].splitlines()[1:]
        context = next(l[1:] for l in hunk if l.startswith(" ") and l.strip())
        target.write_text(target.read_text().replace(context, context + " // drifted", 1))
        expect("drifted context line", check_patches(root, bugs_dir)[0], r"does not apply")
        (bugs_dir / patch.name).unlink()
        expect("missing patch", check_patches(root, bugs_dir)[0], rf"{name}: in bugs.txt, no {name}.patch")
        (root / "parsers" / "planted.cc").write_text(f"#ifdef {MACRO}_{name}\n#endif\n")
        expect("macro in parsers/", check_no_macros(root), r"parsers/planted\.cc:1:")
    return 0 if ok else 1


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if sys.argv[1:]:
        sys.exit(__doc__)
    failures, count = check_patches(ROOT, seeded.BUGS)
    failures += check_no_macros(ROOT)
    for f in failures:
        print(f"FAIL {f}")
    print(f"seeded bugs: {count} patch(es), {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
