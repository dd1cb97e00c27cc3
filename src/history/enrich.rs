//! Enriching accounts: what the dossier shows of a plan's history beyond
//! dates — `plan/stale`, what changed since the last review (or
//! `--since`), and the trend of its figures — from older versions of the
//! plan, checked as the working tree is checked.

use crate::message::{Arg, Message, NOTHING, texts};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;

use super::{
    AccountHistory, CommitInfo, History, HistoryError, PlanVersion, Source, Unavailable,
    commit_info, diff, git,
};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Sink};
use crate::load;
use crate::model::{AccountFiles, Date, Span};
use crate::pipeline::{self, AccountReport};
use crate::text;

/// A trend has at most this many points of committed versions: one per
/// commit, or for longer histories one per day, week, month… (see
/// [`samples`]).
pub(crate) const MAX_COMMIT_SAMPLES: usize = 24;

/// What the dossier compares the plan with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum Since {
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
pub(crate) struct ChangesSince {
    /// Compared with what.
    pub(crate) since: Since,
    /// The committed version compared with; `None` when the plan had no
    /// committed version then.
    pub(crate) base: Option<CommitInfo>,
    /// The changes, in the plan's terms.
    pub(crate) changes: Vec<diff::Change>,
}

/// One point of a plan's trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TrendPoint {
    /// The commit date (or today, for uncommitted changes).
    pub(crate) date: Date,
    /// The short commit id; `None` for the working tree.
    pub(crate) commit: Option<String>,
    /// Σ returns × probability.
    pub(crate) expected_return: f64,
    /// Σ costs.
    pub(crate) total_cost: f64,
    /// Passing or warning checklist questions / 6.
    pub(crate) completeness: f64,
}

/// What checking plan versions found, kept by whoever enriches accounts
/// again and again (`serve`, between rebuilds; the history cache, between
/// runs), so that a version is not read and checked again: trend values
/// (account, blob, date and what else the check depends on → expected
/// return, total cost, completeness) and comparisons with the last review
/// (account, base blob, today, the current version and what else → the
/// changes). Clones share one cache.
#[derive(Debug, Clone, Default)]
pub(crate) struct VersionCache(Arc<Mutex<Entries>>);

/// Both kinds of results; whether any is new.
#[derive(Debug, Default)]
struct Entries {
    trend: Results<TrendValues>,
    changes: Results<Vec<diff::Change>>,
    fresh: bool,
}

/// Values by key, each with whether this run used it.
#[derive(Debug)]
struct Results<V>(HashMap<String, (V, bool)>);

impl<V> Default for Results<V> {
    fn default() -> Self {
        Results(HashMap::new())
    }
}

impl<V: Clone> Results<V> {
    fn stored(stored: HashMap<String, V>) -> Results<V> {
        Results(stored.into_iter().map(|(k, x)| (k, (x, false))).collect())
    }

    /// The value of `key`, marked used.
    fn get(&mut self, key: &str) -> Option<V> {
        let (x, used) = self.0.get_mut(key)?;
        *used = true;
        Some(x.clone())
    }

    /// Keeps values found now (beyond [`CACHE_MAX`] entries, starting over).
    fn extend(&mut self, fresh: impl IntoIterator<Item = (String, V)>) {
        if self.0.len() > CACHE_MAX {
            self.0.clear();
        }
        self.0
            .extend(fresh.into_iter().map(|(k, x)| (k, (x, true))));
    }

    /// Whether some values were not used (while others were).
    fn unused(&self) -> bool {
        let used = self.0.values().filter(|(_, used)| *used).count();
        used != 0 && used != self.0.len()
    }

    /// The values used, or all of them when none was (a run that used none
    /// keeps them for one that does).
    fn to_store(&self) -> HashMap<String, V> {
        let none = !self.0.values().any(|(_, used)| *used);
        self.0
            .iter()
            .filter(|(_, (_, u))| *u || none)
            .map(|(k, (x, _))| (k.clone(), x.clone()))
            .collect()
    }
}

/// Expected return, total cost, completeness.
pub(crate) type TrendValues = (f64, f64, f64);

/// Beyond this many entries of one kind the cache starts over.
const CACHE_MAX: usize = 200_000;

impl VersionCache {
    /// A cache of what the history cache holds.
    pub(crate) fn from_stored(
        trend: HashMap<String, TrendValues>,
        changes: HashMap<String, Vec<diff::Change>>,
    ) -> VersionCache {
        VersionCache(Arc::new(Mutex::new(Entries {
            trend: Results::stored(trend),
            changes: Results::stored(changes),
            fresh: false,
        })))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The trend values known of the versions keyed `keys`.
    fn known(&self, keys: impl Iterator<Item = String>) -> HashMap<String, TrendValues> {
        let mut cache = self.lock();
        keys.filter_map(|k| {
            let x = cache.trend.get(&k)?;
            Some((k, x))
        })
        .collect()
    }

    /// Keeps the trend values of versions checked now.
    fn extend(&self, fresh: Vec<(String, TrendValues)>) {
        let mut cache = self.lock();
        cache.fresh |= !fresh.is_empty();
        cache.trend.extend(fresh);
    }

    /// The changes known for comparison `key`.
    fn changes(&self, key: &str) -> Option<Vec<diff::Change>> {
        self.lock().changes.get(key)
    }

    /// Keeps the changes of comparison `key`, made now.
    fn keep_changes(&self, key: String, changes: Vec<diff::Change>) {
        let mut cache = self.lock();
        cache.fresh = true;
        cache.changes.extend([(key, changes)]);
    }

    /// Whether what to store for the next run differs from what was read:
    /// new values, or values this run did not use.
    pub(crate) fn changed(&self) -> bool {
        let cache = self.lock();
        cache.fresh || cache.trend.unused() || cache.changes.unused()
    }

    /// What to store for the next run: of each kind the values used, or
    /// all of them when none was.
    pub(crate) fn to_store(
        &self,
    ) -> (
        HashMap<String, TrendValues>,
        HashMap<String, Vec<diff::Change>>,
    ) {
        let cache = self.lock();
        (cache.trend.to_store(), cache.changes.to_store())
    }
}

texts! {
    STALE_MSG:
        "the plan was last changed {when}{by}, {days} ago (more than `stale_days` = {limit})"
        / "计划最近一次修改{when}{by}，已过去 {days}（超过 `stale_days` = {limit}）";
    STALE_WHEN: "on {date}" / "是在 {date}";
    STALE_WHEN_SHALLOW:
        "on or before {date} (the clone is shallow)"
        / "不晚于 {date}（浅克隆，更早的历史不可见）";
    STALE_BY: " by {author}" / "，修改人 {author}";
    STALE_HELP:
        "review the plan with the team and commit what changed; set `[thresholds] stale_days` to allow longer"
        / "和团队一起复盘计划并提交改动；如需放宽期限，调整 `[thresholds] stale_days`";
}

/// The oldest date of a committed change that keeps a plan from being
/// stale on `today`: `[thresholds] stale_days` before it.
pub(crate) fn fresh_since(config: &Config, today: Date) -> Date {
    let limit = i64::from(config.thresholds.stale_days);
    Date::from_days_since_epoch(today.days_since_epoch() - limit)
}

/// `plan/stale` for every account whose plan has not changed for longer
/// than `[thresholds] stale_days`. Silent without history.
pub(crate) fn stale(history: &History, config: &Config, today: Date) -> Vec<Diagnostic> {
    let limit = i64::from(config.thresholds.stale_days);
    let fresh = fresh_since(config, today);
    let mut out = Vec::new();
    for (id, a) in &history.accounts {
        let (Some(days), Some(last)) = (a.unchanged_days(today), a.last_change.as_ref()) else {
            continue;
        };
        if last.date >= fresh {
            continue;
        }
        let mut sink = Sink::new(id, &format!("accounts/{id}/plan.yaml"));
        let when = if last.boundary {
            &STALE_WHEN_SHALLOW
        } else {
            &STALE_WHEN
        };
        let by = if last.author.is_empty() {
            Message::new(&NOTHING)
        } else {
            Message::new(&STALE_BY).with("author", last.author.as_str())
        };
        let message = Message::new(&STALE_MSG)
            .with("when", Message::new(when).with("date", last.date))
            .with("by", by)
            .with("days", Arg::Days(days))
            .with("limit", limit.to_string());
        sink.emit_help(&crate::load::rules::STALE, Span::FILE, message, &STALE_HELP);
        out.append(&mut sink.diagnostics);
    }
    out
}

/// A committed plan, parsed, and what parsing it found.
type Parsed = (Option<crate::model::Plan>, Vec<Diagnostic>);

/// Parses committed `content` of account `id`'s plan, reusing what
/// `sections` holds of its other versions.
fn parse(id: &str, content: Vec<u8>, sections: &mut load::yaml::Sections) -> Parsed {
    let file = format!("accounts/{id}/plan.yaml");
    let mut sink = Sink::new(id, &file);
    let plan = load::committed_plan(content, &mut sink, sections);
    (plan, sink.diagnostics)
}

/// The committed plans of one account, each blob parsed once however many
/// versions (the trend's, the review's) it is: the last use takes it. The
/// top-level sections a version shares with those parsed before are not
/// parsed again.
struct Plans<'a> {
    id: &'a str,
    contents: HashMap<String, Vec<u8>>,
    parsed: HashMap<String, (Parsed, usize)>,
    uses: HashMap<String, usize>,
    sections: load::yaml::Sections,
}

impl Plans<'_> {
    /// Blob `name` parsed, when git had it.
    fn take(&mut self, name: &str) -> Option<Parsed> {
        if !self.parsed.contains_key(name) {
            let content = self.contents.remove(name)?;
            let uses = self.uses.get(name).copied().unwrap_or(1);
            self.parsed.insert(
                name.to_owned(),
                (parse(self.id, content, &mut self.sections), uses),
            );
        }
        let (parsed, left) = self.parsed.get_mut(name)?;
        *left = left.saturating_sub(1);
        if *left > 0 {
            return Some(parsed.clone());
        }
        self.parsed.remove(name).map(|(p, _)| p)
    }
}

/// Checks committed plan `parsed` of account `id` as of `today`, as the
/// working tree is checked, with the visits of `current` dated on or
/// before `today`.
fn evaluate(
    id: &str,
    (plan, found): Parsed,
    current: &AccountFiles,
    config: &Config,
    today: Date,
) -> AccountReport {
    let visits = current
        .visits
        .iter()
        .filter(|v| v.meta.date.as_ref().is_some_and(|d| d.value <= today))
        .cloned()
        .collect();
    let files = AccountFiles {
        id: id.to_owned(),
        plan,
        visits,
        ..AccountFiles::default()
    };
    pipeline::check_account(Arc::new(files), found, config, today).0
}

/// The versions a trend samples, oldest first: every version while there
/// are at most [`MAX_COMMIT_SAMPLES`]; else the last version of each day,
/// week, month, quarter or year — the finest of these that gives at most
/// that many points (years always do, for any history younger than 24
/// years). So a trend never loses its detail at once as its plan gets one
/// commit more, and a plan of many commits costs no more than one of 24.
fn samples(versions: &[PlanVersion]) -> Vec<&PlanVersion> {
    let oldest_first: Vec<&PlanVersion> = versions.iter().rev().collect();
    if oldest_first.len() <= MAX_COMMIT_SAMPLES {
        return oldest_first;
    }
    let mut sampled = Vec::new();
    for grain in Grain::ALL {
        sampled = last_of_each(&oldest_first, grain);
        if sampled.len() <= MAX_COMMIT_SAMPLES {
            break;
        }
    }
    sampled
}

/// The periods a long history's trend is sampled by, finest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grain {
    Day,
    /// Weeks start on Monday.
    Week,
    Month,
    Quarter,
    Year,
}

impl Grain {
    const ALL: [Grain; 5] = [
        Grain::Day,
        Grain::Week,
        Grain::Month,
        Grain::Quarter,
        Grain::Year,
    ];

    /// The period of this grain that `date` falls in, as a number.
    fn period(self, date: Date) -> i64 {
        let (year, month) = (i64::from(date.year), i64::from(date.month));
        match self {
            Grain::Day => date.days_since_epoch(),
            Grain::Week => date.monday().days_since_epoch(),
            Grain::Month => year * 12 + month,
            Grain::Quarter => year * 4 + (month - 1) / 3,
            Grain::Year => year,
        }
    }
}

/// The last of each run of `oldest_first` committed in one period of
/// `grain` (by commit date; a clock set wrong can make two runs of one
/// period).
fn last_of_each<'a>(oldest_first: &[&'a PlanVersion], grain: Grain) -> Vec<&'a PlanVersion> {
    let mut last: Vec<&PlanVersion> = Vec::new();
    for &v in oldest_first {
        let period = grain.period(v.commit.date);
        match last.last_mut() {
            Some(l) if grain.period(l.commit.date) == period => *l = v,
            _ => last.push(v),
        }
    }
    last
}

/// A hash of the visit records of `files`, as read.
fn visits_hash(files: &AccountFiles) -> u64 {
    files.visits.iter().fold(0u64, |h, v| {
        let parsed;
        let text = match files.sources.get(&v.file) {
            Some(text) => text.as_bytes(),
            None => {
                parsed = format!("{:?}\0{}\0{}", v.meta, v.body_line, v.body);
                parsed.as_bytes()
            }
        };
        text::hash(&[&h.to_le_bytes(), v.file.as_bytes(), text])
    })
}

/// A hash of all that a comparison with the current version of an account
/// reads of it: its visit records (`visits`, their [`visits_hash`]), its
/// plan as read, its pages, and its checklist (which the findings of the
/// run decide).
fn version_hash(report: &AccountReport, visits: u64) -> u64 {
    let files = &report.files;
    let mut h = visits;
    let is_visit = |file: &str| files.visits.iter().any(|v| v.file == file);
    for (file, text) in files.sources.iter().filter(|(f, _)| !is_visit(f)) {
        h = text::hash(&[&h.to_le_bytes(), file.as_bytes(), text.as_bytes()]);
    }
    for p in &files.pages {
        let meta = format!("{:?}\0{}", p.meta, p.body_line);
        h = text::hash(&[
            &h.to_le_bytes(),
            p.file.as_bytes(),
            meta.as_bytes(),
            p.body.as_bytes(),
        ]);
    }
    let checklist = format!("{:?}", report.checklist);
    text::hash(&[&h.to_le_bytes(), checklist.as_bytes()])
}

/// What [`Enricher::account`] found for one account.
#[derive(Debug, Clone)]
pub(crate) struct Enriched {
    changes: Option<Arc<ChangesSince>>,
    trend: Arc<[TrendPoint]>,
    unread: bool,
}

impl Enriched {
    /// Fills in `history`'s changes and trend.
    pub(crate) fn apply(self, history: &mut AccountHistory) {
        history.changes = self.changes;
        history.trend = self.trend;
        history.unread = self.unread;
    }
}

/// What enriching single accounts needs, prepared once: the `--since`
/// revision and its tree, and a `git cat-file` to read plan versions.
pub(crate) struct Enricher {
    since: Option<(String, CommitInfo)>,
    since_blobs: HashMap<String, String>,
    config: Config,
    /// `config` with only its error-level rules: a trend point's
    /// completeness counts the questions without errors.
    trend_config: Config,
    /// What a trend point's check depends on besides the plan and the
    /// visit records: a hash of the config.
    context: String,
    today: Date,
    cache: VersionCache,
    /// Reads plan versions (a `git cat-file --batch`, started when first
    /// needed: a warm cache may need none).
    blobs: Mutex<Option<git::CatFile>>,
    /// Says which blobs of versions known from `cache` a partial clone
    /// still has (a `git cat-file --batch-check`, started when first
    /// needed): a version git lacks is missing from the trend, cached or not.
    present: Mutex<Option<git::CatFile>>,
    repo: git::Repo,
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
    /// Prepares enriching the accounts whose `history` was read from
    /// `repo`, checked by `config` as of `today`; what checking versions
    /// finds is kept in `cache`. `None` without git history, an error when
    /// `since` cannot be used.
    pub(crate) fn new(
        repo: Option<&git::Repo>,
        config: &Config,
        today: Date,
        history: &History,
        since: Option<&str>,
        cache: VersionCache,
    ) -> Result<Option<Enricher>, HistoryError> {
        if !matches!(history.source, Source::Git { .. }) {
            if since.is_some() {
                return Err(HistoryError::Unavailable(match &history.source {
                    Source::Unavailable(u) => u.clone(),
                    _ => Unavailable::NotARepository,
                }));
            }
            return Ok(None);
        }
        let Some(repo) = repo.cloned() else {
            return Err(HistoryError::Unavailable(Unavailable::NotARepository));
        };
        // `--since`: the plan of each account at that revision.
        let mut since_blobs: HashMap<String, String> = HashMap::new();
        let mut since_info = None;
        if let Some(rev) = since {
            let info = commit_info(&repo, rev)?;
            let tree: HashMap<String, String> = repo.tree(&info.id)?.into_iter().collect();
            for (id, a) in &history.accounts {
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
            context: format!("{:016x}", text::hash(&[format!("{config:?}").as_bytes()])),
            config: config.clone(),
            trend_config: config.errors_only(crate::validate::rules::RULES),
            today,
            cache,
            blobs: Mutex::new(None),
            present: Mutex::new(None),
            repo,
            failed: std::sync::atomic::AtomicBool::new(false),
        }))
    }

    /// Whether reading a plan version failed: `serve` then makes a new
    /// enricher rather than reuse this one.
    pub(crate) fn failed(&self) -> bool {
        self.failed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Stops its `git cat-file`, as if git had died (for tests).
    #[cfg(test)]
    pub(crate) fn close_git(&self) {
        let mut blobs = self.blobs.lock().unwrap_or_else(PoisonError::into_inner);
        blobs
            .get_or_insert_with(|| self.repo.cat_file(true).unwrap())
            .close();
    }

    /// The blobs `names` that git has, with their contents when `contents`
    /// (else empty); none when git fails (and [`Enricher::failed`] says so).
    fn read(&self, names: &[String], contents: bool) -> HashMap<String, Vec<u8>> {
        if names.is_empty() {
            return HashMap::new();
        }
        let process = if contents { &self.blobs } else { &self.present };
        let mut process = process.lock().unwrap_or_else(PoisonError::into_inner);
        if process.is_none() {
            *process = self.repo.cat_file(contents).ok();
        }
        let found = match process.as_mut() {
            Some(git) => git.blobs(names),
            None => Err(git::GitError {
                command: "cat-file".into(),
                message: "git did not start".into(),
            }),
        };
        found.unwrap_or_else(|_| {
            self.failed
                .store(true, std::sync::atomic::Ordering::Relaxed);
            HashMap::new()
        })
    }

    /// The `--since` revision and its commit, for [`History::since`].
    pub(crate) fn since(&self) -> Option<&(String, CommitInfo)> {
        self.since.as_ref()
    }

    /// The changes since the last review (or `--since`) and the trend of
    /// one account. Trend points checked before (by an earlier rebuild of
    /// `serve`) are neither read nor checked again.
    pub(crate) fn account(&self, history: &AccountHistory, report: &AccountReport) -> Enriched {
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
        // The visit records count as contact up to each version's date.
        let visits = visits_hash(&report.files);
        let key = |v: &PlanVersion| {
            format!(
                "{id}\0{}\0{}\0{context}\0{visits:016x}",
                v.blob, v.commit.date
            )
        };
        let trend_versions = samples(&history.versions);
        let known = self.cache.known(trend_versions.iter().map(|v| key(v)));
        let base_blob = match &base {
            Some((Since::Rev { .. }, _)) => self.since_blobs.get(id).cloned(),
            Some((Since::Review { .. }, version)) => version.map(|v| v.blob.clone()),
            None => None,
        };
        // A comparison made before with this base, this version of the
        // account, this config and this day is not made again.
        let compared = base_blob.as_ref().map(|b| {
            format!(
                "{id}\0{b}\0{today}\0{context}\0{:016x}",
                version_hash(report, visits)
            )
        });
        let known_changes = compared
            .as_ref()
            .filter(|_| !self.repo.partial)
            .and_then(|k| self.cache.changes(k));
        let base_blob = base_blob.filter(|_| known_changes.is_none());
        let mut names: Vec<String> = base_blob.iter().cloned().collect();
        names.extend(
            trend_versions
                .iter()
                .filter(|v| !known.contains_key(&key(v)))
                .map(|v| v.blob.clone()),
        );
        names.sort();
        names.dedup();
        // Only a partial clone can lack the blob of a version its history
        // names: there, versions known from the cache are looked up too.
        let mut cached: Vec<String> = Vec::new();
        if self.repo.partial {
            cached = trend_versions
                .iter()
                .filter(|v| known.contains_key(&key(v)))
                .map(|v| v.blob.clone())
                .collect();
            cached.sort();
            cached.dedup();
        }
        // A git that fails leaves the dossier with dates and notes only.
        let blobs = self.read(&names, true);
        let found = self.read(&cached, false);
        let present = |blob: &String| !self.repo.partial || found.contains_key(blob);
        // Missing (a partial clone's, or lost) or corrupt: the page says so.
        let unread = names.iter().any(|n| !blobs.contains_key(n)) || !cached.iter().all(present);

        let files = report.files.as_ref();
        let mut uses: HashMap<String, usize> = HashMap::new();
        let unknown = trend_versions
            .iter()
            .filter(|v| !known.contains_key(&key(v)))
            .map(|v| &v.blob);
        for blob in unknown.chain(base_blob.as_ref()) {
            *uses.entry(blob.clone()).or_default() += 1;
        }
        let mut plans = Plans {
            id,
            contents: blobs,
            parsed: HashMap::new(),
            uses,
            sections: load::yaml::Sections::default(),
        };
        let mut fresh = Vec::new();
        let mut trend: Vec<TrendPoint> = Vec::with_capacity(trend_versions.len() + 1);
        for v in &trend_versions {
            let k = key(v);
            let (expected_return, total_cost, completeness) = match known.get(&k) {
                Some(x) if present(&v.blob) => *x,
                Some(_) => continue,
                None => {
                    let Some(parsed) = plans.take(&v.blob) else {
                        continue;
                    };
                    let e = evaluate(id, parsed, files, &self.trend_config, v.commit.date);
                    let f = e.figures.unwrap_or_default();
                    let x = (f.expected_return, f.total_cost, e.checklist.completeness());
                    fresh.push((k, x));
                    x
                }
            };
            trend.push(TrendPoint {
                date: v.commit.date,
                commit: Some(v.commit.short.clone()),
                expected_return,
                total_cost,
                completeness,
            });
        }
        if history.uncommitted && !trend.is_empty() {
            let f = report.figures.as_ref();
            trend.push(TrendPoint {
                date: today.max(trend.last().map_or(today, |t| t.date)),
                commit: None,
                expected_return: f.map_or(0.0, |f| f.expected_return),
                total_cost: f.map_or(0.0, |f| f.total_cost),
                completeness: report.checklist.completeness(),
            });
        }
        let changes = base.map(|(since_what, version)| {
            let base = match since_what {
                Since::Rev { .. } => self.since.as_ref().map(|(_, c)| c.clone()),
                Since::Review { .. } => version.map(|v| v.commit.clone()),
            };
            let changes = known_changes.or_else(|| {
                let old = base_blob
                    .as_ref()
                    .and_then(|b| plans.take(b))
                    .map(|parsed| evaluate(id, parsed, files, config, today))?;
                let changes =
                    diff::account(diff::Version::of(&old), diff::Version::of(report), false);
                if let Some(key) = compared {
                    self.cache.keep_changes(key, changes.clone());
                }
                Some(changes)
            });
            ChangesSince {
                since: since_what,
                base: changes.is_some().then_some(base).flatten(),
                changes: changes.unwrap_or_default(),
            }
        });
        self.cache.extend(fresh);
        Enriched {
            changes: changes.map(Arc::new),
            trend: trend.into(),
            unread,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::history::tests::{Kept, read, today, two_versions};

    /// Versions committed on `days` after `start`, newest first (as a
    /// history lists them), each its own blob.
    fn versions_on(start: &str, days: &[i64]) -> Vec<PlanVersion> {
        let start = Date::parse(start).unwrap().days_since_epoch();
        days.iter()
            .enumerate()
            .rev()
            .map(|(i, d)| PlanVersion {
                commit: CommitInfo {
                    id: format!("{i:040x}"),
                    short: format!("{i:07x}"),
                    date: Date::from_days_since_epoch(start + d),
                    author: "A".to_owned(),
                    subject: "Edit".to_owned(),
                    boundary: false,
                },
                blob: format!("blob-{i}"),
            })
            .collect()
    }

    /// The blobs and dates `samples` picks.
    fn sampled(versions: &[PlanVersion]) -> Vec<(String, String)> {
        samples(versions)
            .iter()
            .map(|v| (v.blob.clone(), v.commit.date.to_string()))
            .collect()
    }

    #[test]
    fn a_trend_samples_every_commit_then_the_finest_period_that_fits() {
        // Up to 24 commits: each one, oldest first, even on one day.
        let v = versions_on("2026-01-05", &[0; 24]);
        let all = sampled(&v);
        assert_eq!(all.len(), 24);
        assert_eq!(all[0].0, "blob-0");
        assert_eq!(all[23].0, "blob-23");
        // 30 commits on 12 days: the last commit of each day.
        let days: Vec<i64> = (0..30).map(|i| i * 12 / 30).collect();
        let daily = sampled(&versions_on("2026-01-05", &days));
        assert_eq!(daily.len(), 12);
        assert_eq!(daily[0], ("blob-2".to_owned(), "2026-01-05".to_owned()));
        assert_eq!(daily[11], ("blob-29".to_owned(), "2026-01-16".to_owned()));
        // 25 commits on 25 days from a Monday: four weeks, each its last.
        let days: Vec<i64> = (0..25).collect();
        let weekly = sampled(&versions_on("2026-01-05", &days));
        let dates: Vec<&str> = weekly.iter().map(|(_, d)| d.as_str()).collect();
        assert_eq!(
            dates,
            ["2026-01-11", "2026-01-18", "2026-01-25", "2026-01-29"]
        );
        // One commit every 3 days for 300 days: 43 weeks are too many, 10
        // months are not.
        let days: Vec<i64> = (0..100).map(|i| i * 3).collect();
        let monthly = sampled(&versions_on("2026-01-01", &days));
        let dates: Vec<&str> = monthly.iter().map(|(_, d)| d.as_str()).collect();
        assert_eq!(
            dates,
            [
                "2026-01-31",
                "2026-02-27",
                "2026-03-29",
                "2026-04-28",
                "2026-05-31",
                "2026-06-30",
                "2026-07-30",
                "2026-08-29",
                "2026-09-28",
                "2026-10-25"
            ]
        );
        // Monthly commits for 10 years: quarters are too many, years not;
        // 30 years: still one a year.
        let months: Vec<i64> = (0..120).map(|i| i * 30).collect();
        assert_eq!(sampled(&versions_on("2000-01-15", &months)).len(), 10);
        let years: Vec<i64> = (0..30).map(|i| i * 365).collect();
        assert_eq!(sampled(&versions_on("1990-06-01", &years)).len(), 30);
        // The trend always ends at the newest version.
        for v in [
            versions_on("2026-01-05", &days),
            versions_on("2000-01-15", &months),
        ] {
            let newest = v[0].blob.clone();
            assert_eq!(sampled(&v).last().unwrap().0, newest);
        }
    }

    #[test]
    fn an_enricher_whose_git_failed_says_so() {
        let dir = two_versions();
        let root = dir.path();
        let mut kept = Kept::default();
        let (history, reports) = read(root, &mut kept);
        let (config, _) = Config::load(root).unwrap();
        let repo = kept.repo();
        let enricher = |cache| {
            Enricher::new(repo, &config, today(), &history, None, cache)
                .unwrap()
                .unwrap()
        };
        let (account, report) = (history.account("a").unwrap(), &reports[0]);
        let cache = VersionCache::default();
        let first = enricher(cache.clone());
        let found = first.account(account, report);
        assert!(!first.failed() && found.changes.is_some_and(|c| c.base.is_some()));
        // A comparison made once is not made again: git is not asked.
        first.close_git();
        let found = first.account(account, report);
        assert!(!first.failed() && found.changes.is_some_and(|c| c.base.is_some()));
        // The plan as last reviewed can no longer be read and the comparison
        // is not known: the dossier goes without it, and the enricher is
        // not to be reused.
        let second = enricher(VersionCache::default());
        second.close_git();
        let found = second.account(account, report);
        assert!(second.failed() && found.changes.is_some_and(|c| c.base.is_none()));
    }
}
