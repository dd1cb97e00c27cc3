//! The checklist page: every diagnostic, by question and rule.

use serde::Serialize;

use super::{Builder, DiagCx};
use crate::diagnostic::{Diagnostic, Level, Question};

/// One rule's diagnostics.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RuleGroup {
    /// Rule name.
    pub(crate) name: &'static str,
    /// Rule summary.
    pub(crate) summary: String,
    /// The diagnostics.
    pub(crate) items: Vec<DiagCx>,
}

/// One question's rules.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuestionGroup {
    /// `why`, ...
    pub(crate) question: &'static str,
    /// Translated question.
    pub(crate) label: String,
    /// The question in full.
    pub(crate) long_label: String,
    /// Rules that fired.
    pub(crate) rules: Vec<RuleGroup>,
    /// Errors under this question.
    pub(crate) errors: usize,
    /// Warnings under this question.
    pub(crate) warnings: usize,
}

impl Builder<'_> {
    pub(crate) fn checklist(&self, base: &str) -> Vec<QuestionGroup> {
        let mut questions: Vec<Question> = Question::CHECKLIST.to_vec();
        questions.push(Question::Plan);
        questions
            .into_iter()
            .map(|q| {
                let mine: Vec<&Diagnostic> = self
                    .scope
                    .diagnostics
                    .iter()
                    .filter(|d| d.rule.question == q)
                    .collect();
                let rules = crate::validate::rules::RULES
                    .iter()
                    .filter(|r| r.question == q)
                    .filter_map(|r| {
                        let items: Vec<DiagCx> = mine
                            .iter()
                            .filter(|d| d.rule.name == r.name)
                            .map(|d| self.diag(d, base))
                            .collect();
                        (!items.is_empty()).then_some(RuleGroup {
                            name: r.name,
                            summary: crate::text::without_code_marks(
                                r.summary.get(self.locale.language),
                            ),
                            items,
                        })
                    })
                    .collect();
                let errors = mine.iter().filter(|d| d.level == Level::Error).count();
                QuestionGroup {
                    question: q.as_str(),
                    label: self.t(&format!("question.{}", q.as_str())),
                    long_label: self.t(&format!("question_long.{}", q.as_str())),
                    rules,
                    errors,
                    warnings: mine.len() - errors,
                }
            })
            .collect()
    }
}
