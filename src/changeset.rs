//! Change sets: the findings of `redline diff --format json`, each with an id, a
//! decision and the hash of the document it applies to, so that a person or a
//! script can accept or reject fixes and `redline apply` can apply exactly the
//! accepted ones later.
//!
//! A fix's id is its rule and its byte range in the *original* document
//! (`punct.double-period@120-122`), so it stays valid whatever else is rejected:
//! rejecting an earlier pass's fix shifts the text later passes see, not the
//! original.

use std::collections::HashSet;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::finding::{Applicability, Finding};
use crate::pipeline::{Pipeline, Run};

/// A fix's id: `RULE@START-END`, the range in the original document.
pub fn fix_id(rule: &str, origin: &Range<usize>) -> String {
    format!("{rule}@{}-{}", origin.start, origin.end)
}

/// The hash a change set records for a document: `sha256:` and the hex digest
/// of the decoded text.
pub fn document_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// What a user decided about a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Apply the fix.
    Accept,
    /// Do not apply the fix.
    Reject,
    /// Not decided yet: not applied.
    Pending,
    /// A flag: nothing to apply.
    Flag,
}

impl Decision {
    /// The default: safe fixes are accepted, review fixes pending, flags flags.
    pub fn default_for(applicability: Applicability) -> Decision {
        match applicability {
            Applicability::Safe => Decision::Accept,
            Applicability::Review => Decision::Pending,
            Applicability::Flag => Decision::Flag,
        }
    }
}

/// The fields of a change-set line that `redline apply` reads. Other keys are
/// ignored, so the HTML report or a script may add their own.
#[derive(Debug, Clone, Deserialize)]
pub struct ChangeLine {
    /// The document's path.
    pub path: String,
    /// For JSON Lines input: the document's line.
    #[serde(default)]
    pub document_line: Option<usize>,
    /// The fix's id.
    pub id: String,
    /// The decision.
    pub decision: Decision,
    /// The document's hash when the change set was made.
    pub hash: String,
}

/// Runs `pipeline` over `text` applying exactly the fixes whose ids are in
/// `accepted`, whatever their applicability.
pub fn apply_accepted(pipeline: &Pipeline, text: &str, accepted: &HashSet<String>) -> Run {
    pipeline.run_with(text, &|finding: &Finding, origin: &Range<usize>| {
        accepted.contains(&fix_id(&finding.rule, origin))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    #[test]
    fn hash_is_stable_sha256() {
        assert_eq!(
            document_hash("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn decisions_parse_and_default() {
        let line: ChangeLine = serde_json::from_str(
            r#"{"path":"a.txt","id":"x@1-2","decision":"reject","hash":"sha256:00","extra":1}"#,
        )
        .unwrap();
        assert_eq!(line.decision, Decision::Reject);
        assert_eq!(Decision::default_for(Applicability::Safe), Decision::Accept);
        assert_eq!(
            Decision::default_for(Applicability::Review),
            Decision::Pending
        );
    }

    #[test]
    fn ids_survive_rejecting_an_earlier_fix() {
        let engine = Engine::default_config();
        let text = "It ended.. Then Dimitri Peskov spoke,, and left..";
        let run = engine.pipeline.run(text);
        let ids: Vec<String> = crate::render::locate(&run)
            .iter()
            .map(|l| fix_id(&l.finding.rule, &l.origin))
            .collect();
        assert_eq!(ids.len(), 4, "{ids:?}");
        // accept everything: same as clean
        let all: HashSet<String> = ids.iter().cloned().collect();
        assert_eq!(
            apply_accepted(&engine.pipeline, text, &all).output(),
            run.output()
        );
        // reject the first stop: every other fix keeps its id and still applies
        let first = ids.iter().find(|i| i.ends_with("@9-10")).unwrap().clone();
        let mut some = all.clone();
        some.remove(&first);
        assert_eq!(
            apply_accepted(&engine.pipeline, text, &some).output(),
            "It ended.. Then Dmitry Peskov spoke, and left."
        );
        // reject everything: the original
        assert_eq!(
            apply_accepted(&engine.pipeline, text, &HashSet::new()).output(),
            text
        );
    }
}
