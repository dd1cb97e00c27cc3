//! Typed reading of the spanned YAML tree, one field at a time.
//!
//! A wrong field yields one diagnostic and an absent value; reading goes on,
//! so one run reports every problem of a plan.

use super::rules::{INVALID_VALUE, UNKNOWN_FIELD};
use crate::diagnostic::Sink;
use crate::load::yaml::{Entry, Node, NodeKind, Scalar};
use crate::model::{
    Date, Id, KeySpans, Money, Named, Period, Private, Probability, Rated, Sp, Span,
};

/// A value that can be read from one YAML node.
pub trait FromNode: Sized {
    /// Reads the node, reporting what is wrong to `sink`. The node is
    /// consumed: its text moves into the value instead of being copied.
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self>;
}

/// A record field: how a missing, null or present key becomes a value.
pub trait Field: Sized {
    /// Reads the field's node, if the key is present; `true` with it when
    /// a value was written but (some of it) could not be read, which has
    /// been reported.
    fn read(node: Option<Node>, sink: &mut Sink) -> (Self, bool);
}

impl<T: FromNode> Field for Option<T> {
    fn read(node: Option<Node>, sink: &mut Sink) -> (Self, bool) {
        match node.filter(|n| !n.is_null()) {
            Some(n) => {
                let value = T::from_node(n, sink);
                let lost = value.is_none();
                (value, lost)
            }
            None => (None, false),
        }
    }
}

impl<T: FromNode> Field for Vec<T> {
    fn read(node: Option<Node>, sink: &mut Sink) -> (Self, bool) {
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return (Vec::new(), false);
        };
        match node.kind {
            NodeKind::Seq(items) => {
                // Sized once: records are large, and growing moves them all.
                let len = items.len();
                let mut values = Vec::with_capacity(len);
                values.extend(items.into_iter().filter_map(|i| T::from_node(i, sink)));
                let lost = values.len() < len;
                (values, lost)
            }
            _ => {
                let message = format!("expected a list, found {}", node.describe());
                invalid(sink, node.span, message);
                (Vec::new(), true)
            }
        }
    }
}

impl<T: FromNode> FromNode for Sp<T> {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        let span = node.span;
        T::from_node(node, sink).map(|v| Sp::new(v, span))
    }
}

fn invalid(sink: &mut Sink, span: Span, message: String) {
    sink.emit(&INVALID_VALUE, span, message);
}

/// Reports a node that should have been a scalar.
fn not_scalar(node: &Node, sink: &mut Sink, what: &str) {
    let message = format!("expected {what}, found {}", node.describe());
    invalid(sink, node.span, message);
}

/// The text of a scalar that should be text; numbers and booleans are taken
/// as written (a title of `2026` is a title).
fn text<'n>(node: &'n Node, sink: &mut Sink, what: &str) -> Option<&'n str> {
    match &node.kind {
        NodeKind::Scalar { text, .. } => Some(text),
        _ => {
            not_scalar(node, sink, what);
            None
        }
    }
}

/// [`text`], moved out of the node.
fn into_text(node: Node, sink: &mut Sink, what: &str) -> Option<String> {
    match node.kind {
        NodeKind::Scalar { text, .. } => Some(text),
        _ => {
            not_scalar(&node, sink, what);
            None
        }
    }
}

impl FromNode for String {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        into_text(node, sink, "text")
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
        .map_err(|message| invalid(sink, node.span, message))
        .ok()
}

impl FromNode for Id {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        let span = node.span;
        let s = into_text(node, sink, "an id")?;
        Id::from_string(s)
            .map_err(|message| invalid(sink, span, message))
            .ok()
    }
}

impl FromNode for Date {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        parse_text(&node, sink, "a date (YYYY-MM-DD)", Date::parse)
    }
}

impl FromNode for Period {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        parse_text(
            &node,
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
            invalid(
                sink,
                node.span,
                format!("expected {what}, found {found}{hint}"),
            );
            None
        }
    }
}

impl FromNode for f64 {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        number(&node, sink, "a number")
    }
}

impl FromNode for Money {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        let v = number(&node, sink, "an amount of money")?;
        if v < 0.0 {
            invalid(
                sink,
                node.span,
                format!("amount {v} is negative: amounts are 0 or more"),
            );
            return None;
        }
        Some(Money(v))
    }
}

impl FromNode for Probability {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        let v = number(&node, sink, "a probability between 0 and 1")?;
        if !(0.0..=1.0).contains(&v) {
            let hint = if (0.0..=100.0).contains(&v) {
                format!(" (for {v}% write {})", v / 100.0)
            } else {
                String::new()
            };
            invalid(
                sink,
                node.span,
                format!("probability {v} is out of range: it must be between 0 and 1{hint}"),
            );
            return None;
        }
        Some(Probability(v))
    }
}

impl<const MIN: i64, const MAX: i64> FromNode for Rated<MIN, MAX> {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        let range = || format!("a whole number from {MIN} to {MAX}");
        match node.scalar() {
            Some(Scalar::Int(i)) if (MIN..=MAX).contains(&i) => Some(Rated(i)),
            Some(Scalar::Int(i)) => {
                let message = format!("{i} is out of range: expected {}", range());
                invalid(sink, node.span, message);
                None
            }
            _ => {
                let message = format!("expected {}, found {}", range(), node.describe());
                invalid(sink, node.span, message);
                None
            }
        }
    }
}

impl FromNode for bool {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        match node.scalar() {
            Some(Scalar::Bool(b)) => Some(b),
            _ => {
                let found = match &node.kind {
                    NodeKind::Scalar { text, .. } => format!("`{text}`"),
                    _ => node.describe().to_owned(),
                };
                invalid(
                    sink,
                    node.span,
                    format!("expected `true` or `false`, found {found}"),
                );
                None
            }
        }
    }
}

impl<T: Named> FromNode for T {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        let s = text(&node, sink, "a name")?;
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
            invalid(sink, node.span, message);
        }
        found
    }
}

impl FromNode for Private {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        match &node.kind {
            NodeKind::Map(_) => Some(Private(node.to_json())),
            _ => {
                invalid(
                    sink,
                    node.span,
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
/// the remaining ones are reported as unknown. Values are moved out as they
/// are read, leaving [`Node::TAKEN`] behind.
pub struct MapReader {
    entries: Vec<Entry>,
    /// Every field of the record, in order: what unknown keys are told.
    fields: &'static [&'static str],
    /// Where the next field is looked for first: fields are asked for in
    /// their declared order, which files mostly follow.
    next: usize,
    /// The keys read so far.
    keys: KeySpans,
}

impl MapReader {
    /// Opens `node` as a mapping of `what`, a record with `fields`, or reports it.
    pub(crate) fn open(
        node: Node,
        sink: &mut Sink,
        what: &str,
        fields: &'static [&'static str],
    ) -> Option<Self> {
        match node.kind {
            NodeKind::Map(entries) => Some(MapReader {
                keys: KeySpans {
                    read: Vec::with_capacity(entries.len()),
                    lost: Vec::new(),
                },
                entries,
                fields,
                next: 0,
            }),
            _ => {
                let message = format!(
                    "expected {what} (a mapping of `key: value`), found {}",
                    node.describe()
                );
                invalid(sink, node.span, message);
                None
            }
        }
    }

    /// Reads the field `name`; each field is read at most once.
    pub(crate) fn field<F: Field>(&mut self, name: &'static str, sink: &mut Sink) -> F {
        let (len, next) = (self.entries.len(), self.next);
        let found = (next..len)
            .chain(0..next.min(len))
            .find(|&i| self.entries[i].key == name);
        let node = found.map(|i| {
            self.next = i + 1;
            let entry = &mut self.entries[i];
            let value = std::mem::replace(&mut entry.value, Node::TAKEN);
            self.keys
                .read
                .push((name, entry.key_span, !value.is_null()));
            value
        });
        let (value, lost) = F::read(node, sink);
        if lost {
            self.keys.lost.push(name);
        }
        value
    }

    /// Reports every key that was not asked for; returns the spans of the
    /// keys read, in the order they were written.
    pub(crate) fn finish(mut self, sink: &mut Sink) -> KeySpans {
        // Already in order when the file follows the declared order.
        let at = |k: &(&str, Span, bool)| (k.1.line, k.1.col);
        if !self.keys.read.is_sorted_by_key(at) {
            self.keys.read.sort_by_key(at);
        }
        if self.keys.read.len() == self.entries.len() {
            return self.keys;
        }
        let allowed = || {
            self.fields
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for e in self.entries.iter().filter(|e| !e.value.is_taken()) {
            let close = suggest(&e.key, self.fields.iter().copied());
            // A misspelt field that is not also written correctly is lost:
            // what would fire only for its absence stays silent.
            if let Some(close) = close
                && self.keys.get(close).is_none()
                && !self.keys.lost(close)
            {
                self.keys.lost.push(close);
            }
            match close {
                Some(close) => sink.emit_help(
                    &UNKNOWN_FIELD,
                    e.key_span,
                    format!("unknown field `{}`: did you mean `{close}`?", e.key),
                    format!("the fields allowed here are {}", allowed()),
                ),
                None => sink.emit_help(
                    &UNKNOWN_FIELD,
                    e.key_span,
                    format!("unknown field `{}`", e.key),
                    format!("the fields allowed here are {}", allowed()),
                ),
            }
        }
        self.keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml;
    use crate::model::Account;

    /// A field is lost when its value could not be read or a close
    /// misspelling stands in for it; not when it is simply absent, when a
    /// far-off unknown key is written, or when it is also written correctly.
    #[test]
    fn fields_lost_to_a_reported_mistake_are_remembered() {
        use crate::model::Plan;
        let lost = |text: &str| {
            let root = yaml::parse(text, 0).root.unwrap();
            let mut sink = Sink::new("a", "plan.yaml");
            let plan = Plan::from_node(root, &mut sink).unwrap();
            assert!(!sink.diagnostics.is_empty(), "{text}");
            let mut lost = plan.keys.lost.clone();
            lost.extend(plan.stakeholders.iter().flat_map(|s| s.keys.lost.clone()));
            lost.extend(plan.account.iter().flat_map(|a| a.keys.lost.clone()));
            lost
        };
        assert_eq!(lost("stakholders: []\n"), ["stakeholders"]);
        assert_eq!(lost("stakeholders: []\nstakholders: []\n"), [""; 0]);
        assert_eq!(lost("xyzzy: 1\n"), [""; 0]);
        assert_eq!(lost("stakeholders: li-ming\n"), ["stakeholders"]);
        assert_eq!(lost("stakeholders: [li-ming]\n"), ["stakeholders"]);
        assert_eq!(
            lost("stakeholders:\n  - {id: a, attitude: supportive}\n"),
            ["attitude"]
        );
        assert_eq!(lost("account: {nmae: X}\n"), ["name"]);
        assert_eq!(lost("period: 2026\n"), ["period"]);
    }

    /// Whatever the order of the keys, the cursor finds every field, the
    /// key spans come out in file order and unknown keys are reported once.
    #[test]
    fn fields_are_found_in_any_key_order() {
        const KEYS: &[(&str, &str)] = &[
            ("name", "N"),
            ("industry", "I"),
            ("region", "R"),
            ("owner", "o"),
            ("tier", "gold"),
            ("stage", "basic"),
            ("since", "2020-01-01"),
            ("nmae", "N"),
            ("extra", "E"),
        ];
        let unknown = |k: &str| k == "nmae" || k == "extra";
        let mut rng = crate::testing::Rng::new(0x2545_f491_4f6c_dd1d_u64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..500 {
            let mut keys = KEYS.to_vec();
            for i in (1..keys.len()).rev() {
                keys.swap(i, next(i + 1));
            }
            keys.truncate(next(keys.len() + 1));
            let text: String = keys.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
            let root = yaml::parse(&text, 0).root;
            let mut sink = Sink::new("a", "plan.yaml");
            let Some(account) = root.and_then(|r| Account::from_node(r, &mut sink)) else {
                assert!(keys.is_empty(), "{text}");
                continue;
            };
            let known: Vec<(&str, u32)> = (1..)
                .zip(&keys)
                .filter(|(_, (k, _))| !unknown(k))
                .map(|(line, (k, _))| (*k, line))
                .collect();
            let read: Vec<(&str, u32)> =
                account.keys.read.iter().map(|k| (k.0, k.1.line)).collect();
            assert_eq!(read, known, "{text}");
            assert_eq!(sink.diagnostics.len(), keys.len() - known.len(), "{text}");
            let has = |name: &str| keys.iter().any(|(k, _)| *k == name);
            assert_eq!(account.name.is_some(), has("name"), "{text}");
            assert_eq!(account.since.is_some(), has("since"), "{text}");
        }
    }
}
