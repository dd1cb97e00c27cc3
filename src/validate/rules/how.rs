//! Rules of the question How — 怎么做: strategies, and the actions and resources behind them.

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `how/objective-without-action`: no action serves an objective.
pub static OBJECTIVE_WITHOUT_ACTION: Rule = Rule {
    name: "how/objective-without-action",
    question: Question::How,
    level: Level::Error,
    summary: "no action serves an objective",
    explanation: "",
};

/// `how/strategy-without-action`: a strategy has no action.
pub static STRATEGY_WITHOUT_ACTION: Rule = Rule {
    name: "how/strategy-without-action",
    question: Question::How,
    level: Level::Warning,
    summary: "a strategy has no action",
    explanation: "",
};

/// `how/orphan-action`: an action serves no strategy and no objective.
pub static ORPHAN_ACTION: Rule = Rule {
    name: "how/orphan-action",
    question: Question::How,
    level: Level::Warning,
    summary: "an action serves no strategy and no objective",
    explanation: "",
};
