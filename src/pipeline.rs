//! One account through the pipeline: its files (read by [`crate::load`]
//! from a [`Source`](crate::load::Source)) → its figures
//! ([`crate::figures`]) and diagnostics ([`crate::validate`]) → its report.
//! `check`, `build`, `serve` and the history (older versions of a plan)
//! check accounts with these functions.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Level};
use crate::figures::{self, Checklist, Figures};
use crate::load::Loaded;
use crate::model::{AccountFiles, Date};
use crate::validate;

/// One account after checking.
#[derive(Debug, Clone)]
pub struct AccountReport {
    /// What was loaded.
    pub files: std::sync::Arc<AccountFiles>,
    /// Its figures; `None` when the plan could not be read.
    pub(crate) figures: Option<Figures>,
    /// The six checklist statuses.
    pub(crate) checklist: Checklist,
    /// Error-level diagnostics of the account.
    pub(crate) errors: usize,
    /// Warning-level diagnostics of the account.
    pub(crate) warnings: usize,
    /// Its actions as the pages about all accounts read them.
    pub(crate) actions: Vec<crate::model::ActionLine>,
    /// Its visit records as the pages about all accounts read them.
    pub(crate) visits: Vec<crate::model::VisitFacts>,
}

impl AccountReport {
    /// The account's tier: the plan's `account.tier`, else the one its
    /// scorecard earns.
    pub(crate) fn tier(&self) -> Option<crate::model::Tier> {
        self.files
            .plan
            .as_ref()
            .and_then(|p| p.account.as_ref())
            .and_then(|x| x.tier.as_ref())
            .map(|t| t.value)
            .or(self.figures.as_ref().and_then(|f| f.computed_tier))
    }
}

/// One account's figures and diagnostics (before the config's levels apply);
/// no figures when its plan could not be read.
type Validated = (Option<Figures>, Vec<Diagnostic>);

/// Computes the figures of one account and checks it against the rules.
fn validate_account(account: &AccountFiles, config: &Config, today: Date) -> Validated {
    match &account.plan {
        Some(plan) => {
            let figures = figures::compute(plan, &config.thresholds, today);
            let found = validate::check_account(account, plan, &figures, config, today);
            (Some(figures), found)
        }
        None => (None, Vec::new()),
    }
}

/// An account's report from its files, figures and (finished) diagnostics.
pub(crate) fn report_of(
    files: Arc<AccountFiles>,
    figures: Option<Figures>,
    own: &[Diagnostic],
) -> AccountReport {
    let checklist = Checklist::from_diagnostics(own, figures.is_some());
    let errors = own.iter().filter(|d| d.level == Level::Error).count();
    AccountReport {
        checklist,
        errors,
        warnings: own.len() - errors,
        actions: files
            .plan
            .iter()
            .flat_map(|p| &p.actions)
            .map(crate::model::ActionLine::of)
            .collect(),
        visits: files
            .visits
            .iter()
            .map(crate::model::VisitFacts::of)
            .collect(),
        files,
        figures,
    }
}

/// The report of account `id` among `reports` (sorted by id).
pub(crate) fn find<'a>(reports: &'a [AccountReport], id: &str) -> Option<&'a AccountReport> {
    reports
        .binary_search_by(|a| a.files.id.as_str().cmp(id))
        .ok()
        .map(|i| &reports[i])
}

/// Checks one account as of `today`: its report, and its diagnostics —
/// `found` (loading's, and findings from outside the rules such as
/// `plan/stale`) and the rules' — with the config's levels applied.
pub(crate) fn check_account(
    files: Arc<AccountFiles>,
    mut found: Vec<Diagnostic>,
    config: &Config,
    today: Date,
) -> (AccountReport, Vec<Diagnostic>) {
    let files = config.people.fill_names(files);
    let (figures, rules) = validate_account(&files, config, today);
    found.extend(rules);
    let own = validate::finish(found, config);
    (report_of(files, figures, &own), own)
}

/// Adds findings made outside the accounts' checks — problems with their
/// folders, `plan/stale` once the history is read — to the accounts they
/// name, with the config's levels applied; returns the accounts, and the
/// findings of no account checked (the run's own).
pub(crate) fn attach(
    accounts: Vec<(AccountReport, Vec<Diagnostic>)>,
    found: Vec<Diagnostic>,
    config: &Config,
) -> (Vec<(AccountReport, Vec<Diagnostic>)>, Vec<Diagnostic>) {
    let (mut by_id, mut others) = by_account(found);
    let accounts = accounts
        .into_iter()
        .map(|(report, own)| {
            let later = by_id.remove(&report.files.id).unwrap_or_default();
            add_found(report, own, later, config)
        })
        .collect();
    others.extend(by_id.into_values().flatten());
    (accounts, others)
}

/// Adds to an account's check findings made outside it, with the config's
/// levels applied.
fn add_found(
    report: AccountReport,
    mut own: Vec<Diagnostic>,
    later: Vec<Diagnostic>,
    config: &Config,
) -> (AccountReport, Vec<Diagnostic>) {
    if later.is_empty() {
        return (report, own);
    }
    own.extend(later);
    let own = validate::finish(own, config);
    (report_of(report.files, report.figures, &own), own)
}

/// Diagnostics by account, and those of no account.
pub(crate) fn by_account(
    diagnostics: Vec<Diagnostic>,
) -> (HashMap<String, Vec<Diagnostic>>, Vec<Diagnostic>) {
    let (mut mine, mut none) = (HashMap::<String, Vec<Diagnostic>>::new(), Vec::new());
    for d in diagnostics {
        if d.account.is_empty() {
            none.push(d);
        } else {
            mine.entry(d.account.clone()).or_default().push(d);
        }
    }
    (mine, none)
}

/// Checks every account `loaded` holds, in parallel, each with the
/// diagnostics of loading it: their reports, sorted by id.
pub(crate) fn check_loaded(loaded: Loaded, config: &Config, today: Date) -> Vec<AccountReport> {
    use rayon::prelude::*;
    let (mut found, _) = by_account(loaded.diagnostics);
    let accounts: Vec<(Arc<AccountFiles>, Vec<Diagnostic>)> = loaded
        .accounts
        .into_iter()
        .map(|files| {
            let own = found.remove(&files.id).unwrap_or_default();
            (files, own)
        })
        .collect();
    accounts
        .into_par_iter()
        .map(|(files, own)| check_account(files, own, config, today).0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Setting;
    use crate::figures::Status;
    use crate::validate::rules::RULES;

    /// The questions of a checklist that fail.
    fn failing(report: &AccountReport) -> Vec<crate::diagnostic::Question> {
        report
            .checklist
            .0
            .iter()
            .filter(|(_, s)| *s == Status::Fail)
            .map(|(q, _)| *q)
            .collect()
    }

    #[test]
    fn the_error_level_rules_alone_fail_the_same_questions() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-accounts");
        let checked = crate::check(&root, &crate::CheckOptions::default()).unwrap();
        // As configured; every rule an error; errors and warnings swapped.
        let mut all_errors = checked.config.clone();
        let mut swapped = checked.config.clone();
        for rule in RULES {
            all_errors
                .rules
                .insert(rule.name.to_owned(), Setting::Error);
            let other = match checked.config.level(rule) {
                Some(crate::diagnostic::Level::Error) => Setting::Warning,
                _ => Setting::Error,
            };
            swapped.rules.insert(rule.name.to_owned(), other);
        }
        let mut failed = 0;
        for config in [&checked.config, &all_errors, &swapped] {
            let lean = config.errors_only(RULES);
            for account in &checked.accounts {
                let check = |config| {
                    check_account(account.files.clone(), Vec::new(), config, checked.today).0
                };
                let (full, errors) = (check(config), check(&lean));
                assert_eq!(failing(&full), failing(&errors), "{}", account.files.id);
                assert_eq!(
                    full.checklist.completeness(),
                    errors.checklist.completeness()
                );
                failed += failing(&full).len();
            }
        }
        // Questions failed: the comparison saw errors, not only passes.
        assert!(failed > 8, "{failed}");
    }
}
