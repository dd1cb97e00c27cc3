//! Objectives progress: how far each objective has come from its baseline
//! to its target, and where it stands.
//!
//! Each objective has its own track (they measure different things): the
//! way from the baseline (or zero) on the left to the target on the right,
//! filled as far as the progress of §9.1 goes, in the colour of its status.
//! Progress is clamped to 0..100%, so an objective past its target fills the
//! track and one that went backwards shows an empty one. The values are
//! written under each track; the progress, the status in words and the due
//! date beside it. The figures come from [`crate::figures::objective`], as
//! everywhere else.

use plotters::element::{PathElement, Rectangle};

use super::backend::{Styled, Tag};
use super::palette::{Colour, INK, MUTED, NEUTRAL, SERIES, SHADE, Verdict};
use super::svg::{self, BOLD, HEAD, LABEL, SMALL, Svg, text_width};
use super::{Fit, name_or_id, plot};
use crate::figures::{Figures, ObjectiveFigures, ObjectiveStatus};
use crate::i18n::Locale;
use crate::model::{Objective, Plan};
use crate::text::subst;

const LABEL_W: f64 = 200.0;
const RIGHT_W: f64 = 132.0;
const ROW: f64 = 48.0;
const BAR: f64 = 12.0;

/// The verdict of an objective's status: met, at risk and missed are the
/// three every status shares; on track and no data are none.
fn verdict(status: ObjectiveStatus) -> Option<Verdict> {
    match status {
        ObjectiveStatus::Met => Some(Verdict::Good),
        ObjectiveStatus::AtRisk => Some(Verdict::Warn),
        ObjectiveStatus::Missed => Some(Verdict::Bad),
        ObjectiveStatus::OnTrack | ObjectiveStatus::NoData => None,
    }
}

/// The colour of an objective's status (the theme's CSS uses the same).
pub(crate) fn status_colour(status: ObjectiveStatus) -> Colour {
    match (verdict(status), status) {
        (Some(v), _) => v.colour(),
        (None, ObjectiveStatus::OnTrack) => SERIES,
        (None, _) => NEUTRAL,
    }
}

/// An objective's status in words, after its verdict's sign when it has one.
fn status_text(locale: &Locale, status: ObjectiveStatus) -> String {
    match verdict(status) {
        Some(v) => [v.sign(), " ", status_label(locale, status)].concat(),
        None => status_label(locale, status).to_owned(),
    }
}

/// An objective's status in words.
pub(crate) fn status_label(locale: &Locale, status: ObjectiveStatus) -> &str {
    let key = match status {
        ObjectiveStatus::Met => "objective_status.met",
        ObjectiveStatus::Missed => "objective_status.missed",
        ObjectiveStatus::AtRisk => "objective_status.at-risk",
        ObjectiveStatus::OnTrack => "objective_status.on-track",
        ObjectiveStatus::NoData => "objective_status.no-data",
    };
    locale.text(key)
}

/// Progress as readers see it: a whole percent, `—` when undefined.
pub(crate) fn percent_text(f: &ObjectiveFigures) -> String {
    f.percent()
        .map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

/// A value in the objective's unit: money when the unit is the plan's
/// currency or another ISO 4217 code (three capital letters), else a number
/// with its unit.
pub(super) fn value(locale: &Locale, v: f64, unit: Option<&str>, currency: &str) -> String {
    locale.quantity(v, unit, currency)
}

/// "baseline … → actual … → target …" of `o`, the baseline only when
/// known, the values written by `fmt`.
fn values(locale: &Locale, o: &Objective, fmt: &dyn Fn(f64) -> String) -> String {
    let baseline = o.baseline.as_ref().map(|b| b.value);
    let actual = o.actual.as_ref().map(|a| a.value);
    let target = o.target.as_ref().map(|a| a.value);
    let mut values = String::with_capacity(96);
    let parts = [
        (t!(locale, "objectives.baseline"), baseline, None),
        (
            t!(locale, "objectives.actual"),
            actual,
            Some(t!(locale, "objectives.no_actual")),
        ),
        (
            t!(locale, "objectives.target"),
            target,
            Some(t!(locale, "objectives.no_target")),
        ),
    ];
    let mut first = true;
    for (label, v, missing) in parts {
        if v.is_none() && missing.is_none() {
            continue;
        }
        if !first {
            values.push_str(" → ");
        }
        first = false;
        match v {
            Some(v) => {
                values.push_str(label);
                values.push(' ');
                values.push_str(&fmt(v));
            }
            None => values.push_str(missing.unwrap_or_default()),
        }
    }
    values
}

/// The objectives chart of `plan` with its `figures`; an objective whose
/// `unit` is `currency` (the plan's currency) is shown as money.
pub fn objectives(plan: &Plan, figures: &Figures, currency: &str, locale: &Locale) -> String {
    if plan.objectives.is_empty() {
        return svg::empty("objectives", t!(locale, "objectives.empty"));
    }
    Fit::both(|fit| draw(plan, figures, currency, locale, fit))
}

/// The objectives chart at `fit`.
fn draw(plan: &Plan, figures: &Figures, currency: &str, locale: &Locale, fit: Fit) -> String {
    let (width, label_w) = (fit.width, LABEL_W + fit.label_extra);
    let top = HEAD + 10.0;
    let bottom = top + plan.objectives.len() as f64 * ROW;
    let height = bottom + 26.0;
    let note = subst(
        t!(locale, "objectives.reached"),
        &[
            ("reached", &figures.objectives_met().to_string()),
            ("total", &plan.objectives.len().to_string()),
        ],
    );
    let title = t!(locale, "objectives.title");
    let desc = subst(
        t!(locale, "objectives.desc"),
        &[
            ("count", &plan.objectives.len().to_string()),
            ("note", &note),
        ],
    );
    let mut s = Svg::new(&fit.name("objectives"), width, height, title, &desc);
    s.heading(title, Some(&note));

    // One track a row: x is the way from the baseline (0) to the target
    // (1), y the pixels below the chart's top; the texts beside the track
    // are placed from its ends.
    let (bx0, bx1) = (label_w, width - RIGHT_W - 8.0);
    let right_x = width - RIGHT_W + 4.0;
    let from_start = |x: f64| (x - bx0).round() as i32;
    let from_end = |x: f64| (x - bx1).round() as i32;
    // Figures of another plan (none, say) leave the objective without data.
    let unknown = ObjectiveFigures {
        id: None,
        title: None,
        better: crate::model::Better::Higher,
        goal: crate::figures::Goal::Improvement,
        met: false,
        progress: None,
        status: ObjectiveStatus::NoData,
    };
    let rows = |chart: &mut plot::Chart<'_, '_>| {
        for (k, o) in plan.objectives.iter().enumerate() {
            let f = figures.objectives.get(k).unwrap_or(&unknown);
            let cy = top + k as f64 * ROW + 14.0;
            let name = name_or_id(o.title.as_ref(), o.id.as_ref()).unwrap_or_default();
            let unit = o.unit.as_ref().map(|u| u.value.as_str());
            let fmt = |v: f64| value(locale, v, unit, currency);
            let values = values(locale, o, &fmt);
            let pct = percent_text(f);
            let word = status_label(locale, f.status);
            let progress = subst(t!(locale, "objectives.progress"), &[("percent", &pct)]);
            let mut tip = name.to_owned();
            let metric = o.metric.as_ref().map(|m| m.value.as_str());
            for part in metric.into_iter().chain([values.as_str(), &progress, word]) {
                tip.push_str(" · ");
                tip.push_str(part);
            }
            chart
                .plotting_area()
                .draw(&Tag::Group(r#"class="objective""#.into(), Some(tip)))?;
            let start = (0.0, cy);
            let names = [
                (
                    Some(name),
                    4,
                    LABEL,
                    attrs!(r#"font-size="12" fill="{}""#, INK),
                ),
                (
                    metric,
                    21,
                    SMALL,
                    attrs!(r#"font-size="11" fill="{}""#, MUTED),
                ),
            ];
            for (text, dy, size, attrs) in names {
                if let Some(text) = text {
                    chart.plotting_area().draw(&plot::label(
                        start,
                        (from_start(0.0), dy),
                        text,
                        label_w - 12.0,
                        size,
                        attrs.into(),
                    ))?;
                }
            }
            // The track: baseline (or zero) on the left, target on the right.
            let band = |to: f64, half: f64| [(0.0, cy - half), (to, cy + half)];
            chart.plotting_area().draw(&Styled::new(
                Rectangle::new(band(1.0, BAR / 2.0 + 4.0), SHADE.plotters()),
                attrs!(r#"fill="{}""#, SHADE),
            ))?;
            if let Some(p) = f.progress {
                // A sliver at least, so a start shows.
                let p = p.max(2.0 / (bx1 - bx0));
                chart.plotting_area().draw(&Styled::new(
                    Rectangle::new(band(p, BAR / 2.0), SERIES.plotters()),
                    [r#"class="bar" fill=""#, status_colour(f.status).hex(), "\""].concat(),
                ))?;
            }
            for (x, half, attrs) in [
                (
                    0.0,
                    9.0,
                    attrs!(r#"class="baseline" stroke="{}" stroke-width="2""#, MUTED),
                ),
                (
                    1.0,
                    11.0,
                    attrs!(r#"class="target" stroke="{}" stroke-width="3""#, INK),
                ),
            ] {
                chart.plotting_area().draw(&Styled::new(
                    PathElement::<plot::Point>::new(
                        [(x, cy - half), (x, cy + half)],
                        INK.plotters(),
                    ),
                    attrs,
                ))?;
            }
            chart.plotting_area().draw(&plot::label(
                start,
                (0, 24),
                &values,
                bx1 - bx0 + 6.0,
                SMALL,
                attrs!(r#"font-size="11" fill="{}""#, MUTED).into(),
            ))?;
            let end = (1.0, cy);
            chart.plotting_area().draw(&plot::text(
                end,
                (from_end(right_x), 5),
                &pct,
                attrs!(r#"font-size="14" font-weight="bold" fill="{}""#, INK).into(),
                None,
            ))?;
            let word_x = right_x + text_width(&pct, 14.0 * BOLD) + 6.0;
            chart.plotting_area().draw(&plot::label(
                end,
                (from_end(word_x), 5),
                &status_text(locale, f.status),
                width - word_x,
                LABEL * BOLD,
                attrs!(
                    r#"class="status" font-size="12" font-weight="bold" fill="{}""#,
                    INK
                )
                .into(),
            ))?;
            if let Some(due) = &o.due {
                let label = subst(
                    t!(locale, "objectives.due"),
                    &[("date", &due.value.to_string())],
                );
                chart.plotting_area().draw(&plot::label(
                    end,
                    (from_end(right_x), 21),
                    &label,
                    RIGHT_W - 6.0,
                    SMALL,
                    attrs!(r#"font-size="11" fill="{}""#, MUTED).into(),
                ))?;
            }
            chart.plotting_area().draw(&Tag::EndGroup)?;
        }
        Ok(())
    };
    plot::row_marks(s.body(), (width, height), (bx0, bx1), (0.0, 1.0), rows);

    // Legend: what the track means, then the statuses in their colours.
    let y = height - 8.0;
    let text = attrs!(r#"font-size="11" fill="{}""#, MUTED);
    let label = t!(locale, "objectives.track");
    s.text(0.0, y, label, text);
    let mut x = text_width(label, SMALL) + 16.0;
    for status in ObjectiveStatus::ALL {
        s.rect(
            x,
            y - 9.0,
            14.0,
            9.0,
            [r#"fill=""#, status_colour(status).hex(), "\""],
        );
        let label = status_text(locale, status);
        s.text(x + 18.0, y, &label, text);
        x += 18.0 + text_width(&label, SMALL) + 14.0;
    }

    s.finish()
}
