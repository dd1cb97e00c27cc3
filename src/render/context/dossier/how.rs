//! How — 怎么做: strategies and the actions behind them.

use serde::Serialize;

use super::{Dossier, indexes};
use crate::model::{Action, Id, Named};
use crate::render::context::{d, name_of, s, team_name, texts};

/// The dossier's "how".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HowCx {
    /// Strategies with their actions.
    pub(crate) strategies: Vec<StrategyCx>,
    /// Actions under no known strategy, as indexes into the dossier's
    /// `actions`.
    pub(crate) other_actions: Vec<usize>,
}

/// A strategy.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StrategyCx {
    /// Id.
    pub(crate) id: Option<String>,
    /// Title.
    pub(crate) title: Option<String>,
    /// Titles of the objectives it serves.
    pub(crate) objectives: Vec<String>,
    /// Resources it needs.
    pub(crate) resources: Vec<String>,
    /// Its actions, as indexes into the dossier's `actions`.
    pub(crate) actions: Vec<usize>,
}

/// An action.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ActionCx {
    /// Id.
    pub(crate) id: Option<String>,
    /// Title.
    pub(crate) title: Option<String>,
    /// Owner's name.
    pub(crate) owner: Option<String>,
    /// The owner's page, when they have one.
    pub(crate) owner_href: Option<String>,
    /// Names of the stakeholders it addresses.
    pub(crate) stakeholders: Vec<String>,
    /// Titles of the objectives it serves.
    pub(crate) objectives: Vec<String>,
    /// Start date.
    pub(crate) start: Option<String>,
    /// Due date.
    pub(crate) due: Option<String>,
    /// Where.
    pub r#where: Option<String>,
    /// Status (`planned` when not given).
    pub(crate) status: &'static str,
    /// Status, translated.
    pub(crate) status_label: Option<String>,
    /// Open and past its due date.
    pub(crate) overdue: bool,
    /// Cost, formatted.
    pub(crate) cost: Option<String>,
    /// Shared with the customer (`shared: true`).
    pub(crate) shared: bool,
}

impl Dossier<'_> {
    pub(super) fn how(&self) -> HowCx {
        let plan = self.plan;
        // Indexes into the dossier's `actions`, which are in plan order.
        let of = |keep: &dyn Fn(&Action) -> bool| indexes(&plan.actions, keep);
        let strategies = plan
            .strategies
            .iter()
            .map(|st| {
                let id = st.id.as_ref().map(|i| &i.value);
                StrategyCx {
                    id: id.map(ToString::to_string),
                    title: s(&st.title),
                    objectives: self.objective_titles(&st.objectives),
                    resources: texts(&st.resources),
                    actions: of(&|x| x.strategy.as_ref().is_some_and(|y| Some(&y.value) == id)),
                }
            })
            .collect();
        let strategy_ids: Vec<&Id> = plan
            .strategies
            .iter()
            .filter_map(|x| x.id.as_ref().map(|i| &i.value))
            .collect();
        HowCx {
            strategies,
            other_actions: of(&|x| {
                x.strategy
                    .as_ref()
                    .is_none_or(|y| !strategy_ids.contains(&&y.value))
            }),
        }
    }

    /// One action, its people and objectives named, its cost formatted.
    pub(super) fn action(&self, x: &Action) -> ActionCx {
        let today = self.b.scope.today;
        let status = x.status_or_planned();
        ActionCx {
            id: x.id.as_ref().map(|i| i.to_string()),
            title: s(&x.title),
            owner: x.owner.as_ref().map(|o| team_name(self.plan, o)),
            owner_href: x
                .owner
                .as_ref()
                .and_then(|o| self.b.person_href(self.a, o.as_str(), self.base)),
            stakeholders: self.people(&x.stakeholders),
            objectives: self.objective_titles(&x.objectives),
            start: d(&x.start),
            due: d(&x.due),
            r#where: s(&x.r#where),
            status: status.as_str(),
            status_label: name_of(self.b.locale, Some(status)),
            overdue: x.overdue(today),
            cost: x.cost.as_ref().map(|c| self.money(c.0)),
            shared: x.shared.as_ref().is_some_and(|s| s.value),
        }
    }
}
