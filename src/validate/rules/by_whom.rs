//! Rules of the question By whom — 谁来做: our people, their roles and authority.

use crate::diagnostic::{Level, Question};
use crate::validate::Rule;

/// `by-whom/no-team`: the plan names no team.
pub static NO_TEAM: Rule = Rule {
    name: "by-whom/no-team",
    question: Question::ByWhom,
    level: Level::Error,
    summary: "the plan names no team",
    explanation: r#"## What it checks

Fires when the plan names no team: the `team` key is missing or is an empty list. The diagnostic points at the `team:` key if it is written, else at the top of the file.

## Why it matters

谁来做: a key account is served by a team, not by a lone salesperson. Naming the account manager, the executive sponsor and the specialists makes clear who owns which relationship and who can commit resources, and it is the list every action owner and the account owner must come from.

## Failing example

```yaml
account:
  name: East Mobile Communications
  owner: zhang-wei
team: []
```

## Passing example

```yaml
account:
  name: East Mobile Communications
  owner: zhang-wei
team:
  - id: zhang-wei
    name: Zhang Wei
    role: account-manager
    authority: Discounts up to 8% without approval
```
"#,
};

/// `by-whom/unassigned-action`: an action has no `owner`.
pub static UNASSIGNED_ACTION: Rule = Rule {
    name: "by-whom/unassigned-action",
    question: Question::ByWhom,
    level: Level::Error,
    summary: "an action has no `owner`",
    explanation: r#"## What it checks

Fires for each action that has no `owner` (the id of a team member).

## Why it matters

An action that belongs to everyone is done by no one. A named owner makes each step accountable in the pipeline review, tells the customer whom to call, and lets the team see who is overloaded.

## Failing example

```yaml
actions:
  - id: cto-workshop
    title: Joint roadmap workshop with the CTO office
    strategy: exec-alignment
    due: 2026-09-15
```

## Passing example

```yaml
actions:
  - id: cto-workshop
    title: Joint roadmap workshop with the CTO office
    strategy: exec-alignment
    owner: zhang-wei
    due: 2026-09-15
```
"#,
};

/// `by-whom/no-executive-sponsor`: a platinum account has no `executive-sponsor`.
pub static NO_EXECUTIVE_SPONSOR: Rule = Rule {
    name: "by-whom/no-executive-sponsor",
    question: Question::ByWhom,
    level: Level::Warning,
    summary: "a platinum account has no `executive-sponsor`",
    explanation: r#"## What it checks

Fires when the account is platinum, by its declared `account.tier` or, when no tier is declared, by the tier computed from the scorecard (`[thresholds] platinum`, default 80), and no team member has `role: executive-sponsor`. The diagnostic points at the `team:` key (or the top of the file).

## Why it matters

Top-tier accounts expect senior attention. Their executives want a peer on our side who can commit resources, unblock escalations and appear at the moments that matter, such as the budget meeting or the contract signing. Without a sponsor the account manager negotiates above their authority, and the customer reads it as a lack of commitment.

## Failing example

```yaml
account:
  name: East Mobile Communications
  owner: zhang-wei
  tier: platinum
team:
  - id: zhang-wei
    name: Zhang Wei
    role: account-manager
```

## Passing example

```yaml
account:
  name: East Mobile Communications
  owner: zhang-wei
  tier: platinum
team:
  - id: zhang-wei
    name: Zhang Wei
    role: account-manager
  - id: chen-jie
    name: Chen Jie
    role: executive-sponsor
```
"#,
};
