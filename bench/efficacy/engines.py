"""One fuzzing trial per engine: start from the committed seeds of a target, stop at the
first finding or at the cap, and report wall seconds and executions to that finding."""
import configparser
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# As ci/fuzz runs them; ASan aborts so that AFL++ sees a crash signal.
LIBFUZZER_ENV = {"ASAN_OPTIONS": "detect_leaks=1:allocator_may_return_null=1",
                 "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1"}
AFL_ENV = {"AFL_NO_UI": "1", "AFL_SKIP_CPUFREQ": "1", "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES": "1",
           "AFL_NO_AFFINITY": "1", "AFL_FAST_CAL": "1", "AFL_CMPLOG_ONLY_NEW": "1",
           "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1:symbolize=0:allocator_may_return_null=1",
           "UBSAN_OPTIONS": "halt_on_error=1:abort_on_error=1"}


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def copy_seeds(target, into):
    """corpus/<target> as committed (never the reproducers); an empty target gets one byte."""
    count = 0
    seeds = ROOT / "corpus" / target
    if seeds.is_dir():
        for f in sorted(seeds.rglob("*")):
            if f.is_file():
                shutil.copy(f, into / f"seed-{count:05d}")
                count += 1
    if count == 0:
        (into / "seed-empty").write_bytes(b"\0")
    return count


def dictionary(target):
    d = ROOT / "fuzzers" / "dicts" / f"{target}.dict"
    return d if d.is_file() else None


def max_len(target):
    opts = configparser.ConfigParser()
    opts.read(ROOT / "fuzzers" / "options" / f"{target}.options")
    return opts.get("libfuzzer", "max_len", fallback=None)


def libfuzzer_trial(binary, target, cap, work, seed):
    """libFuzzer stops at its first crash, so the run's wall time is the time to it."""
    corpus = fresh_dir(work / "corpus")
    artifacts = fresh_dir(work / "artifacts")
    copy_seeds(target, corpus)
    cmd = [str(binary), f"-max_total_time={cap}", "-timeout=25", "-rss_limit_mb=2048",
           "-print_final_stats=1", f"-seed={seed}", f"-artifact_prefix={artifacts}/"]
    if dictionary(target):
        cmd.append(f"-dict={dictionary(target)}")
    if max_len(target):
        cmd.append(f"-max_len={max_len(target)}")
    cmd.append(str(corpus))
    started = time.monotonic()
    with open(work / "log.txt", "wb") as log:
        proc = subprocess.run(cmd, cwd=work, env=dict(os.environ, **LIBFUZZER_ENV), stdout=log,
                              stderr=subprocess.STDOUT, timeout=cap + 300)
    seconds = time.monotonic() - started
    text = (work / "log.txt").read_text("utf-8", "replace")
    findings = sorted(p.name for p in artifacts.iterdir())
    units = re.search(r"stat::number_of_executed_units:\s*(\d+)", text)
    progress = re.findall(r"^#(\d+)\s", text, re.M)
    execs = int(units.group(1)) if units else (int(progress[-1]) if progress else 0)
    found = bool(findings)
    return {"found": found, "seconds": round(seconds, 1) if found else None, "execs": execs if found else None,
            "kind": findings[0].split("-")[0] if found else None, "exit_status": proc.returncode,
            "ran_seconds": round(seconds, 1)}


def afl_stats(path):
    stats = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            key, _, value = line.partition(":")
            stats[key.strip()] = value.strip()
    return stats


def first_crash(crashes):
    """Earliest saved crash (AFL++ names them id:000000,...), or None."""
    if not crashes.is_dir():
        return None
    files = [f for f in crashes.iterdir() if f.name.startswith("id:")]
    return min(files, key=lambda f: f.stat().st_mtime) if files else None


def afl_trial(binary, target, cap, work, seed):
    """One afl-fuzz instance. Its first crash is read from crashes/ as it appears; then the
    instance is stopped (SIGINT writes the final fuzzer_stats)."""
    seeds = fresh_dir(work / "seeds")
    copy_seeds(target, seeds)
    out = fresh_dir(work / "out")
    # 4.04c's libAFLDriver reads shared memory: no @@ and no libFuzzer flags (docs/fuzzing.md).
    cmd = ["afl-fuzz", "-i", str(seeds), "-o", str(out), "-S", "trial", "-s", str(seed), "-t", "5000+"]
    if dictionary(target):
        cmd += ["-x", str(dictionary(target))]
    cmd += ["--", str(binary)]
    crashes = out / "trial" / "crashes"
    started = time.time()
    crash = None
    with open(work / "log.txt", "wb") as log:
        proc = subprocess.Popen(cmd, cwd=work, env=dict(os.environ, **AFL_ENV), stdout=log,
                                stderr=subprocess.STDOUT)
        while proc.poll() is None and time.time() - started < cap:
            crash = first_crash(crashes)
            if crash:
                break
            time.sleep(0.5)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    crash = crash or first_crash(crashes)
    stats = afl_stats(out / "trial" / "fuzzer_stats")
    execs = int(stats.get("execs_done", "0") or 0)
    if crash:
        # Wall time from launch, as for libFuzzer: the crash file's mtime. AFL++ names it
        # "id:N,sig:S,src:..,time:<ms>,execs:<n>,...": the executions at the crash, and its
        # own clock (which starts after the fork server is up), kept as afl_seconds.
        seconds = crash.stat().st_mtime - started
        fields = dict(part.split(":", 1) for part in crash.name.split(",") if ":" in part)
        execs = int(fields.get("execs", execs))
        afl_seconds = int(fields["time"]) / 1000 if "time" in fields else None
        if seconds > cap:
            crash = None
    log_text = (work / "log.txt").read_text("utf-8", "replace")
    if not crash and "the program crashed with one of the test cases" in log_text:
        # A committed seed already triggers the bug: found by the dry run.
        return {"found": True, "seconds": round(time.time() - started, 1), "execs": 0, "kind": "seed",
                "exit_status": proc.returncode}
    return {"found": bool(crash), "seconds": round(seconds, 1) if crash else None,
            "execs": execs if crash else None, "kind": "crash" if crash else None,
            "afl_seconds": afl_seconds if crash else None,
            "exit_status": proc.returncode}


TRIALS = {"libfuzzer": libfuzzer_trial, "afl": afl_trial}
