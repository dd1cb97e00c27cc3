//! Rebuilds that reuse what did not change: accounts whose files kept their
//! size and modification time are not read again, and their dossiers are not
//! rendered again. Anything global (config, templates, static files, today)
//! starts over. The result is byte-identical to a full build (tested).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::config::Config;
use crate::load::{self, Loaded};
use crate::model::Date;
use crate::render::{self, RenderOptions, Renderer};
use crate::{Checked, Error};

/// An output file whose bytes are shared between rebuilds.
pub type SharedFile = (String, Arc<Vec<u8>>);

type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

struct Cached {
    fingerprint: Fingerprint,
    loaded: Loaded,
    /// The dossier rendered in generation `.0`.
    page: Option<(u64, Option<SharedFile>)>,
}

/// The state kept between rebuilds.
pub struct Incremental {
    root: PathBuf,
    today: Option<Date>,
    render: RenderOptions,
    exclude: Vec<PathBuf>,
    accounts: BTreeMap<String, Cached>,
    global: Option<(Option<String>, Fingerprint, Date)>,
    generation: u64,
    renderer: Option<Renderer>,
    history_key: String,
}

/// One rebuild's result.
#[derive(Debug)]
pub struct Rebuilt {
    /// The check.
    pub checked: Checked,
    /// The site's files, or the render failure.
    pub files: Result<Vec<SharedFile>, render::RenderError>,
    /// Accounts read again.
    pub reloaded: usize,
    /// Dossiers rendered again.
    pub rendered: usize,
}

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
            generation: 0,
            renderer: None,
            history_key: String::new(),
        }
    }

    /// Checks and renders the site again, reusing unchanged accounts.
    pub fn rebuild(&mut self) -> Result<Rebuilt, Error> {
        let (config, config_text) = Config::load(&self.root)?;
        let today = config.today(self.today)?;
        let mut global_files = load::fingerprint(&self.root.join("templates"), &[], usize::MAX);
        global_files.extend(load::fingerprint(
            &self.root.join("static"),
            &[],
            usize::MAX,
        ));
        global_files.extend(load::fingerprint(
            &self.root.join("themes"),
            &[],
            usize::MAX,
        ));
        let global = (config_text.clone(), global_files, today);
        if self.global.as_ref() != Some(&global) {
            self.global = Some(global);
            self.generation += 1;
            self.renderer = None;
        }

        let (dirs, mut loaded) = load::account_dirs(&self.root, &self.exclude)?;
        let mut reloaded = 0;
        let mut kept = BTreeMap::new();
        for (id, dir) in dirs {
            let fingerprint = load::fingerprint(&dir, &self.exclude, 2);
            let cached = match self.accounts.remove(&id) {
                Some(c) if c.fingerprint == fingerprint => c,
                _ => {
                    reloaded += 1;
                    Cached {
                        loaded: load::load_account(&self.root, &dir, &id, &self.exclude),
                        fingerprint,
                        page: None,
                    }
                }
            };
            kept.insert(id, cached);
        }
        self.accounts = kept;
        for c in self.accounts.values() {
            loaded.accounts.extend(c.loaded.accounts.iter().cloned());
            loaded
                .diagnostics
                .extend(c.loaded.diagnostics.iter().cloned());
        }
        let history = crate::read_history(&self.root, &mut loaded, &config, today);
        let mut checked =
            crate::assemble(&self.root, config, config_text.as_deref(), today, loaded);
        checked.history = history;
        // A commit changes dossiers without changing their files.
        let history_key = checked.history.fingerprint();
        if self.history_key != history_key {
            self.history_key = history_key;
            self.generation += 1;
        }
        // Without the blobs the dossiers still show dates and notes.
        let _ = crate::history::enrich(&mut checked, None);
        let mut rendered = 0;
        let files = self.render(&checked, &mut rendered);
        Ok(Rebuilt {
            checked,
            files,
            reloaded,
            rendered,
        })
    }

    fn render(
        &mut self,
        checked: &Checked,
        rendered: &mut usize,
    ) -> Result<Vec<SharedFile>, render::RenderError> {
        if self.renderer.is_none() {
            self.renderer = Some(Renderer::new(checked, &self.render)?);
        }
        let Some(renderer) = self.renderer.as_ref() else {
            return Ok(Vec::new());
        };
        let mut files = Vec::with_capacity(checked.accounts.len() + 8);
        for account in &checked.accounts {
            let Some(cached) = self.accounts.get_mut(&account.files.id) else {
                continue;
            };
            let page = match &cached.page {
                // Cached pages are shared, not copied: a rebuild after one
                // edit touches one dossier's bytes.
                Some((generation, page)) if *generation == self.generation => page.clone(),
                _ => {
                    *rendered += 1;
                    let page = renderer
                        .dossier(checked, account)?
                        .map(|(rel, bytes)| (rel, Arc::new(bytes)));
                    cached.page = Some((self.generation, page.clone()));
                    page
                }
            };
            files.extend(page);
        }
        files.extend(
            render::finish(renderer.shared(checked)?)
                .into_iter()
                .map(|(rel, bytes)| (rel, Arc::new(bytes))),
        );
        files.sort_by(|x, y| x.0.cmp(&y.0));
        files.dedup_by(|later, earlier| later.0 == earlier.0);
        Ok(files)
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
            },
        )
        .unwrap();
        render::render(&checked, &RenderOptions::default())
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k, Arc::new(v)))
            .collect()
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
        let today = Date::parse("2026-06-30").unwrap();
        let mut inc = Incremental::new(root, Some(today), RenderOptions::default(), vec![]);
        let first = inc.rebuild().unwrap();
        assert_eq!(first.reloaded, 5);
        assert_eq!(first.files.unwrap(), full(root, today));

        // One account changes: one is read and rendered again, the result equals a full build.
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(
            root,
            "accounts/acct-3/plan.yaml",
            &plan("Renamed <&> account"),
        );
        let second = inc.rebuild().unwrap();
        assert_eq!((second.reloaded, second.rendered), (1, 1));
        assert_eq!(second.files.unwrap(), full(root, today));

        // An account disappears, another appears.
        std::fs::remove_dir_all(root.join("accounts/acct-0")).unwrap();
        write(root, "accounts/acct-9/plan.yaml", &plan("New"));
        let third = inc.rebuild().unwrap();
        assert_eq!(third.files.unwrap(), full(root, today));

        // A config change renders everything again.
        write(root, "kaplan.toml", "language = \"en\"\n");
        let fourth = inc.rebuild().unwrap();
        assert_eq!(fourth.rendered, 5);
        assert_eq!(fourth.files.unwrap(), full(root, today));
    }
}
