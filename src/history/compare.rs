//! `kaplan diff`: the accounts of two revisions (or of a revision and the
//! working tree), each read and checked as `kaplan check` reads and checks
//! the working tree, paired by folder (renames found by name or plan), and
//! compared in the plan's own terms.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::{CommitInfo, GitError, HistoryError, commit_info, diff, git};
use crate::config::Config;
use crate::load::{Source, Tree};
use crate::model::{AccountFiles, Date};
use crate::pipeline::{self, AccountReport, find};

/// One side of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The revision as given; `None` for the working tree.
    pub(crate) rev: Option<String>,
    /// Its commit; `None` for the working tree.
    pub(crate) commit: Option<CommitInfo>,
}

impl Side {
    /// "HEAD (1a2b3c4, 2026-03-01)" or "the working tree".
    pub(crate) fn describe(&self, language: crate::config::Language) -> String {
        match (&self.rev, &self.commit) {
            (Some(rev), Some(c)) if c.id.starts_with(rev.as_str()) => {
                format!("{} ({})", c.short, c.date)
            }
            (Some(rev), Some(c)) => format!("{rev} ({}, {})", c.short, c.date),
            (Some(rev), None) => rev.clone(),
            _ => super::report::WORKING_TREE.get(language).into(),
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
    pub(crate) id: String,
    /// The customer's name.
    pub(crate) name: Option<String>,
    /// What happened.
    pub(crate) status: AccountStatus,
    /// The folder name before, for renames.
    pub(crate) renamed_from: Option<String>,
    /// The changes, in the plan's terms.
    pub(crate) changes: Vec<diff::Change>,
}

/// `kaplan diff`: the changes of every account between two sides.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The older side.
    pub(crate) from: Side,
    /// The newer side.
    pub(crate) to: Side,
    /// Accounts that changed, by id.
    pub(crate) accounts: Vec<AccountDiff>,
}

/// The plans of the tree of `commit`: every file the loader reads, read
/// from git. A file that cannot be read is an error: the diff would say
/// it was removed.
fn tree_at(repo: &git::Repo, commit: &str) -> Result<Tree, HistoryError> {
    let files = repo.tree(commit)?;
    let names: Vec<String> = files
        .iter()
        .filter(|(path, _)| Tree::reads(path))
        .map(|(_, blob)| blob.clone())
        .collect();
    let blobs = repo.cat_file(true)?.blobs(&names)?;
    let mut tree = Tree::default();
    for (path, blob) in files {
        let content = match (Tree::reads(&path), blobs.get(&blob)) {
            (false, _) => None,
            (true, Some(content)) => Some(content.clone()),
            (true, None) => {
                return Err(HistoryError::Git(GitError {
                    command: format!("cat-file --batch ({commit})"),
                    message: format!(
                        "`{}` (object {blob}) cannot be read: the object is missing or corrupt (kaplan does not fetch what a partial clone lacks)",
                        git::sanitize(path.as_bytes())
                    ),
                }));
            }
        };
        tree.add(&path, content);
    }
    Ok(tree)
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
/// with revision `to` (default: the working tree), judging both by
/// `config` (the current `kaplan.toml`) as of `today`.
pub fn compare(
    root: &Path,
    config: &Config,
    today: Date,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Comparison, HistoryError> {
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
    let side = |s: &Side| -> Result<Vec<AccountReport>, HistoryError> {
        let source = match &s.commit {
            Some(c) => Source::Tree(tree_at(&repo, &c.id)?),
            None => Source::WorkTree { root, exclude: &[] },
        };
        Ok(pipeline::check_loaded(source.load()?, config, today))
    };
    let old = side(&from_side)?;
    let new = side(&to_side)?;
    Ok(Comparison {
        accounts: accounts(&old, &new),
        from: from_side,
        to: to_side,
    })
}

/// Pairs the accounts of two checks (sorted by id) by id; a removed and an added folder
/// with the same customer name (or the same plan) are one renamed account.
fn accounts(old: &[AccountReport], new: &[AccountReport]) -> Vec<AccountDiff> {
    let mut out = Vec::new();
    let removed: Vec<&AccountReport> = old
        .iter()
        .filter(|a| find(new, &a.files.id).is_none())
        .collect();
    let mut renamed_from: HashMap<&str, &AccountReport> = HashMap::new();
    for a in new.iter().filter(|a| find(old, &a.files.id).is_none()) {
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
    for a in new {
        let name = account_name(&a.files);
        match (
            find(old, &a.files.id),
            renamed_from.get(a.files.id.as_str()),
        ) {
            (Some(before), _) => {
                let changes = diff::account(diff::Version::of(before), diff::Version::of(a), true);
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
                changes: diff::account(diff::Version::of(r), diff::Version::of(a), true),
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
