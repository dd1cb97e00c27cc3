//! KPIs: "are we where we said we would be?"
//!
//! One bullet per KPI, in the objectives chart's visual language: a band up
//! to the target, the actual value as a bar, the target as a heavy tick.
//! `better: lower` KPIs (costs, repair times) meet their target at or below
//! it. The status is [`crate::figures::kpi_status`], the one the KPI table
//! shows too: a colour, a sign (✓ met, ! near: within 10 %, ✕ off) and, in
//! the tooltip and the legend, the table's word.

use std::fmt::Write;

use plotters::element::{PathElement, Rectangle};

use super::backend::{Styled, Tag};
use super::objectives::value;
use super::palette::{Colour, INK, MUTED, SHADE, Verdict};
use super::svg::{self, BOLD, HEAD, LABEL, SMALL, Svg, text_width};
use super::{Fit, name_or_id, plot};
use crate::figures::{KpiStatus, kpi_status};
use crate::i18n::Locale;
use crate::model::{Better, Plan};
use crate::text::subst;

const LABEL_W: f64 = 200.0;
const RIGHT_W: f64 = 150.0;
const ROW: f64 = 44.0;
const BAR: f64 = 12.0;

/// The colour, sign and words of a KPI status, shared by the chart and
/// the dossier's KPI table.
pub(crate) fn status_mark(locale: &Locale, status: KpiStatus) -> (Colour, &'static str, &str) {
    let (verdict, key) = match status {
        KpiStatus::Met => (Verdict::Good, "kpi_status.met"),
        KpiStatus::Near => (Verdict::Warn, "kpi_status.near"),
        KpiStatus::Off => (Verdict::Bad, "kpi_status.off"),
    };
    (verdict.colour(), verdict.sign(), locale.text(key))
}

/// The KPI chart of `plan`; a KPI whose `unit` is `currency` is shown as money.
pub fn kpis(plan: &Plan, currency: &str, locale: &Locale) -> String {
    if plan.kpis.is_empty() {
        return svg::empty("kpis", t!(locale, "kpis.empty"));
    }
    Fit::both(|fit| draw(plan, currency, locale, fit))
}

/// The KPI chart at `fit`.
fn draw(plan: &Plan, currency: &str, locale: &Locale, fit: Fit) -> String {
    let (width, label_w) = (fit.width, LABEL_W + fit.label_extra);
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
    let mut s = Svg::new(&fit.name("kpis"), width, height, title, &desc);
    s.heading(title, Some(&note));

    // One bullet a row, each KPI on its own scale: x is the share of the
    // row's scale (0 on the left, 1 on the right), y the pixels below the
    // chart's top; the texts beside a bullet are placed from its ends.
    let (bx0, bx1) = (label_w, width - RIGHT_W - 12.0);
    let right_x = width - RIGHT_W;
    let from_end = |x: f64| (x - bx1).round() as i32;
    let rows = |chart: &mut plot::Chart<'_, '_>| {
        for (i, (k, v)) in plan.kpis.iter().zip(&verdicts).enumerate() {
            let cy = top + i as f64 * ROW + 14.0;
            let name = name_or_id(k.name.as_ref(), k.id.as_ref()).unwrap_or_default();
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
            chart
                .plotting_area()
                .draw(&Tag::Group(r#"class="kpi""#.into(), Some(tip)))?;
            let start = (0.0, cy);
            chart.plotting_area().draw(&plot::label(
                start,
                (-(bx0 as i32), 4),
                name,
                label_w - 12.0,
                LABEL,
                attrs!(r#"font-size="12" fill="{}""#, INK).into(),
            ))?;
            chart.plotting_area().draw(&plot::label(
                start,
                (-(bx0 as i32), 21),
                &sub,
                label_w - 12.0,
                SMALL,
                attrs!(r#"font-size="11" fill="{}""#, MUTED).into(),
            ))?;

            let all = [Some(0.0), actual, target];
            let lo = all.iter().flatten().fold(0.0_f64, |a, x| a.min(*x));
            let hi = all.iter().flatten().fold(0.0_f64, |a, x| a.max(*x)) * 1.1;
            let share = |x: f64| if hi > lo { (x - lo) / (hi - lo) } else { 0.0 };
            if let Some(tg) = target {
                chart.plotting_area().draw(&Styled::new(
                    Rectangle::new(
                        [
                            (share(0.0), cy - BAR / 2.0 - 4.0),
                            (share(tg), cy + BAR / 2.0 + 4.0),
                        ],
                        SHADE.plotters(),
                    ),
                    attrs!(r#"fill="{}""#, SHADE),
                ))?;
            }
            match actual {
                Some(a) => {
                    let (l, r) = if a >= 0.0 {
                        (share(0.0), share(a))
                    } else {
                        (share(a), share(0.0))
                    };
                    // A sliver at least, so a value near zero shows.
                    let r = r.max(l + 2.0 / (bx1 - bx0));
                    chart.plotting_area().draw(&Styled::new(
                        Rectangle::new(
                            [(l, cy - BAR / 2.0), (r, cy + BAR / 2.0)],
                            colour.plotters(),
                        ),
                        [r#"class="bar" fill=""#, colour.hex(), "\""].concat(),
                    ))?;
                }
                None => {
                    chart.plotting_area().draw(&plot::text(
                        start,
                        (4, 4),
                        t!(locale, "kpis.no_actual"),
                        attrs!(r#"font-size="11" fill="{}""#, MUTED).into(),
                        None,
                    ))?;
                }
            }
            if let Some(tg) = target {
                let x = share(tg);
                chart.plotting_area().draw(&Styled::new(
                    PathElement::<plot::Point>::new(
                        [(x, cy - 11.0), (x, cy + 11.0)],
                        INK.plotters(),
                    ),
                    attrs!(r#"class="target" stroke="{}" stroke-width="3""#, INK),
                ))?;
            }
            let end = (1.0, cy);
            let value_style = attrs!(r#"font-size="14" font-weight="bold" fill="{}""#, INK);
            if !sign.is_empty() {
                chart.plotting_area().draw(&plot::text(
                    end,
                    (from_end(right_x - 16.0), 5),
                    sign,
                    value_style.into(),
                    None,
                ))?;
            }
            let actual_text = actual.map_or_else(|| "—".to_owned(), fmt);
            chart.plotting_area().draw(&plot::label(
                end,
                (from_end(right_x), 5),
                &actual_text,
                RIGHT_W,
                14.0 * BOLD,
                value_style.into(),
            ))?;
            let target_text = target.map_or_else(
                || t!(locale, "kpis.no_target").to_owned(),
                |tg| [t!(locale, "kpis.target"), " ", &fmt(tg)].concat(),
            );
            chart.plotting_area().draw(&plot::label(
                end,
                (from_end(right_x), 21),
                &target_text,
                RIGHT_W,
                SMALL,
                attrs!(r#"font-size="11" fill="{}""#, MUTED).into(),
            ))?;
            chart.plotting_area().draw(&Tag::EndGroup)?;
        }
        Ok(())
    };
    plot::row_marks(s.body(), (width, height), (bx0, bx1), (0.0, 1.0), rows);

    // Legend: the bar and the tick, then the three statuses.
    let y = height - 8.0;
    let muted = attrs!(r#"font-size="11" fill="{}""#, MUTED);
    let mut x = bx0;
    // The bar in the colours it takes, by status.
    for (k, v) in [Verdict::Good, Verdict::Warn, Verdict::Bad]
        .iter()
        .enumerate()
    {
        s.rect(
            x + k as f64 * 5.0,
            y - 9.0,
            5.0,
            9.0,
            [r#"fill=""#, v.colour().hex(), "\""],
        );
    }
    let actual = t!(locale, "kpis.actual");
    s.text(x + 18.0, y, actual, muted);
    x += 18.0 + text_width(actual, SMALL) + 16.0;
    s.line(
        x + 2.0,
        y - 12.0,
        x + 2.0,
        y + 2.0,
        attrs!(r#"stroke="{}" stroke-width="3""#, INK),
    );
    let target = t!(locale, "kpis.target");
    s.text(x + 8.0, y, target, muted);
    x += 8.0 + text_width(target, SMALL) + 24.0;
    for status in [KpiStatus::Met, KpiStatus::Near, KpiStatus::Off] {
        let (colour, sign, word) = status_mark(locale, status);
        s.rect(x, y - 9.0, 14.0, 9.0, [r#"fill=""#, colour.hex(), "\""]);
        let label = [sign, " ", word].concat();
        s.text(x + 18.0, y, &label, muted);
        x += 18.0 + text_width(&label, SMALL) + 16.0;
    }

    s.finish()
}
