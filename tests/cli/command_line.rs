//! What command-line users expect: the plans repository found from a
//! subfolder, `--quiet`, `--output-dir`, shell completions, `--version`.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{Repo, commit_all, repo_root};

/// `kaplan ARGS` run in the folder `cwd`.
fn kaplan_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kaplan"))
        .current_dir(cwd)
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run kaplan")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A plans repository with `kaplan.toml` and one example account, and a
/// folder `notes/deep` in it that is not a plans repository.
fn plans() -> Repo {
    let repo = Repo::new();
    let examples = repo_root().join("example-accounts");
    repo.copy(
        &examples.join("accounts/huayue-heavy"),
        "accounts/huayue-heavy",
    );
    repo.write(
        "kaplan.toml",
        std::fs::read(examples.join("kaplan.toml")).unwrap(),
    );
    repo.write("notes/deep/readme.md", "not plans\n");
    repo
}

const CHECK: [&str; 5] = ["check", "--format", "json", "--today", "2026-06-30"];

#[test]
fn check_from_a_subfolder_finds_the_repository_and_says_so() {
    let repo = plans();
    let at_root = kaplan_in(repo.path(), &CHECK);
    assert!(text(&at_root.stdout).contains("huayue-heavy"));
    assert!(
        !text(&at_root.stderr).contains("note:"),
        "{}",
        text(&at_root.stderr)
    );
    for sub in ["accounts/huayue-heavy", "notes/deep", "notes"] {
        let out = kaplan_in(&repo.path().join(sub), &CHECK);
        assert_eq!(out.status.code(), at_root.status.code(), "{sub}");
        assert_eq!(text(&out.stdout), text(&at_root.stdout), "{sub}");
        let stderr = text(&out.stderr);
        let found = std::fs::canonicalize(repo.path()).unwrap();
        assert!(
            stderr.contains(&format!("using the plans repository {}", found.display())),
            "{sub}: {stderr}"
        );
        assert!(!stderr.contains("no accounts found"), "{sub}: {stderr}");
    }
    // A root given explicitly is looked above too.
    let deep = repo.path().join("notes/deep");
    let mut args = CHECK.to_vec();
    args.insert(1, deep.to_str().unwrap());
    let out = kaplan_in(Path::new("/"), &args);
    assert_eq!(text(&out.stdout), text(&at_root.stdout));
}

#[test]
fn the_nearest_repository_wins_and_a_bare_accounts_folder_counts() {
    let outer = plans();
    // An inner repository without kaplan.toml: its accounts/ marks it.
    outer.write("notes/inner/accounts/solo/plan.yaml", "account: [\n");
    outer.write("notes/inner/sub/x.md", "x\n");
    let out = kaplan_in(&outer.path().join("notes/inner/sub"), &CHECK);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("solo"), "{stdout}");
    assert!(!stdout.contains("huayue-heavy"), "{stdout}");
}

#[test]
fn a_folder_with_no_repository_above_still_says_no_accounts_found() {
    let repo = Repo::new();
    let out = kaplan_in(repo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("no accounts found"));
    assert!(
        !text(&out.stderr).contains("note:"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn build_and_new_from_a_subfolder_work_on_the_repository() {
    let repo = plans();
    let sub = repo.path().join("accounts/huayue-heavy");
    let out = kaplan_in(&sub, &["build", "--today", "2026-06-30", "--allow-errors"]);
    assert!(out.status.code() != Some(2), "{}", text(&out.stderr));
    assert!(repo.path().join("public/index.html").is_file());
    assert!(!sub.join("public").exists());
    let out = kaplan_in(&sub, &["new", "east-mobile"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(repo.path().join("accounts/east-mobile/plan.yaml").is_file());
    assert!(!sub.join("accounts").exists());
}

#[test]
fn diff_from_a_subfolder_compares_the_repository() {
    let repo = plans();
    commit_all(repo.path(), "2026-06-01", "plans");
    let sub = repo.path().join("accounts/huayue-heavy");
    let plan = sub.join("plan.yaml");
    let edited =
        std::fs::read_to_string(&plan)
            .unwrap()
            .replacen("due: 2026-06-15", "due: 2026-07-15", 1);
    std::fs::write(&plan, edited).unwrap();
    let diff = ["diff", "--format", "json", "--today", "2026-06-30"];
    let at_root = kaplan_in(repo.path(), &diff);
    let out = kaplan_in(&sub, &diff);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("huayue-heavy"));
    assert_eq!(text(&out.stdout), text(&at_root.stdout));
    assert!(text(&out.stderr).contains("using the plans repository"));
}

/// The example account has one intended warning (an overdue action).
#[test]
fn quiet_check_keeps_the_diagnostics_and_drops_the_summary() {
    let repo = plans();
    let sub = repo.path().join("notes");
    for quiet in [["-q", "check"], ["check", "--quiet"]] {
        let out = kaplan_in(&sub, &[&quiet[..], &["--today", "2026-06-30"]].concat());
        assert_eq!(out.status.code(), Some(0));
        let stdout = text(&out.stdout);
        assert!(stdout.contains("when-where/overdue-action"), "{stdout}");
        assert!(!stdout.contains("1 warning in"), "{stdout}");
        assert_eq!(text(&out.stderr), "", "no note about the root either");
    }
    for format in ["json", "github", "sarif"] {
        let args = ["check", "-q", "--format", format, "--today", "2026-06-30"];
        let out = kaplan_in(repo.path(), &args);
        assert!(
            text(&out.stdout).contains("when-where/overdue-action"),
            "{format}"
        );
        assert_eq!(text(&out.stderr), "", "{format}");
    }
    // Errors still fail the run and are still shown.
    repo.write("accounts/bad/plan.yaml", "account: [\n");
    let out = kaplan_in(repo.path(), &["check", "-q", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("::error file=accounts/bad/plan.yaml"));
}

#[test]
fn quiet_build_says_nothing_unless_something_is_wrong() {
    let repo = plans();
    let out = kaplan_in(repo.path(), &["build", "-q", "--today", "2026-05-20"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(text(&out.stderr), "");
    assert!(repo.path().join("public/index.html").is_file());
    repo.write("accounts/bad/plan.yaml", "account: [\n");
    let out = kaplan_in(repo.path(), &["build", "--quiet", "--today", "2026-05-20"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error[plan/syntax]"), "{stderr}");
    // The example's kaplan.toml is zh-CN: so is every line.
    assert!(stderr.contains("站点未发布"), "{stderr}");
    assert!(!stderr.contains("1 个错误、"), "{stderr}");
}

#[test]
fn output_dir_is_another_name_for_out() {
    let repo = plans();
    let site = repo.path().join("elsewhere");
    for flag in ["--output-dir", "--out", "-o"] {
        let out = kaplan_in(
            repo.path(),
            &[
                "build",
                flag,
                site.to_str().unwrap(),
                "--today",
                "2026-05-20",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{flag}: {}", text(&out.stderr));
        assert!(site.join("index.html").is_file(), "{flag}");
        std::fs::remove_dir_all(&site).unwrap();
    }
    let help = text(&kaplan_in(repo.path(), &["build", "--help"]).stdout);
    assert!(help.contains("--output-dir"), "{help}");
}

#[test]
fn completions_name_every_command_in_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = kaplan_in(Path::new("."), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        for command in ["check", "build", "serve", "diff", "completions"] {
            assert!(script.contains(command), "{shell}: no {command}");
        }
        assert!(script.contains("output-dir"), "{shell}");
    }
    let out = kaplan_in(Path::new("."), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    // The bash script loads and registers itself.
    let script = kaplan_in(Path::new("."), &["completions", "bash"]).stdout;
    let dir = Repo::new();
    let file = dir.write("kaplan.bash", script);
    let out = Command::new("bash")
        .args([
            "--norc",
            "-c",
            "source \"$1\" && complete -p kaplan",
            "bash",
        ])
        .arg(&file)
        .output()
        .expect("run bash");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("kaplan"));
}

/// `kaplan --version` names the commit built from when the crate folder is
/// a git checkout git can read, and is the bare version otherwise.
#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = kaplan_in(Path::new("."), &["--version"]);
    assert_eq!(out.status.code(), Some(0));
    let version = text(&out.stdout);
    assert!(version.starts_with("kaplan 0.1.0"), "{version}");
    let head = Command::new("git")
        .arg("-C")
        .arg(repo_root())
        .args(["rev-parse", "--short=12", "HEAD"])
        .env_remove("GIT_DIR")
        .output()
        .ok()
        .filter(|o| o.status.success() && repo_root().join(".git").exists())
        .map(|o| text(&o.stdout).trim().to_owned());
    match head {
        Some(commit) => assert_eq!(version.trim(), format!("kaplan 0.1.0 ({commit})")),
        None => assert_eq!(version.trim(), "kaplan 0.1.0"),
    }
}

/// The progress line is for terminals: a run of more than a second (480
/// accounts, unoptimised) whose stderr is a pipe, as in CI, has none.
#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let repo = Repo::new();
    let examples = repo_root().join("example-accounts/accounts");
    for i in 0..60 {
        for account in std::fs::read_dir(&examples).unwrap() {
            let account = account.unwrap();
            let name = account.file_name();
            repo.copy(
                &account.path(),
                &format!("accounts/{}-{i}", name.to_str().unwrap()),
            );
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_kaplan"))
        .current_dir(repo.path())
        .args(["check", "--format", "json", "--today", "2026-06-30"])
        .env_remove("CI")
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert!(!stderr.contains('\r'), "{stderr:?}");
    assert!(!stderr.contains("checking"), "{stderr:?}");
    assert!(stderr.contains("of 480 accounts"), "{stderr:?}");
}
