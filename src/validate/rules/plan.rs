//! Rules of the question The plan file itself: syntax, fields, values and references.

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `plan/syntax`: the YAML or front matter does not parse.
pub static SYNTAX: Rule = Rule {
    name: "plan/syntax",
    question: Question::Plan,
    level: Level::Error,
    summary: "the YAML or front matter does not parse",
    explanation: "",
};

/// `plan/unknown-field`: a key the format does not know.
pub static UNKNOWN_FIELD: Rule = Rule {
    name: "plan/unknown-field",
    question: Question::Plan,
    level: Level::Error,
    summary: "a key the format does not know",
    explanation: "",
};

/// `plan/invalid-value`: a value has the wrong type, is out of range, or is not allowed.
pub static INVALID_VALUE: Rule = Rule {
    name: "plan/invalid-value",
    question: Question::Plan,
    level: Level::Error,
    summary: "a value has the wrong type, is out of range, or is not allowed",
    explanation: "",
};

/// `plan/duplicate-id`: an id appears twice in one list.
pub static DUPLICATE_ID: Rule = Rule {
    name: "plan/duplicate-id",
    question: Question::Plan,
    level: Level::Error,
    summary: "an id appears twice in one list",
    explanation: "",
};

/// `plan/dangling-reference`: an id reference points nowhere.
pub static DANGLING_REFERENCE: Rule = Rule {
    name: "plan/dangling-reference",
    question: Question::Plan,
    level: Level::Error,
    summary: "an id reference points nowhere",
    explanation: "",
};

/// `plan/missing-required`: a required field is missing.
pub static MISSING_REQUIRED: Rule = Rule {
    name: "plan/missing-required",
    question: Question::Plan,
    level: Level::Error,
    summary: "a required field is missing",
    explanation: "",
};

/// `plan/tier-mismatch`: the declared tier differs from the scorecard's tier.
pub static TIER_MISMATCH: Rule = Rule {
    name: "plan/tier-mismatch",
    question: Question::Plan,
    level: Level::Warning,
    summary: "the declared tier differs from the scorecard's tier",
    explanation: "",
};
