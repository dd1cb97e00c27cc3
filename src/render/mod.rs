//! Rendering: checked plans in, the site's files out (nothing is written here).
//!
//! Templates come in three layers: the built-in default theme (compiled in),
//! a theme folder chosen with `theme =`, and the plans repository's own
//! `templates/`. Every built-in template is also registered as
//! `default/<name>`, so an override can `{% extends "default/dossier.html" %}`
//! and replace a single block.

mod context;
pub mod markdown;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::Checked;
use crate::charts;
use crate::i18n::Locale;

pub use context::{
    AccountJson, Badge, Choice, DiagCx, DossierCx, FiguresCx, Milestone, PageCx, PortfolioCx,
    QuestionGroup, Row, RuleGroup, SiteCx,
};

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
        "partials/badges.html",
        include_str!("../../themes/default/templates/partials/badges.html"),
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
}

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides kaplan.toml's `base_url`.
    pub base_url: Option<String>,
    /// Publish `private` fields (every page then says so).
    pub include_private: bool,
}

/// One output file: its path relative to the output folder, and its bytes.
pub type OutFile = (String, Vec<u8>);

fn read_dir_files(dir: &Path, ext: Option<&str>) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_name().to_str().is_none_or(|n| n.starts_with('.'))
        })
    {
        let entry = entry.map_err(|e| RenderError::Read {
            path: e.path().unwrap_or(dir).to_owned(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("symbolic link loop")),
        })?;
        if !entry.file_type().is_file()
            || ext.is_some_and(|x| entry.path().extension().is_none_or(|e| e != x))
        {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|source| RenderError::Read {
            path: entry.path().to_owned(),
            source,
        })?;
        out.push((crate::load::relative(dir, entry.path()), bytes));
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

/// The template engine with the three layers loaded, and the static files.
fn load_theme(
    root: &Path,
    theme: &str,
) -> Result<(tera::Tera, BTreeMap<String, Vec<u8>>), RenderError> {
    let mut templates: BTreeMap<String, String> = BTreeMap::new();
    let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (name, src) in BUILTIN_TEMPLATES {
        templates.insert((*name).to_owned(), (*src).to_owned());
        templates.insert(format!("default/{name}"), (*src).to_owned());
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
    for layer in &layers {
        for (name, bytes) in read_dir_files(&layer.join("templates"), Some("html"))? {
            templates.insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    if theme != "default" {
        for (name, bytes) in read_dir_files(&layers[0].join("static"), None)? {
            statics.insert(format!("assets/{name}"), bytes);
        }
    }
    let mut tera = tera::Tera::new();
    tera.add_raw_templates(templates.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| template_error("(theme)", &e))?;
    Ok((tera, statics))
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

/// Renders every page, `accounts.json` and the theme's assets.
pub fn render(checked: &Checked, options: &RenderOptions) -> Result<Vec<OutFile>, RenderError> {
    let config = &checked.config;
    let (tera, statics) = load_theme(&checked.root, &config.theme)?;
    let locale = Locale::new(config.language);
    let b = context::Builder {
        checked,
        locale: &locale,
        include_private: options.include_private,
    };
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| config.base_url.clone());
    let labels = locale.nested();
    let page = |name: &str,
                base: &str,
                fill: &dyn Fn(&mut tera::Context)|
     -> Result<Vec<u8>, RenderError> {
        let mut cx = tera::Context::new();
        cx.insert("site", &b.site(base));
        cx.insert("t", &labels);
        fill(&mut cx);
        tera.render(name, &cx)
            .map(String::into_bytes)
            .map_err(|e| template_error(name, &e))
    };
    let mut files: Vec<OutFile> = Vec::new();

    let base0 = base_for(&base_url, 0);
    let portfolio = b.portfolio(&base0);
    let portfolio_charts = serde_json::json!({
        "matrix": String::new(),
        "heatmap": String::new(),
        "stages": String::new(),
    });
    files.push((
        "index.html".into(),
        page("portfolio.html", &base0, &|cx| {
            cx.insert("portfolio", &portfolio);
            cx.insert("charts", &portfolio_charts);
        })?,
    ));

    let base1 = base_for(&base_url, 1);
    let groups = b.checklist(&base1);
    files.push((
        "checklist/index.html".into(),
        page("checklist.html", &base1, &|cx| {
            cx.insert("questions", &groups)
        })?,
    ));

    let base2 = base_for(&base_url, 2);
    for a in &checked.accounts {
        let Some(dossier) = b.dossier(a, &base2) else {
            continue;
        };
        let plan = a.files.plan.as_ref().expect("a dossier has a plan");
        let figures = a.figures.clone().unwrap_or_default();
        let currency = b.currency(Some(plan));
        let account_charts = serde_json::json!({
            "cost_return": String::new(),
            "stakeholder_map": String::new(),
            "relationship_map": String::new(),
            "timeline": String::new(),
            "objectives": String::new(),
            "scorecard": String::new(),
            "kpis": String::new(),
        });
        let html = page("dossier.html", &base2, &|cx| {
            cx.insert("dossier", &dossier);
            cx.insert("charts", &account_charts);
        })?;
        files.push((format!("accounts/{}/index.html", a.files.id), html));
    }

    let mut json = serde_json::to_string_pretty(&b.accounts_json()).unwrap_or_default();
    json.push('\n');
    files.push(("accounts.json".into(), json.into_bytes()));
    files.extend(statics);
    for (name, bytes) in read_dir_files(&checked.root.join("static"), None)? {
        files.push((name, bytes));
    }
    files.sort_by(|x, y| x.0.cmp(&y.0));
    files.dedup_by(|later, earlier| later.0 == earlier.0);
    Ok(files)
}
