//! Checklist heat map: "which plans answer the six questions?"
//!
//! Up to [`PER_ACCOUNT_MAX`] (40) accounts: accounts (rows, links to their
//! dossiers) × the six checklist questions (columns). Each cell is pass, warn
//! or fail: a colour, and a sign (✓ ! ✕) that reads without it. Completeness
//! on the right. The chart is [`WIDTH`] wide, a phone's width: each
//! account's name stands on a line of its own above its cells, so all six
//! questions show on any screen.
//!
//! More accounts than that would make a chart taller than any screen (and a
//! page of megabytes), and the portfolio table already shows every account's
//! checklist. So above it the rows are groups: all accounts, then one row per
//! relationship stage. Each cell is a bar split into the shares that pass,
//! warn and fail, with the three counts written under it (and in a tooltip
//! with the percentages); the right column is the group's mean completeness.

use super::palette::{FAIL, GRID, INK, MUTED, Verdict};
use super::svg::{self, BOLD, HEAD, LABEL, SMALL, Svg, text_width};
use super::{PortfolioEntry, ink_on, named};
use crate::diagnostic::Question;
use crate::figures::Status;
use crate::i18n::Locale;
use crate::text::subst;

/// The chart's width: the content column of a 390 px wide phone.
pub(crate) const WIDTH: f64 = 358.0;
const RIGHT_W: f64 = 46.0;
/// The line of a row's name, above its cells.
const NAME: f64 = 17.0;
/// The height of an account's cells.
const CELL_H: f64 = 24.0;
/// The height of an account's row: its name and its cells.
const ROW: f64 = NAME + CELL_H + 5.0;
/// The title, then the note on a line of its own.
const TOP: f64 = HEAD + 16.0;
/// The column headings, in one or two lines.
const HEADER: f64 = 36.0;
/// The height of a group's row: its name, its bar and the counts under it.
const GROUP_ROW: f64 = NAME + 38.0;

/// The most accounts drawn one row each; above it, one row per group.
pub(crate) const PER_ACCOUNT_MAX: usize = 40;

const STATUSES: [Status; 3] = [Status::Pass, Status::Warn, Status::Fail];

/// The colour and sign of a status: its [`Verdict`]'s.
fn look(status: Status) -> (super::palette::Colour, &'static str) {
    let verdict = match status {
        Status::Pass => Verdict::Good,
        Status::Warn => Verdict::Warn,
        Status::Fail => Verdict::Bad,
    };
    (verdict.colour(), verdict.sign())
}

fn question_label(locale: &Locale, q: Question) -> String {
    locale
        .text(&format!("chart.question.{}", q.as_str()))
        .to_owned()
}

fn status_word(locale: &Locale, status: Status) -> String {
    locale
        .text(&format!("chart.check.{}", status.as_str()))
        .to_owned()
}

/// "{failing} of {total} plans have unanswered questions".
fn note(entries: &[PortfolioEntry], locale: &Locale) -> String {
    let failing = entries
        .iter()
        .filter(|e| e.checklist.0.iter().any(|(_, s)| *s == Status::Fail))
        .count();
    subst(
        t!(locale, "checklist_heatmap.note"),
        &[
            ("failing", &failing.to_string()),
            ("total", &entries.len().to_string()),
        ],
    )
}

/// A question's heading in the lines its column has room for: after a
/// slash ("When/ where") or at spaces, or wherever in CJK text.
fn heading_lines(label: &str, max: f64) -> Vec<String> {
    match label.split_once('/') {
        Some((head, tail)) if text_width(label, SMALL) > max => svg::wrap(
            &[head, "/ ", tail].concat(),
            max.max(text_width(head, SMALL) + text_width("/", SMALL)),
            SMALL,
            2,
        ),
        _ => svg::wrap(label, max, SMALL, 2),
    }
}

/// The column headings: the six questions and the completeness column.
fn header(s: &mut Svg, top: f64, cell_w: f64, locale: &Locale) {
    for (c, q) in Question::CHECKLIST.iter().enumerate() {
        let x = c as f64 * cell_w + cell_w / 2.0;
        let lines = heading_lines(&question_label(locale, *q), cell_w - 3.0);
        let first = top - 8.0 - (lines.len() - 1) as f64 * 13.0;
        for (k, line) in lines.iter().enumerate() {
            s.text(
                x,
                first + k as f64 * 13.0,
                line,
                attrs!(r#"font-size="11" fill="{}" text-anchor="middle""#, INK),
            );
        }
    }
    s.text(
        WIDTH - RIGHT_W / 2.0,
        top - 8.0,
        t!(locale, "checklist_heatmap.complete"),
        attrs!(r#"font-size="11" fill="{}" text-anchor="middle""#, MUTED),
    );
}

/// The legend's entries: each status's word, and their widths.
fn legend_words(locale: &Locale) -> (Vec<String>, Vec<f64>) {
    let words: Vec<String> = STATUSES.iter().map(|st| status_word(locale, *st)).collect();
    let widths = words.iter().map(|w| 21.0 + text_width(w, SMALL)).collect();
    (words, widths)
}

/// The legend at the bottom: colour, sign and word of each status.
fn legend(s: &mut Svg, top: f64, locale: &Locale) {
    let (words, widths) = legend_words(locale);
    let (spots, _) = svg::flow(&widths, WIDTH);
    for ((status, word), (x, dy)) in STATUSES.iter().zip(&words).zip(spots) {
        let (colour, sign) = look(*status);
        let y = top + dy + 13.0;
        s.rect(x, y - 11.0, 16.0, 14.0, format_args!(r#"fill="{colour}""#));
        s.text(
            x + 8.0,
            y,
            sign,
            format_args!(
                r#"font-size="11" font-weight="bold" fill="{}" text-anchor="middle""#,
                ink_on(colour)
            ),
        );
        s.text(
            x + 21.0,
            y,
            word,
            attrs!(r#"font-size="11" fill="{}""#, MUTED),
        );
    }
}

/// The checklist heat map of `entries`: one row per account up to 40
/// accounts, one row per relationship stage (and one for all) above.
pub(crate) fn checklist_heatmap(entries: &[PortfolioEntry], locale: &Locale) -> String {
    if entries.is_empty() {
        return svg::empty("checklist-heatmap", t!(locale, "checklist_heatmap.empty"));
    }
    if entries.len() > PER_ACCOUNT_MAX {
        return by_stage(entries, locale);
    }
    let Frame {
        mut s,
        top,
        cell_w,
        legend_top,
    } = start(entries, entries.len() as f64 * ROW, &[], locale);

    for (i, e) in entries.iter().enumerate() {
        let y = top + i as f64 * ROW;
        s.open_link(&e.href, &e.name);
        s.label(
            0.0,
            y + NAME - 5.0,
            &e.name,
            WIDTH,
            LABEL,
            attrs!(r#"font-size="12" fill="{}""#, INK),
        );
        s.close_link();
        let y = y + NAME;
        for (c, (q, status)) in e.checklist.0.iter().enumerate() {
            let x = c as f64 * cell_w;
            let (colour, sign) = look(*status);
            let question = question_label(locale, *q);
            let word = status_word(locale, *status);
            s.open_group(format_args!(r#"class="cell {}""#, status.as_str()));
            s.tooltip(&e.name, &[(" · ", &question), (": ", &word)]);
            s.rect(
                x + 1.0,
                y + 1.0,
                cell_w - 2.0,
                CELL_H - 2.0,
                format_args!(r#"fill="{colour}""#),
            );
            s.text(
                x + cell_w / 2.0,
                y + CELL_H / 2.0 + 5.0,
                sign,
                format_args!(
                    r#"font-size="14" font-weight="bold" fill="{}" text-anchor="middle""#,
                    ink_on(colour)
                ),
            );
            s.close_group();
        }
        let pct = locale.percent(e.checklist.completeness());
        s.text(
            WIDTH - RIGHT_W / 2.0,
            y + CELL_H / 2.0 + 4.0,
            &pct,
            attrs!(r#"font-size="12" fill="{}" text-anchor="middle""#, INK),
        );
    }

    legend(&mut s, legend_top, locale);
    s.finish()
}

/// How many accounts of a group pass, warn and fail one question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) pass: usize,
    pub(crate) warn: usize,
    pub(crate) fail: usize,
}

impl Tally {
    fn add(&mut self, status: Status) {
        match status {
            Status::Pass => self.pass += 1,
            Status::Warn => self.warn += 1,
            Status::Fail => self.fail += 1,
        }
    }

    fn of(&self, status: Status) -> usize {
        match status {
            Status::Pass => self.pass,
            Status::Warn => self.warn,
            Status::Fail => self.fail,
        }
    }

    fn total(&self) -> usize {
        self.pass + self.warn + self.fail
    }

    /// `412 answered (82%), 60 warnings (12%), 28 errors (5.6%)`: each share
    /// by the site's one percentage rule ([`crate::i18n::percent`]).
    pub(crate) fn sentence(&self, locale: &Locale) -> String {
        let total = self.total().max(1) as f64;
        STATUSES
            .iter()
            .map(|st| {
                let n = self.of(*st);
                format!(
                    "{n} {} ({})",
                    status_word(locale, *st),
                    locale.percent(n as f64 / total)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A row of the grouped heat map: its label, its accounts' count, the tallies
/// of the six questions and the accounts' mean completeness.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    pub(crate) label: String,
    pub(crate) accounts: usize,
    pub(crate) tallies: [Tally; 6],
    pub(crate) completeness: f64,
    /// The row of the `disintegrating` stage: an alert.
    pub(crate) breaking: bool,
}

fn group(label: String, entries: &[&PortfolioEntry]) -> Group {
    let mut tallies = [Tally::default(); 6];
    for e in entries {
        for (t, (_, status)) in tallies.iter_mut().zip(e.checklist.0.iter()) {
            t.add(*status);
        }
    }
    let completeness = entries
        .iter()
        .map(|e| e.checklist.completeness())
        .sum::<f64>()
        / entries.len().max(1) as f64;
    Group {
        label,
        accounts: entries.len(),
        tallies,
        completeness,
        breaking: false,
    }
}

/// The groups of the aggregated heat map: all accounts first, then each
/// relationship stage that has accounts, in the order of the relationship.
pub(crate) fn groups(entries: &[PortfolioEntry], locale: &Locale) -> Vec<Group> {
    let all: Vec<&PortfolioEntry> = entries.iter().collect();
    // "All" is the portfolio table's filter label, so the two read alike.
    let mut out = vec![group(locale.text("portfolio.all").to_owned(), &all)];
    for stage in super::STAGE_ORDER {
        let members: Vec<&PortfolioEntry> = entries.iter().filter(|e| e.stage == stage).collect();
        if members.is_empty() {
            continue;
        }
        let label = match stage {
            Some(st) => named(locale, "stage", st).into_owned(),
            None => t!(locale, "stages.unset").to_owned(),
        };
        out.push(Group {
            breaking: stage == Some(crate::model::Stage::Disintegrating),
            ..group(label, &members)
        });
    }
    out
}

/// A heat map begun: its heading and column header drawn, `rows` high below them.
struct Frame {
    s: Svg,
    /// The top of the rows.
    top: f64,
    /// The width of a cell.
    cell_w: f64,
    /// The top of the legend.
    legend_top: f64,
}

/// Begins a heat map of `entries`; its description ends with `overall`,
/// the numbers of its first row, when there are any.
fn start(entries: &[PortfolioEntry], rows: f64, overall: &[String], locale: &Locale) -> Frame {
    let top = TOP + HEADER;
    let cell_w = ((WIDTH - RIGHT_W) / 6.0).floor();
    let note = note(entries, locale);
    let legend_top = top + rows + 8.0;
    let (_, widths) = legend_words(locale);
    let height = legend_top + svg::flow(&widths, WIDTH).1 + 4.0;
    let mut desc = subst(
        t!(locale, "checklist_heatmap.desc"),
        &[("count", &entries.len().to_string()), ("note", &note)],
    );
    if !overall.is_empty() {
        // After the sentence, in its language's punctuation.
        let separator = if desc.ends_with('.') {
            desc.push(' ');
            "; "
        } else {
            "；"
        };
        desc.push_str(&overall.join(separator));
    }
    let title = t!(locale, "checklist_heatmap.title");
    let mut s = Svg::new("checklist-heatmap", WIDTH, height, title, &desc);
    // The note on a line of its own: the chart is narrow.
    s.heading(title, None);
    s.label(
        0.0,
        TOP - 6.0,
        &note,
        WIDTH,
        LABEL,
        attrs!(r#"font-size="12" fill="{}""#, MUTED),
    );
    header(&mut s, top, cell_w, locale);
    Frame {
        s,
        top,
        cell_w,
        legend_top,
    }
}

/// The aggregated heat map: one row for all accounts, one per stage.
fn by_stage(entries: &[PortfolioEntry], locale: &Locale) -> String {
    let groups = groups(entries, locale);
    // The chart is an image to assistive technology: its description carries
    // the numbers of the first row, question by question.
    let overall: Vec<String> = Question::CHECKLIST
        .iter()
        .zip(&groups[0].tallies)
        .map(|(q, t)| format!("{}: {}", question_label(locale, *q), t.sentence(locale)))
        .collect();
    let Frame {
        mut s,
        top,
        cell_w,
        legend_top,
    } = start(
        entries,
        groups.len() as f64 * GROUP_ROW + 6.0,
        &overall,
        locale,
    );

    s.open_group(r#"class="group-rows""#);
    let mut y = top;
    for (i, g) in groups.iter().enumerate() {
        if i == 1 {
            // The stages below add up to the first row.
            y += 6.0;
            s.line(0.0, y - 3.0, WIDTH, y - 3.0, attrs!(r#"stroke="{}""#, GRID));
        }
        let weight = if i == 0 { r#" font-weight="bold""# } else { "" };
        s.label(
            0.0,
            y + NAME - 5.0,
            &format!("{} ({})", g.label, g.accounts),
            WIDTH,
            if i == 0 { LABEL * BOLD } else { LABEL },
            format_args!(
                r#"font-size="12"{} fill="{}""#,
                if g.breaking {
                    r#" font-weight="bold""#
                } else {
                    weight
                },
                if g.breaking { FAIL } else { INK }
            ),
        );
        // The cells under the name.
        let cy = y + NAME;
        for (c, (q, tally)) in Question::CHECKLIST.iter().zip(&g.tallies).enumerate() {
            let x = c as f64 * cell_w;
            s.open_group(format_args!(
                r#"class="cell" data-pass="{}" data-warn="{}" data-fail="{}""#,
                tally.pass, tally.warn, tally.fail
            ));
            s.tooltip(
                &g.label,
                &[
                    (" · ", &question_label(locale, *q)),
                    (": ", &tally.sentence(locale)),
                ],
            );
            // The bar: the shares that pass, warn and fail, left to right.
            let (bar_x, bar_w) = (x + 3.0, cell_w - 6.0);
            let mut at = bar_x;
            for status in STATUSES {
                let n = tally.of(status);
                if n == 0 {
                    continue;
                }
                let w = bar_w * n as f64 / tally.total() as f64;
                s.rect(
                    at,
                    cy + 4.0,
                    w,
                    12.0,
                    format_args!(r#"fill="{}""#, look(status).0),
                );
                at += w;
            }
            // The counts under it, with the signs of the legend.
            let counts: Vec<String> = STATUSES
                .iter()
                .filter(|st| tally.of(**st) > 0)
                .map(|st| format!("{}{}", look(*st).1, tally.of(*st)))
                .collect();
            s.label(
                x + cell_w / 2.0,
                cy + 30.0,
                &counts.join(" "),
                cell_w - 2.0,
                SMALL,
                attrs!(r#"font-size="11" fill="{}" text-anchor="middle""#, INK),
            );
            s.close_group();
        }
        s.text(
            WIDTH - RIGHT_W / 2.0,
            cy + 17.0,
            &locale.percent(g.completeness),
            format_args!(r#"font-size="12"{weight} fill="{INK}" text-anchor="middle""#),
        );
        y += GROUP_ROW;
    }
    s.close_group();

    legend(&mut s, legend_top, locale);
    s.finish()
}
