//! Diagnostics: what every stage reports, with the file and span it is about.

use std::fmt;

use serde::Serialize;

use crate::config::Language;
use crate::message::{Message, Text};
use crate::model::Span;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails `check` and blocks publishing.
    Error,
    /// Reported; fails only with `--deny warnings`.
    Warning,
}

impl Level {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The six planning questions, plus `plan` for format problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Question {
    /// 为什么要做: the problem solved and the goal.
    #[serde(rename = "why")]
    Why,
    /// 对谁做: the buying centre.
    #[serde(rename = "who")]
    Who,
    /// 谁来做: our team.
    #[serde(rename = "by-whom")]
    ByWhom,
    /// 怎么做: strategies and actions.
    #[serde(rename = "how")]
    How,
    /// 何时何地做: timing and venues.
    #[serde(rename = "when-where")]
    WhenWhere,
    /// 多大投入、有多少产出: cost versus return.
    #[serde(rename = "cost-return")]
    CostReturn,
    /// The plan file itself: syntax, fields, references.
    #[serde(rename = "plan")]
    Plan,
}

impl Question {
    /// The six checklist questions, in dossier order.
    pub(crate) const CHECKLIST: [Question; 6] = [
        Question::Why,
        Question::Who,
        Question::ByWhom,
        Question::How,
        Question::WhenWhere,
        Question::CostReturn,
    ];

    /// The question's name as used in rule names and JSON.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Question::Why => "why",
            Question::Who => "who",
            Question::ByWhom => "by-whom",
            Question::How => "how",
            Question::WhenWhere => "when-where",
            Question::CostReturn => "cost-return",
            Question::Plan => "plan",
        }
    }

    /// The question as a key-account manager asks it, in `language`.
    pub fn title(self, language: Language) -> &'static str {
        let (en, zh) = match self {
            Question::Why => ("Why — 为什么要做", "为什么要做"),
            Question::Who => ("Who — 对谁做", "对谁做"),
            Question::ByWhom => ("By whom — 谁来做", "谁来做"),
            Question::How => ("How — 怎么做", "怎么做"),
            Question::WhenWhere => ("When and where — 何时何地做", "何时何地做"),
            Question::CostReturn => (
                "Cost versus return — 多大投入、有多少产出",
                "多大投入、有多少产出",
            ),
            Question::Plan => ("The plan file", "计划文件"),
        };
        match language {
            Language::En => en,
            Language::ZhCn => zh,
        }
    }
}

impl fmt::Display for Question {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule: its stable name, its question, its default level and docs.
///
/// Rules are declared only with `declare_rules!`, and each stage reports
/// the rules it checks: the loader the `plan/*` rules (`load::rules`), each
/// checklist rule its own check (`validate::rules`). The registry
/// `validate::rules::RULES` is built from those declarations, and
/// `validate::finish` asserts (in debug builds) that every diagnostic's rule
/// is in it.
#[derive(Debug)]
pub struct Rule {
    /// `<question>/<name>`.
    pub name: &'static str,
    /// The planning question it belongs to.
    pub question: Question,
    /// Default level.
    pub level: Level,
    /// One line: what is wrong.
    pub summary: Text,
    /// Markdown: What it checks · Why it matters · Failing example · Passing
    /// example (in zh-CN: 检查什么 · 为什么重要 · 不通过的例子 · 通过的例子),
    /// from `src/validate/rules/docs/<language>/<name>.md`. Each example is
    /// a YAML block that the tests check: a fragment of `plan.yaml` whose
    /// top-level keys replace those of a minimal plan (see
    /// `tests/cli/rule_fixtures.rs`), checked on 2026-06-30; a
    /// `# git-date: YYYY-MM-DD` line commits it on that date.
    pub explanation: Text,
}

/// Declares the rules of one question, each once, in the order of the
/// format contract: a `pub static` per rule, its summary in both languages
/// (`"English" / "中文"`) and its explanations read from its two Markdown
/// files; and `RULES`, all of them in that order, from which the registry
/// is built.
macro_rules! declare_rules {
    (
        question: $question:ident;
        $(
            $(#[$doc:meta])*
            $id:ident {
                name: $name:literal,
                level: $level:ident,
                summary: $summary:literal / $summary_zh:literal $(,)?
            }
        )*
    ) => {
        $(
            $(#[$doc])*
            pub(crate) static $id: $crate::diagnostic::Rule = $crate::diagnostic::Rule {
                name: $name,
                question: $crate::diagnostic::Question::$question,
                level: $crate::diagnostic::Level::$level,
                summary: $crate::message::Text { en: $summary, zh: $summary_zh },
                explanation: $crate::message::Text {
                    en: include_str!(concat!(
                        env!("CARGO_MANIFEST_DIR"), "/src/validate/rules/docs/en/", $name, ".md"
                    )),
                    zh: include_str!(concat!(
                        env!("CARGO_MANIFEST_DIR"), "/src/validate/rules/docs/zh-CN/", $name, ".md"
                    )),
                },
            };
        )*

        /// These rules, in the order of the format contract.
        pub(crate) const RULES: &[&$crate::diagnostic::Rule] = &[$(&$id),*];
    };
}
pub(crate) use declare_rules;

/// One finding about one place in one file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The rule that fired.
    pub rule: &'static Rule,
    /// Its level after `kaplan.toml [rules]`.
    pub(crate) level: Level,
    /// The account id (its folder name); empty for repository-level files.
    pub(crate) account: String,
    /// The file, relative to the plans root, `/`-separated.
    pub file: String,
    /// Where in the file.
    pub span: Span,
    /// What is wrong, in one line.
    pub message: Message,
    /// How to fix it, when there is more to say than the rule's summary.
    pub(crate) help: Option<Message>,
}

impl Diagnostic {
    /// The sort key that keeps output deterministic: file, position, rule
    /// (then the message, for the rare ties).
    pub(crate) fn sort_key(&self) -> (&str, &str, Span, &str) {
        (&self.account, &self.file, self.span, self.rule.name)
    }

    /// What is wrong, in `language`.
    pub fn message(&self, language: Language) -> String {
        self.message.render(language)
    }

    /// How to fix it, in `language`, when there is more to say.
    pub fn help(&self, language: Language) -> Option<String> {
        self.help.as_ref().map(|h| h.render(language))
    }
}

/// Collects the diagnostics of one file.
#[derive(Debug)]
pub struct Sink {
    account: String,
    file: String,
    /// What has been reported so far.
    pub diagnostics: Vec<Diagnostic>,
}

impl Sink {
    /// A sink for `file` of `account`.
    pub fn new(account: &str, file: &str) -> Sink {
        Sink {
            account: account.to_owned(),
            file: file.to_owned(),
            diagnostics: Vec::new(),
        }
    }

    /// The account whose file is read.
    pub(crate) fn account(&self) -> &str {
        &self.account
    }

    /// The file being read.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    /// Reports `rule` at `span`.
    pub(crate) fn emit(&mut self, rule: &'static Rule, span: Span, message: impl Into<Message>) {
        self.push(rule, span, message.into(), None);
    }

    /// Reports `rule` at `span` with a help line.
    pub(crate) fn emit_help(
        &mut self,
        rule: &'static Rule,
        span: Span,
        message: impl Into<Message>,
        help: impl Into<Message>,
    ) {
        self.push(rule, span, message.into(), Some(help.into()));
    }

    fn push(&mut self, rule: &'static Rule, span: Span, message: Message, help: Option<Message>) {
        self.diagnostics.push(Diagnostic {
            rule,
            level: rule.level,
            account: self.account.clone(),
            file: self.file.clone(),
            span,
            message,
            help,
        });
    }
}
