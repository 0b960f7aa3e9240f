#!/usr/bin/env python3
"""Source trees with one seeded bug in them (bench/efficacy/bugs/<NAME>.patch).

  bench/efficacy/seeded.py NAME DEST     DEST: the tracked sources with NAME's patch applied
  bench/efficacy/seeded.py --clean DEST  DEST: the tracked sources, no patch

The parsers carry no seeded code. A seeded build compiles a copy of the files git tracks, as
they are in the working tree (plus pugixml's source from third_party/, which fuzz builds
compile), with one patch applied by `git apply` (context must match exactly; only line
offsets are tolerated). A patch that does not apply stops with git's message. DEST is
refreshed file by file and only files whose bytes change are rewritten, so a build tree
configured on DEST recompiles what the patch or the tree changed, nothing more. DEST/build/
is left alone: build trees go there, at the presets' own DEST/build/<preset>.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUGS = ROOT / "bench" / "efficacy" / "bugs"


class PatchError(Exception):
    pass


def patch_file(name):
    return BUGS / f"{name}.patch"


def patched_paths(patch):
    """The files a patch changes, from its `+++ b/<path>` lines."""
    return re.findall(r"^\+\+\+ b/(\S+)", patch.read_text(), re.M)


def tracked_files():
    """The tracked files present in the working tree, and pugixml's source when fetched."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, stdout=subprocess.PIPE).stdout
    files = [p for p in out.decode().split("\0") if p and (ROOT / p).is_file()]
    pugixml = ROOT / "third_party" / "pugixml" / "src"
    if pugixml.is_dir():
        files += sorted(p.relative_to(ROOT).as_posix() for p in pugixml.iterdir() if p.is_file())
    return files


def apply_patch(name, tree, check_only=False, patch=None, where=None):
    """Applies NAME's patch (or the file `patch`) to the files under `tree`; with check_only,
    `git apply --check`: nothing is written."""
    patch = Path(patch) if patch else patch_file(name)
    if not patch.is_file():
        raise PatchError(f"{patch}: no such patch")
    # The ceiling keeps git from finding the checkout above a scratch tree inside it.
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=str(Path(tree).resolve().parent))
    cmd = ["git", "apply", "-p1", "--whitespace=nowarn"] + (["--check"] if check_only else []) + [str(patch)]
    run = subprocess.run(cmd, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if run.returncode != 0:
        raise PatchError(f"{patch.name} does not apply to {where or tree}:\n" + run.stdout.decode("utf-8", "replace"))


def sync_file(source, dest):
    """Copies `source` to `dest` unless the bytes are already there (a fresh mtime if not)."""
    if dest.is_file() and dest.read_bytes() == source.read_bytes():
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)
    shutil.copymode(source, dest)
    return True


def prepare(name, dest):
    """Makes `dest` the tracked tree plus NAME's patch (None: no patch); returns the count of
    files rewritten."""
    dest = Path(dest)
    files = tracked_files()
    patched = {}
    with tempfile.TemporaryDirectory() as tmp:
        if name:
            # Only the files the patch touches are staged; git apply needs nothing else.
            for rel in patched_paths(patch_file(name)) if patch_file(name).is_file() else []:
                if (ROOT / rel).is_file():
                    (Path(tmp) / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(ROOT / rel, Path(tmp) / rel)
                    patched[rel] = Path(tmp) / rel
            apply_patch(name, tmp, where="the working tree's files")
        changed = sum(sync_file(patched.get(rel, ROOT / rel), dest / rel) for rel in files)
    keep = set(files)
    for path in sorted(dest.rglob("*"), reverse=True):
        rel = path.relative_to(dest).as_posix()
        if rel == "build" or rel.startswith("build/"):
            continue
        if path.is_file() and rel not in keep:
            path.unlink()
            changed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    name = None if sys.argv[1] == "--clean" else sys.argv[1]
    try:
        changed = prepare(name, sys.argv[2])
    except PatchError as e:
        sys.exit(f"seeded: {e}")
    print(f"{sys.argv[2]}: {changed} file(s) rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
