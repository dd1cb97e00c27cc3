//! Validation: the checklist rules run over loaded plans.

mod checks;
pub mod rules;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Level, Question, Sink};
use crate::figures::Figures;
use crate::model::{AccountFiles, Date, Plan, Span};

/// A checklist rule: its stable name, its question, its default level and docs.
#[derive(Debug)]
pub struct Rule {
    /// `<question>/<name>`.
    pub name: &'static str,
    /// The planning question it belongs to.
    pub question: Question,
    /// Default level.
    pub level: Level,
    /// One line: what is wrong.
    pub summary: &'static str,
    /// Markdown: What it checks · Why it matters · Failing example · Passing example.
    pub explanation: &'static str,
}

/// What every check sees.
pub(crate) struct Ctx<'a> {
    pub(crate) account: &'a AccountFiles,
    pub(crate) plan: &'a Plan,
    pub(crate) figures: &'a Figures,
    pub(crate) config: &'a Config,
    pub(crate) today: Date,
    /// Diagnostics about `plan.yaml`.
    pub(crate) sink: Sink,
    /// Diagnostics about other files (visit records).
    pub(crate) other: Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// The span of top-level key `key`, else the start of the file.
    pub(crate) fn top_key(&self, key: &str) -> Span {
        self.plan.keys.get(key).unwrap_or(Span::FILE)
    }

    /// The plan's period, `(start, end)`, when both are given and in order:
    /// a period that ends before it starts is reported (`plan/invalid-value`)
    /// and judges no date inside or outside it.
    pub(crate) fn period(&self) -> Option<(Date, Date)> {
        let p = self.plan.period.as_ref()?;
        let (start, end) = (p.start.as_ref()?.value, p.end.as_ref()?.value);
        (start <= end).then_some((start, end))
    }

    /// Whether top-level key `key`'s value was lost to a diagnostic already
    /// given (misspelt, or not readable): what its absence would make fire
    /// stays silent.
    pub(crate) fn lost(&self, key: &str) -> bool {
        self.plan.keys.lost(key)
    }
}

/// Runs every checklist rule on one account with a readable plan.
pub fn check_account(
    account: &AccountFiles,
    plan: &Plan,
    figures: &Figures,
    config: &Config,
    today: Date,
) -> Vec<Diagnostic> {
    let file = format!("accounts/{}/plan.yaml", account.id);
    let mut cx = Ctx {
        account,
        plan,
        figures,
        config,
        today,
        sink: Sink::new(&account.id, &file),
        other: Vec::new(),
    };
    checks::run(&mut cx);
    let mut out = cx.sink.diagnostics;
    out.append(&mut cx.other);
    out
}

/// Applies `[rules]` levels (dropping rules set to `off`) and sorts.
pub fn finish(mut diagnostics: Vec<Diagnostic>, config: &Config) -> Vec<Diagnostic> {
    diagnostics.retain_mut(|d| match config.level(d.rule) {
        Some(level) => {
            d.level = level;
            true
        }
        None => false,
    });
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key());
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::rules::RULES;
    use std::path::Path;

    const HEADINGS: [&str; 4] = [
        "## What it checks",
        "## Why it matters",
        "## Failing example",
        "## Passing example",
    ];

    #[test]
    fn every_rule_is_documented_in_order() {
        for rule in RULES {
            let (question, name) = rule
                .name
                .split_once('/')
                .expect("rule names are question/name");
            assert_eq!(question, rule.question.as_str(), "{}", rule.name);
            assert!(
                !name.is_empty() && !rule.summary.is_empty(),
                "{}",
                rule.name
            );
            let mut at = 0;
            for h in HEADINGS {
                let found = rule.explanation[at..].find(h);
                assert!(found.is_some(), "{} lacks `{h}` (in order)", rule.name);
                at += found.unwrap_or(0) + h.len();
            }
            assert!(
                rule.explanation.matches("```yaml").count() >= 2,
                "{} needs two YAML examples",
                rule.name
            );
        }
    }

    #[test]
    fn every_rule_has_both_fixtures() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
        for rule in RULES {
            for f in ["fires.yaml", "passes.yaml"] {
                let path = root.join(rule.name).join(f);
                assert!(path.is_file(), "{} lacks {}", rule.name, path.display());
            }
        }
    }

    #[test]
    fn rule_names_are_unique() {
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
    }
}
