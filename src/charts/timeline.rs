//! Timeline: "what happens when?"
//!
//! One row per dated action, a bar from its start (or its due date) to its
//! due date, coloured and patterned by status, the status written beside it;
//! milestones as diamonds (filled once done); the plan period shaded; a
//! today line. Open actions past their due date are overdue: a heavy red
//! outline, a warning sign and "overdue N days" in words.

use std::borrow::Cow;

use super::palette::{
    BLOCKED, DONE, DROPPED, IN_PROGRESS, INK, MILESTONE, MUTED, OVERDUE, PAPER, PLANNED, SHADE,
    TODAY,
};
use super::plot::{self, Area, Axis};
use super::svg::{self, BOLD, HEAD, LABEL, SMALL, Svg, diamond, text_width};
use super::{Fit, all_named, name_or_id};
use crate::config::Language;
use crate::i18n::Locale;
use crate::model::{Action, Date, Milestone, Plan, Status};
use crate::text::subst;

const LABEL_W: f64 = 190.0;
const STATUS_W: f64 = 104.0;
const ROW: f64 = 22.0;
const BAR: f64 = 12.0;
const AXIS_H: f64 = 40.0;

/// An action's status (default `planned`) and whether it is overdue.
pub(super) fn status_of(a: &Action, today: Date) -> (Status, bool) {
    let status = a.status_or_planned();
    let overdue = a.overdue(today);
    (status, overdue)
}

/// The dated actions in the order they are drawn: by start (or due), then due.
pub(super) fn dated_actions(plan: &Plan) -> Vec<&Action> {
    let mut actions: Vec<(usize, &Action)> = plan
        .actions
        .iter()
        .enumerate()
        .filter(|(_, a)| a.due.is_some())
        .collect();
    actions.sort_by_key(|(i, a)| (bar_start(a), a.due.as_ref().map(|d| d.value), *i));
    actions.into_iter().map(|(_, a)| a).collect()
}

fn bar_start(a: &Action) -> Option<Date> {
    let due = a.due.as_ref().map(|d| d.value);
    a.start
        .as_ref()
        .map(|s| s.value)
        .filter(|s| due.is_none_or(|d| *s <= d))
        .or(due)
}

fn day(d: Date) -> f64 {
    d.days_since_epoch() as f64
}

fn month_start(d: Date) -> Date {
    Date { day: 1, ..d }
}

fn next_month(d: Date) -> Date {
    if d.month == 12 {
        Date {
            year: d.year + 1,
            month: 1,
            day: 1,
        }
    } else {
        Date {
            month: d.month + 1,
            day: 1,
            ..d
        }
    }
}

fn month_label(locale: &Locale, d: Date) -> String {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match locale.language {
        Language::ZhCn => format!("{}月", d.month),
        Language::En => EN[usize::from(d.month - 1)].to_owned(),
    }
}

fn year_label(locale: &Locale, year: i32) -> String {
    match locale.language {
        Language::ZhCn => format!("{year}年"),
        Language::En => year.to_string(),
    }
}

/// The timeline of `plan` as of `today`.
pub fn timeline(plan: &Plan, today: Date, locale: &Locale) -> String {
    if dated_actions(plan).is_empty() && plan.milestones.iter().all(|m| m.date.is_none()) {
        return svg::empty("timeline", t!(locale, "timeline.empty"));
    }
    // The theme sets the timeline beside the milestones: one drawing, a row wide.
    draw(plan, today, locale, Fit::ROW)
}

/// The timeline at `fit`.
fn draw(plan: &Plan, today: Date, locale: &Locale, fit: Fit) -> String {
    let (width, label_w) = (fit.width, LABEL_W + fit.label_extra);
    let actions = dated_actions(plan);
    let mut milestones: Vec<(usize, &Milestone)> = plan
        .milestones
        .iter()
        .enumerate()
        .filter(|(_, m)| m.date.is_some())
        .collect();
    milestones.sort_by_key(|(i, m)| (m.date.as_ref().map(|d| d.value), *i));

    // The time range: every date shown, the plan period, and today when near.
    let period = plan
        .period
        .as_ref()
        .and_then(|p| Some((p.start.as_ref()?.value, p.end.as_ref()?.value)))
        .filter(|(s, e)| s <= e);
    let mut dates: Vec<Date> = Vec::new();
    for a in &actions {
        dates.extend(bar_start(a));
        dates.extend(a.due.as_ref().map(|d| d.value));
    }
    dates.extend(
        milestones
            .iter()
            .filter_map(|(_, m)| m.date.as_ref().map(|d| d.value)),
    );
    dates.extend(period.iter().flat_map(|(s, e)| [*s, *e]));
    let (mut lo, mut hi) = (
        dates.iter().min().copied().unwrap_or(today),
        dates.iter().max().copied().unwrap_or(today),
    );
    let today_shown = lo.days_until(today) >= -92 && today.days_until(hi) >= -92;
    if today_shown {
        lo = lo.min(today);
        hi = hi.max(today);
    }
    let lo = month_start(lo);
    let hi = next_month(hi);
    // Months counted from year 0, so ticks can be stepped without a list.
    let index = |d: Date| i64::from(d.year) * 12 + i64::from(d.month) - 1;
    let (lo_month, hi_month) = (index(lo), index(hi));

    let overdue_count = actions.iter().filter(|a| status_of(a, today).1).count();
    let undated = plan.actions.len() - actions.len();
    let rows = actions.len()
        + milestones.len()
        + usize::from(!actions.is_empty())
        + usize::from(!milestones.is_empty());
    let top = HEAD + AXIS_H;
    let bottom = top + rows as f64 * ROW + 6.0;
    let height = bottom + 44.0 + if undated > 0 { 16.0 } else { 0.0 };
    let area = Area {
        left: label_w as u32,
        top: top as u32,
        right: (width - STATUS_W) as u32,
        bottom: bottom as u32,
    };

    // Month ticks, thinned so labels do not collide; the year on January
    // and on the first tick.
    let per_label = 38.0;
    let months = (hi_month - lo_month).max(1);
    let every = ((months as f64 * per_label) / f64::from(area.right - area.left))
        .ceil()
        .max(1.0) as i64;
    let every = [1, 2, 3, 6, 12]
        .into_iter()
        .find(|e| *e >= every)
        .unwrap_or((every + 11) / 12 * 12);
    let ticks: Vec<f64> = (lo_month.div_euclid(every) + i64::from(lo_month.rem_euclid(every) != 0)
        ..=hi_month.div_euclid(every))
        .map(|k| {
            let m = k * every;
            let year = i32::try_from(m.div_euclid(12)).unwrap_or_default();
            day(Date {
                year,
                month: m.rem_euclid(12) as u8 + 1,
                day: 1,
            })
        })
        .collect();
    // The first tick names its year, unless the next tick is a January that does.
    // Years on a tier of their own above the months: at the first tick and
    // at each January (or alone, when ticks are a year or more apart).
    let years: Vec<(f64, i32)> = if every >= 12 {
        Vec::new()
    } else {
        ticks
            .iter()
            .enumerate()
            .map(|(k, v)| (k, *v, Date::from_days_since_epoch(*v as i64)))
            .filter(|(k, _, d)| *k == 0 || d.month == 1)
            .map(|(_, v, d)| (v, d.year))
            .collect()
    };
    let format = |v: f64| {
        let d = Date::from_days_since_epoch(v as i64);
        if every >= 12 {
            year_label(locale, d.year)
        } else {
            month_label(locale, d)
        }
    };
    let x_axis = Axis {
        range: (day(lo), day(hi)),
        ticks,
        format: &format,
        grid: true,
    };
    let mut plotted = String::new();
    plot::plot(
        &mut plotted,
        (width as u32, height as u32),
        area,
        &x_axis,
        true,
        None,
        |_| Ok(()),
        |_| Ok(()),
    );
    let (xs, _) = area.scales(&x_axis, None);

    let note = if overdue_count > 0 {
        subst(
            t!(locale, "timeline.overdue_note"),
            &[("count", &overdue_count.to_string())],
        )
    } else {
        t!(locale, "timeline.on_time").to_owned()
    };
    let title = t!(locale, "timeline.title");
    let desc = subst(
        t!(locale, "timeline.desc"),
        &[
            ("actions", &actions.len().to_string()),
            ("milestones", &milestones.len().to_string()),
            ("note", &note),
        ],
    );
    let mut s = Svg::new(&fit.name("timeline"), width, height, title, &desc);
    // The blocked bars' hatching, under an id of this drawing's own.
    s.defs(&format!(
        r#"<pattern id="k-hatch-blocked{}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{BLOCKED}"/><line x1="0" y1="0" x2="0" y2="6" stroke="{PAPER}" stroke-width="2.5"/></pattern>"#,
        fit.id
    ));
    let hatch = format!(r#"fill="url(#k-hatch-blocked{})""#, fit.id);
    s.heading(title, Some(&note));
    let (plot_l, plot_r) = (f64::from(area.left), f64::from(area.right));
    if let Some((ps, pe)) = period {
        let (x0, x1) = (xs.px(day(ps)).max(plot_l), xs.px(day(pe) + 1.0).min(plot_r));
        s.rect(
            x0,
            top,
            x1 - x0,
            bottom - top,
            attrs!(r#"fill="{}""#, SHADE),
        );
    }
    s.raw(&plotted);
    // Bold, so a later year does not read as a continuation of the months.
    for (k, (v, year)) in years.iter().enumerate() {
        let x = xs.px(*v);
        let label = year_label(locale, *year);
        // The first tick's year gives way to a January close behind it.
        if k == 0
            && years
                .get(1)
                .is_some_and(|(next, _)| xs.px(*next) - x < text_width(&label, SMALL) + 8.0)
        {
            continue;
        }
        s.text(
            x,
            top - 20.0,
            &label,
            attrs!(
                r#"font-size="11" font-weight="bold" fill="{}" text-anchor="middle""#,
                MUTED
            ),
        );
    }

    let status_names = all_named::<Status>(locale, "status");
    let mut y = top;
    let status_x = plot_r + 8.0;
    let header = |s: &mut Svg, y: f64, text: &str| {
        s.text(
            0.0,
            y + ROW / 2.0 + 4.0,
            text,
            attrs!(r#"font-size="11" font-weight="bold" fill="{}""#, MUTED),
        );
    };
    if !actions.is_empty() {
        header(&mut s, y, t!(locale, "timeline.actions"));
        y += ROW;
    }
    for a in &actions {
        let (status, overdue) = status_of(a, today);
        let due = a.due.as_ref().map_or(today, |d| d.value);
        let start = bar_start(a).unwrap_or(due);
        let (x0, x1) = (xs.px(day(start)), xs.px(day(due) + 1.0));
        let (x0, x1) = (x0, x1.max(x0 + 4.0));
        let cy = y + ROW / 2.0;
        let title = name_or_id(a.title.as_ref(), a.id.as_ref()).unwrap_or_default();
        let status_text = if overdue {
            subst(
                t!(locale, "timeline.overdue_days"),
                &[("days", &due.days_until(today).to_string())],
            )
            .into()
        } else {
            Cow::Borrowed(&*status_names[status as usize])
        };
        let (start_text, due_text) = (start.to_string(), due.to_string());
        let owner = a.owner.as_ref().map(|o| o.value.0.as_str());
        s.open_group([
            r#"class="action status-"#,
            crate::model::Named::as_str(status),
            if overdue { r#" overdue""# } else { "\"" },
        ]);
        s.tooltip(
            title,
            &[
                (" · ", &start_text),
                (" – ", &due_text),
                (" · ", &status_text),
                (
                    if owner.is_some() { " · " } else { "" },
                    owner.unwrap_or_default(),
                ),
            ],
        );
        let (label_text, label_style, size) = if overdue {
            (
                Cow::Owned(["! ", title].concat()),
                attrs!(r#"font-size="12" fill="{}" font-weight="bold""#, OVERDUE),
                LABEL * BOLD,
            )
        } else if status == Status::Dropped {
            (
                Cow::Borrowed(title),
                attrs!(
                    r#"font-size="12" fill="{}" text-decoration="line-through""#,
                    MUTED
                ),
                LABEL,
            )
        } else {
            (
                Cow::Borrowed(title),
                attrs!(r#"font-size="12" fill="{}""#, INK),
                LABEL,
            )
        };
        s.label(
            0.0,
            cy + 4.0,
            &label_text,
            label_w - 12.0,
            size,
            label_style,
        );
        let (fill, stroke) = match status {
            Status::Planned => (
                attrs!(r#"fill="{}""#, PLANNED),
                attrs!(r#"stroke="{}" stroke-width="1""#, IN_PROGRESS),
            ),
            Status::InProgress => (attrs!(r#"fill="{}""#, IN_PROGRESS), ""),
            Status::Done => (attrs!(r#"fill="{}""#, DONE), ""),
            Status::Blocked => (
                hatch.as_str(),
                attrs!(r#"stroke="{}" stroke-width="1""#, BLOCKED),
            ),
            Status::Dropped => (attrs!(r#"fill="{}""#, DROPPED), ""),
        };
        let stroke = if overdue {
            attrs!(r#"stroke="{}" stroke-width="2.5""#, OVERDUE)
        } else {
            stroke
        };
        s.rect(
            x0,
            cy - BAR / 2.0,
            x1 - x0,
            BAR,
            [r#"class="bar" rx="2" "#, fill, " ", stroke],
        );
        if status == Status::Dropped {
            s.line(
                x0 - 2.0,
                cy,
                x1 + 2.0,
                cy,
                attrs!(r#"stroke="{}" stroke-width="1.2""#, MUTED),
            );
        }
        if status == Status::Done {
            s.text(
                x1 + 3.0,
                cy + 4.0,
                "✓",
                attrs!(r#"font-size="11" fill="{}" font-weight="bold""#, DONE),
            );
        }
        let status_style = if overdue {
            attrs!(r#"font-size="11" fill="{}" font-weight="bold""#, OVERDUE)
        } else {
            attrs!(r#"font-size="11" fill="{}""#, MUTED)
        };
        s.label(
            status_x,
            cy + 4.0,
            &status_text,
            width - status_x,
            SMALL,
            status_style,
        );
        s.close_group();
        y += ROW;
    }
    if !milestones.is_empty() {
        header(&mut s, y, t!(locale, "timeline.milestones"));
        y += ROW;
    }
    for (_, m) in &milestones {
        let date = m.date.as_ref().map_or(today, |d| d.value);
        let done = m.done.as_ref().is_some_and(|d| d.value);
        let cy = y + ROW / 2.0;
        let title = name_or_id(m.title.as_ref(), m.id.as_ref()).unwrap_or_default();
        s.open_group(r#"class="milestone""#);
        let date_text = date.to_string();
        let place = m.r#where.as_ref().map(|w| w.value.as_str());
        s.tooltip(
            title,
            &[
                (" · ", &date_text),
                (
                    if place.is_some() { " · " } else { "" },
                    place.unwrap_or_default(),
                ),
            ],
        );
        s.label(
            0.0,
            cy + 4.0,
            title,
            label_w - 12.0,
            LABEL,
            attrs!(r#"font-size="12" fill="{}""#, INK),
        );
        let x = xs.px(day(date) + 0.5);
        let style = if done {
            attrs!(
                r#"fill="{}" stroke="{}" stroke-width="1.8""#,
                MILESTONE,
                MILESTONE
            )
        } else {
            attrs!(
                r#"fill="{}" stroke="{}" stroke-width="1.8""#,
                PAPER,
                MILESTONE
            )
        };
        s.polygon(&diamond(x, cy, 7.0), style);
        s.label(
            status_x,
            cy + 4.0,
            &date_text,
            width - status_x,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
        s.close_group();
        y += ROW;
    }

    if today_shown {
        let x = xs.px(day(today) + 0.5);
        s.line(
            x,
            top - 4.0,
            x,
            bottom,
            attrs!(r#"class="today" stroke="{}" stroke-width="1.5""#, TODAY),
        );
        let label = subst(
            t!(locale, "timeline.today"),
            &[("date", &today.to_string())],
        );
        let w = text_width(&label, SMALL);
        let lx = (x - w / 2.0).clamp(plot_l, plot_r - w);
        s.text(
            lx,
            bottom + 13.0,
            &label,
            attrs!(r#"font-size="11" font-weight="bold" fill="{}""#, TODAY),
        );
    }

    legend(
        &mut s,
        locale,
        &status_names,
        (bottom + 34.0, &hatch),
        period.is_some(),
    );
    if undated > 0 {
        let note = subst(
            t!(locale, "timeline.undated"),
            &[("count", &undated.to_string())],
        );
        s.label(
            0.0,
            height - 4.0,
            &note,
            width,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
    }

    s.finish()
}

/// The legend at `y`; `hatch` fills blocked bars.
fn legend(
    s: &mut Svg,
    locale: &Locale,
    status_names: &[Cow<'_, str>],
    (y, hatch): (f64, &str),
    period: bool,
) {
    let mut x = 0.0;
    let text = attrs!(r#"font-size="11" fill="{}""#, MUTED);
    // `swatch` starts with `rx="2"`.
    let item = |s: &mut Svg, x: &mut f64, swatch: &str, label: &str| {
        s.rect(*x, y - 9.0, 16.0, 10.0, swatch);
        s.text(*x + 20.0, y, label, text);
        *x += 20.0 + text_width(label, SMALL) + 14.0;
    };
    for (status, swatch) in [
        (
            Status::Planned,
            attrs!(r#"rx="2" fill="{}" stroke="{}""#, PLANNED, IN_PROGRESS),
        ),
        (
            Status::InProgress,
            attrs!(r#"rx="2" fill="{}""#, IN_PROGRESS),
        ),
        (Status::Done, attrs!(r#"rx="2" fill="{}""#, DONE)),
        (
            Status::Blocked,
            &format!(r#"rx="2" {hatch} stroke="{BLOCKED}""#),
        ),
        (Status::Dropped, attrs!(r#"rx="2" fill="{}""#, DROPPED)),
    ] {
        item(s, &mut x, swatch, &status_names[status as usize]);
    }
    item(
        s,
        &mut x,
        attrs!(
            r#"rx="2" fill="{}" stroke="{}" stroke-width="2""#,
            PAPER,
            OVERDUE
        ),
        t!(locale, "timeline.overdue"),
    );
    s.polygon(
        &diamond(x + 7.0, y - 4.0, 6.0),
        attrs!(
            r#"fill="{}" stroke="{}" stroke-width="1.5""#,
            PAPER,
            MILESTONE
        ),
    );
    let label = t!(locale, "timeline.milestone");
    s.text(x + 18.0, y, label, text);
    x += 18.0 + text_width(label, SMALL) + 14.0;
    if period {
        item(
            s,
            &mut x,
            attrs!(r#"rx="2" fill="{}""#, SHADE),
            t!(locale, "timeline.plan_period"),
        );
    }
}
