//! Rules of the question When and where — 何时何地做: timing windows and venues.

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `when-where/undated-action`: an action has no `due` date.
pub static UNDATED_ACTION: Rule = Rule {
    name: "when-where/undated-action",
    question: Question::WhenWhere,
    level: Level::Error,
    summary: "an action has no `due` date",
    explanation: "",
};

/// `when-where/overdue-action`: an open action is past its `due` date.
pub static OVERDUE_ACTION: Rule = Rule {
    name: "when-where/overdue-action",
    question: Question::WhenWhere,
    level: Level::Warning,
    summary: "an open action is past its `due` date",
    explanation: "",
};

/// `when-where/no-milestones`: the plan has no milestones.
pub static NO_MILESTONES: Rule = Rule {
    name: "when-where/no-milestones",
    question: Question::WhenWhere,
    level: Level::Warning,
    summary: "the plan has no milestones",
    explanation: "",
};

/// `when-where/no-venue`: a milestone or a meeting action does not say `where`.
pub static NO_VENUE: Rule = Rule {
    name: "when-where/no-venue",
    question: Question::WhenWhere,
    level: Level::Warning,
    summary: "a milestone or a meeting action does not say `where`",
    explanation: "",
};
