//! The rules of the plan file itself: syntax, fields, values and references.
//!
//! The loader reports most of them while it reads; validation (required
//! fields, ids, references, the declared tier), `kaplan.toml`'s `[rules]`
//! and the history (`plan/stale`) report the others. They are declared here,
//! below all of those stages.

use crate::diagnostic::declare_rules;

declare_rules! {
    question: Plan;

    /// `plan/syntax`: the YAML or front matter does not parse.
    SYNTAX {
        name: "plan/syntax",
        level: Error,
        summary: "the YAML or front matter does not parse",
        explanation: r#"## What it checks

Fires when `plan.yaml`, or the front matter of a Markdown page or visit record, is not valid YAML: a tab used for indentation, inconsistent indentation, an unclosed quote or bracket, or the same key twice in one mapping. The diagnostic points where the parser found the problem.

## Why it matters

A plan that cannot be read cannot be checked, compared or published: none of the other checks run, and the account drops out of the portfolio view until it is fixed. YAML indents with spaces only, and editors that insert tabs are the most common cause.

## Failing example

```yaml
account:
  name: East Mobile Communications
	owner: zhang-wei   # indented with a tab
```

## Passing example

```yaml
account:
  name: East Mobile Communications
  owner: zhang-wei   # indented with two spaces
```
"#,
    }

    /// `plan/unknown-field`: a key the format does not know.
    UNKNOWN_FIELD {
        name: "plan/unknown-field",
        level: Error,
        summary: "a key the format does not know",
        explanation: r#"## What it checks

Fires at each key that the format does not define, with a "did you mean" suggestion when a known key is close. Only the free-form `private` map of a stakeholder accepts any keys.

## Why it matters

A misspelt key would otherwise be ignored silently: objectives written under `objectivs:` would vanish from the dossier and from every check, and the plan would look emptier, or cleaner, than it is. Rejecting unknown keys guarantees that what the team wrote is what management reads.

## Failing example

```yaml
objectivs:
  - id: grow-5g
    title: Win 5G private-network deals in three new provinces
```

## Passing example

```yaml
objectives:
  - id: grow-5g
    title: Win 5G private-network deals in three new provinces
```
"#,
    }

    /// `plan/invalid-value`: a value has the wrong type, is out of range, or is not allowed.
    INVALID_VALUE {
        name: "plan/invalid-value",
        level: Error,
        summary: "a value has the wrong type, is out of range, or is not allowed",
        explanation: r#"## What it checks

Fires at each value that has the wrong type or is not allowed: a number out of range (`influence` 1–5, `weight` 1–10, `score` 0–10, `probability` 0–1), an unknown enum value (`role`, `attitude`, `status`, `tier`, ...), an impossible date, or an id that is not lowercase kebab-case.

## Why it matters

Ratings, statuses and dates drive the checks, the stakeholder map and the timeline. An `influence: 7` or an `attitude: friendly` cannot be placed on the map, and a `due: 2026-02-30` cannot be scheduled. Sticking to the shared vocabulary keeps every plan in the portfolio comparable.

## Failing example

```yaml
stakeholders:
  - id: li-ming
    role: economic-buyer
    influence: 7          # 1..5
    attitude: friendly    # champion | supporter | neutral | skeptic | opponent
actions:
  - id: cto-workshop
    due: 2026-02-30       # February has no 30th
```

## Passing example

```yaml
stakeholders:
  - id: li-ming
    role: economic-buyer
    influence: 5
    attitude: supporter
actions:
  - id: cto-workshop
    due: 2026-02-27
```
"#,
    }

    /// `plan/duplicate-id`: an id appears twice in one list.
    DUPLICATE_ID {
        name: "plan/duplicate-id",
        level: Error,
        summary: "an id appears twice in one list",
        explanation: r#"## What it checks

Fires when an `id` appears twice in the same list (for example two stakeholders or two actions with the same id); the diagnostic points at the second occurrence. The same id in two different lists is allowed.

## Why it matters

Ids are how actions, returns and visit records point at objectives and people. With two stakeholders called `li-ming`, every action target and every visit becomes ambiguous, so contact history and attitudes get credited to the wrong person and the org chart is wrong.

## Failing example

```yaml
stakeholders:
  - id: li-ming
    name: Li Ming
    title: CTO
  - id: li-ming
    name: Li Ming
    title: Procurement Manager
```

## Passing example

```yaml
stakeholders:
  - id: li-ming
    name: Li Ming
    title: CTO
  - id: li-ming-procurement
    name: Li Ming
    title: Procurement Manager
```
"#,
    }

    /// `plan/dangling-reference`: an id reference points nowhere.
    DANGLING_REFERENCE {
        name: "plan/dangling-reference",
        level: Error,
        summary: "an id reference points nowhere",
        explanation: r#"## What it checks

Fires at each id reference that points nowhere: an `owner` that is no team member, a `strategy`, `objectives` or `objective` entry that names no strategy or objective, an action's `stakeholders` entry or a `reports_to` that names no stakeholder, or a visit `attendees` entry that names nobody.

## Why it matters

A typo in a reference silently breaks the plan's logic: the action looks owned, but nobody on the team will see it as theirs, and the stakeholder looks untouched by any action. Failing on dangling references keeps the links between our people, the customer's people, objectives and actions trustworthy.

## Failing example

```yaml
team:
  - id: zhang-wei
    role: account-manager
stakeholders:
  - id: li-ming
    role: economic-buyer
actions:
  - id: cto-workshop
    owner: zhang-wie          # no team member has this id
    stakeholders: [li-ming]
```

## Passing example

```yaml
team:
  - id: zhang-wei
    role: account-manager
stakeholders:
  - id: li-ming
    role: economic-buyer
actions:
  - id: cto-workshop
    owner: zhang-wei
    stakeholders: [li-ming]
```
"#,
    }

    /// `plan/missing-required`: a required field is missing.
    MISSING_REQUIRED {
        name: "plan/missing-required",
        level: Error,
        summary: "a required field is missing",
        explanation: r#"## What it checks

Fires when a required field is missing: `account.name` or `account.owner` (reported at the `account:` key, or the top of the file when there is no `account`), `period` (reported at the top of the file), or the `id` of a list item that needs one (reported at the item).

## Why it matters

The account's name, its accountable owner and the plan's horizon are the minimum for a plan to be listed, assigned and judged against time. Without an owner nobody answers for the account in the portfolio review; without a period no due date, overdue action or ROI can be evaluated.

## Failing example

```yaml
account:
  name: East Mobile Communications
  industry: telecom
period: { start: 2026-01-01, end: 2026-12-31 }
```

## Passing example

```yaml
account:
  name: East Mobile Communications
  industry: telecom
  owner: zhang-wei
period: { start: 2026-01-01, end: 2026-12-31 }
```
"#,
    }

    /// `plan/tier-mismatch`: the declared tier differs from the scorecard's tier.
    TIER_MISMATCH {
        name: "plan/tier-mismatch",
        level: Warning,
        summary: "the declared tier differs from the scorecard's tier",
        explanation: r#"## What it checks

Fires when `account.tier` is declared, a `scorecard` exists, and the tier computed from the scorecard differs. The total is Σ(weight × score) / Σ(weight × 10) × 100: at least `platinum` (default 80) is platinum, at least `gold` (default 60) is gold, anything lower silver (thresholds under `[thresholds]` in kaplan.toml). The diagnostic points at the tier value.

## Why it matters

The tier decides how much senior attention and resource an account receives. When the declared tier and the selection criteria disagree, either the scorecard is out of date or the account is being over- or under-served. Reconciling them means portfolio decisions rest on the same criteria for every account.

## Failing example

```yaml
account:
  name: Tianheng Precision Manufacturing
  owner: zhang-wei
  tier: platinum
scorecard:
  - criterion: Market leader in its region
    weight: 8
    score: 7
  - criterion: Open to a long-term partnership
    weight: 2
    score: 3   # total = (56 + 6) / 100 × 100 = 62 → gold
```

## Passing example

```yaml
account:
  name: Tianheng Precision Manufacturing
  owner: zhang-wei
  tier: gold
scorecard:
  - criterion: Market leader in its region
    weight: 8
    score: 7
  - criterion: Open to a long-term partnership
    weight: 2
    score: 3   # total = 62 → gold
```
"#,
    }

    /// `plan/stale`: the plan has not changed in git for longer than `stale_days`.
    STALE {
        name: "plan/stale",
        level: Warning,
        summary: "the plan has not been changed for longer than `stale_days`",
        explanation: r#"## What it checks

Fires when the newest commit that changed anything in the account's folder (`plan.yaml`, a narrative page or a visit record) is more than `stale_days` (default 90; `[thresholds] stale_days` in kaplan.toml) before today. The date is the commit's committer date, as git records it. The diagnostic points at the top of `plan.yaml`.

The rule needs git history and is silent without it: in a plain folder, in a repository without commits, for a plan that was never committed, and while the account's folder has uncommitted changes (someone is working on it). In a shallow clone, a last change on the clone's boundary commit may be older than that commit; the rule fires only when even the boundary's date is too old.

## Why it matters

A key-account plan is a living document: the customer's people, budget cycle and competitors move every quarter. A plan nobody has touched for months is most likely describing an account that no longer exists in that form, and the portfolio view built from it misleads. The date comes from git, so it cannot be forgotten or faked the way a hand-written "last updated" line can.

## Failing example

```yaml
# git-date: 2026-01-02 (the last commit to the account's folder; today is 2026-06-30: 179 days)
account:
  name: East Mobile Communications
  owner: zhang-wei
period: { start: 2026-01-01, end: 2026-12-31 }
```

## Passing example

```yaml
# git-date: 2026-04-01 (the last commit to the account's folder; today is 2026-06-30: 90 days)
account:
  name: East Mobile Communications
  owner: zhang-wei
period: { start: 2026-01-01, end: 2026-12-31 }
```
"#,
    }
}
