//! History on the site: the last change of each plan (dossier and
//! portfolio), what changed since the last review or `--since`, the trend,
//! `plan/stale`, and what the pages say without (full) git history.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::diff::{V1, Version, plan, story};
use crate::support::{Repo, check_json, commit_all, git, kaplan};

fn build(root: &Path, extra: &[&str]) -> PathBuf {
    let out = root.join("public");
    let mut args = vec!["build", root.to_str().unwrap(), "--allow-errors"];
    args.extend(extra);
    let result = kaplan(&args);
    assert!(
        out_ok(&result),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    out
}

/// Published (exit 0, or 1 for plan errors published with --allow-errors).
fn out_ok(result: &std::process::Output) -> bool {
    matches!(result.status.code(), Some(0 | 1))
        && String::from_utf8_lossy(&result.stderr).contains("built ")
}

fn page(path: &Path) -> Html {
    Html::parse_document(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

fn texts(html: &Html, css: &str) -> Vec<String> {
    html.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    html.select(&Selector::parse(css).unwrap())
        .map(|e| e.value().attr(attr).unwrap_or_default().to_owned())
        .collect()
}

fn dossier(out: &Path, id: &str) -> Html {
    page(&out.join(format!("accounts/{id}/index.html")))
}

#[test]
fn the_dossier_shows_the_last_change_and_what_changed_since_the_review() {
    let repo = story();
    let out = build(repo.path(), &[]);
    let html = dossier(&out, "east-mobile-group");
    let last = texts(&html, "#history .last-changed").join("");
    for part in [
        "2026-05-01",
        "(60 days ago)",
        "by Zhang Wei",
        "Rename the account folder",
    ] {
        assert!(last.contains(part), "{part} in {last}");
    }
    let header = texts(&html, ".dossier-header .meta").join(" ");
    assert!(
        header.contains("Last changed: 2026-05-01 · Zhang Wei"),
        "{header}"
    );
    assert_eq!(
        texts(&html, "#history h3")[0],
        "What changed since the last review (2026-02-01)"
    );
    let base = texts(&html, "#history p.sub").join("");
    assert!(base.contains("of 2026-01-05 (Zhang Wei)"), "{base}");
    let changes = texts(&html, "#history .changes li");
    assert_eq!(
        changes,
        [
            "objective grow-5g target 18,000,000 → 20,000,000",
            "stakeholder 李明 role technical-buyer → economic-buyer",
            "stakeholder 李明 attitude neutral → supporter",
            "new stakeholder 王刚",
            "action cto-workshop status planned → done",
            "return Province A contract probability 0.6 → 0.4",
            "risk removed: Competitor offers a free pilot",
            // Amounts as the rest of the site writes them.
            "expected return -CNY 600k (ROI 125% → 50%)",
            "checklist completeness 83% → 100%",
            "checklist: who fail → pass",
        ]
    );
    let all = html.html();
    assert!(!all.contains("1976-01-01") && !all.contains("1975-06-02"));
}

#[test]
fn the_trend_has_one_point_per_commit_across_the_rename() {
    let repo = story();
    let out = build(repo.path(), &[]);
    let html = dossier(&out, "east-mobile-group");
    let point = "#history svg.chart-trend g.point";
    assert_eq!(
        attrs(&html, point, "data-date"),
        [
            "2026-01-05",
            "2026-02-10",
            "2026-03-15",
            "2026-04-20",
            "2026-05-01"
        ]
    );
    assert_eq!(
        attrs(&html, point, "data-expected-return"),
        ["1800000", "1800000", "1800000", "1200000", "1200000"]
    );
    assert_eq!(
        attrs(&html, point, "data-completeness"),
        ["83.3", "83.3", "100", "100", "100"]
    );
    // The account touched once has one point.
    let html = dossier(&out, "west-retail");
    assert_eq!(attrs(&html, point, "data-date"), ["2026-01-05"]);
}

#[test]
fn a_plan_of_many_commits_has_one_trend_point_a_day() {
    // 26 commits on three days (more than the 24 a trend draws one by one):
    // the last commit of each day, each with its own expected return.
    let repo = Repo::new();
    let root = repo.path();
    repo.write("kaplan.toml", "language = \"en\"\ntoday = \"2026-06-30\"\n");
    for i in 0..26 {
        let amount = format!("amount: {}\n    probability", 3_000_000 + 10 * i);
        repo.write(
            "accounts/east-mobile/plan.yaml",
            plan(&V1).replace("amount: 3000000\n    probability", &amount),
        );
        commit_all(root, &format!("2026-03-0{}", 2 + i / 9), "Edit");
    }
    let out = build(root, &[]);
    let html = dossier(&out, "east-mobile");
    let point = "#history svg.chart-trend g.point";
    assert_eq!(
        attrs(&html, point, "data-date"),
        ["2026-03-02", "2026-03-03", "2026-03-04"]
    );
    // Commits 8, 17 and 25: 0.6 × (3,000,000 + 10 i).
    assert_eq!(
        attrs(&html, point, "data-expected-return"),
        ["1800048", "1800102", "1800150"]
    );
}

#[test]
fn the_portfolio_flags_stale_plans() {
    let repo = story();
    let out = build(repo.path(), &[]);
    let html = page(&out.join("index.html"));
    let cells = texts(&html, "#accounts tbody td.col-changed");
    assert_eq!(cells, ["2026-05-01", "2026-01-05 stale"]);
    let (_, diags) = check_json(repo.path(), &[]);
    let stale: Vec<_> = diags.iter().filter(|d| d["rule"] == "plan/stale").collect();
    assert_eq!(stale.len(), 1, "{diags:#?}");
    assert_eq!(stale[0]["account"], "west-retail");
    assert_eq!(stale[0]["file"], "accounts/west-retail/plan.yaml");
    assert_eq!(
        (stale[0]["line"].as_u64(), stale[0]["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(stale[0]["level"], "warning");
    let message = stale[0]["message"].as_str().unwrap();
    assert!(
        message.contains("2026-01-05 by Zhang Wei, 176 days ago"),
        "{message}"
    );
    // The threshold is `[thresholds] stale_days`.
    repo.write(
        "kaplan.toml",
        "language = \"en\"\ntoday = \"2026-06-30\"\n[thresholds]\nstale_days = 200\n",
    );
    let (_, diags) = check_json(repo.path(), &[]);
    assert!(diags.iter().all(|d| d["rule"] != "plan/stale"));
}

/// `check` reads only what `plan/stale` needs: the folders the newest
/// commits wrote are found in one comparison of trees, the others' last
/// change in the log (or the history cache). It says what the whole log
/// says (the portfolio a build makes of it): across a change undone,
/// files moved or deleted, and merges. Each case is an
/// account beside one changed recently, so that the log is read only for
/// the case.
#[test]
fn check_finds_the_stale_plans_the_whole_log_finds() {
    let v2 = plan(&Version {
        target: "20000000",
        ..V1
    });
    let move_notes = |repo: &Repo| {
        let (from, to) = ("accounts/case/notes.md", "accounts/recent/notes.md");
        git(repo.path(), "2026-06-11", &["mv", from, to]);
        commit_all(repo.path(), "2026-06-11", "Move the notes");
    };
    /// What the case's account went through, and whether it is then stale.
    type Case<'a> = (&'a str, &'a dyn Fn(&Repo), bool);
    let cases: [Case<'_>; 8] = [
        ("untouched", &|_| {}, true),
        (
            // Dated by a clock behind the commit below it.
            "changed long ago",
            &|repo| {
                repo.write("accounts/case/plan.yaml", &v2);
                commit_all(repo.path(), "2026-02-01", "Change");
            },
            true,
        ),
        (
            "changed",
            &|repo| {
                repo.write("accounts/case/plan.yaml", &v2);
                commit_all(repo.path(), "2026-06-11", "Change");
            },
            false,
        ),
        (
            "undone",
            &|repo| {
                repo.write("accounts/case/plan.yaml", &v2);
                commit_all(repo.path(), "2026-06-11", "Change");
                repo.write("accounts/case/plan.yaml", plan(&V1));
                commit_all(repo.path(), "2026-06-12", "Undo");
            },
            false,
        ),
        // The page moved is the other folder's change.
        ("moved out", &move_notes, true),
        (
            // As git shows it whatever the repository's settings say.
            "moved out, renames off",
            &|repo| {
                git(
                    repo.path(),
                    "2026-06-11",
                    &["config", "diff.renames", "false"],
                );
                move_notes(repo);
            },
            true,
        ),
        (
            "deleted",
            &|repo| {
                let root = repo.path();
                git(root, "2026-06-11", &["rm", "-q", "accounts/case/notes.md"]);
                commit_all(root, "2026-06-11", "Delete a page");
            },
            false,
        ),
        (
            // Merged recently, made long ago: the change's date counts.
            "merged",
            &|repo| {
                let root = repo.path();
                git(
                    root,
                    "2026-02-01",
                    &["checkout", "-q", "-b", "side", "HEAD~1"],
                );
                repo.write("accounts/case/plan.yaml", &v2);
                commit_all(root, "2026-02-01", "On a branch");
                git(root, "2026-06-11", &["checkout", "-q", "main"]);
                git(
                    root,
                    "2026-06-11",
                    &["merge", "-q", "--no-ff", "side", "-m", "Merge"],
                );
            },
            true,
        ),
    ];
    for (name, case, is_stale) in cases {
        let repo = Repo::new();
        let root = repo.path();
        repo.write(
            "kaplan.toml",
            "language = \"en\"\ntoday = \"2026-06-30\"\n[thresholds]\nstale_days = 30\n",
        );
        repo.write("accounts/case/plan.yaml", plan(&V1));
        repo.write("accounts/case/notes.md", "# Notes\n");
        repo.write("accounts/recent/plan.yaml", plan(&V1));
        commit_all(root, "2026-01-05", "Initial plans");
        repo.write("accounts/recent/plan.yaml", &v2);
        commit_all(root, "2026-06-10", "Recent change");
        case(&repo);
        repo.write("accounts/recent/plan.yaml", plan(&V1));
        commit_all(root, "2026-06-20", "Newest change");
        let stale = |extra: &[&str]| -> Vec<String> {
            let (_, diags) = check_json(root, extra);
            diags
                .iter()
                .filter(|d| d["rule"] == "plan/stale")
                .map(|d| format!("{} {}", d["account"], d["message"]))
                .collect()
        };
        let lean = stale(&["--no-cache"]);
        assert_eq!(lean.len(), usize::from(is_stale), "{name}: {lean:?}");
        assert!(
            lean.iter().all(|s| s.starts_with("\"case\"")),
            "{name}: {lean:?}"
        );
        // The build reads the whole log: its portfolio marks the same plan
        // stale, changed on the same day.
        let out = build(root, &["--no-cache"]);
        let marked: Vec<String> = texts(&page(&out.join("index.html")), "td.col-changed")
            .into_iter()
            .filter_map(|cell| Some(cell.strip_suffix(" stale")?.to_owned()))
            .collect();
        let said: Vec<&str> = lean
            .iter()
            .filter_map(|s| s.split("changed on ").nth(1)?.split(' ').next())
            .collect();
        assert_eq!(marked, said, "{name}");
        // And so does `check` with the history cache this build wrote.
        build(root, &[]);
        assert_eq!(stale(&[]), lean, "{name}");
    }
}

#[test]
fn since_a_revision_for_the_whole_site() {
    let repo = story();
    let out = build(repo.path(), &["--since", "HEAD~2"]);
    let html = dossier(&out, "east-mobile-group");
    assert_eq!(texts(&html, "#history h3")[0], "What changed since HEAD~2");
    let changes = texts(&html, "#history .changes li");
    assert!(
        changes.contains(&"action cto-workshop status planned → done".to_owned()),
        "{changes:?}"
    );
    assert!(changes.iter().all(|c| !c.contains("target")), "{changes:?}");
    let html = dossier(&out, "west-retail");
    assert_eq!(texts(&html, "#history p.empty"), ["Nothing has changed."]);
    // A revision that does not exist stops the build.
    let result = kaplan(&["build", repo.path().to_str().unwrap(), "--since", "nope"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("`nope` is not a commit"));
}

#[test]
fn without_git_the_history_says_what_is_missing() {
    let repo = Repo::with_plan(plan(&V1).as_bytes());
    repo.write("kaplan.toml", "language = \"en\"\ntoday = \"2026-06-30\"\n");
    let out = build(repo.path(), &[]);
    let html = dossier(&out, "fixture");
    assert_eq!(
        texts(&html, "#history .history-note"),
        ["No history: the plans are not in a git repository."]
    );
    assert!(texts(&html, "#history .last-changed").is_empty());
    assert_eq!(
        texts(&html, "#history .chart-empty-trend"),
        ["No history yet: commit the plan to git to see how it evolves."]
    );
    let index = page(&out.join("index.html"));
    assert_eq!(texts(&index, "#accounts tbody td.col-changed"), ["—"]);
    assert_eq!(
        texts(&index, ".history-note"),
        ["No history: the plans are not in a git repository."]
    );
    let (_, diags) = check_json(repo.path(), &[]);
    assert!(diags.iter().all(|d| d["rule"] != "plan/stale"));
}

#[test]
fn uncommitted_plans_and_changes_are_named() {
    let repo = story();
    repo.write(
        "accounts/north-steel/plan.yaml",
        plan(&V1).replace("East Mobile Communications Co., Ltd.", "North Steel"),
    );
    // west-retail, stale in git, is being edited: not stale while uncommitted.
    let path = "accounts/west-retail/plan.yaml";
    let text = std::fs::read_to_string(repo.path().join(path)).unwrap();
    repo.write(path, text.replace("amount: 800000", "amount: 900000"));
    let out = build(repo.path(), &[]);
    let html = dossier(&out, "north-steel");
    let notes = texts(&html, "#history .history-note");
    assert!(
        notes.contains(&"The plan is not committed to git yet, so it has no history.".to_owned()),
        "{notes:?}"
    );
    assert!(texts(&html, "#history .last-changed").is_empty());
    let html = dossier(&out, "west-retail");
    let notes = texts(&html, "#history .history-note").join(" ");
    assert!(
        notes.contains("changes that are not committed yet"),
        "{notes}"
    );
    // The working tree is the trend's last point.
    let point = "#history svg.chart-trend g.point";
    assert_eq!(
        attrs(&html, point, "data-date"),
        ["2026-01-05", "2026-06-30"]
    );
    assert_eq!(attrs(&html, point, "data-commit")[1], "");
    let changes = texts(&html, "#history .changes li");
    assert!(
        changes.contains(&"cost Pilot deployment amount CNY 800k → CNY 900k".to_owned()),
        "{changes:?}"
    );
    let (_, diags) = check_json(repo.path(), &[]);
    assert!(
        diags.iter().all(|d| d["rule"] != "plan/stale"),
        "{diags:#?}"
    );
}

#[test]
fn a_shallow_clone_says_what_is_missing() {
    let origin = story();
    let clone = Repo::new();
    let url = format!("file://{}", origin.path().display());
    git(
        clone.path(),
        "2026-06-30",
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let root = clone.path().join("shallow");
    let out = build(&root, &[]);
    let html = dossier(&out, "west-retail");
    let notes = texts(&html, "#history .history-note").join(" ");
    assert!(notes.contains("This is a shallow clone"), "{notes}");
    // Its only commit carries every file: the date is an upper bound, and
    // not old enough to call the plan stale.
    let last = texts(&html, "#history .last-changed").join("");
    assert!(last.contains("on or before 2026-05-01"), "{last}");
    let base = texts(&html, "#history p.sub").join("");
    assert!(
        base.contains("no committed version from on or before the review date"),
        "{base}"
    );
    assert_eq!(
        attrs(&html, "#history svg.chart-trend g.point", "data-date"),
        ["2026-05-01"]
    );
    let index = page(&out.join("index.html"));
    assert_eq!(
        texts(&index, "#accounts tbody td.col-changed"),
        ["≤ 2026-05-01", "≤ 2026-05-01"]
    );
    let (_, diags) = check_json(&root, &[]);
    assert!(
        diags.iter().all(|d| d["rule"] != "plan/stale"),
        "{diags:#?}"
    );
    // With today far enough, even the upper bound is stale.
    let late = kaplan(&[
        "check",
        root.to_str().unwrap(),
        "--format",
        "json",
        "--today",
        "2026-12-31",
    ]);
    let diags: Vec<serde_json::Value> = serde_json::from_slice(&late.stdout).unwrap();
    assert_eq!(
        diags.iter().filter(|d| d["rule"] == "plan/stale").count(),
        2,
        "{diags:#?}"
    );
}

/// Whatever the history cache holds (nothing, the history up to `HEAD`, or
/// up to the commit before), the site is the same.
#[test]
fn builds_with_history_are_byte_identical_cold_warm_and_without_the_cache() {
    let repo = story();
    let root = repo.path();
    let build_to = |name: &str, extra: &[&str]| {
        let out = root.join(name);
        let mut args = vec![
            "build",
            root.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--allow-errors",
        ];
        args.extend(extra);
        assert!(out_ok(&kaplan(&args)));
        files(&out)
    };
    let cold = build_to("cold", &[]);
    assert!(!cold.is_empty());
    assert!(build_to("warm", &[]) == cold, "a warm build differs");
    assert!(
        build_to("none", &["--no-cache"]) == cold,
        "--no-cache differs"
    );
    // One commit more: read on top of the cache.
    let plan = root.join("accounts/west-retail/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replace("probability: 0.6", "probability: 0.7")).unwrap();
    git(root, "2026-06-01", &["commit", "-q", "-am", "Likelier"]);
    let on_top = build_to("on-top", &[]);
    assert!(on_top != cold);
    assert!(
        build_to("fresh", &["--no-cache"]) == on_top,
        "a build after a commit differs"
    );
}

/// Every file under `dir` and its bytes, sorted by path.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// `check` reads the log only as far as each account's last change (no
/// cache yet) and says what a check through the full, cached log says.
#[test]
fn check_reads_only_the_last_changes_and_says_the_same() {
    let repo = story();
    let r = repo.path().to_str().unwrap();
    let check = |extra: &[&str]| {
        let mut args = vec!["check", r, "--format", "json", "--today", "2027-06-30"];
        args.extend(extra);
        String::from_utf8(kaplan(&args).stdout).unwrap()
    };
    let lean = check(&["--no-cache"]);
    assert!(lean.contains("plan/stale"));
    assert!(out_ok(&kaplan(&["build", r, "--allow-errors"])));
    assert!(repo.path().join(".git/kaplan/history.cache").exists());
    assert_eq!(check(&[]), lean);
}
