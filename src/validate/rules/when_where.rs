//! Rules of the question When and where — 何时何地做: timing windows and venues.

use super::{Report, checked_rules};
use crate::message::{Arg, Message, Thing, texts};
use crate::model::{Action, Milestone, Status};
use crate::validate::{ACTION, Ctx, MILESTONE, start, thing};

checked_rules! {
    question: WhenWhere;

    /// `when-where/undated-action`: an action has no `due` date.
    UNDATED_ACTION {
        check: undated_action,
        name: "when-where/undated-action",
        level: Error,
        summary: "an action has no `due` date"
            / "行动没有截止日期（`due`）",
    }

    /// `when-where/overdue-action`: an open action is past its `due` date.
    OVERDUE_ACTION {
        check: overdue_action,
        name: "when-where/overdue-action",
        level: Warning,
        summary: "an open action is past its `due` date"
            / "未完成的行动已过截止日期（`due`）",
    }

    /// `when-where/no-milestones`: the plan has no milestones.
    NO_MILESTONES {
        check: no_milestones,
        name: "when-where/no-milestones",
        level: Warning,
        summary: "the plan has no milestones"
            / "计划没有里程碑",
    }

    /// `when-where/no-venue`: a milestone or a meeting action does not say `where`.
    NO_VENUE {
        check: no_venue,
        name: "when-where/no-venue",
        level: Warning,
        summary: "a milestone or a meeting action does not say `where`"
            / "里程碑或会面类行动没有写地点（`where`）",
    }

    /// `when-where/milestone-outside-period`: a milestone is dated outside the plan's period.
    MILESTONE_OUTSIDE_PERIOD {
        check: milestone_outside_period,
        name: "when-where/milestone-outside-period",
        level: Warning,
        summary: "a milestone is dated outside the plan's period"
            / "里程碑日期不在计划期内",
    }
}

texts! {
    UNDATED_MSG: "{action} has no due date" / "{action}没有截止日期";
    ADD_DUE_HELP: "add `due: YYYY-MM-DD`" / "添加 `due: YYYY-MM-DD`";
    OVERDUE_MSG:
        "{action} was due {due}, {days} ago, and is still {status}"
        / "{action}的截止日期是 {due}，已过去 {days}，状态仍是“{status}”";
    OVERDUE_HELP:
        "mark it `done` or `dropped`, or set a new `due` date"
        / "标为 `done` 或 `dropped`，或者定一个新的 `due` 日期";
    NO_MILESTONES_MSG:
        "the plan has no milestones: when are the customer's budget cycles, tenders and reviews?"
        / "计划没有里程碑：客户的预算周期、招标和评审都在什么时候？";
    NO_MILESTONES_HELP:
        "add `milestones:` with the dates the plan must meet"
        / "添加 `milestones:`，写上计划必须赶上的日期";
    MEETING_NO_VENUE_MSG:
        "{action} meets stakeholders but does not say where"
        / "{action}要与关键人物见面，但没有写地点";
    MEETING_NO_VENUE_HELP:
        "add `where:` — the venue matters for who can attend"
        / "添加 `where:`，地点决定了谁能到场";
    MILESTONE_NO_VENUE_MSG: "{milestone} does not say where" / "{milestone}没有写地点";
    MILESTONE_NO_VENUE_HELP: "add `where:`" / "添加 `where:`";
    OUTSIDE_PERIOD_MSG:
        "{milestone} is dated {date}, outside the plan's period {from} .. {to}"
        / "{milestone}的日期是 {date}，不在计划期 {from} 至 {to} 之内";
    OUTSIDE_PERIOD_HELP:
        "correct the date (a typo in the year?), or move the milestone to the plan of its period"
        / "改正日期（年份写错了？），或把这个里程碑移到它所属年度的计划里";
}

fn undated_action(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for a in &cx.plan.actions {
        if a.due.is_none() && a.keys.missing("due") {
            out.emit_help(
                start(a.span),
                Message::new(&UNDATED_MSG).with("action", action(a)),
                &ADD_DUE_HELP,
            );
        }
    }
}

fn overdue_action(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for a in &cx.plan.actions {
        let status = a.status_or_planned();
        if let Some(due) = &a.due
            && due.value < cx.today
            && !matches!(status, Status::Done | Status::Dropped)
            && !a.keys.lost("status")
        {
            out.emit_help(
                due.span,
                Message::new(&OVERDUE_MSG)
                    .with("action", action(a))
                    .with("due", due.value)
                    .with("days", Arg::Days(due.days_until(cx.today)))
                    .with(
                        "status",
                        Arg::Value("enum.action_status", status.to_string()),
                    ),
                &OVERDUE_HELP,
            );
        }
    }
}

fn no_milestones(cx: &Ctx<'_>, out: &mut Report<'_>) {
    out.empty_list(
        cx,
        "milestones",
        cx.plan.milestones.is_empty(),
        &NO_MILESTONES_MSG,
        &NO_MILESTONES_HELP,
    );
}

fn no_venue(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for a in &cx.plan.actions {
        if !a.stakeholders.is_empty() && a.keys.missing("where") {
            out.emit_help(
                start(a.span),
                Message::new(&MEETING_NO_VENUE_MSG).with("action", action(a)),
                &MEETING_NO_VENUE_HELP,
            );
        }
    }
    for m in &cx.plan.milestones {
        if m.keys.missing("where") {
            out.emit_help(
                start(m.span),
                Message::new(&MILESTONE_NO_VENUE_MSG).with("milestone", milestone(m)),
                &MILESTONE_NO_VENUE_HELP,
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
                Message::new(&OUTSIDE_PERIOD_MSG)
                    .with("milestone", milestone(m))
                    .with("date", date.value)
                    .with("from", from)
                    .with("to", to),
                &OUTSIDE_PERIOD_HELP,
            );
        }
    }
}

/// An action as messages name it.
fn action(a: &Action) -> Thing {
    thing(&ACTION, a.id.as_ref(), a.title.as_ref())
}

/// A milestone as messages name it.
fn milestone(m: &Milestone) -> Thing {
    thing(&MILESTONE, m.id.as_ref(), m.title.as_ref())
}
