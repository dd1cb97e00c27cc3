//! The joint account plan, shared with the customer (`--audience customer`,
//! §9.5): built from an account's [customer view](AccountFiles::customer_view)
//! only, so that nothing the customer may not see is ever in the context.

use serde::Serialize;

use super::by_whom::MemberCx;
use super::how::ActionCx;
use super::notes::PageCx;
use super::when_where::DatedMilestone;
use super::why::ObjectiveCx;
use super::{Builder, Dossier, period};
use crate::AccountReport;
use crate::model::{AccountFiles, Named, Section};
use crate::render::dossier_href;

/// The joint plan of one account.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct JointCx {
    /// The account's name.
    pub(crate) name: String,
    /// Link to the page.
    pub(crate) href: String,
    /// The plan period, `start – end`.
    pub(crate) period: Option<String>,
    /// Our shared objectives, in plan order.
    pub(crate) objectives: Vec<ObjectiveCx>,
    /// Who does what, when: the shared actions by due date.
    pub(crate) actions: Vec<ActionCx>,
    /// The shared milestones by date.
    pub(crate) milestones: Vec<DatedMilestone>,
    /// The next shared milestone not done, on or after today.
    pub(crate) next_milestone: Option<DatedMilestone>,
    /// How many KPIs are shared (their chart shows them).
    pub(crate) kpis: usize,
    /// Our team: names and roles.
    pub(crate) team: Vec<MemberCx>,
    /// The shared pages, in section order, then by `order` and file.
    pub(crate) pages: Vec<PageCx>,
}

/// The joint plans of the accounts that share something, for the index.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct JointIndexCx {
    /// One per account with a shared item, by id.
    pub(crate) accounts: Vec<JointCx>,
}

impl Builder<'_> {
    /// The joint plan of `a`, a report on an account's customer view (its
    /// figures computed from that view alone).
    pub(crate) fn joint(&self, a: &AccountReport, base: &str) -> Option<JointCx> {
        let plan = a.files.plan.as_ref()?;
        let x = Dossier {
            b: self,
            a,
            plan,
            currency: self.currency(Some(plan)),
            base,
        };
        let mut actions: Vec<ActionCx> = plan.actions.iter().map(|y| x.action(y)).collect();
        actions.sort_by(|p, q| (&p.due, &p.start).cmp(&(&q.due, &q.start)));
        let milestones = x.when_where().milestones;
        let next_milestone = self.next_milestone(plan).and_then(|next| {
            milestones
                .iter()
                .find(|m| m.date.as_deref() == Some(next.date.as_str()) && !m.done)
                .cloned()
        });
        // The sections in the order of the checklist, then `other`.
        let mut by_section = x.pages();
        let pages = <Section as Named>::NAMES
            .iter()
            .filter_map(|name| by_section.remove(&name.replace('-', "_")))
            .flatten()
            .collect();
        Some(JointCx {
            name: self.account_name(a),
            href: dossier_href(base, &a.files.id),
            period: period(plan),
            objectives: x.why().objectives,
            actions,
            milestones,
            next_milestone,
            kpis: plan.kpis.len(),
            team: x.by_whom().team,
            pages,
        })
    }

    /// The index of the joint plans: every account of the scope with a
    /// shared item, each from its customer view.
    pub(crate) fn joint_index(&self, base: &str) -> JointIndexCx {
        let accounts = self
            .scope
            .accounts
            .iter()
            .filter_map(|a| {
                let view = joint_report(&a.files, self.scope.config, self.scope.today)?;
                self.joint(&view, base)
            })
            .collect();
        JointIndexCx { accounts }
    }
}

/// The report the customer's pages of an account are built from: its
/// customer view, with the figures of that view alone; `None` when the
/// account shares nothing.
pub(crate) fn joint_report(
    files: &AccountFiles,
    config: &crate::config::Config,
    today: crate::model::Date,
) -> Option<AccountReport> {
    let view = files.customer_view()?;
    let figures = view
        .plan
        .as_ref()
        .map(|p| crate::figures::compute(p, &config.thresholds, today));
    Some(crate::pipeline::report_of(
        std::sync::Arc::new(view),
        figures,
        &[],
    ))
}
