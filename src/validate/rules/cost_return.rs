//! Rules of the question Cost versus return — 多大投入、有多少产出.

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `cost-return/no-costs`: the plan states no costs.
pub static NO_COSTS: Rule = Rule {
    name: "cost-return/no-costs",
    question: Question::CostReturn,
    level: Level::Error,
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
};

/// `cost-return/no-returns`: the plan states no returns.
pub static NO_RETURNS: Rule = Rule {
    name: "cost-return/no-returns",
    question: Question::CostReturn,
    level: Level::Error,
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
};

/// `cost-return/roi-below-threshold`: the expected ROI is below the threshold.
pub static ROI_BELOW_THRESHOLD: Rule = Rule {
    name: "cost-return/roi-below-threshold",
    question: Question::CostReturn,
    level: Level::Warning,
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
};

/// `cost-return/actions-over-budget`: the actions cost more than the plan's total cost.
pub static ACTIONS_OVER_BUDGET: Rule = Rule {
    name: "cost-return/actions-over-budget",
    question: Question::CostReturn,
    level: Level::Warning,
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
};

/// `cost-return/unreviewed`: the plan's numbers have not been reviewed recently.
pub static UNREVIEWED: Rule = Rule {
    name: "cost-return/unreviewed",
    question: Question::CostReturn,
    level: Level::Warning,
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
};
