//! GitHub Actions workflow commands: annotations on the pull request.

use crate::config::Language;
use crate::diagnostic::Diagnostic;

use crate::text::terminal;

/// One `::error file=…,line=…,col=…,title=RULE::message` line per diagnostic.
/// Plan text is [escaped for the terminal](terminal) (the log shows it), then
/// as GitHub's workflow commands require: `%`, CR and LF in the message, and
/// also `:` and `,` in properties.
pub fn github(diagnostics: &[Diagnostic], language: Language) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&format!(
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            d.level,
            property(&terminal(&d.file)),
            d.span.line,
            d.span.col,
            d.span.end_line,
            d.span.end_col,
            property(d.rule.name),
            data(&terminal(&d.message(language)))
        ));
    }
    out
}

fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_commands() {
        assert_eq!(super::data("50%\nx"), "50%25%0Ax");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn plan_text_is_escaped_for_the_log_then_for_the_command() {
        let mut sink = crate::diagnostic::Sink::new("a", "accounts/a\u{1b}[1m:b,c%/plan.yaml");
        let rule = &crate::load::rules::INVALID_VALUE;
        sink.emit(
            rule,
            crate::model::Span::point(1, 1),
            "bad `x\ny\r\u{7}50%`",
        );
        let out = super::github(&sink.diagnostics, crate::config::Language::En);
        assert_eq!(
            out,
            "::error file=accounts/a\\u{1b}[1m%3Ab%2Cc%25/plan.yaml,line=1,col=1,endLine=1,endColumn=1,title=plan/invalid-value::bad `x\\ny\\r\\u{7}50%25`\n"
        );
    }
}
