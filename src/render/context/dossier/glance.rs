//! The glance: the six questions answered on the dossier's first screen,
//! and what needs attention. It points into the dossier's other parts
//! rather than copying them.

use serde::Serialize;

use super::indexes;
use super::when_where::WhenWhereCx;
use crate::diagnostic::{Diagnostic, Level, Question};
use crate::model::{BuyerRole, Plan, TeamRole};
use crate::render::context::Builder;

/// How many actions, milestones and findings the glance shows.
const NEXT: usize = 3;
const ATTENTION: usize = 5;

/// The dossier's first screen.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GlanceCx {
    /// Economic buyers, then coaches: indexes into `who.stakeholders`.
    pub(crate) deciders: Vec<usize>,
    /// Executive sponsors: indexes into `by_whom.team`.
    pub(crate) sponsors: Vec<usize>,
    /// The next open actions, overdue first, then by due date: indexes
    /// into `actions`.
    pub(crate) next_actions: Vec<usize>,
    /// Open actions in all.
    pub(crate) open_actions: usize,
    /// The next milestones not done, from today on: indexes into
    /// `when_where.milestones`.
    pub(crate) milestones: Vec<usize>,
    /// The account's findings, errors first, then in checklist order.
    pub(crate) attention: Vec<AttentionCx>,
    /// The account's findings in all.
    pub(crate) attention_total: usize,
    /// The findings not in `attention`.
    pub(crate) attention_more: usize,
}

/// One finding on the first screen, linked to its question's section.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AttentionCx {
    /// `error` or `warning`.
    pub(crate) level: &'static str,
    /// The level, translated.
    pub(crate) level_label: String,
    /// The message.
    pub(crate) message: String,
    /// The id of the section that holds it (`check-why`).
    pub(crate) anchor: String,
}

impl Builder<'_> {
    /// The glance of `plan`, given its schedule and its own findings.
    pub(super) fn glance(
        &self,
        plan: &Plan,
        schedule: &WhenWhereCx,
        own: &[Diagnostic],
    ) -> GlanceCx {
        let today = self.scope.today;
        let role = |r: BuyerRole| {
            indexes(&plan.stakeholders, move |s| {
                s.role.as_ref().is_some_and(|x| x.value == r)
            })
        };
        let mut deciders = role(BuyerRole::EconomicBuyer);
        deciders.extend(role(BuyerRole::Coach));

        let mut open = indexes(&plan.actions, |a| a.status_or_planned().is_open());
        let due = |i: usize| plan.actions[i].due.as_ref().map(|d| d.value);
        // Overdue first; then by due date, undated last; plan order breaks ties.
        open.sort_by_key(|&i| {
            let d = due(i);
            (d.is_none_or(|d| d >= today), d.is_none(), d, i)
        });

        let mut findings: Vec<&Diagnostic> = own.iter().collect();
        findings.sort_by_key(|d| {
            let q = Question::CHECKLIST
                .iter()
                .position(|q| *q == d.rule.question)
                .unwrap_or(Question::CHECKLIST.len());
            (d.level != Level::Error, q)
        });
        GlanceCx {
            deciders,
            sponsors: indexes(&plan.team, |m| {
                m.role
                    .as_ref()
                    .is_some_and(|r| r.value == TeamRole::ExecutiveSponsor)
            }),
            open_actions: open.len(),
            next_actions: open.into_iter().take(NEXT).collect(),
            milestones: indexes(&schedule.milestones, |m| !m.done && !m.past)
                .into_iter()
                .take(NEXT)
                .collect(),
            attention: findings
                .iter()
                .take(ATTENTION)
                .map(|d| AttentionCx {
                    level: d.level.as_str(),
                    level_label: self.t(&format!("level.{}", d.level.as_str())),
                    message: self.message(d),
                    anchor: format!("check-{}", d.rule.question.as_str()),
                })
                .collect(),
            attention_total: own.len(),
            attention_more: own.len().saturating_sub(ATTENTION),
        }
    }
}
