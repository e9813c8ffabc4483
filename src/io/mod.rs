//! The edges that touch files: decoding bytes into text, writing atomically.

pub mod decode;
pub mod jsonl;
pub mod leftovers;
pub mod walk;
pub mod write;
