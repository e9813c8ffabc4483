//! Finding the spelling variants of multi-word proper names that a corpus
//! actually uses (`redline names`), and writing them as a names map.
//!
//! Text in, counts and clusters out; no I/O. The command line
//! (`src/cli/names.rs`) reads the documents and feeds them to a [`NameIndex`].
//!
//! # What is counted
//! A *candidate* is a phrase of 2 to 4 capitalised words joined by one space
//! or no-break space (never a line break or punctuation), with lower-case
//! particles allowed inside (`Osama bin Laden`), or one hyphenated capitalised
//! word (`Nagorno-Karabakh`, `Al-Qaeda`). Every end of a run of capitalised
//! words is a candidate (`President Vladimir Putin`, `Vladimir Putin`), so a
//! name is found whatever title stands before it; a run never starts with a
//! sentence-opening word (`The`, `But`, `Mr`); runs of more than 6 words
//! (title-case headings) and all-capitals words are skipped. One streaming pass keeps, per distinct written form: occurrences,
//! documents (one per document, checked against the last document that
//! counted it, so nothing is kept per document), and the context of its first
//! occurrence. A form opening a sentence with a capitalised particle
//! (`Al-Qaeda said …`) is not counted: it cannot tell `al-` from `Al-`.
//!
//! # How spellings are matched
//! Each form is split into words at spaces and hyphens; an article `al-`/`el-`
//! (or a lower-case `al`) before another word is dropped (`Bashar al-Assad` =
//! `Bashar Assad`), a capitalised `Al ` is kept (`Al Aynsley-Green` is a
//! given name, not `Aynsley-Green`). Each word is
//! *folded* (lower case, diacritics removed: `Erdoğan` = `Erdogan`) and
//! *normalised* for romanisation (`kh`→`h`, `dh`→`d`, `q`→`k`, `x`→`ks`,
//! `ou`→`u`, `y`→`i`, `shch`/`sch`→`sh`, doubled letters single…, see
//! [`key::normalise`]). Two forms are one name when they have as many words
//! and **every** word matches: equal normalised spellings, or a guarded loose
//! match ([`key::words_match`]): the same consonant skeleton (romanisations
//! disagree about vowels: `Dimitri`/`Dmitri`, `Moammar`/`Muammar`), the same
//! first letter, an edit distance of 1 or 2, at least 5 letters (among short
//! words one letter is another name: `John`/`Joan`), no lone `e` added
//! (`Davis`/`Davies`), and in the first word no change of the final vowel
//! (`Maria`/`Mario`).
//!
//! Why this shape: a variant of one person's name changes how words are
//! spelled, never which words there are. Requiring every word to match keeps
//! `Dimitri Payet` and `Dmitry Peskov` (different surnames) and `John Smith`
//! and `Joan Smith` (a short given name one letter apart) apart, while the
//! skeleton lets the vowel-level noise of transliteration through. Clusters
//! grow around their most frequent spelling (a form joins the first cluster
//! whose leading form it matches), so a chain of near misses cannot link two
//! different names through a third.
//!
//! # What is proposed
//! A cluster's canonical form is the corpus's majority: the form in the most
//! documents, then with the most occurrences. Clusters are ranked by how many
//! documents would change. A cluster that is another one plus constant words
//! (`President Dmitri Medvedev` beside `Dmitri Medvedev`) is dropped in favour
//! of the shorter, unless the shorter hardly occurs without those words (then
//! `Kristin Scott Thomas` is kept and `Scott Thomas` dropped).
//!
//! # Memory
//! The table grows with the number of distinct capitalised phrases, not with
//! the number of documents. When it passes [`NameIndex::DEFAULT_LIMIT`]
//! forms, the rarest are pruned (lossy counting: round *k* removes forms seen
//! at most *k* times), so a form's counts may be short by the number of
//! rounds, and a variant seen once in a very large, very diverse stream may be
//! lost; a spelling that recurs survives.
//!
//! Deliberately not done: single words (`Putin`; a names map matches whole
//! names only), different word counts other than `al-` (`Chou En-lai`/`Zhou
//! Enlai`), and scripts other than Latin.

pub mod key;

mod extract;
mod rulefile;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

pub use rulefile::rule_file;

/// One written form of a name and how the corpus uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormCount {
    /// The form as written (NFC, no-break spaces read as spaces).
    pub form: String,
    /// Occurrences.
    pub count: u64,
    /// Documents it occurs in.
    pub documents: u64,
    /// A short line of text around its first occurrence.
    pub context: String,
}

/// Spelling variants of one name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cluster {
    /// The majority form: most documents, then most occurrences.
    pub canonical: String,
    /// The built-in names map's form for this name, when it differs.
    pub builtin: Option<String>,
    /// Documents that use another form than the canonical one.
    pub documents_to_change: u64,
    /// Every form, canonical first, then by documents.
    pub forms: Vec<FormCount>,
}

#[derive(Debug, Clone)]
struct Stats {
    count: u64,
    documents: u64,
    /// The last document counted, for the per-document dedup.
    last_doc: u64,
    /// The document the context comes from (the lowest), so that the context
    /// does not depend on the number of threads.
    context_doc: u64,
    context: Box<str>,
}

/// The streaming table of candidate name forms.
#[derive(Debug, Clone)]
pub struct NameIndex {
    forms: HashMap<Box<str>, Stats>,
    documents: u64,
    limit: usize,
    prune_rounds: u64,
}

impl Default for NameIndex {
    fn default() -> Self {
        NameIndex::new()
    }
}

/// Characters of context kept on each side of a form.
const CONTEXT_CHARS: usize = 40;

impl NameIndex {
    /// Distinct forms kept before the rarest are pruned: a 200 MB stream of
    /// millions of distinct phrases peaked at 165 MB (forms with their context).
    pub const DEFAULT_LIMIT: usize = 300_000;

    /// An empty table.
    pub fn new() -> NameIndex {
        NameIndex::with_limit(Self::DEFAULT_LIMIT)
    }

    /// An empty table that prunes above `limit` distinct forms.
    pub fn with_limit(limit: usize) -> NameIndex {
        NameIndex {
            forms: HashMap::new(),
            documents: 0,
            limit: limit.max(16),
            prune_rounds: 0,
        }
    }

    /// Documents added.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Distinct forms held.
    pub fn len(&self) -> usize {
        self.forms.len()
    }

    /// Whether no form is held.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// Counts the candidate names of one document. `ordinal` identifies the
    /// document (unique within the run; its order picks the context shown).
    pub fn add_document(&mut self, ordinal: u64, text: &str) {
        self.documents += 1;
        extract::candidates(text, |c| {
            let raw = &text[c.start..c.end];
            if c.sentence_start && opens_with_capital_particle(raw) {
                return;
            }
            let form = form_text(raw);
            match self.forms.get_mut(form.as_ref()) {
                Some(s) => {
                    s.count += 1;
                    if s.last_doc != ordinal {
                        s.last_doc = ordinal;
                        s.documents += 1;
                    }
                    if ordinal < s.context_doc {
                        s.context_doc = ordinal;
                        s.context = context(text, c.start, c.end).into();
                    }
                }
                None => {
                    self.forms.insert(
                        form.into_owned().into(),
                        Stats {
                            count: 1,
                            documents: 1,
                            last_doc: ordinal,
                            context_doc: ordinal,
                            context: context(text, c.start, c.end).into(),
                        },
                    );
                }
            }
        });
        if self.forms.len() > self.limit {
            self.prune();
        }
    }

    /// Adds another table's counts (documents must not overlap).
    pub fn merge(&mut self, other: NameIndex) {
        self.documents += other.documents;
        self.prune_rounds = self.prune_rounds.max(other.prune_rounds);
        if self.forms.len() < other.forms.len() {
            let mine = std::mem::replace(&mut self.forms, other.forms);
            return self.merge_forms(mine);
        }
        self.merge_forms(other.forms);
    }

    fn merge_forms(&mut self, forms: HashMap<Box<str>, Stats>) {
        for (form, s) in forms {
            match self.forms.get_mut(&form) {
                Some(mine) => {
                    mine.count += s.count;
                    mine.documents += s.documents;
                    if s.context_doc < mine.context_doc {
                        mine.context_doc = s.context_doc;
                        mine.context = s.context;
                    }
                }
                None => {
                    self.forms.insert(form, s);
                }
            }
        }
        if self.forms.len() > self.limit {
            self.prune();
        }
    }

    /// Lossy counting: drop the forms seen at most `round` times, with `round`
    /// rising until the table is at most three quarters full.
    fn prune(&mut self) {
        while self.forms.len() > self.limit * 3 / 4 {
            self.prune_rounds += 1;
            let floor = self.prune_rounds;
            self.forms.retain(|_, s| s.count > floor);
        }
    }

    /// The clusters of variant spellings, most documents to change first.
    /// `builtin` maps a name form (any case) to the built-in map's canonical
    /// form (see [`builtin_names`]).
    pub fn clusters(&self, builtin: &BTreeMap<String, String>) -> Vec<Cluster> {
        let mut by_key: HashMap<Vec<String>, Vec<&str>> = HashMap::new();
        for form in self.forms.keys() {
            let k = match_key(form);
            if !k.is_empty() {
                by_key.entry(k).or_default().push(form);
            }
        }
        let docs_of =
            |forms: &[&str]| -> u64 { forms.iter().map(|f| self.forms[*f].documents).sum() };
        // Loose matches need the same consonant skeleton in every word: bucket
        // by it, then cluster each bucket around its most used spellings.
        let mut buckets: HashMap<Vec<String>, Vec<Group>> = HashMap::new();
        for (k, forms) in by_key {
            let skel: Vec<String> = k.iter().map(|w| key::skeleton(w)).collect();
            buckets.entry(skel).or_default().push((k, forms));
        }
        let mut clusters = Vec::new();
        for (_, mut groups) in buckets {
            groups.sort_by(|a, b| docs_of(&b.1).cmp(&docs_of(&a.1)).then(a.0.cmp(&b.0)));
            let mut leaders: Vec<Group> = Vec::new();
            for (k, forms) in groups {
                match leaders.iter_mut().find(|(lead, _)| keys_match(lead, &k)) {
                    Some((_, members)) => members.extend(forms),
                    None => leaders.push((k, forms)),
                }
            }
            for (_, forms) in leaders {
                if forms.len() >= 2 {
                    clusters.extend(self.cluster(&forms, builtin));
                }
            }
        }
        drop_redundant(&mut clusters);
        clusters.sort_by(|a, b| {
            b.documents_to_change
                .cmp(&a.documents_to_change)
                .then_with(|| total_docs(b).cmp(&total_docs(a)))
                .then_with(|| a.canonical.cmp(&b.canonical))
        });
        clusters
    }

    /// The cluster of `forms`, or `None` when they differ only in apostrophes.
    ///
    /// `O'Driscoll` and `O’Driscoll` count as one form, shown in its more
    /// frequent spelling: redline never converts apostrophes (POLICY.md), so
    /// that difference is not a variant to propose.
    fn cluster(&self, forms: &[&str], builtin: &BTreeMap<String, String>) -> Option<Cluster> {
        let mut each: Vec<FormCount> = forms
            .iter()
            .map(|f| {
                let s = &self.forms[*f];
                FormCount {
                    form: f.to_string(),
                    count: s.count,
                    documents: s.documents,
                    context: s.context.to_string(),
                }
            })
            .collect();
        let by_use = |a: &FormCount, b: &FormCount| {
            b.documents
                .cmp(&a.documents)
                .then(b.count.cmp(&a.count))
                .then_with(|| a.form.cmp(&b.form))
        };
        each.sort_by(by_use);
        let mut counted: Vec<FormCount> = Vec::new();
        let mut slot: HashMap<String, usize> = HashMap::new();
        for f in each {
            let plain = f.form.replace(['’', '‘', 'ʼ'], "'");
            match slot.get(&plain) {
                Some(&i) => {
                    counted[i].count += f.count;
                    counted[i].documents += f.documents;
                }
                None => {
                    slot.insert(plain, counted.len());
                    counted.push(f);
                }
            }
        }
        if counted.len() < 2 {
            return None;
        }
        counted.sort_by(by_use);
        let canonical = counted[0].form.clone();
        let builtin = counted
            .iter()
            .find_map(|f| builtin.get(&f.form.to_lowercase()))
            .filter(|b| **b != canonical)
            .cloned();
        Some(Cluster {
            documents_to_change: counted[1..].iter().map(|f| f.documents).sum(),
            canonical,
            builtin,
            forms: counted,
        })
    }
}

/// Forms with one match key: the key and the forms.
type Group<'a> = (Vec<String>, Vec<&'a str>);

fn total_docs(c: &Cluster) -> u64 {
    c.forms.iter().map(|f| f.documents).sum()
}

/// The built-in names map as `lower-case form → canonical`, canonical forms
/// included (so that a cluster whose majority is another house's spelling
/// shows the built-in one beside it).
pub fn builtin_names() -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for file in crate::rules::RuleFile::builtins() {
        if file
            .data
            .rule
            .first()
            .is_some_and(|r| r.id == "variants.name")
        {
            for (k, v) in &file.data.variants {
                map.insert(k.to_lowercase(), v.get_ref().clone());
                map.insert(v.get_ref().to_lowercase(), v.get_ref().clone());
            }
        }
    }
    map
}

/// NFC, no-break spaces as spaces.
fn form_text(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.is_ascii() {
        return raw.into();
    }
    let nfc: String = raw.nfc().collect();
    nfc.replace('\u{a0}', " ").into()
}

fn opens_with_capital_particle(form: &str) -> bool {
    let first = form.split([' ', '\u{a0}', '-']).next().unwrap_or("");
    key::is_particle(first) && first.chars().next().is_some_and(char::is_uppercase)
}

/// The words a form is matched on: split at spaces and hyphens, `al`/`el` before
/// another word dropped, each folded and normalised.
pub fn match_key(form: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = form;
    while !rest.is_empty() {
        let cut = rest.find([' ', '-']).unwrap_or(rest.len());
        let word = &rest[..cut];
        let hyphen = rest[cut..].starts_with('-');
        rest = rest.get(cut + 1..).unwrap_or("");
        // `al-`, `el-` and a lower-case `al` are articles; a capitalised `Al`
        // before a space is as often a given name (`Al Aynsley-Green`).
        let article =
            key::is_dropped_particle(word) && (hyphen || word.starts_with(char::is_lowercase));
        if word.is_empty() || (!rest.is_empty() && article) {
            continue;
        }
        out.push(key::normalise(&key::fold(word)));
    }
    out
}

/// Whether two match keys are one name: as many words, each matching.
fn keys_match(a: &[String], b: &[String]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .enumerate()
            .all(|(i, (x, y))| key::words_match(x, y, i == 0))
}

/// Whether two forms are spellings of one name (see the module doc).
pub fn same_name(a: &str, b: &str) -> bool {
    let (ka, kb) = (match_key(&form_text(a)), match_key(&form_text(b)));
    !ka.is_empty() && keys_match(&ka, &kb)
}

/// Drops one of two nested clusters: when every form of one is a form of the
/// other with the same words before or after it (`President Dmitri Medvedev`
/// and `Dmitri Medvedev`), the longer is kept only if the shorter hardly
/// occurs without those words (`Kristin Scott Thomas` over `Scott Thomas`);
/// otherwise the shorter, more general one is kept.
fn drop_redundant(clusters: &mut Vec<Cluster>) {
    let index: HashMap<&str, usize> = clusters
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.forms.iter().map(move |f| (f.form.as_str(), i)))
        .collect();
    let mut dropped = vec![false; clusters.len()];
    for (i, long) in clusters.iter().enumerate() {
        let lead: Vec<&str> = long.canonical.split(' ').collect();
        let n = lead.len();
        for p in 0..n {
            for q in p + 1..=n {
                if (p, q) == (0, n) {
                    continue;
                }
                let Some(inner) = inner_forms(long, &lead[..p], &lead[q..]) else {
                    continue;
                };
                let Some(&j) = index.get(lead[p..q].join(" ").as_str()) else {
                    continue;
                };
                if j == i {
                    continue;
                }
                let short = &clusters[j];
                let short_inside = short.forms.iter().all(|f| inner.contains(&f.form));
                if short_inside && total_docs(short) * 4 <= total_docs(long) * 5 {
                    dropped[j] = true;
                } else {
                    dropped[i] = true;
                }
            }
        }
    }
    let mut i = 0;
    clusters.retain(|_| {
        i += 1;
        !dropped[i - 1]
    });
}

/// Each form of `cluster` without the words `before` and `after`, or `None`
/// when a form does not have exactly those words around it.
fn inner_forms(cluster: &Cluster, before: &[&str], after: &[&str]) -> Option<Vec<String>> {
    cluster
        .forms
        .iter()
        .map(|f| {
            let words: Vec<&str> = f.form.split(' ').collect();
            let keep = words.len().checked_sub(before.len() + after.len())?;
            (keep > 0
                && words[..before.len()] == *before
                && words[words.len() - after.len()..] == *after)
                .then(|| words[before.len()..before.len() + keep].join(" "))
        })
        .collect()
}

/// About [`CONTEXT_CHARS`] characters either side of `start..end`, on one
/// line, whitespace collapsed.
fn context(text: &str, start: usize, end: usize) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let before: Vec<(usize, char)> = text[line_start..start].char_indices().collect();
    let from = if before.len() > CONTEXT_CHARS {
        line_start + before[before.len() - CONTEXT_CHARS].0
    } else {
        line_start
    };
    let to = text[end..line_end]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(line_end, |(i, _)| end + i);
    let mut out = String::new();
    if from > line_start {
        out.push('…');
    }
    let mut space = false;
    for c in text[from..to].chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    if to < line_end {
        out.push('…');
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests;
