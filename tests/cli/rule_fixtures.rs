//! Every rule fires on its `fires.yaml` exactly where the fixture's
//! `# expect:` line says, and not at all on its `passes.yaml`.
//!
//! A fixture with a `# git-date: YYYY-MM-DD` line among its first lines is
//! committed to a fresh git repository on that date before it is checked
//! (for rules that read history, such as `plan/stale`); all others are
//! checked in a plain folder. `# people:` and `# kaplan.toml:` lines give
//! the repository a `people.yaml` and a `kaplan.toml` (see `fixture_repo`).

use crate::support::{Repo, check_json, commit_all, fixture_git_date, positions, repo_root};
use kaplan::config::Language;

/// A temporary repository holding `text` as the fixture's plan; a
/// `# people: ID...` line among its first lines writes a `people.yaml` with
/// those ids, a `# kaplan.toml: TOML` line that `kaplan.toml`.
fn fixture_repo(text: &[u8]) -> Repo {
    let repo = Repo::with_plan(text);
    let header = |key: &str| {
        String::from_utf8_lossy(text)
            .lines()
            .take(5)
            .find_map(|l| l.strip_prefix(key).map(str::trim).map(str::to_owned))
    };
    if let Some(ids) = header("# people:") {
        let people: String = ids
            .split_whitespace()
            .map(|id| format!("  - id: {id}\n    name: {id}\n"))
            .collect();
        repo.write("people.yaml", format!("people:\n{people}"));
    }
    if let Some(toml) = header("# kaplan.toml:") {
        repo.write("kaplan.toml", format!("{toml}\n"));
    }
    if let Some(date) = fixture_git_date(&String::from_utf8_lossy(text)) {
        commit_all(repo.path(), date, "fixture");
    }
    repo
}

fn fixture_dirs() -> Vec<(String, std::path::PathBuf)> {
    let root = repo_root().join("tests/rules");
    let mut dirs = Vec::new();
    for q in std::fs::read_dir(&root).unwrap() {
        let q = q.unwrap().path();
        for r in std::fs::read_dir(&q).unwrap() {
            let r = r.unwrap().path();
            let name = format!(
                "{}/{}",
                q.file_name().unwrap().to_str().unwrap(),
                r.file_name().unwrap().to_str().unwrap()
            );
            dirs.push((name, r));
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn every_rule_fires_where_its_fixture_expects() {
    let mut failures = Vec::new();
    for (rule, dir) in fixture_dirs() {
        let text = std::fs::read_to_string(dir.join("fires.yaml")).unwrap();
        let expect_line = text.lines().next().unwrap_or_default();
        let mut expected: Vec<String> = expect_line
            .strip_prefix("# expect:")
            .unwrap_or_else(|| panic!("{rule}/fires.yaml must start with `# expect: L:C`"))
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        expected.sort();
        assert!(!expected.is_empty(), "{rule}: no expected positions");
        let repo = fixture_repo(text.as_bytes());
        let (code, diags) = check_json(repo.path(), &[]);
        let got = positions(&diags, &rule);
        if got != expected {
            failures.push(format!("{rule}: expected {expected:?}, got {got:?}"));
        }
        let level = diags
            .iter()
            .find(|d| d["rule"] == rule.as_str())
            .map(|d| d["level"].clone());
        if level == Some("error".into()) && code != 1 {
            failures.push(format!("{rule}: an error must exit 1, got {code}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn no_rule_fires_on_its_passing_fixture() {
    let mut failures = Vec::new();
    for (rule, dir) in fixture_dirs() {
        let text = std::fs::read(dir.join("passes.yaml")).unwrap();
        let repo = fixture_repo(&text);
        let (_, diags) = check_json(repo.path(), &[]);
        let got = positions(&diags, &rule);
        if !got.is_empty() {
            failures.push(format!("{rule}: fired on passes.yaml at {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The top-level blocks of a YAML text: each key with the lines below it,
/// comment lines kept with the block before them.
fn top_level_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let starts_key = line.starts_with(|c: char| !c.is_whitespace() && c != '#');
        match blocks.last_mut() {
            Some(last) if !starts_key => {
                last.1.push_str(line);
                last.1.push('\n');
            }
            _ => {
                let key = line.split(':').next().unwrap_or_default().to_owned();
                blocks.push((key, format!("{line}\n")));
            }
        }
    }
    blocks
}

/// The plan an explanation's example is written into: the smallest plan
/// without a `plan/*` diagnostic.
const MINIMAL_PLAN: &str = "\
account:
  name: East Mobile Communications
  owner: zhang-wei
period: { start: 2026-01-01, end: 2026-12-31 }
team:
  - id: zhang-wei
    role: account-manager
";

/// `base` with each top-level key of `example` replaced by the example's
/// (keys the base lacks are appended), and the comment lines that open the
/// example (a `# git-date:`) first: an explanation's example in a complete
/// plan.
fn with_example(base: &str, example: &str) -> String {
    let lead: usize = example
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.len() + 1)
        .sum();
    let (lead, example) = example.split_at(lead);
    let mut example = top_level_blocks(example);
    let mut out = lead.to_owned();
    for (key, block) in top_level_blocks(base) {
        match example.iter().position(|(k, _)| *k == key) {
            Some(i) => out.push_str(&example.remove(i).1),
            None => out.push_str(&block),
        }
    }
    for (_, block) in example {
        out.push_str(&block);
    }
    out
}

/// The first YAML block after `heading` in an explanation.
fn example_after<'a>(explanation: &'a str, heading: &str) -> &'a str {
    let after = &explanation[explanation.find(heading).expect("heading") + heading.len()..];
    let start = after.find("```yaml\n").expect("a YAML example") + "```yaml\n".len();
    let len = after[start..].find("```").expect("a closed example");
    &after[start..start + len]
}

/// What `kaplan explain` teaches is true, in both languages: each rule's
/// failing example,
/// written into [`MINIMAL_PLAN`], makes the rule fire, and its passing
/// example does not (today is 2026-06-30, as the examples say; an example
/// that opens with `# git-date:` is committed on that date).
#[test]
fn explanation_examples_fire_and_pass_as_they_say() {
    let mut failures = Vec::new();
    let languages = [
        (Language::En, ["## Failing example", "## Passing example"]),
        (Language::ZhCn, ["## 不通过的例子", "## 通过的例子"]),
    ];
    for rule in kaplan::validate::rules::RULES {
        for (language, [failing, passing]) in languages {
            for (heading, fires) in [(failing, true), (passing, false)] {
                let explanation = rule.explanation.get(language);
                let plan = with_example(MINIMAL_PLAN, example_after(explanation, heading));
                let repo = fixture_repo(plan.as_bytes());
                let (_, diags) = check_json(repo.path(), &[]);
                let got = positions(&diags, rule.name);
                if got.is_empty() == fires {
                    failures.push(format!(
                        "{} ({language:?}): the {} {}\n{plan}",
                        rule.name,
                        &heading[3..],
                        if fires { "does not fire" } else { "fires" }
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// `who/key-person-not-engaged` counts a visit attended as contact, as
/// `who/decision-maker-not-engaged` does, and reads `key_influence` from
/// kaplan.toml.
#[test]
fn key_persons_are_engaged_by_visits_and_chosen_by_key_influence() {
    let rule = "who/key-person-not-engaged";
    let plan = std::fs::read(
        repo_root()
            .join("tests/rules")
            .join(rule)
            .join("fires.yaml"),
    )
    .unwrap();
    // wu-fang 24:5 (influence 4), wang-gang 30:5 (4), sun-hua 37:5 (5).
    let repo = fixture_repo(&plan);
    repo.write(
        "accounts/fixture/visits/2026-05-02-ops.md",
        "---\ndate: 2026-05-02\nattendees: [zhang-wei, wang-gang, sun-hua]\n---\nOperations review.\n",
    );
    let (_, diags) = check_json(repo.path(), &[]);
    assert_eq!(positions(&diags, rule), ["24:5"]);
    repo.write("kaplan.toml", "[thresholds]\nkey_influence = 5\n");
    let (_, diags) = check_json(repo.path(), &[]);
    assert!(positions(&diags, rule).is_empty(), "{diags:#?}");
    std::fs::remove_file(
        repo.path()
            .join("accounts/fixture/visits/2026-05-02-ops.md"),
    )
    .unwrap();
    let (_, diags) = check_json(repo.path(), &[]);
    assert_eq!(positions(&diags, rule), ["37:5"]);
}
