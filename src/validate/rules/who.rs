//! Rules of the question Who — 对谁做: the buying centre and its key people.

use super::{Report, checked_rules};
use crate::figures::last_contact;
use crate::model::{Attitude, BuyerRole, Date, Named, Stakeholder, Status};
use crate::validate::{Ctx, days, label, start};

checked_rules! {
    question: Who;

    /// `who/no-stakeholders`: the plan names no stakeholders.
    NO_STAKEHOLDERS {
        check: no_stakeholders,
        name: "who/no-stakeholders",
        level: Error,
        summary: "the plan names no stakeholders",
        explanation: r#"## What it checks

Fires when the plan names no stakeholders: the `stakeholders` key is missing or is an empty list. The diagnostic points at the `stakeholders:` key if it is written, else at the top of the file.

## Why it matters

Accounts do not buy, people do. Without a map of the buying centre (对谁做: who decides, who evaluates, who uses, who guards the door) the team cannot target its actions, and the relationship hangs on the one contact the account manager happens to know; when that person moves on, the account is lost with them.

## Failing example

```yaml
stakeholders: []
```

## Passing example

```yaml
stakeholders:
  - id: li-ming
    name: Li Ming
    title: CTO
    role: economic-buyer
    influence: 5
    attitude: supporter
```
"#,
    }

    /// `who/no-decision-maker`: no stakeholder is the `economic-buyer`.
    NO_DECISION_MAKER {
        check: no_decision_maker,
        name: "who/no-decision-maker",
        level: Error,
        summary: "no stakeholder is the `economic-buyer`",
        explanation: r#"## What it checks

Fires when no stakeholder has `role: economic-buyer`, the person who releases the budget and gives final approval. The diagnostic points at the `stakeholders:` key (or the top of the file when there is none).

## Why it matters

Deals stall when the team only knows the engineers who evaluate and the people who will use the solution. If you cannot name the economic buyer, you do not know who can say yes, what they care about or when they decide, and a competitor who does know will set the agenda. Naming them is the first step to getting access.

## Failing example

```yaml
stakeholders:
  - id: zhao-lei
    name: Zhao Lei
    title: Head of Network Planning
    role: technical-buyer
    influence: 4
    attitude: supporter
```

## Passing example

```yaml
stakeholders:
  - id: zhao-lei
    name: Zhao Lei
    title: Head of Network Planning
    role: technical-buyer
    influence: 4
    attitude: supporter
  - id: li-ming
    name: Li Ming
    title: CTO
    role: economic-buyer
    influence: 5
    attitude: neutral
```
"#,
    }

    /// `who/no-coach`: no stakeholder is a `coach`.
    NO_COACH {
        check: no_coach,
        name: "who/no-coach",
        level: Warning,
        summary: "no stakeholder is a `coach`",
        explanation: r#"## What it checks

Fires when no stakeholder has `role: coach`: someone inside the customer who wants us to win and guides us through the organisation. The diagnostic points at the `stakeholders:` key (or the top of the file). It is a warning by default; set `"who/no-coach" = "error"` under `[rules]` in kaplan.toml to require a coach.

## Why it matters

A coach tells you how decisions are really made, who the hidden influencers are and when the budget opens, long before a tender is published. Without one the team depends on official channels, learns of objections and competitor moves too late, and cannot test its proposal before it is presented to the decision makers.

## Failing example

```yaml
stakeholders:
  - id: li-ming
    name: Li Ming
    title: CTO
    role: economic-buyer
    influence: 5
    attitude: supporter
```

## Passing example

```yaml
stakeholders:
  - id: li-ming
    name: Li Ming
    title: CTO
    role: economic-buyer
    influence: 5
    attitude: supporter
  - id: wu-fang
    name: Wu Fang
    title: Deputy head of the CTO office
    role: coach
    influence: 3
    attitude: champion
```
"#,
    }

    /// `who/decision-maker-not-engaged`: no economic buyer has been contacted recently.
    DECISION_MAKER_NOT_ENGAGED {
        check: decision_maker_not_engaged,
        name: "who/decision-maker-not-engaged",
        level: Warning,
        summary: "no economic buyer has been contacted recently",
        explanation: r#"## What it checks

Fires when the plan has economic buyers but none of them has been contacted within `contact_days` (default 90; `[thresholds] contact_days` in kaplan.toml) before today. A contact is the stakeholder's `last_contact` date or a visit record listing them in `attendees`. The diagnostic points at the first economic buyer.

## Why it matters

Relationships with senior decision makers fade quickly: a CTO who has not heard from us for a quarter is hearing from our competitors instead. Regular contact at that level is how we learn early about new priorities, reorganisations and budget shifts, and it keeps the line from our executive sponsor to theirs alive before the next renewal or tender.

## Failing example

```yaml
stakeholders:
  - id: li-ming
    name: Li Ming
    title: CTO
    role: economic-buyer
    influence: 5
    attitude: supporter
    last_contact: 2026-02-20   # more than 90 days before 2026-06-30
```

## Passing example

```yaml
stakeholders:
  - id: li-ming
    name: Li Ming
    title: CTO
    role: economic-buyer
    influence: 5
    attitude: supporter
    last_contact: 2026-06-12   # or a visit record with li-ming among its attendees
```
"#,
    }

    /// `who/unknown-attitude`: an influential stakeholder's `attitude` is unknown.
    UNKNOWN_ATTITUDE {
        check: unknown_attitude,
        name: "who/unknown-attitude",
        level: Warning,
        summary: "an influential stakeholder's `attitude` is unknown",
        explanation: r#"## What it checks

Fires for each stakeholder with `influence` 4 or 5 who has no `attitude` (`champion`, `supporter`, `neutral`, `skeptic` or `opponent`). The diagnostic points at the stakeholder.

## Why it matters

For the people who can swing the decision, not knowing whether they are for or against us is a blind spot. An empty attitude usually means nobody on the team has had a real conversation with them. Finding out, through the coach or a direct meeting, decides whether we build on them or work on their objections.

## Failing example

```yaml
stakeholders:
  - id: sun-hua
    name: Sun Hua
    title: Procurement Director
    role: gatekeeper
    influence: 4
```

## Passing example

```yaml
stakeholders:
  - id: sun-hua
    name: Sun Hua
    title: Procurement Director
    role: gatekeeper
    influence: 4
    attitude: neutral
```
"#,
    }

    /// `who/opponent-unaddressed`: an influential skeptic or opponent is the target of no open action.
    OPPONENT_UNADDRESSED {
        check: opponent_unaddressed,
        name: "who/opponent-unaddressed",
        level: Warning,
        summary: "an influential skeptic or opponent is the target of no open action",
        explanation: r#"## What it checks

Fires for each stakeholder whose `attitude` is `skeptic` or `opponent` and whose `influence` is 3 or more, when no open action (status `planned`, `in-progress` or `blocked`) lists them in its `stakeholders`. Actions that are `done` or `dropped` do not count.

## Why it matters

An influential skeptic left alone rarely turns neutral by themselves: they shape the evaluation criteria, raise doubts in the decision meeting or quietly favour the incumbent. The plan needs a concrete step to understand and answer their objections, such as a technical deep-dive, a reference-site visit or a call from our executive sponsor.

## Failing example

```yaml
stakeholders:
  - id: wang-gang
    name: Wang Gang
    title: Head of Network Operations
    role: technical-buyer
    influence: 4
    attitude: skeptic
actions: []
```

## Passing example

```yaml
stakeholders:
  - id: wang-gang
    name: Wang Gang
    title: Head of Network Operations
    role: technical-buyer
    influence: 4
    attitude: skeptic
actions:
  - id: ops-deep-dive
    title: Core-network integration deep-dive for the operations team
    stakeholders: [wang-gang]
    status: planned
```
"#,
    }

    /// `who/key-person-not-engaged`: a key person other than the economic buyer has not been contacted recently.
    KEY_PERSON_NOT_ENGAGED {
        check: key_person_not_engaged,
        name: "who/key-person-not-engaged",
        level: Warning,
        summary: "a key person other than the economic buyer has not been contacted recently",
        explanation: r#"## What it checks

Fires for each stakeholder whose `influence` is at least `key_influence` (default 4; `[thresholds] key_influence` in kaplan.toml) and whose `role` is anything but `economic-buyer` (economic buyers are `who/decision-maker-not-engaged`'s), when they have had no contact within `contact_days` (default 90) before today. A contact is the stakeholder's `last_contact` date or a visit record listing them in `attendees`, as for `who/decision-maker-not-engaged`. The diagnostic points at the stakeholder.

## Why it matters

Decisions are rarely made by the economic buyer alone: the head of operations who evaluates the solution, the procurement director who runs the tender and the coach who tells us how the decision is really made can each stop a deal. A key person we have not spoken to for a quarter forms their view without us, usually with a competitor's help.

## Failing example

```yaml
stakeholders:
  - id: wang-gang
    name: Wang Gang
    title: Head of Network Operations
    role: technical-buyer
    influence: 4
    attitude: neutral
    last_contact: 2026-02-10   # more than 90 days before 2026-06-30
```

## Passing example

```yaml
stakeholders:
  - id: wang-gang
    name: Wang Gang
    title: Head of Network Operations
    role: technical-buyer
    influence: 4
    attitude: neutral
    last_contact: 2026-05-28   # or a visit record with wang-gang among its attendees
```
"#,
    }
}

fn no_stakeholders(cx: &Ctx<'_>, out: &mut Report<'_>) {
    out.empty_list(
        cx,
        "stakeholders",
        cx.plan.stakeholders.is_empty(),
        "the plan names no stakeholders: who decides, who uses, who influences?",
        "add `stakeholders:` with the buying centre, starting with the economic buyer",
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
            "no stakeholder is the economic buyer: who signs off the money?",
            "mark the decision maker with `role: economic-buyer`",
        );
    }
}

fn no_coach(cx: &Ctx<'_>, out: &mut Report<'_>) {
    if lacks_role(cx, BuyerRole::Coach) {
        out.emit_help(
            cx.top_key("stakeholders"),
            "no stakeholder is a coach who guides us inside the account",
            "mark a friendly insider with `role: coach`, or plan how to win one",
        );
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
            format!(
                "no economic buyer has been contacted in the last {} days: {since}",
                cx.config.thresholds.contact_days
            ),
            "meet the decision maker, then record it with `last_contact` or a visit record listing them in `attendees`",
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
                format!(
                    "{} has influence {influence} but has not been contacted in the last {} days: {since}",
                    person(s),
                    cx.config.thresholds.contact_days
                ),
                "meet them, then record it with `last_contact` or a visit record listing them in `attendees`",
            );
        }
    }
}

fn unknown_attitude(cx: &Ctx<'_>, out: &mut Report<'_>) {
    for s in &cx.plan.stakeholders {
        let influence = s.influence.as_ref().map_or(0, |i| i.get());
        if influence >= 4 && s.keys.missing("attitude") {
            out.emit_help(
                start(s.span),
                format!(
                    "{} has influence {influence} but no known `attitude`",
                    label(s.id.as_ref(), "stakeholder")
                ),
                "find out where they stand: champion, supporter, neutral, skeptic or opponent",
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
            a.status
                .as_ref()
                .map_or(Status::Planned, |s| s.value)
                .is_open()
                && a.stakeholders.iter().any(|t| Some(&t.value) == id.as_ref())
        });
        if !addressed {
            let attitude = s.attitude.as_ref().map_or("", |a| Named::as_str(a.value));
            out.emit_help(
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
