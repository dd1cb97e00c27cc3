//! SARIF 2.1.0, for code-scanning dashboards.

use serde_json::{Value, json};

use crate::config::Language;
use crate::diagnostic::Diagnostic;
use crate::validate::rules::RULES;

/// One SARIF log with one run; every rule is described, every diagnostic a result.
pub fn sarif(diagnostics: &[Diagnostic], language: Language) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.name,
                "shortDescription": { "text": r.summary.get(language) },
                "help": {
                    "text": r.explanation.get(language),
                    "markdown": r.explanation.get(language),
                },
                "defaultConfiguration": { "level": r.level },
                "properties": { "tags": [r.question.as_str()] },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let index = RULES.iter().position(|r| r.name == d.rule.name);
            json!({
                "ruleId": d.rule.name,
                "ruleIndex": index,
                "level": d.level,
                "message": { "text": d.message(language) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.file, "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": d.span.line,
                            "startColumn": d.span.col,
                            "endLine": d.span.end_line.max(d.span.line),
                            "endColumn": d.span.end_col.max(d.span.col),
                        },
                    },
                }],
                "properties": { "account": d.account, "question": d.rule.question },
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "kaplan",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = crate::text::json_text(serde_json::to_string_pretty(&log).unwrap_or_default());
    out.push('\n');
    out
}
