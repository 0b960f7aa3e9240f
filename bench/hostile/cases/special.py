"""Inputs that are not plain small files, made when the benchmark runs: /dev/zero (endless),
a FIFO fed with bounded random bytes, and sparse files past the 512 MiB input limit, which a
reader must refuse from fstat before reading (docs/cli.md: core.input_too_large, offset the
limit)."""
from . import ALL_VERBS, INPUT_LIMIT, MIB, Case, reject

GROUP = "device"
READERS = ("convert-json", "inspect", "verify", "check")
TOO_LARGE = reject("core.input_too_large", INPUT_LIMIT)


def cases():
    return [
        Case("dev-zero", GROUP, None, READERS, TOO_LARGE,
             "an endless character device: the bounded read stops one byte past 512 MiB",
             source={"kind": "device", "path": "/dev/zero", "size": None}),
        Case("fifo-urandom-1m", GROUP, None, READERS, reject("core.unknown_format", 0),
             "a FIFO: byte 0xFF then 1 MiB from /dev/urandom; 0xFF starts no known format",
             source={"kind": "fifo", "prefix": "ff", "random_bytes": MIB, "size": MIB + 1}),
        Case("sparse-2g", GROUP, None, ALL_VERBS, TOO_LARGE,
             "a 2 GiB sparse file: refused by size before any byte is read",
             source={"kind": "sparse", "size": 2 << 30}),
        Case("sparse-limit-plus-1", GROUP, None, ALL_VERBS, TOO_LARGE,
             "512 MiB + 1 byte of holes: one byte over the limit",
             source={"kind": "sparse", "size": INPUT_LIMIT + 1}),
    ]
