//! git on an untrusted plans repository: nothing of the repository's
//! configuration runs a program (`core.fsmonitor`, filter, diff and merge
//! drivers named by `.gitattributes`, `diff.external`, hooks, pagers), a
//! bare repository committed inside the plans is refused.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::diff::{V1, plan};
use crate::support::{Repo, commit_all, git, kaplan};

const DATE: &str = "2026-06-01";

/// Programs a repository's configuration can name. Each, when run, leaves
/// a file named after itself in `markers` (and passes its input through,
/// as a filter would).
const PROGRAMS: &[&str] = &[
    "fsmonitor",
    "filter-clean",
    "filter-smudge",
    "filter-process",
    "eq-filter-clean",
    "diff-external",
    "diff-textconv",
    "diff-command",
    "merge-driver",
    "core-pager",
    "pager-log",
    "hook",
];

/// Hooks git could run while reading (or if it wrote anything).
const HOOKS: &[&str] = &[
    "post-index-change",
    "reference-transaction",
    "pre-auto-gc",
    "post-checkout",
    "post-commit",
    "fsmonitor-watchman",
];

/// Writes one marker-leaving script per program into `markers/bin`.
fn scripts(markers: &Path) -> PathBuf {
    let bin = markers.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for name in PROGRAMS {
        let script = bin.join(format!("{name}.sh"));
        std::fs::write(
            &script,
            format!("#!/bin/sh\ntouch '{}/{name}'\ncat\n", markers.display()),
        )
        .unwrap();
        make_executable(&script);
    }
    bin
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The programs that left a marker.
fn ran(markers: &Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(markers)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    found
}

/// Sets `key` to `value` in the repository's own `.git/config`.
fn config(root: &Path, key: &str, value: &str) {
    git(root, DATE, &["config", key, value]);
}

/// A plans repository with two commits, then every setting that names a
/// program, hooks, and a dirty work tree: the plan is edited, and a page is
/// touched with the same content (so that `git status` would hash it again
/// through the clean filter).
fn hostile(markers: &Path) -> Repo {
    let bin = scripts(markers);
    let repo = Repo::new();
    let root = repo.path();
    repo.write("kaplan.toml", "language = \"en\"\ntoday = \"2026-06-30\"\n");
    repo.write("accounts/fixture/plan.yaml", plan(&V1));
    repo.write("accounts/fixture/notes.md", "# Notes\n\nFirst.\n");
    repo.write(
        ".gitattributes",
        "*.yaml filter=evil diff=evil merge=evil\n*.md filter=evil diff=evil merge=evil\naccounts/fixture/notes.md filter=a=b\n",
    );
    commit_all(root, "2026-05-01", "first");
    repo.write(
        "accounts/fixture/plan.yaml",
        plan(&V1).replace("18000000", "19000000"),
    );
    repo.write("accounts/fixture/notes.md", "# Notes\n\nSecond.\n");
    commit_all(root, DATE, "second");
    // Only now, so that committing ran none of them.
    let program = |name: &str| bin.join(format!("{name}.sh")).display().to_string();
    config(root, "core.fsmonitor", &program("fsmonitor"));
    config(root, "filter.evil.clean", &program("filter-clean"));
    config(root, "filter.evil.smudge", &program("filter-smudge"));
    config(root, "filter.evil.process", &program("filter-process"));
    config(root, "filter.evil.required", "true");
    // A driver whose name `-c name=value` cannot override.
    config(root, "filter.a=b.clean", &program("eq-filter-clean"));
    config(root, "diff.external", &program("diff-external"));
    config(root, "diff.evil.textconv", &program("diff-textconv"));
    config(root, "diff.evil.command", &program("diff-command"));
    config(root, "merge.evil.driver", &program("merge-driver"));
    config(root, "core.pager", &program("core-pager"));
    config(root, "pager.log", &program("pager-log"));
    let hooks = root.join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    for hook in HOOKS {
        std::fs::copy(bin.join("hook.sh"), hooks.join(hook)).unwrap();
        make_executable(&hooks.join(hook));
    }
    // Dirty and racy: an edit, and a file whose time changed but not its
    // size or content.
    repo.write(
        "accounts/fixture/plan.yaml",
        plan(&V1).replace("18000000", "20000000"),
    );
    let notes = root.join("accounts/fixture/notes.md");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&notes)
        .unwrap()
        .set_modified(later)
        .unwrap();
    assert!(ran(markers).is_empty(), "setting up ran {:?}", ran(markers));
    repo
}

/// `kaplan serve ROOT`: fetches `/` and the dossier over 127.0.0.1, then stops.
fn serve_once(root: &Path) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaplan"))
        .args([
            "serve",
            root.to_str().unwrap(),
            "--port",
            "0",
            "--today",
            "2026-06-30",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .rsplit(':')
        .next()
        .and_then(|p| p.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    for path in ["/", "/accounts/fixture/"] {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut body = String::new();
        s.read_to_string(&mut body).unwrap();
        assert!(body.starts_with("HTTP/1.1 200"), "{path}: {body:.200}");
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs `check`, `build`, `serve` and `diff` (against the working tree and
/// between two commits) on `root`.
fn every_command(root: &Path) -> Vec<std::process::Output> {
    let r = root.to_str().unwrap();
    let outputs = vec![
        kaplan(&["check", r, "--format", "json"]),
        kaplan(&["build", r, "--allow-errors"]),
        kaplan(&["build", r, "--allow-errors", "--since", "HEAD~1"]),
        kaplan(&["diff", "--root", r]),
        kaplan(&[
            "diff", "HEAD~1", "HEAD", "--root", r, "--format", "markdown",
        ]),
    ];
    serve_once(root);
    outputs
}

#[test]
fn git_runs_no_program_of_the_repository() {
    let markers = tempfile::tempdir().unwrap();
    let repo = hostile(markers.path());
    let outputs = every_command(repo.path());
    assert_eq!(ran(markers.path()), Vec::<String>::new());
    // History was read all the same.
    let [check, build, since, diff, between] = &outputs[..] else {
        unreachable!()
    };
    for out in [check, build, since] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("history is unavailable"), "{stderr}");
    }
    let page =
        std::fs::read_to_string(repo.path().join("public/accounts/fixture/index.html")).unwrap();
    assert!(page.contains("2026-06-01"), "no last change on the dossier");
    for out in [diff, between] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(String::from_utf8_lossy(&diff.stdout).contains("20,000,000"));
    assert!(String::from_utf8_lossy(&between.stdout).contains("19,000,000"));
}

/// A bare repository committed as a folder of the repository, with a
/// commit, and a `config` that gives it a work tree and a file system
/// monitor: git would take the folder for the repository.
#[test]
fn a_bare_repository_inside_the_plans_is_refused() {
    let markers = tempfile::tempdir().unwrap();
    let bin = scripts(markers.path());
    let inner = Repo::with_plan(plan(&V1).as_bytes());
    commit_all(inner.path(), "2026-05-01", "inner");
    let repo = Repo::new();
    let root = repo.path();
    git(root, DATE, &["init", "-q", "-b", "main"]);
    git(
        root,
        DATE,
        &[
            "clone",
            "-q",
            "--bare",
            inner.path().to_str().unwrap(),
            "plans",
        ],
    );
    repo.write("plans/kaplan.toml", "language = \"en\"\n");
    repo.write("plans/accounts/fixture/plan.yaml", plan(&V1));
    repo.write(
        "plans/config",
        format!(
            "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n\tfsmonitor = {}\n\thooksPath = {}\n",
            bin.join("fsmonitor.sh").display(),
            bin.display(),
        ),
    );
    commit_all(root, DATE, "plans");
    // Without `safe.bareRepository=explicit`, git uses it.
    let found = git(
        root,
        DATE,
        &["-C", "plans", "rev-parse", "--absolute-git-dir"],
    );
    assert!(found.trim_end().ends_with("/plans"), "{found}");
    let plans = root.join("plans");
    let outputs = every_command(&plans);
    assert_eq!(ran(markers.path()), Vec::<String>::new());
    let page = std::fs::read_to_string(plans.join("public/index.html")).unwrap();
    assert!(page.contains("No history: git could not read the repository."));
    // `diff` fails, as it does whenever git does.
    assert_eq!(outputs[3].status.code(), Some(2));
}
