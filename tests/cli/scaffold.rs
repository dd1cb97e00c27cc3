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
        "people.yaml",
        "people.schema.json",
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

/// The workflows `init` writes, as JSON (read by kaplan's own YAML parser).
fn init_workflows() -> (serde_json::Value, serde_json::Value) {
    let repo = Repo::new();
    let out = kaplan(&["init", "--quiet", repo.path().to_str().unwrap()]);
    assert!(out.status.success());
    let read = |name: &str| {
        let text = std::fs::read_to_string(repo.path().join(".github/workflows").join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let parsed = kaplan::load::yaml::parse(&text, 0);
        assert!(parsed.errors.is_empty(), "{name}: {:?}", parsed.errors);
        parsed.root.expect("a document").to_json()
    };
    (read("plans.yml"), read("plan-changes.yml"))
}

/// Every job of a workflow, by name.
fn jobs(workflow: &serde_json::Value) -> &serde_json::Map<String, serde_json::Value> {
    workflow["jobs"].as_object().expect("jobs")
}

#[test]
fn init_workflows_grant_each_job_only_what_it_needs() {
    let (plans, comment) = init_workflows();
    let none = serde_json::json!({});
    assert_eq!(plans["permissions"], none);
    assert_eq!(comment["permissions"], none);
    let granted =
        |workflow: &serde_json::Value, job: &str| workflow["jobs"][job]["permissions"].clone();
    let read = serde_json::json!({ "contents": "read" });
    // The jobs a pull request runs, and the build, write nothing.
    assert_eq!(granted(&plans, "check"), read);
    assert_eq!(granted(&plans, "plan-changes"), read);
    assert_eq!(granted(&plans, "build"), read);
    assert_eq!(
        granted(&plans, "deploy"),
        serde_json::json!({ "pages": "write", "id-token": "write" })
    );
    assert_eq!(
        granted(&comment, "comment"),
        serde_json::json!({ "actions": "read", "pull-requests": "write" })
    );
    assert_eq!(jobs(&plans).len() + jobs(&comment).len(), 5);

    // The check runs on every push and pull request; the plan changes on
    // pull requests; the site is built and deployed from the default branch.
    assert!(plans["on"].get("pull_request").is_some() && plans["on"].get("push").is_some());
    let check = &plans["jobs"]["check"];
    assert!(check.get("if").is_none());
    assert!(steps(check).any(|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains("kaplan check --format github"))
    }));
    assert_eq!(
        plans["jobs"]["plan-changes"]["if"],
        "github.event_name == 'pull_request'"
    );
    for job in ["build", "deploy"] {
        let condition = plans["jobs"][job]["if"].as_str().unwrap();
        assert!(
            condition.contains("github.event_name == 'push'")
                && condition.contains("github.event.repository.default_branch"),
            "{job}: {condition}"
        );
    }
    assert_eq!(
        plans["jobs"]["deploy"]["environment"]["name"],
        "github-pages"
    );

    // The comment is posted by a run of the default branch's workflow after
    // the plans run, and updated in place.
    assert_eq!(
        comment["on"]["workflow_run"]["workflows"],
        serde_json::json!([plans["name"]])
    );
    let script = steps(&comment["jobs"]["comment"])
        .filter_map(|s| s["run"].as_str())
        .collect::<String>();
    assert!(script.contains("<!-- kaplan:plan-changes -->") && script.contains("--method PATCH"));
}

#[test]
fn init_workflows_pin_every_action_and_expand_nothing_in_scripts() {
    let (plans, comment) = init_workflows();
    let version = String::from_utf8(kaplan(&["--version"]).stdout).unwrap();
    // `kaplan 0.1.0 (abc123def456)`: the commit the binary was built from.
    let built_from = version
        .trim()
        .split_once(" (")
        .map(|(_, c)| c.trim_end_matches(')').to_owned());
    let mut kaplan_steps = 0;
    for workflow in [&plans, &comment] {
        for (name, job) in jobs(workflow) {
            for step in steps(job) {
                if let Some(run) = step["run"].as_str() {
                    assert!(
                        !run.contains("${{"),
                        "{name}: an expression in a script: {run}"
                    );
                }
                let Some(uses) = step["uses"].as_str() else {
                    continue;
                };
                let (action, commit) = uses.split_once('@').unwrap();
                assert!(
                    commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{name}: {uses} is not pinned to a full commit"
                );
                if env!("CARGO_PKG_REPOSITORY").ends_with(&format!("/{action}")) {
                    kaplan_steps += 1;
                    assert_eq!(step["with"]["version"], env!("CARGO_PKG_VERSION"));
                    if let Some(built_from) = &built_from {
                        assert!(
                            commit.starts_with(built_from.as_str()),
                            "{uses} vs {version}"
                        );
                    }
                }
            }
        }
    }
    // check, plan-changes and build install kaplan through the action.
    assert_eq!(kaplan_steps, 3);
}

/// The steps of a job.
fn steps(job: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    job["steps"].as_array().into_iter().flatten()
}
