//! Making invisible characters visible in diffs: `⟨U+200B⟩`, `⟨NBSP⟩`.

use std::borrow::Cow;

/// A short name for a character that would be invisible or ambiguous on screen,
/// or `None` for an ordinary character. Tabs and spaces are ordinary.
pub fn invisible_name(ch: char) -> Option<Cow<'static, str>> {
    let name: &'static str = match ch {
        '\u{00A0}' => "NBSP",
        '\u{202F}' => "NNBSP",
        '\u{00AD}' => "SHY",
        '\u{200B}' => "U+200B",
        '\u{200C}' => "ZWNJ",
        '\u{200D}' => "ZWJ",
        '\u{FEFF}' => "U+FEFF",
        '\r' => "CR",
        '\t' | '\n' => return None,
        c if c.is_control()
            || matches!(c as u32,
                0x200E..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F
                | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x180E | 0xFFF9..=0xFFFB
                | 0xFE00..=0xFE0F | 0xE0000..=0xE007F | 0xE0100..=0xE01EF) =>
        {
            return Some(Cow::Owned(format!("U+{:04X}", c as u32)));
        }
        _ => return None,
    };
    Some(Cow::Borrowed(name))
}

/// `text` with every invisible character replaced by `⟨NAME⟩`. When
/// `show_combining` is set, combining marks are shown too (so that a composed and
/// a decomposed `é` look different in a diff).
pub fn visible(text: &str, show_combining: bool) -> Cow<'_, str> {
    let needs = |c: char| {
        invisible_name(c).is_some()
            || (show_combining && unicode_normalization::char::is_combining_mark(c))
    };
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if let Some(name) = invisible_name(c) {
            out.push('⟨');
            out.push_str(&name);
            out.push('⟩');
        } else if show_combining && unicode_normalization::char::is_combining_mark(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_zero_width_space_and_nbsp() {
        assert_eq!(visible("a\u{200B}b\u{A0}c", false), "a⟨U+200B⟩b⟨NBSP⟩c");
        assert_eq!(visible("plain text\t", false), "plain text\t");
    }

    #[test]
    fn combining_marks_only_on_request() {
        assert_eq!(visible("e\u{301}", false), "e\u{301}");
        assert_eq!(visible("e\u{301}", true), "e⟨U+0301⟩");
    }
}
