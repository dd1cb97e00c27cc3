//! Rules of the question When and where — 何时何地做: timing windows and venues.

use super::{Report, checked_rules};
use crate::model::Status;
use crate::validate::{Ctx, label, start, titled};

checked_rules! {
    question: WhenWhere;

    /// `when-where/undated-action`: an action has no `due` date.
    UNDATED_ACTION {
        check: undated_action,
        name: "when-where/undated-action",
        level: Error,
        summary: "an action has no `due` date",
        explanation: r#"## What it checks

Fires for each action that has no `due` date.

## Why it matters

Timing decides key-account deals: a proposal that arrives after the customer's budget is set, or a demo held after the tender is published, is worth nothing. A due date puts the step in the calendar, lets kaplan flag it when it slips, and shows reviewers whether the actions fit the customer's timetable.

## Failing example

```yaml
actions:
  - id: poc-kickoff
    title: Kick off the 5G private-network PoC at the Foshan plant
    strategy: reference-site
    owner: zhang-wei
```

## Passing example

```yaml
actions:
  - id: poc-kickoff
    title: Kick off the 5G private-network PoC at the Foshan plant
    strategy: reference-site
    owner: zhang-wei
    due: 2026-08-15
```
"#,
    }

    /// `when-where/overdue-action`: an open action is past its `due` date.
    OVERDUE_ACTION {
        check: overdue_action,
        name: "when-where/overdue-action",
        level: Warning,
        summary: "an open action is past its `due` date",
        explanation: r#"## What it checks

Fires for each action whose `due` date is before today (`--today`, else `today` in kaplan.toml) and whose `status` is neither `done` nor `dropped`; an action due today is not yet overdue. The diagnostic points at the `due` value.

## Why it matters

Open actions past their date mean that either the plan is out of date or commitments to the customer are slipping, and both cost credibility in the next review. Mark the action `done`, `dropped` or `blocked`, or agree on a new date, so that the plan shows what is really happening at the account.

## Failing example

```yaml
actions:
  - id: cto-workshop
    title: Joint roadmap workshop with the CTO office
    owner: zhang-wei
    due: 2026-03-15   # before today (2026-06-30)
    status: planned
```

## Passing example

```yaml
actions:
  - id: cto-workshop
    title: Joint roadmap workshop with the CTO office
    owner: zhang-wei
    due: 2026-03-15
    status: done
```
"#,
    }

    /// `when-where/no-milestones`: the plan has no milestones.
    NO_MILESTONES {
        check: no_milestones,
        name: "when-where/no-milestones",
        level: Warning,
        summary: "the plan has no milestones",
        explanation: r#"## What it checks

Fires when the plan has no milestones: the `milestones` key is missing or is an empty list. The diagnostic points at the `milestones:` key if it is written, else at the top of the file.

## Why it matters

Milestones tie the plan to the customer's calendar (何时何地做): budget cycles, tenders, contract renewals, board meetings, trade fairs. Without them the team cannot time its actions to the windows in which the customer actually decides, and reviewers cannot see what is coming next.

## Failing example

```yaml
milestones: []
```

## Passing example

```yaml
milestones:
  - id: budget-cycle
    title: Customer budget cycle opens
    date: 2026-09-01
    where: Customer HQ, Shanghai
```
"#,
    }

    /// `when-where/no-venue`: a milestone or a meeting action does not say `where`.
    NO_VENUE {
        check: no_venue,
        name: "when-where/no-venue",
        level: Warning,
        summary: "a milestone or a meeting action does not say `where`",
        explanation: r#"## What it checks

Fires for each milestone without `where`, and for each action that lists `stakeholders` but has no `where`. Internal actions that target no stakeholder need no venue.

## Why it matters

Where a meeting takes place shapes it: a workshop at the customer's headquarters, a visit to our demo lab or to a reference plant each send a different message and need different people, preparation and travel budget. Naming the venue makes the logistics and the costs plannable, and tells the sponsor where they need to be.

## Failing example

```yaml
actions:
  - id: cto-workshop
    title: Joint roadmap workshop with the CTO office
    stakeholders: [li-ming]
    due: 2026-09-15
milestones:
  - id: budget-cycle
    title: Customer budget cycle opens
    date: 2026-09-01
```

## Passing example

```yaml
actions:
  - id: cto-workshop
    title: Joint roadmap workshop with the CTO office
    stakeholders: [li-ming]
    due: 2026-09-15
    where: Demo lab, Hangzhou
milestones:
  - id: budget-cycle
    title: Customer budget cycle opens
    date: 2026-09-01
    where: Customer HQ, Shanghai
```
"#,
    }

    /// `when-where/milestone-outside-period`: a milestone is dated outside the plan's period.
    MILESTONE_OUTSIDE_PERIOD {
        check: milestone_outside_period,
        name: "when-where/milestone-outside-period",
        level: Warning,
        summary: "a milestone is dated outside the plan's period",
        explanation: r#"## What it checks

Fires for each milestone whose `date` lies before `period.start` or after `period.end` (both ends of the period count as inside). The diagnostic points at the `date` value.

## Why it matters

Milestones are the dates this plan works towards: budget cycles, tenders, reviews. One dated outside the plan's horizon is either a leftover from last year's plan, a date typed in the wrong year, or an event that belongs in next year's plan; in each case the timeline, the calendar and the "next milestone" on the portfolio mislead.

## Failing example

```yaml
period: { start: 2026-01-01, end: 2026-12-31 }
milestones:
  - id: budget-cycle
    title: Customer budget cycle opens
    date: 2027-09-01   # after the period's end
    where: Customer HQ, Shanghai
```

## Passing example

```yaml
period: { start: 2026-01-01, end: 2026-12-31 }
milestones:
  - id: budget-cycle
    title: Customer budget cycle opens
    date: 2026-09-01
    where: Customer HQ, Shanghai
```
"#,
    }
}

fn undated_action(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for a in &cx.plan.actions {
        if a.due.is_none() && a.keys.missing("due") {
            out.emit_help(
                start(a.span),
                format!("{} has no due date", label(a.id.as_ref(), "action")),
                "add `due: YYYY-MM-DD`",
            );
        }
    }
}

fn overdue_action(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for a in &cx.plan.actions {
        let status = a.status.as_ref().map_or(Status::Planned, |s| s.value);
        if let Some(due) = &a.due
            && due.value < cx.today
            && !matches!(status, Status::Done | Status::Dropped)
            && !a.keys.lost("status")
        {
            out.emit_help(
                due.span,
                format!(
                    "{} was due {due}, {} days ago, and is still {status}",
                    label(a.id.as_ref(), "action"),
                    due.days_until(cx.today)
                ),
                "mark it `done` or `dropped`, or set a new `due` date",
            );
        }
    }
}

fn no_milestones(cx: &Ctx<'_>, out: &mut Report<'_>) {
    out.empty_list(
        cx,
        "milestones",
        cx.plan.milestones.is_empty(),
        "the plan has no milestones: when are the customer's budget cycles, tenders and reviews?",
        "add `milestones:` with the dates the plan must meet",
    );
}

fn no_venue(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for a in &cx.plan.actions {
        if !a.stakeholders.is_empty() && a.keys.missing("where") {
            out.emit_help(
                start(a.span),
                format!(
                    "{} meets stakeholders but does not say where",
                    label(a.id.as_ref(), "action")
                ),
                "add `where:` — the venue matters for who can attend",
            );
        }
    }
    for m in &cx.plan.milestones {
        if m.keys.missing("where") {
            out.emit_help(
                start(m.span),
                format!("{} does not say where", label(m.id.as_ref(), "milestone")),
                "add `where:`",
            );
        }
    }
}

fn milestone_outside_period(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for m in &cx.plan.milestones {
        if let Some(date) = &m.date
            && let Some((from, to)) = cx.outside_period(date.value)
        {
            out.emit_help(
                date.span,
                format!(
                    "{} is dated {date}, outside the plan's period {from} .. {to}",
                    titled(m.id.as_ref(), m.title.as_ref(), "milestone")
                ),
                "correct the date (a typo in the year?), or move the milestone to the plan of its period",
            );
        }
    }
}
