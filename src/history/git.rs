//! Reading a plans repository's history with the `git` command.
//!
//! A handful of processes per run, whatever the size of the repository:
//! `rev-parse` once to find the repository, `config --list` once to see
//! which of its settings could run a program, one `log` for the whole
//! history of `accounts/`, one `status` for uncommitted changes, and one
//! `cat-file --batch` for every file version that is read. Output is always
//! NUL-separated (`-z`), so no path or name is ever quoted or split.
//!
//! The repository is not trusted: nothing in its configuration, its
//! `.gitattributes` or its hooks runs a program (see `SAFE` and
//! `Overrides`), and a bare repository found inside the plans (a committed
//! `HEAD`, `config`, `objects/`, `refs/`) is refused rather than used.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use thiserror::Error;

use crate::model::Date;

/// Why a plans repository has no readable git history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// The `git` command is not installed (or cannot be started).
    NoGitCommand,
    /// The plans root is not inside a git repository.
    NotARepository,
    /// The repository has no commit yet.
    NoCommits,
    /// `git` failed; its message.
    Failed(String),
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unavailable::NoGitCommand => f.write_str("the `git` command is not available"),
            Unavailable::NotARepository => f.write_str("the plans are not in a git repository"),
            Unavailable::NoCommits => f.write_str("the git repository has no commits yet"),
            Unavailable::Failed(m) => write!(f, "git failed: {m}"),
        }
    }
}

/// A `git` command that failed.
#[derive(Debug, Error)]
#[error("`git {command}` failed: {message}")]
pub struct GitError {
    /// The subcommand and its main arguments.
    pub(crate) command: String,
    /// What git said.
    pub(crate) message: String,
}

/// One file touched by a commit, as `git log --raw` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileChange {
    /// `A`dded, `M`odified, `D`eleted, `R`enamed, `C`opied, `T`ype change.
    pub(crate) status: char,
    /// The blob after the commit (all zeros when deleted).
    pub(crate) blob: String,
    /// The path after the commit, relative to the plans root.
    pub(crate) path: String,
    /// The path before, for renames and copies (relative to the plans root;
    /// `None` when it was outside it).
    pub(crate) from: Option<String>,
}

/// One commit that touched `accounts/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commit {
    /// The full commit id.
    pub(crate) id: String,
    /// Whether git shows it without parents (a root, or a shallow boundary).
    pub(crate) parentless: bool,
    /// Committer time, seconds since the epoch.
    pub(crate) time: i64,
    /// Committer date, in the committer's own time zone.
    pub(crate) date: Date,
    /// Author name (after `.mailmap`).
    pub(crate) author: String,
    /// The first line of the message.
    pub(crate) subject: String,
    /// The files under `accounts/` it changed.
    pub(crate) changes: Vec<FileChange>,
}

/// A git repository holding a plans root.
#[derive(Debug, Clone)]
pub(crate) struct Repo {
    root: PathBuf,
    /// The plans root relative to the top of the work tree, `/`-terminated
    /// (empty when the plans root is the top).
    prefix: String,
    /// Whether the clone is shallow.
    pub(crate) shallow: bool,
    /// The boundary commits of a shallow clone: their parents are missing.
    pub(crate) boundary: Vec<String>,
    /// The commit `HEAD` points at.
    pub(crate) head: String,
    /// The index file.
    pub(crate) index: PathBuf,
    /// The git directory (of this worktree).
    pub(crate) git_dir: PathBuf,
    /// A hash of what shapes the log besides the commits: the plans root
    /// within the work tree, the repository's settings and `.mailmap`.
    pub(crate) log_shape: u64,
    /// Whether the repository is a partial clone, which may lack objects
    /// that its history names (any other repository has every object
    /// reachable from `HEAD`, or is corrupt).
    pub(crate) partial: bool,
    /// The repository's settings that would run a program, overridden.
    overrides: Overrides,
}

/// Whether `root` or a folder above it holds `.git` (a folder, or the file
/// of a worktree or submodule); `true` when that cannot be told.
fn below_dot_git(root: &Path) -> bool {
    let Ok(root) = std::fs::canonicalize(root) else {
        return true;
    };
    root.ancestors().any(|dir| dir.join(".git").exists())
}

/// Whether `git config -z --list` output `config` makes a partial clone: a
/// promisor remote, or the extension partial clones set.
fn is_partial(config: &[u8]) -> bool {
    String::from_utf8_lossy(config)
        .split('\0')
        .map(|entry| entry.split_once('\n').unwrap_or((entry, "true")))
        .any(|(name, value)| {
            let name = name.to_ascii_lowercase();
            let set = !matches!(
                value.to_ascii_lowercase().as_str(),
                "" | "false" | "no" | "off" | "0"
            );
            set && (name == "extensions.partialclone"
                || (name.starts_with("remote.") && name.ends_with(".promisor")))
        })
}

/// Settings given to every `git` command, so that no configuration of the
/// repository (`.git/config`, `config.worktree`, or files they include) can
/// make git run a program. Command-line settings win over the
/// repository's, and `safe.bareRepository` is honoured only from the
/// command line, the user's or the system's configuration. Drivers named
/// by `.gitattributes` (filters, diff and merge drivers) are overridden
/// one by one: see [`Overrides`].
const SAFE: &[&str] = &[
    // No pager, even if stdout were a terminal.
    "--no-pager",
    // `git status` would start the file system monitor.
    "-c",
    "core.fsmonitor=false",
    // Hooks (`post-index-change`, `reference-transaction`, ...) are never found.
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.pager=cat",
    "-c",
    "diff.external=",
    // A folder of the plans that looks like a bare repository (`HEAD`,
    // `config`, `objects/`, `refs/`) is refused, not used with its config.
    "-c",
    "safe.bareRepository=explicit",
    // No transport at all: a partial clone's missing object is not fetched
    // (which would run `remote.*.uploadpack` or `core.sshCommand`).
    "-c",
    "protocol.allow=never",
    // No `gpg.program`.
    "-c",
    "log.showSignature=false",
    "-c",
    "core.quotePath=false",
];

/// A `git` command in `root`, with [`SAFE`] settings.
fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(root)
        .args(SAFE)
        // `status` must never take the index lock another process may hold.
        .env("GIT_OPTIONAL_LOCKS", "0")
        // A partial clone's missing objects stay missing (git ≥ 2.44).
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_PAGER", "cat")
        .env("PAGER", "cat")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    cmd
}

/// What git said on stderr, fit for a terminal and a page: control
/// characters (the message can quote paths and names from the repository)
/// are shown escaped, lines are joined, and it is cut at 500 characters.
pub(crate) fn sanitize(message: &[u8]) -> String {
    const MAX: usize = 500;
    let text = String::from_utf8_lossy(message);
    let mut out = String::new();
    let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    for (i, line) in lines.enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        for c in line.chars() {
            // Controls, and the marks that reorder text (bidi overrides).
            if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
                out.extend(c.escape_unicode());
            } else {
                out.push(c);
            }
        }
    }
    if let Some((cut, _)) = out.char_indices().nth(MAX) {
        out.truncate(cut);
        out.push('…');
    }
    out
}

/// Settings of the repository's own configuration that name a program run
/// for files that `.gitattributes` (the repository's, again) assigns to a
/// driver: `filter.<name>.clean`, `.smudge`, `.process`,
/// `diff.<name>.textconv`, `.command`, `merge.<name>.driver`. Their names
/// are not known in advance, so `git config --list` (which reads files and
/// runs nothing) lists them once per [`Repo::open`]; every later command
/// sets each one back to the value of the user's or the system's
/// configuration, or to empty (git runs no empty command), and a filter
/// that loses its commands is no longer `required`. Drivers set only
/// outside the repository (the user's `git lfs install`) keep working.
///
/// The settings go in `GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>` rather
/// than `-c`, which cannot give a name with `=` in its subsection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Overrides(Vec<(String, String)>);

impl Overrides {
    /// The overrides `git config -z --list --show-scope` output `out` calls for.
    fn parse(out: &[u8]) -> Overrides {
        // `scope NUL name LF value NUL` (no `LF value` for a bare key).
        let text = String::from_utf8_lossy(out);
        let mut fields = text.split('\0');
        // Per setting: the last value set outside the repository; whether
        // the repository sets it.
        let mut seen: Vec<(String, Option<String>, bool)> = Vec::new();
        while let (Some(scope), Some(entry)) = (fields.next(), fields.next()) {
            let (name, value) = entry.split_once('\n').unwrap_or((entry, ""));
            let Some(keys) = driver_keys(name) else {
                continue;
            };
            let trusted = matches!(scope, "system" | "global" | "command");
            for key in keys {
                let i = match seen.iter().position(|(k, _, _)| *k == key) {
                    Some(i) => i,
                    None => {
                        seen.push((key, None, false));
                        seen.len() - 1
                    }
                };
                if trusted {
                    if seen[i].0 == name {
                        seen[i].1 = Some(value.to_owned());
                    }
                } else {
                    seen[i].2 = true;
                }
            }
        }
        Overrides(
            seen.into_iter()
                .filter(|(_, _, untrusted)| *untrusted)
                .map(|(key, trusted, _)| {
                    let fallback = if key.ends_with(".required") {
                        "false"
                    } else {
                        ""
                    };
                    let value = trusted.unwrap_or_else(|| fallback.to_owned());
                    (key, value)
                })
                .collect(),
        )
    }

    /// Adds the overrides to `cmd`'s environment, after the settings the
    /// user's environment gives already.
    fn apply(&self, cmd: &mut Command) {
        if self.0.is_empty() {
            return;
        }
        let start: usize = std::env::var("GIT_CONFIG_COUNT")
            .ok()
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        for (i, (key, value)) in self.0.iter().enumerate() {
            cmd.env(format!("GIT_CONFIG_KEY_{}", start + i), key)
                .env(format!("GIT_CONFIG_VALUE_{}", start + i), value);
        }
        cmd.env("GIT_CONFIG_COUNT", (start + self.0.len()).to_string());
    }
}

/// The settings to override when the repository sets `name` (section and
/// key in lower case, as `git config --list` prints them): a filter's four
/// together, since a `required` filter without commands fails.
fn driver_keys(name: &str) -> Option<Vec<String>> {
    let (section, rest) = name.split_once('.')?;
    let (sub, key) = rest.rsplit_once('.')?;
    match (section, key) {
        ("filter", "clean" | "smudge" | "process" | "required") => Some(
            ["clean", "smudge", "process", "required"]
                .iter()
                .map(|k| format!("filter.{sub}.{k}"))
                .collect(),
        ),
        ("diff", "textconv" | "command") | ("merge", "driver") => Some(vec![name.to_owned()]),
        _ => None,
    }
}

/// The commit fields `git log` prints, parsed by [`Repo::parse_log`].
const LOG_FORMAT: &str = "--format=%x1e%H%x00%P%x00%ct%x00%cI%x00%aN%x00%s";

/// `git log` with the files each commit changed, as [`Repo::parse_log`]
/// reads it.
const LOG: [&str; 10] = [
    "log",
    LOG_FORMAT,
    "--raw",
    "-z",
    "--no-abbrev",
    "--no-color",
    // Never a program for a diff (the raw diff needs none anyway).
    "--no-ext-diff",
    "--no-textconv",
    // Renames found whatever the user's `diff.renames`: a file moved to
    // another account's folder is that folder's change.
    "-M",
    // The diff of the plans root only, paths relative to it. No pathspec:
    // limiting the walk to `accounts/` costs git a second tree diff per
    // commit (twice the time).
    "--relative",
];

/// A path (relative to the plans root) under `accounts/`.
fn under_accounts(path: &str) -> Option<String> {
    path.starts_with("accounts/").then(|| path.to_owned())
}

fn run(mut cmd: Command, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = cmd.args(args).output().map_err(|e| GitError {
        command: args.join(" "),
        message: e.to_string(),
    })?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError {
            command: args.join(" "),
            message: sanitize(&out.stderr),
        })
    }
}

impl Repo {
    /// Finds the repository that holds `root`: one `git rev-parse`, one
    /// `git config --list` (for the `Overrides`).
    pub(crate) fn open(root: &Path) -> Result<Repo, Unavailable> {
        // A folder with no `.git` at or above it is no repository: say so
        // without starting git (unless GIT_DIR points elsewhere).
        if std::env::var_os("GIT_DIR").is_none() && !below_dot_git(root) {
            return Err(Unavailable::NotARepository);
        }
        let out = match git(root)
            .args([
                "rev-parse",
                "--show-prefix",
                "--is-shallow-repository",
                "--git-path",
                "shallow",
                "--git-path",
                "index",
                "--absolute-git-dir",
                // Last: exit code 1, quietly, when there is no commit yet.
                "--verify",
                "-q",
                "HEAD",
            ])
            .output()
        {
            Ok(out) => out,
            Err(_) => return Err(Unavailable::NoGitCommand),
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let mut line = || lines.next();
        let (prefix, shallow, shallow_file, index, git_dir) =
            match (line(), line(), line(), line(), line()) {
                (Some(p), Some(s), Some(f), Some(i), Some(d)) => (p, s == "true", f, i, d),
                _ => {
                    let message = sanitize(&out.stderr);
                    return Err(if message.contains("not a git repository") {
                        Unavailable::NotARepository
                    } else {
                        Unavailable::Failed(message)
                    });
                }
            };
        // The repository's files hold the plans: a bare repository committed
        // inside them. git 2.38 and later refuse it already
        // (`safe.bareRepository=explicit`); older git would use it.
        if std::env::var_os("GIT_DIR").is_none()
            && let (Ok(dir), Ok(plans)) =
                (std::fs::canonicalize(git_dir), std::fs::canonicalize(root))
            && plans.starts_with(&dir)
        {
            return Err(Unavailable::Failed(format!(
                "cannot use bare repository '{}' inside the plans",
                sanitize(git_dir.as_bytes())
            )));
        }
        let head = line().unwrap_or_default().trim().to_owned();
        if !out.status.success() || head.is_empty() {
            return Err(if out.status.code() == Some(1) && out.stderr.is_empty() {
                Unavailable::NoCommits
            } else {
                Unavailable::Failed(sanitize(&out.stderr))
            });
        }
        let boundary = if shallow {
            std::fs::read_to_string(root.join(shallow_file))
                .unwrap_or_default()
                .lines()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect()
        } else {
            Vec::new()
        };
        // Without knowing the drivers to neutralise, git is not run again.
        let config = run(git(root), &["config", "-z", "--list", "--show-scope"])
            .map_err(|e| Unavailable::Failed(e.message))?;
        // `.mailmap` at the top of the work tree names the authors.
        let top = Path::new(prefix)
            .components()
            .fold(root.to_owned(), |up, _| up.join(".."));
        let mailmap = std::fs::read(top.join(".mailmap")).unwrap_or_default();
        let log_shape = crate::text::hash(&[prefix.as_bytes(), &config, &mailmap]);
        Ok(Repo {
            root: root.to_owned(),
            prefix: prefix.to_owned(),
            shallow,
            boundary,
            head,
            index: root.join(index),
            git_dir: PathBuf::from(git_dir),
            log_shape,
            partial: is_partial(&config),
            overrides: Overrides::parse(&config),
        })
    }

    /// A `git` command in the plans root, with [`SAFE`] settings and the
    /// repository's [`Overrides`].
    fn git(&self) -> Command {
        let mut cmd = git(&self.root);
        self.overrides.apply(&mut cmd);
        cmd
    }

    /// `path` (relative to the top of the work tree) relative to the plans root.
    fn local(&self, path: &str) -> Option<String> {
        path.strip_prefix(&self.prefix).map(str::to_owned)
    }

    /// `git log`'s output for every commit reachable from `HEAD` (from
    /// `HEAD` back to `since`, excluded, when given), newest first, with
    /// the files it changed ([`Repo::parse_log`] reads it).
    pub(crate) fn log(&self, since: Option<&str>) -> Result<Vec<u8>, GitError> {
        if let Some(old) = since {
            return self.log_of(&format!("{old}..{}", self.head));
        }
        /// Fewer commits take a git less time than starting another.
        const SHARE: usize = 1_000;
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        self.log_in(cores, SHARE)
    }

    /// The whole log read by up to `parts` gits at once, each comparing the
    /// trees of at least `share` commits, when the history has no merge
    /// (its log is then one line of commits, which splits anywhere): their
    /// logs, newest first, joined are the log, byte for byte.
    fn log_in(&self, parts: usize, share: usize) -> Result<Vec<u8>, GitError> {
        let cuts = self.cuts(parts, share)?;
        // `cut₁..HEAD`, `cut₂..cut₁`, …, then the last cut and all before.
        let mut ranges = Vec::new();
        let mut upper = self.head.clone();
        for cut in cuts {
            ranges.push(format!("{cut}..{upper}"));
            upper = cut;
        }
        ranges.push(upper);
        let logs: Vec<Result<Vec<u8>, GitError>> = std::thread::scope(|threads| {
            let older: Vec<_> = ranges[1..]
                .iter()
                .map(|range| threads.spawn(move || self.log_of(range)))
                .collect();
            let newest = self.log_of(&ranges[0]);
            std::iter::once(newest)
                .chain(
                    older
                        .into_iter()
                        .map(|part| part.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
                )
                .collect()
        });
        let mut log = Vec::new();
        for part in logs {
            log.extend_from_slice(&part?);
        }
        Ok(log)
    }

    /// `git log` of the commits `revisions` names, with the files each
    /// changed.
    fn log_of(&self, revisions: &str) -> Result<Vec<u8>, GitError> {
        let mut args = LOG.to_vec();
        args.extend([revisions, "--"]);
        run(self.git(), &args)
    }

    /// The commits that cut the history of `HEAD` into at most `parts`
    /// runs of equal length, each at least `share` commits, newest first;
    /// none when the history has a merge (or for one part: git is not run).
    fn cuts(&self, parts: usize, share: usize) -> Result<Vec<String>, GitError> {
        if parts < 2 {
            return Ok(Vec::new());
        }
        let out = run(self.git(), &["rev-list", "--parents", &self.head, "--"])?;
        let text = String::from_utf8_lossy(&out);
        let commits: Vec<&str> = text.lines().collect();
        if commits.iter().any(|c| c.split(' ').count() > 2) {
            return Ok(Vec::new());
        }
        let parts = parts.min(commits.len() / share.max(1)).max(1);
        Ok((1..parts)
            .filter_map(|i| commits[i * commits.len() / parts].split(' ').next())
            .map(str::to_owned)
            .collect())
    }

    /// The newest commits of [`Repo::log`], read until `enough`, told of
    /// each batch of commits read, says so; git is then stopped.
    pub(crate) fn log_until(
        &self,
        mut enough: impl FnMut(&[Commit]) -> bool,
    ) -> Result<Vec<Commit>, GitError> {
        let mut commits = Vec::new();
        let mut args = LOG.to_vec();
        args.push("--");
        self.stream(&args, |done| {
            let before = commits.len();
            commits.extend(Repo::parse_log(done));
            commits.len() > before && enough(&commits[before..])
        })?;
        Ok(commits)
    }

    /// Walks the newest run of commits of the log in which each commit has
    /// one parent, the commit listed next, and a committer date that
    /// `recent` accepts. Every difference between `HEAD` and the commit
    /// before the part walked (the base) was made by recent commits: `at`
    /// is told the base after `first`, `2 × first`, `4 × first`… commits
    /// and at the end of the run, until it answers that it has seen enough.
    pub(crate) fn recent_bases(
        &self,
        recent: impl Fn(Date) -> bool,
        first: usize,
        mut at: impl FnMut(&str) -> Result<bool, GitError>,
    ) -> Result<(), GitError> {
        let (mut expected, mut walked, mut next) = (self.head.clone(), 0, first.max(1));
        // The last answer (`Ok(false)`: go on), and how far the walk was then.
        let (mut answer, mut told_at) = (Ok(false), 0);
        let args = [
            "log",
            "--format=%x1e%H%x00%P%x00%cI",
            "-z",
            "--no-color",
            "--",
        ];
        self.stream(&args, |done| {
            for record in done.split(|&b| b == 0x1e).filter(|r| !r.is_empty()) {
                let text = String::from_utf8_lossy(record);
                let mut fields = text.trim_matches(['\0', '\n']).split('\0');
                let (Some(id), Some(parents), Some(iso)) =
                    (fields.next(), fields.next(), fields.next())
                else {
                    return true;
                };
                let mut parents = parents.split(' ').filter(|p| !p.is_empty());
                let (Some(parent), None) = (parents.next(), parents.next()) else {
                    return true;
                };
                let date = iso.get(..10).and_then(|d| Date::parse(d).ok());
                if id != expected || !date.is_some_and(&recent) {
                    return true;
                }
                expected = parent.to_owned();
                walked += 1;
                if walked == next {
                    next *= 2;
                    (answer, told_at) = (at(&expected), walked);
                    if !matches!(answer, Ok(false)) {
                        return true;
                    }
                }
            }
            false
        })?;
        match answer {
            // The end of the run, unless it was just told.
            Ok(false) if walked > told_at => at(&expected).map(drop),
            answer => answer.map(drop),
        }
    }

    /// The paths under `accounts/` (relative to the plans root) that are at
    /// `HEAD` and not as they were at commit `base`: added, changed, or
    /// of another type. Deleted paths are not listed.
    pub(crate) fn written_since(&self, base: &str) -> Result<Vec<String>, GitError> {
        let head = self.head.as_str();
        let args = [
            "diff-tree",
            "-r",
            "-z",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--relative",
            base,
            head,
            "--",
        ];
        let out = run(self.git(), &args)?;
        let text = String::from_utf8_lossy(&out);
        let mut tokens = text.split('\0');
        let mut paths = Vec::new();
        while let Some(meta) = tokens.next() {
            let Some(raw) = meta.strip_prefix(':') else {
                continue;
            };
            let path = tokens.next().unwrap_or_default();
            if !raw.ends_with(" D") {
                paths.extend(under_accounts(path));
            }
        }
        Ok(paths)
    }

    /// Runs git with `args`, its output handed to `enough` a run of whole
    /// records (each begun by byte 0x1e) at a time, until `enough` says so
    /// (git is then stopped) or the output ends (the rest is handed over).
    fn stream(&self, args: &[&str], mut enough: impl FnMut(&[u8]) -> bool) -> Result<(), GitError> {
        let error = |e: std::io::Error| GitError {
            command: args[0].into(),
            message: e.to_string(),
        };
        let mut child = self
            .git()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(error)?;
        let (Some(mut stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(error(std::io::Error::other("no pipes")));
        };
        let mut pending = Vec::new();
        let mut chunk = vec![0; 1 << 16];
        loop {
            let n = stdout.read(&mut chunk).map_err(error)?;
            if n == 0 {
                break;
            }
            pending.extend_from_slice(&chunk[..n]);
            // The records before the last one begun are complete.
            let Some(cut) = memchr::memrchr(0x1e, &pending).filter(|&c| c > 0) else {
                continue;
            };
            let done: Vec<u8> = pending.drain(..cut).collect();
            if enough(&done) {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(());
            }
        }
        enough(&pending);
        let mut said = Vec::new();
        let _ = stderr.read_to_end(&mut said);
        match child.wait() {
            Ok(status) if status.success() => {}
            Ok(_) => {
                return Err(GitError {
                    command: args[0].into(),
                    message: sanitize(&said),
                });
            }
            Err(e) => return Err(error(e)),
        }
        Ok(())
    }

    /// Whether `HEAD` is `old` with commits of one parent each on top (the
    /// log since `old` then continues with `old`'s log, as git would walk
    /// it); `false` when `old` is gone, elsewhere, or merged into `HEAD`.
    pub(crate) fn extends(&self, old: &str) -> bool {
        let range = format!("{old}..{}", self.head);
        let Ok(out) = run(self.git(), &["rev-list", "--parents", &range, "--"]) else {
            return false;
        };
        let text = String::from_utf8_lossy(&out);
        let mut expect = self.head.as_str();
        for line in text.lines() {
            let mut ids = line.split(' ');
            let (Some(id), Some(parent), None) = (ids.next(), ids.next(), ids.next()) else {
                return false;
            };
            if id != expect {
                return false;
            }
            expect = parent;
        }
        expect == old
    }

    /// The commits of `git log` output `out` (see [`Repo::log`]) that
    /// changed anything under `accounts/`.
    pub(crate) fn parse_log(out: &[u8]) -> Vec<Commit> {
        let text = String::from_utf8_lossy(out);
        let mut tokens = text.split('\0').peekable();
        let mut commits: Vec<Commit> = Vec::new();
        while let Some(token) = tokens.next() {
            let token = token.trim_start_matches('\n');
            if let Some(id) = token.strip_prefix('\u{1e}') {
                let mut field = || tokens.next().unwrap_or_default().to_owned();
                let parents = field();
                let time: i64 = field().parse().unwrap_or(0);
                let iso = field();
                let author = field();
                let subject = field();
                let date = iso
                    .get(..10)
                    .and_then(|d| Date::parse(d).ok())
                    .unwrap_or_else(|| Date::from_days_since_epoch(time.div_euclid(86_400)));
                commits.push(Commit {
                    id: id.to_owned(),
                    parentless: parents.trim().is_empty(),
                    time,
                    date,
                    author,
                    subject,
                    changes: Vec::new(),
                });
            } else if let Some(raw) = token.strip_prefix(':') {
                // `:old_mode new_mode old_blob new_blob STATUS`, then the path(s).
                let parts: Vec<&str> = raw.split(' ').collect();
                let blob = parts.get(3).copied().unwrap_or_default().to_owned();
                let status = parts.get(4).and_then(|s| s.chars().next()).unwrap_or('M');
                let first = tokens.next().unwrap_or_default();
                let (from, path) = if matches!(status, 'R' | 'C') {
                    (Some(first), tokens.next().unwrap_or_default())
                } else {
                    (None, first)
                };
                let Some(path) = under_accounts(path) else {
                    continue;
                };
                if let Some(c) = commits.last_mut() {
                    let from = from.and_then(under_accounts);
                    let status = if status == 'R' && from.is_none() {
                        'A'
                    } else {
                        status
                    };
                    c.changes.push(FileChange {
                        status,
                        blob,
                        path,
                        from,
                    });
                }
            }
        }
        commits.retain(|c| !c.changes.is_empty());
        commits
    }

    /// Paths under `accounts/` (relative to the plans root) that differ
    /// from `HEAD` in the index or the work tree, or are untracked.
    pub(crate) fn status(&self) -> Result<Vec<(String, String)>, GitError> {
        self.status_of(&["accounts".to_owned()])
    }

    /// [`Repo::status`] of the paths `paths` (relative to the plans root) only.
    pub(crate) fn status_of(&self, paths: &[String]) -> Result<Vec<(String, String)>, GitError> {
        let mut args = vec![
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--no-renames",
            // A submodule's own configuration is not read.
            "--ignore-submodules=all",
            "--",
        ];
        args.extend(paths.iter().map(String::as_str));
        let out = run(self.git(), &args)?;
        let text = String::from_utf8_lossy(&out);
        Ok(text
            .split('\0')
            .filter(|e| e.len() > 3)
            .filter_map(|e| {
                let (code, path) = e.split_at(3);
                Some((code.trim().to_owned(), self.local(path)?))
            })
            .collect())
    }

    /// The full commit id of `rev`.
    pub(crate) fn resolve(&self, rev: &str) -> Result<String, GitError> {
        let not_a_commit = || GitError {
            command: format!("rev-parse {rev}"),
            message: format!("`{rev}` is not a commit in this repository"),
        };
        if rev.starts_with('-') || rev.is_empty() {
            return Err(not_a_commit());
        }
        let spec = format!("{rev}^{{commit}}");
        let out =
            run(self.git(), &["rev-parse", "--verify", "-q", &spec]).map_err(|_| not_a_commit())?;
        Ok(String::from_utf8_lossy(&out).trim().to_owned())
    }

    /// The committer date, author and subject of `commit`.
    pub(crate) fn describe(&self, commit: &str) -> Result<(Date, String, String), GitError> {
        let out = run(
            self.git(),
            &[
                "show",
                "-s",
                "--no-ext-diff",
                "--no-textconv",
                "--format=%cI%x00%aN%x00%s",
                commit,
                "--",
            ],
        )?;
        let text = String::from_utf8_lossy(&out);
        let mut parts = text.trim_end_matches('\n').splitn(3, '\0');
        let iso = parts.next().unwrap_or_default();
        let date = Date::parse(iso.get(..10).unwrap_or_default()).map_err(|message| GitError {
            command: format!("show {commit}"),
            message: message.render(crate::config::Language::En),
        })?;
        Ok((
            date,
            parts.next().unwrap_or_default().to_owned(),
            parts.next().unwrap_or_default().to_owned(),
        ))
    }

    /// The files under `accounts/` at `commit`: path (relative to the plans
    /// root) and blob id.
    pub(crate) fn tree(&self, commit: &str) -> Result<Vec<(String, String)>, GitError> {
        let out = run(
            self.git(),
            &[
                "ls-tree",
                "-r",
                "-z",
                "--full-name",
                commit,
                "--",
                "accounts",
            ],
        )?;
        let text = String::from_utf8_lossy(&out);
        Ok(text
            .split('\0')
            .filter_map(|e| {
                let (meta, path) = e.split_once('\t')?;
                let mut parts = meta.split(' ');
                let (_, kind, blob) = (parts.next()?, parts.next()?, parts.next()?);
                (kind == "blob").then_some(())?;
                Some((self.local(path)?, blob.to_owned()))
            })
            .collect())
    }

    /// A `git cat-file --batch` that reads blobs; with `contents` false, a
    /// `git cat-file --batch-check` that only says which exist.
    pub(crate) fn cat_file(&self, contents: bool) -> Result<CatFile, GitError> {
        let error = cat_file_error;
        let batch = if contents { "--batch" } else { "--batch-check" };
        let mut child = self
            .git()
            .args(["cat-file", batch])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(error)?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(error(std::io::Error::other("no pipes")));
        };
        Ok(CatFile {
            child,
            contents,
            stdin: Some(stdin),
            stdout: BufReader::with_capacity(1 << 16, stdout),
        })
    }
}

/// A running `git cat-file --batch` (or `--batch-check`).
#[derive(Debug)]
pub(crate) struct CatFile {
    child: std::process::Child,
    /// `--batch`: each answer is followed by the object's content.
    contents: bool,
    stdin: Option<std::process::ChildStdin>,
    stdout: BufReader<std::process::ChildStdout>,
}

impl CatFile {
    /// Asks git for the blobs `names` (one name a line: a name holding a
    /// line break would ask for two, so none is sent).
    fn ask<'n>(&mut self, names: &[&'n str]) -> Result<Vec<&'n str>, GitError> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| cat_file_error(std::io::Error::other("closed")))?;
        let asked: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !n.contains(['\n', '\r']))
            .collect();
        let mut lines = String::with_capacity(asked.len() * 41);
        for name in &asked {
            lines.push_str(name);
            lines.push('\n');
        }
        stdin
            .write_all(lines.as_bytes())
            .and_then(|()| stdin.flush())
            .map_err(cat_file_error)?;
        Ok(asked)
    }

    /// git's answer to one name: the content of a blob (empty without
    /// `contents`), `None` for anything else (missing, ambiguous, not a blob).
    fn answer(&mut self) -> Result<Option<Vec<u8>>, GitError> {
        let mut header = String::new();
        if self.stdout.read_line(&mut header).map_err(cat_file_error)? == 0 {
            return Err(cat_file_error(std::io::Error::other("git stopped")));
        }
        // `<oid> <type> <size>` or `<name> missing` / `ambiguous`.
        let parts: Vec<&str> = header.trim_end().split(' ').collect();
        let (kind, size) = match parts.as_slice() {
            [_, kind, size] => match size.parse::<usize>() {
                Ok(size) => (*kind, size),
                Err(_) => return Ok(None),
            },
            _ => return Ok(None),
        };
        if !self.contents {
            return Ok((kind == "blob").then(Vec::new));
        }
        // The content, then a line break.
        let mut content = vec![0; size + 1];
        self.stdout
            .read_exact(&mut content)
            .map_err(cat_file_error)?;
        content.truncate(size);
        Ok((kind == "blob").then_some(content))
    }

    /// Closes git's input, as if git had stopped (for tests of what follows).
    #[cfg(test)]
    pub(crate) fn close(&mut self) {
        drop(self.stdin.take());
    }

    /// The contents of the blobs `names` that exist (empty without
    /// `contents`), by name. The names go
    /// to git in batches, each answered in one go (fewer round trips), small
    /// enough that git never waits for us to read while we write.
    pub(crate) fn blobs(&mut self, names: &[String]) -> Result<HashMap<String, Vec<u8>>, GitError> {
        /// 64 names of 41 bytes: within the smallest pipe buffer (4 KiB).
        const BATCH: usize = 64;
        let mut out = HashMap::new();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        for batch in names.chunks(BATCH) {
            for name in self.ask(batch)? {
                if let Some(content) = self.answer()? {
                    out.insert(name.to_owned(), content);
                }
            }
        }
        Ok(out)
    }
}

fn cat_file_error(e: std::io::Error) -> GitError {
    GitError {
        command: "cat-file --batch".into(),
        message: e.to_string(),
    }
}

impl Drop for CatFile {
    fn drop(&mut self) {
        // Closing its input ends it.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_clone_is_told_by_its_settings() {
        let listed = |entries: &[&str]| entries.join("\0").into_bytes();
        assert!(!is_partial(&listed(&["local", "core.bare\nfalse"])));
        assert!(is_partial(&listed(&[
            "local",
            "remote.origin.promisor\ntrue"
        ])));
        assert!(is_partial(&listed(&["local", "remote.Origin.Promisor"])));
        assert!(is_partial(&listed(&[
            "local",
            "extensions.partialClone\norigin"
        ])));
        assert!(!is_partial(&listed(&[
            "local",
            "remote.origin.promisor\nfalse"
        ])));
        assert!(!is_partial(&listed(&[
            "local",
            "remote.origin.url\npromisor"
        ])));
    }

    #[test]
    fn drivers_set_by_the_repository_are_overridden_and_the_users_kept() {
        let listed = "system\0filter.lfs.clean\ngit-lfs clean -- %f\0\
                      global\0filter.lfs.required\ntrue\0\
                      global\0diff.tool.textconv\nmine\0\
                      local\0core.bare\nfalse\0\
                      local\0filter.lfs.clean\nevil\0\
                      local\0filter.a=b.process\nevil\0\
                      worktree\0diff.evil.command\nevil\0\
                      local\0merge.evil.driver\0\
                      command\0core.fsmonitor\nfalse\0";
        let Overrides(found) = Overrides::parse(listed.as_bytes());
        let found: Vec<(&str, &str)> = found.iter().map(|(k, v)| (&**k, &**v)).collect();
        assert_eq!(
            found,
            [
                // The user's own filter, in place of the repository's.
                ("filter.lfs.clean", "git-lfs clean -- %f"),
                ("filter.lfs.smudge", ""),
                ("filter.lfs.process", ""),
                ("filter.lfs.required", "true"),
                ("filter.a=b.clean", ""),
                ("filter.a=b.smudge", ""),
                ("filter.a=b.process", ""),
                ("filter.a=b.required", "false"),
                ("diff.evil.command", ""),
                ("merge.evil.driver", ""),
            ]
        );
        // Nothing to override: no variable is set.
        let mut cmd = Command::new("git");
        Overrides::default().apply(&mut cmd);
        assert_eq!(cmd.get_envs().count(), 0);
    }

    #[test]
    fn gits_messages_are_fit_for_a_terminal() {
        assert_eq!(
            sanitize(b"fatal: bad '\x1b[31mred\x1b[0m'\r\n\nhint: a\tb \xe2\x80\xae!\n"),
            "fatal: bad '\\u{1b}[31mred\\u{1b}[0m'; hint: a\\u{9}b \\u{202e}!"
        );
        let long = sanitize("é".repeat(600).as_bytes());
        assert_eq!(long.chars().count(), 501);
        assert!(long.ends_with('…'));
    }

    /// The log of a history without merges, read in parts by several gits,
    /// is the log read whole, byte for byte; a history with a merge is read
    /// whole.
    #[test]
    fn a_log_read_in_parts_is_the_whole_log() {
        use crate::history::tests::git;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("accounts/a")).unwrap();
        git(root, "2026-01-05", &["init", "-q", "-b", "main"]);
        for day in 1..=7 {
            let date = format!("2026-02-{day:02}");
            let plan = format!("account: {{name: A{day}}}\n");
            std::fs::write(root.join("accounts/a/plan.yaml"), plan).unwrap();
            std::fs::write(root.join(format!("accounts/a/v{day}.md")), "# V\n").unwrap();
            git(root, &date, &["add", "-A"]);
            git(root, &date, &["commit", "-q", "-m", &date]);
        }
        let repo = Repo::open(root).unwrap();
        let whole = repo.log_of(&repo.head).unwrap();
        assert_eq!(Repo::parse_log(&whole).len(), 7);
        // Three parts of two commits or more, two of three or more, one.
        for (parts, share, cuts) in [(3, 2, 2), (5, 3, 1), (3, 4, 0), (1, 1, 0)] {
            let found = repo.cuts(parts, share).unwrap();
            assert_eq!(found.len(), cuts, "{parts} parts of {share}");
            assert_eq!(repo.log_in(parts, share).unwrap(), whole, "{parts} parts");
        }
        git(
            root,
            "2026-03-01",
            &["checkout", "-q", "-b", "side", "HEAD~2"],
        );
        std::fs::write(root.join("accounts/a/side.md"), "# S\n").unwrap();
        git(root, "2026-03-01", &["add", "-A"]);
        git(root, "2026-03-01", &["commit", "-q", "-m", "side"]);
        git(root, "2026-03-02", &["checkout", "-q", "main"]);
        git(
            root,
            "2026-03-02",
            &["merge", "-q", "--no-ff", "side", "-m", "merge"],
        );
        let repo = Repo::open(root).unwrap();
        assert!(repo.cuts(3, 1).unwrap().is_empty());
        assert_eq!(repo.log_in(3, 1).unwrap(), repo.log_of(&repo.head).unwrap());
    }

    #[test]
    fn log_output_is_parsed_with_renames() {
        let z = "0000000000000000000000000000000000000000";
        let raw = format!(
            "\u{1e}c2\0p1\01767578400\02026-01-05T10:00:00+08:00\0张伟\0two\0\n\
             :100644 100644 {z} b2 M\0accounts/b/plan.yaml\0\
             :100644 100644 b1 b1 R100\0accounts/a/plan.yaml\0accounts/c/plan.yaml\0\
             :100644 100644 b1 b9 M\0templates/x.html\0\
             \u{1e}c3\0c1\01767540000\02026-01-04T20:00:00+00:00\0A\0elsewhere\0\n\
             :100644 100644 b1 b9 M\0kaplan.toml\0\
             \u{1e}c1\0\01767500000\02026-01-04T10:00:00+00:00\0A\0one\0\n\
             :000000 100644 {z} b1 A\0accounts/a/plan.yaml\0"
        );
        let commits = Repo::parse_log(raw.as_bytes());
        assert_eq!(commits.len(), 2);
        assert_eq!(commits[0].author, "张伟");
        assert_eq!(commits[0].date.to_string(), "2026-01-05");
        assert!(!commits[0].parentless);
        assert_eq!(commits[0].changes.len(), 2);
        assert_eq!(commits[0].changes[1].status, 'R');
        assert_eq!(commits[0].changes[1].path, "accounts/c/plan.yaml");
        assert_eq!(
            commits[0].changes[1].from.as_deref(),
            Some("accounts/a/plan.yaml")
        );
        assert!(commits[1].parentless);
        assert_eq!(commits[1].changes[0].status, 'A');
        assert_eq!(commits[1].changes[0].blob, "b1");
    }
}
