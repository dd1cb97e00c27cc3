//! The dossier's context: one module per checklist question, each with
//! its part of the page data and the code that builds it from the plan.

mod by_whom;
mod cost_return;
mod glance;
mod how;
mod joint;
mod more;
mod notes;
mod when_where;
mod whitespace;
mod who;
mod why;

use std::collections::BTreeMap;

use serde::Serialize;

use super::HistoryCx;
use super::{Builder, DiagCx, Row, d, name_of, person_name, s};
use crate::AccountReport;
use crate::diagnostic::Question;
use crate::model::{Id, Plan, Sp};

pub(crate) use joint::joint_report;
pub(crate) use notes::PageCx;

use by_whom::ByWhomCx;
use cost_return::CostReturnCx;
use glance::GlanceCx;
use how::{ActionCx, HowCx};
use more::MoreCx;
use notes::VisitCx;
use when_where::WhenWhereCx;
use whitespace::WhitespaceCx;
use who::WhoCx;
use why::WhyCx;

/// The dossier of one account.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DossierCx {
    /// The portfolio row: name, tier, stage, owner, badges, figures.
    pub(crate) head: Row,
    /// Region.
    pub(crate) region: Option<String>,
    /// Customer since.
    pub(crate) since: Option<String>,
    /// Plan period.
    pub(crate) period: Option<String>,
    /// Currency.
    pub(crate) currency: String,
    /// The computed tier, translated, when a scorecard exists.
    pub(crate) computed_tier_label: Option<String>,
    /// Summary HTML.
    pub(crate) summary: Option<String>,
    /// The six questions answered on the first screen.
    pub(crate) glance: GlanceCx,
    /// Why: the objectives.
    pub(crate) why: WhyCx,
    /// Who: stakeholders and decision.
    pub(crate) who: WhoCx,
    /// By whom: the team.
    pub(crate) by_whom: ByWhomCx,
    /// How: strategies and their actions.
    pub(crate) how: HowCx,
    /// Who: the coverage chart's note ("3 of 4 key persons covered, by 2 of
    /// our team"), the summary of its folded figure; `None` without coverage.
    pub(crate) coverage_note: Option<String>,
    /// How: the customer's units × our offerings (§9.4), when the plan has them.
    pub(crate) whitespace: Option<WhitespaceCx>,
    /// Every action, in plan order: `how` and `when_where` list indexes
    /// into it.
    pub(crate) actions: Vec<ActionCx>,
    /// When and where: actions and milestones by date.
    pub(crate) when_where: WhenWhereCx,
    /// Cost versus return: costs, returns, review.
    pub(crate) cost_return: CostReturnCx,
    /// Scorecard, KPIs, risks, asks, competitors.
    pub(crate) more: MoreCx,
    /// Visits, newest first.
    pub(crate) visits: Vec<VisitCx>,
    /// Narrative pages by section (`other` included; `-` in names is `_`).
    pub(crate) pages: BTreeMap<String, Vec<PageCx>>,
    /// Diagnostics of this account by question (`-` in names is `_`).
    pub(crate) diagnostics: BTreeMap<String, Vec<DiagCx>>,
    /// Last change, what changed since the last review, notes.
    pub(crate) history: HistoryCx,
}

/// What the parts of one dossier share: the account, its plan, and how
/// its amounts and names read.
struct Dossier<'a> {
    b: &'a Builder<'a>,
    a: &'a AccountReport,
    plan: &'a Plan,
    currency: String,
    /// The prefix of the dossier's links.
    base: &'a str,
}

/// Indexes of the items of `items` that `keep` selects: how the dossier's
/// parts point into its lists rather than copy them.
fn indexes<T>(items: &[T], keep: impl Fn(&T) -> bool) -> Vec<usize> {
    (0..items.len()).filter(|&i| keep(&items[i])).collect()
}

impl Dossier<'_> {
    /// An amount in the plan's currency.
    fn money(&self, v: f64) -> String {
        self.b.locale.money(v, &self.currency)
    }

    /// The title of objective `id`, else the id.
    fn objective_title(&self, id: &Id) -> String {
        self.plan
            .objectives
            .iter()
            .find(|o| o.id.as_ref().is_some_and(|i| i.value == *id))
            .and_then(|o| s(&o.title))
            .unwrap_or_else(|| id.to_string())
    }

    fn objective_titles(&self, ids: &[Sp<Id>]) -> Vec<String> {
        ids.iter().map(|o| self.objective_title(o)).collect()
    }

    /// The names of the people `ids`: stakeholders, else team members.
    fn people(&self, ids: &[Sp<Id>]) -> Vec<String> {
        ids.iter().map(|p| person_name(self.plan, p)).collect()
    }
}

/// `start – end` of the plan's period.
fn period(plan: &Plan) -> Option<String> {
    let p = plan.period.as_ref()?;
    Some(format!(
        "{} – {}",
        p.start.as_ref()?.value,
        p.end.as_ref()?.value
    ))
}

impl Builder<'_> {
    /// The dossier of account `a`; `None` when its plan could not be read.
    pub(crate) fn dossier(&self, a: &AccountReport, base: &str) -> Option<DossierCx> {
        let plan = a.files.plan.as_ref()?;
        let account = plan.account.as_ref();
        let x = Dossier {
            b: self,
            a,
            plan,
            currency: self.currency(Some(plan)),
            base,
        };
        let own = self.scope.diagnostics_of(&a.files.id);
        let diagnostics = Question::CHECKLIST
            .iter()
            .chain([Question::Plan].iter())
            .map(|q| {
                let items = own
                    .iter()
                    .filter(|d| d.rule.question == *q)
                    .map(|d| self.diag(d, base))
                    .collect();
                (q.as_str().replace('-', "_"), items)
            })
            .collect();
        let when_where = x.when_where();
        Some(DossierCx {
            glance: self.glance(plan, &when_where, own),
            head: self.row(a, base),
            region: account.and_then(|x| s(&x.region)),
            since: account.and_then(|x| d(&x.since)),
            period: period(plan),
            computed_tier_label: name_of(
                self.locale,
                a.figures.as_ref().and_then(|f| f.computed_tier),
            ),
            summary: s(&plan.summary).map(|t| super::markdown::to_html(&t, "summary-", 2)),
            why: x.why(),
            who: x.who(),
            by_whom: x.by_whom(),
            how: x.how(),
            coverage_note: crate::charts::coverage_note(
                plan,
                self.scope.config.thresholds.key_influence,
                self.locale,
            ),
            whitespace: x.whitespace(),
            actions: plan.actions.iter().map(|y| x.action(y)).collect(),
            when_where,
            cost_return: x.cost_return(),
            more: x.more(),
            visits: x.visits(),
            pages: x.pages(),
            diagnostics,
            history: self.history(a),
            currency: x.currency,
        })
    }
}
