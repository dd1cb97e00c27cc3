//! A build that cannot finish — a runaway template, a signal, a kill —
//! leaves the previous site as it was, and nothing beside it for long.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Repo, kaplan};

const PLAN: &str = "account: {name: Fixture, owner: zhang, tier: gold, stage: basic}\n";

/// Loops for ever (three nested ranges of 100,000) without writing a byte.
const SILENT_LOOP: &str = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% for k in range(end=100000) %}{% endfor %}{% endfor %}{% endfor %}";

/// Writes about 700 GB.
const FLOOD: &str = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}<p>{{ i }} {{ j }} and a line of text to fill the page</p>{% endfor %}{% endfor %}";

/// A repository with a good site built from it; the site's index page.
fn built() -> (Repo, Vec<u8>) {
    let repo = Repo::with_plan(PLAN.as_bytes());
    let out = kaplan(&["build", repo.path().to_str().unwrap(), "--allow-errors"]);
    let index = repo.path().join("public/index.html");
    assert!(index.is_file(), "{out:?}");
    let before = std::fs::read(index).unwrap();
    (repo, before)
}

/// The names beside the site that a build leaves while it runs.
fn leftovers(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(".public.kaplan-"))
        .collect();
    v.sort();
    v
}

fn spawn_build(root: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kaplan"))
        .args(["build", root.to_str().unwrap(), "--allow-errors"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for `child` to end, at most `limit`.
fn wait(mut child: Child, limit: Duration) -> Output {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Waits until the build has a staging folder (it is rendering).
fn wait_for_staging(root: &Path) {
    let started = Instant::now();
    while !leftovers(root).iter().any(|n| n.contains("-new-")) {
        assert!(started.elapsed() < Duration::from_secs(30), "no staging");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Let it get into the template.
    std::thread::sleep(Duration::from_millis(300));
}

/// Builds a good site, then again with `checklist.html` replaced by
/// `template` under `config`: that build must fail with status 2, within
/// 20 seconds, leaving the first site and nothing beside it. Its stderr.
fn stopped_build(config: &str, template: &str) -> String {
    let (repo, before) = built();
    repo.write("kaplan.toml", config);
    repo.write("templates/checklist.html", template);
    let started = Instant::now();
    let out = wait(spawn_build(repo.path()), Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(started.elapsed() < Duration::from_secs(20), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("template `checklist.html`"), "{stderr}");
    let index = std::fs::read(repo.path().join("public/index.html")).unwrap();
    assert_eq!(index, before);
    assert_eq!(leftovers(repo.path()), Vec::<String>::new());
    stderr
}

#[test]
fn a_template_that_loops_without_writing_is_stopped_at_its_time_limit() {
    let stderr = stopped_build("render_timeout = 1\n", SILENT_LOOP);
    assert!(stderr.contains("within 1 s"), "{stderr}");
}

#[test]
fn a_template_that_writes_without_end_is_stopped_at_the_output_limit() {
    let stderr = stopped_build("", FLOOD);
    assert!(stderr.contains("larger than 64 MiB"), "{stderr}");
}

#[test]
fn render_timeout_is_checked() {
    for bad in ["0", "3601", "\"ten\""] {
        let repo = Repo::with_plan(PLAN.as_bytes());
        repo.write("kaplan.toml", format!("render_timeout = {bad}\n"));
        let out = kaplan(&["check", repo.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("kaplan.toml:1:"), "{stderr}");
    }
}

#[cfg(unix)]
fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{name}");
}

#[cfg(unix)]
#[test]
fn sigterm_and_sigint_remove_the_staging_folder_and_keep_the_site() {
    for name in ["TERM", "INT"] {
        let (repo, before) = built();
        repo.write("kaplan.toml", "render_timeout = 60\n");
        repo.write("templates/checklist.html", SILENT_LOOP);
        let child = spawn_build(repo.path());
        wait_for_staging(repo.path());
        signal(&child, name);
        let out = wait(child, Duration::from_secs(30));
        assert_eq!(out.status.code(), Some(130), "{name}: {out:?}");
        assert_eq!(leftovers(repo.path()), Vec::<String>::new(), "{name}");
        assert_eq!(
            std::fs::read(repo.path().join("public/index.html")).unwrap(),
            before,
            "{name}"
        );
    }
}

#[cfg(unix)]
#[test]
fn what_a_killed_build_left_is_removed_by_the_next_one() {
    let (repo, before) = built();
    let root = repo.path();
    repo.write("kaplan.toml", "render_timeout = 60\n");
    repo.write("templates/checklist.html", SILENT_LOOP);
    let child = spawn_build(root);
    wait_for_staging(root);
    signal(&child, "KILL");
    wait(child, Duration::from_secs(30));
    let left = leftovers(root);
    assert!(left.iter().any(|n| n.contains("-new-")), "{left:?}");
    assert_eq!(
        std::fs::read(root.join("public/index.html")).unwrap(),
        before
    );

    std::fs::remove_file(root.join("templates/checklist.html")).unwrap();
    repo.write("kaplan.toml", "title = \"After the kill\"\n");
    kaplan(&["build", root.to_str().unwrap(), "--allow-errors"]);
    assert_eq!(leftovers(root), Vec::<String>::new());
    let index = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(index.contains("After the kill"));
}

/// The folders of a build that still runs (its lock is held), and folders
/// kaplan did not make, are never removed.
#[test]
fn folders_of_live_builds_and_foreign_folders_are_left_alone() {
    let (repo, _) = built();
    let root = repo.path();
    let marker = "This folder was generated by kaplan build.\n";
    // A build that died: no one holds its lock.
    repo.write(".public.kaplan-new-4000000/.kaplan-site", marker);
    repo.write(".public.kaplan-new-4000000/index.html", "half");
    repo.write(".public.kaplan-old-4000000/.kaplan-site", marker);
    repo.write(".public.kaplan-4000000.lock", "");
    // A build that runs: this test holds its lock.
    repo.write(".public.kaplan-new-4000001/.kaplan-site", marker);
    let live = repo.write(".public.kaplan-4000001.lock", "");
    let held = std::fs::OpenOptions::new().write(true).open(&live).unwrap();
    held.lock().unwrap();
    // Not kaplan's: no marker.
    repo.write(".public.kaplan-new-4000002/mine.txt", "keep me");

    kaplan(&["build", root.to_str().unwrap(), "--allow-errors"]);
    assert_eq!(
        leftovers(root),
        [
            ".public.kaplan-4000001.lock",
            ".public.kaplan-new-4000001",
            ".public.kaplan-new-4000002",
        ]
    );
    assert_eq!(
        std::fs::read_to_string(root.join(".public.kaplan-new-4000002/mine.txt")).unwrap(),
        "keep me"
    );
    drop(held);
}
