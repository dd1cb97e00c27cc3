//! Scorecard: "how attractive is this account, and why?"
//!
//! At the top, the total (0–100) on a gauge whose bands are the tiers of
//! `kaplan.toml`'s thresholds. Below, each weighted criterion as the points
//! it earns of the total (weight × score, scaled so all criteria add up to
//! the total) against the points it could earn, grouped by group with each
//! group's subtotal.

use plotters::element::{PathElement, Rectangle};

use super::backend::{Styled, Tag};
use super::palette::{GOLD, INK, MUTED, PLATINUM, SERIES, SHADE, SILVER};
use super::plot::{self, Area, Axis};
use super::svg::{self, BOLD, HEAD, LABEL, SMALL, Svg, text_width};
use super::{Fit, named};
use crate::config::Thresholds;
use crate::figures::{Figures, tier_for};
use crate::i18n::Locale;
use crate::model::{Criterion, CriterionGroup, Plan, Tier};
use crate::text::subst;

const LABEL_W: f64 = 220.0;
const RIGHT_W: f64 = 118.0;
const ROW: f64 = 22.0;
const BAR: f64 = 11.0;
const GAUGE_TOP: f64 = HEAD + 22.0;
const GAUGE_H: f64 = 18.0;

const GROUPS: [Option<CriterionGroup>; 5] = [
    Some(CriterionGroup::Market),
    Some(CriterionGroup::Finance),
    Some(CriterionGroup::Relationship),
    Some(CriterionGroup::Strategic),
    None,
];

fn rated(c: &Criterion) -> Option<(f64, f64)> {
    Some((
        c.weight.as_ref()?.get() as f64,
        c.score.as_ref()?.get() as f64,
    ))
}

/// The scorecard chart of `plan`, with the total from `figures` and the
/// tier bands of `thresholds`.
pub fn scorecard(
    plan: &Plan,
    figures: &Figures,
    thresholds: &Thresholds,
    locale: &Locale,
) -> String {
    let Some(total) = figures.scorecard else {
        return svg::empty("scorecard", t!(locale, "scorecard.empty"));
    };
    // The theme sets the scorecard beside the competitors: one drawing, a row wide.
    draw(plan, total, thresholds, locale, Fit::ROW)
}

/// The scorecard chart at `fit`, for the scorecard's `total`.
fn draw(plan: &Plan, total: f64, thresholds: &Thresholds, locale: &Locale, fit: Fit) -> String {
    let (width, label_w) = (fit.width, LABEL_W + fit.label_extra);
    let max_points: f64 = plan
        .scorecard
        .iter()
        .filter_map(rated)
        .map(|(w, _)| w * 10.0)
        .sum();
    let points = |w: f64, s: f64| {
        if max_points > 0.0 {
            w * s / max_points * 100.0
        } else {
            0.0
        }
    };
    let groups: Vec<(Option<CriterionGroup>, Vec<&Criterion>)> = GROUPS
        .iter()
        .map(|g| {
            (
                *g,
                plan.scorecard
                    .iter()
                    .filter(|c| c.group.as_ref().map(|x| x.value) == *g)
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, cs)| !cs.is_empty())
        .collect();
    let rows = groups.iter().map(|(_, cs)| cs.len() + 1).sum::<usize>();
    let top = GAUGE_TOP + GAUGE_H + 44.0;
    let bottom = top + rows as f64 * ROW + 4.0;
    let height = bottom + 38.0;

    let cap = plan
        .scorecard
        .iter()
        .filter_map(rated)
        .map(|(w, _)| points(w, 10.0))
        .fold(0.0, f64::max);
    let ((lo, hi), ticks) = plot::nice(0.0, cap.max(1.0), 4);
    let area = Area {
        left: label_w as u32,
        top: top as u32,
        right: (width - RIGHT_W) as u32,
        bottom: bottom as u32,
    };
    let format = |v: f64| locale.number(v, 1);
    let x_axis = Axis {
        range: (lo, hi),
        ticks,
        format: &format,
        grid: true,
    };
    let tier = tier_for(total, thresholds);
    let tier_name = named(locale, "tier", tier);
    let total_text = locale.number(total, 1);
    let note = subst(
        t!(locale, "scorecard.total"),
        &[("total", &total_text), ("tier", &tier_name)],
    );
    let title = t!(locale, "scorecard.title");
    let desc = subst(
        t!(locale, "scorecard.desc"),
        &[
            ("count", &plan.scorecard.len().to_string()),
            ("note", &note),
        ],
    );
    let mut s = Svg::new(
        &fit.name("scorecard"),
        width,
        height,
        &[title, " · ", &note].concat(),
        &desc,
    );
    s.heading(title, Some(&note));

    // The gauge: the total on 0..100, over the tier bands.
    let (g0, g1) = (label_w, width - RIGHT_W);
    let gx = |v: f64| g0 + v.clamp(0.0, 100.0) / 100.0 * (g1 - g0);
    s.text(
        0.0,
        GAUGE_TOP + GAUGE_H / 2.0 + 4.0,
        t!(locale, "scorecard.gauge"),
        attrs!(r#"font-size="12" font-weight="bold" fill="{}""#, INK),
    );
    let gauge = |chart: &mut plot::Chart<'_, '_>| {
        let bands = [
            (0.0, thresholds.gold, SILVER, Tier::Silver),
            (thresholds.gold, thresholds.platinum, GOLD, Tier::Gold),
            (thresholds.platinum, 100.0, PLATINUM, Tier::Platinum),
        ];
        let scale = attrs!(r#"font-size="11" fill="{}" text-anchor="middle""#, MUTED);
        let below = GAUGE_TOP + GAUGE_H + 14.0;
        let mut ticks = vec![0.0, 100.0];
        for (from, to, colour, t) in bands {
            if to <= from {
                continue;
            }
            chart.plotting_area().draw(&Styled::new(
                Rectangle::new(
                    [(from, GAUGE_TOP), (to, GAUGE_TOP + GAUGE_H)],
                    colour.plotters(),
                ),
                [r#"fill=""#, colour.hex(), r#"" fill-opacity="0.35""#].concat(),
            ))?;
            chart.plotting_area().draw(&plot::label(
                (from, GAUGE_TOP),
                (3, -5),
                &named(locale, "tier", t),
                (gx(to) - gx(from) - 4.0).max(0.0),
                SMALL,
                attrs!(r#"font-size="11" fill="{}""#, MUTED).into(),
            ))?;
            if from > 0.0 {
                chart.plotting_area().draw(&Styled::new(
                    PathElement::<plot::Point>::new(
                        [(from, GAUGE_TOP - 3.0), (from, GAUGE_TOP + GAUGE_H + 3.0)],
                        INK.plotters(),
                    ),
                    attrs!(r#"stroke="{}" stroke-width="1.5""#, INK),
                ))?;
                ticks.push(from);
            }
        }
        for v in ticks {
            chart.plotting_area().draw(&plot::text(
                (v, below),
                (0, 0),
                &locale.number(v, 1),
                scale.into(),
                None,
            ))?;
        }
        chart.plotting_area().draw(&Styled::new(
            Rectangle::new(
                [
                    (0.0, GAUGE_TOP + 4.0),
                    (total.clamp(0.0, 100.0), GAUGE_TOP + GAUGE_H - 4.0),
                ],
                INK.plotters(),
            ),
            attrs!(r#"class="total" fill="{}""#, INK),
        ))?;
        let middle = GAUGE_TOP + GAUGE_H / 2.0;
        chart.plotting_area().draw(&plot::text(
            (100.0, middle),
            (8, 5),
            &total_text,
            attrs!(r#"font-size="15" font-weight="bold" fill="{}""#, INK).into(),
            None,
        ))?;
        let tier_dx = 8.0 + text_width(&total_text, 15.0) * 1.1 + 6.0;
        chart.plotting_area().draw(&plot::label(
            (100.0, middle),
            (tier_dx.round() as i32, 5),
            &tier_name,
            width - g1 - tier_dx,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED).into(),
        ))?;
        Ok(())
    };
    plot::row_marks(s.body(), (width, height), (g0, g1), (0.0, 100.0), gauge);

    s.text(
        0.0,
        top - 10.0,
        t!(locale, "scorecard.criteria"),
        attrs!(r#"font-size="12" font-weight="bold" fill="{}""#, INK),
    );
    s.text(
        width - RIGHT_W + 8.0,
        top - 10.0,
        t!(locale, "scorecard.score_weight"),
        attrs!(r#"font-size="11" fill="{}""#, MUTED),
    );

    // The criteria, one row each under their group's, x in points and y
    // in pixels below the plot's top; the row labels left of the plot and
    // the scores right of it, placed from its left edge.
    let left = |x: f64| (x - f64::from(area.left)).round() as i32;
    let rows = |chart: &mut plot::Chart<'_, '_>| {
        let mut y = 0.0;
        for (group, criteria) in &groups {
            let (earned, possible) = criteria
                .iter()
                .filter_map(|c| rated(c))
                .fold((0.0, 0.0), |(e, p), (w, sc)| {
                    (e + points(w, sc), p + points(w, 10.0))
                });
            let name = group.map_or_else(
                || t!(locale, "scorecard.ungrouped").into(),
                |g| named(locale, "group", g),
            );
            let head = [
                &name,
                " · ",
                &locale.number(earned, 1),
                " / ",
                &locale.number(possible, 1),
            ]
            .concat();
            chart.plotting_area().draw(&plot::label(
                (lo, y + ROW / 2.0),
                (left(0.0), 4),
                &head,
                label_w - 8.0,
                SMALL * BOLD,
                attrs!(r#"font-size="11" font-weight="bold" fill="{}""#, MUTED).into(),
            ))?;
            y += ROW;
            for c in criteria {
                let cy = y + ROW / 2.0;
                let name = c
                    .criterion
                    .as_ref()
                    .map(|n| n.value.as_str())
                    .unwrap_or_default();
                let right = (lo, cy);
                let right_dx = left(width - RIGHT_W + 8.0);
                match rated(c) {
                    Some((w, sc)) => {
                        let (score, weight) = (locale.number(sc, 0), locale.number(w, 0));
                        let tip = subst(
                            t!(locale, "scorecard.tooltip"),
                            &[
                                ("name", name),
                                ("score", &score),
                                ("weight", &weight),
                                ("points", &locale.number(points(w, sc), 1)),
                                ("max", &locale.number(points(w, 10.0), 1)),
                            ],
                        );
                        chart
                            .plotting_area()
                            .draw(&Tag::Group(r#"class="criterion""#.into(), Some(tip)))?;
                        let bar = |to: f64| [(0.0, cy - BAR / 2.0), (to, cy + BAR / 2.0)];
                        chart.plotting_area().draw(&Styled::new(
                            Rectangle::new(bar(points(w, 10.0)), SHADE.plotters()),
                            attrs!(r#"fill="{}""#, SHADE),
                        ))?;
                        chart.plotting_area().draw(&Styled::new(
                            Rectangle::new(bar(points(w, sc)), SERIES.plotters()),
                            attrs!(r#"class="bar" fill="{}""#, SERIES),
                        ))?;
                        chart.plotting_area().draw(&plot::text(
                            right,
                            (right_dx, 4),
                            &[&score, "/10 × ", &weight].concat(),
                            attrs!(r#"font-size="11" fill="{}""#, INK).into(),
                            None,
                        ))?;
                    }
                    None => {
                        chart.plotting_area().draw(&Tag::Group(
                            r#"class="criterion""#.into(),
                            Some(name.to_owned()),
                        ))?;
                        chart.plotting_area().draw(&plot::text(
                            right,
                            (right_dx, 4),
                            t!(locale, "scorecard.unrated"),
                            attrs!(r#"font-size="11" fill="{}""#, MUTED).into(),
                            None,
                        ))?;
                    }
                }
                chart.plotting_area().draw(&plot::label(
                    (lo, cy),
                    (left(12.0), 4),
                    name,
                    label_w - 20.0,
                    LABEL,
                    attrs!(r#"font-size="12" fill="{}""#, INK).into(),
                ))?;
                chart.plotting_area().draw(&Tag::EndGroup)?;
                y += ROW;
            }
        }
        Ok(())
    };
    plot::plot(
        s.body(),
        (width as u32, height as u32),
        area,
        &x_axis,
        false,
        None,
        |_| Ok(()),
        rows,
    );
    s.label(
        label_w,
        height - 4.0,
        t!(locale, "scorecard.axis"),
        width - label_w,
        SMALL,
        attrs!(r#"font-size="11" fill="{}""#, MUTED),
    );

    s.finish()
}
