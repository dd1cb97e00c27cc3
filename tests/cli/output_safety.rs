//! Output safety: a failed build leaves the previous site byte for byte,
//! dangerous output folders are refused without deleting anything, racing
//! builds never leave a mixed site, and no control character of a plan or a
//! folder name reaches a terminal raw.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{Repo, commit_all, kaplan, repo_root};

fn clean_plan() -> String {
    std::fs::read_to_string(repo_root().join("tests/rules/why/no-objectives/passes.yaml")).unwrap()
}

/// Every file and folder under `dir` (symlinks not followed), with the
/// bytes of files: a snapshot to compare before and after.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).unwrap());
            (e.path().strip_prefix(dir).unwrap().to_owned(), bytes)
        })
        .collect()
}

fn build(root: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", root.to_str().unwrap(), "--today", "2026-06-30"];
    args.extend(extra);
    kaplan(&args)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Two accounts, so that one dossier can fail while the other renders.
fn two_accounts() -> Repo {
    let repo = Repo::new();
    repo.write("accounts/alpha/plan.yaml", clean_plan());
    repo.write("accounts/beta/plan.yaml", clean_plan());
    repo.write("static/robots.txt", "User-agent: *\n");
    repo
}

#[test]
fn a_template_error_in_one_dossier_keeps_the_previous_site() {
    let repo = two_accounts();
    let first = build(repo.path(), &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let site = repo.path().join("public");
    let before = snapshot(&site);
    assert!(before.contains_key(Path::new("accounts/beta/index.html")));
    // The first dossier renders, the second fails at render time.
    repo.write(
        "templates/dossier.html",
        "{% extends \"default/dossier.html\" %}{% block more %}{% if dossier.head.id == \"beta\" %}{{ missing_variable.field }}{% endif %}{% endblock more %}",
    );
    let failed = build(repo.path(), &[]);
    assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("dossier.html"),
        "{}",
        stderr(&failed)
    );
    assert!(snapshot(&site) == before, "the previous site changed");
    let names: Vec<String> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("kaplan-")),
        "leftovers: {names:?}"
    );
}

#[test]
fn a_failure_while_writing_keeps_the_previous_site() {
    let repo = two_accounts();
    assert_eq!(build(repo.path(), &[]).status.code(), Some(0));
    let site = repo.path().join("public");
    let before = snapshot(&site);
    // `static/index.html/` asks for a folder where the portfolio page is a
    // file: writing fails after most of the site is written.
    repo.write("static/index.html/oops.txt", "x");
    let failed = build(repo.path(), &[]);
    assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("cannot write"),
        "{}",
        stderr(&failed)
    );
    assert!(snapshot(&site) == before, "the previous site changed");
    let names: Vec<String> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("kaplan-")),
        "leftovers: {names:?}"
    );
}

/// `-o target` must exit 2 with `expect` in the message and leave the whole
/// `watch` tree untouched.
fn refused(root: &Path, target: &Path, watch: &Path, expect: &str, env: &[(&str, &Path)]) {
    let before = snapshot(watch);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kaplan"));
    cmd.args([
        "build",
        root.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
        "--today",
        "2026-06-30",
    ])
    .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}: {}",
        target.display(),
        stderr(&out)
    );
    let message = stderr(&out);
    assert!(
        message.contains("refusing") && message.contains(expect),
        "{}: {message}",
        target.display()
    );
    assert!(
        snapshot(watch) == before,
        "-o {} changed something",
        target.display()
    );
}

#[test]
fn dangerous_output_folders_are_refused_and_nothing_is_deleted() {
    let outer = Repo::new();
    let root = outer.path().join("plans");
    std::fs::create_dir_all(root.join("accounts/alpha")).unwrap();
    std::fs::write(root.join("accounts/alpha/plan.yaml"), clean_plan()).unwrap();
    std::fs::write(root.join("kaplan.toml"), "title = \"x\"\n").unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let home = outer.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join(".bashrc"), "# mine\n").unwrap();
    let docs = outer.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("keep.txt"), "mine").unwrap();
    let watch = outer.path();
    let above = "plans root or a folder above it";
    refused(&root, &root, watch, above, &[]);
    refused(&root, &root.join("."), watch, above, &[]);
    refused(&root, &root.join("accounts/.."), watch, above, &[]);
    refused(&root, outer.path(), watch, above, &[]);
    refused(&root, Path::new("/"), watch, above, &[]);
    refused(&root, &root.join("accounts"), watch, "accounts/", &[]);
    refused(&root, &root.join("accounts/alpha"), watch, "accounts/", &[]);
    refused(&root, &root.join("templates"), watch, "templates/", &[]);
    refused(&root, &root.join("kaplan.toml"), watch, "it is a file", &[]);
    refused(
        &root,
        &home,
        watch,
        "not created by kaplan",
        &[("HOME", &home)],
    );
    refused(&root, &docs, watch, "not created by kaplan", &[]);
    #[cfg(unix)]
    {
        let link = outer.path().join("link-to-plans");
        std::os::unix::fs::symlink(&root, &link).unwrap();
        refused(&root, &link, watch, above, &[]);
    }
}

#[test]
fn an_output_folder_kaplan_created_is_replaced_whole() {
    let repo = two_accounts();
    let out = repo.path().join("site");
    assert_eq!(
        build(repo.path(), &["-o", out.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    std::fs::write(out.join("stale.html"), "old").unwrap();
    std::fs::remove_dir_all(repo.path().join("accounts/beta")).unwrap();
    assert_eq!(
        build(repo.path(), &["-o", out.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    assert!(!out.join("stale.html").exists());
    assert!(!out.join("accounts/beta").exists());
    assert!(out.join(kaplan::site::MARKER).is_file());
}

#[test]
fn racing_builds_never_leave_a_mixed_site() {
    // Two repositories whose sites share every path but differ in content.
    let a = Repo::new();
    let b = Repo::new();
    for i in 0..6 {
        a.write(&format!("accounts/acct-{i}/plan.yaml"), clean_plan());
        b.write(
            &format!("accounts/acct-{i}/plan.yaml"),
            clean_plan().replace("East Mobile Communications", "West Fixed Lines"),
        );
    }
    let shared = Repo::new();
    let reference = |repo: &Repo, name: &str| {
        let out = shared.path().join(name);
        let built = build(repo.path(), &["-o", out.to_str().unwrap()]);
        assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
        snapshot(&out)
    };
    let site_a = reference(&a, "ref-a");
    let site_b = reference(&b, "ref-b");
    assert!(site_a != site_b);
    let out = shared.path().join("site");
    for round in 0..6 {
        let spawn = |repo: &Repo| {
            Command::new(env!("CARGO_BIN_EXE_kaplan"))
                .args([
                    "build",
                    repo.path().to_str().unwrap(),
                    "-o",
                    out.to_str().unwrap(),
                    "--today",
                    "2026-06-30",
                ])
                .env_remove("SOURCE_DATE_EPOCH")
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (pa, pb) = (spawn(&a), spawn(&b));
        let (ra, rb) = (
            pa.wait_with_output().unwrap(),
            pb.wait_with_output().unwrap(),
        );
        let codes = (ra.status.code(), rb.status.code());
        for r in [&ra, &rb] {
            assert!(
                matches!(r.status.code(), Some(0 | 2)),
                "round {round}: {:?} {}",
                r.status,
                stderr(r)
            );
        }
        assert!(
            codes.0 == Some(0) || codes.1 == Some(0),
            "round {round}: neither build published: {} / {}",
            stderr(&ra),
            stderr(&rb)
        );
        let now = snapshot(&out);
        assert!(
            now == site_a || now == site_b,
            "round {round}: a mixed site ({codes:?})"
        );
        let mut leftovers: Vec<String> = std::fs::read_dir(shared.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with('.'))
            .collect();
        leftovers.sort();
        assert!(
            leftovers.is_empty(),
            "round {round}: left behind {leftovers:?}"
        );
    }
}

/// What a hostile plan holds: a colour escape, a carriage return (which
/// would overwrite the line), a bell and a right-to-left override.
const HOSTILE: &str = "\u{1b}[31m\r\u{7}\u{202e}";

/// The raw control characters (tab and line feed aside) and bidirectional
/// overrides in `bytes`, by position.
fn raw_controls(bytes: &[u8]) -> Vec<(usize, char)> {
    String::from_utf8_lossy(bytes)
        .chars()
        .enumerate()
        .filter(|&(_, c)| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

/// An account whose folder name and plan values hold [`HOSTILE`], written
/// raw in a comment (where a snippet quotes it) and as YAML escapes in a
/// value (where a message quotes it).
fn hostile_repo() -> (Repo, String) {
    let repo = Repo::new();
    let folder = format!("accounts/evil{HOSTILE}x");
    let plan = clean_plan().replacen(
        "  tier: platinum\n",
        "  tier: \"\\e[31m\\r\\a\\u202Egold\" # raw \u{1b}[31m\u{7}\u{202e} here\n",
        1,
    );
    assert_ne!(plan, clean_plan());
    repo.write(&format!("{folder}/plan.yaml"), &plan);
    (repo, folder)
}

fn assert_shown_escaped(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let found = raw_controls(bytes);
        assert!(
            found.is_empty(),
            "{what}: raw control characters on {stream}: {found:?}\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all.contains("evil\\u{1b}[31m\\r\\u{7}\\u{202e}x"),
        "{what}: the folder name is not shown escaped:\n{all}"
    );
}

#[test]
fn control_characters_never_reach_the_terminal_raw() {
    let (repo, _) = hostile_repo();
    let root = repo.path().to_str().unwrap();
    let today = ["--today", "2026-06-30"];
    let human = kaplan(&[&["check", root, "--color", "never"][..], &today].concat());
    assert_eq!(human.status.code(), Some(1), "{}", stderr(&human));
    assert_shown_escaped("check", &human);
    let stdout = String::from_utf8_lossy(&human.stdout);
    // The message quoting the value, and the snippet quoting the raw line.
    assert!(
        stdout.contains("unknown tier `\\u{1b}[31m\\r\\u{7}\\u{202e}gold`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("# raw \\u{1b}[31m\\u{7}\\u{202e} here"),
        "{stdout}"
    );
    for format in ["github", "json", "sarif"] {
        let out = kaplan(&[&["check", root, "--format", format][..], &today].concat());
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        let found = raw_controls(&out.stdout);
        assert!(found.is_empty(), "{format}: {found:?}");
    }
    let github = kaplan(&[&["check", root, "--format", "github"][..], &today].concat());
    assert_shown_escaped("check --format github", &github);
    // Still one annotation per diagnostic, each on its own line.
    let annotations = String::from_utf8_lossy(&github.stdout).into_owned();
    assert!(
        annotations.lines().all(|l| l.starts_with("::error ")),
        "{annotations}"
    );
    let built = build(repo.path(), &["--color", "always"]);
    assert_eq!(built.status.code(), Some(1), "{}", stderr(&built));
    // Colour is the one escape kaplan writes itself; take it out.
    let uncoloured = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes).into_owned();
        without_colour(&text).into_bytes()
    };
    let built = Output {
        stdout: uncoloured(&built.stdout),
        stderr: uncoloured(&built.stderr),
        ..built
    };
    assert_shown_escaped("build", &built);
}

/// `text` without the SGR colour sequences (`ESC [ digits/; m`).
fn without_colour(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\u{1b}[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find(|c: char| !c.is_ascii_digit() && c != ';') {
            Some(end) if after[end..].starts_with('m') => rest = &after[end + 1..],
            _ => {
                out.push_str(&rest[at..at + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn control_characters_in_a_diff_are_shown_escaped() {
    let (repo, folder) = hostile_repo();
    let path = format!("{folder}/plan.yaml");
    let plan = std::fs::read_to_string(repo.path().join(&path)).unwrap();
    commit_all(repo.path(), "2026-06-01", "hostile plan");
    repo.write(
        &path,
        plan.replace("name: Li Ming", "name: \"Li \\e[2J\\rMing\\a\\u202E\""),
    );
    let out = kaplan(&["diff", "--root", repo.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_shown_escaped("diff", &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Li \\u{1b}[2J\\rMing\\u{7}\\u{202e}"),
        "{stdout}"
    );
    let json = kaplan(&[
        "diff",
        "--root",
        repo.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        raw_controls(&json.stdout).is_empty(),
        "{:?}",
        raw_controls(&json.stdout)
    );
}
