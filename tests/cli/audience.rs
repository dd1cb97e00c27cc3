//! `kaplan build --audience customer` (§9.5): the joint account plan holds
//! every shared item, and not one byte of what the customer never sees —
//! in HTML, JSON, SVG or a file name.

use std::path::Path;

use crate::support::{Repo, commit_all, kaplan};

/// A plan that fills every field: what §9.5 never shares carries a
/// `Never…` marker, what is shared a `Shared…` one.
const PLAN: &str = r#"account:
  name: SharedAccountName Ltd.
  industry: NeverIndustry
  region: NeverRegion
  owner: zhang-wei
  tier: gold
  stage: cooperative
  since: 2021-04-01
currency: CNY
period: { start: 2026-01-01, end: 2026-12-31 }
summary: |
  NeverSummary of the account.
objectives:
  - id: shared-goal
    shared: true
    title: SharedObjectiveTitle
    why: SharedObjectiveWhy
    metric: SharedMetric
    unit: sites
    baseline: 2
    target: 10
    actual: 6
    due: 2026-11-30
  - id: hidden-goal
    title: NeverObjectiveTitle
    why: NeverObjectiveWhy
    metric: NeverMetric
    target: 5
    due: 2026-12-31
stakeholders:
  - id: li-ming
    name: NeverStakeholderName
    title: NeverStakeholderTitle
    department: NeverDepartment
    role: economic-buyer
    influence: 5
    attitude: skeptic
    style: driver
    last_contact: 2026-06-10
    needs:
      - need: NeverNeed
        kind: personal
        explicit: false
    private:
      note: NeverPrivateNote
      birthday: NeverPrivateBirthday
    coverage:
      - by: zhang-wei
        level: trusted
        target: allied
  - id: wu-fang
    name: NeverCoachName
    role: coach
    influence: 3
    attitude: champion
decision:
  type: consensus
  notes: NeverDecisionNotes
team:
  - id: zhang-wei
    name: SharedTeamName
    role: account-manager
    responsibilities: [NeverResponsibility]
    authority: NeverAuthority
  - id: chen-jie
    name: SharedSponsorName
    role: executive-sponsor
strategies:
  - id: exec-alignment
    title: NeverStrategyTitle
    objectives: [shared-goal, hidden-goal]
    resources: [NeverResource]
actions:
  - id: shared-step
    shared: true
    title: SharedActionTitle
    strategy: exec-alignment
    objectives: [shared-goal, hidden-goal]
    owner: zhang-wei
    stakeholders: [li-ming]
    start: 2026-07-01
    due: 2026-09-15
    where: SharedActionWhere
    status: in-progress
    cost: 731911
  - id: hidden-step
    title: NeverActionTitle
    strategy: exec-alignment
    owner: chen-jie
    stakeholders: [wu-fang]
    due: 2026-10-15
    where: NeverActionWhere
    status: planned
milestones:
  - id: shared-date
    shared: true
    title: SharedMilestoneTitle
    date: 2026-10-01
    where: SharedMilestoneWhere
    objectives: [shared-goal, hidden-goal]
  - id: hidden-date
    title: NeverMilestoneTitle
    date: 2026-11-01
    where: NeverMilestoneWhere
costs:
  - item: NeverCostItem
    category: pilot
    amount: 800000
    period: 2026-Q3
returns:
  - item: NeverReturnItem
    objective: shared-goal
    amount: 3000000
    probability: 0.6
    period: 2026-Q4
review:
  last_reviewed: 2026-05-15
  by: chen-jie
  notes: NeverReviewNotes
scorecard:
  - criterion: NeverCriterion
    group: market
    weight: 8
    score: 7
relative_strength: 6
kpis:
  - id: shared-kpi
    shared: true
    name: SharedKpiName
    unit: "%"
    target: 95
    actual: 91
    period: 2026-Q2
  - id: hidden-kpi
    name: NeverKpiName
    target: 10
    actual: 3
risks:
  - title: NeverRiskTitle
    likelihood: 3
    impact: 4
    mitigation: NeverMitigation
    owner: zhang-wei
asks:
  - of: chen-jie
    what: NeverAskWhat
    by: 2026-08-01
competitors:
  - name: NeverCompetitorName
    position: NeverCompetitorPosition
whitespace:
  - unit: NeverWhitespaceUnit
    offering: NeverWhitespaceOffering
    status: competitor
    current: 0
    potential: 9000000
    holder: NeverWhitespaceHolder
"#;

/// Every marker the customer's site must not hold, with the labels of the
/// team's figures and findings (the site is in English).
const NEVER: &[&str] = &[
    "NeverIndustry",
    "NeverRegion",
    "NeverSummary",
    "NeverObjectiveTitle",
    "NeverObjectiveWhy",
    "NeverMetric",
    "NeverStakeholderName",
    "NeverStakeholderTitle",
    "NeverDepartment",
    "NeverNeed",
    "NeverPrivateNote",
    "NeverPrivateBirthday",
    "NeverCoachName",
    "NeverDecisionNotes",
    "NeverResponsibility",
    "NeverAuthority",
    "NeverStrategyTitle",
    "NeverResource",
    "NeverActionTitle",
    "NeverActionWhere",
    "NeverMilestoneTitle",
    "NeverMilestoneWhere",
    "NeverCostItem",
    "NeverReturnItem",
    "NeverReviewNotes",
    "NeverCriterion",
    "NeverKpiName",
    "NeverRiskTitle",
    "NeverMitigation",
    "NeverAskWhat",
    "NeverCompetitorName",
    "NeverCompetitorPosition",
    "NeverWhitespaceUnit",
    "NeverWhitespaceOffering",
    "NeverWhitespaceHolder",
    // Coverage levels, as the site names them.
    "Trusted",
    "Allied",
    "NeverPageBody",
    "neverpagefile",
    "NeverVisitPurpose",
    "NeverVisitOutcome",
    "NeverVisitStep",
    "NeverVisitNotes",
    "nevervisitfile",
    "NeverHistoryCommit",
    "NeverOtherAccount",
    "never-other-account",
    // The cost of the shared action, as the site writes it.
    "CNY 732k",
    // Figures, findings, the history and the team's pages.
    "Total cost",
    "Expected return",
    "ROI",
    "Payback",
    "Scorecard",
    "relative strength",
    "Influence",
    "Attitude",
    "skeptic",
    "Skeptic",
    "champion",
    "Champion",
    "Driver",
    "plan.yaml",
    "checklist/",
    "accounts.json",
    "Private notes",
];

/// Everything the customer's site must show.
const SHARED: &[&str] = &[
    "SharedAccountName Ltd.",
    "2026-01-01 – 2026-12-31",
    "SharedObjectiveTitle",
    "SharedObjectiveWhy",
    "SharedMetric",
    "SharedActionTitle",
    "SharedActionWhere",
    "SharedMilestoneTitle",
    "SharedMilestoneWhere",
    "SharedKpiName",
    "SharedTeamName",
    "SharedSponsorName",
    "Account manager",
    "Executive sponsor",
    "SharedPageBody",
    "SharedPageTitle",
];

/// A repository with the plan above, a shared and an unshared page, a
/// visit, a second account that shares nothing, and git history.
fn repo() -> Repo {
    let repo = Repo::with_plan(PLAN.as_bytes());
    repo.write("kaplan.toml", "language = \"en\"\ntoday = \"2026-06-30\"\n");
    repo.write(
        "accounts/fixture/shared-plan.md",
        "---\ntitle: SharedPageTitle\nsection: how\nshared: true\n---\nSharedPageBody: how we work together.\n",
    );
    repo.write(
        "accounts/fixture/neverpagefile.md",
        "---\ntitle: Internal\nsection: who\n---\nNeverPageBody\n",
    );
    repo.write(
        "accounts/fixture/visits/2026-06-10-nevervisitfile.md",
        "---\ndate: 2026-06-10\nkind: visit\nattendees: [zhang-wei, li-ming]\npurpose: NeverVisitPurpose\noutcome: NeverVisitOutcome\nnext_steps: [NeverVisitStep]\n---\nNeverVisitNotes\n",
    );
    let other = PLAN
        .replace("SharedAccountName Ltd.", "NeverOtherAccount Ltd.")
        .replace("    shared: true\n", "");
    repo.write("accounts/never-other-account/plan.yaml", other);
    commit_all(repo.path(), "2026-06-01", "NeverHistoryCommit");
    repo
}

/// Builds `repo` for the customer into `out`; the files by path.
fn build(repo: &Repo, out: &Path) -> Vec<(String, Vec<u8>)> {
    let result = kaplan(&[
        "build",
        repo.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--audience",
        "customer",
        "--allow-errors",
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn nothing_the_customer_never_sees_reaches_any_byte_or_file_name() {
    let repo = repo();
    let out = repo.path().join("public");
    let files = build(&repo, &out);
    let mut paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            ".kaplan-site",
            "404.html",
            "accounts/fixture/index.html",
            "assets/favicon.svg",
            "assets/kaplan.css",
            "assets/kaplan.js",
            "assets/palette.css",
            "index.html",
            "robots.txt",
        ]
    );
    let mut found = Vec::new();
    for (path, bytes) in &files {
        // The theme's own files hold no plan data (and name CSS classes).
        if path.starts_with("assets/") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for marker in NEVER {
            if path.contains(marker) || text.contains(marker) {
                found.push(format!("{marker} in {path}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// The markers are real: the team's site with private notes shows every
/// one of them.
#[test]
fn the_teams_site_shows_what_the_customers_never_does() {
    let repo = repo();
    let out = repo.path().join("team");
    let result = kaplan(&[
        "build",
        repo.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--include-private",
        "--allow-errors",
    ]);
    assert_ne!(result.status.code(), Some(2));
    let mut all = String::new();
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        all.push_str(&e.path().to_string_lossy());
        if e.file_type().is_file() {
            all.push_str(&String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()));
        }
    }
    let missing: Vec<&&str> = NEVER.iter().filter(|m| !all.contains(**m)).collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn every_shared_item_is_in_the_joint_plan() {
    let repo = repo();
    let out = repo.path().join("public");
    build(&repo, &out);
    let page = std::fs::read_to_string(out.join("accounts/fixture/index.html")).unwrap();
    for shared in SHARED {
        assert!(page.contains(shared), "{shared} missing");
    }
    assert!(page.contains("audience-banner"), "no banner");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("SharedAccountName Ltd."));
    assert!(index.contains("accounts/fixture/"));
    assert!(index.contains("Joint account plan, shared with the customer"));
}

#[test]
fn the_customer_site_speaks_the_sites_language() {
    let repo = repo();
    repo.write(
        "kaplan.toml",
        "language = \"zh-CN\"\ntoday = \"2026-06-30\"\n",
    );
    let out = repo.path().join("public");
    build(&repo, &out);
    let page = std::fs::read_to_string(out.join("accounts/fixture/index.html")).unwrap();
    for label in [
        "与客户共享的联合客户计划",
        "我们的共同目标",
        "谁在何时做什么",
    ] {
        assert!(page.contains(label), "{label} missing");
    }
}

#[test]
fn private_notes_are_refused_for_the_customer() {
    let repo = repo();
    let out = repo.path().join("public");
    let result = kaplan(&[
        "build",
        repo.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--audience",
        "customer",
        "--include-private",
    ]);
    assert_eq!(result.status.code(), Some(2));
    let err = String::from_utf8_lossy(&result.stderr);
    assert!(
        err.contains("--include-private cannot be used with --audience customer"),
        "{err}"
    );
    assert!(!out.join("index.html").exists());
}
