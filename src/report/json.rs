//! The contract's JSON array of diagnostics.

use serde_json::{Value, json};

use crate::config::Language;
use crate::diagnostic::Diagnostic;

/// One JSON array, one object per diagnostic.
/// `message` and `help` are in `language`; keys, rule names and enum values
/// are the format's.
pub fn json(diagnostics: &[Diagnostic], language: Language) -> String {
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            json!({
                "file": d.file,
                "line": d.span.line,
                "column": d.span.col,
                "end_line": d.span.end_line,
                "end_column": d.span.end_col,
                "rule": d.rule.name,
                "level": d.level,
                "question": d.rule.question,
                "account": d.account,
                "message": d.message(language),
                "help": d.help(language),
            })
        })
        .collect();
    let mut out = crate::text::json_text(serde_json::to_string_pretty(&items).unwrap_or_default());
    out.push('\n');
    out
}
