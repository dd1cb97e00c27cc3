//! Page contexts: the plain data each template receives.
//!
//! Everything a reader sees is decided here — figures formatted, labels
//! translated, lists sorted — so templates only lay it out. Private fields
//! are copied only when the build includes them.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Level, Question};
use crate::figures::{Figures, last_contact};
use crate::i18n::{Locale, is_currency_code};
use crate::model::{AccountFiles, Date, Id, Named, Plan, Section, Sp};
use crate::{AccountReport, Checked};

use super::markdown;

/// What every page knows about the site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCx {
    /// Site title.
    pub title: String,
    /// `<html lang>`.
    pub lang: &'static str,
    /// Prefix of every link on this page (ends with `/`).
    pub base: String,
    /// The date the plans were judged by.
    pub today: String,
    /// Whether personal data is published.
    pub include_private: bool,
    /// `kaplan x.y.z`.
    pub generator: String,
}

/// A checklist badge.
#[derive(Debug, Clone, Serialize)]
pub struct Badge {
    /// `why`, `who`, ...
    pub question: &'static str,
    /// The question, translated.
    pub label: String,
    /// `pass`, `warn` or `fail`.
    pub status: &'static str,
    /// The status, translated.
    pub status_label: String,
    /// Where the diagnostics are.
    pub href: String,
}

/// A diagnostic as shown on a page.
#[derive(Debug, Clone, Serialize)]
pub struct DiagCx {
    /// Account id.
    pub account: String,
    /// Account name.
    pub account_name: String,
    /// Link to the account's dossier.
    pub href: String,
    /// `error` or `warning`.
    pub level: &'static str,
    /// The level, translated.
    pub level_label: String,
    /// Rule name.
    pub rule: &'static str,
    /// `file:line:column`.
    pub location: String,
    /// The message.
    pub message: String,
}

pub(crate) struct Builder<'a> {
    pub(crate) checked: &'a Checked,
    pub(crate) locale: &'a Locale,
    pub(crate) include_private: bool,
}

fn s(v: &Option<Sp<String>>) -> Option<String> {
    v.as_ref().map(|x| x.value.clone())
}

fn d(v: &Option<Sp<Date>>) -> Option<String> {
    v.as_ref().map(|x| x.value.to_string())
}

fn name_of<T: Named>(locale: &Locale, v: Option<T>) -> Option<String> {
    v.map(|x| {
        // `enum.<what, spaces as _>.<value>`, built without format! and replace.
        let mut key = String::with_capacity(6 + T::WHAT.len() + x.as_str().len());
        key.push_str("enum.");
        key.extend(T::WHAT.chars().map(|c| if c == ' ' { '_' } else { c }));
        key.push('.');
        key.push_str(x.as_str());
        locale.text(&key).to_owned()
    })
}

impl<'a> Builder<'a> {
    fn t(&self, key: &str) -> String {
        self.locale.text(key).to_owned()
    }

    pub(crate) fn site(&self, base: &str) -> SiteCx {
        SiteCx {
            title: self.checked.config.title.clone(),
            lang: self.locale.tag(),
            base: base.to_owned(),
            today: self.checked.today.to_string(),
            include_private: self.include_private,
            generator: format!("kaplan {}", env!("CARGO_PKG_VERSION")),
        }
    }

    pub(crate) fn currency(&self, plan: Option<&Plan>) -> String {
        plan.and_then(|p| s(&p.currency))
            .unwrap_or_else(|| self.checked.config.currency.clone())
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

    pub(crate) fn diag(&self, d: &Diagnostic, base: &str) -> DiagCx {
        let account = self.checked.account(&d.account);
        DiagCx {
            account: d.account.clone(),
            account_name: account.map_or_else(|| d.account.clone(), |a| self.account_name(a)),
            href: if d.account.is_empty() {
                format!("{base}checklist/")
            } else {
                format!("{base}accounts/{}/", d.account)
            },
            level: d.level.as_str(),
            level_label: self.t(&format!("level.{}", d.level.as_str())),
            rule: d.rule.name,
            location: format!("{}:{}:{}", d.file, d.span.line, d.span.col),
            message: d.message.clone(),
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
            .filter(|(date, _)| *date >= self.checked.today)
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
        let f = f.cloned().unwrap_or_default();
        let min_roi = self.checked.config.thresholds.min_roi;
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
pub struct FiguresCx {
    /// Σ costs.
    pub total_cost: String,
    /// Σ returns × probability.
    pub expected_return: String,
    /// ROI as a percentage, or `—`.
    pub roi: String,
    /// ROI as a number, for sorting.
    pub roi_value: Option<f64>,
    /// Why the ROI is an alert: it is below `[thresholds] min_roi`
    /// (`below the minimum ROI of 50%`); `None` otherwise or undefined.
    pub roi_alert: Option<String>,
    /// The payback period, or a phrase.
    pub payback: String,
    /// Scorecard total.
    pub scorecard: Option<String>,
    /// Σ costs, for sorting.
    pub total_cost_value: f64,
    /// Expected return, for sorting.
    pub expected_return_value: f64,
}

/// A milestone.
#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    /// What happens.
    pub title: String,
    /// When.
    pub date: String,
    /// Where.
    pub r#where: Option<String>,
    /// Passed.
    pub done: bool,
    /// Objective titles.
    pub objectives: Vec<String>,
}

// ---------------------------------------------------------------- portfolio

/// One row of the portfolio table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Account id.
    pub id: String,
    /// Link to the dossier.
    pub href: String,
    /// Customer name.
    pub name: String,
    /// Industry.
    pub industry: Option<String>,
    /// `platinum`, `gold`, `silver` (declared, else computed).
    pub tier: Option<&'static str>,
    /// The tier, translated.
    pub tier_label: Option<String>,
    /// Relationship stage.
    pub stage: Option<&'static str>,
    /// The stage, translated.
    pub stage_label: Option<String>,
    /// Stage position, for sorting.
    pub stage_order: usize,
    /// Owner id.
    pub owner: String,
    /// Owner name.
    pub owner_name: String,
    /// The six badges (the dossier's; empty in portfolio rows, which use `checks`).
    pub badges: Vec<Badge>,
    /// The six checklist statuses in question order: `pass`, `warn` or `fail`.
    pub checks: [&'static str; 6],
    /// The checklist in one short sentence, for the compact marks' tooltip and
    /// accessible name: `5/6 pass · Cost vs return: warnings`.
    pub checks_note: String,
    /// The dossier's section of the first failing question (else the first
    /// with warnings, else the first question).
    pub checks_href: String,
    /// Formatted figures.
    pub figures: FiguresCx,
    /// The next milestone.
    pub next_milestone: Option<Milestone>,
    /// Objectives met.
    pub objectives_met: usize,
    /// Objectives in the plan.
    pub objectives_total: usize,
    /// Each status with its count, worst first: `missed 1 · at risk 2`.
    pub objectives_note: String,
    /// Error count.
    pub errors: usize,
    /// Warning count.
    pub warnings: usize,
    /// Completeness, 0..100, rounded.
    pub completeness: u8,
    /// When the plan last changed in git, and by whom.
    pub last_changed: Option<super::history::LastChanged>,
}

/// A filter choice.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Choice {
    /// Value.
    pub value: String,
    /// Label.
    pub label: String,
}

/// The portfolio page.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioCx {
    /// One row per account.
    pub rows: Vec<Row>,
    /// The totals row.
    pub totals: FiguresCx,
    /// Tier filter.
    pub tiers: Vec<Choice>,
    /// Owner filter.
    pub owners: Vec<Choice>,
    /// Stage filter.
    pub stages: Vec<Choice>,
    /// Errors in all accounts.
    pub errors: usize,
    /// Warnings in all accounts.
    pub warnings: usize,
    /// Why there is no history, when there is none.
    pub history_note: Option<String>,
}

fn team_name(plan: &Plan, id: &Id) -> String {
    plan.team
        .iter()
        .find(|m| m.id.as_ref().is_some_and(|i| i.value == *id))
        .and_then(|m| s(&m.name))
        .unwrap_or_else(|| id.to_string())
}

fn person_name(plan: &Plan, id: &Id) -> String {
    plan.stakeholders
        .iter()
        .find(|m| m.id.as_ref().is_some_and(|i| i.value == *id))
        .and_then(|m| s(&m.name))
        .unwrap_or_else(|| team_name(plan, id))
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

    /// A portfolio row: the checklist as six statuses and one sentence, no badges.
    fn compact_row(&self, a: &AccountReport, base: &str) -> Row {
        use crate::figures::Status;
        let plan = a.files.plan.as_ref();
        let account = plan.and_then(|p| p.account.as_ref());
        let tier = account
            .and_then(|x| x.tier.as_ref())
            .map(|t| t.value)
            .or(a.figures.as_ref().and_then(|f| f.computed_tier));
        let stage = account.and_then(|x| x.stage.as_ref()).map(|t| t.value);
        let owner = account.and_then(|x| x.owner.as_ref());
        let href = format!("{base}accounts/{}/", a.files.id);
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
            .checked
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
        let mut totals = self.figures(Some(&totals), &self.checked.config.currency);
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
        PortfolioCx {
            errors: self.checked.count(Level::Error),
            warnings: self.checked.count(Level::Warning),
            history_note: self.history_note(),
            rows,
            totals,
            tiers,
            owners,
            stages,
        }
    }
}

// ---------------------------------------------------------------- checklist page

/// One rule's diagnostics.
#[derive(Debug, Clone, Serialize)]
pub struct RuleGroup {
    /// Rule name.
    pub name: &'static str,
    /// Rule summary.
    pub summary: &'static str,
    /// The diagnostics.
    pub items: Vec<DiagCx>,
}

/// One question's rules.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionGroup {
    /// `why`, ...
    pub question: &'static str,
    /// Translated question.
    pub label: String,
    /// The question in full.
    pub long_label: String,
    /// Rules that fired.
    pub rules: Vec<RuleGroup>,
    /// Errors under this question.
    pub errors: usize,
    /// Warnings under this question.
    pub warnings: usize,
}

impl Builder<'_> {
    pub(crate) fn checklist(&self, base: &str) -> Vec<QuestionGroup> {
        let mut questions: Vec<Question> = Question::CHECKLIST.to_vec();
        questions.push(Question::Plan);
        questions
            .into_iter()
            .map(|q| {
                let mine: Vec<&Diagnostic> = self
                    .checked
                    .diagnostics
                    .iter()
                    .filter(|d| d.rule.question == q)
                    .collect();
                let rules = crate::validate::rules::RULES
                    .iter()
                    .filter(|r| r.question == q)
                    .filter_map(|r| {
                        let items: Vec<DiagCx> = mine
                            .iter()
                            .filter(|d| d.rule.name == r.name)
                            .map(|d| self.diag(d, base))
                            .collect();
                        (!items.is_empty()).then_some(RuleGroup {
                            name: r.name,
                            summary: r.summary,
                            items,
                        })
                    })
                    .collect();
                let errors = mine.iter().filter(|d| d.level == Level::Error).count();
                QuestionGroup {
                    question: q.as_str(),
                    label: self.t(&format!("question.{}", q.as_str())),
                    long_label: self.t(&format!("question_long.{}", q.as_str())),
                    rules,
                    errors,
                    warnings: mine.len() - errors,
                }
            })
            .collect()
    }
}

// ---------------------------------------------------------------- dossier

/// A rendered Markdown page.
#[derive(Debug, Clone, Serialize)]
pub struct PageCx {
    /// Anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// Sanitized HTML.
    pub html: String,
    /// Source file.
    pub file: String,
}

/// The dossier of one account.
#[derive(Debug, Clone, Serialize)]
pub struct DossierCx {
    /// The portfolio row: name, tier, stage, owner, badges, figures.
    pub head: Row,
    /// Region.
    pub region: Option<String>,
    /// Customer since.
    pub since: Option<String>,
    /// Plan period.
    pub period: Option<String>,
    /// Currency.
    pub currency: String,
    /// The computed tier, translated, when a scorecard exists.
    pub computed_tier_label: Option<String>,
    /// Summary HTML.
    pub summary: Option<String>,
    /// Why: the objectives.
    pub why: WhyCx,
    /// Who: stakeholders and decision.
    pub who: WhoCx,
    /// By whom: the team.
    pub by_whom: ByWhomCx,
    /// How: strategies and actions.
    pub how: HowCx,
    /// When and where: actions and milestones by date.
    pub when_where: WhenWhereCx,
    /// Cost versus return: costs, returns, review.
    pub cost_return: CostReturnCx,
    /// Scorecard, KPIs, risks, asks, competitors.
    pub more: MoreCx,
    /// Visits, newest first.
    pub visits: Vec<VisitCx>,
    /// Narrative pages by section (`other` included; `-` in names is `_`).
    pub pages: BTreeMap<String, Vec<PageCx>>,
    /// Diagnostics of this account by question (`-` in names is `_`).
    pub diagnostics: BTreeMap<String, Vec<DiagCx>>,
    /// Last change, what changed since the last review, notes.
    pub history: super::history::HistoryCx,
}

/// The dossier's "why".
#[derive(Debug, Clone, Serialize)]
pub struct WhyCx {
    /// Objectives in plan order.
    pub objectives: Vec<ObjectiveCx>,
}

/// An objective, its figures formatted.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveCx {
    /// Id.
    pub id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Why it matters.
    pub why: Option<String>,
    /// What is measured.
    pub metric: Option<String>,
    /// Unit, unless it is the plan's currency.
    pub unit: Option<String>,
    /// Baseline.
    pub baseline: Option<String>,
    /// Target.
    pub target: Option<String>,
    /// Actual.
    pub actual: Option<String>,
    /// Due date.
    pub due: Option<String>,
    /// Progress from the baseline (or zero) to the target, a whole percent
    /// 0..=100 (§9.1); `None` without `actual` or `target`.
    pub progress: Option<i64>,
    /// Whether the target is reached.
    pub met: bool,
    /// `met`, `missed`, `at-risk`, `on-track` or `no-data`.
    pub status: &'static str,
    /// The status, translated.
    pub status_label: String,
    /// Which way is better, translated, and whether the target is a level
    /// to hold: "higher is better · a level to hold". `None` without a target.
    pub direction: Option<String>,
}

/// The dossier's "who".
#[derive(Debug, Clone, Serialize)]
pub struct WhoCx {
    /// Stakeholders in plan order.
    pub stakeholders: Vec<StakeholderCx>,
    /// How the customer decides.
    pub decision: Option<DecisionCx>,
}

/// A stakeholder.
#[derive(Debug, Clone, Serialize)]
pub struct StakeholderCx {
    /// Id.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Buying role.
    pub role: Option<&'static str>,
    /// Buying role, translated.
    pub role_label: Option<String>,
    /// Influence, 1..=5.
    pub influence: Option<i64>,
    /// Attitude towards us.
    pub attitude: Option<&'static str>,
    /// Attitude, translated.
    pub attitude_label: Option<String>,
    /// Social style, translated.
    pub style_label: Option<String>,
    /// Name of the person they report to.
    pub reports_to: Option<String>,
    /// Date of the last visit they attended.
    pub last_contact: Option<String>,
    /// Days from the last contact to today.
    pub days_since: Option<i64>,
    /// Needs.
    pub needs: Vec<NeedCx>,
    /// Private notes as rows, only with `--include-private`.
    pub private: Option<Vec<PrivateRow>>,
}

/// A stakeholder's need.
#[derive(Debug, Clone, Serialize)]
pub struct NeedCx {
    /// The need.
    pub need: Option<String>,
    /// Its kind, translated.
    pub kind_label: Option<String>,
    /// Said aloud (the default) or inferred.
    pub explicit: bool,
}

/// One `key: value` row of a private note.
#[derive(Debug, Clone, Serialize)]
pub struct PrivateRow {
    /// Key.
    pub key: String,
    /// Value as text (lists joined with `, `).
    pub value: String,
}

/// How the customer decides.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionCx {
    /// Decision type, translated.
    pub type_label: Option<String>,
    /// Notes.
    pub notes: Option<String>,
}

/// The dossier's "by whom".
#[derive(Debug, Clone, Serialize)]
pub struct ByWhomCx {
    /// Team members in plan order.
    pub team: Vec<MemberCx>,
}

/// A team member.
#[derive(Debug, Clone, Serialize)]
pub struct MemberCx {
    /// Id.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Role.
    pub role: Option<&'static str>,
    /// Role, translated.
    pub role_label: Option<String>,
    /// Responsibilities.
    pub responsibilities: Vec<String>,
    /// What they may decide.
    pub authority: Option<String>,
    /// Number of actions they own.
    pub actions: usize,
}

/// The dossier's "how".
#[derive(Debug, Clone, Serialize)]
pub struct HowCx {
    /// Strategies with their actions.
    pub strategies: Vec<StrategyCx>,
    /// Actions under no known strategy.
    pub other_actions: Vec<ActionCx>,
}

/// A strategy.
#[derive(Debug, Clone, Serialize)]
pub struct StrategyCx {
    /// Id.
    pub id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Titles of the objectives it serves.
    pub objectives: Vec<String>,
    /// Resources it needs.
    pub resources: Vec<String>,
    /// Its actions.
    pub actions: Vec<ActionCx>,
}

/// An action.
#[derive(Debug, Clone, Serialize)]
pub struct ActionCx {
    /// Id.
    pub id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Owner's name.
    pub owner: Option<String>,
    /// Names of the stakeholders it addresses.
    pub stakeholders: Vec<String>,
    /// The same names in one line, separated as the site's language does.
    pub stakeholders_joined: String,
    /// Titles of the objectives it serves.
    pub objectives: Vec<String>,
    /// Start date.
    pub start: Option<String>,
    /// Due date.
    pub due: Option<String>,
    /// Where.
    pub r#where: Option<String>,
    /// Status (`planned` when not given).
    pub status: &'static str,
    /// Status, translated.
    pub status_label: Option<String>,
    /// Open and past its due date.
    pub overdue: bool,
    /// Cost, formatted.
    pub cost: Option<String>,
}

/// The dossier's "when and where".
#[derive(Debug, Clone, Serialize)]
pub struct WhenWhereCx {
    /// Every action by due date.
    pub actions: Vec<ActionCx>,
    /// Milestones by date.
    pub milestones: Vec<DatedMilestone>,
}

/// A milestone of the dossier's schedule.
#[derive(Debug, Clone, Serialize)]
pub struct DatedMilestone {
    /// What happens.
    pub title: Option<String>,
    /// When.
    pub date: Option<String>,
    /// Where.
    pub r#where: Option<String>,
    /// Marked done.
    pub done: bool,
    /// Its date is before today.
    pub past: bool,
    /// Titles of the objectives it marks.
    pub objectives: Vec<String>,
}

/// The dossier's "cost versus return".
#[derive(Debug, Clone, Serialize)]
pub struct CostReturnCx {
    /// Costs in plan order.
    pub costs: Vec<CostCx>,
    /// Costs summed by category, largest first.
    pub by_category: Vec<CategoryCx>,
    /// Returns in plan order.
    pub returns: Vec<ReturnCx>,
    /// The last review.
    pub review: Option<ReviewCx>,
}

/// A cost.
#[derive(Debug, Clone, Serialize)]
pub struct CostCx {
    /// What it is.
    pub item: Option<String>,
    /// Category, translated.
    pub category_label: Option<String>,
    /// Amount, formatted.
    pub amount: Option<String>,
    /// When it falls.
    pub period: Option<String>,
}

/// The costs of one category.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryCx {
    /// Category, translated.
    pub label: String,
    /// Sum, formatted.
    pub amount: String,
    /// Share of all costs, 0..100 with two decimals (the meter's value).
    pub share: f64,
    /// Share of all costs as readers see it ([`crate::i18n::percent`]).
    pub share_label: String,
}

/// A return.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnCx {
    /// What it is.
    pub item: Option<String>,
    /// Title of the objective it comes from.
    pub objective: Option<String>,
    /// Amount, formatted.
    pub amount: String,
    /// Probability, as a percentage.
    pub probability: String,
    /// Amount × probability, formatted.
    pub expected: String,
    /// When it falls.
    pub period: Option<String>,
}

/// The plan's last review.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewCx {
    /// Date.
    pub last_reviewed: Option<String>,
    /// Days from the review to today.
    pub days_ago: Option<i64>,
    /// Reviewer's name.
    pub by: Option<String>,
    /// Notes.
    pub notes: Option<String>,
}

/// Scorecard, KPIs, risks, asks and competitors.
#[derive(Debug, Clone, Serialize)]
pub struct MoreCx {
    /// Scorecard criteria.
    pub scorecard: Vec<CriterionCx>,
    /// Our strength against the best competitor, 0..=10.
    pub relative_strength: Option<i64>,
    /// KPIs.
    pub kpis: Vec<KpiCx>,
    /// Risks, most severe first.
    pub risks: Vec<RiskCx>,
    /// What we ask of our own company.
    pub asks: Vec<AskCx>,
    /// Competitors.
    pub competitors: Vec<CompetitorCx>,
}

/// A scorecard criterion.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionCx {
    /// Criterion.
    pub criterion: Option<String>,
    /// Group, translated.
    pub group_label: Option<String>,
    /// Weight.
    pub weight: Option<i64>,
    /// Score.
    pub score: Option<i64>,
}

/// A KPI.
#[derive(Debug, Clone, Serialize)]
pub struct KpiCx {
    /// Name.
    pub name: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// Target, formatted.
    pub target: Option<String>,
    /// Actual, formatted.
    pub actual: Option<String>,
    /// Period.
    pub period: Option<String>,
    /// Which way is better, translated.
    pub better_label: Option<String>,
    /// `met`, `near` (within 10% of the target) or `off`; `None` without
    /// target or actual.
    pub status: Option<&'static str>,
    /// ✓, ! or ✕.
    pub status_sign: Option<&'static str>,
    /// The status, translated (the chart's word).
    pub status_label: Option<String>,
    /// Whether the target is reached (`status` is `met`); kept for
    /// templates written before `status`.
    pub met: Option<bool>,
}

/// A risk.
#[derive(Debug, Clone, Serialize)]
pub struct RiskCx {
    /// Title.
    pub title: Option<String>,
    /// Likelihood, 1..=5.
    pub likelihood: Option<i64>,
    /// Impact, 1..=5.
    pub impact: Option<i64>,
    /// Likelihood × impact.
    pub severity: Option<i64>,
    /// `high`, `medium` or `low`.
    pub severity_class: Option<&'static str>,
    /// Mitigation.
    pub mitigation: Option<String>,
    /// Owner's name.
    pub owner: Option<String>,
}

/// An ask of our own company.
#[derive(Debug, Clone, Serialize)]
pub struct AskCx {
    /// Name of whom we ask.
    pub of: Option<String>,
    /// What.
    pub what: Option<String>,
    /// By when.
    pub by: Option<String>,
    /// Its date is before today.
    pub late: bool,
}

/// A competitor.
#[derive(Debug, Clone, Serialize)]
pub struct CompetitorCx {
    /// Name.
    pub name: Option<String>,
    /// Their position at the account.
    pub position: Option<String>,
}

/// A visit note.
#[derive(Debug, Clone, Serialize)]
pub struct VisitCx {
    /// Anchor.
    pub id: String,
    /// Date.
    pub date: Option<String>,
    /// Kind, translated.
    pub kind_label: Option<String>,
    /// Where.
    pub r#where: Option<String>,
    /// Names of the attendees.
    pub attendees: Vec<String>,
    /// The same names in one line, separated as the site's language does.
    pub attendees_joined: String,
    /// Purpose.
    pub purpose: Option<String>,
    /// Outcome.
    pub outcome: Option<String>,
    /// Next steps.
    pub next_steps: Vec<String>,
    /// The note, as sanitized HTML.
    pub html: String,
}

fn num(v: &Option<Sp<f64>>) -> Option<f64> {
    v.as_ref().map(|x| x.value)
}

impl Builder<'_> {
    fn pages(&self, files: &AccountFiles) -> BTreeMap<String, Vec<PageCx>> {
        let mut by_section: BTreeMap<&'static str, Vec<(f64, PageCx)>> = BTreeMap::new();
        for p in &files.pages {
            let section = p.meta.section.as_ref().map_or(Section::Other, |s| s.value);
            let stem = p
                .file
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".md")
                .to_owned();
            let title = s(&p.meta.title)
                .or_else(|| {
                    p.body
                        .lines()
                        .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_owned()))
                })
                .unwrap_or_else(|| stem.clone());
            let id = format!("page-{}", markdown::slug(&stem));
            let html = markdown::to_html(strip_title(&p.body, &title), &format!("{id}-"), 2);
            by_section.entry(section.as_str()).or_default().push((
                num(&p.meta.order).unwrap_or(f64::MAX),
                PageCx {
                    id,
                    title,
                    html,
                    file: p.file.clone(),
                },
            ));
        }
        by_section
            .into_iter()
            .map(|(k, mut v)| {
                v.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.file.cmp(&b.1.file)));
                (k.replace('-', "_"), v.into_iter().map(|(_, p)| p).collect())
            })
            .collect()
    }

    pub(crate) fn dossier(&self, a: &AccountReport, base: &str) -> Option<DossierCx> {
        let plan = a.files.plan.as_ref()?;
        let loc = self.locale;
        let account = plan.account.as_ref();
        let currency = self.currency(Some(plan));
        let money = |v: f64| self.money(v, &currency);
        let today = self.checked.today;
        let obj_title = |id: &Id| {
            plan.objectives
                .iter()
                .find(|o| o.id.as_ref().is_some_and(|i| i.value == *id))
                .and_then(|o| s(&o.title))
                .unwrap_or_else(|| id.to_string())
        };
        let obj_titles = |ids: &[Sp<Id>]| ids.iter().map(|o| obj_title(o)).collect::<Vec<_>>();
        let people = |ids: &[Sp<Id>]| ids.iter().map(|p| person_name(plan, p)).collect::<Vec<_>>();
        let list_separator = loc.text("site.list_separator");
        let texts = |v: &[Sp<String>]| v.iter().map(|x| x.value.clone()).collect::<Vec<_>>();
        let id_of = |id: &Option<Sp<Id>>| id.as_ref().map(|i| i.to_string());

        let no_figures = Vec::new();
        let objective_figures = a.figures.as_ref().map_or(&no_figures, |f| &f.objectives);
        let objectives = plan
            .objectives
            .iter()
            .zip(objective_figures)
            .map(|(o, f)| {
                let (b, t, x) = (num(&o.baseline), num(&o.target), num(&o.actual));
                let unit = s(&o.unit);
                // Amounts in any currency read as money, as on the chart.
                let fmt = |v: Option<f64>| {
                    v.map(|v| match unit.as_deref() {
                        Some(u) if u == currency || is_currency_code(u) => loc.money(v, u),
                        _ => loc.number(v, 2),
                    })
                };
                ObjectiveCx {
                    id: id_of(&o.id),
                    title: s(&o.title),
                    why: s(&o.why),
                    metric: s(&o.metric),
                    baseline: fmt(b),
                    target: fmt(t),
                    actual: fmt(x),
                    due: d(&o.due),
                    progress: f.percent(),
                    met: f.met,
                    status: f.status.as_str(),
                    status_label: crate::charts::objective_status_label(loc, f.status).to_owned(),
                    direction: t.and_then(|_| name_of(loc, Some(f.better))).map(|mut d| {
                        if f.goal == crate::figures::Goal::Hold {
                            d.push_str(" · ");
                            d.push_str(loc.text("dossier.hold"));
                        }
                        d
                    }),
                    unit: unit.filter(|u| *u != currency && !is_currency_code(u)),
                }
            })
            .collect();

        let stakeholders = plan
            .stakeholders
            .iter()
            .map(|st| {
                let contact = last_contact(st, &a.files.visits, today);
                StakeholderCx {
                    id: id_of(&st.id),
                    name: s(&st.name),
                    title: s(&st.title),
                    department: s(&st.department),
                    role: st.role.as_ref().map(|r| r.value.as_str()),
                    role_label: name_of(loc, st.role.as_ref().map(|r| r.value)),
                    influence: st.influence.as_ref().map(|i| i.get()),
                    attitude: st.attitude.as_ref().map(|r| r.value.as_str()),
                    attitude_label: name_of(loc, st.attitude.as_ref().map(|r| r.value)),
                    style_label: name_of(loc, st.style.as_ref().map(|r| r.value)),
                    reports_to: st.reports_to.as_ref().map(|r| person_name(plan, r)),
                    last_contact: contact.map(|c| c.to_string()),
                    days_since: contact.map(|c| c.days_until(today)),
                    needs: st
                        .needs
                        .iter()
                        .map(|n| NeedCx {
                            need: s(&n.need),
                            kind_label: name_of(loc, n.kind.as_ref().map(|k| k.value)),
                            explicit: n.explicit.as_ref().is_none_or(|e| e.value),
                        })
                        .collect(),
                    private: st
                        .private
                        .as_ref()
                        .filter(|_| self.include_private)
                        .map(|p| private_rows(&p.0)),
                }
            })
            .collect();

        let action = |x: &crate::model::Action| {
            let status = x
                .status
                .as_ref()
                .map_or(crate::model::Status::Planned, |st| st.value);
            let stakeholders = people(&x.stakeholders);
            ActionCx {
                id: id_of(&x.id),
                title: s(&x.title),
                owner: x.owner.as_ref().map(|o| team_name(plan, o)),
                stakeholders_joined: stakeholders.join(list_separator),
                stakeholders,
                objectives: obj_titles(&x.objectives),
                start: d(&x.start),
                due: d(&x.due),
                r#where: s(&x.r#where),
                status: status.as_str(),
                status_label: name_of(loc, Some(status)),
                overdue: x.due.as_ref().is_some_and(|due| due.value < today) && status.is_open(),
                cost: x.cost.as_ref().map(|c| money(c.0)),
            }
        };
        let strategies = plan
            .strategies
            .iter()
            .map(|st| StrategyCx {
                id: id_of(&st.id),
                title: s(&st.title),
                objectives: obj_titles(&st.objectives),
                resources: texts(&st.resources),
                actions: plan
                    .actions
                    .iter()
                    .filter(|x| {
                        x.strategy
                            .as_ref()
                            .is_some_and(|y| Some(&y.value) == st.id.as_ref().map(|i| &i.value))
                    })
                    .map(action)
                    .collect(),
            })
            .collect();
        let strategy_ids: Vec<&Id> = plan
            .strategies
            .iter()
            .filter_map(|x| x.id.as_ref().map(|i| &i.value))
            .collect();
        let other_actions = plan
            .actions
            .iter()
            .filter(|x| {
                x.strategy
                    .as_ref()
                    .is_none_or(|y| !strategy_ids.contains(&&y.value))
            })
            .map(action)
            .collect();
        let mut dated: Vec<&crate::model::Action> = plan.actions.iter().collect();
        dated.sort_by_key(|x| {
            (
                x.due.as_ref().map(|d| d.value),
                x.id.as_ref().map(|i| i.value.clone()),
            )
        });
        let mut milestones: Vec<&crate::model::Milestone> = plan.milestones.iter().collect();
        milestones.sort_by_key(|m| {
            (
                m.date.as_ref().map(|d| d.value),
                m.id.as_ref().map(|i| i.value.clone()),
            )
        });

        let total_cost = a.figures.as_ref().map_or(0.0, |f| f.total_cost);
        let mut by_category: Vec<(String, f64)> = Vec::new();
        for c in &plan.costs {
            let label = name_of(loc, c.category.as_ref().map(|x| x.value))
                .unwrap_or_else(|| self.t("enum.cost_category.other"));
            let amount = c.amount.as_ref().map_or(0.0, |x| x.0);
            match by_category.iter_mut().find(|(l, _)| *l == label) {
                Some(e) => e.1 += amount,
                None => by_category.push((label, amount)),
            }
        }
        by_category.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));

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
                }
            })
            .collect();
        risks.sort_by_key(|r| std::cmp::Reverse(r.severity.unwrap_or(0)));

        let mut visits: Vec<&crate::model::Visit> = a.files.visits.iter().collect();
        visits.sort_by(|x, y| {
            y.meta
                .date
                .as_ref()
                .map(|d| d.value)
                .cmp(&x.meta.date.as_ref().map(|d| d.value))
                .then_with(|| x.file.cmp(&y.file))
        });
        let visits = visits
            .into_iter()
            .map(|v| {
                let stem = v
                    .file
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches(".md");
                let id = format!("visit-{}", markdown::slug(stem));
                let attendees = people(&v.meta.attendees);
                VisitCx {
                    html: markdown::to_html(&v.body, &format!("{id}-"), 3),
                    id,
                    date: d(&v.meta.date),
                    kind_label: name_of(loc, v.meta.kind.as_ref().map(|k| k.value)),
                    r#where: s(&v.meta.r#where),
                    attendees_joined: attendees.join(list_separator),
                    attendees,
                    purpose: s(&v.meta.purpose),
                    outcome: s(&v.meta.outcome),
                    next_steps: texts(&v.meta.next_steps),
                }
            })
            .collect();

        let own = self.checked.diagnostics_of(&a.files.id);
        let diagnostics = Question::CHECKLIST
            .iter()
            .chain([Question::Plan].iter())
            .map(|q| {
                let items = own
                    .iter()
                    .filter(|x| x.rule.question == *q)
                    .map(|x| self.diag(x, base))
                    .collect();
                (q.as_str().replace('-', "_"), items)
            })
            .collect();

        let review = plan.review.as_ref();
        Some(DossierCx {
            head: self.row(a, base),
            region: account.and_then(|x| s(&x.region)),
            since: account.and_then(|x| d(&x.since)),
            period: plan.period.as_ref().and_then(|p| {
                Some(format!(
                    "{} – {}",
                    p.start.as_ref()?.value,
                    p.end.as_ref()?.value
                ))
            }),
            computed_tier_label: name_of(loc, a.figures.as_ref().and_then(|f| f.computed_tier)),
            summary: s(&plan.summary).map(|t| markdown::to_html(&t, "summary-", 2)),
            why: WhyCx { objectives },
            who: WhoCx {
                stakeholders,
                decision: plan.decision.as_ref().map(|x| DecisionCx {
                    type_label: name_of(loc, x.r#type.as_ref().map(|t| t.value)),
                    notes: s(&x.notes),
                }),
            },
            by_whom: ByWhomCx {
                team: plan
                    .team
                    .iter()
                    .map(|m| MemberCx {
                        id: id_of(&m.id),
                        name: s(&m.name),
                        role: m.role.as_ref().map(|r| r.value.as_str()),
                        role_label: name_of(loc, m.role.as_ref().map(|r| r.value)),
                        responsibilities: texts(&m.responsibilities),
                        authority: s(&m.authority),
                        actions: plan
                            .actions
                            .iter()
                            .filter(|x| {
                                x.owner.as_ref().map(|o| &o.value)
                                    == m.id.as_ref().map(|i| &i.value)
                            })
                            .count(),
                    })
                    .collect(),
            },
            how: HowCx {
                strategies,
                other_actions,
            },
            when_where: WhenWhereCx {
                actions: dated.into_iter().map(action).collect(),
                milestones: milestones
                    .into_iter()
                    .map(|m| DatedMilestone {
                        title: s(&m.title),
                        date: d(&m.date),
                        r#where: s(&m.r#where),
                        done: m.done.as_ref().is_some_and(|x| x.value),
                        past: m.date.as_ref().is_some_and(|x| x.value < today),
                        objectives: obj_titles(&m.objectives),
                    })
                    .collect(),
            },
            cost_return: CostReturnCx {
                costs: plan
                    .costs
                    .iter()
                    .map(|c| CostCx {
                        item: s(&c.item),
                        category_label: name_of(loc, c.category.as_ref().map(|x| x.value)),
                        amount: c.amount.as_ref().map(|x| money(x.0)),
                        period: c.period.as_ref().map(|p| p.to_string()),
                    })
                    .collect(),
                by_category: by_category
                    .iter()
                    .map(|(label, v)| CategoryCx {
                        label: label.clone(),
                        amount: money(*v),
                        share: if total_cost > 0.0 {
                            // The meter's value: exact enough to draw.
                            (v / total_cost * 10_000.0).round() / 100.0
                        } else {
                            0.0
                        },
                        // The text: the exact ratio, rounded once.
                        share_label: if total_cost > 0.0 {
                            loc.percent(v / total_cost)
                        } else {
                            "—".to_owned()
                        },
                    })
                    .collect(),
                returns: plan
                    .returns
                    .iter()
                    .map(|r| {
                        let amount = r.amount.as_ref().map_or(0.0, |x| x.0);
                        let p = r.probability.as_ref().map_or(1.0, |x| x.0);
                        ReturnCx {
                            item: s(&r.item),
                            objective: r.objective.as_ref().map(|o| obj_title(o)),
                            amount: money(amount),
                            probability: loc.percent(p),
                            expected: money(amount * p),
                            period: r.period.as_ref().map(|p| p.to_string()),
                        }
                    })
                    .collect(),
                review: review.map(|r| ReviewCx {
                    last_reviewed: d(&r.last_reviewed),
                    days_ago: r.last_reviewed.as_ref().map(|x| x.value.days_until(today)),
                    by: r.by.as_ref().map(|b| team_name(plan, b)),
                    notes: s(&r.notes),
                }),
            },
            more: MoreCx {
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
                kpis: plan
                    .kpis
                    .iter()
                    .map(|k| {
                        let better = k
                            .better
                            .as_ref()
                            .map_or(crate::model::Better::Higher, |b| b.value);
                        let status = crate::figures::kpi_status(k);
                        let mark = status.map(|st| crate::charts::kpi_status_mark(loc, st));
                        let unit = k.unit.as_ref().map(|u| u.value.as_str());
                        let kpi_value = |v: f64| match unit {
                            Some(u) if u == currency || is_currency_code(u) => loc.money(v, u),
                            _ => loc.number(v, 2),
                        };
                        KpiCx {
                            name: s(&k.name),
                            unit: s(&k.unit).filter(|u| *u != currency && !is_currency_code(u)),
                            target: num(&k.target).map(&kpi_value),
                            actual: num(&k.actual).map(kpi_value),
                            period: k.period.as_ref().map(|p| p.to_string()),
                            better_label: name_of(loc, Some(better)),
                            status: status.map(crate::figures::KpiStatus::as_str),
                            met: status.map(|st| st == crate::figures::KpiStatus::Met),
                            status_sign: mark.map(|m| m.1),
                            status_label: mark.map(|m| m.2.to_owned()),
                        }
                    })
                    .collect(),
                risks,
                asks: plan
                    .asks
                    .iter()
                    .map(|x| AskCx {
                        of: x.of.as_ref().map(|o| team_name(plan, o)),
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
            },
            visits,
            pages: self.pages(&a.files),
            diagnostics,
            history: self.history(a),
            currency,
        })
    }
}

/// Drops a leading `# Title` that repeats the page title.
fn strip_title<'b>(body: &'b str, title: &str) -> &'b str {
    let trimmed = body.trim_start();
    match trimmed.split_once('\n') {
        Some((first, rest))
            if first
                .trim_end()
                .strip_prefix("# ")
                .is_some_and(|t| t.trim() == title) =>
        {
            rest
        }
        None if trimmed
            .strip_prefix("# ")
            .is_some_and(|t| t.trim() == title) =>
        {
            ""
        }
        _ => body,
    }
}

/// A free-form private map as `key: value` rows.
fn private_rows(v: &Value) -> Vec<PrivateRow> {
    let Value::Object(map) = v else {
        return Vec::new();
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    map.iter()
        .map(|(k, v)| PrivateRow {
            key: k.clone(),
            value: match v {
                Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(", "),
                other => text(other),
            },
        })
        .collect()
}

// ---------------------------------------------------------------- accounts.json

/// One object of `accounts.json`, as the contract defines it.
#[derive(Debug, Clone, Serialize)]
pub struct AccountJson {
    /// Account id.
    pub id: String,
    /// Customer name.
    pub name: String,
    /// Owner id.
    pub owner: Option<String>,
    /// Relationship stage.
    pub stage: Option<&'static str>,
    /// Declared tier.
    pub tier: Option<&'static str>,
    /// Tier from the scorecard.
    pub computed_tier: Option<&'static str>,
    /// Scorecard total.
    pub scorecard: Option<f64>,
    /// Σ costs.
    pub total_cost: f64,
    /// Σ returns × probability.
    pub expected_return: f64,
    /// ROI, or null.
    pub roi: Option<f64>,
    /// Payback period, or null.
    pub payback: Option<String>,
    /// Passing or warning questions / 6.
    pub completeness: f64,
    /// Question → status.
    pub checklist: crate::figures::Checklist,
    /// Error count.
    pub errors: usize,
    /// Warning count.
    pub warnings: usize,
    /// The next open milestone.
    pub next_milestone: Option<Value>,
    /// Each objective's progress (0..1, `null` when undefined), met and status.
    pub objectives: Vec<ObjectiveJson>,
    /// How many objectives are met.
    pub objectives_met: usize,
    /// Stakeholders' private notes, only with `--include-private`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private: Option<Value>,
}

/// One objective in `accounts.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveJson {
    /// Id.
    pub id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Progress from the baseline (or zero) to the target, 0..1, to four
    /// decimals; `null` without `actual` or `target`.
    pub progress: Option<f64>,
    /// Whether the target is reached.
    pub met: bool,
    /// `met`, `missed`, `at-risk`, `on-track` or `no-data`.
    pub status: &'static str,
}

impl Builder<'_> {
    pub(crate) fn accounts_json(&self) -> Vec<AccountJson> {
        self.checked
            .accounts
            .iter()
            .map(|a| {
                let plan = a.files.plan.as_ref();
                let account = plan.and_then(|p| p.account.as_ref());
                let f = a.figures.clone().unwrap_or_default();
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
                    objectives: plan
                        .map(|p| {
                            p.objectives
                                .iter()
                                .zip(&f.objectives)
                                .map(|(o, x)| ObjectiveJson {
                                    id: x.id.clone(),
                                    title: s(&o.title),
                                    progress: x.progress_ratio(),
                                    met: x.met,
                                    status: x.status.as_str(),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    objectives_met: f.objectives_met(),
                    private,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Builder;
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
            checked: &checked,
            locale: &locale,
            include_private: false,
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
