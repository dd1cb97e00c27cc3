//! The pages about the department's people and dates (format §9.6): the
//! people and each person's page, the calendar and the asks of management.
//! One [`Index`] of every account gathers what they show, in one pass.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::portfolio::Choice;
use super::{Builder, name_of, s};
use crate::AccountReport;
use crate::department::{self, Dated, Kind};
use crate::model::{Date, Named, Plan, Tier};
use crate::render::dossier_href;

/// A person, linked to their page when they have one.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct PersonLink {
    /// Their name (else their id).
    pub(crate) name: String,
    /// Their id.
    pub(crate) id: String,
    /// Their page.
    pub(crate) href: Option<String>,
}

/// An action on a person's page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EntryCx {
    /// Account id.
    pub(crate) account: String,
    /// Account name.
    pub(crate) account_name: String,
    /// The account's dossier.
    pub(crate) href: String,
    /// What.
    pub(crate) title: String,
    /// When (`YYYY-MM-DD`).
    pub(crate) date: String,
    /// Where.
    pub r#where: Option<String>,
    /// Its status, translated.
    pub(crate) status_label: Option<String>,
    /// Its status.
    pub(crate) status: Option<&'static str>,
    /// Open and due before today.
    pub(crate) overdue: bool,
}

/// A row of the calendar: an open action or milestone. What many rows
/// share (the account, the owner, the labels) is in [`CalendarCx`] once; at
/// 10,000 accounts the calendar has 100,000 rows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CalendarRow {
    /// `action` or `milestone` (a key of [`CalendarCx::kinds`]).
    pub(crate) kind: &'static str,
    /// Index in [`CalendarCx::accounts`].
    pub(crate) account: usize,
    /// What.
    pub(crate) title: String,
    /// When (`YYYY-MM-DD`).
    pub(crate) date: String,
    /// Index in [`CalendarCx::owners`].
    pub(crate) owner: Option<usize>,
    /// Where.
    pub r#where: Option<String>,
    /// The action's status (a key of [`CalendarCx::statuses`]); none for a
    /// milestone.
    pub(crate) status: Option<&'static str>,
}

/// A group of the calendar.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WhenCx {
    /// `overdue`, `this-week`, `next-weeks` or `later`.
    pub(crate) key: &'static str,
    /// Its heading.
    pub(crate) label: String,
    /// Its entries, by date.
    pub(crate) entries: Vec<CalendarRow>,
}

/// The calendar page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CalendarCx {
    /// Overdue, this week, the next four weeks, later.
    pub(crate) groups: Vec<WhenCx>,
    /// The owners of the entries, by name: the owner filter.
    pub(crate) owners: Vec<PersonLink>,
    /// The accounts of the entries (id and name), by name: the account
    /// filter.
    pub(crate) accounts: Vec<Choice>,
    /// The kinds, translated.
    pub(crate) kinds: BTreeMap<&'static str, String>,
    /// The statuses of actions, translated.
    pub(crate) statuses: BTreeMap<&'static str, String>,
    /// How many entries.
    pub(crate) total: usize,
}

/// An ask of management.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AskCx {
    /// Account id.
    pub(crate) account: String,
    /// Account name.
    pub(crate) account_name: String,
    /// The account's dossier.
    pub(crate) href: String,
    /// What is asked.
    pub(crate) what: String,
    /// By when.
    pub(crate) by: Option<String>,
    /// `by` is before today.
    pub(crate) overdue: bool,
}

/// The asks of one person.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AsksOfCx {
    /// Who is asked.
    pub(crate) person: PersonLink,
    /// Their asks, by `by` date (undated last).
    pub(crate) asks: Vec<AskCx>,
    /// How many are overdue.
    pub(crate) overdue: usize,
}

/// The asks page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AsksCx {
    /// By person asked (by name).
    pub(crate) groups: Vec<AsksOfCx>,
    /// How many asks.
    pub(crate) total: usize,
    /// How many are overdue.
    pub(crate) overdue: usize,
}

/// An account on a person's page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AccountLine {
    /// Account name.
    pub(crate) name: String,
    /// The dossier.
    pub(crate) href: String,
    /// Tier, translated.
    pub(crate) tier_label: Option<String>,
    /// Status (`active` when not given).
    pub(crate) status: &'static str,
    /// Status, translated.
    pub(crate) status_label: String,
    /// Their role there: owner, else their team role, translated.
    pub(crate) role: String,
    /// Whether they own the account.
    pub(crate) owner: bool,
}

/// A visit a person attended.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct VisitLine {
    /// When.
    pub(crate) date: String,
    /// Account name.
    pub(crate) account_name: String,
    /// The dossier.
    pub(crate) href: String,
    /// Visit, call, ..., translated.
    pub(crate) kind: Option<String>,
    /// Where.
    pub r#where: Option<String>,
    /// Why they met.
    pub(crate) purpose: Option<String>,
}

/// One row of the people page: a person's workload.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WorkloadCx {
    /// The person.
    pub(crate) person: PersonLink,
    /// Their title.
    pub(crate) title: Option<String>,
    /// Accounts they own by tier: platinum, gold, silver, without a tier.
    pub(crate) tiers: [usize; 4],
    /// Accounts they own.
    pub(crate) owned: usize,
    /// Their open actions.
    pub(crate) open: usize,
    /// Of which overdue.
    pub(crate) overdue: usize,
    /// Of which due in the next 30 days.
    pub(crate) next_30: usize,
    /// Asks addressed to them.
    pub(crate) asks: usize,
    /// The last visit they attended.
    pub(crate) last_visit: Option<String>,
}

/// The page of one person.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PersonCx {
    /// Their workload (name, counts).
    pub(crate) workload: WorkloadCx,
    /// Their e-mail address.
    pub(crate) email: Option<String>,
    /// Their manager.
    pub(crate) manager: Option<PersonLink>,
    /// Who reports to them.
    pub(crate) reports: Vec<PersonLink>,
    /// The accounts they own or are on the team of.
    pub(crate) accounts: Vec<AccountLine>,
    /// Their actions, by due date (done and dropped ones too).
    pub(crate) actions: Vec<EntryCx>,
    /// The asks of them.
    pub(crate) asks: Vec<AskCx>,
    /// The visits they attended, latest first.
    pub(crate) visits: Vec<VisitLine>,
    /// Their calendar feed.
    pub(crate) calendar_href: String,
}

/// What the people pages, calendar and asks read of every account, in one
/// pass.
pub(crate) struct Index<'a> {
    /// The people with a page, in order.
    pub(crate) people: Vec<String>,
    /// The same, to look up.
    pages: std::collections::HashSet<String>,
    /// Everyone's name.
    pub(crate) names: Names<'a>,
    /// The open, dated actions and milestones.
    pub(crate) dated: Vec<Dated<'a>>,
    /// What each person's workload counts of the accounts, by id.
    loads: HashMap<&'a str, Load>,
}

/// Everyone's name, by id: from `people.yaml`, else the first team entry
/// that names them.
pub(crate) struct Names<'a>(HashMap<&'a str, &'a str>);

impl<'a> Names<'a> {
    /// The names of `config`'s people and of the teams of `accounts`.
    pub(crate) fn new(accounts: &'a [AccountReport], config: &'a crate::config::Config) -> Self {
        let mut names: HashMap<&str, &str> = HashMap::new();
        for p in &config.people.people {
            if let (Some(id), Some(name)) = (&p.id, &p.name) {
                names.entry(id.as_str()).or_insert(name.value.as_str());
            }
        }
        for plan in accounts.iter().filter_map(|a| a.files.plan.as_ref()) {
            for m in &plan.team {
                if let (Some(id), Some(name)) = (&m.id, &m.name) {
                    names.entry(id.as_str()).or_insert(name.value.as_str());
                }
            }
        }
        Names(names)
    }

    /// The name of `id`, else `id`.
    pub(crate) fn of<'b>(&'b self, id: &'b str) -> &'b str {
        self.0.get(id).copied().unwrap_or(id)
    }
}

/// What a person's workload counts, gathered in one pass.
#[derive(Default)]
struct Load {
    /// Accounts owned by tier: platinum, gold, silver, without a tier.
    tiers: [usize; 4],
    /// The last visit attended.
    last_visit: Option<Date>,
    /// Open actions owned, of which overdue, of which due within 30 days.
    open: usize,
    overdue: usize,
    next_30: usize,
    /// Asks of them.
    asks: usize,
}

impl<'a> Index<'a> {
    /// Gathers the index of `accounts` as of `today`.
    pub(crate) fn new(
        accounts: &'a [AccountReport],
        config: &'a crate::config::Config,
        today: Date,
    ) -> Index<'a> {
        let names = Names::new(accounts, config);
        let people = department::people(accounts, config);
        let dated = department::calendar(accounts);
        Index {
            pages: people.iter().cloned().collect(),
            loads: loads(accounts, &dated, today),
            people,
            names,
            dated,
        }
    }

    /// Whether `id` has a page.
    fn has_page(&self, id: &str) -> bool {
        self.pages.contains(id)
    }
}

/// Every person's workload, in one pass over the accounts and the calendar.
fn loads<'a>(
    accounts: &'a [AccountReport],
    dated: &[Dated<'a>],
    today: Date,
) -> HashMap<&'a str, Load> {
    let mut loads: HashMap<&str, Load> = HashMap::new();
    for a in accounts {
        let Some(plan) = a.files.plan.as_ref() else {
            continue;
        };
        if let Some(owner) = owner_of(plan) {
            let i = match department::tier(a) {
                Some(Tier::Platinum) => 0,
                Some(Tier::Gold) => 1,
                Some(Tier::Silver) => 2,
                None => 3,
            };
            loads.entry(owner).or_default().tiers[i] += 1;
        }
        for v in &a.visits {
            let Some(d) = v.date else {
                continue;
            };
            for who in &v.attendees {
                let load = loads.entry(who.as_str()).or_default();
                load.last_visit = load.last_visit.max(Some(d));
            }
        }
        for ask in plan.asks.iter().filter_map(|x| x.of.as_ref()) {
            loads.entry(ask.as_str()).or_default().asks += 1;
        }
    }
    let in_30 = Date::from_days_since_epoch(today.days_since_epoch() + 30);
    for e in dated.iter().filter(|e| e.kind == Kind::Action) {
        let Some(owner) = e.owner else {
            continue;
        };
        let load = loads.entry(owner).or_default();
        load.open += 1;
        load.overdue += usize::from(e.date < today);
        load.next_30 += usize::from(e.date >= today && e.date <= in_30);
    }
    loads
}

/// The first day after the week of `today` (weeks start on Monday).
fn next_monday(today: Date) -> Date {
    Date::from_days_since_epoch(today.monday().days_since_epoch() + 7)
}

impl Builder<'_> {
    /// A link to person `id`.
    pub(crate) fn person_link(&self, index: &Index<'_>, id: &str, base: &str) -> PersonLink {
        PersonLink {
            name: index.names.of(id).to_owned(),
            id: id.to_owned(),
            href: index.has_page(id).then(|| format!("{base}people/{id}/")),
        }
    }

    /// The calendar page: every open action and milestone, by when.
    pub(crate) fn calendar(&self, index: &Index<'_>, base: &str) -> CalendarCx {
        let today = self.scope.today;
        let week = next_monday(today);
        let four = Date::from_days_since_epoch(week.days_since_epoch() + 28);
        // The accounts and owners of the entries, each once, by name.
        let (mut accounts, mut owners) = (Vec::new(), Vec::new());
        let mut seen = std::collections::HashSet::new();
        for e in &index.dated {
            let id = e.account.files.id.as_str();
            if seen.insert((true, id)) {
                accounts.push(Choice {
                    value: id.to_owned(),
                    label: self.account_name(e.account),
                });
            }
            if let Some(o) = e.owner.filter(|o| seen.insert((false, *o))) {
                owners.push(self.person_link(index, o, base));
            }
        }
        accounts.sort_by(|a, b| (&a.label, &a.value).cmp(&(&b.label, &b.value)));
        owners.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        let account_at: HashMap<&str, usize> = accounts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.value.as_str(), i))
            .collect();
        let owner_at: HashMap<&str, usize> = owners
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let mut groups: Vec<WhenCx> = ["overdue", "this-week", "next-weeks", "later"]
            .into_iter()
            .map(|key| WhenCx {
                key,
                label: self.t(&format!("calendar.{key}")),
                entries: Vec::new(),
            })
            .collect();
        let mut statuses = BTreeMap::new();
        for e in &index.dated {
            let i = match e.date {
                d if d < today => 0,
                d if d < week => 1,
                d if d < four => 2,
                _ => 3,
            };
            if let Some(st) = e.status {
                statuses
                    .entry(st.as_str())
                    .or_insert_with(|| name_of(self.locale, Some(st)).unwrap_or_default());
            }
            groups[i].entries.push(CalendarRow {
                kind: e.kind.as_str(),
                account: account_at[e.account.files.id.as_str()],
                title: e.title.clone(),
                date: e.date.to_string(),
                owner: e.owner.map(|o| owner_at[o]),
                r#where: e.r#where.map(str::to_owned),
                status: e.status.map(Named::as_str),
            });
        }
        CalendarCx {
            total: index.dated.len(),
            groups,
            owners,
            accounts,
            kinds: [Kind::Action, Kind::Milestone]
                .into_iter()
                .map(|k| (k.as_str(), self.t(&format!("calendar.{}", k.as_str()))))
                .collect(),
            statuses,
        }
    }

    /// Every ask of every account (asked of `only`, when given), as
    /// `(of, ask)`, by date.
    fn all_asks(&self, only: Option<&str>, base: &str) -> Vec<(String, AskCx)> {
        let today = self.scope.today;
        let mut out = Vec::new();
        for a in self.scope.accounts {
            let Some(plan) = a.files.plan.as_ref() else {
                continue;
            };
            for ask in &plan.asks {
                let of = ask.of.as_ref().map_or("", |o| o.as_str());
                if only.is_some_and(|id| id != of) {
                    continue;
                }
                let by = ask.by.as_ref().map(|b| b.value);
                out.push((
                    of.to_owned(),
                    AskCx {
                        account: a.files.id.clone(),
                        account_name: self.account_name(a),
                        href: dossier_href(base, &a.files.id),
                        what: s(&ask.what).unwrap_or_default(),
                        by: by.map(|d| d.to_string()),
                        overdue: by.is_some_and(|d| d < today),
                    },
                ));
            }
        }
        // Dated first, by date; undated last.
        out.sort_by(|(_, x), (_, y)| {
            (x.by.is_none(), &x.by, &x.account).cmp(&(y.by.is_none(), &y.by, &y.account))
        });
        out
    }

    /// The asks page: every ask, by the person asked.
    pub(crate) fn asks(&self, index: &Index<'_>, base: &str) -> AsksCx {
        let mut by: BTreeMap<String, Vec<AskCx>> = BTreeMap::new();
        for (of, ask) in self.all_asks(None, base) {
            by.entry(of).or_default().push(ask);
        }
        let mut groups: Vec<AsksOfCx> = by
            .into_iter()
            .map(|(of, asks)| AsksOfCx {
                person: self.person_link(index, &of, base),
                overdue: asks.iter().filter(|a| a.overdue).count(),
                asks,
            })
            .collect();
        groups.sort_by(|a, b| a.person.cmp(&b.person));
        AsksCx {
            total: groups.iter().map(|g| g.asks.len()).sum(),
            overdue: groups.iter().map(|g| g.overdue).sum(),
            groups,
        }
    }

    /// The workload of every person with a page, in order.
    pub(crate) fn people(&self, index: &Index<'_>, base: &str) -> Vec<WorkloadCx> {
        index
            .people
            .iter()
            .map(|id| self.workload(index, id, base))
            .collect()
    }

    /// Person `id`'s workload.
    fn workload(&self, index: &Index<'_>, id: &str, base: &str) -> WorkloadCx {
        let load = index.loads.get(id);
        let tiers = load.map_or([0; 4], |l| l.tiers);
        WorkloadCx {
            person: self.person_link(index, id, base),
            title: self.scope.config.people.get(id).and_then(|p| s(&p.title)),
            owned: tiers.iter().sum(),
            tiers,
            open: load.map_or(0, |l| l.open),
            overdue: load.map_or(0, |l| l.overdue),
            next_30: load.map_or(0, |l| l.next_30),
            asks: load.map_or(0, |l| l.asks),
            last_visit: load.and_then(|l| l.last_visit).map(|d| d.to_string()),
        }
    }

    /// The page of person `id`.
    pub(crate) fn person(&self, index: &Index<'_>, id: &str, base: &str) -> PersonCx {
        let workload = self.workload(index, id, base);
        let people = &self.scope.config.people;
        let person = people.get(id);
        let mut accounts = Vec::new();
        let mut actions = Vec::new();
        let mut visits = Vec::new();
        let today = self.scope.today;
        let href = |a: &AccountReport| dossier_href(base, &a.files.id);
        for a in self.scope.accounts {
            let Some(plan) = a.files.plan.as_ref() else {
                continue;
            };
            let member = plan
                .team
                .iter()
                .find(|m| m.id.as_ref().is_some_and(|i| i.as_str() == id));
            let owner = owner_of(plan) == Some(id);
            if owner || member.is_some() {
                let status = department::status(a);
                accounts.push(AccountLine {
                    name: self.account_name(a),
                    href: href(a),
                    tier_label: name_of(self.locale, department::tier(a)),
                    status: status.as_str(),
                    status_label: name_of(self.locale, Some(status)).unwrap_or_default(),
                    role: if owner {
                        self.t("people.owner")
                    } else {
                        name_of(
                            self.locale,
                            member.and_then(|m| m.role.as_ref()).map(|r| r.value),
                        )
                        .unwrap_or_default()
                    },
                    owner,
                });
            }
            for x in a
                .actions
                .iter()
                .filter(|x| x.owner.as_ref().is_some_and(|o| o.as_str() == id))
            {
                let status = x.status;
                let title = x
                    .title
                    .as_deref()
                    .or(x.id.as_deref())
                    .unwrap_or_default()
                    .to_owned();
                let due = x.due;
                actions.push((
                    due,
                    EntryCx {
                        account: a.files.id.clone(),
                        account_name: self.account_name(a),
                        href: href(a),
                        title,
                        date: due.map(|d| d.to_string()).unwrap_or_default(),
                        r#where: x.r#where.as_deref().map(str::to_owned),
                        status_label: name_of(self.locale, Some(status)),
                        status: Some(status.as_str()),
                        overdue: x.overdue(today),
                    },
                ));
            }
            for v in &a.visits {
                if !v.attendees.iter().any(|x| x.as_str() == id) {
                    continue;
                }
                let Some(date) = v.date else {
                    continue;
                };
                visits.push(VisitLine {
                    date: date.to_string(),
                    account_name: self.account_name(a),
                    href: href(a),
                    kind: name_of(self.locale, v.kind),
                    r#where: v.r#where.as_deref().map(str::to_owned),
                    purpose: v.purpose.as_deref().map(str::to_owned),
                });
            }
        }
        // By due date, undated last; then account.
        actions.sort_by(|(x, a), (y, b)| {
            (x.is_none(), x, &a.account).cmp(&(y.is_none(), y, &b.account))
        });
        visits.sort_by(|a, b| (&b.date, &a.account_name).cmp(&(&a.date, &b.account_name)));
        let mut reports: Vec<PersonLink> = people
            .people
            .iter()
            .filter(|p| p.manager.as_ref().is_some_and(|m| m.as_str() == id))
            .filter_map(|p| Some(self.person_link(index, p.id.as_ref()?.as_str(), base)))
            .collect();
        reports.dedup();
        PersonCx {
            workload,
            email: person.and_then(|p| s(&p.email)),
            manager: person
                .and_then(|p| p.manager.as_ref())
                .map(|m| self.person_link(index, m.as_str(), base)),
            reports,
            accounts,
            actions: actions.into_iter().map(|(_, e)| e).collect(),
            asks: self
                .all_asks(Some(id), base)
                .into_iter()
                .map(|(_, a)| a)
                .collect(),
            visits,
            calendar_href: format!("{base}people/{id}/calendar.ics"),
        }
    }
}

/// The account's owner id.
pub(super) fn owner_of(plan: &Plan) -> Option<&str> {
    plan.account.as_ref()?.owner.as_ref().map(|o| o.as_str())
}
