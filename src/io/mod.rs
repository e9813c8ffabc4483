//! The edges that touch files: decoding bytes into text, writing atomically.

pub mod decode;
pub mod write;
