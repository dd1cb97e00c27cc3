//! Portfolio matrix: "where should we put our effort?"
//!
//! Accounts by our relative strength (x, 0–10) and their attractiveness
//! (y, the scorecard total, 0–100), each a bubble whose area is
//! proportional to its expected return and which links to its dossier. The
//! quadrants split at 5 and 50: key accounts (attractive, strong), develop
//! (attractive, weak), maintain (less attractive, strong), opportunistic.
//! Accounts lacking either number are listed under the plot as links.
//!
//! Above [`LABEL_ALL_MAX`] placed accounts the names would only cover each
//! other (and cost the page a tooltip, a label and a link per account): the
//! bubbles are then bare links to the dossiers for the mouse (out of the tab
//! order and hidden from screen readers), and only the [`LABELLED_MAX`]
//! largest bubbles are named, where a name fits. The portfolio table beside
//! the chart names and links every account.

use plotters::element::{Circle, PathElement};

use super::PortfolioEntry;
use super::backend::{Styled, Tag};
use super::palette::{AXIS, GOLD, INK, MUTED, PAPER, PLATINUM, SILVER};
use super::plot::{self, Area, Axis};
use super::svg::{self, HEAD, LABEL, SMALL, Svg, text_width};
use crate::i18n::Locale;
use crate::model::Tier;
use crate::text::{num, subst, xml};

/// Half the content column of a desktop page: a cell of the theme's `.chart-grid`.
const WIDTH: f64 = 540.0;
/// The height of the plot.
const PLOT_H: f64 = 400.0;
const MAX_R: f64 = 28.0;
const MIN_R: f64 = 3.5;
/// The radius of the bubble in the legend's size key.
const KEY_R: f64 = 10.0;
const LABEL_MAX: f64 = 140.0;
/// The tiers in the legend's order, then accounts without one.
const TIERS: [Option<Tier>; 4] = [
    Some(Tier::Platinum),
    Some(Tier::Gold),
    Some(Tier::Silver),
    None,
];
/// The most placed accounts whose bubbles all get a name and a tooltip.
pub(crate) const LABEL_ALL_MAX: usize = 40;
/// With more, how many of the largest bubbles are named.
pub(crate) const LABELLED_MAX: usize = 12;

/// A placed label: its box (left, top, right, bottom).
type Boxed = (f64, f64, f64, f64);

fn overlaps(a: Boxed, b: Boxed) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The fill and outline of a tier's bubbles: platinum, gold and silver
/// differ in lightness as well as hue; an account without a tier is a
/// dashed outline. Whole, then as the few bytes a bubble among many
/// writes: its colour, which the group of bubbles fills and strokes with.
fn tier_style(tier: Option<Tier>) -> (&'static str, &'static str) {
    macro_rules! solid {
        ($colour:expr) => {
            (
                attrs!(
                    r#"fill="{}" fill-opacity="0.6" stroke="{}""#,
                    $colour,
                    $colour
                ),
                attrs!(r#"color="{}""#, $colour),
            )
        };
    }
    match tier {
        Some(Tier::Platinum) => solid!(PLATINUM),
        Some(Tier::Gold) => solid!(GOLD),
        Some(Tier::Silver) => solid!(SILVER),
        None => (
            attrs!(
                r#"fill="{}" stroke="{}" stroke-dasharray="3 2""#,
                PAPER,
                MUTED
            ),
            attrs!(
                r#"color="{}" fill="{}" stroke-dasharray="3 2""#,
                MUTED,
                PAPER
            ),
        ),
    }
}

fn named_tier(locale: &Locale, tier: Tier) -> String {
    super::named(locale, "tier", tier).into_owned()
}

/// Where a name goes: its anchor point and alignment, and a leader line
/// from its bubble when it sits away from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Spot {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) anchor: &'static str,
    pub(crate) leader: Option<((f64, f64), (f64, f64))>,
}

/// The height of a name's box and how far its baseline sits above the bottom.
const LABEL_BOX: (f64, f64) = (14.0, 3.0);

/// Places names one after the other so that no two overlap, none covers a
/// bubble's centre dot and all stay in the plot: each goes to the first
/// free spot of a ring around its bubble (right, left, above, below, then
/// further up and down); failing that, to the nearest free spot in the plot,
/// with a leader line, or nowhere (the bubble keeps its tooltip and link).
#[derive(Debug)]
pub(crate) struct Placer {
    bounds: Boxed,
    /// Boxes names must not cover: centre dots, then the names placed.
    taken: Vec<Boxed>,
}

impl Placer {
    /// A placer for the plot `bounds` (left, top, right, bottom), with
    /// `obstacles` to keep clear of.
    pub(crate) fn new(bounds: Boxed, obstacles: Vec<Boxed>) -> Placer {
        Placer {
            bounds,
            taken: obstacles,
        }
    }

    fn boxed(x: f64, y: f64, anchor: &str, w: f64) -> Boxed {
        let left = match anchor {
            "start" => x,
            "end" => x - w,
            _ => x - w / 2.0,
        };
        (
            left,
            y - LABEL_BOX.0 + LABEL_BOX.1,
            left + w,
            y + LABEL_BOX.1,
        )
    }

    fn free(&self, b: Boxed) -> bool {
        let (l, t, r, bottom) = self.bounds;
        b.0 >= l
            && b.2 <= r
            && b.1 >= t
            && b.3 <= bottom
            && !self.taken.iter().any(|o| overlaps(*o, b))
    }

    /// A spot for a name `w` wide by the bubble `(cx, cy, rad)`; with
    /// `far`, anywhere in the plot when nothing near is free.
    pub(crate) fn place(
        &mut self,
        (cx, cy, rad): (f64, f64, f64),
        w: f64,
        far: bool,
    ) -> Option<Spot> {
        let mut ring = vec![
            (cx + rad + 4.0, cy + 4.0, "start"),
            (cx - rad - 4.0, cy + 4.0, "end"),
            (cx, cy - rad - 5.0, "middle"),
            (cx, cy + rad + 14.0, "middle"),
        ];
        for k in 1..=4 {
            let d = f64::from(k) * LABEL_BOX.0;
            ring.extend([
                (cx + rad + 4.0, cy + 4.0 - d, "start"),
                (cx + rad + 4.0, cy + 4.0 + d, "start"),
                (cx - rad - 4.0, cy + 4.0 - d, "end"),
                (cx - rad - 4.0, cy + 4.0 + d, "end"),
            ]);
        }
        let near = ring
            .into_iter()
            .find(|(x, y, anchor)| self.free(Self::boxed(*x, *y, anchor, w)))
            .map(|(x, y, anchor)| Spot {
                x,
                y,
                anchor,
                leader: None,
            });
        let spot = match near {
            Some(spot) => spot,
            None if far => self.nearest((cx, cy, rad), w)?,
            None => return None,
        };
        self.taken.push(Self::boxed(spot.x, spot.y, spot.anchor, w));
        Some(spot)
    }

    /// The free spot nearest the bubble, on a grid over the plot, with a
    /// leader from the bubble's edge to the name's box.
    fn nearest(&self, (cx, cy, rad): (f64, f64, f64), w: f64) -> Option<Spot> {
        let (l, t, r, b) = self.bounds;
        let mut best: Option<(f64, Boxed)> = None;
        let mut y = t + LABEL_BOX.0;
        while y <= b {
            let mut x = l;
            while x + w <= r {
                let bx = Self::boxed(x, y, "start", w);
                // The nearest point of the box to the bubble's centre.
                let (nx, ny) = (cx.clamp(bx.0, bx.2), cy.clamp(bx.1, bx.3));
                let d = (nx - cx).hypot(ny - cy);
                if best.is_none_or(|(bd, _)| d < bd) && self.free(bx) {
                    best = Some((d, bx));
                }
                x += 8.0;
            }
            y += 7.0;
        }
        let (d, bx) = best?;
        let (nx, ny) = (cx.clamp(bx.0, bx.2), cy.clamp(bx.1, bx.3));
        let edge = (
            cx + (nx - cx) * rad / d.max(rad),
            cy + (ny - cy) * rad / d.max(rad),
        );
        Some(Spot {
            x: bx.0,
            y: bx.3 - LABEL_BOX.1,
            anchor: "start",
            leader: (d > rad + 1.0).then_some((edge, (nx, ny))),
        })
    }
}

/// The portfolio matrix of `entries`, returns in `currency`.
pub(crate) fn portfolio_matrix(
    entries: &[PortfolioEntry],
    currency: &str,
    locale: &Locale,
) -> String {
    let placed: Vec<(&PortfolioEntry, f64, f64)> = entries
        .iter()
        .filter_map(|e| {
            Some((
                e,
                e.relative_strength?.clamp(0.0, 10.0),
                e.scorecard?.clamp(0.0, 100.0),
            ))
        })
        .collect();
    if placed.is_empty() {
        return svg::empty("portfolio-matrix", t!(locale, "portfolio_matrix.empty"));
    }
    let unplaced: Vec<&PortfolioEntry> = entries
        .iter()
        .filter(|e| e.relative_strength.is_none() || e.scorecard.is_none())
        .collect();
    let area = Area {
        left: 48,
        top: (HEAD + 14.0) as u32,
        right: (WIDTH - 12.0) as u32,
        bottom: (HEAD + 14.0 + PLOT_H) as u32,
    };
    let x_format = |v: f64| num(v);
    let y_format = |v: f64| num(v);
    let x_axis = Axis {
        range: (0.0, 10.0),
        ticks: (0..=5).map(|k| f64::from(k) * 2.0).collect(),
        format: &x_format,
        grid: true,
    };
    let y_axis = Axis {
        range: (0.0, 100.0),
        ticks: (0..=5).map(|k| f64::from(k) * 20.0).collect(),
        format: &y_format,
        grid: true,
    };
    let (xs, ys) = area.scales(&x_axis, Some(&y_axis));
    let (l, r, top, bottom) = (
        f64::from(area.left),
        f64::from(area.right),
        f64::from(area.top),
        f64::from(area.bottom),
    );

    let key = placed
        .iter()
        .filter(|(_, x, y)| *x >= 5.0 && *y >= 50.0)
        .count();
    let note = subst(
        t!(locale, "portfolio_matrix.note"),
        &[
            ("key", &key.to_string()),
            ("total", &entries.len().to_string()),
        ],
    );
    let title = t!(locale, "portfolio_matrix.title");
    let desc = subst(
        t!(locale, "portfolio_matrix.desc"),
        &[("count", &placed.len().to_string()), ("note", &note)],
    );

    // Bubbles, the largest first so small ones stay visible on top.
    let max_return = placed
        .iter()
        .map(|(e, ..)| e.expected_return)
        .fold(0.0, f64::max);
    let radius = |v: f64| {
        if max_return > 0.0 {
            (MAX_R * (v.max(0.0) / max_return).sqrt()).max(MIN_R)
        } else {
            MIN_R
        }
    };
    let mut order: Vec<usize> = (0..placed.len()).collect();
    order.sort_by(|a, b| {
        radius(placed[*b].0.expected_return)
            .total_cmp(&radius(placed[*a].0.expected_return))
            .then(a.cmp(b))
    });
    let circles: Vec<(f64, f64, f64)> = placed
        .iter()
        .map(|(e, x, y)| (xs.px(*x), ys.px(*y), radius(e.expected_return)))
        .collect();

    // Labels: each in the first free spot around its bubble (see
    // [`Placer`]), from the top of the plot down. With many accounts only
    // the largest bubbles are named, largest first, each only where its
    // name fits and not at the centre of a named bubble.
    let many = placed.len() > LABEL_ALL_MAX;
    let dots: Vec<Boxed> = if many {
        Vec::new()
    } else {
        circles
            .iter()
            .map(|(x, y, _)| (x - 3.0, y - 3.0, x + 3.0, y + 3.0))
            .collect()
    };
    let mut placer = Placer::new((l, top, r, bottom), dots);
    let mut labels: Vec<Option<(Spot, String)>> = vec![None; placed.len()];
    let mut named: Vec<usize> = Vec::new();
    let by_y: Vec<usize> = if many {
        order.clone()
    } else {
        let mut by_y: Vec<usize> = (0..placed.len()).collect();
        by_y.sort_by(|a, b| circles[*a].1.total_cmp(&circles[*b].1).then(a.cmp(b)));
        by_y
    };
    for &i in &by_y {
        let (cx, cy, rad) = circles[i];
        if many {
            let covered = named.iter().any(|&j| {
                let (x, y, r) = circles[j];
                (x - cx).hypot(y - cy) < r.max(MIN_R * 2.0)
            });
            if covered {
                continue;
            }
            if named.len() == LABELLED_MAX {
                break;
            }
        }
        let text = svg::fitted(&placed[i].0.name, LABEL_MAX, LABEL);
        if let Some(spot) = placer.place((cx, cy, rad), text_width(&text, LABEL), !many) {
            labels[i] = Some((spot, text));
            named.push(i);
        }
    }

    // The legend: the tiers' colours and the size of a bubble.
    let tier_names: Vec<String> = TIERS
        .iter()
        .map(|t| match t {
            Some(t) => named_tier(locale, *t),
            None => t!(locale, "portfolio_matrix.no_tier").to_owned(),
        })
        .collect();
    let key_label = (max_return > 0.0).then(|| {
        subst(
            t!(locale, "portfolio_matrix.size"),
            &[(
                "amount",
                &locale.money(max_return * (KEY_R / MAX_R).powi(2), currency),
            )],
        )
    });
    let mut widths: Vec<f64> = tier_names
        .iter()
        .map(|n| 20.0 + text_width(n, SMALL))
        .collect();
    if let Some(k) = &key_label {
        widths.push(2.0 * KEY_R + 6.0 + text_width(k, SMALL));
    }
    let (spots, legend_h) = svg::flow(&widths, WIDTH - l);
    let legend_top = bottom + 46.0;
    let height = legend_top + legend_h + if unplaced.is_empty() { 4.0 } else { 24.0 };

    let mut s = Svg::new("portfolio-matrix", WIDTH, height, title, &desc);
    s.heading(title, Some(&note));
    plot::plot(
        s.body(),
        (WIDTH as u32, height as u32),
        area,
        &x_axis,
        false,
        Some(&y_axis),
        |_| Ok(()),
        |chart| {
            // Quadrant lines and names.
            let quadrant = attrs!(r#"stroke="{}" stroke-width="1.5""#, AXIS);
            for line in [[(5.0, 0.0), (5.0, 100.0)], [(0.0, 50.0), (10.0, 50.0)]] {
                chart.plotting_area().draw(&Styled::new(
                    PathElement::<plot::Point>::new(line, AXIS.plotters()),
                    quadrant,
                ))?;
            }
            let name_style = |anchor: &str| {
                format!(
                    r#"font-size="13" font-weight="bold" fill="{MUTED}" fill-opacity="0.8" text-anchor="{anchor}""#
                )
            };
            for (at, offset, key, anchor) in [
                ((10.0, 100.0), (-7, 18), "portfolio_matrix.key", "end"),
                ((0.0, 100.0), (8, 18), "portfolio_matrix.develop", "start"),
                ((10.0, 0.0), (-7, -9), "portfolio_matrix.maintain", "end"),
                (
                    (0.0, 0.0),
                    (8, -9),
                    "portfolio_matrix.opportunistic",
                    "start",
                ),
            ] {
                chart.plotting_area().draw(&plot::text(
                    at,
                    offset,
                    locale.text(&["chart.", key].concat()),
                    name_style(anchor).into(),
                    None,
                ))?;
            }
            // Bubbles, the largest first so small ones stay visible on top.
            if many {
                // Bare bubbles sharing one style: a link each for the mouse,
                // no tooltip, no dot. Nameless links would only be noise to
                // keyboards and screen readers, which have the table's link
                // to every account.
                chart.plotting_area().draw(&Tag::Group(
                    r#"class="bubbles" aria-hidden="true" fill="currentColor" fill-opacity="0.6" stroke="currentColor" stroke-width="1.5""#.into(),
                    None,
                ))?;
                for &i in &order {
                    let (e, x, y) = placed[i];
                    chart.plotting_area().draw(&Tag::Link {
                        href: e.href.clone(),
                        tooltip: None,
                        focusable: false,
                    })?;
                    chart.plotting_area().draw(&Styled::new(
                        Circle::new(
                            (x, y),
                            radius(e.expected_return).round() as i32,
                            INK.plotters(),
                        ),
                        tier_style(e.tier).1,
                    ))?;
                    chart.plotting_area().draw(&Tag::EndLink)?;
                }
                chart.plotting_area().draw(&Tag::EndGroup)?;
            } else {
                for &i in &order {
                    let (e, x, y) = placed[i];
                    let tip = subst(
                        t!(locale, "portfolio_matrix.tooltip"),
                        &[
                            ("name", &e.name),
                            ("score", &locale.number(y, 1)),
                            ("strength", &locale.number(x, 1)),
                            ("return", &locale.money(e.expected_return, currency)),
                        ],
                    );
                    chart.plotting_area().draw(&Tag::Link {
                        href: e.href.clone(),
                        tooltip: Some(tip),
                        focusable: true,
                    })?;
                    chart.plotting_area().draw(&Styled::new(
                        Circle::new(
                            (x, y),
                            radius(e.expected_return).round() as i32,
                            INK.plotters(),
                        ),
                        [
                            r#"class="bubble" stroke-width="1.5" "#,
                            tier_style(e.tier).0,
                        ]
                        .concat(),
                    ))?;
                    chart.plotting_area().draw(&Styled::new(
                        Circle::new((x, y), 2, INK.plotters()),
                        attrs!(r#"fill="{}""#, INK),
                    ))?;
                    chart.plotting_area().draw(&Tag::EndLink)?;
                }
            }
            // Labels last, over every bubble, with a paper halo for legibility.
            for (i, label) in labels.iter().enumerate() {
                let Some((Spot { x, y, anchor, .. }, text)) = label else {
                    continue;
                };
                let (e, px, py) = placed[i];
                let (cx, cy, _) = circles[i];
                chart.plotting_area().draw(&Tag::Link {
                    href: e.href.clone(),
                    tooltip: Some(e.name.clone()),
                    focusable: true,
                })?;
                chart.plotting_area().draw(&plot::text(
                    (px, py),
                    ((x - cx).round() as i32, (y - cy).round() as i32),
                    text,
                    format!(r#"font-size="12" fill="{INK}" text-anchor="{anchor}" stroke="{PAPER}" stroke-width="3" paint-order="stroke""#).into(),
                    None,
                ))?;
                chart.plotting_area().draw(&Tag::EndLink)?;
            }
            Ok(())
        },
    );
    // Leaders to the names set away from their bubbles.
    for (spot, _) in labels.iter().flatten() {
        if let Some(((x1, y1), (x2, y2))) = spot.leader {
            s.line(x1, y1, x2, y2, attrs!(r#"stroke="{}""#, MUTED));
        }
    }
    // Axis titles.
    s.text(
        (l + r) / 2.0,
        bottom + 34.0,
        t!(locale, "portfolio_matrix.x"),
        attrs!(r#"font-size="12" fill="{}" text-anchor="middle""#, INK),
    );
    let (tx, ty) = (14.0, (top + bottom) / 2.0);
    s.raw(&format!(
        r#"<text x="{}" y="{}" transform="rotate(-90 {} {})" font-size="12" fill="{INK}" text-anchor="middle">{}</text>"#,
        num(tx),
        num(ty),
        num(tx),
        num(ty),
        xml(t!(locale, "portfolio_matrix.y"))
    ));

    // The legend: a bubble of each tier's colour, then the size key.
    for (k, (x, dy)) in spots.iter().enumerate() {
        let (x, y) = (l + x, legend_top + dy + 13.0);
        match (TIERS.get(k), &key_label) {
            (Some(tier), _) => {
                s.circle(x + 7.0, y - 4.0, 6.5, tier_style(*tier).0);
                s.text(
                    x + 20.0,
                    y,
                    &tier_names[k],
                    attrs!(r#"font-size="11" fill="{}""#, MUTED),
                );
            }
            (None, Some(key)) => {
                s.circle(
                    x + KEY_R,
                    y - 4.0,
                    KEY_R,
                    attrs!(r#"fill="none" stroke="{}""#, MUTED),
                );
                s.text(
                    x + 2.0 * KEY_R + 6.0,
                    y,
                    key,
                    attrs!(r#"font-size="11" fill="{}""#, MUTED),
                );
            }
            (None, None) => {}
        }
    }

    if !unplaced.is_empty() {
        let y = height - 8.0;
        let lead = t!(locale, "portfolio_matrix.unplaced");
        s.text(0.0, y, lead, attrs!(r#"font-size="11" fill="{}""#, MUTED));
        let mut x = text_width(lead, SMALL) + 6.0;
        for e in &unplaced {
            let text = svg::fitted(&e.name, 160.0, SMALL);
            let w = text_width(&text, SMALL);
            if x + w > WIDTH {
                s.text(x, y, "…", attrs!(r#"font-size="11" fill="{}""#, MUTED));
                break;
            }
            s.open_link(&e.href, &e.name);
            s.text(
                x,
                y,
                &text,
                attrs!(
                    r#"font-size="11" fill="{}" text-decoration="underline""#,
                    INK
                ),
            );
            s.close_link();
            x += w + 12.0;
        }
    }

    s.finish()
}
