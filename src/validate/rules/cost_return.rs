//! Rules of the question Cost versus return — 多大投入、有多少产出.

use super::{Report, checked_rules};
use crate::i18n::percent;
use crate::model::Span;
use crate::validate::Ctx;

checked_rules! {
    question: CostReturn;

    /// `cost-return/no-costs`: the plan states no costs.
    NO_COSTS {
        check: no_costs,
        name: "cost-return/no-costs",
        level: Error,
        summary: "the plan states no costs",
        explanation: r#"## What it checks

Fires when the plan states no costs: the `costs` key is missing or is an empty list. The diagnostic points at the `costs:` key if it is written, else at the top of the file.

## Why it matters

多大投入: a key account consumes people, travel, pilots and discounts. Without the cost side the return cannot be judged, ROI and payback are undefined, and management cannot compare this account with the others competing for the same resources.

## Failing example

```yaml
costs: []
```

## Passing example

```yaml
costs:
  - item: Solution architect, two days a week
    category: people
    amount: 240000
  - item: Pilot deployment
    category: pilot
    amount: 800000
```
"#,
    }

    /// `cost-return/no-returns`: the plan states no returns.
    NO_RETURNS {
        check: no_returns,
        name: "cost-return/no-returns",
        level: Error,
        summary: "the plan states no returns",
        explanation: r#"## What it checks

Fires when the plan states no returns: the `returns` key is missing or is an empty list. The diagnostic points at the `returns:` key if it is written, else at the top of the file.

## Why it matters

有多少产出: the expected return, weighted by the probability of winning, is what justifies the investment in the account. Without it the plan cannot show ROI or payback, and the account's budget is the first to be cut in the next round.

## Failing example

```yaml
returns: []
```

## Passing example

```yaml
returns:
  - item: Province A contract
    objective: grow-5g
    amount: 5000000
    probability: 0.6
    period: 2026-Q4
```
"#,
    }

    /// `cost-return/roi-below-threshold`: the expected ROI is below the threshold.
    ROI_BELOW_THRESHOLD {
        check: roi_below_threshold,
        name: "cost-return/roi-below-threshold",
        level: Warning,
        summary: "the expected ROI is below the threshold",
        explanation: r#"## What it checks

Fires when ROI = (expected return − total cost) / total cost is below `min_roi` (default 0.5, that is 50%; `[thresholds] min_roi` in kaplan.toml, written as a ratio), where the expected return is Σ `amount` × `probability` (probability defaults to 1). It is not checked when the total cost is 0. The diagnostic points at the `returns:` key; its message, like the site, gives the ROI as a percentage.

## Why it matters

Serving a key account has to pay back. A low ROI points to over-investment (free pilots, deep discounts), to win probabilities that are honest but low, or to a return that is missing from the plan. Either fix the numbers, or make and document a conscious decision to invest in the relationship.

## Failing example

```yaml
costs:
  - item: Free pilot deployment
    category: pilot
    amount: 800000
returns:
  - item: Province A contract
    amount: 1000000
    probability: 0.6   # ROI = (600000 - 800000) / 800000 = -0.25, i.e. -25%
```

## Passing example

```yaml
costs:
  - item: Pilot deployment, half paid by the customer
    category: pilot
    amount: 400000
returns:
  - item: Province A contract
    amount: 1000000
    probability: 0.6   # ROI = (600000 - 400000) / 400000 = 0.5, i.e. 50%
```
"#,
    }

    /// `cost-return/actions-over-budget`: the actions cost more than the plan's total cost.
    ACTIONS_OVER_BUDGET {
        check: actions_over_budget,
        name: "cost-return/actions-over-budget",
        level: Warning,
        summary: "the actions cost more than the plan's total cost",
        explanation: r#"## What it checks

Fires when the sum of the actions' `cost` is greater than the total of the `costs` amounts. The diagnostic points at the `costs:` key.

## Why it matters

The `costs` list is the budget management has approved; the actions are how it gets spent. When the actions already cost more than the budget, the plan is either under-budgeted or over-committed, and it is better to find that out while planning than when the expense claims arrive.

## Failing example

```yaml
costs:
  - item: Customer events
    category: marketing
    amount: 50000
actions:
  - id: cto-workshop
    cost: 30000
  - id: hangzhou-lab-visit
    cost: 40000
```

## Passing example

```yaml
costs:
  - item: Customer events
    category: marketing
    amount: 80000
actions:
  - id: cto-workshop
    cost: 30000
  - id: hangzhou-lab-visit
    cost: 40000
```
"#,
    }

    /// `cost-return/unreviewed`: the plan's numbers have not been reviewed recently.
    UNREVIEWED {
        check: unreviewed,
        name: "cost-return/unreviewed",
        level: Warning,
        summary: "the plan's numbers have not been reviewed recently",
        explanation: r#"## What it checks

Fires when `review.last_reviewed` is missing or is more than `review_days` (default 90; `[thresholds] review_days` in kaplan.toml) before today. The diagnostic points at the `last_reviewed` value, else at the `review:` key, else at the top of the file.

## Why it matters

投入价值的评估与修正: probabilities, tender dates and customer budgets change every quarter. A plan whose numbers nobody has challenged recently overstates the pipeline and keeps resources on deals that have gone cold; a regular review with the executive sponsor keeps the ROI honest.

## Failing example

```yaml
review:
  last_reviewed: 2026-02-01   # more than 90 days before 2026-06-30
  by: chen-jie
```

## Passing example

```yaml
review:
  last_reviewed: 2026-06-05
  by: chen-jie
  notes: Lowered province B probability after the tender delay.
```
"#,
    }
}

fn no_costs(cx: &Ctx<'_>, out: &mut Report<'_>) {
    out.empty_list(
        cx,
        "costs",
        cx.plan.costs.is_empty(),
        "the plan states no costs: what will winning this account take?",
        "add `costs:` — people, travel, pilots, discounts — with amounts and periods",
    );
}

fn no_returns(cx: &Ctx<'_>, out: &mut Report<'_>) {
    out.empty_list(
        cx,
        "returns",
        cx.plan.returns.is_empty(),
        "the plan states no returns: what do we expect back?",
        "add `returns:` with amounts, probabilities and periods",
    );
}

/// Figures are wrong, not low, when an amount could not be read.
fn costs_lost(cx: &Ctx<'_>) -> bool {
    cx.lost("costs") || cx.plan.costs.iter().any(|c| c.keys.lost("amount"))
}

/// An amount in the site's one money format.
fn money(cx: &Ctx<'_>, v: f64) -> String {
    let currency = cx
        .plan
        .currency
        .as_ref()
        .map_or(cx.config.currency.as_str(), |c| c.value.as_str());
    crate::i18n::Locale::shared(cx.config.language).money(v, currency)
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
            format!(
                "the expected ROI is {}, below the threshold {}: expected return {} against total cost {}",
                percent(roi),
                percent(min),
                money(cx, f.expected_return),
                money(cx, f.total_cost)
            ),
            "cut costs, raise returns or their probability — or justify the account and set `[thresholds] min_roi`",
        );
    }
}

fn actions_over_budget(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let f = cx.figures;
    if f.action_cost > f.total_cost && !costs_lost(cx) {
        out.emit_help(
            cx.top_key("costs"),
            format!(
                "the actions cost {} in total, more than the plan's total cost of {}",
                money(cx, f.action_cost),
                money(cx, f.total_cost)
            ),
            "add the missing costs to `costs:`, or trim the actions",
        );
    }
}

fn unreviewed(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let days = i64::from(cx.config.thresholds.review_days);
    let review = cx.plan.review.as_ref();
    match review.and_then(|r| r.last_reviewed.as_ref()) {
        Some(d) if d.days_until(cx.today) > days => out.emit_help(
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
            out.emit_help(
                at,
                "the plan's numbers have never been reviewed",
                "add `review:` with `last_reviewed`, `by` and `notes`",
            );
        }
    }
}
