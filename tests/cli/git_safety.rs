//! git on an untrusted plans repository: nothing of the repository's
//! configuration runs a program (`core.fsmonitor`, filter, diff and merge
//! drivers named by `.gitattributes`, `diff.external`, hooks, pagers), a
//! bare repository committed inside the plans is refused, and a history
//! that cannot be read is said so on stderr and on the pages.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
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

/// `kaplan serve ROOT`: fetches `/` and the dossier over 127.0.0.1, makes
/// `edits` (path, content) one at a time, each time waiting for the
/// rebuild, then stops; returns what it printed on stderr.
fn serve(root: &Path, edits: &[(&str, String)]) -> Vec<String> {
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
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
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
            "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut body = String::new();
        s.read_to_string(&mut body).unwrap();
        assert!(body.starts_with("HTTP/1.1 200"), "{path}: {body:.200}");
    }
    let mut printed: Vec<String> = lines.try_iter().collect();
    for (path, content) in edits {
        std::fs::write(root.join(path), content).unwrap();
        loop {
            let line = lines
                .recv_timeout(std::time::Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("no rebuild after editing {path}: {printed:?}"));
            let rebuilt = line.starts_with("rebuilt in");
            printed.push(line);
            if rebuilt {
                break;
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    printed.extend(lines.try_iter());
    printed
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
    serve(
        root,
        &[(
            "accounts/fixture/plan.yaml",
            plan(&V1).replace("18000000", "21000000"),
        )],
    );
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
    // Refused is not "no repository": check and build say so.
    for out in &outputs[..2] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("history is unavailable")
                && stderr.contains("cannot use bare repository"),
            "{stderr}"
        );
    }
    let page = std::fs::read_to_string(plans.join("public/index.html")).unwrap();
    assert!(page.contains("No history: git could not read the repository."));
    // `diff` fails, as it does whenever git does.
    assert_eq!(outputs[3].status.code(), Some(2));

    // A git older than 2.38 ignores `safe.bareRepository`: kaplan refuses
    // the repository itself. (A `git` that drops the setting stands in.)
    let old_git = markers.path().join("old-git");
    std::fs::create_dir(&old_git).unwrap();
    let real = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|dir| dir.join("git"))
        .find(|git| git.is_file())
        .unwrap();
    std::fs::write(
        old_git.join("git"),
        format!(
            "#!/bin/sh\nfor a; do\n  shift\n  [ \"$a\" = safe.bareRepository=explicit ] && a=safe.bareRepository=all\n  set -- \"$@\" \"$a\"\ndone\nexec '{}' \"$@\"\n",
            real.display()
        ),
    )
    .unwrap();
    make_executable(&old_git.join("git"));
    let path = std::env::join_paths(
        std::iter::once(old_git.clone())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    for command in ["check", "build"] {
        let out = Command::new(env!("CARGO_BIN_EXE_kaplan"))
            .args([command, plans.to_str().unwrap()])
            .env("PATH", &path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("inside the plans"), "{stderr}");
    }
    assert_eq!(ran(markers.path()), Vec::<String>::new());
}

/// A repository with two commits of `accounts/fixture/plan.yaml`.
fn two_commits() -> Repo {
    let repo = Repo::with_plan(plan(&V1).as_bytes());
    repo.write("kaplan.toml", "language = \"en\"\ntoday = \"2026-06-30\"\n");
    commit_all(repo.path(), "2026-05-01", "first");
    repo.write(
        "accounts/fixture/plan.yaml",
        plan(&V1).replace("18000000", "19000000"),
    );
    commit_all(repo.path(), DATE, "second");
    repo
}

/// `ROOT/.git/objects/..` file of object `name`.
fn object(root: &Path, name: &str) -> PathBuf {
    let id = git(root, DATE, &["rev-parse", name]);
    let id = id.trim();
    root.join(".git/objects").join(&id[..2]).join(&id[2..])
}

/// The warnings on stderr that are not diagnostics (`warning[rule]`).
fn warnings(out: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .map(str::to_owned)
        .collect()
}

/// Runs `check` and `build` on a healthy repository, then again after
/// `corrupt`: same exit codes, one warning on stderr that names what git
/// said (`git_said`), and pages that say there is no history; `serve` says
/// it once over two rebuilds; `diff` fails.
fn corrupted(corrupt: impl Fn(&Path), git_said: &str) {
    let repo = two_commits();
    let r = repo.path().to_str().unwrap();
    // Without the history cache: a warm cache holds the log of the
    // commits it saw, and git is not asked to walk them again.
    let healthy_check = kaplan(&["check", r, "--no-cache"]);
    let healthy_build = kaplan(&["build", r, "--allow-errors", "--no-cache"]);
    assert!(warnings(&healthy_check).is_empty() && warnings(&healthy_build).is_empty());
    corrupt(repo.path());
    let check = kaplan(&["check", r]);
    let build = kaplan(&["build", r, "--allow-errors"]);
    for (healthy, broken) in [(&healthy_check, &check), (&healthy_build, &build)] {
        assert_eq!(broken.status.code(), healthy.status.code());
        let w = warnings(broken);
        assert_eq!(w.len(), 1, "{}", String::from_utf8_lossy(&broken.stderr));
        assert!(
            w[0].starts_with("warning: ") && w[0].contains(git_said),
            "{w:?}"
        );
    }
    for page in ["public/index.html", "public/accounts/fixture/index.html"] {
        let html = std::fs::read_to_string(repo.path().join(page)).unwrap();
        assert!(
            html.contains("No history: git could not read the repository."),
            "{page}"
        );
    }
    // `serve` says it once, not on every rebuild.
    let edit = |target| {
        let plan = plan(&V1).replace("18000000", target);
        ("accounts/fixture/plan.yaml", plan)
    };
    let printed = serve(repo.path(), &[edit("20000000"), edit("21000000")]);
    let said: Vec<&String> = printed
        .iter()
        .filter(|l| l.contains("history is unavailable"))
        .collect();
    assert_eq!(said.len(), 1, "{printed:?}");
    // `kaplan diff` fails, as before.
    assert_eq!(kaplan(&["diff", "--root", r]).status.code(), Some(2));
}

#[test]
fn a_deleted_tree_is_said_so_not_ignored() {
    // The first commit's tree, which `git log --raw` compares with.
    corrupted(
        |root| std::fs::remove_file(object(root, "HEAD~1^{tree}")).unwrap(),
        "git failed: fatal: unable to read tree",
    );
}

#[test]
fn a_truncated_commit_is_said_so_not_ignored() {
    corrupted(
        |root| {
            let commit = object(root, "HEAD");
            let bytes = std::fs::read(&commit).unwrap();
            std::fs::set_permissions(&commit, std::fs::Permissions::from_mode(0o644)).unwrap();
            std::fs::write(&commit, &bytes[..bytes.len() / 2]).unwrap();
        },
        "git failed: error: corrupt loose object",
    );
}

#[test]
fn no_repository_or_no_commit_is_no_warning() {
    let repo = Repo::with_plan(plan(&V1).as_bytes());
    let r = repo.path().to_str().unwrap();
    assert!(warnings(&kaplan(&["check", r])).is_empty());
    git(repo.path(), DATE, &["init", "-q"]);
    assert!(warnings(&kaplan(&["check", r])).is_empty());
    assert!(warnings(&kaplan(&["build", r, "--allow-errors"])).is_empty());
}

/// What `kaplan build` says of a plan version git cannot read.
const UNREAD: &str = "git could not read some committed versions of 1 plan";
const UNREAD_PAGE: &str = "Some committed versions of this plan could not be read from git";

#[test]
fn a_plan_version_git_cannot_read_is_said_so() {
    let repo = two_commits();
    let r = repo.path().to_str().unwrap();
    let healthy = kaplan(&["build", r, "--allow-errors"]);
    assert!(warnings(&healthy).is_empty());
    let page =
        || std::fs::read_to_string(repo.path().join("public/accounts/fixture/index.html")).unwrap();
    let complete = page();
    std::fs::remove_file(object(repo.path(), "HEAD~1:accounts/fixture/plan.yaml")).unwrap();
    // The history cache still knows what that version said: only a partial
    // clone is expected to lack objects, so git is not asked again.
    let warm = kaplan(&["build", r, "--allow-errors"]);
    assert!(warnings(&warm).is_empty() && page() == complete);
    let build = kaplan(&["build", r, "--allow-errors", "--no-cache"]);
    assert_eq!(build.status.code(), healthy.status.code());
    let w = warnings(&build);
    assert!(w.len() == 1 && w[0].contains(UNREAD), "{w:?}");
    assert!(page().contains(UNREAD_PAGE));
    // `diff` of that version fails rather than call the plan removed.
    let diff = kaplan(&["diff", "HEAD~1", "HEAD", "--root", r]);
    assert_eq!(diff.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&diff.stderr).contains("cannot be read"));
}

/// A partial clone lacks old plan versions; fetching them would run a
/// transport, here the repository's `remote.origin.uploadpack`.
#[test]
fn a_partial_clone_fetches_nothing() {
    let markers = tempfile::tempdir().unwrap();
    std::fs::create_dir(markers.path().join("bin")).unwrap();
    let upload = markers.path().join("bin/upload-pack.sh");
    std::fs::write(
        &upload,
        format!(
            "#!/bin/sh\ntouch '{}/upload-pack'\nexec git-upload-pack \"$@\"\n",
            markers.path().display()
        ),
    )
    .unwrap();
    make_executable(&upload);
    let origin = two_commits();
    git(
        origin.path(),
        DATE,
        &["config", "uploadpack.allowFilter", "true"],
    );
    let parent = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(
        parent.path(),
        DATE,
        &["clone", "-q", "--filter=blob:none", &url, "plans"],
    );
    let plans = parent.path().join("plans");
    config(&plans, "remote.origin.uploadpack", upload.to_str().unwrap());
    let r = plans.to_str().unwrap();
    let build = kaplan(&["build", r, "--allow-errors"]);
    let diff = kaplan(&["diff", "HEAD~1", "HEAD", "--root", r]);
    assert_eq!(ran(markers.path()), Vec::<String>::new());
    let w = warnings(&build);
    assert!(w.len() == 1 && w[0].contains(UNREAD), "{w:?}");
    assert_eq!(diff.status.code(), Some(2));
}
