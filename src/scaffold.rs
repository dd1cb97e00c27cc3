//! `kaplan init` and `kaplan new`: the files of a new plans repository and
//! of a new account. Files are created, never overwritten.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::config::Language;
use crate::message::{Message, texts};
use crate::model::{Date, Id};
use crate::text::subst;

/// A scaffolding failure.
#[derive(Debug, Error)]
pub enum ScaffoldError {
    /// The account id is not kebab-case.
    #[error("{0}")]
    InvalidId(String),
    /// The account folder exists.
    #[error("account `{0}` already exists at `{1}`; choose another id or edit that plan")]
    Exists(String, PathBuf),
    /// A file could not be written.
    #[error("cannot write `{path}`")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written.
    Created(PathBuf),
    /// Already there: left alone.
    Kept(PathBuf),
}

texts! {
    CREATED: "created {path}" / "已创建 {path}";
    KEPT: "kept    {path} (exists; not overwritten)" / "已保留 {path}（文件已存在，未覆盖）";
    NEXT_INIT:
        "next: `kaplan check {dir}` and `kaplan serve {dir}`"
        / "下一步：运行 `kaplan check {dir}` 和 `kaplan serve {dir}`";
    NEXT_NEW:
        "next: fill in the plan, then `kaplan check {dir}`"
        / "下一步：填写计划，然后运行 `kaplan check {dir}`";
}

impl Outcome {
    /// What happened, in one line in `language`.
    pub fn describe(&self, language: Language) -> String {
        let (text, path) = match self {
            Outcome::Created(p) => (&CREATED, p),
            Outcome::Kept(p) => (&KEPT, p),
        };
        Message::new(text)
            .with("path", path.display().to_string())
            .render(language)
    }
}

/// What to do after `kaplan init DIR` (`new: false`) or `kaplan new`
/// in the plans repository `dir` (`new: true`), in `language`.
pub fn next_step(dir: &Path, new: bool, language: Language) -> String {
    let text = if new { &NEXT_NEW } else { &NEXT_INIT };
    Message::new(text)
        .with("dir", dir.display().to_string())
        .render(language)
}

/// Fills the date placeholders of a template relative to `today`, so the
/// sample is current whenever it is created.
fn fill(template: &str, today: Date, name: &str) -> String {
    // The plan covers today's calendar year: dates after today stop at its
    // last day, so that they stay inside the period and before the
    // objectives due then.
    let year_end = Date::parse(&format!("{}-12-31", today.year)).unwrap_or(today);
    let shift = |days: i64| {
        Date::from_days_since_epoch(today.days_since_epoch() + days)
            .min(year_end)
            .to_string()
    };
    subst(
        template,
        &[
            ("Y1", &(today.year - 5).to_string()),
            ("Y", &today.year.to_string()),
            ("RECENT", &shift(-10)),
            ("SOON", &shift(7)),
            ("LATER", &shift(60)),
            ("NAME", name),
        ],
    )
}

/// kaplan's GitHub repository, `owner/name`, from Cargo.toml's `repository`.
fn repository() -> &'static str {
    let url = env!("CARGO_PKG_REPOSITORY");
    url.strip_prefix("https://github.com/")
        .unwrap_or(url)
        .trim_end_matches('/')
}

/// The Install kaplan action as the `init` workflow uses it: kaplan's
/// repository pinned to `commit` (the one this kaplan was built from), its
/// version in a comment; the version's tag where the commit is unknown.
fn action_ref(commit: Option<&str>) -> String {
    let version = env!("CARGO_PKG_VERSION");
    match commit {
        Some(commit) => format!("{}@{commit} # v{version}", repository()),
        None => format!(
            "{}@v{version}    # pin it: replace v{version} with the full commit of that tag",
            repository()
        ),
    }
}

/// The templates of one language.
struct Templates {
    kaplan_toml: &'static str,
    people: &'static str,
    gitignore: &'static str,
    sample_plan: &'static str,
    situation: &'static str,
    visit: &'static str,
    new_plan: &'static str,
}

/// The templates in `language`: comments, sample texts and the walk-through
/// of the six questions (the GitHub workflows are the same in both).
fn templates(language: Language) -> Templates {
    match language {
        Language::En => Templates {
            kaplan_toml: include_str!("scaffold/kaplan.toml"),
            people: include_str!("scaffold/people.yaml"),
            gitignore: "# kaplan build output\n/public/\n",
            sample_plan: include_str!("scaffold/sample-plan.yaml"),
            situation: include_str!("scaffold/situation.md"),
            visit: include_str!("scaffold/visit.md"),
            new_plan: include_str!("scaffold/new-plan.yaml"),
        },
        Language::ZhCn => Templates {
            kaplan_toml: include_str!("scaffold/zh-CN/kaplan.toml"),
            people: include_str!("scaffold/zh-CN/people.yaml"),
            gitignore: "# kaplan 生成的站点\n/public/\n",
            sample_plan: include_str!("scaffold/zh-CN/sample-plan.yaml"),
            situation: include_str!("scaffold/zh-CN/situation.md"),
            visit: include_str!("scaffold/zh-CN/visit.md"),
            new_plan: include_str!("scaffold/zh-CN/new-plan.yaml"),
        },
    }
}

/// The files of a new plans repository, relative to its root, in `language`.
pub fn init_files(today: Date, language: Language) -> Vec<(String, String)> {
    let sample = "accounts/east-mobile";
    let t = templates(language);
    vec![
        ("kaplan.toml".into(), t.kaplan_toml.into()),
        (".gitignore".into(), t.gitignore.into()),
        (
            "plan.schema.json".into(),
            crate::model::json_schema(language),
        ),
        ("people.yaml".into(), t.people.into()),
        (
            "people.schema.json".into(),
            crate::model::people_schema(language),
        ),
        (
            ".github/workflows/plans.yml".into(),
            subst(
                include_str!("scaffold/plans.yml"),
                &[
                    ("KAPLAN_ACTION", &action_ref(option_env!("KAPLAN_COMMIT"))),
                    ("KAPLAN_VERSION", env!("CARGO_PKG_VERSION")),
                ],
            ),
        ),
        (
            ".github/workflows/plan-changes.yml".into(),
            include_str!("scaffold/plan-changes.yml").into(),
        ),
        (
            format!("{sample}/plan.yaml"),
            fill(t.sample_plan, today, ""),
        ),
        (format!("{sample}/situation.md"), t.situation.into()),
        (
            format!(
                "{sample}/visits/{}-pilot-scope.md",
                fill("{RECENT}", today, "")
            ),
            fill(t.visit, today, ""),
        ),
    ]
}

/// The plan of a new account: the six questions, each with an example,
/// in `language`.
pub(crate) fn new_account_files(
    id: &str,
    name: Option<&str>,
    today: Date,
    language: Language,
) -> Result<Vec<(String, String)>, ScaffoldError> {
    Id::parse(id).map_err(|m| ScaffoldError::InvalidId(m.render(language)))?;
    let name = name.map_or_else(|| id.to_owned(), str::to_owned);
    let quoted = serde_json::to_string(&name).unwrap_or_default();
    let plan = fill(templates(language).new_plan, today, "{NAME}")
        .replacen("name: {NAME}", &format!("name: {quoted}"), 1)
        .replace("{NAME}", &name.replace('\n', " "));
    Ok(vec![(format!("accounts/{id}/plan.yaml"), plan)])
}

/// Writes `files` under `root`, keeping every file that already exists.
pub fn write(root: &Path, files: &[(String, String)]) -> Result<Vec<Outcome>, ScaffoldError> {
    let mut out = Vec::new();
    for (rel, content) in files {
        let path = root.join(rel);
        if path.exists() {
            out.push(Outcome::Kept(path));
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ScaffoldError::Io {
                path: parent.to_owned(),
                source,
            })?;
        }
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                out.push(Outcome::Kept(path));
                continue;
            }
            Err(source) => return Err(ScaffoldError::Io { path, source }),
        };
        std::io::Write::write_all(&mut file, content.as_bytes()).map_err(|source| {
            ScaffoldError::Io {
                path: path.clone(),
                source,
            }
        })?;
        out.push(Outcome::Created(path));
    }
    Ok(out)
}

/// Creates a new account folder under `root/accounts`, its plan in `language`.
pub fn new_account(
    root: &Path,
    id: &str,
    name: Option<&str>,
    today: Date,
    language: Language,
) -> Result<Vec<Outcome>, ScaffoldError> {
    let files = new_account_files(id, name, today, language)?;
    let dir = root.join("accounts").join(id);
    if dir.exists() {
        return Err(ScaffoldError::Exists(id.to_owned(), dir));
    }
    write(root, &files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The action is named by `owner/name` and pinned to a full commit when
    /// it is known, by its release tag otherwise.
    #[test]
    fn the_action_is_pinned_to_the_commit_kaplan_was_built_from() {
        let repository = repository();
        let parts: Vec<&str> = repository.split('/').collect();
        assert!(
            parts.len() == 2 && parts.iter().all(|p| !p.is_empty()),
            "Cargo.toml's repository is not https://github.com/OWNER/NAME: {repository}"
        );
        let version = env!("CARGO_PKG_VERSION");
        let commit = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(
            action_ref(Some(commit)),
            format!("{repository}@{commit} # v{version}")
        );
        assert!(action_ref(None).starts_with(&format!("{repository}@v{version} ")));
    }

    /// The sample repository passes cleanly whatever day it is made on:
    /// late in the year its dates stay inside the plan's period.
    #[test]
    fn the_sample_is_clean_on_any_day_of_the_year() {
        for day in [
            "2026-01-01",
            "2026-06-30",
            "2026-11-15",
            "2026-12-31",
            "2028-02-29",
        ] {
            for language in [Language::En, Language::ZhCn] {
                let today = Date::parse(day).unwrap();
                let dir = tempfile::tempdir().unwrap();
                write(dir.path(), &init_files(today, language)).unwrap();
                let options = crate::CheckOptions {
                    today: Some(today),
                    ..crate::CheckOptions::default()
                };
                let checked = crate::check(dir.path(), &options).unwrap();
                let found: Vec<String> = checked
                    .diagnostics
                    .iter()
                    .map(|d| format!("{}: {}", d.rule.name, d.message(Language::En)))
                    .collect();
                assert!(found.is_empty(), "{day} {language:?}: {found:#?}");
            }
        }
    }
}
