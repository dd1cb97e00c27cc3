//! Relationship coverage: "who on our side holds each relationship, and how
//! deep is it?"
//!
//! A grid of the stakeholders (rows: key persons first, those with influence
//! ≥ `key_influence`, by influence, then the others) × the members of our
//! team who hold a relationship (columns, in plan order). A cell shows one `coverage` entry: four squares for the four
//! levels (aware, favorable, trusted, allied), as many filled as the level
//! reached, the squares up to the target outlined, and the level's name
//! under them, so the depth reads without colour. A cell without an entry is
//! a dashed gap; a key person nobody covers has a warning tint and sign.
//!
//! The chart is 358 px wide, so that it fits a phone, while at most three
//! team members hold relationships. With four it is drawn twice: for phones
//! (`chart-phone`, a narrower label column), and 540 px wide (a cell of the
//! theme's `.chart-grid`) for every other screen and print; the theme shows
//! one. 540 px up to six members; wider above, scrolling in its frame.

use std::borrow::Cow;

use super::palette::{AXIS, GRID, INK, MUTED, PAPER, SERIES, Verdict};
use super::svg::{self, BOLD, HEAD, LABEL, SMALL, Svg, flow, text_width};
use super::{all_named, ink_on, name_or_id};
use crate::i18n::Locale;
use crate::model::{Coverage, CoverageLevel, Member, Named, Plan, Stakeholder};
use crate::text::{num, subst};

const PHONE: f64 = 358.0;
const CELL: f64 = 540.0;
const LABEL_W: f64 = 150.0;
/// The narrowest a column may be: four squares and a level's name.
const MIN_COL: f64 = 64.0;
const HEADER: f64 = 40.0;
const ROW: f64 = 40.0;
const GROUP: f64 = 20.0;
const SQUARE: f64 = 11.0;
const SQUARE_GAP: f64 = 3.0;

const LEVELS: [CoverageLevel; 4] = [
    CoverageLevel::Aware,
    CoverageLevel::Favorable,
    CoverageLevel::Trusted,
    CoverageLevel::Allied,
];

/// How many of the four squares a level fills: aware 1 … allied 4.
fn depth(level: CoverageLevel) -> usize {
    LEVELS.iter().position(|l| *l == level).map_or(0, |i| i + 1)
}

/// Where a drawing goes: its width, the width of its label column and
/// the classes added to the chart's own.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Layout {
    width: f64,
    label_w: f64,
    class: &'static str,
}

/// The narrowest label column, for a phone.
const PHONE_LABEL_W: f64 = 100.0;

/// The drawings for `columns` team members: one 358 px wide when it fits a
/// phone with the full label column; else one for phones with a narrower
/// label column (up to four members) and one 540 px wide; beyond six
/// members, one as wide as the columns need.
fn layouts(columns: usize) -> Vec<Layout> {
    let fits = |label_w: f64, width: f64| label_w + columns as f64 * MIN_COL <= width;
    let at = |width: f64, label_w: f64, class: &'static str| Layout {
        width,
        label_w,
        class,
    };
    if fits(LABEL_W, PHONE) {
        vec![at(PHONE, LABEL_W, "")]
    } else if fits(PHONE_LABEL_W, PHONE) {
        vec![
            at(PHONE, PHONE_LABEL_W, " chart-phone"),
            at(CELL, LABEL_W, ""),
        ]
    } else if fits(LABEL_W, CELL) {
        vec![at(CELL, LABEL_W, "")]
    } else {
        vec![at(LABEL_W + columns as f64 * MIN_COL, LABEL_W, "")]
    }
}

/// A stakeholder's row: the person, whether a key person, their coverage.
struct Row<'a> {
    person: &'a Stakeholder,
    key: bool,
}

fn name(s: &Stakeholder) -> &str {
    name_or_id(s.name.as_ref(), s.id.as_ref()).unwrap_or("?")
}

fn member_name(m: &Member) -> &str {
    name_or_id(m.name.as_ref(), m.id.as_ref()).unwrap_or("?")
}

/// The entry of `row` by team member `m`, if any.
fn entry<'a>(row: &Row<'a>, m: &Member) -> Option<&'a Coverage> {
    let id = m.id.as_ref()?;
    row.person
        .coverage
        .iter()
        .find(|c| c.by.as_ref().is_some_and(|b| b.value == id.value))
}

/// The rows in chart order: key persons by influence (highest first), then
/// the others, each group in plan order.
fn rows(plan: &Plan, key_influence: u32) -> Vec<Row<'_>> {
    let influence = |s: &Stakeholder| s.influence.as_ref().map_or(0, |i| i.get());
    let key = i64::from(key_influence);
    let mut rows: Vec<Row<'_>> = plan
        .stakeholders
        .iter()
        .map(|s| Row {
            person: s,
            key: influence(s) >= key,
        })
        .collect();
    rows.sort_by_key(|r| (!r.key, if r.key { -influence(r.person) } else { 0 }));
    rows
}

/// The coverage grid of `plan`; `key_influence` from `[thresholds]`.
pub fn coverage(plan: &Plan, key_influence: u32, locale: &Locale) -> String {
    let rows = rows(plan, key_influence);
    let team = holders(plan, &rows);
    if team.is_empty() {
        return svg::empty("coverage", t!(locale, "coverage.empty"));
    }
    let grid = Grid {
        levels: all_named::<CoverageLevel>(locale, "level"),
        rows,
        team,
        key_influence,
        locale,
    };
    layouts(grid.team.len())
        .into_iter()
        .map(|layout| grid.draw(layout))
        .collect()
}

/// The team members who hold a relationship, in plan order: the columns.
fn holders<'a>(plan: &'a Plan, rows: &[Row<'_>]) -> Vec<&'a Member> {
    plan.team
        .iter()
        .filter(|m| rows.iter().any(|r| entry(r, m).is_some()))
        .collect()
}

/// Whether anyone on `team` holds the relationship with `row`'s person.
fn covered(row: &Row<'_>, team: &[&Member]) -> bool {
    team.iter().any(|m| entry(row, m).is_some())
}

/// "3 of 4 key persons covered, by 2 of our team".
fn note(rows: &[Row<'_>], team: &[&Member], locale: &Locale) -> String {
    let keys = rows.iter().filter(|r| r.key);
    subst(
        t!(locale, "coverage.note"),
        &[
            (
                "covered",
                &keys
                    .clone()
                    .filter(|r| covered(r, team))
                    .count()
                    .to_string(),
            ),
            ("key", &keys.count().to_string()),
            ("holders", &team.len().to_string()),
        ],
    )
}

/// The chart's note for the dossier's summary of it; `None` when the plan
/// records no coverage (the chart then says what to add).
pub(crate) fn coverage_note(plan: &Plan, key_influence: u32, locale: &Locale) -> Option<String> {
    let rows = rows(plan, key_influence);
    let team = holders(plan, &rows);
    (!team.is_empty()).then(|| note(&rows, &team, locale))
}

/// What every drawing of the chart shows.
struct Grid<'a> {
    rows: Vec<Row<'a>>,
    team: Vec<&'a Member>,
    levels: Vec<Cow<'a, str>>,
    key_influence: u32,
    locale: &'a Locale,
}

impl Grid<'_> {
    fn draw(&self, layout: Layout) -> String {
        let Grid {
            rows,
            team,
            levels,
            key_influence,
            locale,
        } = self;
        let (rows, team, key_influence, locale) =
            (rows.as_slice(), team.as_slice(), *key_influence, *locale);
        let level_name = |l: CoverageLevel| levels[depth(l) - 1].as_ref();
        let keys = rows.iter().filter(|r| r.key).count();
        let others = rows.len() - keys;

        let Layout {
            width,
            label_w,
            class,
        } = layout;
        let col = (width - label_w) / team.len() as f64;
        let note = note(rows, team, locale);
        let legend = legend_entries(locale, levels);
        let (spots, legend_h) = flow(&legend.iter().map(|e| e.width).collect::<Vec<_>>(), width);
        let groups = usize::from(keys > 0) + usize::from(others > 0);
        let top = HEAD + 16.0 + HEADER;
        let grid_h = rows.len() as f64 * ROW + groups as f64 * GROUP;
        let height = top + grid_h + 14.0 + legend_h;

        let title = t!(locale, "coverage.title");
        let desc = subst(
            t!(locale, "coverage.desc"),
            &[
                ("count", &rows.len().to_string()),
                ("members", &team.len().to_string()),
                ("note", &note),
            ],
        );
        let mut s = Svg::new(&["coverage", class].concat(), width, height, title, &desc);
        s.heading(title, None);
        s.label(
            0.0,
            HEAD + 6.0,
            &note,
            width,
            LABEL,
            attrs!(r#"font-size="12" fill="{}""#, MUTED),
        );

        // Column headings: the team member's name, their role under it.
        let head_y = HEAD + 16.0;
        for (c, m) in team.iter().enumerate() {
            let x = label_w + c as f64 * col + col / 2.0;
            s.label(
                x,
                head_y + 14.0,
                member_name(m),
                col - 6.0,
                LABEL * BOLD,
                attrs!(
                    r#"font-size="12" font-weight="bold" fill="{}" text-anchor="middle""#,
                    INK
                ),
            );
            if let Some(role) = &m.role {
                let key = format!("enum.team_role.{}", role.value.as_str());
                s.label(
                    x,
                    head_y + 30.0,
                    locale.text(&key),
                    col - 6.0,
                    SMALL,
                    attrs!(r#"font-size="11" fill="{}" text-anchor="middle""#, MUTED),
                );
            }
        }

        let mut y = top;
        for (i, row) in rows.iter().enumerate() {
            if i == 0 || (row.key != rows[i - 1].key) {
                let label = if row.key {
                    subst(
                        t!(locale, "coverage.key"),
                        &[("min", &key_influence.to_string())],
                    )
                } else {
                    t!(locale, "coverage.others").to_owned()
                };
                s.line(0.0, y + 0.5, width, y + 0.5, attrs!(r#"stroke="{}""#, AXIS));
                s.label(
                    0.0,
                    y + 15.0,
                    &label,
                    width,
                    SMALL * BOLD,
                    attrs!(r#"font-size="11" font-weight="bold" fill="{}""#, MUTED),
                );
                y += GROUP;
            }
            draw_row(
                &mut s,
                row,
                team,
                (y, label_w, col),
                covered(row, team),
                &level_name,
                locale,
            );
            y += ROW;
        }

        let legend_top = top + grid_h + 14.0;
        for (e, (dx, dy)) in legend.iter().zip(spots) {
            e.draw(&mut s, dx, legend_top + dy + 12.0);
        }
        s.finish()
    }
}

/// One stakeholder's row at `y`: their name and title in the label column
/// `label_w` wide, then a cell `col` wide per team member.
fn draw_row<'a>(
    s: &mut Svg,
    row: &Row<'_>,
    team: &[&Member],
    (y, label_w, col): (f64, f64, f64),
    covered: bool,
    level_name: &dyn Fn(CoverageLevel) -> &'a str,
    locale: &Locale,
) {
    let person = name(row.person);
    let alert = row.key && !covered;
    if alert {
        let warn = Verdict::Warn.colour();
        s.rect(
            0.0,
            y + 1.0,
            s.width,
            ROW - 2.0,
            format_args!(r#"fill="{warn}" fill-opacity="0.25""#),
        );
        s.circle(
            label_w - 14.0,
            y + ROW / 2.0,
            8.0,
            format_args!(r#"fill="{warn}""#),
        );
        s.text(
            label_w - 14.0,
            y + ROW / 2.0 + 4.0,
            Verdict::Warn.sign(),
            format_args!(
                r#"font-size="12" font-weight="bold" fill="{}" text-anchor="middle""#,
                ink_on(warn)
            ),
        );
    }
    let label_max = label_w - if alert { 30.0 } else { 8.0 };
    s.label(
        0.0,
        y + 16.0,
        person,
        label_max,
        LABEL,
        attrs!(r#"font-size="12" fill="{}""#, INK),
    );
    let influence = row.person.influence.as_ref().map(|i| {
        subst(
            t!(locale, "coverage.influence"),
            &[("n", &num(i.get() as f64))],
        )
    });
    let title = row.person.title.as_ref().map(|t| t.value.trim().to_owned());
    let sub = [title, influence]
        .into_iter()
        .flatten()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    if !sub.is_empty() {
        s.label(
            0.0,
            y + 31.0,
            &sub,
            label_max,
            SMALL,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
    }
    for (c, m) in team.iter().enumerate() {
        let x = label_w + c as f64 * col;
        let found = entry(row, m);
        let state = match found.and_then(|e| e.level.as_ref()) {
            Some(level) => {
                let target = found
                    .and_then(|e| e.target.as_ref())
                    .map(|t| t.value)
                    .filter(|t| depth(*t) > depth(level.value));
                let mut text = level_name(level.value).to_owned();
                if let Some(t) = target {
                    text.push_str(" → ");
                    text.push_str(level_name(t));
                }
                (Some(level.value), target, text)
            }
            None => (None, None, t!(locale, "coverage.none").to_owned()),
        };
        s.open_group(format_args!(
            r#"class="cell {}""#,
            state.0.map_or("gap", |l| l.as_str())
        ));
        s.tooltip(person, &[(" · ", member_name(m)), (": ", &state.2)]);
        match state.0 {
            Some(level) => cell(
                s,
                x,
                y,
                col,
                depth(level),
                state.1.map_or(0, depth),
                level_name(level),
            ),
            None => s.rect(
                x + 3.0,
                y + 4.0,
                col - 6.0,
                ROW - 8.0,
                attrs!(r#"fill="none" stroke="{}" stroke-dasharray="3 3""#, AXIS),
            ),
        }
        s.close_group();
    }
    s.line(
        0.0,
        y + ROW - 0.5,
        s.width,
        y + ROW - 0.5,
        attrs!(r#"stroke="{}""#, GRID),
    );
}

/// The squares of a cell: `filled` of four filled, those up to `target`
/// outlined, the rest faint; the level's name under them.
fn cell(s: &mut Svg, x: f64, y: f64, col: f64, filled: usize, target: usize, word: &str) {
    let squares_w = 4.0 * SQUARE + 3.0 * SQUARE_GAP;
    let x0 = x + (col - squares_w) / 2.0;
    squares(s, x0, y + 7.0, filled, target);
    s.label(
        x + col / 2.0,
        y + 33.0,
        word,
        col - 4.0,
        SMALL,
        attrs!(r#"font-size="11" fill="{}" text-anchor="middle""#, INK),
    );
}

/// Four squares from (`x`, `y`): `filled` filled, up to `target` outlined.
fn squares(s: &mut Svg, x: f64, y: f64, filled: usize, target: usize) {
    for k in 0..4 {
        let sx = x + k as f64 * (SQUARE + SQUARE_GAP);
        if k < filled {
            s.rect(sx, y, SQUARE, SQUARE, attrs!(r#"fill="{}""#, SERIES));
        } else if k < target {
            s.rect(
                sx + 0.75,
                y + 0.75,
                SQUARE - 1.5,
                SQUARE - 1.5,
                attrs!(r#"fill="{}" stroke="{}" stroke-width="1.5""#, PAPER, SERIES),
            );
        } else {
            s.rect(sx, y, SQUARE, SQUARE, attrs!(r#"fill="{}""#, GRID));
        }
    }
}

/// One entry of the legend: its width, text, and how its mark is drawn
/// at (x, y), the text's baseline; the text follows the mark.
struct LegendEntry {
    width: f64,
    text: String,
    mark: f64,
    draw: fn(&mut Svg, f64, f64),
}

impl LegendEntry {
    fn draw(&self, s: &mut Svg, x: f64, y: f64) {
        (self.draw)(s, x, y);
        s.text(
            x + self.mark,
            y,
            &self.text,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
    }
}

/// The legend: the scale of levels, the target's outline, a gap, the
/// warning of a key person nobody covers.
fn legend_entries(locale: &Locale, levels: &[Cow<'_, str>]) -> Vec<LegendEntry> {
    let squares_w = 4.0 * SQUARE + 3.0 * SQUARE_GAP + 6.0;
    let scale = levels
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{} {l}", i + 1))
        .collect::<Vec<_>>()
        .join(" · ");
    let entry = |text: String, mark: f64, draw: fn(&mut Svg, f64, f64)| LegendEntry {
        width: mark + text_width(&text, SMALL),
        text,
        mark,
        draw,
    };
    vec![
        entry(scale, squares_w, |s, x, y| squares(s, x, y - 10.0, 2, 0)),
        entry(
            t!(locale, "coverage.legend_target").to_owned(),
            squares_w,
            |s, x, y| squares(s, x, y - 10.0, 2, 4),
        ),
        entry(
            t!(locale, "coverage.legend_gap").to_owned(),
            22.0,
            |s, x, y| {
                s.rect(
                    x,
                    y - 11.0,
                    16.0,
                    13.0,
                    attrs!(r#"fill="none" stroke="{}" stroke-dasharray="3 3""#, AXIS),
                );
            },
        ),
        entry(
            t!(locale, "coverage.legend_uncovered").to_owned(),
            22.0,
            |s, x, y| {
                let warn = Verdict::Warn.colour();
                s.circle(x + 8.0, y - 4.0, 8.0, format_args!(r#"fill="{warn}""#));
                s.text(
                    x + 8.0,
                    y,
                    Verdict::Warn.sign(),
                    format_args!(
                        r#"font-size="11" font-weight="bold" fill="{}" text-anchor="middle""#,
                        ink_on(warn)
                    ),
                );
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;

    fn plan(yaml: &str) -> Plan {
        let mut sink = crate::diagnostic::Sink::new("t", "plan.yaml");
        crate::load::parse_plan(yaml, &mut sink).expect("the plan parses")
    }

    const PLAN: &str = "\
team:
  - {id: zhang-wei, name: Zhang Wei, role: account-manager}
  - {id: chen-jie, name: Chen Jie, role: executive-sponsor}
stakeholders:
  - {id: zhou-yu, name: Zhou Yu, influence: 2}
  - id: li-ming
    name: Li Ming
    influence: 4
    coverage:
      - {by: zhang-wei, level: favorable, target: trusted}
  - {id: sun-hua, name: Sun Hua, influence: 5}
  - id: wu-fang
    name: Wu Fang
    influence: 3
    coverage: [{by: chen-jie, level: allied}]
";

    #[test]
    fn a_cell_per_stakeholder_and_member_key_persons_first() {
        let html = coverage(&plan(PLAN), 4, &Locale::new(Language::En));
        assert_eq!(html.matches(r#"<g class="cell "#).count(), 8, "{html}");
        assert_eq!(html.matches(r#"<g class="cell gap">"#).count(), 6);
        // Key persons by influence (Sun Hua 5, Li Ming 4), then the others in plan order.
        let at = |s: &str| {
            html.find(&format!(">{s}</text>"))
                .unwrap_or_else(|| panic!("{s}"))
        };
        assert!(at("Sun Hua") < at("Li Ming") && at("Li Ming") < at("Zhou Yu"));
        assert!(at("Zhou Yu") < at("Wu Fang"));
        assert!(html.contains("<title>Li Ming · Zhang Wei: Favorable → Trusted</title>"));
        assert!(html.contains("<title>Wu Fang · Chen Jie: Allied</title>"));
        assert!(html.contains("<title>Sun Hua · Chen Jie: no relationship</title>"));
        // Li Ming: two squares filled, one outlined (the target), one faint.
        let cell = &html[html.find("<title>Li Ming · Zhang Wei").unwrap()..];
        let cell = &cell[..cell.find("</g>").unwrap()];
        assert_eq!(cell.matches(r##"fill="#3b6ea5""##).count(), 2);
        assert_eq!(cell.matches(r#"stroke-width="1.5""#).count(), 1);
        // Sun Hua, a key person nobody covers, is flagged; one of two key persons is covered.
        assert_eq!(
            html.matches(">!</text>").count(),
            2,
            "the row and the legend"
        );
        assert!(html.contains("1 of 2 key persons covered, by 2 of our team"));
        assert!(html.contains(r#"width="358""#));
    }

    #[test]
    fn four_holders_are_drawn_for_phones_and_for_the_grid() {
        let yaml = PLAN.replace(
            "team:\n",
            "team:\n  - {id: a, name: A}\n  - {id: b, name: B}\n",
        ) + "  - id: x\n    coverage: [{by: a, level: aware}, {by: b, level: aware}]\n";
        let html = coverage(&plan(&yaml), 4, &Locale::new(Language::En));
        let phone = html.find(r#"class="chart chart-coverage chart-phone" width="358""#);
        let grid = html.find(r#"class="chart chart-coverage" width="540""#);
        assert!(
            matches!((phone, grid), (Some(p), Some(g)) if p < g),
            "{html}"
        );
        assert_eq!(html.matches(r#"<g class="cell "#).count(), 2 * 5 * 4);
    }

    #[test]
    fn without_coverage_it_says_what_to_add() {
        let html = coverage(
            &plan("team: [{id: a}]\nstakeholders: [{id: b, influence: 5}]\n"),
            4,
            &Locale::new(Language::ZhCn),
        );
        assert!(html.starts_with(r#"<p class="chart-empty"#), "{html}");
        assert!(html.contains("coverage"));
    }

    #[test]
    fn phones_get_a_drawing_of_their_own_up_to_four_members() {
        let widths = |n| {
            layouts(n)
                .iter()
                .map(|l| (l.width, l.label_w))
                .collect::<Vec<_>>()
        };
        assert_eq!(widths(1), [(PHONE, LABEL_W)]);
        assert_eq!(widths(3), [(PHONE, LABEL_W)]);
        assert_eq!(widths(4), [(PHONE, PHONE_LABEL_W), (CELL, LABEL_W)]);
        assert_eq!(widths(6), [(CELL, LABEL_W)]);
        assert_eq!(widths(8), [(LABEL_W + 8.0 * MIN_COL, LABEL_W)]);
        assert_eq!(layouts(4)[0].class, " chart-phone");
    }

    #[test]
    fn depth_counts_the_levels() {
        assert_eq!(LEVELS.map(depth), [1, 2, 3, 4]);
    }
}
