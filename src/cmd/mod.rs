//! One small module per command: parse flags, call the library, print.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod diff;
pub(crate) mod explain;
pub(crate) mod init;
pub(crate) mod new;
mod progress;
pub(crate) mod schema;
pub(crate) mod serve;

use std::path::{Path, PathBuf};

use kaplan::config::{Config, Language};
use kaplan::model::Date;
use kaplan::text::terminal;

/// The language of a command that reads no plans (`explain`, `schema`,
/// `init`): `--lang`, else the `language` of the plans repository around
/// the current folder, else the locale.
pub(crate) fn language_here() -> Language {
    Config::load(&root(Path::new("."), true))
        .map_or_else(|_| Language::resolve(None), |(config, _)| config.language())
}

/// Parses `--today`.
pub(crate) fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|m| m.render(Language::resolve(None)))
}

/// Whether `dir` is a plans repository: it holds `kaplan.toml` or `accounts/`.
fn is_plans_root(dir: &Path) -> bool {
    dir.join("kaplan.toml").is_file() || dir.join("accounts").is_dir()
}

/// The plans repository a command works on: `given` when it is one, else
/// the nearest folder above it that is (as Zola finds its site from a
/// subfolder), else `given` itself (whose check then finds no accounts).
/// Says on stderr, unless `quiet`, which folder was used instead of `given`.
pub(crate) fn root(given: &Path, quiet: bool) -> PathBuf {
    if is_plans_root(given) {
        return given.to_owned();
    }
    let Ok(absolute) = std::fs::canonicalize(given) else {
        return given.to_owned();
    };
    let Some(found) = absolute.ancestors().skip(1).find(|dir| is_plans_root(dir)) else {
        return given.to_owned();
    };
    if !quiet {
        eprintln!(
            "note: {} holds no kaplan.toml or accounts/; using the plans repository {}",
            terminal(&given.display().to_string()),
            terminal(&found.display().to_string())
        );
    }
    found.to_owned()
}
