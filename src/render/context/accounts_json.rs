//! `accounts.json`: every account's figures, as the contract defines them.

use serde::Serialize;

use serde_json::Value;

use super::Builder;
use crate::model::Named;

/// One object of `accounts.json`, as the contract defines it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AccountJson {
    /// Account id.
    pub(crate) id: String,
    /// Customer name.
    pub(crate) name: String,
    /// Owner id.
    pub(crate) owner: Option<String>,
    /// Relationship stage.
    pub(crate) stage: Option<&'static str>,
    /// Declared tier.
    pub(crate) tier: Option<&'static str>,
    /// Tier from the scorecard.
    pub(crate) computed_tier: Option<&'static str>,
    /// Scorecard total.
    pub(crate) scorecard: Option<f64>,
    /// Σ costs.
    pub(crate) total_cost: f64,
    /// Σ returns × probability.
    pub(crate) expected_return: f64,
    /// ROI, or null.
    pub(crate) roi: Option<f64>,
    /// Payback period, or null.
    pub(crate) payback: Option<String>,
    /// Passing or warning questions / 6.
    pub(crate) completeness: f64,
    /// Question → status.
    pub(crate) checklist: crate::figures::Checklist,
    /// Error count.
    pub(crate) errors: usize,
    /// Warning count.
    pub(crate) warnings: usize,
    /// The next open milestone.
    pub(crate) next_milestone: Option<Value>,
    /// Each objective's progress (0..1, `null` when undefined), met and status.
    pub(crate) objectives: Vec<ObjectiveJson>,
    /// How many objectives are met.
    pub(crate) objectives_met: usize,
    /// Σ whitespace `current`: the revenue we own in the account's units.
    pub(crate) whitespace_current: f64,
    /// Σ whitespace `potential` of the gap, pipeline and competitor cells.
    pub(crate) whitespace_potential: f64,
    /// Stakeholders' private notes, only with `--include-private`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) private: Option<Value>,
}

/// One objective in `accounts.json`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ObjectiveJson {
    /// Id.
    pub(crate) id: Option<String>,
    /// Title.
    pub(crate) title: Option<String>,
    /// Progress from the baseline (or zero) to the target, 0..1, to four
    /// decimals; `null` without `actual` or `target`.
    pub(crate) progress: Option<f64>,
    /// Whether the target is reached.
    pub(crate) met: bool,
    /// `met`, `missed`, `at-risk`, `on-track` or `no-data`.
    pub(crate) status: &'static str,
}

/// The accounts, serialized one at a time as the sequence is written.
struct Accounts<'b, 'a>(&'b Builder<'a>);

impl serde::Serialize for Accounts<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.scope.accounts.iter().map(|a| self.0.account_json(a)))
    }
}

impl Builder<'_> {
    /// `accounts.json`, written to `out` an account at a time.
    pub(crate) fn accounts_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &Accounts(self))?;
        out.write_all(b"\n")
    }

    /// What `accounts.json` says of account `a`.
    fn account_json(&self, a: &crate::AccountReport) -> AccountJson {
        let plan = a.files.plan.as_ref();
        let account = plan.and_then(|p| p.account.as_ref());
        let none = crate::figures::Figures::default();
        let f = a.figures.as_ref().unwrap_or(&none);
        let whitespace = crate::figures::WhitespaceTotals::of(&f.whitespace);
        let private = self.include_private.then(|| {
            let map: serde_json::Map<String, Value> = plan
                .into_iter()
                .flat_map(|p| &p.stakeholders)
                .filter_map(|st| {
                    Some((st.id.as_ref()?.to_string(), st.private.as_ref()?.0.clone()))
                })
                .collect();
            Value::Object(map)
        });
        AccountJson {
            id: a.files.id.clone(),
            name: self.account_name(a),
            owner: account
                .and_then(|x| x.owner.as_ref())
                .map(|o| o.to_string()),
            stage: account
                .and_then(|x| x.stage.as_ref())
                .map(|x| x.value.as_str()),
            tier: account
                .and_then(|x| x.tier.as_ref())
                .map(|x| x.value.as_str()),
            computed_tier: f.computed_tier.map(Named::as_str),
            scorecard: f.scorecard,
            total_cost: f.total_cost,
            expected_return: f.expected_return,
            roi: f.roi,
            payback: f.payback.map(|p| p.to_string()),
            completeness: a.checklist.completeness(),
            checklist: a.checklist,
            errors: a.errors,
            warnings: a.warnings,
            next_milestone: plan
                .and_then(|p| self.next_milestone(p))
                .map(|m| serde_json::json!({ "title": m.title, "date": m.date })),
            objectives: f
                .objectives
                .iter()
                .map(|x| ObjectiveJson {
                    id: x.id.clone(),
                    title: x.title.clone(),
                    progress: x.progress_ratio(),
                    met: x.met,
                    status: x.status.as_str(),
                })
                .collect(),
            objectives_met: f.objectives_met(),
            whitespace_current: whitespace.current,
            whitespace_potential: whitespace.potential,
            private,
        }
    }
}
