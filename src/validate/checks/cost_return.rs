//! Cost versus return — 多大投入、有多少产出.

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
                "the expected ROI is {:.2}, below the threshold {min}: expected return {} against total cost {}",
                roi,
                amount(f.expected_return),
                amount(f.total_cost)
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
                amount(f.action_cost),
                amount(f.total_cost)
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

/// An amount for messages: grouped digits, no decimals unless needed.
fn amount(v: f64) -> String {
    let rounded = v.round();
    if (v - rounded).abs() > 1e-9 {
        return format!("{v:.2}");
    }
    let digits = format!("{}", rounded.abs() as u128);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_are_grouped() {
        assert_eq!(super::amount(1_234_567.0), "1,234,567");
        assert_eq!(super::amount(12.5), "12.50");
        assert_eq!(super::amount(0.0), "0");
    }
}
