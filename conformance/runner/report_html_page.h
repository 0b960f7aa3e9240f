// The fixed parts of the HTML conformance report: style and script. The page carries its data as
// one JSON object (<script type="application/json" id="entsig-data">) and these render it; no
// file, font or script is loaded from anywhere else. The script marks <html> with
// data-entsig-report="ready" once the matrix is drawn (and data-entsig-render-ms, how long that
// took), so a headless browser can check it.
#pragma once

namespace entsig::tools::conform::html_page {

inline constexpr const char* kStyle = R"CSS(
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
header,#controls,#noscript-summary,#detail{padding:8px 16px}
h1{font-size:20px;margin:8px 0}
h2{font-size:17px;margin:8px 0}
h3{font-size:15px;margin:12px 0 4px}
code,pre{font-family:ui-monospace,monospace;font-size:12px}
pre{background:#f4f4f4;padding:8px;overflow:auto;max-height:360px;white-space:pre-wrap;word-break:break-all}
pre.hex{white-space:pre;word-break:normal}
#controls label{margin-right:12px}
#legend span{display:inline-block;padding:1px 8px;margin:2px 4px 2px 0;border-radius:3px}
#matrix-wrap{padding:0 16px 16px}
table.matrix{border-collapse:collapse}
table.matrix th,table.matrix td{border:1px solid #ddd;padding:2px 6px;white-space:nowrap}
table.matrix thead th{position:sticky;top:0;background:#eee;z-index:1}
table.matrix thead tr.summary td,table.matrix thead tr.summary th{position:sticky;top:26px;background:#fafafa;z-index:1}
table.matrix td.case{max-width:480px;overflow:hidden;text-overflow:ellipsis}
table.matrix tr.selected td{outline:2px solid #333}
table.matrix tbody tr{cursor:pointer}
.o{text-align:center;font-size:12px}
.o-pass{background:#c8e6c9;color:#1b5e20}
.o-fail{background:#ffcdd2;color:#b71c1c;font-weight:bold}
.o-crash{background:#e1bee7;color:#4a148c;font-weight:bold}
.o-timeout{background:#ffe0b2;color:#e65100;font-weight:bold}
.o-skipped{background:#eeeeee;color:#616161}
.o-recorded{background:#bbdefb;color:#0d47a1}
#detail{position:fixed;top:0;right:0;width:46%;height:100%;box-sizing:border-box;overflow:auto;background:#fff;border-left:2px solid #999;box-shadow:-4px 0 12px rgba(0,0,0,.15);z-index:2}
#detail-close{float:right;margin-top:8px}
#detail dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:4px 0}
#detail dt{font-weight:bold}
#detail dd{margin:0}
.adapter-result{border:1px solid #ddd;border-radius:4px;margin:8px 0;padding:4px 8px}
.src{color:#555}
table.plain{border-collapse:collapse}
table.plain td,table.plain th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
)CSS";

inline constexpr const char* kScript = R"JS(
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("entsig-data").textContent);
  var LABEL = {pass: "pass", fail: "FAIL", crash: "CRASH", timeout: "TIMEOUT", skipped: "skip", recorded: "rec"};
  var state = {area: "", cls: "", outcome: "", text: ""};
  var selected = -1;
  function $(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function fillSelect(id, key, values) {
    var sel = $(id);
    values.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      o.textContent = v;
      sel.appendChild(o);
    });
    sel.addEventListener("change", function () { state[key] = sel.value; render(); });
  }

  function visible(c) {
    if (state.area && c.area !== state.area) return false;
    if (state.cls && c["class"] !== state.cls) return false;
    if (state.outcome && !c.results.some(function (r) { return r.outcome === state.outcome; })) return false;
    if (state.text && c.id.indexOf(state.text) < 0 && c.rule.indexOf(state.text) < 0) return false;
    return true;
  }

  function headerRow() {
    var h = '<tr><th class="case">case</th><th class="rule">rule</th>';
    data.adapters.forEach(function (a) {
      h += '<th class="adapter" data-adapter="' + esc(a.name) + '" title="' + esc(a.kind + ": " + a.description +
           (a.version ? " (" + a.version + ")" : "")) + '">' + esc(a.name) + "</th>";
    });
    return h + "</tr>";
  }

  // The matrix of the cases the filters keep, and the pass rate of each adapter over them
  // (passed of the judged cases: skipped and recorded ones are not judged).
  function render() {
    var counts = data.adapters.map(function () { return {passed: 0, judged: 0}; });
    var rows = [];
    data.cases.forEach(function (c, i) {
      if (!visible(c)) return;
      var row = '<tr data-case="' + i + '"' + (i === selected ? ' class="selected"' : "") + '><td class="case">' +
                '<a href="#case=' + encodeURIComponent(c.id) + '">' + esc(c.id) + '</a></td><td class="rule">' +
                esc(c.rule) + "</td>";
      c.results.forEach(function (r, a) {
        if (r.outcome === "pass") counts[a].passed++;
        if (r.outcome !== "skipped" && r.outcome !== "recorded") counts[a].judged++;
        row += '<td class="o o-' + r.outcome + '" title="' + esc(data.adapters[a].name + ": " + r.outcome + " (" +
               r.observed + ")") + '">' + LABEL[r.outcome] + "</td>";
      });
      rows.push(row + "</tr>");
    });
    var summary = '<tr class="summary"><th colspan="2">pass rate, ' + rows.length + " of " + data.cases.length +
                  " cases shown</th>";
    counts.forEach(function (k) {
      summary += '<td class="rate">' + (k.judged ? k.passed + "/" + k.judged + " (" +
                 (100 * k.passed / k.judged).toFixed(1) + "%)" : "-") + "</td>";
    });
    $("matrix-head").innerHTML = headerRow() + summary + "</tr>";
    $("matrix-body").innerHTML = rows.join("");
  }

  function hexdump(b64) {
    var bin = atob(b64), lines = [];
    for (var off = 0; off < bin.length; off += 16) {
      var hex = "", text = "";
      for (var j = 0; j < 16; j++) {
        if (off + j < bin.length) {
          var b = bin.charCodeAt(off + j);
          hex += (b < 16 ? "0" : "") + b.toString(16) + " ";
          text += b >= 32 && b < 127 ? bin.charAt(off + j) : ".";
        } else {
          hex += "   ";
        }
        if (j === 7) hex += " ";
      }
      lines.push(("0000000" + off.toString(16)).slice(-8) + "  " + hex + " |" + text + "|");
    }
    return lines.join("\n");
  }

  function expectation(e, label) {
    if (!e) return "";
    var h = "<dt>" + esc(label) + "</dt><dd>";
    if (e.result === "accept") {
      h += "accept" + (e.value !== undefined ? "<pre>" + esc(e.value) + "</pre>" : "");
    } else {
      h += "reject" + (e.error ? " with <code>" + esc(e.error) + "</code>" : "") +
           (e["class"] ? " (" + esc(e["class"]) + ")" : "");
    }
    return h + "</dd>";
  }

  function field(name, value, pre) {
    if (value === undefined || value === "") return "";
    return "<dt>" + esc(name) + "</dt><dd>" + (pre ? "<pre>" + esc(value) + "</pre>" : esc(value)) + "</dd>";
  }

  function show(i) {
    var c = data.cases[i];
    if (!c) return;
    selected = i;
    var rule = data.rules[c.rule];
    var h = '<button id="detail-close" type="button">close</button><h2>' + esc(c.id) + "</h2>";
    if (c.description) h += "<p>" + esc(c.description) + "</p>";
    h += '<p>rule <a class="rule-link" href="' + esc(data.rules_file + (rule && rule.anchor ? "#" + rule.anchor : "")) +
         '"><code>' + esc(c.rule) + "</code></a>";
    if (rule) h += ": " + esc(rule.text) + ' <span class="src">(' + esc(rule.sources) + ")</span>";
    h += "</p><h3>expected</h3>";
    if (c.expect || c.expect_cf) {
      h += "<dl>" + expectation(c.expect, "hardened") + expectation(c.expect_cf, "cf profile") + "</dl>";
    } else {
      h += "<p>differential: recorded, not judged</p>";
    }
    if (c.behaviours.length) {
      h += '<h3>documented parsers</h3><table class="plain"><tr><th>parser</th><th>result</th><th>note</th></tr>';
      c.behaviours.forEach(function (b) {
        h += "<tr><td>" + esc(b.peer) + "</td><td>" + esc(b.result) +
             (b.unrepresentable ? " (unrepresentable: " + esc(b.unrepresentable) + ")" : "") + "</td><td>" +
             esc(b.note || "") + (b.value !== undefined ? "<pre>" + esc(b.value) + "</pre>" : "") + "</td></tr>";
      });
      h += "</table>";
    }
    h += "<h3>input, " + c.input_size + " bytes" + (c.input_shown < c.input_size ? " (first " + c.input_shown +
         " shown)" : "") + "</h3>";
    h += c.input_text !== undefined ? '<pre class="input">' + esc(c.input_text) + "</pre>"
                                    : '<pre class="input hex">' + esc(hexdump(c.input_base64)) + "</pre>";
    h += "<h3>adapters</h3>";
    c.results.forEach(function (r, a) {
      h += '<div class="adapter-result"><b>' + esc(data.adapters[a].name) + '</b> <span class="o o-' + r.outcome +
           '">' + LABEL[r.outcome] + "</span> " + esc(r.observed) + " in " + r.seconds.toFixed(4) + " s<dl>" +
           field("reason", r.reason) + field("error", r.error) + field("message", r.message, true) +
           field("output", r.output, true) + field("stderr", r.stderr, true) +
           field("behaves like", (r.matches || []).join(", ")) + "</dl></div>";
    });
    var detail = $("detail");
    detail.innerHTML = h;
    detail.hidden = false;
    detail.scrollTop = 0;
    $("detail-close").addEventListener("click", function () {
      detail.hidden = true;
      selected = -1;
      history.replaceState(null, "", location.pathname + location.search);
      render();
    });
    render();
  }

  // #case=<id> opens a case, so a case can be linked from elsewhere.
  function showFromHash() {
    var m = /^#case=(.*)$/.exec(location.hash);
    if (!m) return;
    var id = decodeURIComponent(m[1]);
    for (var i = 0; i < data.cases.length; i++) {
      if (data.cases[i].id === id) { show(i); return; }
    }
  }

  fillSelect("filter-area", "area", data.areas);
  fillSelect("filter-class", "cls", ["valid", "invalid", "differential"]);
  fillSelect("filter-outcome", "outcome", data.outcomes);
  $("filter-text").addEventListener("input", function () { state.text = this.value; render(); });
  $("matrix-body").addEventListener("click", function (ev) {
    var tr = ev.target.closest("tr[data-case]");
    if (!tr) return;
    var c = data.cases[Number(tr.getAttribute("data-case"))];
    if (ev.target.tagName !== "A") location.hash = "case=" + encodeURIComponent(c.id);
  });
  window.addEventListener("hashchange", showFromHash);
  $("controls").hidden = false;
  render();
  showFromHash();
  document.documentElement.setAttribute("data-entsig-cases", String(data.cases.length));
  document.documentElement.setAttribute("data-entsig-render-ms", String(Math.round(performance.now() - started)));
  document.documentElement.setAttribute("data-entsig-report", "ready");
})();
)JS";

}  // namespace entsig::tools::conform::html_page
