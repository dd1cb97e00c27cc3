//! The figures of the contract's section 5, computed from a plan and its
//! diagnostics. The dossier, the portfolio and `accounts.json` all use these.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Thresholds;
use crate::diagnostic::{Diagnostic, Level, Question};
use crate::model::{Better, Date, Kpi, Objective, Period, Plan, Stakeholder, Tier, Visit};

/// The numbers of one plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Scorecard total, 0..100, one decimal; `None` without a scorecard.
    pub(crate) scorecard: Option<f64>,
    /// The tier the scorecard gives.
    pub(crate) computed_tier: Option<Tier>,
    /// Σ costs.
    pub(crate) total_cost: f64,
    /// Σ returns × probability.
    pub(crate) expected_return: f64,
    /// (expected return − total cost) / total cost; `None` when nothing is spent.
    pub(crate) roi: Option<f64>,
    /// The first period whose cumulative expected return covers the cumulative cost.
    pub(crate) payback: Option<Period>,
    /// Σ action costs.
    pub(crate) action_cost: f64,
    /// Each objective's direction, progress, met and status, in plan order.
    pub objectives: Vec<ObjectiveFigures>,
    /// Each cost item with an `actual`: (`actual`, `amount`), in plan order.
    pub(crate) spend: Vec<(f64, f64)>,
    /// Each return with a period: its period and expected amount, in plan
    /// order.
    pub(crate) expected_returns: Vec<(Period, f64)>,
    /// Each whitespace cell, in plan order.
    pub(crate) whitespace: Vec<WhitespaceCell>,
}

impl Figures {
    /// How many objectives are met.
    pub(crate) fn objectives_met(&self) -> usize {
        self.objectives.iter().filter(|o| o.met).count()
    }
}

/// The totals of a plan's whitespace grid (§9.4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct WhitespaceTotals {
    /// Σ `current`: the annual revenue we have in the account's units now.
    pub current: f64,
    /// Σ `potential` of the cells still to win (`gap`, `pipeline`,
    /// `competitor`): the untapped potential.
    pub potential: f64,
}

impl WhitespaceTotals {
    /// The totals of `cells`.
    pub(crate) fn of<'a>(cells: impl IntoIterator<Item = &'a WhitespaceCell>) -> WhitespaceTotals {
        cells
            .into_iter()
            .fold(WhitespaceTotals::default(), |t, c| WhitespaceTotals {
                current: t.current + c.current,
                potential: t.potential + c.open,
            })
    }
}

/// A cell of a whitespace grid as figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct WhitespaceCell {
    /// The offering.
    pub(crate) offering: Option<String>,
    /// `current`, 0 without.
    pub(crate) current: f64,
    /// `potential` when the cell is still to win (`gap`, `pipeline`,
    /// `competitor`), else 0.
    pub(crate) open: f64,
}

impl WhitespaceCell {
    fn of(w: &crate::model::Whitespace) -> WhitespaceCell {
        let amount = |m: &Option<crate::model::Sp<crate::model::Money>>| {
            m.as_ref().map_or(0.0, |a| a.value.0)
        };
        WhitespaceCell {
            offering: w.offering.as_ref().map(|o| o.value.clone()),
            current: amount(&w.current),
            open: if w.status.as_ref().is_some_and(|s| s.value.is_untapped()) {
                amount(&w.potential)
            } else {
                0.0
            },
        }
    }
}

/// Computes the figures of `plan` as of `today` (objective status depends
/// on it).
pub fn compute(plan: &Plan, thresholds: &Thresholds, today: Date) -> Figures {
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
        objectives: objectives(plan, today),
        spend: plan
            .costs
            .iter()
            .filter_map(|c| Some((c.actual.as_ref()?.0, c.amount.as_ref().map_or(0.0, |a| a.0))))
            .collect(),
        expected_returns: plan
            .returns
            .iter()
            .filter_map(|r| Some((r.period.as_ref()?.value, expected(r))))
            .collect(),
        whitespace: plan.whitespace.iter().map(WhitespaceCell::of).collect(),
    }
}

/// The figures of every objective of `plan`, in plan order.
pub(crate) fn objectives(plan: &Plan, today: Date) -> Vec<ObjectiveFigures> {
    let start = plan
        .period
        .as_ref()
        .and_then(|p| p.start.as_ref())
        .map(|d| d.value);
    plan.objectives
        .iter()
        .map(|o| objective(o, start, today))
        .collect()
}

/// An objective's target against its baseline (§9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Goal {
    /// No baseline, or a target on the better side of it: a level to reach.
    Improvement,
    /// A target equal to the baseline or on its worse side: a level to keep.
    Hold,
}

/// Where an objective stands (§9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ObjectiveStatus {
    /// The target is reached.
    Met,
    /// Not met, and the due date has passed.
    Missed,
    /// Behind: a hold goal not met, or progress more than a quarter behind
    /// the time elapsed.
    AtRisk,
    /// Not met yet, and not behind.
    OnTrack,
    /// Nothing to judge: no `actual` (or no `target`).
    NoData,
}

impl ObjectiveStatus {
    /// Every status, in the order above.
    pub(crate) const ALL: [ObjectiveStatus; 5] = [
        ObjectiveStatus::Met,
        ObjectiveStatus::Missed,
        ObjectiveStatus::AtRisk,
        ObjectiveStatus::OnTrack,
        ObjectiveStatus::NoData,
    ];

    /// `met`, `missed`, `at-risk`, `on-track` or `no-data`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ObjectiveStatus::Met => "met",
            ObjectiveStatus::Missed => "missed",
            ObjectiveStatus::AtRisk => "at-risk",
            ObjectiveStatus::OnTrack => "on-track",
            ObjectiveStatus::NoData => "no-data",
        }
    }
}

/// The figures of one objective: the only place they are computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveFigures {
    /// Its id.
    pub(crate) id: Option<String>,
    /// Its title.
    pub(crate) title: Option<String>,
    /// Which direction is good (declared, else the default of §9.1).
    pub(crate) better: Better,
    /// A level to reach or to keep.
    pub(crate) goal: Goal,
    /// Whether the target is reached.
    pub(crate) met: bool,
    /// 0..=1; `None` without `actual` or `target`.
    pub progress: Option<f64>,
    /// Met, missed, at risk, on track or no data.
    pub(crate) status: ObjectiveStatus,
}

impl ObjectiveFigures {
    /// Progress as a whole percent, 0..=100: how readers see it. Rounded
    /// from [`ObjectiveFigures::progress_ratio`], so that a percent read off
    /// JSON rounds to the same whole number.
    pub(crate) fn percent(&self) -> Option<i64> {
        self.progress_ratio().map(|p| (p * 100.0).round() as i64)
    }

    /// Progress to four decimals: how JSON (`accounts.json`, `diff`) has it.
    pub(crate) fn progress_ratio(&self) -> Option<f64> {
        self.progress.map(|p| (p * 10_000.0).round() / 10_000.0)
    }
}

/// The figures of objective `o` of a plan starting on `start`, as of
/// `today` (§9.1):
///
/// - `better` defaults to `lower` when the target is below the baseline;
/// - met: actual ≥ target (higher) or ≤ target (lower);
/// - an improvement goal has no baseline or a target on the better side of
///   it, else it is a hold goal;
/// - progress: (actual − baseline) / (target − baseline) for an improvement
///   goal with a baseline; else 1 when met, actual / target (higher; 0 when
///   target ≤ 0) or target / actual (lower; 0 when actual ≤ 0); clamped to
///   0..1;
/// - status: met; else missed after `due`; else no data without `actual`
///   (or without `target`: nothing to measure against); else at risk for a
///   hold goal, or when progress < elapsed − 0.25; else on track. Elapsed is
///   the share of the days from `start` to `due` gone by `today`; without
///   either date nothing is behind schedule.
pub(crate) fn objective(o: &Objective, start: Option<Date>, today: Date) -> ObjectiveFigures {
    let value = |v: &Option<crate::model::Sp<f64>>| v.as_ref().map(|x| x.value);
    let (baseline, target, actual) = (value(&o.baseline), value(&o.target), value(&o.actual));
    let better = match (&o.better, baseline, target) {
        (Some(b), ..) => b.value,
        (None, Some(b), Some(t)) if t < b => Better::Lower,
        _ => Better::Higher,
    };
    let higher = better == Better::Higher;
    let goal = match (baseline, target) {
        (Some(b), Some(t)) if (higher && t <= b) || (!higher && t >= b) => Goal::Hold,
        _ => Goal::Improvement,
    };
    let met = match (target, actual) {
        (Some(t), Some(a)) if higher => a >= t,
        (Some(t), Some(a)) => a <= t,
        _ => false,
    };
    let progress = target.zip(actual).map(|(t, a)| {
        let raw = match baseline {
            Some(b) if goal == Goal::Improvement => (a - b) / (t - b),
            _ if met => 1.0,
            _ if higher && t <= 0.0 => 0.0,
            _ if higher => a / t,
            _ if a <= 0.0 => 0.0,
            _ => t / a,
        };
        // NaN (from absurd numbers) and −0 read as no progress.
        if raw.is_nan() || raw <= 0.0 {
            0.0
        } else {
            raw.min(1.0)
        }
    });
    let due = o.due.as_ref().map(|d| d.value);
    let status = if met {
        ObjectiveStatus::Met
    } else if due.is_some_and(|d| d < today) {
        ObjectiveStatus::Missed
    } else if let Some(progress) = progress {
        let behind = start
            .zip(due)
            .is_some_and(|(s, d)| progress < elapsed(s, d, today) - 0.25);
        if goal == Goal::Hold || behind {
            ObjectiveStatus::AtRisk
        } else {
            ObjectiveStatus::OnTrack
        }
    } else {
        ObjectiveStatus::NoData
    };
    ObjectiveFigures {
        id: o.id.as_ref().map(|i| i.value.to_string()),
        title: o.title.as_ref().map(|t| t.value.clone()),
        better,
        goal,
        met,
        progress,
        status,
    }
}

/// (today − start) / (due − start) in days, clamped to 0..1; a due date on
/// or before the start counts as all elapsed from it on.
fn elapsed(start: Date, due: Date, today: Date) -> f64 {
    let span = start.days_until(due);
    if span <= 0 {
        return if today >= due { 1.0 } else { 0.0 };
    }
    (start.days_until(today) as f64 / span as f64).clamp(0.0, 1.0)
}

/// How a KPI stands against its target (§9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum KpiStatus {
    /// The target is reached.
    Met,
    /// Within 10% of the target, on the worse side.
    Near,
    /// Further off.
    Off,
}

/// The status of KPI `k`; `None` without a target or an actual value. The
/// KPI chart shows this one.
pub(crate) fn kpi_status(k: &Kpi) -> Option<KpiStatus> {
    let target = k.target.as_ref()?.value;
    let actual = k.actual.as_ref()?.value;
    let lower = k.better.as_ref().is_some_and(|b| b.value == Better::Lower);
    let tolerance = target.abs() * 0.1;
    let (met, near) = if lower {
        (actual <= target, actual <= target + tolerance)
    } else {
        (actual >= target, actual >= target - tolerance)
    };
    Some(if met {
        KpiStatus::Met
    } else if near {
        KpiStatus::Near
    } else {
        KpiStatus::Off
    })
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
pub(crate) fn tier_for(total: f64, thresholds: &Thresholds) -> Tier {
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
pub(crate) struct Cashflow {
    /// Costs without a period: spent up front.
    pub(crate) upfront: f64,
    /// Each period with its cost and expected return (not cumulative).
    pub(crate) periods: Vec<(Period, f64, f64)>,
    /// Returns without a period: not scheduled, so never counted.
    pub(crate) unscheduled: usize,
    /// Their expected amount.
    pub(crate) unscheduled_amount: f64,
}

impl Cashflow {
    /// The cash flow of `plan`.
    pub(crate) fn of(plan: &Plan) -> Cashflow {
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
pub(crate) fn last_contact(s: &Stakeholder, visits: &[Visit], today: Date) -> Option<Date> {
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

/// The state of one checklist question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    /// No diagnostics.
    Pass,
    /// Warnings only.
    Warn,
    /// At least one error.
    Fail,
}

impl Status {
    /// `pass`, `warn` or `fail`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// The six checklist statuses of one account, in question order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Checklist(pub [(Question, Status); 6]);

impl Checklist {
    /// Statuses from the account's diagnostics. An account whose plan could
    /// not be read fails every question: nothing in it was checked.
    pub(crate) fn from_diagnostics<'a>(
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
    pub(crate) fn completeness(&self) -> f64 {
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

    fn today() -> Date {
        Date::parse("2026-06-30").unwrap()
    }

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
        let f = compute(&p, &Thresholds::default(), today());
        assert_eq!(f.scorecard, Some(72.0));
        assert_eq!(f.computed_tier, Some(Tier::Gold));
        // 2/3 × 100 = 66.666… → 66.7
        let p = plan(
            "scorecard:\n  - {criterion: a, weight: 3, score: 10}\n  - {criterion: b, weight: 3, score: 10}\n  - {criterion: c, weight: 3, score: 0}\n",
        );
        assert_eq!(
            compute(&p, &Thresholds::default(), today()).scorecard,
            Some(66.7)
        );
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
        let f = compute(&p, &Thresholds::default(), today());
        assert_eq!(f.total_cost, 400.0);
        assert_eq!(f.expected_return, 800.0);
        assert_eq!(f.roi, Some(1.0));
        // Q1: 100 vs 0; Q2: 400 vs 0; Q3: 400 vs 200; Q4: 400 vs 800 → Q4.
        assert_eq!(f.payback.unwrap().to_string(), "2026-Q4");
    }

    #[test]
    fn roi_is_undefined_without_costs() {
        let p = plan("returns:\n  - {amount: 1000, period: 2026-Q4}\n");
        let f = compute(&p, &Thresholds::default(), today());
        assert_eq!(f.roi, None);
        assert_eq!(f.payback, None);
    }

    #[test]
    fn payback_never_reached() {
        let p = plan(
            "costs:\n  - {amount: 1000, period: 2026-Q1}\nreturns:\n  - {amount: 900, period: 2026-Q4}\n",
        );
        let f = compute(&p, &Thresholds::default(), today());
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
            compute(&p, &Thresholds::default(), today())
                .payback
                .unwrap()
                .to_string(),
            "2026-05-20"
        );
    }

    /// The objectives of `yaml` (a plan running 2026-01-01 .. 2026-12-31)
    /// as of `today`.
    fn objectives_on(yaml: &str, today: &str) -> Vec<ObjectiveFigures> {
        let p = plan(&format!(
            "period: {{start: 2026-01-01, end: 2026-12-31}}\nobjectives:\n{yaml}"
        ));
        objectives(&p, Date::parse(today).unwrap())
    }

    fn one(yaml: &str, today: &str) -> ObjectiveFigures {
        objectives_on(yaml, today).remove(0)
    }

    // Expected values below are worked out by hand from §9.1 of the contract.

    #[test]
    fn improvement_progress_starts_at_the_baseline() {
        // Premium mix 14% → 22%, actual 17%: (17 − 14) / (22 − 14) = 3/8.
        let o = one(
            "  - {id: premium-mix, baseline: 14, target: 22, actual: 17, due: 2026-12-31}\n",
            "2026-06-30",
        );
        assert_eq!(o.better, Better::Higher);
        assert_eq!(o.goal, Goal::Improvement);
        assert!(!o.met);
        assert_eq!(o.progress, Some(0.375));
        assert_eq!(o.percent(), Some(38));
    }

    #[test]
    fn improvement_below_its_baseline_is_no_progress() {
        // Revenue 18M → 32M with 14.5M: (14.5 − 18) / (32 − 18) = −0.25 → 0.
        let o = one(
            "  - {id: revenue, baseline: 18000000, target: 32000000, actual: 14500000, due: 2026-12-31}\n",
            "2026-06-30",
        );
        assert_eq!(o.progress, Some(0.0));
        assert!(!o.met);
        // Half the period gone, nothing achieved: behind by more than 0.25.
        assert_eq!(o.status, ObjectiveStatus::AtRisk);
    }

    #[test]
    fn hold_goal_not_met_is_at_risk_then_missed() {
        // Core SKUs: keep ≥ 90 from 96, now 71. Target on the worse side of
        // the baseline for `higher`: a hold goal; 71 < 90: not met.
        let yaml = "  - {id: core-skus, baseline: 96, target: 90, actual: 71, better: higher, due: 2026-12-31}\n";
        let before = one(yaml, "2026-06-30");
        assert_eq!(before.goal, Goal::Hold);
        assert!(!before.met);
        // Not an improvement goal: not met, so actual / target = 71/90.
        assert_eq!(before.progress, Some(71.0 / 90.0));
        assert_eq!(before.status, ObjectiveStatus::AtRisk);
        let after = one(yaml, "2027-01-01");
        assert_eq!(after.status, ObjectiveStatus::Missed);
        // Held: 92 ≥ 90 is met, progress 1.
        let held = one(
            "  - {id: core-skus, baseline: 96, target: 90, actual: 92, better: higher, due: 2026-12-31}\n",
            "2026-06-30",
        );
        assert!(held.met);
        assert_eq!(held.progress, Some(1.0));
        assert_eq!(held.status, ObjectiveStatus::Met);
    }

    #[test]
    fn a_target_below_the_baseline_defaults_to_lower() {
        // Without `better`, 96 → 90 reads as a reduction: 71 ≤ 90 is met.
        let o = one(
            "  - {id: core-skus, baseline: 96, target: 90, actual: 71, due: 2026-12-31}\n",
            "2026-06-30",
        );
        assert_eq!(o.better, Better::Lower);
        assert_eq!(o.goal, Goal::Improvement);
        assert!(o.met);
        // (71 − 96) / (90 − 96) = 25/6, clamped to 1: never above 100%.
        assert_eq!(o.progress, Some(1.0));
    }

    #[test]
    fn lower_is_better_halfway_is_half() {
        // 420 ppm → 250 ppm, now 335: (335 − 420) / (250 − 420) = 0.5.
        let o = one(
            "  - {id: ppm, baseline: 420, target: 250, actual: 335, due: 2026-12-31}\n",
            "2026-06-30",
        );
        assert_eq!(o.better, Better::Lower);
        assert_eq!(o.progress, Some(0.5));
        assert_eq!(o.percent(), Some(50));
        // Still at the baseline: 0 / −170 is −0, written 0 (not −0 in JSON).
        let o = one(
            "  - {id: ppm, baseline: 420, target: 250, actual: 420, due: 2026-12-31}\n",
            "2026-06-30",
        );
        assert!(o.progress == Some(0.0) && o.progress.unwrap().is_sign_positive());
        // Without a baseline: target / actual = 250 / 500.
        let o = one(
            "  - {id: ppm, target: 250, actual: 500, better: lower}\n",
            "2026-06-30",
        );
        assert_eq!(o.progress, Some(0.5));
        // Lower, not met, actual ≤ 0: 0.
        let o = one(
            "  - {id: x, target: -10, actual: 0, better: lower}\n",
            "2026-06-30",
        );
        assert_eq!(o.progress, Some(0.0));
    }

    #[test]
    fn no_actual_is_no_data_until_due() {
        let yaml = "  - {id: tender, target: 100, due: 2026-12-31}\n";
        let o = one(yaml, "2026-06-30");
        assert!(!o.met);
        assert_eq!(o.progress, None);
        assert_eq!(o.status, ObjectiveStatus::NoData);
        assert_eq!(one(yaml, "2027-01-01").status, ObjectiveStatus::Missed);
        // An actual without a target has nothing to measure against either.
        let o = one("  - {id: x, actual: 5}\n", "2026-06-30");
        assert_eq!((o.progress, o.status), (None, ObjectiveStatus::NoData));
    }

    #[test]
    fn a_target_at_or_below_zero_gives_no_progress_upwards() {
        // Higher, no baseline, target 0, actual −2: not met; target ≤ 0 → 0.
        let o = one("  - {id: x, target: 0, actual: -2}\n", "2026-06-30");
        assert!(!o.met);
        assert_eq!(o.progress, Some(0.0));
        // Higher, no baseline, not met: actual / target = 30 / 120.
        let o = one("  - {id: x, target: 120, actual: 30}\n", "2026-06-30");
        assert_eq!(o.progress, Some(0.25));
        // Met without a baseline: 1, never 130 / 100.
        let o = one("  - {id: x, target: 100, actual: 130}\n", "2026-06-30");
        assert_eq!(o.progress, Some(1.0));
        assert_eq!(o.status, ObjectiveStatus::Met);
    }

    #[test]
    fn on_track_is_judged_against_the_time_elapsed() {
        // 2026-01-01 → 2026-12-31 is 364 days; 2026-07-02 is day 182:
        // elapsed 0.5, so at risk below 0.25.
        let yaml = |actual: u32| {
            format!("  - {{id: x, baseline: 0, target: 100, actual: {actual}, due: 2026-12-31}}\n")
        };
        assert_eq!(
            one(&yaml(30), "2026-07-02").status,
            ObjectiveStatus::OnTrack
        );
        assert_eq!(
            one(&yaml(25), "2026-07-02").status,
            ObjectiveStatus::OnTrack
        );
        assert_eq!(one(&yaml(24), "2026-07-02").status, ObjectiveStatus::AtRisk);
        // Before the period starts, nothing has elapsed.
        assert_eq!(one(&yaml(0), "2025-12-01").status, ObjectiveStatus::OnTrack);
        // Met stays met after the due date.
        assert_eq!(one(&yaml(100), "2027-03-01").status, ObjectiveStatus::Met);
        // Without a due date nothing is behind schedule, nor missed.
        let o = one(
            "  - {id: x, baseline: 0, target: 100, actual: 1}\n",
            "2027-03-01",
        );
        assert_eq!(o.status, ObjectiveStatus::OnTrack);
    }

    #[test]
    fn objectives_met_counts_met_objectives() {
        let p = plan(
            "objectives:\n  - {id: a, target: 1, actual: 1}\n  - {id: b, target: 2, actual: 1}\n  - {id: c, target: 5, actual: 1, better: lower}\n",
        );
        let f = compute(
            &p,
            &Thresholds::default(),
            Date::parse("2026-06-30").unwrap(),
        );
        assert_eq!(f.objectives_met(), 2);
    }

    #[test]
    fn kpi_status_is_met_near_or_off() {
        let kpi = |yaml: &str| {
            let p = plan(&format!("kpis:\n  - {{id: k, {yaml}}}\n"));
            kpi_status(&p.kpis[0])
        };
        // Higher, target 100: 100 met; 90 is 10% short: near; 89 off.
        assert_eq!(kpi("target: 100, actual: 100"), Some(KpiStatus::Met));
        assert_eq!(kpi("target: 100, actual: 90"), Some(KpiStatus::Near));
        assert_eq!(kpi("target: 100, actual: 89"), Some(KpiStatus::Off));
        // Lower, target 10: 11 is within 10% above it; 12 is not; 9 is met.
        assert_eq!(
            kpi("target: 10, actual: 11, better: lower"),
            Some(KpiStatus::Near)
        );
        assert_eq!(
            kpi("target: 10, actual: 12, better: lower"),
            Some(KpiStatus::Off)
        );
        assert_eq!(
            kpi("target: 10, actual: 9, better: lower"),
            Some(KpiStatus::Met)
        );
        assert_eq!(kpi("target: 10"), None);
    }

    #[test]
    fn met_follows_the_direction_and_needs_an_actual() {
        let today = Date::parse("2026-06-30").unwrap();
        let met = |yaml: &str| objective(&plan(yaml).objectives[0], None, today).met;
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
        // A floor to hold (target below baseline, higher is better): 71 is not 90.
        assert!(!met(
            "objectives:\n  - {id: a, baseline: 96, target: 90, actual: 71, better: higher}\n"
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
