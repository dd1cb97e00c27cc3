//! What validation checks of the plan file's rules (declared in
//! `load::rules`, where the loader reports most of them): required fields,
//! the period's order, unique ids, references, the declared tier.

use std::collections::HashMap;

use super::rules::{Check, Report};
use super::{Ctx, start};
use crate::load::rules::{
    DANGLING_REFERENCE, DUPLICATE_ID, INVALID_VALUE, MISSING_REQUIRED, TIER_MISMATCH,
};
use crate::model::{Id, Sp, Span};

/// The checks, each reporting only its rule.
pub(super) const CHECKS: &[Check] = &[
    Check {
        rule: &MISSING_REQUIRED,
        run: required,
    },
    Check {
        rule: &INVALID_VALUE,
        run: period_order,
    },
    Check {
        rule: &DUPLICATE_ID,
        run: duplicates,
    },
    Check {
        rule: &DANGLING_REFERENCE,
        run: references,
    },
    Check {
        rule: &TIER_MISMATCH,
        run: tier,
    },
];

fn required(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let plan = cx.plan;
    let missing = |out: &mut Report<'_>, at: Span, what: &str, help: &str| {
        out.emit_help(at, format!("{what} is missing"), help);
    };
    match &plan.account {
        None if !plan.keys.missing("account") => {}
        None => missing(
            out,
            Span::FILE,
            "`account`",
            "add `account:` with at least `name` and `owner`",
        ),
        Some(a) => {
            let at = cx.top_key("account");
            if a.keys.missing("name") {
                missing(
                    out,
                    at,
                    "`account.name`",
                    "add the customer's name under `account:`",
                );
            }
            if a.keys.missing("owner") {
                missing(
                    out,
                    at,
                    "`account.owner`",
                    "add `owner:` with the team id of the key account manager",
                );
            }
        }
    }
    match &plan.period {
        None if !plan.keys.missing("period") => {}
        None => missing(
            out,
            Span::FILE,
            "`period`",
            "add `period: { start: 2026-01-01, end: 2026-12-31 }`",
        ),
        Some(p) => {
            let at = cx.top_key("period");
            for key in ["start", "end"] {
                if p.keys.missing(key) {
                    missing(
                        out,
                        at,
                        &format!("`period.{key}`"),
                        "a period needs both `start` and `end`",
                    );
                }
            }
        }
    }
    let lists: [(&str, Vec<(Span, bool)>); 7] = [
        (
            "objective",
            plan.objectives
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            "stakeholder",
            plan.stakeholders
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            "team member",
            plan.team
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            "strategy",
            plan.strategies
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            "action",
            plan.actions
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            "milestone",
            plan.milestones
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            "KPI",
            plan.kpis
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
    ];
    for (what, items) in lists {
        for (span, no_id) in items {
            if no_id {
                missing(
                    out,
                    start(span),
                    &format!("the {what}'s `id`"),
                    "add `id:` in kebab-case, e.g. `id: cto-workshop`",
                );
            }
        }
    }
    for v in &cx.account.visits {
        if v.meta.keys.missing("date") {
            out.emit_help_in(
                &v.file,
                Span::FILE,
                "the visit record has no `date`",
                "start the file with front matter:\n---\ndate: 2026-03-14\nattendees: [zhang-wei, li-ming]\n---",
            );
        }
    }
}

fn period_order(cx: &Ctx<'_>, out: &mut Report<'_>) {
    if let Some(p) = &cx.plan.period
        && let (Some(s), Some(e)) = (&p.start, &p.end)
        && e.value < s.value
    {
        out.emit(
            e.span,
            format!("the period ends ({e}) before it starts ({s})"),
        );
    }
}

fn duplicates(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let plan = cx.plan;
    let lists: [(&str, Vec<&Sp<Id>>); 7] = [
        (
            "objectives",
            plan.objectives
                .iter()
                .filter_map(|x| x.id.as_ref())
                .collect(),
        ),
        (
            "stakeholders",
            plan.stakeholders
                .iter()
                .filter_map(|x| x.id.as_ref())
                .collect(),
        ),
        (
            "team",
            plan.team.iter().filter_map(|x| x.id.as_ref()).collect(),
        ),
        (
            "strategies",
            plan.strategies
                .iter()
                .filter_map(|x| x.id.as_ref())
                .collect(),
        ),
        (
            "actions",
            plan.actions.iter().filter_map(|x| x.id.as_ref()).collect(),
        ),
        (
            "milestones",
            plan.milestones
                .iter()
                .filter_map(|x| x.id.as_ref())
                .collect(),
        ),
        (
            "kpis",
            plan.kpis.iter().filter_map(|x| x.id.as_ref()).collect(),
        ),
    ];
    for (list, ids) in lists {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for id in ids {
            if let Some(first) = seen.get(id.as_str()) {
                out.emit_help(
                    id.span,
                    format!(
                        "id `{id}` appears twice in `{list}` (first on line {})",
                        first.line
                    ),
                    "ids must be unique within their list: rename one",
                );
            } else {
                seen.insert(id.as_str(), id.span);
            }
        }
    }
}

/// One kind of reference target: its ids and how to name it.
struct Targets<'a> {
    ids: Vec<&'a str>,
    /// Some ids were lost to a diagnostic already given (the list's key is
    /// misspelt, the list or an item or an id is not readable): a reference
    /// that matches none may be to one of them, so it is not reported.
    lost: bool,
    what: &'static str,
    list: &'static str,
}

impl Targets<'_> {
    /// What is wrong with `field: reference`, and the help, when it points
    /// nowhere.
    fn dangling(&self, reference: &Sp<Id>, field: &str) -> Option<(String, String)> {
        if self.lost || self.ids.contains(&reference.as_str()) {
            return None;
        }
        let hint = match crate::load::suggest(reference.as_str(), self.ids.iter().copied()) {
            Some(close) => format!(" (did you mean `{close}`?)"),
            None => String::new(),
        };
        Some((
            format!("`{field}: {reference}` is not {} id{hint}", self.what),
            format!("add it to `{}`, or use one of the ids there", self.list),
        ))
    }

    /// Reports `field: reference` in `plan.yaml` when it points nowhere.
    fn check(&self, out: &mut Report<'_>, reference: &Sp<Id>, field: &str) {
        if let Some((message, help)) = self.dangling(reference, field) {
            out.emit_help(reference.span, message, help);
        }
    }
}

fn ids(v: Vec<Option<&Sp<Id>>>) -> Vec<&str> {
    v.into_iter().flatten().map(|i| i.as_str()).collect()
}

fn references(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let plan = cx.plan;
    let team = Targets {
        ids: ids(plan.team.iter().map(|x| x.id.as_ref()).collect()),
        lost: cx.lost("team") || plan.team.iter().any(|x| x.keys.lost("id")),
        what: "a team member",
        list: "team",
    };
    let people = Targets {
        ids: ids(plan.stakeholders.iter().map(|x| x.id.as_ref()).collect()),
        lost: cx.lost("stakeholders") || plan.stakeholders.iter().any(|x| x.keys.lost("id")),
        what: "a stakeholder",
        list: "stakeholders",
    };
    let objectives = Targets {
        ids: ids(plan.objectives.iter().map(|x| x.id.as_ref()).collect()),
        lost: cx.lost("objectives") || plan.objectives.iter().any(|x| x.keys.lost("id")),
        what: "an objective",
        list: "objectives",
    };
    let strategies = Targets {
        ids: ids(plan.strategies.iter().map(|x| x.id.as_ref()).collect()),
        lost: cx.lost("strategies") || plan.strategies.iter().any(|x| x.keys.lost("id")),
        what: "a strategy",
        list: "strategies",
    };
    if let Some(owner) = plan.account.as_ref().and_then(|a| a.owner.as_ref()) {
        team.check(out, owner, "owner");
    }
    for s in &plan.stakeholders {
        if let Some(r) = &s.reports_to {
            people.check(out, r, "reports_to");
        }
    }
    for s in &plan.strategies {
        s.objectives
            .iter()
            .for_each(|o| objectives.check(out, o, "objectives"));
    }
    for a in &plan.actions {
        if let Some(s) = &a.strategy {
            strategies.check(out, s, "strategy");
        }
        a.objectives
            .iter()
            .for_each(|o| objectives.check(out, o, "objectives"));
        if let Some(o) = &a.owner {
            team.check(out, o, "owner");
        }
        a.stakeholders
            .iter()
            .for_each(|s| people.check(out, s, "stakeholders"));
    }
    for m in &plan.milestones {
        m.objectives
            .iter()
            .for_each(|o| objectives.check(out, o, "objectives"));
    }
    for r in &plan.returns {
        if let Some(o) = &r.objective {
            objectives.check(out, o, "objective");
        }
    }
    if let Some(by) = plan.review.as_ref().and_then(|r| r.by.as_ref()) {
        team.check(out, by, "by");
    }
    for r in &plan.risks {
        if let Some(o) = &r.owner {
            team.check(out, o, "owner");
        }
    }
    for a in &plan.asks {
        if let Some(of) = &a.of {
            team.check(out, of, "of");
        }
    }
    let mut everyone = team.ids.clone();
    everyone.extend(&people.ids);
    let attendees = Targets {
        ids: everyone,
        lost: team.lost || people.lost,
        what: "a team member or stakeholder",
        list: "team` or `stakeholders",
    };
    for v in &cx.account.visits {
        for a in &v.meta.attendees {
            if let Some((message, help)) = attendees.dangling(a, "attendees") {
                out.emit_help_in(&v.file, a.span, message, help);
            }
        }
    }
}

fn tier(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let Some(declared) = cx.plan.account.as_ref().and_then(|a| a.tier.as_ref()) else {
        return;
    };
    let (Some(computed), Some(total)) = (cx.figures.computed_tier, cx.figures.scorecard) else {
        return;
    };
    // A weight or score that could not be read would change the total.
    let unread = |c: &crate::model::Criterion| c.keys.lost("weight") || c.keys.lost("score");
    if cx.lost("scorecard") || cx.plan.scorecard.iter().any(unread) {
        return;
    }
    if computed != declared.value {
        out.emit_help(
            declared.span,
            format!("the account is declared `{declared}`, but its scorecard totals {total} → `{computed}`"),
            "change `tier`, or revisit the scorecard's weights and scores",
        );
    }
}
