//! Rules of the question Who — 对谁做: the buying centre and its key people.

use super::{Report, checked_rules};
use crate::figures::last_contact;
use crate::message::{Arg, Message, Thing, texts};
use crate::model::{Attitude, BuyerRole, Date, Id, Named, Sp, Stakeholder};
use crate::validate::{Ctx, STAKEHOLDER, TEAM_MEMBER, start, thing};

checked_rules! {
    question: Who;

    /// `who/no-stakeholders`: the plan names no stakeholders.
    NO_STAKEHOLDERS {
        check: no_stakeholders,
        name: "who/no-stakeholders",
        level: Error,
        summary: "the plan names no stakeholders"
            / "计划没有列出关键人物",
    }

    /// `who/no-decision-maker`: no stakeholder is the `economic-buyer`.
    NO_DECISION_MAKER {
        check: no_decision_maker,
        name: "who/no-decision-maker",
        level: Error,
        summary: "no stakeholder is the `economic-buyer`"
            / "没有关键人物被标为决策者（`economic-buyer`）",
    }

    /// `who/no-coach`: no stakeholder is a `coach`.
    NO_COACH {
        check: no_coach,
        name: "who/no-coach",
        level: Warning,
        summary: "no stakeholder is a `coach`"
            / "没有关键人物被标为内线教练（`coach`）",
    }

    /// `who/decision-maker-not-engaged`: no economic buyer has been contacted recently.
    DECISION_MAKER_NOT_ENGAGED {
        check: decision_maker_not_engaged,
        name: "who/decision-maker-not-engaged",
        level: Warning,
        summary: "no economic buyer has been contacted recently"
            / "近期没有接触过决策者",
    }

    /// `who/unknown-attitude`: an influential stakeholder's `attitude` is unknown.
    UNKNOWN_ATTITUDE {
        check: unknown_attitude,
        name: "who/unknown-attitude",
        level: Warning,
        summary: "an influential stakeholder's `attitude` is unknown"
            / "有影响力的关键人物态度（`attitude`）不明",
    }

    /// `who/opponent-unaddressed`: an influential skeptic or opponent is the target of no open action.
    OPPONENT_UNADDRESSED {
        check: opponent_unaddressed,
        name: "who/opponent-unaddressed",
        level: Warning,
        summary: "an influential skeptic or opponent is the target of no open action"
            / "有影响力的怀疑者或反对者没有对应的在办行动",
    }

    /// `who/key-person-not-engaged`: a key person other than the economic buyer has not been contacted recently.
    KEY_PERSON_NOT_ENGAGED {
        check: key_person_not_engaged,
        name: "who/key-person-not-engaged",
        level: Warning,
        summary: "a key person other than the economic buyer has not been contacted recently"
            / "决策者以外的关键人物近期没有接触",
    }

    /// `who/uncovered-key-person`: nobody on our side holds the relationship with a key person.
    UNCOVERED_KEY_PERSON {
        check: uncovered_key_person,
        name: "who/uncovered-key-person",
        level: Warning,
        summary: "nobody on our side holds the relationship with a key person"
            / "我方没有人维护与某位关键人物的关系",
    }

    /// `who/single-threaded`: one team member holds every relationship with the key persons.
    SINGLE_THREADED {
        check: single_threaded,
        name: "who/single-threaded",
        level: Warning,
        summary: "one team member holds every relationship with the key persons"
            / "与关键人物的关系全由一名团队成员维护",
    }
}

texts! {
    NO_STAKEHOLDERS_MSG:
        "the plan names no stakeholders: who decides, who uses, who influences?"
        / "计划没有列出关键人物：谁拍板？谁使用？谁有影响力？";
    NO_STAKEHOLDERS_HELP:
        "add `stakeholders:` with the buying centre, starting with the economic buyer"
        / "添加 `stakeholders:`，列出采购决策圈，先从决策者写起";
    NO_DECISION_MAKER_MSG:
        "no stakeholder is the economic buyer: who signs off the money?"
        / "没有关键人物被标为决策者：预算由谁签字？";
    NO_DECISION_MAKER_HELP:
        "mark the decision maker with `role: economic-buyer`"
        / "用 `role: economic-buyer` 标出决策者";
    NO_COACH_MSG:
        "no stakeholder is a coach who guides us inside the account"
        / "没有内线教练在客户内部为我们指路";
    NO_COACH_HELP:
        "mark a friendly insider with `role: coach`, or plan how to win one"
        / "用 `role: coach` 标出支持我们的内部人士，或者制定发展内线的计划";
    BUYER_NOT_ENGAGED_MSG:
        "no economic buyer has been contacted in the last {days}: {since}"
        / "近 {days}内没有接触过任何决策者：{since}";
    BUYER_NOT_ENGAGED_HELP:
        "meet the decision maker, then record it with `last_contact` or a visit record listing them in `attendees`"
        / "约见决策者，然后在 `last_contact` 里记下日期，或写一份拜访记录并把决策者列入 `attendees`";
    KEY_PERSON_MSG:
        "{stakeholder} has influence {influence} but has not been contacted in the last {days}: {since}"
        / "{stakeholder}的影响力为 {influence}，但近 {days}内没有接触：{since}";
    KEY_PERSON_HELP:
        "meet them, then record it with `last_contact` or a visit record listing them in `attendees`"
        / "安排见面，然后在 `last_contact` 里记下日期，或写一份拜访记录并把对方列入 `attendees`";
    UNKNOWN_ATTITUDE_MSG:
        "{stakeholder} has influence {influence} but no known `attitude`"
        / "{stakeholder}的影响力为 {influence}，但态度（`attitude`）不明";
    UNKNOWN_ATTITUDE_HELP:
        "find out where they stand: champion, supporter, neutral, skeptic or opponent"
        / "弄清对方的立场：倡导者、支持者、中立、怀疑者还是反对者";
    OPPONENT_MSG:
        "{stakeholder} is a {attitude} with influence {influence}, and no open action targets them"
        / "{stakeholder}是影响力为 {influence} 的{attitude}，但没有任何在办行动以此人为对象";
    OPPONENT_HELP:
        "plan an action that lists them in its `stakeholders`"
        / "安排一项行动，把此人列入该行动的 `stakeholders`";
    UNCOVERED_MSG:
        "{stakeholder} has influence {influence}, but no `coverage`: nobody on our side is known to hold the relationship"
        / "{stakeholder}的影响力为 {influence}，但没有 `coverage`：我方没有人负责维护与此人的关系";
    UNCOVERED_HELP:
        "add `coverage:` with who knows them and how well, e.g. `- { by: zhang-wei, level: aware, target: trusted }`"
        / "添加 `coverage:`，写明谁与此人有关系、关系有多深，例如 `- { by: zhang-wei, level: aware, target: trusted }`";
    SINGLE_THREADED_MSG:
        "every relationship with the key persons is held by {member}: if they leave or fall out of favour, the account's ties go with them"
        / "与关键人物的关系全都由{member}一人维护：此人一旦离开或失宠，与客户的联系也就断了";
    SINGLE_THREADED_HELP:
        "give the executive sponsor or a specialist relationships of their own with key persons (executive visits, peer meetings), and record them in `coverage`"
        / "让高层发起人或专家与关键人物建立各自的关系（高层互访、对口交流），并记入 `coverage`";
    LAST_CONTACT:
        "the last contact was {date}, {days} before {today}"
        / "最近一次接触是 {date}，距 {today} 已有 {days}";
    NO_CONTACT: "there is no recorded contact" / "没有任何接触记录";
}

fn no_stakeholders(cx: &Ctx<'_>, out: &mut Report<'_>) {
    out.empty_list(
        cx,
        "stakeholders",
        cx.plan.stakeholders.is_empty(),
        &NO_STAKEHOLDERS_MSG,
        &NO_STAKEHOLDERS_HELP,
    );
}

/// Whether the plan names stakeholders but none with `role`; not when it
/// names none (that is `who/no-stakeholders`) or a role could not be read
/// (it may be the one looked for).
fn lacks_role(cx: &Ctx<'_>, role: BuyerRole) -> bool {
    let people = &cx.plan.stakeholders;
    !people.is_empty()
        && !people.iter().any(|s| s.keys.lost("role"))
        && !people
            .iter()
            .any(|s| s.role.as_ref().is_some_and(|r| r.value == role))
}

fn no_decision_maker(cx: &Ctx<'_>, out: &mut Report<'_>) {
    if lacks_role(cx, BuyerRole::EconomicBuyer) {
        out.emit_help(
            cx.top_key("stakeholders"),
            &NO_DECISION_MAKER_MSG,
            &NO_DECISION_MAKER_HELP,
        );
    }
}

fn no_coach(cx: &Ctx<'_>, out: &mut Report<'_>) {
    if lacks_role(cx, BuyerRole::Coach) {
        out.emit_help(cx.top_key("stakeholders"), &NO_COACH_MSG, &NO_COACH_HELP);
    }
}

/// Whether `s` is marked the economic buyer.
fn is_buyer(s: &Stakeholder) -> bool {
    s.role
        .as_ref()
        .is_some_and(|r| r.value == BuyerRole::EconomicBuyer)
}

fn decision_maker_not_engaged(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let buyers: Vec<&Stakeholder> = cx
        .plan
        .stakeholders
        .iter()
        .filter(|s| is_buyer(s))
        .collect();
    let latest = buyers
        .iter()
        .filter_map(|s| last_contact(s, &cx.account.visits, cx.today))
        .max();
    if let Some(first) = buyers.first()
        && !buyers.iter().any(|s| s.keys.lost("last_contact"))
        && let Some(since) = not_contacted(cx, latest)
    {
        out.emit_help(
            start(first.span),
            Message::new(&BUYER_NOT_ENGAGED_MSG)
                .with("days", contact_days(cx))
                .with("since", since),
            &BUYER_NOT_ENGAGED_HELP,
        );
    }
}

fn key_person_not_engaged(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let key = i64::from(cx.config.thresholds.key_influence);
    for s in &cx.plan.stakeholders {
        let influence = s.influence.as_ref().map_or(0, |i| i.get());
        // A role that could not be read may be `economic-buyer`.
        let unread = s.keys.lost("role") || s.keys.lost("last_contact");
        if influence < key || is_buyer(s) || unread {
            continue;
        }
        if let Some(since) = not_contacted(cx, last_contact(s, &cx.account.visits, cx.today)) {
            out.emit_help(
                start(s.span),
                Message::new(&KEY_PERSON_MSG)
                    .with("stakeholder", person(s))
                    .with("influence", Arg::Number(influence as f64))
                    .with("days", contact_days(cx))
                    .with("since", since),
                &KEY_PERSON_HELP,
            );
        }
    }
}

/// The plan's key persons: stakeholders with influence ≥ `key_influence`.
fn key_persons<'a>(cx: &Ctx<'a>) -> impl Iterator<Item = &'a Stakeholder> {
    let key = i64::from(cx.config.thresholds.key_influence);
    cx.plan
        .stakeholders
        .iter()
        .filter(move |s| s.influence.as_ref().is_some_and(|i| i.get() >= key))
}

fn uncovered_key_person(cx: &Ctx<'_>, out: &mut Report<'_>) {
    // Silent for a plan that does not record coverage at all.
    let recorded = cx
        .plan
        .stakeholders
        .iter()
        .any(|s| !s.coverage.is_empty() || s.keys.lost("coverage"));
    if !recorded {
        return;
    }
    for s in key_persons(cx) {
        if s.coverage.is_empty() && s.keys.missing("coverage") {
            out.emit_help(
                start(s.span),
                Message::new(&UNCOVERED_MSG)
                    .with("stakeholder", person(s))
                    .with(
                        "influence",
                        Arg::Number(s.influence.as_ref().map_or(0, |i| i.get()) as f64),
                    ),
                &UNCOVERED_HELP,
            );
        }
    }
}

fn single_threaded(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let mut holders: Vec<&Sp<Id>> = Vec::new();
    for s in key_persons(cx) {
        for c in &s.coverage {
            match &c.by {
                Some(by) => holders.push(by),
                // A `by` that could not be read may be someone else.
                None if c.keys.lost("by") => return,
                None => {}
            }
        }
    }
    let Some(first) = holders.first() else {
        return;
    };
    if holders.iter().all(|h| h.value == first.value) {
        let member = cx
            .plan
            .team
            .iter()
            .find(|m| m.id.as_ref().map(|i| &i.value) == Some(&first.value));
        out.emit_help(
            cx.top_key("stakeholders"),
            Message::new(&SINGLE_THREADED_MSG).with(
                "member",
                thing(
                    &TEAM_MEMBER,
                    Some(first),
                    member.and_then(|m| m.name.as_ref()),
                ),
            ),
            &SINGLE_THREADED_HELP,
        );
    }
}

fn unknown_attitude(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for s in &cx.plan.stakeholders {
        let influence = s.influence.as_ref().map_or(0, |i| i.get());
        if influence >= 4 && s.keys.missing("attitude") {
            out.emit_help(
                start(s.span),
                Message::new(&UNKNOWN_ATTITUDE_MSG)
                    .with("stakeholder", person(s))
                    .with("influence", Arg::Number(influence as f64)),
                &UNKNOWN_ATTITUDE_HELP,
            );
        }
    }
}

fn opponent_unaddressed(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let plan = cx.plan;
    // Which actions target whom is unknown when actions were lost.
    let actions_lost = cx.lost("actions")
        || plan
            .actions
            .iter()
            .any(|a| a.keys.lost("stakeholders") || a.keys.lost("status"));
    if actions_lost {
        return;
    }
    for s in &plan.stakeholders {
        let influence = s.influence.as_ref().map_or(0, |i| i.get());
        let against = s
            .attitude
            .as_ref()
            .is_some_and(|a| matches!(a.value, Attitude::Skeptic | Attitude::Opponent));
        if !against || influence < 3 {
            continue;
        }
        let id = s.id.as_ref().map(|i| i.value.clone());
        let addressed = plan.actions.iter().any(|a| {
            a.status_or_planned().is_open()
                && a.stakeholders.iter().any(|t| Some(&t.value) == id.as_ref())
        });
        if !addressed {
            let attitude = s.attitude.as_ref().map_or("", |a| Named::as_str(a.value));
            out.emit_help(
                start(s.span),
                Message::new(&OPPONENT_MSG)
                    .with("stakeholder", person(s))
                    .with("attitude", Arg::Value("enum.attitude", attitude.to_owned()))
                    .with("influence", Arg::Number(influence as f64)),
                &OPPONENT_HELP,
            );
        }
    }
}

/// Why the latest contact `latest` is not recent enough — "the last contact
/// was …" or "there is no recorded contact" — or `None` when it lies within
/// `contact_days` before today (a contact exactly `contact_days` ago counts).
fn not_contacted(cx: &Ctx<'_>, latest: Option<Date>) -> Option<Message> {
    let within = i64::from(cx.config.thresholds.contact_days);
    match latest {
        Some(d) if d.days_until(cx.today) <= within => None,
        Some(d) => Some(
            Message::new(&LAST_CONTACT)
                .with("date", d)
                .with("days", Arg::Days(d.days_until(cx.today)))
                .with("today", cx.today),
        ),
        None => Some(Message::new(&NO_CONTACT)),
    }
}

/// `contact_days` as a number of days.
fn contact_days(cx: &Ctx<'_>) -> Arg {
    Arg::Days(i64::from(cx.config.thresholds.contact_days))
}

/// A stakeholder for messages, by name: `stakeholder “Wang Gang” (wang-gang)`.
fn person(s: &Stakeholder) -> Thing {
    thing(&STAKEHOLDER, s.id.as_ref(), s.name.as_ref())
}
