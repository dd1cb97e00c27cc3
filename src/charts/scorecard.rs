//! Scorecard: "how attractive is this account, and why?"
//!
//! At the top, the total (0–100) on a gauge whose bands are the tiers of
//! `kaplan.toml`'s thresholds. Below, each weighted criterion as the points
//! it earns of the total (weight × score, scaled so all criteria add up to
//! the total) against the points it could earn, grouped by group with each
//! group's subtotal.

use super::named;
use super::palette::{GOLD, INK, MUTED, PLATINUM, SERIES, SHADE, SILVER};
use super::plot::{self, Area, Axis};
use super::svg::{self, BOLD, HEAD, LABEL, SMALL, Svg, text_width};
use crate::config::Thresholds;
use crate::figures::{Figures, tier_for};
use crate::i18n::Locale;
use crate::model::{Criterion, CriterionGroup, Plan, Tier};
use crate::text::subst;

const WIDTH: f64 = 720.0;
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
        left: LABEL_W as u32,
        top: top as u32,
        right: (WIDTH - RIGHT_W) as u32,
        bottom: bottom as u32,
    };
    let format = |v: f64| locale.number(v, 1);
    let x_axis = Axis {
        range: (lo, hi),
        ticks,
        format: &format,
        grid: true,
    };
    let plotted = plot::plot(
        (WIDTH as u32, height as u32),
        area,
        &x_axis,
        false,
        None,
        |_| Ok(()),
    );
    let xs = plotted.x;

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
        "scorecard",
        WIDTH,
        height,
        &[title, " · ", &note].concat(),
        &desc,
    );
    s.heading(title, Some(&note));

    // The gauge: tier bands, the total as a bar, threshold labels above.
    let (g0, g1) = (LABEL_W, WIDTH - RIGHT_W);
    let gx = |v: f64| g0 + v.clamp(0.0, 100.0) / 100.0 * (g1 - g0);
    s.text(
        0.0,
        GAUGE_TOP + GAUGE_H / 2.0 + 4.0,
        t!(locale, "scorecard.gauge"),
        attrs!(r#"font-size="12" font-weight="bold" fill="{}""#, INK),
    );
    let bands = [
        (0.0, thresholds.gold, SILVER, Tier::Silver),
        (thresholds.gold, thresholds.platinum, GOLD, Tier::Gold),
        (thresholds.platinum, 100.0, PLATINUM, Tier::Platinum),
    ];
    for (from, to, colour, t) in bands {
        if to <= from {
            continue;
        }
        let (x0, x1) = (gx(from), gx(to));
        s.rect(
            x0,
            GAUGE_TOP,
            x1 - x0,
            GAUGE_H,
            [r#"fill=""#, colour.hex(), r#"" fill-opacity="0.35""#],
        );
        let name = named(locale, "tier", t);
        s.label(
            x0 + 3.0,
            GAUGE_TOP - 5.0,
            &name,
            (x1 - x0 - 4.0).max(0.0),
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
        if from > 0.0 {
            s.line(
                x0,
                GAUGE_TOP - 3.0,
                x0,
                GAUGE_TOP + GAUGE_H + 3.0,
                attrs!(r#"stroke="{}" stroke-width="1.5""#, INK),
            );
            s.text(
                x0,
                GAUGE_TOP + GAUGE_H + 14.0,
                &locale.number(from, 1),
                attrs!(r#"font-size="11" fill="{}" text-anchor="middle""#, MUTED),
            );
        }
    }
    s.text(
        g0,
        GAUGE_TOP + GAUGE_H + 14.0,
        "0",
        attrs!(r#"font-size="11" fill="{}" text-anchor="middle""#, MUTED),
    );
    s.text(
        g1,
        GAUGE_TOP + GAUGE_H + 14.0,
        "100",
        attrs!(r#"font-size="11" fill="{}" text-anchor="middle""#, MUTED),
    );
    s.rect(
        g0,
        GAUGE_TOP + 4.0,
        gx(total) - g0,
        GAUGE_H - 8.0,
        attrs!(r#"class="total" fill="{}""#, INK),
    );
    s.text(
        g1 + 8.0,
        GAUGE_TOP + GAUGE_H / 2.0 + 5.0,
        &total_text,
        attrs!(r#"font-size="15" font-weight="bold" fill="{}""#, INK),
    );
    let tier_x = g1 + 8.0 + text_width(&total_text, 15.0) * 1.1 + 6.0;
    s.label(
        tier_x,
        GAUGE_TOP + GAUGE_H / 2.0 + 5.0,
        &tier_name,
        WIDTH - tier_x,
        SMALL,
        attrs!(r#"font-size="11" fill="{}""#, MUTED),
    );

    s.text(
        0.0,
        top - 10.0,
        t!(locale, "scorecard.criteria"),
        attrs!(r#"font-size="12" font-weight="bold" fill="{}""#, INK),
    );
    s.text(
        WIDTH - RIGHT_W + 8.0,
        top - 10.0,
        t!(locale, "scorecard.score_weight"),
        attrs!(r#"font-size="11" fill="{}""#, MUTED),
    );
    s.raw(&plotted.markup);

    let right = WIDTH - RIGHT_W + 8.0;
    let mut y = top;
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
        s.label(
            0.0,
            y + ROW / 2.0 + 4.0,
            &head,
            LABEL_W - 8.0,
            SMALL * BOLD,
            attrs!(r#"font-size="11" font-weight="bold" fill="{}""#, MUTED),
        );
        y += ROW;
        for c in criteria {
            let cy = y + ROW / 2.0;
            let name = c
                .criterion
                .as_ref()
                .map(|n| n.value.as_str())
                .unwrap_or_default();
            s.open_group(r#"class="criterion""#);
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
                    s.tooltip(&tip, &[]);
                    let x0 = xs.px(0.0);
                    s.rect(
                        x0,
                        cy - BAR / 2.0,
                        xs.px(points(w, 10.0)) - x0,
                        BAR,
                        attrs!(r#"fill="{}""#, SHADE),
                    );
                    s.rect(
                        x0,
                        cy - BAR / 2.0,
                        xs.px(points(w, sc)) - x0,
                        BAR,
                        attrs!(r#"class="bar" fill="{}""#, SERIES),
                    );
                    s.text(
                        right,
                        cy + 4.0,
                        &[&score, "/10 × ", &weight].concat(),
                        attrs!(r#"font-size="11" fill="{}""#, INK),
                    );
                }
                None => {
                    s.tooltip(name, &[]);
                    s.text(
                        right,
                        cy + 4.0,
                        t!(locale, "scorecard.unrated"),
                        attrs!(r#"font-size="11" fill="{}""#, MUTED),
                    );
                }
            }
            s.label(
                12.0,
                cy + 4.0,
                name,
                LABEL_W - 20.0,
                LABEL,
                attrs!(r#"font-size="12" fill="{}""#, INK),
            );
            s.close_group();
            y += ROW;
        }
    }
    s.label(
        LABEL_W,
        height - 4.0,
        t!(locale, "scorecard.axis"),
        WIDTH - LABEL_W,
        SMALL,
        attrs!(r#"font-size="11" fill="{}""#, MUTED),
    );

    s.finish()
}
