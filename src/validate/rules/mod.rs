//! The rule registry: every checklist rule, its level and its documentation.
//!
//! Adding a rule is adding one entry here (in its question's file and in
//! [`RULES`]), its check, and a fixture pair under `tests/rules/`.

pub mod by_whom;
pub mod cost_return;
pub mod how;
pub mod plan;
pub mod when_where;
pub mod who;
pub mod why;

use super::Rule;

/// Every rule, in the order of the format contract.
pub static RULES: &[&Rule] = &[
    &why::NO_OBJECTIVES,
    &why::OBJECTIVE_NOT_MEASURABLE,
    &why::OBJECTIVE_NO_DEADLINE,
    &why::OBJECTIVE_OUTSIDE_PERIOD,
    &why::MISSING_RATIONALE,
    &why::OBJECTIVE_MISSED,
    &who::NO_STAKEHOLDERS,
    &who::NO_DECISION_MAKER,
    &who::NO_COACH,
    &who::DECISION_MAKER_NOT_ENGAGED,
    &who::UNKNOWN_ATTITUDE,
    &who::OPPONENT_UNADDRESSED,
    &who::KEY_PERSON_NOT_ENGAGED,
    &by_whom::NO_TEAM,
    &by_whom::UNASSIGNED_ACTION,
    &by_whom::NO_EXECUTIVE_SPONSOR,
    &how::OBJECTIVE_WITHOUT_ACTION,
    &how::STRATEGY_WITHOUT_ACTION,
    &how::ORPHAN_ACTION,
    &how::ACTION_AFTER_OBJECTIVE,
    &when_where::UNDATED_ACTION,
    &when_where::OVERDUE_ACTION,
    &when_where::NO_MILESTONES,
    &when_where::NO_VENUE,
    &when_where::MILESTONE_OUTSIDE_PERIOD,
    &cost_return::NO_COSTS,
    &cost_return::NO_RETURNS,
    &cost_return::ROI_BELOW_THRESHOLD,
    &cost_return::ACTIONS_OVER_BUDGET,
    &cost_return::UNREVIEWED,
    &plan::SYNTAX,
    &plan::UNKNOWN_FIELD,
    &plan::INVALID_VALUE,
    &plan::DUPLICATE_ID,
    &plan::DANGLING_REFERENCE,
    &plan::MISSING_REQUIRED,
    &plan::TIER_MISMATCH,
    &plan::STALE,
];

/// Looks a rule up by its name.
pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.name == name)
}
