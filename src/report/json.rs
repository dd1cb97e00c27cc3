//! The contract's JSON array of diagnostics.

use serde_json::{Value, json};

use crate::diagnostic::Diagnostic;

/// One JSON array, one object per diagnostic.
pub fn json(diagnostics: &[Diagnostic]) -> String {
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
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    let mut out = crate::text::json_text(serde_json::to_string_pretty(&items).unwrap_or_default());
    out.push('\n');
    out
}
