//! Cost versus return: "when does this pay back?"
//!
//! Cumulative cost and cumulative expected return by period, periods
//! ordered by date (a quarter counts as its last day), with the same rules
//! as [`crate::figures`]: costs without a period count up front, returns
//! without a period are not counted (a note says how much is left out).
//! Periods after the plan's end are shaded; the payback period is marked.

use plotters::element::{Circle, EmptyElement, PathElement, Rectangle};
use plotters::style::Color;

use super::backend::{Styled, Tag};
use super::money_axis;
use super::palette::{COST, FAIL, INK, MUTED, PAPER, RETURN, SHADE};
use super::plot::{self, Area, Axis};
use super::svg::{self, HEAD, SMALL, Svg, text_width};
use crate::figures::{Cashflow, Figures};
use crate::i18n::Locale;
use crate::model::{Period, Plan};
use crate::text::subst;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 340.0;
/// The widest an amount on the y axis may be: a currency written out at
/// length, or an absurd amount, is cut with an ellipsis rather than pushing
/// the plot off the chart (the tables show the amounts in full).
const MAX_Y_LABEL: f64 = 200.0;

/// One point of the two cumulative lines.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Step {
    /// The period; `None` for costs spent up front.
    pub(super) period: Option<Period>,
    /// Cumulative cost up to and including this period.
    pub(super) cost: f64,
    /// Cumulative expected return up to and including this period.
    pub(super) ret: f64,
}

/// The cumulative steps, and the count and expected amount of returns
/// without a period.
pub(super) fn steps(plan: &Plan) -> (Vec<Step>, usize, f64) {
    let flow = Cashflow::of(plan);
    let mut out = Vec::with_capacity(flow.periods.len() + 1);
    if flow.upfront > 0.0 {
        out.push(Step {
            period: None,
            cost: flow.upfront,
            ret: 0.0,
        });
    }
    let (mut cost, mut ret) = (flow.upfront, 0.0);
    // The axis is continuous: every quarter between the first and the last
    // period is a step, a quarter with nothing in it carrying the sums on
    // (2026-Q4 is not drawn beside 2027-Q4). A span beyond MAX_QUARTERS is
    // a typo in a year; it is drawn as written rather than as a century.
    let span = match (flow.periods.first(), flow.periods.last()) {
        (Some(a), Some(b)) => quarter_index(b.0) - quarter_index(a.0),
        _ => 0,
    };
    let fill = span <= MAX_QUARTERS;
    let mut last: Option<i64> = None;
    for (period, c, r) in flow.periods {
        let here = quarter_index(period);
        if let Some(prev) = last.filter(|_| fill) {
            for q in prev + 1..here {
                out.push(Step {
                    period: Some(quarter_of_index(q)),
                    cost,
                    ret,
                });
            }
        }
        last = Some(here);
        cost += c;
        ret += r;
        out.push(Step {
            period: Some(period),
            cost,
            ret,
        });
    }
    (out, flow.unscheduled, flow.unscheduled_amount)
}

/// The widest span of quarters the axis fills in (twenty years).
const MAX_QUARTERS: i64 = 80;

/// The quarter a period falls in, counted from year 0.
fn quarter_index(p: Period) -> i64 {
    let end = p.end();
    i64::from(end.year) * 4 + i64::from((end.month.max(1) - 1) / 3)
}

/// The quarter of [`quarter_index`] `q`.
fn quarter_of_index(q: i64) -> Period {
    Period::Quarter {
        year: q.div_euclid(4) as i32,
        quarter: (q.rem_euclid(4) + 1) as u8,
    }
}

/// The cost-versus-return chart of `plan`, amounts in `currency`; an ROI
/// below `min_roi` (`[thresholds]`) is called out under the title.
pub fn cost_return(
    plan: &Plan,
    figures: &Figures,
    currency: &str,
    min_roi: f64,
    locale: &Locale,
) -> String {
    let (steps, undated, undated_amount) = steps(plan);
    if steps.is_empty() || steps.iter().all(|s| s.cost == 0.0 && s.ret == 0.0) {
        return svg::empty("cost-return", t!(locale, "cost_return.empty"));
    }
    let money = |v: f64| locale.money(v, currency);
    let roi = figures
        .roi
        .map_or_else(|| "—".to_owned(), |r| locale.percent(r));
    let title = subst(t!(locale, "cost_return.title"), &[("roi", &roi)]);
    let alert = figures.roi.filter(|r| *r < min_roi).map(|_| {
        subst(
            t!(locale, "cost_return.below_min"),
            &[("min", &locale.percent(min_roi))],
        )
    });
    let last_label = period_label(locale, steps.last().and_then(|s| s.period));
    let payback_at = figures.payback.and_then(|p| {
        steps
            .iter()
            .position(|s| s.period.is_some_and(|q| q.end() == p.end()))
    });
    let note = match (figures.payback, payback_at) {
        (Some(p), Some(_)) => subst(
            t!(locale, "cost_return.payback"),
            &[("period", &p.to_string())],
        ),
        _ => subst(
            t!(locale, "cost_return.no_payback"),
            &[("period", &last_label)],
        ),
    };

    let total_cost = steps.last().map_or(0.0, |s| s.cost);
    let total_ret = steps.last().map_or(0.0, |s| s.ret);
    let ((lo, hi), ticks) = money_axis(total_cost.max(total_ret));
    // Formatted once, for the axis width and for plotters.
    let y_label = |v: f64| svg::fitted(&money(v), MAX_Y_LABEL, SMALL);
    let y_labels: Vec<String> = ticks.iter().map(|v| y_label(*v)).collect();
    let y_label_width = y_labels
        .iter()
        .map(|l| text_width(l, SMALL))
        .fold(0.0, f64::max);
    let footnote = (undated > 0).then(|| {
        subst(
            t!(locale, "cost_return.undated"),
            &[
                ("count", &undated.to_string()),
                ("amount", &money(undated_amount)),
            ],
        )
    });
    let bottom = HEIGHT - 34.0 - if footnote.is_some() { 18.0 } else { 0.0 };
    let area = Area {
        left: (y_label_width + 12.0).ceil() as u32,
        top: (HEAD + 24.0) as u32,
        right: (WIDTH - 150.0) as u32,
        bottom: bottom as u32,
    };

    let n = steps.len();
    let labels: Vec<String> = steps
        .iter()
        .map(|s| period_label(locale, s.period))
        .collect();
    let plot_width = f64::from(area.right - area.left);
    let widest = labels
        .iter()
        .map(|l| text_width(l, SMALL))
        .fold(0.0, f64::max)
        + 8.0;
    let every = ((widest * n as f64) / plot_width).ceil().max(1.0) as usize;
    let x_ticks: Vec<f64> = (0..n)
        .filter(|i| i % every == 0 || *i == n - 1 && (n - 1) % every >= every / 2)
        .map(|i| i as f64)
        .collect();
    let x_format = |v: f64| labels.get(v.round() as usize).cloned().unwrap_or_default();
    let y_format = |v: f64| {
        ticks
            .iter()
            .position(|t| *t == v)
            .map_or_else(|| y_label(v), |i| y_labels[i].clone())
    };
    let x_axis = Axis {
        range: (-0.5, n as f64 - 0.5),
        ticks: x_ticks,
        format: &x_format,
        grid: false,
    };
    let y_axis = Axis {
        range: (lo, hi),
        ticks: ticks.clone(),
        format: &y_format,
        grid: true,
    };
    // Periods after the plan's horizon: returns may land there.
    let plan_end = plan
        .period
        .as_ref()
        .and_then(|p| p.end.as_ref())
        .map(|d| d.value);
    let first_after = plan_end.and_then(|end| {
        steps
            .iter()
            .position(|s| s.period.is_some_and(|p| p.end() > end))
    });
    let at = |i: usize, v: f64| (i as f64, v);
    let shade = |chart: &mut plot::Chart<'_, '_>| {
        if let Some(first) = first_after {
            let x0 = first as f64 - 0.5;
            chart.plotting_area().draw(&Styled::new(
                Rectangle::new([(x0, hi), (n as f64 - 0.5, lo)], SHADE.plotters().filled()),
                attrs!(r#"fill="{}""#, SHADE),
            ))?;
            chart.plotting_area().draw(&plot::text(
                (x0, hi),
                (4, -4),
                t!(locale, "cost_return.after_plan"),
                attrs!(r#"font-size="11" fill="{}""#, MUTED).into(),
                None,
            ))?;
        }
        Ok(())
    };
    let series =
        |chart: &mut plot::Chart<'_, '_>| {
            if let Some(i) = payback_at {
                chart.plotting_area().draw(&Styled::new(
                    PathElement::<plot::Point>::new([at(i, lo), at(i, hi)], INK.plotters()),
                    attrs!(
                        r#"stroke="{}" stroke-width="1" stroke-dasharray="3 3""#,
                        INK
                    ),
                ))?;
                chart.plotting_area().draw(&Styled::new(
                    Circle::new(at(i, steps[i].ret), 8, INK.plotters()),
                    attrs!(r#"fill="none" stroke="{}" stroke-width="1.5""#, INK),
                ))?;
                let label = t!(locale, "cost_return.payback_mark");
                let x = f64::from(chart.backend_coord(&at(i, hi)).0);
                let (dx, style) = if x + text_width(label, SMALL) + 6.0 > f64::from(area.right) {
                    (
                        -4,
                        attrs!(
                            r#"font-size="11" font-weight="bold" fill="{}" text-anchor="end""#,
                            INK
                        ),
                    )
                } else {
                    (
                        4,
                        attrs!(
                            r#"font-size="11" font-weight="bold" fill="{}" text-anchor="start""#,
                            INK
                        ),
                    )
                };
                chart.plotting_area().draw(&plot::text(
                    at(i, hi),
                    (dx, 12),
                    label,
                    style.into(),
                    None,
                ))?;
            }
            let cost = t!(locale, "cost_return.cost");
            let ret = t!(locale, "cost_return.return");
            chart
                .plotting_area()
                .draw(&Tag::Group(r#"class="series series-cost""#.into(), None))?;
            chart.plotting_area().draw(&Styled::new(
                PathElement::<plot::Point>::new(
                    steps
                        .iter()
                        .enumerate()
                        .map(|(i, st)| at(i, st.cost))
                        .collect::<Vec<_>>(),
                    COST.plotters(),
                ),
                attrs!(
                    r#"stroke="{}" stroke-width="2.5" stroke-linejoin="round""#,
                    COST
                ),
            ))?;
            for (i, st) in steps.iter().enumerate() {
                let tip = [&labels[i], " · ", cost, " ", &money(st.cost)].concat();
                chart
                    .plotting_area()
                    .draw(&Tag::Group("".into(), Some(tip)))?;
                chart.plotting_area().draw(&Styled::new(
                    EmptyElement::at(at(i, st.cost))
                        + Rectangle::new([(-4, -4), (4, 4)], COST.plotters().filled()),
                    attrs!(r#"fill="{}""#, COST),
                ))?;
                chart.plotting_area().draw(&Tag::EndGroup)?;
            }
            chart.plotting_area().draw(&Tag::EndGroup)?;
            chart
                .plotting_area()
                .draw(&Tag::Group(r#"class="series series-return""#.into(), None))?;
            chart.plotting_area().draw(&Styled::new(
            PathElement::<plot::Point>::new(
                steps.iter().enumerate().map(|(i, st)| at(i, st.ret)).collect::<Vec<_>>(),
                RETURN.plotters(),
            ),
            attrs!(
                r#"stroke="{}" stroke-width="2.5" stroke-dasharray="7 4" stroke-linejoin="round""#,
                RETURN
            ),
        ))?;
            for (i, st) in steps.iter().enumerate() {
                let tip = [&labels[i], " · ", ret, " ", &money(st.ret)].concat();
                chart
                    .plotting_area()
                    .draw(&Tag::Group("".into(), Some(tip)))?;
                chart.plotting_area().draw(&Styled::new(
                    Circle::new(at(i, st.ret), 5, RETURN.plotters()),
                    attrs!(r#"fill="{}" stroke="{}" stroke-width="2""#, PAPER, RETURN),
                ))?;
                chart.plotting_area().draw(&Tag::EndGroup)?;
            }
            chart.plotting_area().draw(&Tag::EndGroup)?;

            // Direct labels at the ends of the lines, pushed apart when close.
            let last = n - 1;
            let (end_x, yc0) = chart.backend_coord(&at(last, total_cost));
            let yr0 = chart.backend_coord(&at(last, total_ret)).1;
            let (mut yc, mut yr) = (f64::from(yc0), f64::from(yr0));
            if (yc - yr).abs() < 30.0 {
                let mid = (yc + yr) / 2.0;
                let (up, down) = (mid - 15.0, mid + 15.0);
                if yc <= yr {
                    (yc, yr) = (up, down)
                } else {
                    (yr, yc) = (up, down)
                }
            }
            let label_width = WIDTH - f64::from(end_x) - 12.0;
            for (y, name, value, colour) in
                [(yc, cost, total_cost, COST), (yr, ret, total_ret, RETURN)]
            {
                // From the last cost point, to the pixel.
                let dy = (y - f64::from(yc0)).round() as i32;
                chart.plotting_area().draw(&plot::label(
                    at(last, total_cost),
                    (10, dy - 2),
                    name,
                    label_width,
                    SMALL,
                    [r#"font-size="11" fill=""#, colour.hex(), "\""]
                        .concat()
                        .into(),
                ))?;
                chart.plotting_area().draw(&plot::label(
                    at(last, total_cost),
                    (10, dy + 11),
                    &money(value),
                    label_width,
                    12.0,
                    attrs!(r#"font-size="12" font-weight="bold" fill="{}""#, INK).into(),
                ))?;
            }
            Ok(())
        };

    let desc = subst(
        t!(locale, "cost_return.desc"),
        &[
            ("cost", &money(total_cost)),
            ("return", &money(total_ret)),
            ("count", &n.to_string()),
            ("outcome", &note),
        ],
    );
    let label = match &alert {
        Some(a) => [&title, " · ", a, " · ", &note].concat(),
        None => [&title, " · ", &note].concat(),
    };
    let mut s = Svg::new("cost-return", WIDTH, HEIGHT, &label, &desc);
    s.heading(&title, Some(&note));
    if let Some(a) = &alert {
        // An alert, in words and in the fail colour, under the title.
        s.label(
            0.0,
            HEAD + 4.0,
            &["▼ ", a].concat(),
            WIDTH,
            SMALL,
            attrs!(
                r#"class="alert" font-size="11" font-weight="bold" fill="{}""#,
                FAIL
            ),
        );
    }
    plot::plot(
        s.body(),
        (WIDTH as u32, HEIGHT as u32),
        area,
        &x_axis,
        false,
        Some(&y_axis),
        shade,
        series,
    );
    if let Some(note) = &footnote {
        s.label(
            0.0,
            HEIGHT - 6.0,
            note,
            WIDTH,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
    }

    s.finish()
}

fn period_label(locale: &Locale, p: Option<Period>) -> String {
    p.map_or_else(
        || t!(locale, "cost_return.upfront").to_owned(),
        |p| p.to_string(),
    )
}
