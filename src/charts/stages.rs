//! Stages: "where are our relationships, and where is the money?"
//!
//! One row per relationship stage, in the order of the key-account
//! development model (every stage shown, so gaps show too; accounts
//! without a stage in a row of their own): the accounts as dots, one per
//! account, and their expected return as a bar. Breaking-down
//! relationships are hatched.

use super::palette::{FAIL, INK, MUTED, PAPER, SERIES};
use super::plot::{self, Area, Axis};
use super::svg::{self, HEAD, LABEL, SMALL, Svg};
use super::{PortfolioEntry, money_axis, named};
use crate::i18n::Locale;
use crate::model::Stage;
use crate::text::subst;

/// Half the content column of a desktop page: a cell of the theme's `.chart-grid`.
const WIDTH: f64 = 540.0;
const LABEL_W: f64 = 110.0;
const DOTS_W: f64 = 120.0;
const RIGHT_W: f64 = 90.0;
const ROW: f64 = 30.0;
const BAR: f64 = 14.0;
const MAX_DOTS: usize = 12;

/// The stages chart of `entries`, returns in `currency`.
pub(crate) fn stages(entries: &[PortfolioEntry], currency: &str, locale: &Locale) -> String {
    if entries.is_empty() {
        return svg::empty("stages", t!(locale, "stages.empty"));
    }
    let rows: Vec<(Option<Stage>, Vec<&PortfolioEntry>)> = super::STAGE_ORDER
        .iter()
        .map(|st| {
            (
                *st,
                entries
                    .iter()
                    .filter(|e| e.stage == *st)
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(st, es)| st.is_some() || !es.is_empty())
        .collect();
    let sums: Vec<f64> = rows
        .iter()
        .map(|(_, es)| es.iter().map(|e| e.expected_return.max(0.0)).sum())
        .collect();
    let top = HEAD + 26.0;
    let bottom = top + rows.len() as f64 * ROW;
    let height = bottom + 30.0;
    let ((lo, hi), ticks) = money_axis(sums.iter().copied().fold(0.0, f64::max));
    let area = Area {
        left: (LABEL_W + DOTS_W) as u32,
        top: top as u32,
        right: (WIDTH - RIGHT_W) as u32,
        bottom: bottom as u32,
    };
    let format = |v: f64| locale.money(v, currency);
    // Fewer labels: money labels are wide.
    let ticks: Vec<f64> = if ticks.len() > 4 {
        ticks.iter().copied().step_by(2).collect()
    } else {
        ticks
    };
    let x_axis = Axis {
        range: (lo, hi),
        ticks,
        format: &format,
        grid: true,
    };
    let mut plotted = String::new();
    plot::plot(
        &mut plotted,
        (WIDTH as u32, height as u32),
        area,
        &x_axis,
        false,
        None,
        |_| Ok(()),
        |_| Ok(()),
    );
    let (xs, _) = area.scales(&x_axis, None);

    let total: f64 = sums.iter().sum();
    let at_risk = entries
        .iter()
        .filter(|e| e.stage == Some(Stage::Disintegrating))
        .count();
    let note = if at_risk > 0 {
        subst(
            t!(locale, "stages.at_risk"),
            &[("count", &at_risk.to_string())],
        )
    } else {
        subst(
            t!(locale, "stages.total"),
            &[("amount", &locale.money(total, currency))],
        )
    };
    let title = t!(locale, "stages.title");
    let desc = subst(
        t!(locale, "stages.desc"),
        &[("count", &entries.len().to_string()), ("note", &note)],
    );
    let mut s = Svg::new("stages", WIDTH, height, title, &desc);
    s.defs(attrs!(
        r#"<pattern id="k-hatch-fail" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{}"/><line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="2.5"/></pattern>"#,
        FAIL,
        PAPER
    ));
    s.heading(title, Some(&note));
    let head = format!(r#"font-size="11" fill="{MUTED}""#);
    s.text(LABEL_W, top - 8.0, t!(locale, "stages.accounts"), &head);
    s.text(
        LABEL_W + DOTS_W,
        top - 8.0,
        t!(locale, "stages.return"),
        &head,
    );
    s.raw(&plotted);

    for (k, ((stage, es), sum)) in rows.iter().zip(&sums).enumerate() {
        let cy = top + k as f64 * ROW + ROW / 2.0;
        let name = stage.map_or_else(
            || t!(locale, "stages.unset").into(),
            |st| named(locale, "stage", st),
        );
        let breaking = *stage == Some(Stage::Disintegrating);
        let names: Vec<&str> = es.iter().map(|e| e.name.as_str()).collect();
        s.open_group(r#"class="stage""#);
        let tip = if names.is_empty() {
            format!("{name}: —")
        } else {
            format!(
                "{name}: {} · {}",
                names.join(t!(locale, "common.list_separator")),
                locale.money(*sum, currency)
            )
        };
        s.tooltip(&tip, &[]);
        let weight = if breaking {
            r#" font-weight="bold""#
        } else {
            ""
        };
        s.label(
            0.0,
            cy + 4.0,
            &name,
            LABEL_W - 8.0,
            LABEL,
            format_args!(
                r#"font-size="12" fill="{}"{weight}"#,
                if breaking { FAIL } else { INK }
            ),
        );
        // One dot per account.
        for d in 0..es.len().min(MAX_DOTS) {
            let x = LABEL_W + 6.0 + d as f64 * 9.0;
            let style = if breaking {
                format!(r#"fill="{FAIL}""#)
            } else {
                format!(r#"fill="{INK}""#)
            };
            s.circle(x, cy, 3.5, &style);
        }
        let count = es.len().to_string();
        let cx = LABEL_W
            + 6.0
            + es.len().min(MAX_DOTS) as f64 * 9.0
            + if es.is_empty() { -6.0 } else { 2.0 };
        s.text(
            cx,
            cy + 4.0,
            &count,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
        if *sum > 0.0 {
            let x0 = xs.px(0.0);
            let fill = if breaking {
                "fill=\"url(#k-hatch-fail)\"".to_owned()
            } else {
                format!(r#"fill="{SERIES}""#)
            };
            s.rect(
                x0,
                cy - BAR / 2.0,
                xs.px(*sum) - x0,
                BAR,
                format_args!(r#"class="bar" {fill}"#),
            );
        }
        let amount = if *sum > 0.0 {
            locale.money(*sum, currency)
        } else {
            "—".to_owned()
        };
        s.label(
            WIDTH - RIGHT_W + 8.0,
            cy + 4.0,
            &amount,
            RIGHT_W - 8.0,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, INK),
        );
        s.close_group();
    }
    s.finish()
}
