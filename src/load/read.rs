//! Typed reading of the spanned YAML tree, one field at a time.
//!
//! A wrong field yields one diagnostic and an absent value; reading goes on,
//! so one run reports every problem of a plan.

use crate::diagnostic::Sink;
use crate::load::yaml::{Entry, Node, NodeKind, Scalar};
use crate::model::{Date, Id, KeySpans, Money, Named, Period, Private, Probability, Rated, Sp};
use crate::validate::rules::plan::{INVALID_VALUE, UNKNOWN_FIELD};

/// A value that can be read from one YAML node.
pub trait FromNode: Sized {
    /// Reads the node, reporting what is wrong to `sink`.
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self>;
}

/// A record field: how a missing, null or present key becomes a value.
pub trait Field: Sized {
    /// Reads the field's node, if the key is present.
    fn read(node: Option<&Node>, sink: &mut Sink) -> Self;
}

impl<T: FromNode> Field for Option<T> {
    fn read(node: Option<&Node>, sink: &mut Sink) -> Self {
        node.filter(|n| !n.is_null())
            .and_then(|n| T::from_node(n, sink))
    }
}

impl<T: FromNode> Field for Vec<T> {
    fn read(node: Option<&Node>, sink: &mut Sink) -> Self {
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return Vec::new();
        };
        match &node.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|i| T::from_node(i, sink)).collect(),
            _ => {
                invalid(
                    sink,
                    node,
                    format!("expected a list, found {}", node.describe()),
                );
                Vec::new()
            }
        }
    }
}

impl<T: FromNode> FromNode for Sp<T> {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        T::from_node(node, sink).map(|v| Sp::new(v, node.span))
    }
}

fn invalid(sink: &mut Sink, node: &Node, message: String) {
    sink.emit(&INVALID_VALUE, node.span, message);
}

/// The text of a scalar that should be text; numbers and booleans are taken
/// as written (a title of `2026` is a title).
fn text<'n>(node: &'n Node, sink: &mut Sink, what: &str) -> Option<&'n str> {
    match &node.kind {
        NodeKind::Scalar { text, .. } => Some(text),
        _ => {
            invalid(
                sink,
                node,
                format!("expected {what}, found {}", node.describe()),
            );
            None
        }
    }
}

impl FromNode for String {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        text(node, sink, "text").map(str::to_owned)
    }
}

/// Reads a scalar that must be text and parses it.
fn parse_text<T>(
    node: &Node,
    sink: &mut Sink,
    what: &str,
    parse: fn(&str) -> Result<T, String>,
) -> Option<T> {
    let s = text(node, sink, what)?;
    parse(s)
        .map_err(|message| invalid(sink, node, message))
        .ok()
}

impl FromNode for Id {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        parse_text(node, sink, "an id", Id::parse)
    }
}

impl FromNode for Date {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        parse_text(node, sink, "a date (YYYY-MM-DD)", Date::parse)
    }
}

impl FromNode for Period {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        parse_text(
            node,
            sink,
            "a period (YYYY-MM-DD or YYYY-Qn)",
            Period::parse,
        )
    }
}

/// A finite number, or a diagnostic.
fn number(node: &Node, sink: &mut Sink, what: &str) -> Option<f64> {
    match node.scalar() {
        Some(Scalar::Int(i)) => Some(i as f64),
        Some(Scalar::Float(f)) if f.is_finite() => Some(f),
        _ => {
            let found = match &node.kind {
                NodeKind::Scalar { text, .. } => format!("`{text}`"),
                _ => node.describe().to_owned(),
            };
            let hint = if let NodeKind::Scalar { text, .. } = &node.kind
                && (text.contains(',') || text.contains('_') || text.contains('%'))
            {
                " (write plain digits, without separators or units: 1200000)"
            } else {
                ""
            };
            invalid(sink, node, format!("expected {what}, found {found}{hint}"));
            None
        }
    }
}

impl FromNode for f64 {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        number(node, sink, "a number")
    }
}

impl FromNode for Money {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        let v = number(node, sink, "an amount of money")?;
        if v < 0.0 {
            invalid(
                sink,
                node,
                format!("amount {v} is negative: amounts are 0 or more"),
            );
            return None;
        }
        Some(Money(v))
    }
}

impl FromNode for Probability {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        let v = number(node, sink, "a probability between 0 and 1")?;
        if !(0.0..=1.0).contains(&v) {
            let hint = if (0.0..=100.0).contains(&v) {
                format!(" (for {v}% write {})", v / 100.0)
            } else {
                String::new()
            };
            invalid(
                sink,
                node,
                format!("probability {v} is out of range: it must be between 0 and 1{hint}"),
            );
            return None;
        }
        Some(Probability(v))
    }
}

impl<const MIN: i64, const MAX: i64> FromNode for Rated<MIN, MAX> {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        let range = format!("a whole number from {MIN} to {MAX}");
        match node.scalar() {
            Some(Scalar::Int(i)) if (MIN..=MAX).contains(&i) => Some(Rated(i)),
            Some(Scalar::Int(i)) => {
                invalid(sink, node, format!("{i} is out of range: expected {range}"));
                None
            }
            _ => {
                invalid(
                    sink,
                    node,
                    format!("expected {range}, found {}", node.describe()),
                );
                None
            }
        }
    }
}

impl FromNode for bool {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        match node.scalar() {
            Some(Scalar::Bool(b)) => Some(b),
            _ => {
                let found = match &node.kind {
                    NodeKind::Scalar { text, .. } => format!("`{text}`"),
                    _ => node.describe().to_owned(),
                };
                invalid(
                    sink,
                    node,
                    format!("expected `true` or `false`, found {found}"),
                );
                None
            }
        }
    }
}

impl<T: Named> FromNode for T {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        let s = text(node, sink, "a name")?;
        let found = T::from_name(s);
        if found.is_none() {
            let allowed = T::NAMES
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut message = format!("unknown {} `{s}`: expected one of {allowed}", T::WHAT);
            if let Some(close) = suggest(s, T::NAMES.iter().copied()) {
                message.push_str(&format!(" (did you mean `{close}`?)"));
            }
            invalid(sink, node, message);
        }
        found
    }
}

impl FromNode for Private {
    fn from_node(node: &Node, sink: &mut Sink) -> Option<Self> {
        match &node.kind {
            NodeKind::Map(_) => Some(Private(node.to_json())),
            _ => {
                invalid(
                    sink,
                    node,
                    format!(
                        "`private` must be a mapping of notes, found {}",
                        node.describe()
                    ),
                );
                None
            }
        }
    }
}

/// The closest of `candidates` to `word`, when close enough to suggest.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Reads the keys of one mapping, remembering which were asked for so that
/// the remaining ones are reported as unknown.
pub struct MapReader<'n> {
    entries: &'n [Entry],
    /// Every field of the record, in order: what unknown keys are told.
    fields: &'static [&'static str],
    /// For each entry, the field it was read as.
    read_as: Vec<Option<&'static str>>,
}

impl<'n> MapReader<'n> {
    /// Opens `node` as a mapping of `what`, a record with `fields`, or reports it.
    pub fn open(
        node: &'n Node,
        sink: &mut Sink,
        what: &str,
        fields: &'static [&'static str],
    ) -> Option<Self> {
        match &node.kind {
            NodeKind::Map(entries) => Some(MapReader {
                entries,
                fields,
                read_as: vec![None; entries.len()],
            }),
            _ => {
                invalid(
                    sink,
                    node,
                    format!(
                        "expected {what} (a mapping of `key: value`), found {}",
                        node.describe()
                    ),
                );
                None
            }
        }
    }

    /// Reads the field `name`.
    pub fn field<F: Field>(&mut self, name: &'static str, sink: &mut Sink) -> F {
        let found = self.entries.iter().position(|e| e.key == name);
        if let Some(i) = found {
            self.read_as[i] = Some(name);
        }
        F::read(found.map(|i| &self.entries[i].value), sink)
    }

    /// Reports every key that was not asked for; returns the spans of the keys.
    pub fn finish(self, sink: &mut Sink) -> KeySpans {
        let mut keys = KeySpans(Vec::with_capacity(self.entries.len()));
        for (e, read_as) in self.entries.iter().zip(self.read_as) {
            match read_as {
                Some(k) => keys.0.push((k, e.key_span, !e.value.is_null())),
                None => {
                    let allowed = self
                        .fields
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    match suggest(&e.key, self.fields.iter().copied()) {
                        Some(close) => sink.emit_help(
                            &UNKNOWN_FIELD,
                            e.key_span,
                            format!("unknown field `{}`: did you mean `{close}`?", e.key),
                            format!("the fields allowed here are {allowed}"),
                        ),
                        None => sink.emit_help(
                            &UNKNOWN_FIELD,
                            e.key_span,
                            format!("unknown field `{}`", e.key),
                            format!("the fields allowed here are {allowed}"),
                        ),
                    }
                }
            }
        }
        keys
    }
}
