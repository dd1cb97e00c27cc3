//! Page contexts: the plain data each template receives.
//!
//! Everything a reader sees is decided here — figures formatted, labels
//! translated, lists sorted — so templates only lay it out. Private fields
//! are copied only when the build includes them.

use serde::Serialize;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Level};
use crate::figures::Figures;
use crate::history::{AccountHistory, Source};
use crate::i18n::Locale;
use crate::model::{Date, Id, Named, Plan, Sp};
use crate::{AccountReport, Checked};

use super::markdown;

/// What every page knows about the site.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteCx {
    /// Site title.
    pub(crate) title: String,
    /// `<html lang>`.
    pub(crate) lang: &'static str,
    /// Prefix of every link on this page (ends with `/`).
    pub(crate) base: String,
    /// The date the plans were judged by.
    pub(crate) today: String,
    /// Whether personal data is published.
    pub(crate) include_private: bool,
    /// Who the site is for: `team` or `customer`.
    pub(crate) audience: &'static str,
    /// Whether search engines may index the site (`public` in kaplan.toml).
    pub(crate) public: bool,
    /// `kaplan x.y.z`.
    pub(crate) generator: String,
}

/// A checklist badge.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Badge {
    /// `why`, `who`, ...
    pub(crate) question: &'static str,
    /// The question, translated.
    pub(crate) label: String,
    /// `pass`, `warn` or `fail`.
    pub(crate) status: &'static str,
    /// The status, translated.
    pub(crate) status_label: String,
    /// Where the diagnostics are.
    pub(crate) href: String,
}

/// A diagnostic as shown on a page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DiagCx {
    /// Account id.
    pub(crate) account: String,
    /// Account name.
    pub(crate) account_name: String,
    /// Link to the account's dossier.
    pub(crate) href: String,
    /// `error` or `warning`.
    pub(crate) level: &'static str,
    /// The level, translated.
    pub(crate) level_label: String,
    /// Rule name.
    pub(crate) rule: &'static str,
    /// `file:line:column`.
    pub(crate) location: String,
    /// The message.
    pub(crate) message: String,
}

/// What a page is built from: the run's settings, and the accounts it shows
/// with their diagnostics and history — every account for the pages about
/// all of them, one for a dossier.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub(crate) config: &'a Config,
    pub(crate) today: Date,
    /// The accounts, sorted by id.
    pub(crate) accounts: &'a [AccountReport],
    /// Their diagnostics, sorted by account.
    pub(crate) diagnostics: &'a [Diagnostic],
    /// Whether history could be read.
    pub(crate) source: &'a Source,
    histories: Histories<'a>,
}

/// The histories of a scope's accounts.
#[derive(Clone, Copy)]
enum Histories<'a> {
    All(&'a BTreeMap<String, AccountHistory>),
    One(Option<&'a AccountHistory>),
}

impl<'a> Scope<'a> {
    /// Every account of a check.
    pub(crate) fn all(checked: &'a Checked) -> Scope<'a> {
        Scope {
            config: &checked.config,
            today: checked.today,
            accounts: &checked.accounts,
            diagnostics: &checked.diagnostics,
            source: &checked.history.source,
            histories: Histories::All(&checked.history.accounts),
        }
    }

    /// One account, with its own diagnostics and history, in a run judged
    /// by `config` on `today` whose history is `source`.
    pub(crate) fn one(
        config: &'a Config,
        today: Date,
        account: &'a AccountReport,
        diagnostics: &'a [Diagnostic],
        source: &'a Source,
        history: Option<&'a AccountHistory>,
    ) -> Scope<'a> {
        Scope {
            config,
            today,
            accounts: std::slice::from_ref(account),
            diagnostics,
            source,
            histories: Histories::One(history),
        }
    }

    /// The account `id`.
    pub(crate) fn account(&self, id: &str) -> Option<&'a AccountReport> {
        crate::pipeline::find(self.accounts, id)
    }

    /// The diagnostics of account `id`.
    pub(crate) fn diagnostics_of(&self, id: &str) -> &'a [Diagnostic] {
        let from = self
            .diagnostics
            .partition_point(|d| d.account.as_str() < id);
        let to = self
            .diagnostics
            .partition_point(|d| d.account.as_str() <= id);
        &self.diagnostics[from..to]
    }

    /// The history of account `id`, when git has one.
    pub(crate) fn history(&self, id: &str) -> Option<&'a AccountHistory> {
        match self.histories {
            Histories::All(all) => all.get(id),
            Histories::One(one) => one.filter(|_| self.account(id).is_some()),
        }
    }

    /// Number of diagnostics at `level`.
    pub(crate) fn count(&self, level: Level) -> usize {
        self.diagnostics.iter().filter(|d| d.level == level).count()
    }
}

pub(crate) struct Builder<'a> {
    pub(crate) scope: Scope<'a>,
    pub(crate) locale: &'a Locale,
    pub(crate) include_private: bool,
    pub(crate) audience: crate::render::Audience,
}

mod accounts_json;
mod checklist;
mod dossier;
pub(crate) use dossier::joint_report;
mod history;
pub(crate) mod people;
pub(crate) mod portfolio;
mod whitespace;

use crate::render::dossier_href;
use history::{HistoryCx, LastChanged};
use portfolio::Row;

fn s(v: &Option<Sp<String>>) -> Option<String> {
    v.as_ref().map(|x| x.value.clone())
}

fn d(v: &Option<Sp<Date>>) -> Option<String> {
    v.as_ref().map(|x| x.value.to_string())
}

fn name_of<T: Named>(locale: &Locale, v: Option<T>) -> Option<String> {
    v.map(|x| {
        let mut key = T::label_table();
        key.push('.');
        key.push_str(x.as_str());
        locale.text(&key).to_owned()
    })
}

impl<'a> Builder<'a> {
    fn t(&self, key: &str) -> String {
        self.locale.text(key).to_owned()
    }

    /// The label `key` in the site's language.
    pub(crate) fn label(&self, key: &str) -> String {
        self.t(key)
    }

    /// The page of person `id`, named in account `a`, when they have one
    /// (format §9.6): with `people.yaml`, everyone in it; without, everyone
    /// who owns an account or an action, which `a` shows of its own people.
    pub(crate) fn person_href(&self, a: &AccountReport, id: &str, base: &str) -> Option<String> {
        let people = &self.scope.config.people;
        let has_page = if people.present {
            people.get(id).is_some()
        } else {
            a.files.plan.as_ref().and_then(people::owner_of) == Some(id)
                || a.actions
                    .iter()
                    .any(|x| x.owner.as_ref().is_some_and(|o| o.as_str() == id))
        };
        has_page.then(|| format!("{base}people/{id}/"))
    }

    /// The labels `keys` in the site's language.
    pub(crate) fn labels(&self, keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| self.t(k)).collect()
    }

    pub(crate) fn site(&self, base: &str) -> SiteCx {
        SiteCx {
            title: self.scope.config.title.clone(),
            lang: self.locale.tag(),
            base: base.to_owned(),
            today: self.scope.today.to_string(),
            include_private: self.include_private,
            audience: self.audience.as_str(),
            public: self.scope.config.public,
            generator: format!("kaplan {}", env!("CARGO_PKG_VERSION")),
        }
    }

    pub(crate) fn currency(&self, plan: Option<&Plan>) -> String {
        plan.and_then(|p| s(&p.currency))
            .unwrap_or_else(|| self.scope.config.currency.clone())
    }

    pub(crate) fn account_name(&self, a: &AccountReport) -> String {
        a.files
            .plan
            .as_ref()
            .and_then(|p| p.account.as_ref())
            .and_then(|x| s(&x.name))
            .unwrap_or_else(|| a.files.id.clone())
    }

    pub(crate) fn badges(&self, a: &AccountReport, href: &str) -> Vec<Badge> {
        a.checklist
            .0
            .iter()
            .map(|(q, st)| Badge {
                question: q.as_str(),
                label: self.t(&format!("question.{}", q.as_str())),
                status: st.as_str(),
                status_label: self.t(&format!("status.{}", st.as_str())),
                href: format!("{href}#check-{}", q.as_str()),
            })
            .collect()
    }

    /// A finding's message as pages show it: in the site's language, without
    /// Markdown code marks.
    fn message(&self, d: &Diagnostic) -> String {
        crate::text::without_code_marks(&d.message(self.locale.language))
    }

    pub(crate) fn diag(&self, d: &Diagnostic, base: &str) -> DiagCx {
        let account = self.scope.account(&d.account);
        DiagCx {
            account: d.account.clone(),
            account_name: account.map_or_else(|| d.account.clone(), |a| self.account_name(a)),
            href: if d.account.is_empty() {
                format!("{base}checklist/")
            } else {
                dossier_href(base, &d.account)
            },
            level: d.level.as_str(),
            level_label: self.t(&format!("level.{}", d.level.as_str())),
            rule: d.rule.name,
            location: format!("{}:{}:{}", d.file, d.span.line, d.span.col),
            message: self.message(d),
        }
    }

    fn money(&self, v: f64, currency: &str) -> String {
        self.locale.money(v, currency)
    }

    /// The next milestone on or after today that is not done.
    pub(crate) fn next_milestone(&self, plan: &Plan) -> Option<Milestone> {
        plan.milestones
            .iter()
            .filter(|m| !m.done.as_ref().is_some_and(|d| d.value))
            .filter_map(|m| Some((m.date.as_ref()?.value, m)))
            .filter(|(date, _)| *date >= self.scope.today)
            .min_by_key(|(date, _)| *date)
            .map(|(date, m)| Milestone {
                title: s(&m.title).unwrap_or_default(),
                date: date.to_string(),
                r#where: s(&m.r#where),
                done: false,
                objectives: Vec::new(),
            })
    }

    /// The figures as readers see them.
    pub(crate) fn figures(&self, f: Option<&Figures>, currency: &str) -> FiguresCx {
        let none = Figures::default();
        let f = f.unwrap_or(&none);
        let min_roi = self.scope.config.thresholds.min_roi;
        FiguresCx {
            total_cost: self.money(f.total_cost, currency),
            expected_return: self.money(f.expected_return, currency),
            roi: f
                .roi
                .map_or_else(|| "—".to_owned(), |r| self.locale.percent(r)),
            roi_value: f.roi,
            roi_alert: f.roi.filter(|r| *r < min_roi).map(|_| {
                self.t("figures.roi_below")
                    .replace("{min}", &self.locale.percent(min_roi))
            }),
            payback: f
                .payback
                .map_or_else(|| self.t("figures.no_payback"), |p| p.to_string()),
            scorecard: f.scorecard.map(|v| self.locale.number(v, 1)),
            total_cost_value: f.total_cost,
            expected_return_value: f.expected_return,
        }
    }
}

/// Section 5 figures, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FiguresCx {
    /// Σ costs.
    pub(crate) total_cost: String,
    /// Σ returns × probability.
    pub(crate) expected_return: String,
    /// ROI as a percentage, or `—`.
    pub(crate) roi: String,
    /// ROI as a number, for sorting.
    pub(crate) roi_value: Option<f64>,
    /// Why the ROI is an alert: it is below `[thresholds] min_roi`
    /// (`below the minimum ROI of 50%`); `None` otherwise or undefined.
    pub(crate) roi_alert: Option<String>,
    /// The payback period, or a phrase.
    pub(crate) payback: String,
    /// Scorecard total.
    pub(crate) scorecard: Option<String>,
    /// Σ costs, for sorting.
    pub(crate) total_cost_value: f64,
    /// Expected return, for sorting.
    pub(crate) expected_return_value: f64,
}

/// A milestone.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Milestone {
    /// What happens.
    pub(crate) title: String,
    /// When.
    pub(crate) date: String,
    /// Where.
    pub r#where: Option<String>,
    /// Passed.
    pub(crate) done: bool,
    /// Objective titles.
    pub(crate) objectives: Vec<String>,
}

/// The name of team member `id`, else the id.
pub(crate) fn team_name(plan: &Plan, id: &Id) -> String {
    plan.team
        .iter()
        .find(|m| m.id.as_ref().is_some_and(|i| i.value == *id))
        .and_then(|m| s(&m.name))
        .unwrap_or_else(|| id.to_string())
}

/// The name of stakeholder `id`, else of team member `id`, else the id.
fn person_name(plan: &Plan, id: &Id) -> String {
    plan.stakeholders
        .iter()
        .find(|m| m.id.as_ref().is_some_and(|i| i.value == *id))
        .and_then(|m| s(&m.name))
        .unwrap_or_else(|| team_name(plan, id))
}

fn num(v: &Option<Sp<f64>>) -> Option<f64> {
    v.as_ref().map(|x| x.value)
}

fn texts(v: &[Sp<String>]) -> Vec<String> {
    v.iter().map(|x| x.value.clone()).collect()
}
