//! Locale tables: every label of the site and the charts, in `zh-CN` and `en`,
//! and the number formats executives read.
//!
//! The tables live in `themes/default/i18n/*.toml` and are compiled in. A
//! key missing from the table is a bug that the unit tests catch.

use std::collections::BTreeMap;

use crate::config::Language;
use crate::text::push_decimal;

const TABLES: [(Language, &[&str]); 2] = [
    (
        Language::ZhCn,
        &[
            include_str!("../themes/default/i18n/zh-CN.toml"),
            include_str!("../themes/default/i18n/charts.zh-CN.toml"),
        ],
    ),
    (
        Language::En,
        &[
            include_str!("../themes/default/i18n/en.toml"),
            include_str!("../themes/default/i18n/charts.en.toml"),
        ],
    ),
];

/// The labels of one language.
#[derive(Debug, Clone)]
pub struct Locale {
    /// The language.
    pub(crate) language: Language,
    labels: BTreeMap<String, String>,
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

impl Locale {
    /// The built-in table for `language`.
    pub fn new(language: Language) -> Locale {
        let mut labels = BTreeMap::new();
        for (lang, sources) in TABLES {
            if lang == language {
                for src in sources {
                    // The tables are compiled in and tested; a broken one is a build bug.
                    let table: toml::Table = toml::from_str(src).unwrap_or_default();
                    flatten("", &table, &mut labels);
                }
            }
        }
        Locale { language, labels }
    }

    /// The built-in table for `language`, read once per process (for the
    /// few messages outside the site that write money, such as `check`'s).
    pub(crate) fn shared(language: Language) -> &'static Locale {
        static ZH: std::sync::OnceLock<Locale> = std::sync::OnceLock::new();
        static EN: std::sync::OnceLock<Locale> = std::sync::OnceLock::new();
        let cell = match language {
            Language::ZhCn => &ZH,
            Language::En => &EN,
        };
        cell.get_or_init(|| Locale::new(language))
    }

    /// The label for `key`; the key itself when missing (caught by tests).
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key).unwrap_or(key)
    }

    /// The label for `key`, if the table has one.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.labels.get(key).map(String::as_str)
    }

    /// Every label as a nested object (`t.dossier.objectives`), for templates.
    pub(crate) fn nested(&self) -> serde_json::Value {
        let mut root = serde_json::Map::new();
        for (key, label) in &self.labels {
            let mut parts: Vec<&str> = key.split('.').collect();
            let last = parts.pop().unwrap_or_default();
            let mut node = &mut root;
            for p in parts {
                let entry = node
                    .entry(p.replace('-', "_"))
                    .or_insert_with(|| serde_json::Value::Object(Default::default()));
                if !entry.is_object() {
                    *entry = serde_json::Value::Object(Default::default());
                }
                let serde_json::Value::Object(map) = entry else {
                    unreachable!()
                };
                node = map;
            }
            node.insert(
                last.replace('-', "_"),
                serde_json::Value::String(label.clone()),
            );
        }
        serde_json::Value::Object(root)
    }

    /// A language tag for `<html lang>`.
    pub(crate) fn tag(&self) -> &'static str {
        self.language.tag()
    }

    /// An amount for executives: grouped digits, large sums in 万/亿 (zh-CN)
    /// or k/M/B (en), with the currency.
    pub(crate) fn money(&self, amount: f64, currency: &str) -> String {
        let a = amount.abs();
        let mut out = String::with_capacity(16 + currency.len());
        if amount < 0.0 {
            out.push('-');
        }
        match self.language {
            Language::ZhCn => {
                if currency == "CNY" {
                    out.push('¥');
                }
                if a >= 1e8 {
                    push_decimal(&mut out, a / 1e8, 2, false);
                    out.push('亿');
                } else if a >= 1e4 {
                    push_decimal(&mut out, a / 1e4, if a >= 1e6 { 0 } else { 1 }, true);
                    out.push('万');
                } else {
                    push_decimal(&mut out, a, 0, true);
                }
                if currency != "CNY" {
                    out.push(' ');
                    out.push_str(currency);
                }
            }
            Language::En => {
                out.push_str(currency);
                out.push(' ');
                let (scaled, decimals, grouped, unit) = if a >= 1e9 {
                    (a / 1e9, 2, false, "B")
                } else if a >= 1e6 {
                    (a / 1e6, 2, false, "M")
                } else if a >= 1e4 {
                    (a / 1e3, 0, true, "k")
                } else {
                    (a, 0, true, "")
                };
                push_decimal(&mut out, scaled, decimals, grouped);
                out.push_str(unit);
            }
        }
        out
    }

    /// A plain number with grouping and up to `decimals` decimals.
    pub(crate) fn number(&self, value: f64, decimals: usize) -> String {
        let mut out = String::with_capacity(16);
        if value < 0.0 {
            out.push('-');
        }
        push_decimal(&mut out, value.abs(), decimals, true);
        out
    }

    /// A ratio as a percentage, by the one rule of [`percent`]:
    /// 0.256 → `26%`, 0.0018 → `0.18%`, 9.0 (an ROI) → `900%`.
    pub(crate) fn percent(&self, ratio: f64) -> String {
        percent(ratio)
    }

    /// A value with its `unit`, written the one way this site writes it:
    /// an amount (its unit is the site's currency or another currency code)
    /// by [`Locale::money`] (`¥5,200万 USD` in zh-CN, never `52,000,000 USD`
    /// beside `¥1,200万`), a percentage as `17.5%`, anything else as a
    /// grouped number and its unit (`1,200 stores`); up to two decimals, as
    /// the dossier's tables write them.
    pub(crate) fn quantity(&self, value: f64, unit: Option<&str>, currency: &str) -> String {
        match unit {
            Some(u) if u == currency || is_currency_code(u) => self.money(value, u),
            Some("%") => {
                let mut text = self.number(value, 2);
                text.push('%');
                text
            }
            Some(u) if !u.is_empty() => {
                let mut text = self.number(value, 2);
                text.push(' ');
                text.push_str(u);
                text
            }
            _ => self.number(value, 2),
        }
    }
}

/// Whether `unit` is written like a currency code: three ASCII capitals
/// (`CNY`, `USD`, `EUR`).
pub(crate) fn is_currency_code(unit: &str) -> bool {
    unit.len() == 3 && unit.bytes().all(|b| b.is_ascii_uppercase())
}

/// A ratio as a percentage — the one rule for every percentage a reader
/// sees (ROI, shares, probabilities, completeness), applied once to the
/// exact ratio:
///
/// - 10 % and above: whole percent (`26%`, `900%`, `-25%`);
/// - from 1 % to 10 %: one decimal (`6.5%`; `6%`, not `6.0%`);
/// - below 1 %: two decimals (`0.18%`), and `<0.01%` for a non-zero ratio
///   that would read as zero;
/// - trailing zeros never show (`16%`, not `16.0%`); 0 is `0%`.
///
/// Machine outputs (JSON) keep the ratio itself.
pub(crate) fn percent(ratio: f64) -> String {
    let mut out = String::with_capacity(8);
    if !ratio.is_finite() {
        out.push('—');
        return out;
    }
    // × 100 leaves float noise (0.575 × 100 = 57.49999…): cleared before
    // the one rounding, which is half away from zero (57.5 → 58).
    let raw = ratio * 100.0;
    let p = if raw.abs() < 1e6 {
        (raw * 1e9).round() / 1e9
    } else {
        raw
    };
    let a = p.abs();
    let decimals = if a >= 9.95 {
        0
    } else if a >= 0.995 {
        1
    } else {
        2
    };
    if a > 0.0 && a < 0.005 {
        out.push_str(if p < 0.0 { "-<0.01%" } else { "<0.01%" });
        return out;
    }
    let scale = [1.0, 10.0, 100.0][decimals];
    let mut digits = String::with_capacity(8);
    push_decimal(&mut digits, (a * scale).round() / scale, decimals, false);
    if p < 0.0 && digits != "0" {
        out.push('-');
    }
    out.push_str(&digits);
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_locales_have_the_same_keys() {
        let zh = Locale::new(Language::ZhCn);
        let en = Locale::new(Language::En);
        let zk: Vec<_> = zh.labels.keys().collect();
        let ek: Vec<_> = en.labels.keys().collect();
        assert_eq!(zk, ek);
        assert!(!zk.is_empty());
        for src in TABLES.iter().flat_map(|(_, s)| s.iter()) {
            assert!(
                toml::from_str::<toml::Table>(src).is_ok(),
                "a locale table does not parse"
            );
        }
    }

    /// A relationship stage has one name on a site: the portfolio table, the
    /// dossier's header and the charts say the same words.
    #[test]
    fn a_stage_has_one_name_in_pages_and_charts() {
        use crate::model::{Named, Stage};
        for language in [Language::ZhCn, Language::En] {
            let locale = Locale::new(language);
            for name in Stage::NAMES {
                let page = locale.get(&format!("enum.relationship_stage.{name}"));
                let chart = locale.get(&format!("chart.stage.{name}"));
                assert!(page.is_some(), "{name}");
                assert_eq!(page, chart, "{language:?} {name}");
            }
        }
    }

    #[test]
    fn money_reads_at_a_glance() {
        let zh = Locale::new(Language::ZhCn);
        assert_eq!(zh.money(12_000_000.0, "CNY"), "¥1,200万");
        assert_eq!(zh.money(350_000_000.0, "CNY"), "¥3.5亿");
        assert_eq!(zh.money(85_000.0, "CNY"), "¥8.5万");
        assert_eq!(zh.money(950.0, "USD"), "950 USD");
        let en = Locale::new(Language::En);
        assert_eq!(en.money(12_500_000.0, "CNY"), "CNY 12.5M");
        assert_eq!(en.money(85_000.0, "EUR"), "EUR 85k");
        assert_eq!(en.money(-1_234.0, "CNY"), "-CNY 1,234");
        assert_eq!(en.percent(0.256), "26%");
    }

    #[test]
    fn percentages_follow_one_rule() {
        // Expected values worked out by hand from the rule in `percent`.
        assert_eq!(percent(0.0018), "0.18%"); // 12万 of 6,648万 used to read "0.0%"
        assert_eq!(percent(0.16), "16%"); // not "16.0%"
        assert_eq!(percent(0.065), "6.5%");
        assert_eq!(percent(0.06), "6%");
        assert_eq!(percent(0.256), "26%");
        // Halves round up, whatever float noise × 100 leaves.
        assert_eq!(percent(0.575), "58%");
        assert_eq!(percent(0.565), "57%");
        assert_eq!(percent(0.0125), "1.3%");
        assert_eq!(percent(9.0), "900%"); // an ROI of 9
        assert_eq!(percent(5.67), "567%");
        assert_eq!(percent(0.13), "13%");
        assert_eq!(percent(-0.25), "-25%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(5.0 / 6.0), "83%");
        assert_eq!(percent(0.0999), "10%"); // 9.99 % rounds to a whole 10
        assert_eq!(percent(0.00994), "0.99%");
        assert_eq!(percent(0.00996), "1%");
        assert_eq!(percent(0.000_01), "<0.01%");
        assert_eq!(percent(-0.000_01), "-<0.01%");
        assert_eq!(percent(-0.000_000_000_1 * 0.0), "0%");
        assert_eq!(percent(f64::NAN), "—");
        assert_eq!(percent(1e10), "1000000000000%"); // absurd, but exact
        assert!(percent(1e300).ends_with('%'));
    }

    #[test]
    fn quantities_in_a_currency_read_like_money() {
        let zh = Locale::new(Language::ZhCn);
        // The site's currency and any other currency code: the money format.
        assert_eq!(zh.quantity(52_000_000.0, Some("USD"), "CNY"), "5,200万 USD");
        assert_eq!(zh.quantity(4_200_000.0, Some("CNY"), "CNY"), "¥420万");
        // Anything else: a grouped number with its unit.
        assert_eq!(
            zh.quantity(3_300_000.0, Some("stores"), "CNY"),
            "3,300,000 stores"
        );
        assert_eq!(zh.quantity(17.5, Some("%"), "CNY"), "17.5%");
        assert_eq!(zh.quantity(96.0, None, "CNY"), "96");
        assert_eq!(zh.quantity(0.25, None, "CNY"), "0.25"); // as the KPI table writes it
        let en = Locale::new(Language::En);
        assert_eq!(en.quantity(52_000_000.0, Some("USD"), "CNY"), "USD 52M");
        assert!(is_currency_code("EUR") && !is_currency_code("pcs") && !is_currency_code("US$"));
    }
}
