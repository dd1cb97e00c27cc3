//! Hostile and broken inputs give diagnostics with positions, never a panic.

use crate::support::{Repo, check_json, kaplan, positions};

/// Checks `plan` and returns the diagnostics; the binary must not crash.
fn diagnose(plan: &[u8]) -> Vec<serde_json::Value> {
    let repo = Repo::with_plan(plan);
    let (code, diags) = check_json(repo.path(), &[]);
    assert!(code == 0 || code == 1, "exit code {code}");
    diags
}

#[test]
fn empty_file_reports_missing_fields() {
    let d = diagnose(b"");
    let messages: Vec<&str> = d
        .iter()
        .filter(|x| x["rule"] == "plan/missing-required")
        .filter_map(|x| x["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        ["`account` is missing", "`period` is missing"],
        "{d:#?}"
    );
}

#[test]
fn top_level_list_is_an_invalid_value() {
    let d = diagnose(b"- a\n- b\n");
    assert_eq!(positions(&d, "plan/invalid-value"), ["1:1"]);
    assert!(d[0]["message"].as_str().unwrap().contains("found a list"));
}

#[test]
fn tabs_are_a_syntax_error_with_a_hint() {
    let d = diagnose(b"account:\n\tname: x\n");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["rule"], "plan/syntax");
    assert_eq!(d[0]["line"], 2);
}

#[test]
fn alias_bomb_is_bounded() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let d = diagnose(text.as_bytes());
    assert_eq!(d[0]["rule"], "plan/syntax");
    assert!(d[0]["message"].as_str().unwrap().contains("alias bomb"));
}

#[test]
fn ten_thousand_deep_nesting_is_refused() {
    let text = format!("account: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let d = diagnose(text.as_bytes());
    assert_eq!(d[0]["rule"], "plan/syntax");
}

#[test]
fn binary_plan_is_reported() {
    let d = diagnose(&[0x7f, b'E', b'L', b'F', 0, 0, 0xff, 0xfe, 1, 2, 3]);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["rule"], "plan/syntax");
}

#[test]
fn non_utf8_is_reported_at_the_bad_byte() {
    let d = diagnose(b"account:\n  name: caf\xe9\n");
    assert_eq!(positions(&d, "plan/syntax"), ["2:12"]);
}

#[test]
fn bom_and_crlf_keep_positions() {
    let d = diagnose(b"\xEF\xBB\xBFaccount:\r\n  name: x\r\n  ownr: y\r\n");
    assert_eq!(positions(&d, "plan/unknown-field"), ["3:3"]);
    assert!(d.iter().any(|x| {
        x["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `owner`")
    }));
}

#[test]
fn one_bad_field_does_not_hide_the_others() {
    let d = diagnose(
        b"account: {name: X, owner: a}\nperiod: {start: 2026-01-01, end: 2026-02-30}\nteam:\n  - {id: a, role: boss}\nstakeholders:\n  - {id: b, influence: 7}\n",
    );
    let invalid = positions(&d, "plan/invalid-value");
    assert_eq!(invalid, ["2:34", "4:19", "6:24"], "{d:#?}");
    assert!(
        positions(&d, "plan/missing-required").is_empty(),
        "an invalid value is not also missing"
    );
    let messages: Vec<&str> = d.iter().filter_map(|x| x["message"].as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("has 28 days")));
    assert!(
        messages.iter().any(|m| m.contains("account-manager")),
        "enum message lists the allowed values"
    );
    assert!(
        messages.iter().any(|m| m.contains("from 1 to 5")),
        "range message names the range"
    );
    // Checking went on: the checklist rules still ran.
    assert!(!positions(&d, "why/no-objectives").is_empty());
}

#[test]
fn yes_and_no_are_text_not_booleans() {
    let d = diagnose(b"account: {name: no, owner: yes}\n");
    assert!(positions(&d, "plan/invalid-value").is_empty(), "{d:#?}");
    assert!(d.iter().any(|x| x["rule"] == "plan/dangling-reference"
        && x["message"].as_str().unwrap().contains("yes")));
}

#[test]
fn duplicate_keys_are_errors() {
    let d = diagnose(b"account: {name: a, owner: b}\naccount: {name: c}\n");
    assert_eq!(positions(&d, "plan/syntax"), ["2:1"]);
}

#[test]
fn a_broken_account_does_not_stop_the_others() {
    let repo = Repo::new();
    repo.write("accounts/a-broken/plan.yaml", "account: [\n");
    repo.write("accounts/b-fine/plan.yaml", "account: {name: B}\n");
    let (_, d) = check_json(repo.path(), &[]);
    assert!(
        d.iter()
            .any(|x| x["account"] == "a-broken" && x["rule"] == "plan/syntax")
    );
    assert!(
        d.iter()
            .any(|x| x["account"] == "b-fine" && x["rule"] == "plan/missing-required")
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_a_diagnostic() {
    let repo = Repo::with_plan(b"account: {name: X}\n");
    std::os::unix::fs::symlink(
        repo.path().join("accounts/fixture"),
        repo.path().join("accounts/fixture/visits"),
    )
    .unwrap();
    let (code, d) = check_json(repo.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        d.iter()
            .any(|x| x["message"].as_str().unwrap().contains("loops")),
        "{d:#?}"
    );
}

#[test]
fn hidden_entries_and_public_are_not_input() {
    let repo = Repo::with_plan(b"account: {name: X}\n");
    repo.write("accounts/.hidden/plan.yaml", "garbage: [");
    repo.write("accounts/public/plan.yaml", "garbage: [");
    repo.write("accounts/fixture/.notes.md", "---\ngarbage: [\n---\n");
    let (_, d) = check_json(repo.path(), &[]);
    assert!(d.iter().all(|x| x["account"] == "fixture"), "{d:#?}");
}

#[test]
fn unreadable_root_exits_2() {
    let out = kaplan(&["check", "/nonexistent/kaplan-plans"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the plans root"));
}
