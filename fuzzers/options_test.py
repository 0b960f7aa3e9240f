#!/usr/bin/python3
"""Every fuzz target's options file bounds memory, and ci/fuzz passes its keys on.

  options_test.py SOURCE_DIR

Checked for each fuzzers/fuzz_<target>.cc (the empty baseline aside): fuzzers/options/<target>.options
exists with exactly max_len, timeout, rss_limit_mb, malloc_limit_mb and dict (dict names
<target>.dict, which exists); malloc_limit_mb is below rss_limit_mb and above the amplification
bound of fuzzers/fuzz_helpers.h at max_len (so a run inside its Budget never trips it); and
ci/fuzz's option_args gives exactly the file's keys but dict as libFuzzer flags.
"""
import configparser
import importlib.machinery
import importlib.util
import re
import sys
from pathlib import Path

KEYS = {"max_len", "timeout", "rss_limit_mb", "malloc_limit_mb", "dict"}


def load_ci_fuzz(root):
    loader = importlib.machinery.SourceFileLoader("ci_fuzz", str(root / "ci" / "fuzz"))
    spec = importlib.util.spec_from_loader("ci_fuzz", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def amplification(root):
    text = (root / "fuzzers" / "fuzz_helpers.h").read_text()
    factor = re.search(r"kAmplificationFactor = (\d+);", text)
    slack = re.search(r"kAmplificationSlack = (\d+) << (\d+);", text)
    if not factor or not slack:
        sys.exit("options_test: no kAmplificationFactor / kAmplificationSlack in fuzz_helpers.h")
    return int(factor.group(1)), int(slack.group(1)) << int(slack.group(2))


def main():
    root = Path(sys.argv[1]).resolve()
    ci_fuzz = load_ci_fuzz(root)
    factor, slack = amplification(root)
    targets = sorted(p.stem[len("fuzz_"):] for p in (root / "fuzzers").glob("fuzz_*.cc") if p.stem != "fuzz_empty")
    problems = []
    for target in targets:
        path = root / "fuzzers" / "options" / f"{target}.options"
        opts = configparser.ConfigParser()
        if not opts.read(path) or not opts.has_section("libfuzzer"):
            problems.append(f"{target}: no [libfuzzer] section in {path.name}")
            continue
        values = dict(opts.items("libfuzzer"))
        if set(values) != KEYS:
            problems.append(f"{target}: keys {sorted(values)}, expected {sorted(KEYS)}")
            continue
        if values["dict"] != f"{target}.dict" or not (root / "fuzzers" / "dicts" / values["dict"]).is_file():
            problems.append(f"{target}: dict {values['dict']!r} is not fuzzers/dicts/{target}.dict")
        max_len, rss, malloc = (int(values[k]) for k in ("max_len", "rss_limit_mb", "malloc_limit_mb"))
        bound = factor * max_len + slack
        if not bound < malloc << 20 < rss << 20:
            problems.append(f"{target}: want amplification bound {bound} < malloc_limit_mb {malloc} MiB "
                            f"< rss_limit_mb {rss} MiB")
        expected = sorted(f"-{k}={v}" for k, v in values.items() if k != "dict")
        got = ci_fuzz.option_args(target)
        if sorted(got) != expected:
            problems.append(f"{target}: ci/fuzz passes {got}, expected {expected}")
    for p in problems:
        print(f"options_test: {p}", file=sys.stderr)
    print(f"{len(targets)} targets, {len(problems)} problem(s)")
    return 1 if problems or not targets else 0


if __name__ == "__main__":
    sys.exit(main())
