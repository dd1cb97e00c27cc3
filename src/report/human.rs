//! rustc-style diagnostics with the source line and a caret.

use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Origin, Renderer, Snippet};

use crate::Checked;
use crate::config::Language;
use crate::diagnostic::{Diagnostic, Level};
use crate::message::{Arg, Message, texts};
use crate::model::{Masked, Span};

use crate::text::terminal;

/// Renders every diagnostic of `checked`, `styled` with ANSI colours or
/// plain. Source lines are read from the files under its root as they are
/// needed, never quoting the private lines its loader found; the runs of
/// diagnostics in one file are rendered in parallel, and joined in order.
pub fn human(checked: &Checked, styled: bool) -> String {
    let language = checked.config.language;
    use rayon::prelude::*;
    let diagnostics = &checked.diagnostics;
    let runs: Vec<&[Diagnostic]> = diagnostics.chunk_by(|a, b| a.file == b.file).collect();
    let texts: Vec<String> = runs
        .par_iter()
        .map(|run| {
            let renderer = if styled {
                Renderer::styled()
            } else {
                Renderer::plain()
            };
            // Only a diagnostic with a position quotes its file: the others
            // spare reading it and finding its private notes.
            let quotes = run.iter().any(|d| d.span != Span::FILE);
            let file = &run[0].file;
            let mut source = quotes
                .then(|| Source::read(&checked.root, file, checked.masked(file)))
                .flatten();
            // The lines where personal data was found are quoted by no
            // diagnostic of the file.
            if let Some(source) = &mut source {
                source.private.extend(
                    run.iter()
                        .filter(|d| personal(d))
                        .map(|d| d.span.line as usize..=d.span.end_line.max(d.span.line) as usize),
                );
            }
            let mut out = String::new();
            for d in *run {
                out.push_str(&renderer.render(&[group(d, source.as_ref(), language)]));
                out.push_str("\n\n");
            }
            out
        })
        .collect();
    texts.concat()
}

/// Whether `d` found personal data, which reports name by its place and
/// never quote.
fn personal(d: &Diagnostic) -> bool {
    std::ptr::eq(d.rule, &crate::load::rules::PERSONAL_DATA_IN_TEXT)
}

/// A source file as the loader saw it (without a BOM), and the lines of its
/// `private` notes, which a snippet never quotes.
struct Source {
    text: String,
    /// Where each line starts in `text`: a report quotes a line of a large
    /// plan without reading the lines before it again.
    starts: Vec<usize>,
    private: Vec<std::ops::RangeInclusive<usize>>,
}

impl Source {
    /// Reads `root/file`, bounded like the loader and never outside the
    /// root, with the private lines the loader found (`masked`); `None`
    /// when it is not text.
    fn read(root: &Path, file: &str, masked: Option<&Masked>) -> Option<Source> {
        let bytes = crate::load::read_inside(root, file, crate::load::MAX_FILE_BYTES).ok()?;
        let mut text = String::from_utf8(bytes).ok()?;
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Some(Source::new(file, text, masked))
    }

    /// The source of `file` (its path, for its kind). Lines end as YAML
    /// ends them, a lone `\r` included, so that line numbers are the
    /// parser's. Its private lines are found again unless `masked` gives them.
    fn new(file: &str, mut text: String, masked: Option<&Masked>) -> Source {
        if text.contains('\r') {
            text = text.replace("\r\n", "\n").replace('\r', "\n");
        }
        let private = masked.map_or_else(|| crate::load::masked_lines(file, &text), Clone::clone);
        let starts = crate::text::line_starts(&text);
        Source {
            text,
            starts,
            private,
        }
    }

    /// The line that holds 1-based line `n` (the first for 0), as a snippet
    /// may quote it: `None` past the end and for a line of `private` notes.
    fn line(&self, n: usize) -> Option<&str> {
        let index = n.saturating_sub(1);
        if self.private.iter().any(|r| r.contains(&(index + 1))) {
            return None;
        }
        // As `str::lines` reads them: without the line break.
        let start = *self.starts.get(index).filter(|&&s| s < self.text.len())?;
        let end = self
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = &self.text[start..end];
        Some(line.strip_suffix('\n').unwrap_or(line))
    }
}

fn group<'a>(d: &'a Diagnostic, source: Option<&'a Source>, language: Language) -> Group<'a> {
    let level = match d.level {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
    };
    // Messages, file names and source lines hold plan text: shown escaped.
    let message = terminal(&d.message(language)).into_owned();
    let title = level.primary_title(message).id(d.rule.name);
    let path = terminal(&d.file);
    let line_no = d.span.line as usize;
    // A diagnostic about the file as a whole (say, a missing section) has no
    // node to underline: name the file only.
    let line = source
        .filter(|_| d.span != Span::FILE)
        .and_then(|s| s.line(line_no))
        .filter(|l| !l.trim().is_empty());
    let mut group = match line {
        Some(text) => {
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
            // Escaped in three parts, so that the caret stays under its text.
            let (before, under) = (terminal(&text[..start]), terminal(&text[start..end]));
            let shown = format!("{before}{under}{}", terminal(&text[end..]));
            let span = before.len()..before.len() + under.len();
            title.element(
                Snippet::source(shown)
                    .line_start(line_no)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        None => title.element(
            Origin::path(path)
                .line(line_no.max(1))
                .char_column(d.span.col as usize),
        ),
    };
    if let Some(help) = d.help(language) {
        group = group.element(SnippetLevel::HELP.message(terminal(&help).into_owned()));
    }
    let note = Message::new(&EXPLAIN_NOTE).with("rule", d.rule.name);
    group.element(SnippetLevel::NOTE.message(note.render(language)))
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
pub fn summary(diagnostics: &[Diagnostic], accounts: usize, language: Language) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    if diagnostics.is_empty() && accounts == 0 {
        return NO_ACCOUNTS.get(language).to_owned();
    }
    if diagnostics.is_empty() {
        return Message::new(&ALL_CLEAN)
            .with("accounts", Arg::Count(accounts, &ACCOUNT))
            .render(language);
    }
    let mut with: Vec<&str> = diagnostics
        .iter()
        .filter(|d| !d.account.is_empty())
        .map(|d| d.account.as_str())
        .collect();
    with.dedup();
    // Folders that could not be read at all have diagnostics but no plan.
    let accounts = accounts.max(with.len());
    Message::new(&SUMMARY)
        .with("errors", Arg::Count(errors, &ERROR))
        .with("warnings", Arg::Count(warnings, &WARNING))
        .with("with", with.len().to_string())
        .with("accounts", Arg::Count(accounts, &ACCOUNT))
        .render(language)
}

texts! {
    NO_ACCOUNTS:
        "no accounts found: each account is a folder `accounts/<id>/` holding a plan.yaml"
        / "没有找到客户：每个客户是一个 `accounts/<id>/` 文件夹，里面放一个 plan.yaml";
    ALL_CLEAN: "{accounts} checked: no errors, no warnings" / "已检查 {accounts}：没有错误，没有提醒";
    SUMMARY:
        "{errors}, {warnings} in {with} of {accounts}"
        / "{errors}、{warnings}，涉及 {accounts}中的 {with} 个";
    ERROR: "error" / "个错误";
    WARNING: "warning" / "条提醒";
    ACCOUNT: "account" / "个客户";
    EXPLAIN_NOTE: "for more, run `kaplan explain {rule}`" / "详见 `kaplan explain {rule}`";
    BUILT:
        "built {files} files for {accounts} into {out} in {ms} ms"
        / "已为 {accounts}生成 {files} 个文件，输出到 {out}，用时 {ms} 毫秒";
    NOT_PUBLISHED:
        "error: the site was not published because plans have {errors} error(s); fix them, or publish anyway with --allow-errors"
        / "错误：计划中有 {errors} 个错误，站点未发布；请先修正，或用 --allow-errors 照样发布";
}

/// `build`'s last line: what was written where (`out`, shown escaped), or
/// why nothing was published (`out` is `None`: the plans have `errors`).
pub fn built(
    out: Option<&std::path::Path>,
    files: usize,
    accounts: usize,
    errors: usize,
    millis: u128,
    language: Language,
) -> String {
    match out {
        Some(out) => Message::new(&BUILT)
            .with("files", files.to_string())
            .with("accounts", Arg::Count(accounts, &ACCOUNT))
            .with("out", terminal(&out.display().to_string()).into_owned())
            .with("ms", millis.to_string()),
        None => Message::new(&NOT_PUBLISHED).with("errors", errors.to_string()),
    }
    .render(language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_nothing_says_where_accounts_go() {
        assert!(summary(&[], 0, Language::En).starts_with("no accounts found"));
        assert_eq!(
            summary(&[], 2, Language::En),
            "2 accounts checked: no errors, no warnings"
        );
    }

    #[test]
    fn a_source_quotes_the_lines_str_lines_reads() {
        for text in ["", "a", "a\n", "a\nb", "a\n\nb\n", "\n\n", "一\n二\r\n三\r"] {
            let source = Source::new("plan.yaml", text.to_owned(), Some(&Vec::new()));
            let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
            for n in 0..6usize {
                let index = n.saturating_sub(1);
                assert_eq!(
                    source.line(n),
                    normalized.lines().nth(index),
                    "{text:?} {n}"
                );
            }
        }
    }

    #[test]
    fn lines_of_private_notes_are_never_quoted() {
        let source = Source::new(
            "plan.yaml",
            "a: 1\r\nprivate:\r\n  b: 2\r\nc: 3".to_owned(),
            None,
        );
        let lines: Vec<_> = (0..=5).map(|n| source.line(n)).collect();
        assert_eq!(
            lines,
            [Some("a: 1"), Some("a: 1"), None, None, Some("c: 3"), None]
        );
    }

    #[test]
    fn private_notes_are_masked_by_structure_not_spelling() {
        // (file, text, the lines a snippet may quote)
        #[rustfmt::skip]
        let cases: &[(&str, &str, &[usize])] = &[
            ("plan.yaml", "a: 1\n\"priv\\u0061te\": s\nb: 2\n", &[1, 3]),
            ("plan.yaml", "a: 1\n? private\n: s\nb: 2\n", &[1, 4]),
            ("plan.yaml", "- {id: a, private: {x:\n    s}, bad: 1}\n- b\n", &[3]),
            ("plan.yaml", "n: &n s\nm: 1\nprivate: *n\n", &[2]),
            // A lone CR ends a line, as it does for the parser.
            ("plan.yaml", "bad: 1\rprivate: {x: s}\rc: 3\n", &[1, 3]),
            // Front matter, with the page's body below it.
            ("accounts/a/x.md", "---\ntitle: T\n\"priv\\u0061te\": s\n---\nprivate: body\n", &[1, 2, 4]),
            // A file that does not parse falls back on the textual scan.
            ("plan.yaml", "a: [\nprivate:\n  x: s\nb: 2\n", &[1, 4]),
        ];
        for (file, text, quotable) in cases {
            let source = Source::new(file, (*text).to_owned(), None);
            let shown: Vec<usize> = (1..=6).filter(|&n| source.line(n).is_some()).collect();
            assert_eq!(shown, *quotable, "{file}: {text:?}");
        }
    }

    /// A diagnostic of `plan/invalid-value` on line 1 of `file`, from
    /// column `col` to `end_col`.
    fn invalid(file: &str, col: u32, end_col: u32, message: &str) -> Diagnostic {
        let mut sink = crate::diagnostic::Sink::new("a", file);
        let span = Span {
            line: 1,
            col,
            end_line: 1,
            end_col,
        };
        sink.emit(&crate::load::rules::INVALID_VALUE, span, message);
        sink.diagnostics.remove(0)
    }

    #[test]
    fn controls_are_shown_escaped_with_the_caret_under_them() {
        let source = Source::new(
            "plan.yaml",
            "tier: \u{1b}[31mgold\u{202e} # \u{7}".to_owned(),
            None,
        );
        let d = invalid(
            "accounts/\u{1b}]0;x\u{7}/plan.yaml",
            7,
            16,
            "unknown tier `\u{1b}[31mgold`",
        );
        let out = Renderer::plain().render(&[group(&d, Some(&source), Language::En)]);
        let raw = |c: char| c != '\n' && crate::text::is_unsafe(c);
        assert!(!out.contains(raw), "{out}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "error[plan/invalid-value]: unknown tier `\\u{1b}[31mgold`"
        );
        assert!(
            lines[1].ends_with("accounts/\\u{1b}]0;x\\u{7}/plan.yaml:1:7"),
            "{out}"
        );
        let quoted = lines[3].find("tier").unwrap();
        assert_eq!(
            &lines[3][quoted..],
            "tier: \\u{1b}[31mgold\\u{202e} # \\u{7}"
        );
        // The caret underlines the escaped value, and only it.
        let caret = lines[4].find('^').unwrap();
        assert_eq!(caret, quoted + "tier: ".len(), "{out}");
        assert_eq!(
            lines[4].trim_end()[caret..],
            "^".repeat("\\u{1b}[31mgold".len()),
            "{out}"
        );
    }

    #[test]
    fn byte_offsets_follow_characters() {
        assert_eq!(byte_at("名称: x", 5), "名称: ".len());
        assert_eq!(byte_at("ab", 9), 2);
        assert_eq!(next_char("名称", 0), 3);
    }
}
