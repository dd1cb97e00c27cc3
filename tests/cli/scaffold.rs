//! `kaplan init` and `kaplan new`.

use crate::support::{Repo, check_json, kaplan};

#[test]
fn init_creates_a_repository_that_passes_cleanly() {
    let repo = Repo::new();
    let dir = repo.path().join("plans");
    let out = kaplan(&["init", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "kaplan.toml",
        ".gitignore",
        "plan.schema.json",
        ".github/workflows/plans.yml",
        "accounts/east-mobile/plan.yaml",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let plan = std::fs::read_to_string(dir.join("accounts/east-mobile/plan.yaml")).unwrap();
    assert!(plan.starts_with("# yaml-language-server: $schema=../../plan.schema.json"));
    // Judged by the real clock: the sample's dates are relative to today.
    let out = kaplan(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "[]");
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/plans.yml")).unwrap();
    assert!(workflow.contains("kaplan check --format github") && workflow.contains("kaplan build"));
}

#[test]
fn init_never_overwrites() {
    let repo = Repo::new();
    repo.write("kaplan.toml", "title = \"mine\"\n");
    let out = kaplan(&["init", repo.path().to_str().unwrap()]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("kept"));
    assert_eq!(
        std::fs::read_to_string(repo.path().join("kaplan.toml")).unwrap(),
        "title = \"mine\"\n"
    );
}

#[test]
fn new_account_walks_through_the_six_questions() {
    let repo = Repo::new();
    let root = repo.path().to_str().unwrap();
    let out = kaplan(&[
        "new",
        "west-bank",
        "--name",
        "西岸银行: \"Corporate\"",
        "--root",
        root,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan = std::fs::read_to_string(repo.path().join("accounts/west-bank/plan.yaml")).unwrap();
    for q in [
        "WHY — 为什么要做",
        "WHO — 对谁做",
        "BY WHOM — 谁来做",
        "HOW — 怎么做",
        "WHEN & WHERE — 何时何地做",
        "COST vs RETURN — 多大投入",
    ] {
        assert!(plan.contains(q), "{q} missing");
    }
    let (code, d) = check_json(repo.path(), &[]);
    assert_eq!(code, 1);
    let mut rules: Vec<&str> = d.iter().map(|x| x["rule"].as_str().unwrap()).collect();
    rules.sort_unstable();
    assert_eq!(
        rules,
        [
            "by-whom/no-team",
            "cost-return/no-costs",
            "cost-return/no-returns",
            "cost-return/unreviewed",
            "plan/missing-required",
            "when-where/no-milestones",
            "who/no-stakeholders",
            "why/no-objectives",
        ]
    );
    assert!(
        d.iter()
            .any(|x| x["message"] == "`account.owner` is missing")
    );
}

#[test]
fn new_rejects_bad_and_existing_ids() {
    let repo = Repo::new();
    let root = repo.path().to_str().unwrap();
    let out = kaplan(&["new", "West Bank", "--root", root]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid id"));
    assert!(kaplan(&["new", "west", "--root", root]).status.success());
    let out = kaplan(&["new", "west", "--root", root]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
}
