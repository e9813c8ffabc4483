//! JSON Lines corpora: one document a line, one string field cleaned.
//!
//! Only the chosen field's value is touched: the rest of the line (other fields,
//! key order, spacing, number formatting, escapes) is kept byte for byte, because
//! the field's value is located in the raw line rather than re-serialising the
//! object. Files are read and written plain, gzip (`.gz`) or zstd (`.zst`); input
//! compression is recognised by its magic bytes, output by the file's extension.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::ops::Range;
use std::path::Path;

use serde_json::value::RawValue;

/// A dotted field path such as `text` or `meta.body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath(Vec<String>);

impl FieldPath {
    /// Parses `a.b.c`.
    pub fn parse(dotted: &str) -> Option<FieldPath> {
        let parts: Vec<String> = dotted.split('.').map(str::to_string).collect();
        if parts.iter().any(String::is_empty) {
            None
        } else {
            Some(FieldPath(parts))
        }
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// Why a line's field could not be cleaned (the line is passed through).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// Not a JSON object.
    #[error("not valid JSON ({0})")]
    Invalid(String),
    /// The field is missing.
    #[error("has no field `{0}`")]
    Missing(String),
    /// The field is not a string.
    #[error("field `{0}` is not a string")]
    NotString(String),
}

/// A located string field: where its raw JSON value is in the line, and its
/// unescaped text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Byte range of the raw JSON string (with its quotes) in the line.
    pub span: Range<usize>,
    /// The string's value.
    pub text: String,
}

fn offset_in(outer: &str, inner: &str) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}

/// Finds `path` in one JSON line.
pub fn find_field(line: &str, path: &FieldPath) -> Result<Field, LineError> {
    let mut raw: &str = line;
    for (depth, key) in path.0.iter().enumerate() {
        let object: Vec<(String, &RawValue)> = parse_object(raw).map_err(|e| {
            if depth == 0 {
                LineError::Invalid(e)
            } else {
                LineError::Missing(path.to_string())
            }
        })?;
        // JSON allows duplicate keys; like most parsers, the last one wins.
        let value = object
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
            .ok_or_else(|| LineError::Missing(path.to_string()))?;
        raw = value.get();
    }
    let text: String =
        serde_json::from_str(raw).map_err(|_| LineError::NotString(path.to_string()))?;
    let start = offset_in(line, raw);
    Ok(Field {
        span: start..start + raw.len(),
        text,
    })
}

fn parse_object(raw: &str) -> Result<Vec<(String, &RawValue)>, String> {
    use serde::de::{Deserializer, MapAccess, Visitor};
    struct Pairs;
    impl<'de> Visitor<'de> for Pairs {
        type Value = Vec<(String, &'de RawValue)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                out.push((k, v));
            }
            Ok(out)
        }
    }
    let mut de = serde_json::Deserializer::from_str(raw);
    let pairs = (&mut de)
        .deserialize_map(Pairs)
        .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(pairs)
}

/// `line` with the field's raw value replaced by `cleaned`, JSON-escaped.
pub fn replace_field(line: &str, field: &Field, cleaned: &str) -> String {
    // Escaped straight into the line's copy: a document of 100 MB is not
    // held a third time as a separate JSON string.
    let rest = line.len() - field.span.len();
    let mut out = Vec::with_capacity(rest + cleaned.len() + cleaned.len() / 16 + 2);
    out.extend_from_slice(&line.as_bytes()[..field.span.start]);
    serde_json::to_writer(&mut out, cleaned).expect("strings always serialise");
    out.extend_from_slice(&line.as_bytes()[field.span.end..]);
    String::from_utf8(out).expect("JSON written from text is UTF-8")
}

/// The value of `--id-field` in a line, as text (strings unquoted, numbers as written).
pub fn id_of(line: &str, path: &FieldPath) -> Option<String> {
    let mut raw: &str = line;
    for key in &path.0 {
        let object = parse_object(raw).ok()?;
        raw = object.iter().rev().find(|(k, _)| k == key)?.1.get();
    }
    match serde_json::from_str::<String>(raw) {
        Ok(s) => Some(s),
        Err(_) => Some(raw.trim().to_string()),
    }
}

/// Whether a path names a JSON Lines file by its extension.
pub fn is_jsonl_path(path: &Path) -> bool {
    let name = path.to_string_lossy();
    [
        ".jsonl",
        ".jsonl.gz",
        ".jsonl.zst",
        ".ndjson",
        ".ndjson.gz",
        ".ndjson.zst",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
}

/// Opens a JSON Lines input (`-` = stdin), decompressing gzip or zstd by magic bytes.
pub fn open_reader(path: &str) -> io::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> = if path == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path)?)
    };
    let mut buffered = BufReader::with_capacity(1 << 16, raw);
    let magic = buffered.fill_buf()?;
    if magic.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::bufread::MultiGzDecoder::new(buffered),
        )))
    } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            zstd::stream::read::Decoder::with_buffer(buffered)?,
        )))
    } else {
        Ok(Box::new(buffered))
    }
}

/// A writer that compresses as its path's extension asks (`.gz`, `.zst`), and
/// whose [`finish`](Compressed::finish) reports errors that a drop would hide.
pub enum Compressed<W: Write> {
    /// No compression.
    Plain(W),
    /// gzip.
    Gzip(flate2::write::GzEncoder<W>),
    /// zstd.
    Zstd(zstd::stream::write::Encoder<'static, W>),
}

impl<W: Write> Compressed<W> {
    /// Wraps `out` for `path`.
    pub fn for_path(path: &Path, out: W) -> io::Result<Self> {
        let name = path.to_string_lossy();
        Ok(if name.ends_with(".gz") {
            Compressed::Gzip(flate2::write::GzEncoder::new(
                out,
                flate2::Compression::default(),
            ))
        } else if name.ends_with(".zst") {
            Compressed::Zstd(zstd::stream::write::Encoder::new(out, 3)?)
        } else {
            Compressed::Plain(out)
        })
    }

    /// Writes the compressed stream's end and returns the inner writer, flushed.
    pub fn finish(self) -> io::Result<W> {
        let mut inner = match self {
            Compressed::Plain(w) => w,
            Compressed::Gzip(g) => g.finish()?,
            Compressed::Zstd(z) => z.finish()?,
        };
        inner.flush()?;
        Ok(inner)
    }
}

impl<W: Write> Write for Compressed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Compressed::Plain(w) => w.write(buf),
            Compressed::Gzip(w) => w.write(buf),
            Compressed::Zstd(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Compressed::Plain(w) => w.flush(),
            Compressed::Gzip(w) => w.flush(),
            Compressed::Zstd(w) => w.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> FieldPath {
        FieldPath::parse(p).unwrap()
    }

    #[test]
    fn finds_a_top_level_string_and_keeps_the_rest_exact() {
        let line = r#"{"id": 7, "text":"a..\u00e9", "n": 1.50e3}"#;
        let field = find_field(line, &path("text")).unwrap();
        assert_eq!(field.text, "a..é");
        assert_eq!(&line[field.span.clone()], r#""a..\u00e9""#);
        let out = replace_field(line, &field, "a.é");
        assert_eq!(out, r#"{"id": 7, "text":"a.é", "n": 1.50e3}"#);
    }

    #[test]
    fn finds_a_nested_field() {
        let line = r#"{"meta": {"body": "x \"q\"", "k": [1]}, "text": "no"}"#;
        let field = find_field(line, &path("meta.body")).unwrap();
        assert_eq!(field.text, "x \"q\"");
        assert_eq!(
            replace_field(line, &field, "y"),
            r#"{"meta": {"body": "y", "k": [1]}, "text": "no"}"#
        );
    }

    #[test]
    fn bad_lines_say_why() {
        assert!(matches!(
            find_field("{not json", &path("text")),
            Err(LineError::Invalid(_))
        ));
        assert_eq!(
            find_field(r#"{"body": "x"}"#, &path("text")),
            Err(LineError::Missing("text".into()))
        );
        assert_eq!(
            find_field(r#"{"text": 5}"#, &path("text")),
            Err(LineError::NotString("text".into()))
        );
        assert!(matches!(
            find_field(r#"[1, 2]"#, &path("text")),
            Err(LineError::Invalid(_))
        ));
        assert_eq!(
            find_field(r#"{"meta": 3}"#, &path("meta.body")),
            Err(LineError::Missing("meta.body".into()))
        );
    }

    #[test]
    fn id_field_as_text() {
        assert_eq!(
            id_of(r#"{"id": "a-1"}"#, &path("id")).as_deref(),
            Some("a-1")
        );
        assert_eq!(id_of(r#"{"id": 42}"#, &path("id")).as_deref(), Some("42"));
        assert_eq!(id_of(r#"{"x": 1}"#, &path("id")), None);
    }

    #[test]
    fn field_path_rejects_empty_parts() {
        assert!(FieldPath::parse("a..b").is_none());
        assert_eq!(path("meta.body").to_string(), "meta.body");
    }

    #[test]
    fn reads_gzip_and_zstd_by_magic() {
        let dir = tempfile::tempdir().unwrap();
        let body = b"{\"text\": \"x\"}\n{\"text\": \"y\"}\n";
        for name in ["a.jsonl", "a.jsonl.gz", "a.jsonl.zst"] {
            let p = dir.path().join(name);
            let mut w = Compressed::for_path(&p, File::create(&p).unwrap()).unwrap();
            w.write_all(body).unwrap();
            w.finish().unwrap();
            let mut text = String::new();
            open_reader(p.to_str().unwrap())
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            assert_eq!(text.as_bytes(), body, "{name}");
        }
    }
}
