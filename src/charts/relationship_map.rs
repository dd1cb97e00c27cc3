//! Relationship map: "who reports to whom, and whom have we reached?"
//!
//! The org chart built from `reports_to` as an outline, one box per
//! stakeholder, each report indented under their manager and joined to
//! them by a line: name, job title (wrapped onto a second line rather than
//! cut), role, attitude (colour strip and sign) and how long ago we last
//! had contact (`last_contact` or a visit, via
//! [`crate::figures::last_contact`]). The outline is [`WIDTH`] wide
//! whatever the size of the organisation and grows downwards, so a dozen
//! people or more stay readable; stakeholders without a reporting line
//! follow the trees. A legend explains the colours, outlines and dots.
//!
//! `reports_to` may point nowhere, at the person themself, or round in a
//! cycle: such links are cut (the person becomes a root) and the chart is
//! still drawn; nothing loops and nothing panics.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::palette::{AXIS, FAIL, INK, MUTED, PAPER, WARN};
use super::svg::{self, BOLD, HEAD, SMALL, Svg, text_width};
use super::{all_named, attitude_colour, attitude_sign, name_or_id};
use crate::figures::last_contact;
use crate::i18n::Locale;
use crate::model::{Attitude, BuyerRole, Date, Plan, Visit};
use crate::text::{num, subst};

/// Who on our team holds the relationship with `p` (its `coverage`): each
/// holder's name (their team id when the team does not name them) and level.
fn holders<'a>(
    plan: &'a Plan,
    p: &'a crate::model::Stakeholder,
) -> Vec<(&'a str, Option<crate::model::CoverageLevel>)> {
    p.coverage
        .iter()
        .filter_map(|c| {
            let by = c.by.as_ref()?;
            let member = plan
                .team
                .iter()
                .find(|m| m.id.as_ref().is_some_and(|i| i.value == by.value))
                .and_then(|m| m.name.as_ref())
                .map_or(by.as_str(), |n| n.value.trim());
            Some((member, c.level.as_ref().map(|l| l.value)))
        })
        .collect()
}

/// The box's line of holders: "↔ Zhang Wei, Chen Jie".
fn holders_line(plan: &Plan, p: &crate::model::Stakeholder, locale: &Locale) -> Option<String> {
    let names: Vec<&str> = holders(plan, p).into_iter().map(|(n, _)| n).collect();
    (!names.is_empty()).then(|| {
        format!(
            "{COVERED} {}",
            names.join(t!(locale, "common.list_separator"))
        )
    })
}

/// The mark of the line of holders, in the boxes and the legend.
const COVERED: &str = "↔";

/// Who on our team holds the relationship with `p`, for the box's tooltip:
/// "covered by Zhang Wei (Trusted), Chen Jie (Aware)".
fn covered_by(plan: &Plan, p: &crate::model::Stakeholder, locale: &Locale) -> Option<String> {
    let levels = all_named::<crate::model::CoverageLevel>(locale, "level");
    let names: Vec<String> = holders(plan, p)
        .into_iter()
        .map(|(member, level)| match level {
            Some(l) => subst(
                t!(locale, "relationship_map.covered_item"),
                &[("name", member), ("level", &levels[l as usize])],
            ),
            None => member.to_owned(),
        })
        .collect();
    (!names.is_empty()).then(|| {
        subst(
            t!(locale, "relationship_map.covered_by"),
            &[("names", &names.join(t!(locale, "common.list_separator")))],
        )
    })
}

/// The chart's width: half the content column of a desktop page.
pub(super) const WIDTH: f64 = 540.0;
/// The height of a box with a one-line job title.
const BOX_H: f64 = 42.0;
/// The height of a further line of job title.
const LINE: f64 = 14.0;
const ROW_GAP: f64 = 6.0;
/// The indent of each level of the hierarchy, less in deep ones so the
/// deepest stays within [`MAX_INDENT`].
const STEP: f64 = 20.0;
const MAX_INDENT: f64 = 160.0;
/// The right-hand column of a box: role, attitude sign, last contact.
const RIGHT_W: f64 = 150.0;
const MAX_DEPTH: usize = 24;
/// How old a last contact may be: within `fresh` days it is recent (a
/// filled dot), within `stale` days still current (half filled), older or
/// none is stale (hollow, in the alert colour). `stale` is `[thresholds]
/// contact_days` from kaplan.toml, the same days as
/// `who/decision-maker-not-engaged`; `fresh` is a third of it (30 of the
/// default 90).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Freshness {
    /// Days within which a contact is recent.
    pub(super) fresh: i64,
    /// Days after which a contact is stale.
    pub(super) stale: i64,
}

impl Freshness {
    /// The bands for `[thresholds] contact_days`.
    pub(super) fn of(contact_days: u32) -> Freshness {
        let stale = i64::from(contact_days);
        Freshness {
            fresh: stale / 3,
            stale,
        }
    }
}

/// The reporting forest: each stakeholder's manager after cutting bad links.
pub(super) fn parents(plan: &Plan) -> Vec<Option<usize>> {
    let n = plan.stakeholders.len();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, s) in plan.stakeholders.iter().enumerate() {
        if let Some(id) = &s.id {
            index.entry(id.as_str()).or_insert(i);
        }
    }
    let mut parent: Vec<Option<usize>> = plan
        .stakeholders
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.reports_to
                .as_ref()
                .and_then(|r| index.get(r.as_str()).copied())
                .filter(|p| *p != i)
        })
        .collect();
    // Walk down from the roots; whoever cannot be reached sits in (or under)
    // a cycle, and whoever sits too deep makes the chart unreadable: cut the
    // first such link in plan order, and walk again.
    loop {
        let children = children_of(&parent);
        let mut depth: Vec<Option<usize>> = vec![None; n];
        let mut stack: Vec<(usize, usize)> = (0..n)
            .filter(|i| parent[*i].is_none())
            .map(|i| (i, 0))
            .collect();
        let mut too_deep = None;
        while let Some((i, d)) = stack.pop() {
            depth[i] = Some(d);
            for &c in &children[i] {
                if d + 1 > MAX_DEPTH {
                    too_deep = Some(too_deep.map_or(c, |t: usize| t.min(c)));
                } else {
                    stack.push((c, d + 1));
                }
            }
        }
        match too_deep.or_else(|| depth.iter().position(Option::is_none)) {
            Some(i) => parent[i] = None,
            None => return parent,
        }
    }
}

fn children_of(parent: &[Option<usize>]) -> Vec<Vec<usize>> {
    let mut children = vec![Vec::new(); parent.len()];
    for (i, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    children
}

/// One stakeholder's row of the outline, placed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    /// The stakeholder's index in the plan.
    pub(super) index: usize,
    /// The left edge of the box: its depth in the hierarchy.
    pub(super) x: f64,
    /// The top of the box.
    pub(super) y: f64,
    /// The box's height: two lines, and one more for a job title's second
    /// line and for the line of our people who cover them.
    pub(super) height: f64,
    /// The job title in at most two lines (the second cut when it must be).
    pub(super) title: Vec<String>,
    /// Whether someone on our team covers them (a line of holders).
    pub(super) covered: bool,
}

/// The outline laid out: rows in reading order, the connectors, the top of
/// the people without a reporting line (if any) and the bottom of the rows.
#[derive(Debug, Default)]
pub(super) struct Outline {
    /// One row per stakeholder, top to bottom.
    pub(super) rows: Vec<Row>,
    /// Connector polylines, each from a manager's box to a report's.
    lines: Vec<Vec<(f64, f64)>>,
    /// The top of the people without a reporting line, when there are any.
    loners_top: Option<f64>,
    /// The bottom of the last row.
    bottom: f64,
}

/// The width of the title column of a box at `x`.
fn title_width(x: f64) -> f64 {
    WIDTH - x - 14.0 - RIGHT_W
}

/// Lays `plan` out as an outline: each tree from its root down, reports
/// indented under their manager in plan order, then the people without a
/// reporting line.
pub(super) fn layout(plan: &Plan) -> Outline {
    let parent = parents(plan);
    let children = children_of(&parent);
    let n = plan.stakeholders.len();
    // Depth first, in plan order; the depth of each row.
    let mut order: Vec<(usize, usize)> = Vec::with_capacity(n);
    let mut stack: Vec<(usize, usize)> = (0..n)
        .rev()
        .filter(|i| parent[*i].is_none() && !children[*i].is_empty())
        .map(|i| (i, 0))
        .collect();
    while let Some((i, d)) = stack.pop() {
        order.push((i, d));
        stack.extend(children[i].iter().rev().map(|c| (*c, d + 1)));
    }
    let trees = order.len();
    order.extend(
        (0..n)
            .filter(|i| parent[*i].is_none() && children[*i].is_empty())
            .map(|i| (i, 0)),
    );
    let deepest = order[..trees].iter().map(|(_, d)| *d).max().unwrap_or(0);
    let step = if deepest == 0 {
        STEP
    } else {
        (MAX_INDENT / deepest as f64).min(STEP)
    };

    let mut out = Outline::default();
    // Each stakeholder's row, and how far down each row's spine is drawn.
    let mut at: Vec<Option<usize>> = vec![None; n];
    let mut spine_end: Vec<Option<f64>> = vec![None; n];
    let mut y = HEAD + 8.0;
    for (k, (i, d)) in order.iter().enumerate() {
        if k == trees {
            y += if trees > 0 { 22.0 } else { 14.0 };
            out.loners_top = Some(y);
        }
        let x = *d as f64 * step;
        let title = plan.stakeholders[*i]
            .title
            .as_ref()
            .map_or_else(Vec::new, |t| svg::wrap(t, title_width(x), SMALL, 2));
        let covered = !plan.stakeholders[*i].coverage.is_empty();
        let lines = title.len() + usize::from(covered);
        let height = BOX_H + (lines.max(1) - 1) as f64 * LINE;
        if let Some(p) = parent[*i].and_then(|p| at[p]) {
            // Down the manager's spine from where the previous report
            // left it (the manager's box, for the first), then across.
            let manager: &Row = &out.rows[p];
            let spine = manager.x + step / 2.0;
            let mid = y + height / 2.0;
            let from = spine_end[p].unwrap_or(manager.y + manager.height);
            out.lines.push(vec![(spine, from), (spine, mid), (x, mid)]);
            spine_end[p] = Some(mid);
        }
        at[*i] = Some(out.rows.len());
        out.rows.push(Row {
            index: *i,
            x,
            y,
            height,
            title,
            covered,
        });
        y += height + ROW_GAP;
    }
    out.bottom = y;
    out
}

/// The relationship map of `plan`; contact freshness as of `today`, in the
/// bands of `contact_days` (`[thresholds]` in kaplan.toml).
pub fn relationship_map(
    plan: &Plan,
    visits: &[Visit],
    today: Date,
    contact_days: u32,
    locale: &Locale,
) -> String {
    let bands = Freshness::of(contact_days);
    let stale_days = bands.stale;
    if plan.stakeholders.is_empty() {
        return svg::empty("relationship-map", t!(locale, "relationship_map.empty"));
    }
    let outline = layout(plan);
    let contacts: Vec<Option<i64>> = plan
        .stakeholders
        .iter()
        .map(|p| last_contact(p, visits, today).map(|d| d.days_until(today)))
        .collect();
    let reached = contacts
        .iter()
        .filter(|d| d.is_some_and(|d| d <= stale_days))
        .count();
    let note = subst(
        t!(locale, "relationship_map.reached"),
        &[
            ("reached", &reached.to_string()),
            ("total", &plan.stakeholders.len().to_string()),
            ("days", &stale_days.to_string()),
        ],
    );
    let title = t!(locale, "relationship_map.title");
    let desc = subst(
        t!(locale, "relationship_map.desc"),
        &[
            ("count", &plan.stakeholders.len().to_string()),
            ("reached", &note),
        ],
    );
    let attitudes = all_named::<Attitude>(locale, "attitude");
    let any_covered = outline.rows.iter().any(|r| r.covered);
    let keys = legend_keys(locale, bands, &attitudes, any_covered);
    let widths: Vec<f64> = keys.iter().map(|(_, label)| key_width(label)).collect();
    let (spots, legend_h) = svg::flow(&widths, WIDTH);
    let legend_top = outline.bottom + 6.0;
    let height = legend_top + legend_h + 4.0;
    let mut s = Svg::new("relationship-map", WIDTH, height, title, &desc);
    s.heading(title, Some(&note));

    for line in &outline.lines {
        s.polyline(line, attrs!(r#"stroke="{}" stroke-width="1.2""#, AXIS));
    }
    if let Some(top) = outline.loners_top {
        let label = if outline.lines.is_empty() {
            t!(locale, "relationship_map.no_lines")
        } else {
            t!(locale, "relationship_map.loners")
        };
        s.label(
            0.0,
            top - 4.0,
            label,
            WIDTH,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
    }

    let roles = all_named::<BuyerRole>(locale, "role");
    let roles_short = all_named::<BuyerRole>(locale, "role_short");
    for row in &outline.rows {
        let p = &plan.stakeholders[row.index];
        let (x, y, w, h) = (row.x, row.y, WIDTH - row.x, row.height);
        let attitude = p.attitude.as_ref().map(|a| a.value);
        let role = p.role.as_ref().map(|r| r.value);
        let key = matches!(role, Some(BuyerRole::EconomicBuyer | BuyerRole::Coach));
        let name = name_or_id(p.name.as_ref(), p.id.as_ref()).unwrap_or("?");
        let attitude_name = attitude.map_or_else(
            || t!(locale, "attitude.unknown"),
            |a| &attitudes[a as usize],
        );
        let contact = contacts[row.index];
        let freshness: Cow<'_, str> = match contact {
            None => t!(locale, "relationship_map.never").into(),
            Some(0) => t!(locale, "relationship_map.today").into(),
            Some(d) => subst(
                t!(locale, "relationship_map.days_ago"),
                &[("days", &d.to_string())],
            )
            .into(),
        };
        let job = p.title.as_ref().map(|j| j.value.as_str());
        let role_name = role.map(|r| &*roles[r as usize]);
        let then = |part: Option<&str>| if part.is_some() { " · " } else { "" };
        let covered = covered_by(plan, p, locale);

        s.open_group(r#"class="person""#);
        s.tooltip(
            name,
            &[
                (then(job), job.unwrap_or_default()),
                (then(role_name), role_name.unwrap_or_default()),
                (" · ", attitude_name),
                (" · ", t!(locale, "relationship_map.last_contact")),
                (" ", &freshness),
                (
                    then(covered.as_deref()),
                    covered.as_deref().unwrap_or_default(),
                ),
            ],
        );
        s.rect(x, y, w, h, outline_style(attitude, key));
        s.rect(
            x + 1.0,
            y + 1.0,
            7.0,
            h - 2.0,
            [r#"rx="3" fill=""#, attitude_colour(attitude).hex(), "\""],
        );
        // Right column: the attitude sign and the role on the first line,
        // the last contact on the second.
        let right = x + w - 8.0;
        let sign = attitude_sign(attitude);
        s.text(
            right,
            y + 17.0,
            sign,
            attrs!(
                r#"font-size="12" font-weight="bold" fill="{}" text-anchor="end""#,
                INK
            ),
        );
        let sign_w = text_width(sign, 12.0 * BOLD) + 8.0;
        if let Some(r) = role {
            let style = if key {
                attrs!(
                    r#"font-size="11" font-weight="bold" fill="{}" text-anchor="end""#,
                    INK
                )
            } else {
                attrs!(r#"font-size="11" fill="{}" text-anchor="end""#, INK)
            };
            s.label(
                right - sign_w,
                y + 17.0,
                &roles_short[r as usize],
                RIGHT_W - sign_w,
                if key { SMALL * BOLD } else { SMALL },
                style,
            );
        }
        let stale = contact.is_none_or(|d| d > stale_days);
        let style = if stale {
            attrs!(r#"font-size="11" fill="{}" text-anchor="end""#, FAIL)
        } else {
            attrs!(r#"font-size="11" fill="{}" text-anchor="end""#, MUTED)
        };
        s.text(right, y + 33.0, &freshness, style);
        freshness_dot(
            &mut s,
            bands,
            right - text_width(&freshness, SMALL) - 7.0,
            y + 29.0,
            contact,
        );
        // Left: the name, then the job title in one or two lines.
        let text_x = x + 14.0;
        s.label(
            text_x,
            y + 17.0,
            name,
            title_width(x),
            13.0 * BOLD,
            attrs!(r#"font-size="13" font-weight="bold" fill="{}""#, INK),
        );
        for (k, line) in row.title.iter().enumerate() {
            s.text(
                text_x,
                y + 33.0 + k as f64 * LINE,
                line,
                attrs!(r#"font-size="11" fill="{}""#, MUTED),
            );
        }
        if let Some(line) = row.covered.then(|| holders_line(plan, p, locale)).flatten() {
            s.label(
                text_x,
                y + 33.0 + row.title.len() as f64 * LINE,
                &line,
                title_width(x),
                SMALL,
                attrs!(r#"font-size="11" fill="{}""#, INK),
            );
        }
        s.close_group();
    }

    // The legend: attitude colours and signs, outlines, contact dots.
    for ((what, label), (kx, ky)) in keys.iter().zip(spots) {
        let y = legend_top + ky;
        match what {
            Key::Attitude(a) => {
                s.rect(kx, y + 2.0, 14.0, 14.0, outline_style(*a, false));
                s.rect(
                    kx + 1.0,
                    y + 3.0,
                    5.0,
                    12.0,
                    [r#"fill=""#, attitude_colour(*a).hex(), "\""],
                );
            }
            Key::Decisive => s.rect(
                kx,
                y + 2.0,
                14.0,
                14.0,
                outline_style(Some(Attitude::Neutral), true),
            ),
            Key::Contact(days) => freshness_dot(&mut s, bands, kx + 7.0, y + 9.0, *days),
            Key::Covered => s.text(
                kx,
                y + 13.0,
                COVERED,
                attrs!(r#"font-size="12" fill="{}""#, INK),
            ),
        }
        s.text(
            kx + KEY_SWATCH,
            y + 13.0,
            label,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
    }

    s.finish()
}

/// A filled dot for a recent contact, a half-filled one for an older one,
/// a hollow one for none within the stale band.
fn freshness_dot(s: &mut Svg, bands: Freshness, x: f64, y: f64, days: Option<i64>) {
    match days {
        Some(d) if d <= bands.fresh => s.circle(x, y, 4.0, attrs!(r#"fill="{}""#, INK)),
        Some(d) if d <= bands.stale => {
            s.circle(
                x,
                y,
                4.0,
                attrs!(r#"fill="{}" stroke="{}" stroke-width="1""#, PAPER, INK),
            );
            s.raw(&format!(
                r#"<path d="M{} {}a4 4 0 0 1 0 8z" fill="{INK}"/>"#,
                num(x),
                num(y - 4.0)
            ));
        }
        _ => s.circle(
            x,
            y,
            4.0,
            attrs!(
                r#"fill="{}" fill-opacity="0.35" stroke="{}" stroke-width="1.2""#,
                WARN,
                FAIL
            ),
        ),
    }
}

/// What a legend entry of the relationship map explains.
#[derive(Debug, Clone, Copy)]
enum Key {
    /// The strip colour and sign of an attitude (`None`: not recorded,
    /// also drawn with a dashed outline).
    Attitude(Option<Attitude>),
    /// The heavy outline of an economic buyer or a coach.
    Decisive,
    /// A contact dot, for a contact this many days ago (`None`: stale).
    Contact(Option<i64>),
    /// The mark of the line of our people who cover someone.
    Covered,
}

/// The room a legend entry's swatch takes before its label.
const KEY_SWATCH: f64 = 19.0;

fn key_width(label: &str) -> f64 {
    KEY_SWATCH + text_width(label, SMALL)
}

/// The legend's entries with their labels.
fn legend_keys(
    locale: &Locale,
    bands: Freshness,
    attitudes: &[Cow<'_, str>],
    covered: bool,
) -> Vec<(Key, String)> {
    let mut keys: Vec<(Key, String)> = super::ATTITUDES
        .iter()
        .map(|a| {
            (
                Key::Attitude(Some(*a)),
                format!("{} {}", attitude_sign(Some(*a)), attitudes[*a as usize]),
            )
        })
        .collect();
    keys.push((
        Key::Attitude(None),
        format!("{} {}", attitude_sign(None), t!(locale, "attitude.unknown")),
    ));
    keys.push((
        Key::Decisive,
        t!(locale, "relationship_map.key_people").to_owned(),
    ));
    let days =
        |key: &'static str, days: i64| subst(locale.text(key), &[("days", &days.to_string())]);
    keys.push((
        Key::Contact(Some(0)),
        days("chart.relationship_map.fresh", bands.fresh),
    ));
    keys.push((
        Key::Contact(Some(bands.fresh + 1)),
        days("chart.relationship_map.recent", bands.stale),
    ));
    keys.push((
        Key::Contact(None),
        days("chart.relationship_map.stale", bands.stale),
    ));
    if covered {
        keys.push((
            Key::Covered,
            t!(locale, "relationship_map.key_covered").to_owned(),
        ));
    }
    keys
}

/// The outline of a box: heavy for an economic buyer or coach, dashed when
/// the attitude is not recorded, a hairline otherwise.
fn outline_style(attitude: Option<Attitude>, key: bool) -> &'static str {
    if attitude.is_none() {
        attrs!(
            r#"rx="4" fill="{}" stroke="{}" stroke-dasharray="4 3" stroke-width="1""#,
            PAPER,
            MUTED
        )
    } else if key {
        attrs!(
            r#"rx="4" fill="{}" stroke="{}" stroke-width="2""#,
            PAPER,
            INK
        )
    } else {
        attrs!(
            r#"rx="4" fill="{}" stroke="{}" stroke-width="1""#,
            PAPER,
            AXIS
        )
    }
}
