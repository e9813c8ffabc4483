//! `redline diff --patch`: an ordinary unified diff that `git apply` and
//! `patch -p1` accept.

use similar::TextDiff;

/// The path as it goes into `a/…` and `b/…`: relative, forward slashes.
pub fn patch_path(path: &str) -> String {
    let p = std::path::Path::new(path);
    let rel = if p.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| p.strip_prefix(cwd).ok().map(|r| r.to_path_buf()))
            .unwrap_or_else(|| p.to_path_buf())
    } else {
        p.to_path_buf()
    };
    let s = rel.to_string_lossy().replace('\\', "/");
    s.trim_start_matches("./")
        .trim_start_matches('/')
        .to_string()
}

/// The unified diff of `old` → `new` for `path`, or nothing when they are equal.
pub fn unified_patch(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let p = patch_path(path);
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{p}"), &format!("b/{p}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_a_missing_final_newline() {
        let p = unified_patch("x.txt", "a..\nb", "a.\nb");
        assert!(
            p.starts_with("--- a/x.txt\n+++ b/x.txt\n@@ -1,2 +1,2 @@\n"),
            "{p}"
        );
        assert!(
            p.contains("-a..\n+a.\n b\n\\ No newline at end of file"),
            "{p}"
        );
    }

    #[test]
    fn equal_texts_give_no_patch() {
        assert_eq!(unified_patch("x", "same\n", "same\n"), "");
        assert_eq!(patch_path("./a/b.txt"), "a/b.txt");
    }
}
