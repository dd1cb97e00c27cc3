//! Rules of the question When and where — 何时何地做: timing windows and venues.

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `when-where/undated-action`: an action has no `due` date.
pub static UNDATED_ACTION: Rule = Rule {
    name: "when-where/undated-action",
    question: Question::WhenWhere,
    level: Level::Error,
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
};

/// `when-where/overdue-action`: an open action is past its `due` date.
pub static OVERDUE_ACTION: Rule = Rule {
    name: "when-where/overdue-action",
    question: Question::WhenWhere,
    level: Level::Warning,
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
};

/// `when-where/no-milestones`: the plan has no milestones.
pub static NO_MILESTONES: Rule = Rule {
    name: "when-where/no-milestones",
    question: Question::WhenWhere,
    level: Level::Warning,
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
};

/// `when-where/no-venue`: a milestone or a meeting action does not say `where`.
pub static NO_VENUE: Rule = Rule {
    name: "when-where/no-venue",
    question: Question::WhenWhere,
    level: Level::Warning,
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
};

/// `when-where/milestone-outside-period`: a milestone is dated outside the plan's period.
pub static MILESTONE_OUTSIDE_PERIOD: Rule = Rule {
    name: "when-where/milestone-outside-period",
    question: Question::WhenWhere,
    level: Level::Warning,
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
};
