//! Locale tables: every label of the site and the charts, in `zh-CN` and `en`,
//! and the number formats executives read.
//!
//! The tables live in `themes/default/i18n/*.toml` and are compiled in. A
//! key missing from the table is a bug that the unit tests catch.

use std::collections::BTreeMap;

use crate::config::Language;

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
    pub language: Language,
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

    /// The label for `key`; the key itself when missing (caught by tests).
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.labels.get(key).map_or(key, String::as_str)
    }

    /// Every label as a nested object (`t.dossier.objectives`), for templates.
    pub fn nested(&self) -> serde_json::Value {
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
    pub fn tag(&self) -> &'static str {
        match self.language {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }

    /// An amount for executives: grouped digits, large sums in 万/亿 (zh-CN)
    /// or k/M/B (en), with the currency.
    pub fn money(&self, amount: f64, currency: &str) -> String {
        let sign = if amount < 0.0 { "-" } else { "" };
        let a = amount.abs();
        match self.language {
            Language::ZhCn => {
                let n = if a >= 1e8 {
                    format!("{}亿", trim(a / 1e8, 2))
                } else if a >= 1e4 {
                    format!("{}万", group(a / 1e4, if a >= 1e6 { 0 } else { 1 }))
                } else {
                    group(a, 0)
                };
                if currency == "CNY" {
                    format!("{sign}¥{n}")
                } else {
                    format!("{sign}{n} {currency}")
                }
            }
            Language::En => {
                let n = if a >= 1e9 {
                    format!("{}B", trim(a / 1e9, 2))
                } else if a >= 1e6 {
                    format!("{}M", trim(a / 1e6, 2))
                } else if a >= 1e4 {
                    format!("{}k", group(a / 1e3, 0))
                } else {
                    group(a, 0)
                };
                format!("{sign}{currency} {n}")
            }
        }
    }

    /// A plain number with grouping and up to `decimals` decimals.
    pub fn number(&self, value: f64, decimals: usize) -> String {
        let sign = if value < 0.0 { "-" } else { "" };
        format!("{sign}{}", group(value.abs(), decimals))
    }

    /// A ratio as a percentage: 0.256 → `25.6%`.
    pub fn percent(&self, ratio: f64) -> String {
        format!("{}%", trim(ratio * 100.0, 1))
    }
}

/// `value` with `decimals` decimals, trailing zeros removed.
fn trim(value: f64, decimals: usize) -> String {
    let s = fixed(value, decimals);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// `format!("{value:.decimals$}")`, without the exact (and slow) float
/// formatting when plain integer arithmetic gives the same digits: when
/// `value × 10^decimals` is far enough from a rounding tie that the error of
/// that product cannot change which way it rounds.
fn fixed(value: f64, decimals: usize) -> String {
    const POW10: [f64; 4] = [1.0, 10.0, 100.0, 1000.0];
    if let Some(&scale) = POW10.get(decimals) {
        let scaled = value * scale;
        let frac = (scaled - scaled.trunc()).abs();
        let margin = scaled.abs() * 1e-15 + 1e-300;
        if scaled.is_finite() && scaled.abs() < 1e15 && (frac - 0.5).abs() > margin {
            let units = scaled.round().abs() as u64;
            let sign = if value.is_sign_negative() { "-" } else { "" };
            let int = units / scale as u64;
            return if decimals == 0 {
                format!("{sign}{int}")
            } else {
                let frac = units % scale as u64;
                format!("{sign}{int}.{frac:0decimals$}")
            };
        }
    }
    format!("{value:.decimals$}")
}

/// Digits grouped by thousands.
fn group(value: f64, decimals: usize) -> String {
    let s = trim(value, decimals);
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_decimals_match_the_standard_formatting() {
        // Ties, near-ties, integers, negative zero, large and tiny values.
        let mut values = vec![
            0.0, -0.0, 0.5, 1.5, 2.5, -0.5, 0.125, 0.375, 1e14, 1e15, 1e300,
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            let v = match i % 4 {
                0 => unit * 1e9,
                1 => (unit * 1e6).round() / 8.0,
                2 => (unit * 1e5).round() / 1000.0 + 0.0005,
                _ => -unit * 10f64.powi((x % 16) as i32),
            };
            values.push(v);
        }
        for v in values {
            for d in 0..=3 {
                assert_eq!(fixed(v, d), format!("{v:.d$}"), "{v:?} with {d} decimals");
            }
        }
    }

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
        assert_eq!(en.percent(0.256), "25.6%");
    }
}
