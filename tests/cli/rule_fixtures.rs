//! Every rule fires on its `fires.yaml` exactly where the fixture's
//! `# expect:` line says, and not at all on its `passes.yaml`.
//!
//! A fixture with a `# git-date: YYYY-MM-DD` line among its first lines is
//! committed to a fresh git repository on that date before it is checked
//! (for rules that read history, such as `plan/stale`); all others are
//! checked in a plain folder.

use crate::support::{Repo, check_json, commit_all, fixture_git_date, positions, repo_root};

/// A temporary repository holding `text` as the fixture's plan.
fn fixture_repo(text: &[u8]) -> Repo {
    let repo = Repo::with_plan(text);
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
