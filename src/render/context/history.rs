//! The history parts of the pages: when each plan last changed and by whom
//! (portfolio and dossier), what changed since the last review (or since
//! `--since`), and the notes that say plainly what is missing without git.

use crate::config::Language;
use serde::Serialize;

use super::Builder;
use crate::AccountReport;
use crate::history::diff::{self, Words};
use crate::history::{AccountHistory, Since, Source, Unavailable};
use crate::i18n::Locale;
use crate::text::{escaped_html, subst};

/// The change lines in the site's language, as HTML, amounts in the
/// site's money format and the account's currency.
struct SiteWords<'a>(&'a Locale, &'a str);

impl Words for SiteWords<'_> {
    fn word(&self, key: &str) -> String {
        // Phrases are trusted text from the theme; placeholders are filled
        // with escaped values.
        escaped_html(self.0.text(&format!("history.diff.{key}")))
    }
    fn site_label(&self, key: &str) -> Option<String> {
        match self.0.language {
            Language::En => None,
            Language::ZhCn => self.0.get(key).map(escaped_html),
        }
    }
    fn esc(&self, s: &str) -> String {
        escaped_html(s)
    }
    fn code(&self, id: &str) -> String {
        format!("<code>{}</code>", escaped_html(id))
    }
    fn money(&self, v: f64) -> String {
        escaped_html(&self.0.money(v, self.1))
    }
    fn money_delta(&self, v: f64) -> String {
        let sign = if v > 0.0 { "+" } else { "" };
        escaped_html(&format!("{sign}{}", self.0.money(v, self.1)))
    }
}

/// When a plan last changed, for the portfolio and the dossier.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LastChanged {
    /// The commit date.
    pub(crate) date: String,
    /// Who made the change.
    pub(crate) author: String,
    /// Days before "today" (negative for commits after it).
    pub(crate) days: i64,
    /// A shallow clone's boundary: the change happened on or before `date`.
    pub(crate) approx: bool,
    /// `plan/stale` fired.
    pub(crate) stale: bool,
    /// The short commit id.
    pub(crate) commit: String,
    /// The commit's first line.
    pub(crate) subject: String,
}

/// The dossier's history section.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HistoryCx {
    /// Sentences about what the history lacks (no git, shallow clone, ...).
    pub(crate) notes: Vec<String>,
    /// The last change of the plan.
    pub(crate) last_changed: Option<LastChanged>,
    /// What changed since the last review (or `--since`).
    pub(crate) changes: Option<ChangesCx>,
    /// Why there is no comparison, for a committed plan without one.
    pub(crate) changes_note: Option<String>,
}

/// What changed since the last review (or `--since`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangesCx {
    /// "Changes since the review of …".
    pub(crate) heading: String,
    /// The commit compared with, in one sentence.
    pub(crate) base: Option<String>,
    /// Whether a commit was found to compare with.
    pub(crate) compared: bool,
    /// The changes, one HTML line each.
    pub(crate) items: Vec<String>,
    /// The sentence for no changes.
    pub(crate) empty: String,
}

impl Builder<'_> {
    fn h(&self, key: &str) -> String {
        self.locale.text(&format!("history.{key}")).to_owned()
    }

    /// Why the site has no history at all, in one sentence; `None` when it has.
    pub(crate) fn history_note(&self) -> Option<String> {
        let reason = match &self.scope.source {
            Source::Git { .. } => return None,
            Source::NotRead => "not_read",
            Source::Unavailable(Unavailable::NoGitCommand) => "no_git_command",
            Source::Unavailable(Unavailable::NotARepository) => "not_a_repository",
            Source::Unavailable(Unavailable::NoCommits) => "no_commits",
            Source::Unavailable(Unavailable::Failed(_)) => "failed",
        };
        Some(self.h(&format!("reason.{reason}")))
    }

    fn account_history(&self, id: &str) -> Option<&AccountHistory> {
        self.scope.history(id)
    }

    /// The last change of account `id`, when git knows it.
    pub(crate) fn last_changed(&self, id: &str) -> Option<LastChanged> {
        let h = self.account_history(id)?;
        let c = h.last_change.as_ref()?;
        Some(LastChanged {
            date: c.date.to_string(),
            author: c.author.clone(),
            days: c.date.days_until(self.scope.today),
            approx: c.boundary,
            stale: self
                .scope
                .diagnostics_of(id)
                .iter()
                .any(|d| d.rule.name == "plan/stale"),
            commit: c.short.clone(),
            subject: c.subject.clone(),
        })
    }

    /// The dossier's history section: notes, the last change, and what
    /// changed since the last review (or `--since`).
    pub(crate) fn history(&self, a: &AccountReport) -> HistoryCx {
        let id = a.files.id.as_str();
        let mut notes: Vec<String> = Vec::new();
        if let Some(note) = self.history_note() {
            notes.push(note);
        }
        let h = self.account_history(id);
        if let Source::Git { shallow: true } = self.scope.source {
            notes.push(self.h("shallow"));
        }
        if let Some(h) = h {
            if !h.committed() {
                notes.push(self.h("not_committed"));
            }
            if h.uncommitted {
                notes.push(self.h("uncommitted"));
            }
            if h.unread {
                notes.push(self.h("unread"));
            }
        }
        let last = self.last_changed(id);
        if let Some(l) = last.as_ref().filter(|l| l.stale) {
            notes.push(subst(
                &self.h("stale"),
                &[
                    ("days", &l.days.to_string()),
                    (
                        "limit",
                        &self.scope.config.thresholds.stale_days.to_string(),
                    ),
                ],
            ));
        }
        let changes = h.and_then(|h| h.changes.as_ref()).map(|c| {
            let heading = match &c.since {
                Since::Review { date } => subst(
                    &self.h("changes_since_review"),
                    &[("date", &date.to_string())],
                ),
                Since::Rev { rev } => subst(&self.h("changes_since_rev"), &[("rev", rev)]),
            };
            let base = match (&c.base, &c.since) {
                (Some(b), _) => Some(subst(
                    &self.h("compared_with"),
                    &[
                        ("commit", &b.short),
                        ("date", &b.date.to_string()),
                        ("author", &b.author),
                    ],
                )),
                // The version to compare with may be one git could not read.
                (None, Since::Review { .. }) if h.is_some_and(|h| h.unread) => None,
                (None, Since::Review { .. }) => Some(self.h("no_base_review")),
                (None, Since::Rev { rev }) => Some(subst(&self.h("no_base_rev"), &[("rev", rev)])),
            };
            let currency = self.currency(a.files.plan.as_ref());
            let items = diff::lines(&c.changes, &SiteWords(self.locale, &currency));
            ChangesCx {
                heading,
                base,
                compared: c.base.is_some(),
                items,
                empty: self.h("no_changes"),
            }
        });
        let no_review = h.is_some_and(|h| h.committed()) && changes.is_none();
        HistoryCx {
            notes,
            last_changed: last,
            changes,
            changes_note: no_review.then(|| self.h("no_review")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;

    #[test]
    fn plan_text_in_change_lines_is_escaped() {
        let w = SiteWords(&Locale::new(Language::En), "CNY");
        assert_eq!(w.esc("<b>&"), "&lt;b&gt;&amp;");
        assert_eq!(w.code("grow-5g"), "<code>grow-5g</code>");
    }

    #[test]
    fn amounts_in_change_lines_read_as_on_the_rest_of_the_site() {
        use crate::figures::Figures;
        // Expected return 1,800,000 → 1,200,000 against a cost of 800,000:
        // ROI 1.25 → 0.5, by hand 125% → 50%.
        let old = Figures {
            total_cost: 800_000.0,
            expected_return: 1_800_000.0,
            roi: Some(1.25),
            ..Figures::default()
        };
        let new = Figures {
            expected_return: 1_200_000.0,
            roi: Some(0.5),
            ..old.clone()
        };
        let changes = diff::figures(&old, &new);
        let zh = Locale::new(Language::ZhCn);
        let lines = diff::lines(&changes, &SiteWords(&zh, "CNY"));
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("-¥60万"), "{}", lines[0]);
        assert!(lines[0].contains("125% → 50%"), "{}", lines[0]);
        let en = Locale::new(Language::En);
        let lines = diff::lines(&changes, &SiteWords(&en, "CNY"));
        assert_eq!(lines[0], "expected return -CNY 600k (ROI 125% → 50%)");
        // A cost item's amount, too; the terminal keeps the plan's digits.
        let cost = diff::Change {
            section: "costs".into(),
            kind: diff::Kind::Changed,
            item: None,
            field: Some("amount".into()),
            sub: None,
            old: Some(diff::Val::Number(800_000.0)),
            new: Some(diff::Val::Number(830_000.0)),
        };
        assert!(
            cost.render(&SiteWords(&zh, "CNY"))
                .contains("¥80万 → ¥83万")
        );
        assert!(cost.text().contains("800,000 → 830,000"));
    }
}
