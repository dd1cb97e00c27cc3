//! Rules of the question By whom — 谁来做: our people, their roles and authority.

use super::{Report, checked_rules};
use crate::message::{Message, texts};
use crate::model::{TeamRole, Tier};
use crate::validate::{ACTION, Ctx, start, thing};

checked_rules! {
    question: ByWhom;

    /// `by-whom/no-team`: the plan names no team.
    NO_TEAM {
        check: no_team,
        name: "by-whom/no-team",
        level: Error,
        summary: "the plan names no team"
            / "计划没有列出团队",
    }

    /// `by-whom/unassigned-action`: an action has no `owner`.
    UNASSIGNED_ACTION {
        check: unassigned_action,
        name: "by-whom/unassigned-action",
        level: Error,
        summary: "an action has no `owner`"
            / "行动没有负责人（`owner`）",
    }

    /// `by-whom/no-executive-sponsor`: a platinum account has no `executive-sponsor`.
    NO_EXECUTIVE_SPONSOR {
        check: no_executive_sponsor,
        name: "by-whom/no-executive-sponsor",
        level: Warning,
        summary: "a platinum account has no `executive-sponsor`"
            / "白金客户没有高层发起人（`executive-sponsor`）",
    }
}

texts! {
    NO_TEAM_MSG:
        "the plan names no team: who on our side does the work?"
        / "计划没有列出团队：我方由谁来做？";
    NO_TEAM_HELP:
        "add `team:` with the account manager (the `account.owner`) and the people behind them"
        / "添加 `team:`，写上客户经理（即 `account.owner`）和支撑他的同事";
    UNASSIGNED_MSG: "{action} has no owner" / "{action}没有负责人";
    UNASSIGNED_HELP:
        "add `owner:` with the id of the team member who answers for it"
        / "添加 `owner:`，填写对此负责的团队成员的 id";
    NO_SPONSOR_DECLARED:
        "a platinum account (tier declared) has no executive sponsor in the team"
        / "白金客户（等级为声明值）的团队里没有高层发起人";
    NO_SPONSOR_COMPUTED:
        "a platinum account (tier computed from the scorecard) has no executive sponsor in the team"
        / "白金客户（等级由评分卡算出）的团队里没有高层发起人";
    NO_SPONSOR_HELP:
        "name a senior executive with `role: executive-sponsor`"
        / "指定一位高管，标为 `role: executive-sponsor`";
}

fn no_team(cx: &Ctx<'_>, out: &mut Report<'_>) {
    out.empty_list(
        cx,
        "team",
        cx.plan.team.is_empty(),
        &NO_TEAM_MSG,
        &NO_TEAM_HELP,
    );
}

fn unassigned_action(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for a in &cx.plan.actions {
        if a.keys.missing("owner") {
            out.emit_help(
                start(a.span),
                Message::new(&UNASSIGNED_MSG)
                    .with("action", thing(&ACTION, a.id.as_ref(), a.title.as_ref())),
                &UNASSIGNED_HELP,
            );
        }
    }
}

fn no_executive_sponsor(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let plan = cx.plan;
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
        let message = if declared.is_some() {
            &NO_SPONSOR_DECLARED
        } else {
            &NO_SPONSOR_COMPUTED
        };
        out.emit_help(cx.top_key("team"), message, &NO_SPONSOR_HELP);
    }
}
