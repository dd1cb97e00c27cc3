//! Why — 为什么要做.

use super::{days, label, start, titled};
use crate::history::diff::number;
use crate::validate::Ctx;
use crate::validate::rules::why::*;

pub(super) fn check(cx: &mut Ctx<'_>) {
    let plan = cx.plan;
    if plan.objectives.is_empty() && !cx.lost("objectives") {
        cx.sink.emit_help(
            &NO_OBJECTIVES,
            cx.top_key("objectives"),
            "the plan has no objectives: what do we want from this account, and why?",
            "add `objectives:` with at least one measurable goal (`metric`, `target`, `due`)",
        );
    }
    let period = cx.period();
    for o in &plan.objectives {
        let what = label(o.id.as_ref(), "objective");
        let missing: Vec<&str> = [
            ("metric", o.keys.missing("metric")),
            ("target", o.keys.missing("target")),
        ]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
        if !missing.is_empty() {
            cx.sink.emit_help(
                &OBJECTIVE_NOT_MEASURABLE,
                start(o.span),
                format!(
                    "{what} is not measurable: it has no `{}`",
                    missing.join("` and no `")
                ),
                "say what is measured (`metric`, `unit`) and the value to reach (`target`)",
            );
        }
        match &o.due {
            None if !o.keys.missing("due") => {}
            None => cx.sink.emit_help(
                &OBJECTIVE_NO_DEADLINE,
                start(o.span),
                format!("{what} has no deadline"),
                "add `due: YYYY-MM-DD`",
            ),
            Some(due) => {
                if let Some((from, to)) = period
                    && (due.value < from || due.value > to)
                {
                    cx.sink.emit(
                        &OBJECTIVE_OUTSIDE_PERIOD,
                        due.span,
                        format!("{what} is due {due}, outside the plan's period {from} .. {to}"),
                    );
                }
            }
        }
        if let (Some(due), Some(target)) = (&o.due, &o.target)
            && due.value < cx.today
            && !crate::figures::objective(o, None, cx.today).met
            && !o.keys.lost("actual")
            && !o.keys.lost("baseline")
        {
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
            cx.sink.emit_help(
                &OBJECTIVE_MISSED,
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
        let blank = match &o.why {
            Some(w) => w.trim().is_empty(),
            None => o.keys.missing("why"),
        };
        if blank {
            cx.sink.emit_help(
                &MISSING_RATIONALE,
                start(o.span),
                format!("{what} does not say why it matters to the customer"),
                "add `why:` — the customer's problem this goal solves",
            );
        }
    }
}
