//! Bytes to text: the one place where a file's encoding is decided.
//!
//! Runs before any pass, at the edge. In order:
//! 1. A byte-order mark (UTF-8, UTF-16LE, UTF-16BE) decides the encoding.
//! 2. Otherwise a NUL byte means binary data, and the file is refused.
//! 3. Otherwise strict UTF-8 (the fast path: validation, no transcoding).
//! 4. Otherwise the legacy encoding is guessed with `chardetng` (no top-level-domain
//!    hint, UTF-8 not allowed as a guess) and decoded with `encoding_rs`.
//!
//! A forced encoding (`--encoding LABEL`, any WHATWG label such as `latin1`,
//! `windows-1251`, `utf-8`, `utf-16le`) replaces steps 1, 3 and 4.
//!
//! What it deliberately does not do:
//! - Drop characters. A byte-order mark is kept in the text as U+FEFF: the
//!   `unicode` pass removes it as a visible, attributable edit.
//! - Replace malformed bytes with U+FFFD. Decoding is strict; malformed input is an
//!   error that says where (byte offset, line, column) and what to do next, so no
//!   text is silently damaged.
//! - Guess UTF-16 without a byte-order mark, or ISO-2022-JP: those need `--encoding`.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Text decoded from bytes, with how the encoding was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text. A byte-order mark, if any, is kept as a leading U+FEFF.
    pub text: String,
    /// The `encoding_rs` name of the encoding used: `UTF-8`, `UTF-16LE`,
    /// `UTF-16BE`, `windows-1252`, `Shift_JIS`, …
    pub encoding: &'static str,
    /// Whether the bytes started with a byte-order mark.
    pub had_bom: bool,
    /// Whether the encoding was guessed (by `chardetng`) rather than certain (a
    /// byte-order mark, valid UTF-8, or a forced label).
    pub detected: bool,
}

/// Why bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A NUL byte in a file without a UTF-16 byte-order mark.
    #[error(
        "binary data (NUL byte at byte {offset}): not a text file; skip it, or if it is \
         UTF-16 without a byte-order mark use --encoding utf-16le (or utf-16be)"
    )]
    Binary {
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// Bytes that are not valid in the encoding (forced, from a byte-order mark, or
    /// guessed). Displays as `LINE:COLUMN: not valid ENCODING; …` so that the
    /// caller can put the path in front.
    #[error(
        "{line}:{column}: not valid {encoding} (byte {offset}); if the file uses another \
         encoding, name it with --encoding LABEL (e.g. --encoding windows-1252)"
    )]
    Malformed {
        /// The encoding the bytes were decoded as (`encoding_rs` name).
        encoding: &'static str,
        /// Byte offset of the first malformed byte.
        offset: usize,
        /// 1-based line of the malformed byte.
        line: usize,
        /// 1-based column, in characters of the text decoded so far on that line.
        column: usize,
    },
    /// A label `encoding_rs` does not know (or one that only names the WHATWG
    /// "replacement" encoding, such as `iso-2022-kr`).
    #[error(
        "unknown encoding `{0}`; use a label such as utf-8, windows-1252 (latin1), \
         iso-8859-2, windows-1251, koi8-r, shift_jis, euc-kr, gb18030, big5, utf-16le, utf-16be"
    )]
    UnknownEncoding(String),
}

/// Decodes `bytes` into text. `forced` is an encoding label that overrides
/// byte-order-mark sniffing and detection; decoding with it is strict.
///
/// ```
/// use redline::io::decode::decode;
/// let d = decode(b"caf\xe9 \xa35", None).unwrap();
/// assert_eq!((d.text.as_str(), d.encoding, d.detected), ("café £5", "windows-1252", true));
/// let d = decode(b"\xef\xbb\xbfhi", None).unwrap();
/// assert_eq!((d.text.as_str(), d.had_bom), ("\u{feff}hi", true));
/// ```
pub fn decode(bytes: &[u8], forced: Option<&str>) -> Result<Decoded, DecodeError> {
    decode_cow(Cow::Borrowed(bytes), forced)
}

/// Like [`decode`], but takes ownership so that valid UTF-8 becomes the `String`
/// without a copy.
pub fn decode_vec(bytes: Vec<u8>, forced: Option<&str>) -> Result<Decoded, DecodeError> {
    decode_cow(Cow::Owned(bytes), forced)
}

fn decode_cow(bytes: Cow<'_, [u8]>, forced: Option<&str>) -> Result<Decoded, DecodeError> {
    if let Some(label) = forced {
        return decode_forced(bytes, label);
    }
    if let Some((enc, _)) = Encoding::for_bom(&bytes) {
        if enc == UTF_16LE || enc == UTF_16BE {
            // NUL bytes are ordinary in UTF-16; the byte-order mark is certain.
            return Ok(Decoded {
                text: decode_strict(&bytes, enc)?,
                encoding: enc.name(),
                had_bom: true,
                detected: false,
            });
        }
    }
    let had_bom = bytes.starts_with(UTF8_BOM);
    let bytes = match as_utf8(bytes)? {
        Ok(text) => {
            return Ok(Decoded {
                text,
                encoding: UTF_8.name(),
                had_bom,
                detected: false,
            })
        }
        Err(bytes) => bytes,
    };
    if had_bom {
        return Err(utf8_error(&bytes));
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(&bytes, true);
    let enc = prefer_windows_1252(&bytes, detector.guess(None, Utf8Detection::Deny));
    Ok(Decoded {
        text: decode_strict(&bytes, enc)?,
        encoding: enc.name(),
        had_bom: false,
        detected: true,
    })
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Corrects `chardetng` where its only evidence is a currency amount.
///
/// With no top-level-domain hint, `chardetng` reads a lone `0xA3` as `Ł`
/// (windows-1250) rather than `£` (windows-1252), so a British article whose only
/// non-ASCII byte is in `£7m` comes out as `Ł7m`. When the guess is another
/// single-byte encoding and it differs from windows-1252 only on bytes that
/// windows-1252 reads as `£`, `€` or `¥` directly before a digit, windows-1252 is
/// the better reading: a currency sign before an amount, not a letter glued to a
/// number.
fn prefer_windows_1252(bytes: &[u8], guess: &'static Encoding) -> &'static Encoding {
    if guess == WINDOWS_1252 || !guess.is_single_byte() {
        return guess;
    }
    let mut differs = [None::<bool>; 128];
    let mut currency_amounts = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b < 0x80 {
            continue;
        }
        let differs = *differs[usize::from(b - 0x80)].get_or_insert_with(|| {
            let one = [b];
            WINDOWS_1252.decode_without_bom_handling(&one).0
                != guess.decode_without_bom_handling(&one).0
        });
        if !differs {
            continue;
        }
        let before_digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if matches!(b, 0x80 | 0xA3 | 0xA5) && before_digit {
            currency_amounts += 1;
        } else {
            return guess;
        }
    }
    if currency_amounts > 0 {
        WINDOWS_1252
    } else {
        guess
    }
}

fn decode_forced(bytes: Cow<'_, [u8]>, label: &str) -> Result<Decoded, DecodeError> {
    let enc = Encoding::for_label_no_replacement(label.trim().as_bytes())
        .ok_or_else(|| DecodeError::UnknownEncoding(label.to_string()))?;
    let had_bom = match Encoding::for_bom(&bytes) {
        Some((bom_enc, _)) => bom_enc == enc,
        None => false,
    };
    let text = if enc == UTF_8 {
        as_utf8(bytes)?.map_err(|bytes| utf8_error(&bytes))?
    } else {
        // `utf-16` and other labels of UTF-16 are the only ones under which
        // NUL bytes are text.
        if enc != UTF_16LE && enc != UTF_16BE {
            refuse_binary(&bytes)?;
        }
        decode_strict(&bytes, enc)?
    };
    Ok(Decoded {
        text,
        encoding: enc.name(),
        had_bom,
        detected: false,
    })
}

/// What [`scan_text`] found.
struct TextScan {
    /// The offset of the first NUL byte.
    first_nul: Option<usize>,
    /// Whether all the bytes are UTF-8.
    utf8: bool,
}

/// Bytes [`scan_text`] looks at together: small enough to stay in the cache
/// between its two looks at them.
const SCAN_BLOCK: usize = 64 * 1024;

/// Searches `bytes` for a NUL byte and checks that they are UTF-8 in one
/// pass, a block at a time, so that a big file is read from memory once for
/// both (two scans of 100 MB cost twice the memory traffic; this machine's
/// cores wait on memory more than on either check). A character cut by a
/// block's end is checked again with the next block.
fn scan_text(bytes: &[u8]) -> TextScan {
    let mut first_nul = None;
    let mut utf8 = true;
    // Bytes before this are known to be UTF-8.
    let mut checked = 0;
    let mut block_start = 0;
    while block_start < bytes.len() {
        let block_end = bytes.len().min(block_start + SCAN_BLOCK);
        if let Some(p) = memchr::memchr(0, &bytes[block_start..block_end]) {
            first_nul = Some(block_start + p);
            break;
        }
        // Valid blocks (nearly all) take simdutf8's faster check; std's
        // slower one says where a block stops being UTF-8.
        if utf8 && simdutf8::basic::from_utf8(&bytes[checked..block_end]).is_ok() {
            checked = block_end;
        } else if utf8 {
            match std::str::from_utf8(&bytes[checked..block_end]) {
                Ok(_) => checked = block_end,
                // A character cut by the block's end: checked with the next.
                Err(e) if e.error_len().is_none() => checked += e.valid_up_to(),
                Err(_) => utf8 = false,
            }
        }
        block_start = block_end;
    }
    TextScan {
        first_nul,
        utf8: utf8 && checked == bytes.len(),
    }
}

/// `bytes` as UTF-8 text, after one [`scan_text`]: an error for a NUL byte
/// (binary data), else the text (owned bytes become it without a copy), or
/// the bytes back when they are not UTF-8.
fn as_utf8(bytes: Cow<'_, [u8]>) -> Result<Result<String, Cow<'_, [u8]>>, DecodeError> {
    let scan = scan_text(&bytes);
    if let Some(offset) = scan.first_nul {
        return Err(DecodeError::Binary { offset });
    }
    if !scan.utf8 {
        return Ok(Err(bytes));
    }
    debug_assert!(std::str::from_utf8(&bytes).is_ok());
    // The text is not checked again: std's check would be a third look at
    // every byte.
    Ok(Ok(match bytes {
        // SAFETY: `scan_text` checked every byte to be UTF-8 (and its tests
        // compare it with `std::str::from_utf8`).
        Cow::Owned(vec) => unsafe { String::from_utf8_unchecked(vec) },
        // SAFETY: as above.
        Cow::Borrowed(slice) => unsafe { std::str::from_utf8_unchecked(slice) }.to_owned(),
    }))
}

fn refuse_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    match memchr::memchr(0, bytes) {
        Some(offset) => Err(DecodeError::Binary { offset }),
        None => Ok(()),
    }
}

/// Where `bytes`, not UTF-8, stop being UTF-8.
fn utf8_error(bytes: &[u8]) -> DecodeError {
    let valid_up_to = std::str::from_utf8(bytes)
        .err()
        .map_or(bytes.len(), |e| e.valid_up_to());
    let prefix = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    malformed(UTF_8, valid_up_to, prefix)
}

/// Decodes all of `bytes` as `enc`, keeping any byte-order mark as U+FEFF, and
/// fails at the first malformed sequence.
fn decode_strict(bytes: &[u8], enc: &'static Encoding) -> Result<String, DecodeError> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::Malformed(bad, extra) => {
            let offset = read.saturating_sub(usize::from(bad) + usize::from(extra));
            Err(malformed(enc, offset, &text))
        }
        DecoderResult::OutputFull => {
            unreachable!("the buffer has the decoder's worst-case size")
        }
    }
}

/// The error for a malformed byte at `offset`, with its line and column counted
/// in `decoded`, the text decoded before it.
fn malformed(enc: &'static Encoding, offset: usize, decoded: &str) -> DecodeError {
    // A leading byte-order mark is invisible in editors: do not count it.
    let decoded = decoded.strip_prefix('\u{FEFF}').unwrap_or(decoded);
    let line = memchr::memchr_iter(b'\n', decoded.as_bytes()).count() + 1;
    let line_start = memchr::memrchr(b'\n', decoded.as_bytes()).map_or(0, |i| i + 1);
    let column = decoded[line_start..].chars().count() + 1;
    DecodeError::Malformed {
        encoding: enc.name(),
        offset,
        line,
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Byte strings of characters of every length, characters cut short,
    /// stray continuation bytes, overlong forms, surrogates and NULs, over
    /// block edges: the one-pass scan answers as `memchr` and std's check.
    #[test]
    fn one_scan_finds_the_first_nul_and_tells_utf8() {
        const PIECES: &[&[u8]] = &[
            b"a",
            b"word ",
            "é".as_bytes(),
            "’".as_bytes(),
            "😀".as_bytes(),
            b"\x80",
            b"\xE2\x80",
            b"\xF0\x9F\x98",
            b"\xC0\xAF",
            b"\xED\xA0\x80",
            b"\xFF",
            b"\0",
        ];
        let mut below = crate::passes::random_text::numbers(11);
        for _ in 0..3_000 {
            let mut bytes: Vec<u8> = (0..below(24))
                .flat_map(|_| PIECES[below(PIECES.len())].iter().copied())
                .collect();
            // Put the pieces at the end of a block, or across its edge.
            let lead = SCAN_BLOCK - below(8);
            bytes.splice(0..0, std::iter::repeat_n(b'x', lead * below(2)));
            let scan = scan_text(&bytes);
            let nul = memchr::memchr(0, &bytes);
            assert_eq!(scan.first_nul, nul, "{:?}", &bytes[lead.min(bytes.len())..]);
            if nul.is_none() {
                let utf8 = std::str::from_utf8(&bytes).is_ok();
                assert_eq!(scan.utf8, utf8, "{:?}", &bytes[lead.min(bytes.len())..]);
            }
        }
    }
    use encoding_rs::{EUC_KR, GBK, SHIFT_JIS, WINDOWS_1250, WINDOWS_1251};

    fn encode(enc: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, had_errors) = enc.encode(text);
        assert!(!had_errors, "{} cannot encode {text:?}", enc.name());
        bytes.into_owned()
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for unit in text.encode_utf16() {
            let b = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&b);
        }
        out
    }

    /// `text` encoded in `encoding` decodes back to itself, with `label`
    /// guessed (not forced).
    fn assert_detected(encoding: &'static Encoding, text: &str, label: &str) {
        let d = decode(&encode(encoding, text), None).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.detected),
            (text, label, true)
        );
    }

    const RUSSIAN: &str = "Пресс-секретарь президента России Дмитрий Песков заявил \
        журналистам, что Кремль внимательно следит за развитием ситуации в регионе.\n";
    const JAPANESE: &str = "東京都の小池百合子知事は記者会見で、新しい経済対策について\
        説明しました。来年度の予算案にも反映される見通しです。\n";

    #[test]
    fn ascii_and_utf8_are_certain() {
        let d = decode(b"plain text\r\n", None).unwrap();
        assert_eq!(
            d,
            Decoded {
                text: "plain text\r\n".into(),
                encoding: "UTF-8",
                had_bom: false,
                detected: false
            }
        );
        let d = decode("Zürich, £5, “quoted”".as_bytes(), None).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.detected),
            ("Zürich, £5, “quoted”", "UTF-8", false)
        );
    }

    #[test]
    fn empty_input_is_empty_utf8_text() {
        let d = decode(b"", None).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.had_bom, d.detected),
            ("", "UTF-8", false, false)
        );
        let d = decode_vec(Vec::new(), None).unwrap();
        assert_eq!(d.text, "");
    }

    #[test]
    fn utf8_bom_is_kept_as_a_character() {
        let d = decode(b"\xEF\xBB\xBFHeadline\n", None).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.had_bom),
            ("\u{FEFF}Headline\n", "UTF-8", true)
        );
        let d = decode_vec(b"\xEF\xBB\xBFx".to_vec(), None).unwrap();
        assert_eq!(d.text, "\u{FEFF}x");
    }

    #[test]
    fn utf8_bom_with_malformed_bytes_is_an_error_not_a_guess() {
        let e = decode(b"\xEF\xBB\xBFab\ncaf\xE9\n", None).unwrap_err();
        assert_eq!(
            e,
            DecodeError::Malformed {
                encoding: "UTF-8",
                offset: 9,
                line: 2,
                column: 4
            }
        );
    }

    #[test]
    fn utf16_with_bom_is_text_despite_nul_bytes() {
        let text = "Peskov said “no”.\r\nÜber 🙂\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16(text, false));
        let d = decode(&le, None).unwrap();
        assert_eq!(d.text, format!("\u{FEFF}{text}"));
        assert_eq!(
            (d.encoding, d.had_bom, d.detected),
            ("UTF-16LE", true, false)
        );

        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16(text, true));
        let d = decode(&be, None).unwrap();
        assert_eq!(d.text, format!("\u{FEFF}{text}"));
        assert_eq!((d.encoding, d.had_bom), ("UTF-16BE", true));
    }

    #[test]
    fn utf16_with_a_truncated_last_unit_is_malformed() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16("ab\ncd", false));
        le.push(b'e');
        match decode(&le, None).unwrap_err() {
            DecodeError::Malformed {
                encoding,
                offset,
                line,
                column,
            } => {
                assert_eq!((encoding, offset, line, column), ("UTF-16LE", 12, 2, 3));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn utf16_without_bom_is_binary_unless_forced() {
        let bytes = utf16("hello", false);
        assert_eq!(
            decode(&bytes, None).unwrap_err(),
            DecodeError::Binary { offset: 1 }
        );
        let d = decode(&bytes, Some("utf-16le")).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.had_bom),
            ("hello", "UTF-16LE", false)
        );
    }

    #[test]
    fn nul_byte_is_binary_with_its_offset() {
        assert_eq!(
            decode(b"text\0more", None).unwrap_err(),
            DecodeError::Binary { offset: 4 }
        );
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None).unwrap_err(),
            DecodeError::Binary { offset: 8 }
        );
        // Forcing a single-byte encoding does not make NULs text.
        assert_eq!(
            decode(b"a\0b", Some("latin1")).unwrap_err(),
            DecodeError::Binary { offset: 1 }
        );
        // Nor does forcing UTF-8, and the NUL is named before a malformed
        // byte ahead of it.
        assert_eq!(
            decode(b"ok\xFF\0", Some("utf-8")).unwrap_err(),
            DecodeError::Binary { offset: 3 }
        );
        let msg = DecodeError::Binary { offset: 4 }.to_string();
        assert!(msg.contains("NUL byte at byte 4"), "{msg}");
    }

    #[test]
    fn latin1_pound_sign_is_detected_as_windows_1252() {
        let bytes = b"The club paid \xA37m for the striker, and \xA3250,000 a week.\n";
        let d = decode(bytes, None).unwrap();
        assert_eq!(
            d.text,
            "The club paid £7m for the striker, and £250,000 a week.\n"
        );
        assert_eq!(
            (d.encoding, d.had_bom, d.detected),
            ("windows-1252", false, true)
        );
    }

    #[test]
    fn pound_sign_with_dashes_and_curly_quotes_is_windows_1252() {
        // windows-1250 shares the dash and quote bytes; only `£` tells them apart.
        let bytes = b"Prices rose to \xA3250,000 \x96 a \x93record\x94 high.\n";
        let d = decode(bytes, None).unwrap();
        assert_eq!(d.text, "Prices rose to £250,000 – a “record” high.\n");
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn polish_text_stays_windows_1250_despite_a_currency_byte() {
        // `Ł` is a letter here, and other bytes differ from windows-1252 too.
        let polish = "Łódź: Zażółć gęślą jaźń. Przewodniczący odwiedził Warszawę, \
            gdzie spotkał się z premierem. Koszt wyniósł 5 mln zł.\n";
        assert_detected(WINDOWS_1250, polish, "windows-1250");
    }

    #[test]
    fn legacy_encodings_are_detected() {
        let quotes = "“It’s over,” said the café’s owner – naïvely.\n";
        assert_detected(WINDOWS_1252, quotes, "windows-1252");
        assert_detected(WINDOWS_1251, RUSSIAN, "windows-1251");
        assert_detected(SHIFT_JIS, JAPANESE, "Shift_JIS");
        let polish = "Zażółć gęślą jaźń. Przewodniczący Komisji Europejskiej odwiedził \
            Warszawę, gdzie spotkał się z premierem i ministrami.\n";
        assert_detected(WINDOWS_1250, polish, "windows-1250");
        let korean =
            "대한민국 정부는 오늘 새로운 경제 정책을 발표했습니다. 국회에서 논의될 예정입니다.\n";
        assert_detected(EUC_KR, korean, "EUC-KR");
        let chinese = "国务院总理在北京主持召开会议，研究部署进一步稳定经济增长的政策措施。\n";
        assert_detected(GBK, chinese, "GBK");
    }

    #[test]
    fn forced_label_overrides_detection() {
        let bytes = encode(WINDOWS_1251, RUSSIAN);
        let d = decode(&bytes, Some("windows-1251")).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.detected),
            (RUSSIAN, "windows-1251", false)
        );
        // Forced latin1 (= windows-1252) reads the same bytes as Latin letters.
        let d = decode(&bytes, Some("latin1")).unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.starts_with("Ïðåññ"), "{}", d.text);
        // Forcing UTF-8 on valid UTF-8 keeps the text (and a BOM).
        let d = decode(b"\xEF\xBB\xBFok", Some("UTF-8")).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.had_bom, d.detected),
            ("\u{FEFF}ok", "UTF-8", true, false)
        );
    }

    #[test]
    fn forced_utf8_on_invalid_bytes_names_line_and_column() {
        let bytes = b"first line\nsecond \xE2\x80\x9Cline\xE2\x80\x9D\nZ\xFCrich\n";
        let e = decode(bytes, Some("utf-8")).unwrap_err();
        assert_eq!(
            e,
            DecodeError::Malformed {
                encoding: "UTF-8",
                offset: 30,
                line: 3,
                column: 2
            }
        );
        let msg = e.to_string();
        assert!(msg.starts_with("3:2: not valid UTF-8 (byte 30);"), "{msg}");
        assert!(msg.contains("--encoding"), "{msg}");
        // Columns count characters, not bytes.
        let e = decode("ééé\u{FF}".as_bytes(), Some("utf-8"));
        assert!(e.is_ok(), "U+00FF written in UTF-8 is valid");
        let e = decode(b"\xC3\xA9\xC3\xA9\xFF", Some("utf-8")).unwrap_err();
        assert_eq!(
            e,
            DecodeError::Malformed {
                encoding: "UTF-8",
                offset: 4,
                line: 1,
                column: 3
            }
        );
    }

    #[test]
    fn forced_multibyte_encoding_reports_malformed_position() {
        let mut bytes = encode(SHIFT_JIS, "日本\n語");
        bytes.extend_from_slice(b"\x81\x20");
        match decode(&bytes, Some("shift_jis")).unwrap_err() {
            DecodeError::Malformed {
                encoding,
                offset,
                line,
                column,
            } => {
                assert_eq!((encoding, line, column), ("Shift_JIS", 2, 2));
                assert_eq!(offset, 7);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_or_replacement_labels_are_refused() {
        let e = decode(b"x", Some("klingon")).unwrap_err();
        assert_eq!(e, DecodeError::UnknownEncoding("klingon".into()));
        assert!(e.to_string().contains("windows-1252"), "{e}");
        assert_eq!(
            decode(b"x", Some("iso-2022-kr")).unwrap_err(),
            DecodeError::UnknownEncoding("iso-2022-kr".into())
        );
    }

    #[test]
    fn decoding_never_drops_characters() {
        // Control characters, C1 bytes and the BOM all survive decoding.
        let d = decode(b"\xEF\xBB\xBFa\x07b\xC2\x85c\r\n", None).unwrap();
        assert_eq!(d.text, "\u{FEFF}a\u{7}b\u{85}c\r\n");
        let d = decode(b"\x81\x8D\x8F\x90\x9D caf\xE9", None).unwrap();
        assert_eq!(d.text.chars().count(), 10, "{:?} ({})", d.text, d.encoding);
    }
}
