//! Rules of the question How — 怎么做: strategies, and the actions and resources behind them.

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `how/objective-without-action`: no action serves an objective.
pub static OBJECTIVE_WITHOUT_ACTION: Rule = Rule {
    name: "how/objective-without-action",
    question: Question::How,
    level: Level::Error,
    summary: "no action serves an objective",
    explanation: r#"## What it checks

Fires for each objective that no action serves: no action lists it in its `objectives`, and no action belongs to a `strategy` whose `objectives` list it.

## Why it matters

An objective without a single planned step is a wish, not a plan (怎么做). Tying every objective to at least one concrete action shows management that the goal is resourced, and it makes gaps visible while there is still time to close them in this quarter.

## Failing example

```yaml
objectives:
  - id: cloud-migration
    title: Migrate 120 enterprise customers to the cloud
    metric: migrated customers
    target: 120
    due: 2026-11-30
actions: []
```

## Passing example

```yaml
objectives:
  - id: cloud-migration
    title: Migrate 120 enterprise customers to the cloud
    metric: migrated customers
    target: 120
    due: 2026-11-30
actions:
  - id: migration-factory
    title: Set up a migration team for the city branches
    objectives: [cloud-migration]
    owner: zhang-wei
    due: 2026-08-31
```
"#,
};

/// `how/strategy-without-action`: a strategy has no action.
pub static STRATEGY_WITHOUT_ACTION: Rule = Rule {
    name: "how/strategy-without-action",
    question: Question::How,
    level: Level::Warning,
    summary: "a strategy has no action",
    explanation: r#"## What it checks

Fires for each strategy that no action refers to with its `strategy` field.

## Why it matters

A strategy only matters once people and resources are put behind it. A strategy without actions is either abandoned, and should be removed, or not yet started, and then the plan overstates what the team is actually doing for the customer.

## Failing example

```yaml
strategies:
  - id: reference-site
    title: Turn the Hangzhou pilot into a reference site
    objectives: [grow-5g]
actions: []
```

## Passing example

```yaml
strategies:
  - id: reference-site
    title: Turn the Hangzhou pilot into a reference site
    objectives: [grow-5g]
actions:
  - id: site-visit
    title: Host the reference-site visit for two provincial branches
    strategy: reference-site
    owner: zhang-wei
    due: 2026-10-20
```
"#,
};

/// `how/orphan-action`: an action serves no strategy and no objective.
pub static ORPHAN_ACTION: Rule = Rule {
    name: "how/orphan-action",
    question: Question::How,
    level: Level::Warning,
    summary: "an action serves no strategy and no objective",
    explanation: r#"## What it checks

Fires for each action that has neither a `strategy` nor any `objectives`.

## Why it matters

Activity is not progress. Actions that serve no objective take the account team's time and the customer's attention without moving the plan forward. Linking each action to a strategy or objective forces the question "why are we doing this?", and sometimes the right answer is to drop the action.

## Failing example

```yaml
actions:
  - id: golf-day
    title: Invite the network team to the partner golf day
    owner: zhang-wei
    due: 2026-10-10
```

## Passing example

```yaml
actions:
  - id: golf-day
    title: Invite the network team to the partner golf day
    strategy: exec-alignment
    owner: zhang-wei
    due: 2026-10-10
```
"#,
};

/// `how/action-after-objective`: an action is due after the objective it serves.
pub static ACTION_AFTER_OBJECTIVE: Rule = Rule {
    name: "how/action-after-objective",
    question: Question::How,
    level: Level::Warning,
    summary: "an action is due after the objective it serves",
    explanation: r#"## What it checks

Fires when an action lists an objective in its `objectives` and is due after that objective's `due` date (once per such objective; the diagnostic points at the objective's id in the action). An action without `objectives` serves the objectives of its `strategy`: it fires when the action is due after the `due` date of every one of them, too late to serve any (the diagnostic points at the action's `due`). An action due on the objective's due date is in time.

## Why it matters

A step that ends after its goal's deadline cannot contribute to it: the workshop after the budget is signed, the reference visit after the tender closed. Either the action is planned too late and must move forward, or it serves a later goal and should say so, or the objective's date is wrong. Each of these changes what the team does this quarter.

## Failing example

```yaml
objectives:
  - id: dict-ops-frame
    title: Renew and extend the DICT operations framework
    metric: 2027 framework contract value
    target: 12000000
    due: 2026-09-30
actions:
  - id: reference-visit
    title: Reference visit to the Suzhou operations centre
    objectives: [dict-ops-frame]
    owner: zhang-wei
    due: 2026-10-20   # after the objective's due date
```

## Passing example

```yaml
objectives:
  - id: dict-ops-frame
    title: Renew and extend the DICT operations framework
    metric: 2027 framework contract value
    target: 12000000
    due: 2026-09-30
actions:
  - id: reference-visit
    title: Reference visit to the Suzhou operations centre
    objectives: [dict-ops-frame]
    owner: zhang-wei
    due: 2026-08-20
```
"#,
};
