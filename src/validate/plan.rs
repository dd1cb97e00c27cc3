//! What validation checks of the plan file's rules (declared in
//! `load::rules`, where the loader reports most of them): required fields,
//! the period's order, unique ids, references, the declared tier.

use std::collections::HashMap;

use super::rules::{Check, Report};
use super::{Ctx, start};
use crate::load::rules::{
    DANGLING_REFERENCE, DUPLICATE_ID, INVALID_VALUE, MISSING_REQUIRED, TIER_MISMATCH,
    UNKNOWN_PERSON,
};
use crate::message::{Arg, DID_YOU_MEAN, Message, NOTHING, Text, texts};
use crate::model::{Id, Sp, Span, WhitespaceStatus};
use crate::validate::{ACTION, KPI, MILESTONE, OBJECTIVE, STAKEHOLDER, STRATEGY, TEAM_MEMBER};

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
        rule: &INVALID_VALUE,
        run: holder,
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
    super::privacy::CHECK,
    Check {
        rule: &UNKNOWN_PERSON,
        run: unknown_person,
    },
];

texts! {
    MISSING: "{what} is missing" / "缺少 {what}";
    ADD_ACCOUNT:
        "add `account:` with at least `name` and `owner`"
        / "添加 `account:`，至少写上 `name` 和 `owner`";
    ADD_NAME: "add the customer's name under `account:`" / "在 `account:` 下写上客户名称";
    ADD_OWNER:
        "add `owner:` with the team id of the key account manager"
        / "添加 `owner:`，填写大客户经理在团队中的 id";
    ADD_PERIOD:
        "add `period: { start: 2026-01-01, end: 2026-12-31 }`"
        / "添加 `period: { start: 2026-01-01, end: 2026-12-31 }`";
    PERIOD_ENDS:
        "a period needs both `start` and `end`"
        / "计划期需要同时写明 `start` 和 `end`";
    MISSING_ID: "the {what}'s `id` is missing" / "{what}缺少 `id`";
    ADD_ID:
        "add `id:` in kebab-case, e.g. `id: cto-workshop`"
        / "添加 `id:`，用小写字母和连字符，例如 `id: cto-workshop`";
    VISIT_NO_DATE: "the visit record has no `date`" / "拜访记录没有 `date`";
    VISIT_NO_DATE_HELP:
        "start the file with front matter:\n---\ndate: 2026-03-14\nattendees: [zhang-wei, li-ming]\n---"
        / "在文件开头写上前置元数据：\n---\ndate: 2026-03-14\nattendees: [zhang-wei, li-ming]\n---";
    PERIOD_ORDER:
        "the period ends ({end}) before it starts ({start})"
        / "计划期的结束日期（{end}）早于开始日期（{start}）";
    DUPLICATE:
        "id `{id}` appears twice in `{list}` (first on line {line})"
        / "id `{id}` 在 `{list}` 中出现了两次（第一次在第 {line} 行）";
    DUPLICATE_HELP:
        "ids must be unique within their list: rename one"
        / "同一列表中的 id 不能重复：改掉其中一个";
    DANGLING:
        "`{field}: {reference}` is not {what} id{hint}"
        / "`{field}: {reference}` 不是任何{what}的 id{hint}";
    A_TEAM_MEMBER: "a team member" / "团队成员";
    A_STAKEHOLDER: "a stakeholder" / "关键人物";
    AN_OBJECTIVE: "an objective" / "目标";
    A_STRATEGY: "a strategy" / "策略";
    DANGLING_HELP:
        "add it to `{list}`, or use one of the ids there"
        / "把它添加到 `{list}`，或改用那里已有的 id";
    PERSON: "a team member or stakeholder" / "团队成员或关键人物";
    ADD_COVERAGE:
        "write each coverage entry as `{ by: zhang-wei, level: favorable }`: `by` a team id, `level` one of aware, favorable, trusted, allied"
        / "每条关系覆盖写成 `{ by: zhang-wei, level: favorable }`：`by` 是团队 id，`level` 取 aware、favorable、trusted、allied 之一";
    ADD_CELL:
        "each whitespace cell needs `unit`, `offering` and `status` (owned, pipeline, gap, competitor or not-applicable)"
        / "白区表的每一格都需要 `unit`、`offering` 和 `status`（owned、pipeline、gap、competitor 或 not-applicable）";
    HOLDER:
        "`holder: {holder}` is given, but the status is `{status}`: only a `competitor` cell has a holder"
        / "写了 `holder: {holder}`，但状态是 `{status}`：只有 `competitor` 格才有占据者";
    HOLDER_HELP:
        "set `status: competitor`, or remove `holder`"
        / "把状态改为 `status: competitor`，或删除 `holder`";
    TIER:
        "the account is declared `{declared}`, but its scorecard totals {total} → `{computed}`"
        / "客户等级声明为 `{declared}`，但评分卡总分为 {total}，对应 `{computed}`";
    NOT_A_PERSON:
        "team member `{id}` is not in `people.yaml`{hint}"
        / "团队成员 `{id}` 不在 `people.yaml` 中{hint}";
    NOT_A_PERSON_HELP:
        "add them to `people.yaml`, or use the id `people.yaml` gives them"
        / "把此人添加到 `people.yaml`，或改用 `people.yaml` 中此人的 id";
    TIER_HELP:
        "change `tier`, or revisit the scorecard's weights and scores"
        / "修改 `tier`，或重新审视评分卡的权重和得分";
}

fn required(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let plan = cx.plan;
    let missing = |out: &mut Report<'_>, at: Span, what: &str, help: &'static Text| {
        out.emit_help(at, Message::new(&MISSING).with("what", what), help);
    };
    match &plan.account {
        None if !plan.keys.missing("account") => {}
        None => missing(out, Span::FILE, "`account`", &ADD_ACCOUNT),
        Some(a) => {
            let at = cx.top_key("account");
            if a.keys.missing("name") {
                missing(out, at, "`account.name`", &ADD_NAME);
            }
            if a.keys.missing("owner") {
                missing(out, at, "`account.owner`", &ADD_OWNER);
            }
        }
    }
    match &plan.period {
        None if !plan.keys.missing("period") => {}
        None => missing(out, Span::FILE, "`period`", &ADD_PERIOD),
        Some(p) => {
            let at = cx.top_key("period");
            for key in ["start", "end"] {
                if p.keys.missing(key) {
                    missing(out, at, &format!("`period.{key}`"), &PERIOD_ENDS);
                }
            }
        }
    }
    let lists: [(&'static Text, Vec<(Span, bool)>); 7] = [
        (
            &OBJECTIVE,
            plan.objectives
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            &STAKEHOLDER,
            plan.stakeholders
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            &TEAM_MEMBER,
            plan.team
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            &STRATEGY,
            plan.strategies
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            &ACTION,
            plan.actions
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            &MILESTONE,
            plan.milestones
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
        (
            &KPI,
            plan.kpis
                .iter()
                .map(|x| (x.span, x.keys.missing("id")))
                .collect(),
        ),
    ];
    for (what, items) in lists {
        for (span, no_id) in items {
            if no_id {
                out.emit_help(
                    start(span),
                    Message::new(&MISSING_ID).with("what", what),
                    &ADD_ID,
                );
            }
        }
    }
    let incomplete = |keys: &crate::model::KeySpans, fields: &[&'static str]| {
        fields
            .iter()
            .filter(|f| keys.missing(f))
            .copied()
            .collect::<Vec<_>>()
    };
    for s in &plan.stakeholders {
        for c in &s.coverage {
            for f in incomplete(&c.keys, &["by", "level"]) {
                missing(
                    out,
                    start(c.span),
                    &format!("`coverage.{f}`"),
                    &ADD_COVERAGE,
                );
            }
        }
    }
    for w in &plan.whitespace {
        for f in incomplete(&w.keys, &["unit", "offering", "status"]) {
            missing(out, start(w.span), &format!("`whitespace.{f}`"), &ADD_CELL);
        }
    }
    for v in &cx.account.visits {
        if v.meta.keys.missing("date") {
            out.emit_help_in(&v.file, Span::FILE, &VISIT_NO_DATE, &VISIT_NO_DATE_HELP);
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
            Message::new(&PERIOD_ORDER)
                .with("end", e.value)
                .with("start", s.value),
        );
    }
}

/// A whitespace cell names a `holder` but is not held by a competitor.
fn holder(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for w in &cx.plan.whitespace {
        if let (Some(h), Some(status)) = (&w.holder, &w.status)
            && status.value != WhitespaceStatus::Competitor
        {
            out.emit_help(
                h.span,
                Message::new(&HOLDER)
                    .with("holder", h.value.as_str())
                    .with("status", status.value.to_string()),
                &HOLDER_HELP,
            );
        }
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
                    Message::new(&DUPLICATE)
                        .with("id", id.as_str())
                        .with("list", list)
                        .with("line", Arg::Plain(first.line.to_string())),
                    &DUPLICATE_HELP,
                );
            } else {
                seen.insert(id.as_str(), id.span);
            }
        }
    }
}

/// One kind of reference target: its ids and how to name it.
pub(crate) struct Targets<'a> {
    pub(crate) ids: Vec<&'a str>,
    /// Some ids were lost to a diagnostic already given (the list's key is
    /// misspelt, the list or an item or an id is not readable): a reference
    /// that matches none may be to one of them, so it is not reported.
    pub(crate) lost: bool,
    pub(crate) what: &'static Text,
    pub(crate) list: &'static str,
}

impl Targets<'_> {
    /// What is wrong with `field: reference`, and the help, when it points
    /// nowhere.
    pub(crate) fn dangling(&self, reference: &Sp<Id>, field: &str) -> Option<(Message, Message)> {
        if self.lost || self.ids.contains(&reference.as_str()) {
            return None;
        }
        let hint = match crate::load::suggest(reference.as_str(), self.ids.iter().copied()) {
            Some(close) => Message::new(&DID_YOU_MEAN).with("name", close),
            None => Message::new(&NOTHING),
        };
        Some((
            Message::new(&DANGLING)
                .with("field", field)
                .with("reference", reference.as_str())
                .with("what", self.what)
                .with("hint", hint),
            Message::new(&DANGLING_HELP).with("list", self.list),
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
        what: &A_TEAM_MEMBER,
        list: "team",
    };
    let people = Targets {
        ids: ids(plan.stakeholders.iter().map(|x| x.id.as_ref()).collect()),
        lost: cx.lost("stakeholders") || plan.stakeholders.iter().any(|x| x.keys.lost("id")),
        what: &A_STAKEHOLDER,
        list: "stakeholders",
    };
    let objectives = Targets {
        ids: ids(plan.objectives.iter().map(|x| x.id.as_ref()).collect()),
        lost: cx.lost("objectives") || plan.objectives.iter().any(|x| x.keys.lost("id")),
        what: &AN_OBJECTIVE,
        list: "objectives",
    };
    let strategies = Targets {
        ids: ids(plan.strategies.iter().map(|x| x.id.as_ref()).collect()),
        lost: cx.lost("strategies") || plan.strategies.iter().any(|x| x.keys.lost("id")),
        what: &A_STRATEGY,
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
    for s in &plan.stakeholders {
        for c in &s.coverage {
            if let Some(by) = &c.by {
                team.check(out, by, "by");
            }
        }
    }
    let mut everyone = team.ids.clone();
    everyone.extend(&people.ids);
    let attendees = Targets {
        ids: everyone,
        lost: team.lost || people.lost,
        what: &PERSON,
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
            Message::new(&TIER)
                .with("declared", declared.value.to_string())
                .with("total", Arg::Number(total))
                .with("computed", computed.to_string()),
            &TIER_HELP,
        );
    }
}

fn unknown_person(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let people = &cx.config.people;
    if !people.present {
        return;
    }
    for id in cx.plan.team.iter().filter_map(|m| m.id.as_ref()) {
        if people.get(id.as_str()).is_some() {
            continue;
        }
        let hint = match crate::load::suggest(id.as_str(), people.ids()) {
            Some(close) => Message::new(&DID_YOU_MEAN).with("name", close),
            None => Message::new(&NOTHING),
        };
        out.emit_help(
            id.span,
            Message::new(&NOT_A_PERSON)
                .with("id", id.as_str())
                .with("hint", hint),
            &NOT_A_PERSON_HELP,
        );
    }
}
