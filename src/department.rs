//! The figures of the whole department (format §9.3): plan completion,
//! revisit rate, service-cost control, churn, new accounts, expected return
//! by quarter, owner and tier; and the tiers against their quota
//! (`plan/tier-over-quota`). One function per figure, each over the
//! accounts' reports (what a build keeps of every account).

use std::collections::BTreeMap;

use crate::AccountReport;
use crate::config::{Config, FILE_NAME, key_span};
use crate::diagnostic::{Diagnostic, Sink};
use crate::load::rules::TIER_OVER_QUOTA;
use crate::message::{Arg, Message, texts};
use crate::model::{Account, AccountStatus, Date, Plan, Tier};

texts! {
    OVER_QUOTA:
        "{count} accounts are {tier}, more than `{key} = {max}` allows: {accounts}"
        / "有 {count} 个{tier}客户，超过了 `{key} = {max}` 的上限：{accounts}";
    OVER_QUOTA_HELP:
        "move accounts to a lower tier, or raise `{key}` under `[portfolio]`"
        / "把一些客户调到更低的等级，或在 `[portfolio]` 下调高 `{key}`";
}

/// How many account ids a `plan/tier-over-quota` message names.
const NAMED: usize = 5;

/// The account of a report, when its plan was read.
fn account(a: &AccountReport) -> Option<&Account> {
    a.files.plan.as_ref()?.account.as_ref()
}

/// The account's lifecycle status (default `active`).
pub(crate) fn status(a: &AccountReport) -> AccountStatus {
    account(a)
        .and_then(|x| x.status.as_ref())
        .map_or(AccountStatus::Active, |s| s.value)
}

/// The account's tier: declared, else computed from its scorecard.
pub(crate) fn tier(a: &AccountReport) -> Option<Tier> {
    account(a)
        .and_then(|x| x.tier.as_ref())
        .map(|t| t.value)
        .or_else(|| a.figures.as_ref()?.computed_tier)
}

/// The accounts of a tier, not lost, by tier: what the quota counts.
pub(crate) fn tier_counts<'a>(
    accounts: impl IntoIterator<Item = &'a AccountReport>,
) -> BTreeMap<Tier, Vec<&'a str>> {
    let mut by: BTreeMap<Tier, Vec<&str>> = BTreeMap::new();
    for a in accounts
        .into_iter()
        .filter(|a| status(a) != AccountStatus::Lost)
    {
        if let Some(t) = tier(a) {
            by.entry(t).or_default().push(&a.files.id);
        }
    }
    by
}

/// `plan/tier-over-quota`: each tier with more accounts (not lost) than
/// `[portfolio]` allows, reported once on `kaplan.toml` (`config_text`).
pub(crate) fn tier_quota<'a>(
    config: &Config,
    config_text: Option<&str>,
    accounts: impl IntoIterator<Item = &'a AccountReport>,
) -> Vec<Diagnostic> {
    let mut sink = Sink::new("", FILE_NAME);
    for (tier, ids) in tier_counts(accounts) {
        let Some((max, key)) = config.portfolio.of(tier) else {
            continue;
        };
        if ids.len() <= max as usize {
            continue;
        }
        let mut named = ids[..ids.len().min(NAMED)].join(", ");
        if ids.len() > NAMED {
            named.push_str(", …");
        }
        sink.emit_help(
            &TIER_OVER_QUOTA,
            key_span(config_text, key),
            Message::new(&OVER_QUOTA)
                .with("count", Arg::Plain(ids.len().to_string()))
                .with("tier", Arg::Label(format!("enum.tier.{tier}")))
                .with("key", key)
                .with("max", Arg::Plain(max.to_string()))
                .with("accounts", named),
            Message::new(&OVER_QUOTA_HELP).with("key", key),
        );
    }
    sink.diagnostics
}

/// A share (0..1) and the counts it is made of; `value` is `None` when
/// the share is undefined (nothing to divide by).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ratio {
    /// `numerator / denominator`, or `None` when the denominator is 0.
    pub value: Option<f64>,
    /// What is counted.
    pub numerator: f64,
    /// What it is counted against.
    pub denominator: f64,
}

impl Ratio {
    fn of(numerator: f64, denominator: f64) -> Ratio {
        Ratio {
            value: (denominator > 0.0).then(|| numerator / denominator),
            numerator,
            denominator,
        }
    }
}

/// The department's figures (format §9.3, §9.6).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Department {
    /// Objectives met / objectives, over active accounts.
    pub plan_completion: Ratio,
    /// Visits since each plan's start / visits planned by the cadence.
    pub revisit_rate: Ratio,
    /// Σ cost `actual` / Σ `amount` over cost items with an `actual`.
    pub service_cost_control: Ratio,
    /// Accounts with status `lost`.
    pub churn: usize,
    /// Accounts whose `account.since` lies in their plan's period.
    pub new_accounts: usize,
    /// Expected return by period (a quarter, or the quarter of a date).
    pub expected_return_by_quarter: BTreeMap<String, f64>,
    /// Expected return by the account's owner.
    pub expected_return_by_owner: BTreeMap<String, f64>,
    /// Expected return by tier (declared, else computed).
    pub expected_return_by_tier: BTreeMap<String, f64>,
}

/// The figures of the department of `accounts` as of `today`.
pub fn compute(accounts: &[AccountReport], config: &Config, today: Date) -> Department {
    Department {
        plan_completion: plan_completion(accounts),
        revisit_rate: revisit_rate(accounts, config, today),
        service_cost_control: service_cost_control(accounts),
        churn: churn(accounts),
        new_accounts: new_accounts(accounts),
        expected_return_by_quarter: expected_return_by_quarter(accounts),
        expected_return_by_owner: expected_return_by_owner(accounts),
        expected_return_by_tier: expected_return_by_tier(accounts),
    }
}

/// The readable plans of the active accounts.
fn active(accounts: &[AccountReport]) -> impl Iterator<Item = (&AccountReport, &Plan)> {
    accounts
        .iter()
        .filter(|a| status(a) == AccountStatus::Active)
        .filter_map(|a| Some((a, a.files.plan.as_ref()?)))
}

/// Plan completion = objectives met / objectives, over active accounts.
fn plan_completion(accounts: &[AccountReport]) -> Ratio {
    let (mut met, mut all) = (0.0, 0.0);
    for (a, _) in active(accounts) {
        if let Some(f) = &a.figures {
            all += f.objectives.len() as f64;
            met += f.objectives.iter().filter(|o| o.met).count() as f64;
        }
    }
    Ratio::of(met, all)
}

/// Revisit rate = visits dated from the plan's start to today / planned
/// visits (whole cadences elapsed since the start), over active accounts
/// with a tier.
fn revisit_rate(accounts: &[AccountReport], config: &Config, today: Date) -> Ratio {
    let (mut done, mut planned) = (0.0, 0.0);
    for (a, plan) in active(accounts) {
        let (Some(t), Some(start)) = (
            tier(a),
            plan.period
                .as_ref()
                .and_then(|p| p.start.as_ref())
                .map(|s| s.value),
        ) else {
            continue;
        };
        let days = start.days_until(today);
        if days < 0 {
            continue;
        }
        planned += (days / i64::from(config.cadence.days(t))) as f64;
        done += a
            .visits
            .iter()
            .filter_map(|v| v.date)
            .filter(|d| (start..=today).contains(d))
            .count() as f64;
    }
    Ratio::of(done, planned)
}

/// Service-cost control = Σ `actual` / Σ `amount` of the cost items with an
/// `actual`, over every account.
fn service_cost_control(accounts: &[AccountReport]) -> Ratio {
    let (mut spent, mut budget) = (0.0, 0.0);
    for f in accounts.iter().filter_map(|a| a.figures.as_ref()) {
        for (actual, amount) in &f.spend {
            spent += actual;
            budget += amount;
        }
    }
    Ratio::of(spent, budget)
}

/// Churn = accounts with status `lost`.
fn churn(accounts: &[AccountReport]) -> usize {
    accounts
        .iter()
        .filter(|a| status(a) == AccountStatus::Lost)
        .count()
}

/// New accounts = accounts whose `since` lies in their plan's period.
fn new_accounts(accounts: &[AccountReport]) -> usize {
    accounts
        .iter()
        .filter(|a| {
            let Some(plan) = a.files.plan.as_ref() else {
                return false;
            };
            let since = plan
                .account
                .as_ref()
                .and_then(|x| x.since.as_ref())
                .map(|s| s.value);
            let period = plan
                .period
                .as_ref()
                .and_then(|p| Some((p.start.as_ref()?.value, p.end.as_ref()?.value)));
            matches!((since, period), (Some(d), Some((s, e))) if s <= d && d <= e)
        })
        .count()
}

/// Expected return by quarter (`YYYY-Qn`; a date counts in its quarter;
/// returns without a period are left out).
fn expected_return_by_quarter(accounts: &[AccountReport]) -> BTreeMap<String, f64> {
    let mut by = BTreeMap::new();
    for f in accounts.iter().filter_map(|a| a.figures.as_ref()) {
        for (period, amount) in &f.expected_returns {
            *by.entry(period.quarter()).or_insert(0.0) += amount;
        }
    }
    by
}

/// Expected return by the account's owner (accounts without one are left out).
fn expected_return_by_owner(accounts: &[AccountReport]) -> BTreeMap<String, f64> {
    let mut by = BTreeMap::new();
    for a in accounts {
        let (Some(owner), Some(f)) = (
            account(a).and_then(|x| x.owner.as_ref()),
            a.figures.as_ref(),
        ) else {
            continue;
        };
        *by.entry(owner.as_str().to_owned()).or_insert(0.0) += f.expected_return;
    }
    by
}

/// Expected return by tier (accounts without a tier are left out).
fn expected_return_by_tier(accounts: &[AccountReport]) -> BTreeMap<String, f64> {
    let mut by = BTreeMap::new();
    for a in accounts {
        let (Some(t), Some(f)) = (tier(a), a.figures.as_ref()) else {
            continue;
        };
        *by.entry(t.to_string()).or_insert(0.0) += f.expected_return;
    }
    by
}

/// What a calendar entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// An open action, on its due date.
    Action,
    /// An open milestone, on its date.
    Milestone,
}

impl Kind {
    /// `action` or `milestone`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Action => "action",
            Kind::Milestone => "milestone",
        }
    }
}

/// An open action or milestone with its date: what the calendar shows.
#[derive(Debug, Clone)]
pub(crate) struct Dated<'a> {
    /// Its account.
    pub(crate) account: &'a AccountReport,
    /// Action or milestone.
    pub(crate) kind: Kind,
    /// Its id (its place in its list when it has none).
    pub(crate) id: String,
    /// Its title (else its id).
    pub(crate) title: String,
    /// Due date, or the milestone's date.
    pub(crate) date: Date,
    /// Who it is for: the action's owner, the account's owner for a milestone.
    pub(crate) owner: Option<&'a str>,
    /// Where.
    pub(crate) r#where: Option<&'a str>,
    /// The action's status (`planned` when not given); none for a milestone.
    pub(crate) status: Option<crate::model::Status>,
}

/// Every open action with a due date and every open milestone with a date,
/// by date, then account, kind and id.
pub(crate) fn calendar(accounts: &[AccountReport]) -> Vec<Dated<'_>> {
    let mut out = Vec::new();
    for a in accounts {
        let Some(plan) = a.files.plan.as_ref() else {
            continue;
        };
        let account_owner = plan
            .account
            .as_ref()
            .and_then(|x| x.owner.as_ref())
            .map(|o| o.as_str());
        let id_of =
            |id: Option<&str>, i: usize| id.map_or_else(|| format!("#{}", i + 1), str::to_owned);
        for (i, x) in a.actions.iter().enumerate() {
            let Some(due) = x.due.filter(|_| x.status.is_open()) else {
                continue;
            };
            let id = id_of(x.id.as_deref(), i);
            out.push(Dated {
                account: a,
                kind: Kind::Action,
                title: x.title.as_deref().map_or_else(|| id.clone(), str::to_owned),
                id,
                date: due,
                owner: x.owner.as_ref().map(|o| o.as_str()),
                r#where: x.r#where.as_deref(),
                status: Some(x.status),
            });
        }
        for (i, m) in plan.milestones.iter().enumerate() {
            let done = m.done.as_ref().is_some_and(|d| d.value);
            let Some(date) = m.date.as_ref().filter(|_| !done) else {
                continue;
            };
            let id = id_of(m.id.as_ref().map(|x| x.as_str()), i);
            out.push(Dated {
                account: a,
                kind: Kind::Milestone,
                title: m
                    .title
                    .as_ref()
                    .map_or_else(|| id.clone(), |t| t.value.clone()),
                id,
                date: date.value,
                owner: account_owner,
                r#where: m.r#where.as_ref().map(|w| w.value.as_str()),
                status: None,
            });
        }
    }
    out.sort_by(|x, y| {
        (x.date, &x.account.files.id, x.kind, &x.id).cmp(&(
            y.date,
            &y.account.files.id,
            y.kind,
            &y.id,
        ))
    });
    out
}

/// The people the site has pages for: those of `people.yaml` in its order
/// when it exists, else every team id that owns an account or an action,
/// sorted.
pub(crate) fn people(accounts: &[AccountReport], config: &Config) -> Vec<String> {
    if config.people.present {
        let mut ids: Vec<String> = config.people.ids().map(str::to_owned).collect();
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        return ids;
    }
    let mut ids = std::collections::BTreeSet::new();
    for a in accounts {
        ids.extend(
            account(a)
                .and_then(|x| x.owner.as_ref())
                .map(|o| o.as_str().to_owned()),
        );
        ids.extend(
            a.actions
                .iter()
                .filter_map(|x| x.owner.as_ref())
                .map(|o| o.as_str().to_owned()),
        );
    }
    ids.into_iter().collect()
}
