//! Rules of the question How — 怎么做: strategies, and the actions and resources behind them.

use super::{Report, checked_rules};
use crate::message::{Arg, Message, texts};
use crate::validate::{ACTION, Ctx, OBJECTIVE, STRATEGY, start, thing};

checked_rules! {
    question: How;

    /// `how/objective-without-action`: no action serves an objective.
    OBJECTIVE_WITHOUT_ACTION {
        check: objective_without_action,
        name: "how/objective-without-action",
        level: Error,
        summary: "no action serves an objective"
            / "有目标没有任何行动支撑",
    }

    /// `how/strategy-without-action`: a strategy has no action.
    STRATEGY_WITHOUT_ACTION {
        check: strategy_without_action,
        name: "how/strategy-without-action",
        level: Warning,
        summary: "a strategy has no action"
            / "策略没有落实到行动",
    }

    /// `how/orphan-action`: an action serves no strategy and no objective.
    ORPHAN_ACTION {
        check: orphan_action,
        name: "how/orphan-action",
        level: Warning,
        summary: "an action serves no strategy and no objective"
            / "行动既不服务于策略，也不服务于目标",
    }

    /// `how/action-after-objective`: an action is due after the objective it serves.
    ACTION_AFTER_OBJECTIVE {
        check: action_after_objective,
        name: "how/action-after-objective",
        level: Warning,
        summary: "an action is due after the objective it serves"
            / "行动的截止日期晚于它所服务的目标",
    }
}

texts! {
    NO_ACTION_MSG: "no action serves {objective}" / "没有任何行动支撑{objective}";
    NO_ACTION_HELP:
        "add an action with `objectives: [{id}]`, or one under a strategy that lists it"
        / "添加一项写有 `objectives: [{id}]` 的行动，或在列有该目标的策略下添加行动";
    STRATEGY_MSG: "{strategy} has no action" / "{strategy}没有落实到任何行动";
    STRATEGY_HELP:
        "add an action with `strategy: {id}`, or drop the strategy"
        / "添加一项写有 `strategy: {id}` 的行动，或者删掉这条策略";
    ORPHAN_MSG:
        "{action} serves no strategy and no objective"
        / "{action}既不服务于任何策略，也不服务于任何目标";
    ORPHAN_HELP:
        "add `strategy:` or `objectives:` — or ask whether the action is needed"
        / "添加 `strategy:` 或 `objectives:`，或者想一想这项行动是否真有必要";
    AFTER_OBJECTIVE_MSG:
        "{action} is due {due}, after {objective} is due {objective_due}"
        / "{action}的截止日期是 {due}，晚于{objective}的截止日期 {objective_due}";
    AFTER_OBJECTIVE_HELP:
        "move the action's `due` forward, or take the objective out of its `objectives`"
        / "把行动的 `due` 提前，或把这个目标从行动的 `objectives` 中去掉";
    AFTER_STRATEGY_MSG:
        "{action} is due {due}, after every objective of {strategy} is due: {served}"
        / "{action}的截止日期是 {due}，晚于{strategy}所有目标的截止日期：{served}";
    OBJECTIVE_ON: "{objective} on {due}" / "{objective}截止于 {due}";
    AFTER_STRATEGY_HELP:
        "move the action's `due` forward, or give it `objectives:` it can still serve"
        / "把行动的 `due` 提前，或为它写上仍来得及支撑的 `objectives:`";
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
                Message::new(&NO_ACTION_MSG).with(
                    "objective",
                    thing(&OBJECTIVE, o.id.as_ref(), o.title.as_ref()),
                ),
                Message::new(&NO_ACTION_HELP).with("id", id.as_str()),
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
                Message::new(&STRATEGY_MSG).with(
                    "strategy",
                    thing(&STRATEGY, s.id.as_ref(), s.title.as_ref()),
                ),
                Message::new(&STRATEGY_HELP).with("id", id.as_str()),
            );
        }
    }
}

fn orphan_action(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for a in &cx.plan.actions {
        if a.keys.missing("strategy") && a.objectives.is_empty() && !a.keys.lost("objectives") {
            out.emit_help(
                start(a.span),
                Message::new(&ORPHAN_MSG)
                    .with("action", thing(&ACTION, a.id.as_ref(), a.title.as_ref())),
                &ORPHAN_HELP,
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
        let what = || thing(&ACTION, a.id.as_ref(), a.title.as_ref());
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
                    Message::new(&AFTER_OBJECTIVE_MSG)
                        .with("action", what())
                        .with("due", due.value)
                        .with(
                            "objective",
                            thing(&OBJECTIVE, o.id.as_ref(), o.title.as_ref()),
                        )
                        .with("objective_due", o_due.value),
                    &AFTER_OBJECTIVE_HELP,
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
                .map(|(o, d)| {
                    Message::new(&OBJECTIVE_ON)
                        .with(
                            "objective",
                            thing(&OBJECTIVE, o.id.as_ref(), o.title.as_ref()),
                        )
                        .with("due", d.value)
                })
                .collect();
            out.emit_help(
                due.span,
                Message::new(&AFTER_STRATEGY_MSG)
                    .with("action", what())
                    .with("due", due.value)
                    .with(
                        "strategy",
                        thing(&STRATEGY, strategy.id.as_ref(), strategy.title.as_ref()),
                    )
                    .with("served", Arg::Messages(served)),
                &AFTER_STRATEGY_HELP,
            );
        }
    }
}
