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

/// The JSON Schema of `plan.yaml`, generated from the records the loader reads.
pub fn json_schema() -> String {
    let mut schema = schemars::schema_for!(Plan);
    schema.insert("title".into(), "kaplan plan.yaml".into());
    let mut out = serde_json::to_string_pretty(&schema).unwrap_or_default();
    out.push('\n');
    out
}
