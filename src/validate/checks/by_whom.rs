//! By whom — 谁来做.

use super::{label, start};
use crate::model::{TeamRole, Tier};
use crate::validate::Ctx;
use crate::validate::rules::by_whom::*;

pub(super) fn check(cx: &mut Ctx<'_>) {
    let plan = cx.plan;
    if plan.team.is_empty() && !cx.lost("team") {
        cx.sink.emit_help(
            &NO_TEAM,
            cx.top_key("team"),
            "the plan names no team: who on our side does the work?",
            "add `team:` with the account manager (the `account.owner`) and the people behind them",
        );
    }
    for a in &plan.actions {
        if a.keys.missing("owner") {
            cx.sink.emit_help(
                &UNASSIGNED_ACTION,
                start(a.span),
                format!("{} has no owner", label(a.id.as_ref(), "action")),
                "add `owner:` with the id of the team member who answers for it",
            );
        }
    }
    let declared = plan
        .account
        .as_ref()
        .and_then(|a| a.tier.as_ref())
        .map(|t| t.value);
    let tier = declared.or(cx.figures.computed_tier);
    let has_sponsor = plan.team.iter().any(|m| {
        m.role
            .as_ref()
            .is_some_and(|r| r.value == TeamRole::ExecutiveSponsor)
    });
    // A tier or a team role that could not be read may change the answer.
    let unread = cx.lost("team")
        || plan.account.as_ref().is_some_and(|a| a.keys.lost("tier"))
        || plan.team.iter().any(|m| m.keys.lost("role"));
    if tier == Some(Tier::Platinum) && !has_sponsor && !unread {
        let how = if declared.is_some() {
            "declared"
        } else {
            "computed from the scorecard"
        };
        cx.sink.emit_help(
            &NO_EXECUTIVE_SPONSOR,
            cx.top_key("team"),
            format!("a platinum account (tier {how}) has no executive sponsor in the team"),
            "name a senior executive with `role: executive-sponsor`",
        );
    }
}
