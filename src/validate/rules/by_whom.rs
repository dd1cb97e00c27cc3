//! Rules of the question By whom — 谁来做: our people, their roles and authority.

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `by-whom/no-team`: the plan names no team.
pub static NO_TEAM: Rule = Rule {
    name: "by-whom/no-team",
    question: Question::ByWhom,
    level: Level::Error,
    summary: "the plan names no team",
    explanation: "",
};

/// `by-whom/unassigned-action`: an action has no `owner`.
pub static UNASSIGNED_ACTION: Rule = Rule {
    name: "by-whom/unassigned-action",
    question: Question::ByWhom,
    level: Level::Error,
    summary: "an action has no `owner`",
    explanation: "",
};

/// `by-whom/no-executive-sponsor`: a platinum account has no `executive-sponsor`.
pub static NO_EXECUTIVE_SPONSOR: Rule = Rule {
    name: "by-whom/no-executive-sponsor",
    question: Question::ByWhom,
    level: Level::Warning,
    summary: "a platinum account has no `executive-sponsor`",
    explanation: "",
};
