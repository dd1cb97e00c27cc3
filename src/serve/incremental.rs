//! Rebuilds that redo only what changed, and a site rendered on request.
//!
//! An account is read again only when the watcher reported a change inside
//! its folder and its files changed size or modification time; it is checked
//! again when it was read again or the config or `today` changed. Pages are
//! rendered when the browser first asks for them, and a dossier rendered
//! once is kept until its account, the theme, the config or the account's
//! git history changes. The result is byte-identical to a full build (tested).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::history::{AccountHistory, Enricher, HistoryKey, Memo, Scan, Source};
use crate::load::{self, Loaded};
use crate::model::Date;
use crate::render::{self, RenderError, RenderOptions, Renderer, SharedPage};
use crate::{Checked, Error, pipeline};

/// An output file whose bytes are shared between rebuilds.
pub type SharedFile = (String, Arc<Vec<u8>>);

/// The theme's files and the repository's `static/` files, by path.
type Assets = Arc<HashMap<String, Arc<Vec<u8>>>>;

type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// A page rendered at most once, when first asked for; shared by the sites
/// of successive rebuilds while what it shows stays the same.
type Slot = Arc<OnceLock<Result<Arc<Vec<u8>>, String>>>;

struct Cached {
    fingerprint: Fingerprint,
    /// A symbolic link in the folder: its target may change without an
    /// event inside the folder, so it is looked at on every rebuild.
    linked: bool,
    loaded: Loaded,
    /// The account's check (report and finished diagnostics, without
    /// `plan/stale`), from check generation `.0`.
    validated: Option<(u64, (crate::AccountReport, Vec<Diagnostic>))>,
    /// Changes since review and trend, for check generation `.0` and
    /// history key `.1`.
    enriched: Option<(u64, HistoryKey, crate::history::Enriched)>,
    /// The dossier, for render generation `.0` and history key `.1` (none
    /// without history).
    page: Option<(u64, Option<HistoryKey>, Slot)>,
    /// git failed while comparing the account with its history: its
    /// dossier is not kept, and the next rebuild compares again.
    degraded: bool,
}

/// The state kept between rebuilds.
pub struct Incremental {
    root: PathBuf,
    today: Option<Date>,
    render: RenderOptions,
    exclude: Vec<PathBuf>,
    accounts: BTreeMap<String, Cached>,
    /// The texts of the config and of `people.yaml`, the theme's files and
    /// `today` of the last rebuild.
    global: Option<(Option<String>, Option<String>, Fingerprint, Date)>,
    /// Bumped when the config or `today` changes: every plan is checked again.
    checks: u64,
    /// Bumped when anything global changes: every page is rendered again.
    generation: u64,
    /// The theme of this render generation and its assets.
    renderer: Option<(Arc<Renderer>, Assets)>,
    /// What the last history read left for the next, with the trend
    /// values of plan versions checked by earlier rebuilds (and runs).
    memo: Memo,
    /// Where the last history came from: when that changes, every
    /// account's history may have changed.
    source: Source,
    /// What enriches accounts, for check generation `.0` and `HEAD` `.1`.
    enricher: Option<(u64, Option<String>, Arc<Enricher>)>,
}

/// One rebuild's result.
#[derive(Debug)]
pub struct Rebuilt {
    /// The check.
    pub checked: Arc<Checked>,
    /// The site, or why the theme cannot render it.
    pub site: Result<Arc<Site>, RenderError>,
    /// Accounts read again.
    pub reloaded: usize,
    /// Dossiers rendered during the rebuild (the edited ones; the others
    /// are rendered on request).
    pub(crate) rendered: usize,
    /// The edited accounts whose dossier could not be rendered, and why.
    pub(crate) unrendered: Vec<(String, String)>,
}

/// Dossiers of at most this many edited accounts are rendered during the
/// rebuild, so that the page is ready when the browser reloads and template
/// errors show at once; the rest waits for a request.
const EAGER: usize = 16;

impl std::fmt::Debug for Incremental {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incremental")
            .field("root", &self.root)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl Incremental {
    /// Prepares rebuilds of `root`; nothing is read yet.
    pub fn new(
        root: &Path,
        today: Option<Date>,
        render: RenderOptions,
        exclude: Vec<PathBuf>,
    ) -> Incremental {
        Incremental {
            root: root.to_owned(),
            today,
            render,
            exclude,
            accounts: BTreeMap::new(),
            global: None,
            checks: 0,
            generation: 0,
            renderer: None,
            memo: Memo::new(true),
            source: Source::NotRead,
            enricher: None,
        }
    }

    /// The files git changes when `HEAD` moves (a commit, checkout, merge
    /// or rebase), as the last rebuild found them: `HEAD`, the current
    /// branch's ref, the packed refs. Empty without git.
    pub fn head_files(&self) -> Vec<PathBuf> {
        self.memo.head_files()
    }

    /// Neither reads nor writes the history cache (`serve --no-cache`).
    pub fn no_cache(&mut self) {
        self.memo = Memo::new(false);
    }

    /// Checks the plans again and makes a new site, reusing what did not
    /// change. `changed` lists the paths the watcher reported since the last
    /// rebuild; `None` (unknown) looks at every account.
    pub fn rebuild(&mut self, changed: Option<&[PathBuf]>) -> Result<Rebuilt, Error> {
        let first = self.global.is_none();
        let (mut config, config_text) = Config::load(&self.root)?;
        let today = config.today(self.today)?;
        let (people_text, people) = crate::people::load(&self.root, &mut config);
        self.note_global(&config_text, &people_text, today);

        let touched = changed.and_then(|paths| touched_accounts(&self.root, paths));
        // git reads the history while the plans are read and checked; with
        // what the last read left, the log is read again only after a
        // commit, and `git status` looks at the touched accounts only.
        let changed = touched.clone().map(|t| t.into_iter().collect());
        let scan = Scan::start_since(&self.root, std::mem::take(&mut self.memo), changed);
        let (dirs, loaded) = load::account_dirs(&self.root, &self.exclude)?;
        // Unchanged accounts are kept as they are; the others are looked at
        // (and read again if their files changed) in parallel.
        let mut kept = BTreeMap::new();
        let mut look = Vec::new();
        for (id, dir) in dirs {
            match self.accounts.remove(&id) {
                Some(c) if !c.linked && touched.as_ref().is_some_and(|t| !t.contains(&id)) => {
                    kept.insert(id, c);
                }
                old => look.push((id, dir, old)),
            }
        }
        let looked: Vec<(String, Cached, bool)> = {
            use rayon::prelude::*;
            let (root, exclude) = (&self.root, &self.exclude);
            look.into_par_iter()
                .map(|(id, dir, old)| {
                    let fingerprint = load::fingerprint(&dir, exclude, 2);
                    match old {
                        Some(c) if c.fingerprint == fingerprint => (id, c, false),
                        _ => {
                            let cached = Cached {
                                linked: is_linked(&dir, &fingerprint),
                                loaded: load::load_account(root, &dir, &id, exclude),
                                fingerprint,
                                validated: None,
                                enriched: None,
                                page: None,
                                degraded: false,
                            };
                            (id, cached, true)
                        }
                    }
                })
                .collect()
        };
        let mut reloaded = Vec::new();
        for (id, cached, read) in looked {
            if read {
                reloaded.push(id.clone());
            }
            kept.insert(id, cached);
        }
        self.accounts = kept;
        self.validate(&config, today);

        // What was found of the folders, and `plan/stale` once git has read.
        let mut found = loaded.diagnostics;
        let ids: Vec<&str> = self.accounts.keys().map(String::as_str).collect();
        let (history, memo) = crate::read_history(scan, &ids, &mut found, &config, today);
        self.memo = memo;
        let mut accounts = Vec::with_capacity(self.accounts.len());
        for c in self.accounts.values() {
            match &c.validated {
                Some((_, checked)) => accounts.push(checked.clone()),
                // A folder that holds no account: what loading it found is
                // the run's own.
                None => found.extend(c.loaded.diagnostics.iter().cloned()),
            }
        }
        let (accounts, mut others) = pipeline::attach(accounts, found, &config);
        others
            .extend(config.check_rule_names(config_text.as_deref(), crate::validate::rules::RULES));
        others.extend(people);
        others.extend(crate::department::tier_quota(
            &config,
            config_text.as_deref(),
            accounts.iter().map(|(r, _)| r),
        ));
        let mut checked = crate::assemble(&self.root, config, today, others, accounts, history);
        if checked.history.source != self.source {
            self.source = checked.history.source.clone();
            // Once, not on every rebuild.
            if let Some(warning) = self.source.warning() {
                eprintln!("{warning}");
            }
            for c in self.accounts.values_mut() {
                (c.enriched, c.page) = (None, None);
            }
        }
        self.enrich(&mut checked);
        self.memo.save();
        let checked = Arc::new(checked);
        let site = self.site(&checked);
        // The edited dossiers are rendered now: the browser asks for them next.
        let (mut rendered, mut unrendered) = (0, Vec::new());
        if let Ok(site) = &site
            && !first
            && reloaded.len() <= EAGER
        {
            for id in &reloaded {
                match site.get(&render::dossier_path(id)) {
                    Some(Err(e)) => unrendered.push((id.clone(), e)),
                    Some(Ok(_)) => rendered += 1,
                    None => {}
                }
            }
        }
        Ok(Rebuilt {
            checked,
            site,
            reloaded: reloaded.len(),
            rendered,
            unrendered,
        })
    }

    /// Starts a new check or render generation when the config,
    /// `people.yaml`, the theme's files or `today` changed.
    fn note_global(&mut self, config_text: &Option<String>, people: &Option<String>, today: Date) {
        let mut theme = Fingerprint::new();
        for dir in ["templates", "static", "themes"] {
            theme.extend(load::fingerprint(&self.root.join(dir), &[], usize::MAX));
        }
        let global = (config_text.clone(), people.clone(), theme, today);
        let Some(old) = &self.global else {
            self.global = Some(global);
            return;
        };
        if *old != global {
            if (&old.0, &old.1, old.3) != (&global.0, &global.1, global.3) {
                self.checks += 1;
            }
            self.generation += 1;
            self.renderer = None;
            self.global = Some(global);
        }
    }

    /// Checks the accounts read again (all of them after a config change), in parallel.
    fn validate(&mut self, config: &Config, today: Date) {
        use rayon::prelude::*;
        let checks = self.checks;
        let mut stale: Vec<&mut Cached> = self
            .accounts
            .values_mut()
            .filter(|c| c.validated.as_ref().is_none_or(|v| v.0 != checks))
            .collect();
        stale.par_iter_mut().for_each(|c| {
            // One folder, one account.
            c.validated = c.loaded.accounts.first().map(|files| {
                let found = c.loaded.diagnostics.clone();
                (
                    checks,
                    pipeline::check_account(files.clone(), found, config, today),
                )
            });
        });
    }

    /// Compares the accounts with their git history, reusing what was found
    /// for accounts whose plan, history and config did not change. Without
    /// git (or when it fails) the dossiers still show dates and notes.
    fn enrich(&mut self, checked: &mut Checked) {
        use rayon::prelude::*;
        let checks = self.checks;
        let stale: Vec<(&crate::AccountReport, &AccountHistory)> =
            by_account(checked, self.accounts.iter())
                .filter_map(|(a, c, h)| {
                    let (c, h) = (c?, h?);
                    let fresh = c
                        .enriched
                        .as_ref()
                        .is_some_and(|(n, key, _)| *n == checks && h.has_key(key));
                    (!fresh).then_some((a, h))
                })
                .collect();
        if !stale.is_empty()
            && let Some(enricher) = self.enricher(checked)
        {
            let found: Vec<(String, HistoryKey, crate::history::Enriched)> = stale
                .into_par_iter()
                .map(|(a, h)| (a.files.id.clone(), h.key(), enricher.account(h, a)))
                .collect();
            let failed = enricher.failed();
            for (id, key, enriched) in found {
                if let Some(c) = self.accounts.get_mut(&id) {
                    if c.degraded || failed {
                        c.page = None;
                    }
                    c.degraded = failed;
                    if failed {
                        // Shown this once, found again by the next rebuild.
                        if let Some(h) = checked.history.accounts.get_mut(&id) {
                            enriched.apply(h);
                        }
                        c.enriched = None;
                    } else {
                        c.enriched = Some((checks, key, enriched));
                    }
                }
            }
        }
        let history = checked.history.accounts.iter_mut();
        for ((_, h), c) in join(history, self.accounts.iter(), |h| h.0, |c| c.0) {
            if let Some((_, _, enriched)) = c.and_then(|c| c.1.enriched.as_ref()) {
                enriched.clone().apply(h);
            }
        }
    }

    /// The enricher of this check generation and `HEAD`, made again when
    /// either changes or its git failed; `None` without git history.
    fn enricher(&mut self, checked: &Checked) -> Option<Arc<Enricher>> {
        let head = self.memo.head().map(str::to_owned);
        if let Some((checks, h, enricher)) = &self.enricher
            && (*checks, h) == (self.checks, &head)
            && !enricher.failed()
        {
            return Some(enricher.clone());
        }
        let enricher = Enricher::new(
            self.memo.repo(),
            &checked.config,
            checked.today,
            &checked.history,
            None,
            self.memo.versions(),
        );
        let enricher = Arc::new(enricher.ok()??);
        self.enricher = Some((self.checks, head, enricher.clone()));
        Some(enricher)
    }

    /// The site of `checked`: dossiers unchanged since the last rebuild are
    /// carried over, everything else waits for a request.
    fn site(&mut self, checked: &Arc<Checked>) -> Result<Arc<Site>, RenderError> {
        let (renderer, assets) = match &self.renderer {
            Some(r) => r.clone(),
            None => {
                let renderer = Renderer::new(&checked.root, &checked.config, &self.render)?;
                let assets = renderer
                    .assets(&checked.root)?
                    .into_iter()
                    .map(|(k, v)| (k, Arc::new(v)))
                    .collect();
                let made = (Arc::new(renderer), Arc::new(assets));
                self.renderer = Some(made.clone());
                made
            }
        };
        debug_assert!(
            checked
                .accounts
                .is_sorted_by(|a, b| a.files.id < b.files.id)
        );
        let generation = self.generation;
        let dossiers = by_account(checked, self.accounts.iter_mut())
            .map(|(account, cached, h)| {
                let cached = cached.filter(|_| renderer.has_page(&account.files))?;
                let current = !cached.degraded
                    && match (&cached.page, h) {
                        (Some((g, None, _)), None) => *g == generation,
                        (Some((g, Some(key), _)), Some(h)) => *g == generation && h.has_key(key),
                        _ => false,
                    };
                if !current {
                    cached.page = Some((generation, h.map(AccountHistory::key), Slot::default()));
                }
                cached.page.as_ref().map(|(_, _, slot)| slot.clone())
            })
            .collect();
        Ok(Arc::new(Site {
            checked: checked.clone(),
            renderer,
            assets,
            dossiers,
            shared: Default::default(),
            people: PersonFiles::default(),
        }))
    }
}

/// Each account of `checked` with its entry in `cached` and its history,
/// if any; `cached` sorted by id.
fn by_account<'a, 'c, C, I: Iterator<Item = (&'c String, C)>>(
    checked: &'a Checked,
    cached: I,
) -> impl Iterator<
    Item = (
        &'a crate::AccountReport,
        Option<C>,
        Option<&'a AccountHistory>,
    ),
> + use<'a, 'c, C, I> {
    let reports = join(checked.accounts.iter(), cached, |a| &a.files.id, |c| c.0);
    join(
        reports,
        checked.history.accounts.iter(),
        |r| &r.0.files.id,
        |h| h.0,
    )
    .map(|((a, c), h)| (a, c.map(|c| c.1), h.map(|h| h.1)))
}

/// The items of `left` with the item of `right` of the same key, if any;
/// both sorted by key, each key at most once.
fn join<A, B>(
    left: impl Iterator<Item = A>,
    right: impl Iterator<Item = B>,
    left_key: fn(&A) -> &String,
    right_key: fn(&B) -> &String,
) -> impl Iterator<Item = (A, Option<B>)> {
    let mut right = right.peekable();
    left.map(move |a| {
        let k = left_key(&a);
        while right.next_if(|b| right_key(b) < k).is_some() {}
        let b = right.next_if(|b| right_key(b) == k);
        (a, b)
    })
}

/// The ids of the accounts whose folders hold one of `paths`; `None` when a
/// path is not under `root` at all (written another way, or through a
/// link): then every account must be looked at.
fn touched_accounts(root: &Path, paths: &[PathBuf]) -> Option<HashSet<String>> {
    let accounts = root.join("accounts");
    let mut ids = HashSet::new();
    for path in paths {
        if let Ok(rel) = path.strip_prefix(&accounts) {
            ids.extend(
                rel.components()
                    .next()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned()),
            );
        } else if !path.starts_with(root) {
            return None;
        }
    }
    Some(ids)
}

/// Whether an account folder is, or holds, a symbolic link.
fn is_linked(dir: &Path, fingerprint: &Fingerprint) -> bool {
    let link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    link(dir)
        || fingerprint.iter().any(|(p, ..)| {
            p.strip_prefix(dir)
                .ok()
                .into_iter()
                .flat_map(|rel| rel.ancestors())
                .filter(|a| !a.as_os_str().is_empty())
                .any(|a| link(&dir.join(a)))
        })
}

/// One rebuild's site, held in memory; each page is rendered when first asked for.
pub struct Site {
    checked: Arc<Checked>,
    renderer: Arc<Renderer>,
    assets: Assets,
    /// The dossier of each account of `checked`, when it has one.
    dossiers: Vec<Option<Slot>>,
    shared: [OnceLock<Result<Arc<Vec<u8>>, String>>; SharedPage::ALL.len()],
    /// The people's pages and calendars rendered so far, by path.
    people: PersonFiles,
}

/// The files of people rendered on request, by path.
#[derive(Default)]
struct PersonFiles(std::sync::Mutex<HashMap<String, Rendered>>);

/// A page rendered, or why it could not be.
type Rendered = Result<Arc<Vec<u8>>, String>;

impl PersonFiles {
    fn get(&self, path: &str) -> Option<Rendered> {
        self.0.lock().ok()?.get(path).cloned()
    }

    /// Keeps `rendered` at `path` (unless another request was first) and
    /// returns what is kept.
    fn get_or_insert(&self, path: &str, rendered: Rendered) -> Rendered {
        match self.0.lock() {
            Ok(mut map) => map.entry(path.to_owned()).or_insert(rendered).clone(),
            Err(_) => rendered,
        }
    }
}

impl std::fmt::Debug for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Site")
            .field("dossiers", &self.dossiers.len())
            .field("assets", &self.assets.len())
            .finish_non_exhaustive()
    }
}

impl Site {
    /// The file at `path` (relative to the site's root), rendering it if
    /// needed; `None` when there is no such file, `Err` with the template's
    /// report when it cannot be rendered.
    pub fn get(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, String>> {
        let render = |r: Result<Vec<u8>, RenderError>| r.map(Arc::new).map_err(|e| e.to_string());
        if let Some((account, slot)) = self.dossier(path) {
            return Some(
                slot.get_or_init(|| {
                    match self
                        .renderer
                        .dossier(render::Scope::all(&self.checked), account)
                    {
                        Ok(Some((_, bytes))) => Ok(Arc::new(bytes)),
                        Ok(None) => Ok(Arc::default()),
                        Err(e) => Err(e.to_string()),
                    }
                })
                .clone(),
            );
        }
        let pages = self.renderer.pages();
        if let Some(i) = pages.iter().position(|p| p.path() == path) {
            let page = pages[i];
            return Some(
                self.shared[i]
                    .get_or_init(|| render(self.renderer.shared_page(&self.checked, page)))
                    .clone(),
            );
        }
        if let Some(page) = self.people.get(path) {
            return Some(page.clone());
        }
        if let Some(rendered) = self.renderer.person_at(&self.checked, path) {
            let rendered = render(rendered);
            // Kept for the next request; a person has two files.
            return Some(self.people.get_or_insert(path, rendered));
        }
        self.assets.get(path).cloned().map(Ok)
    }

    /// Whether the account `id` has a dossier (without rendering it).
    pub(crate) fn has_dossier(&self, id: &str) -> bool {
        self.dossier(&render::dossier_path(id)).is_some()
    }

    /// The account whose dossier is at `path`, and the page.
    fn dossier(&self, path: &str) -> Option<(&crate::AccountReport, &Slot)> {
        let id = render::dossier_id(path)?;
        let accounts = &self.checked.accounts;
        let i = accounts
            .binary_search_by(|a| a.files.id.as_str().cmp(id))
            .ok()?;
        Some((&accounts[i], self.dossiers[i].as_ref()?))
    }

    /// Every file of the site, sorted by path, rendering what is not yet.
    #[cfg(test)]
    pub(crate) fn files(&self) -> Result<Vec<SharedFile>, String> {
        let mut paths: Vec<String> = (self.checked.accounts.iter().zip(&self.dossiers))
            .filter(|(_, slot)| slot.is_some())
            .map(|(a, _)| render::dossier_path(&a.files.id))
            .collect();
        paths.extend(self.renderer.pages().iter().map(|p| p.path().to_owned()));
        if self.renderer.has_people() {
            for id in crate::department::people(&self.checked.accounts, &self.checked.config) {
                paths.push(format!("people/{id}/index.html"));
                paths.push(format!("people/{id}/calendar.ics"));
            }
        }
        paths.extend(self.assets.keys().cloned());
        paths.sort_unstable();
        paths.dedup();
        paths
            .into_iter()
            .filter_map(|p| self.get(&p).map(|r| r.map(|bytes| (p, bytes))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn full(root: &Path, today: Date) -> Vec<SharedFile> {
        let checked = crate::check(
            root,
            &crate::CheckOptions {
                today: Some(today),
                exclude: vec![],
                lean: false,
                no_cache: true,
            },
        )
        .unwrap();
        let mut checked = checked;
        checked
            .enrich(None, crate::history::VersionCache::default())
            .unwrap();
        render::render(&checked, &RenderOptions::default())
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k, Arc::new(v)))
            .collect()
    }

    /// Makes `root` a git repository with everything in it committed.
    fn commit_everything(root: &Path) {
        use crate::history::tests::git;
        git(root, "2026-03-01", &["init", "-q"]);
        git(root, "2026-03-01", &["add", "."]);
        git(root, "2026-03-01", &["commit", "-qm", "plans"]);
    }

    fn files(rebuilt: &Rebuilt) -> Vec<SharedFile> {
        rebuilt.site.as_ref().unwrap().files().unwrap()
    }

    #[test]
    fn incremental_rebuilds_equal_full_builds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let plan = |name: &str| {
            format!(
                "account: {{name: {name}, owner: a, stage: basic}}\nperiod: {{start: 2026-01-01, end: 2026-12-31}}\nteam: [{{id: a, name: A}}]\ncosts: [{{amount: 100, period: 2026-Q1}}]\nreturns: [{{amount: 300, period: 2026-Q2}}]\n"
            )
        };
        for i in 0..5 {
            write(
                root,
                &format!("accounts/acct-{i}/plan.yaml"),
                &plan(&format!("Account {i}")),
            );
        }
        write(
            root,
            "accounts/acct-1/visits/2026-03-01-x.md",
            "---\ndate: 2026-03-01\nattendees: [a]\n---\nNotes.\n",
        );
        write(root, "static/robots.txt", "User-agent: *\n");
        let today = Date::parse("2026-06-30").unwrap();
        let mut inc = Incremental::new(root, Some(today), RenderOptions::default(), vec![]);
        let first = inc.rebuild(None).unwrap();
        assert_eq!((first.reloaded, first.rendered), (5, 0));
        assert_eq!(files(&first), full(root, today));

        // One account changes: it alone is read, checked and rendered again,
        // and the result equals a full build.
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(
            root,
            "accounts/acct-3/plan.yaml",
            &plan("Renamed <&> account"),
        );
        let changed = [root.join("accounts/acct-3/plan.yaml")];
        let second = inc.rebuild(Some(&changed)).unwrap();
        assert_eq!((second.reloaded, second.rendered), (1, 1));
        assert_eq!(files(&second), full(root, today));
        // Unchanged dossiers are the very same bytes as before.
        let page = |r: &Rebuilt, id: &str| {
            let site = r.site.as_ref().unwrap();
            site.get(&render::dossier_path(id)).unwrap().unwrap()
        };
        assert!(Arc::ptr_eq(
            &page(&first, "acct-2"),
            &page(&second, "acct-2")
        ));
        assert!(!Arc::ptr_eq(
            &page(&first, "acct-3"),
            &page(&second, "acct-3")
        ));

        // A change the watcher did not report is not looked for...
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(root, "accounts/acct-4/plan.yaml", &plan("Quietly renamed"));
        assert_eq!(inc.rebuild(Some(&[])).unwrap().reloaded, 0);
        // ...but is found when the watcher cannot tell (`None`).
        let fifth = inc.rebuild(None).unwrap();
        assert_eq!(fifth.reloaded, 1);
        assert_eq!(files(&fifth), full(root, today));

        // An account disappears, another appears.
        std::fs::remove_dir_all(root.join("accounts/acct-0")).unwrap();
        write(root, "accounts/acct-9/plan.yaml", &plan("New"));
        let changed = [root.join("accounts/acct-0"), root.join("accounts/acct-9")];
        let sixth = inc.rebuild(Some(&changed)).unwrap();
        assert_eq!(files(&sixth), full(root, today));

        // A config change checks and renders everything again.
        write(root, "kaplan.toml", "language = \"en\"\n");
        let seventh = inc.rebuild(Some(&[root.join("kaplan.toml")])).unwrap();
        assert_eq!(files(&seventh), full(root, today));
        assert!(!Arc::ptr_eq(
            &page(&sixth, "acct-2"),
            &page(&seventh, "acct-2")
        ));
    }

    #[test]
    fn rebuilds_read_the_history_of_every_account() {
        use crate::history::tests::git;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let plan = |amount: u32| {
            format!(
                "account: {{name: A, owner: a}}\nperiod: {{start: 2026-01-01, end: 2026-12-31}}\nteam: [{{id: a, name: A}}]\ncosts: [{{amount: 100}}]\nreturns: [{{amount: {amount}}}]\nreview: {{last_reviewed: 2026-03-15}}\n"
            )
        };
        for id in ["a", "b"] {
            write(root, &format!("accounts/{id}/plan.yaml"), &plan(300));
        }
        commit_everything(root);
        write(root, "accounts/a/plan.yaml", &plan(500));
        git(root, "2026-04-01", &["commit", "-qam", "more"]);
        let today = Date::parse("2026-06-30").unwrap();
        let mut inc = Incremental::new(root, Some(today), RenderOptions::default(), vec![]);
        let edited = [root.join("accounts/a/plan.yaml")];
        for (i, changed) in [None, Some(&edited[..]), Some(&edited[..])]
            .into_iter()
            .enumerate()
        {
            if i == 2 {
                // Uncommitted work: the history changes, the plan too.
                std::thread::sleep(std::time::Duration::from_millis(20));
                write(root, "accounts/a/plan.yaml", &plan(900));
            }
            let rebuilt = inc.rebuild(changed).unwrap();
            let versions = |id| {
                rebuilt
                    .checked
                    .history
                    .account(id)
                    .map(|h| h.versions.len())
            };
            assert_eq!((versions("a"), versions("b")), (Some(2), Some(1)));
            let changes = rebuilt
                .checked
                .history
                .account("a")
                .unwrap()
                .changes
                .as_ref();
            assert!(changes.is_some_and(|c| !c.changes.is_empty()), "{i}");
            assert_eq!(files(&rebuilt), full(root, today), "{i}");
            let uncommitted = |id| rebuilt.checked.history.account(id).unwrap().uncommitted;
            assert_eq!((uncommitted("a"), uncommitted("b")), (i == 2, false), "{i}");
        }
        // A commit moves HEAD: the whole status is read again, though the
        // watcher (which ignores .git) reported nothing.
        git(root, "2026-05-01", &["commit", "-qam", "even more"]);
        let rebuilt = inc.rebuild(Some(&[])).unwrap();
        assert!(!rebuilt.checked.history.account("a").unwrap().uncommitted);
        assert_eq!(files(&rebuilt), full(root, today));
    }

    #[test]
    fn what_git_failed_to_read_is_read_again_by_the_next_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let plan = |amount: u32| {
            format!(
                "account: {{name: A, owner: a}}\nperiod: {{start: 2026-01-01, end: 2026-12-31}}\nreturns: [{{amount: {amount}}}]\nreview: {{last_reviewed: 2026-03-15}}\n"
            )
        };
        write(root, "accounts/a/plan.yaml", &plan(300));
        commit_everything(root);
        let today = Date::parse("2026-06-30").unwrap();
        let mut inc = Incremental::new(root, Some(today), RenderOptions::default(), vec![]);
        let compared = |r: &Rebuilt| {
            let h = r.checked.history.account("a").unwrap();
            h.changes.as_ref().is_some_and(|c| c.base.is_some())
        };
        assert!(compared(&inc.rebuild(None).unwrap()));
        // git stops while the plan is edited: the dossier goes without the
        // comparison this once...
        inc.enricher.as_ref().unwrap().2.close_git();
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(root, "accounts/a/plan.yaml", &plan(500));
        let edited = [root.join("accounts/a/plan.yaml")];
        let degraded = inc.rebuild(Some(&edited)).unwrap();
        assert!(!compared(&degraded));
        // ...and has it again after the next rebuild, page included.
        let again = inc.rebuild(Some(&[])).unwrap();
        assert!(compared(&again));
        assert_eq!(files(&again), full(root, today));
    }

    #[test]
    fn a_folder_that_becomes_a_repository_gets_its_history() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "accounts/a/plan.yaml",
            "account: {name: A, owner: a}\nperiod: {start: 2026-01-01, end: 2026-12-31}\nreview: {last_reviewed: 2026-03-15}\n",
        );
        let today = Date::parse("2026-06-30").unwrap();
        let mut inc = Incremental::new(root, Some(today), RenderOptions::default(), vec![]);
        let before = inc.rebuild(None).unwrap();
        assert!(before.checked.history.account("a").is_none());
        assert_eq!(files(&before), full(root, today));
        commit_everything(root);
        // The watcher ignores .git: it reports nothing.
        let after = inc.rebuild(Some(&[])).unwrap();
        let history = after.checked.history.account("a").unwrap();
        assert_eq!(history.versions.len(), 1);
        assert!(history.changes.is_some());
        assert_eq!(files(&after), full(root, today));
        let page = |r: &Rebuilt| {
            let site = r.site.as_ref().unwrap();
            site.get("accounts/a/index.html").unwrap().unwrap()
        };
        assert_ne!(page(&before), page(&after));
    }

    #[test]
    fn changed_paths_name_accounts_or_say_nothing() {
        let root = Path::new("/plans");
        let touched = |paths: &[&str]| {
            let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
            touched_accounts(root, &paths).map(|t| {
                let mut t: Vec<String> = t.into_iter().collect();
                t.sort();
                t
            })
        };
        assert_eq!(
            touched(&[
                "/plans/accounts/a/plan.yaml",
                "/plans/accounts/b",
                "/plans/kaplan.toml"
            ]),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(touched(&["/plans/templates/dossier.html"]), Some(vec![]));
        // Written another way (a relative root, a link): every account is looked at.
        assert_eq!(touched(&["plans/accounts/a/plan.yaml"]), None);
        assert_eq!(touched(&["/private/plans/accounts/a/plan.yaml"]), None);
    }

    /// A dossier that fails to render marks its own account; the site is
    /// still made, so the other pages stay live.
    #[test]
    fn an_edited_dossier_that_fails_to_render_is_its_accounts_problem() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let plan = |name: &str| {
            format!(
                "account: {{name: {name}, owner: a}}\nperiod: {{start: 2026-01-01, end: 2026-12-31}}\n"
            )
        };
        write(root, "accounts/a/plan.yaml", &plan("A"));
        write(root, "accounts/b/plan.yaml", &plan("B"));
        write(
            root,
            "templates/dossier.html",
            "{% if dossier.head.name == \"Broken\" %}{{ nothing.here }}{% endif %}{{ dossier.head.name }}",
        );
        let mut inc = Incremental::new(root, None, RenderOptions::default(), vec![]);
        assert!(inc.rebuild(None).unwrap().site.is_ok());
        write(root, "accounts/a/plan.yaml", &plan("Broken"));
        let rebuilt = inc
            .rebuild(Some(&[root.join("accounts/a/plan.yaml")]))
            .unwrap();
        assert_eq!(rebuilt.unrendered.len(), 1, "{:?}", rebuilt.unrendered);
        assert_eq!(rebuilt.unrendered[0].0, "a");
        assert!(rebuilt.unrendered[0].1.contains("dossier.html"));
        let site = rebuilt.site.unwrap();
        assert!(site.get("accounts/a/index.html").unwrap().is_err());
        assert_eq!(
            site.get("accounts/b/index.html")
                .unwrap()
                .unwrap()
                .as_slice(),
            b"B"
        );
    }

    #[test]
    fn a_template_error_is_reported_by_the_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "accounts/a/plan.yaml",
            "account: {name: A, owner: a}\nperiod: {start: 2026-01-01, end: 2026-12-31}\n",
        );
        let mut inc = Incremental::new(root, None, RenderOptions::default(), vec![]);
        assert!(inc.rebuild(None).unwrap().site.is_ok());
        write(root, "templates/dossier.html", "{{ nothing.here }}");
        let rebuilt = inc.rebuild(None).unwrap();
        let site = rebuilt.site.unwrap();
        let e = site.get("accounts/a/index.html").unwrap().unwrap_err();
        assert!(e.contains("dossier.html"), "{e}");
        write(root, "templates/dossier.html", "{% if %}");
        assert!(inc.rebuild(None).unwrap().site.is_err());
    }
}
