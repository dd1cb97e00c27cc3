//! The adversarial corpus: every hostile input ends in a diagnostic naming
//! the file (and the line, where there is one), within a time bound, never a
//! panic or a hang. Large inputs are generated here, never committed.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Repo, check_json, kaplan, repo_root};

/// Generous for a debug build on a busy machine; the real cost is far lower.
const BOUND: Duration = Duration::from_secs(10);

fn clean_plan() -> String {
    std::fs::read_to_string(repo_root().join("tests/rules/why/no-objectives/passes.yaml")).unwrap()
}

/// `kaplan check --format json` within [`BOUND`]; never a crash.
fn check(root: &Path) -> (i32, Vec<Value>) {
    let started = Instant::now();
    let (code, diags) = check_json(root, &[]);
    let took = started.elapsed();
    assert!(took < BOUND, "check took {took:?}");
    assert!(code == 0 || code == 1, "exit code {code}");
    (code, diags)
}

/// `(line, column, message)` of every diagnostic of `rule` about `file`.
fn at(diags: &[Value], rule: &str, file: &str) -> Vec<(u64, u64, String)> {
    diags
        .iter()
        .filter(|d| d["rule"] == rule && d["file"] == file)
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The single diagnostic of `rule` about `file`.
fn only(diags: &[Value], rule: &str, file: &str) -> (u64, u64, String) {
    let mut found = at(diags, rule, file);
    assert_eq!(found.len(), 1, "one {rule} in {file}: {diags:#?}");
    found.remove(0)
}

const PLAN: &str = "accounts/fixture/plan.yaml";

#[test]
fn billion_laughs_stops_at_the_alias_that_crosses_the_limit() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let repo = Repo::with_plan(text.as_bytes());
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let (line, col, message) = only(&d, "plan/syntax", PLAN);
    assert!(message.contains("200000 nodes"), "{message}");
    // a5 would expand to ~600,000 nodes: its fourth alias crosses the limit.
    assert_eq!(line, 6, "{message}");
    assert!(col > 10, "{col}");
}

#[test]
fn many_aliases_of_one_big_anchor_are_bounded() {
    let mut text = String::from("big: &big [");
    text.push_str(&vec!["x"; 5000].join(", "));
    text.push_str("]\ncopies:\n");
    for _ in 0..100 {
        text.push_str("  - *big\n");
    }
    let repo = Repo::with_plan(text.as_bytes());
    let (_, d) = check(repo.path());
    let (line, col, message) = only(&d, "plan/syntax", PLAN);
    assert!(message.contains("alias bomb"), "{message}");
    // 5,004 nodes before the copies, 5,001 per copy: the 39th copy (line
    // 41) crosses 200,000.
    assert_eq!((line, col), (41, 5));
}

#[test]
fn ten_thousand_deep_flow_nesting_stops_at_level_64() {
    let text = format!("account: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let repo = Repo::with_plan(text.as_bytes());
    let (_, d) = check(repo.path());
    let (line, _, message) = only(&d, "plan/syntax", PLAN);
    // The parser's own limit (it scans ahead of the events) fires first.
    assert!(message.contains("nesting too deep"), "{message}");
    assert_eq!(line, 1);
}

#[test]
fn seventy_deep_flow_nesting_stops_at_level_64() {
    let text = format!("account: {}{}\n", "[".repeat(70), "]".repeat(70));
    let repo = Repo::with_plan(text.as_bytes());
    let (_, d) = check(repo.path());
    let (line, col, message) = only(&d, "plan/syntax", PLAN);
    assert!(message.contains("deeper than 64"), "{message}");
    // The root mapping is level 1, so the 64th `[` (column 9 + 64) is refused.
    assert_eq!((line, col), (1, 73));
}

#[test]
fn ten_thousand_deep_block_nesting_is_refused() {
    // Block sequences nest without indentation growing much: `- - - - x`.
    let mut text = String::from("objectives:\n");
    text.push_str(&"- ".repeat(10_000));
    text.push_str("x\n");
    let repo = Repo::with_plan(text.as_bytes());
    let (_, d) = check(repo.path());
    let (line, _, message) = only(&d, "plan/syntax", PLAN);
    assert_eq!(line, 2, "{message}");
    assert!(message.contains("deeper than 64"), "{message}");
}

#[test]
fn ten_thousand_deep_front_matter_is_refused() {
    let repo = Repo::with_plan(clean_plan().as_bytes());
    repo.write(
        "accounts/fixture/visits/deep.md",
        format!(
            "---\ndate: 2026-06-01\nattendees: {}{}\n---\nnotes\n",
            "{a: ".repeat(10_000),
            "}".repeat(10_000)
        ),
    );
    let (_, d) = check(repo.path());
    let (line, _, message) = only(&d, "plan/syntax", "accounts/fixture/visits/deep.md");
    assert_eq!(line, 3, "{message}");
}

#[test]
fn a_50_megabyte_plan_is_refused_unread() {
    let repo = Repo::new();
    let path = repo.write("accounts/fixture/plan.yaml", "account:\n  name: x\n");
    let f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    repo.write("accounts/fixture/huge.md", vec![b'#'; 9 * 1024 * 1024 + 1]);
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let (line, col, message) = only(&d, "plan/syntax", PLAN);
    assert_eq!((line, col), (1, 1));
    assert!(
        message.contains("52428800 bytes") && message.contains("8388608"),
        "{message}"
    );
    let (_, _, message) = only(&d, "plan/syntax", "accounts/fixture/huge.md");
    assert!(message.contains("the limit is 8388608"), "{message}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_larger_than_its_size_on_disk_is_cut_off() {
    // /proc/self/pagemap says it is empty, yet reads on for gigabytes.
    let repo = Repo::new();
    std::fs::create_dir_all(repo.path().join("accounts/fixture")).unwrap();
    std::os::unix::fs::symlink("/proc/self/pagemap", repo.path().join(PLAN)).unwrap();
    let (_, d) = check(repo.path());
    // Cut off at the limit, or refused by the kernel for reading in pieces
    // that are not whole entries: either way a diagnostic, in time.
    let (line, _, message) = only(&d, "plan/syntax", PLAN);
    assert_eq!(line, 1);
    assert!(message.starts_with("cannot read"), "{message}");
}

#[test]
fn binary_files_are_reported_at_the_first_nul() {
    let repo = Repo::with_plan(b"account:\n  name: x\n  owner: \x00\x01\x02\n");
    repo.write(
        "accounts/fixture/visits/photo.md",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    let (_, d) = check(repo.path());
    let (line, col, message) = only(&d, "plan/syntax", PLAN);
    assert_eq!((line, col), (3, 10));
    assert!(message.contains("binary file"), "{message}");
    let (_, _, message) = only(&d, "plan/syntax", "accounts/fixture/visits/photo.md");
    // `\x89` comes first: not UTF-8 is as good a reason as binary.
    assert!(message.contains("not UTF-8"), "{message}");
}

#[test]
fn invalid_utf8_is_reported_at_the_bad_byte() {
    let repo = Repo::with_plan(b"account:\n  name: \xe5\x8d\x8e\xe4\xb8\x9c caf\xe9\n");
    repo.write(
        "accounts/fixture/situation.md",
        b"---\ntitle: ok\n---\n\n\xc3\x28 broken\n",
    );
    let (_, d) = check(repo.path());
    let (line, col, message) = only(&d, "plan/syntax", PLAN);
    // Columns count characters: `  name: 华东 caf` is 14 of them.
    assert_eq!((line, col), (2, 15));
    assert!(message.contains("0xE9"), "{message}");
    let (line, col, _) = only(&d, "plan/syntax", "accounts/fixture/situation.md");
    assert_eq!((line, col), (5, 1));
}

#[test]
fn a_bom_changes_no_position() {
    let plan = format!(
        "\u{feff}{}",
        clean_plan().replace("  industry:", "  industri:")
    );
    let repo = Repo::with_plan(plan.as_bytes());
    repo.write(
        "accounts/fixture/visits/v.md",
        "\u{feff}---\ndate: 2026-06-01\nkind: meating\n---\nnotes\n",
    );
    let (_, d) = check(repo.path());
    let (line, col, message) = only(&d, "plan/unknown-field", PLAN);
    assert_eq!((line, col), (4, 3));
    assert!(message.contains("did you mean `industry`"), "{message}");
    let (line, col, _) = only(&d, "plan/invalid-value", "accounts/fixture/visits/v.md");
    assert_eq!((line, col), (3, 7));
}

#[test]
fn crlf_line_ends_keep_positions() {
    let plan = clean_plan()
        .replace("    influence: 5\n", "    influence: 50\n")
        .replace('\n', "\r\n");
    let repo = Repo::with_plan(plan.as_bytes());
    repo.write(
        "accounts/fixture/situation.md",
        "---\r\ntitle: x\r\nsection: whyy\r\n---\r\nbody\r\n",
    );
    repo.write(
        "accounts/fixture/visits/v.md",
        "---\r\ndate: 2026-06-01\r\n---\r\nnotes\r\n",
    );
    let (_, d) = check(repo.path());
    let (line, col, message) = only(&d, "plan/invalid-value", PLAN);
    assert_eq!((line, col), (21, 16), "{message}");
    let (line, col, _) = only(&d, "plan/invalid-value", "accounts/fixture/situation.md");
    assert_eq!((line, col), (3, 10));
    assert!(at(&d, "plan/syntax", "accounts/fixture/visits/v.md").is_empty());
}

#[test]
fn tab_indentation_is_a_syntax_error_with_a_hint() {
    let plan = clean_plan().replace("  industry: telecom", "\tindustry: telecom");
    let repo = Repo::with_plan(plan.as_bytes());
    repo.write(
        "accounts/fixture/visits/v.md",
        "---\ndate: 2026-06-01\nnext_steps:\n\t- call back\n---\n",
    );
    let (_, d) = check(repo.path());
    // The parser reports the tab at the scalar before it (`name: …` on
    // line 3); kaplan points at the tab itself.
    let (line, col, message) = only(&d, "plan/syntax", PLAN);
    assert_eq!((line, col), (4, 1));
    assert!(message.contains("replace the tab with spaces"), "{message}");
    let (line, col, _) = only(&d, "plan/syntax", "accounts/fixture/visits/v.md");
    assert_eq!((line, col), (4, 1));
}

#[test]
fn a_tab_inside_a_value_is_fine_but_not_after_the_colon() {
    let plan = clean_plan().replace("  industry: telecom", "  industry: tele\tcom");
    let repo = Repo::with_plan(plan.as_bytes());
    let (code, d) = check(repo.path());
    assert_eq!(code, 0, "{d:#?}");
    // YAML 1.2 allows a tab after `key:`, the parser does not: the error
    // points at the tab and says what to do.
    let plan = clean_plan().replace("  industry: telecom", "  industry:\ttelecom");
    let repo = Repo::with_plan(plan.as_bytes());
    let (_, d) = check(repo.path());
    let (line, col, message) = only(&d, "plan/syntax", PLAN);
    assert_eq!((line, col), (4, 12));
    assert!(message.contains("replace the tab with spaces"), "{message}");
}

#[test]
fn duplicate_keys_name_both_lines() {
    let plan = clean_plan()
        .replace(
            "    attitude: supporter\n",
            "    attitude: supporter\n    attitude: opponent\n",
        )
        .replace("review:\n", "review:\n  by: zhang-wei\n");
    let repo = Repo::with_plan(plan.as_bytes());
    repo.write(
        "accounts/fixture/situation.md",
        "---\ntitle: a\ntitle: b\n---\n",
    );
    let (_, d) = check(repo.path());
    let found = at(&d, "plan/syntax", PLAN);
    let lines: Vec<(u64, u64)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(lines, [(23, 5), (68, 3)], "{found:#?}");
    assert!(
        found[0].2.contains("first written on line 22"),
        "{found:#?}"
    );
    let (line, col, message) = only(&d, "plan/syntax", "accounts/fixture/situation.md");
    assert_eq!((line, col), (3, 1));
    assert!(message.contains("duplicate key `title`"), "{message}");
}

#[test]
fn huge_negative_and_non_finite_numbers_are_invalid_values() {
    let plan = clean_plan()
        .replace("    amount: 800000\n", "    amount: -800000\n")
        .replace("    target: 20000000\n", "    target: .nan\n")
        .replace("    amount: 3000000\n", "    amount: .inf\n")
        .replace("    probability: 0.6\n", "    probability: 1e400\n")
        .replace("    cost: 30000\n", "    cost: -.inf\n")
        .replace("    weight: 8\n", "    weight: 99999999999999999999999\n")
        .replace("    score: 8\n", "    score: -3\n");
    let repo = Repo::with_plan(plan.as_bytes());
    let (_, d) = check(repo.path());
    let found = at(&d, "plan/invalid-value", PLAN);
    let lines: Vec<u64> = found.iter().map(|(l, ..)| *l).collect();
    assert_eq!(lines, [14, 49, 58, 62, 63, 69, 73], "{found:#?}");
    let text = format!("{found:?}");
    for expected in [
        "`.nan`",
        "negative",
        "`.inf`",
        "`1e400`",
        "`-.inf`",
        "from 1 to 10, found a number",
        "-3 is out of range",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
}

#[test]
fn astronomic_but_finite_amounts_still_build() {
    // Sums overflow to infinity; the figures, charts and pages must cope.
    let plan = clean_plan()
        .replace("    amount: 800000\n", "    amount: 1.7e308\n")
        .replace(
            "costs:\n",
            "costs:\n  - item: More\n    category: other\n    amount: 1.7e308\n    period: 2026-Q1\n",
        )
        .replace("    amount: 3000000\n", "    amount: 1e308\n    period: 2026-Q4\n")
        .replace("    cost: 30000\n", "    cost: 1.7e308\n");
    let repo = Repo::with_plan(plan.as_bytes());
    let started = Instant::now();
    let out = kaplan(&[
        "build",
        repo.path().to_str().unwrap(),
        "--today",
        "2026-06-30",
        "--allow-errors",
    ]);
    assert!(started.elapsed() < BOUND);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{:?}: {stderr}",
        out.status
    );
    let json: Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("public/accounts.json")).unwrap())
            .unwrap();
    assert!(json[0]["roi"].is_null() || json[0]["roi"].is_number());
}

#[test]
fn impossible_dates_are_invalid_values() {
    let plan = clean_plan()
        .replace(
            "period: { start: 2026-01-01, end: 2026-12-31 }",
            "period: { start: 2026-02-29, end: 2026-13-01 }",
        )
        .replace("    due: 2026-12-31\n", "    due: 2026-04-31\n")
        .replace(
            "    last_contact: 2026-06-10\n",
            "    last_contact: 2026-00-10\n",
        )
        .replace("    date: 2026-09-01\n", "    date: 26-09-01\n")
        .replace("    due: 2026-09-15\n", "    due: 2026-9-15\n");
    let repo = Repo::with_plan(plan.as_bytes());
    let (_, d) = check(repo.path());
    let found = at(&d, "plan/invalid-value", PLAN);
    let positions: Vec<(u64, u64)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(
        positions,
        [(8, 18), (8, 35), (15, 10), (23, 19), (46, 10), (53, 11)],
        "{found:#?}"
    );
    let text = format!("{found:?}");
    assert!(text.contains("2026-02 has 28 days"), "{text}");
    assert!(text.contains("2026-04 has 30 days"), "{text}");
    assert!(text.contains("the month must be 01..12"), "{text}");
    assert!(text.contains("write it as YYYY-MM-DD"), "{text}");
}

#[test]
fn yaml_1_1_booleans_are_text() {
    let plan = clean_plan()
        .replace("    where: Customer HQ, Shanghai\n", "    where: Customer HQ, Shanghai\n    done: yes\n")
        .replace("  industry: telecom\n", "  industry: on\n")
        .replace("    attitude: champion\n", "    attitude: champion\n    needs:\n      - need: Fewer outages\n        explicit: No\n");
    let repo = Repo::with_plan(plan.as_bytes());
    let (_, d) = check(repo.path());
    let found = at(&d, "plan/invalid-value", PLAN);
    let positions: Vec<(u64, u64)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(positions, [(31, 19), (58, 11)], "{found:#?}");
    assert!(
        found[0]
            .2
            .contains("expected `true` or `false`, found `No`")
    );
    assert!(found[1].2.contains("found `yes`"));
    // `industry: on` is the text "on": no diagnostic.
    assert_eq!(found.len(), 2);
}

#[test]
fn odd_account_ids_are_invalid_values_and_stay_inside_the_site() {
    let repo = Repo::new();
    for id in ["east mobile", "华东移动", "..dots", "a..b"] {
        repo.write(&format!("accounts/{id}/plan.yaml"), clean_plan());
    }
    let (_, d) = check(repo.path());
    for id in ["east mobile", "华东移动", "a..b"] {
        let (line, col, message) = only(
            &d,
            "plan/invalid-value",
            &format!("accounts/{id}/plan.yaml"),
        );
        assert_eq!((line, col), (1, 1));
        assert!(message.contains("is not a valid id"), "{message}");
    }
    assert!(
        d.iter().all(|x| x["account"] != "..dots"),
        "hidden folders are not read"
    );
    // Published anyway, every file stays inside the output folder.
    let out = repo.path().join("site");
    let built = kaplan(&[
        "build",
        repo.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--allow-errors",
        "--today",
        "2026-06-30",
    ]);
    assert_eq!(built.status.code(), Some(1));
    assert!(out.join("accounts/华东移动/index.html").is_file());
    assert!(out.join("accounts/east mobile/index.html").is_file());
    let mut names: Vec<String> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["accounts", "site"]);
}

#[test]
fn ids_with_dot_dot_or_spaces_inside_a_plan_are_invalid_values() {
    let plan = clean_plan()
        .replace("  - id: li-ming\n", "  - id: ../../etc/passwd\n")
        .replace("  - id: zhang-wei\n", "  - id: zhang wei\n")
        .replace("  - id: chen-jie\n", "  - id: 陈洁\n");
    let repo = Repo::with_plan(plan.as_bytes());
    let (_, d) = check(repo.path());
    let found = at(&d, "plan/invalid-value", PLAN);
    let positions: Vec<(u64, u64)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(positions, [(17, 9), (30, 9), (33, 9)], "{found:#?}");
}

#[test]
fn kaplan_new_refuses_ids_that_leave_accounts() {
    let repo = Repo::new();
    for id in ["../evil", "a/../../evil", "has space", "华东"] {
        let out = kaplan(&["new", id, "--root", repo.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{id}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("is not a valid id"),
            "{id}"
        );
    }
    assert_eq!(std::fs::read_dir(repo.path()).unwrap().count(), 0);
    assert!(!repo.path().parent().unwrap().join("evil").exists());
}

#[cfg(unix)]
#[test]
fn account_folders_that_are_symlink_loops_are_diagnostics() {
    use std::os::unix::fs::symlink;
    let repo = Repo::with_plan(clean_plan().as_bytes());
    let accounts = repo.path().join("accounts");
    symlink("self-loop", accounts.join("self-loop")).unwrap();
    symlink("ping", accounts.join("pong")).unwrap();
    symlink("pong", accounts.join("ping")).unwrap();
    symlink(".", accounts.join("up-loop")).unwrap();
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    for id in ["self-loop", "ping", "pong"] {
        let (line, _, message) = only(&d, "plan/syntax", &format!("accounts/{id}"));
        assert_eq!(line, 1);
        assert!(message.contains("symbolic links"), "{message}");
    }
    let (_, _, message) = only(&d, "plan/syntax", "accounts/up-loop");
    assert!(message.contains("loops back"), "{message}");
    assert!(
        d.iter().all(|x| x["account"] != "fixture"),
        "the real account is unaffected: {d:#?}"
    );
}

#[cfg(unix)]
#[test]
fn loops_and_broken_links_outside_the_input_files_are_ignored() {
    use std::os::unix::fs::symlink;
    let repo = Repo::with_plan(clean_plan().as_bytes());
    let dir = repo.path().join("accounts/fixture");
    std::fs::create_dir_all(dir.join("attachments")).unwrap();
    symlink("..", dir.join("attachments/up")).unwrap();
    symlink("/nonexistent", dir.join("attachments/broken")).unwrap();
    symlink(".", dir.join("self")).unwrap();
    symlink("/nonexistent", dir.join("broken.pdf")).unwrap();
    let (code, d) = check(repo.path());
    assert_eq!(code, 0, "{d:#?}");
}

#[cfg(unix)]
#[test]
fn a_file_gone_between_listing_and_reading_is_a_diagnostic() {
    use std::os::unix::fs::symlink;
    // A dangling link is listed but cannot be read: the same as a file
    // deleted after discovery.
    let repo = Repo::with_plan(clean_plan().as_bytes());
    let dir = repo.path().join("accounts/fixture");
    symlink("/nonexistent/situation.md", dir.join("situation.md")).unwrap();
    std::fs::create_dir_all(dir.join("visits")).unwrap();
    symlink("/nonexistent/v.md", dir.join("visits/2026-06-01.md")).unwrap();
    let (_, d) = check(repo.path());
    for file in [
        "accounts/fixture/situation.md",
        "accounts/fixture/visits/2026-06-01.md",
    ] {
        let (line, _, message) = only(&d, "plan/syntax", file);
        assert_eq!(line, 1);
        assert!(message.contains("No such file"), "{message}");
    }
}

#[test]
fn files_disappearing_during_a_run_never_crash_it() {
    let repo = Repo::new();
    for i in 0..150 {
        repo.write(&format!("accounts/a{i:03}/plan.yaml"), clean_plan());
        repo.write(&format!("accounts/a{i:03}/notes.md"), "# Notes\n");
        repo.write(
            &format!("accounts/a{i:03}/visits/v.md"),
            "---\ndate: 2026-06-01\n---\n",
        );
    }
    let root = repo.path().to_owned();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let (root, stop) = (root.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut round = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for i in (0..150).rev() {
                    let dir = root.join(format!("accounts/a{i:03}"));
                    for f in ["plan.yaml", "notes.md", "visits/v.md"] {
                        let p = dir.join(f);
                        if round.is_multiple_of(2) {
                            let _ = std::fs::remove_file(&p);
                        } else {
                            let _ = std::fs::create_dir_all(p.parent().unwrap());
                            let _ = std::fs::write(&p, "account: {name: x}\n");
                        }
                    }
                    if round % 4 == 2 {
                        let _ = std::fs::remove_dir_all(&dir);
                    }
                }
                round += 1;
            }
        })
    };
    // Whether a run catches a file mid-deletion is luck; every run must end
    // in well-formed diagnostics, each naming an account file and a line.
    for _ in 0..6 {
        let (_, d) = check(&root);
        for x in &d {
            assert!(x["line"].as_u64().unwrap() >= 1, "{x}");
            assert!(x["file"].as_str().unwrap().starts_with("accounts/a"), "{x}");
            let message = x["message"].as_str().unwrap();
            if message.starts_with("cannot read") {
                assert_eq!(x["rule"], "plan/syntax", "{x}");
                assert!(message.contains("No such file"), "{x}");
            }
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().unwrap();
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_diagnostic() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::with_plan(clean_plan().as_bytes());
    let page = repo.write("accounts/fixture/situation.md", "# secret\n");
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&page).is_ok() {
        // Running as root: permissions do not stop reading. A file that
        // fails with EIO on read stands in for an unreadable one.
        std::fs::remove_file(&page).unwrap();
        #[cfg(target_os = "linux")]
        std::os::unix::fs::symlink("/proc/self/mem", &page).unwrap();
        #[cfg(not(target_os = "linux"))]
        return;
    }
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let (line, col, message) = only(&d, "plan/syntax", "accounts/fixture/situation.md");
    assert_eq!((line, col), (1, 1));
    assert!(message.starts_with("cannot read"), "{message}");
    assert!(
        at(&d, "plan/syntax", PLAN).is_empty(),
        "the plan itself is fine"
    );
}

#[test]
fn an_empty_accounts_folder_says_so() {
    let repo = Repo::new();
    std::fs::create_dir_all(repo.path().join("accounts")).unwrap();
    let (code, d) = check(repo.path());
    assert_eq!((code, d.len()), (0, 0));
    let out = kaplan(&["check", repo.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("no accounts found"), "{stdout}");
    assert!(stdout.contains("accounts/<id>/"), "{stdout}");
    // Without the folder at all: the same.
    std::fs::remove_dir(repo.path().join("accounts")).unwrap();
    let out = kaplan(&["check", repo.path().to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("no accounts found"));
}

#[test]
fn pathological_markdown_renders_in_time() {
    let repo = Repo::with_plan(clean_plan().as_bytes());
    let n = 20_000;
    let body = [
        "[".repeat(n),
        "*a".repeat(n),
        "> ".repeat(n),
        "<div>".repeat(n),
        "`".repeat(n),
        "- ".repeat(n),
        "[^x]".repeat(n),
        "|a".repeat(n),
        "\n|-|\n".to_owned(),
        "<a href=\"".repeat(n),
    ]
    .join("\n\n");
    repo.write("accounts/fixture/stress.md", &body);
    let started = Instant::now();
    let out = kaplan(&[
        "build",
        repo.path().to_str().unwrap(),
        "--today",
        "2026-06-30",
    ]);
    let took = started.elapsed();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(took < BOUND, "build took {took:?}");
    assert!(
        repo.path()
            .join("public/accounts/fixture/index.html")
            .is_file()
    );
}
