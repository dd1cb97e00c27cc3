//! Where plans are read from: the working tree, or a git tree at a
//! revision. One loader reads both, with the same file selection and the
//! same decoding (UTF-8 only, no NUL, at most [`MAX_FILE_BYTES`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{
    LoadError, Loaded, MAX_FILE_BYTES, add_file, begin_account, decode, input, is_account_folder,
    load_accounts, missing_plan, plan_of, too_large, yaml,
};
use crate::diagnostic::Sink;
use crate::model::Plan;

/// Where plans are read from.
#[derive(Debug)]
pub(crate) enum Source<'a> {
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
    pub(crate) fn load(self) -> Result<Loaded, LoadError> {
        match self {
            Source::WorkTree { root, exclude } => load_accounts(root, exclude),
            Source::Tree(tree) => Ok(tree.load()),
        }
    }
}

/// The plans of a git tree at one revision: its account folders, and the
/// content of the files the loader reads in them.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    /// Per account id: its files that are read (path relative to the plans
    /// root, content).
    accounts: BTreeMap<String, Vec<(String, Vec<u8>)>>,
}

impl Tree {
    /// Whether the loader reads the file at `path` (relative to the plans
    /// root, `/`-separated): only those files' contents are needed.
    pub(crate) fn reads(path: &str) -> bool {
        input(path).is_some()
    }

    /// Adds the committed file at `path`, with its content when the loader
    /// reads it ([`Tree::reads`]); any file makes its folder an account.
    pub(crate) fn add(&mut self, path: &str, content: Option<Vec<u8>>) {
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
/// reads the file; `None` when it cannot be read as a plan. `sections`
/// holds what earlier versions of the plan share with this one.
pub(crate) fn committed_plan(
    content: Vec<u8>,
    sink: &mut Sink,
    sections: &mut yaml::Sections,
) -> Option<Plan> {
    decode(committed(content), sink)
        .and_then(|text| plan_of(yaml::parse_reusing(&text, sections), sink))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;

    /// A git tree holding the files under `root`, as a commit of them would.
    fn tree_of(root: &Path) -> Tree {
        let mut tree = Tree::default();
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let path = super::super::relative(root, entry.path());
                let content = Tree::reads(&path).then(|| std::fs::read(entry.path()).unwrap());
                tree.add(&path, content);
            }
        }
        tree
    }

    /// The accounts (as JSON) and the diagnostics (sorted) of a load.
    fn seen(loaded: Loaded) -> (String, Vec<String>) {
        let accounts: Vec<&crate::model::AccountFiles> =
            loaded.accounts.iter().map(Arc::as_ref).collect();
        let mut diagnostics: Vec<String> = loaded
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{} {} {:?} {}",
                    d.file,
                    d.rule.name,
                    d.span,
                    d.message(Language::En)
                )
            })
            .collect();
        diagnostics.sort();
        (serde_json::to_string(&accounts).unwrap(), diagnostics)
    }

    #[test]
    fn a_git_tree_is_read_as_the_working_tree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, bytes: &[u8]| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        };
        write("accounts/a/plan.yaml", b"\xEF\xBB\xBFaccount: {name: A}\n");
        write("accounts/a/situation.md", b"---\ntitle: S\n---\nText\n");
        write(
            "accounts/a/visits/2026-03-01-x.md",
            b"---\ndate: 2026-03-01\n---\n",
        );
        write("accounts/a/.draft.md", b"hidden");
        write("accounts/a/visits/.draft.md", b"hidden");
        write("accounts/a/deck.pdf", b"%PDF\0");
        write("accounts/a/notes/deep.md", b"not an input");
        write("accounts/b/plan.yaml", b"account: {name: \xFF}\n");
        write("accounts/b/binary.md", b"a\0b");
        write("accounts/c/notes.md", b"no plan");
        write("accounts/Bad_Id/plan.yaml", b"account: {name: X}\n");
        write("accounts/.hidden/plan.yaml", b"x: 1\n");
        write("accounts/public/plan.yaml", b"x: 1\n");
        let disk = seen(Source::WorkTree { root, exclude: &[] }.load().unwrap());
        let git = seen(Source::Tree(tree_of(root)).load().unwrap());
        assert_eq!(disk, git);
        let (accounts, diagnostics) = disk;
        for id in ["\"a\"", "\"b\"", "\"c\"", "\"Bad_Id\""] {
            assert!(accounts.contains(id), "{id}: {accounts}");
        }
        assert!(!accounts.contains("hidden") && !accounts.contains("public"));
        let said = |what: &str| diagnostics.iter().any(|d| d.contains(what));
        assert!(said(
            "`accounts/b/plan.yaml` is not UTF-8 text (invalid byte 0xFF)"
        ));
        assert!(said("`accounts/b/binary.md` is a binary file, not text"));
        assert!(said("account folder `accounts/c` has no plan.yaml"));
        assert!(said("the account folder `Bad_Id` is not a valid id"));
    }

    #[test]
    fn a_committed_plan_is_decoded_as_a_file_on_disk() {
        let mut sink = Sink::new("b", "accounts/b/plan.yaml");
        assert!(
            committed_plan(
                b"account: {name: \xFF}\n".to_vec(),
                &mut sink,
                &mut yaml::Sections::default()
            )
            .is_none()
        );
        assert!(
            sink.diagnostics[0]
                .message(Language::En)
                .contains("is not UTF-8 text")
        );
        let mut sink = Sink::new("a", "accounts/a/plan.yaml");
        let plan = committed_plan(
            b"\xEF\xBB\xBFaccount: {name: A}\n".to_vec(),
            &mut sink,
            &mut yaml::Sections::default(),
        );
        assert!(plan.is_some() && sink.diagnostics.is_empty());
        let mut sink = Sink::new("a", "accounts/a/plan.yaml");
        let huge = vec![b' '; usize::try_from(MAX_FILE_BYTES).unwrap() + 1];
        assert!(committed_plan(huge, &mut sink, &mut yaml::Sections::default()).is_none());
        assert!(
            sink.diagnostics[0]
                .message(Language::En)
                .contains("the limit is")
        );
    }
}
