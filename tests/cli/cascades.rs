//! One mistake, one diagnostic (contract §9.2, "Cascades"): a misspelt key
//! gives only `plan/unknown-field`, a bad value only `plan/invalid-value`;
//! the rules that would fire only because the value is then missing
//! (`who/no-stakeholders`, `plan/missing-required`, dangling references to
//! the ids under a misspelt list, ...) stay silent.

use crate::support::{Repo, check_json, repo_root};

/// A plan with no diagnostic at all.
fn clean_plan() -> String {
    std::fs::read_to_string(repo_root().join("tests/rules/why/no-objectives/passes.yaml")).unwrap()
}

/// Each mistake: what is replaced in the clean plan (it occurs once), by
/// what, the one rule expected, and a part of its message.
const MISTAKES: &[(&str, &str, &str, &str)] = &[
    // Misspelt top-level keys.
    (
        "\nstakeholders:\n",
        "\nstakholders:\n",
        "plan/unknown-field",
        "did you mean `stakeholders`?",
    ),
    (
        "\nobjectives:\n",
        "\nobjectivs:\n",
        "plan/unknown-field",
        "did you mean `objectives`?",
    ),
    (
        "\nactions:\n",
        "\nactons:\n",
        "plan/unknown-field",
        "did you mean `actions`?",
    ),
    (
        "\nteam:\n",
        "\nteem:\n",
        "plan/unknown-field",
        "did you mean `team`?",
    ),
    (
        "\nstrategies:\n",
        "\nstrategys:\n",
        "plan/unknown-field",
        "did you mean `strategies`?",
    ),
    (
        "\nmilestones:\n",
        "\nmilestone:\n",
        "plan/unknown-field",
        "did you mean `milestones`?",
    ),
    (
        "\ncosts:\n",
        "\ncost:\n",
        "plan/unknown-field",
        "did you mean `costs`?",
    ),
    (
        "\nreturns:\n",
        "\nreturn:\n",
        "plan/unknown-field",
        "did you mean `returns`?",
    ),
    (
        "\nreview:\n",
        "\nreveiw:\n",
        "plan/unknown-field",
        "did you mean `review`?",
    ),
    (
        "\nperiod: {",
        "\nperiods: {",
        "plan/unknown-field",
        "did you mean `period`?",
    ),
    (
        "\naccount:\n",
        "\nacount:\n",
        "plan/unknown-field",
        "did you mean `account`?",
    ),
    // Misspelt keys inside items.
    (
        "  owner: zhang-wei\n  tier",
        "  ownr: zhang-wei\n  tier",
        "plan/unknown-field",
        "did you mean `owner`?",
    ),
    (
        "    where: Hangzhou HQ\n",
        "    wher: Hangzhou HQ\n",
        "plan/unknown-field",
        "did you mean `where`?",
    ),
    (
        "    attitude: supporter\n",
        "    atitude: supporter\n",
        "plan/unknown-field",
        "did you mean `attitude`?",
    ),
    (
        "  last_reviewed:",
        "  last_reviewd:",
        "plan/unknown-field",
        "did you mean `last_reviewed`?",
    ),
    (
        "    due: 2026-09-15\n",
        "    duee: 2026-09-15\n",
        "plan/unknown-field",
        "did you mean `due`?",
    ),
    (
        "    target: 20000000\n",
        "    targt: 20000000\n",
        "plan/unknown-field",
        "did you mean `target`?",
    ),
    (
        "  - id: li-ming\n",
        "  - idd: li-ming\n",
        "plan/unknown-field",
        "did you mean `id`?",
    ),
    // Bad values.
    (
        "    attitude: supporter\n",
        "    attitude: supportive\n",
        "plan/invalid-value",
        "did you mean `supporter`?",
    ),
    (
        "    role: economic-buyer\n",
        "    role: economic-buyr\n",
        "plan/invalid-value",
        "did you mean `economic-buyer`?",
    ),
    (
        "    role: executive-sponsor\n",
        "    role: executive-sponser\n",
        "plan/invalid-value",
        "did you mean `executive-sponsor`?",
    ),
    (
        "    status: planned\n",
        "    status: planed\n",
        "plan/invalid-value",
        "did you mean `planned`?",
    ),
    (
        "    due: 2026-09-15\n",
        "    due: 2026-09-31\n",
        "plan/invalid-value",
        "2026-09-31",
    ),
    (
        "    target: 20000000\n",
        "    target: 20,000,000\n",
        "plan/invalid-value",
        "plain digits",
    ),
    (
        "    owner: zhang-wei\n    stakeholders",
        "    owner: Zhang Wei\n    stakeholders",
        "plan/invalid-value",
        "Zhang Wei",
    ),
    (
        "    last_contact: 2026-06-10\n",
        "    last_contact: 2026-06-31\n",
        "plan/invalid-value",
        "2026-06-31",
    ),
    (
        "    amount: 3000000\n",
        "    amount: 3M\n",
        "plan/invalid-value",
        "3M",
    ),
    (
        "    amount: 800000\n",
        "    amount: -800000\n",
        "plan/invalid-value",
        "negative",
    ),
    (
        "  last_reviewed: 2026-05-15\n",
        "  last_reviewed: 15.05.2026\n",
        "plan/invalid-value",
        "15.05.2026",
    ),
    (
        "  - id: li-ming\n",
        "  - id: Li_Ming\n",
        "plan/invalid-value",
        "Li_Ming",
    ),
    (
        "\nteam:\n  - id: zhang-wei\n    name: Zhang Wei\n    role: account-manager\n  - id: chen-jie\n    name: Chen Jie\n    role: executive-sponsor\n",
        "\nteam: zhang-wei, chen-jie\n",
        "plan/invalid-value",
        "expected a list",
    ),
    (
        "    weight: 8\n",
        "    weight: 80\n",
        "plan/invalid-value",
        "out of range",
    ),
    (
        "period: { start: 2026-01-01, end: 2026-12-31 }",
        "period: { start: 2026-12-31, end: 2026-01-01 }",
        "plan/invalid-value",
        "ends (2026-01-01) before it starts",
    ),
];

#[test]
fn the_clean_plan_has_no_diagnostic() {
    let repo = Repo::with_plan(clean_plan().as_bytes());
    let (code, diags) = check_json(repo.path(), &[]);
    assert_eq!((code, diags.len()), (0, 0), "{diags:#?}");
}

#[test]
fn one_mistake_gives_one_diagnostic() {
    let clean = clean_plan();
    let mut failures = Vec::new();
    for (from, to, rule, says) in MISTAKES {
        assert_eq!(clean.matches(from).count(), 1, "{from:?} must occur once");
        let plan = clean.replacen(from, to, 1);
        let repo = Repo::with_plan(plan.as_bytes());
        let (_, diags) = check_json(repo.path(), &[]);
        let got: Vec<String> = diags
            .iter()
            .map(|d| {
                format!(
                    "{} {}:{} {}",
                    d["rule"], d["line"], d["column"], d["message"]
                )
            })
            .collect();
        let one = diags.len() == 1
            && diags[0]["rule"] == *rule
            && diags[0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains(says);
        if !one {
            failures.push(format!(
                "{to:?}: expected one {rule} saying {says:?}, got {got:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
