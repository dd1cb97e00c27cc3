//! How — 怎么做.

use super::{label, start, titled};
use crate::validate::Ctx;
use crate::validate::rules::how::*;

pub(super) fn check(cx: &mut Ctx<'_>) {
    let plan = cx.plan;
    let strategy_serves = |strategy: &str, objective: &str| {
        plan.strategies
            .iter()
            .filter(|s| s.id.as_ref().is_some_and(|i| i.as_str() == strategy))
            .any(|s| s.objectives.iter().any(|o| o.as_str() == objective))
    };
    // Which action serves which objective is unknown when actions,
    // strategies or their links were lost to diagnostics already given.
    let links_lost = cx.lost("actions")
        || cx.lost("strategies")
        || plan
            .actions
            .iter()
            .any(|a| a.keys.lost("objectives") || a.keys.lost("strategy"))
        || plan.strategies.iter().any(|s| s.keys.lost("objectives"));
    for o in &plan.objectives {
        let Some(id) = &o.id else { continue };
        if links_lost {
            break;
        }
        let served = plan.actions.iter().any(|a| {
            a.objectives.iter().any(|x| x.value == id.value)
                || a.strategy
                    .as_ref()
                    .is_some_and(|s| strategy_serves(s.as_str(), id.as_str()))
        });
        if !served {
            cx.sink.emit_help(
                &OBJECTIVE_WITHOUT_ACTION,
                start(o.span),
                format!("no action serves objective `{id}`"),
                format!(
                    "add an action with `objectives: [{id}]`, or one under a strategy that lists it"
                ),
            );
        }
    }
    let strategy_links_lost =
        cx.lost("actions") || plan.actions.iter().any(|a| a.keys.lost("strategy"));
    for s in &plan.strategies {
        let Some(id) = &s.id else { continue };
        if strategy_links_lost {
            break;
        }
        if !plan
            .actions
            .iter()
            .any(|a| a.strategy.as_ref().is_some_and(|x| x.value == id.value))
        {
            cx.sink.emit_help(
                &STRATEGY_WITHOUT_ACTION,
                start(s.span),
                format!("strategy `{id}` has no action"),
                format!("add an action with `strategy: {id}`, or drop the strategy"),
            );
        }
    }
    for a in &plan.actions {
        if a.keys.missing("strategy") && a.objectives.is_empty() && !a.keys.lost("objectives") {
            cx.sink.emit_help(
                &ORPHAN_ACTION,
                start(a.span),
                format!(
                    "{} serves no strategy and no objective",
                    label(a.id.as_ref(), "action")
                ),
                "add `strategy:` or `objectives:` — or ask whether the action is needed",
            );
        }
    }
    action_after_objective(cx);
}

/// `how/action-after-objective`: an action due after the objectives it serves.
fn action_after_objective(cx: &mut Ctx<'_>) {
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
                cx.sink.emit_help(
                    &ACTION_AFTER_OBJECTIVE,
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
            cx.sink.emit_help(
                &ACTION_AFTER_OBJECTIVE,
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
