//! Nothing outside the plans root is read or published, and special files
//! (FIFOs, devices) are reported instead of opened.
#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Repo, check_json, kaplan};

/// What a file outside the root holds: it must never reach any output.
const SECRET: &str = "SECRET-OUTSIDE-THE-ROOT";

/// A plan that is valid enough to be built.
const PLAN: &str = "account: {name: Fixture, owner: zhang, tier: gold, stage: basic}\n";

/// A folder beside the repository (not inside it) holding the secret in a
/// plan, a page, a visit and a config-like file.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: String| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("plan.yaml", format!("account: {{name: {SECRET}}}\n"));
    write("page.md", format!("# {SECRET}\n"));
    write("visits/2026-01-01-x.md", format!("# {SECRET}\n"));
    write(
        "account/plan.yaml",
        format!("account: {{name: {SECRET}}}\n"),
    );
    write("config", format!("[core]\n  token = {SECRET}\n"));
    dir
}

/// Every byte the command printed, and every file it wrote under `out`.
fn everything(output: &Output, out: &Path) -> String {
    let mut all = String::from_utf8_lossy(&output.stdout).into_owned();
    all.push_str(&String::from_utf8_lossy(&output.stderr));
    if out.is_dir() {
        for e in walkdir::WalkDir::new(out)
            .into_iter()
            .filter_map(Result::ok)
        {
            all.push_str(&e.path().display().to_string());
            if e.file_type().is_file() {
                all.push_str(&String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()));
            }
        }
    }
    all
}

/// Runs kaplan with `args`, failing the test if it does not end within 30
/// seconds (a blocking read of a FIFO would hang it).
fn kaplan_bounded(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaplan"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("kaplan {args:?} hung for 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

/// The `plan/syntax` messages of `check`, by file.
fn refusals(root: &Path) -> Vec<(String, String)> {
    let (_, d) = check_json(root, &[]);
    let mut v: Vec<(String, String)> = d
        .iter()
        .filter(|x| x["rule"] == "plan/syntax")
        .map(|x| {
            (
                x["file"].as_str().unwrap().to_owned(),
                x["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn plans_pages_and_visits_linked_from_outside_are_not_read() {
    let out_dir = outside();
    let o = out_dir.path();
    let repo = Repo::with_plan(PLAN.as_bytes());
    let r = repo.path();
    std::fs::create_dir_all(r.join("accounts/linked-plan")).unwrap();
    symlink(
        o.join("plan.yaml"),
        r.join("accounts/linked-plan/plan.yaml"),
    )
    .unwrap();
    symlink(o.join("page.md"), r.join("accounts/fixture/page.md")).unwrap();
    std::fs::create_dir_all(r.join("accounts/linked-visits")).unwrap();
    std::fs::write(r.join("accounts/linked-visits/plan.yaml"), PLAN).unwrap();
    symlink(o.join("visits"), r.join("accounts/linked-visits/visits")).unwrap();
    symlink(o.join("account"), r.join("accounts/linked-account")).unwrap();
    symlink("/etc/passwd", r.join("accounts/fixture/passwd.md")).unwrap();

    let found = refusals(r);
    let outside_message = "points outside the repository";
    for file in [
        "accounts/fixture/page.md",
        "accounts/fixture/passwd.md",
        "accounts/linked-account",
        "accounts/linked-plan/plan.yaml",
        "accounts/linked-visits/visits",
    ] {
        assert!(
            found
                .iter()
                .any(|(f, m)| f == file && m.contains(outside_message)),
            "{file} not refused: {found:#?}"
        );
    }
    for format in ["human", "json", "github", "sarif"] {
        let output = kaplan(&["check", r.to_str().unwrap(), "--format", format]);
        let all = everything(&output, Path::new("/nonexistent"));
        assert!(!all.contains(SECRET), "{format}: {all}");
        assert!(!all.contains("root:x:0:0"), "{format}: {all}");
    }
    let out = r.join("public");
    let build = kaplan(&["build", r.to_str().unwrap(), "--allow-errors"]);
    assert!(out.join("index.html").is_file(), "{build:?}");
    let all = everything(&build, &out);
    assert!(!all.contains(SECRET), "{all}");
    assert!(!all.contains("root:x:0:0"), "{all}");
}

#[test]
fn links_inside_the_root_are_still_followed() {
    let repo = Repo::with_plan(PLAN.as_bytes());
    let r = repo.path();
    repo.write("shared/intro.md", "# Shared introduction\n");
    symlink("../../shared/intro.md", r.join("accounts/fixture/intro.md")).unwrap();
    repo.write(
        "assets/logo.svg",
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    std::fs::create_dir_all(r.join("static")).unwrap();
    symlink("../assets/logo.svg", r.join("static/logo.svg")).unwrap();
    assert_eq!(refusals(r), []);
    let build = kaplan(&["build", r.to_str().unwrap(), "--allow-errors"]);
    assert!(r.join("public/index.html").is_file(), "{build:?}");
    let page = std::fs::read_to_string(r.join("public/accounts/fixture/index.html")).unwrap();
    assert!(page.contains("Shared introduction"));
    assert!(r.join("public/logo.svg").is_file());
}

/// Each `static/` (or theme) layout that would publish what lies outside
/// the root, in `.git` or in the raw plans fails the build, naming the
/// path, and leaves the previous site as it was.
#[test]
fn static_and_theme_folders_never_publish_git_plans_or_outside_files() {
    let out_dir = outside();
    let o = out_dir.path().to_owned();
    type Setup = fn(&Path, &Path);
    let cases: &[(&str, Setup, &str)] = &[
        (
            "static -> .git",
            |r, _| symlink(".git", r.join("static")).unwrap(),
            "hidden folder",
        ),
        (
            "static -> accounts",
            |r, _| symlink("accounts", r.join("static")).unwrap(),
            "into `accounts/`",
        ),
        (
            "static -> outside",
            |r, o| symlink(o, r.join("static")).unwrap(),
            "outside the repository",
        ),
        (
            "static/config -> ../.git/config",
            |r, _| {
                std::fs::create_dir_all(r.join("static")).unwrap();
                symlink("../.git/config", r.join("static/config")).unwrap();
            },
            "hidden folder",
        ),
        (
            "static/plan.yaml -> a plan",
            |r, _| {
                std::fs::create_dir_all(r.join("static")).unwrap();
                symlink("../accounts/fixture/plan.yaml", r.join("static/plan.yaml")).unwrap();
            },
            "into `accounts/`",
        ),
        (
            "themes/t/static -> outside",
            |r, o| {
                std::fs::write(r.join("kaplan.toml"), "theme = \"t\"\n").unwrap();
                std::fs::create_dir_all(r.join("themes/t")).unwrap();
                symlink(o, r.join("themes/t/static")).unwrap();
            },
            "outside the repository",
        ),
        (
            "themes/t -> outside",
            |r, o| {
                std::fs::write(r.join("kaplan.toml"), "theme = \"t\"\n").unwrap();
                std::fs::create_dir_all(o.join("templates")).unwrap();
                std::fs::write(o.join("templates/base.html"), SECRET).unwrap();
                std::fs::create_dir_all(r.join("themes")).unwrap();
                symlink(o, r.join("themes/t")).unwrap();
            },
            "outside the repository",
        ),
        (
            "templates -> outside",
            |r, o| {
                std::fs::create_dir_all(o.join("tpl")).unwrap();
                std::fs::write(o.join("tpl/base.html"), SECRET).unwrap();
                symlink(o.join("tpl"), r.join("templates")).unwrap();
            },
            "outside the repository",
        ),
    ];
    for (name, setup, why) in cases {
        let repo = Repo::with_plan(PLAN.as_bytes());
        let r = repo.path();
        let git = Command::new("git")
            .args(["init", "-q"])
            .current_dir(r)
            .status()
            .unwrap();
        assert!(git.success());
        std::fs::write(
            r.join(".git/config"),
            format!("[core]\n  token = {SECRET}\n"),
        )
        .unwrap();
        let first = kaplan(&["build", r.to_str().unwrap(), "--allow-errors"]);
        assert!(r.join("public/index.html").is_file(), "{name}: {first:?}");
        let before = std::fs::read(r.join("public/index.html")).unwrap();
        setup(r, &o);
        let build = kaplan(&["build", r.to_str().unwrap(), "--allow-errors"]);
        let stderr = String::from_utf8_lossy(&build.stderr);
        assert_eq!(build.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(why), "{name}: {stderr}");
        assert!(stderr.contains("cannot read"), "{name}: {stderr}");
        let all = everything(&build, &r.join("public"));
        assert!(!all.contains(SECRET), "{name}: {all}");
        assert_eq!(
            std::fs::read(r.join("public/index.html")).unwrap(),
            before,
            "{name}: the previous site changed"
        );
    }
}

#[test]
fn a_theme_is_a_plain_folder_name() {
    for theme in ["../x", "a/b", "a\\\\b", ".hidden", ""] {
        let repo = Repo::with_plan(PLAN.as_bytes());
        repo.write("kaplan.toml", format!("theme = \"{theme}\"\n"));
        let out = kaplan(&["check", repo.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{theme}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("must be the name of a folder"), "{stderr}");
    }
}

#[test]
fn fifos_and_devices_are_reported_and_never_opened() {
    let repo = Repo::with_plan(PLAN.as_bytes());
    let r = repo.path();
    mkfifo(&r.join("accounts/fifo-plan/plan.yaml"));
    mkfifo(&r.join("accounts/fixture/fifo.md"));
    mkfifo(&r.join("accounts/fixture/visits/2026-01-01-fifo.md"));
    std::fs::create_dir_all(r.join("static")).unwrap();
    symlink("/dev/stdin", r.join("accounts/fixture/stdin.md")).unwrap();
    symlink("/dev/zero", r.join("accounts/fixture/zero.md")).unwrap();
    let root = r.to_str().unwrap();

    let check = kaplan_bounded(&["check", root, "--format", "json"]);
    let d: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let message = |file: &str| -> String {
        d.as_array()
            .unwrap()
            .iter()
            .find(|x| x["file"] == file)
            .map(|x| x["message"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no diagnostic for {file}: {d:#}"))
    };
    let fifo = "is a named pipe (FIFO), not a regular file";
    assert!(message("accounts/fifo-plan/plan.yaml").contains(fifo));
    assert!(message("accounts/fixture/fifo.md").contains(fifo));
    assert!(message("accounts/fixture/visits/2026-01-01-fifo.md").contains(fifo));
    for linked in ["accounts/fixture/stdin.md", "accounts/fixture/zero.md"] {
        assert!(message(linked).contains("points outside the repository"));
    }
    let build = kaplan_bounded(&["build", root, "--allow-errors"]);
    assert!(r.join("public/index.html").is_file(), "{build:?}");

    // A FIFO in `static/` fails the build instead of hanging it.
    mkfifo(&r.join("static/feed.xml"));
    let build = kaplan_bounded(&["build", root, "--allow-errors"]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("static/feed.xml"), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");

    // So does a FIFO for the settings.
    std::fs::remove_file(r.join("static/feed.xml")).unwrap();
    mkfifo(&r.join("kaplan.toml"));
    let check = kaplan_bounded(&["check", root]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}
