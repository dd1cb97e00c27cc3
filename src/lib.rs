//! kaplan: key-account plans in git, checked against the planning checklist.
//!
//! The pipeline, one module per stage:
//! [`load`] (files → spanned YAML → [`model`]) → [`validate`] (the rule
//! registry) → [`figures`] (section 5 of the format) → [`report`] (diagnostics
//! out).

pub mod charts;
pub mod config;
pub mod diagnostic;
pub mod figures;
pub mod history;
pub mod i18n;
pub mod load;
pub mod model;
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
use crate::figures::{Checklist, Figures};
use crate::load::LoadError;
use crate::model::{AccountFiles, Date};

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
    let (config, config_text) = Config::load(root)?;
    let today = config.today(options.today)?;
    let scan = history::Scan::start(root);
    let (dirs, loaded) = load::account_dirs(root, &exclude)?;
    let ids: Vec<&str> = dirs.iter().map(|(id, _)| id.as_str()).collect();
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(config.check_rule_names(config_text.as_deref()));
    let mut stale: std::collections::HashMap<String, Vec<Diagnostic>> = Default::default();
    let history = scan.finish(&ids);
    for d in history::stale(&history, &config, today) {
        stale.entry(d.account.clone()).or_default().push(d);
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
    let enricher = history::Enricher::new(&checked, options.since.as_deref())?;
    let renderer = render::Renderer::new(&checked, &options.render)?;
    let staging = site::Staging::begin(&out)?;
    let errors = std::sync::atomic::AtomicBool::new(
        validate::finish(diagnostics.clone(), &checked.config)
            .iter()
            .any(|d| d.level == Level::Error),
    );
    let pass = Pass {
        root,
        exclude: &exclude,
        scope: &checked,
        stale: &stale,
        enricher: enricher.as_ref(),
        renderer: &renderer,
        staging: &staging,
        errors: &errors,
        allow_errors: options.allow_errors,
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
    for (report, own, own_history) in passed {
        diagnostics.extend(own);
        if let Some(h) = own_history {
            checked.history.accounts.insert(report.files.id.clone(), h);
        }
        checked.accounts.push(report);
    }
    checked.history.since = enricher.as_ref().and_then(|e| e.since().cloned());
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
    let (shared, r) = rayon::join(|| renderer.shared(&checked), || meanwhile(&checked));
    let shared = render::finish(shared?);
    for (rel, bytes) in &shared {
        staging.write(rel, bytes)?;
    }
    let cleanup = staging.commit()?;
    let dossiers = checked
        .accounts
        .iter()
        .filter(|a| a.figures.is_some())
        .count();
    let built = Built {
        checked,
        out: Some(out),
        files: dossiers + shared.len(),
        cleanup,
    };
    Ok((built, r))
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
    /// `plan/stale` findings by account.
    stale: &'a std::collections::HashMap<String, Vec<Diagnostic>>,
    enricher: Option<&'a history::Enricher>,
    renderer: &'a render::Renderer,
    staging: &'a site::Staging,
    /// Set once any account has an error: dossiers are no longer rendered
    /// (unless `allow_errors`), as the site will not be published.
    errors: &'a std::sync::atomic::AtomicBool,
    allow_errors: bool,
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
        let (figures, found) = validate_account(&files, &scope.config, scope.today);
        let mut own = one.diagnostics;
        own.extend(found);
        own.extend(self.stale.get(id).into_iter().flatten().cloned());
        let own = validate::finish(own, &scope.config);
        let mut report = report_of(files, figures, &own);
        if report.errors > 0 {
            self.errors.store(true, Ordering::Relaxed);
        }
        let mut own_history = scope.history.account(id).cloned();
        if let (Some(e), Some(h)) = (self.enricher, &mut own_history) {
            e.account(h, &report).apply(h);
        }
        // The dossier reads the account's own diagnostics and history only.
        let one_account = Checked {
            root: scope.root.clone(),
            config: scope.config.clone(),
            today: scope.today,
            accounts: Vec::new(),
            diagnostics: own,
            history: history::History {
                source: scope.history.source.clone(),
                accounts: own_history
                    .iter()
                    .map(|h| (id.to_owned(), h.clone()))
                    .collect(),
                since: self.enricher.and_then(|e| e.since().cloned()),
            },
        };
        if (self.allow_errors || !self.errors.load(Ordering::Relaxed))
            && let Some((rel, bytes)) = self.renderer.dossier(&one_account, &report)?
        {
            self.staging.write(&rel, &bytes)?;
        }
        report.files = std::sync::Arc::new(report.files.portfolio_view());
        Ok(Some((report, one_account.diagnostics, own_history)))
    }
}

/// An account's report from its files, figures and (finished) diagnostics.
fn report_of(
    files: std::sync::Arc<AccountFiles>,
    figures: Option<Figures>,
    own: &[Diagnostic],
) -> AccountReport {
    let checklist = Checklist::from_diagnostics(own, figures.is_some());
    let errors = own.iter().filter(|d| d.level == Level::Error).count();
    AccountReport {
        checklist,
        errors,
        warnings: own.len() - errors,
        files,
        figures,
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
}

/// One account after checking.
#[derive(Debug)]
pub struct AccountReport {
    /// What was loaded.
    pub files: std::sync::Arc<AccountFiles>,
    /// Its figures; `None` when the plan could not be read.
    pub figures: Option<Figures>,
    /// The six checklist statuses.
    pub checklist: Checklist,
    /// Error-level diagnostics of the account.
    pub errors: usize,
    /// Warning-level diagnostics of the account.
    pub warnings: usize,
}

/// The result of checking a plans repository.
#[derive(Debug)]
pub struct Checked {
    /// The plans root.
    pub root: PathBuf,
    /// The config used.
    pub config: Config,
    /// The "today" used.
    pub today: Date,
    /// Every account, sorted by id.
    pub accounts: Vec<AccountReport>,
    /// Every diagnostic, sorted by account, file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// What git knows about each plan (empty without git).
    pub history: history::History,
}

impl Checked {
    /// The diagnostics of one account (they are sorted by account).
    pub fn diagnostics_of(&self, account: &str) -> &[Diagnostic] {
        of_account(&self.diagnostics, account)
    }

    /// The account `id` (accounts are sorted by id).
    pub fn account(&self, id: &str) -> Option<&AccountReport> {
        self.accounts
            .binary_search_by(|a| a.files.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.accounts[i])
    }

    /// Number of diagnostics at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.diagnostics.iter().filter(|d| d.level == level).count()
    }
}

/// Loads, validates and computes the figures of every plan under `root`.
/// Each account is checked as soon as it is read, in parallel.
pub fn check(root: &Path, options: &CheckOptions) -> Result<Checked, Error> {
    use rayon::prelude::*;
    let (config, config_text) = Config::load(root)?;
    let today = config.today(options.today)?;
    let scan = history::Scan::start(root);
    let (dirs, mut loaded) = load::account_dirs(root, &options.exclude)?;
    let checked: Vec<(load::Loaded, Validated)> = dirs
        .par_iter()
        .with_max_len(1) // as in `build`
        .map(|(id, dir)| {
            let mut one = load::load_account(root, dir, id, &options.exclude);
            let validated = one
                .accounts
                .first()
                .map(|a| validate_account(a, &config, today))
                .unwrap_or_default();
            if options.lean {
                for a in &mut one.accounts {
                    *a = std::sync::Arc::new(AccountFiles {
                        id: a.id.clone(),
                        ..AccountFiles::default()
                    });
                }
            }
            (one, validated)
        })
        .collect();
    let mut accounts = Vec::with_capacity(checked.len());
    for (one, validated) in checked {
        loaded.diagnostics.extend(one.diagnostics);
        // One folder, one account.
        accounts.extend(one.accounts.into_iter().next().map(|a| (a, validated)));
    }
    let ids: Vec<&str> = dirs.iter().map(|(id, _)| id.as_str()).collect();
    let (history, _) = read_history(scan, &ids, &mut loaded.diagnostics, &config, today);
    let mut checked = assemble_validated(
        root,
        config,
        config_text.as_deref(),
        today,
        loaded.diagnostics,
        accounts,
    );
    checked.history = history;
    Ok(checked)
}

/// Finishes reading the git history of accounts `ids` that `scan` started
/// and adds its diagnostics (`plan/stale`) to `diagnostics`; also returns
/// what the next read can reuse ([`history::Scan::start_since`]). Without
/// git the history is empty and says why.
pub fn read_history(
    scan: history::Scan,
    ids: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
    config: &Config,
    today: Date,
) -> (history::History, history::StatusMemo) {
    let (history, memo) = scan.finish_with_memo(ids);
    diagnostics.extend(history::stale(&history, config, today));
    (history, memo)
}

/// The run of `diagnostics` (sorted by account) that belongs to `account`.
fn of_account<'a>(diagnostics: &'a [Diagnostic], account: &str) -> &'a [Diagnostic] {
    let from = diagnostics.partition_point(|d| d.account.as_str() < account);
    let to = diagnostics.partition_point(|d| d.account.as_str() <= account);
    &diagnostics[from..to]
}

/// One account's figures and diagnostics (before the config's levels apply);
/// no figures when its plan could not be read.
pub type Validated = (Option<Figures>, Vec<Diagnostic>);

/// Computes the figures of one account and checks it against the rules.
pub fn validate_account(account: &AccountFiles, config: &Config, today: Date) -> Validated {
    match &account.plan {
        Some(plan) => {
            let figures = figures::compute(plan, &config.thresholds, today);
            let found = validate::check_account(account, plan, &figures, config, today);
            (Some(figures), found)
        }
        None => (None, Vec::new()),
    }
}

/// Validates loaded accounts and computes their figures: the part of
/// [`check`] after reading files.
pub fn assemble(
    root: &Path,
    config: Config,
    config_text: Option<&str>,
    today: Date,
    loaded: load::Loaded,
) -> Checked {
    use rayon::prelude::*;
    let validated: Vec<Validated> = loaded
        .accounts
        .par_iter()
        .map(|account| validate_account(account, &config, today))
        .collect();
    let accounts = loaded.accounts.into_iter().zip(validated).collect();
    assemble_validated(
        root,
        config,
        config_text,
        today,
        loaded.diagnostics,
        accounts,
    )
}

/// Builds the result of a check from accounts validated one by one (`serve`
/// keeps them between rebuilds) and the diagnostics of loading.
pub fn assemble_validated(
    root: &Path,
    config: Config,
    config_text: Option<&str>,
    today: Date,
    mut diagnostics: Vec<Diagnostic>,
    accounts: Vec<(std::sync::Arc<AccountFiles>, Validated)>,
) -> Checked {
    diagnostics.extend(config.check_rule_names(config_text));
    let mut per_account = Vec::with_capacity(accounts.len());
    for (account, (figures, found)) in accounts {
        diagnostics.extend(found);
        per_account.push((account, figures));
    }
    let diagnostics = validate::finish(diagnostics, &config);
    let accounts = per_account
        .into_iter()
        .map(|(files, figures)| {
            let own = of_account(&diagnostics, &files.id);
            report_of(files, figures, own)
        })
        .collect();
    Checked {
        root: root.to_owned(),
        config,
        today,
        accounts,
        diagnostics,
        history: history::History::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed build keeps only a view of each plan once its dossier is
    /// written: every page must still equal rendering a full check.
    #[test]
    fn a_build_equals_rendering_a_full_check() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-accounts");
        let dir = tempfile::tempdir().unwrap();
        for include_private in [false, true] {
            let out = dir.path().join(format!("site-{include_private}"));
            let render = render::RenderOptions {
                include_private,
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
            history::enrich(&mut full, None).unwrap();
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
