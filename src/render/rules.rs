//! `redline rules`: every pass and rule with its default, safety and description.

use std::collections::HashSet;

use crate::config::RuleRow;

/// The table printed by `redline rules`: id, on/off by default, safety,
/// description. A rule whose state the current settings change is marked
/// `(now on)` or `(now off)`.
pub fn table(rows: &[RuleRow], active: &HashSet<String>) -> String {
    let id_width = rows.iter().map(|r| r.id.len()).max().unwrap_or(4);
    let mut out = String::new();
    let mut pass = "";
    for row in rows {
        if row.pass != pass {
            pass = &row.pass;
            out.push_str(&format!("{pass}\n"));
        }
        let now = match (row.default, active.contains(&row.id)) {
            (true, false) => " (now off)",
            (false, true) => " (now on)",
            _ => "",
        };
        out.push_str(&format!(
            "  {:<id_width$}  {:<3}  {:<6}  {}{now}\n",
            row.id,
            if row.default { "on" } else { "off" },
            row.applicability.as_str(),
            row.description
        ));
    }
    out
}
