//! Typed reading of the spanned YAML tree, one field at a time.
//!
//! A wrong field yields one diagnostic and an absent value; reading goes on,
//! so one run reports every problem of a plan.

use super::rules::{INVALID_VALUE, UNKNOWN_FIELD};
use crate::config::Language;
use crate::diagnostic::Sink;
use crate::i18n::Locale;
use crate::load::yaml::{A_LIST, A_NUMBER, Entry, Node, NodeKind, SOME_TEXT, Scalar};
use crate::message::{Arg, DID_YOU_MEAN, Message, NOTHING, Text, texts};
use crate::model::{
    Date, Id, KeySpans, Money, Named, Period, Private, Probability, Rated, Sp, Span,
};

texts! {
    EXPECTED: "expected {what}, found {found}" / "这里应为{what}，实际为：{found}";
    EXPECTED_HINT:
        "expected {what}, found {found}{hint}"
        / "这里应为{what}，实际为：{found}{hint}";
    EXPECTED_RECORD:
        "expected {what} (a mapping of `key: value`), found {found}"
        / "这里应为{what}（`键: 值` 形式的映射），实际为：{found}";
    AN_ID: "an id" / "id";
    A_DATE: "a date (YYYY-MM-DD)" / "日期（YYYY-MM-DD）";
    A_PERIOD: "a period (YYYY-MM-DD or YYYY-Qn)" / "期间（YYYY-MM-DD 或 YYYY-Qn）";
    AN_AMOUNT: "an amount of money" / "金额";
    A_PROBABILITY: "a probability between 0 and 1" / "介于 0 到 1 之间的概率";
    A_NAME: "a name" / "名称";
    TRUE_OR_FALSE: "`true` or `false`" / "`true` 或 `false`";
    PLAIN_DIGITS:
        " (write plain digits, without separators or units: 1200000)"
        / "（只写数字，不要千分位、单位或百分号：1200000）";
    NEGATIVE:
        "amount {value} is negative: amounts are 0 or more"
        / "金额 {value} 是负数：金额必须大于或等于 0";
    PROBABILITY_RANGE:
        "probability {value} is out of range: it must be between 0 and 1{hint}"
        / "概率 {value} 超出范围：必须在 0 到 1 之间{hint}";
    PERCENT_HINT: " (for {percent}% write {ratio})" / "（{percent}% 应写成 {ratio}）";
    WHOLE_NUMBER: "a whole number from {min} to {max}" / "介于 {min} 到 {max} 之间的整数";
    OUT_OF_RANGE: "{value} is out of range: expected {range}" / "{value} 超出范围：应为{range}";
    UNKNOWN_NAME:
        "unknown {kind} `{value}`: expected one of {allowed}{hint}"
        / "未知的{kind} `{value}`：可选值为 {allowed}{hint}";
    /// A Chinese or English word for a value, with the site's word for it.
    DID_YOU_MEAN_LABEL:
        " (did you mean `{name}` ({label})?)"
        / "（是不是要写 `{name}`（{label}）？）";
    PRIVATE_MAP:
        "`private` must be a mapping of notes, found {found}"
        / "`private` 必须是由备注组成的映射，实际为：{found}";
    FIELDS_ALLOWED: "the fields allowed here are {fields}" / "这里允许的字段有 {fields}";
    UNKNOWN_FIELD_CLOSE:
        "unknown field `{key}`: did you mean `{close}`?"
        / "未知字段 `{key}`：是不是要写 `{close}`？";
    UNKNOWN_FIELD_MSG: "unknown field `{key}`" / "未知字段 `{key}`";
}

/// What a node holds, for messages: a scalar as written, else its kind.
fn found(node: &Node) -> Arg {
    match &node.kind {
        NodeKind::Scalar { text, .. } => Arg::Plain(format!("`{text}`")),
        _ => node.describe().into(),
    }
}

/// Why `s` is not a `T`, with what it may have meant: a value spelt
/// nearly right, or a value's Chinese or English label (`决策者` for
/// `economic-buyer`).
fn unknown_name<T: Named>(s: &str) -> Message {
    let table = T::label_table();
    let label = |language: Language, name: &str| {
        Locale::shared(language)
            .get(&format!("{table}.{name}"))
            .unwrap_or_default()
            .to_owned()
    };
    let word = s.trim();
    // A label written for the value: exactly, or (in Chinese) a label that
    // holds the word or is held by it (`支持` for 支持者).
    let by_label = T::NAMES
        .iter()
        .find(|n| {
            label(Language::ZhCn, n) == word || label(Language::En, n).eq_ignore_ascii_case(word)
        })
        .or_else(|| {
            let chinese = word.chars().count() >= 2 && !word.is_ascii();
            let near: Vec<_> = T::NAMES
                .iter()
                .filter(|n| {
                    let l = label(Language::ZhCn, n);
                    chinese && (l.contains(word) || word.contains(l.as_str()))
                })
                .collect();
            (near.len() == 1).then(|| near[0])
        });
    let hint = match by_label {
        Some(name) => Message::new(&DID_YOU_MEAN_LABEL)
            .with("name", *name)
            .with("label", Arg::Plain(label(Language::ZhCn, name))),
        None => match suggest(s, T::NAMES.iter().copied()) {
            Some(close) => Message::new(&DID_YOU_MEAN).with("name", close),
            None => Message::new(&NOTHING),
        },
    };
    let names = T::NAMES.iter().map(|n| (*n).to_owned()).collect();
    Message::new(&UNKNOWN_NAME)
        .with("kind", Arg::Label(format!("enum_kind.{}", &table[5..])))
        .with("value", s)
        .with("allowed", Arg::List(names))
        .with("hint", hint)
}

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
                let message = Message::new(&EXPECTED)
                    .with("what", &A_LIST)
                    .with("found", node.describe());
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

fn invalid(sink: &mut Sink, span: Span, message: Message) {
    sink.emit(&INVALID_VALUE, span, message);
}

/// Reports a node that should have been a scalar.
fn not_scalar(node: &Node, sink: &mut Sink, what: &'static Text) {
    let message = Message::new(&EXPECTED)
        .with("what", what)
        .with("found", node.describe());
    invalid(sink, node.span, message);
}

/// The text of a scalar that should be text; numbers and booleans are taken
/// as written (a title of `2026` is a title).
fn text<'n>(node: &'n Node, sink: &mut Sink, what: &'static Text) -> Option<&'n str> {
    match &node.kind {
        NodeKind::Scalar { text, .. } => Some(text),
        _ => {
            not_scalar(node, sink, what);
            None
        }
    }
}

/// [`text`], moved out of the node.
fn into_text(node: Node, sink: &mut Sink, what: &'static Text) -> Option<String> {
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
        into_text(node, sink, &SOME_TEXT)
    }
}

/// Reads a scalar that must be text and parses it.
fn parse_text<T>(
    node: &Node,
    sink: &mut Sink,
    what: &'static Text,
    parse: fn(&str) -> Result<T, Message>,
) -> Option<T> {
    let s = text(node, sink, what)?;
    parse(s)
        .map_err(|message| invalid(sink, node.span, message))
        .ok()
}

impl FromNode for Id {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        let span = node.span;
        let s = into_text(node, sink, &AN_ID)?;
        Id::from_string(s)
            .map_err(|message| invalid(sink, span, message))
            .ok()
    }
}

impl FromNode for Date {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        parse_text(&node, sink, &A_DATE, Date::parse)
    }
}

impl FromNode for Period {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        parse_text(&node, sink, &A_PERIOD, Period::parse)
    }
}

/// A finite number, or a diagnostic.
fn number(node: &Node, sink: &mut Sink, what: &'static Text) -> Option<f64> {
    match node.scalar() {
        Some(Scalar::Int(i)) => Some(i as f64),
        Some(Scalar::Float(f)) if f.is_finite() => Some(f),
        _ => {
            let hint = if let NodeKind::Scalar { text, .. } = &node.kind
                && (text.contains(',') || text.contains('_') || text.contains('%'))
            {
                &PLAIN_DIGITS
            } else {
                &NOTHING
            };
            let message = Message::new(&EXPECTED_HINT)
                .with("what", what)
                .with("found", found(node))
                .with("hint", hint);
            invalid(sink, node.span, message);
            None
        }
    }
}

impl FromNode for f64 {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        number(&node, sink, &A_NUMBER)
    }
}

impl FromNode for Money {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        let v = number(&node, sink, &AN_AMOUNT)?;
        if v < 0.0 {
            let message = Message::new(&NEGATIVE).with("value", Arg::Number(v));
            invalid(sink, node.span, message);
            return None;
        }
        Some(Money(v))
    }
}

impl FromNode for Probability {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        let v = number(&node, sink, &A_PROBABILITY)?;
        if !(0.0..=1.0).contains(&v) {
            let hint = if (0.0..=100.0).contains(&v) {
                Message::new(&PERCENT_HINT)
                    .with("percent", crate::text::num(v))
                    .with("ratio", crate::text::num(v / 100.0))
            } else {
                Message::new(&NOTHING)
            };
            let message = Message::new(&PROBABILITY_RANGE)
                .with("value", crate::text::num(v))
                .with("hint", hint);
            invalid(sink, node.span, message);
            return None;
        }
        Some(Probability(v))
    }
}

impl<const MIN: i64, const MAX: i64> FromNode for Rated<MIN, MAX> {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        let range = || {
            Message::new(&WHOLE_NUMBER)
                .with("min", MIN.to_string())
                .with("max", MAX.to_string())
        };
        match node.scalar() {
            Some(Scalar::Int(i)) if (MIN..=MAX).contains(&i) => Some(Rated(i)),
            Some(Scalar::Int(i)) => {
                let message = Message::new(&OUT_OF_RANGE)
                    .with("value", i.to_string())
                    .with("range", range());
                invalid(sink, node.span, message);
                None
            }
            _ => {
                let message = Message::new(&EXPECTED)
                    .with("what", range())
                    .with("found", node.describe());
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
                let message = Message::new(&EXPECTED)
                    .with("what", &TRUE_OR_FALSE)
                    .with("found", found(&node));
                invalid(sink, node.span, message);
                None
            }
        }
    }
}

impl<T: Named> FromNode for T {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        let s = text(&node, sink, &A_NAME)?;
        let found = T::from_name(s);
        if found.is_none() {
            invalid(sink, node.span, unknown_name::<T>(s));
        }
        found
    }
}

impl FromNode for Private {
    fn from_node(node: Node, sink: &mut Sink) -> Option<Self> {
        match &node.kind {
            NodeKind::Map(_) => Some(Private(node.to_json())),
            _ => {
                let message = Message::new(&PRIVATE_MAP).with("found", node.describe());
                invalid(sink, node.span, message);
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
        what: &'static Text,
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
                let message = Message::new(&EXPECTED_RECORD)
                    .with("what", what)
                    .with("found", node.describe());
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
            let fields = self.fields.iter().map(|k| (*k).to_owned()).collect();
            Message::new(&FIELDS_ALLOWED).with("fields", Arg::List(fields))
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
                    Message::new(&UNKNOWN_FIELD_CLOSE)
                        .with("key", e.key.as_str())
                        .with("close", close),
                    allowed(),
                ),
                None => sink.emit_help(
                    &UNKNOWN_FIELD,
                    e.key_span,
                    Message::new(&UNKNOWN_FIELD_MSG).with("key", e.key.as_str()),
                    allowed(),
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
    use crate::model::{Attitude, BuyerRole, Stage};

    /// A site label of a value, Chinese or English, or a part of a Chinese
    /// one, names the value; anything else gets the nearest spelling, if any.
    #[test]
    fn words_for_values_are_answered_with_the_value() {
        let en = |m: Message| m.render(Language::En);
        let hint = |m: String| m.split_once(" (did you mean ").map(|(_, h)| h.to_owned());
        assert_eq!(
            hint(en(unknown_name::<BuyerRole>("决策者"))).as_deref(),
            Some("`economic-buyer` (决策者)?)")
        );
        assert_eq!(
            hint(en(unknown_name::<BuyerRole>("教练"))).as_deref(),
            Some("`coach` (内线教练)?)")
        );
        assert_eq!(
            hint(en(unknown_name::<Attitude>("支持"))).as_deref(),
            Some("`supporter` (支持者)?)")
        );
        assert_eq!(
            hint(en(unknown_name::<Stage>("中期"))).as_deref(),
            Some("`cooperative` (中期)?)")
        );
        // An English label, in any case.
        assert_eq!(
            hint(en(unknown_name::<BuyerRole>("Coach"))).as_deref(),
            Some("`coach` (内线教练)?)")
        );
        // A misspelling: the nearest value, without a label.
        assert_eq!(
            hint(en(unknown_name::<Attitude>("suporter"))).as_deref(),
            Some("`supporter`?)")
        );
        // Nothing near: no hint; a one-character word matches no part of a label.
        assert_eq!(hint(en(unknown_name::<Attitude>("x"))), None);
        assert_eq!(hint(en(unknown_name::<Attitude>("者"))), None);
        assert_eq!(
            unknown_name::<BuyerRole>("决策者").render(Language::ZhCn),
            "未知的角色 `决策者`：可选值为 `economic-buyer`、`technical-buyer`、`user-buyer`、`coach`、`gatekeeper`、`influencer`（是不是要写 `economic-buyer`（决策者）？）"
        );
    }
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
