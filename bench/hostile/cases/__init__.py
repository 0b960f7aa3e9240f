"""Hostile inputs for bench/hostile: each case is bytes (or a run-time source such as a device,
a FIFO or a sparse file) and, per verb, the outcome the format rules and docs/*.md give for it:
acceptance or an error id from parsers/include/entsig/errors/*.def, with the offset where the
format fixes it."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
# The project's byte builders (corpus/builders) and the conformance generator's bplist builder.
sys.path.insert(0, os.path.join(ROOT, "corpus"))
sys.path.insert(0, os.path.join(ROOT, "conformance", "generator"))

# Verb name -> entsig arguments (the input path is appended).
VERBS = {
    "convert-json": ["convert", "--to", "json"],
    "convert-xml": ["convert", "--to", "xml"],
    "convert-binary": ["convert", "--to", "binary"],
    "convert-der": ["convert", "--to", "der"],
    "inspect": ["inspect", "--json"],
    "verify": ["verify", "--json"],
    "check": ["check", "--json"],
}
PLIST_VERBS = ("convert-json", "convert-xml", "convert-binary", "convert-der", "check")
SIGNATURE_VERBS = ("inspect",)
MACHO_VERBS = ("inspect", "verify", "check")
ALL_VERBS = tuple(VERBS)

MIB = 1 << 20
INPUT_LIMIT = 512 * MIB  # Limits::default_max_input_bytes
BUDGET = 32 * MIB  # Limits::default_max_expanded_bytes and default_max_output_bytes


def accept():
    """The verb reads the input: exit 0 (for check, also exit 1 with findings and no error)."""
    return {"outcome": "accept"}


def reject(error_id, offset=None):
    """Exit 1 with this id; offset None where the format does not fix one."""
    return {"outcome": "reject", "id": error_id, "offset": offset}


def verify_status(status):
    """verify: exit 1, every slice `status` (unsigned or invalid), no error object."""
    return {"outcome": status}


class Case:
    """One hostile input. `data` is its bytes, or None with `source` saying how the runner
    makes it (device path, FIFO feed, sparse file size). `expect` is the outcome of every verb
    in `verbs`; `overrides` replaces it for some of them. `reason` says why, in one line."""

    def __init__(self, name, group, data, verbs, expect, reason, overrides=None, source=None,
                 pieces=(), extra_args=()):
        self.name, self.group, self.data, self.verbs = name, group, data, tuple(verbs)
        self.source = source
        # A sparse file's written parts: (offset, bytes); the rest are holes.
        self.pieces = list(pieces)
        # Options added to every verb's command line (the budget flags of a scale-up).
        self.extra_args = list(extra_args)
        self.expect = {v: dict(expect) for v in self.verbs}
        for verb, outcome in (overrides or {}).items():
            assert verb in self.expect, (name, verb)
            self.expect[verb] = dict(outcome)
        self.reason = reason

    def size(self):
        if self.data is not None:
            return len(self.data)
        return self.source.get("size")

    def manifest(self, path):
        return {"name": self.name, "group": self.group, "path": path, "size": self.size(),
                "source": self.source, "extra_args": self.extra_args, "reason": self.reason,
                "expect": self.expect}
