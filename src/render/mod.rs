//! Rendering: checked plans in, the site's files out (nothing is written here).
//!
//! Templates come in three layers: the built-in default theme (compiled in),
//! a theme folder chosen with `theme =`, and the plans repository's own
//! `templates/`. When there are overrides, every built-in template is also
//! registered as `default/<name>`, so an override can
//! `{% extends "default/dossier.html" %}` and replace a single block.

mod bounded;
mod context;
mod exports;

pub mod markdown;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::charts;
use crate::config::Config;
use crate::i18n::Locale;
use crate::text::escape_html;
use crate::{AccountReport, Checked};

pub(crate) use context::Scope;

/// The built-in theme: templates and static files.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "portfolio.html",
        include_str!("../../themes/default/templates/portfolio.html"),
    ),
    (
        "dossier.html",
        include_str!("../../themes/default/templates/dossier.html"),
    ),
    (
        "checklist.html",
        include_str!("../../themes/default/templates/checklist.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "joint.html",
        include_str!("../../themes/default/templates/joint.html"),
    ),
    (
        "joint-index.html",
        include_str!("../../themes/default/templates/joint-index.html"),
    ),
    (
        "people.html",
        include_str!("../../themes/default/templates/people.html"),
    ),
    (
        "person.html",
        include_str!("../../themes/default/templates/person.html"),
    ),
    (
        "calendar.html",
        include_str!("../../themes/default/templates/calendar.html"),
    ),
    (
        "asks.html",
        include_str!("../../themes/default/templates/asks.html"),
    ),
    (
        "partials/badges.html",
        include_str!("../../themes/default/templates/partials/badges.html"),
    ),
    (
        "partials/mark.html",
        include_str!("../../themes/default/templates/partials/mark.html"),
    ),
    (
        "partials/diagnostics.html",
        include_str!("../../themes/default/templates/partials/diagnostics.html"),
    ),
    (
        "partials/actions.html",
        include_str!("../../themes/default/templates/partials/actions.html"),
    ),
    (
        "partials/pages.html",
        include_str!("../../themes/default/templates/partials/pages.html"),
    ),
];

const BUILTIN_STATIC: &[(&str, &str)] = &[
    (
        "assets/kaplan.css",
        include_str!("../../themes/default/static/kaplan.css"),
    ),
    (
        "assets/palette.css",
        include_str!("../../themes/default/static/palette.css"),
    ),
    (
        "assets/favicon.svg",
        include_str!("../../themes/default/static/favicon.svg"),
    ),
    (
        "assets/kaplan.js",
        include_str!("../../themes/default/static/kaplan.js"),
    ),
];

/// A failure to render.
#[derive(Debug, Error)]
pub enum RenderError {
    /// A template does not parse or fails to render.
    #[error("template `{name}`: {message}")]
    Template {
        /// The template.
        name: String,
        /// Tera's report.
        message: String,
    },
    /// A theme or template file cannot be read.
    #[error("cannot read `{path}`")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `theme =` names a folder that does not exist.
    #[error("theme `{0}` not found: expected a folder `themes/{0}` in the plans repository")]
    NoTheme(String),
    /// Private notes were asked for in the customer's site (in the site's
    /// language).
    #[error("{0}")]
    PrivateToCustomer(String),
    /// A page could not be written out.
    #[error("cannot write a page")]
    Write(#[source] std::io::Error),
}

crate::message::texts! {
    PRIVATE_TO_CUSTOMER:
        "--include-private cannot be used with --audience customer: the customer's site never shows private notes"
        / "--include-private 不能与 --audience customer 一起使用：给客户的网站从不显示私人备注";
}

/// Who a site is built for (§9.5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Audience {
    /// The account team: every dossier, figure, finding and the history.
    #[default]
    Team,
    /// The customer: the joint account plan, built from the items and
    /// pages marked `shared: true` alone.
    Customer,
}

impl Audience {
    /// `team` or `customer`.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Team => "team",
            Audience::Customer => "customer",
        }
    }
}

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides kaplan.toml's `base_url`.
    pub base_url: Option<String>,
    /// Publish `private` fields (every page then says so).
    pub include_private: bool,
    /// Who the site is for.
    pub audience: Audience,
}

/// The pages about all accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SharedPage {
    /// `index.html`: the table of accounts and the portfolio charts.
    Portfolio,
    /// `checklist/index.html`: every finding by question and rule.
    Checklist,
    /// `accounts.json`: the figures of every account.
    AccountsJson,
    /// `404.html`: what a missing page shows (GitHub Pages and `serve`
    /// answer it for any path the site lacks).
    NotFound,
    /// `robots.txt`: disallows every crawler unless the site is `public`.
    Robots,
    /// `people/index.html`: every person's workload.
    People,
    /// `calendar/index.html`: every open action and milestone by when.
    Calendar,
    /// `asks/index.html`: every ask of management by the person asked.
    Asks,
    /// `calendar.ics`: the calendar as an iCalendar feed.
    CalendarIcs,
    /// `accounts.csv`: the portfolio rows.
    AccountsCsv,
    /// `actions.csv`: every action.
    ActionsCsv,
    /// `portfolio.json`: the department's figures.
    PortfolioJson,
}

impl SharedPage {
    /// Every shared page.
    pub(crate) const ALL: [SharedPage; 12] = [
        SharedPage::Portfolio,
        SharedPage::Checklist,
        SharedPage::AccountsJson,
        SharedPage::NotFound,
        SharedPage::Robots,
        SharedPage::People,
        SharedPage::Calendar,
        SharedPage::Asks,
        SharedPage::CalendarIcs,
        SharedPage::AccountsCsv,
        SharedPage::ActionsCsv,
        SharedPage::PortfolioJson,
    ];

    /// The pages of the customer's site: its index of joint plans, and no
    /// checklist or figures.
    pub(crate) const CUSTOMER: [SharedPage; 3] = [
        SharedPage::Portfolio,
        SharedPage::NotFound,
        SharedPage::Robots,
    ];

    /// Where the page goes in the site.
    pub(crate) fn path(self) -> &'static str {
        match self {
            SharedPage::Portfolio => "index.html",
            SharedPage::Checklist => "checklist/index.html",
            SharedPage::AccountsJson => "accounts.json",
            SharedPage::NotFound => "404.html",
            SharedPage::Robots => "robots.txt",
            SharedPage::People => "people/index.html",
            SharedPage::Calendar => "calendar/index.html",
            SharedPage::Asks => "asks/index.html",
            SharedPage::CalendarIcs => "calendar.ics",
            SharedPage::AccountsCsv => "accounts.csv",
            SharedPage::ActionsCsv => "actions.csv",
            SharedPage::PortfolioJson => "portfolio.json",
        }
    }
}

/// A file of one person: their page or their calendar feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PersonFile {
    /// `people/ID/index.html`.
    Page,
    /// `people/ID/calendar.ics`.
    Calendar,
}

impl PersonFile {
    /// Both files.
    const ALL: [PersonFile; 2] = [PersonFile::Page, PersonFile::Calendar];

    /// Where the file of person `id` goes.
    fn path(self, id: &str) -> String {
        match self {
            PersonFile::Page => format!("people/{id}/index.html"),
            PersonFile::Calendar => format!("people/{id}/calendar.ics"),
        }
    }

    /// The person and file at `path`, the inverse of [`PersonFile::path`].
    pub(crate) fn at(path: &str) -> Option<(&str, PersonFile)> {
        let rest = path.strip_prefix("people/")?;
        let (id, file) = rest.split_once('/')?;
        let file = match file {
            "index.html" => PersonFile::Page,
            "calendar.ics" => PersonFile::Calendar,
            _ => return None,
        };
        (!id.is_empty()).then_some((id, file))
    }
}

pub use crate::model::OutFile;

/// Largest file copied from `static/` or a theme.
pub(crate) const MAX_STATIC_BYTES: u64 = 64 * 1024 * 1024;

/// The files under `dir` (with extension `ext`, if given), by path relative
/// to it: none when there is no such folder. Hidden entries are left out; a
/// symbolic link (or `dir` itself, being one) is followed only to a visible
/// place inside `root` outside `accounts/`, so the site never publishes what
/// lies outside the repository, in `.git` or in the raw plans.
fn read_dir_files(
    root: &Path,
    dir: &Path,
    ext: Option<&str>,
) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let mut out = Vec::new();
    if std::fs::symlink_metadata(dir).is_err() {
        return Ok(out);
    }
    let read_error = |path: &Path, source| RenderError::Read {
        path: path.to_owned(),
        source,
    };
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_name().to_str().is_none_or(|n| n.starts_with('.'))
        });
    for entry in walk {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_owned();
            let source = e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("symbolic link loop"));
            read_error(&path, source)
        })?;
        let path = entry.path();
        // The folder itself may be reached through links (`static`,
        // `themes`, `themes/NAME`): resolved whole; inside it, links only.
        if entry.depth() == 0 || entry.path_is_symlink() {
            let plans = root.join("accounts");
            let why = crate::load::resolved_escape(root, path).or_else(|| {
                let into_plans = std::fs::canonicalize(plans)
                    .is_ok_and(|p| std::fs::canonicalize(path).is_ok_and(|t| t.starts_with(p)));
                into_plans.then_some(crate::load::Escape::Plans)
            });
            if let Some(why) = why {
                return Err(read_error(path, std::io::Error::other(why.describe())));
            }
        }
        if entry.depth() == 0 && !entry.file_type().is_dir() {
            return Ok(out);
        }
        if entry.file_type().is_dir()
            || ext.is_some_and(|x| path.extension().is_none_or(|e| e != x))
        {
            continue;
        }
        let bytes = crate::load::read_at_most(path, MAX_STATIC_BYTES)
            .map_err(|source| read_error(path, source))?;
        out.push((crate::load::relative(dir, path), bytes));
    }
    Ok(out)
}

fn template_error(name: &str, e: &tera::Error) -> RenderError {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    RenderError::Template {
        name: name.to_owned(),
        message,
    }
}

/// A theme, loaded.
struct Theme {
    tera: tera::Tera,
    statics: BTreeMap<String, Vec<u8>>,
}

/// The template engine with the three layers loaded, and the static files.
fn load_theme(root: &Path, theme: &str) -> Result<Theme, RenderError> {
    let mut templates: BTreeMap<String, String> = BTreeMap::new();
    let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (name, src) in BUILTIN_TEMPLATES {
        templates.insert((*name).to_owned(), (*src).to_owned());
    }
    for (name, src) in BUILTIN_STATIC {
        statics.insert((*name).to_owned(), src.as_bytes().to_vec());
    }
    let mut layers = Vec::new();
    if theme != "default" {
        let dir = root.join("themes").join(theme);
        if !dir.is_dir() {
            return Err(RenderError::NoTheme(theme.to_owned()));
        }
        layers.push(dir);
    }
    layers.push(root.to_owned());
    let mut overridden = false;
    for layer in &layers {
        for (name, bytes) in read_dir_files(root, &layer.join("templates"), Some("html"))? {
            templates.insert(name.clone(), String::from_utf8_lossy(&bytes).into_owned());
            overridden = true;
        }
    }
    // Only an override can refer to `default/<name>`: without one, the
    // copies would only double the parsing.
    if overridden {
        for (name, src) in BUILTIN_TEMPLATES {
            templates.insert(format!("default/{name}"), (*src).to_owned());
        }
    }
    if theme != "default" {
        for (name, bytes) in read_dir_files(root, &layers[0].join("static"), None)? {
            statics.insert(format!("assets/{name}"), bytes);
        }
    }
    let mut tera = tera::Tera::new();
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(templates.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| template_error("(theme)", &e))?;
    Ok(Theme { tera, statics })
}

/// Normalizes `base_url`: `"./"` (or `""`) means relative links, so the
/// site also opens from disk; anything else gets a trailing `/`.
fn base_for(base_url: &str, depth: usize) -> String {
    if base_url.is_empty() || base_url == "." || base_url == "./" {
        return if depth == 0 {
            "./".to_owned()
        } else {
            "../".repeat(depth)
        };
    }
    if base_url.ends_with('/') {
        base_url.to_owned()
    } else {
        format!("{base_url}/")
    }
}

/// The SVG charts of a page by name, as `charts` in its template. They are
/// marked safe, so `{{ charts.timeline }}` writes the markup as it is (a
/// `| safe` filter would only copy it once more).
fn charts_value(charts: impl IntoIterator<Item = (&'static str, String)>) -> tera::Value {
    let charts: BTreeMap<&'static str, tera::Value> = charts
        .into_iter()
        .map(|(name, svg)| (name, tera::Value::safe_string(&svg)))
        .collect();
    tera::Value::from(charts)
}

/// A loaded theme, ready to render pages of one configuration.
pub(crate) struct Renderer {
    tera: tera::Tera,
    statics: BTreeMap<String, Vec<u8>>,
    locale: Locale,
    /// `t` in templates: every label, nested by key.
    labels: tera::Value,
    options: RenderOptions,
    /// How long one page may take (`render_timeout`).
    time_limit: std::time::Duration,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Where [`Renderer::shared`] puts each file it makes: the staging folder
/// of a build, or a list.
pub(crate) trait Sink: Sync {
    /// Why a file could not be made.
    type Error: From<RenderError> + Send;
    /// Makes the file at `rel` (relative to the site) of what `fill` writes
    /// to it, as it writes.
    fn file(
        &self,
        rel: &str,
        fill: &dyn Fn(&mut dyn Write) -> Result<(), RenderError>,
    ) -> Result<(), Self::Error>;
}

impl Renderer {
    /// Loads the theme layers of the repository at `root` for its `config`.
    pub(crate) fn new(
        root: &Path,
        config: &Config,
        options: &RenderOptions,
    ) -> Result<Renderer, RenderError> {
        if options.include_private && options.audience == Audience::Customer {
            return Err(RenderError::PrivateToCustomer(
                PRIVATE_TO_CUSTOMER.get(config.language).to_owned(),
            ));
        }
        let Theme { tera, statics } = load_theme(root, &config.theme)?;
        let locale = Locale::new(config.language);
        // The labels are the same on every page: convert them once.
        let labels = tera::Value::from_serializable(&locale.nested());
        Ok(Renderer {
            tera,
            statics,
            locale,
            labels,
            options: options.clone(),
            time_limit: std::time::Duration::from_secs(config.render_timeout),
        })
    }

    fn builder<'a>(&'a self, scope: Scope<'a>) -> context::Builder<'a> {
        context::Builder {
            scope,
            locale: &self.locale,
            include_private: self.options.include_private,
            audience: self.options.audience,
        }
    }

    /// The pages about all accounts that this site has.
    pub(crate) fn pages(&self) -> &'static [SharedPage] {
        match self.options.audience {
            Audience::Team => &SharedPage::ALL,
            Audience::Customer => &SharedPage::CUSTOMER,
        }
    }

    /// Whether the site has the people's pages and calendars (the team's
    /// site; the customer's never).
    pub(crate) fn has_people(&self) -> bool {
        self.options.audience == Audience::Team
    }

    /// Whether the account of `files` has a page of its own in this site:
    /// a readable plan, and for the customer something shared.
    pub(crate) fn has_page(&self, files: &crate::model::AccountFiles) -> bool {
        match self.options.audience {
            Audience::Team => files.plan.is_some(),
            Audience::Customer => files.customer_view().is_some(),
        }
    }

    /// What the pages about all accounts read of an account once its own
    /// page is written: its [portfolio view](AccountFiles::portfolio_view),
    /// or for the customer its customer view (nothing when it shares
    /// nothing).
    pub(crate) fn keep(&self, files: &crate::model::AccountFiles) -> crate::model::AccountFiles {
        match self.options.audience {
            Audience::Team => files.portfolio_view(self.options.include_private),
            Audience::Customer => {
                files
                    .customer_view()
                    .unwrap_or_else(|| crate::model::AccountFiles {
                        id: files.id.clone(),
                        ..crate::model::AccountFiles::default()
                    })
            }
        }
    }

    fn base(&self, config: &Config, depth: usize) -> String {
        base_for(
            self.options.base_url.as_deref().unwrap_or(&config.base_url),
            depth,
        )
    }

    /// Renders template `name` into a buffer, with the context `fill`
    /// makes: a dossier, written whole once rendered.
    fn page(
        &self,
        scope: Scope<'_>,
        name: &str,
        base: &str,
        fill: impl FnOnce(&mut tera::Context),
    ) -> Result<Vec<u8>, RenderError> {
        // A dossier is about 100 kB.
        let mut out = Vec::with_capacity(128 * 1024);
        self.page_into(scope, name, base, fill, &mut out)?;
        Ok(out)
    }

    /// Renders template `name` into `out`, with the context `fill` makes.
    fn page_into(
        &self,
        scope: Scope<'_>,
        name: &str,
        base: &str,
        fill: impl FnOnce(&mut tera::Context),
        out: &mut dyn Write,
    ) -> Result<(), RenderError> {
        let mut cx = tera::Context::new();
        // In the page's own context, `t` is found one lookup sooner than in
        // the global one; the value is shared, not copied.
        cx.insert_value("t", self.labels.clone());
        cx.insert("site", &self.builder(scope).site(base));
        fill(&mut cx);
        // Rendered into bytes: Tera's `render` would check the whole page is
        // UTF-8 again.
        let _watch = bounded::Watch::start(name, self.time_limit);
        let mut out = bounded::Bounded::new(out, self.time_limit);
        let rendered = self.tera.render_to(name, &cx, &mut out);
        let limit = |message: String| RenderError::Template {
            name: name.to_owned(),
            message,
        };
        match (rendered, out.exceeded) {
            (Ok(()), _) => Ok(()),
            (Err(_), Some(bounded::Exceeded::Output)) => Err(limit(format!(
                "the page is larger than {} MiB, the most a page may be (a loop that never ends?)",
                bounded::MAX_PAGE_BYTES >> 20
            ))),
            (Err(_), Some(bounded::Exceeded::Time)) => {
                Err(limit(bounded::timed_out(name, self.time_limit)))
            }
            (Err(e), None) => Err(template_error(name, &e)),
        }
    }

    /// The site's pages about all accounts (for the team portfolio,
    /// checklist, `accounts.json`, for the customer the joint plans' index,
    /// [`Renderer::pages`]), the people's files, the theme's assets and the
    /// repository's `static/` files that no page replaces, each written to
    /// `sink` as it is made: rendered in parallel, and a page is never held
    /// whole (the calendar of 10,000 accounts is 50 MB). Returns how many
    /// files were made.
    pub(crate) fn shared<S: Sink>(&self, checked: &Checked, sink: &S) -> Result<usize, S::Error> {
        use rayon::prelude::*;
        /// One file about all accounts to make.
        enum Job<'a> {
            Page(SharedPage),
            Person(&'a str, PersonFile),
        }
        // No page of the customer's site reads the people and dates.
        let accounts = if self.has_people() {
            &checked.accounts[..]
        } else {
            &[]
        };
        let index = context::people::Index::new(accounts, &checked.config, checked.today);
        let people = if self.has_people() {
            &index.people[..]
        } else {
            &[]
        };
        let jobs: Vec<(String, Job<'_>)> =
            self.pages()
                .iter()
                .map(|&page| (page.path().to_owned(), Job::Page(page)))
                .chain(people.iter().flat_map(|id| {
                    PersonFile::ALL.map(|f| (f.path(id), Job::Person(id.as_str(), f)))
                }))
                .collect();
        let scope = Scope::all(checked);
        jobs.par_iter()
            .with_max_len(1)
            .try_for_each(|(path, job)| {
                sink.file(path, &|out| match *job {
                    Job::Page(page) => self.shared_page_into(checked, page, &index, out),
                    Job::Person(id, f) => self.person_file(scope, &index, id, f, out),
                })
            })?;
        // Of two files with one path, the first (generated) wins.
        let mut made: std::collections::HashSet<String> =
            jobs.into_iter().map(|(path, _)| path).collect();
        for (path, bytes) in self.assets(&checked.root)? {
            if !made.contains(&path) {
                sink.file(&path, &|out| {
                    out.write_all(&bytes).map_err(RenderError::Write)
                })?;
                made.insert(path);
            }
        }
        Ok(made.len())
    }

    /// The file at `path` of a person with a page, rendered; `None` when
    /// `path` is no such file.
    pub(crate) fn person_at(
        &self,
        checked: &Checked,
        path: &str,
    ) -> Option<Result<Vec<u8>, RenderError>> {
        let (id, file) = PersonFile::at(path).filter(|_| self.has_people())?;
        let index = context::people::Index::new(&checked.accounts, &checked.config, checked.today);
        if !index.people.iter().any(|p| p == id) {
            return None;
        }
        let mut out = Vec::new();
        Some(
            self.person_file(Scope::all(checked), &index, id, file, &mut out)
                .map(|()| out),
        )
    }

    /// A file of person `id`, written to `out`.
    fn person_file(
        &self,
        scope: Scope<'_>,
        index: &context::people::Index<'_>,
        id: &str,
        file: PersonFile,
        out: &mut dyn Write,
    ) -> Result<(), RenderError> {
        let b = self.builder(scope);
        match file {
            PersonFile::Page => {
                let base2 = self.base(scope.config, 2);
                self.page_into(
                    scope,
                    "person.html",
                    &base2,
                    |cx| cx.insert("person", &b.person(index, id, &base2)),
                    out,
                )
            }
            PersonFile::Calendar => exports::calendar(
                scope.config,
                scope.today,
                index.dated.iter().filter(|e| e.owner == Some(id)),
                &b.person_link(index, id, "").name,
                &|o| b.person_link(index, o, "").name,
                out,
            )
            .map_err(RenderError::Write),
        }
    }

    /// The theme's assets and the repository's `static/` files.
    pub(crate) fn assets(&self, root: &Path) -> Result<Vec<OutFile>, RenderError> {
        let mut files: Vec<OutFile> = self
            .statics
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        files.extend(read_dir_files(root, &root.join("static"), None)?);
        Ok(files)
    }

    /// One of the pages about all accounts.
    pub(crate) fn shared_page(
        &self,
        checked: &Checked,
        page: SharedPage,
    ) -> Result<Vec<u8>, RenderError> {
        // Only the pages about people and dates read the index; the team's
        // portfolio reads only the names, gathered without it.
        if page == SharedPage::Portfolio && self.options.audience == Audience::Team {
            let names = context::people::Names::new(&checked.accounts, &checked.config);
            let mut out = Vec::new();
            return self.portfolio(checked, &names, &mut out).map(|()| out);
        }
        let reads_index = matches!(
            page,
            SharedPage::People | SharedPage::Calendar | SharedPage::Asks | SharedPage::CalendarIcs
        );
        let accounts = if reads_index {
            &checked.accounts[..]
        } else {
            &[]
        };
        let index = context::people::Index::new(accounts, &checked.config, checked.today);
        let mut out = Vec::new();
        self.shared_page_into(checked, page, &index, &mut out)
            .map(|()| out)
    }

    /// One of the pages about all accounts, with the `index` of the people
    /// and dates of `checked`, written to `out`.
    fn shared_page_into(
        &self,
        checked: &Checked,
        page: SharedPage,
        index: &context::people::Index<'_>,
        out: &mut dyn Write,
    ) -> Result<(), RenderError> {
        let scope = Scope::all(checked);
        let b = self.builder(scope);
        let written = |r: std::io::Result<()>| r.map_err(RenderError::Write);
        match page {
            SharedPage::Portfolio if self.options.audience == Audience::Customer => {
                let base0 = self.base(&checked.config, 0);
                let joint = b.joint_index(&base0);
                self.page_into(
                    scope,
                    "joint-index.html",
                    &base0,
                    |cx| cx.insert("joint", &joint),
                    out,
                )
            }
            SharedPage::Portfolio => self.portfolio(checked, &index.names, out),
            SharedPage::Checklist => {
                let base1 = self.base(&checked.config, 1);
                let groups = b.checklist(&base1);
                self.page_into(
                    scope,
                    "checklist.html",
                    &base1,
                    |cx| cx.insert("questions", &groups),
                    out,
                )
            }
            SharedPage::AccountsJson => written(b.accounts_json(&mut *out)),
            // Served for paths at any depth: its links start from the
            // configured base, never relative to where it is shown.
            SharedPage::NotFound => {
                let base = self.base(&checked.config, 0);
                self.page_into(scope, "404.html", &base, |_| {}, out)
            }
            SharedPage::People | SharedPage::Calendar | SharedPage::Asks => {
                let base1 = self.base(&checked.config, 1);
                match page {
                    SharedPage::People => self.page_into(
                        scope,
                        "people.html",
                        &base1,
                        |cx| cx.insert("people", &b.people(index, &base1)),
                        out,
                    ),
                    SharedPage::Calendar => {
                        let ics = format!("{base1}calendar.ics");
                        // Made in the context and dropped once converted:
                        // the calendar is the largest page.
                        self.page_into(
                            scope,
                            "calendar.html",
                            &base1,
                            |cx| {
                                cx.insert("calendar", &b.calendar(index, &base1));
                                cx.insert("ics", &ics);
                            },
                            out,
                        )
                    }
                    _ => self.page_into(
                        scope,
                        "asks.html",
                        &base1,
                        |cx| cx.insert("asks", &b.asks(index, &base1)),
                        out,
                    ),
                }
            }
            SharedPage::CalendarIcs => written(exports::calendar(
                &checked.config,
                checked.today,
                index.dated.iter(),
                &checked.config.title,
                &|o| b.person_link(index, o, "").name,
                out,
            )),
            SharedPage::AccountsCsv => written(exports::accounts_csv(
                &b,
                &self.base(&checked.config, 0),
                out,
            )),
            SharedPage::ActionsCsv => written(exports::actions_csv(&b, out)),
            SharedPage::PortfolioJson => written(exports::portfolio_json(checked, out)),
            SharedPage::Robots => written(out.write_all(if checked.config.public {
                b"User-agent: *\nAllow: /\n"
            } else {
                b"User-agent: *\nDisallow: /\n"
            })),
        }
    }

    fn portfolio(
        &self,
        checked: &Checked,
        names: &context::people::Names<'_>,
        out: &mut dyn Write,
    ) -> Result<(), RenderError> {
        let scope = Scope::all(checked);
        let b = self.builder(scope);
        let config = &checked.config;
        let locale = &self.locale;
        let base0 = self.base(config, 0);
        let portfolio = b.portfolio(&base0);
        let entries: Vec<charts::PortfolioEntry> = checked
            .accounts
            .iter()
            .zip(&portfolio.rows)
            .map(|(a, row)| charts::PortfolioEntry {
                name: row.name.clone(),
                href: row.href.clone(),
                relative_strength: a
                    .files
                    .plan
                    .as_ref()
                    .and_then(|p| p.relative_strength.as_ref())
                    .map(|r| r.get() as f64),
                scorecard: a.figures.as_ref().and_then(|f| f.scorecard),
                expected_return: a.figures.as_ref().map_or(0.0, |f| f.expected_return),
                tier: a.tier(),
                stage: a
                    .files
                    .plan
                    .as_ref()
                    .and_then(|p| p.account.as_ref())
                    .and_then(|x| x.stage.as_ref())
                    .map(|s| s.value),
                checklist: a.checklist,
            })
            .collect();
        let portfolio_charts = charts_value([
            (
                "matrix",
                charts::portfolio_matrix(&entries, &config.currency, locale),
            ),
            ("heatmap", charts::checklist_heatmap(&entries, locale)),
            ("stages", charts::stages(&entries, &config.currency, locale)),
        ]);
        let d = &portfolio.figures;
        let named = |m: &BTreeMap<String, f64>, name: &dyn Fn(&str) -> String| {
            m.iter().map(|(k, v)| (name(k), *v)).collect::<Vec<_>>()
        };
        let tiers: Vec<(String, f64)> = ["platinum", "gold", "silver"]
            .iter()
            .filter_map(|t| {
                Some((
                    locale.text(&format!("enum.tier.{t}")).to_owned(),
                    *d.expected_return_by_tier.get(*t)?,
                ))
            })
            .collect();
        let empty = locale.text("department.no_returns");
        let department_charts = charts_value([
            (
                "by_quarter",
                charts::expected_return_bars(
                    "by-quarter",
                    locale.text("department.by_quarter"),
                    &named(&d.expected_return_by_quarter, &|q| q.to_owned()),
                    &config.currency,
                    empty,
                    locale,
                ),
            ),
            (
                "by_owner",
                charts::expected_return_bars(
                    "by-owner",
                    locale.text("department.by_owner"),
                    &{
                        // The largest first.
                        let mut owners =
                            named(&d.expected_return_by_owner, &|o| names.of(o).to_owned());
                        owners.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
                        owners
                    },
                    &config.currency,
                    empty,
                    locale,
                ),
            ),
            (
                "by_tier",
                charts::expected_return_bars(
                    "by-tier",
                    locale.text("department.by_tier"),
                    &tiers,
                    &config.currency,
                    empty,
                    locale,
                ),
            ),
        ]);
        // The rows, then the whitespace, are dropped once converted: they
        // are most of the page.
        let base = base0.as_str();
        self.page_into(
            scope,
            "portfolio.html",
            &base0,
            move |cx| {
                cx.insert("portfolio", &portfolio);
                drop(portfolio);
                cx.insert("whitespace", &b.portfolio_whitespace(base));
                cx.insert_value("charts", portfolio_charts);
                cx.insert_value("department_charts", department_charts);
            },
            out,
        )
    }

    /// The dossier of the account of `scope` (its own diagnostics and
    /// history, [`Scope::one`]) or of account `id` among all of `scope`'s;
    /// `None` when its plan could not be read.
    pub(crate) fn dossier(
        &self,
        scope: Scope<'_>,
        account: &AccountReport,
    ) -> Result<Option<OutFile>, RenderError> {
        if self.options.audience == Audience::Customer {
            return self.joint(scope, account);
        }
        let (config, today) = (scope.config, scope.today);
        let base2 = self.base(config, 2);
        let b = self.builder(scope);
        let Some(dossier) = b.dossier(account, &base2) else {
            return Ok(None);
        };
        let Some(plan) = account.files.plan.as_ref() else {
            return Ok(None);
        };
        let locale = &self.locale;
        let none = crate::figures::Figures::default();
        let figures = account.figures.as_ref().unwrap_or(&none);
        let currency = b.currency(Some(plan));
        let mut account_charts = charts::dossier(
            plan,
            figures,
            &account.files.visits,
            today,
            &currency,
            &config.thresholds,
            locale,
        );
        account_charts.push((
            "trend",
            charts::trend(
                scope
                    .history(&account.files.id)
                    .map_or(&[][..], |h| &h.trend),
                &currency,
                locale,
            ),
        ));
        let account_charts = charts_value(account_charts);
        let html = self.page(scope, "dossier.html", &base2, |cx| {
            cx.insert("dossier", &dossier);
            cx.insert_value("charts", account_charts.clone());
        })?;
        Ok(Some((dossier_path(&account.files.id), html)))
    }
}

impl Renderer {
    /// The joint plan of `account` for the customer, at its dossier's
    /// place: built from its customer view alone, with no diagnostics and
    /// no history; `None` when it shares nothing.
    fn joint(
        &self,
        scope: Scope<'_>,
        account: &AccountReport,
    ) -> Result<Option<OutFile>, RenderError> {
        let (config, today) = (scope.config, scope.today);
        let Some(view) = context::joint_report(&account.files, config, today) else {
            return Ok(None);
        };
        let scope = Scope::one(config, today, &view, &[], scope.source, None);
        let base2 = self.base(config, 2);
        let b = self.builder(scope);
        let (Some(joint), Some(plan), Some(figures)) = (
            b.joint(&view, &base2),
            view.files.plan.as_ref(),
            view.figures.as_ref(),
        ) else {
            return Ok(None);
        };
        let locale = &self.locale;
        let currency = b.currency(Some(plan));
        let joint_charts = charts_value([
            ("timeline", charts::timeline(plan, today, locale)),
            (
                "objectives",
                charts::objectives(plan, figures, &currency, locale),
            ),
            ("kpis", charts::kpis(plan, &currency, locale)),
        ]);
        let html = self.page(scope, "joint.html", &base2, |cx| {
            cx.insert("joint", &joint);
            cx.insert_value("charts", joint_charts.clone());
        })?;
        Ok(Some((dossier_path(&account.files.id), html)))
    }
}

/// Where the dossier of account `id` goes in the site.
pub fn dossier_path(id: &str) -> String {
    format!("{}index.html", dossier_href("", id))
}

/// The link to the dossier of account `id` from a page whose links start
/// with `base`.
pub(crate) fn dossier_href(base: &str, id: &str) -> String {
    format!("{base}accounts/{id}/")
}

/// The account whose dossier is at `path`, the inverse of [`dossier_path`].
pub(crate) fn dossier_id(path: &str) -> Option<&str> {
    let id = path
        .strip_prefix("accounts/")?
        .strip_suffix("/index.html")?;
    (!id.is_empty() && !id.contains('/')).then_some(id)
}

/// Sorts output files; of two files with one path, the first (generated) wins.
pub(crate) fn finish(mut files: Vec<OutFile>) -> Vec<OutFile> {
    files.sort_by(|x, y| x.0.cmp(&y.0));
    files.dedup_by(|later, earlier| later.0 == earlier.0);
    files
}

/// Renders every page, `accounts.json` and the theme's assets.
pub fn render(checked: &Checked, options: &RenderOptions) -> Result<Vec<OutFile>, RenderError> {
    let renderer = Renderer::new(&checked.root, &checked.config, options)?;
    let mut files = Vec::new();
    for account in &checked.accounts {
        files.extend(renderer.dossier(Scope::all(checked), account)?);
    }
    /// The files made, in a list.
    struct List(std::sync::Mutex<Vec<OutFile>>);
    impl Sink for List {
        type Error = RenderError;
        fn file(
            &self,
            rel: &str,
            fill: &dyn Fn(&mut dyn Write) -> Result<(), RenderError>,
        ) -> Result<(), RenderError> {
            let mut bytes = Vec::new();
            fill(&mut bytes)?;
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((rel.to_owned(), bytes));
            Ok(())
        }
    }
    let shared = List(std::sync::Mutex::new(Vec::new()));
    renderer.shared(checked, &shared)?;
    files.extend(
        shared
            .0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    Ok(finish(files))
}

#[cfg(test)]
mod tests {
    use super::{dossier_id, dossier_path};
    use crate::text::escape_html;

    #[test]
    fn dossier_paths_name_their_account() {
        assert_eq!(dossier_id(&dossier_path("acme-corp")), Some("acme-corp"));
        for other in [
            "index.html",
            "accounts/index.html",
            "accounts//index.html",
            "accounts/a/b/index.html",
            "accounts/a/index.htm",
        ] {
            assert_eq!(dossier_id(other), None, "{other}");
        }
    }

    /// Random texts of plain and special bytes, ASCII and Chinese, of every
    /// length around the chunk size, escaped as Tera escapes them.
    #[test]
    fn escaping_random_text_matches_teras_default() {
        let plain = ["a", "中", " ", "é", "0"];
        let special = ["&", "<", ">", "\"", "'"];
        let mut rng = crate::testing::Rng::new(0x2545_f491_4f6c_dd1d);
        let mut changed = 0;
        for _ in 0..20_000 {
            let state = rng.next_u64();
            let len = (state % 40) as usize;
            let mut text = String::new();
            let mut r = state;
            for _ in 0..len {
                r = r.rotate_left(7) ^ 0x9e37_79b9_7f4a_7c15;
                // Mostly plain text: a special byte one time in twenty.
                let pick = (r >> 8) as usize % 5;
                text.push_str(if r.is_multiple_of(20) {
                    special[pick]
                } else {
                    plain[pick]
                });
            }
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(&text, &mut ours).unwrap();
            tera::escape_html(&text, &mut teras).unwrap();
            assert_eq!(ours, teras, "{text:?}");
            changed += usize::from(ours != text.as_bytes());
        }
        // Both plain and escaped texts were tried.
        assert!((5_000..15_000).contains(&changed), "{changed}");
    }

    #[test]
    fn escaping_matches_teras_default() {
        for s in [
            "",
            "plain",
            "<a href=\"x\">Tom & Jerry's</a>",
            "&&<<>>\"\"''",
            "中文 <b>粗</b> & 'é'",
            "trailing &",
        ] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(s, &mut ours).unwrap();
            tera::escape_html(s, &mut teras).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(teras).unwrap(),
                "{s}"
            );
        }
    }
}
