//! `kaplan diff`: a plan's changes between git revisions, in the plan's own
//! terms, as human text, Markdown and JSON; renamed folders, private notes,
//! and repositories without (full) history.

use std::path::Path;

use serde_json::Value;

use crate::support::{Repo, commit_all, git, kaplan};

/// One version of the story's plan.
pub(crate) struct Version {
    pub(crate) target: &'static str,
    pub(crate) role: &'static str,
    pub(crate) attitude: &'static str,
    pub(crate) wang_gang: bool,
    pub(crate) status: &'static str,
    pub(crate) risk: bool,
    pub(crate) probability: &'static str,
    pub(crate) birthday: &'static str,
}

/// The first version: Li Ming is not yet the economic buyer (so `who`
/// fails), target 18,000,000, one risk.
pub(crate) const V1: Version = Version {
    target: "18000000",
    role: "technical-buyer",
    attitude: "neutral",
    wang_gang: false,
    status: "planned",
    risk: true,
    probability: "0.6",
    birthday: "1975-06-02",
};

pub(crate) fn plan(v: &Version) -> String {
    let wang_gang = if v.wang_gang {
        "  - id: wang-gang\n    name: 王刚\n    title: CIO\n    role: influencer\n    influence: 3\n    attitude: neutral\n"
    } else {
        ""
    };
    let risk = if v.risk {
        "risks:\n  - title: Competitor offers a free pilot\n    likelihood: 3\n    impact: 4\n"
    } else {
        ""
    };
    format!(
        r#"account:
  name: East Mobile Communications Co., Ltd.
  industry: telecom
  owner: zhang-wei
  tier: platinum
  stage: cooperative
period: {{ start: 2026-01-01, end: 2026-12-31 }}
objectives:
  - id: grow-5g
    title: Win 5G private-network deals in three new provinces
    why: Their enterprise unit loses bids for lack of a carrier-grade partner.
    metric: contracted revenue
    target: {target}
    due: 2026-12-31
stakeholders:
  - id: li-ming
    name: 李明
    title: CTO
    role: {role}
    influence: 5
    attitude: {attitude}
    last_contact: 2026-06-10
    private:
      birthday: {birthday}
  - id: wu-fang
    name: Wu Fang
    role: coach
    influence: 3
    attitude: champion
{wang_gang}team:
  - id: zhang-wei
    name: Zhang Wei
    role: account-manager
  - id: chen-jie
    name: Chen Jie
    role: executive-sponsor
strategies:
  - id: exec-alignment
    title: Executive alignment on the 5G roadmap
    objectives: [grow-5g]
actions:
  - id: cto-workshop
    title: Joint roadmap workshop with the CTO office
    strategy: exec-alignment
    owner: zhang-wei
    stakeholders: [li-ming]
    due: 2026-09-15
    where: Hangzhou HQ
    status: {status}
    cost: 30000
milestones:
  - id: budget-cycle
    title: Customer budget cycle opens
    date: 2026-09-01
    where: Customer HQ, Shanghai
costs:
  - item: Pilot deployment
    category: pilot
    amount: 800000
returns:
  - item: Province A contract
    objective: grow-5g
    amount: 3000000
    probability: {probability}
review:
  last_reviewed: 2026-02-01
  by: chen-jie
scorecard:
  - criterion: Market leader in its region
    weight: 8
    score: 9
  - criterion: Budget for network upgrades
    weight: 5
    score: 8
{risk}"#,
        target = v.target,
        role = v.role,
        attitude = v.attitude,
        status = v.status,
        probability = v.probability,
        birthday = v.birthday,
    )
}

const CONFIG: &str = "language = \"en\"\ntoday = \"2026-06-30\"\n";

/// The story, one commit per step:
///
/// 1. 2026-01-05 the plan of `east-mobile` (and of `west-retail`, never touched again);
/// 2. 2026-02-10 the 5G target rises from 18,000,000 to 20,000,000;
/// 3. 2026-03-15 Li Ming becomes the economic buyer and a supporter, 王刚 joins
///    (his private birthday changes too);
/// 4. 2026-04-20 the workshop is done, the risk is gone, province A is less likely;
/// 5. 2026-05-01 the folder is renamed to `east-mobile-group`.
pub(crate) fn story() -> Repo {
    let repo = Repo::new();
    let root = repo.path();
    repo.write("kaplan.toml", CONFIG);
    repo.write("accounts/east-mobile/plan.yaml", plan(&V1));
    repo.write(
        "accounts/west-retail/plan.yaml",
        plan(&V1)
            .replace("East Mobile Communications", "West Retail Group")
            .replace("role: technical-buyer", "role: economic-buyer"),
    );
    commit_all(root, "2026-01-05", "Initial plans");
    let v2 = Version {
        target: "20000000",
        ..V1
    };
    repo.write("accounts/east-mobile/plan.yaml", plan(&v2));
    commit_all(root, "2026-02-10", "Raise the 5G target");
    let v3 = Version {
        role: "economic-buyer",
        attitude: "supporter",
        wang_gang: true,
        birthday: "1976-01-01",
        ..v2
    };
    repo.write("accounts/east-mobile/plan.yaml", plan(&v3));
    commit_all(root, "2026-03-15", "Li Ming is on board");
    let v4 = Version {
        status: "done",
        risk: false,
        probability: "0.4",
        ..v3
    };
    repo.write("accounts/east-mobile/plan.yaml", plan(&v4));
    commit_all(root, "2026-04-20", "Workshop done");
    git(
        root,
        "2026-05-01",
        &["mv", "accounts/east-mobile", "accounts/east-mobile-group"],
    );
    commit_all(root, "2026-05-01", "Rename the account folder");
    repo
}

fn diff(root: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["diff", "--root", root.to_str().unwrap()];
    all.extend(args);
    let out = kaplan(&all);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(root: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = diff(root, args);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

fn json(root: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&ok(root, &all)).expect("JSON")
}

#[test]
fn changes_read_in_the_plans_terms() {
    let repo = story();
    let out = ok(repo.path(), &["HEAD~4", "HEAD~3"]);
    assert!(
        out.contains("objective `grow-5g` target 18,000,000 → 20,000,000"),
        "{out}"
    );
    let out = ok(repo.path(), &["HEAD~3", "HEAD~2"]);
    for line in [
        "stakeholder 李明 role technical-buyer → economic-buyer",
        "stakeholder 李明 attitude neutral → supporter",
        "new stakeholder 王刚",
        "checklist: who fail → pass",
        "checklist completeness 83% → 100%",
    ] {
        assert!(out.contains(line), "{line} in\n{out}");
    }
    let out = ok(repo.path(), &["HEAD~2", "HEAD~1"]);
    for line in [
        "action `cto-workshop` status planned → done",
        "risk removed: Competitor offers a free pilot",
        "return Province A contract probability 0.6 → 0.4",
        "expected return −600,000 (ROI 125% → 50%)",
    ] {
        assert!(out.contains(line), "{line} in\n{out}");
    }
    // Nothing else: one line per change, under the account's heading.
    assert!(out.contains("`east-mobile` · East Mobile Communications Co., Ltd."));
    assert_eq!(
        out.lines().filter(|l| l.starts_with("  ")).count(),
        4,
        "{out}"
    );
}

/// ROI reads as a percentage wherever people read it, and stays a ratio
/// for tools. By hand: cost 800,000; expected return 1,800,000 → 1,200,000;
/// ROI (1.8 − 0.8) / 0.8 = 1.25 → (1.2 − 0.8) / 0.8 = 0.5, so 125% → 50%.
#[test]
fn diff_prints_roi_as_a_percentage_and_json_keeps_the_ratio() {
    let repo = story();
    let human = ok(repo.path(), &["HEAD~2", "HEAD~1"]);
    assert!(human.contains("(ROI 125% → 50%)"), "{human}");
    let markdown = ok(repo.path(), &["HEAD~2", "HEAD~1", "--format", "markdown"]);
    assert!(markdown.contains("(ROI 125% → 50%)"), "{markdown}");
    for out in [&human, &markdown] {
        assert!(!out.contains("ROI 1.25"), "{out}");
    }
    let doc = json(repo.path(), &["HEAD~2", "HEAD~1"]);
    let roi = doc["accounts"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["section"] == "figures" && c["field"] == "roi")
        .expect("the ROI change")
        .clone();
    assert_eq!(
        (roi["old"].as_f64(), roi["new"].as_f64()),
        (Some(1.25), Some(0.5))
    );
}

#[test]
fn the_default_compares_head_with_the_working_tree() {
    let repo = story();
    assert!(ok(repo.path(), &[]).contains("no plan changed"));
    let path = "accounts/east-mobile-group/plan.yaml";
    let text = std::fs::read_to_string(repo.path().join(path)).unwrap();
    repo.write(path, text.replace("amount: 800000", "amount: 830000"));
    let out = ok(repo.path(), &[]);
    assert!(out.starts_with("Plan changes: HEAD ("), "{out}");
    assert!(
        out.contains("→ the working tree (1 account changed)"),
        "{out}"
    );
    assert!(
        out.contains("cost Pilot deployment amount 800,000 → 830,000"),
        "{out}"
    );
    assert!(out.contains("total cost +30,000 (ROI 50% → 45%)"), "{out}");
}

#[test]
fn renamed_folders_are_one_account() {
    let repo = story();
    let doc = json(repo.path(), &["HEAD~1", "HEAD"]);
    let accounts = doc["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 1, "{doc:#}");
    assert_eq!(accounts[0]["id"], "east-mobile-group");
    assert_eq!(accounts[0]["status"], "renamed");
    assert_eq!(accounts[0]["renamed_from"], "east-mobile");
    assert_eq!(accounts[0]["changes"], Value::Array(vec![]));
    let out = ok(repo.path(), &["HEAD~1", "HEAD"]);
    assert!(
        out.contains("`east-mobile-group` · East Mobile Communications Co., Ltd. (folder renamed from `east-mobile`)"),
        "{out}"
    );
    // Across the rename, the changes are still the plan's.
    let out = ok(repo.path(), &["HEAD~4"]);
    assert!(out.contains("target 18,000,000 → 20,000,000"), "{out}");
}

#[test]
fn json_is_structured_for_tools() {
    let repo = story();
    let doc = json(repo.path(), &["HEAD~4", "HEAD~1"]);
    assert_eq!(doc["from"]["rev"], "HEAD~4");
    assert_eq!(doc["from"]["commit"]["date"], "2026-01-05");
    assert_eq!(doc["from"]["commit"]["author"], "Zhang Wei");
    assert_eq!(doc["to"]["commit"]["subject"], "Workshop done");
    let account = &doc["accounts"][0];
    assert_eq!(account["id"], "east-mobile");
    assert_eq!(account["status"], "changed");
    let changes = account["changes"].as_array().unwrap();
    let find = |section: &str, field: &str| {
        changes
            .iter()
            .find(|c| c["section"] == section && c["field"] == field)
            .unwrap_or_else(|| panic!("{section}.{field} in {changes:#?}"))
    };
    let target = find("objectives", "target");
    assert_eq!(target["kind"], "changed");
    assert_eq!(target["item"]["key"], "grow-5g");
    assert_eq!(target["item"]["by_id"], true);
    assert_eq!(target["old"], 18_000_000);
    assert_eq!(target["new"], 20_000_000);
    assert_eq!(
        target["text"],
        "objective `grow-5g` target 18,000,000 → 20,000,000"
    );
    let attitude = find("stakeholders", "attitude");
    assert_eq!(attitude["item"]["name"], "李明");
    assert_eq!(
        (attitude["old"].as_str(), attitude["new"].as_str()),
        (Some("neutral"), Some("supporter"))
    );
    assert_eq!(find("actions", "status")["new"], "done");
    assert_eq!(find("checklist", "who")["old"], "fail");
    assert_eq!(find("figures", "expected_return")["new"], 1_200_000);
    assert_eq!(find("figures", "roi")["old"], 1.25);
    let added = changes
        .iter()
        .find(|c| c["kind"] == "added")
        .expect("an added item");
    assert_eq!(added["section"], "stakeholders");
    assert_eq!(added["item"]["key"], "wang-gang");
    let removed = changes
        .iter()
        .find(|c| c["kind"] == "removed")
        .expect("a removed item");
    assert_eq!(removed["section"], "risks");
    assert_eq!(removed["item"]["key"], "Competitor offers a free pilot");
}

#[test]
fn markdown_is_ready_for_a_pull_request() {
    let repo = story();
    let path = "accounts/east-mobile-group/plan.yaml";
    let text = std::fs::read_to_string(repo.path().join(path)).unwrap();
    repo.write(
        path,
        text.replace(
            "    where: Hangzhou HQ",
            "    where: \"<script>x</script> @everyone [link](http://x) *bold*\"",
        ),
    );
    let out = ok(repo.path(), &["HEAD~4", "--format", "markdown"]);
    assert!(out.starts_with("## Plan changes\n\n`HEAD~4` ("), "{out}");
    assert!(
        out.contains("→ the working tree · 1 account changed"),
        "{out}"
    );
    assert!(
        out.contains("\n### `east-mobile-group` · East Mobile Communications Co., Ltd. (folder renamed from `east-mobile`)\n"),
        "{out}"
    );
    assert!(
        out.contains("\n- objective `grow-5g` target 18,000,000 → 20,000,000\n"),
        "{out}"
    );
    assert!(out.contains("\n- checklist: who fail → pass\n"), "{out}");
    // Plan text can neither inject markup nor mention anyone.
    assert!(!out.contains("<script>"), "{out}");
    assert!(
        !out.contains(" @everyone") && out.contains("\\@everyone"),
        "{out}"
    );
    assert!(
        out.contains("\\[link\\]") && out.contains("\\*bold\\*"),
        "{out}"
    );
}

/// Plan text that would start blocks if it reached the start of a line.
const BLOCKS: &str = "Li Ming\n# Heading\n- item\n| a | b |\n|---|---|\n<script>x</script>\n\n1. after a blank line\r> quote\r\n```\n    code";

/// How GitHub reads a Markdown comment: its top-level blocks (`h2`, `p`,
/// `ul`, ...), the text of each list item, and whatever else an item holds
/// (a nested block, a line break, raw HTML).
fn blocks(md: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM;
    let (mut top, mut items, mut inside) = (Vec::new(), Vec::new(), Vec::new());
    let mut depth = 0;
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Start(tag) => {
                match (depth, &tag) {
                    (0, _) => top.push(format!("{tag:?}")),
                    (1, Tag::Item) => items.push(String::new()),
                    _ => inside.push(format!("{tag:?}")),
                }
                depth += 1;
            }
            Event::End(_) => depth -= 1,
            Event::Text(t) | Event::Code(t) if depth >= 2 => {
                items.last_mut().unwrap().push_str(&t);
            }
            Event::Text(_) | Event::Code(_) => {}
            other if depth >= 2 => inside.push(format!("{other:?}")),
            _ => {}
        }
    }
    (top, items, inside)
}

#[test]
fn markdown_keeps_one_block_per_change() {
    let repo = story();
    let path = "accounts/east-mobile-group/plan.yaml";
    let text = std::fs::read_to_string(repo.path().join(path)).unwrap();
    let quoted = serde_json::to_string(BLOCKS).unwrap();
    let hostile = text
        // A person's name is the label of the stakeholder's lines.
        .replace("    name: 李明\n", &format!("    name: {quoted}\n"))
        .replace("    where: Hangzhou HQ", &format!("    where: {quoted}"))
        .replace(
            "team:\n",
            &format!("  - id: new-one\n    name: {quoted}\n    role: user-buyer\n    influence: 1\n    attitude: neutral\nteam:\n"),
        );
    repo.write(path, hostile);
    // An account folder whose name holds line breaks.
    repo.write("accounts/evil\r\n# folder\n- x/plan.yaml", &text);
    let md = ok(repo.path(), &["--format", "markdown"]);
    let (top, items, inside) = blocks(&md);
    assert!(inside.is_empty(), "blocks inside items: {inside:?}\n{md}");
    let change_lines = md.lines().filter(|l| l.starts_with("- ")).count();
    assert_eq!(items.len(), change_lines, "{md}");
    let heading =
        |level: &str| format!("Heading {{ level: {level}, id: None, classes: [], attrs: [] }}");
    let list = "List(None)".to_owned();
    assert_eq!(
        top,
        [
            heading("H2"),
            "Paragraph".into(),
            heading("H3"),
            list.clone(),
            heading("H3"),
            "Paragraph".into(),
        ],
        "{md}"
    );
    // The name stays whole, as text, on the lines of its changes.
    let flat = "Li Ming # Heading - item | a | b | |---|---| <script>x</script> 1. after a blank line > quote ``` code";
    let named: Vec<&String> = items.iter().filter(|i| i.contains(flat)).collect();
    assert!(named.len() >= 2, "{items:#?}\n{md}");
    assert!(
        items
            .iter()
            .any(|i| i.starts_with("new stakeholder Li Ming # Heading")),
        "{items:#?}"
    );
}

#[test]
fn private_notes_never_appear() {
    let repo = story();
    for format in ["human", "markdown", "json"] {
        let out = ok(repo.path(), &["HEAD~3", "HEAD~2", "--format", format]);
        assert!(out.contains("wang-gang") || out.contains("王刚"), "{out}");
        for secret in ["1975-06-02", "1976-01-01", "birthday", "private"] {
            assert!(!out.contains(secret), "{secret} in {format}:\n{out}");
        }
    }
}

#[test]
fn accounts_added_and_removed() {
    let repo = story();
    std::fs::remove_dir_all(repo.path().join("accounts/west-retail")).unwrap();
    repo.write(
        "accounts/north-steel/plan.yaml",
        plan(&V1).replace("East Mobile Communications Co., Ltd.", "North Steel"),
    );
    let out = ok(repo.path(), &[]);
    assert!(
        out.contains("new account `north-steel` · North Steel"),
        "{out}"
    );
    assert!(
        out.contains("account removed: `west-retail` · West Retail Group Co., Ltd."),
        "{out}"
    );
}

#[test]
fn without_git_the_command_says_what_is_missing() {
    let repo = Repo::with_plan(plan(&V1).as_bytes());
    let (code, stdout, stderr) = diff(repo.path(), &[]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("not in a git repository"), "{stderr}");
    let story = story();
    let (code, _, stderr) = diff(story.path(), &["no-such-rev"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`no-such-rev` is not a commit"), "{stderr}");
}

#[test]
fn a_shallow_clone_compares_what_it_has() {
    let origin = story();
    let clone = Repo::new();
    let url = format!("file://{}", origin.path().display());
    git(
        clone.path(),
        "2026-06-30",
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let root = clone.path().join("shallow");
    assert!(ok(&root, &[]).contains("no plan changed"));
    let (code, _, stderr) = diff(&root, &["HEAD~1"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("shallow clone"), "{stderr}");
    assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
}

#[test]
fn visit_records_and_pages_are_listed() {
    let repo = story();
    repo.write(
        "accounts/east-mobile-group/visits/2026-06-18-cto.md",
        "---\ndate: 2026-06-18\nattendees: [li-ming, zhang-wei]\npurpose: Roadmap follow-up\n---\nNotes.\n",
    );
    repo.write(
        "accounts/east-mobile-group/situation.md",
        "---\ntitle: Situation\nsection: why\n---\nThe network is old.\n",
    );
    let out = ok(repo.path(), &[]);
    assert!(
        out.contains("new visit `2026-06-18-cto.md`: Roadmap follow-up"),
        "{out}"
    );
    assert!(out.contains("new page `situation.md`: Situation"), "{out}");
    commit_all(repo.path(), "2026-06-20", "Visit notes");
    repo.write(
        "accounts/east-mobile-group/situation.md",
        "---\ntitle: Situation\nsection: why\n---\nThe network is new.\n",
    );
    std::fs::remove_file(
        repo.path()
            .join("accounts/east-mobile-group/visits/2026-06-18-cto.md"),
    )
    .unwrap();
    let out = ok(repo.path(), &[]);
    assert!(out.contains("page `situation.md` changed"), "{out}");
    assert!(
        out.contains("visit removed: `2026-06-18-cto.md`: Roadmap follow-up"),
        "{out}"
    );
}

/// Sharing a page with the customer, or no longer, changes the customer's
/// site: `diff` says so in words, in both languages.
#[test]
fn a_page_shared_with_the_customer_is_reported() {
    let repo = story();
    let page = |shared: &str| {
        format!("---\ntitle: Joint rhythm\nsection: how\n{shared}---\nWeekly calls.\n")
    };
    repo.write("accounts/east-mobile-group/rhythm.md", page(""));
    commit_all(repo.path(), "2026-06-20", "Rhythm page");
    repo.write(
        "accounts/east-mobile-group/rhythm.md",
        page("shared: true\n"),
    );
    let out = ok(repo.path(), &[]);
    assert!(
        out.contains("page `rhythm.md`: Joint rhythm now shared with the customer"),
        "{out}"
    );
    assert!(!out.contains("page `rhythm.md` changed"), "{out}");
    let out = ok(repo.path(), &["--lang", "zh-CN"]);
    assert!(out.contains("改为与客户共享"), "{out}");
    commit_all(repo.path(), "2026-06-21", "Shared");
    repo.write("accounts/east-mobile-group/rhythm.md", page(""));
    let out = ok(repo.path(), &[]);
    assert!(out.contains("no longer shared with the customer"), "{out}");
}
