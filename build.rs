//! Build script: the version `kaplan --version` prints, with the commit
//! kaplan is built from (`kaplan 0.1.0 (abc123def456)`), else the bare
//! version (`kaplan 0.1.0`); and that commit in full as `KAPLAN_COMMIT`, which
//! `kaplan init` pins its workflow's Install kaplan action to. The commit is
//! the checkout's `HEAD` when the crate folder is a git checkout, else the one
//! `cargo package` recorded in `.cargo_vcs_info.json` (a crate unpacked from
//! a registry). Without either, the build goes on without the commit.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = env!("CARGO_PKG_VERSION");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    // A crate unpacked inside another repository (a registry, a vendor
    // folder) must not take that repository's commit.
    let commit = if dir.join(".git").exists() {
        commit(&dir)
    } else {
        packaged_commit(&dir)
    };
    match commit {
        Some(commit) => {
            println!(
                "cargo:rustc-env=KAPLAN_VERSION={version} ({})",
                &commit[..12]
            );
            println!("cargo:rustc-env=KAPLAN_COMMIT={commit}");
        }
        None => println!("cargo:rustc-env=KAPLAN_VERSION={version}"),
    }
}

/// Whether `s` is a full commit id: 40 hexadecimal digits.
fn is_commit(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The commit `cargo package` recorded in `.cargo_vcs_info.json`
/// (`{"git": {"sha1": "…"}, …}`), if any.
fn packaged_commit(dir: &Path) -> Option<String> {
    let path = dir.join(".cargo_vcs_info.json");
    // A missing file would make cargo run this script on every build.
    if !path.is_file() {
        return None;
    }
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).ok()?;
    let after = &text[text.find("\"sha1\"")? + 6..];
    let start = after.find('"')? + 1;
    let commit = after.get(start..start + 40)?;
    is_commit(commit).then(|| commit.to_ascii_lowercase())
}

/// The full commit of `HEAD` in `dir`; asks cargo to run this script again
/// when `HEAD` or the branch it names moves.
fn commit(dir: &Path) -> Option<String> {
    let commit = git(dir, &["HEAD"])?;
    let commit = commit.trim();
    if !is_commit(commit) {
        return None;
    }
    // The folder of HEAD (a worktree's own), the one of the refs, and the
    // branch HEAD names (`HEAD` itself when detached).
    let paths = git(
        dir,
        &[
            "--absolute-git-dir",
            "--git-common-dir",
            "--symbolic-full-name",
            "HEAD",
        ],
    )?;
    let mut lines = paths.lines();
    if let (Some(git_dir), Some(common), Some(branch)) = (lines.next(), lines.next(), lines.next())
    {
        let (git_dir, common) = (Path::new(git_dir), dir.join(common));
        for watched in [
            git_dir.join("HEAD"),
            common.join(branch),
            common.join("packed-refs"),
        ] {
            // A missing file would make cargo run this script on every build.
            if watched.is_file() {
                println!("cargo:rerun-if-changed={}", watched.display());
            }
        }
    }
    Some(commit.to_owned())
}

/// `git rev-parse ARGS` in `dir`, run so that the repository's
/// configuration can start no program (no file system monitor, no hooks,
/// no pager, no transport); its stdout, or `None` when it fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "--no-pager",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "safe.bareRepository=explicit",
            "-c",
            "protocol.allow=never",
            "rev-parse",
        ])
        .args(args)
        // A build started from a git hook must still read this repository.
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_COMMON_DIR")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}
