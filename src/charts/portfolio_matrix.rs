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
use super::palette::{AXIS, INK, MUTED, PAPER, SERIES};
use super::plot::{self, Area, Axis};
use super::svg::{self, HEAD, LABEL, SMALL, Svg, text_width};
use crate::i18n::Locale;
use crate::text::{num, subst, xml};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 540.0;
const MAX_R: f64 = 32.0;
const MIN_R: f64 = 3.5;
const LABEL_MAX: f64 = 150.0;
/// The most placed accounts whose bubbles all get a name and a tooltip.
pub(crate) const LABEL_ALL_MAX: usize = 40;
/// With more, how many of the largest bubbles are named.
pub(crate) const LABELLED_MAX: usize = 12;

/// A placed label: its box (left, top, right, bottom).
type Boxed = (f64, f64, f64, f64);

fn overlaps(a: Boxed, b: Boxed) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
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
    let extra = if unplaced.is_empty() { 0.0 } else { 20.0 };
    let height = HEIGHT + extra;
    let area = Area {
        left: 48,
        top: (HEAD + 14.0) as u32,
        right: (WIDTH - 16.0) as u32,
        bottom: (HEIGHT - 84.0) as u32,
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

    // Labels: try right, left, above, below, then further out; keep the
    // first spot that overlaps no other label and stays in the plot. With
    // many accounts only the largest bubbles are named, largest first, each
    // only where its name fits and not at the centre of a named bubble.
    let many = placed.len() > LABEL_ALL_MAX;
    let mut boxes: Vec<Boxed> = Vec::new();
    let mut labels: Vec<Option<(f64, f64, &'static str, String)>> = vec![None; placed.len()];
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
        let w = text_width(&text, LABEL);
        let mut candidates = vec![
            (cx + rad + 4.0, cy + 4.0, "start"),
            (cx - rad - 4.0, cy + 4.0, "end"),
            (cx, cy - rad - 5.0, "middle"),
            (cx, cy + rad + 14.0, "middle"),
        ];
        for k in 1..=4 {
            let d = f64::from(k) * 14.0;
            candidates.extend([
                (cx + rad + 4.0, cy + 4.0 - d, "start"),
                (cx + rad + 4.0, cy + 4.0 + d, "start"),
                (cx - rad - 4.0, cy + 4.0 - d, "end"),
                (cx - rad - 4.0, cy + 4.0 + d, "end"),
            ]);
        }
        let boxed = |(x, y, anchor): (f64, f64, &str)| -> Boxed {
            let left = match anchor {
                "start" => x,
                "end" => x - w,
                _ => x - w / 2.0,
            };
            (left, y - 11.0, left + w, y + 3.0)
        };
        let fits = |b: Boxed| {
            b.0 >= l
                && b.2 <= r
                && b.1 >= top
                && b.3 <= bottom
                && !boxes.iter().any(|o| overlaps(*o, b))
        };
        let chosen = match candidates.iter().copied().find(|c| fits(boxed(*c))) {
            Some(c) => c,
            None if many => continue,
            None => candidates[0],
        };
        boxes.push(boxed(chosen));
        labels[i] = Some((chosen.0, chosen.1, chosen.2, text));
        named.push(i);
    }

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
                    attrs!(r#"class="bubbles" aria-hidden="true" fill="{}" fill-opacity="0.45" stroke="{}" stroke-width="1.5""#, SERIES, SERIES).into(),
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
                            SERIES.plotters(),
                        ),
                        "",
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
                        Circle::new((x, y), radius(e.expected_return).round() as i32, SERIES.plotters()),
                        attrs!(r#"class="bubble" fill="{}" fill-opacity="0.45" stroke="{}" stroke-width="1.5""#, SERIES, SERIES),
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
                let Some((x, y, anchor, text)) = label else {
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

    // Size key: a bubble of a given return.
    if max_return > 0.0 {
        let key_y = bottom + 58.0;
        let key_r = 12.0;
        let key_amount = max_return * (key_r / MAX_R).powi(2);
        let key_label = subst(
            t!(locale, "portfolio_matrix.size"),
            &[("amount", &locale.money(key_amount, currency))],
        );
        let kw = text_width(&key_label, SMALL);
        s.circle(
            r - kw - key_r - 6.0,
            key_y - 4.0,
            key_r,
            attrs!(
                r#"fill="{}" fill-opacity="0.45" stroke="{}""#,
                SERIES,
                SERIES
            ),
        );
        s.text(
            r,
            key_y,
            &key_label,
            attrs!(r#"font-size="11" fill="{}" text-anchor="end""#, MUTED),
        );
    }

    if !unplaced.is_empty() {
        let y = height - 10.0;
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
