//! Scanning git: each account's last change, plan versions and older
//! folder names from one `git log`, and its uncommitted work from one
//! `git status`, read in the background while the plans are checked.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use crate::model::Date;

use super::{
    AccountHistory, CommitInfo, History, PlanVersion, Source, Unavailable, VersionCache, cache, git,
};

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

/// `HEAD` and the shallow boundary: the log changes only with them.
type LogKey = (String, Vec<String>);

/// A history read under way: started before the plans are loaded, so that
/// git works while kaplan reads and checks the files.
#[derive(Debug)]
pub(crate) struct Scan(std::thread::JoinHandle<(Raw, Memo)>);

/// What a history read leaves for the next one, kept by whoever reads
/// again (`serve`, on every save; the history cache, between runs): the
/// log, extended with new commits when `HEAD` moves on; the work tree's
/// status, good while `HEAD` and the index do not change; the accounts'
/// history, good while `HEAD` does not move; and what checking plan
/// versions found (trend values, comparisons with the last review).
#[derive(Debug, Clone, Default)]
pub(crate) struct Memo {
    log: Option<Log>,
    /// Whether the history cache is read (when there is no log yet) and
    /// written ([`Memo::save`]).
    persist: bool,
    /// The log was read from git since the cache was last written.
    log_fresh: bool,
    /// Only `plan/stale` is asked (`kaplan check`), of changes older than
    /// this date: the cache and the log are read only for the accounts
    /// not changed since then, and the log only as far as they take.
    lean: Option<Date>,
    /// The repository read, to write its cache.
    repo: Option<git::Repo>,
    versions: VersionCache,
    /// `HEAD` and the index file's modification time and size.
    key: Option<(String, Option<(std::time::SystemTime, u64)>)>,
    status: Vec<(String, String)>,
    assembled: Option<Assembled>,
}

/// The log at one `HEAD`: as git wrote it (for the cache) and read.
#[derive(Debug, Clone)]
struct Log {
    key: LogKey,
    raw: Arc<Vec<u8>>,
    commits: Arc<Vec<git::Commit>>,
    /// The whole log (else only its newest commits, and `raw` is empty).
    complete: bool,
}

impl Log {
    /// The log of `repo`, from what an earlier read left (`previous`):
    /// the same when `HEAD` has not moved; with the new commits on top
    /// when `HEAD` moved on by commits of one parent each; else read anew.
    /// Also whether git was read. With `lean` (the folders of `accounts/`
    /// with no recent change, [`unchanged`]), a log read anew holds only
    /// the newest commits, until each of them has a last change.
    fn read(
        repo: &git::Repo,
        previous: Option<Log>,
        lean: Option<HashSet<String>>,
    ) -> Result<(Log, bool), git::GitError> {
        let key = (repo.head.clone(), repo.boundary.clone());
        let previous = previous.filter(|p| p.key.1 == key.1 && p.complete);
        match previous {
            Some(p) if p.key == key => Ok((p, false)),
            Some(p) if !repo.shallow && repo.extends(&p.key.0) => {
                let mut raw = repo.log(Some(&p.key.0))?;
                let mut commits = git::Repo::parse_log(&raw);
                commits.extend(p.commits.iter().cloned());
                raw.extend_from_slice(&p.raw);
                let (raw, commits) = (Arc::new(raw), Arc::new(commits));
                let complete = true;
                Ok((
                    Log {
                        key,
                        raw,
                        commits,
                        complete,
                    },
                    true,
                ))
            }
            _ => {
                if let Some(left) = lean {
                    let commits = Arc::new(newest(repo, left)?);
                    let (raw, complete) = (Arc::default(), false);
                    return Ok((
                        Log {
                            key,
                            raw,
                            commits,
                            complete,
                        },
                        true,
                    ));
                }
                let raw = repo.log(None)?;
                let commits = Arc::new(git::Repo::parse_log(&raw));
                let (raw, complete) = (Arc::new(raw), true);
                Ok((
                    Log {
                        key,
                        raw,
                        commits,
                        complete,
                    },
                    true,
                ))
            }
        }
    }
}

/// The folders under `root/accounts/` with no change on `recent` or
/// later that one comparison of trees finds, when the newest commits are
/// recent and in a line. `plan/stale`, for which this is asked, is silent
/// on the others: their last change need not be read.
fn unchanged(
    repo: &git::Repo,
    root: &Path,
    recent: Date,
) -> Result<HashSet<String>, git::GitError> {
    let mut left: HashSet<String> = std::fs::read_dir(root.join("accounts"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    // A path that differs from a base was written by a recent commit, which
    // is then the folder's last change or newer than it. Each folder takes
    // a commit: the walk is checked first after as many.
    let first = left.len();
    repo.recent_bases(
        |date| date >= recent,
        first,
        |base| {
            for path in repo.written_since(base)? {
                if let Some(f) = folder(&path) {
                    left.remove(f);
                }
            }
            Ok(left.is_empty())
        },
    )?;
    Ok(left)
}

/// The newest commits of `repo`'s log, until every folder of `left` has
/// been changed by one of them (or the log ends); none for none.
fn newest(repo: &git::Repo, mut left: HashSet<String>) -> Result<Vec<git::Commit>, git::GitError> {
    if left.is_empty() {
        return Ok(Vec::new());
    }
    repo.log_until(|batch| {
        for c in batch {
            for ch in &c.changes {
                if let Some(f) = folder(&ch.path) {
                    left.remove(f);
                }
            }
        }
        left.is_empty()
    })
}

impl Memo {
    /// A memo for a first read; with `persist`, the history cache is read
    /// and [`Memo::save`] writes it.
    pub(crate) fn new(persist: bool) -> Memo {
        Memo {
            persist,
            ..Memo::default()
        }
    }

    /// This memo, for a read that needs only to know the accounts not
    /// changed since `recent` and their last changes (`plan/stale`): the
    /// last change of an account changed since is not always read.
    pub(crate) fn lean(self, recent: Date) -> Memo {
        Memo {
            lean: Some(recent),
            ..self
        }
    }

    /// What checking plan versions found (from the cache, or earlier reads).
    pub(crate) fn versions(&self) -> VersionCache {
        self.versions.clone()
    }

    /// Writes the history cache when it persists and what it would hold
    /// changed: the log read from git, plan versions checked.
    pub(crate) fn save(&mut self) {
        let (true, Some(repo), Some(log)) = (self.persist, &self.repo, &self.log) else {
            return;
        };
        if !log.complete {
            return;
        }
        if self.log_fresh || self.versions.changed() {
            let (trend, changes) = self.versions.to_store();
            let stored = cache::Stored {
                head: log.key.0.clone(),
                boundary: log.key.1.clone(),
                log: Arc::clone(&log.raw),
                trend,
                changes,
            };
            cache::write(repo, &stored);
            self.log_fresh = false;
        }
    }

    /// The repository the history was read from; `None` without one.
    pub(crate) fn repo(&self) -> Option<&git::Repo> {
        self.repo.as_ref()
    }

    /// The files that move when a commit, checkout, merge or rebase moves
    /// `HEAD`: `HEAD` itself, the current branch's ref, and the packed
    /// refs (read from `HEAD`; no git is run). Empty without a repository.
    pub(crate) fn head_files(&self) -> Vec<std::path::PathBuf> {
        let Some(dir) = self.repo.as_ref().map(|r| r.git_dir.as_path()) else {
            return Vec::new();
        };
        // A worktree's branches live in the repository's common directory.
        let common = std::fs::read_to_string(dir.join("commondir"))
            .map_or_else(|_| dir.to_owned(), |c| dir.join(c.trim()));
        let mut files = vec![dir.join("HEAD"), common.join("packed-refs")];
        if let Ok(head) = std::fs::read_to_string(dir.join("HEAD"))
            && let Some(branch) = head.trim().strip_prefix("ref: refs/heads/")
            && !branch
                .split('/')
                .any(|c| c.is_empty() || c == "." || c == "..")
        {
            files.push(common.join("refs/heads").join(branch));
        }
        files
            .into_iter()
            .map(|f| {
                let (Some(dir), Some(name)) = (f.parent(), f.file_name()) else {
                    return f;
                };
                std::fs::canonicalize(dir).map_or(f.clone(), |d| d.join(name))
            })
            .collect()
    }

    /// The commit `HEAD` pointed at when the status was read.
    pub(crate) fn head(&self) -> Option<&str> {
        self.key.as_ref().map(|(head, _)| head.as_str())
    }
}

/// The history of accounts `ids` as the log at `HEAD` and shallow boundary
/// `log` tells it, before the work tree's status is applied.
#[derive(Debug, Clone)]
struct Assembled {
    log: LogKey,
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
    /// Starts reading the history of `root`: one `git log` (of the new
    /// commits only, with a valid history cache and `persist`), one `git status`.
    pub(crate) fn start(root: &Path, persist: bool) -> Scan {
        Scan::start_since(root, Memo::new(persist), None)
    }

    /// Like [`Scan::start`], after an earlier read that left `memo`: git's
    /// log is read only for commits `HEAD` moved on by; given the accounts whose
    /// folders changed since (`None`: not known), `git status` looks at
    /// those folders only, unless `HEAD` or the index changed.
    pub(crate) fn start_since(root: &Path, memo: Memo, changed: Option<Vec<String>>) -> Scan {
        let root = root.to_owned();
        Scan(std::thread::spawn(move || {
            let repo = match git::Repo::open(&root) {
                Ok(repo) => repo,
                Err(u) => return (Err(u), Memo::new(memo.persist)),
            };
            let persist = memo.persist;
            // The log (from the cache and git) is read while git reads the
            // status.
            let read_log = |mut previous: Option<Log>, mut versions: VersionCache| {
                // `check` needs a log (the cache's or git's) only for the
                // accounts the newest commits did not change.
                let lean = match memo.lean.map(|recent| unchanged(&repo, &root, recent)) {
                    Some(Err(e)) => return (Err(e), versions),
                    Some(Ok(left)) => Some(left),
                    None => None,
                };
                if persist
                    && previous.is_none()
                    && !lean.as_ref().is_some_and(HashSet::is_empty)
                    && let Some(stored) = cache::read(&repo)
                {
                    let commits = Arc::new(git::Repo::parse_log(&stored.log));
                    previous = Some(Log {
                        key: (stored.head, stored.boundary),
                        raw: stored.log,
                        commits,
                        complete: true,
                    });
                    versions = VersionCache::from_stored(stored.trend, stored.changes);
                }
                let log = Log::read(&repo, previous, lean);
                // git's text is kept only for the cache.
                let log = log.map(|(mut log, fresh)| {
                    if !persist {
                        log.raw = Arc::default();
                    }
                    (log, fresh)
                });
                (log, versions)
            };
            let key = Some((repo.head.clone(), index_stamp(&repo)));
            let assembled = memo.assembled;
            // Copied while git reads the status.
            let copy = assembled.as_ref().and_then(|a| a.copy_for(&repo));
            let (status, (log, versions)) = std::thread::scope(|threads| {
                let (previous, versions) = (memo.log, memo.versions);
                let log = threads.spawn(|| read_log(previous, versions));
                let status = match changed {
                    Some(changed) if memo.key == key && changed.is_empty() => Ok(memo.status),
                    Some(changed) if memo.key == key => {
                        let dirs: Vec<String> =
                            changed.iter().map(|id| format!("accounts/{id}")).collect();
                        let specs: Vec<String> =
                            dirs.iter().map(|d| format!(":(literal){d}")).collect();
                        repo.status_of(&specs).map(|fresh| {
                            let inside = |path: &str| {
                                dirs.iter().any(|d| {
                                    path.strip_prefix(d.as_str()).is_some_and(|rest| {
                                        rest.is_empty() || rest.starts_with('/')
                                    })
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
                let log = log.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                (status, log)
            });
            // `git status` may have refreshed the index: the memo holds from here.
            let status = status.map(|status| {
                let reused = copy.map(|mut copy| {
                    mark_uncommitted(&mut copy.history, &status);
                    copy
                });
                (status, reused)
            });
            let memo = Memo {
                log: log.as_ref().ok().map(|(log, _)| log.clone()),
                persist,
                lean: memo.lean,
                log_fresh: memo.log_fresh || log.as_ref().is_ok_and(|(_, fresh)| *fresh),
                repo: Some(repo.clone()),
                versions,
                key: Some((repo.head.clone(), index_stamp(&repo))),
                status: status.as_ref().map(|(s, _)| s.clone()).unwrap_or_default(),
                assembled,
            };
            let raw = match (log, status) {
                (Ok((log, _)), Ok((s, reused))) => Ok((repo, log.commits, s, reused)),
                (Err(e), _) | (_, Err(e)) => Err(Unavailable::Failed(e.message)),
            };
            (raw, memo)
        }))
    }

    /// The history of accounts `ids`, and what [`Memo::save`] stores.
    /// Never fails: without git, the source says why.
    pub(crate) fn finish(self, ids: &[&str]) -> (History, Memo) {
        self.finish_keeping(ids, false)
    }

    /// [`Scan::finish`], keeping all that the next read can reuse.
    pub(crate) fn finish_with_memo(self, ids: &[&str]) -> (History, Memo) {
        self.finish_keeping(ids, true)
    }

    /// [`Scan::finish`]; the memo keeps the accounts' history when `keep`.
    fn finish_keeping(self, ids: &[&str], keep: bool) -> (History, Memo) {
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
            Ok((Err(why), memo)) => (
                History {
                    source: Source::Unavailable(why),
                    ..History::default()
                },
                memo,
            ),
            Err(_) => (
                History {
                    source: Source::Unavailable(Unavailable::Failed(
                        "reading history failed".into(),
                    )),
                    ..History::default()
                },
                Memo::default(),
            ),
        }
    }
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
