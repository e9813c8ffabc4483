//! Writing clusters as a names rule file (the format of
//! `rules/variants/names.toml`) for a person to review and edit.

use std::collections::HashSet;
use std::fmt::Write;

use super::Cluster;

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The rule file for `clusters`: every other form mapped to the canonical
/// (majority) form, one commented block per cluster.
///
/// It loads as written: a canonical form is never a key (forms belong to one
/// cluster each), at most one key per cluster differs from its canonical form
/// in case only, keys that the case-insensitive matcher could not tell apart
/// are written once, and no canonical form contains a key (`Nusra Front` →
/// `al-Nusra Front` would apply again inside its own result; a cluster whose
/// canonical form contains an earlier cluster's key is left out, commented),
/// so one cleaning run settles. A key that would lower-case the first letter of a
/// name (`Al-Qaeda` → `al-Qaeda`) is written with that letter in lower case,
/// because the variants pass carries the source's case word by word: a name
/// opening a sentence keeps its capital.
pub fn rule_file(clusters: &[Cluster], documents: u64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Names map written by `redline names` from {documents} document{}: every other\n\
         # spelling of a name → the form most documents use. Review it: delete the\n\
         # entries that are different names, change a canonical form to your house\n\
         # style (keep each canonical form out of the keys). Use it with\n\
         # `redline clean --names THIS_FILE` or `names = \"THIS_FILE\"` in redline.toml;\n\
         # it replaces the built-in names map.\n\
         #\n\
         # min-words = 1 because a hyphenated key (`Nagorno-Karabakh`) is one word; every\n\
         # key here is a name of at least two words or hyphenated parts.",
        if documents == 1 { "" } else { "s" }
    );
    out.push_str(
        "pass = \"variants\"\nmin-words = 1\n\n[[rule]]\nid = \"variants.name\"\n\
         description = \"Normalises the corpus's own spelling variants of names (redline names)\"\n\
         applicability = \"safe\"\n\n[variants]\n",
    );
    // Keys and canonical forms written so far, lower case: a canonical form
    // that contains another entry's key would be rewritten again by it, and
    // could flip back and forth (`Bashar al-Assad` → … `Al-Assad` → …).
    let mut written_keys: Vec<String> = Vec::new();
    let mut written_canonicals: Vec<String> = Vec::new();
    for cluster in clusters {
        let canonical = &cluster.canonical;
        let canonical_folded = canonical.to_ascii_lowercase();
        if let Some(k) = written_keys
            .iter()
            .find(|k| contains_phrase(&canonical_folded, k))
        {
            let _ = writeln!(
                out,
                "# {canonical}: not written, it contains the key {} of an entry above",
                quoted(k)
            );
            continue;
        }
        let lower_first = canonical.chars().next().is_some_and(char::is_lowercase);
        let mut seen: HashSet<String> = HashSet::new();
        seen.insert(canonical.to_ascii_lowercase());
        let mut case_only_written = false;
        let mut lines = Vec::new();
        for f in &cluster.forms[1..] {
            let mut key = f.form.clone();
            if lower_first {
                key = lower_first_letter(&key);
            }
            // Apostrophes are never converted: the canonical form takes the
            // key's apostrophe.
            let canonical = &match key.chars().find(|c| APOSTROPHES.contains(c)) {
                Some(a) => canonical.replace(APOSTROPHES, a.encode_utf8(&mut [0; 4])),
                None => canonical.clone(),
            };
            if key == *canonical {
                lines.push(format!(
                    "# not written: {} differs only by its capital, which a sentence opening needs",
                    quoted(&f.form)
                ));
                continue;
            }
            let folded = key.to_ascii_lowercase();
            let own = canonical.to_ascii_lowercase();
            if (folded != own && contains_phrase(&own, &folded))
                || written_canonicals
                    .iter()
                    .any(|c| contains_phrase(c, &folded))
            {
                lines.push(format!(
                    "# not written: {} is inside a canonical form, which it would change again",
                    quoted(&f.form)
                ));
                continue;
            }
            let case_only = folded == canonical.to_ascii_lowercase();
            if case_only && case_only_written {
                continue;
            }
            if !case_only && !seen.insert(folded.clone()) {
                continue; // the matcher ignores ASCII case: one key covers both
            }
            case_only_written |= case_only;
            written_keys.push(folded);
            lines.push(format!(
                "{} = {}   # {} in {} document{}",
                quoted(&key),
                quoted(canonical),
                f.count,
                f.documents,
                if f.documents == 1 { "" } else { "s" }
            ));
        }
        let _ = write!(
            out,
            "# {}: {} in {} document{}",
            canonical,
            cluster.forms[0].count,
            cluster.forms[0].documents,
            if cluster.forms[0].documents == 1 {
                ""
            } else {
                "s"
            }
        );
        if let Some(b) = &cluster.builtin {
            let _ = write!(out, " (built-in map: {b})");
        }
        out.push('\n');
        written_canonicals.push(canonical_folded);
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Whether `needle` occurs in `hay` between word boundaries (both lower case).
fn contains_phrase(hay: &str, needle: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    hay.match_indices(needle).any(|(i, m)| {
        !word(hay[..i].chars().next_back()) && !word(hay[i + m.len()..].chars().next())
    })
}

const APOSTROPHES: [char; 4] = ['\'', '’', '‘', 'ʼ'];

fn lower_first_letter(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
