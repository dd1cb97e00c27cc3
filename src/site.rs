//! The output folder: safety checks, a build in a temporary folder beside
//! the target, and an atomic swap, so a failed build never leaves a
//! half-written site and kaplan never deletes a folder it did not create.

use std::path::{Component, Path, PathBuf};

use thiserror::Error;

use crate::render::OutFile;

/// The file that marks a folder as a site written by kaplan.
pub const MARKER: &str = ".kaplan-site";

/// Why the site could not be written.
#[derive(Debug, Error)]
pub enum SiteError {
    /// The output folder is the plans root, above it, or among the plans.
    #[error("refusing to write the site into `{path}`: {reason}")]
    Unsafe {
        /// The output folder.
        path: PathBuf,
        /// Why it is refused.
        reason: &'static str,
    },
    /// The output folder exists, is not empty, and kaplan did not create it.
    #[error(
        "refusing to replace `{0}`: it is not empty and was not created by kaplan (no `{MARKER}` file); choose another output folder with -o, or empty it yourself"
    )]
    NotOurs(PathBuf),
    /// A file operation failed.
    #[error("cannot write `{path}`")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SiteError + '_ {
    move |source| SiteError::Io {
        path: path.to_owned(),
        source,
    }
}

/// `path` made absolute and normalized, even when it does not exist yet.
fn absolute(path: &Path) -> PathBuf {
    let mut existing = path.to_owned();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent.to_owned();
            }
            _ => break,
        }
    }
    let base = if existing.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        existing
    };
    let mut out = std::fs::canonicalize(&base).unwrap_or(base);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

/// Refuses output folders that would overwrite or mix with the plans.
pub fn check_output(root: &Path, out: &Path) -> Result<PathBuf, SiteError> {
    let root = absolute(root);
    let out_abs = absolute(out);
    let unsafe_ = |reason| {
        Err(SiteError::Unsafe {
            path: out.to_owned(),
            reason,
        })
    };
    if root.starts_with(&out_abs) {
        return unsafe_("it is the plans root or a folder above it");
    }
    if out_abs.starts_with(root.join("accounts")) {
        return unsafe_("it is inside the plans' `accounts/` folder");
    }
    if out_abs.starts_with(root.join("templates")) || out_abs.starts_with(root.join("static")) {
        return unsafe_("it is inside the plans repository's `templates/` or `static/` folder");
    }
    if out_abs.exists() && !out_abs.is_dir() {
        return unsafe_("it is a file");
    }
    if out_abs.is_dir() && !is_ours_or_empty(&out_abs).map_err(io(&out_abs))? {
        return Err(SiteError::NotOurs(out.to_owned()));
    }
    Ok(out_abs)
}

fn is_ours_or_empty(dir: &Path) -> std::io::Result<bool> {
    Ok(dir.join(MARKER).is_file() || std::fs::read_dir(dir)?.next().is_none())
}

/// Writes `files` into `out` atomically: everything goes into a temporary
/// folder beside `out`, which then replaces the previous site.
pub fn publish(out: &Path, files: &[OutFile]) -> Result<(), SiteError> {
    let parent = out.parent().unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.kaplan-new-{pid}"));
    let previous = parent.join(format!(".{name}.kaplan-old-{pid}"));
    for leftover in [&staging, &previous] {
        if leftover.exists() {
            remove_ours(leftover)?;
        }
    }
    std::fs::create_dir(&staging).map_err(io(&staging))?;
    let written = write_all(&staging, files);
    if let Err(e) = written {
        let _ = remove_ours(&staging);
        return Err(e);
    }
    if out.exists() {
        std::fs::rename(out, &previous).map_err(|e| {
            let _ = remove_ours(&staging);
            SiteError::Io {
                path: out.to_owned(),
                source: e,
            }
        })?;
        if let Err(e) = std::fs::rename(&staging, out) {
            let _ = std::fs::rename(&previous, out);
            let _ = remove_ours(&staging);
            return Err(SiteError::Io {
                path: out.to_owned(),
                source: e,
            });
        }
        remove_ours(&previous)?;
    } else {
        std::fs::rename(&staging, out).map_err(io(out))?;
    }
    Ok(())
}

fn write_all(dir: &Path, files: &[OutFile]) -> Result<(), SiteError> {
    let marker = dir.join(MARKER);
    std::fs::write(
        &marker,
        "This folder was generated by kaplan build and is replaced on every build.\n",
    )
    .map_err(io(&marker))?;
    for (rel, bytes) in files {
        let rel_path = Path::new(rel);
        if rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
            || rel == MARKER
        {
            return Err(SiteError::Unsafe {
                path: rel_path.to_owned(),
                reason: "an output path must stay inside the site",
            });
        }
        let path = dir.join(rel_path);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(io(p))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
    }
    Ok(())
}

/// Deletes a folder only when kaplan's marker says kaplan made it.
fn remove_ours(dir: &Path) -> Result<(), SiteError> {
    if dir.join(MARKER).is_file() || std::fs::read_dir(dir).map_err(io(dir))?.next().is_none() {
        std::fs::remove_dir_all(dir).map_err(io(dir))
    } else {
        Err(SiteError::NotOurs(dir.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<OutFile> {
        vec![
            ("index.html".into(), b"<p>new</p>".to_vec()),
            ("accounts/a/index.html".into(), b"a".to_vec()),
        ]
    }

    #[test]
    fn replaces_a_previous_site_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&out, &files()).unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        publish(&out, &files()).unwrap();
        assert!(!out.join("stale.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "<p>new</p>"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["public"]);
    }

    #[test]
    fn refuses_foreign_folders_and_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("plans");
        std::fs::create_dir_all(root.join("accounts")).unwrap();
        assert!(matches!(
            check_output(&root, &root),
            Err(SiteError::Unsafe { .. })
        ));
        assert!(matches!(
            check_output(&root, dir.path()),
            Err(SiteError::Unsafe { .. })
        ));
        assert!(matches!(
            check_output(&root, &root.join("accounts/x")),
            Err(SiteError::Unsafe { .. })
        ));
        let foreign = dir.path().join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
        assert!(matches!(
            check_output(&root, &foreign),
            Err(SiteError::NotOurs(_))
        ));
        assert!(check_output(&root, &root.join("public")).is_ok());
    }

    #[test]
    fn paths_cannot_escape() {
        let dir = tempfile::tempdir().unwrap();
        let bad = vec![("../evil.html".to_owned(), b"x".to_vec())];
        assert!(publish(&dir.path().join("public"), &bad).is_err());
        assert!(!dir.path().join("evil.html").exists());
        assert!(!dir.path().join("public").exists());
    }
}
