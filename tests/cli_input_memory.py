#!/usr/bin/env python3
"""Wall time and memory of one entsig run: the inputs that docs/cli.md ("How inputs are read")
reports numbers for.

  tests/cli_input_memory.py ENTSIG FIXTURES_DIR [WORK_DIR]

FIXTURES_DIR holds the ld64.lld fixtures (build/<dir>/tests/fixtures). The sparse inputs are
made in WORK_DIR (default: a temporary directory) and cost no disk. For each run it prints the
wall time, the peak resident set (VmHWM, from wait4's ru_maxrss) and the peak RssAnon (sampled
from /proc/PID/status every millisecond), the exit status and the first line of stderr.
"""
import os
import struct
import subprocess
import sys
import tempfile
import time

MIB = 1 << 20


def sparse(path, size, head=b""):
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(size)
    return path


def universal(path, fixtures, size):
    """A fat file of `size` bytes: exe_x86_64 at 16 KiB, exe_arm64 at the last 16 KiB boundary
    that leaves room for it; the gap between them is a hole."""
    x86 = open(os.path.join(fixtures, "exe_x86_64"), "rb").read()
    arm = open(os.path.join(fixtures, "exe_arm64"), "rb").read()
    x86_at = 16384
    arm_at = (size - len(arm)) // 16384 * 16384
    # fat_header, then two fat_arch: cputype, cpusubtype, offset, size, align (log2).
    header = struct.pack(">II", 0xCAFEBABE, 2)
    header += struct.pack(">iiIII", 0x01000007, 3, x86_at, len(x86), 14)
    header += struct.pack(">iiIII", 0x0100000C, 0, arm_at, len(arm), 14)
    with open(path, "wb") as f:
        f.write(header)
        f.seek(x86_at)
        f.write(x86)
        f.seek(arm_at)
        f.write(arm)
        f.truncate(size)
    return path


def measure(argv, stdin=subprocess.DEVNULL):
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_anon = 0
    status_path = "/proc/%d/status" % proc.pid
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        try:
            with open(status_path) as f:
                for line in f:
                    if line.startswith("RssAnon:"):
                        peak_anon = max(peak_anon, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.001)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode(errors="replace").splitlines()
    return wall, usage.ru_maxrss / 1024, peak_anon / 1024, os.waitstatus_to_exitcode(status), err[:1]


def main():
    entsig, fixtures = sys.argv[1], sys.argv[2]
    work = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix="entsig_input_")
    big = sparse(os.path.join(work, "sparse_2g"), 2 * 1000 * MIB)
    # 0xcafebabe, two arches; the first slice's offset (byte 16) lies inside the header.
    bad_fat = struct.pack(">IIiiIII", 0xCAFEBABE, 2, 0x0100000C, 0, 4, 4096, 14)
    fat511 = sparse(os.path.join(work, "bad_fat_511m"), 511 * 1000 * 1000, bad_fat)
    uni = universal(os.path.join(work, "universal_2g"), fixtures, 2 * 1024 * MIB)
    runs = [
        ("inspect 2 GB sparse", [entsig, "inspect", big], None),
        ("inspect /dev/zero", [entsig, "inspect", "/dev/zero"], None),
        ("check /dev/zero (stdin)", [entsig, "check", "-"], "/dev/zero"),
        ("inspect 511 MB bad fat", [entsig, "inspect", fat511], None),
        ("verify 511 MB bad fat", [entsig, "verify", fat511], None),
        ("check 511 MB bad fat", [entsig, "check", fat511], None),
        ("verify 2 GiB universal", [entsig, "verify", "--max-input-bytes", str(4 << 30), uni], None),
    ]
    print("%-26s %8s %10s %10s %4s  %s" % ("run", "wall s", "peak MiB", "anon MiB", "exit", "stderr"))
    for name, argv, stdin_path in runs:
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        wall, rss, anon, code, err = measure(argv, stdin)
        print("%-26s %8.2f %10.1f %10.1f %4d  %s" % (name, wall, rss, anon, code, err[0][:90] if err else ""))


if __name__ == "__main__":
    main()
