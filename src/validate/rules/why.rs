//! Rules of the question Why — 为什么要做: is the goal clear, and what problem does it solve?

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `why/no-objectives`: the plan has no objectives.
pub static NO_OBJECTIVES: Rule = Rule {
    name: "why/no-objectives",
    question: Question::Why,
    level: Level::Error,
    summary: "the plan has no objectives",
    explanation: "",
};

/// `why/objective-not-measurable`: an objective lacks a `metric` or a `target`.
pub static OBJECTIVE_NOT_MEASURABLE: Rule = Rule {
    name: "why/objective-not-measurable",
    question: Question::Why,
    level: Level::Error,
    summary: "an objective lacks a `metric` or a `target`",
    explanation: "",
};

/// `why/objective-no-deadline`: an objective has no `due` date.
pub static OBJECTIVE_NO_DEADLINE: Rule = Rule {
    name: "why/objective-no-deadline",
    question: Question::Why,
    level: Level::Error,
    summary: "an objective has no `due` date",
    explanation: "",
};

/// `why/objective-outside-period`: an objective is due outside the plan's period.
pub static OBJECTIVE_OUTSIDE_PERIOD: Rule = Rule {
    name: "why/objective-outside-period",
    question: Question::Why,
    level: Level::Warning,
    summary: "an objective is due outside the plan's period",
    explanation: "",
};

/// `why/missing-rationale`: an objective does not say `why` it matters to the customer.
pub static MISSING_RATIONALE: Rule = Rule {
    name: "why/missing-rationale",
    question: Question::Why,
    level: Level::Warning,
    summary: "an objective does not say `why` it matters to the customer",
    explanation: "",
};
