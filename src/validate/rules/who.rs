//! Rules of the question Who — 对谁做: the buying centre and its key people.

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `who/no-stakeholders`: the plan names no stakeholders.
pub static NO_STAKEHOLDERS: Rule = Rule {
    name: "who/no-stakeholders",
    question: Question::Who,
    level: Level::Error,
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
};

/// `who/no-decision-maker`: no stakeholder is the `economic-buyer`.
pub static NO_DECISION_MAKER: Rule = Rule {
    name: "who/no-decision-maker",
    question: Question::Who,
    level: Level::Error,
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
};

/// `who/no-coach`: no stakeholder is a `coach`.
pub static NO_COACH: Rule = Rule {
    name: "who/no-coach",
    question: Question::Who,
    level: Level::Warning,
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
};

/// `who/decision-maker-not-engaged`: no economic buyer has been contacted recently.
pub static DECISION_MAKER_NOT_ENGAGED: Rule = Rule {
    name: "who/decision-maker-not-engaged",
    question: Question::Who,
    level: Level::Warning,
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
};

/// `who/unknown-attitude`: an influential stakeholder's `attitude` is unknown.
pub static UNKNOWN_ATTITUDE: Rule = Rule {
    name: "who/unknown-attitude",
    question: Question::Who,
    level: Level::Warning,
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
};

/// `who/opponent-unaddressed`: an influential skeptic or opponent is the target of no open action.
pub static OPPONENT_UNADDRESSED: Rule = Rule {
    name: "who/opponent-unaddressed",
    question: Question::Who,
    level: Level::Warning,
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
};

/// `who/key-person-not-engaged`: a key person other than the economic buyer has not been contacted recently.
pub static KEY_PERSON_NOT_ENGAGED: Rule = Rule {
    name: "who/key-person-not-engaged",
    question: Question::Who,
    level: Level::Warning,
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
};
