//! kaplan: key-account plans in git, checked against the planning checklist.
//!
//! The pipeline, one module per stage:
//! [`load`] (files → spanned YAML → [`model`]) → [`validate`] (the rule
//! registry) → [`figures`] (section 5 of the format) → [`report`] (diagnostics
//! out); `pipeline` takes one account through it.

pub mod charts;
pub mod config;
pub mod department;
pub mod diagnostic;
pub mod figures;
pub mod history;
pub mod i18n;
pub mod load;
pub mod message;
pub mod model;
pub mod people;
mod pipeline;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod text;
pub mod validate;

/// What unit tests share.
#[cfg(test)]
pub(crate) mod testing {
    /// A xorshift64 sequence: cheap, deterministic inputs for tests that
    /// compare a fast path with the simple one on many values.
    pub(crate) struct Rng(u64);

    impl Rng {
        /// A sequence from `seed` (not zero).
        pub(crate) fn new(seed: u64) -> Rng {
            Rng(seed)
        }

        /// The next number.
        pub(crate) fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        /// The next number below `n`.
        pub(crate) fn below(&mut self, n: usize) -> usize {
            (self.next_u64() % n as u64) as usize
        }
    }
}

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::config::{Config, ConfigError};
use crate::diagnostic::{Diagnostic, Level};
use crate::load::LoadError;
use crate::model::{AccountFiles, Date};
pub use crate::pipeline::AccountReport;

/// How to build the site.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides kaplan.toml's `today`.
    pub today: Option<Date>,
    /// The output folder (default `ROOT/public`).
    pub out: Option<PathBuf>,
    /// How to render.
    pub render: render::RenderOptions,
    /// Publish even when plans have errors.
    pub allow_errors: bool,
    /// Show what changed since this git revision in every dossier (instead
    /// of since each plan's last review).
    pub since: Option<String>,
    /// Neither read nor write the history cache (in the git directory).
    pub no_cache: bool,
}

/// What a build did.
#[derive(Debug)]
pub struct Built {
    /// The check that preceded rendering.
    pub checked: Checked,
    /// Where the site went; `None` when errors stopped publishing.
    pub out: Option<PathBuf>,
    /// Files written.
    pub files: usize,
    /// The previous site, still being deleted: [`site::Cleanup::finish`]
    /// says whether that worked.
    pub cleanup: site::Cleanup,
}

/// Checks, renders and publishes the site. Plans with errors stop the build
/// before anything is published, unless `allow_errors`.
///
/// One parallel pass reads, checks and (with git) compares each account
/// with its history, renders its dossier straight into the staging folder
/// and keeps only what the pages about all accounts need
/// ([`AccountFiles::portfolio_view`]); so a build holds one plan per thread,
/// never the whole portfolio's plans or pages.
///
/// `meanwhile` runs on the checked portfolio while the pages about all
/// accounts render (the CLI formats the diagnostics there); what it returns
/// comes back beside the build.
pub fn build<R: Send>(
    root: &Path,
    options: &BuildOptions,
    meanwhile: impl FnOnce(&Checked) -> R + Send,
) -> Result<(Built, R), Error> {
    use rayon::prelude::*;
    let out = options.out.clone().unwrap_or_else(|| root.join("public"));
    let out = site::check_output(root, &out)?;
    let exclude = vec![out.clone()];
    let (mut config, config_text) = Config::load(root)?;
    let today = config.today(options.today)?;
    let scan = history::Scan::start(root, !options.no_cache);
    let (_, people) = people::load(root, &mut config);
    let (dirs, loaded) = load::account_dirs(root, &exclude)?;
    let ids: Vec<&str> = dirs.iter().map(|(id, _)| id.as_str()).collect();
    // What was found of each account before it is read: problems with its
    // folder, and `plan/stale`.
    let (mut found, mut diagnostics) = pipeline::by_account(loaded.diagnostics);
    diagnostics.extend(config.check_rule_names(config_text.as_deref(), validate::rules::RULES));
    diagnostics.extend(people);
    // Made while git reads.
    let renderer = render::Renderer::new(root, &config, &options.render)?;
    let staging = site::Staging::begin(&out)?;
    let (history, mut memo) = scan.finish(&ids);
    for d in history::stale(&history, &config, today) {
        found.entry(d.account.clone()).or_default().push(d);
    }
    // Everything but the accounts: what rendering a dossier reads besides
    // its own account, diagnostics and history.
    let mut checked = Checked {
        root: root.to_owned(),
        config,
        today,
        accounts: Vec::new(),
        diagnostics: Vec::new(),
        history,
    };
    let enricher = history::Enricher::new(
        memo.repo(),
        &checked.config,
        today,
        &checked.history,
        options.since.as_deref(),
        memo.versions(),
    )?;
    let errors = std::sync::atomic::AtomicBool::new(
        validate::finish(diagnostics.clone(), &checked.config)
            .iter()
            .any(|d| d.level == Level::Error),
    );
    let written = std::sync::atomic::AtomicUsize::new(0);
    let pass = Pass {
        root,
        exclude: &exclude,
        scope: &checked,
        found: &found,
        enricher: enricher.as_ref(),
        renderer: &renderer,
        staging: &staging,
        errors: &errors,
        allow_errors: options.allow_errors,
        written: &written,
    };
    // One account per job: rayon otherwise folds runs of accounts on one
    // thread that the other cannot steal, and finishes up to a tenth of the
    // pass on one core.
    let passed: Vec<Passed> = dirs
        .par_iter()
        .with_max_len(1)
        .map(|(id, dir)| pass.account(id, dir))
        .filter_map(Result::transpose)
        .collect::<Result<_, Error>>()?;
    // Those of folders that hold no account are the run's own.
    let read: std::collections::HashSet<&str> =
        passed.iter().map(|(r, ..)| r.files.id.as_str()).collect();
    found.retain(|id, _| !read.contains(id.as_str()));
    diagnostics.extend(found.into_values().flatten());
    for (report, own, own_history) in passed {
        diagnostics.extend(own);
        if let Some(h) = own_history {
            checked.history.accounts.insert(report.files.id.clone(), h);
        }
        checked.accounts.push(report);
    }
    diagnostics.extend(department::tier_quota(
        &checked.config,
        config_text.as_deref(),
        &checked.accounts,
    ));
    checked.history.since = enricher.as_ref().and_then(|e| e.since().cloned());
    drop(enricher);
    memo.save();
    // The log and the compared versions are not read again.
    drop(memo);
    checked.diagnostics = validate::finish(diagnostics, &checked.config);
    if checked.count(Level::Error) > 0 && !options.allow_errors {
        // Dropping the staging folder removes what was written.
        let r = meanwhile(&checked);
        let built = Built {
            checked,
            out: None,
            files: 0,
            cleanup: site::Cleanup::default(),
        };
        return Ok((built, r));
    }
    let (shared, r) = rayon::join(
        || renderer.shared(&checked, &staging),
        || meanwhile(&checked),
    );
    let shared = shared?;
    let cleanup = staging.commit()?;
    let built = Built {
        checked,
        out: Some(out),
        files: written.into_inner() + shared,
        cleanup,
    };
    Ok((built, r))
}

impl render::Sink for site::Staging {
    type Error = Error;

    fn file(
        &self,
        rel: &str,
        fill: &dyn Fn(&mut dyn std::io::Write) -> Result<(), render::RenderError>,
    ) -> Result<(), Error> {
        let mut file = self.create(rel)?;
        if let Err(e) = fill(&mut file) {
            // A failure to write is the folder's, not the template's.
            return Err(file.failed().map_or(Error::from(e), Error::from));
        }
        Ok(file.finish()?)
    }
}

/// What the build's pass keeps of an account: its report (with the
/// portfolio view of its files), its diagnostics and its history.
type Passed = (
    AccountReport,
    Vec<Diagnostic>,
    Option<history::AccountHistory>,
);

/// What [`build`]'s pass over the accounts shares.
struct Pass<'a> {
    root: &'a Path,
    exclude: &'a [PathBuf],
    /// Everything but the accounts.
    scope: &'a Checked,
    /// What was found of each account before it is read (`plan/stale`).
    found: &'a std::collections::HashMap<String, Vec<Diagnostic>>,
    enricher: Option<&'a history::Enricher>,
    renderer: &'a render::Renderer,
    staging: &'a site::Staging,
    /// Set once any account has an error: dossiers are no longer rendered
    /// (unless `allow_errors`), as the site will not be published.
    errors: &'a std::sync::atomic::AtomicBool,
    allow_errors: bool,
    /// How many account pages were written.
    written: &'a std::sync::atomic::AtomicUsize,
}

impl Pass<'_> {
    /// Reads, checks, compares and renders one account; `None` for a folder
    /// that holds no account.
    fn account(&self, id: &str, dir: &Path) -> Result<Option<Passed>, Error> {
        use std::sync::atomic::Ordering;
        let scope = self.scope;
        let mut one = load::load_account(self.root, dir, id, self.exclude);
        let Some(files) = one.accounts.pop() else {
            return Ok(None);
        };
        let mut found = one.diagnostics;
        found.extend(self.found.get(id).into_iter().flatten().cloned());
        let (mut report, own) = pipeline::check_account(files, found, &scope.config, scope.today);
        if report.errors > 0 {
            self.errors.store(true, Ordering::Relaxed);
        }
        let mut own_history = scope.history.account(id).cloned();
        if let (Some(e), Some(h)) = (self.enricher, &mut own_history) {
            e.account(h, &report).apply(h);
        }
        // The dossier reads the account's own diagnostics and history only.
        if self.allow_errors || !self.errors.load(Ordering::Relaxed) {
            let one = render::Scope::one(
                &scope.config,
                scope.today,
                &report,
                &own,
                &scope.history.source,
                own_history.as_ref(),
            );
            if let Some((rel, bytes)) = self.renderer.dossier(one, &report)? {
                self.staging.write(&rel, &bytes)?;
                self.written.fetch_add(1, Ordering::Relaxed);
            }
        }
        let mut kept = self.renderer.keep(&report.files);
        // Reports quote only the files with findings.
        kept.masked
            .retain(|file, _| own.iter().any(|d| d.file == *file));
        report.files = std::sync::Arc::new(kept);
        let own_history = own_history
            .as_ref()
            .map(history::AccountHistory::portfolio_view);
        Ok(Some((report, own, own_history)))
    }
}

/// A failure that stops a command (exit code 2).
#[derive(Debug, Error)]
pub enum Error {
    /// The plans cannot be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// `kaplan.toml` is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The theme or a template failed.
    #[error(transparent)]
    Render(#[from] render::RenderError),
    /// The site could not be written.
    #[error(transparent)]
    Site(#[from] site::SiteError),
    /// Git history that was asked for cannot be read.
    #[error(transparent)]
    History(#[from] history::HistoryError),
}

/// How to check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Overrides the config's `today`.
    pub today: Option<Date>,
    /// Folders never read as input (the output folder).
    pub exclude: Vec<PathBuf>,
    /// Keep of each account only its id once it is checked (its plan and
    /// pages are dropped): all that `kaplan check` needs, in a fraction of
    /// the memory.
    pub lean: bool,
    /// Neither read nor write the history cache (in the git directory).
    pub no_cache: bool,
}

/// The result of checking a plans repository.
#[derive(Debug)]
pub struct Checked {
    /// The plans root.
    pub(crate) root: PathBuf,
    /// The config used.
    pub(crate) config: Config,
    /// The "today" used.
    pub(crate) today: Date,
    /// Every account, sorted by id.
    pub accounts: Vec<AccountReport>,
    /// Every diagnostic, sorted by account, file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// What git knows about each plan (empty without git).
    pub history: history::History,
}

impl Checked {
    /// The account `id` (accounts are sorted by id).
    pub(crate) fn account(&self, id: &str) -> Option<&AccountReport> {
        pipeline::find(&self.accounts, id)
    }

    /// The lines of `file` that reports never quote, as its loader found
    /// them; `None` when it did not (the report then finds them itself).
    pub(crate) fn masked(&self, file: &str) -> Option<&model::Masked> {
        let id = file.strip_prefix("accounts/")?.split('/').next()?;
        self.account(id)?.files.masked.get(file)
    }

    /// The language of messages and of the site.
    pub fn language(&self) -> config::Language {
        self.config.language()
    }

    /// Number of diagnostics at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.diagnostics.iter().filter(|d| d.level == level).count()
    }

    /// Adds to every account's history what a build adds to each (the
    /// changes since the last review or `since`, the trend), what checking
    /// plan versions found kept in `cache`.
    #[cfg(test)]
    pub(crate) fn enrich(
        &mut self,
        since: Option<&str>,
        cache: history::VersionCache,
    ) -> Result<(), history::HistoryError> {
        use rayon::prelude::*;
        let repo = history::git::Repo::open(&self.root).ok();
        let enricher = history::Enricher::new(
            repo.as_ref(),
            &self.config,
            self.today,
            &self.history,
            since,
            cache,
        )?;
        let Some(enricher) = enricher else {
            return Ok(());
        };
        let history = &self.history;
        let found: Vec<(String, history::Enriched)> = self
            .accounts
            .par_iter()
            .filter_map(|a| {
                let id = &a.files.id;
                Some((id.clone(), enricher.account(history.account(id)?, a)))
            })
            .collect();
        self.history.since = enricher.since().cloned();
        for (id, enriched) in found {
            if let Some(a) = self.history.accounts.get_mut(&id) {
                enriched.apply(a);
            }
        }
        Ok(())
    }
}

/// Loads, validates and computes the figures of every plan under `root`.
/// Each account is checked as soon as it is read, in parallel, while git
/// reads the history; its `plan/stale` finding is added once that is read.
pub fn check(root: &Path, options: &CheckOptions) -> Result<Checked, Error> {
    use rayon::prelude::*;
    let (mut config, config_text) = Config::load(root)?;
    let today = config.today(options.today)?;
    // `plan/stale` needs only the last changes; the full history is read
    // for whoever keeps the accounts.
    let memo = history::Memo::new(!options.no_cache);
    let memo = if options.lean {
        memo.lean(history::fresh_since(&config, today))
    } else {
        memo
    };
    let scan = history::Scan::start_since(root, memo, None);
    let (_, people) = people::load(root, &mut config);
    let (dirs, loaded) = load::account_dirs(root, &options.exclude)?;
    let accounts: Vec<(AccountReport, Vec<Diagnostic>)> = dirs
        .par_iter()
        .with_max_len(1) // as in `build`
        .filter_map(|(id, dir)| {
            let one = load::load_account(root, dir, id, &options.exclude);
            // One folder, one account.
            let files = one.accounts.into_iter().next()?;
            let (mut report, own) = pipeline::check_account(files, one.diagnostics, &config, today);
            if options.lean {
                // The account's tier and status stay for the tier quota.
                let plan = report.files.plan.as_ref().map(|p| model::Plan {
                    account: p.account.clone(),
                    ..model::Plan::default()
                });
                report.files = std::sync::Arc::new(AccountFiles {
                    id: report.files.id.clone(),
                    masked: report.files.masked.clone(),
                    plan,
                    ..AccountFiles::default()
                });
                report.actions = Vec::new();
                report.visits = Vec::new();
            }
            Some((report, own))
        })
        .collect();
    let ids: Vec<&str> = dirs.iter().map(|(id, _)| id.as_str()).collect();
    // What was found of the folders, and `plan/stale` once git has read.
    let mut found = loaded.diagnostics;
    let (history, mut memo) = scan.finish(&ids);
    found.extend(history::stale(&history, &config, today));
    memo.save();
    let (accounts, mut diagnostics) = pipeline::attach(accounts, found, &config);
    diagnostics.extend(config.check_rule_names(config_text.as_deref(), validate::rules::RULES));
    diagnostics.extend(people);
    diagnostics.extend(department::tier_quota(
        &config,
        config_text.as_deref(),
        accounts.iter().map(|(r, _)| r),
    ));
    Ok(assemble(
        root,
        config,
        today,
        diagnostics,
        accounts,
        history,
    ))
}

/// Finishes reading the git history of accounts `ids` that `scan` started
/// and adds its diagnostics (`plan/stale`) to `diagnostics`; also returns
/// what the next read can reuse ([`history::Scan::start_since`]). Without
/// git the history is empty and says why.
pub(crate) fn read_history(
    scan: history::Scan,
    ids: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
    config: &Config,
    today: Date,
) -> (history::History, history::Memo) {
    let (history, memo) = scan.finish_with_memo(ids);
    diagnostics.extend(history::stale(&history, config, today));
    (history, memo)
}

/// The result of a check: every account's report (sorted by id) and every
/// diagnostic — the accounts' own (finished) and the run's `others` (the
/// config's, and those of folders that hold no account) — sorted, with the
/// config's levels applied.
fn assemble(
    root: &Path,
    config: Config,
    today: Date,
    others: Vec<Diagnostic>,
    accounts: Vec<(AccountReport, Vec<Diagnostic>)>,
    history: history::History,
) -> Checked {
    let mut diagnostics = others;
    let mut reports = Vec::with_capacity(accounts.len());
    for (report, own) in accounts {
        diagnostics.extend(own);
        reports.push(report);
    }
    Checked {
        root: root.to_owned(),
        diagnostics: validate::finish(diagnostics, &config),
        config,
        today,
        accounts: reports,
        history,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed build keeps only a view of each plan once its dossier is
    /// written: every page must still equal rendering a full check (as
    /// `serve` does), for the team and for the customer.
    #[test]
    fn a_build_equals_rendering_a_full_check() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-accounts");
        let dir = tempfile::tempdir().unwrap();
        let runs = [
            (false, render::Audience::Team),
            (true, render::Audience::Team),
            (false, render::Audience::Customer),
        ];
        for (include_private, audience) in runs {
            let out = dir
                .path()
                .join(format!("site-{include_private}-{}", audience.as_str()));
            let render = render::RenderOptions {
                include_private,
                audience,
                ..Default::default()
            };
            let built = build(
                &root,
                &BuildOptions {
                    out: Some(out.clone()),
                    render: render.clone(),
                    ..Default::default()
                },
                |checked| checked.diagnostics.len(),
            )
            .unwrap();
            let (built, seen_meanwhile) = built;
            assert!(built.out.is_some());
            let mut full = check(&root, &CheckOptions::default()).unwrap();
            full.enrich(None, history::VersionCache::default()).unwrap();
            assert_eq!(built.checked.diagnostics.len(), full.diagnostics.len());
            assert_eq!(seen_meanwhile, full.diagnostics.len());
            let files = render::render(&full, &render).unwrap();
            assert_eq!(built.files, files.len());
            for (rel, bytes) in files {
                let written = std::fs::read(out.join(&rel)).unwrap();
                assert!(written == bytes, "{rel} differs");
            }
        }
    }
}
