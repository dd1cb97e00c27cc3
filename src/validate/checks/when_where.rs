//! When and where — 何时何地做.

use super::{label, start, titled};
use crate::model::Status;
use crate::validate::Ctx;
use crate::validate::rules::when_where::*;

pub(super) fn check(cx: &mut Ctx<'_>) {
    let plan = cx.plan;
    for a in &plan.actions {
        let what = label(a.id.as_ref(), "action");
        let status = a.status.as_ref().map_or(Status::Planned, |s| s.value);
        match &a.due {
            None if !a.keys.missing("due") => {}
            None => cx.sink.emit_help(
                &UNDATED_ACTION,
                start(a.span),
                format!("{what} has no due date"),
                "add `due: YYYY-MM-DD`",
            ),
            Some(due)
                if due.value < cx.today
                    && !matches!(status, Status::Done | Status::Dropped)
                    && !a.keys.lost("status") =>
            {
                cx.sink.emit_help(
                    &OVERDUE_ACTION,
                    due.span,
                    format!(
                        "{what} was due {due}, {} days ago, and is still {status}",
                        due.days_until(cx.today)
                    ),
                    "mark it `done` or `dropped`, or set a new `due` date",
                )
            }
            Some(_) => {}
        }
        if !a.stakeholders.is_empty() && a.keys.missing("where") {
            cx.sink.emit_help(
                &NO_VENUE,
                start(a.span),
                format!("{what} meets stakeholders but does not say where"),
                "add `where:` — the venue matters for who can attend",
            );
        }
    }
    if plan.milestones.is_empty() && !cx.lost("milestones") {
        cx.sink.emit_help(
            &NO_MILESTONES,
            cx.top_key("milestones"),
            "the plan has no milestones: when are the customer's budget cycles, tenders and reviews?",
            "add `milestones:` with the dates the plan must meet",
        );
    }
    let period = cx.period();
    for m in &plan.milestones {
        if let (Some((from, to)), Some(date)) = (period, &m.date)
            && (date.value < from || date.value > to)
        {
            cx.sink.emit_help(
                &MILESTONE_OUTSIDE_PERIOD,
                date.span,
                format!(
                    "{} is dated {date}, outside the plan's period {from} .. {to}",
                    titled(m.id.as_ref(), m.title.as_ref(), "milestone")
                ),
                "correct the date (a typo in the year?), or move the milestone to the plan of its period",
            );
        }
        if m.keys.missing("where") {
            cx.sink.emit_help(
                &NO_VENUE,
                start(m.span),
                format!("{} does not say where", label(m.id.as_ref(), "milestone")),
                "add `where:`",
            );
        }
    }
}
