#!/usr/bin/python3
"""The CI YAML files parse and hold what GitHub Actions, ClusterFuzzLite and OSS-Fuzz need.

  workflow_yaml_test.py SOURCE_DIR              check the tree's files
  workflow_yaml_test.py SOURCE_DIR --self-test  break copies of them one way at a time and
                                                check that each break is reported

Checked: .github/workflows/*.yml, .clusterfuzzlite/project.yaml, ci/oss-fuzz/project.yaml.
Each workflow must have name, on, jobs; each job runs-on and steps; each step uses or run;
ClusterFuzzLite steps only the inputs their actions declare, with values they accept. The
values themselves are pinned below, so an edit to a workflow is an edit to this test too.
"""
import copy
import shutil
import sys
import tempfile
from pathlib import Path

import yaml  # Debian python3-yaml (ci/setup)

BUILD = "google/clusterfuzzlite/actions/build_fuzzers@v1"
RUN = "google/clusterfuzzlite/actions/run_fuzzers@v1"
TOKEN = "${{ secrets.GITHUB_TOKEN }}"
MATRIX_SAN = "${{ matrix.sanitizer }}"
# Inputs the two actions declare (their action.yml), and the values they accept.
ACTION_INPUTS = {
    BUILD: {"language", "dry-run", "allowed-broken-targets-percentage", "sanitizer", "project-src-path",
            "bad-build-check", "keep-unaffected-fuzz-targets", "storage-repo", "storage-repo-branch",
            "storage-repo-branch-coverage", "upload-build", "github-token", "architecture"},
    RUN: {"language", "fuzz-seconds", "dry-run", "sanitizer", "mode", "github-token", "storage-repo",
          "storage-repo-branch", "storage-repo-branch-coverage", "report-unreproducible-crashes",
          "minimize-crashes", "parallel-fuzzing", "output-sarif", "report-timeouts", "report-ooms"},
}
REQUIRED_INPUTS = {BUILD: set(), RUN: {"github-token", "fuzz-seconds", "mode"}}
MODES = {"code-change", "batch", "prune", "coverage"}
SANITIZERS = {"address", "undefined", "memory", "coverage"}

# What each workflow is: its triggers, and per job runs-on, sanitizer matrix and steps.
WORKFLOWS = {
    "cflite_pr.yml": {
        "name": "ClusterFuzzLite PR fuzzing",
        "on": {"pull_request": {"paths": ["parsers/**", "fuzzers/**", "corpus/**", "CMakeLists.txt",
                                          ".clusterfuzzlite/**", "ci/oss-fuzz/**"]}},
        "jobs": {"PR": ("ubuntu-latest", ["address", "undefined"], [
            (BUILD, {"language": "c++", "github-token": TOKEN, "sanitizer": MATRIX_SAN}),
            (RUN, {"github-token": TOKEN, "fuzz-seconds": 600, "mode": "code-change", "sanitizer": MATRIX_SAN,
                   "output-sarif": True}),
        ])},
    },
    "cflite_batch.yml": {
        "name": "ClusterFuzzLite batch fuzzing",
        "on": {"schedule": [{"cron": "0 0/6 * * *"}], "workflow_dispatch": None},
        "jobs": {"BatchFuzzing": ("ubuntu-latest", ["address", "undefined"], [
            (BUILD, {"language": "c++", "sanitizer": MATRIX_SAN}),
            (RUN, {"github-token": TOKEN, "fuzz-seconds": 3600, "mode": "batch", "sanitizer": MATRIX_SAN,
                   "output-sarif": True}),
        ])},
    },
    "cflite_cron.yml": {
        "name": "ClusterFuzzLite corpus pruning and coverage",
        "on": {"schedule": [{"cron": "0 3 * * *"}], "workflow_dispatch": None},
        "jobs": {
            "Pruning": ("ubuntu-latest", None, [
                (BUILD, {"language": "c++"}),
                (RUN, {"github-token": TOKEN, "fuzz-seconds": 600, "mode": "prune"}),
            ]),
            "Coverage": ("ubuntu-latest", None, [
                (BUILD, {"language": "c++", "sanitizer": "coverage"}),
                (RUN, {"github-token": TOKEN, "fuzz-seconds": 600, "mode": "coverage", "sanitizer": "coverage"}),
            ]),
        },
    },
}
CFLITE_PROJECT = {"language": "c++"}
# No homepage, main_repo or primary_contact until the project has a public home (docs/fuzzing.md);
# no "memory" until the build instruments OpenSSL.
OSS_FUZZ_PROJECT = {
    "language": "c++",
    "sanitizers": ["address", "undefined"],
    "fuzzing_engines": ["libfuzzer", "afl"],
    "architectures": ["x86_64"],
}
# project.yaml keys OSS-Fuzz knows (new_project_guide.md) and the values of its lists.
OSS_FUZZ_KEYS = {"homepage", "language", "primary_contact", "auto_ccs", "main_repo", "vendor_ccs", "sanitizers",
                 "architectures", "fuzzing_engines", "help_url", "builds_per_day", "file_github_issue",
                 "disable_remediation", "disable_remediation_pre_review", "base_os_version"}
OSS_FUZZ_VALUES = {"sanitizers": {"address", "memory", "undefined"},
                   "fuzzing_engines": {"libfuzzer", "afl", "honggfuzz", "centipede"},
                   "architectures": {"x86_64", "i386"}}


def load(path, problems):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        problems.append(f"{path.name}: does not parse: {e}".splitlines()[0])
        return None


def check_step(where, step, problems):
    if not isinstance(step, dict) or not ("uses" in step or "run" in step):
        problems.append(f"{where}: a step needs uses or run")
        return None
    uses, inputs = step.get("uses"), step.get("with") or {}
    if uses in ACTION_INPUTS:
        unknown = set(inputs) - ACTION_INPUTS[uses]
        missing = REQUIRED_INPUTS[uses] - set(inputs)
        if unknown:
            problems.append(f"{where}: {uses} has no input(s) {sorted(unknown)}")
        if missing:
            problems.append(f"{where}: {uses} needs {sorted(missing)}")
        if "mode" in inputs and inputs["mode"] not in MODES:
            problems.append(f"{where}: mode {inputs['mode']!r} is not one of {sorted(MODES)}")
        san = inputs.get("sanitizer")
        if san is not None and san != MATRIX_SAN and san not in SANITIZERS:
            problems.append(f"{where}: sanitizer {san!r} is not one of {sorted(SANITIZERS)}")
        if "fuzz-seconds" in inputs and not (isinstance(inputs["fuzz-seconds"], int) and inputs["fuzz-seconds"] > 0):
            problems.append(f"{where}: fuzz-seconds must be a positive integer")
    return (uses, inputs)


def check_workflow(path, expected, language, problems):
    doc = load(path, problems)
    if doc is None:
        return
    if not isinstance(doc, dict):
        problems.append(f"{path.name}: not a mapping")
        return
    # YAML 1.1 reads a bare `on` key as the boolean true; GitHub reads it as "on".
    triggers = doc.get("on", doc.get(True))
    for key, value in (("name", doc.get("name")), ("on", triggers), ("jobs", doc.get("jobs"))):
        if not value:
            problems.append(f"{path.name}: no {key}")
    if doc.get("name") != expected["name"]:
        problems.append(f"{path.name}: name is {doc.get('name')!r}, expected {expected['name']!r}")
    if triggers != expected["on"]:
        problems.append(f"{path.name}: on is {triggers!r}, expected {expected['on']!r}")
    jobs = doc.get("jobs") if isinstance(doc.get("jobs"), dict) else {}
    if set(jobs) != set(expected["jobs"]):
        problems.append(f"{path.name}: jobs are {sorted(jobs)}, expected {sorted(expected['jobs'])}")
    for name, job in jobs.items():
        where = f"{path.name}: job {name}"
        if not isinstance(job, dict) or not job.get("runs-on") or not isinstance(job.get("steps"), list) \
                or not job["steps"]:
            problems.append(f"{where}: needs runs-on and a list of steps")
            continue
        steps = [check_step(f"{where} step {i + 1}", s, problems) for i, s in enumerate(job["steps"])]
        for uses, inputs in (s for s in steps if s):
            if uses in ACTION_INPUTS and inputs.get("language", "c++") != language:
                problems.append(f"{where}: language {inputs.get('language')!r} is not the project's {language!r}")
        if name not in expected["jobs"]:
            continue
        runs_on, matrix, want_steps = expected["jobs"][name]
        if job["runs-on"] != runs_on:
            problems.append(f"{where}: runs-on {job['runs-on']!r}, expected {runs_on!r}")
        got_matrix = (job.get("strategy") or {}).get("matrix", {}).get("sanitizer")
        if got_matrix != matrix:
            problems.append(f"{where}: sanitizer matrix {got_matrix!r}, expected {matrix!r}")
        if got_matrix and not set(got_matrix) <= SANITIZERS:
            problems.append(f"{where}: matrix sanitizers {got_matrix} not all known")
        if steps != want_steps:
            problems.append(f"{where}: steps (uses, with) are {steps!r}, expected {want_steps!r}")


def check_tree(root):
    problems = []
    cflite = load(root / ".clusterfuzzlite" / "project.yaml", problems)
    if cflite is not None and cflite != CFLITE_PROJECT:
        problems.append(f".clusterfuzzlite/project.yaml is {cflite!r}, expected {CFLITE_PROJECT!r}")
    language = (cflite or {}).get("language") if isinstance(cflite, dict) else None
    if not language:
        problems.append(".clusterfuzzlite/project.yaml: no language (the one required key)")

    oss = load(root / "ci" / "oss-fuzz" / "project.yaml", problems)
    if oss is not None:
        if not isinstance(oss, dict):
            problems.append("ci/oss-fuzz/project.yaml: not a mapping")
        else:
            if oss != OSS_FUZZ_PROJECT:
                problems.append(f"ci/oss-fuzz/project.yaml is {oss!r}, expected {OSS_FUZZ_PROJECT!r}")
            if set(oss) - OSS_FUZZ_KEYS:
                problems.append(f"ci/oss-fuzz/project.yaml: unknown keys {sorted(set(oss) - OSS_FUZZ_KEYS)}")
            for key, allowed in OSS_FUZZ_VALUES.items():
                if not set(oss.get(key) or []) <= allowed:
                    problems.append(f"ci/oss-fuzz/project.yaml: {key} outside {sorted(allowed)}")
            if "libfuzzer" not in (oss.get("fuzzing_engines") or []):
                problems.append("ci/oss-fuzz/project.yaml: fuzzing_engines must include libfuzzer")
            if oss.get("language") != language:
                problems.append("ci/oss-fuzz/project.yaml: language differs from .clusterfuzzlite's")

    found = sorted(p.name for p in (root / ".github" / "workflows").glob("*.y*ml"))
    if found != sorted(WORKFLOWS):
        problems.append(f".github/workflows holds {found}, expected {sorted(WORKFLOWS)}")
    for name in found:
        if name in WORKFLOWS:
            check_workflow(root / ".github" / "workflows" / name, WORKFLOWS[name], language, problems)
        else:
            load(root / ".github" / "workflows" / name, problems)
    return problems


def edit_yaml(path, change):
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def run_fuzzers_step(doc, job):
    return next(s for s in doc["jobs"][job]["steps"] if s.get("uses") == RUN)


# Each way of breaking the files, and the text its report must contain.
BREAKS = [
    ("not YAML", lambda r: (r / ".github/workflows/cflite_pr.yml").write_text("jobs: [unclosed\n"), "does not parse"),
    ("no runs-on", lambda r: edit_yaml(r / ".github/workflows/cflite_batch.yml",
                                       lambda d: d["jobs"]["BatchFuzzing"].pop("runs-on")), "needs runs-on"),
    ("bad mode", lambda r: edit_yaml(r / ".github/workflows/cflite_cron.yml",
                                     lambda d: run_fuzzers_step(d, "Pruning").__setitem__("with", {
                                         **run_fuzzers_step(d, "Pruning")["with"], "mode": "prun"})), "mode 'prun'"),
    ("unknown input", lambda r: edit_yaml(r / ".github/workflows/cflite_pr.yml",
                                          lambda d: run_fuzzers_step(d, "PR")["with"].__setitem__("fuzz-secs", 60)),
     "has no input(s) ['fuzz-secs']"),
    ("no token", lambda r: edit_yaml(r / ".github/workflows/cflite_batch.yml",
                                     lambda d: run_fuzzers_step(d, "BatchFuzzing")["with"].pop("github-token")),
     "needs ['github-token']"),
    ("fuzz time changed", lambda r: edit_yaml(r / ".github/workflows/cflite_pr.yml",
                                              lambda d: run_fuzzers_step(d, "PR")["with"].__setitem__(
                                                  "fuzz-seconds", 60)), "steps (uses, with) are"),
    ("no trigger", lambda r: edit_yaml(r / ".github/workflows/cflite_cron.yml", lambda d: d.pop(True)), "no on"),
    ("no language", lambda r: (r / ".clusterfuzzlite/project.yaml").write_text("name: x\n"), "no language"),
    ("engine list", lambda r: edit_yaml(r / "ci/oss-fuzz/project.yaml",
                                        lambda d: d.__setitem__("fuzzing_engines", ["afl"])),
     "must include libfuzzer"),
]


def self_test(root):
    failures = []
    for label, breaker, expected in BREAKS:
        with tempfile.TemporaryDirectory() as tmp:
            copy_root = Path(tmp)
            for rel in (".github/workflows", ".clusterfuzzlite", "ci/oss-fuzz"):
                shutil.copytree(root / rel, copy_root / rel)
            breaker(copy_root)
            problems = check_tree(copy_root)
            if not any(expected in p for p in problems):
                failures.append(f"break {label!r}: expected a problem containing {expected!r}, got {problems}")
    return failures


def main():
    root = Path(sys.argv[1]).resolve()
    problems = self_test(root) if "--self-test" in sys.argv[2:] else check_tree(root)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
