//! Trend: "is the plan getting better or worse?"
//!
//! Two small panels over one time axis, one point per committed version of
//! the plan (or per month for long histories): the expected return above,
//! the checklist completeness below. Two panels instead of two y-axes, so
//! neither scale can be read against the other's gridlines. Points sit at
//! their commit dates; when commits crowd together they are spaced evenly
//! instead, in order. Every point has a tooltip with its date, commit and
//! both values; the last point is labelled.

use plotters::element::{Circle, EmptyElement, PathElement, Rectangle};

use super::backend::{Styled, Tag};
use super::money_axis;
use super::palette::{AXIS, GRID, INK, MUTED, PASS, SHADE};
use super::plot::{self, Scale};
use super::svg::{self, LABEL, SMALL, Svg};
use crate::history::TrendPoint;
use crate::i18n::Locale;
use crate::text::{num, subst, xml};

const WIDTH: f64 = 720.0;
const LEFT: f64 = 96.0;
const RIGHT: f64 = 110.0;
const RETURN_H: f64 = 110.0;
const COMPLETE_H: f64 = 56.0;
const GAP: f64 = 34.0;
/// Closer than this, points are spaced evenly instead of by date.
const MIN_STEP: f64 = 10.0;

/// The trend chart of one plan's history, oldest point first.
pub(crate) fn trend(points: &[TrendPoint], currency: &str, locale: &Locale) -> String {
    if points.is_empty() {
        return svg::empty("trend", t!(locale, "trend.empty"));
    }
    let money = |v: f64| locale.money(v, currency);
    let pct = |v: f64| locale.percent(v);
    let first = &points[0];
    let last_point = &points[points.len() - 1];
    let title = t!(locale, "trend.title");
    let note = subst(
        t!(locale, "trend.note"),
        &[
            ("count", &points.len().to_string()),
            ("from", &first.date.to_string()),
            ("to", &last_point.date.to_string()),
        ],
    );
    let top = svg::HEAD + 22.0;
    let return_top = top;
    let return_bottom = return_top + RETURN_H;
    let complete_top = return_bottom + GAP;
    let complete_bottom = complete_top + COMPLETE_H;
    let height = complete_bottom + 30.0;
    let (x0, x1) = (LEFT, WIDTH - RIGHT);

    // x: by date, unless points crowd (then by version); one point sits in
    // the middle. y: the pixels below the chart's top, each panel mapping
    // its values onto its rows.
    let days: Vec<f64> = points
        .iter()
        .map(|p| p.date.days_since_epoch() as f64)
        .collect();
    let by_date = Scale::new((days[0], days[days.len() - 1]), (x0, x1));
    let crowded = days
        .windows(2)
        .any(|w| by_date.px(w[1]) - by_date.px(w[0]) < MIN_STEP);
    let pos: Vec<f64> = if crowded {
        (0..points.len()).map(|i| i as f64).collect()
    } else {
        days
    };
    let x_range = (pos[0], pos[pos.len() - 1]);
    let x_scale = Scale::new(x_range, (x0, x1));
    let xs: Vec<f64> = pos.iter().map(|p| x_scale.px(*p)).collect();

    let desc = subst(
        t!(locale, "trend.desc"),
        &[
            ("count", &points.len().to_string()),
            ("from", &first.date.to_string()),
            ("to", &last_point.date.to_string()),
            ("return_from", &money(first.expected_return)),
            ("return_to", &money(last_point.expected_return)),
            ("complete_from", &pct(first.completeness)),
            ("complete_to", &pct(last_point.completeness)),
        ],
    );
    let mut s = Svg::new("trend", WIDTH, height, title, &desc);
    s.heading(title, Some(&note));

    // Panel 1: expected return.
    let max = points
        .iter()
        .map(|p| p.expected_return)
        .fold(0.0_f64, f64::max);
    let ((lo, hi), ticks) = money_axis(max);
    let y_return = |v: f64| {
        if hi > lo {
            return_bottom - (v - lo) / (hi - lo) * RETURN_H
        } else {
            return_bottom
        }
    };
    s.text(
        0.0,
        return_top - 10.0,
        t!(locale, "trend.return"),
        attrs!(r#"font-size="12" font-weight="bold" fill="{}""#, INK),
    );
    for t in &ticks {
        let y = y_return(*t);
        s.line(x0, y, x1, y, attrs!(r#"stroke="{}""#, GRID));
        s.label(
            0.0,
            y + 4.0,
            &money(*t),
            LEFT - 10.0,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
    }
    // Panel 2: checklist completeness, 0–100 %.
    let y_complete = |v: f64| complete_bottom - v.clamp(0.0, 1.0) * COMPLETE_H;
    s.text(
        0.0,
        complete_top - 10.0,
        t!(locale, "trend.completeness"),
        attrs!(r#"font-size="12" font-weight="bold" fill="{}""#, INK),
    );
    s.rect(
        x0,
        complete_top,
        x1 - x0,
        COMPLETE_H,
        attrs!(r#"fill="{}""#, SHADE),
    );
    for v in [0.0, 0.5, 1.0] {
        let y = y_complete(v);
        s.line(x0, y, x1, y, attrs!(r#"stroke="{}""#, GRID));
        s.text(
            LEFT - 10.0,
            y + 4.0,
            &pct(v),
            attrs!(r#"font-size="11" fill="{}" text-anchor="end""#, MUTED),
        );
    }
    // The time axis under the lower panel: the first and last dates, and
    // in between as many as fit.
    s.line(
        x0,
        complete_bottom,
        x1,
        complete_bottom,
        attrs!(r#"stroke="{}""#, AXIS),
    );
    let label_w = svg::text_width("2026-06-30", SMALL) + 12.0;
    let end = xs[xs.len() - 1];
    let mut labelled: Vec<usize> = Vec::new();
    for (i, x) in xs.iter().enumerate() {
        let clear_before = labelled.last().is_none_or(|j| x - xs[*j] >= label_w);
        let clear_after = i + 1 == xs.len() || end - x >= label_w;
        if clear_before && clear_after {
            labelled.push(i);
        }
    }
    for i in labelled {
        let x = xs[i];
        s.line(
            x,
            complete_bottom,
            x,
            complete_bottom + 4.0,
            attrs!(r#"stroke="{}""#, AXIS),
        );
        s.text(
            x,
            complete_bottom + 17.0,
            &points[i].date.to_string(),
            attrs!(r#"font-size="11" fill="{}" text-anchor="middle""#, MUTED),
        );
    }

    // The two series.
    let return_pts: Vec<plot::Point> = points
        .iter()
        .zip(&pos)
        .map(|(p, x)| (*x, y_return(p.expected_return)))
        .collect();
    let complete_pts: Vec<plot::Point> = points
        .iter()
        .zip(&pos)
        .map(|(p, x)| (*x, y_complete(p.completeness)))
        .collect();
    let series = |chart: &mut plot::Chart<'_, '_>| {
        if points.len() > 1 {
            chart.plotting_area().draw(&Styled::new(
                PathElement::new(return_pts.clone(), INK.plotters()),
                attrs!(r#"class="series-return" stroke="{}" stroke-width="2""#, INK),
            ))?;
            let mut steps = Vec::with_capacity(complete_pts.len() * 2);
            for (i, (x, y)) in complete_pts.iter().enumerate() {
                if i > 0 {
                    steps.push((*x, complete_pts[i - 1].1));
                }
                steps.push((*x, *y));
            }
            chart.plotting_area().draw(&Styled::new(
                PathElement::new(steps, PASS.plotters()),
                attrs!(
                    r#"class="series-completeness" stroke="{}" stroke-width="2""#,
                    PASS
                ),
            ))?;
        }
        for (i, p) in points.iter().enumerate() {
            let version = p
                .commit
                .clone()
                .unwrap_or_else(|| t!(locale, "trend.working_tree").to_owned());
            let tip = format!(
                "{} · {version} · {} {} · {} {}",
                p.date,
                t!(locale, "trend.return"),
                money(p.expected_return),
                t!(locale, "trend.completeness"),
                pct(p.completeness)
            );
            let group = format!(
                r#"class="point" data-date="{}" data-commit="{}" data-expected-return="{}" data-completeness="{}""#,
                p.date,
                xml(p.commit.as_deref().unwrap_or("")),
                num(p.expected_return),
                num(p.completeness * 100.0)
            );
            chart
                .plotting_area()
                .draw(&Tag::Group(group.into(), Some(tip)))?;
            chart.plotting_area().draw(&Styled::new(
                Circle::new(return_pts[i], 4, INK.plotters()),
                attrs!(r#"fill="{}" stroke="white" stroke-width="1.5""#, INK),
            ))?;
            chart.plotting_area().draw(&Styled::new(
                EmptyElement::at(complete_pts[i])
                    + Rectangle::new([(-3, -3), (4, 4)], PASS.plotters()),
                attrs!(r#"fill="{}" stroke="{}" stroke-width="1""#, PASS, INK),
            ))?;
            chart.plotting_area().draw(&Tag::EndGroup)?;
        }
        // The last values, right of the plot.
        let last = points.len() - 1;
        let dx = (x1 + 10.0 - xs[last]).round() as i32;
        chart.plotting_area().draw(&plot::label(
            return_pts[last],
            (dx, 4),
            &money(last_point.expected_return),
            RIGHT - 12.0,
            LABEL,
            attrs!(r#"font-size="12" font-weight="bold" fill="{}""#, INK).into(),
        ))?;
        chart.plotting_area().draw(&plot::text(
            complete_pts[last],
            (dx, 4),
            &pct(last_point.completeness),
            attrs!(r#"font-size="12" font-weight="bold" fill="{}""#, INK).into(),
            None,
        ))?;
        Ok(())
    };
    plot::row_marks(s.body(), (WIDTH, height), (x0, x1), x_range, series);
    if points.len() == 1 {
        s.text(
            x0,
            height - 2.0,
            t!(locale, "trend.one_version"),
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
    }

    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;
    use crate::model::Date;

    fn point(date: &str, ret: f64, complete: f64) -> TrendPoint {
        TrendPoint {
            date: Date::parse(date).unwrap(),
            commit: Some(format!("c{}", &date[5..7])),
            expected_return: ret,
            total_cost: 0.0,
            completeness: complete,
        }
    }

    #[test]
    fn no_history_says_so_in_one_sentence() {
        let html = trend(&[], "CNY", &Locale::new(Language::En));
        assert!(html.starts_with("<p class=\"chart-empty chart-empty-trend\">"));
        assert!(html.contains("commit the plan"));
    }

    #[test]
    fn one_point_per_version_with_its_data() {
        let points = [
            point("2026-01-05", 1_800_000.0, 4.0 / 6.0),
            point("2026-02-10", 1_800_000.0, 5.0 / 6.0),
            point("2026-04-20", 600_000.0, 1.0),
        ];
        let html = trend(&points, "CNY", &Locale::new(Language::En));
        assert!(
            html.starts_with("<svg") && html.ends_with("</svg>"),
            "{html}"
        );
        assert_eq!(html.matches(r#"<g class="point""#).count(), 3);
        assert!(html.contains(r#"data-date="2026-02-10" data-commit="c02" data-expected-return="1800000" data-completeness="83.3""#));
        assert!(html.contains("<desc>") && html.contains("role=\"img\""));
        // Points sit at their dates: February is nearer January than April.
        let x = |d: &str| {
            let at = html.find(&format!("data-date=\"{d}\"")).unwrap();
            let c = html[at..].find("<circle cx=\"").unwrap() + at + 12;
            html[c..c + 10]
                .split('"')
                .next()
                .unwrap()
                .parse::<f64>()
                .unwrap()
        };
        assert!(x("2026-02-10") - x("2026-01-05") < x("2026-04-20") - x("2026-02-10"));
        assert_eq!(html, trend(&points, "CNY", &Locale::new(Language::En)));
    }

    #[test]
    fn crowded_commits_are_spaced_evenly() {
        let points = [
            point("2026-01-05", 1.0, 1.0),
            point("2026-01-05", 2.0, 1.0),
            point("2026-01-05", 3.0, 1.0),
        ];
        let html = trend(&points, "CNY", &Locale::new(Language::ZhCn));
        assert_eq!(html.matches(r#"<g class="point""#).count(), 3);
        assert!(html.contains(r#"<circle cx="96""#) && html.contains(r#"<circle cx="610""#));
    }
}
