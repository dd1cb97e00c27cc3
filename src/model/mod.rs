//! The data model: plain structs shared by every stage, no I/O.
//!
//! Each record is declared once with [`record!`], which also derives its
//! reader (so the loader's keys are exactly the struct's fields) and its JSON
//! Schema (so `kaplan schema` cannot drift from the loader).

mod plan;
pub(crate) mod values;

pub use plan::*;
pub(crate) use values::name_enum;
pub use values::{Date, Id, Money, Named, Period, Probability, Rated, Sp, Span};

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::config::Language;
use serde::Serialize;

/// One file of the site: its path relative to the output folder, and its
/// bytes (rendered by `render`, written by `site`).
pub type OutFile = (String, Vec<u8>);

/// Where each key of a mapping was written, whether it has a value, and
/// which fields were meant but could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeySpans {
    /// The keys read, in the order written: name, span, non-null value.
    pub read: Vec<(&'static str, Span, bool)>,
    /// Fields whose value was lost to a diagnostic already given: a value
    /// reported as `plan/invalid-value` (for a list: not a list, or an item
    /// that could not be read), or a field absent while a misspelling of it
    /// was reported as `plan/unknown-field` (`stakholders:`).
    pub lost: Vec<&'static str>,
}

impl KeySpans {
    /// The span of key `name`, if it was written.
    pub fn get(&self, name: &str) -> Option<Span> {
        self.read
            .iter()
            .find(|(k, ..)| *k == name)
            .map(|(_, s, _)| *s)
    }

    /// Whether key `name` was written with a non-null value (valid or not).
    pub fn has_value(&self, name: &str) -> bool {
        self.read.iter().any(|(k, _, v)| *k == name && *v)
    }

    /// Whether field `name`'s value was lost to a diagnostic already given
    /// (see [`KeySpans::lost`]): rules that would fire only because it
    /// is missing stay silent, so that one mistake gives one diagnostic.
    pub fn lost(&self, name: &str) -> bool {
        self.lost.contains(&name)
    }

    /// Whether field `name` is missing and not because of a mistake
    /// already reported: neither written with a value nor lost.
    pub fn missing(&self, name: &str) -> bool {
        !self.has_value(name) && !self.lost(name)
    }
}

/// Free-form personal notes: never published unless `--include-private`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Private(pub serde_json::Value);

impl JsonSchema for Private {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Private".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "Free-form personal notes (birthday, hobbies, ...). Never published unless `kaplan build --include-private`."
        })
    }
}

/// The name of a field as written in YAML (`r#where` is `where`).
pub(crate) const fn key_name(ident: &'static str) -> &'static str {
    match ident.as_bytes() {
        [b'r', b'#', rest @ ..] => match std::str::from_utf8(rest) {
            Ok(s) => s,
            Err(_) => ident,
        },
        _ => ident,
    }
}

/// Declares a record of the plan format: the struct, its reader and its
/// schema; `("an objective" / "目标")` names it in messages.
macro_rules! record {
    ($(#[$meta:meta])* pub struct $name:ident($what:literal / $what_zh:literal) {
        $($(#[$fmeta:meta])* pub $field:ident : $ty:ty),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, serde::Serialize, schemars::JsonSchema)]
        #[schemars(deny_unknown_fields)]
        pub struct $name {
            /// Where the record was written.
            #[serde(skip)]
            #[schemars(skip)]
            pub span: $crate::model::Span,
            /// Where each of its keys was written.
            #[serde(skip)]
            #[schemars(skip)]
            pub keys: $crate::model::KeySpans,
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl $crate::load::FromNode for $name {
            fn from_node(node: $crate::load::Node, sink: &mut $crate::diagnostic::Sink) -> Option<Self> {
                const FIELDS: &[&str] = &[$($crate::model::key_name(stringify!($field))),*];
                let span = node.span;
                static WHAT: $crate::message::Text = $crate::message::Text { en: $what, zh: $what_zh };
                let mut map = $crate::load::MapReader::open(node, sink, &WHAT, FIELDS)?;
                $(let $field = map.field($crate::model::key_name(stringify!($field)), sink);)*
                let keys = map.finish(sink);
                Some($name { span, keys, $($field),* })
            }
        }
    };
}
pub(crate) use record;

/// The JSON Schema of `plan.yaml`, generated from the records the loader
/// reads, its descriptions in `language`: in Chinese from
/// `schema.zh-CN.toml`, each enum value named by its label on the site
/// (`决策者：掌握预算、最终拍板的人。`).
pub fn json_schema(language: Language) -> String {
    schema_of::<Plan>("kaplan plan.yaml", language)
}

/// The JSON Schema of `people.yaml` (format §9.3), like [`json_schema`].
pub fn people_schema(language: Language) -> String {
    schema_of::<People>("kaplan people.yaml", language)
}

/// The schema of the file whose root record is `T`, titled `title`.
fn schema_of<T: JsonSchema>(title: &str, language: Language) -> String {
    let mut schema = schemars::schema_for!(T);
    schema.insert("title".into(), title.into());
    let mut value = schema.to_value();
    if language == Language::ZhCn {
        translate_schema(&mut value, &T::schema_name());
    }
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

/// The Chinese descriptions of the schemas, by definition (`Plan` and
/// `People` for the roots) and by field or enum value (`_` for the definition itself).
const SCHEMA_ZH: &str = include_str!("schema.zh-CN.toml");

/// The label tables of the enums, by their definition's name.
fn enum_tables() -> Vec<(std::borrow::Cow<'static, str>, String)> {
    fn of<T: Named + JsonSchema>() -> (std::borrow::Cow<'static, str>, String) {
        (T::schema_name(), T::label_table())
    }
    vec![
        of::<Stage>(),
        of::<Tier>(),
        of::<AccountStatus>(),
        of::<BuyerRole>(),
        of::<Attitude>(),
        of::<Style>(),
        of::<NeedKind>(),
        of::<DecisionType>(),
        of::<TeamRole>(),
        of::<Status>(),
        of::<CostCategory>(),
        of::<CriterionGroup>(),
        of::<Better>(),
        of::<CoverageLevel>(),
        of::<WhitespaceStatus>(),
    ]
}

/// Writes the schema's descriptions in Chinese.
fn translate_schema(schema: &mut serde_json::Value, root: &str) {
    use serde_json::Value;
    let table: toml::Table = toml::from_str(SCHEMA_ZH).unwrap_or_default();
    let labels = crate::i18n::Locale::shared(Language::ZhCn);
    let tables = enum_tables();
    let describe = |name: &str, def: &mut Value| {
        let Some(zh) = table.get(name).and_then(toml::Value::as_table) else {
            return;
        };
        let text = |key: &str| zh.get(key).and_then(toml::Value::as_str);
        if let (Some(d), Some(obj)) = (text("_"), def.as_object_mut()) {
            obj.insert("description".into(), d.into());
        }
        if let Some(props) = def.get_mut("properties").and_then(Value::as_object_mut) {
            for (field, prop) in props.iter_mut() {
                if let (Some(d), Some(obj)) = (text(field), prop.as_object_mut()) {
                    obj.insert("description".into(), d.into());
                }
            }
        }
        let label_table = tables.iter().find(|(n, _)| n == name).map(|(_, t)| t);
        if let Some(values) = def.get_mut("oneOf").and_then(Value::as_array_mut) {
            for v in values {
                let Some(name) = v.get("const").and_then(Value::as_str).map(str::to_owned) else {
                    continue;
                };
                let label = label_table.and_then(|t| labels.get(&format!("{t}.{name}")));
                let d = match (label, text(&name)) {
                    (Some(l), Some(d)) => format!("{l}：{d}"),
                    (None, Some(d)) => d.to_owned(),
                    _ => continue,
                };
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("description".into(), d.into());
                }
            }
        }
    };
    describe(root, schema);
    if let Some(defs) = schema.get_mut("$defs").and_then(Value::as_object_mut) {
        for (name, def) in defs.iter_mut() {
            describe(name, def);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Every description of the schema, by path, with the enum values'.
    fn descriptions(schema: &Value, root: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut defs: Vec<(&str, &Value)> = vec![(root, schema)];
        if let Some(d) = schema.get("$defs").and_then(Value::as_object) {
            defs.extend(d.iter().map(|(k, v)| (k.as_str(), v)));
        }
        for (name, def) in defs {
            let text = |v: &Value| {
                v.get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            out.extend(text(def).map(|d| (format!("{name}._"), d)));
            for (field, prop) in def
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                out.extend(text(prop).map(|d| (format!("{name}.{field}"), d)));
            }
            for v in def
                .get("oneOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let value = v.get("const").and_then(Value::as_str).unwrap_or_default();
                out.extend(text(v).map(|d| (format!("{name}.{value}"), d)));
            }
        }
        out
    }

    #[test]
    fn visit_facts_keep_the_front_matter_but_the_outcome_and_next_steps() {
        let file = "accounts/a/visits/2026-03-19-range.md";
        let mut sink = crate::diagnostic::Sink::new("a", file);
        let text = "---\ndate: 2026-03-19\nkind: call\nwhere: Hangzhou\nattendees: [z, cfo]\npurpose: Range review\noutcome: Agreed\nnext_steps: [Send terms]\n---\nNotes.\n";
        let visit: Visit = crate::load::parse_document(file, text, &mut sink);
        let facts = VisitFacts::of(&visit);
        assert_eq!(facts.date, Date::parse("2026-03-19").ok());
        assert_eq!(facts.kind, Some(VisitKind::Call));
        assert_eq!(facts.r#where.as_deref(), Some("Hangzhou"));
        assert_eq!(facts.purpose.as_deref(), Some("Range review"));
        let attendees: Vec<&str> = facts.attendees.iter().map(|a| a.as_str()).collect();
        assert_eq!(attendees, ["z", "cfo"]);
        let bare: Visit =
            crate::load::parse_document(file, "---\ndate: 2026-03-19\n---\n", &mut sink);
        let facts = VisitFacts::of(&bare);
        assert!(facts.kind.is_none() && facts.r#where.is_none() && facts.attendees.is_empty());
    }

    #[test]
    fn an_action_line_keeps_what_the_pages_about_all_accounts_read() {
        let mut sink = crate::diagnostic::Sink::new("a", "accounts/a/plan.yaml");
        let text = "actions:\n  - id: a1\n    title: Range review\n    strategy: s1\n    owner: z\n    start: 2026-01-05\n    due: 2026-02-01\n    where: Shanghai\n    status: blocked\n    cost: 1200.5\n    objectives: [o1]\n  - title: Untitled\n    due: 2026-03-01\n    status: done\n";
        let plan = crate::load::parse_plan(text, &mut sink).unwrap();
        let [full, bare] = &plan.actions[..] else {
            panic!("{:?}", plan.actions)
        };
        let line = ActionLine::of(full);
        assert_eq!(line.id.as_deref(), Some("a1"));
        assert_eq!(line.title.as_deref(), Some("Range review"));
        assert_eq!(line.strategy.as_deref(), Some("s1"));
        assert_eq!(line.owner.as_ref().map(|o| o.as_str()), Some("z"));
        assert_eq!(line.start, Date::parse("2026-01-05").ok());
        assert_eq!(line.due, Date::parse("2026-02-01").ok());
        assert_eq!(line.r#where.as_deref(), Some("Shanghai"));
        assert_eq!((line.status, line.cost), (Status::Blocked, Some(1200.5)));
        let other = ActionLine::of(bare);
        assert_eq!(
            (other.id, other.owner, other.status),
            (None, None, Status::Done)
        );
        // Overdue as the action itself is, on either side of the due dates.
        for day in ["2026-01-31", "2026-02-02", "2026-03-02"] {
            let today = Date::parse(day).unwrap();
            assert_eq!(line.overdue(today), full.overdue(today), "{day}");
            assert!(!ActionLine::of(bare).overdue(today) && !bare.overdue(today));
        }
        assert!(line.overdue(Date::parse("2026-02-02").unwrap()));
    }

    /// The customer view copies the shared items, stripped of what the
    /// customer never sees, and nothing else; an account that shares
    /// nothing has none.
    #[test]
    fn the_customer_view_holds_the_shared_parts_only() {
        let text = "account: {name: A, owner: z, industry: X, tier: gold}\nsummary: S\nobjectives:\n  - {id: o1, title: Shared, shared: true}\n  - {id: o2, title: Hidden}\nteam:\n  - {id: z, name: Z, role: account-manager, authority: all}\nactions:\n  - {id: a1, shared: true, objectives: [o1, o2], strategy: s, stakeholders: [p], cost: 5, owner: z}\n  - {id: a2, objectives: [o1]}\nmilestones:\n  - {id: m1, shared: false, objectives: [o1]}\nkpis:\n  - {id: k1, shared: true}\ncosts:\n  - {item: C, amount: 1}\n";
        let mut sink = crate::diagnostic::Sink::new("a", "accounts/a/plan.yaml");
        let files = AccountFiles {
            id: "a".into(),
            plan: crate::load::parse_plan(text, &mut sink),
            ..AccountFiles::default()
        };
        let view = files.customer_view().unwrap();
        let plan = view.plan.unwrap();
        let account = plan.account.unwrap();
        assert_eq!(account.name.unwrap().value, "A");
        assert!(account.industry.is_none() && account.tier.is_none() && account.owner.is_none());
        assert!(plan.summary.is_none() && plan.costs.is_empty());
        let ids = |v: Vec<Option<Sp<Id>>>| -> Vec<String> {
            v.into_iter()
                .flatten()
                .map(|i| i.value.to_string())
                .collect()
        };
        assert_eq!(
            ids(plan.objectives.iter().map(|o| o.id.clone()).collect()),
            ["o1"]
        );
        assert_eq!(
            ids(plan.kpis.iter().map(|k| k.id.clone()).collect()),
            ["k1"]
        );
        assert!(plan.milestones.is_empty());
        let [action] = &plan.actions[..] else {
            panic!("{:?}", plan.actions)
        };
        assert_eq!(
            ids(action.objectives.iter().cloned().map(Some).collect()),
            ["o1"]
        );
        assert!(
            action.strategy.is_none() && action.stakeholders.is_empty() && action.cost.is_none()
        );
        assert_eq!(action.owner.as_ref().unwrap().value.to_string(), "z");
        assert!(plan.team[0].authority.is_none());
        let unshared = text.replace("shared: true", "shared: false");
        let files = AccountFiles {
            plan: crate::load::parse_plan(&unshared, &mut sink),
            ..AccountFiles::default()
        };
        assert!(files.customer_view().is_none());
    }

    /// The Chinese schemas (of `plan.yaml` and `people.yaml`) describe
    /// every definition, field and value the English ones do, in Chinese, each enum value by its site label; the
    /// table has no entry the schema lacks.
    #[test]
    fn the_chinese_schema_explains_everything_the_english_one_does() {
        let all = |l| {
            let parse = |text: String| serde_json::from_str::<Value>(&text).unwrap();
            let mut d = descriptions(&parse(json_schema(l)), "Plan");
            d.extend(descriptions(&parse(people_schema(l)), "People"));
            d
        };
        let (en, zh) = (all(Language::En), all(Language::ZhCn));
        assert_eq!(en.len(), zh.len());
        assert!(en.len() > 150, "{}", en.len());
        for ((path, e), (zh_path, z)) in en.iter().zip(&zh) {
            assert_eq!(path, zh_path);
            assert!(crate::message::has_chinese(z), "{path}: {z} (English: {e})");
        }
        assert!(zh.contains(&(
            "BuyerRole.economic-buyer".into(),
            "决策者：掌握预算、最终拍板的人。".into()
        )));
        let table: toml::Table = toml::from_str(SCHEMA_ZH).unwrap();
        for (def, fields) in &table {
            for key in fields.as_table().unwrap().keys() {
                let path = format!("{def}.{key}");
                assert!(
                    en.iter().any(|(p, _)| *p == path),
                    "{path} is not in the schema"
                );
            }
        }
    }
}
