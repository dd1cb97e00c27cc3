//! The whitespace grid (§9.4): the customer's units × our offerings, each
//! cell's status with its current and potential revenue, and the totals.

use serde::Serialize;

use super::Dossier;
use crate::figures::WhitespaceTotals;
use crate::model::{Money, Sp, Whitespace, WhitespaceStatus};
use crate::render::context::{name_of, s};

/// The dossier's whitespace grid.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WhitespaceCx {
    /// Our offerings, the columns, in the order first written.
    pub(crate) offerings: Vec<String>,
    /// The customer's units, the rows, in the order first written.
    pub(crate) rows: Vec<UnitCx>,
    /// Per offering: Σ current and Σ untapped potential, formatted.
    pub(crate) totals: Vec<TotalCx>,
    /// Σ current over the grid: the revenue we own.
    pub(crate) owned: String,
    /// Σ potential of the gap, pipeline and competitor cells.
    pub(crate) untapped: String,
    /// The untapped potential by status (gap, pipeline, competitor), those
    /// with an amount.
    pub(crate) untapped_by_status: Vec<PartCx>,
}

/// One unit of the customer: its cells, one per offering (`null` where the
/// plan has none).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct UnitCx {
    /// The unit.
    pub(crate) unit: String,
    /// Its cells, in the order of `offerings`.
    pub(crate) cells: Vec<Option<CellCx>>,
}

/// One cell: one offering in one unit.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CellCx {
    /// `owned`, `pipeline`, `gap`, `competitor`, `not-applicable`, or `""`
    /// when not given.
    pub(crate) status: &'static str,
    /// The status, translated.
    pub(crate) status_label: Option<String>,
    /// Revenue now, formatted.
    pub(crate) current: Option<String>,
    /// Revenue open to us, formatted.
    pub(crate) potential: Option<String>,
    /// The competitor holding it.
    pub(crate) holder: Option<String>,
}

/// The totals of one offering.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TotalCx {
    /// Σ current.
    pub(crate) current: String,
    /// Σ untapped potential.
    pub(crate) potential: String,
}

/// A share of the untapped potential.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartCx {
    /// The status, translated.
    pub(crate) label: String,
    /// Its amount, formatted.
    pub(crate) amount: String,
}

const UNTAPPED: [WhitespaceStatus; 3] = [
    WhitespaceStatus::Gap,
    WhitespaceStatus::Pipeline,
    WhitespaceStatus::Competitor,
];

/// The keys of `cells` in the order first written, without repeats.
fn distinct(cells: impl Iterator<Item = Option<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in cells.flatten() {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn amount(v: &Option<Sp<Money>>) -> f64 {
    v.as_ref().map_or(0.0, |m| m.value.0)
}

impl Dossier<'_> {
    /// The whitespace grid; `None` when the plan has none.
    pub(super) fn whitespace(&self) -> Option<WhitespaceCx> {
        let cells = &self.plan.whitespace;
        if cells.is_empty() {
            return None;
        }
        let unit = |w: &Whitespace| s(&w.unit);
        let offering = |w: &Whitespace| s(&w.offering);
        let offerings = distinct(cells.iter().map(offering));
        let units = distinct(cells.iter().map(unit));
        let money = |v: Option<&Sp<Money>>| v.map(|m| self.money(m.value.0));
        let rows = units
            .iter()
            .map(|u| UnitCx {
                unit: u.clone(),
                cells: offerings
                    .iter()
                    .map(|o| {
                        let w = cells.iter().find(|w| {
                            unit(w).as_ref() == Some(u) && offering(w).as_ref() == Some(o)
                        })?;
                        let status = w.status.as_ref().map(|x| x.value);
                        Some(CellCx {
                            status: status.map_or("", |x| crate::model::Named::as_str(x)),
                            status_label: name_of(self.b.locale, status),
                            current: money(w.current.as_ref()),
                            potential: money(w.potential.as_ref()),
                            holder: s(&w.holder),
                        })
                    })
                    .collect(),
            })
            .collect();
        let untapped = |w: &Whitespace| w.status.as_ref().is_some_and(|x| x.value.is_untapped());
        let totals = offerings
            .iter()
            .map(|o| {
                let of: Vec<&Whitespace> = cells
                    .iter()
                    .filter(|w| offering(w).as_ref() == Some(o))
                    .collect();
                TotalCx {
                    current: self.money(of.iter().map(|w| amount(&w.current)).sum()),
                    potential: self.money(
                        of.iter()
                            .filter(|w| untapped(w))
                            .map(|w| amount(&w.potential))
                            .sum(),
                    ),
                }
            })
            .collect();
        let WhitespaceTotals { current, potential } = self
            .a
            .figures
            .as_ref()
            .map(|f| WhitespaceTotals::of(&f.whitespace))
            .unwrap_or_default();
        let untapped_by_status = UNTAPPED
            .iter()
            .filter_map(|st| {
                let sum: f64 = cells
                    .iter()
                    .filter(|w| w.status.as_ref().is_some_and(|x| x.value == *st))
                    .map(|w| amount(&w.potential))
                    .sum();
                (sum > 0.0).then(|| PartCx {
                    label: name_of(self.b.locale, Some(*st)).unwrap_or_default(),
                    amount: self.money(sum),
                })
            })
            .collect();
        Some(WhitespaceCx {
            offerings,
            rows,
            totals,
            owned: self.money(current),
            untapped: self.money(potential),
            untapped_by_status,
        })
    }
}
