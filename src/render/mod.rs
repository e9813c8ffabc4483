//! Output for people and machines: per-pass diffs, check lines, JSON Lines and the
//! rule list. Everything here is a view of a [`Run`](crate::pipeline::Run)'s record; nothing re-runs a
//! pass. Only this module formats text for people.

pub mod check;
pub mod diff;
pub mod json;
pub mod patch;
pub mod report;
pub mod rules;
pub mod statistics;
pub mod visible;

// Findings placed in the original text live in the core; the views here
// print them.
pub use crate::located::{locate, LineIndex, Located};
