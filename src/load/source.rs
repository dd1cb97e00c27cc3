//! Where plans are read from: the working tree, or a git tree at a
//! revision. One loader reads both, with the same file selection and the
//! same decoding (UTF-8 only, no NUL, at most [`MAX_FILE_BYTES`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{
    LoadError, Loaded, MAX_FILE_BYTES, add_file, begin_account, decode, input, is_account_folder,
    load_accounts, missing_plan, parse_plan, too_large,
};
use crate::diagnostic::Sink;
use crate::model::Plan;

/// Where plans are read from.
#[derive(Debug)]
pub enum Source<'a> {
    /// The files under the plans root `root`, the folders in `exclude`
    /// (the output folder) left out.
    WorkTree {
        /// The plans root.
        root: &'a Path,
        /// Folders never read.
        exclude: &'a [PathBuf],
    },
    /// The files of a git tree.
    Tree(Tree),
}

impl Source<'_> {
    /// Reads every account, sorted by id.
    pub fn load(self) -> Result<Loaded, LoadError> {
        match self {
            Source::WorkTree { root, exclude } => load_accounts(root, exclude),
            Source::Tree(tree) => Ok(tree.load()),
        }
    }
}

/// The plans of a git tree at one revision: its account folders, and the
/// content of the files the loader reads in them.
#[derive(Debug, Default)]
pub struct Tree {
    /// Per account id: its files that are read (path relative to the plans
    /// root, content).
    accounts: BTreeMap<String, Vec<(String, Vec<u8>)>>,
}

impl Tree {
    /// Whether the loader reads the file at `path` (relative to the plans
    /// root, `/`-separated): only those files' contents are needed.
    pub fn reads(path: &str) -> bool {
        input(path).is_some()
    }

    /// Adds the committed file at `path`, with its content when the loader
    /// reads it ([`Tree::reads`]); any file makes its folder an account.
    pub fn add(&mut self, path: &str, content: Option<Vec<u8>>) {
        let Some((id, _)) = path
            .strip_prefix("accounts/")
            .and_then(|p| p.split_once('/'))
        else {
            return;
        };
        if !is_account_folder(id) {
            return;
        }
        let files = self.accounts.entry(id.to_owned()).or_default();
        if let (true, Some(content)) = (Tree::reads(path), content) {
            files.push((path.to_owned(), content));
        }
    }

    /// Reads every account, in parallel.
    fn load(self) -> Loaded {
        use rayon::prelude::*;
        let accounts: Vec<Loaded> = self
            .accounts
            .into_par_iter()
            .map(|(id, files)| account(&id, files))
            .collect();
        let mut loaded = Loaded::default();
        for one in accounts {
            loaded.merge(one);
        }
        loaded
    }
}

/// Reads account `id` from its committed `files`, as the working tree's
/// folder is read.
fn account(id: &str, mut files: Vec<(String, Vec<u8>)>) -> Loaded {
    let mut loaded = Loaded::default();
    let plan_file = format!("accounts/{id}/plan.yaml");
    let (mut account, mut sink) = begin_account(id, &plan_file);
    if !files.iter().any(|(path, _)| *path == plan_file) {
        missing_plan(id, &mut sink);
    }
    loaded.diagnostics.append(&mut sink.diagnostics);
    // By file name, as the working tree is walked.
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (path, content) in files {
        let Some((_, kind)) = input(&path) else {
            continue;
        };
        let mut sink = Sink::new(id, &path);
        if let Some(text) = decode(committed(content), &mut sink) {
            add_file(&mut account, kind, &path, &text, &mut sink);
        }
        loaded.diagnostics.append(&mut sink.diagnostics);
    }
    loaded.accounts.push(Arc::new(account));
    loaded
}

/// Committed content, refused as a file on disk is above the size limit.
fn committed(content: Vec<u8>) -> std::io::Result<Vec<u8>> {
    let size = content.len() as u64;
    if size > MAX_FILE_BYTES {
        return Err(too_large(size, MAX_FILE_BYTES));
    }
    Ok(content)
}

/// Reads committed content of `plan.yaml` (the sink's file) as the loader
/// reads the file; `None` when it cannot be read as a plan.
pub fn committed_plan(content: Vec<u8>, sink: &mut Sink) -> Option<Plan> {
    decode(committed(content), sink).and_then(|text| parse_plan(&text, sink))
}
