//! Rules of the question Why — 为什么要做: is the goal clear, and what problem does it solve?

use super::{Report, checked_rules};
use crate::message::{Arg, Message, Thing, texts};
use crate::model::Objective;
use crate::validate::{Ctx, OBJECTIVE, start, thing};

checked_rules! {
    question: Why;

    /// `why/no-objectives`: the plan has no objectives.
    NO_OBJECTIVES {
        check: no_objectives,
        name: "why/no-objectives",
        level: Error,
        summary: "the plan has no objectives"
            / "计划没有目标",
    }

    /// `why/objective-not-measurable`: an objective lacks a `metric` or a `target`.
    OBJECTIVE_NOT_MEASURABLE {
        check: objective_not_measurable,
        name: "why/objective-not-measurable",
        level: Error,
        summary: "an objective lacks a `metric` or a `target`"
            / "目标缺少衡量指标（`metric`）或目标值（`target`）",
    }

    /// `why/objective-no-deadline`: an objective has no `due` date.
    OBJECTIVE_NO_DEADLINE {
        check: objective_no_deadline,
        name: "why/objective-no-deadline",
        level: Error,
        summary: "an objective has no `due` date"
            / "目标没有截止日期（`due`）",
    }

    /// `why/objective-outside-period`: an objective is due outside the plan's period.
    OBJECTIVE_OUTSIDE_PERIOD {
        check: objective_outside_period,
        name: "why/objective-outside-period",
        level: Warning,
        summary: "an objective is due outside the plan's period"
            / "目标的截止日期不在计划期内",
    }

    /// `why/missing-rationale`: an objective does not say `why` it matters to the customer.
    MISSING_RATIONALE {
        check: missing_rationale,
        name: "why/missing-rationale",
        level: Warning,
        summary: "an objective does not say `why` it matters to the customer"
            / "目标没有说明为什么对客户重要（`why`）",
    }

    /// `why/objective-missed`: an objective's `due` date has passed and it is not met.
    OBJECTIVE_MISSED {
        check: objective_missed,
        name: "why/objective-missed",
        level: Warning,
        summary: "an objective's `due` date has passed and it is not met"
            / "目标已过截止日期（`due`）仍未达成",
    }
}

texts! {
    NO_OBJECTIVES_MSG:
        "the plan has no objectives: what do we want from this account, and why?"
        / "计划没有目标：我们想从这个客户那里得到什么？为什么？";
    NO_OBJECTIVES_HELP:
        "add `objectives:` with at least one measurable goal (`metric`, `target`, `due`)"
        / "添加 `objectives:`，至少写一个可衡量的目标（`metric`、`target`、`due`）";
    NOT_MEASURABLE_MSG:
        "{objective} is not measurable: it has no {missing}"
        / "{objective}无法衡量：缺少 {missing}";
    NOT_MEASURABLE_HELP:
        "say what is measured (`metric`, `unit`) and the value to reach (`target`)"
        / "写明衡量什么（`metric`、`unit`）以及要达到的数值（`target`）";
    NO_DEADLINE_MSG: "{objective} has no deadline" / "{objective}没有截止日期";
    ADD_DUE_HELP: "add `due: YYYY-MM-DD`" / "添加 `due: YYYY-MM-DD`";
    OUTSIDE_PERIOD_MSG:
        "{objective} is due {due}, outside the plan's period {from} .. {to}"
        / "{objective}的截止日期是 {due}，不在计划期 {from} 至 {to} 之内";
    MISSED_MSG:
        "{objective} was due {due}, {days} before {today}, and is not met: {reached}"
        / "{objective}的截止日期是 {due}，到 {today} 已过去 {days}，仍未达成：{reached}";
    MISSED_REACHED:
        "{actual} reached of a target of {target}"
        / "目标值 {target}，目前为 {actual}";
    MISSED_NO_ACTUAL:
        "it has no `actual` to show against its target of {target}"
        / "目标值 {target}，但没有填写 `actual`，看不出完成情况";
    MISSED_HELP:
        "record what was reached in `actual`, then set a new `due` date, change the target or close the objective"
        / "先在 `actual` 里记下实际完成的数值，再决定：定新的 `due` 日期、调整目标值，或关闭这个目标";
    RATIONALE_MSG:
        "{objective} does not say why it matters to the customer"
        / "{objective}没有说明它为什么对客户重要";
    RATIONALE_HELP:
        "add `why:` — the customer's problem this goal solves"
        / "添加 `why:`，写明这个目标为客户解决什么问题";
}

fn no_objectives(cx: &Ctx<'_>, out: &mut Report<'_>) {
    out.empty_list(
        cx,
        "objectives",
        cx.plan.objectives.is_empty(),
        &NO_OBJECTIVES_MSG,
        &NO_OBJECTIVES_HELP,
    );
}

fn objective_not_measurable(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for o in &cx.plan.objectives {
        let missing: Vec<String> = [
            ("metric", o.keys.missing("metric")),
            ("target", o.keys.missing("target")),
        ]
        .into_iter()
        .filter(|(_, m)| *m)
        .map(|(k, _)| k.to_owned())
        .collect();
        if !missing.is_empty() {
            out.emit_help(
                start(o.span),
                Message::new(&NOT_MEASURABLE_MSG)
                    .with("objective", objective(o))
                    .with("missing", Arg::List(missing)),
                &NOT_MEASURABLE_HELP,
            );
        }
    }
}

/// An objective as messages name it.
fn objective(o: &Objective) -> Thing {
    thing(&OBJECTIVE, o.id.as_ref(), o.title.as_ref())
}

fn objective_no_deadline(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for o in &cx.plan.objectives {
        if o.due.is_none() && o.keys.missing("due") {
            out.emit_help(
                start(o.span),
                Message::new(&NO_DEADLINE_MSG).with("objective", objective(o)),
                &ADD_DUE_HELP,
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
                Message::new(&OUTSIDE_PERIOD_MSG)
                    .with("objective", objective(o))
                    .with("due", due.value)
                    .with("from", from)
                    .with("to", to),
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
        let unit = o
            .unit
            .as_ref()
            .map(|u| u.value.trim().to_owned())
            .filter(|u| !u.is_empty());
        let value = |v: f64| Arg::Quantity(v, unit.clone(), cx.currency().to_owned());
        let reached = match &o.actual {
            Some(actual) => Message::new(&MISSED_REACHED)
                .with("actual", value(actual.value))
                .with("target", value(target.value)),
            None => Message::new(&MISSED_NO_ACTUAL).with("target", value(target.value)),
        };
        out.emit_help(
            due.span,
            Message::new(&MISSED_MSG)
                .with("objective", objective(o))
                .with("due", due.value)
                .with("days", Arg::Days(due.days_until(cx.today)))
                .with("today", cx.today)
                .with("reached", reached),
            &MISSED_HELP,
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
                Message::new(&RATIONALE_MSG).with("objective", objective(o)),
                &RATIONALE_HELP,
            );
        }
    }
}
