//! Objectives progress: baseline → actual → target, one bullet per objective.
//!
//! Each objective has its own scale (they measure different things): a
//! light band up to the target, the actual value as a bar, the target as a
//! heavy tick and the baseline as a thin one. The values are written under
//! each bar; the share of the target reached and the due date beside it.

use super::palette::{INK, MUTED, PASS, SERIES, SHADE};
use super::svg::{self, HEAD, LABEL, SMALL, Svg, subst, text_width};
use crate::i18n::Locale;
use crate::model::{Objective, Plan};

const WIDTH: f64 = 720.0;
const LABEL_W: f64 = 200.0;
const RIGHT_W: f64 = 112.0;
const ROW: f64 = 48.0;
const BAR: f64 = 12.0;

/// How much of the target is reached: actual ÷ target for a goal that
/// grows, the way from baseline to target for one that shrinks (target
/// below baseline). `None` without target and actual.
pub(super) fn attainment(o: &Objective) -> Option<f64> {
    let target = o.target.as_ref()?.value;
    let actual = o.actual.as_ref()?.value;
    let baseline = o.baseline.as_ref().map_or(0.0, |b| b.value);
    let r = if target < baseline {
        (baseline - actual) / (baseline - target)
    } else if target != 0.0 {
        actual / target
    } else {
        return None;
    };
    r.is_finite().then_some(r)
}

/// A value in the objective's unit: money when the unit is the plan's
/// currency or another ISO 4217 code (three capital letters), else a number
/// with its unit.
pub(super) fn value(locale: &Locale, v: f64, unit: Option<&str>, currency: &str) -> String {
    locale.quantity(v, unit, currency)
}

/// The objectives chart of `plan`; an objective whose `unit` is `currency`
/// (the plan's currency) is shown as money.
pub fn objectives(plan: &Plan, currency: &str, locale: &Locale) -> String {
    if plan.objectives.is_empty() {
        return svg::empty("objectives", t!(locale, "objectives.empty"));
    }
    let top = HEAD + 10.0;
    let bottom = top + plan.objectives.len() as f64 * ROW;
    let height = bottom + 26.0;
    let reached = plan
        .objectives
        .iter()
        .filter(|o| attainment(o).is_some_and(|a| a >= 1.0))
        .count();
    let note = subst(
        t!(locale, "objectives.reached"),
        &[
            ("reached", &reached.to_string()),
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
    let mut s = Svg::new("objectives", WIDTH, height, title, &desc);
    s.heading(title, Some(&note));

    let (bx0, bx1) = (LABEL_W, WIDTH - RIGHT_W - 8.0);
    let right_x = WIDTH - RIGHT_W + 4.0;
    for (k, o) in plan.objectives.iter().enumerate() {
        let y = top + k as f64 * ROW;
        let cy = y + 14.0;
        let name = o
            .title
            .as_ref()
            .map(|t| t.value.as_str())
            .or_else(|| o.id.as_ref().map(|i| i.value.0.as_str()))
            .unwrap_or_default();
        let unit = o.unit.as_ref().map(|u| u.value.as_str());
        let fmt = |v: f64| value(locale, v, unit, currency);
        let baseline = o.baseline.as_ref().map(|b| b.value);
        let actual = o.actual.as_ref().map(|a| a.value);
        let target = o.target.as_ref().map(|a| a.value);
        // "baseline … → actual … → target …", the baseline only when known.
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

        // This row's scale: zero (or below) to a little past the largest value.
        let all = [Some(0.0), baseline, actual, target];
        let lo = all.iter().flatten().fold(0.0_f64, |a, v| a.min(*v));
        let hi = all.iter().flatten().fold(0.0_f64, |a, v| a.max(*v)) * 1.06;
        let px = |v: f64| {
            if hi > lo {
                bx0 + (v - lo) / (hi - lo) * (bx1 - bx0)
            } else {
                bx0
            }
        };

        s.open_group(r#"class="objective""#);
        match &o.metric {
            Some(metric) => s.tooltip(name, &[(" · ", &metric.value), (" · ", &values)]),
            None => s.tooltip(name, &[(" · ", &values)]),
        }
        s.label(
            0.0,
            cy + 4.0,
            name,
            LABEL_W - 12.0,
            LABEL,
            attrs!(r#"font-size="12" fill="{}""#, INK),
        );
        if let Some(metric) = &o.metric {
            s.label(
                0.0,
                cy + 21.0,
                metric,
                LABEL_W - 12.0,
                SMALL,
                attrs!(r#"font-size="11" fill="{}""#, MUTED),
            );
        }
        let band_end = target.map_or(bx1, px);
        s.rect(
            bx0,
            cy - BAR / 2.0 - 4.0,
            band_end - bx0,
            BAR + 8.0,
            attrs!(r#"fill="{}""#, SHADE),
        );
        let attained = attainment(o);
        if let Some(a) = actual {
            let (l, r) = if a >= 0.0 {
                (px(0.0), px(a))
            } else {
                (px(a), px(0.0))
            };
            let colour = if attained.is_some_and(|x| x >= 1.0) {
                PASS
            } else {
                SERIES
            };
            s.rect(
                l,
                cy - BAR / 2.0,
                (r - l).max(1.5),
                BAR,
                [r#"class="bar" fill=""#, colour.hex(), "\""],
            );
        }
        if let Some(b) = baseline {
            let x = px(b);
            s.line(
                x,
                cy - 9.0,
                x,
                cy + 9.0,
                attrs!(r#"class="baseline" stroke="{}" stroke-width="2""#, MUTED),
            );
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
        s.label(
            bx0,
            cy + 24.0,
            &values,
            bx1 - bx0 + 6.0,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
        let pct = attained.map_or_else(|| "—".to_owned(), |a| locale.percent(a));
        let mark = if attained.is_some_and(|a| a >= 1.0) {
            " ✓"
        } else {
            ""
        };
        s.text(
            right_x,
            cy + 5.0,
            &[&pct, mark].concat(),
            attrs!(r#"font-size="14" font-weight="bold" fill="{}""#, INK),
        );
        if let Some(due) = &o.due {
            let label = subst(
                t!(locale, "objectives.due"),
                &[("date", &due.value.to_string())],
            );
            s.label(
                right_x,
                cy + 21.0,
                &label,
                RIGHT_W - 6.0,
                SMALL,
                attrs!(r#"font-size="11" fill="{}""#, MUTED),
            );
        }
        s.close_group();
    }

    // Legend.
    let y = height - 8.0;
    let text = attrs!(r#"font-size="11" fill="{}""#, MUTED);
    let mut x = bx0;
    s.rect(x, y - 9.0, 14.0, 9.0, attrs!(r#"fill="{}""#, SERIES));
    let label = t!(locale, "objectives.actual");
    s.text(x + 18.0, y, label, text);
    x += 18.0 + text_width(label, SMALL) + 16.0;
    s.line(
        x + 3.0,
        y - 11.0,
        x + 3.0,
        y + 1.0,
        attrs!(r#"stroke="{}" stroke-width="3""#, INK),
    );
    let label = t!(locale, "objectives.target");
    s.text(x + 10.0, y, label, text);
    x += 10.0 + text_width(label, SMALL) + 16.0;
    s.line(
        x + 2.0,
        y - 10.0,
        x + 2.0,
        y,
        attrs!(r#"stroke="{}" stroke-width="2""#, MUTED),
    );
    let label = t!(locale, "objectives.baseline");
    s.text(x + 9.0, y, label, text);
    x += 9.0 + text_width(label, SMALL) + 16.0;
    s.text(x, y, t!(locale, "objectives.attainment"), text);

    s.finish()
}
