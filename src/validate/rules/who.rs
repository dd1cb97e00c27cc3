//! Rules of the question Who — 对谁做: the buying centre and its key people.

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `who/no-stakeholders`: the plan names no stakeholders.
pub static NO_STAKEHOLDERS: Rule = Rule {
    name: "who/no-stakeholders",
    question: Question::Who,
    level: Level::Error,
    summary: "the plan names no stakeholders",
    explanation: "",
};

/// `who/no-decision-maker`: no stakeholder is the `economic-buyer`.
pub static NO_DECISION_MAKER: Rule = Rule {
    name: "who/no-decision-maker",
    question: Question::Who,
    level: Level::Error,
    summary: "no stakeholder is the `economic-buyer`",
    explanation: "",
};

/// `who/no-coach`: no stakeholder is a `coach`.
pub static NO_COACH: Rule = Rule {
    name: "who/no-coach",
    question: Question::Who,
    level: Level::Warning,
    summary: "no stakeholder is a `coach`",
    explanation: "",
};

/// `who/decision-maker-not-engaged`: no economic buyer has been contacted recently.
pub static DECISION_MAKER_NOT_ENGAGED: Rule = Rule {
    name: "who/decision-maker-not-engaged",
    question: Question::Who,
    level: Level::Warning,
    summary: "no economic buyer has been contacted recently",
    explanation: "",
};

/// `who/unknown-attitude`: an influential stakeholder's `attitude` is unknown.
pub static UNKNOWN_ATTITUDE: Rule = Rule {
    name: "who/unknown-attitude",
    question: Question::Who,
    level: Level::Warning,
    summary: "an influential stakeholder's `attitude` is unknown",
    explanation: "",
};

/// `who/opponent-unaddressed`: an influential skeptic or opponent is the target of no open action.
pub static OPPONENT_UNADDRESSED: Rule = Rule {
    name: "who/opponent-unaddressed",
    question: Question::Who,
    level: Level::Warning,
    summary: "an influential skeptic or opponent is the target of no open action",
    explanation: "",
};
