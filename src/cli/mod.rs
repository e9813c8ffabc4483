//! The command line's working parts: one document, many files, JSON Lines, progress.

pub mod apply;
pub mod document;
pub mod files;
pub mod jsonl;
pub mod names;
pub mod progress;
pub mod report;
pub mod review;
pub mod safety;
pub mod stream;
