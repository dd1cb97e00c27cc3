//! Who — 对谁做.

use super::{days, label, start};
use crate::figures::last_contact;
use crate::model::{Attitude, BuyerRole, Date, Named, Stakeholder, Status};
use crate::validate::Ctx;
use crate::validate::rules::who::*;

pub(super) fn check(cx: &mut Ctx<'_>) {
    let plan = cx.plan;
    if plan.stakeholders.is_empty() {
        if cx.lost("stakeholders") {
            return;
        }
        cx.sink.emit_help(
            &NO_STAKEHOLDERS,
            cx.top_key("stakeholders"),
            "the plan names no stakeholders: who decides, who uses, who influences?",
            "add `stakeholders:` with the buying centre, starting with the economic buyer",
        );
        return;
    }
    let has_role = |role: BuyerRole| {
        plan.stakeholders
            .iter()
            .any(|s| s.role.as_ref().is_some_and(|r| r.value == role))
    };
    // A role that could not be read may be the one looked for.
    let role_lost = plan.stakeholders.iter().any(|s| s.keys.lost("role"));
    if !role_lost && !has_role(BuyerRole::EconomicBuyer) {
        cx.sink.emit_help(
            &NO_DECISION_MAKER,
            cx.top_key("stakeholders"),
            "no stakeholder is the economic buyer: who signs off the money?",
            "mark the decision maker with `role: economic-buyer`",
        );
    }
    if !role_lost && !has_role(BuyerRole::Coach) {
        cx.sink.emit_help(
            &NO_COACH,
            cx.top_key("stakeholders"),
            "no stakeholder is a coach who guides us inside the account",
            "mark a friendly insider with `role: coach`, or plan how to win one",
        );
    }
    let buyers: Vec<&Stakeholder> = plan
        .stakeholders
        .iter()
        .filter(|s| {
            s.role
                .as_ref()
                .is_some_and(|r| r.value == BuyerRole::EconomicBuyer)
        })
        .collect();
    let days = cx.config.thresholds.contact_days;
    let latest = buyers
        .iter()
        .filter_map(|s| last_contact(s, &cx.account.visits, cx.today))
        .max();
    if let Some(first) = buyers.first()
        && !buyers.iter().any(|s| s.keys.lost("last_contact"))
        && let Some(since) = not_contacted(cx, latest)
    {
        cx.sink.emit_help(
            &DECISION_MAKER_NOT_ENGAGED,
            start(first.span),
            format!("no economic buyer has been contacted in the last {days} days: {since}"),
            "meet the decision maker, then record it with `last_contact` or a visit record listing them in `attendees`",
        );
    }
    let key = i64::from(cx.config.thresholds.key_influence);
    for s in &plan.stakeholders {
        let influence = s.influence.as_ref().map_or(0, |i| i.get());
        let buyer = s
            .role
            .as_ref()
            .is_some_and(|r| r.value == BuyerRole::EconomicBuyer);
        // A role that could not be read may be `economic-buyer`.
        let unread = s.keys.lost("role") || s.keys.lost("last_contact");
        if influence < key || buyer || unread {
            continue;
        }
        if let Some(since) = not_contacted(cx, last_contact(s, &cx.account.visits, cx.today)) {
            cx.sink.emit_help(
                &KEY_PERSON_NOT_ENGAGED,
                start(s.span),
                format!(
                    "{} has influence {influence} but has not been contacted in the last {days} days: {since}",
                    person(s)
                ),
                "meet them, then record it with `last_contact` or a visit record listing them in `attendees`",
            );
        }
    }
    // Which actions target whom is unknown when actions were lost.
    let actions_lost = cx.lost("actions")
        || plan
            .actions
            .iter()
            .any(|a| a.keys.lost("stakeholders") || a.keys.lost("status"));
    for s in &plan.stakeholders {
        let influence = s.influence.as_ref().map_or(0, |i| i.get());
        if influence >= 4 && s.keys.missing("attitude") {
            cx.sink.emit_help(
                &UNKNOWN_ATTITUDE,
                start(s.span),
                format!(
                    "{} has influence {influence} but no known `attitude`",
                    label(s.id.as_ref(), "stakeholder")
                ),
                "find out where they stand: champion, supporter, neutral, skeptic or opponent",
            );
        }
        let against = s
            .attitude
            .as_ref()
            .is_some_and(|a| matches!(a.value, Attitude::Skeptic | Attitude::Opponent));
        if against && influence >= 3 && !actions_lost {
            let id = s.id.as_ref().map(|i| i.value.clone());
            let addressed = plan.actions.iter().any(|a| {
                a.status
                    .as_ref()
                    .map_or(Status::Planned, |s| s.value)
                    .is_open()
                    && a.stakeholders.iter().any(|t| Some(&t.value) == id.as_ref())
            });
            if !addressed {
                let attitude = s.attitude.as_ref().map_or("", |a| Named::as_str(a.value));
                cx.sink.emit_help(
                    &OPPONENT_UNADDRESSED,
                    start(s.span),
                    format!(
                        "{} is a {attitude} with influence {influence}, and no open action targets them",
                        label(s.id.as_ref(), "stakeholder")
                    ),
                    "plan an action that lists them in its `stakeholders`",
                );
            }
        }
    }
}

/// Why the latest contact `latest` is not recent enough — "the last contact
/// was …" or "there is no recorded contact" — or `None` when it lies within
/// `contact_days` before today (a contact exactly `contact_days` ago counts).
fn not_contacted(cx: &Ctx<'_>, latest: Option<Date>) -> Option<String> {
    let within = i64::from(cx.config.thresholds.contact_days);
    match latest {
        Some(d) if d.days_until(cx.today) <= within => None,
        Some(d) => Some(format!(
            "the last contact was {d}, {} before {}",
            days(d.days_until(cx.today)),
            cx.today
        )),
        None => Some("there is no recorded contact".to_owned()),
    }
}

/// A stakeholder for messages: `` stakeholder `wang-gang` (Wang Gang, Head of
/// Network Operations) ``.
fn person(s: &Stakeholder) -> String {
    let id = label(s.id.as_ref(), "stakeholder");
    let about: Vec<&str> = [&s.name, &s.title]
        .into_iter()
        .filter_map(|x| x.as_ref().map(|x| x.value.trim()))
        .filter(|x| !x.is_empty())
        .collect();
    if about.is_empty() {
        id
    } else {
        format!("{id} ({})", about.join(", "))
    }
}
