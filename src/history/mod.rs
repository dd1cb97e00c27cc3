//! History: what git knows about each plan — when it last changed and by
//! whom, what changed since the last review, and how its figures evolved —
//! and `kaplan diff`, the plans' changes between two revisions.
//!
//! One job a module: [`git`] runs the `git` command (a few processes per
//! run, whatever the repository's size); [`Scan`] reads each account's
//! last change, plan versions and uncommitted work from the log and the
//! status; [`Enricher`] adds what the dossier shows beyond dates
//! (`plan/stale`, the changes since the last review, the trend), checking
//! older versions of a plan as the working tree is checked; [`diff`]
//! compares two versions of an account in the plan's own terms (pure
//! functions); [`compare()`] pairs the accounts of two revisions for
//! `kaplan diff`, and [`report`] prints that comparison for people (human),
//! pull requests (Markdown) and tools (JSON). What is worth keeping
//! between reads ([`Memo`], [`VersionCache`]) is kept by the caller (`serve`)
//! and, between runs, in the history cache ([`cache`]).
//!
//! Without git — a plain folder, a repository without commits, a file not
//! yet committed — nothing fails: the history says what is missing, and
//! `plan/stale` stays silent; a repository git cannot read (corrupt,
//! refused) is also a warning on stderr ([`Source::warning`]). In a
//! shallow clone, dates on the boundary commit are upper bounds ("on or
//! before"), and what lies beyond it is reported as missing.

mod cache;
mod compare;
pub(crate) mod diff;
pub(crate) mod enrich;
pub(crate) mod git;
pub mod report;
mod scan;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use thiserror::Error;

use crate::model::Date;

pub use compare::{AccountDiff, AccountStatus, Comparison, Side, compare};
pub(crate) use enrich::{
    ChangesSince, Enriched, Enricher, Since, TrendPoint, VersionCache, fresh_since, stale,
};
pub(crate) use git::{GitError, Unavailable};
pub(crate) use scan::{Memo, Scan};

/// A commit, as the site and the diff show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CommitInfo {
    /// The full commit id.
    pub(crate) id: String,
    /// Its first seven characters.
    pub(crate) short: String,
    /// Committer date.
    pub(crate) date: Date,
    /// Author name.
    pub(crate) author: String,
    /// First line of the message.
    pub(crate) subject: String,
    /// A shallow clone's boundary commit: its changes include everything
    /// before it, so its date is an upper bound.
    pub(crate) boundary: bool,
}

impl CommitInfo {
    fn new(c: &git::Commit, repo: &git::Repo) -> CommitInfo {
        CommitInfo {
            short: c.id.chars().take(7).collect(),
            id: c.id.clone(),
            date: c.date,
            author: c.author.clone(),
            subject: c.subject.clone(),
            boundary: c.parentless && repo.boundary.contains(&c.id),
        }
    }
}

/// Whether history could be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Source {
    /// Not read (the history is not needed, or not asked for).
    #[default]
    NotRead,
    /// No history: why.
    Unavailable(Unavailable),
    /// Read from git.
    Git {
        /// A shallow clone: history beyond its boundary is missing.
        shallow: bool,
    },
}

impl Source {
    /// The warning `check`, `build` and `serve` print when the plans are in
    /// a git repository whose history cannot be read (git failed, the
    /// repository is corrupt or refused, git is missing); `None` when
    /// history was read, or when there is none to read (a plain folder, a
    /// repository without commits), which is normal.
    pub(crate) fn warning(&self) -> Option<String> {
        match self {
            Source::Unavailable(u @ (Unavailable::Failed(_) | Unavailable::NoGitCommand)) => {
                Some(format!(
                    "warning: the plans' history is unavailable ({u}); the pages say so, and `plan/stale` is silent"
                ))
            }
            _ => None,
        }
    }
}

impl History {
    /// The warnings `check` and `build` print about the history: the
    /// source's ([`Source::warning`]), and plans whose committed versions
    /// could not all be read (once enriched, [`Enricher`]).
    pub fn warnings(&self) -> Vec<String> {
        let mut out: Vec<String> = self.source.warning().into_iter().collect();
        let unread = self.accounts.values().filter(|a| a.unread).count();
        if unread > 0 {
            let plans = if unread == 1 { "plan" } else { "plans" };
            out.push(format!(
                "warning: git could not read some committed versions of {unread} {plans} (missing or corrupt objects, as in a partial clone); their trends and changes since the last review are incomplete, and their pages say so"
            ));
        }
        out
    }
}

/// One committed version of a plan.
#[derive(Debug, Clone)]
pub(crate) struct PlanVersion {
    /// The commit that wrote it.
    pub(crate) commit: CommitInfo,
    /// The blob of `plan.yaml`.
    pub(crate) blob: String,
}

/// What git knows about one account.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountHistory {
    /// The newest commit that changed any file of the account folder.
    pub(crate) last_change: Option<CommitInfo>,
    /// The account's folder is changed in the work tree or index (or has
    /// files that are not committed).
    pub(crate) uncommitted: bool,
    /// Older names of the account's folder, newest first.
    pub(crate) renamed_from: Vec<String>,
    /// Committed versions of `plan.yaml`, newest first.
    pub(crate) versions: Vec<PlanVersion>,
    /// Filled by [`Enricher`]: what changed since the last review (shared
    /// with `serve`'s cache, like the trend).
    pub(crate) changes: Option<Arc<ChangesSince>>,
    /// Filled by [`Enricher`]: the figures over time, oldest first.
    pub(crate) trend: Arc<[TrendPoint]>,
    /// Filled by [`Enricher`]: some committed versions of the plan could not
    /// be read from git (missing or corrupt objects, as in a partial
    /// clone), so the trend and the changes may be incomplete.
    pub(crate) unread: bool,
}

impl AccountHistory {
    /// What the pages about all accounts read of it, which a build keeps
    /// once the account's dossier is written: the last change, and whether
    /// versions were unread (the run's warning); no versions, trend or
    /// changes.
    pub(crate) fn portfolio_view(&self) -> AccountHistory {
        AccountHistory {
            last_change: self.last_change.clone(),
            uncommitted: self.uncommitted,
            unread: self.unread,
            ..AccountHistory::default()
        }
    }

    /// Whether `plan.yaml` was ever committed.
    pub(crate) fn committed(&self) -> bool {
        !self.versions.is_empty()
    }

    /// Days without a committed change, when that is known: `None` for
    /// uncommitted work (the plan is being changed) and for plans never
    /// committed. On a shallow boundary the true figure is at least this.
    pub(crate) fn unchanged_days(&self, today: Date) -> Option<i64> {
        if self.uncommitted {
            return None;
        }
        Some(self.last_change.as_ref()?.date.days_until(today))
    }

    /// This history's [`HistoryKey`].
    pub(crate) fn key(&self) -> HistoryKey {
        HistoryKey {
            last: self.last_change.as_ref().map(|c| c.id.clone()),
            uncommitted: self.uncommitted,
            versions: self.versions.len(),
        }
    }

    /// Whether `key` is this history's key (without building one).
    pub(crate) fn has_key(&self, key: &HistoryKey) -> bool {
        key.uncommitted == self.uncommitted
            && key.versions == self.versions.len()
            && key.last.as_deref() == self.last_change.as_ref().map(|c| c.id.as_str())
    }
}

/// What a dossier shows of an account's history can change only when this
/// does: the newest commit, uncommitted work, the number of plan versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HistoryKey {
    last: Option<String>,
    uncommitted: bool,
    versions: usize,
}

/// What git knows about the plans repository.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Whether history could be read.
    pub(crate) source: Source,
    /// Per account id.
    pub(crate) accounts: BTreeMap<String, AccountHistory>,
    /// `kaplan build --since REV`: the revision and its commit.
    pub(crate) since: Option<(String, CommitInfo)>,
}

impl History {
    /// The history of account `id`, when git has one.
    pub(crate) fn account(&self, id: &str) -> Option<&AccountHistory> {
        self.accounts.get(id)
    }
}

/// A failure to read history that the user asked for (`kaplan diff`,
/// `kaplan build --since`).
#[derive(Debug, Error)]
pub enum HistoryError {
    /// There is no history to read.
    #[error("{0}")]
    Unavailable(Unavailable),
    /// A git command failed.
    #[error(transparent)]
    Git(#[from] GitError),
    /// The working tree's plans, compared with a revision, cannot be read.
    #[error(transparent)]
    Load(#[from] crate::load::LoadError),
    /// A revision is not in a shallow clone.
    #[error("`{rev}` is not in this shallow clone: fetch more history (`git fetch --unshallow`)")]
    Shallow {
        /// The revision.
        rev: String,
    },
}

/// The commit `rev` names.
fn commit_info(repo: &git::Repo, rev: &str) -> Result<CommitInfo, HistoryError> {
    let id = repo.resolve(rev).map_err(|e| {
        if repo.shallow {
            HistoryError::Shallow {
                rev: rev.to_owned(),
            }
        } else {
            HistoryError::Git(e)
        }
    })?;
    let (date, author, subject) = repo.describe(&id)?;
    Ok(CommitInfo {
        short: id.chars().take(7).collect(),
        boundary: repo.boundary.contains(&id),
        id,
        date,
        author,
        subject,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::Config;
    use crate::pipeline::AccountReport;
    use std::path::Path;
    use std::process::Command;

    /// Runs git in `root` with a fixed identity and date.
    pub(crate) fn git(root: &Path, date: &str, args: &[&str]) {
        let stamp = format!("{date}T12:00:00+00:00");
        let ok = Command::new("git")
            .current_dir(root)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "A")
            .env("GIT_AUTHOR_EMAIL", "a@example.com")
            .env("GIT_COMMITTER_NAME", "A")
            .env("GIT_COMMITTER_EMAIL", "a@example.com")
            .env("GIT_AUTHOR_DATE", &stamp)
            .env("GIT_COMMITTER_DATE", &stamp)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "git {args:?}");
    }

    fn plan(amount: u32) -> String {
        format!(
            "account: {{name: A, owner: a}}\nperiod: {{start: 2026-01-01, end: 2026-12-31}}\nteam: [{{id: a, name: A}}]\ncosts: [{{amount: 100}}]\nreturns: [{{amount: {amount}}}]\nreview: {{last_reviewed: 2026-02-01}}\n"
        )
    }

    /// A repository with account `a`, its plan committed twice.
    pub(super) fn two_versions() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("accounts/a")).unwrap();
        git(root, "2026-01-05", &["init", "-q"]);
        for (date, amount) in [("2026-01-05", 300), ("2026-03-01", 500)] {
            std::fs::write(root.join("accounts/a/plan.yaml"), plan(amount)).unwrap();
            git(root, date, &["add", "-A"]);
            git(root, date, &["commit", "-q", "-m", "x"]);
        }
        dir
    }

    /// What one process keeps between reads of the history, as `serve` does.
    #[derive(Default)]
    pub(super) struct Kept {
        memo: Memo,
        versions: VersionCache,
    }

    impl Kept {
        /// The repository the last read read.
        pub(super) fn repo(&self) -> Option<&git::Repo> {
            self.memo.repo()
        }
    }

    /// The day the tests check the plans on.
    pub(super) fn today() -> Date {
        Date::parse("2026-06-30").unwrap()
    }

    /// The plans under `root`, checked, and their history read and
    /// enriched, reusing and updating what `kept` holds.
    pub(super) fn read(root: &Path, kept: &mut Kept) -> (History, Vec<AccountReport>) {
        let (config, _) = Config::load(root).unwrap();
        let loaded = crate::load::Source::WorkTree { root, exclude: &[] }
            .load()
            .unwrap();
        let reports = crate::pipeline::check_loaded(loaded, &config, today());
        let ids: Vec<&str> = reports.iter().map(|a| a.files.id.as_str()).collect();
        let scan = Scan::start_since(root, std::mem::take(&mut kept.memo), None);
        let (mut history, memo) = scan.finish_with_memo(&ids);
        kept.memo = memo;
        let trend = kept.versions.clone();
        let repo = kept.repo();
        let enricher = Enricher::new(repo, &config, today(), &history, None, trend).unwrap();
        if let Some(e) = enricher {
            for report in &reports {
                if let Some(h) = history.accounts.get_mut(&report.files.id) {
                    e.account(h, report).apply(h);
                }
            }
        }
        (history, reports)
    }

    #[test]
    fn rebuilds_in_one_process_give_the_same_history() {
        let dir = two_versions();
        let root = dir.path();
        let kept = &mut Kept::default();
        let (first, _) = read(root, kept);
        let a = first.account("a").unwrap();
        assert_eq!(a.trend.len(), 2);
        assert_eq!(a.trend[1].expected_return, 500.0);
        assert_eq!(
            a.changes.as_ref().unwrap().changes.len(),
            3,
            "{:?}",
            a.changes
        );
        // The second time the log and the trend come from the caches.
        let (second, _) = read(root, kept);
        let b = second.account("a").unwrap();
        assert_eq!(a.trend, b.trend);
        assert_eq!(
            a.changes.as_ref().unwrap().changes,
            b.changes.as_ref().unwrap().changes
        );
        // An edit is seen at once; a commit moves HEAD and the log is read again.
        std::fs::write(root.join("accounts/a/plan.yaml"), plan(800)).unwrap();
        let (third, _) = read(root, kept);
        let c = third.account("a").unwrap();
        assert!(c.uncommitted);
        assert_eq!(c.trend.len(), 3);
        git(root, "2026-04-01", &["commit", "-q", "-am", "y"]);
        let (fourth, _) = read(root, kept);
        let d = fourth.account("a").unwrap();
        assert!(!d.uncommitted);
        assert_eq!(d.versions.len(), 3);
        assert_eq!(
            d.last_change.as_ref().unwrap().date.to_string(),
            "2026-04-01"
        );
    }

    /// Every account's history as `build` reads it, through the history
    /// cache (`persist`, then saved as `build` saves it) or without it.
    fn read_through_cache(root: &Path, persist: bool) -> String {
        let (config, _) = Config::load(root).unwrap();
        let loaded = crate::load::Source::WorkTree { root, exclude: &[] }
            .load()
            .unwrap();
        let reports = crate::pipeline::check_loaded(loaded, &config, today());
        let ids: Vec<&str> = reports.iter().map(|a| a.files.id.as_str()).collect();
        let (mut history, mut memo) = Scan::start(root, persist).finish(&ids);
        let enricher = Enricher::new(
            memo.repo(),
            &config,
            today(),
            &history,
            None,
            memo.versions(),
        );
        for report in &reports {
            if let (Some(e), Some(h)) = (
                enricher.as_ref().unwrap(),
                history.accounts.get_mut(&report.files.id),
            ) {
                e.account(h, report).apply(h);
            }
        }
        memo.save();
        format!("{:?}", history.accounts)
    }

    /// The history cache of the repository at `root`, with every trend value
    /// replaced by `x`, written as kaplan `version` would.
    fn poison(root: &Path, version: &str, x: f64) {
        let repo = git::Repo::open(root).unwrap();
        let mut stored = cache::read(&repo).unwrap();
        for v in stored.trend.values_mut() {
            *v = (x, x, x);
        }
        cache::write_as(version, &repo, &stored);
    }

    #[test]
    fn the_history_cache_changes_speed_never_results() {
        let dir = two_versions();
        let root = dir.path();
        let file = cache::path(&git::Repo::open(root).unwrap());
        let same = || {
            let cached = read_through_cache(root, true);
            assert_eq!(cached, read_through_cache(root, false));
            cached
        };
        // Cold, then warm.
        same();
        assert!(file.exists());
        same();
        // What the cache holds is used: trend values are not checked again...
        poison(root, env!("KAPLAN_VERSION"), 7.0);
        assert!(read_through_cache(root, true).contains("expected_return: 7.0"));
        // ...unless the config they were checked with changed,
        std::fs::write(root.join("kaplan.toml"), "[thresholds]\nmin_roi = 0.8\n").unwrap();
        assert!(!same().contains("expected_return: 7.0"));
        // or kaplan did.
        poison(root, "0.0.0", 7.0);
        assert!(!same().contains("expected_return: 7.0"));
        // A new commit on top; an amended one; rewritten history.
        std::fs::write(root.join("accounts/a/plan.yaml"), plan(800)).unwrap();
        git(root, "2026-04-01", &["commit", "-q", "-am", "y"]);
        assert!(same().contains("expected_return: 800.0"));
        std::fs::write(root.join("accounts/a/plan.yaml"), plan(900)).unwrap();
        git(root, "2026-04-02", &["commit", "-q", "--amend", "-am", "z"]);
        let amended = same();
        assert!(amended.contains("expected_return: 900.0") && !amended.contains("800.0"));
        git(root, "2026-04-03", &["reset", "-q", "--hard", "HEAD~2"]);
        std::fs::write(root.join("accounts/a/plan.yaml"), plan(600)).unwrap();
        git(root, "2026-04-03", &["commit", "-q", "-am", "w"]);
        let rewritten = same();
        assert!(rewritten.contains("600.0") && !rewritten.contains("500.0"));
        // A corrupt, a truncated, an empty, a foreign file: ignored, rebuilt.
        let good = std::fs::read(&file).unwrap();
        let mut flipped = good.clone();
        flipped[good.len() / 2] ^= 1;
        for bad in [
            flipped,
            good[..good.len() - 9].to_vec(),
            Vec::new(),
            b"PK\x03\x04".to_vec(),
        ] {
            std::fs::write(&file, bad).unwrap();
            same();
            assert_eq!(std::fs::read(&file).unwrap(), good);
        }
    }
}
