//! The output formats, exit codes and config handling of `kaplan check`.

use crate::support::{Repo, check_json, kaplan, repo_root};

const SMALL: &str =
    "account: {name: X, owner: zhang-wei}\nperiod: {start: 2026-01-01, end: 2026-12-31}\n";

#[test]
fn example_accounts_pass_with_their_expected_warnings() {
    let root = repo_root().join("example-accounts");
    let (code, d) = check_json(&root, &[]);
    assert_eq!(code, 0, "{d:#?}");
    assert!(d.iter().all(|x| x["level"] == "warning"));
    for rule in [
        "who/decision-maker-not-engaged",
        "when-where/overdue-action",
        "cost-return/unreviewed",
        "cost-return/roi-below-threshold",
    ] {
        assert!(
            d.iter().any(|x| x["rule"] == rule),
            "example-accounts should show {rule}"
        );
    }
}

#[test]
fn json_objects_carry_the_contract_keys() {
    let repo = Repo::with_plan(SMALL.as_bytes());
    let (code, d) = check_json(repo.path(), &[]);
    assert_eq!(code, 1);
    for x in &d {
        for key in [
            "file", "line", "column", "rule", "level", "question", "account", "message",
        ] {
            assert!(!x[key].is_null(), "{key} missing in {x}");
        }
        assert_eq!(x["file"], "accounts/fixture/plan.yaml");
        assert_eq!(x["account"], "fixture");
    }
    assert!(d.iter().any(|x| x["rule"] == "why/no-objectives"
        && x["question"] == "why"
        && x["level"] == "error"));
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let repo = Repo::new();
    repo.write(
        "kaplan.toml",
        "[rules]\n\"why/no-objectives\" = \"warning\"\n",
    );
    let plan =
        std::fs::read_to_string(repo_root().join("tests/rules/who/no-coach/fires.yaml")).unwrap();
    repo.write("accounts/fixture/plan.yaml", plan);
    let (code, d) = check_json(repo.path(), &[]);
    assert!(d.iter().all(|x| x["level"] == "warning"), "{d:#?}");
    assert_eq!(code, 0);
    let (code, _) = check_json(repo.path(), &["--deny", "warnings"]);
    assert_eq!(code, 1);
}

#[test]
fn rules_can_be_turned_off_and_raised() {
    let repo = Repo::new();
    repo.write(
        "kaplan.toml",
        "[rules]\n\"who/no-coach\" = \"error\"\n\"why/no-objectives\" = \"off\"\n",
    );
    repo.write("accounts/fixture/plan.yaml", SMALL);
    let (_, d) = check_json(repo.path(), &[]);
    assert!(d.iter().all(|x| x["rule"] != "why/no-objectives"));
    let plan =
        std::fs::read_to_string(repo_root().join("tests/rules/who/no-coach/fires.yaml")).unwrap();
    repo.write("accounts/fixture/plan.yaml", plan);
    let (_, d) = check_json(repo.path(), &[]);
    assert!(
        d.iter()
            .any(|x| x["rule"] == "who/no-coach" && x["level"] == "error")
    );
}

#[test]
fn unknown_rule_names_in_config_are_reported() {
    let repo = Repo::new();
    repo.write(
        "kaplan.toml",
        "title = \"x\"\n[rules]\n\"who/no-coatch\" = \"off\"\n",
    );
    let (code, d) = check_json(repo.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(d[0]["file"], "kaplan.toml");
    assert_eq!(d[0]["line"], 3);
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `who/no-coach`")
    );
}

#[test]
fn broken_config_exits_2_with_its_position() {
    let repo = Repo::new();
    repo.write(
        "kaplan.toml",
        "title = \"x\"\n[thresholds]\nmin_roi = \"high\"\n",
    );
    let out = kaplan(&["check", repo.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("kaplan.toml:3:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn github_format_escapes_properties() {
    let repo = Repo::with_plan(SMALL.as_bytes());
    let out = kaplan(&[
        "check",
        repo.path().to_str().unwrap(),
        "--format",
        "github",
        "--today",
        "2026-06-30",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("why/no-objectives"))
        .expect("an annotation");
    assert!(
        line.starts_with("::error file=accounts/fixture/plan.yaml,line="),
        "{line}"
    );
    assert!(line.contains(",title=why/no-objectives::"), "{line}");
    assert!(
        text.lines()
            .all(|l| l.starts_with("::error ") || l.starts_with("::warning "))
    );
}

#[test]
fn sarif_is_a_2_1_0_log() {
    let repo = Repo::with_plan(SMALL.as_bytes());
    let out = kaplan(&[
        "check",
        repo.path().to_str().unwrap(),
        "--format",
        "sarif",
        "--today",
        "2026-06-30",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn human_output_snapshot() {
    let repo = Repo::new();
    repo.write(
        "accounts/east-mobile/plan.yaml",
        "account:\n  name: 华东移动\n  owner: zhang-wie\n  tier: platinium\nperiod: { start: 2026-01-01, end: 2026-12-31 }\nobjectivs: []\nteam:\n  - id: zhang-wei\n    role: account-manager\n",
    );
    let out = kaplan(&[
        "check",
        repo.path().to_str().unwrap(),
        "--today",
        "2026-06-30",
        "--color",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn explain_prints_the_four_parts() {
    let out = kaplan(&["explain", "who/no-coach"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for h in [
        "What it checks",
        "Why it matters",
        "Failing example",
        "Passing example",
    ] {
        assert!(text.contains(h), "{h} missing");
    }
    let out = kaplan(&["explain", "who/no-coch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `who/no-coach`"));
    let out = kaplan(&["explain", "--list"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 43);
}

/// `check` writes the ROI as a percentage and amounts in the site's money
/// format. The fixture by hand: total cost 800,000; expected return
/// 1,000,000 × 0.6 = 600,000; ROI (600,000 − 800,000) / 800,000 = −0.25,
/// i.e. −25%, below the default `min_roi` 0.5, i.e. 50%.
#[test]
fn check_prints_roi_as_a_percentage() {
    let plan = std::fs::read_to_string(
        repo_root().join("tests/rules/cost-return/roi-below-threshold/fires.yaml"),
    )
    .unwrap();
    for (language, message) in [
        (
            "en",
            "the expected ROI is -25%, below the threshold 50%: expected return CNY 600k against total cost CNY 800k",
        ),
        (
            "zh-CN",
            "预期投资回报率为 -25%，低于最低要求 50%：预期回报 ¥60万，总投入 ¥80万",
        ),
    ] {
        let repo = Repo::new();
        repo.write("kaplan.toml", format!("language = \"{language}\"\n"));
        repo.write("accounts/fixture/plan.yaml", &plan);
        let out = kaplan(&[
            "check",
            repo.path().to_str().unwrap(),
            "--today",
            "2026-06-30",
        ]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(text.contains(message), "{language}: {text}");
        let (_, d) = check_json(repo.path(), &[]);
        let roi = d
            .iter()
            .find(|x| x["rule"] == "cost-return/roi-below-threshold")
            .expect("the ROI diagnostic");
        assert_eq!(roi["message"], message);
    }
}
