//! Cost versus return — 多大投入、有多少产出: costs, returns and the review.

use serde::Serialize;

use super::Dossier;
use crate::render::context::{d, name_of, s, team_name};

/// The dossier's "cost versus return".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CostReturnCx {
    /// Costs in plan order.
    pub(crate) costs: Vec<CostCx>,
    /// Costs summed by category, largest first.
    pub(crate) by_category: Vec<CategoryCx>,
    /// Returns in plan order.
    pub(crate) returns: Vec<ReturnCx>,
    /// The last review.
    pub(crate) review: Option<ReviewCx>,
}

/// A cost.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CostCx {
    /// What it is.
    pub(crate) item: Option<String>,
    /// Category, translated.
    pub(crate) category_label: Option<String>,
    /// Amount, formatted.
    pub(crate) amount: Option<String>,
    /// When it falls.
    pub(crate) period: Option<String>,
}

/// The costs of one category.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CategoryCx {
    /// Category, translated.
    pub(crate) label: String,
    /// Sum, formatted.
    pub(crate) amount: String,
    /// Share of all costs, 0..100 with two decimals (the meter's value).
    pub(crate) share: f64,
    /// Share of all costs as readers see it ([`crate::i18n::percent`]).
    pub(crate) share_label: String,
}

/// A return.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReturnCx {
    /// What it is.
    pub(crate) item: Option<String>,
    /// Title of the objective it comes from.
    pub(crate) objective: Option<String>,
    /// Amount, formatted.
    pub(crate) amount: String,
    /// Probability, as a percentage.
    pub(crate) probability: String,
    /// Amount × probability, formatted.
    pub(crate) expected: String,
    /// When it falls.
    pub(crate) period: Option<String>,
}

/// The plan's last review.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReviewCx {
    /// Date.
    pub(crate) last_reviewed: Option<String>,
    /// Days from the review to today.
    pub(crate) days_ago: Option<i64>,
    /// Reviewer's name.
    pub(crate) by: Option<String>,
    /// Reviewer's page, when they have one.
    pub(crate) by_href: Option<String>,
    /// Notes.
    pub(crate) notes: Option<String>,
}

impl Dossier<'_> {
    pub(super) fn cost_return(&self) -> CostReturnCx {
        let (loc, plan) = (self.b.locale, self.plan);
        let today = self.b.scope.today;
        let total_cost = self.a.figures.as_ref().map_or(0.0, |f| f.total_cost);
        let mut by_category: Vec<(String, f64)> = Vec::new();
        for c in &plan.costs {
            let label = name_of(loc, c.category.as_ref().map(|x| x.value))
                .unwrap_or_else(|| self.b.t("enum.cost_category.other"));
            let amount = c.amount.as_ref().map_or(0.0, |x| x.0);
            match by_category.iter_mut().find(|(l, _)| *l == label) {
                Some(e) => e.1 += amount,
                None => by_category.push((label, amount)),
            }
        }
        by_category.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        CostReturnCx {
            costs: plan
                .costs
                .iter()
                .map(|c| CostCx {
                    item: s(&c.item),
                    category_label: name_of(loc, c.category.as_ref().map(|x| x.value)),
                    amount: c.amount.as_ref().map(|x| self.money(x.0)),
                    period: c.period.as_ref().map(|p| p.to_string()),
                })
                .collect(),
            by_category: by_category
                .into_iter()
                .map(|(label, v)| CategoryCx {
                    label,
                    amount: self.money(v),
                    share: if total_cost > 0.0 {
                        // The meter's value: exact enough to draw.
                        (v / total_cost * 10_000.0).round() / 100.0
                    } else {
                        0.0
                    },
                    // The text: the exact ratio, rounded once.
                    share_label: if total_cost > 0.0 {
                        loc.percent(v / total_cost)
                    } else {
                        "—".to_owned()
                    },
                })
                .collect(),
            returns: plan
                .returns
                .iter()
                .map(|r| {
                    let amount = r.amount.as_ref().map_or(0.0, |x| x.0);
                    let p = r.probability.as_ref().map_or(1.0, |x| x.0);
                    ReturnCx {
                        item: s(&r.item),
                        objective: r.objective.as_ref().map(|o| self.objective_title(o)),
                        amount: self.money(amount),
                        probability: loc.percent(p),
                        expected: self.money(amount * p),
                        period: r.period.as_ref().map(|p| p.to_string()),
                    }
                })
                .collect(),
            review: plan.review.as_ref().map(|r| ReviewCx {
                last_reviewed: d(&r.last_reviewed),
                days_ago: r.last_reviewed.as_ref().map(|x| x.value.days_until(today)),
                by: r.by.as_ref().map(|b| team_name(plan, b)),
                by_href: r
                    .by
                    .as_ref()
                    .and_then(|b| self.b.person_href(self.a, b.as_str(), self.base)),
                notes: s(&r.notes),
            }),
        }
    }
}
