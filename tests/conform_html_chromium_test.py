#!/usr/bin/env python3
"""The HTML conformance report in a real browser.

Renders the report of entsig, entsig-cf and python-plistlib in headless Chromium, opened at
#case=plist-xml/invalid/x01-psychicpaper, and checks in the rendered DOM that the page script
finished (data-entsig-report="ready"), drew one column header per adapter and one row per
case, that entsig passes every judged case, and that the linked case's detail shows its rule
text and input. Usage: conform_html_chromium_test.py ENTSIG SOURCE_DIR. Exits 77 (skipped)
when chromium is not installed."""

import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIPPED = 77
ADAPTERS = ["entsig", "entsig-cf", "python-plistlib"]
CASE = "plist-xml/invalid/x01-psychicpaper"


class Page(html.parser.HTMLParser):
    """Collects what the checks need from the rendered DOM."""

    def __init__(self):
        super().__init__()
        self.root = {}
        self.columns = []
        self.rows = 0
        self.rates = []
        self.detail_hidden = None
        self.detail_text = []
        self.detail_inputs = 0
        self._in = []  # open elements of interest: "rate", "detail"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.root = a
        if tag == "th" and a.get("class") == "adapter":
            self.columns.append(a.get("data-adapter"))
        if tag == "tr" and "data-case" in a:
            self.rows += 1
        if tag == "td" and a.get("class") == "rate":
            self.rates.append("")
            self._in.append("rate")
        if tag == "section" and a.get("id") == "detail":
            self.detail_hidden = "hidden" in a
            self._in.append("detail")
        if tag == "pre" and "detail" in self._in and "input" in (a.get("class") or "").split():
            self.detail_inputs += 1

    def handle_endtag(self, tag):
        if tag == "td" and self._in and self._in[-1] == "rate":
            self._in.pop()
        if tag == "section" and "detail" in self._in:
            self._in.remove("detail")

    def handle_data(self, data):
        if "rate" in self._in:
            self.rates[-1] += data
        if "detail" in self._in:
            self.detail_text.append(data)


def main(entsig, source_dir):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print("skipped: chromium is not installed")
        return SKIPPED
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.html")
        args = [entsig, "conform", "--report", "html", "-o", report]
        for name in ADAPTERS:
            args += ["--adapter", name]
        # python-plistlib fails cases, so the run exits 1; the report is written either way.
        run = subprocess.run(args, cwd=source_dir, capture_output=True, text=True)
        if run.returncode not in (0, 1) or not os.path.getsize(report):
            print(run.stderr)
            return fail("entsig conform exited %d" % run.returncode)
        # A fresh profile and no network: Chromium must not try to reach anything.
        chromium = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + os.path.join(tmp, "profile"), "--dump-dom",
                    "file://" + report + "#case=" + CASE]
        dom = subprocess.run(chromium, capture_output=True, text=True, timeout=180)
        if dom.returncode != 0:
            print(dom.stderr[-3000:])
            return fail("chromium exited %d" % dom.returncode)
    page = Page()
    page.feed(dom.stdout)
    if page.root.get("data-entsig-report") != "ready":
        return fail("the page script did not finish")
    if page.columns != ADAPTERS:
        return fail("adapter columns are %r" % page.columns)
    cases = int(page.root.get("data-entsig-cases", "0"))
    if cases < 505 or page.rows != cases:
        return fail("%d rows for %d cases" % (page.rows, cases))
    # entsig passes every judged case: N/N (100.0%), the first of one rate per adapter.
    if len(page.rates) != len(ADAPTERS) or not re.fullmatch(r"(\d+)/\1 \(100\.0%\)", page.rates[0]):
        return fail("pass rates are %r" % page.rates)
    detail = "".join(page.detail_text)
    if page.detail_hidden is not False or CASE not in detail:
        return fail("the #case link did not open the case")
    if "xml.comment.dash-start: A comment must not start with" not in detail:
        return fail("no rule text in the detail")
    if page.detail_inputs != 1 or "<!---><!-->" not in detail:
        return fail("no input in the detail")
    print("ok: %d rows, columns %s, pass rates %s, drawn in %s ms" % (
        cases, ", ".join(page.columns), "; ".join(page.rates), page.root.get("data-entsig-render-ms")))
    return 0


def fail(message):
    print("FAIL: " + message)
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
