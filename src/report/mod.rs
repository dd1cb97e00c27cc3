//! Diagnostics out: human (rustc-style), JSON, GitHub annotations, SARIF.
//!
//! Plan text, file and folder names are untrusted: whatever reaches a
//! terminal goes through [`terminal`], and JSON through [`json_text`].

mod github;
mod human;
mod json;
mod sarif;

use std::borrow::Cow;

pub use github::github;
pub use human::{human, summary};
pub use json::json;
pub use sarif::sarif;

/// An output format of `kaplan check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// rustc-style text with source snippets.
    Human,
    /// The contract's JSON array.
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// SARIF 2.1.0.
    Sarif,
}

/// Whether `c` could act on a terminal or reorder the text shown around it:
/// C0 controls (the tab aside), DEL, C1 controls, and the bidirectional
/// embeddings, overrides and isolates of "Trojan Source" (U+202A–U+202E,
/// U+2066–U+2069).
pub(crate) fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` as it may be written to a terminal: every [unsafe](is_unsafe)
/// character is shown visibly escaped, as Rust writes it (`\u{1b}`, `\r`,
/// `\n`, `\u{202e}`); all other text (Chinese, emoji, tabs) is untouched.
/// Every plan-derived string printed by kaplan goes through here.
pub fn terminal(s: &str) -> Cow<'_, str> {
    let Some(first) = s.find(is_unsafe) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON written by serde with the [unsafe](is_unsafe) characters that it
/// leaves raw (DEL, C1 controls, bidirectional controls) written as
/// `\uXXXX` escapes: the same JSON value, safe to show in a terminal. Those
/// characters can only be inside strings, where the escape means the same;
/// serde escapes the other controls itself, and its only raw one is the
/// line feed of pretty printing.
pub(crate) fn json_text(json: String) -> String {
    let raw = |c: char| c != '\n' && is_unsafe(c);
    if !json.contains(raw) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_escapes_controls_and_bidi_overrides_only() {
        assert_eq!(
            terminal("a\u{1b}[31mb\rc\u{7}d\u{202e}e\u{9b}f\u{7f}\n"),
            "a\\u{1b}[31mb\\rc\\u{7}d\\u{202e}e\\u{9b}f\\u{7f}\\n"
        );
        for kept in ["名称: 华东 🚀", "a\tb", "plain ascii", "\u{200d}👩‍👩‍👧"] {
            assert!(matches!(terminal(kept), Cow::Borrowed(_)), "{kept:?}");
        }
        for c in ['\u{2066}', '\u{2069}', '\u{202a}', '\0'] {
            assert!(!terminal(&c.to_string()).contains(c), "{c:?}");
        }
    }

    #[test]
    fn json_keeps_its_value_without_raw_controls() {
        let value = serde_json::json!({"m": "a\u{1b}b\u{7f}c\u{9b}d\u{202e}e名"});
        let text = json_text(serde_json::to_string_pretty(&value).unwrap());
        assert!(!text.contains(|c| c != '\n' && is_unsafe(c)), "{text}");
        assert!(text.contains('\n'), "pretty printing stays: {text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
