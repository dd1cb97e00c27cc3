//! `kaplan.toml`: site settings, thresholds, rule levels and "today".

use crate::message::{Message, texts};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

use crate::diagnostic::{Diagnostic, Level, Rule, Sink};
use crate::load::rules::UNKNOWN_FIELD;
use crate::model::{Date, Span};

/// The config file's name.
pub(crate) const FILE_NAME: &str = "kaplan.toml";

/// A config that cannot be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("cannot read `{path}`")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML or has a wrong value.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Line, 1-based.
        line: usize,
        /// Column, 1-based.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// `today` is not a date.
    #[error("invalid `today`: {0}")]
    Today(String),
}

texts! {
    UNKNOWN_RULE_CLOSE:
        "unknown rule `{name}` in [rules]: did you mean `{close}`?"
        / "[rules] 中的规则 `{name}` 不存在：是不是要写 `{close}`？";
    UNKNOWN_RULE: "unknown rule `{name}` in [rules]" / "[rules] 中的规则 `{name}` 不存在";
    UNKNOWN_RULE_HELP:
        "`kaplan explain --list` lists every rule"
        / "`kaplan explain --list` 会列出全部规则";
    BAD_PATTERN:
        "`[privacy] patterns` entry {n} is not a regular expression: {why}"
        / "`[privacy] patterns` 第 {n} 条不是有效的正则表达式：{why}";
}

/// The language of the site and of every message: `--lang`, else
/// `language` in kaplan.toml, else the locale, else English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Language {
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// The language chosen for this process (`--lang`), above kaplan.toml.
static CHOSEN: std::sync::OnceLock<Language> = std::sync::OnceLock::new();

impl Language {
    /// Parses `en` or `zh-CN` (also `zh`, any case).
    pub fn parse(s: &str) -> Result<Language, String> {
        match s.to_ascii_lowercase().as_str() {
            "en" => Ok(Language::En),
            "zh-cn" | "zh" => Ok(Language::ZhCn),
            _ => Err(format!("unknown language `{s}`: use `en` or `zh-CN`")),
        }
    }

    /// Chooses the language of this process (the `--lang` flag): it wins
    /// over kaplan.toml and the locale. Only the first choice counts.
    pub fn choose(language: Language) {
        let _ = CHOSEN.set(language);
    }

    /// The language when kaplan.toml says `configured` (or nothing): the
    /// chosen one, else `configured`, else the locale's.
    pub fn resolve(configured: Option<Language>) -> Language {
        CHOSEN
            .get()
            .copied()
            .or(configured)
            .unwrap_or_else(|| Language::of_locale(|k| std::env::var(k).ok()))
    }

    /// The locale's language, from the first of `LC_ALL`, `LC_MESSAGES`
    /// and `LANG` that is set (as `var` reads them): Chinese when it starts
    /// with `zh`, else English.
    pub(crate) fn of_locale(var: impl Fn(&str) -> Option<String>) -> Language {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(|k| var(k).filter(|v| !v.is_empty()));
        match locale {
            Some(l) if l.starts_with("zh") => Language::ZhCn,
            _ => Language::En,
        }
    }

    /// The language's tag: `en`, `zh-CN`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }
}

impl Default for Language {
    fn default() -> Language {
        Language::resolve(None)
    }
}

/// Numeric thresholds of the rules and the tiers.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// `cost-return/roi-below-threshold` fires below this ROI.
    pub(crate) min_roi: f64,
    /// `who/decision-maker-not-engaged` and `who/key-person-not-engaged`:
    /// days without contact.
    pub(crate) contact_days: u32,
    /// `who/key-person-not-engaged`, `who/uncovered-key-person` and
    /// `who/single-threaded`: the influence (1..5) from which a
    /// stakeholder is a key person.
    pub(crate) key_influence: u32,
    /// `cost-return/unreviewed`: days since the last review.
    pub(crate) review_days: u32,
    /// `plan/stale`: days since the plan's last commit.
    pub(crate) stale_days: u32,
    /// Scorecard total for platinum.
    pub(crate) platinum: f64,
    /// Scorecard total for gold.
    pub(crate) gold: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_roi: 0.5,
            contact_days: 90,
            key_influence: 4,
            review_days: 90,
            stale_days: 90,
            platinum: 80.0,
            gold: 60.0,
        }
    }
}

/// `[privacy]`: what `plan/personal-data-in-text` looks for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Privacy {
    /// Regular expressions of personal data, as written (with their place
    /// in the file), looked for besides the default set.
    patterns: Vec<toml::Spanned<String>>,
    /// Whether the default set (phone numbers, e-mail addresses, resident
    /// ID numbers) is looked for too.
    defaults: bool,
    /// Every pattern looked for, compiled by [`Config::parse`].
    #[serde(skip)]
    pub(crate) compiled: crate::validate::privacy::Patterns,
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy {
            patterns: Vec::new(),
            defaults: true,
            compiled: crate::validate::privacy::Patterns::default(),
        }
    }
}

/// A rule level as written in `[rules]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Setting {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Do not report.
    Off,
}

/// The content of `kaplan.toml`; every key has a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Site title.
    pub(crate) title: String,
    /// Prefix of every link in the site.
    pub(crate) base_url: String,
    /// Language of the site's labels.
    pub(crate) language: Language,
    /// Default currency of plans.
    pub(crate) currency: String,
    /// Theme folder under `themes/`.
    pub(crate) theme: String,
    /// The fixed "today", if set.
    pub(crate) today: Option<String>,
    /// How many seconds one page may take to render before the build stops.
    pub(crate) render_timeout: u64,
    /// Whether search engines may index the site: `false` (the default)
    /// marks every page `noindex, nofollow` and writes a `robots.txt` that
    /// disallows all.
    pub(crate) public: bool,
    /// Rule thresholds.
    pub(crate) thresholds: Thresholds,
    /// Per-rule levels.
    pub(crate) rules: BTreeMap<String, Setting>,
    /// Patterns of personal data in free text.
    pub(crate) privacy: Privacy,
    /// Days between visits per tier (the revisit rate's plan).
    pub(crate) cadence: Cadence,
    /// Portfolio discipline: how many accounts each tier may hold.
    pub(crate) portfolio: Quota,
    /// The department's people (`people.yaml`), set by
    /// [`crate::people::load`]: not a key of `kaplan.toml`.
    #[serde(skip)]
    pub(crate) people: std::sync::Arc<crate::people::Directory>,
}

/// `[cadence]`: days between visits, per tier.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Cadence {
    /// Days between visits to a platinum account.
    pub(crate) platinum: u32,
    /// Days between visits to a gold account.
    pub(crate) gold: u32,
    /// Days between visits to a silver account.
    pub(crate) silver: u32,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            platinum: 30,
            gold: 60,
            silver: 90,
        }
    }
}

impl Cadence {
    /// Days between visits to an account of `tier`.
    pub(crate) fn days(&self, tier: crate::model::Tier) -> u32 {
        use crate::model::Tier;
        match tier {
            Tier::Platinum => self.platinum,
            Tier::Gold => self.gold,
            Tier::Silver => self.silver,
        }
    }
}

/// `[portfolio]`: the most accounts of a tier (`plan/tier-over-quota`).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Quota {
    /// The most platinum accounts; no limit when absent.
    pub(crate) max_platinum: Option<u32>,
    /// The most gold accounts; no limit when absent.
    pub(crate) max_gold: Option<u32>,
}

impl Quota {
    /// The limit of `tier`, if any (silver has none), and its key.
    pub(crate) fn of(&self, tier: crate::model::Tier) -> Option<(u32, &'static str)> {
        use crate::model::Tier;
        match tier {
            Tier::Platinum => self.max_platinum.map(|n| (n, "max_platinum")),
            Tier::Gold => self.max_gold.map(|n| (n, "max_gold")),
            Tier::Silver => None,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Key account plans".into(),
            base_url: "/".into(),
            language: Language::default(),
            currency: "CNY".into(),
            theme: "default".into(),
            today: None,
            render_timeout: 10,
            public: false,
            thresholds: Thresholds::default(),
            rules: BTreeMap::new(),
            privacy: Privacy::default(),
            cadence: Cadence::default(),
            portfolio: Quota::default(),
            people: Default::default(),
        }
    }
}

impl Config {
    /// Reads `root/kaplan.toml`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<(Config, Option<String>), ConfigError> {
        let path = root.join(FILE_NAME);
        if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        {
            return Ok((Config::default(), None));
        }
        let text = crate::load::read_inside(root, FILE_NAME, crate::load::MAX_FILE_BYTES)
            .and_then(|bytes| String::from_utf8(bytes).map_err(std::io::Error::other))
            .map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
        let config = Config::parse(&text).map_err(|(span, message)| {
            let (line, column) = span.map_or((1, 1), |at| line_col(&text, at));
            ConfigError::Parse {
                path,
                line,
                column,
                message,
            }
        })?;
        Ok((config, Some(text)))
    }

    /// Parses config text; on error, the byte offset and message.
    pub fn parse(text: &str) -> Result<Config, (Option<usize>, String)> {
        let mut config: Config = toml::from_str(text)
            .map_err(|e| (e.span().map(|s| s.start), e.message().trim().to_owned()))?;
        config.language = Language::resolve(Some(config.language));
        if !config.base_url.starts_with('/') && !config.base_url.contains("://") {
            return Err((
                None,
                format!(
                    "`base_url = \"{}\"` must start with `/` or be a full URL",
                    config.base_url
                ),
            ));
        }
        let c = &config.cadence;
        if [c.platinum, c.gold, c.silver].contains(&0) {
            return Err((
                None,
                "every `[cadence]` value must be a number of days from 1".to_owned(),
            ));
        }
        if !(1..=3600).contains(&config.render_timeout) {
            return Err((
                None,
                format!(
                    "`render_timeout = {}` must be a number of seconds from 1 to 3600",
                    config.render_timeout
                ),
            ));
        }
        let mut custom = Vec::with_capacity(config.privacy.patterns.len());
        for (i, pattern) in config.privacy.patterns.iter().enumerate() {
            let compiled = crate::validate::privacy::Patterns::compile(pattern.get_ref());
            custom.push(compiled.map_err(|why| {
                let message = Message::new(&BAD_PATTERN)
                    .with("n", (i + 1).to_string())
                    .with("why", why);
                (Some(pattern.span().start), message.render(config.language))
            })?);
        }
        config.privacy.compiled =
            crate::validate::privacy::Patterns::new(config.privacy.defaults, custom);
        let theme = &config.theme;
        if theme.is_empty() || theme.starts_with('.') || theme.contains(['/', '\\']) {
            return Err((
                None,
                format!(
                    "`theme = \"{theme}\"` must be the name of a folder under `themes/`, without `/`, `\\` or a leading `.`"
                ),
            ));
        }
        Ok(config)
    }

    /// The language of the site and of messages.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The level of `rule` after `[rules]`; `None` when it is off.
    pub(crate) fn level(&self, rule: &Rule) -> Option<Level> {
        match self.rules.get(rule.name) {
            None => Some(rule.level),
            Some(Setting::Error) => Some(Level::Error),
            Some(Setting::Warning) => Some(Level::Warning),
            Some(Setting::Off) => None,
        }
    }

    /// This config with every rule of `rules` (the registry) that it does not
    /// report as an error turned off: what decides which checklist
    /// questions fail, at the cost of the error-level checks alone.
    pub(crate) fn errors_only(&self, rules: &[&Rule]) -> Config {
        let mut config = self.clone();
        for rule in rules {
            if self.level(rule) != Some(Level::Error) {
                config.rules.insert(rule.name.to_owned(), Setting::Off);
            }
        }
        config
    }

    /// Reports rule names in `[rules]` that are not among `rules` (the
    /// registry, `validate::rules::RULES`).
    pub(crate) fn check_rule_names(
        &self,
        source: Option<&str>,
        rules: &[&Rule],
    ) -> Vec<Diagnostic> {
        let mut sink = Sink::new("", FILE_NAME);
        for name in self.rules.keys() {
            if rules.iter().any(|r| r.name == name) {
                continue;
            }
            let span =
                source
                    .and_then(|s| s.find(&format!("\"{name}\"")))
                    .map_or(Span::FILE, |at| {
                        let (line, col) = line_col(source.unwrap_or_default(), at);
                        Span::point(line as u32, col as u32)
                    });
            let names = rules.iter().map(|r| r.name);
            match crate::load::suggest(name, names) {
                Some(close) => sink.emit(
                    &UNKNOWN_FIELD,
                    span,
                    Message::new(&UNKNOWN_RULE_CLOSE)
                        .with("name", name.as_str())
                        .with("close", close),
                ),
                None => sink.emit_help(
                    &UNKNOWN_FIELD,
                    span,
                    Message::new(&UNKNOWN_RULE).with("name", name.as_str()),
                    &UNKNOWN_RULE_HELP,
                ),
            }
        }
        sink.diagnostics
    }

    /// "Today": `--today`, else the config's `today`, else `SOURCE_DATE_EPOCH`, else the clock.
    pub fn today(&self, flag: Option<Date>) -> Result<Date, ConfigError> {
        if let Some(d) = flag {
            return Ok(d);
        }
        if let Some(t) = &self.today {
            return Date::parse(t).map_err(|m| ConfigError::Today(m.render(self.language)));
        }
        let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(s) => s.trim().parse::<i64>().map_err(|_| {
                ConfigError::Today(format!(
                    "SOURCE_DATE_EPOCH=`{s}` is not a number of seconds"
                ))
            })?,
            Err(_) => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0)),
        };
        Ok(Date::from_days_since_epoch(seconds.div_euclid(86_400)))
    }
}

/// The position of key `key` in config text `source` (its first
/// occurrence at the start of a line or after `{`/`,`), else the file.
pub(crate) fn key_span(source: Option<&str>, key: &str) -> Span {
    let Some(text) = source else {
        return Span::FILE;
    };
    let mut from = 0;
    while let Some(i) = text[from..].find(key).map(|i| i + from) {
        let before = text[..i].trim_end_matches([' ', '\t']);
        let after = text[i + key.len()..].trim_start_matches([' ', '\t']);
        if (before.is_empty() || before.ends_with(['\n', '{', ','])) && after.starts_with('=') {
            let (line, col) = line_col(text, i);
            return Span::point(line as u32, col as u32);
        }
        from = i + key.len();
    }
    Span::FILE
}

/// 1-based line and character column of byte offset `at`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The locale's language: the first of `LC_ALL`, `LC_MESSAGES` and
    /// `LANG` that is set and not empty; Chinese when it starts with `zh`.
    #[test]
    fn the_locale_chooses_the_language_after_the_flag_and_the_config() {
        let of = |vars: &[(&str, &str)]| {
            Language::of_locale(|k| {
                vars.iter()
                    .find(|(name, _)| *name == k)
                    .map(|(_, v)| (*v).to_owned())
            })
        };
        assert_eq!(of(&[]), Language::En);
        assert_eq!(of(&[("LANG", "zh_CN.UTF-8")]), Language::ZhCn);
        assert_eq!(of(&[("LANG", "zh_TW.UTF-8")]), Language::ZhCn);
        assert_eq!(of(&[("LANG", "en_US.UTF-8")]), Language::En);
        assert_eq!(
            of(&[("LC_ALL", ""), ("LANG", "zh_CN.UTF-8")]),
            Language::ZhCn
        );
        assert_eq!(
            of(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")]),
            Language::En
        );
        assert_eq!(
            of(&[("LC_MESSAGES", "zh_CN.UTF-8"), ("LANG", "en_US.UTF-8")]),
            Language::ZhCn
        );
        assert_eq!(Language::parse("zh-CN"), Ok(Language::ZhCn));
        assert_eq!(Language::parse("ZH"), Ok(Language::ZhCn));
        assert_eq!(Language::parse("en"), Ok(Language::En));
        assert!(Language::parse("fr").is_err());
        // kaplan.toml's language is kept when no flag chose one.
        let c = Config::parse("language = \"zh-CN\"\n").unwrap();
        assert_eq!(c.language(), Language::ZhCn);
    }

    #[test]
    fn defaults_match_the_contract() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.thresholds.min_roi, 0.5);
        assert_eq!(c.thresholds.contact_days, 90);
        assert_eq!(c.thresholds.key_influence, 4);
        assert_eq!(c.base_url, "/");
    }

    #[test]
    fn unknown_rule_names_are_reported_with_a_suggestion() {
        let text = "[rules]\n\"who/no-coch\" = \"error\"\n";
        let c = Config::parse(text).unwrap();
        let d = c.check_rule_names(Some(text), crate::validate::rules::RULES);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message(Language::En)
                .contains("did you mean `who/no-coach`")
        );
        assert_eq!(d[0].span.line, 2);
    }

    #[test]
    fn bad_levels_and_keys_are_errors() {
        assert!(Config::parse("[rules]\n\"who/no-coach\" = \"fatal\"\n").is_err());
        assert!(Config::parse("titel = \"x\"\n").is_err());
    }

    /// A `[privacy] patterns` entry that is no regular expression is an
    /// error at its place, naming the key; one that is adds to the defaults.
    #[test]
    fn privacy_patterns_are_compiled_or_refused() {
        let text = "[privacy]\npatterns = [\"ok-\\\\d+\", \"(unclosed\"]\n";
        let (at, message) = Config::parse(text).unwrap_err();
        assert_eq!(at, text.find("\"(unclosed"));
        assert!(message.contains("`[privacy] patterns`"), "{message}");
        let c = Config::parse("[privacy]\npatterns = [\"CASE-\\\\d+\"]\n").unwrap();
        assert_eq!(c.privacy.patterns.len(), 1);
    }

    #[test]
    fn today_prefers_the_flag() {
        let c = Config {
            today: Some("2026-06-30".into()),
            ..Config::default()
        };
        let flag = Date::parse("2026-01-02").ok();
        assert_eq!(c.today(flag).unwrap().to_string(), "2026-01-02");
        assert_eq!(c.today(None).unwrap().to_string(), "2026-06-30");
    }
}
