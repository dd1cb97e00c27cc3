//! The output folder: safety checks, a build in a temporary folder beside
//! the target, and an atomic swap, so a failed build never leaves a
//! half-written site and kaplan never deletes a folder it did not create.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use thiserror::Error;

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
pub(crate) fn check_output(root: &Path, out: &Path) -> Result<PathBuf, SiteError> {
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

/// The staging folders of this process, and their lock files, that a
/// signal or a runaway template must remove before the process ends ([`abort`]).
static LIVE: std::sync::Mutex<Vec<(PathBuf, PathBuf)>> = std::sync::Mutex::new(Vec::new());

fn live() -> std::sync::MutexGuard<'static, Vec<(PathBuf, PathBuf)>> {
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Ends the process with `code` after removing the staging folders of the
/// builds it is running, so that an interrupted build leaves the previous
/// site as it was and nothing beside it. A commit in progress finishes
/// first (it holds the same lock), so the output is never half swapped.
pub fn abort(code: i32) -> ! {
    let live = live();
    for (dir, lock) in live.iter() {
        let _ = remove_ours(dir);
        let _ = std::fs::remove_file(lock);
    }
    std::process::exit(code)
}

/// A site being written: files go into a staging folder beside the output,
/// which replaces the previous site only on [`Staging::commit`]. Dropped
/// without a commit, the staging folder is removed and the old site stays.
///
/// Beside the output, `.NAME.kaplan-PID.lock` stays locked while the build
/// runs (and while its previous site is deleted): a later build that can
/// lock it knows the build is gone, killed perhaps, and removes the folders
/// it left (`.NAME.kaplan-new-PID`, `.NAME.kaplan-old-PID`).
#[derive(Debug)]
pub(crate) struct Staging {
    out: PathBuf,
    dir: PathBuf,
    previous: PathBuf,
    committed: bool,
    lock: Option<Lock>,
}

/// A file of the staging folder being written: the first error is kept
/// (the writer reports it too) and [`StagedFile::finish`] names the file.
#[derive(Debug)]
pub(crate) struct StagedFile {
    file: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    error: Option<std::io::Error>,
}

impl StagedFile {
    /// Writes out what is buffered; the first error met, with the file.
    pub(crate) fn finish(mut self) -> Result<(), SiteError> {
        let flushed = self.file.flush();
        match self.error.take().map_or(flushed, Err) {
            Ok(()) => Ok(()),
            Err(e) => Err(io(&self.path)(e)),
        }
    }

    /// The error that stopped writing, if one did.
    pub(crate) fn failed(&mut self) -> Option<SiteError> {
        let e = self.error.take()?;
        Some(io(&self.path)(e))
    }
}

impl Write for StagedFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.file.write(buf) {
            Err(e) if e.kind() != std::io::ErrorKind::Interrupted => {
                let told = std::io::Error::new(e.kind(), e.to_string());
                self.error.get_or_insert(e);
                Err(told)
            }
            r => r,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// The lock file of one build, locked for as long as the value lives, and
/// removed with it.
#[derive(Debug)]
struct Lock {
    path: PathBuf,
    file: std::fs::File,
}

impl Lock {
    /// Creates and locks `path`, which no one else holds.
    fn take(path: PathBuf) -> Result<Lock, SiteError> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        file.lock().map_err(io(&path))?;
        Ok(Lock { path, file })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// The names of the folders and the lock file of build `pid` for the
/// output folder called `name`.
fn leftover_names(name: &str, pid: &str) -> [String; 3] {
    [
        format!(".{name}.kaplan-new-{pid}"),
        format!(".{name}.kaplan-old-{pid}"),
        format!(".{name}.kaplan-{pid}.lock"),
    ]
}

/// Removes what builds of `name` that no longer run left in `parent`:
/// their staging folders, previous sites half deleted, and lock files. A
/// build still running holds its lock, and its folders are left alone.
fn sweep_abandoned(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.kaplan-");
    let mut pids: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let file_name = e.file_name();
            let rest = file_name.to_str()?.strip_prefix(&prefix)?;
            let pid = rest
                .strip_prefix("new-")
                .or_else(|| rest.strip_prefix("old-"))
                .or_else(|| rest.strip_suffix(".lock"))?;
            pid.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| pid.to_owned())
        })
        .collect();
    pids.sort_unstable();
    pids.dedup();
    for pid in pids {
        let [new, old, lock] = leftover_names(name, &pid);
        let lock = parent.join(lock);
        // A lock file that cannot be opened or locked belongs to a live
        // build; no lock file at all, to a build that is gone.
        let held = match std::fs::OpenOptions::new().write(true).open(&lock) {
            Ok(file) => match file.try_lock() {
                Ok(()) => {
                    let _ = file.unlock();
                    false
                }
                Err(_) => true,
            },
            Err(e) => e.kind() != std::io::ErrorKind::NotFound,
        };
        if held {
            continue;
        }
        for dir in [new, old] {
            let dir = parent.join(dir);
            if dir.is_dir() {
                let _ = remove_ours(&dir);
            }
        }
        let _ = std::fs::remove_file(&lock);
    }
}

impl Staging {
    /// Creates the staging folder for `out`, after removing what builds
    /// that were killed left beside it.
    pub(crate) fn begin(out: &Path) -> Result<Staging, SiteError> {
        let parent = out.parent().unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let pid = std::process::id().to_string();
        let lock = Lock::take(parent.join(&leftover_names(&name, &pid)[2]))?;
        sweep_abandoned(parent, &name);
        let [new, old, _] = leftover_names(&name, &pid);
        let dir = parent.join(new);
        let previous = parent.join(old);
        for leftover in [&dir, &previous] {
            if leftover.exists() {
                remove_ours(leftover)?;
            }
        }
        let mut live = live();
        std::fs::create_dir(&dir).map_err(io(&dir))?;
        live.push((dir.clone(), lock.path.clone()));
        drop(live);
        let staging = Staging {
            out: out.to_owned(),
            dir,
            previous,
            committed: false,
            lock: Some(lock),
        };
        let marker = staging.dir.join(MARKER);
        std::fs::write(
            &marker,
            "This folder was generated by kaplan build and is replaced on every build.\n",
        )
        .map_err(io(&marker))?;
        Ok(staging)
    }

    /// Writes one file; `rel` must stay inside the site. Safe to call from
    /// several threads.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), SiteError> {
        // Written whole: no buffer between.
        let path = self.path_of(rel)?;
        std::fs::write(&path, bytes).map_err(io(&path))
    }

    /// Starts one file, written as it is made; `rel` must stay inside the
    /// site. Safe to call from several threads.
    pub(crate) fn create(&self, rel: &str) -> Result<StagedFile, SiteError> {
        let path = self.path_of(rel)?;
        let file = std::fs::File::create(&path).map_err(io(&path))?;
        Ok(StagedFile {
            file: std::io::BufWriter::with_capacity(64 * 1024, file),
            path,
            error: None,
        })
    }

    /// Where file `rel` goes, its folder made; `rel` must stay inside the
    /// site.
    fn path_of(&self, rel: &str) -> Result<PathBuf, SiteError> {
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
        let path = self.dir.join(rel_path);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(io(p))?;
        }
        Ok(path)
    }

    /// The build's lock file (while the staging folder is not committed).
    fn lock_path(&self) -> PathBuf {
        self.lock
            .as_ref()
            .map(|l| l.path.clone())
            .unwrap_or_default()
    }

    /// Swaps the staged site in for the previous one, which is then deleted
    /// in the background (see [`Cleanup`]).
    pub(crate) fn commit(mut self) -> Result<Cleanup, SiteError> {
        let out = self.out.clone();
        // Signals wait until the swap is done (see `abort`).
        let mut live = live();
        live.retain(|d| d.0 != self.dir);
        if out.exists() {
            std::fs::rename(&out, &self.previous).map_err(io(&out))?;
            if let Err(e) = std::fs::rename(&self.dir, &out) {
                let _ = std::fs::rename(&self.previous, &out);
                live.push((self.dir.clone(), self.lock_path()));
                return Err(SiteError::Io {
                    path: out,
                    source: e,
                });
            }
            self.committed = true;
            drop(live);
            let previous = self.previous.clone();
            let lock = self.lock.take();
            let deleting = std::thread::spawn(move || {
                let removed = remove_ours(&previous);
                drop(lock);
                removed
            });
            Ok(Cleanup(Some((self.previous.clone(), deleting))))
        } else {
            if let Err(e) = std::fs::rename(&self.dir, &out) {
                live.push((self.dir.clone(), self.lock_path()));
                return Err(SiteError::Io {
                    path: out,
                    source: e,
                });
            }
            self.committed = true;
            Ok(Cleanup(None))
        }
    }
}

/// The previous site, being deleted on a thread of its own once the new one
/// is in place, so that the caller can go on (say, print the diagnostics).
/// [`Cleanup::finish`] waits for it and tells whether it worked; dropping it
/// also waits, so no process exits with half a folder left.
#[derive(Debug, Default)]
pub struct Cleanup(Option<(PathBuf, std::thread::JoinHandle<Result<(), SiteError>>)>);

impl Cleanup {
    /// Waits until the previous site is deleted.
    pub fn finish(mut self) -> Result<(), SiteError> {
        self.wait()
    }

    fn wait(&mut self) -> Result<(), SiteError> {
        let Some((previous, deleting)) = self.0.take() else {
            return Ok(());
        };
        deleting.join().unwrap_or_else(|_| {
            Err(SiteError::Io {
                path: previous,
                source: std::io::Error::other("deleting the previous site panicked"),
            })
        })
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = self.wait();
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let mut live = live();
            let _ = remove_ours(&self.dir);
            live.retain(|d| d.0 != self.dir);
        }
    }
}

/// Writes `files` into `out` atomically.
#[cfg(test)]
pub(crate) fn publish(out: &Path, files: &[crate::model::OutFile]) -> Result<(), SiteError> {
    let staging = Staging::begin(out)?;
    for (rel, bytes) in files {
        staging.write(rel, bytes)?;
    }
    staging.commit()?.finish()
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

    fn files() -> Vec<crate::model::OutFile> {
        vec![
            ("index.html".into(), b"<p>new</p>".to_vec()),
            ("accounts/a/index.html".into(), b"a".to_vec()),
        ]
    }

    /// A file of the staging folder on a full disk (`/dev/full`).
    fn on_full_disk() -> StagedFile {
        let path = PathBuf::from("/dev/full");
        StagedFile {
            file: std::io::BufWriter::new(std::fs::File::create(&path).unwrap()),
            path,
            error: None,
        }
    }

    #[test]
    fn a_file_that_cannot_be_written_is_named_whenever_it_fails() {
        if !Path::new("/dev/full").exists() {
            return;
        }
        let named = |e: SiteError| matches!(e, SiteError::Io { path, .. } if path == Path::new("/dev/full"));
        // Past the buffer: the write fails, and the file says which.
        let mut big = on_full_disk();
        assert!(big.write_all(&vec![b'x'; 1 << 20]).is_err());
        assert!(named(big.failed().unwrap()));
        // Within it: the failure comes when it is written out.
        let mut small = on_full_disk();
        small.write_all(b"<p>").unwrap();
        assert!(small.failed().is_none());
        assert!(named(small.finish().unwrap_err()));
    }

    #[test]
    fn the_previous_site_is_gone_once_the_cleanup_is_finished_or_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&out, &files()).unwrap();
        let names = || -> Vec<_> {
            std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect()
        };
        for finish in [true, false] {
            let staging = Staging::begin(&out).unwrap();
            staging.write("index.html", b"<p>newer</p>").unwrap();
            let cleanup = staging.commit().unwrap();
            // The new site is in place before the old one is deleted.
            assert_eq!(
                std::fs::read(out.join("index.html")).unwrap(),
                b"<p>newer</p>"
            );
            if finish {
                cleanup.finish().unwrap();
            } else {
                drop(cleanup);
            }
            assert_eq!(names(), ["public"]);
        }
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
