//! `plan/personal-data-in-text` in narrative pages and visit records, with
//! `[privacy] patterns` from kaplan.toml; its reports name the place of a
//! match and never quote it.

use crate::support::{Repo, check_json, kaplan, positions, repo_root};

const RULE: &str = "plan/personal-data-in-text";

fn repo() -> Repo {
    let plan =
        std::fs::read(repo_root().join("tests/rules/plan/personal-data-in-text/passes.yaml"))
            .unwrap();
    let repo = Repo::with_plan(&plan);
    repo.write(
        "accounts/fixture/situation.md",
        "---\ntitle: Situation\n---\n# Situation\n\nThe director's daughter: ask 13912345678.\n",
    );
    repo.write(
        "accounts/fixture/visits/2026-03-14-cto.md",
        "---\ndate: 2026-03-14\noutcome: >-\n  Agreed on a pilot;\n  mail wu.fang@east-mobile.cn\nnext_steps:\n  - \"send the deck\"\n  - call +86 13712345678\n---\nNotes: staff no. EMP-204511 asked for the slides.\n",
    );
    repo
}

#[test]
fn pages_and_visit_records_are_checked_at_the_match() {
    let repo = repo();
    let (_, diags) = check_json(repo.path(), &[]);
    let found: Vec<(String, String)> = diags
        .iter()
        .filter(|d| d["rule"] == RULE)
        .map(|d| {
            let file = d["file"].as_str().unwrap().to_owned();
            (file, format!("{}:{}", d["line"], d["column"]))
        })
        .collect();
    assert_eq!(
        found,
        [
            ("accounts/fixture/situation.md".into(), "6:30".into()),
            (
                "accounts/fixture/visits/2026-03-14-cto.md".into(),
                "5:8".into()
            ),
            (
                "accounts/fixture/visits/2026-03-14-cto.md".into(),
                "8:10".into()
            ),
        ]
    );
    for d in &diags {
        let message = d["message"].as_str().unwrap();
        for secret in ["13912345678", "wu.fang", "13712345678"] {
            assert!(!message.contains(secret), "{message}");
        }
    }
}

#[test]
fn custom_patterns_add_to_the_defaults_or_replace_them() {
    let repo = repo();
    repo.write("kaplan.toml", "[privacy]\npatterns = [\"EMP-\\\\d{6}\"]\n");
    let (_, diags) = check_json(repo.path(), &[]);
    let custom: Vec<&serde_json::Value> = diags
        .iter()
        .filter(|d| d["rule"] == RULE && d["line"] == 10)
        .collect();
    assert_eq!(custom.len(), 1, "{diags:?}");
    assert_eq!(custom[0]["column"], 18);
    assert!(
        custom[0]["message"]
            .as_str()
            .unwrap()
            .contains("`[privacy] patterns` entry 1"),
        "{custom:?}"
    );
    assert_eq!(positions(&diags, RULE).len(), 4);

    repo.write(
        "kaplan.toml",
        "[privacy]\ndefaults = false\npatterns = [\"EMP-\\\\d{6}\"]\n",
    );
    let (_, diags) = check_json(repo.path(), &[]);
    assert_eq!(positions(&diags, RULE), ["10:18"]);
}

#[test]
fn the_human_report_names_the_place_and_never_quotes_the_match() {
    let repo = repo();
    // Another finding on the line of a match does not quote it either.
    repo.write(
        "accounts/other/plan.yaml",
        "objectives:\n  - {id: o, title: T, why: call 13612345678, metrc: m}\n",
    );
    let out = kaplan(&[
        "check",
        repo.path().to_str().unwrap(),
        "--today",
        "2026-06-30",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("situation.md:6:30"), "{text}");
    assert!(text.contains("private"), "{text}");
    assert!(text.contains("metrc"), "{text}");
    for secret in [
        "13912345678",
        "wu.fang",
        "13712345678",
        "daughter",
        "13612345678",
    ] {
        assert!(!text.contains(secret), "{secret} quoted:\n{text}");
    }
}

#[test]
fn an_invalid_pattern_stops_the_command_naming_the_key() {
    let repo = repo();
    repo.write("kaplan.toml", "[privacy]\npatterns = [\"(unclosed\"]\n");
    let out = kaplan(&["check", repo.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("kaplan.toml:2:13"), "{err}");
    assert!(err.contains("`[privacy] patterns` entry 1"), "{err}");
}
