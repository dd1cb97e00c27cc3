//! `kaplan serve`: build, serve on localhost, rebuild on change, reload the browser.

mod http;
mod incremental;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::{EventKind, Watcher};
use thiserror::Error;

pub use incremental::{Incremental, Rebuilt, SharedFile, Site};

use crate::diagnostic::Level;
use crate::model::Date;
use crate::render::RenderOptions;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The interface to listen on (default 127.0.0.1).
    pub interface: IpAddr,
    /// The first port to try; 0 picks a free one.
    pub port: u16,
    /// Overrides the config's `today`.
    pub today: Option<Date>,
    /// Publish private fields.
    pub include_private: bool,
    /// Who the site is for.
    pub audience: crate::render::Audience,
    /// Poll the file system instead of using native events.
    pub poll: bool,
    /// Open the portfolio in a browser.
    pub open: bool,
    /// Host names answered besides `localhost`, `127.0.0.1`, `[::1]` and
    /// the interface's address.
    pub allow_hosts: Vec<String>,
    /// Neither read nor write the history cache.
    pub no_cache: bool,
    /// Say only the address and errors: no line per rebuild, unless it
    /// found errors.
    pub quiet: bool,
}

/// Why serving stopped.
#[derive(Debug, Error)]
pub enum ServeError {
    /// No port could be bound.
    #[error("cannot listen on {addr}: {message} (choose another with --port)")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        message: String,
    },
    /// The file watcher failed.
    #[error("cannot watch `{0}` for changes: {1}")]
    Watch(PathBuf, String),
    /// The first build failed before anything could be served.
    #[error(transparent)]
    Build(#[from] crate::Error),
}

/// Binds the first free port from `port` on (ten tries), saying when it moved.
fn bind(interface: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    let tries = if port == 0 { 1 } else { 10 };
    let mut last = None;
    for offset in 0..tries {
        let addr = SocketAddr::new(interface, port.saturating_add(offset));
        match TcpListener::bind(addr) {
            Ok(listener) => {
                if offset > 0 {
                    eprintln!("port {port} is taken; using {} instead", addr.port());
                }
                return Ok(listener);
            }
            Err(e) => {
                last = Some(ServeError::Bind {
                    addr,
                    message: e.to_string(),
                })
            }
        }
    }
    Err(last.unwrap_or(ServeError::Bind {
        addr: SocketAddr::new(interface, port),
        message: "no port".into(),
    }))
}

/// Runs one rebuild and publishes its result to the browser: the site,
/// whenever it rendered, and the problems, each account's for its own
/// dossier, the others for every page.
/// `changed`: the paths the watcher reported, when it could tell.
/// `quiet`: say nothing of a rebuild that found no problem.
fn rebuild(inc: &mut Incremental, state: &http::State, changed: Option<&[PathBuf]>, quiet: bool) {
    let started = Instant::now();
    match inc.rebuild(changed) {
        Ok(rebuilt) => {
            let d = &rebuilt.checked.diagnostics;
            let language = rebuilt.checked.config.language;
            let summary = crate::report::summary(d, rebuilt.checked.accounts.len(), language);
            let mut problems = http::Problems::default();
            let mut general = Vec::new();
            let mut errors = false;
            for x in d.iter().filter(|x| x.level == Level::Error) {
                errors = true;
                let line = format!(
                    "{}:{}:{}: {} [{}]",
                    x.file,
                    x.span.line,
                    x.span.col,
                    x.message(language),
                    x.rule.name
                );
                if x.account.is_empty() {
                    general.push(line);
                } else {
                    account_problems(&mut problems, &x.account).push(line);
                }
            }
            if !general.is_empty() {
                problems.all.push(http::Group {
                    title: "kaplan check found errors:".into(),
                    items: general,
                });
            }
            let said = !quiet || errors || !rebuilt.unrendered.is_empty() || rebuilt.site.is_err();
            for (id, message) in rebuilt.unrendered {
                account_problems(&mut problems, &id)
                    .push(format!("its dossier cannot be rendered: {message}"));
            }
            match rebuilt.site {
                Ok(site) => state.lock().publish(site, problems),
                // A shared template that does not compile: the last site stays.
                Err(e) => {
                    problems.all.push(http::Group {
                        title: "the site could not be rendered:".into(),
                        items: vec![e.to_string()],
                    });
                    state.lock().report(problems);
                }
            }
            if said {
                eprintln!(
                    "rebuilt in {} ms ({} of {} accounts read again, {} dossiers rendered): {summary}",
                    started.elapsed().as_millis(),
                    rebuilt.reloaded,
                    rebuilt.checked.accounts.len(),
                    rebuilt.rendered
                );
            }
        }
        Err(e) => {
            eprintln!(
                "rebuild failed in {} ms: {}",
                started.elapsed().as_millis(),
                crate::text::terminal(&e.to_string())
            );
            state.lock().report(http::Problems {
                all: vec![http::Group {
                    title: "the plans could not be read:".into(),
                    items: vec![e.to_string()],
                }],
                accounts: Default::default(),
            });
        }
    }
    state.rebuilt();
}

/// The problems of account `id`, shown on its dossier only.
fn account_problems<'a>(problems: &'a mut http::Problems, id: &str) -> &'a mut Vec<String> {
    &mut problems
        .accounts
        .entry(id.to_owned())
        .or_insert_with(|| http::Group {
            title: "kaplan found problems in this account's plan:".into(),
            items: Vec::new(),
        })
        .items
}

fn ignored(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().any(|c| {
        c.as_os_str()
            .to_str()
            .is_none_or(|s| s.starts_with('.') || s == "public" || s == "target")
    })
}

/// Serves `root` until the process is stopped (Ctrl-C).
pub fn serve(shown_root: &Path, options: &ServeOptions) -> Result<(), ServeError> {
    // The watcher reports absolute, resolved paths: compare them with the
    // root written the same way.
    let canonical = std::fs::canonicalize(shown_root);
    let root = canonical.as_deref().unwrap_or(shown_root);
    let listener = bind(options.interface, options.port)?;
    let addr = listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::new(options.interface, options.port));
    let render = RenderOptions {
        base_url: Some("/".into()),
        include_private: options.include_private,
        audience: options.audience,
    };
    // Watch before the first build: a save during the build (or right after
    // the address is printed) waits in the channel for the next rebuild
    // instead of being lost.
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let watch_error = |e: notify::Error| ServeError::Watch(root.to_owned(), e.to_string());
    let mut watcher: Box<dyn Watcher> = if options.poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
        Box::new(notify::PollWatcher::new(tx, config).map_err(watch_error)?)
    } else {
        Box::new(notify::recommended_watcher(tx).map_err(watch_error)?)
    };
    watcher
        .watch(root, notify::RecursiveMode::Recursive)
        .map_err(watch_error)?;
    let mut inc = Incremental::new(root, options.today, render, vec![root.join("public")]);
    if options.no_cache {
        inc.no_cache();
    }
    let state = Arc::new(http::State::new());
    rebuild(&mut inc, &state, None, options.quiet);
    let url = format!("http://{addr}/");
    println!("serving {} on {url} (Ctrl-C to stop)", shown_root.display());
    let http_state = state.clone();
    let hosts = http::Hosts::new(addr, &options.allow_hosts);
    std::thread::spawn(move || http::run(listener, http_state, hosts));
    if options.open {
        open_browser(&url);
    }

    // git's files that move with `HEAD`: a commit changes no plan, yet
    // the dossiers' history does.
    let mut heads = HeadWatch::default();
    heads.follow(watcher.as_mut(), root, inc.head_files());
    while let Ok(event) = rx.recv() {
        let mut changed = Some(Vec::new());
        let mut moved = heads.note(root, event, &mut changed);
        if !moved && changed.as_ref().is_some_and(Vec::is_empty) {
            continue;
        }
        // Let the save settle: editors write a temporary file, then rename it.
        while let Ok(event) = rx.recv_timeout(SETTLE) {
            moved |= heads.note(root, event, &mut changed);
        }
        rebuild(&mut inc, &state, changed.as_deref(), options.quiet);
        heads.follow(watcher.as_mut(), root, inc.head_files());
    }
    Ok(())
}

/// The files of git that move with `HEAD` (see
/// [`Incremental::head_files`]), and the folders watched for them.
#[derive(Default)]
struct HeadWatch {
    files: Vec<PathBuf>,
    folders: std::collections::HashSet<PathBuf>,
}

impl HeadWatch {
    /// Watches the folders of `files` (git replaces a ref by renaming a
    /// new file over it, so the file itself cannot be watched); those
    /// inside the plans root are watched already.
    fn follow(&mut self, watcher: &mut dyn Watcher, root: &Path, files: Vec<PathBuf>) {
        for file in &files {
            if let Some(dir) = file.parent()
                && !dir.starts_with(root)
                && !self.folders.contains(dir)
                && watcher
                    .watch(dir, notify::RecursiveMode::NonRecursive)
                    .is_ok()
            {
                self.folders.insert(dir.to_owned());
            }
        }
        self.files = files;
    }

    /// Adds the paths of `event` to `changed` (`None` when the watcher
    /// cannot tell what changed: it lost events); whether it moved `HEAD`.
    fn note(
        &self,
        root: &Path,
        event: notify::Result<notify::Event>,
        changed: &mut Option<Vec<PathBuf>>,
    ) -> bool {
        match event {
            Ok(e) if e.need_rescan() => *changed = None,
            // Reading files (our own rebuild, an editor) is not a change.
            Ok(e) if matches!(e.kind, EventKind::Access(_)) => {}
            Ok(e) => {
                let moved = e.paths.iter().any(|p| self.files.contains(p));
                if let Some(paths) = changed {
                    paths.extend(e.paths.into_iter().filter(|p| !ignored(root, p)));
                }
                return moved;
            }
            Err(e) => {
                eprintln!("watch error: {}", crate::text::terminal(&e.to_string()));
                *changed = None;
            }
        }
        false
    }
}

/// How long the files must be quiet before a rebuild.
const SETTLE: Duration = Duration::from_millis(50);

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program).arg(url).spawn() {
        eprintln!("cannot open a browser ({program}: {e}); open {url} yourself");
    }
}
