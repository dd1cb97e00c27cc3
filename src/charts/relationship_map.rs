//! Relationship map: "who reports to whom, and whom have we reached?"
//!
//! The org chart built from `reports_to`, one box per stakeholder: name,
//! job title, role, attitude (colour strip and sign) and how long ago we
//! last had contact (`last_contact` or a visit, via
//! [`crate::figures::last_contact`]). A manager whose reports have no
//! reports of their own lists them one under the other, so wide
//! organisations stay readable. Stakeholders without a reporting line are
//! gathered in a grid below the trees.
//!
//! `reports_to` may point nowhere, at the person themself, or round in a
//! cycle: such links are cut (the person becomes a root) and the chart is
//! still drawn; nothing loops and nothing panics.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::palette::{AXIS, FAIL, INK, MUTED, PAPER, WARN};
use super::svg::{self, BOLD, HEAD, SMALL, Svg, text_width};
use super::{all_named, attitude_colour, attitude_sign};
use crate::figures::last_contact;
use crate::i18n::Locale;
use crate::model::{Attitude, BuyerRole, Date, Plan, Visit};
use crate::text::{num, subst};

const MIN_WIDTH: f64 = 720.0;
const BOX_W: f64 = 170.0;
const BOX_H: f64 = 58.0;
const H_GAP: f64 = 16.0;
const V_GAP: f64 = 30.0;
const STACK_GAP: f64 = 10.0;
const INDENT: f64 = 22.0;
const MAX_DEPTH: usize = 24;
/// Most reports listed in one column.
const MAX_STACK: usize = 6;
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

/// A box and its connectors, placed.
#[derive(Debug, Default)]
pub(super) struct Placed {
    /// Top-left corner of each stakeholder's box, by index.
    pub(super) boxes: Vec<(f64, f64)>,
    /// Connector polylines.
    lines: Vec<Vec<(f64, f64)>>,
}

/// What hangs below a manager: a subtree, or a column of reports who have
/// no reports of their own.
#[derive(Debug, Clone, Copy)]
enum Block<'a> {
    Subtree(usize),
    Leaves(&'a [usize]),
}

struct Tree<'a> {
    children: &'a [Vec<usize>],
    /// Each node's reports without reports of their own, in plan order.
    leaves: Vec<Vec<usize>>,
    /// Each subtree's size, computed once.
    sizes: Vec<(f64, f64)>,
}

impl<'a> Tree<'a> {
    fn new(children: &'a [Vec<usize>], roots: impl Iterator<Item = usize>) -> Tree<'a> {
        let leaves = children
            .iter()
            .map(|kids| {
                kids.iter()
                    .copied()
                    .filter(|c| children[*c].is_empty())
                    .collect()
            })
            .collect();
        let mut tree = Tree {
            children,
            leaves,
            sizes: vec![(BOX_W, BOX_H); children.len()],
        };
        for r in roots {
            tree.measure(r);
        }
        tree
    }

    /// A manager whose few reports have none of their own lists them right
    /// under itself.
    fn stacked(&self, i: usize) -> bool {
        let kids = &self.children[i];
        !kids.is_empty() && self.leaves[i].len() == kids.len() && kids.len() <= MAX_STACK
    }

    /// The blocks below a manager that is not stacked: the leaf reports in
    /// columns of at most [`MAX_STACK`], then the other reports' subtrees.
    fn blocks(&self, i: usize) -> Vec<Block<'_>> {
        let mut blocks: Vec<Block<'_>> = self.leaves[i]
            .chunks(MAX_STACK)
            .map(Block::Leaves)
            .collect();
        blocks.extend(
            self.children[i]
                .iter()
                .filter(|c| !self.children[**c].is_empty())
                .map(|c| Block::Subtree(*c)),
        );
        blocks
    }

    fn block_size(&self, b: Block<'_>) -> (f64, f64) {
        match b {
            Block::Subtree(c) => self.sizes[c],
            Block::Leaves(l) => (BOX_W + INDENT, l.len() as f64 * (BOX_H + STACK_GAP)),
        }
    }

    /// Fills `sizes` for the subtree of `i` (depth is capped by [`parents`]).
    fn measure(&mut self, i: usize) -> (f64, f64) {
        let size = if self.children[i].is_empty() {
            (BOX_W, BOX_H)
        } else if self.stacked(i) {
            (
                BOX_W + INDENT,
                BOX_H + self.children[i].len() as f64 * (BOX_H + STACK_GAP),
            )
        } else {
            for k in 0..self.children[i].len() {
                let c = self.children[i][k];
                if !self.children[c].is_empty() {
                    self.measure(c);
                }
            }
            let blocks = self.blocks(i);
            let (mut w, mut h) = (0.0, 0.0_f64);
            for (k, b) in blocks.iter().enumerate() {
                let (bw, bh) = self.block_size(*b);
                w += bw + if k > 0 { H_GAP } else { 0.0 };
                h = h.max(bh);
            }
            (w.max(BOX_W), BOX_H + V_GAP + h)
        };
        self.sizes[i] = size;
        size
    }

    /// A column of boxes at `x` from `top`, hanging from a spine that starts at `from`.
    fn column(&self, kids: &[usize], x: f64, top: f64, from: f64, out: &mut Placed) {
        let spine = x + INDENT / 2.0;
        let mut last = from;
        for (k, c) in kids.iter().enumerate() {
            let cy = top + k as f64 * (BOX_H + STACK_GAP);
            out.boxes[*c] = (x + INDENT, cy);
            out.lines.push(vec![
                (spine, cy + BOX_H / 2.0),
                (x + INDENT, cy + BOX_H / 2.0),
            ]);
            last = cy + BOX_H / 2.0;
        }
        out.lines.push(vec![(spine, from), (spine, last)]);
    }

    fn place(&self, i: usize, x: f64, y: f64, out: &mut Placed) {
        if self.children[i].is_empty() {
            out.boxes[i] = (x, y);
        } else if self.stacked(i) {
            out.boxes[i] = (x, y);
            self.column(&self.children[i], x, y + BOX_H + STACK_GAP, y + BOX_H, out);
        } else {
            let (w, _) = self.sizes[i];
            let blocks = self.blocks(i);
            let sizes: Vec<(f64, f64)> = blocks.iter().map(|b| self.block_size(*b)).collect();
            let used = sizes.iter().map(|s| s.0).sum::<f64>() + H_GAP * (sizes.len() - 1) as f64;
            let mut bx = x + (w - used) / 2.0;
            let child_y = y + BOX_H + V_GAP;
            let bar = y + BOX_H + V_GAP / 2.0;
            let mut drops = Vec::with_capacity(blocks.len());
            for (b, (bw, _)) in blocks.iter().zip(&sizes) {
                match b {
                    Block::Subtree(c) => {
                        self.place(*c, bx, child_y, out);
                        let top_x = out.boxes[*c].0 + BOX_W / 2.0;
                        out.lines.push(vec![(top_x, bar), (top_x, child_y)]);
                        drops.push(top_x);
                    }
                    Block::Leaves(l) => {
                        self.column(l, bx, child_y, bar, out);
                        drops.push(bx + INDENT / 2.0);
                    }
                }
                bx += bw + H_GAP;
            }
            // The manager is centred over what hangs below it.
            let first = drops.first().copied().unwrap_or(x);
            let last = drops.last().copied().unwrap_or(x);
            let px = ((first + last) / 2.0 - BOX_W / 2.0).clamp(x, x + w - BOX_W);
            out.boxes[i] = (px, y);
            let mid = px + BOX_W / 2.0;
            out.lines.push(vec![(mid, y + BOX_H), (mid, bar)]);
            out.lines
                .push(vec![(first.min(mid), bar), (last.max(mid), bar)]);
        }
    }
}

/// Lays out the forest: trees left to right (wrapping), then the people
/// without a reporting line in a grid. Returns the placement, the width,
/// the height and the top of the grid (if any).
pub(super) fn layout(plan: &Plan) -> (Placed, f64, f64, Option<f64>) {
    let parent = parents(plan);
    let children = children_of(&parent);
    let n = plan.stakeholders.len();
    let mut placed = Placed {
        boxes: vec![(0.0, 0.0); n],
        lines: Vec::new(),
    };
    let roots: Vec<usize> = (0..n)
        .filter(|i| parent[*i].is_none() && !children[*i].is_empty())
        .collect();
    let tree = Tree::new(&children, roots.iter().copied());
    let loners: Vec<usize> = (0..n)
        .filter(|i| parent[*i].is_none() && children[*i].is_empty())
        .collect();
    let sizes: Vec<(f64, f64)> = roots.iter().map(|r| tree.sizes[*r]).collect();
    let width = sizes.iter().map(|s| s.0).fold(MIN_WIDTH, f64::max);
    let (mut x, mut y, mut row_h) = (0.0, HEAD + 8.0, 0.0_f64);
    for (r, (w, h)) in roots.iter().zip(&sizes) {
        if x > 0.0 && x + w > width {
            (x, y, row_h) = (0.0, y + row_h + V_GAP, 0.0);
        }
        tree.place(*r, x, y, &mut placed);
        x += w + H_GAP * 2.0;
        row_h = row_h.max(*h);
    }
    let mut bottom = if roots.is_empty() { y } else { y + row_h + 8.0 };
    let mut grid_top = None;
    if !loners.is_empty() {
        let top = if roots.is_empty() {
            bottom
        } else {
            bottom + 30.0
        };
        grid_top = Some(top);
        let per_row = ((width + H_GAP) / (BOX_W + H_GAP)).floor().max(1.0) as usize;
        for (k, i) in loners.iter().enumerate() {
            let (col, row) = ((k % per_row) as f64, (k / per_row) as f64);
            placed.boxes[*i] = (col * (BOX_W + H_GAP), top + row * (BOX_H + STACK_GAP));
        }
        let rows = loners.len().div_ceil(per_row) as f64;
        bottom = top + rows * (BOX_H + STACK_GAP);
    }
    (placed, width, bottom + 30.0, grid_top)
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
    let Freshness {
        fresh: fresh_days,
        stale: stale_days,
    } = bands;
    if plan.stakeholders.is_empty() {
        return svg::empty("relationship-map", t!(locale, "relationship_map.empty"));
    }
    let (placed, width, height, grid_top) = layout(plan);
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
    let mut s = Svg::new("relationship-map", width, height, title, &desc);
    s.heading(title, Some(&note));

    for line in &placed.lines {
        s.polyline(line, attrs!(r#"stroke="{}" stroke-width="1.2""#, AXIS));
    }
    if let Some(top) = grid_top {
        let label = if placed.lines.is_empty() {
            t!(locale, "relationship_map.no_lines")
        } else {
            t!(locale, "relationship_map.loners")
        };
        s.label(
            0.0,
            top - 8.0,
            label,
            width,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
    }

    let attitudes = all_named::<Attitude>(locale, "attitude");
    let roles = all_named::<BuyerRole>(locale, "role");
    let roles_short = all_named::<BuyerRole>(locale, "role_short");
    for (i, p) in plan.stakeholders.iter().enumerate() {
        let (x, y) = placed.boxes[i];
        let attitude = p.attitude.as_ref().map(|a| a.value);
        let role = p.role.as_ref().map(|r| r.value);
        let key = matches!(role, Some(BuyerRole::EconomicBuyer | BuyerRole::Coach));
        let name = p
            .name
            .as_ref()
            .map(|n| n.value.as_str())
            .or_else(|| p.id.as_ref().map(|i| i.value.0.as_str()))
            .unwrap_or("?");
        let attitude_name = attitude.map_or_else(
            || t!(locale, "attitude.unknown"),
            |a| &attitudes[a as usize],
        );
        let freshness: Cow<'_, str> = match contacts[i] {
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

        s.open_group(r#"class="person""#);
        s.tooltip(
            name,
            &[
                (then(job), job.unwrap_or_default()),
                (then(role_name), role_name.unwrap_or_default()),
                (" · ", attitude_name),
                (" · ", t!(locale, "relationship_map.last_contact")),
                (" ", &freshness),
            ],
        );
        let frame = if attitude.is_none() {
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
        };
        s.rect(x, y, BOX_W, BOX_H, frame);
        let colour = attitude_colour(attitude);
        s.rect(
            x + 1.0,
            y + 1.0,
            7.0,
            BOX_H - 2.0,
            [r#"rx="3" fill=""#, colour.hex(), "\""],
        );
        let sign = attitude_sign(attitude);
        s.text(
            x + BOX_W - 7.0,
            y + 17.0,
            sign,
            attrs!(
                r#"font-size="12" font-weight="bold" fill="{}" text-anchor="end""#,
                INK
            ),
        );
        let text_x = x + 14.0;
        let sign_w = text_width(sign, 12.0 * BOLD) + 14.0;
        s.label(
            text_x,
            y + 17.0,
            name,
            BOX_W - 14.0 - sign_w,
            13.0,
            attrs!(r#"font-size="13" font-weight="bold" fill="{}""#, INK),
        );
        if let Some(job) = &p.title {
            s.label(
                text_x,
                y + 32.0,
                job,
                BOX_W - 20.0,
                SMALL,
                attrs!(r#"font-size="11" fill="{}""#, MUTED),
            );
        }
        // Footer: role on the left, contact freshness on the right.
        let fresh_w = text_width(&freshness, SMALL) + 14.0;
        if let Some(r) = role {
            let style = if key {
                attrs!(r#"font-size="11" fill="{}" font-weight="bold""#, INK)
            } else {
                attrs!(r#"font-size="11" fill="{}""#, INK)
            };
            s.label(
                text_x,
                y + 49.0,
                &roles_short[r as usize],
                BOX_W - 24.0 - fresh_w,
                SMALL,
                style,
            );
        }
        let fx = x + BOX_W - 7.0;
        let stale = contacts[i].is_none_or(|d| d > stale_days);
        let style = if stale {
            attrs!(r#"font-size="11" fill="{}" text-anchor="end""#, FAIL)
        } else {
            attrs!(r#"font-size="11" fill="{}" text-anchor="end""#, MUTED)
        };
        s.text(fx, y + 49.0, &freshness, style);
        freshness_dot(
            &mut s,
            bands,
            fx - text_width(&freshness, SMALL) - 7.0,
            y + 45.0,
            contacts[i],
        );
        s.close_group();
    }

    // Legend of the contact dots.
    let y = height - 10.0;
    let mut x = 0.0;
    for (days, label) in [
        (
            Some(0),
            subst(
                t!(locale, "relationship_map.fresh"),
                &[("days", &fresh_days.to_string())],
            ),
        ),
        (
            Some(fresh_days + 1),
            subst(
                t!(locale, "relationship_map.recent"),
                &[("days", &stale_days.to_string())],
            ),
        ),
        (
            None,
            subst(
                t!(locale, "relationship_map.stale"),
                &[("days", &stale_days.to_string())],
            ),
        ),
    ] {
        freshness_dot(&mut s, bands, x + 5.0, y - 4.0, days);
        s.text(
            x + 14.0,
            y,
            &label,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
        x += 14.0 + text_width(&label, SMALL) + 20.0;
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
