//! The department's expected return split three ways — by quarter, by
//! owner, by tier (contract §9.6): one horizontal bar per group, the amount
//! at its end. Drawn narrow (360 wide), so that three sit side by side on
//! the portfolio and the text stays 11–12 px at the size it is shown.

use super::palette::{INK, MUTED, SERIES};
use super::svg::{self, HEAD, LABEL, SMALL, Svg};
use crate::i18n::Locale;

const WIDTH: f64 = 360.0;
const LABEL_W: f64 = 104.0;
const AMOUNT_W: f64 = 84.0;
const ROW: f64 = 24.0;
const BAR: f64 = 12.0;
/// The most groups drawn; the rest are summed in one last bar.
const MAX_ROWS: usize = 12;

/// A bar chart named `name` (`by-quarter`, `by-owner`, `by-tier`) titled
/// `title` of `rows` (label, expected return in `currency`), in their
/// order; `empty` says what to add when there is nothing to draw.
pub(crate) fn expected_return_bars(
    name: &str,
    title: &str,
    rows: &[(String, f64)],
    currency: &str,
    empty: &str,
    locale: &Locale,
) -> String {
    let mut rows: Vec<(String, f64)> = rows.to_vec();
    if rows.len() > MAX_ROWS {
        let rest: f64 = rows[MAX_ROWS - 1..].iter().map(|(_, v)| v).sum();
        rows.truncate(MAX_ROWS - 1);
        rows.push((locale.text("department.others").to_owned(), rest));
    }
    if rows.iter().all(|(_, v)| *v <= 0.0) {
        return svg::empty(name, empty);
    }
    let total: f64 = rows.iter().map(|(_, v)| v.max(0.0)).sum();
    let max = rows.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    let top = HEAD + 8.0;
    let height = top + rows.len() as f64 * ROW + 8.0;
    let total_text = locale.money(total, currency);
    let desc = rows
        .iter()
        .map(|(l, v)| format!("{l} {}", locale.money(*v, currency)))
        .collect::<Vec<_>>()
        .join(locale.text("site.list_separator"));
    let mut s = Svg::new(name, WIDTH, height, title, &desc);
    s.heading(title, Some(&total_text));
    let span = WIDTH - LABEL_W - AMOUNT_W;
    for (k, (label, value)) in rows.iter().enumerate() {
        let cy = top + k as f64 * ROW + ROW / 2.0;
        let amount = locale.money(*value, currency);
        s.open_group(r#"class="bar-row""#);
        s.tooltip(label, &[(" · ", &amount)]);
        s.label(
            0.0,
            cy + 4.0,
            label,
            LABEL_W - 8.0,
            LABEL,
            attrs!(r#"font-size="12" fill="{}""#, INK),
        );
        let w = if max > 0.0 {
            value.max(0.0) / max * span
        } else {
            0.0
        };
        s.rect(
            LABEL_W,
            cy - BAR / 2.0,
            (w * 10.0).round() / 10.0,
            BAR,
            attrs!(r#"class="bar" fill="{}""#, SERIES),
        );
        s.label(
            LABEL_W + w + 6.0,
            cy + 4.0,
            &amount,
            AMOUNT_W - 6.0,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
        s.close_group();
    }
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;

    /// Bars in the order given, each labelled with its amount; nothing to
    /// draw gives the sentence; text is 11–15 px.
    #[test]
    fn bars_are_labelled_and_empty_says_so() {
        let locale = Locale::new(Language::En);
        let rows = vec![
            ("2026-Q3".to_owned(), 2500.0),
            ("2026-Q4".to_owned(), 500.0),
        ];
        let svg = expected_return_bars("by-quarter", "By quarter", &rows, "USD", "none", &locale);
        assert!(svg.starts_with("<svg"), "{svg}");
        let q3 = svg.find(">2026-Q3<").unwrap();
        let q4 = svg.find(">2026-Q4<").unwrap();
        assert!(q3 < q4);
        for size in svg.split("font-size=\"").skip(1) {
            let px: f64 = size.split('"').next().unwrap().parse().unwrap();
            assert!((11.0..=16.0).contains(&px), "{px}");
        }
        let none = expected_return_bars("by-tier", "By tier", &[], "USD", "Add returns", &locale);
        assert!(none.contains("chart-empty") && none.contains("Add returns"));
    }
}
