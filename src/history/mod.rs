//! History: what git knows about each plan — when it last changed and by
//! whom, what changed since the last review, and how its figures evolved —
//! and `kaplan diff`, the plans' changes between two revisions.
//!
//! [`git`] reads the repository with the `git` command (a few processes
//! per run, whatever its size); [`diff`] compares two versions of a plan in
//! the plan's own terms (pure functions); [`report`] prints a comparison
//! for people (human), pull requests (Markdown) and tools (JSON).
//!
//! Without git — a plain folder, a repository without commits, a file not
//! yet committed — nothing fails: the history says what is missing, and
//! `plan/stale` stays silent; a repository git cannot read (corrupt,
//! refused) is also a warning on stderr ([`Source::warning`]). In a
//! shallow clone, dates on the boundary commit are upper bounds ("on or
//! before"), and what lies beyond it is reported as missing.

pub mod diff;
pub mod git;
pub mod report;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use serde::Serialize;
use thiserror::Error;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Sink};
use crate::figures::{self, Checklist, Figures};
use crate::load::{self, Loaded};
use crate::model::{AccountFiles, Date, Span};
use crate::{AccountReport, Checked};

pub use git::{GitError, Unavailable};

/// At most this many trend samples are one per commit; longer histories
/// get one sample per month (the month's last commit).
pub const MAX_COMMIT_SAMPLES: usize = 24;

/// A commit, as the site and the diff show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitInfo {
    /// The full commit id.
    pub id: String,
    /// Its first seven characters.
    pub short: String,
    /// Committer date.
    pub date: Date,
    /// Author name.
    pub author: String,
    /// First line of the message.
    pub subject: String,
    /// A shallow clone's boundary commit: its changes include everything
    /// before it, so its date is an upper bound.
    pub boundary: bool,
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
pub enum Source {
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
    pub fn warning(&self) -> Option<String> {
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
    /// could not all be read (after [`enrich`]).
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
pub struct PlanVersion {
    /// The commit that wrote it.
    pub commit: CommitInfo,
    /// The blob of `plan.yaml`.
    pub blob: String,
}

/// What the dossier compares the plan with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Since {
    /// The plan's `review.last_reviewed`.
    Review {
        /// The review date.
        date: Date,
    },
    /// A revision given with `kaplan build --since`.
    Rev {
        /// As given.
        rev: String,
    },
}

/// What changed since the last review (or `--since`).
#[derive(Debug, Clone)]
pub struct ChangesSince {
    /// Compared with what.
    pub since: Since,
    /// The committed version compared with; `None` when the plan had no
    /// committed version then.
    pub base: Option<CommitInfo>,
    /// The changes, in the plan's terms.
    pub changes: Vec<diff::Change>,
}

/// One point of a plan's trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// The commit date (or today, for uncommitted changes).
    pub date: Date,
    /// The short commit id; `None` for the working tree.
    pub commit: Option<String>,
    /// Σ returns × probability.
    pub expected_return: f64,
    /// Σ costs.
    pub total_cost: f64,
    /// Passing or warning checklist questions / 6.
    pub completeness: f64,
}

/// What git knows about one account.
#[derive(Debug, Clone, Default)]
pub struct AccountHistory {
    /// The newest commit that changed any file of the account folder.
    pub last_change: Option<CommitInfo>,
    /// The account's folder is changed in the work tree or index (or has
    /// files that are not committed).
    pub uncommitted: bool,
    /// Older names of the account's folder, newest first.
    pub renamed_from: Vec<String>,
    /// Committed versions of `plan.yaml`, newest first.
    pub versions: Vec<PlanVersion>,
    /// Filled by [`enrich`]: what changed since the last review (shared
    /// with `serve`'s cache, like the trend).
    pub changes: Option<Arc<ChangesSince>>,
    /// Filled by [`enrich`]: the figures over time, oldest first.
    pub trend: Arc<[TrendPoint]>,
    /// Filled by [`enrich`]: some committed versions of the plan could not
    /// be read from git (missing or corrupt objects, as in a partial
    /// clone), so the trend and the changes may be incomplete.
    pub unread: bool,
}

impl AccountHistory {
    /// Whether `plan.yaml` was ever committed.
    pub fn committed(&self) -> bool {
        !self.versions.is_empty()
    }

    /// Days without a committed change, when that is known: `None` for
    /// uncommitted work (the plan is being changed) and for plans never
    /// committed. On a shallow boundary the true figure is at least this.
    pub fn unchanged_days(&self, today: Date) -> Option<i64> {
        if self.uncommitted {
            return None;
        }
        Some(self.last_change.as_ref()?.date.days_until(today))
    }

    /// This history's [`HistoryKey`].
    pub fn key(&self) -> HistoryKey {
        HistoryKey {
            last: self.last_change.as_ref().map(|c| c.id.clone()),
            uncommitted: self.uncommitted,
            versions: self.versions.len(),
        }
    }

    /// Whether `key` is this history's key (without building one).
    pub fn has_key(&self, key: &HistoryKey) -> bool {
        key.uncommitted == self.uncommitted
            && key.versions == self.versions.len()
            && key.last.as_deref() == self.last_change.as_ref().map(|c| c.id.as_str())
    }
}

/// What a dossier shows of an account's history can change only when this
/// does: the newest commit, uncommitted work, the number of plan versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryKey {
    last: Option<String>,
    uncommitted: bool,
    versions: usize,
}

/// What git knows about the plans repository.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Whether history could be read.
    pub source: Source,
    /// Per account id.
    pub accounts: BTreeMap<String, AccountHistory>,
    /// `kaplan build --since REV`: the revision and its commit.
    pub since: Option<(String, CommitInfo)>,
}

impl History {
    /// The history of account `id`, when git has one.
    pub fn account(&self, id: &str) -> Option<&AccountHistory> {
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
    /// A revision is not in a shallow clone.
    #[error("`{rev}` is not in this shallow clone: fetch more history (`git fetch --unshallow`)")]
    Shallow {
        /// The revision.
        rev: String,
    },
}

/// What `git log` and `git status` said, read in the background, and the
/// history of the accounts of the earlier read when it could be reused.
type Raw = Result<
    (
        git::Repo,
        Arc<Vec<git::Commit>>,
        Vec<(String, String)>,
        Option<Assembled>,
    ),
    Unavailable,
>;

/// The last log read, by plans root, `HEAD` and shallow boundary: `serve`
/// rebuilds on every save, and the log only changes with a commit.
type LogKey = (std::path::PathBuf, String, Vec<String>);
static LOG: Mutex<Option<(LogKey, Arc<Vec<git::Commit>>)>> = Mutex::new(None);

/// The log of `repo`, from [`LOG`] when `HEAD` has not moved.
fn log(repo: &git::Repo, root: &Path) -> Result<Arc<Vec<git::Commit>>, GitError> {
    let key = (root.to_owned(), repo.head.clone(), repo.boundary.clone());
    let cached = LOG.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((k, commits)) = cached.as_ref()
        && *k == key
    {
        return Ok(Arc::clone(commits));
    }
    drop(cached);
    let commits = Arc::new(repo.log()?);
    *LOG.lock().unwrap_or_else(PoisonError::into_inner) = Some((key, Arc::clone(&commits)));
    Ok(commits)
}

/// Trend values of plan versions already checked (account, blob, date and
/// what else the check depends on → expected return, total cost,
/// completeness), so that `serve` does not check every version again on
/// every save.
static TREND: LazyLock<Mutex<HashMap<String, TrendValues>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Expected return, total cost, completeness.
type TrendValues = (f64, f64, f64);

/// Beyond this many entries the trend cache starts over.
const TREND_CACHE_MAX: usize = 200_000;

/// A history read under way: started before the plans are loaded, so that
/// git works while kaplan reads and checks the files.
#[derive(Debug)]
pub struct Scan(std::thread::JoinHandle<(Raw, StatusMemo)>);

/// What a history read leaves for the next one (`serve` reads history on
/// every save): the work tree's status, good while `HEAD` and the index do
/// not change, and the accounts' history, good while `HEAD` does not move.
#[derive(Debug, Clone, Default)]
pub struct StatusMemo {
    /// `HEAD` and the index file's modification time and size.
    key: Option<(String, Option<(std::time::SystemTime, u64)>)>,
    status: Vec<(String, String)>,
    assembled: Option<Assembled>,
}

impl StatusMemo {
    /// The commit `HEAD` pointed at when the status was read.
    pub fn head(&self) -> Option<&str> {
        self.key.as_ref().map(|(head, _)| head.as_str())
    }
}

/// The history of accounts `ids` as the log at `HEAD` and shallow boundary
/// `log` tells it, before the work tree's status is applied.
#[derive(Debug, Clone)]
struct Assembled {
    log: (String, Vec<String>),
    ids: Vec<String>,
    history: History,
}

impl Assembled {
    /// A copy, when this was assembled from the log of `repo` as it is.
    fn copy_for(&self, repo: &git::Repo) -> Option<Assembled> {
        (self.log.0 == repo.head && self.log.1 == repo.boundary).then(|| self.clone())
    }
}

fn index_stamp(repo: &git::Repo) -> Option<(std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(&repo.index).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl Scan {
    /// Starts reading the history of `root`: one `git log`, one `git status`.
    pub fn start(root: &Path) -> Scan {
        Scan::start_since(root, None)
    }

    /// Like [`Scan::start`], after an earlier read: given its memo and the
    /// accounts whose folders changed since, `git status` looks at those
    /// folders only, unless `HEAD` or the index changed.
    pub fn start_since(root: &Path, mut earlier: Option<(StatusMemo, Vec<String>)>) -> Scan {
        let root = root.to_owned();
        Scan(std::thread::spawn(move || {
            let repo = match git::Repo::open(&root) {
                Ok(repo) => repo,
                Err(u) => return (Err(u), StatusMemo::default()),
            };
            let log = log(&repo, &root);
            let key = Some((repo.head.clone(), index_stamp(&repo)));
            let assembled = earlier.as_mut().and_then(|(memo, _)| memo.assembled.take());
            // Copied while git reads the status.
            let copy = assembled.as_ref().and_then(|a| a.copy_for(&repo));
            let status = match earlier {
                Some((memo, changed)) if memo.key == key && changed.is_empty() => Ok(memo.status),
                Some((memo, changed)) if memo.key == key => {
                    let dirs: Vec<String> =
                        changed.iter().map(|id| format!("accounts/{id}")).collect();
                    let specs: Vec<String> =
                        dirs.iter().map(|d| format!(":(literal){d}")).collect();
                    repo.status_of(&specs).map(|fresh| {
                        let inside = |path: &str| {
                            dirs.iter().any(|d| {
                                path.strip_prefix(d.as_str())
                                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                            })
                        };
                        let mut status: Vec<(String, String)> = memo
                            .status
                            .into_iter()
                            .filter(|(_, path)| !inside(path))
                            .collect();
                        status.extend(fresh);
                        status.sort_by(|a, b| a.1.cmp(&b.1));
                        status
                    })
                }
                _ => repo.status(),
            };
            // `git status` may have refreshed the index: the memo holds from here.
            let status = status.map(|status| {
                let reused = copy.map(|mut copy| {
                    mark_uncommitted(&mut copy.history, &status);
                    copy
                });
                (status, reused)
            });
            let memo = StatusMemo {
                key: Some((repo.head.clone(), index_stamp(&repo))),
                status: status.as_ref().map(|(s, _)| s.clone()).unwrap_or_default(),
                assembled,
            };
            let raw = match (log, status) {
                (Ok(c), Ok((s, reused))) => Ok((repo, c, s, reused)),
                (Err(e), _) | (_, Err(e)) => Err(Unavailable::Failed(e.message)),
            };
            (raw, memo)
        }))
    }

    /// The history of accounts `ids`. Never fails: without git, the source
    /// says why.
    pub fn finish(self, ids: &[&str]) -> History {
        self.finish_keeping(ids, false).0
    }

    /// [`Scan::finish`], and what the next read can reuse.
    pub fn finish_with_memo(self, ids: &[&str]) -> (History, StatusMemo) {
        self.finish_keeping(ids, true)
    }

    /// [`Scan::finish`]; the memo keeps the accounts' history when `keep`.
    fn finish_keeping(self, ids: &[&str], keep: bool) -> (History, StatusMemo) {
        match self.0.join() {
            Ok((Ok((_, _, _, Some(reused))), mut memo)) if reused.ids.iter().eq(ids) => {
                memo.assembled = memo.assembled.filter(|_| keep);
                (reused.history, memo)
            }
            Ok((Ok((repo, commits, status, _)), mut memo)) => {
                let mut history = assemble(&repo, &commits, ids);
                memo.assembled = keep.then(|| Assembled {
                    log: (repo.head.clone(), repo.boundary.clone()),
                    ids: ids.iter().map(|id| (*id).to_owned()).collect(),
                    history: history.clone(),
                });
                mark_uncommitted(&mut history, &status);
                (history, memo)
            }
            Ok((Err(why), _)) => (
                History {
                    source: Source::Unavailable(why),
                    ..History::default()
                },
                StatusMemo::default(),
            ),
            Err(_) => (
                History {
                    source: Source::Unavailable(Unavailable::Failed(
                        "reading history failed".into(),
                    )),
                    ..History::default()
                },
                StatusMemo::default(),
            ),
        }
    }
}

/// Reads the history of accounts `ids` under `root`: one `git log`, one
/// `git status`. Never fails: without git, the source says why.
pub fn scan(root: &Path, ids: &[&str]) -> History {
    Scan::start(root).finish(ids)
}

/// Marks the accounts with uncommitted work, from the status of the work tree.
fn mark_uncommitted(history: &mut History, status: &[(String, String)]) {
    for a in history.accounts.values_mut() {
        a.uncommitted = false;
    }
    for (_, path) in status {
        if let Some(a) = folder(path).and_then(|f| history.accounts.get_mut(f)) {
            a.uncommitted = true;
        }
    }
}

/// Each account's last change and plan versions, from the log (newest
/// first); [`mark_uncommitted`] adds the status of the work tree.
fn assemble(repo: &git::Repo, commits: &[git::Commit], ids: &[&str]) -> History {
    let mut accounts: BTreeMap<String, AccountHistory> = ids
        .iter()
        .map(|id| ((*id).to_owned(), AccountHistory::default()))
        .collect();
    // Walk back in time; `folders` maps a folder name (as it was then) to
    // the account it is today, following renames of the folder.
    let mut folders: HashMap<String, String> = ids
        .iter()
        .map(|id| ((*id).to_owned(), (*id).to_owned()))
        .collect();
    // Accounts whose plan.yaml history ended (it was added there).
    let mut plan_started: HashMap<String, bool> = HashMap::new();
    for c in commits {
        let info = std::cell::OnceCell::new();
        let info = || info.get_or_init(|| CommitInfo::new(c, repo)).clone();
        let mut renames: Vec<(String, String)> = Vec::new();
        for ch in &c.changes {
            let Some(f) = folder(&ch.path) else { continue };
            let Some(id) = folders.get(f) else {
                continue;
            };
            let Some(a) = accounts.get_mut(id) else {
                continue;
            };
            if a.last_change.is_none() {
                a.last_change = Some(info());
            }
            // `accounts/{f}/plan.yaml`, `folder` having checked the prefix.
            let is_plan = ch.path.len() == "accounts/".len() + f.len() + "/plan.yaml".len()
                && ch.path.ends_with("/plan.yaml");
            if is_plan && ch.status != 'D' && !plan_started.get(id).copied().unwrap_or(false) {
                a.versions.push(PlanVersion {
                    commit: info(),
                    blob: ch.blob.clone(),
                });
                match (ch.status, ch.from.as_deref().and_then(folder)) {
                    ('R', Some(old)) if old != f => {
                        renames.push((f.to_owned(), old.to_owned()));
                    }
                    ('A', _) | ('C', _) | ('R', _) => {
                        plan_started.insert(id.clone(), true);
                    }
                    _ => {}
                }
            } else if ch.status == 'R'
                && let Some(old) = ch.from.as_deref().and_then(folder)
                && old != f
                && !renames.iter().any(|(n, _)| n == f)
            {
                renames.push((f.to_owned(), old.to_owned()));
            }
        }
        for (new, old) in renames {
            if folders.contains_key(&old) {
                continue;
            }
            if let Some(id) = folders.remove(&new) {
                if let Some(a) = accounts.get_mut(&id) {
                    a.renamed_from.push(old.clone());
                }
                folders.insert(old, id);
            }
        }
    }
    History {
        source: Source::Git {
            shallow: repo.shallow,
        },
        accounts,
        since: None,
    }
}

/// The account folder of a path relative to the plans root.
fn folder(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("accounts/")?;
    let (f, _) = rest.split_once('/')?;
    (!f.starts_with('.')).then_some(f)
}

/// `plan/stale` for every account whose plan has not changed for longer
/// than `[thresholds] stale_days`. Silent without history.
pub fn stale(history: &History, config: &Config, today: Date) -> Vec<Diagnostic> {
    let limit = i64::from(config.thresholds.stale_days);
    let mut out = Vec::new();
    for (id, a) in &history.accounts {
        let (Some(days), Some(last)) = (a.unchanged_days(today), a.last_change.as_ref()) else {
            continue;
        };
        if days <= limit {
            continue;
        }
        let mut sink = Sink::new(id, &format!("accounts/{id}/plan.yaml"));
        let when = if last.boundary {
            format!("on or before {} (the clone is shallow)", last.date)
        } else {
            format!("on {}", last.date)
        };
        let by = if last.author.is_empty() {
            String::new()
        } else {
            format!(" by {}", last.author)
        };
        sink.emit_help(
            &crate::load::rules::STALE,
            Span::FILE,
            format!(
                "the plan was last changed {when}{by}, {days} days ago (more than `stale_days` = {limit})"
            ),
            "review the plan with the team and commit what changed; set `[thresholds] stale_days` to allow longer",
        );
        out.append(&mut sink.diagnostics);
    }
    out
}

/// A version of a plan, checked as the site checks it.
struct Evaluated {
    files: AccountFiles,
    figures: Option<Figures>,
    checklist: Checklist,
}

fn text_of(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// Checks the plan text of account `id` as of `today`, with the visits of
/// `current` dated on or before `today`.
fn evaluate(
    id: &str,
    text: &str,
    current: Option<&AccountFiles>,
    config: &Config,
    today: Date,
) -> Evaluated {
    let file = format!("accounts/{id}/plan.yaml");
    let mut sink = Sink::new(id, &file);
    let plan = load::parse_plan(text, &mut sink);
    let visits = current
        .map(|c| {
            c.visits
                .iter()
                .filter(|v| v.meta.date.as_ref().is_some_and(|d| d.value <= today))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let files = AccountFiles {
        id: id.to_owned(),
        plan,
        pages: Vec::new(),
        visits,
        masked: Default::default(),
    };
    let mut diagnostics = sink.diagnostics;
    let figures = files.plan.as_ref().map(|plan| {
        let f = figures::compute(plan, &config.thresholds, today);
        diagnostics.extend(crate::validate::check_account(
            &files, plan, &f, config, today,
        ));
        f
    });
    let diagnostics = crate::validate::finish(diagnostics, config);
    let checklist = Checklist::from_diagnostics(&diagnostics, files.plan.is_some());
    Evaluated {
        files,
        figures,
        checklist,
    }
}

/// The versions a trend samples, oldest first: every version, or for long
/// histories the last version of each month.
fn samples(versions: &[PlanVersion]) -> Vec<&PlanVersion> {
    let mut oldest_first: Vec<&PlanVersion> = versions.iter().rev().collect();
    if oldest_first.len() > MAX_COMMIT_SAMPLES {
        let month = |v: &PlanVersion| (v.commit.date.year, v.commit.date.month);
        let mut monthly: Vec<&PlanVersion> = Vec::new();
        for v in oldest_first {
            match monthly.last() {
                Some(last) if month(last) == month(v) => {
                    *monthly.last_mut().unwrap_or(&mut &*v) = v;
                }
                _ => monthly.push(v),
            }
        }
        oldest_first = monthly;
    }
    oldest_first
}

/// Reads what the site shows beyond dates: the plan versions to compare
/// with (the last review's, or `since`'s) and the trend samples, then
/// checks and compares them; every account in parallel.
pub fn enrich(checked: &mut Checked, since: Option<&str>) -> Result<(), HistoryError> {
    use rayon::prelude::*;
    let Some(enricher) = Enricher::new(checked, since)? else {
        return Ok(());
    };
    let history = &checked.history;
    let found: Vec<(String, Enriched)> = checked
        .accounts
        .par_iter()
        .filter_map(|a| {
            let id = &a.files.id;
            Some((id.clone(), enricher.account(history.account(id)?, a)))
        })
        .collect();
    checked.history.since = enricher.since.clone();
    for (id, enriched) in found {
        if let Some(a) = checked.history.accounts.get_mut(&id) {
            enriched.apply(a);
        }
    }
    Ok(())
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

/// What [`Enricher::account`] found for one account.
#[derive(Debug, Clone)]
pub struct Enriched {
    changes: Option<Arc<ChangesSince>>,
    trend: Arc<[TrendPoint]>,
    unread: bool,
}

impl Enriched {
    /// Fills in `history`'s changes and trend.
    pub fn apply(self, history: &mut AccountHistory) {
        history.changes = self.changes;
        history.trend = self.trend;
        history.unread = self.unread;
    }
}

/// What enriching single accounts needs, prepared once: the `--since`
/// revision and its tree, and a `git cat-file` to read plan versions.
pub struct Enricher {
    since: Option<(String, CommitInfo)>,
    since_blobs: HashMap<String, String>,
    config: Config,
    /// What a trend point's check depends on besides the plan: thresholds and rules.
    context: String,
    today: Date,
    blobs: Mutex<git::CatFile>,
    /// Set when reading a blob failed: the `git cat-file` may be out of step.
    failed: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Enricher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enricher")
            .field("since", &self.since)
            .finish_non_exhaustive()
    }
}

impl Enricher {
    /// Prepares enriching the accounts of `checked` (its history must be
    /// read); `None` without git history, an error when `since` cannot be
    /// used.
    pub fn new(checked: &Checked, since: Option<&str>) -> Result<Option<Enricher>, HistoryError> {
        if !matches!(checked.history.source, Source::Git { .. }) {
            if since.is_some() {
                return Err(HistoryError::Unavailable(match &checked.history.source {
                    Source::Unavailable(u) => u.clone(),
                    _ => Unavailable::NotARepository,
                }));
            }
            return Ok(None);
        }
        let repo = match git::Repo::open(&checked.root) {
            Ok(r) => r,
            Err(u) => return Err(HistoryError::Unavailable(u)),
        };
        // `--since`: the plan of each account at that revision.
        let mut since_blobs: HashMap<String, String> = HashMap::new();
        let mut since_info = None;
        if let Some(rev) = since {
            let info = commit_info(&repo, rev)?;
            let tree: HashMap<String, String> = repo.tree(&info.id)?.into_iter().collect();
            for (id, a) in &checked.history.accounts {
                let names =
                    std::iter::once(id.as_str()).chain(a.renamed_from.iter().map(String::as_str));
                for name in names {
                    if let Some(blob) = tree.get(&format!("accounts/{name}/plan.yaml")) {
                        since_blobs.insert(id.clone(), blob.clone());
                        break;
                    }
                }
            }
            since_info = Some((rev.to_owned(), info));
        }
        Ok(Some(Enricher {
            since: since_info,
            since_blobs,
            context: format!("{:?}|{:?}", checked.config.thresholds, checked.config.rules),
            config: checked.config.clone(),
            today: checked.today,
            blobs: Mutex::new(repo.cat_file()?),
            failed: std::sync::atomic::AtomicBool::new(false),
        }))
    }

    /// Whether reading a plan version failed: `serve` then makes a new
    /// enricher rather than reuse this one.
    pub fn failed(&self) -> bool {
        self.failed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Stops its `git cat-file`, as if git had died (for tests).
    #[cfg(test)]
    pub(crate) fn close_git(&self) {
        self.blobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .close();
    }

    /// The `--since` revision and its commit, for [`History::since`].
    pub fn since(&self) -> Option<&(String, CommitInfo)> {
        self.since.as_ref()
    }

    /// The changes since the last review (or `--since`) and the trend of
    /// one account. Trend points checked before (by an earlier rebuild of
    /// `serve`) are neither read nor checked again.
    pub fn account(&self, history: &AccountHistory, report: &AccountReport) -> Enriched {
        let id = report.files.id.as_str();
        let config = &self.config;
        let today = self.today;
        let base: Option<(Since, Option<&PlanVersion>)> = match &self.since {
            Some((rev, _)) => Some((Since::Rev { rev: rev.clone() }, None)),
            None => report
                .files
                .plan
                .as_ref()
                .and_then(|p| p.review.as_ref())
                .and_then(|r| r.last_reviewed.as_ref())
                .map(|d| {
                    let date = d.value;
                    (
                        Since::Review { date },
                        history.versions.iter().find(|v| v.commit.date <= date),
                    )
                }),
        };
        let context = &self.context;
        let visits: Vec<String> = report
            .files
            .visits
            .iter()
            .filter_map(|x| x.meta.date.as_ref().map(|d| d.value.to_string()))
            .collect();
        let visits = visits.join(",");
        let key =
            |v: &PlanVersion| format!("{id}\0{}\0{}\0{context}\0{visits}", v.blob, v.commit.date);
        let trend_versions = samples(&history.versions);
        let known: HashMap<String, TrendValues> = {
            let cache = TREND.lock().unwrap_or_else(PoisonError::into_inner);
            trend_versions
                .iter()
                .filter_map(|v| {
                    let k = key(v);
                    cache.get(&k).map(|x| (k, *x))
                })
                .collect()
        };
        let base_blob = match &base {
            Some((Since::Rev { .. }, _)) => self.since_blobs.get(id).cloned(),
            Some((Since::Review { .. }, version)) => version.map(|v| v.blob.clone()),
            None => None,
        };
        let mut names: Vec<String> = base_blob.iter().cloned().collect();
        names.extend(
            trend_versions
                .iter()
                .filter(|v| !known.contains_key(&key(v)))
                .map(|v| v.blob.clone()),
        );
        names.sort();
        names.dedup();
        // A git that fails leaves the dossier with dates and notes only.
        let blobs = self
            .blobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .blobs(&names)
            .unwrap_or_else(|_| {
                self.failed
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                HashMap::new()
            });
        // Missing (a partial clone's, or lost) or corrupt: the page says so.
        let unread = names.iter().any(|n| !blobs.contains_key(n));

        let files = Some(report.files.as_ref());
        let mut fresh = Vec::new();
        let mut trend: Vec<TrendPoint> = trend_versions
            .iter()
            .filter_map(|v| {
                let k = key(v);
                let (expected_return, total_cost, completeness) = match known.get(&k) {
                    Some(x) => *x,
                    None => {
                        let text = text_of(blobs.get(&v.blob)?);
                        let e = evaluate(id, &text, files, config, v.commit.date);
                        let f = e.figures.unwrap_or_default();
                        let x = (f.expected_return, f.total_cost, e.checklist.completeness());
                        fresh.push((k, x));
                        x
                    }
                };
                Some(TrendPoint {
                    date: v.commit.date,
                    commit: Some(v.commit.short.clone()),
                    expected_return,
                    total_cost,
                    completeness,
                })
            })
            .collect();
        if history.uncommitted && !trend.is_empty() {
            let f = report.figures.clone().unwrap_or_default();
            trend.push(TrendPoint {
                date: today.max(trend.last().map_or(today, |t| t.date)),
                commit: None,
                expected_return: f.expected_return,
                total_cost: f.total_cost,
                completeness: report.checklist.completeness(),
            });
        }
        let changes = base.map(|(since_what, version)| {
            let base = match since_what {
                Since::Rev { .. } => self.since.as_ref().map(|(_, c)| c.clone()),
                Since::Review { .. } => version.map(|v| v.commit.clone()),
            };
            let old = base_blob
                .as_ref()
                .and_then(|b| blobs.get(b))
                .map(|bytes| evaluate(id, &text_of(bytes), files, config, today));
            let changes = match &old {
                Some(old) => diff::account(
                    diff::Version {
                        files: &old.files,
                        figures: old.figures.as_ref(),
                        checklist: &old.checklist,
                    },
                    diff::Version {
                        files: &report.files,
                        figures: report.figures.as_ref(),
                        checklist: &report.checklist,
                    },
                    false,
                ),
                None => Vec::new(),
            };
            ChangesSince {
                since: since_what,
                base: old.is_some().then_some(base).flatten(),
                changes,
            }
        });
        let mut cache = TREND.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() > TREND_CACHE_MAX {
            cache.clear();
        }
        cache.extend(fresh);
        Enriched {
            changes: changes.map(Arc::new),
            trend: trend.into(),
            unread,
        }
    }
}

// ---------------------------------------------------------------- kaplan diff

/// One side of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The revision as given; `None` for the working tree.
    pub rev: Option<String>,
    /// Its commit; `None` for the working tree.
    pub commit: Option<CommitInfo>,
}

impl Side {
    /// "HEAD (1a2b3c4, 2026-03-01)" or "the working tree".
    pub fn describe(&self) -> String {
        match (&self.rev, &self.commit) {
            (Some(rev), Some(c)) if c.id.starts_with(rev.as_str()) => {
                format!("{} ({})", c.short, c.date)
            }
            (Some(rev), Some(c)) => format!("{rev} ({}, {})", c.short, c.date),
            (Some(rev), None) => rev.clone(),
            _ => "the working tree".into(),
        }
    }
}

/// What happened to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    /// A new account folder.
    Added,
    /// An account folder that is gone.
    Removed,
    /// The same folder, changed.
    Changed,
    /// The folder was renamed (and maybe changed).
    Renamed,
}

/// The changes of one account.
#[derive(Debug, Clone, Serialize)]
pub struct AccountDiff {
    /// The account id (the folder name after).
    pub id: String,
    /// The customer's name.
    pub name: Option<String>,
    /// What happened.
    pub status: AccountStatus,
    /// The folder name before, for renames.
    pub renamed_from: Option<String>,
    /// The changes, in the plan's terms.
    pub changes: Vec<diff::Change>,
}

/// `kaplan diff`: the changes of every account between two sides.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The older side.
    pub from: Side,
    /// The newer side.
    pub to: Side,
    /// Accounts that changed, by id.
    pub accounts: Vec<AccountDiff>,
}

/// The accounts of `root` at `commit`, read from git and parsed as the
/// loader parses files on disk.
fn load_at(repo: &git::Repo, commit: &str) -> Result<Loaded, HistoryError> {
    let tree = repo.tree(commit)?;
    let mut wanted: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (path, blob) in tree {
        let Some(id) = folder(&path) else { continue };
        let rest = &path["accounts/".len() + id.len() + 1..];
        let keep = rest == "plan.yaml"
            || (!rest.contains('/') && rest.ends_with(".md") && !rest.starts_with('.'))
            || rest
                .strip_prefix("visits/")
                .is_some_and(|v| !v.contains('/') && v.ends_with(".md") && !v.starts_with('.'));
        let entry = wanted.entry(id.to_owned()).or_default();
        if keep {
            entry.push((path, blob));
        }
    }
    let names: Vec<String> = wanted.values().flatten().map(|(_, b)| b.clone()).collect();
    let blobs = repo.cat_file()?.blobs(&names)?;
    let mut loaded = Loaded::default();
    for (id, files) in wanted {
        let mut account = AccountFiles {
            id: id.clone(),
            ..AccountFiles::default()
        };
        for (path, blob) in files {
            // A file that is in the tree but not readable would make the
            // diff say it was removed.
            let Some(bytes) = blobs.get(&blob) else {
                return Err(HistoryError::Git(GitError {
                    command: format!("cat-file --batch ({commit})"),
                    message: format!(
                        "`{}` (object {blob}) cannot be read: the object is missing or corrupt (kaplan does not fetch what a partial clone lacks)",
                        git::sanitize(path.as_bytes())
                    ),
                }));
            };
            let text = text_of(bytes);
            let mut sink = Sink::new(&id, &path);
            if path.ends_with("/plan.yaml") {
                account.plan = load::parse_plan(&text, &mut sink);
            } else if path.contains("/visits/") {
                account
                    .visits
                    .push(load::parse_document(&path, &text, &mut sink));
            } else {
                account
                    .pages
                    .push(load::parse_document(&path, &text, &mut sink));
            }
            loaded.diagnostics.append(&mut sink.diagnostics);
        }
        loaded.accounts.push(Arc::new(account));
    }
    Ok(loaded)
}

fn account_name(files: &AccountFiles) -> Option<String> {
    files
        .plan
        .as_ref()
        .and_then(|p| p.account.as_ref())
        .and_then(|a| a.name.as_ref())
        .map(|n| n.value.trim().to_owned())
        .filter(|n| !n.is_empty())
}

/// Compares the plans under `root` at revision `from` (default `HEAD`)
/// with revision `to` (default: the working tree), judging both by the
/// current `kaplan.toml` and `today`.
pub fn compare(
    root: &Path,
    from: Option<&str>,
    to: Option<&str>,
    today: Option<Date>,
) -> Result<Comparison, crate::Error> {
    let (config, _) = Config::load(root)?;
    let today = config.today(today)?;
    let repo = git::Repo::open(root).map_err(HistoryError::Unavailable)?;
    let resolve = |rev: &str| -> Result<Side, HistoryError> {
        let info = commit_info(&repo, rev)?;
        Ok(Side {
            rev: Some(rev.to_owned()),
            commit: Some(info),
        })
    };
    let from_side = resolve(from.unwrap_or("HEAD"))?;
    let to_side = match to {
        Some(rev) => resolve(rev)?,
        None => Side {
            rev: None,
            commit: None,
        },
    };
    let side = |s: &Side| -> Result<Checked, crate::Error> {
        let loaded = match &s.commit {
            Some(c) => load_at(&repo, &c.id)?,
            None => load::load_accounts(root, &[])?,
        };
        Ok(crate::assemble(root, config.clone(), None, today, loaded))
    };
    let old = side(&from_side)?;
    let new = side(&to_side)?;
    Ok(Comparison {
        accounts: accounts(&old, &new),
        from: from_side,
        to: to_side,
    })
}

fn version(a: &AccountReport) -> diff::Version<'_> {
    diff::Version {
        files: &a.files,
        figures: a.figures.as_ref(),
        checklist: &a.checklist,
    }
}

/// Pairs the accounts of two checks by id; a removed and an added folder
/// with the same customer name (or the same plan) are one renamed account.
fn accounts(old: &Checked, new: &Checked) -> Vec<AccountDiff> {
    let mut out = Vec::new();
    let removed: Vec<&AccountReport> = old
        .accounts
        .iter()
        .filter(|a| new.account(&a.files.id).is_none())
        .collect();
    let mut renamed_from: HashMap<&str, &AccountReport> = HashMap::new();
    for a in new
        .accounts
        .iter()
        .filter(|a| old.account(&a.files.id).is_none())
    {
        let same = removed.iter().find(|r| {
            let same_name = account_name(&r.files).is_some()
                && account_name(&r.files) == account_name(&a.files);
            let same_plan = match (&r.files.plan, &a.files.plan) {
                (Some(x), Some(y)) => diff::plans(x, y).is_empty(),
                _ => false,
            };
            !renamed_from.values().any(|x| std::ptr::eq(*x, **r)) && (same_name || same_plan)
        });
        if let Some(r) = same {
            renamed_from.insert(&a.files.id, r);
        }
    }
    for a in &new.accounts {
        let name = account_name(&a.files);
        match (
            old.account(&a.files.id),
            renamed_from.get(a.files.id.as_str()),
        ) {
            (Some(before), _) => {
                let changes = diff::account(version(before), version(a), true);
                if !changes.is_empty() {
                    out.push(AccountDiff {
                        id: a.files.id.clone(),
                        name,
                        status: AccountStatus::Changed,
                        renamed_from: None,
                        changes,
                    });
                }
            }
            (None, Some(r)) => out.push(AccountDiff {
                id: a.files.id.clone(),
                name,
                status: AccountStatus::Renamed,
                renamed_from: Some(r.files.id.clone()),
                changes: diff::account(version(r), version(a), true),
            }),
            (None, None) => out.push(AccountDiff {
                id: a.files.id.clone(),
                name,
                status: AccountStatus::Added,
                renamed_from: None,
                changes: Vec::new(),
            }),
        }
    }
    for r in removed {
        if !renamed_from.values().any(|x| std::ptr::eq(*x, r)) {
            out.push(AccountDiff {
                id: r.files.id.clone(),
                name: account_name(&r.files),
                status: AccountStatus::Removed,
                renamed_from: None,
                changes: Vec::new(),
            });
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
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
    fn two_versions() -> tempfile::TempDir {
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

    fn checked(root: &Path) -> Checked {
        let mut c = crate::check(
            root,
            &crate::CheckOptions {
                today: Date::parse("2026-06-30").ok(),
                exclude: vec![],
                lean: false,
            },
        )
        .unwrap();
        enrich(&mut c, None).unwrap();
        c
    }

    #[test]
    fn rebuilds_in_one_process_give_the_same_history() {
        let dir = two_versions();
        let root = dir.path();
        let first = checked(root);
        let a = first.history.account("a").unwrap();
        assert_eq!(a.trend.len(), 2);
        assert_eq!(a.trend[1].expected_return, 500.0);
        assert_eq!(
            a.changes.as_ref().unwrap().changes.len(),
            3,
            "{:?}",
            a.changes
        );
        // The second time the log and the trend come from the caches.
        let second = checked(root);
        let b = second.history.account("a").unwrap();
        assert_eq!(a.trend, b.trend);
        assert_eq!(
            a.changes.as_ref().unwrap().changes,
            b.changes.as_ref().unwrap().changes
        );
        // An edit is seen at once; a commit moves HEAD and the log is read again.
        std::fs::write(root.join("accounts/a/plan.yaml"), plan(800)).unwrap();
        let third = checked(root);
        let c = third.history.account("a").unwrap();
        assert!(c.uncommitted);
        assert_eq!(c.trend.len(), 3);
        git(root, "2026-04-01", &["commit", "-q", "-am", "y"]);
        let fourth = checked(root);
        let d = fourth.history.account("a").unwrap();
        assert!(!d.uncommitted);
        assert_eq!(d.versions.len(), 3);
        assert_eq!(
            d.last_change.as_ref().unwrap().date.to_string(),
            "2026-04-01"
        );
    }

    #[test]
    fn an_enricher_whose_git_failed_says_so() {
        let dir = two_versions();
        let root = dir.path();
        let c = checked(root);
        let (history, report) = (c.history.account("a").unwrap(), &c.accounts[0]);
        let enricher = Enricher::new(&c, None).unwrap().unwrap();
        let found = enricher.account(history, report);
        assert!(!enricher.failed() && found.changes.is_some_and(|c| c.base.is_some()));
        // The plan as last reviewed can no longer be read: the dossier goes
        // without the comparison, and the enricher is not to be reused.
        enricher.close_git();
        let found = enricher.account(history, report);
        assert!(enricher.failed() && found.changes.is_some_and(|c| c.base.is_none()));
    }
}
