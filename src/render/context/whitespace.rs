//! The portfolio's whitespace: each of our offerings across the accounts
//! whose whitespace grid (§9.4) lists it, what we sell now and what is
//! still open, the largest untapped potential first.

use serde::Serialize;

use super::Builder;
use crate::figures::{WhitespaceCell, WhitespaceTotals};
use crate::render::dossier_href;

/// The portfolio's whitespace table; `None` when no account has a grid.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PortfolioWhitespaceCx {
    /// One row per offering, the largest untapped potential first.
    pub(crate) offerings: Vec<WsOfferingCx>,
    /// Σ current over every grid.
    pub(crate) current: String,
    /// Σ untapped potential over every grid.
    pub(crate) potential: String,
}

/// One account's share of an offering.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WsAccountCx {
    /// The customer's name.
    pub(crate) name: String,
    /// Its dossier's whitespace grid.
    pub(crate) href: String,
    /// Σ current of the offering there.
    pub(crate) current: String,
    /// Σ untapped potential of the offering there.
    pub(crate) potential: String,
}

/// One offering across the accounts.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WsOfferingCx {
    /// The offering, as the plans name it.
    pub(crate) offering: String,
    /// The accounts whose grid lists the offering, in portfolio order.
    pub(crate) accounts: Vec<WsAccountCx>,
    /// Σ current of the offering.
    pub(crate) current: String,
    /// Σ untapped potential of the offering: what the portfolio could still win.
    pub(crate) potential: String,
    /// The same, unformatted, for sorting.
    #[serde(skip)]
    potential_value: f64,
}

impl<'a> Builder<'a> {
    /// The portfolio's whitespace, in the site's currency.
    pub(crate) fn portfolio_whitespace(&'a self, base: &str) -> Option<PortfolioWhitespaceCx> {
        let grids: Vec<(&crate::AccountReport, &[WhitespaceCell])> = self
            .scope
            .accounts
            .iter()
            .filter_map(|a| {
                let cells = &a.figures.as_ref()?.whitespace;
                (!cells.is_empty()).then_some((a, cells.as_slice()))
            })
            .collect();
        if grids.is_empty() {
            return None;
        }
        let currency = &self.scope.config.currency;
        let money = |v: f64| self.locale.money(v, currency);
        let mut names: Vec<String> = Vec::new();
        for w in grids.iter().flat_map(|(_, cells)| cells.iter()) {
            if let Some(o) = &w.offering
                && !names.contains(o)
            {
                names.push(o.clone());
            }
        }
        let mut offerings: Vec<WsOfferingCx> = names
            .into_iter()
            .map(|o| {
                let listed = |cells: &'a [WhitespaceCell]| -> Vec<&'a WhitespaceCell> {
                    cells
                        .iter()
                        .filter(|w| w.offering.as_deref() == Some(o.as_str()))
                        .collect()
                };
                let WhitespaceTotals { current, potential } =
                    WhitespaceTotals::of(grids.iter().flat_map(|(_, cells)| listed(cells)));
                WsOfferingCx {
                    accounts: grids
                        .iter()
                        .filter_map(|(a, cells)| {
                            let mine = listed(cells);
                            (!mine.is_empty()).then(|| {
                                let WhitespaceTotals {
                                    current: c,
                                    potential: p,
                                } = WhitespaceTotals::of(mine);
                                WsAccountCx {
                                    name: self.account_name(a),
                                    href: format!("{}#whitespace", dossier_href(base, &a.files.id)),
                                    current: money(c),
                                    potential: money(p),
                                }
                            })
                        })
                        .collect(),
                    current: money(current),
                    potential: money(potential),
                    potential_value: potential,
                    offering: o,
                }
            })
            .collect();
        offerings.sort_by(|a, b| b.potential_value.total_cmp(&a.potential_value));
        let WhitespaceTotals { current, potential } =
            WhitespaceTotals::of(grids.iter().flat_map(|(_, cells)| cells.iter()));
        Some(PortfolioWhitespaceCx {
            offerings,
            current: money(current),
            potential: money(potential),
        })
    }
}
