//! Rules of the question Cost versus return — 多大投入、有多少产出.

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `cost-return/no-costs`: the plan states no costs.
pub static NO_COSTS: Rule = Rule {
    name: "cost-return/no-costs",
    question: Question::CostReturn,
    level: Level::Error,
    summary: "the plan states no costs",
    explanation: "",
};

/// `cost-return/no-returns`: the plan states no returns.
pub static NO_RETURNS: Rule = Rule {
    name: "cost-return/no-returns",
    question: Question::CostReturn,
    level: Level::Error,
    summary: "the plan states no returns",
    explanation: "",
};

/// `cost-return/roi-below-threshold`: the expected ROI is below the threshold.
pub static ROI_BELOW_THRESHOLD: Rule = Rule {
    name: "cost-return/roi-below-threshold",
    question: Question::CostReturn,
    level: Level::Warning,
    summary: "the expected ROI is below the threshold",
    explanation: "",
};

/// `cost-return/actions-over-budget`: the actions cost more than the plan's total cost.
pub static ACTIONS_OVER_BUDGET: Rule = Rule {
    name: "cost-return/actions-over-budget",
    question: Question::CostReturn,
    level: Level::Warning,
    summary: "the actions cost more than the plan's total cost",
    explanation: "",
};

/// `cost-return/unreviewed`: the plan's numbers have not been reviewed recently.
pub static UNREVIEWED: Rule = Rule {
    name: "cost-return/unreviewed",
    question: Question::CostReturn,
    level: Level::Warning,
    summary: "the plan's numbers have not been reviewed recently",
    explanation: "",
};
