//! Checklist heat map: "which plans answer the six questions?"
//!
//! Accounts (rows, links to their dossiers) × the six checklist questions
//! (columns). Each cell is pass, warn or fail: a colour, and a sign
//! (✓ ! ✗) that reads without it. Completeness on the right.

use super::palette::{FAIL, INK, MUTED, PASS, WARN};
use super::svg::{self, BOLD, HEAD, LABEL, SMALL, Svg, subst, text_width};
use super::{PortfolioEntry, ink_on};
use crate::figures::Status;
use crate::i18n::Locale;

const WIDTH: f64 = 720.0;
const LABEL_W: f64 = 190.0;
const RIGHT_W: f64 = 56.0;
const ROW: f64 = 28.0;
const HEADER: f64 = 34.0;

fn look(status: Status) -> (super::palette::Colour, &'static str) {
    match status {
        Status::Pass => (PASS, "✓"),
        Status::Warn => (WARN, "!"),
        Status::Fail => (FAIL, "✗"),
    }
}

/// The checklist heat map of `entries`.
pub fn checklist_heatmap(entries: &[PortfolioEntry], locale: &Locale) -> String {
    if entries.is_empty() {
        return svg::empty("checklist-heatmap", t!(locale, "checklist_heatmap.empty"));
    }
    let top = HEAD + HEADER;
    let height = top + entries.len() as f64 * ROW + 34.0;
    let cell_w = ((WIDTH - LABEL_W - RIGHT_W) / 6.0).floor();
    let failing = entries
        .iter()
        .filter(|e| e.checklist.0.iter().any(|(_, s)| *s == Status::Fail))
        .count();
    let note = subst(
        t!(locale, "checklist_heatmap.note"),
        &[
            ("failing", &failing.to_string()),
            ("total", &entries.len().to_string()),
        ],
    );
    let title = t!(locale, "checklist_heatmap.title");
    let mut s = Svg::new(WIDTH, height);
    s.heading(title, Some(&note));

    let questions = entries[0].checklist.0.map(|(q, _)| q);
    for (c, q) in questions.iter().enumerate() {
        let x = LABEL_W + c as f64 * cell_w + cell_w / 2.0;
        let label = locale
            .text(&format!("chart.question.{}", q.as_str()))
            .to_owned();
        s.label(
            x,
            top - 10.0,
            &label,
            cell_w - 4.0,
            SMALL * BOLD,
            &format!(r#"font-size="11" font-weight="bold" fill="{INK}" text-anchor="middle""#),
        );
    }
    s.text(
        WIDTH - RIGHT_W / 2.0,
        top - 10.0,
        t!(locale, "checklist_heatmap.complete"),
        &format!(r#"font-size="11" fill="{MUTED}" text-anchor="middle""#),
    );

    for (i, e) in entries.iter().enumerate() {
        let y = top + i as f64 * ROW;
        s.open_link(&e.href, &e.name);
        s.label(
            0.0,
            y + ROW / 2.0 + 4.0,
            &e.name,
            LABEL_W - 10.0,
            LABEL,
            &format!(r#"font-size="12" fill="{INK}""#),
        );
        s.close_link();
        for (c, (q, status)) in e.checklist.0.iter().enumerate() {
            let x = LABEL_W + c as f64 * cell_w;
            let (colour, sign) = look(*status);
            let question = locale
                .text(&format!("chart.question.{}", q.as_str()))
                .to_owned();
            let word = locale
                .text(&format!("chart.check.{}", status.as_str()))
                .to_owned();
            s.open_group(&format!(r#"class="cell {}""#, status.as_str()));
            s.tooltip(&format!("{} · {question}: {word}", e.name));
            s.rect(
                x + 1.0,
                y + 1.0,
                cell_w - 2.0,
                ROW - 2.0,
                &format!(r#"fill="{colour}""#),
            );
            s.text(
                x + cell_w / 2.0,
                y + ROW / 2.0 + 5.0,
                sign,
                &format!(
                    r#"font-size="14" font-weight="bold" fill="{}" text-anchor="middle""#,
                    ink_on(colour)
                ),
            );
            s.close_group();
        }
        let pct = locale.percent(e.checklist.completeness());
        s.text(
            WIDTH - RIGHT_W / 2.0,
            y + ROW / 2.0 + 4.0,
            &pct,
            &format!(r#"font-size="12" fill="{INK}" text-anchor="middle""#),
        );
    }

    // Legend.
    let y = height - 10.0;
    let mut x = LABEL_W;
    for status in [Status::Pass, Status::Warn, Status::Fail] {
        let (colour, sign) = look(status);
        s.rect(x, y - 11.0, 16.0, 14.0, &format!(r#"fill="{colour}""#));
        s.text(
            x + 8.0,
            y,
            sign,
            &format!(
                r#"font-size="11" font-weight="bold" fill="{}" text-anchor="middle""#,
                ink_on(colour)
            ),
        );
        let word = locale
            .text(&format!("chart.check.{}", status.as_str()))
            .to_owned();
        s.text(
            x + 21.0,
            y,
            &word,
            &format!(r#"font-size="11" fill="{MUTED}""#),
        );
        x += 21.0 + text_width(&word, SMALL) + 18.0;
    }

    let desc = subst(
        t!(locale, "checklist_heatmap.desc"),
        &[("count", &entries.len().to_string()), ("note", &note)],
    );
    s.finish("checklist-heatmap", title, &desc)
}
