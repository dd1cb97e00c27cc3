//! `kaplan schema` accepts every valid plan and rejects unknown keys.

use crate::support::{kaplan, repo_root};
use kaplan::load::yaml;

fn validator() -> jsonschema::Validator {
    let out = kaplan(&["schema"]);
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn as_json(text: &str) -> serde_json::Value {
    yaml::parse(text, 0).root.expect("parses").to_json()
}

#[test]
fn schema_accepts_every_valid_plan() {
    let v = validator();
    let mut plans = vec![];
    for entry in std::fs::read_dir(repo_root().join("example-accounts/accounts")).unwrap() {
        plans.push(entry.unwrap().path().join("plan.yaml"));
    }
    for q in std::fs::read_dir(repo_root().join("tests/rules/why")).unwrap() {
        plans.push(q.unwrap().path().join("passes.yaml"));
    }
    assert!(plans.len() >= 8);
    for path in plans {
        let text = std::fs::read_to_string(&path).unwrap();
        let errors: Vec<String> = v
            .iter_errors(&as_json(&text))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn schema_rejects_unknown_keys_and_bad_values() {
    let v = validator();
    let base = "account: {name: X, owner: a}\nperiod: {start: 2026-01-01, end: 2026-12-31}\n";
    assert!(v.is_valid(&as_json(base)));
    assert!(!v.is_valid(&as_json(&format!("{base}objectivs: []\n"))));
    assert!(!v.is_valid(&as_json(&format!(
        "{base}stakeholders: [{{id: b, influence: 7}}]\n"
    ))));
    assert!(!v.is_valid(&as_json(&format!(
        "{base}stakeholders: [{{id: b, role: boss}}]\n"
    ))));
    assert!(
        !v.is_valid(&as_json("account: {name: X}\n")),
        "owner and period are required"
    );
}

#[test]
fn published_schema_file_is_current() {
    // The example repository is Chinese: so are its schema's descriptions.
    let out = kaplan(&["schema", "--lang", "zh-CN"]);
    let file = std::fs::read(repo_root().join("example-accounts/plan.schema.json")).unwrap();
    assert!(
        file == out.stdout,
        "example-accounts/plan.schema.json is stale: run `kaplan schema --lang zh-CN > example-accounts/plan.schema.json`"
    );
}

/// `kaplan schema --people` accepts the `people.yaml` that `init` writes
/// (in both languages) and the example's, and rejects unknown keys.
#[test]
fn the_people_schema_accepts_people_files_and_rejects_unknown_keys() {
    let out = kaplan(&["schema", "--people"]);
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for path in [
        "src/scaffold/people.yaml",
        "src/scaffold/zh-CN/people.yaml",
        "example-accounts/people.yaml",
    ] {
        let text = std::fs::read_to_string(repo_root().join(path)).unwrap();
        let errors: Vec<String> = v
            .iter_errors(&as_json(&text))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
    }
    assert!(!v.is_valid(&as_json("people: [{id: a, nmae: A}]\n")));
    assert!(!v.is_valid(&as_json("people: [{id: Not An Id}]\n")));
}

#[test]
fn published_people_schema_file_is_current() {
    let out = kaplan(&["schema", "--people", "--lang", "zh-CN"]);
    let file = std::fs::read(repo_root().join("example-accounts/people.schema.json")).unwrap();
    assert!(
        file == out.stdout,
        "example-accounts/people.schema.json is stale: run `kaplan schema --people --lang zh-CN > example-accounts/people.schema.json`"
    );
}
