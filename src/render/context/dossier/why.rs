//! Why — 为什么要做: the objectives, their figures formatted.

use serde::Serialize;

use super::Dossier;
use crate::figures::Goal;
use crate::i18n::is_currency_code;
use crate::render::context::{d, name_of, num, s};

/// The dossier's "why".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WhyCx {
    /// Objectives in plan order.
    pub(crate) objectives: Vec<ObjectiveCx>,
}

/// An objective, its figures formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ObjectiveCx {
    /// Id.
    pub(crate) id: Option<String>,
    /// Title.
    pub(crate) title: Option<String>,
    /// Why it matters.
    pub(crate) why: Option<String>,
    /// What is measured.
    pub(crate) metric: Option<String>,
    /// Unit, unless it is the plan's currency.
    pub(crate) unit: Option<String>,
    /// Baseline.
    pub(crate) baseline: Option<String>,
    /// Target.
    pub(crate) target: Option<String>,
    /// Actual.
    pub(crate) actual: Option<String>,
    /// Due date.
    pub(crate) due: Option<String>,
    /// Progress from the baseline (or zero) to the target, a whole percent
    /// 0..=100 (§9.1); `None` without `actual` or `target`.
    pub(crate) progress: Option<i64>,
    /// Whether the target is reached.
    pub(crate) met: bool,
    /// `met`, `missed`, `at-risk`, `on-track` or `no-data`.
    pub(crate) status: &'static str,
    /// The status, translated.
    pub(crate) status_label: String,
    /// Which way is better, translated, and whether the target is a level
    /// to hold: "higher is better · a level to hold". `None` without a target.
    pub(crate) direction: Option<String>,
    /// Shared with the customer (`shared: true`).
    pub(crate) shared: bool,
}

impl Dossier<'_> {
    pub(super) fn why(&self) -> WhyCx {
        let loc = self.b.locale;
        let no_figures = Vec::new();
        let figures = self
            .a
            .figures
            .as_ref()
            .map_or(&no_figures, |f| &f.objectives);
        let objectives = self
            .plan
            .objectives
            .iter()
            .zip(figures)
            .map(|(o, f)| {
                let (b, t, x) = (num(&o.baseline), num(&o.target), num(&o.actual));
                let unit = s(&o.unit);
                let money_unit = |u: &str| u == self.currency || is_currency_code(u);
                // Amounts in any currency read as money, as on the chart.
                let fmt = |v: Option<f64>| {
                    v.map(|v| match unit.as_deref() {
                        Some(u) if money_unit(u) => loc.money(v, u),
                        _ => loc.number(v, 2),
                    })
                };
                ObjectiveCx {
                    id: o.id.as_ref().map(|i| i.to_string()),
                    title: s(&o.title),
                    why: s(&o.why),
                    metric: s(&o.metric),
                    baseline: fmt(b),
                    target: fmt(t),
                    actual: fmt(x),
                    due: d(&o.due),
                    progress: f.percent(),
                    met: f.met,
                    status: f.status.as_str(),
                    status_label: crate::charts::objective_status_label(loc, f.status).to_owned(),
                    direction: t.and_then(|_| name_of(loc, Some(f.better))).map(|mut d| {
                        if f.goal == Goal::Hold {
                            d.push_str(" · ");
                            d.push_str(loc.text("dossier.hold"));
                        }
                        d
                    }),
                    unit: unit.filter(|u| !money_unit(u)),
                    shared: o.shared.as_ref().is_some_and(|x| x.value),
                }
            })
            .collect();
        WhyCx { objectives }
    }
}
