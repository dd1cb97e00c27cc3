//! Narrative pages and visit notes, as HTML.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Dossier;
use crate::model::Named;
use crate::model::{Section, Visit};
use crate::render::context::{d, name_of, num, s, texts};
use crate::render::markdown;

/// A rendered Markdown page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageCx {
    /// Anchor.
    pub(crate) id: String,
    /// Title.
    pub(crate) title: String,
    /// Sanitized HTML.
    pub(crate) html: String,
    /// Source file.
    pub(crate) file: String,
}

/// A visit note.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct VisitCx {
    /// Anchor.
    pub(crate) id: String,
    /// Date.
    pub(crate) date: Option<String>,
    /// Kind, translated.
    pub(crate) kind_label: Option<String>,
    /// Where.
    pub r#where: Option<String>,
    /// Names of the attendees.
    pub(crate) attendees: Vec<String>,
    /// Purpose.
    pub(crate) purpose: Option<String>,
    /// Outcome.
    pub(crate) outcome: Option<String>,
    /// Next steps.
    pub(crate) next_steps: Vec<String>,
    /// The note, as sanitized HTML.
    pub(crate) html: String,
}

impl Dossier<'_> {
    /// Narrative pages by section (`other` included; `-` in names is `_`),
    /// each section's in `order`, then by file.
    pub(super) fn pages(&self) -> BTreeMap<String, Vec<PageCx>> {
        let mut by_section: BTreeMap<&'static str, Vec<(f64, PageCx)>> = BTreeMap::new();
        for p in &self.a.files.pages {
            let section = p.meta.section.as_ref().map_or(Section::Other, |s| s.value);
            let stem = stem(&p.file);
            let title = s(&p.meta.title)
                .or_else(|| {
                    p.body
                        .lines()
                        .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_owned()))
                })
                .unwrap_or_else(|| stem.to_owned());
            let id = format!("page-{}", markdown::slug(stem));
            let html = markdown::to_html(strip_title(&p.body, &title), &format!("{id}-"), 2);
            by_section.entry(section.as_str()).or_default().push((
                num(&p.meta.order).unwrap_or(f64::MAX),
                PageCx {
                    id,
                    title,
                    html,
                    file: p.file.clone(),
                },
            ));
        }
        by_section
            .into_iter()
            .map(|(k, mut v)| {
                v.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.file.cmp(&b.1.file)));
                (k.replace('-', "_"), v.into_iter().map(|(_, p)| p).collect())
            })
            .collect()
    }

    /// Visit notes, newest first.
    pub(super) fn visits(&self) -> Vec<VisitCx> {
        let loc = self.b.locale;
        let mut visits: Vec<&Visit> = self.a.files.visits.iter().collect();
        visits.sort_by(|x, y| {
            y.meta
                .date
                .as_ref()
                .map(|d| d.value)
                .cmp(&x.meta.date.as_ref().map(|d| d.value))
                .then_with(|| x.file.cmp(&y.file))
        });
        visits
            .into_iter()
            .map(|v| {
                let id = format!("visit-{}", markdown::slug(stem(&v.file)));
                VisitCx {
                    html: markdown::to_html(&v.body, &format!("{id}-"), 3),
                    id,
                    date: d(&v.meta.date),
                    kind_label: name_of(loc, v.meta.kind.as_ref().map(|k| k.value)),
                    r#where: s(&v.meta.r#where),
                    attendees: self.people(&v.meta.attendees),
                    purpose: s(&v.meta.purpose),
                    outcome: s(&v.meta.outcome),
                    next_steps: texts(&v.meta.next_steps),
                }
            })
            .collect()
    }
}

/// A file's name without its folder and `.md`.
fn stem(file: &str) -> &str {
    file.rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".md")
}

/// Drops a leading `# Title` that repeats the page title.
fn strip_title<'b>(body: &'b str, title: &str) -> &'b str {
    let trimmed = body.trim_start();
    match trimmed.split_once('\n') {
        Some((first, rest))
            if first
                .trim_end()
                .strip_prefix("# ")
                .is_some_and(|t| t.trim() == title) =>
        {
            rest
        }
        None if trimmed
            .strip_prefix("# ")
            .is_some_and(|t| t.trim() == title) =>
        {
            ""
        }
        _ => body,
    }
}
