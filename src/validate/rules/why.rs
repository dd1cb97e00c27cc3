//! Rules of the question Why — 为什么要做: is the goal clear, and what problem does it solve?

use super::{Report, checked_rules};
use crate::text::number;
use crate::validate::{Ctx, days, label, start, titled};

checked_rules! {
    question: Why;

    /// `why/no-objectives`: the plan has no objectives.
    NO_OBJECTIVES {
        check: no_objectives,
        name: "why/no-objectives",
        level: Error,
        summary: "the plan has no objectives",
        explanation: r#"## What it checks

Fires when the plan has no objectives: the `objectives` key is missing or is an empty list. The diagnostic points at the `objectives:` key if it is written, else at the top of the file.

## Why it matters

Objectives answer the first question of the checklist, 为什么要做: what problem are we solving for this customer, and what do we want to achieve? Without a stated goal the team cannot decide where to put its people and budget, management cannot judge whether the investment is paying off, and every visit becomes a courtesy call instead of a step towards a result.

## Failing example

```yaml
period: { start: 2026-01-01, end: 2026-12-31 }
objectives: []
```

## Passing example

```yaml
period: { start: 2026-01-01, end: 2026-12-31 }
objectives:
  - id: grow-5g
    title: Win 5G private-network deals in three new provinces
    why: Their enterprise unit loses bids for lack of a carrier-grade partner.
    metric: contracted revenue
    target: 20000000
    due: 2026-12-31
```
"#,
    }

    /// `why/objective-not-measurable`: an objective lacks a `metric` or a `target`.
    OBJECTIVE_NOT_MEASURABLE {
        check: objective_not_measurable,
        name: "why/objective-not-measurable",
        level: Error,
        summary: "an objective lacks a `metric` or a `target`",
        explanation: r#"## What it checks

Fires for each objective that has no `metric` (what is measured) or no `target` (the number to reach). `unit`, `baseline` and `actual` are optional.

## Why it matters

"Strengthen the relationship" can be neither won nor lost. A metric and a target let the account manager and the executive sponsor agree on what success looks like, compare `actual` with the target in every review, and defend the account's budget with numbers the customer's own management recognises.

## Failing example

```yaml
objectives:
  - id: grow-5g
    title: Strengthen our position in 5G private networks
    why: Their enterprise unit loses bids for lack of a carrier-grade partner.
    due: 2026-12-31
```

## Passing example

```yaml
objectives:
  - id: grow-5g
    title: Win 5G private-network deals in three new provinces
    why: Their enterprise unit loses bids for lack of a carrier-grade partner.
    metric: contracted revenue
    unit: CNY
    baseline: 12000000
    target: 20000000
    due: 2026-12-31
```
"#,
    }

    /// `why/objective-no-deadline`: an objective has no `due` date.
    OBJECTIVE_NO_DEADLINE {
        check: objective_no_deadline,
        name: "why/objective-no-deadline",
        level: Error,
        summary: "an objective has no `due` date",
        explanation: r#"## What it checks

Fires for each objective that has no `due` date.

## Why it matters

A goal without a date never becomes urgent, and nobody can tell whether the plan is on track. The due date ties the objective to the customer's budget cycle and tender calendar, and it is what the actions and milestones of the plan must lead up to.

## Failing example

```yaml
objectives:
  - id: dict-ops-frame
    title: Renew and extend the DICT operations framework
    why: The framework expires in October; the province cuts vendors from 7 to 3.
    metric: 2027 framework contract value
    target: 12000000
```

## Passing example

```yaml
objectives:
  - id: dict-ops-frame
    title: Renew and extend the DICT operations framework
    why: The framework expires in October; the province cuts vendors from 7 to 3.
    metric: 2027 framework contract value
    target: 12000000
    due: 2026-09-30
```
"#,
    }

    /// `why/objective-outside-period`: an objective is due outside the plan's period.
    OBJECTIVE_OUTSIDE_PERIOD {
        check: objective_outside_period,
        name: "why/objective-outside-period",
        level: Warning,
        summary: "an objective is due outside the plan's period",
        explanation: r#"## What it checks

Fires for each objective whose `due` date lies before `period.start` or after `period.end` (both ends of the period count as inside). The diagnostic points at the `due` value.

## Why it matters

A plan covers a fixed horizon, and its costs and returns are budgeted for that horizon. An objective due after the period's end belongs in next year's plan (and its return should not flatter this year's ROI), or the period is wrong; one due before the start is usually a leftover copied from last year's plan.

## Failing example

```yaml
period: { start: 2026-01-01, end: 2026-12-31 }
objectives:
  - id: dict-ops-frame
    title: Renew and extend the DICT operations framework
    metric: 2027 framework contract value
    target: 12000000
    due: 2027-03-31
```

## Passing example

```yaml
period: { start: 2026-01-01, end: 2026-12-31 }
objectives:
  - id: dict-ops-frame
    title: Renew and extend the DICT operations framework
    metric: 2027 framework contract value
    target: 12000000
    due: 2026-09-30
```
"#,
    }

    /// `why/missing-rationale`: an objective does not say `why` it matters to the customer.
    MISSING_RATIONALE {
        check: missing_rationale,
        name: "why/missing-rationale",
        level: Warning,
        summary: "an objective does not say `why` it matters to the customer",
        explanation: r#"## What it checks

Fires for each objective that has no `why`: the customer's problem or need that the objective answers.

## Why it matters

Key accounts buy solutions to their own problems, not our sales targets. Writing down the customer-side reason keeps each objective anchored in value for the customer, gives the executive sponsor the story to tell their counterpart, and exposes objectives that only serve our quota.

## Failing example

```yaml
objectives:
  - id: grow-5g
    title: Win 5G private-network deals in three new provinces
    metric: contracted revenue
    target: 20000000
    due: 2026-12-31
```

## Passing example

```yaml
objectives:
  - id: grow-5g
    title: Win 5G private-network deals in three new provinces
    why: Their enterprise unit loses bids for lack of a carrier-grade partner.
    metric: contracted revenue
    target: 20000000
    due: 2026-12-31
```
"#,
    }

    /// `why/objective-missed`: an objective's `due` date has passed and it is not met.
    OBJECTIVE_MISSED {
        check: objective_missed,
        name: "why/objective-missed",
        level: Warning,
        summary: "an objective's `due` date has passed and it is not met",
        explanation: r#"## What it checks

Fires for each objective whose `due` date is before today and that is not met: its `actual` has not reached its `target`, or it has no `actual` at all. Met means `actual ≥ target` when higher is better and `actual ≤ target` when lower is better, as the objective's `better` says; without it, lower is better when a `baseline` is given and the `target` is below it. An objective without a `target` is left to `why/objective-not-measurable`. The diagnostic points at the `due` value.

## Why it matters

A missed goal that still reads like a live one misleads everyone who reads the plan: management counts on a result that did not come, and the team keeps spending towards a date that is gone. Record what was reached in `actual`, then decide openly: set a new `due` date with a plan to get there, lower the target, or close the objective and learn from it.

## Failing example

```yaml
objectives:
  - id: dict-ops-frame
    title: Renew and extend the DICT operations framework
    metric: 2027 framework contract value
    target: 12000000
    actual: 7500000
    due: 2026-03-31   # before 2026-06-30, and 7,500,000 is short of 12,000,000
```

## Passing example

```yaml
objectives:
  - id: dict-ops-frame
    title: Renew and extend the DICT operations framework
    metric: 2027 framework contract value
    target: 12000000
    actual: 12400000
    due: 2026-03-31   # reached in time
```
"#,
    }
}

fn no_objectives(cx: &Ctx<'_>, out: &mut Report<'_>) {
    out.empty_list(
        cx,
        "objectives",
        cx.plan.objectives.is_empty(),
        "the plan has no objectives: what do we want from this account, and why?",
        "add `objectives:` with at least one measurable goal (`metric`, `target`, `due`)",
    );
}

fn objective_not_measurable(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for o in &cx.plan.objectives {
        let missing: Vec<&str> = [
            ("metric", o.keys.missing("metric")),
            ("target", o.keys.missing("target")),
        ]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
        if !missing.is_empty() {
            out.emit_help(
                start(o.span),
                format!(
                    "{} is not measurable: it has no `{}`",
                    label(o.id.as_ref(), "objective"),
                    missing.join("` and no `")
                ),
                "say what is measured (`metric`, `unit`) and the value to reach (`target`)",
            );
        }
    }
}

fn objective_no_deadline(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for o in &cx.plan.objectives {
        if o.due.is_none() && o.keys.missing("due") {
            out.emit_help(
                start(o.span),
                format!("{} has no deadline", label(o.id.as_ref(), "objective")),
                "add `due: YYYY-MM-DD`",
            );
        }
    }
}

fn objective_outside_period(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for o in &cx.plan.objectives {
        if let Some(due) = &o.due
            && let Some((from, to)) = cx.outside_period(due.value)
        {
            out.emit(
                due.span,
                format!(
                    "{} is due {due}, outside the plan's period {from} .. {to}",
                    label(o.id.as_ref(), "objective")
                ),
            );
        }
    }
}

fn objective_missed(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for o in &cx.plan.objectives {
        let (Some(due), Some(target)) = (&o.due, &o.target) else {
            continue;
        };
        if due.value >= cx.today
            || crate::figures::objective(o, None, cx.today).met
            || o.keys.lost("actual")
            || o.keys.lost("baseline")
        {
            continue;
        }
        let unit = match o.unit.as_ref().map(|u| u.value.trim()) {
            Some("%") => "%".to_owned(),
            Some(u) if !u.is_empty() => format!(" {u}"),
            _ => String::new(),
        };
        let reached = match &o.actual {
            Some(actual) => format!(
                "{}{unit} reached of a target of {}{unit}",
                number(actual.value),
                number(target.value)
            ),
            None => format!(
                "it has no `actual` to show against its target of {}{unit}",
                number(target.value)
            ),
        };
        out.emit_help(
            due.span,
            format!(
                "{} was due {due}, {} before {}, and is not met: {reached}",
                titled(o.id.as_ref(), o.title.as_ref(), "objective"),
                days(due.days_until(cx.today)),
                cx.today
            ),
            "record what was reached in `actual`, then set a new `due` date, change the target or close the objective",
        );
    }
}

fn missing_rationale(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for o in &cx.plan.objectives {
        let blank = match &o.why {
            Some(w) => w.trim().is_empty(),
            None => o.keys.missing("why"),
        };
        if blank {
            out.emit_help(
                start(o.span),
                format!(
                    "{} does not say why it matters to the customer",
                    label(o.id.as_ref(), "objective")
                ),
                "add `why:` — the customer's problem this goal solves",
            );
        }
    }
}
