//! The rule registry, and the checklist rules: each declared once, in its
//! question's file, with its level, docs and check.
//!
//! Adding a checklist rule is one entry in `checked_rules!` of its question's
//! file, naming its check, and a fixture pair under `tests/rules/`. The
//! `plan/*` rules are declared in `load::rules`, below the loader that
//! reports most of them; what validation checks of them is in `plan.rs`.
//! Every check reports through a `Report` tied to its rule.

pub(crate) mod by_whom;
pub mod cost_return;
pub(crate) mod how;
pub(crate) mod when_where;
pub(crate) mod who;
pub(crate) mod why;

use crate::config::Language;
use crate::diagnostic::{Diagnostic, Question, Rule, Sink};
use crate::message::{Arg, Message, Text, texts};
use crate::model::Span;

use super::Ctx;

/// A rule's check: it sees the account and reports only its rule.
pub(crate) struct Check {
    /// The rule it reports.
    pub(crate) rule: &'static Rule,
    /// What it runs.
    pub(crate) run: fn(&Ctx<'_>, &mut Report<'_>),
}

/// What a check reports through: diagnostics of its own rule, and no other.
pub(crate) struct Report<'a> {
    rule: &'static Rule,
    /// Diagnostics about `plan.yaml`.
    sink: &'a mut Sink,
    /// Diagnostics about the account's other files (visit records).
    other: &'a mut Vec<Diagnostic>,
}

impl Report<'_> {
    /// Reports the rule at `span`.
    pub(crate) fn emit(&mut self, span: Span, message: impl Into<Message>) {
        self.sink.emit(self.rule, span, message);
    }

    /// Reports the rule at `span` with a help line.
    pub(crate) fn emit_help(
        &mut self,
        span: Span,
        message: impl Into<Message>,
        help: impl Into<Message>,
    ) {
        self.sink.emit_help(self.rule, span, message, help);
    }

    /// Reports the rule at top-level key `key` when the list there is
    /// `empty`, unless the key's value was lost to a diagnostic already given.
    pub(crate) fn empty_list(
        &mut self,
        cx: &Ctx<'_>,
        key: &str,
        empty: bool,
        message: &'static Text,
        help: &'static Text,
    ) {
        if empty && !cx.lost(key) {
            self.emit_help(cx.top_key(key), message, help);
        }
    }

    /// Reports the rule at `span` of `file`, another file of the account,
    /// with a help line.
    pub(crate) fn emit_help_in(
        &mut self,
        file: &str,
        span: Span,
        message: impl Into<Message>,
        help: impl Into<Message>,
    ) {
        let mut sink = Sink::new(self.sink.account(), file);
        sink.emit_help(self.rule, span, message, help);
        self.other.append(&mut sink.diagnostics);
    }
}

/// Declares the checklist rules of one question, each once: `check: f`,
/// the function that checks it, then the fields of `declare_rules!`; and
/// `CHECKS`, their checks in the same order.
macro_rules! checked_rules {
    (
        question: $question:ident;
        $( $(#[$doc:meta])* $id:ident { check: $check:path, $($rule:tt)* } )*
    ) => {
        $crate::diagnostic::declare_rules! {
            question: $question;
            $( $(#[$doc])* $id { $($rule)* } )*
        }

        /// The checks of these rules, in the same order.
        pub(crate) const CHECKS: &[$crate::validate::rules::Check] =
            &[$($crate::validate::rules::Check { rule: &$id, run: $check }),*];
    };
}
use checked_rules;

/// The questions in the order of the format contract: the checklist, then
/// the plan file.
const ORDER: [Question; 7] = {
    let [a, b, c, d, e, f] = Question::CHECKLIST;
    [a, b, c, d, e, f, Question::Plan]
};

/// The rules of `question`, as their file declares them.
const fn declared(question: Question) -> &'static [&'static Rule] {
    match question {
        Question::Why => why::RULES,
        Question::Who => who::RULES,
        Question::ByWhom => by_whom::RULES,
        Question::How => how::RULES,
        Question::WhenWhere => when_where::RULES,
        Question::CostReturn => cost_return::RULES,
        Question::Plan => crate::load::rules::RULES,
    }
}

/// The checks of the rules of `question`.
fn checks(question: Question) -> &'static [Check] {
    match question {
        Question::Why => why::CHECKS,
        Question::Who => who::CHECKS,
        Question::ByWhom => by_whom::CHECKS,
        Question::How => how::CHECKS,
        Question::WhenWhere => when_where::CHECKS,
        Question::CostReturn => cost_return::CHECKS,
        Question::Plan => super::plan::CHECKS,
    }
}

const COUNT: usize = {
    let (mut n, mut i) = (0, 0);
    while i < ORDER.len() {
        n += declared(ORDER[i]).len();
        i += 1;
    }
    n
};

/// Every declared rule, question by question in [`ORDER`].
const fn registry() -> [&'static Rule; COUNT] {
    let mut out = [&crate::load::rules::SYNTAX; COUNT];
    // The `i`th rule of the `q`th question goes to `out[at]`.
    let (mut at, mut q, mut i) = (0, 0, 0);
    while at < COUNT {
        if i == declared(ORDER[q]).len() {
            (q, i) = (q + 1, 0);
        } else {
            out[at] = declared(ORDER[q])[i];
            (at, i) = (at + 1, i + 1);
        }
    }
    out
}

/// Every rule, in the order of the format contract, built from the
/// declarations.
pub static RULES: &[&Rule] = &registry();

/// Looks a rule up by its name.
pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.name == name)
}

texts! {
    EXPLAIN_HEAD:
        "{summary}. Question: {question}. Default level: {level}."
        / "{summary}。所属问题：{question}。默认级别：{level}。";
    UNKNOWN_CLOSE:
        "unknown rule `{name}`: did you mean `{close}`?"
        / "没有规则 `{name}`：是不是要找 `{close}`？";
    UNKNOWN:
        "unknown rule `{name}`: `kaplan explain --list` lists every rule"
        / "没有规则 `{name}`：`kaplan explain --list` 会列出全部规则";
}

/// `kaplan explain RULE`: the rule's name, summary, question and level,
/// then its explanation, in `language`.
pub fn explain(rule: &Rule, language: Language) -> String {
    let summary = rule.summary.get(language);
    let summary = match language {
        // A sentence of its own: capitalised.
        Language::En => {
            let mut c = summary.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
        Language::ZhCn => summary.to_owned(),
    };
    let head = Message::new(&EXPLAIN_HEAD)
        .with("summary", summary)
        .with("question", rule.question.title(language))
        .with("level", Arg::Value("level", rule.level.as_str().to_owned()))
        .render(language);
    format!(
        "# {}\n\n{head}\n\n{}\n",
        rule.name,
        rule.explanation.get(language).trim()
    )
}

/// `kaplan explain --list`: every rule, its level and summary in `language`.
pub fn listing(language: Language) -> String {
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    RULES
        .iter()
        .map(|r| {
            format!(
                "{:width$}  {:7}  {}\n",
                r.name,
                r.level.as_str(),
                r.summary.get(language)
            )
        })
        .collect()
}

/// Why `name` is no rule, in `language`, with the rule it may mean.
pub fn unknown(name: &str, language: Language) -> String {
    let message = match crate::load::suggest(name, RULES.iter().map(|r| r.name)) {
        Some(close) => Message::new(&UNKNOWN_CLOSE).with("close", close),
        None => Message::new(&UNKNOWN),
    };
    message.with("name", name).render(language)
}

/// Runs every check of a rule the config does not turn off: diagnostics
/// about `plan.yaml` go to `sink`, those about other files to `other`.
pub(super) fn run(cx: &Ctx<'_>, sink: &mut Sink, other: &mut Vec<Diagnostic>) {
    for question in ORDER {
        for check in checks(question)
            .iter()
            .filter(|c| cx.config.level(c.rule).is_some())
        {
            let mut report = Report {
                rule: check.rule,
                sink,
                other,
            };
            (check.run)(cx, &mut report);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{ORDER, RULES, checks, declared};
    use crate::config::Language;
    use crate::message::has_chinese;

    /// The sections of an explanation, in order, in each language.
    const HEADINGS: [(Language, [&str; 4]); 2] = [
        (
            Language::En,
            [
                "## What it checks",
                "## Why it matters",
                "## Failing example",
                "## Passing example",
            ],
        ),
        (
            Language::ZhCn,
            [
                "## 检查什么",
                "## 为什么重要",
                "## 不通过的例子",
                "## 通过的例子",
            ],
        ),
    ];

    #[test]
    fn every_rule_is_documented_in_order_in_both_languages() {
        for rule in RULES {
            let (question, name) = rule
                .name
                .split_once('/')
                .expect("rule names are question/name");
            assert_eq!(question, rule.question.as_str(), "{}", rule.name);
            assert!(!name.is_empty(), "{}", rule.name);
            for (language, headings) in HEADINGS {
                let (summary, explanation) =
                    (rule.summary.get(language), rule.explanation.get(language));
                assert!(!summary.is_empty(), "{} {language:?}", rule.name);
                let mut at = 0;
                for h in headings {
                    let found = explanation[at..].find(h);
                    assert!(
                        found.is_some(),
                        "{} {language:?} lacks `{h}` (in order)",
                        rule.name
                    );
                    at += found.unwrap_or(0) + h.len();
                }
                assert!(
                    explanation.matches("```yaml").count() >= 2,
                    "{} {language:?} needs two YAML examples",
                    rule.name
                );
                // Chinese prose in the Chinese texts, none in the English.
                assert_eq!(
                    has_chinese(summary),
                    language == Language::ZhCn,
                    "{} {language:?}: {summary}",
                    rule.name
                );
            }
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

    /// The README's table of rules lists every rule, in order, with its
    /// default level.
    #[test]
    fn every_rule_is_in_the_readme_table() {
        let readme =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
                .expect("README.md");
        let section = readme
            .split("\n## ")
            .find(|s| s.starts_with("The checklist rules\n"))
            .expect("a section `The checklist rules`");
        let rows: Vec<(&str, &str)> = section
            .lines()
            .filter_map(|l| l.strip_prefix("| `")?.split_once("` | "))
            .filter_map(|(name, rest)| Some((name, rest.split_once(" |")?.0)))
            .collect();
        let rules: Vec<(&str, &str)> = RULES.iter().map(|r| (r.name, r.level.as_str())).collect();
        assert_eq!(rows, rules);
    }

    /// The registry and the checks are listed under the questions of their
    /// rules.
    #[test]
    fn every_rule_and_check_is_under_its_question() {
        for q in ORDER {
            for rule in declared(q) {
                assert_eq!(rule.question, q, "{}", rule.name);
            }
            for check in checks(q) {
                assert_eq!(check.rule.question, q, "{}", check.rule.name);
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
