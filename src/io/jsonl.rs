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
    let text = unescape(raw, UNESCAPE_PART).map_err(|_| LineError::NotString(path.to_string()))?;
    let start = offset_in(line, raw);
    Ok(Field {
        span: start..start + raw.len(),
        text,
    })
}

/// A JSON string longer than this is unescaped a part at a time (see
/// [`unescape`]).
const UNESCAPE_PART: usize = 1 << 20;

/// The value of `raw`, a JSON value that should be a string. One longer than
/// `part` bytes is unescaped a part at a time into a string of its final
/// size: serde_json unescapes into a buffer that doubles as it grows and then
/// copies it, which held a document of 100 MB two and a half times over on
/// top of its line. Parts end where no escape is cut (see [`part_end`]), so
/// the text is the same as serde_json's for the whole string, and so is the
/// outcome for a string it rejects.
fn unescape(raw: &str, part: usize) -> Result<String, serde_json::Error> {
    use serde::de::{Deserializer, Error, Visitor};
    struct Append<'a>(&'a mut String);
    impl Visitor<'_> for Append<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON string")
        }
        fn visit_str<E: Error>(self, value: &str) -> Result<(), E> {
            self.0.push_str(value);
            Ok(())
        }
    }
    let bytes = raw.as_bytes();
    let quoted = bytes.len() >= 2 && bytes[0] == b'"' && bytes[bytes.len() - 1] == b'"';
    if raw.len() <= part || !quoted {
        return serde_json::from_str(raw);
    }
    let inner = &raw[1..raw.len() - 1];
    let mut text = String::with_capacity(inner.len());
    let mut piece = String::with_capacity(part + 8);
    let mut from = 0;
    while from < inner.len() {
        let to = part_end(inner.as_bytes(), (from + part).min(inner.len()));
        piece.clear();
        piece.push('"');
        piece.push_str(&inner[from..to]);
        piece.push('"');
        let mut de = serde_json::Deserializer::from_str(&piece);
        de.deserialize_str(Append(&mut text))?;
        de.end()?;
        from = to;
    }
    Ok(text)
}

/// The first place at or after `at` in the inside of a JSON string where it
/// can be cut without cutting an escape or a character: its end, or before a
/// byte that starts a character, is neither a backslash nor a hex digit (so
/// not inside or between the halves of a `\uXXXX` pair) and follows an even
/// run of backslashes (so it is not the escaped character itself).
fn part_end(inner: &[u8], at: usize) -> usize {
    let starts_a_part = |i: usize| {
        let b = inner[i];
        let escaped = || inner[..i].iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1;
        b != b'\\' && !b.is_ascii_hexdigit() && !(0x80..0xC0).contains(&b) && !escaped()
    };
    (at..inner.len())
        .find(|&i| starts_a_part(i))
        .unwrap_or(inner.len())
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
    write_replaced(&mut out, line.as_bytes(), &field.span, cleaned)
        .expect("writing to memory does not fail");
    String::from_utf8(out).expect("JSON written from text is UTF-8")
}

/// Writes `line` with the raw JSON value at `span` replaced by `cleaned` as a
/// JSON string: what [`replace_field`] returns, written as it is made.
pub fn write_replaced(
    out: &mut impl Write,
    line: &[u8],
    span: &Range<usize>,
    cleaned: &str,
) -> io::Result<()> {
    out.write_all(&line[..span.start])?;
    serde_json::to_writer(&mut *out, cleaned)?;
    out.write_all(&line[span.end..])
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
    fn a_string_unescaped_in_parts_is_the_string_unescaped_whole() {
        // Raw JSON strings of escapes (`\"`, `\\`, `\n`, `\u00e9`, surrogate
        // pairs, lone surrogates), hex digits, backslash runs and multi-byte
        // characters, in parts of 1 to 12 bytes: the same text, or an error
        // where serde_json gives one.
        let atoms = [
            "a",
            "f",
            "0",
            " ",
            "é",
            "😀",
            "\\\"",
            "\\\\",
            "\\n",
            "\\u00e9",
            "\\u00E9",
            "\\ud83d\\ude00",
            "\\ud83d",
            "\\\\u0041",
            "\\\\\\\\",
            "\\/",
        ];
        let mut next = crate::passes::random_text::numbers(9);
        let (mut texts, mut errors) = (0, 0);
        for _ in 0..5_000 {
            let inside: String = (0..next(30)).map(|_| atoms[next(atoms.len())]).collect();
            let raw = format!("\"{inside}\"");
            let whole = serde_json::from_str::<String>(&raw);
            let part = 1 + next(12);
            match (unescape(&raw, part), whole) {
                (Ok(parts), Ok(whole)) => {
                    assert_eq!(parts, whole, "{raw} in parts of {part}");
                    texts += 1;
                }
                (Err(_), Err(_)) => errors += 1,
                (parts, whole) => panic!("{raw} in parts of {part}: {parts:?} {whole:?}"),
            }
        }
        assert!(
            texts > 1_000 && errors > 1_000,
            "{texts} texts, {errors} errors"
        );
        // Not a string: rejected as serde_json rejects it.
        assert!(unescape("12345678", 2).is_err());
        assert!(unescape("[\"a\", \"b\"]", 2).is_err());
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
