//! Regenerates `rules/variants/en-gb.tsv` (the US→UK map behind `variants.en-gb`)
//! from VarCon, as shipped in the `typos-vars` crate, and checks that the file in
//! the repository is exactly that. Run with `REDLINE_BLESS=1` to rewrite the file
//! after changing the selection below or updating `typos-vars`.
//!
//! # What is selected, and why
//!
//! typos-vars stores, for every word that has a spelling variant, the categories
//! (American, British `-ise`, Canadian, Australian) in which the word is accepted
//! and the preferred form in each. A word `us` becomes a key when:
//!
//! 1. every sense of `us` is accepted in American and **not** in British `-ise`
//!    (so `honorific`, `judgment`, `program`, `practice`, `license`, `check`,
//!    `tire`, `meter`, `curb` are never keys: VarCon accepts them in British
//!    English for at least one sense, e.g. a computer program, the verb to
//!    check, a gas meter, the verb to curb);
//! 2. all its senses agree on one British form (`calking` → `caulking`/`caulk`
//!    is ambiguous and left out);
//! 3. that British form is itself a VarCon word accepted in British English and
//!    not in American, **or** the pair differs by one of the regular US/UK
//!    orthographic shifts (`canceled`/`cancelled`, `saber`/`sabre`,
//!    `catalog`/`catalogue`, `distill`/`distil`, …). This drops VarCon's
//!    informal and archaic variants that are not US/UK pairs at all (`thru`,
//!    `altho`, `nite`, `luv`, `goodby`, `gasses`, `employe`);
//! 4. it is not in [`EXCLUDED`], the few pairs where the "US" word is also a
//!    different British word or a frequent proper name.

use std::collections::BTreeMap;
use std::path::Path;

use dictgen::TrieChild;

type Senses = &'static [(u8, &'static typos_vars::VariantsMap)];

const AMERICAN: u8 = 0x01;
const BRITISH_ISE: u8 = 0x02;

/// Pairs VarCon lists that redline must not apply, with the reason.
const EXCLUDED: &[(&str, &str)] = &[
    ("chile", "the country Chile at the start of a sentence"),
    ("chiles", "plural of the country name in some texts"),
    ("asshole", "a different word (ass/arse), not a spelling"),
    ("assholes", "a different word (ass/arse), not a spelling"),
    ("porer", "one who pores over something, not a pourer"),
    ("porers", "one who pores over something, not a pourer"),
    ("groined", "architectural groin vault, not a groyne"),
    ("groining", "architectural groin vault, not a groyne"),
    (
        "specialty",
        "British usage keeps specialty in medicine and trade",
    ),
    (
        "specialties",
        "British usage keeps specialty in medicine and trade",
    ),
    ("peddler", "drug peddler is standard British English"),
    ("peddlers", "drug peddler is standard British English"),
    ("dialogs", "dialog box is standard in British computing"),
    ("dialogged", "dialog box is standard in British computing"),
    ("dialogging", "dialog box is standard in British computing"),
    (
        "fuze",
        "a (military) fuze is spelled so in British English too",
    ),
    (
        "fuzed",
        "a (military) fuze is spelled so in British English too",
    ),
    (
        "fuzes",
        "a (military) fuze is spelled so in British English too",
    ),
    (
        "fuzing",
        "a (military) fuze is spelled so in British English too",
    ),
    ("kindergartner", "vocabulary, not spelling"),
    ("kindergartners", "vocabulary, not spelling"),
    ("arbores", "not an English plural"),
];

fn walk(
    node: &'static dictgen::TrieNode<Senses>,
    prefix: &mut String,
    out: &mut Vec<(String, Senses)>,
) {
    if let Some(v) = node.value {
        out.push((prefix.clone(), v));
    }
    match node.children {
        TrieChild::Nested(children) => {
            for (i, child) in children.iter().enumerate() {
                if let Some(child) = child {
                    prefix.push(char::from(b'a' + i as u8));
                    walk(child, prefix, out);
                    prefix.pop();
                }
            }
        }
        TrieChild::Flat(map) => {
            for (k, v) in map.keys.iter().zip(map.values) {
                out.push((format!("{prefix}{}", k.0), *v));
            }
        }
    }
}

fn varcon() -> BTreeMap<String, Senses> {
    let mut out = Vec::new();
    walk(typos_vars::VARS.root, &mut String::new(), &mut out);
    let unicode = &typos_vars::VARS.unicode;
    for (k, v) in unicode.keys.iter().zip(unicode.values) {
        out.push((k.into_inner().to_string(), *v));
    }
    out.into_iter()
        .map(|(k, v)| (k.to_lowercase(), v))
        .collect()
}

/// Whether `uk` differs from `us` by a regular US/UK orthographic shift.
fn regular_shift(us: &str, uk: &str) -> bool {
    let doubled = uk.len() == us.len() + 1
        && (0..us.len()).any(|i| {
            let c = us.as_bytes()[i];
            matches!(c, b'l' | b'p' | b'm' | b't')
                && uk.as_bytes()[i + 1] == c
                && uk[..=i] == us[..=i]
                && uk[i + 1..] == us[i..]
        });
    let swaps: &[(&str, &str)] = &[
        ("er", "re"),
        ("or", "our"),
        ("og", "ogue"),
        ("iz", "is"),
        ("yz", "ys"),
        ("e", "ae"),
        ("e", "oe"),
        ("practic", "practis"),
        ("gment", "gement"),
    ];
    // `distill`/`distil`, `willful`/`wilful`, but not `teaselled`/`teaseled`.
    let single_l = us.match_indices("ll").any(|(i, _)| {
        !matches!(us.as_bytes().get(i + 2), Some(b'e' | b'i'))
            && format!("{}{}", &us[..i + 1], &us[i + 2..]) == uk
    });
    let swapped = swaps.iter().any(|(a, b)| {
        us.match_indices(a)
            .any(|(i, _)| format!("{}{b}{}", &us[..i], &us[i + a.len()..]) == uk)
    });
    // `er`/`re` also moves before an inflection: `sabered`/`sabred`.
    let er_re = ["ed", "ing", "s", "er", "est", "ly", "ness", "nesses"]
        .iter()
        .any(|end| {
            us.strip_suffix(end)
                .and_then(|s| s.strip_suffix("er"))
                .is_some_and(|stem| {
                    uk == format!("{stem}re{}", &end[usize::from(end.starts_with('e'))..])
                        || uk == format!("{stem}r{end}")
                })
        });
    doubled || single_l || swapped || er_re
}

fn generate() -> String {
    let words = varcon();
    let accepted_in = |w: &str, cat: u8| {
        words
            .get(w)
            .is_some_and(|s| s.iter().all(|(b, _)| b & cat != 0))
    };
    let excluded: BTreeMap<&str, &str> = EXCLUDED.iter().copied().collect();
    let mut pairs = BTreeMap::new();
    for (us, senses) in &words {
        let us_only = senses
            .iter()
            .all(|(bits, _)| bits & AMERICAN != 0 && bits & BRITISH_ISE == 0);
        if !us_only || excluded.contains_key(us.as_str()) {
            continue;
        }
        let mut uk: Vec<&str> = senses
            .iter()
            .flat_map(|(_, m)| m[1].iter().copied())
            .collect();
        uk.sort_unstable();
        uk.dedup();
        let [uk] = uk[..] else { continue };
        if uk == us {
            continue;
        }
        let british_word = accepted_in(uk, BRITISH_ISE) && !accepted_in(uk, AMERICAN);
        if british_word || regular_shift(us, uk) {
            pairs.insert(us.clone(), uk.to_string());
        }
    }
    // A British form that is itself a key would make a chain; VarCon has none, but
    // the map must settle in one run whatever the data says.
    let chained: Vec<String> = pairs
        .iter()
        .filter(|(_, uk)| pairs.contains_key(uk.as_str()))
        .map(|(us, _)| us.clone())
        .collect();
    for us in chained {
        pairs.remove(&us);
    }
    let mut out = String::from(
        "# Generated by tests/en_gb_data.rs from VarCon (typos-vars crate); do not edit.\n\
         # Regenerate: REDLINE_BLESS=1 cargo test --test en_gb_data\n\
         # One pair a line: US spelling, tab, British (-ise) spelling.\n",
    );
    for (us, uk) in &pairs {
        out.push_str(us);
        out.push('\t');
        out.push_str(uk);
        out.push('\n');
    }
    out
}

#[test]
fn en_gb_data_is_generated_from_varcon() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/variants/en-gb.tsv");
    let expected = generate();
    if std::env::var_os("REDLINE_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale: run `REDLINE_BLESS=1 cargo test --test en_gb_data` and review the diff",
        path.display()
    );
}

#[test]
fn selection_keeps_pairs_and_drops_ambiguous_words() {
    let data = generate();
    let map: BTreeMap<&str, &str> = data
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .collect();
    for (us, uk) in [
        ("color", "colour"),
        ("organization", "organisation"),
        ("center", "centre"),
        ("globalization", "globalisation"),
        ("traveler", "traveller"),
        ("canceled", "cancelled"),
        ("catalog", "catalogue"),
        ("estrogen", "oestrogen"),
        ("practicing", "practising"),
    ] {
        assert_eq!(map.get(us), Some(&uk), "{us}");
    }
    // Ambiguous in British English, proper names, informal variants, Oxford -ize.
    for word in [
        "program",
        "practice",
        "license",
        "check",
        "tire",
        "meter",
        "curb",
        "honorific",
        "judgment",
        "chile",
        "thru",
        "luv",
        "organisation",
        "realise",
        "inquiry",
        "peddler",
    ] {
        assert!(!map.contains_key(word), "{word} must not be a key");
    }
    assert!(
        map.values()
            .all(|uk| !uk.contains("ization") && !uk.ends_with("ize")),
        "British -ise, not Oxford -ize"
    );
    assert_eq!(map.get("realize"), Some(&"realise"));
    assert!(map.len() > 3000, "{}", map.len());
}
