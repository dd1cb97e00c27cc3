//! KPIs: "are we where we said we would be?"
//!
//! One bullet per KPI, in the objectives chart's visual language: a band up
//! to the target, the actual value as a bar, the target as a heavy tick.
//! `better: lower` KPIs (costs, repair times) meet their target at or below
//! it. The status is [`crate::figures::kpi_status`], the one the KPI table
//! shows too: a colour, a sign (✓ met, ! near: within 10 %, ✕ off) and, in
//! the tooltip and the legend, the table's word.

use std::fmt::Write;

use super::objectives::value;
use super::palette::{Colour, FAIL, INK, MUTED, PASS, SHADE, WARN};
use super::svg::{self, BOLD, HEAD, LABEL, SMALL, Svg, text_width};
use crate::figures::{KpiStatus, kpi_status};
use crate::i18n::Locale;
use crate::model::{Better, Plan};
use crate::text::subst;

const WIDTH: f64 = 720.0;
const LABEL_W: f64 = 200.0;
const RIGHT_W: f64 = 150.0;
const ROW: f64 = 44.0;
const BAR: f64 = 12.0;

/// The colour, sign and words of a KPI status, shared by the chart and
/// the dossier's KPI table.
pub(crate) fn status_mark(locale: &Locale, status: KpiStatus) -> (Colour, &'static str, &str) {
    match status {
        KpiStatus::Met => (PASS, "✓", locale.text("kpi_status.met")),
        KpiStatus::Near => (WARN, "!", locale.text("kpi_status.near")),
        KpiStatus::Off => (FAIL, "✕", locale.text("kpi_status.off")),
    }
}

/// The KPI chart of `plan`; a KPI whose `unit` is `currency` is shown as money.
pub fn kpis(plan: &Plan, currency: &str, locale: &Locale) -> String {
    if plan.kpis.is_empty() {
        return svg::empty("kpis", t!(locale, "kpis.empty"));
    }
    let top = HEAD + 10.0;
    let height = top + plan.kpis.len() as f64 * ROW + 24.0;
    let verdicts: Vec<Option<KpiStatus>> = plan.kpis.iter().map(kpi_status).collect();
    let met = verdicts
        .iter()
        .filter(|v| **v == Some(KpiStatus::Met))
        .count();
    let note = subst(
        t!(locale, "kpis.met"),
        &[
            ("met", &met.to_string()),
            ("total", &plan.kpis.len().to_string()),
        ],
    );
    let title = t!(locale, "kpis.title");
    let desc = subst(
        t!(locale, "kpis.desc"),
        &[("count", &plan.kpis.len().to_string()), ("note", &note)],
    );
    let mut s = Svg::new("kpis", WIDTH, height, title, &desc);
    s.heading(title, Some(&note));

    let (bx0, bx1) = (LABEL_W, WIDTH - RIGHT_W - 12.0);
    let right_x = WIDTH - RIGHT_W;
    for (i, (k, v)) in plan.kpis.iter().zip(&verdicts).enumerate() {
        let cy = top + i as f64 * ROW + 14.0;
        let name = k
            .name
            .as_ref()
            .map(|n| n.value.as_str())
            .or_else(|| k.id.as_ref().map(|i| i.value.0.as_str()))
            .unwrap_or_default();
        let unit = k.unit.as_ref().map(|u| u.value.as_str());
        let fmt = |x: f64| value(locale, x, unit, currency);
        let lower = k.better.as_ref().is_some_and(|b| b.value == Better::Lower);
        let direction = if lower {
            t!(locale, "kpis.lower")
        } else {
            t!(locale, "kpis.higher")
        };
        let mut sub = direction.to_owned();
        if let Some(p) = &k.period {
            let _ = write!(sub, " · {}", p.value);
        }
        let actual = k.actual.as_ref().map(|a| a.value);
        let target = k.target.as_ref().map(|a| a.value);
        let (colour, sign, word) = v.map_or((MUTED, "", ""), |v| status_mark(locale, v));

        s.open_group(r#"class="kpi""#);
        let mut tip = String::with_capacity(96);
        for part in [name, " · ", &sub] {
            tip.push_str(part);
        }
        let actual_label = t!(locale, "kpis.actual");
        for (label, v) in [(actual_label, actual), (t!(locale, "kpis.target"), target)] {
            if let Some(v) = v {
                for part in [" · ", label, " ", &fmt(v)] {
                    tip.push_str(part);
                }
            }
        }
        if !word.is_empty() {
            tip.push_str(" · ");
            tip.push_str(word);
        }
        s.tooltip(&tip, &[]);
        s.label(
            0.0,
            cy + 4.0,
            name,
            LABEL_W - 12.0,
            LABEL,
            attrs!(r#"font-size="12" fill="{}""#, INK),
        );
        s.label(
            0.0,
            cy + 21.0,
            &sub,
            LABEL_W - 12.0,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );

        let all = [Some(0.0), actual, target];
        let lo = all.iter().flatten().fold(0.0_f64, |a, x| a.min(*x));
        let hi = all.iter().flatten().fold(0.0_f64, |a, x| a.max(*x)) * 1.1;
        let px = |x: f64| {
            if hi > lo {
                bx0 + (x - lo) / (hi - lo) * (bx1 - bx0)
            } else {
                bx0
            }
        };
        if let Some(tg) = target {
            s.rect(
                px(0.0),
                cy - BAR / 2.0 - 4.0,
                px(tg) - px(0.0),
                BAR + 8.0,
                attrs!(r#"fill="{}""#, SHADE),
            );
        }
        match actual {
            Some(a) => {
                let (l, r) = if a >= 0.0 {
                    (px(0.0), px(a))
                } else {
                    (px(a), px(0.0))
                };
                s.rect(
                    l,
                    cy - BAR / 2.0,
                    (r - l).max(1.5),
                    BAR,
                    [r#"class="bar" fill=""#, colour.hex(), "\""],
                );
            }
            None => s.text(
                bx0 + 4.0,
                cy + 4.0,
                t!(locale, "kpis.no_actual"),
                attrs!(r#"font-size="11" fill="{}""#, MUTED),
            ),
        }
        if let Some(tg) = target {
            let x = px(tg);
            s.line(
                x,
                cy - 11.0,
                x,
                cy + 11.0,
                attrs!(r#"class="target" stroke="{}" stroke-width="3""#, INK),
            );
        }
        let actual_text = actual.map_or_else(|| "—".to_owned(), fmt);
        if !sign.is_empty() {
            s.text(
                right_x - 16.0,
                cy + 5.0,
                sign,
                attrs!(r#"font-size="14" font-weight="bold" fill="{}""#, INK),
            );
        }
        s.label(
            right_x,
            cy + 5.0,
            &actual_text,
            RIGHT_W,
            14.0 * BOLD,
            attrs!(r#"font-size="14" font-weight="bold" fill="{}""#, INK),
        );
        let target_text = target.map_or_else(
            || t!(locale, "kpis.no_target").to_owned(),
            |tg| [t!(locale, "kpis.target"), " ", &fmt(tg)].concat(),
        );
        s.label(
            right_x,
            cy + 21.0,
            &target_text,
            RIGHT_W,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
        s.close_group();
    }

    // Legend: the three statuses.
    let y = height - 8.0;
    let mut x = bx0;
    for status in [KpiStatus::Met, KpiStatus::Near, KpiStatus::Off] {
        let (colour, sign, word) = status_mark(locale, status);
        s.rect(x, y - 9.0, 14.0, 9.0, [r#"fill=""#, colour.hex(), "\""]);
        let label = [sign, " ", word].concat();
        s.text(
            x + 18.0,
            y,
            &label,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
        x += 18.0 + text_width(&label, SMALL) + 16.0;
    }

    s.finish()
}
