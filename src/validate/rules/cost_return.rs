//! Rules of the question Cost versus return — 多大投入、有多少产出.

use super::{Report, checked_rules};
use crate::message::{Arg, Message, texts};
use crate::model::Span;
use crate::validate::Ctx;

checked_rules! {
    question: CostReturn;

    /// `cost-return/no-costs`: the plan states no costs.
    NO_COSTS {
        check: no_costs,
        name: "cost-return/no-costs",
        level: Error,
        summary: "the plan states no costs"
            / "计划没有写投入",
    }

    /// `cost-return/no-returns`: the plan states no returns.
    NO_RETURNS {
        check: no_returns,
        name: "cost-return/no-returns",
        level: Error,
        summary: "the plan states no returns"
            / "计划没有写回报",
    }

    /// `cost-return/roi-below-threshold`: the expected ROI is below the threshold.
    ROI_BELOW_THRESHOLD {
        check: roi_below_threshold,
        name: "cost-return/roi-below-threshold",
        level: Warning,
        summary: "the expected ROI is below the threshold"
            / "预期投资回报率低于最低要求",
    }

    /// `cost-return/actions-over-budget`: the actions cost more than the plan's total cost.
    ACTIONS_OVER_BUDGET {
        check: actions_over_budget,
        name: "cost-return/actions-over-budget",
        level: Warning,
        summary: "the actions cost more than the plan's total cost"
            / "行动费用合计超过计划总投入",
    }

    /// `cost-return/unreviewed`: the plan's numbers have not been reviewed recently.
    UNREVIEWED {
        check: unreviewed,
        name: "cost-return/unreviewed",
        level: Warning,
        summary: "the plan's numbers have not been reviewed recently"
            / "计划的数字近期没有复盘",
    }
}

texts! {
    NO_COSTS_MSG:
        "the plan states no costs: what will winning this account take?"
        / "计划没有写投入：拿下这个客户需要投入多少？";
    NO_COSTS_HELP:
        "add `costs:` — people, travel, pilots, discounts — with amounts and periods"
        / "添加 `costs:`，写明人力、差旅、试点、折让等各项投入的金额和期间";
    NO_RETURNS_MSG:
        "the plan states no returns: what do we expect back?"
        / "计划没有写回报：我们期望得到多少产出？";
    NO_RETURNS_HELP:
        "add `returns:` with amounts, probabilities and periods"
        / "添加 `returns:`，写明金额、赢单概率和期间";
    ROI_MSG:
        "the expected ROI is {roi}, below the threshold {min}: expected return {expected} against total cost {cost}"
        / "预期投资回报率为 {roi}，低于最低要求 {min}：预期回报 {expected}，总投入 {cost}";
    ROI_HELP:
        "cut costs, raise returns or their probability — or justify the account and set `[thresholds] min_roi`"
        / "压缩投入、提高回报或赢单概率；如确有战略理由，写明理由并调整 `[thresholds] min_roi`";
    OVER_BUDGET_MSG:
        "the actions cost {actions} in total, more than the plan's total cost of {cost}"
        / "各项行动费用合计 {actions}，超过计划总投入 {cost}";
    OVER_BUDGET_HELP:
        "add the missing costs to `costs:`, or trim the actions"
        / "把遗漏的投入补进 `costs:`，或者压缩行动";
    UNREVIEWED_MSG:
        "the plan was last reviewed {date}, {days} ago (more than {limit})"
        / "计划最近一次复盘是 {date}，已过去 {days}（超过 {limit}）";
    UNREVIEWED_HELP:
        "challenge the numbers with the sponsor and update `review.last_reviewed`"
        / "和高层发起人一起重新审视这些数字，并更新 `review.last_reviewed`";
    NEVER_REVIEWED_MSG:
        "the plan's numbers have never been reviewed"
        / "计划的数字从未复盘过";
    NEVER_REVIEWED_HELP:
        "add `review:` with `last_reviewed`, `by` and `notes`"
        / "添加 `review:`，写明 `last_reviewed`、`by` 和 `notes`";
}

fn no_costs(cx: &Ctx<'_>, out: &mut Report<'_>) {
    out.empty_list(
        cx,
        "costs",
        cx.plan.costs.is_empty(),
        &NO_COSTS_MSG,
        &NO_COSTS_HELP,
    );
}

fn no_returns(cx: &Ctx<'_>, out: &mut Report<'_>) {
    out.empty_list(
        cx,
        "returns",
        cx.plan.returns.is_empty(),
        &NO_RETURNS_MSG,
        &NO_RETURNS_HELP,
    );
}

/// Figures are wrong, not low, when an amount could not be read.
fn costs_lost(cx: &Ctx<'_>) -> bool {
    cx.lost("costs") || cx.plan.costs.iter().any(|c| c.keys.lost("amount"))
}

fn roi_below_threshold(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let plan = cx.plan;
    let f = cx.figures;
    let returns_lost = cx.lost("returns")
        || plan
            .returns
            .iter()
            .any(|r| r.keys.lost("amount") || r.keys.lost("probability"));
    let min = cx.config.thresholds.min_roi;
    if let Some(roi) = f.roi
        && roi < min
        && !costs_lost(cx)
        && !returns_lost
    {
        let at = plan
            .keys
            .get("returns")
            .unwrap_or_else(|| cx.top_key("costs"));
        out.emit_help(
            at,
            Message::new(&ROI_MSG)
                .with("roi", Arg::Percent(roi))
                .with("min", Arg::Percent(min))
                .with("expected", cx.money(f.expected_return))
                .with("cost", cx.money(f.total_cost)),
            &ROI_HELP,
        );
    }
}

fn actions_over_budget(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let f = cx.figures;
    if f.action_cost > f.total_cost && !costs_lost(cx) {
        out.emit_help(
            cx.top_key("costs"),
            Message::new(&OVER_BUDGET_MSG)
                .with("actions", cx.money(f.action_cost))
                .with("cost", cx.money(f.total_cost)),
            &OVER_BUDGET_HELP,
        );
    }
}

fn unreviewed(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let days = i64::from(cx.config.thresholds.review_days);
    let review = cx.plan.review.as_ref();
    match review.and_then(|r| r.last_reviewed.as_ref()) {
        Some(d) if d.days_until(cx.today) > days => out.emit_help(
            d.span,
            Message::new(&UNREVIEWED_MSG)
                .with("date", d.value)
                .with("days", Arg::Days(d.days_until(cx.today)))
                .with("limit", Arg::Days(days)),
            &UNREVIEWED_HELP,
        ),
        Some(_) => {}
        None if cx.lost("review") || review.is_some_and(|r| r.keys.lost("last_reviewed")) => {}
        None => {
            let at = review.map_or(Span::FILE, |_| cx.top_key("review"));
            out.emit_help(at, &NEVER_REVIEWED_MSG, &NEVER_REVIEWED_HELP);
        }
    }
}
