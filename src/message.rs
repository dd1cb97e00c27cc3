//! Messages in both languages: every text a user reads from a check
//! exists in `en` and `zh-CN` with the same named `{placeholders}`, and is
//! written in one language only when it is shown ([`Message::render`]), with
//! values formatted as the site formats them.

use crate::config::Language;
use crate::i18n::Locale;
use crate::model::Date;

/// One text in both languages, with named `{placeholders}`.
#[derive(Debug, PartialEq)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Simplified Chinese.
    pub zh: &'static str,
}

impl Text {
    /// The text in `language`.
    pub fn get(&self, language: Language) -> &'static str {
        match language {
            Language::En => self.en,
            Language::ZhCn => self.zh,
        }
    }
}

/// Declares texts in both languages, `NAME: "English" / "中文";`, and
/// `TEXTS`, all of them, for the test that both name the same placeholders.
macro_rules! texts {
    ($( $(#[$doc:meta])* $id:ident: $en:literal / $zh:literal; )*) => {
        $(
            $(#[$doc])*
            pub(crate) static $id: $crate::message::Text =
                $crate::message::Text { en: $en, zh: $zh };
        )*

        /// Every text declared here, by name.
        #[cfg(test)]
        pub(crate) const TEXTS: &[(&str, &$crate::message::Text)] =
            &[$((stringify!($id), &$id)),*];
    };
}
pub(crate) use texts;

texts! {
    /// A suggestion after a message, with its leading space.
    DID_YOU_MEAN: " (did you mean `{name}`?)" / "（是不是要写 `{name}`？）";
    /// No suggestion.
    NOTHING: "" / "";
}

/// A value of a message, written in the message's language when shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text as it is (an id, a key, a name from the plan).
    Plain(String),
    /// A number with grouped digits.
    Number(f64),
    /// An amount in a currency, as the site writes money (`¥1,200万`, `CNY 12M`).
    Money(f64, String),
    /// A value in its unit, as the site's tables write it: money in the
    /// money format when the unit is a currency (`value`, `unit`, the
    /// plan's currency).
    Quantity(f64, Option<String>, String),
    /// A ratio written as a percentage (`13%`).
    Percent(f64),
    /// A date.
    Date(Date),
    /// An enum value of the format (`enum.attitude`, `skeptic`): the value
    /// itself in English, the site's word for it (怀疑者) in Chinese.
    Value(&'static str, String),
    /// A label of the site's tables, by its key (`enum_kind.tier`).
    Label(String),
    /// A count of things: `3 errors`, `1 error`; `3 个错误` (the English
    /// noun takes an `s` for any count but 1).
    Count(usize, &'static Text),
    /// A number of days (`1 day`, `30 days`; `30 天`).
    Days(i64),
    /// Names in backticks, as a list (`` `a`, `b` `` / `` `a`、`b` ``).
    List(Vec<String>),
    /// Messages, as a list (`a, b` / `a、b`).
    Messages(Vec<Message>),
    /// An item of the plan by its title, with its id in parentheses.
    Thing(Thing),
    /// Another message, written in the same language.
    Message(Box<Message>),
}

/// An item of a plan as a message names it: `objective “Win 5G deals”
/// (grow-5g)`, `` objective `grow-5g` `` without a title, `an objective
/// without an id` without either.
#[derive(Debug, Clone, PartialEq)]
pub struct Thing {
    /// What it is (`objective` / `目标`).
    pub(crate) noun: &'static Text,
    /// Its id, when it has one.
    pub(crate) id: Option<String>,
    /// Its title or name, when it has one.
    pub(crate) title: Option<String>,
}

/// A message: a [`Text`] and the values of its placeholders.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    text: &'static Text,
    args: Vec<(&'static str, Arg)>,
}

impl From<&'static Text> for Message {
    fn from(text: &'static Text) -> Message {
        Message::new(text)
    }
}

/// Text as it is, in both languages: what unit tests report.
#[cfg(test)]
static VERBATIM: Text = Text {
    en: "{text}",
    zh: "{text}",
};

#[cfg(test)]
impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::new(&VERBATIM).with("text", text)
    }
}

impl Message {
    /// `text` with no values yet.
    pub fn new(text: &'static Text) -> Message {
        Message {
            text,
            args: Vec::new(),
        }
    }

    /// Sets placeholder `{name}` to `value`.
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        self.args.push((name, value.into()));
        self
    }

    /// The message in `language`, values formatted as the site formats them.
    pub fn render(&self, language: Language) -> String {
        let locale = Locale::shared(language);
        let values: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| (*name, arg.render(locale)))
            .collect();
        let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::text::subst(self.text.get(language), &pairs)
    }
}

impl Arg {
    fn render(&self, locale: &Locale) -> String {
        let zh = locale.language == Language::ZhCn;
        match self {
            Arg::Plain(s) => s.clone(),
            Arg::Number(v) => crate::text::number(*v),
            Arg::Money(v, currency) => locale.money(*v, currency),
            Arg::Quantity(v, unit, currency) => locale.quantity(*v, unit.as_deref(), currency),
            Arg::Percent(v) => locale.percent(*v),
            Arg::Date(d) => d.to_string(),
            Arg::Label(key) => locale.text(key).to_owned(),
            Arg::Value(_, name) if !zh => name.clone(),
            Arg::Value(table, name) => locale.text(&format!("{table}.{name}")).to_owned(),
            Arg::Count(n, noun) if zh => format!("{n} {}", noun.zh),
            Arg::Count(1, noun) => format!("1 {}", noun.en),
            Arg::Count(n, noun) => format!("{n} {}s", noun.en),
            Arg::Days(n) if zh => format!("{n} 天"),
            Arg::Days(1) => "1 day".to_owned(),
            Arg::Days(n) => format!("{n} days"),
            Arg::List(names) => names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(if zh { "、" } else { ", " }),
            Arg::Messages(items) => items
                .iter()
                .map(|m| m.render(locale.language))
                .collect::<Vec<_>>()
                .join(if zh { "、" } else { ", " }),
            Arg::Thing(t) => t.render(locale.language),
            Arg::Message(m) => m.render(locale.language),
        }
    }
}

impl Thing {
    fn render(&self, language: Language) -> String {
        let noun = self.noun.get(language);
        let zh = language == Language::ZhCn;
        match (&self.title, &self.id) {
            (Some(title), Some(id)) if zh => format!("{noun}“{title}”（{id}）"),
            (Some(title), Some(id)) => format!("{noun} “{title}” ({id})"),
            (Some(title), None) if zh => format!("{noun}“{title}”"),
            (Some(title), None) => format!("{noun} “{title}”"),
            (None, Some(id)) => format!("{noun} `{id}`"),
            (None, None) if zh => format!("一个没有 id 的{noun}"),
            (None, None) => {
                let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                format!("{article} {noun} without an id")
            }
        }
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Plain(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Plain(s.to_owned())
    }
}

impl From<Date> for Arg {
    fn from(d: Date) -> Arg {
        Arg::Date(d)
    }
}

impl From<Thing> for Arg {
    fn from(t: Thing) -> Arg {
        Arg::Thing(t)
    }
}

impl From<Message> for Arg {
    fn from(m: Message) -> Arg {
        Arg::Message(Box::new(m))
    }
}

impl From<&'static Text> for Arg {
    fn from(t: &'static Text) -> Arg {
        Arg::Message(Box::new(Message::new(t)))
    }
}

/// The `{names}` of `text`'s placeholders, sorted, each once.
#[cfg(test)]
pub(crate) fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = text
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Whether `text` has Chinese in it.
#[cfg(test)]
pub(crate) fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text declared with `texts!`, by module.
    fn all() -> Vec<(&'static str, &'static str, &'static Text)> {
        let modules: [(&str, &[(&str, &Text)]); 23] = [
            ("message", TEXTS),
            ("config", crate::config::TEXTS),
            ("people", crate::people::TEXTS),
            ("department", crate::department::TEXTS),
            ("model::values", crate::model::values::TEXTS),
            ("load", crate::load::TEXTS),
            ("load::read", crate::load::read::TEXTS),
            ("load::yaml", crate::load::yaml::TEXTS),
            ("validate", crate::validate::TEXTS),
            ("validate::plan", crate::validate::plan::TEXTS),
            ("validate::privacy", crate::validate::privacy::TEXTS),
            ("validate::rules", crate::validate::rules::TEXTS),
            ("validate::rules::why", crate::validate::rules::why::TEXTS),
            ("validate::rules::who", crate::validate::rules::who::TEXTS),
            (
                "validate::rules::by_whom",
                crate::validate::rules::by_whom::TEXTS,
            ),
            ("validate::rules::how", crate::validate::rules::how::TEXTS),
            (
                "validate::rules::when_where",
                crate::validate::rules::when_where::TEXTS,
            ),
            (
                "validate::rules::cost_return",
                crate::validate::rules::cost_return::TEXTS,
            ),
            ("history::enrich", crate::history::enrich::TEXTS),
            ("history::report", crate::history::report::TEXTS),
            ("report::human", crate::report::human::TEXTS),
            ("scaffold", crate::scaffold::TEXTS),
            ("render", crate::render::TEXTS),
        ];
        modules
            .into_iter()
            .flat_map(|(m, texts)| texts.iter().map(move |(name, t)| (m, *name, *t)))
            .collect()
    }

    /// Each text exists in both languages, the Chinese one in Chinese, and
    /// both name the same placeholders; so does each rule's summary.
    #[test]
    fn every_text_has_both_languages_with_the_same_placeholders() {
        let texts = all();
        assert!(texts.len() > 150, "{}", texts.len());
        let summaries = crate::validate::rules::RULES
            .iter()
            .map(|r| ("rule", r.name, &r.summary));
        for (module, name, text) in texts.into_iter().chain(summaries) {
            let at = format!("{module}::{name}");
            // Empty in both: a suggestion that is absent.
            if text.en.is_empty() && text.zh.is_empty() {
                continue;
            }
            assert!(
                !text.en.trim().is_empty() && !text.zh.trim().is_empty(),
                "{at}"
            );
            assert!(
                !has_chinese(text.en),
                "{at}: English text in Chinese: {}",
                text.en
            );
            let only_values = text.zh.chars().all(|c| !c.is_alphabetic() || c.is_ascii());
            assert!(
                has_chinese(text.zh) || only_values,
                "{at}: the Chinese text is not Chinese: {}",
                text.zh
            );
            assert_eq!(placeholders(text.en), placeholders(text.zh), "{at}");
        }
    }

    #[test]
    fn values_are_written_as_the_site_writes_them() {
        static T: Text = Text {
            en: "{thing}: ROI {roi}, {money}, {days}, {list}",
            zh: "{thing}：投资回报率 {roi}，{money}，{days}，{list}",
        };
        let m = Message::new(&T)
            .with(
                "thing",
                Thing {
                    noun: &crate::validate::OBJECTIVE,
                    id: Some("grow-5g".into()),
                    title: Some("Win 5G deals".into()),
                },
            )
            .with("roi", Arg::Percent(0.13))
            .with("money", Arg::Money(74_908_500.0, "CNY".into()))
            .with("days", Arg::Days(1))
            .with("list", Arg::List(vec!["metric".into(), "target".into()]));
        assert_eq!(
            m.render(Language::En),
            "objective “Win 5G deals” (grow-5g): ROI 13%, CNY 74.91M, 1 day, `metric`, `target`"
        );
        assert_eq!(
            m.render(Language::ZhCn),
            "目标“Win 5G deals”（grow-5g）：投资回报率 13%，¥7,491万，1 天，`metric`、`target`"
        );
        let anonymous = Thing {
            noun: &crate::validate::ACTION,
            id: None,
            title: None,
        };
        assert_eq!(anonymous.render(Language::En), "an action without an id");
        assert_eq!(anonymous.render(Language::ZhCn), "一个没有 id 的行动");
    }

    #[test]
    fn placeholders_are_found_once_each() {
        assert_eq!(
            placeholders("{a} and {b_c} or {a}, not {X} or {}"),
            ["a", "b_c"]
        );
    }
}
