//! The rest of the dossier: scorecard, risks, asks and competitors (the
//! KPIs are their chart's).

use serde::Serialize;

use super::Dossier;
use crate::render::context::{d, name_of, s, team_name};

/// Scorecard, risks, asks and competitors.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MoreCx {
    /// Scorecard criteria.
    pub(crate) scorecard: Vec<CriterionCx>,
    /// Our strength against the best competitor, 0..=10.
    pub(crate) relative_strength: Option<i64>,
    /// Risks, most severe first.
    pub(crate) risks: Vec<RiskCx>,
    /// What we ask of our own company.
    pub(crate) asks: Vec<AskCx>,
    /// Competitors.
    pub(crate) competitors: Vec<CompetitorCx>,
}

/// A scorecard criterion.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CriterionCx {
    /// Criterion.
    pub(crate) criterion: Option<String>,
    /// Group, translated.
    pub(crate) group_label: Option<String>,
    /// Weight.
    pub(crate) weight: Option<i64>,
    /// Score.
    pub(crate) score: Option<i64>,
}

/// A risk.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RiskCx {
    /// Title.
    pub(crate) title: Option<String>,
    /// Likelihood, 1..=5.
    pub(crate) likelihood: Option<i64>,
    /// Impact, 1..=5.
    pub(crate) impact: Option<i64>,
    /// Likelihood × impact.
    pub(crate) severity: Option<i64>,
    /// `high`, `medium` or `low`.
    pub(crate) severity_class: Option<&'static str>,
    /// Mitigation.
    pub(crate) mitigation: Option<String>,
    /// Owner's name.
    pub(crate) owner: Option<String>,
    /// Owner's page, when they have one.
    pub(crate) owner_href: Option<String>,
}

/// An ask of our own company.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AskCx {
    /// Name of whom we ask.
    pub(crate) of: Option<String>,
    /// Their page, when they have one.
    pub(crate) of_href: Option<String>,
    /// What.
    pub(crate) what: Option<String>,
    /// By when.
    pub(crate) by: Option<String>,
    /// Its date is before today.
    pub(crate) late: bool,
}

/// A competitor.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CompetitorCx {
    /// Name.
    pub(crate) name: Option<String>,
    /// Their position at the account.
    pub(crate) position: Option<String>,
}

impl Dossier<'_> {
    pub(super) fn more(&self) -> MoreCx {
        let (loc, plan) = (self.b.locale, self.plan);
        let today = self.b.scope.today;
        let mut risks: Vec<RiskCx> = plan
            .risks
            .iter()
            .map(|r| {
                let likelihood = r.likelihood.as_ref().map(|x| x.get());
                let impact = r.impact.as_ref().map(|x| x.get());
                let severity = likelihood.zip(impact).map(|(l, i)| l * i);
                RiskCx {
                    title: s(&r.title),
                    likelihood,
                    impact,
                    severity,
                    severity_class: severity.map(|v| match v {
                        15.. => "high",
                        8.. => "medium",
                        _ => "low",
                    }),
                    mitigation: s(&r.mitigation),
                    owner: r.owner.as_ref().map(|o| team_name(plan, o)),
                    owner_href: r
                        .owner
                        .as_ref()
                        .and_then(|o| self.b.person_href(self.a, o.as_str(), self.base)),
                }
            })
            .collect();
        risks.sort_by_key(|r| std::cmp::Reverse(r.severity.unwrap_or(0)));
        MoreCx {
            scorecard: plan
                .scorecard
                .iter()
                .map(|c| CriterionCx {
                    criterion: s(&c.criterion),
                    group_label: name_of(loc, c.group.as_ref().map(|x| x.value)),
                    weight: c.weight.as_ref().map(|x| x.get()),
                    score: c.score.as_ref().map(|x| x.get()),
                })
                .collect(),
            relative_strength: plan.relative_strength.as_ref().map(|x| x.get()),
            risks,
            asks: plan
                .asks
                .iter()
                .map(|x| AskCx {
                    of: x.of.as_ref().map(|o| team_name(plan, o)),
                    of_href: x
                        .of
                        .as_ref()
                        .and_then(|o| self.b.person_href(self.a, o.as_str(), self.base)),
                    what: s(&x.what),
                    by: d(&x.by),
                    late: x.by.as_ref().is_some_and(|b| b.value < today),
                })
                .collect(),
            competitors: plan
                .competitors
                .iter()
                .map(|c| CompetitorCx {
                    name: s(&c.name),
                    position: s(&c.position),
                })
                .collect(),
        }
    }
}
