//! Stakeholder map: "do we have the people who decide?"
//!
//! A grid of influence (rows, 5 at the top) against attitude (columns, from
//! opponent to champion). Stakeholders share cells, so each cell lists its
//! people one under the other and rows grow to fit: labels never overlap,
//! however many people share a cell, and a name too long for its column
//! wraps onto a second and third line. Stakeholders without an attitude get a
//! column of their own, set apart on the right; those without an influence a
//! row of their own at the bottom. The economic buyer (a diamond) and the
//! coach (a triangle) are drawn larger and labelled in bold.

use std::borrow::Cow;

use super::palette::{AXIS, GRID, INK, MUTED, OPPONENT, PAPER, SUPPORTER};
use super::svg::{self, BOLD, HEAD, LABEL, SMALL, Svg, diamond, text_width, triangle};
use super::{ATTITUDES, all_named, attitude_colour, attitude_sign, name_or_id};
use crate::i18n::Locale;
use crate::model::{Attitude, BuyerRole, Plan, Stakeholder};
use crate::text::{num, subst, xml};

/// Half the content column of a desktop page: a cell of the theme's `.chart-grid`.
pub(super) const WIDTH: f64 = 540.0;
const ROW_HEAD: f64 = 44.0;
const GAP: f64 = 14.0;
const LINE: f64 = 19.0;
const PAD: f64 = 8.0;
const HEADER: f64 = 30.0;
/// The tint of the influential opponents' corner (influence 4–5, against us).
const TINT_AGAINST: &str = attrs!(r#"fill="{}" fill-opacity="0.07""#, OPPONENT);
/// The tint of the influential allies' corner (influence 4–5, for us).
const TINT_FOR: &str = attrs!(r#"fill="{}" fill-opacity="0.10""#, SUPPORTER);
/// How far each further line of a wrapped name sits below the one before.
pub(super) const NEXT: f64 = 14.0;

/// A stakeholder placed on the map.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Mark {
    /// Index in `plan.stakeholders`.
    pub(super) index: usize,
    /// Centre of the marker.
    pub(super) x: f64,
    /// Baseline-centre of the row.
    pub(super) y: f64,
    /// Left edge of the label.
    pub(super) label_x: f64,
    /// The visible label (maybe truncated), its first line when it wraps.
    pub(super) label: String,
    /// The further lines of a name too long for one, [`NEXT`] apart.
    pub(super) more: Vec<String>,
    /// The font size the label's width is estimated at (bold runs wider).
    pub(super) size: f64,
}

/// The grid and the marks: column left edges and width, row tops and heights.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub(super) marks: Vec<Mark>,
    columns: Vec<f64>,
    column_width: f64,
    /// (influence or `None` for unrated, top, height)
    rows: Vec<(Option<i64>, f64, f64)>,
    has_unknown: bool,
    /// The bottom of the grid.
    grid_bottom: f64,
}

fn column_of(s: &Stakeholder) -> usize {
    s.attitude
        .as_ref()
        .and_then(|a| ATTITUDES.iter().position(|x| *x == a.value))
        .unwrap_or(ATTITUDES.len())
}

fn rank(s: &Stakeholder) -> u8 {
    match s.role.as_deref() {
        Some(BuyerRole::EconomicBuyer) => 0,
        Some(BuyerRole::Coach) => 1,
        _ => 2,
    }
}

fn display_name(s: &Stakeholder) -> &str {
    name_or_id(s.name.as_ref(), s.id.as_ref()).unwrap_or("?")
}

/// Places every stakeholder of `plan`.
pub(super) fn layout(plan: &Plan) -> Layout {
    let has_unknown = plan.stakeholders.iter().any(|s| s.attitude.is_none());
    let has_unrated = plan.stakeholders.iter().any(|s| s.influence.is_none());
    let n_cols = ATTITUDES.len() + usize::from(has_unknown);
    let usable = WIDTH - ROW_HEAD - if has_unknown { GAP } else { 0.0 };
    let column_width = (usable / n_cols as f64).floor();
    let columns: Vec<f64> = (0..n_cols)
        .map(|c| ROW_HEAD + c as f64 * column_width + if c == ATTITUDES.len() { GAP } else { 0.0 })
        .collect();

    // cells[row][col] = stakeholder indices, rows 5..1 then unrated.
    let row_keys: Vec<Option<i64>> = (1..=5)
        .rev()
        .map(Some)
        .chain(has_unrated.then_some(None))
        .collect();
    let mut cells = vec![vec![Vec::new(); n_cols]; row_keys.len()];
    for (i, s) in plan.stakeholders.iter().enumerate() {
        let influence = s.influence.as_ref().map(|r| r.get().clamp(1, 5));
        let row = row_keys
            .iter()
            .position(|k| *k == influence)
            .unwrap_or(row_keys.len() - 1);
        cells[row][column_of(s)].push(i);
    }
    for row in &mut cells {
        for cell in row.iter_mut() {
            cell.sort_by_key(|i| (rank(&plan.stakeholders[*i]), *i));
        }
    }

    let mut marks = Vec::with_capacity(plan.stakeholders.len());
    let mut rows = Vec::with_capacity(row_keys.len());
    let mut top = HEAD + HEADER;
    for (r, key) in row_keys.iter().enumerate() {
        // Each name in one line, or two when it is too long for its column.
        let names: Vec<Vec<(usize, Vec<String>, f64)>> = cells[r]
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                cell.iter()
                    .map(|&i| {
                        let s = &plan.stakeholders[i];
                        let label_x = columns[c] + 19.0;
                        let max = column_width - (label_x - columns[c]) - 3.0;
                        // Economic buyers and coaches are labelled in bold,
                        // which runs wider.
                        let size = LABEL * if rank(s) < 2 { BOLD } else { 1.0 };
                        (i, svg::wrap(display_name(s), max, size, 3), size)
                    })
                    .collect()
            })
            .collect();
        let cell_height = |cell: &[(usize, Vec<String>, f64)]| {
            cell.iter()
                .map(|(_, lines, _)| LINE + (lines.len() - 1) as f64 * NEXT)
                .sum::<f64>()
        };
        let most = names.iter().map(|c| cell_height(c)).fold(0.0, f64::max);
        let height = (most + 2.0 * PAD).max(38.0);
        for (c, cell) in names.into_iter().enumerate() {
            // Centre the list vertically in the row.
            let mut y = top + (height - cell_height(&cell)) / 2.0 + LINE / 2.0;
            for (i, mut lines, size) in cell {
                let x = columns[c] + 10.0;
                let more = lines.split_off(1);
                let extra = more.len() as f64 * NEXT;
                marks.push(Mark {
                    index: i,
                    x,
                    y,
                    label_x: x + 9.0,
                    label: lines.swap_remove(0),
                    more,
                    size,
                });
                y += LINE + extra;
            }
        }
        rows.push((*key, top, height));
        top += height;
    }
    Layout {
        marks,
        columns,
        column_width,
        rows,
        has_unknown,
        grid_bottom: top,
    }
}

/// The stakeholder map of `plan`.
pub fn stakeholder_map(plan: &Plan, locale: &Locale) -> String {
    if plan.stakeholders.is_empty() {
        return svg::empty("stakeholder-map", t!(locale, "stakeholder_map.empty"));
    }
    let layout = layout(plan);
    let attitudes = all_named::<Attitude>(locale, "attitude");
    let roles = all_named::<BuyerRole>(locale, "role");
    let attitude_name = |a: Option<Attitude>| {
        a.map_or_else(
            || t!(locale, "attitude.unknown"),
            |a| &attitudes[a as usize],
        )
    };

    let deciders: Vec<String> = plan
        .stakeholders
        .iter()
        .filter(|s| s.role.as_deref() == Some(&BuyerRole::EconomicBuyer))
        .map(|s| {
            let attitude = s.attitude.as_ref().map(|a| a.value);
            [display_name(s), "（", attitude_name(attitude), "）"].concat()
        })
        .collect();
    let note = if deciders.is_empty() {
        t!(locale, "stakeholder_map.no_decider").to_owned()
    } else {
        subst(
            t!(locale, "stakeholder_map.decider"),
            &[("names", &deciders.join(t!(locale, "common.list_separator")))],
        )
    };
    let title = t!(locale, "stakeholder_map.title");
    let desc = subst(
        t!(locale, "stakeholder_map.desc"),
        &[
            ("count", &plan.stakeholders.len().to_string()),
            ("decider", &note),
        ],
    );
    // The legend: the marks' shapes, then the tints of the corners.
    let keys = [
        t!(locale, "role.economic-buyer"),
        t!(locale, "role.coach"),
        t!(locale, "stakeholder_map.others"),
        t!(locale, "stakeholder_map.against"),
        t!(locale, "stakeholder_map.for"),
    ];
    let widths: Vec<f64> = keys.iter().map(|k| 18.0 + text_width(k, SMALL)).collect();
    let (spots, legend_h) = svg::flow(&widths, WIDTH - ROW_HEAD);
    let legend_top = layout.grid_bottom + 10.0;
    let height = legend_top + legend_h + 4.0;
    let mut s = Svg::new("stakeholder-map", WIDTH, height, title, &desc);
    s.heading(title, Some(&note));

    let grid_top = HEAD + HEADER;
    let grid_bottom = layout.grid_bottom;
    let main_right = layout.columns[ATTITUDES.len() - 1] + layout.column_width;

    // Tint the corners that matter: influential opponents, influential allies.
    for (key, top, h) in &layout.rows {
        if key.is_some_and(|k| k >= 4) {
            let (l, r) = (layout.columns[0], layout.columns[2]);
            s.rect(l, *top, r - l, *h, TINT_AGAINST);
            let (l, r) = (layout.columns[3], main_right);
            s.rect(l, *top, r - l, *h, TINT_FOR);
        }
    }

    // Column headers: sign and name, with a colour bar.
    for (c, x) in layout.columns.iter().enumerate() {
        let attitude = ATTITUDES.get(c).copied();
        let label = [attitude_sign(attitude), " ", attitude_name(attitude)].concat();
        s.label(
            x + layout.column_width / 2.0,
            grid_top - 12.0,
            &label,
            layout.column_width - 4.0,
            LABEL,
            attrs!(r#"font-size="12" fill="{}" text-anchor="middle""#, INK),
        );
        let dash = if attitude.is_none() {
            attrs!(r#" stroke="{}" stroke-dasharray="3 2""#, AXIS)
        } else {
            ""
        };
        s.rect(
            x + 3.0,
            grid_top - 6.0,
            layout.column_width - 6.0,
            4.0,
            [r#"fill=""#, attitude_colour(attitude).hex(), "\"", dash],
        );
    }

    // Rows: the influence axis named along its arrow, the rows' labels
    // (the unrated row's in up to two lines), hairlines.
    let rated_bottom = layout
        .rows
        .iter()
        .filter(|(key, ..)| key.is_some())
        .map(|(_, top, h)| top + h)
        .fold(grid_top, f64::max);
    let (ax, ay) = (10.0, (grid_top + rated_bottom) / 2.0);
    s.raw(&format!(
        r#"<text x="{}" y="{}" transform="rotate(-90 {} {})" font-size="11" fill="{MUTED}" text-anchor="middle">{}</text>"#,
        num(ax),
        num(ay),
        num(ax),
        num(ay),
        xml(t!(locale, "stakeholder_map.influence"))
    ));
    for (key, top, h) in &layout.rows {
        match key {
            Some(k) => s.text(
                ROW_HEAD - 12.0,
                top + h / 2.0 + 5.0,
                &k.to_string(),
                attrs!(r#"font-size="14" fill="{}" text-anchor="end""#, MUTED),
            ),
            None => {
                let lines = svg::wrap(
                    t!(locale, "stakeholder_map.unrated"),
                    ROW_HEAD - 8.0,
                    SMALL,
                    2,
                );
                let first = top + h / 2.0 + 4.0 - (lines.len() - 1) as f64 * 6.5;
                for (n, line) in lines.iter().enumerate() {
                    s.text(
                        ROW_HEAD - 8.0,
                        first + n as f64 * 13.0,
                        line,
                        attrs!(r#"font-size="11" fill="{}" text-anchor="end""#, MUTED),
                    );
                }
            }
        }
        s.line(
            layout.columns[0],
            *top,
            main_right,
            *top,
            attrs!(r#"stroke="{}""#, GRID),
        );
    }
    s.line(
        layout.columns[0],
        grid_bottom,
        main_right,
        grid_bottom,
        attrs!(r#"stroke="{}""#, AXIS),
    );
    for x in layout.columns.iter().take(ATTITUDES.len()).skip(1) {
        s.line(
            *x,
            grid_top,
            *x,
            grid_bottom,
            attrs!(r#"stroke="{}""#, GRID),
        );
    }
    if layout.has_unknown {
        let x = layout.columns[ATTITUDES.len()];
        s.rect(
            x,
            grid_top,
            layout.column_width,
            grid_bottom - grid_top,
            attrs!(r#"fill="none" stroke="{}" stroke-dasharray="4 3""#, AXIS),
        );
    }
    // The influence arrow along the left edge.
    let ax = ROW_HEAD - 4.0;
    s.line(
        ax,
        grid_bottom,
        ax,
        grid_top + 4.0,
        attrs!(r#"stroke="{}""#, AXIS),
    );
    s.polygon(
        &[
            (ax, grid_top),
            (ax - 3.5, grid_top + 7.0),
            (ax + 3.5, grid_top + 7.0),
        ],
        attrs!(r#"fill="{}""#, AXIS),
    );

    for m in &layout.marks {
        let p = &plan.stakeholders[m.index];
        let attitude = p.attitude.as_ref().map(|a| a.value);
        let colour = attitude_colour(attitude).hex();
        let stroke = if attitude.is_none() {
            attrs!(r#"stroke="{}" stroke-dasharray="2 1.5""#, MUTED)
        } else {
            attrs!(r#"stroke="{}""#, INK)
        };
        s.open_group(r#"class="stakeholder""#);
        tooltip(&mut s, p, &roles, attitude_name(attitude), locale);
        let role = p.role.as_ref().map(|r| r.value);
        let bold = matches!(role, Some(BuyerRole::EconomicBuyer | BuyerRole::Coach));
        match role {
            Some(BuyerRole::EconomicBuyer) => s.polygon(
                &diamond(m.x, m.y - 4.0, 7.5),
                [r#"fill=""#, colour, "\" ", stroke, r#" stroke-width="1.5""#],
            ),
            Some(BuyerRole::Coach) => s.polygon(
                &triangle(m.x, m.y - 3.0, 7.0),
                [r#"fill=""#, colour, "\" ", stroke, r#" stroke-width="1.5""#],
            ),
            _ => s.circle(
                m.x,
                m.y - 4.0,
                4.5,
                [r#"fill=""#, colour, "\" ", stroke, r#" stroke-width="1.1""#],
            ),
        }
        let style = if bold {
            attrs!(r#"font-size="12" font-weight="bold" fill="{}""#, INK)
        } else {
            attrs!(r#"font-size="12" fill="{}""#, INK)
        };
        s.text(m.label_x, m.y, &m.label, style);
        for (k, line) in m.more.iter().enumerate() {
            s.text(m.label_x, m.y + (k + 1) as f64 * NEXT, line, style);
        }
        s.close_group();
    }

    let stroke = attrs!(r#"fill="{}" stroke="{}" stroke-width="1.5""#, PAPER, INK);
    for (k, (label, (dx, dy))) in keys.iter().zip(spots).enumerate() {
        let (x, y) = (ROW_HEAD + dx, legend_top + dy + 13.0);
        match k {
            0 => s.polygon(&diamond(x + 6.0, y - 4.0, 6.5), stroke),
            1 => s.polygon(&triangle(x + 6.0, y - 3.0, 6.0), stroke),
            2 => s.circle(
                x + 6.0,
                y - 4.0,
                4.5,
                attrs!(r#"fill="{}" stroke="{}" stroke-width="0.8""#, PAPER, INK),
            ),
            3 => s.rect(x, y - 10.0, 13.0, 12.0, TINT_AGAINST),
            _ => s.rect(x, y - 10.0, 13.0, 12.0, TINT_FOR),
        }
        s.text(
            x + 18.0,
            y,
            label,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
    }

    s.finish()
}

/// The tooltip of stakeholder `p`: name, title, role (of the `roles`
/// names), attitude, influence.
fn tooltip(s: &mut Svg, p: &Stakeholder, roles: &[Cow<'_, str>], attitude: &str, locale: &Locale) {
    let title = p.title.as_ref().map(|t| t.value.as_str());
    let role = p.role.as_ref().map(|r| &*roles[r.value as usize]);
    let influence = p.influence.as_ref().map(|i| i.get().to_string());
    let then = |part: Option<&str>| if part.is_some() { " · " } else { "" };
    s.tooltip(
        display_name(p),
        &[
            (then(title), title.unwrap_or_default()),
            (then(role), role.unwrap_or_default()),
            (" · ", attitude),
            (
                then(influence.as_deref()),
                influence
                    .as_ref()
                    .map_or("", |_| t!(locale, "stakeholder_map.influence")),
            ),
            (
                influence.as_ref().map_or("", |_| " "),
                influence.as_deref().unwrap_or_default(),
            ),
        ],
    );
}
