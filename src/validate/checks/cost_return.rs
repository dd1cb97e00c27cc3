//! Cost versus return — 多大投入、有多少产出.

use crate::i18n::percent;
use crate::model::Span;
use crate::validate::Ctx;
use crate::validate::rules::cost_return::*;

pub(super) fn check(cx: &mut Ctx<'_>) {
    let plan = cx.plan;
    let f = cx.figures;
    // Figures are wrong, not low, when an amount could not be read.
    let costs_lost = cx.lost("costs") || plan.costs.iter().any(|c| c.keys.lost("amount"));
    let returns_lost = cx.lost("returns")
        || plan
            .returns
            .iter()
            .any(|r| r.keys.lost("amount") || r.keys.lost("probability"));
    if plan.costs.is_empty() && !cx.lost("costs") {
        cx.sink.emit_help(
            &NO_COSTS,
            cx.top_key("costs"),
            "the plan states no costs: what will winning this account take?",
            "add `costs:` — people, travel, pilots, discounts — with amounts and periods",
        );
    }
    if plan.returns.is_empty() && !cx.lost("returns") {
        cx.sink.emit_help(
            &NO_RETURNS,
            cx.top_key("returns"),
            "the plan states no returns: what do we expect back?",
            "add `returns:` with amounts, probabilities and periods",
        );
    }
    let min = cx.config.thresholds.min_roi;
    // Amounts in the site's one money format, ROI as a percentage.
    let locale = crate::i18n::Locale::shared(cx.config.language);
    let currency = plan
        .currency
        .as_ref()
        .map_or(cx.config.currency.as_str(), |c| c.value.as_str());
    let money = |v: f64| locale.money(v, currency);
    if let Some(roi) = f.roi
        && roi < min
        && !costs_lost
        && !returns_lost
    {
        let at = plan
            .keys
            .get("returns")
            .unwrap_or_else(|| cx.top_key("costs"));
        cx.sink.emit_help(
            &ROI_BELOW_THRESHOLD,
            at,
            format!(
                "the expected ROI is {}, below the threshold {}: expected return {} against total cost {}",
                percent(roi),
                percent(min),
                money(f.expected_return),
                money(f.total_cost)
            ),
            "cut costs, raise returns or their probability — or justify the account and set `[thresholds] min_roi`",
        );
    }
    if f.action_cost > f.total_cost && !costs_lost {
        cx.sink.emit_help(
            &ACTIONS_OVER_BUDGET,
            cx.top_key("costs"),
            format!(
                "the actions cost {} in total, more than the plan's total cost of {}",
                money(f.action_cost),
                money(f.total_cost)
            ),
            "add the missing costs to `costs:`, or trim the actions",
        );
    }
    let days = i64::from(cx.config.thresholds.review_days);
    let review = plan.review.as_ref();
    match review.and_then(|r| r.last_reviewed.as_ref()) {
        Some(d) if d.days_until(cx.today) > days => cx.sink.emit_help(
            &UNREVIEWED,
            d.span,
            format!(
                "the plan was last reviewed {d}, {} days ago (more than {days})",
                d.days_until(cx.today)
            ),
            "challenge the numbers with the sponsor and update `review.last_reviewed`",
        ),
        Some(_) => {}
        None if cx.lost("review") || review.is_some_and(|r| r.keys.lost("last_reviewed")) => {}
        None => {
            let at = review.map_or(Span::FILE, |_| cx.top_key("review"));
            cx.sink.emit_help(
                &UNREVIEWED,
                at,
                "the plan's numbers have never been reviewed",
                "add `review:` with `last_reviewed`, `by` and `notes`",
            );
        }
    }
}
