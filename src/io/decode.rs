//! Bytes to text (temporary minimal version; the full one detects legacy encodings).

/// A decoded document.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, BOM kept as U+FEFF.
    pub text: String,
    /// The encoding's name.
    pub encoding: &'static str,
    /// Whether the input started with a BOM.
    pub had_bom: bool,
    /// Whether the encoding was guessed.
    pub detected: bool,
}

/// Why bytes could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// NUL bytes.
    #[error("binary file (NUL byte at offset {offset})")]
    Binary {
        /// Where.
        offset: usize,
    },
    /// Bad bytes.
    #[error("{line}:{column}: not valid {encoding} (byte offset {offset})")]
    Malformed {
        /// The encoding.
        encoding: &'static str,
        /// Byte offset.
        offset: usize,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
    },
    /// Unknown label.
    #[error("unknown encoding `{0}`")]
    UnknownEncoding(String),
}

/// Decodes bytes.
pub fn decode(bytes: &[u8], _forced: Option<&str>) -> Result<Decoded, DecodeError> {
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(DecodeError::Binary { offset });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
            had_bom: s.starts_with('\u{feff}'),
            detected: false,
        }),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok(Decoded {
                text: text.into_owned(),
                encoding: "windows-1252",
                had_bom: false,
                detected: true,
            })
        }
    }
}
