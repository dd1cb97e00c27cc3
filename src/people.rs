//! The department's people: `people.yaml` at the root (format §9.3), read
//! and checked like a plan, and what plans take from it (team names).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Sink};
use crate::load::rules::{DANGLING_REFERENCE, DUPLICATE_ID, MISSING_REQUIRED};
use crate::message::{Arg, Message, texts};
use crate::model::{AccountFiles, Person, Span};
use crate::validate::plan::{ADD_ID, DUPLICATE, DUPLICATE_HELP, MISSING_ID, Targets};

/// The file's name, at the plans root.
pub const FILE_NAME: &str = "people.yaml";

texts! {
    A_PERSON: "a person" / "人员";
    PERSON: "person" / "人员";
}

/// The people of `people.yaml`, by id.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Whether `people.yaml` exists and was read whole (no id lost to a
    /// diagnostic): only then are team ids checked against it
    /// (`plan/unknown-person`).
    pub(crate) present: bool,
    /// Every person with an id, in the order written.
    pub(crate) people: Vec<Person>,
}

impl Directory {
    /// The person `id`.
    pub(crate) fn get(&self, id: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.id.as_ref().is_some_and(|i| i.as_str() == id))
    }

    /// Every person's id, in the order written.
    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        self.people
            .iter()
            .filter_map(|p| p.id.as_ref().map(|i| i.as_str()))
    }

    /// `files` with each team member that has no `name` named after the
    /// person of the same id (unchanged, not copied, when none is).
    pub(crate) fn fill_names(&self, files: Arc<AccountFiles>) -> Arc<AccountFiles> {
        let unnamed = |files: &AccountFiles| {
            files.plan.as_ref().is_some_and(|p| {
                p.team.iter().any(|m| {
                    m.name.is_none()
                        && m.id
                            .as_ref()
                            .is_some_and(|id| self.name_of(id.as_str()).is_some())
                })
            })
        };
        if !unnamed(&files) {
            return files;
        }
        let mut files = files;
        let owned = Arc::make_mut(&mut files);
        for m in owned.plan.iter_mut().flat_map(|p| p.team.iter_mut()) {
            if m.name.is_none()
                && let Some(id) = &m.id
                && let Some(name) = self.get(id.as_str()).and_then(|p| p.name.clone())
            {
                m.name = Some(name);
            }
        }
        files
    }

    /// The name of person `id`, when given.
    pub(crate) fn name_of(&self, id: &str) -> Option<&str> {
        self.get(id)?.name.as_ref().map(|n| n.value.as_str())
    }
}

/// Reads `people.yaml` at `root` into `config` (see [`Config::people`]);
/// returns its text (`None` when there is none), so that a change to it is
/// noticed, and what is wrong with it.
pub(crate) fn load(root: &Path, config: &mut Config) -> (Option<String>, Vec<Diagnostic>) {
    let mut sink = Sink::new("", FILE_NAME);
    let Some((text, people)) = crate::load::read_people(root, &mut sink) else {
        config.people = Arc::default();
        return (None, sink.diagnostics);
    };
    let directory = match people {
        Some(file) => {
            check(&file.people, &mut sink);
            // A list or an id lost to a diagnostic already given: a team id
            // that matches no one may be that person (one mistake, one
            // diagnostic), so team ids are not judged.
            let lost = file.keys.lost("people") || file.people.iter().any(|p| p.keys.lost("id"));
            Directory {
                present: !lost,
                people: file.people.into_iter().filter(|p| p.id.is_some()).collect(),
            }
        }
        // Unreadable: the team ids are not judged against it.
        None => Directory::default(),
    };
    config.people = Arc::new(directory);
    (Some(text), sink.diagnostics)
}

/// Checks the people's ids (present, unique) and `manager` references.
fn check(people: &[Person], sink: &mut Sink) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let mut ids = Vec::new();
    for p in people {
        match &p.id {
            None if p.keys.missing("id") => sink.emit_help(
                &MISSING_REQUIRED,
                crate::validate::start(p.span),
                Message::new(&MISSING_ID).with("what", &PERSON),
                &ADD_ID,
            ),
            None => {}
            Some(id) => match seen.get(id.as_str()) {
                Some(first) => sink.emit_help(
                    &DUPLICATE_ID,
                    id.span,
                    Message::new(&DUPLICATE)
                        .with("id", id.as_str())
                        .with("list", "people")
                        .with("line", Arg::Plain(first.line.to_string())),
                    &DUPLICATE_HELP,
                ),
                None => {
                    seen.insert(id.as_str(), id.span);
                    ids.push(id.as_str());
                }
            },
        }
    }
    let targets = Targets {
        ids,
        lost: people.iter().any(|p| p.keys.lost("id")),
        what: &A_PERSON,
        list: "people",
    };
    for p in people {
        if let Some(manager) = &p.manager
            && let Some((message, help)) = targets.dangling(manager, "manager")
        {
            sink.emit_help(&DANGLING_REFERENCE, manager.span, message, help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;

    fn load_text(text: &str) -> (Config, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), text).unwrap();
        let mut config = Config::default();
        let (read, found) = load(dir.path(), &mut config);
        assert_eq!(read.as_deref(), Some(text));
        (config, found)
    }

    /// `people.yaml` is checked like a plan: unknown keys with a
    /// suggestion, duplicate ids, a `manager` that is no person, each at
    /// its line and column.
    #[test]
    fn people_yaml_is_checked_like_a_plan() {
        let text = "\
people:
  - id: zhang-wei
    name: 张伟
    manager: chen-jei
  - id: chen-jie
    titel: Director
  - id: zhang-wei
  - name: No Id
";
        let (config, found) = load_text(text);
        let got: Vec<(String, u32, u32, String)> = found
            .iter()
            .map(|d| {
                (
                    d.rule.name.to_owned(),
                    d.span.line,
                    d.span.col,
                    d.message(Language::En),
                )
            })
            .collect();
        assert!(
            found
                .iter()
                .all(|d| d.file == FILE_NAME && d.account.is_empty())
        );
        let has = |rule: &str, line: u32, col: u32, text: &str| {
            got.iter()
                .any(|(r, l, c, m)| r == rule && *l == line && *c == col && m.contains(text))
        };
        assert!(
            has("plan/dangling-reference", 4, 14, "did you mean `chen-jie`"),
            "{got:#?}"
        );
        assert!(has("plan/unknown-field", 6, 5, "title"), "{got:#?}");
        assert!(has("plan/duplicate-id", 7, 9, "zhang-wei"), "{got:#?}");
        assert!(has("plan/missing-required", 8, 5, "id"), "{got:#?}");
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(config.people.present);
        assert_eq!(config.people.name_of("zhang-wei"), Some("张伟"));
        assert_eq!(
            config.people.ids().collect::<Vec<_>>(),
            ["zhang-wei", "chen-jie", "zhang-wei"]
        );
    }

    /// Without `people.yaml`, nothing is checked against it; a team member
    /// without a name takes the person's.
    #[test]
    fn team_members_take_their_names_from_people_yaml() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::default();
        let (text, found) = load(dir.path(), &mut config);
        assert!(text.is_none() && found.is_empty());
        assert!(!config.people.present);
        let (config, _) = load_text("people:\n  - id: zhang-wei\n    name: 张伟\n");
        let mut sink = Sink::new("a", "accounts/a/plan.yaml");
        let plan = crate::load::parse_plan(
            "team:\n  - id: zhang-wei\n  - id: li-na\n    name: 李娜\n",
            &mut sink,
        );
        let files = Arc::new(AccountFiles {
            plan,
            ..AccountFiles::default()
        });
        let filled = config.people.fill_names(files.clone());
        let names: Vec<_> = filled
            .plan
            .as_ref()
            .unwrap()
            .team
            .iter()
            .map(|m| m.name.as_ref().map(|n| n.value.clone()))
            .collect();
        assert_eq!(names, [Some("张伟".to_owned()), Some("李娜".to_owned())]);
        // A misspelt list or an unreadable id judges no team id.
        for text in [
            "peple:\n  - id: zhang-wei\n",
            "people:\n  - id: Zhang Wei\n",
        ] {
            let (config, found) = load_text(text);
            assert!(!found.is_empty() && !config.people.present, "{text}");
        }
        // Nothing to fill: the same files, not a copy.
        assert!(Arc::ptr_eq(
            &filled,
            &config.people.fill_names(filled.clone())
        ));
    }
}
