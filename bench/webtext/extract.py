#!/usr/bin/env python3
"""Extract plain text from local copies of public web-page / news data sets.

Usage:
    python3 extract.py SOURCE REPO_DIR OUT_DIR
    python3 extract.py --list

SOURCE is one of the names in SOURCES (web pages, HTML) or NEWS (news articles,
already plain text) below (see SOURCES.md for the repository,
commit and paths of each).  REPO_DIR is a checkout, or an extracted
`git archive` of that commit, of the source's repository.  OUT_DIR receives one
UTF-8 `.txt` file per page or article and a `MANIFEST.tsv` (file, source path,
URL when the data set records one, encoding used, html lang attribute).

Only the Python standard library is used.  HTML is turned into text with
html.parser the way a naive scraper would see the rendered page: the text of
every element except ones a browser never renders (script, style, title, ...),
one block element (paragraph, list item, table cell, heading, div, br, ...)
per line, runs of white space collapsed as HTML does (kept in <pre>).
Character references are decoded exactly once, so a double-escaped `&amp;amp;`
stays `&amp;` and escaped markup `&lt;b&gt;` stays `<b>`: what the page showed.
Nothing else is cleaned: mojibake, stray entities, odd punctuation, boilerplate
(menus, footers, comments) all stay, because the point is to see what a text
cleaner does with real scraped text.
"""

import codecs
import gzip
import json
import os
import re
import sys
from html.parser import HTMLParser

# Elements whose content a browser does not render as page text.
SKIP = {
    "script", "style", "title", "template", "noscript", "svg",
    "iframe", "object", "canvas", "select", "datalist",
}
# Elements that start and end a line (block-level, or line-breaking).
BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "caption",
    "center", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
    "listing", "main", "menu", "nav", "ol", "p", "plaintext", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "xmp", "textarea", "option", "noframes", "text",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "param", "source", "track", "wbr", "keygen"}
WS = re.compile(r"[ \t\n\r\f]+")


class TextExtractor(HTMLParser):
    """Collects visible text, one block per line."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = []
        self.cur = []
        self.skip_depth = 0
        self.skip_stack = []
        self.pre_depth = 0
        self.lang = ""

    def flush(self):
        text = "".join(self.cur)
        self.cur = []
        if self.pre_depth:
            for line in text.split("\n"):
                if line.strip():
                    self.lines.append(line.rstrip())
            return
        text = re.sub(r" {2,}", " ", text).strip(" ")
        if text:
            self.lines.append(text)

    def handle_starttag(self, tag, attrs):
        if tag == "html" and not self.lang:
            for k, v in attrs:
                if k in ("lang", "xml:lang") and v:
                    self.lang = v
        if self.skip_stack and self.skip_stack[-1] == "title":
            # <title> holds no elements: a tag inside means it was never
            # closed (truncated pages); do not let it hide the whole page
            self.skip_stack.pop()
            self.skip_depth -= 1
        if tag == "body" and self.skip_stack:
            # an unclosed <noscript>/<iframe>/... before <body> must not hide the page
            self.skip_stack.clear()
            self.skip_depth = 0
        if tag in SKIP:
            if tag not in VOID:
                self.skip_depth += 1
                self.skip_stack.append(tag)
            return
        if self.skip_depth:
            return
        if tag in BLOCK:
            self.flush()
        if tag == "pre" or tag == "textarea" or tag == "xmp":
            self.pre_depth += 1
        if tag == "img":
            # A scraper keeps no alt text; neither do we.
            return

    def handle_startendtag(self, tag, attrs):
        if self.skip_depth:
            return
        if tag in BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if self.skip_stack and tag in SKIP:
            # close the innermost open skipped element of this name
            if tag in self.skip_stack:
                while self.skip_stack:
                    t = self.skip_stack.pop()
                    self.skip_depth -= 1
                    if t == tag:
                        break
            return
        if self.skip_depth:
            return
        if tag in BLOCK:
            self.flush()
        if tag in ("pre", "textarea", "xmp") and self.pre_depth:
            self.flush()
            self.pre_depth -= 1

    def handle_data(self, data):
        if self.skip_depth:
            return
        if self.pre_depth:
            self.cur.append(data.replace("\r\n", "\n").replace("\r", "\n"))
        else:
            self.cur.append(WS.sub(" ", data))

    def close(self):
        super().close()
        self.flush()


def html_to_text(markup):
    p = TextExtractor()
    p.feed(markup)
    p.close()
    return "\n".join(p.lines) + "\n", p.lang


META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
XML_ENC = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
# WHATWG: these labels mean windows-1252 in a browser.
AS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii",
           "ascii", "iso_8859-1", "cp819", "ibm819", "windows-1252", "cp1252",
           "x-cp1252", "ansi_x3.4-1968"}


def decode(raw, declared=None):
    """Bytes to str.  Returns (text, encoding).

    BOM first; then strict UTF-8 (bytes that decode as UTF-8 are UTF-8 in
    practice: several of these archives re-saved pages as UTF-8 but kept a
    stale <meta charset=iso-8859-1>, and obeying the meta would manufacture
    mojibake that was never on the page); then the declared <meta>/XML charset
    (latin-1 labels read as windows-1252, as browsers do); then windows-1252."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", "replace"), "utf-8-sig"
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        return raw.decode("utf-16", "replace"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    head = raw[:8192]
    labels = []
    if declared:
        labels.append(declared)
    m = META_CHARSET.search(head) or XML_ENC.search(head)
    if m:
        labels.append(m.group(1).decode("ascii", "replace"))
    for label in labels:
        lab = label.strip().lower().replace("_", "-")
        if lab in AS_1252:
            lab = "cp1252"
        try:
            info = codecs.lookup(lab)
        except LookupError:
            continue
        if info.name.startswith("utf-16") or info.name.startswith("utf-8"):
            continue  # declared UTF-8 but is not; utf-16 cannot be declared in ASCII
        try:
            return raw.decode(lab), info.name
        except UnicodeDecodeError:
            continue
    # cp1252 leaves 5 bytes undefined: they become U+FFFD
    return raw.decode("cp1252", "replace"), "cp1252"


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)


# ---- sources -------------------------------------------------------------
# Each yields (doc_id, relative_path, raw_bytes_or_text, url, declared_charset)


def src_scrapinghub(repo):
    gt = {}
    gtp = os.path.join(repo, "ground-truth.json")
    if os.path.exists(gtp):
        with open(gtp, encoding="utf-8") as f:
            gt = json.load(f)
    d = os.path.join(repo, "html")
    for name in sorted(os.listdir(d)):
        if not name.endswith(".html.gz"):
            continue
        key = name[: -len(".html.gz")]
        try:
            with gzip.open(os.path.join(d, name)) as f:
                raw = f.read()
        except (OSError, EOFError) as e:
            raw = e
        url = gt.get(key, {}).get("url", "")
        yield key, "html/" + name, raw, url, None


def src_cleaneval(repo):
    # j-szulc/html-cleaning-dataset-merged: cleaneval-dev/input, cleaneval-final/input
    for part in ("cleaneval-dev", "cleaneval-final"):
        d = os.path.join(repo, part, "input")
        names = [n for n in os.listdir(d) if n.endswith(".html")]
        for name in sorted(names, key=lambda n: int(n.split(".")[0])):
            try:
                raw = read_bytes(os.path.join(d, name))
            except OSError as e:
                raw = e
            m = re.match(rb'\s*<text id="([^"]*)"', raw) if isinstance(raw, bytes) else None
            url = m.group(1).decode("utf-8", "replace") if m else ""
            tag = "dev" if part.endswith("dev") else "final"
            yield f"{tag}-{name[:-5]}", f"{part}/input/{name}", raw, url, None


def src_l3s_gn1(repo):
    base = os.path.join(repo, "L3S-GN1-20100130203947-00001")
    urls = {}
    mp = os.path.join(base, "url-mapping.txt")
    if os.path.exists(mp):
        with open(mp, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2:
                    urls[parts[0].strip("<>").replace("urn:uuid:", "")] = parts[1]
    d = os.path.join(base, "original")
    for name in sorted(os.listdir(d)):
        if not name.endswith(".html"):
            continue
        key = name[:-5]
        try:
            raw = read_bytes(os.path.join(d, name))
        except OSError as e:
            raw = e
        yield key, "L3S-GN1-20100130203947-00001/original/" + name, raw, urls.get(key, ""), None


def src_readability(repo):
    d = os.path.join(repo, "test", "test-pages")
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name, "source.html")
        if not os.path.exists(p):
            continue
        try:
            raw = read_bytes(p)
        except OSError as e:
            raw = e
        yield name, f"test/test-pages/{name}/source.html", raw, "", "utf-8"


HTML_LANG = re.compile(rb"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]+)""", re.I)


def src_trafilatura_en(repo):
    # adbar/trafilatura test pages (tests/eval, tests/cache), only those whose
    # <html lang> says English: the set is mostly German and other languages.
    for part in ("eval", "cache"):
        d = os.path.join(repo, "tests", part)
        for name in sorted(os.listdir(d)):
            if not name.endswith((".html", ".htm")):
                continue
            try:
                raw = read_bytes(os.path.join(d, name))
            except OSError as e:
                yield f"{part}-{name}", f"tests/{part}/{name}", e, "", None
                continue
            m = HTML_LANG.search(raw[:20000])
            if not m or m.group(1).lower() != b"en":
                continue
            stem = name.rsplit(".", 1)[0]
            yield f"{part}-{stem}", f"tests/{part}/{name}", raw, "", None


SOURCES = {
    "scrapinghub": src_scrapinghub,
    "cleaneval": src_cleaneval,
    "l3s-gn1": src_l3s_gn1,
    "readability": src_readability,
    "trafilatura-en": src_trafilatura_en,
}

# ---- news (already plain text) ------------------------------------------
# ramybaly/Article-Bias-Prediction: 37,554 articles crawled via allsides.com,
# one JSON per article with `source` (publisher) and `content_original` (the
# body as newspaper3k returned it, untokenized).  One publisher per source.
ALLSIDES = {
    "allsides-cnn": "CNN (Web News)",
    "allsides-politico": "Politico",
    "allsides-npr": "NPR Online News",
    "allsides-washtimes": "Washington Times",
    "allsides-vox": "Vox",
}


def _allsides(publisher):
    def gen(repo):
        d = os.path.join(repo, "data", "jsons")
        for name in sorted(os.listdir(d)):
            if not name.endswith(".json"):
                continue
            try:
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    j = json.load(f)
            except (OSError, ValueError) as e:
                yield name[:-5], "data/jsons/" + name, e, "", None
                continue
            if j.get("source") != publisher:
                continue
            body = j.get("content_original") or ""
            # title on the first line, then one paragraph per line (the
            # newspaper3k output separates paragraphs by blank lines)
            paras = [p.strip() for p in body.replace("\r\n", "\n").split("\n")]
            lines = [(j.get("title") or "").strip()] + [p for p in paras if p]
            text = "\n".join(l for l in lines if l) + "\n"
            yield name[:-5], "data/jsons/" + name, text, j.get("url") or "", None
    return gen


NEWS = {name: _allsides(pub) for name, pub in ALLSIDES.items()}


def run(source, repo, out):
    gen = SOURCES.get(source) or NEWS.get(source)
    if gen is None:
        sys.exit(f"unknown source {source!r}; known: {', '.join(sorted(SOURCES) + sorted(NEWS))}")
    if not os.path.isdir(repo):
        sys.exit(f"{repo}: not a directory; give a checkout (or extracted git archive) "
                 f"of the repository listed for {source!r} in SOURCES.md")
    os.makedirs(out, exist_ok=True)
    rows = []
    n = total = failed = 0
    for doc_id, rel, raw, url, declared in gen(repo):
        try:
            if isinstance(raw, Exception):  # the file could not be read
                raise raw
            if isinstance(raw, str):  # already plain text
                text, enc, lang = raw if raw.endswith("\n") else raw + "\n", "utf-8", ""
            else:
                markup, enc = decode(raw, declared)
                text, lang = html_to_text(markup)
            safe = re.sub(r"[^A-Za-z0-9._-]", "_", doc_id)
            write_atomic(os.path.join(out, safe + ".txt"), text)
            rows.append((safe + ".txt", rel, url, enc, lang, str(len(text.encode("utf-8")))))
            n += 1
            total += len(text.encode("utf-8"))
        except Exception as e:  # one bad file never stops the batch
            failed += 1
            print(f"{source}: {rel}: {type(e).__name__}: {e}", file=sys.stderr)
    man = ["file\tsource_path\turl\tencoding\thtml_lang\tbytes"]
    man += ["\t".join(c.replace("\t", " ") for c in r) for r in rows]
    write_atomic(os.path.join(out, "MANIFEST.tsv"), "\n".join(man) + "\n")
    print(f"{source}: {n} documents, {total} bytes of text, {failed} failed -> {out}")


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(sorted(SOURCES) + sorted(NEWS)))
        return
    if len(argv) != 4:
        sys.exit(__doc__)
    run(argv[1], argv[2], argv[3])


if __name__ == "__main__":
    main(sys.argv)
