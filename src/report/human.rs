//! rustc-style diagnostics with the source line and a caret.

use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Origin, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, Level};
use crate::model::Span;

/// Renders every diagnostic, `styled` with ANSI colours or plain. Source
/// lines are read from the files under `root` as they are needed; the runs of
/// diagnostics in one file are rendered in parallel, and joined in order.
pub fn human(diagnostics: &[Diagnostic], root: &Path, styled: bool) -> String {
    use rayon::prelude::*;
    let runs: Vec<&[Diagnostic]> = diagnostics.chunk_by(|a, b| a.file == b.file).collect();
    let texts: Vec<String> = runs
        .par_iter()
        .map(|run| {
            let renderer = if styled {
                Renderer::styled()
            } else {
                Renderer::plain()
            };
            let source = Source::read(root, &run[0].file);
            let mut out = String::new();
            for d in *run {
                out.push_str(&renderer.render(&[group(d, source.as_ref())]));
                out.push_str("\n\n");
            }
            out
        })
        .collect();
    texts.concat()
}

/// A source file as the loader saw it (without a BOM), and the lines of its
/// `private` notes, which a snippet never quotes.
struct Source {
    text: String,
    private: Vec<std::ops::RangeInclusive<usize>>,
}

impl Source {
    /// Reads `root/file`, bounded like the loader and never outside the
    /// root; `None` when it is not text.
    fn read(root: &Path, file: &str) -> Option<Source> {
        let bytes = crate::load::read_inside(root, file, crate::load::MAX_FILE_BYTES).ok()?;
        let mut text = String::from_utf8(bytes).ok()?;
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Some(Source::new(text))
    }

    fn new(text: String) -> Source {
        let private = crate::load::private_lines(&text);
        Source { text, private }
    }

    /// The line that holds 1-based line `n` (the first for 0), as a snippet
    /// may quote it: `None` past the end and for a line of `private` notes.
    fn line(&self, n: usize) -> Option<&str> {
        let index = n.saturating_sub(1);
        if self.private.iter().any(|r| r.contains(&(index + 1))) {
            return None;
        }
        self.text.lines().nth(index)
    }
}

fn group<'a>(d: &'a Diagnostic, source: Option<&'a Source>) -> Group<'a> {
    let level = match d.level {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.rule.name);
    let line_no = d.span.line as usize;
    // A diagnostic about the file as a whole (say, a missing section) has no
    // node to underline: name the file only.
    let line = source
        .filter(|_| d.span != Span::FILE)
        .and_then(|s| s.line(line_no))
        .filter(|l| !l.trim().is_empty());
    let mut group = match line {
        Some(text) => {
            let text = text.trim_end_matches('\r');
            let start = byte_at(text, d.span.col);
            let end = if d.span.end_line == d.span.line {
                byte_at(text, d.span.end_col)
            } else {
                text.len()
            };
            let end = if end > start {
                end
            } else {
                next_char(text, start)
            };
            title.element(
                Snippet::source(text)
                    .line_start(line_no)
                    .path(d.file.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end)),
            )
        }
        None => title.element(
            Origin::path(d.file.as_str())
                .line(line_no.max(1))
                .char_column(d.span.col as usize),
        ),
    };
    if let Some(help) = &d.help {
        group = group.element(SnippetLevel::HELP.message(help.as_str()));
    }
    group.element(
        SnippetLevel::NOTE.message(format!("for more, run `kaplan explain {}`", d.rule.name)),
    )
}

/// Byte offset of 1-based character column `col` in `line`, clamped to its end.
fn byte_at(line: &str, col: u32) -> usize {
    line.char_indices()
        .nth((col as usize).saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}

fn next_char(line: &str, at: usize) -> usize {
    line[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

/// `3 errors, 5 warnings in 2 of 7 accounts`.
pub fn summary(diagnostics: &[Diagnostic], accounts: usize) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if diagnostics.is_empty() && accounts == 0 {
        return "no accounts found: each account is a folder `accounts/<id>/` holding a plan.yaml"
            .to_owned();
    }
    if diagnostics.is_empty() {
        return format!(
            "{} checked: no errors, no warnings",
            plural(accounts, "account")
        );
    }
    let mut with: Vec<&str> = diagnostics
        .iter()
        .filter(|d| !d.account.is_empty())
        .map(|d| d.account.as_str())
        .collect();
    with.dedup();
    // Folders that could not be read at all have diagnostics but no plan.
    let accounts = accounts.max(with.len());
    format!(
        "{}, {} in {} of {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        with.len(),
        plural(accounts, "account")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_nothing_says_where_accounts_go() {
        assert!(summary(&[], 0).starts_with("no accounts found"));
        assert_eq!(
            summary(&[], 2),
            "2 accounts checked: no errors, no warnings"
        );
    }

    #[test]
    fn lines_of_private_notes_are_never_quoted() {
        let source = Source::new("a: 1\r\nprivate:\r\n  b: 2\r\nc: 3".to_owned());
        let lines: Vec<_> = (0..=5).map(|n| source.line(n)).collect();
        assert_eq!(
            lines,
            [Some("a: 1"), Some("a: 1"), None, None, Some("c: 3"), None]
        );
    }

    #[test]
    fn byte_offsets_follow_characters() {
        assert_eq!(byte_at("名称: x", 5), "名称: ".len());
        assert_eq!(byte_at("ab", 9), 2);
        assert_eq!(next_char("名称", 0), 3);
    }
}
