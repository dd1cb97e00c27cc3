//! Running the binary on temporary plan repositories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A temporary plans repository.
pub(crate) struct Repo {
    pub(crate) dir: tempfile::TempDir,
}

impl Repo {
    pub(crate) fn new() -> Repo {
        Repo {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A repository with one account `fixture` whose plan.yaml is `plan`.
    pub(crate) fn with_plan(plan: &[u8]) -> Repo {
        let repo = Repo::new();
        repo.write("accounts/fixture/plan.yaml", plan);
        repo
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Copies every file under `from` into the repository's folder `to`.
    pub(crate) fn copy(&self, from: &Path, to: &str) {
        for entry in walkdir::WalkDir::new(from) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(from).unwrap();
                self.write(
                    &format!("{to}/{}", rel.display()),
                    std::fs::read(entry.path()).unwrap(),
                );
            }
        }
    }

    pub(crate) fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }
}

pub(crate) fn kaplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kaplan"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        // The locale chooses the language where nothing else does: none, for
        // output that does not depend on the machine.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .expect("run kaplan")
}

/// `kaplan check ROOT --format json --today 2026-06-30`: the exit code and the diagnostics.
pub(crate) fn check_json(root: &Path, extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec![
        "check",
        root.to_str().unwrap(),
        "--format",
        "json",
        "--today",
        "2026-06-30",
    ];
    args.extend(extra);
    let out = kaplan(&args);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let parsed: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap_or(-1),
        parsed.as_array().expect("an array").clone(),
    )
}

/// `rule @ line:col` of each diagnostic, for readable assertions.
pub(crate) fn positions(diags: &[Value], rule: &str) -> Vec<String> {
    let mut v: Vec<String> = diags
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| format!("{}:{}", d["line"], d["column"]))
        .collect();
    v.sort();
    v
}

pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `git ARGS` in `root` as "Zhang Wei", with author and committer
/// dates at noon UTC on `date`, ignoring the machine's git config, so that
/// commits (and everything kaplan derives from them) are reproducible.
pub(crate) fn git(root: &Path, date: &str, args: &[&str]) -> String {
    let stamp = format!("{date}T12:00:00+00:00");
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Zhang Wei")
        .env("GIT_AUTHOR_EMAIL", "zhang.wei@example.com")
        .env("GIT_COMMITTER_NAME", "Zhang Wei")
        .env("GIT_COMMITTER_EMAIL", "zhang.wei@example.com")
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Commits everything under `root` on `date` (making it a repository first).
pub(crate) fn commit_all(root: &Path, date: &str, message: &str) {
    if !root.join(".git").exists() {
        git(root, date, &["init", "-q", "-b", "main"]);
    }
    git(root, date, &["add", "-A"]);
    git(root, date, &["commit", "-q", "-m", message]);
}

/// The `# git-date: YYYY-MM-DD` header of a rule fixture or example (words
/// after the date are a comment): the plan is committed on that date before
/// it is checked (rules that read history).
pub(crate) fn fixture_git_date(text: &str) -> Option<&str> {
    text.lines()
        .take(5)
        .find_map(|l| l.strip_prefix("# git-date:"))
        .and_then(|rest| rest.split_whitespace().next())
}
