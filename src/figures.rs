//! The figures of the contract's section 5, computed from a plan and its
//! diagnostics. The dossier, the portfolio and `accounts.json` all use these.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Thresholds;
use crate::diagnostic::{Diagnostic, Level, Question};
use crate::model::{Date, Period, Plan, Stakeholder, Tier, Visit};

/// The numbers of one plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Scorecard total, 0..100, one decimal; `None` without a scorecard.
    pub scorecard: Option<f64>,
    /// The tier the scorecard gives.
    pub computed_tier: Option<Tier>,
    /// Σ costs.
    pub total_cost: f64,
    /// Σ returns × probability.
    pub expected_return: f64,
    /// (expected return − total cost) / total cost; `None` when nothing is spent.
    pub roi: Option<f64>,
    /// The first period whose cumulative expected return covers the cumulative cost.
    pub payback: Option<Period>,
    /// Σ action costs.
    pub action_cost: f64,
}

/// Computes the figures of `plan`.
pub fn compute(plan: &Plan, thresholds: &Thresholds) -> Figures {
    let scorecard = scorecard_total(plan);
    let total_cost: f64 = plan
        .costs
        .iter()
        .filter_map(|c| c.amount.as_ref())
        .map(|a| a.0)
        .sum();
    let expected_return: f64 = plan.returns.iter().map(expected).sum();
    Figures {
        scorecard,
        computed_tier: scorecard.map(|s| tier_for(s, thresholds)),
        total_cost,
        expected_return,
        roi: roi(total_cost, expected_return),
        payback: payback(plan),
        action_cost: plan
            .actions
            .iter()
            .filter_map(|a| a.cost.as_ref())
            .map(|c| c.0)
            .sum(),
    }
}

fn expected(r: &crate::model::Return) -> f64 {
    let amount = r.amount.as_ref().map_or(0.0, |a| a.0);
    amount * r.probability.as_ref().map_or(1.0, |p| p.0)
}

/// Σ(weight × score) / Σ(weight × 10) × 100, to one decimal.
fn scorecard_total(plan: &Plan) -> Option<f64> {
    let rated: Vec<(f64, f64)> = plan
        .scorecard
        .iter()
        .filter_map(|c| {
            Some((
                c.weight.as_ref()?.get() as f64,
                c.score.as_ref()?.get() as f64,
            ))
        })
        .collect();
    let max: f64 = rated.iter().map(|(w, _)| w * 10.0).sum();
    if max == 0.0 {
        return None;
    }
    let total: f64 = rated.iter().map(|(w, s)| w * s).sum();
    Some((total / max * 1000.0).round() / 10.0)
}

/// The tier a scorecard total gives.
pub fn tier_for(total: f64, thresholds: &Thresholds) -> Tier {
    if total >= thresholds.platinum {
        Tier::Platinum
    } else if total >= thresholds.gold {
        Tier::Gold
    } else {
        Tier::Silver
    }
}

fn roi(cost: f64, ret: f64) -> Option<f64> {
    (cost > 0.0).then(|| (ret - cost) / cost)
}

/// Costs and expected returns by period, in date order (a quarter counts as
/// its last day): what payback and the cost-versus-return chart both walk.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cashflow {
    /// Costs without a period: spent up front.
    pub upfront: f64,
    /// Each period with its cost and expected return (not cumulative).
    pub periods: Vec<(Period, f64, f64)>,
    /// Returns without a period: not scheduled, so never counted.
    pub unscheduled: usize,
    /// Their expected amount.
    pub unscheduled_amount: f64,
}

impl Cashflow {
    /// The cash flow of `plan`.
    pub fn of(plan: &Plan) -> Cashflow {
        let mut by_date: BTreeMap<Date, (Period, f64, f64)> = BTreeMap::new();
        let mut flow = Cashflow::default();
        for c in &plan.costs {
            let amount = c.amount.as_ref().map_or(0.0, |a| a.0);
            match &c.period {
                Some(p) => by_date.entry(p.end()).or_insert((p.value, 0.0, 0.0)).1 += amount,
                None => flow.upfront += amount,
            }
        }
        for r in &plan.returns {
            let amount = expected(r);
            match &r.period {
                Some(p) => by_date.entry(p.end()).or_insert((p.value, 0.0, 0.0)).2 += amount,
                None if amount > 0.0 => {
                    flow.unscheduled += 1;
                    flow.unscheduled_amount += amount;
                }
                None => {}
            }
        }
        flow.periods = by_date.into_values().collect();
        flow
    }
}

/// The first period whose cumulative expected return covers the cumulative
/// cost. No payback without costs.
fn payback(plan: &Plan) -> Option<Period> {
    let flow = Cashflow::of(plan);
    let total_cost = flow.upfront + flow.periods.iter().map(|p| p.1).sum::<f64>();
    if total_cost <= 0.0 {
        return None;
    }
    let (mut cost, mut ret) = (flow.upfront, 0.0);
    for (period, c, r) in flow.periods {
        cost += c;
        ret += r;
        if ret >= cost {
            return Some(period);
        }
    }
    None
}

/// The latest contact with stakeholder `s` on or before `today`: its
/// `last_contact`, or a visit it attended (known only by its id).
pub fn last_contact(s: &Stakeholder, visits: &[Visit], today: Date) -> Option<Date> {
    let id = s.id.as_ref();
    let attended = visits
        .iter()
        .filter(|v| id.is_some_and(|id| v.meta.attendees.iter().any(|a| a.value == id.value)))
        .filter_map(|v| v.meta.date.as_ref().map(|d| d.value));
    s.last_contact
        .as_ref()
        .map(|d| d.value)
        .into_iter()
        .chain(attended)
        .filter(|d| *d <= today)
        .max()
}

/// Which direction of an objective's metric is good (contract §9.1): the
/// declared `better`, else `lower` when a `baseline` is given and the
/// `target` is below it, else `higher`.
pub fn objective_better(
    declared: Option<crate::model::Better>,
    baseline: Option<f64>,
    target: Option<f64>,
) -> crate::model::Better {
    use crate::model::Better;
    match (declared, baseline, target) {
        (Some(better), ..) => better,
        (None, Some(baseline), Some(target)) if target < baseline => Better::Lower,
        _ => Better::Higher,
    }
}

/// Whether an objective is met (contract §9.1): `actual ≥ target` when
/// higher is better, `actual ≤ target` when lower is; never without an
/// `actual` or a `target`.
///
/// `Objective` has no `better` field yet (it arrives with §9.1's model
/// change), so the direction is always the default one of
/// [`objective_better`]; once the field exists, pass it here.
pub fn objective_met(o: &crate::model::Objective) -> bool {
    use crate::model::Better;
    let value = |v: &Option<crate::model::Sp<f64>>| v.as_ref().map(|x| x.value);
    let (Some(actual), Some(target)) = (value(&o.actual), value(&o.target)) else {
        return false;
    };
    match objective_better(None, value(&o.baseline), Some(target)) {
        Better::Higher => actual >= target,
        Better::Lower => actual <= target,
    }
}

/// The state of one checklist question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// No diagnostics.
    Pass,
    /// Warnings only.
    Warn,
    /// At least one error.
    Fail,
}

impl Status {
    /// `pass`, `warn` or `fail`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// The six checklist statuses of one account, in question order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checklist(pub [(Question, Status); 6]);

impl Checklist {
    /// Statuses from the account's diagnostics. An account whose plan could
    /// not be read fails every question: nothing in it was checked.
    pub fn from_diagnostics<'a>(
        diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
        plan_read: bool,
    ) -> Checklist {
        let initial = if plan_read {
            Status::Pass
        } else {
            Status::Fail
        };
        let mut statuses = Question::CHECKLIST.map(|q| (q, initial));
        for d in diagnostics {
            if let Some((_, s)) = statuses.iter_mut().find(|(q, _)| *q == d.rule.question) {
                let here = if d.level == Level::Error {
                    Status::Fail
                } else {
                    Status::Warn
                };
                *s = (*s).max(here);
            }
        }
        Checklist(statuses)
    }

    /// Passing or warning questions / 6.
    pub fn completeness(&self) -> f64 {
        self.0.iter().filter(|(_, s)| *s != Status::Fail).count() as f64 / 6.0
    }
}

impl Serialize for Checklist {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(6))?;
        for (q, status) in &self.0 {
            map.serialize_entry(q.as_str(), status)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Sink;

    fn plan(yaml: &str) -> Plan {
        let mut sink = Sink::new("t", "plan.yaml");
        let plan = crate::load::parse_plan(yaml, &mut sink).unwrap();
        assert!(sink.diagnostics.is_empty(), "{:?}", sink.diagnostics);
        plan
    }

    #[test]
    fn scorecard_is_weighted_and_rounded() {
        // (8×9 + 5×6 + 2×3) / (15×10) × 100 = 108/150×100 = 72.0
        let p = plan(
            "scorecard:\n  - {criterion: a, weight: 8, score: 9}\n  - {criterion: b, weight: 5, score: 6}\n  - {criterion: c, weight: 2, score: 3}\n",
        );
        let f = compute(&p, &Thresholds::default());
        assert_eq!(f.scorecard, Some(72.0));
        assert_eq!(f.computed_tier, Some(Tier::Gold));
        // 2/3 × 100 = 66.666… → 66.7
        let p = plan(
            "scorecard:\n  - {criterion: a, weight: 3, score: 10}\n  - {criterion: b, weight: 3, score: 10}\n  - {criterion: c, weight: 3, score: 0}\n",
        );
        assert_eq!(compute(&p, &Thresholds::default()).scorecard, Some(66.7));
    }

    #[test]
    fn tiers_follow_thresholds_inclusively() {
        let t = Thresholds::default();
        assert_eq!(tier_for(80.0, &t), Tier::Platinum);
        assert_eq!(tier_for(79.9, &t), Tier::Gold);
        assert_eq!(tier_for(60.0, &t), Tier::Gold);
        assert_eq!(tier_for(59.9, &t), Tier::Silver);
    }

    #[test]
    fn roi_and_expected_return() {
        // cost 100 + 300 = 400; return 1000×0.6 + 200 (probability 1) = 800; ROI = 1.0
        let p = plan(
            "costs:\n  - {amount: 100, period: 2026-Q1}\n  - {amount: 300, period: 2026-Q2}\nreturns:\n  - {amount: 1000, probability: 0.6, period: 2026-Q4}\n  - {amount: 200, period: 2026-Q3}\n",
        );
        let f = compute(&p, &Thresholds::default());
        assert_eq!(f.total_cost, 400.0);
        assert_eq!(f.expected_return, 800.0);
        assert_eq!(f.roi, Some(1.0));
        // Q1: 100 vs 0; Q2: 400 vs 0; Q3: 400 vs 200; Q4: 400 vs 800 → Q4.
        assert_eq!(f.payback.unwrap().to_string(), "2026-Q4");
    }

    #[test]
    fn roi_is_undefined_without_costs() {
        let p = plan("returns:\n  - {amount: 1000, period: 2026-Q4}\n");
        let f = compute(&p, &Thresholds::default());
        assert_eq!(f.roi, None);
        assert_eq!(f.payback, None);
    }

    #[test]
    fn payback_never_reached() {
        let p = plan(
            "costs:\n  - {amount: 1000, period: 2026-Q1}\nreturns:\n  - {amount: 900, period: 2026-Q4}\n",
        );
        let f = compute(&p, &Thresholds::default());
        assert!((f.roi.unwrap() + 0.1).abs() < 1e-12);
        assert_eq!(f.payback, None);
    }

    #[test]
    fn payback_orders_dates_and_quarters_together() {
        // A day in May comes before the end of Q2 (June 30).
        let p = plan(
            "costs:\n  - {amount: 100, period: 2026-Q2}\n  - {amount: 50, period: 2026-05-15}\nreturns:\n  - {amount: 60, period: 2026-05-20}\n  - {amount: 100, period: 2026-Q2}\n",
        );
        // 05-15: cost 50, ret 0; 05-20: 50 vs 60 → payback 2026-05-20.
        assert_eq!(
            compute(&p, &Thresholds::default())
                .payback
                .unwrap()
                .to_string(),
            "2026-05-20"
        );
    }

    #[test]
    fn better_defaults_to_lower_only_below_a_baseline() {
        use crate::model::Better;
        assert_eq!(
            objective_better(None, Some(96.0), Some(90.0)),
            Better::Lower
        );
        assert_eq!(
            objective_better(None, Some(14.0), Some(22.0)),
            Better::Higher
        );
        assert_eq!(
            objective_better(None, Some(90.0), Some(90.0)),
            Better::Higher
        );
        assert_eq!(objective_better(None, None, Some(90.0)), Better::Higher);
        let declared = Some(Better::Higher);
        assert_eq!(
            objective_better(declared, Some(96.0), Some(90.0)),
            Better::Higher
        );
    }

    #[test]
    fn met_follows_the_direction_and_needs_an_actual() {
        let met = |yaml: &str| objective_met(&plan(yaml).objectives[0]);
        // higher (no baseline): 20 ≥ 20 is met, 19 is not.
        assert!(met("objectives:\n  - {id: a, target: 20, actual: 20}\n"));
        assert!(!met("objectives:\n  - {id: a, target: 20, actual: 19}\n"));
        // lower by default (target 10 below baseline 30): 10 ≤ 10 met, 11 not.
        assert!(met(
            "objectives:\n  - {id: a, baseline: 30, target: 10, actual: 10}\n"
        ));
        assert!(!met(
            "objectives:\n  - {id: a, baseline: 30, target: 10, actual: 11}\n"
        ));
        // No actual, or no target: never met.
        assert!(!met("objectives:\n  - {id: a, target: 20}\n"));
        assert!(!met("objectives:\n  - {id: a, actual: 20}\n"));
    }

    #[test]
    fn completeness_counts_warnings_as_answered() {
        use crate::validate::rules::{how, who};
        let mut sink = Sink::new("t", "plan.yaml");
        sink.emit(&who::NO_COACH, crate::model::Span::FILE, "x");
        sink.emit(
            &how::OBJECTIVE_WITHOUT_ACTION,
            crate::model::Span::FILE,
            "x",
        );
        let c = Checklist::from_diagnostics(&sink.diagnostics, true);
        assert_eq!(c.0[1].1, Status::Warn);
        assert_eq!(c.0[3].1, Status::Fail);
        assert!((c.completeness() - 5.0 / 6.0).abs() < 1e-12);
        assert_eq!(Checklist::from_diagnostics(&[], false).completeness(), 0.0);
    }
}
