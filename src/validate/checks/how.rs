//! How — 怎么做.

use super::{label, start};
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
    for o in &plan.objectives {
        let Some(id) = &o.id else { continue };
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
    for s in &plan.strategies {
        let Some(id) = &s.id else { continue };
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
        if a.strategy.is_none() && a.objectives.is_empty() {
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
}
