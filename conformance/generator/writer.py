"""Writes the corpus: cases/<area>/<class>/<name>.<ext> (input bytes), <name>.json next to
each valid case (its expected tagged value), cases/<area>/manifest.json (every case's class,
rule, expectations and peer behaviours), and RULES.md."""

import json
import os
from collections import Counter, OrderedDict

from model import to_json_ready
from peers import PEER_DESCRIPTIONS
from rules import BY_ID, RULES

AREAS = OrderedDict([
    ("plist-xml", {"extension": ".plist", "input": "an XML property list document (bytes as stored)"}),
    ("plist-binary", {"extension": ".bplist", "input": "a binary property list (bplist00)"}),
    ("der-entitlements", {"extension": ".der",
                          "input": "the DER payload of a 0xfade7172 entitlements blob (the bytes after its 8-byte header)"}),
    ("superblob", {"extension": ".bin",
                   "input": "the bytes LC_CODE_SIGNATURE points at: an embedded-signature SuperBlob (0xfade0cc0)"}),
    ("code-directory", {"extension": ".bin", "input": "one CodeDirectory blob (0xfade0c02), its length bytes"}),
    ("requirements", {"extension": ".bin", "input": "a requirement set blob (0xfade0c01), as in slot 2"}),
    ("macho", {"extension": ".bin", "input": "a thin or fat Mach-O file"}),
    ("entitlements-policy", {"extension": ".plist",
                             "input": "an XML plist dict: \"context\" (the code carrying the entitlements) and "
                                      "\"entitlements\""}),
])
CLASSES = ("valid", "invalid", "differential")


def depth(value):
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


def dumps(value):
    """Indented JSON, compact for deeply nested values (indentation would grow quadratically)."""
    ready = to_json_ready(value)
    return json.dumps(ready, ensure_ascii=False, indent=None if depth(ready) > 24 else 2) + "\n"


def dumps_manifest(area, info, entries):
    """One case per line, so a change to a case is a one-line diff."""
    head = json.dumps(OrderedDict([("area", area), ("input", info["input"])]), ensure_ascii=False)
    lines = [json.dumps(to_json_ready(e), ensure_ascii=False, separators=(",", ":")) for e in entries]
    return head[:-1] + ',"cases":[\n' + ",\n".join(lines) + "\n]}\n"


def manifest_entry(case, ext):
    entry = OrderedDict()
    entry["id"] = case.name
    entry["class"] = case.cls
    entry["rule"] = case.rule
    entry["path"] = "%s/%s%s" % (case.cls, case.name, ext)
    entry["description"] = case.description
    if case.ref:
        entry["ref"] = case.ref
    if case.refs:
        entry["refs"] = case.refs
    if case.expect is not None:
        expect = OrderedDict((k, v) for k, v in case.expect.items() if k != "value")
        if case.cls == "valid":
            expect["value_path"] = "%s/%s.json" % (case.cls, case.name)
        entry["expect"] = expect
    if case.expect_cf is not None:
        entry["expect_cf"] = case.expect_cf
    if case.behaviours:
        entry["behaviours"] = case.behaviours
    return entry


def check_cases(cases):
    seen = set()
    for c in cases:
        c.check()
        assert c.area in AREAS, c.area
        assert c.rule in BY_ID, "%s: unknown rule %s" % (c.name, c.rule)
        assert BY_ID[c.rule].area == c.area, "%s: rule %s belongs to %s" % (c.name, c.rule, BY_ID[c.rule].area)
        key = (c.area, c.name)
        assert key not in seen, "duplicate case %s/%s" % key
        seen.add(key)


def write_file(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def write_corpus(root, cases):
    """Writes everything under `root` (the conformance directory or a scratch copy)."""
    check_cases(cases)
    for area, info in AREAS.items():
        area_cases = [c for c in cases if c.area == area]
        area_dir = os.path.join(root, "cases", area)
        for c in area_cases:
            write_file(os.path.join(area_dir, c.cls, c.name + info["extension"]), c.data)
            if c.cls == "valid":
                write_file(os.path.join(area_dir, c.cls, c.name + ".json"), dumps(c.expect["value"]))
        entries = [manifest_entry(c, info["extension"]) for c in area_cases]
        write_file(os.path.join(area_dir, "manifest.json"), dumps_manifest(area, info, entries))
    write_file(os.path.join(root, "RULES.md"), rules_markdown(cases))


def md(text):
    """Table-cell text: '|' escaped, and '<' as an entity so that <!-- or <plist> in a rule is
    shown rather than taken as HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|")


def rules_markdown(cases):
    by_rule = OrderedDict((r.id, []) for r in RULES)
    for c in cases:
        by_rule[c.rule].append(c)
    counts = Counter((c.area, c.cls) for c in cases)
    lines = [
        "# Conformance rules",
        "",
        "Generated by `conformance/generate` from `conformance/generator/rules.py`; do not edit by hand.",
        "",
        "Each rule has an id, a paraphrase and its sources: an Apple page by title, the XNU, Security or",
        "CoreFoundation function (CF lines are swift-corelibs-foundation `e55e1d88`), a standard, or a row",
        "of the plist parser tables (\"A1 #n\" for XML, \"A2 #n\" for binary). Every case names one rule.",
        "",
        "## Classes",
        "",
        "- **valid**: a hardened reader accepts the input, and every documented parser that has the",
        "  feature reads the value in the sibling `.json` file.",
        "- **invalid**: a hardened reader refuses the input. The expectation names the entsig error id",
        "  and a coarse class saying why:",
        "  - `malformed`: it breaks the format's grammar, or every documented parser rejects it;",
        "  - `ambiguous`: documented parsers read it differently (the case records how), so accepting it",
        "    means siding with one of them; psychicpaper is the canonical example;",
        "  - `noncanonical`: documented parsers agree, but the form lies outside the one spelling writers",
        "    produce, and variants of it split the parsers;",
        "  - `unrepresentable`: it has no property-list value (null, NULL, REAL in DER);",
        "  - `limit`: it exceeds a bound a hardened reader must enforce (depth, expanded size).",
        "- **differential**: the hardened reader may accept it, but documented parsers disagree; the case",
        "  records each parser's behaviour and is not judged pass or fail.",
        "",
        "`expect_cf` is the expectation for a CoreFoundation-compatible reader (entsig's `cf_compat`",
        "presets; for DER, `DerOptions::lenient()`) where it differs from the hardened one. Where CF's own",
        "result cannot be reproduced by a plist value model it refuses (docs/plist-xml.md, Deviations).",
        "",
        "## Documented parsers (`behaviours`)",
        "",
    ]
    for name, text in PEER_DESCRIPTIONS.items():
        lines.append("- `%s`: %s" % (name, text))
    lines += ["", "## Case counts", "", "| area | valid | invalid | differential | total |", "|---|---|---|---|---|"]
    for area in AREAS:
        row = [counts[(area, cls)] for cls in CLASSES]
        lines.append("| %s | %d | %d | %d | %d |" % (area, row[0], row[1], row[2], sum(row)))
    lines.append("| all | %d | %d | %d | %d |" % tuple(
        [sum(counts[(a, cls)] for a in AREAS) for cls in CLASSES] + [len(cases)]))
    areas = OrderedDict()
    for r in RULES:
        areas.setdefault(r.area, []).append(r)
    for area, rules in areas.items():
        lines += ["", "## " + area, ""]
        if area not in AREAS:
            lines += ["Rules only; this area has no cases yet.", ""]
        lines += ["| rule | paraphrase | sources | cases |", "|---|---|---|---|"]
        for r in rules:
            names = ", ".join("`%s`" % c.name for c in by_rule[r.id])
            lines.append("| `%s` | %s | %s | %s |" % (r.id, md(r.text), md("; ".join(r.sources)), names or "—"))
    return "\n".join(lines) + "\n"
