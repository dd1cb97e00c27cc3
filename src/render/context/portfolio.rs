//! The portfolio page: one row per account, totals and filters.

use serde::Serialize;

use super::{Badge, Builder, FiguresCx, Milestone, name_of, s, team_name};
use crate::AccountReport;
use crate::diagnostic::{Level, Question};
use crate::figures::Figures;
use crate::model::Named;
use crate::render::dossier_href;

/// One row of the portfolio table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    /// Account id.
    pub(crate) id: String,
    /// Link to the dossier.
    pub(crate) href: String,
    /// Customer name.
    pub(crate) name: String,
    /// Industry.
    pub(crate) industry: Option<String>,
    /// `platinum`, `gold`, `silver` (declared, else computed).
    pub(crate) tier: Option<&'static str>,
    /// The tier, translated.
    pub(crate) tier_label: Option<String>,
    /// Relationship stage.
    pub(crate) stage: Option<&'static str>,
    /// The stage, translated.
    pub(crate) stage_label: Option<String>,
    /// Stage position, for sorting.
    pub(crate) stage_order: usize,
    /// Owner id.
    pub(crate) owner: String,
    /// Owner name.
    pub(crate) owner_name: String,
    /// The owner's page, when they have one.
    pub(crate) owner_href: Option<String>,
    /// `prospect`, `active` or `lost` (default `active`).
    pub(crate) status: &'static str,
    /// The status, translated.
    pub(crate) status_label: String,
    /// Why the account was lost.
    pub(crate) lost_reason: Option<String>,
    /// The six badges (the dossier's; empty in portfolio rows, which use `checks`).
    pub(crate) badges: Vec<Badge>,
    /// The six checklist statuses in question order: `pass`, `warn` or `fail`.
    pub(crate) checks: [&'static str; 6],
    /// The checklist in one short sentence, for the compact marks' tooltip and
    /// accessible name: `5/6 pass · Cost vs return: warnings`.
    pub(crate) checks_note: String,
    /// The dossier's section of the first failing question (else the first
    /// with warnings, else the first question).
    pub(crate) checks_href: String,
    /// Formatted figures.
    pub(crate) figures: FiguresCx,
    /// The next milestone.
    pub(crate) next_milestone: Option<Milestone>,
    /// Objectives met.
    pub(crate) objectives_met: usize,
    /// Objectives in the plan.
    pub(crate) objectives_total: usize,
    /// Each status with its count, worst first: `missed 1 · at risk 2`.
    pub(crate) objectives_note: String,
    /// Error count.
    pub(crate) errors: usize,
    /// Warning count.
    pub(crate) warnings: usize,
    /// Completeness, 0..100, rounded.
    pub(crate) completeness: u8,
    /// When the plan last changed in git, and by whom.
    pub(crate) last_changed: Option<super::LastChanged>,
}

/// A filter choice.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Choice {
    /// Value.
    pub(crate) value: String,
    /// Label.
    pub(crate) label: String,
}

/// The portfolio page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PortfolioCx {
    /// One row per account.
    pub(crate) rows: Vec<Row>,
    /// The totals row.
    pub(crate) totals: FiguresCx,
    /// Tier filter.
    pub(crate) tiers: Vec<Choice>,
    /// Owner filter.
    pub(crate) owners: Vec<Choice>,
    /// Stage filter.
    pub(crate) stages: Vec<Choice>,
    /// Errors in all accounts.
    pub(crate) errors: usize,
    /// Warnings in all accounts.
    pub(crate) warnings: usize,
    /// Why there is no history, when there is none.
    pub(crate) history_note: Option<String>,
    /// Status filter.
    pub(crate) statuses: Vec<Choice>,
    /// The department's figures, each with its formula.
    pub(crate) department: Vec<FigureCx>,
    /// Accounts (not lost) per tier against the quota.
    pub(crate) quota: Vec<QuotaCx>,
    /// The department's figures, as computed (for the charts).
    #[serde(skip)]
    pub(crate) figures: crate::department::Department,
}

/// A department figure as the portfolio shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FigureCx {
    /// `plan_completion`, `revisit_rate`, ...: its key in `portfolio.json`.
    pub(crate) key: &'static str,
    /// Its name.
    pub(crate) label: String,
    /// Its value, formatted (`—` when undefined).
    pub(crate) value: String,
    /// What it is made of (`1 / 27`), when it is a ratio.
    pub(crate) detail: Option<String>,
    /// How it is computed.
    pub(crate) formula: String,
}

/// One tier against its quota.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuotaCx {
    /// `platinum`, `gold` or `silver`.
    pub(crate) tier: &'static str,
    /// The tier, translated.
    pub(crate) label: String,
    /// Accounts of the tier, not lost.
    pub(crate) count: usize,
    /// The quota (`[portfolio] max_…`), if any.
    pub(crate) max: Option<u32>,
    /// More accounts than the quota allows.
    pub(crate) over: bool,
}

impl Builder<'_> {
    /// The account's row with its six badges (the dossier's header).
    pub(crate) fn row(&self, a: &AccountReport, base: &str) -> Row {
        let mut row = self.compact_row(a, base);
        row.badges = self.badges(a, &row.href);
        row
    }

    /// The checklist as one sentence: how many questions pass, then each
    /// question that does not, worst first.
    fn checks_note(&self, a: &AccountReport) -> String {
        use crate::figures::Status;
        let passing = a.checklist.0.iter().filter(|(_, s)| *s == Status::Pass);
        let mut note = format!("{}/6 {}", passing.count(), self.t("status.pass"));
        for worst in [Status::Fail, Status::Warn] {
            for (q, _) in a.checklist.0.iter().filter(|(_, s)| *s == worst) {
                note.push_str(" · ");
                note.push_str(self.locale.text(&format!("question.{}", q.as_str())));
                note.push_str(": ");
                note.push_str(self.locale.text(&format!("status.{}", worst.as_str())));
            }
        }
        note
    }

    /// How many objectives are in each status, worst first, statuses without
    /// objectives left out: `missed 1 · at risk 2 · met 1`.
    fn objectives_note(&self, f: Option<&Figures>) -> String {
        use crate::figures::ObjectiveStatus as S;
        let mut note = String::new();
        for status in [S::Missed, S::AtRisk, S::NoData, S::OnTrack, S::Met] {
            let n = f.map_or(0, |f| {
                f.objectives.iter().filter(|o| o.status == status).count()
            });
            if n > 0 {
                if !note.is_empty() {
                    note.push_str(" · ");
                }
                note.push_str(crate::charts::objective_status_label(self.locale, status));
                note.push(' ');
                note.push_str(&n.to_string());
            }
        }
        note
    }

    /// A portfolio row (and `accounts.csv`'s): the checklist as six statuses
    /// and one sentence, no badges.
    pub(crate) fn compact_row(&self, a: &AccountReport, base: &str) -> Row {
        use crate::figures::Status;
        let plan = a.files.plan.as_ref();
        let account = plan.and_then(|p| p.account.as_ref());
        let tier = a.tier();
        let stage = account.and_then(|x| x.stage.as_ref()).map(|t| t.value);
        let owner = account.and_then(|x| x.owner.as_ref());
        let href = dossier_href(base, &a.files.id);
        let currency = self.currency(plan);
        let worst = [Status::Fail, Status::Warn]
            .iter()
            .find_map(|w| a.checklist.0.iter().find(|(_, st)| st == w))
            .map_or(Question::Why, |(q, _)| *q);
        Row {
            id: a.files.id.clone(),
            name: self.account_name(a),
            industry: account.and_then(|x| s(&x.industry)),
            tier: tier.map(Named::as_str),
            tier_label: name_of(self.locale, tier),
            stage: stage.map(Named::as_str),
            stage_label: name_of(self.locale, stage),
            stage_order: stage.map_or(99, |s| s as usize),
            owner_href: owner.and_then(|o| self.person_href(a, o.as_str(), base)),
            status: crate::department::status(a).as_str(),
            status_label: name_of(self.locale, Some(crate::department::status(a)))
                .unwrap_or_default(),
            lost_reason: account.and_then(|x| s(&x.lost_reason)),
            owner: owner.map(|o| o.to_string()).unwrap_or_default(),
            owner_name: match (plan, owner) {
                (Some(p), Some(o)) => team_name(p, o),
                _ => String::new(),
            },
            badges: Vec::new(),
            checks: a.checklist.0.map(|(_, st)| st.as_str()),
            checks_note: self.checks_note(a),
            checks_href: format!("{href}#check-{}", worst.as_str()),
            figures: self.figures(a.figures.as_ref(), &currency),
            next_milestone: plan.and_then(|p| self.next_milestone(p)),
            objectives_met: a.figures.as_ref().map_or(0, Figures::objectives_met),
            objectives_total: a.figures.as_ref().map_or(0, |f| f.objectives.len()),
            objectives_note: self.objectives_note(a.figures.as_ref()),
            errors: a.errors,
            warnings: a.warnings,
            completeness: (a.checklist.completeness() * 100.0).round() as u8,
            last_changed: self.last_changed(&a.files.id),
            href,
        }
    }

    pub(crate) fn portfolio(&self, base: &str) -> PortfolioCx {
        let rows: Vec<Row> = self
            .scope
            .accounts
            .iter()
            .map(|a| self.compact_row(a, base))
            .collect();
        let cost: f64 = rows.iter().map(|r| r.figures.total_cost_value).sum();
        let ret: f64 = rows.iter().map(|r| r.figures.expected_return_value).sum();
        let totals = Figures {
            total_cost: cost,
            expected_return: ret,
            roi: (cost > 0.0).then(|| (ret - cost) / cost),
            ..Figures::default()
        };
        let mut totals = self.figures(Some(&totals), &self.scope.config.currency);
        totals.payback = String::new();
        let choices = |f: &dyn Fn(&Row) -> Option<Choice>| {
            let mut v: Vec<Choice> = rows.iter().filter_map(f).collect();
            v.sort();
            v.dedup();
            v
        };
        let tiers = choices(&|r| {
            Some(Choice {
                value: r.tier?.to_owned(),
                label: r.tier_label.clone()?,
            })
        });
        let owners = choices(&|r| {
            (!r.owner.is_empty()).then(|| Choice {
                value: r.owner.clone(),
                label: r.owner_name.clone(),
            })
        });
        let stages = choices(&|r| {
            Some(Choice {
                value: r.stage?.to_owned(),
                label: r.stage_label.clone()?,
            })
        });
        let figures =
            crate::department::compute(self.scope.accounts, self.scope.config, self.scope.today);
        let statuses = choices(&|r| {
            Some(Choice {
                value: r.status.to_owned(),
                label: r.status_label.clone(),
            })
        });
        PortfolioCx {
            statuses,
            department: self.department(&figures),
            figures,
            quota: self.quota(),
            errors: self.scope.count(Level::Error),
            warnings: self.scope.count(Level::Warning),
            history_note: self.history_note(),
            rows,
            totals,
            tiers,
            owners,
            stages,
        }
    }
}

impl Builder<'_> {
    /// The department's figures (format §9.3), each with its formula.
    fn department(&self, d: &crate::department::Department) -> Vec<FigureCx> {
        use crate::department::Ratio;
        let ratio = |key: &'static str, r: Ratio| FigureCx {
            key,
            label: self.t(&format!("department.{key}")),
            value: r
                .value
                .map_or_else(|| "—".to_owned(), |v| self.locale.percent(v)),
            detail: r.value.map(|_| {
                if key == "service_cost_control" {
                    let c = &self.scope.config.currency;
                    format!(
                        "{} / {}",
                        self.money(r.numerator, c),
                        self.money(r.denominator, c)
                    )
                } else {
                    format!("{} / {}", r.numerator, r.denominator)
                }
            }),
            formula: {
                let c = &self.scope.config.cadence;
                self.t(&format!("department.{key}_formula"))
                    .replace("{platinum}", &c.platinum.to_string())
                    .replace("{gold}", &c.gold.to_string())
                    .replace("{silver}", &c.silver.to_string())
            },
        };
        let count = |key: &'static str, n: usize| FigureCx {
            key,
            label: self.t(&format!("department.{key}")),
            value: n.to_string(),
            detail: None,
            formula: self.t(&format!("department.{key}_formula")),
        };
        vec![
            ratio("plan_completion", d.plan_completion),
            ratio("revisit_rate", d.revisit_rate),
            ratio("service_cost_control", d.service_cost_control),
            count("churn", d.churn),
            count("new_accounts", d.new_accounts),
        ]
    }

    /// The accounts of each tier (not lost) against `[portfolio]`'s quota.
    fn quota(&self) -> Vec<QuotaCx> {
        use crate::model::Tier;
        let counts = crate::department::tier_counts(self.scope.accounts);
        [Tier::Platinum, Tier::Gold, Tier::Silver]
            .into_iter()
            .map(|tier| {
                let count = counts.get(&tier).map_or(0, Vec::len);
                let max = self.scope.config.portfolio.of(tier).map(|(m, _)| m);
                QuotaCx {
                    tier: tier.as_str(),
                    label: name_of(self.locale, Some(tier)).unwrap_or_default(),
                    count,
                    max,
                    over: max.is_some_and(|m| count > m as usize),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::Builder;
    use crate::config::Language;
    use crate::figures::Status;
    use crate::i18n::Locale;

    #[test]
    fn portfolio_rows_carry_the_checklist_compactly() {
        let today = crate::model::Date::parse("2026-06-30").ok();
        let options = crate::CheckOptions {
            today,
            ..crate::CheckOptions::default()
        };
        let checked = crate::check(std::path::Path::new("example-accounts"), &options).unwrap();
        let locale = Locale::new(Language::En);
        let b = Builder {
            scope: super::super::Scope::all(&checked),
            locale: &locale,
            include_private: false,
            audience: crate::render::Audience::Team,
        };
        let portfolio = b.portfolio("/");
        assert_eq!(portfolio.rows.len(), checked.accounts.len());
        let mut warned = 0;
        for (a, r) in checked.accounts.iter().zip(&portfolio.rows) {
            // No badges to serialise for every row: the marks say it all.
            assert!(r.badges.is_empty());
            assert_eq!(r.checks, a.checklist.0.map(|(_, s)| s.as_str()));
            let passing = a.checklist.0.iter().filter(|(_, s)| *s == Status::Pass);
            assert!(
                r.checks_note
                    .starts_with(&format!("{}/6 pass", passing.count())),
                "{}",
                r.checks_note
            );
            let worst = a
                .checklist
                .0
                .iter()
                .find(|(_, s)| *s == Status::Fail)
                .or_else(|| a.checklist.0.iter().find(|(_, s)| *s == Status::Warn));
            match worst {
                Some((q, s)) => {
                    warned += 1;
                    assert!(r.checks_href.ends_with(&format!("#check-{}", q.as_str())));
                    let word = locale.text(&format!("status.{}", s.as_str())).to_owned();
                    let question = locale.text(&format!("question.{}", q.as_str())).to_owned();
                    assert!(
                        r.checks_note.contains(&format!(" · {question}: {word}")),
                        "{}",
                        r.checks_note
                    );
                }
                None => {
                    assert_eq!(r.checks_note, "6/6 pass");
                    assert!(r.checks_href.ends_with("#check-why"));
                }
            }
            assert!(r.checks_href.starts_with(&r.href));
            // The dossier's header keeps its six badges.
            assert_eq!(b.row(a, "/").badges.len(), 6);
        }
        assert!(warned > 0, "the examples carry intended warnings");
    }
}
