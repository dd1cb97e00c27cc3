//! When and where — 何时何地做: milestones by date (the timeline chart
//! draws the actions).

use serde::Serialize;

use super::Dossier;
use crate::model::Milestone;
use crate::render::context::{d, s};

/// The dossier's "when and where".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WhenWhereCx {
    /// Milestones by date.
    pub(crate) milestones: Vec<DatedMilestone>,
}

/// A milestone of the dossier's schedule.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DatedMilestone {
    /// What happens.
    pub(crate) title: Option<String>,
    /// When.
    pub(crate) date: Option<String>,
    /// Where.
    pub r#where: Option<String>,
    /// Marked done.
    pub(crate) done: bool,
    /// Its date is before today.
    pub(crate) past: bool,
    /// Titles of the objectives it marks.
    pub(crate) objectives: Vec<String>,
    /// Shared with the customer (`shared: true`).
    pub(crate) shared: bool,
}

impl Dossier<'_> {
    pub(super) fn when_where(&self) -> WhenWhereCx {
        let plan = self.plan;
        let today = self.b.scope.today;
        let mut milestones: Vec<&Milestone> = plan.milestones.iter().collect();
        milestones.sort_by_key(|m| {
            (
                m.date.as_ref().map(|d| d.value),
                m.id.as_ref().map(|i| i.value.clone()),
            )
        });
        WhenWhereCx {
            milestones: milestones
                .into_iter()
                .map(|m| DatedMilestone {
                    title: s(&m.title),
                    date: d(&m.date),
                    r#where: s(&m.r#where),
                    done: m.done.as_ref().is_some_and(|x| x.value),
                    past: m.date.as_ref().is_some_and(|x| x.value < today),
                    objectives: self.objective_titles(&m.objectives),
                    shared: m.shared.as_ref().is_some_and(|x| x.value),
                })
                .collect(),
        }
    }
}
