//! The edges that touch files: reading, decoding bytes into text, writing
//! atomically.
//!
//! Decoding is part of the library (a program handing redline bytes needs it);
//! reading files (a big one on every thread), walking folders, JSON Lines
//! files and atomic writes serve the command line and come with the `cli`
//! feature.

pub mod decode;
#[cfg(feature = "cli")]
pub mod jsonl;
#[cfg(feature = "cli")]
pub mod leftovers;
#[cfg(feature = "cli")]
pub mod read;
#[cfg(feature = "cli")]
pub mod walk;
#[cfg(feature = "cli")]
pub mod write;
