// redline report: renders the embedded data a page at a time, keeps the
// decisions, and exports them as a change set for `redline apply`.
// Text is only ever put into the page with textContent, never as markup.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("redline-data").textContent);
  const S = DATA.strings;
  const docs = DATA.documents; // [path, encoding, hash]
  const changes = DATA.changes;
  // Fields of a change, in the order src/render/report.rs writes them.
  const F = {
    doc: 0, pass: 1, rule: 2, message: 3, applicability: 4, line: 5, column: 6,
    start: 7, end: 8, before: 9, after: 10, applied: 11, round: 12,
    originStart: 13, originEnd: 14, shownBefore: 15, shownAfter: 16,
    contextBefore: 17, contextAfter: 18,
  };
  const PAGE_SIZE = 100;
  const DEFAULT = { safe: "accept", review: "pending", flag: "flag" };

  const decision = changes.map((c) => DEFAULT[S[c[F.applicability]]]);
  const filter = { pass: "", rule: "", safety: "", decision: "", search: "" };
  let shown = [];
  let page = 0;
  let haystacks = null;

  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(typeof child === "string" ? document.createTextNode(child) : child);
      }
    }
    return node;
  }
  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");

  // ------------------------------------------------------------ change sets

  /// The change-set line of change i: the same keys, in the same order, as
  /// `redline diff --format json`, with the decision made here.
  function record(i) {
    const c = changes[i];
    const d = docs[c[F.doc]];
    const rule = S[c[F.rule]];
    return {
      id: rule + "@" + c[F.originStart] + "-" + c[F.originEnd],
      path: d[0],
      pass: S[c[F.pass]],
      rule: rule,
      line: c[F.line],
      column: c[F.column],
      start: c[F.start],
      end: c[F.end],
      before: c[F.before],
      after: c[F.after],
      applicability: S[c[F.applicability]],
      applied: c[F.applied],
      message: S[c[F.message]],
      encoding: d[1],
      round: c[F.round],
      origin_start: c[F.originStart],
      origin_end: c[F.originEnd],
      decision: decision[i],
      hash: d[2],
    };
  }

  function exportChangeSet() {
    let text = "";
    for (let i = 0; i < changes.length; i++) text += JSON.stringify(record(i)) + "\n";
    const blob = new Blob([text], { type: "application/octet-stream" });
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: "changes.jsonl" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    const accepted = decision.filter((d) => d === "accept").length;
    $("export-status").textContent =
      "Exported " + plural(changes.length, "line") + " (" + accepted + " accepted) to changes.jsonl";
  }

  // ------------------------------------------------------------ decisions

  function setDecision(i, value) {
    if (decision[i] === "flag") return;
    decision[i] = value;
  }

  function decideRule(rule, value) {
    for (let i = 0; i < changes.length; i++) {
      if (S[changes[i][F.rule]] === rule) setDecision(i, value);
    }
    refresh();
  }

  function decideShown(value) {
    for (const i of shown) setDecision(i, value);
    refresh();
  }

  // ------------------------------------------------------------ summary

  const passOrder = [];
  const rulesByPass = new Map(); // pass -> Map(rule -> {indices, safeties})
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    const pass = S[c[F.pass]];
    const rule = S[c[F.rule]];
    if (!rulesByPass.has(pass)) {
      rulesByPass.set(pass, new Map());
      passOrder.push(pass);
    }
    const rules = rulesByPass.get(pass);
    if (!rules.has(rule)) rules.set(rule, { indices: [], safeties: new Set() });
    const r = rules.get(rule);
    r.indices.push(i);
    r.safeties.add(S[c[F.applicability]]);
  }
  const passRank = new Map((DATA.passes || []).map((p, n) => [p, n]));
  passOrder.sort((a, b) => (passRank.get(a) ?? 99) - (passRank.get(b) ?? 99));

  function renderSummary() {
    const body = $("summary").tBodies[0];
    body.textContent = "";
    if (changes.length === 0) {
      body.append(el("tr", {}, el("td", { colspan: "6", class: "empty", text: "Nothing to change." })));
    }
    for (const pass of passOrder) {
      let first = true;
      for (const [rule, r] of rulesByPass.get(pass)) {
        const accepted = r.indices.filter((i) => decision[i] === "accept").length;
        const decidable = r.indices.filter((i) => decision[i] !== "flag");
        const all = (value) => decidable.length > 0 && decidable.every((i) => decision[i] === value);
        const tools = decidable.length === 0
          ? el("span", { class: "muted", text: "flags only" })
          : el("span", {},
            el("button", {
              type: "button", class: "accept rule-accept", "aria-pressed": String(all("accept")),
              title: "Accept every " + rule + " fix", onclick: () => decideRule(rule, "accept"),
            }, "Accept all"), " ",
            el("button", {
              type: "button", class: "reject rule-reject", "aria-pressed": String(all("reject")),
              title: "Reject every " + rule + " fix", onclick: () => decideRule(rule, "reject"),
            }, "Reject all"));
        body.append(el("tr", { class: first ? "pass-start" : "", "data-rule": rule },
          el("td", { text: first ? pass : "" }),
          el("td", {}, el("button", {
            type: "button", class: "rule-link", title: "Show only " + rule,
            onclick: () => { $("filter-pass").value = ""; $("filter-rule").value = rule; readFilters(); },
          }, rule)),
          el("td", { text: [...r.safeties].join(", ") }),
          el("td", { class: "num", text: String(r.indices.length) }),
          el("td", { class: "num accepted", text: String(accepted) }),
          el("td", {}, tools)));
        first = false;
      }
    }
    const count = (v) => decision.filter((d) => d === v).length;
    const withChanges = new Set(changes.map((c) => c[F.doc])).size;
    $("totals").textContent =
      plural(changes.length, "finding") + " in " + plural(withChanges, "document") +
      " (" + plural(docs.length, "document") + " read) · accepted " + count("accept") +
      " · rejected " + count("reject") + " · pending " + count("pending") +
      " · flags " + count("flag");
  }

  // ------------------------------------------------------------ filters

  function fillSelect(select, values) {
    for (const v of values) select.append(el("option", { value: v }, v));
  }
  fillSelect($("filter-pass"), passOrder);
  fillSelect($("filter-rule"), passOrder.flatMap((p) => [...rulesByPass.get(p).keys()]));

  function haystack(i) {
    const c = changes[i];
    return [docs[c[F.doc]][0], S[c[F.rule]], S[c[F.message]], c[F.before], c[F.after] || "",
      c[F.contextBefore], c[F.contextAfter]].join("\u0000").toLowerCase();
  }

  function readFilters() {
    filter.pass = $("filter-pass").value;
    filter.rule = $("filter-rule").value;
    filter.safety = $("filter-safety").value;
    filter.decision = $("filter-decision").value;
    filter.search = $("filter-search").value.trim().toLowerCase();
    page = 0;
    applyFilters();
    renderPage();
  }

  function applyFilters() {
    if (filter.search && haystacks === null) haystacks = changes.map((_, i) => haystack(i));
    shown = [];
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i];
      if (filter.pass && S[c[F.pass]] !== filter.pass) continue;
      if (filter.rule && S[c[F.rule]] !== filter.rule) continue;
      if (filter.safety && S[c[F.applicability]] !== filter.safety) continue;
      if (filter.decision && decision[i] !== filter.decision) continue;
      if (filter.search && !haystacks[i].includes(filter.search)) continue;
      shown.push(i);
    }
  }

  // ------------------------------------------------------------ changes

  /// A line of text: context, the changed text with the changed characters
  /// marked (odd segments), context.
  function textLine(kind, sign, c, segments) {
    const hit = el("span", { class: "hit" });
    segments.forEach((s, n) => { if (s) hit.append(n % 2 ? el("mark", {}, s) : s); });
    return el("div", { class: "text " + kind }, el("span", { class: "sign", text: sign }),
      c[F.contextBefore], hit, c[F.contextAfter]);
  }

  function changeRow(i) {
    const c = changes[i];
    const safety = S[c[F.applicability]];
    const d = decision[i];
    const row = el("div", {
      class: "change decided-" + d, "data-index": String(i), "data-rule": S[c[F.rule]],
      "data-pass": S[c[F.pass]], "data-safety": safety, "data-decision": d,
    });
    row.append(el("div", { class: "head" },
      el("span", { class: "where", text: c[F.line] + ":" + c[F.column] }),
      el("span", { class: "rule", text: S[c[F.rule]] }),
      el("span", { class: "badge " + safety, text: safety }),
      el("span", { class: "message", text: S[c[F.message]] })));
    const decide = el("div", { class: "decide" });
    if (d === "flag") {
      decide.append(el("span", { class: "state", text: "flag: not fixed" }));
    } else {
      const toggle = (value) => () => {
        setDecision(i, decision[i] === value ? "pending" : value);
        refresh();
      };
      decide.append(
        el("span", { class: "state", text: d }),
        el("button", { type: "button", class: "accept", "aria-pressed": String(d === "accept"), onclick: toggle("accept") }, "Accept"),
        el("button", { type: "button", class: "reject", "aria-pressed": String(d === "reject"), onclick: toggle("reject") }, "Reject"));
    }
    row.append(decide);
    const texts = el("div", { class: "texts" });
    if (c[F.after] === null) {
      texts.append(textLine("old flagged", "!", c, c[F.shownBefore]));
    } else {
      texts.append(textLine("old", "−", c, c[F.shownBefore]), textLine("new", "+", c, c[F.shownAfter]));
    }
    row.append(texts);
    return row;
  }

  function renderPage() {
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    const from = page * PAGE_SIZE;
    const to = Math.min(shown.length, from + PAGE_SIZE);
    $("shown").textContent = shown.length === changes.length
      ? "Showing all " + plural(shown.length, "finding") + "."
      : "Showing " + shown.length + " of " + plural(changes.length, "finding") + ".";
    const list = $("changes");
    list.textContent = "";
    let lastDoc = -1;
    let lastPass = "";
    for (let n = from; n < to; n++) {
      const i = shown[n];
      const c = changes[i];
      if (c[F.doc] !== lastDoc) {
        lastDoc = c[F.doc];
        lastPass = "";
        const d = docs[lastDoc];
        list.append(el("div", { class: "doc" }, d[0], " ",
          el("span", { class: "muted", text: "(" + d[1] + ")" })));
      }
      if (S[c[F.pass]] !== lastPass) {
        lastPass = S[c[F.pass]];
        list.append(el("div", { class: "pass", text: lastPass }));
      }
      list.append(changeRow(i));
    }
    if (shown.length === 0) list.append(el("p", { class: "empty", text: "No finding matches the filters." }));
    for (const nav of document.querySelectorAll(".pager")) renderPager(nav, pages);
  }

  function renderPager(nav, pages) {
    nav.textContent = "";
    if (pages <= 1) return;
    const go = (p) => () => { page = p; renderPage(); $("changes-title").scrollIntoView(); };
    nav.append(el("button", { type: "button", class: "prev", onclick: go(Math.max(0, page - 1)) }, "‹ Previous"));
    let last = -1;
    for (let p = 0; p < pages; p++) {
      if (p !== 0 && p !== pages - 1 && Math.abs(p - page) > 2) continue;
      if (last >= 0 && p - last > 1) nav.append(el("span", { class: "muted", text: "…" }));
      const attrs = { type: "button", onclick: go(p) };
      if (p === page) attrs["aria-current"] = "page";
      nav.append(el("button", attrs, String(p + 1)));
      last = p;
    }
    nav.append(el("button", { type: "button", class: "next", onclick: go(Math.min(pages - 1, page + 1)) }, "Next ›"),
      el("span", { class: "muted", text: "page " + (page + 1) + " of " + pages }));
  }

  /// After a decision: counts, toggles and the current page (a decision filter
  /// keeps its rows until the filters change, so nothing jumps under the mouse).
  function refresh() {
    renderSummary();
    renderPage();
  }

  // ------------------------------------------------------------ start

  if (DATA.errors.length) {
    const box = $("errors");
    box.hidden = false;
    box.append(el("p", { text: "Not in the report (could not be read):" }));
    const ul = el("ul");
    for (const e of DATA.errors) ul.append(el("li", { class: "mono", text: e }));
    box.append(ul);
  }
  $("filters").append(el("span", { id: "export-status", class: "muted", role: "status" }));
  for (const id of ["filter-pass", "filter-rule", "filter-safety", "filter-decision"]) {
    $(id).addEventListener("change", readFilters);
  }
  let typing = null;
  $("filter-search").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(readFilters, changes.length > 5000 ? 250 : 60);
  });
  $("export").addEventListener("click", exportChangeSet);
  $("accept-shown").addEventListener("click", () => decideShown("accept"));
  $("reject-shown").addEventListener("click", () => decideShown("reject"));
  applyFilters();
  refresh();
  window.redlineReadyMs = performance.now();
  document.body.setAttribute("data-ready", "true");
})();
