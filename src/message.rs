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
