//! Rules of the question How — 怎么做: strategies, and the actions and resources behind them.

use super::{Report, checked_rules};
use crate::validate::{Ctx, label, start, titled};

checked_rules! {
    question: How;

    /// `how/objective-without-action`: no action serves an objective.
    OBJECTIVE_WITHOUT_ACTION {
        check: objective_without_action,
        name: "how/objective-without-action",
        level: Error,
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
    }

    /// `how/strategy-without-action`: a strategy has no action.
    STRATEGY_WITHOUT_ACTION {
        check: strategy_without_action,
        name: "how/strategy-without-action",
        level: Warning,
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
    }

    /// `how/orphan-action`: an action serves no strategy and no objective.
    ORPHAN_ACTION {
        check: orphan_action,
        name: "how/orphan-action",
        level: Warning,
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
    }

    /// `how/action-after-objective`: an action is due after the objective it serves.
    ACTION_AFTER_OBJECTIVE {
        check: action_after_objective,
        name: "how/action-after-objective",
        level: Warning,
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
    }
}

fn objective_without_action(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let plan = cx.plan;
    // Which action serves which objective is unknown when actions,
    // strategies or their links were lost to diagnostics already given.
    let links_lost = cx.lost("actions")
        || cx.lost("strategies")
        || plan
            .actions
            .iter()
            .any(|a| a.keys.lost("objectives") || a.keys.lost("strategy"))
        || plan.strategies.iter().any(|s| s.keys.lost("objectives"));
    if links_lost {
        return;
    }
    let strategy_serves = |strategy: &str, objective: &str| {
        plan.strategies
            .iter()
            .filter(|s| s.id.as_ref().is_some_and(|i| i.as_str() == strategy))
            .any(|s| s.objectives.iter().any(|o| o.as_str() == objective))
    };
    for o in &plan.objectives {
        let Some(id) = &o.id else { continue };
        let served = plan.actions.iter().any(|a| {
            a.objectives.iter().any(|x| x.value == id.value)
                || a.strategy
                    .as_ref()
                    .is_some_and(|s| strategy_serves(s.as_str(), id.as_str()))
        });
        if !served {
            out.emit_help(
                start(o.span),
                format!("no action serves objective `{id}`"),
                format!(
                    "add an action with `objectives: [{id}]`, or one under a strategy that lists it"
                ),
            );
        }
    }
}

fn strategy_without_action(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let plan = cx.plan;
    if cx.lost("actions") || plan.actions.iter().any(|a| a.keys.lost("strategy")) {
        return;
    }
    for s in &plan.strategies {
        let Some(id) = &s.id else { continue };
        if !plan
            .actions
            .iter()
            .any(|a| a.strategy.as_ref().is_some_and(|x| x.value == id.value))
        {
            out.emit_help(
                start(s.span),
                format!("strategy `{id}` has no action"),
                format!("add an action with `strategy: {id}`, or drop the strategy"),
            );
        }
    }
}

fn orphan_action(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for a in &cx.plan.actions {
        if a.keys.missing("strategy") && a.objectives.is_empty() && !a.keys.lost("objectives") {
            out.emit_help(
                start(a.span),
                format!(
                    "{} serves no strategy and no objective",
                    label(a.id.as_ref(), "action")
                ),
                "add `strategy:` or `objectives:` — or ask whether the action is needed",
            );
        }
    }
}

fn action_after_objective(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let plan = cx.plan;
    let objective = |id: &str| {
        plan.objectives
            .iter()
            .find(|o| o.id.as_ref().is_some_and(|i| i.as_str() == id))
    };
    for a in &plan.actions {
        let Some(due) = &a.due else { continue };
        let what = || titled(a.id.as_ref(), a.title.as_ref(), "action");
        if !a.objectives.is_empty() {
            for r in &a.objectives {
                let Some(o) = objective(r.as_str()) else {
                    continue;
                };
                let Some(o_due) = o.due.as_ref().filter(|d| due.value > d.value) else {
                    continue;
                };
                out.emit_help(
                    r.span,
                    format!(
                        "{} is due {due}, after {} is due {o_due}",
                        what(),
                        titled(o.id.as_ref(), o.title.as_ref(), "objective")
                    ),
                    "move the action's `due` forward, or take the objective out of its `objectives`",
                );
            }
            continue;
        }
        if a.keys.lost("objectives") {
            continue;
        }
        let Some(strategy) = a.strategy.as_ref().and_then(|s| {
            plan.strategies
                .iter()
                .find(|x| x.id.as_ref().is_some_and(|i| i.value == s.value))
        }) else {
            continue;
        };
        // Every objective of the strategy, with its due date: an unknown
        // objective or one without `due` leaves the question open.
        let dues: Option<Vec<_>> = strategy
            .objectives
            .iter()
            .map(|r| objective(r.as_str()).and_then(|o| Some((o, o.due.as_ref()?))))
            .collect();
        let Some(dues) = dues.filter(|d| !d.is_empty()) else {
            continue;
        };
        if dues.iter().all(|(_, d)| due.value > d.value) {
            let served = dues
                .iter()
                .map(|(o, d)| format!("{} on {d}", label(o.id.as_ref(), "objective")))
                .collect::<Vec<_>>()
                .join(", ");
            out.emit_help(
                due.span,
                format!(
                    "{} is due {due}, after every objective of {} is due: {served}",
                    what(),
                    titled(strategy.id.as_ref(), strategy.title.as_ref(), "strategy")
                ),
                "move the action's `due` forward, or give it `objectives:` it can still serve",
            );
        }
    }
}
