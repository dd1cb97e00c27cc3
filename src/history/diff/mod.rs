//! The semantic diff of two versions of an account: what changed, in the
//! plan's own terms ("objective `grow-5g` target 18,000,000 → 20,000,000"),
//! never as text lines. Pure functions, no I/O.
//!
//! List items are matched by `id`, else by their title field (`item` of a
//! cost, `criterion` of a scorecard row, `title` of a risk, ...), else by
//! position; two items with one key are matched in order. Every scalar and
//! list of the format is compared, field by field, except a stakeholder's
//! `private` notes, which never appear in a diff. [`Words`] puts a change
//! into words, in the phrases of the locale tables.

use std::borrow::Cow;

use serde::Serialize;

use crate::figures::{Checklist, Figures};
use crate::model::{
    Account, AccountFiles, Action, Ask, Attitude, Better, BuyerRole, Competitor, Cost,
    CostCategory, Coverage, CoverageLevel, Criterion, CriterionGroup, Date, Decision, DecisionType,
    Id, Kpi, Member, Milestone, Money, Named, Need, NeedKind, Objective, Period, Plan, PlanPeriod,
    Probability, Rated, Return, Review, Risk, Sp, Stage, Stakeholder, Status, Strategy, Style,
    TeamRole, Tier, Whitespace, WhitespaceStatus, key_name,
};
use crate::pipeline::AccountReport;

mod text;

use text::plain;
pub(crate) use text::{Markdown, Plain, Words, lines, one_line};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    /// A new item (or a value where there was none).
    Added,
    /// An item that is gone.
    Removed,
    /// A value that changed.
    Changed,
}

/// A value before or after a change. In JSON: a boolean, a number
/// (whole numbers without a fraction), a string, or an array of strings.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// `true` / `false`.
    Flag(bool),
    /// A number (amounts, ratings, figures).
    Number(f64),
    /// A name from the format's vocabulary, an id, a date or a period.
    Name(String),
    /// Free text written by the team.
    Text(String),
    /// A list of ids or texts.
    List(Vec<String>),
}

impl Serialize for Val {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Flag(b) => s.serialize_bool(*b),
            Val::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => s.serialize_i64(*n as i64),
            Val::Number(n) => s.serialize_f64(*n),
            Val::Name(t) | Val::Text(t) => s.serialize_str(t),
            Val::List(items) => items.serialize(s),
        }
    }
}

/// The list item a change is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Item {
    /// What it is: `objective`, `stakeholder`, `team member`, ...
    pub(crate) what: Cow<'static, str>,
    /// What it was matched by: its id (a file name for visit records and
    /// pages), else its title.
    pub(crate) key: String,
    /// Whether `key` is an id (or a file name).
    pub(crate) by_id: bool,
    /// A person's name, or the title of an item matched by id.
    pub(crate) name: Option<String>,
    /// Whether `name` is a person's name (then it is the label).
    #[serde(skip)]
    pub(crate) person: bool,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Change {
    /// The plan's top-level key (`objectives`, `account`, ...), or
    /// `figures`, `checklist`, `visits`, `pages`.
    pub(crate) section: Cow<'static, str>,
    /// Added, removed or changed.
    pub(crate) kind: Kind,
    /// The list item, for changes inside a list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) item: Option<Item>,
    /// The field (a YAML key; `needs.kind` inside a stakeholder's need; a
    /// figure or a checklist question).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) field: Option<String>,
    /// The nested item within the field (a stakeholder's need).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) sub: Option<String>,
    /// The value before (`null` when there was none).
    pub(crate) old: Option<Val>,
    /// The value after (`null` when there is none).
    pub(crate) new: Option<Val>,
}

// ---------------------------------------------------------------- values

trait Scalar {
    fn scalar(&self) -> Val;
}

impl Scalar for String {
    fn scalar(&self) -> Val {
        Val::Text(self.clone())
    }
}
impl Scalar for f64 {
    fn scalar(&self) -> Val {
        Val::Number(*self)
    }
}
impl Scalar for bool {
    fn scalar(&self) -> Val {
        Val::Flag(*self)
    }
}
impl Scalar for Money {
    fn scalar(&self) -> Val {
        Val::Number(self.0)
    }
}
impl Scalar for Probability {
    fn scalar(&self) -> Val {
        Val::Number(self.0)
    }
}
impl<const A: i64, const B: i64> Scalar for Rated<A, B> {
    fn scalar(&self) -> Val {
        Val::Number(self.get() as f64)
    }
}
macro_rules! by_name {
    ($($t:ty),*) => {$(
        impl Scalar for $t {
            fn scalar(&self) -> Val {
                Val::Name(self.to_string())
            }
        }
    )*};
}
by_name!(Id, Date, Period);
macro_rules! named {
    ($($t:ty),*) => {$(
        impl Scalar for $t {
            fn scalar(&self) -> Val {
                Val::Name(self.as_str().to_owned())
            }
        }
    )*};
}
named!(
    Stage,
    Tier,
    BuyerRole,
    Attitude,
    Style,
    NeedKind,
    DecisionType,
    TeamRole,
    Status,
    CostCategory,
    CriterionGroup,
    Better,
    CoverageLevel,
    WhitespaceStatus
);

trait Value {
    fn val(&self) -> Option<Val>;
}

impl<T: Scalar> Value for Option<Sp<T>> {
    fn val(&self) -> Option<Val> {
        self.as_ref().map(|v| v.value.scalar())
    }
}

impl<T: Scalar> Value for Vec<Sp<T>> {
    fn val(&self) -> Option<Val> {
        (!self.is_empty()).then(|| {
            Val::List(
                self.iter()
                    .map(|v| match v.value.scalar() {
                        Val::Name(s) | Val::Text(s) => s,
                        other => plain(&other),
                    })
                    .collect(),
            )
        })
    }
}

type Fields = Vec<(&'static str, Option<Val>)>;

/// The fields of a record, in declaration order.
macro_rules! fields {
    ($x:expr; $($f:ident),* $(,)?) => {
        vec![$((key_name(stringify!($f)), $x.$f.val())),*]
    };
}

fn account_fields(a: &Account) -> Fields {
    fields!(a; name, industry, region, owner, tier, stage, since)
}
fn period_fields(p: &PlanPeriod) -> Fields {
    fields!(p; start, end)
}
fn decision_fields(d: &Decision) -> Fields {
    fields!(d; r#type, notes)
}
fn review_fields(r: &Review) -> Fields {
    fields!(r; last_reviewed, by, notes)
}
fn objective_fields(o: &Objective) -> Fields {
    fields!(o; title, why, metric, unit, baseline, target, actual, due, better, shared)
}
fn stakeholder_fields(s: &Stakeholder) -> Fields {
    // `private` is left out on purpose: it never appears in a diff.
    fields!(s; name, title, department, role, influence, attitude, style, reports_to, last_contact)
}
fn member_fields(m: &Member) -> Fields {
    fields!(m; name, role, responsibilities, authority)
}
fn strategy_fields(s: &Strategy) -> Fields {
    fields!(s; title, objectives, resources)
}
fn action_fields(a: &Action) -> Fields {
    fields!(a; title, strategy, objectives, owner, stakeholders, start, due, r#where, status, cost, shared)
}
fn milestone_fields(m: &Milestone) -> Fields {
    fields!(m; title, date, r#where, objectives, done, shared)
}
fn cost_fields(c: &Cost) -> Fields {
    fields!(c; item, category, amount, period)
}
fn return_fields(r: &Return) -> Fields {
    fields!(r; item, objective, amount, probability, period)
}
fn criterion_fields(c: &Criterion) -> Fields {
    fields!(c; criterion, group, weight, score)
}
fn kpi_fields(k: &Kpi) -> Fields {
    fields!(k; name, unit, target, actual, period, better, shared)
}
fn risk_fields(r: &Risk) -> Fields {
    fields!(r; title, likelihood, impact, mitigation, owner)
}
fn ask_fields(a: &Ask) -> Fields {
    fields!(a; of, what, by)
}
fn competitor_fields(c: &Competitor) -> Fields {
    fields!(c; name, position)
}
fn need_fields(n: &Need) -> Fields {
    fields!(n; kind, explicit)
}
fn coverage_fields(c: &Coverage) -> Fields {
    fields!(c; level, target)
}
fn whitespace_fields(w: &Whitespace) -> Fields {
    fields!(w; status, current, potential, holder)
}

fn text(v: &Option<Sp<String>>) -> Option<String> {
    v.as_ref()
        .map(|s| s.value.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn id(v: &Option<Sp<Id>>) -> Option<String> {
    v.as_ref().map(|s| s.value.to_string())
}

// ---------------------------------------------------------------- matching

/// How the items of one list are matched and named.
struct List<T> {
    section: &'static str,
    what: &'static str,
    /// The item's id, for lists with ids.
    id: fn(&T) -> Option<String>,
    /// The field matched on without an id, and its value.
    title: (&'static str, fn(&T) -> Option<String>),
    /// A person's name (stakeholders, team).
    person: fn(&T) -> Option<String>,
    fields: fn(&T) -> Fields,
}

fn none<T>(_: &T) -> Option<String> {
    None
}

impl<T> List<T> {
    fn item(&self, x: &T, index: usize) -> Item {
        let person = (self.person)(x);
        let title = (self.title.1)(x);
        match (self.id)(x) {
            Some(id) => Item {
                what: self.what.into(),
                key: id,
                by_id: true,
                person: person.is_some(),
                name: person.or(title),
            },
            None => Item {
                what: self.what.into(),
                key: title
                    .or(person)
                    .unwrap_or_else(|| format!("#{}", index + 1)),
                by_id: false,
                person: false,
                name: None,
            },
        }
    }

    /// Matching keys, made unique by counting repeats.
    fn keys(&self, xs: &[T]) -> Vec<(String, Item)> {
        let mut seen: Vec<String> = Vec::new();
        xs.iter()
            .enumerate()
            .map(|(i, x)| {
                let item = self.item(x, i);
                let base = format!("{}:{}", if item.by_id { "id" } else { "t" }, item.key);
                let n = seen.iter().filter(|s| **s == base).count();
                seen.push(base.clone());
                (format!("{base}#{n}"), item)
            })
            .collect()
    }

    fn diff(&self, old: &[T], new: &[T], out: &mut Vec<Change>) {
        let old_keys = self.keys(old);
        let new_keys = self.keys(new);
        for (j, (key, item)) in new_keys.iter().enumerate() {
            match old_keys.iter().position(|(k, _)| k == key) {
                Some(i) => {
                    let skip = if item.by_id { "" } else { self.title.0 };
                    let before = (self.fields)(&old[i]);
                    let after = (self.fields)(&new[j]);
                    fields_diff(self.section, Some(item), &before, &after, skip, out);
                }
                None => out.push(Change {
                    section: self.section.into(),
                    kind: Kind::Added,
                    item: Some(item.clone()),
                    field: None,
                    sub: None,
                    old: None,
                    new: None,
                }),
            }
        }
        for (key, item) in &old_keys {
            if !new_keys.iter().any(|(k, _)| k == key) {
                out.push(Change {
                    section: self.section.into(),
                    kind: Kind::Removed,
                    item: Some(item.clone()),
                    field: None,
                    sub: None,
                    old: None,
                    new: None,
                });
            }
        }
    }
}

fn fields_diff(
    section: &'static str,
    item: Option<&Item>,
    before: &Fields,
    after: &Fields,
    skip: &str,
    out: &mut Vec<Change>,
) {
    for ((name, a), (_, b)) in before.iter().zip(after) {
        if *name == "id" || *name == skip || same(a.as_ref(), b.as_ref()) {
            continue;
        }
        out.push(Change {
            section: section.into(),
            kind: Kind::Changed,
            item: item.cloned(),
            field: Some((*name).to_owned()),
            sub: None,
            old: a.clone(),
            new: b.clone(),
        });
    }
}

fn same(a: Option<&Val>, b: Option<&Val>) -> bool {
    match (a, b) {
        (Some(Val::Number(x)), Some(Val::Number(y))) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
        (Some(Val::Text(x)), Some(Val::Text(y))) => x.trim() == y.trim(),
        _ => a == b,
    }
}

fn needs_diff(old: &Stakeholder, new: &Stakeholder, item: &Item, out: &mut Vec<Change>) {
    let key = |n: &Need| text(&n.need).unwrap_or_default();
    for n in &new.needs {
        let k = key(n);
        match old.needs.iter().find(|o| key(o) == k) {
            Some(o) => {
                for ((name, a), (_, b)) in need_fields(o).iter().zip(need_fields(n)) {
                    if !same(a.as_ref(), b.as_ref()) {
                        out.push(Change {
                            section: "stakeholders".into(),
                            kind: Kind::Changed,
                            item: Some(item.clone()),
                            field: Some(format!("needs.{name}")),
                            sub: Some(k.clone()),
                            old: a.clone(),
                            new: b,
                        });
                    }
                }
            }
            None => out.push(Change {
                section: "stakeholders".into(),
                kind: Kind::Added,
                item: Some(item.clone()),
                field: Some("needs".into()),
                sub: Some(k),
                old: None,
                new: None,
            }),
        }
    }
    for o in &old.needs {
        let k = key(o);
        if !new.needs.iter().any(|n| key(n) == k) {
            out.push(Change {
                section: "stakeholders".into(),
                kind: Kind::Removed,
                item: Some(item.clone()),
                field: Some("needs".into()),
                sub: Some(k),
                old: None,
                new: None,
            });
        }
    }
}

/// A team member as a coverage change names them: their name, else their id.
fn member(plan: &Plan, by: &str) -> String {
    plan.team
        .iter()
        .find(|m| id(&m.id).as_deref() == Some(by))
        .and_then(|m| text(&m.name))
        .unwrap_or_else(|| by.to_owned())
}

/// The coverage changes of one stakeholder, entries matched by `by`:
/// field `coverage` (added, removed) or `coverage.level`, `coverage.target`,
/// `sub` the team member's name.
fn coverage_diff(
    (old_plan, old): (&Plan, &Stakeholder),
    (new_plan, new): (&Plan, &Stakeholder),
    item: &Item,
    out: &mut Vec<Change>,
) {
    let key = |c: &Coverage| id(&c.by).unwrap_or_default();
    let change = |kind, field: String, sub: String, old: Option<Val>, new: Option<Val>| Change {
        section: "stakeholders".into(),
        kind,
        item: Some(item.clone()),
        field: Some(field),
        sub: Some(sub),
        old,
        new,
    };
    for c in &new.coverage {
        let k = key(c);
        let by = member(new_plan, &k);
        match old.coverage.iter().find(|o| key(o) == k) {
            Some(o) => {
                for ((name, a), (_, b)) in coverage_fields(o).iter().zip(coverage_fields(c)) {
                    if !same(a.as_ref(), b.as_ref()) {
                        let field = format!("coverage.{name}");
                        out.push(change(Kind::Changed, field, by.clone(), a.clone(), b));
                    }
                }
            }
            None => out.push(change(
                Kind::Added,
                "coverage".into(),
                by,
                None,
                c.level.val(),
            )),
        }
    }
    for o in &old.coverage {
        let k = key(o);
        if !new.coverage.iter().any(|n| key(n) == k) {
            let by = member(old_plan, &k);
            out.push(change(
                Kind::Removed,
                "coverage".into(),
                by,
                o.level.val(),
                None,
            ));
        }
    }
}

fn record<T>(
    section: &'static str,
    old: Option<&T>,
    new: Option<&T>,
    fields: fn(&T) -> Fields,
    out: &mut Vec<Change>,
) {
    let before = old.map(fields);
    let after = new.map(fields);
    let blank = |f: &Fields| f.iter().map(|(n, _)| (*n, None)).collect::<Fields>();
    let (before, after) = match (before, after) {
        (None, None) => return,
        (Some(b), None) => {
            let a = blank(&b);
            (b, a)
        }
        (None, Some(a)) => (blank(&a), a),
        (Some(b), Some(a)) => (b, a),
    };
    fields_diff(section, None, &before, &after, "", out);
}

fn scalar(section: &'static str, old: Option<Val>, new: Option<Val>, out: &mut Vec<Change>) {
    if !same(old.as_ref(), new.as_ref()) {
        out.push(Change {
            section: section.into(),
            kind: Kind::Changed,
            item: None,
            field: None,
            sub: None,
            old,
            new,
        });
    }
}

/// Every change between two plans, in the order of the format: account,
/// currency, period, summary, objectives, stakeholders, decision, team,
/// strategies, actions, milestones, costs, returns, review, scorecard,
/// relative strength, KPIs, risks, asks, competitors, whitespace.
pub(crate) fn plans(old: &Plan, new: &Plan) -> Vec<Change> {
    let mut out = Vec::new();
    record(
        "account",
        old.account.as_ref(),
        new.account.as_ref(),
        account_fields,
        &mut out,
    );
    let currency = |p: &Plan| {
        p.currency
            .as_ref()
            .map(|c| Val::Name(c.value.trim().to_owned()))
    };
    scalar("currency", currency(old), currency(new), &mut out);
    record(
        "period",
        old.period.as_ref(),
        new.period.as_ref(),
        period_fields,
        &mut out,
    );
    scalar("summary", old.summary.val(), new.summary.val(), &mut out);
    List {
        section: "objectives",
        what: "objective",
        id: |x: &Objective| id(&x.id),
        title: ("title", |x| text(&x.title)),
        person: none,
        fields: objective_fields,
    }
    .diff(&old.objectives, &new.objectives, &mut out);
    let stakeholders = List {
        section: "stakeholders",
        what: "stakeholder",
        id: |x: &Stakeholder| id(&x.id),
        title: ("name", |x| text(&x.name)),
        person: |x| text(&x.name),
        fields: stakeholder_fields,
    };
    let before = out.len();
    stakeholders.diff(&old.stakeholders, &new.stakeholders, &mut out);
    // Needs and coverage, after the stakeholder's own fields.
    let keys_old = stakeholders.keys(&old.stakeholders);
    let mut needs = Vec::new();
    for (j, (key, item)) in stakeholders.keys(&new.stakeholders).iter().enumerate() {
        if let Some(i) = keys_old.iter().position(|(k, _)| k == key) {
            let mut mine = Vec::new();
            needs_diff(&old.stakeholders[i], &new.stakeholders[j], item, &mut mine);
            coverage_diff(
                (old, &old.stakeholders[i]),
                (new, &new.stakeholders[j]),
                item,
                &mut mine,
            );
            needs.push((item.key.clone(), mine));
        }
    }
    if needs.iter().any(|(_, v)| !v.is_empty()) {
        // Place each stakeholder's need changes after its other changes.
        let mut merged: Vec<Change> = out.drain(before..).collect();
        for (key, mine) in needs {
            let at = merged
                .iter()
                .rposition(|c| {
                    c.kind == Kind::Changed && c.item.as_ref().is_some_and(|i| i.key == key)
                })
                .map_or_else(
                    || {
                        merged
                            .iter()
                            .position(|c| c.kind != Kind::Changed)
                            .unwrap_or(merged.len())
                    },
                    |p| p + 1,
                );
            merged.splice(at..at, mine);
        }
        out.extend(merged);
    }
    record(
        "decision",
        old.decision.as_ref(),
        new.decision.as_ref(),
        decision_fields,
        &mut out,
    );
    List {
        section: "team",
        what: "team member",
        id: |x: &Member| id(&x.id),
        title: ("name", |x| text(&x.name)),
        person: |x| text(&x.name),
        fields: member_fields,
    }
    .diff(&old.team, &new.team, &mut out);
    List {
        section: "strategies",
        what: "strategy",
        id: |x: &Strategy| id(&x.id),
        title: ("title", |x| text(&x.title)),
        person: none,
        fields: strategy_fields,
    }
    .diff(&old.strategies, &new.strategies, &mut out);
    List {
        section: "actions",
        what: "action",
        id: |x: &Action| id(&x.id),
        title: ("title", |x| text(&x.title)),
        person: none,
        fields: action_fields,
    }
    .diff(&old.actions, &new.actions, &mut out);
    List {
        section: "milestones",
        what: "milestone",
        id: |x: &Milestone| id(&x.id),
        title: ("title", |x| text(&x.title)),
        person: none,
        fields: milestone_fields,
    }
    .diff(&old.milestones, &new.milestones, &mut out);
    List {
        section: "costs",
        what: "cost",
        id: none::<Cost>,
        title: ("item", |x| text(&x.item)),
        person: none,
        fields: cost_fields,
    }
    .diff(&old.costs, &new.costs, &mut out);
    List {
        section: "returns",
        what: "return",
        id: none::<Return>,
        title: ("item", |x| text(&x.item)),
        person: none,
        fields: return_fields,
    }
    .diff(&old.returns, &new.returns, &mut out);
    record(
        "review",
        old.review.as_ref(),
        new.review.as_ref(),
        review_fields,
        &mut out,
    );
    List {
        section: "scorecard",
        what: "scorecard criterion",
        id: none::<Criterion>,
        title: ("criterion", |x| text(&x.criterion)),
        person: none,
        fields: criterion_fields,
    }
    .diff(&old.scorecard, &new.scorecard, &mut out);
    scalar(
        "relative_strength",
        old.relative_strength.val(),
        new.relative_strength.val(),
        &mut out,
    );
    List {
        section: "kpis",
        what: "KPI",
        id: |x: &Kpi| id(&x.id),
        title: ("name", |x| text(&x.name)),
        person: none,
        fields: kpi_fields,
    }
    .diff(&old.kpis, &new.kpis, &mut out);
    List {
        section: "risks",
        what: "risk",
        id: none::<Risk>,
        title: ("title", |x| text(&x.title)),
        person: none,
        fields: risk_fields,
    }
    .diff(&old.risks, &new.risks, &mut out);
    List {
        section: "asks",
        what: "ask",
        id: none::<Ask>,
        title: ("what", |x| text(&x.what)),
        person: none,
        fields: ask_fields,
    }
    .diff(&old.asks, &new.asks, &mut out);
    List {
        section: "competitors",
        what: "competitor",
        id: none::<Competitor>,
        title: ("name", |x| text(&x.name)),
        person: none,
        fields: competitor_fields,
    }
    .diff(&old.competitors, &new.competitors, &mut out);
    List {
        section: "whitespace",
        what: "whitespace cell",
        id: none::<Whitespace>,
        title: ("unit", |x| {
            let (unit, offering) = (text(&x.unit)?, text(&x.offering)?);
            Some(format!("{unit} × {offering}"))
        }),
        person: none,
        fields: whitespace_fields,
    }
    .diff(&old.whitespace, &new.whitespace, &mut out);
    out
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Changes of the section-5 figures: total cost, expected return, ROI,
/// payback, scorecard, computed tier.
pub(crate) fn figures(old: &Figures, new: &Figures) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |field: &str, a: Option<Val>, b: Option<Val>| {
        if !same(a.as_ref(), b.as_ref()) {
            out.push(Change {
                section: "figures".into(),
                kind: Kind::Changed,
                item: None,
                field: Some(field.to_owned()),
                sub: None,
                old: a,
                new: b,
            });
        }
    };
    let money = |v: f64| Some(Val::Number(round2(v)));
    push("total_cost", money(old.total_cost), money(new.total_cost));
    push(
        "expected_return",
        money(old.expected_return),
        money(new.expected_return),
    );
    let ratio = |v: Option<f64>| v.map(|r| Val::Number((r * 10_000.0).round() / 10_000.0));
    push("roi", ratio(old.roi), ratio(new.roi));
    let period = |p: Option<Period>| p.map(|p| Val::Name(p.to_string()));
    push("payback", period(old.payback), period(new.payback));
    let score = |v: Option<f64>| v.map(Val::Number);
    push("scorecard", score(old.scorecard), score(new.scorecard));
    let tier = |t: Option<Tier>| t.map(|t| Val::Name(t.as_str().to_owned()));
    push(
        "computed_tier",
        tier(old.computed_tier),
        tier(new.computed_tier),
    );
    out
}

/// Changes of each objective's progress and status (§9.1), as computed for
/// the site: one change per figure that differs, for every objective with
/// an id in the new version (one new to the plan changes from nothing).
/// `plan` names the objectives.
pub(crate) fn objective_figures(old: &Figures, new: &Figures, plan: Option<&Plan>) -> Vec<Change> {
    let mut out = Vec::new();
    for f in &new.objectives {
        let Some(id) = &f.id else { continue };
        let before = old.objectives.iter().find(|o| o.id.as_ref() == Some(id));
        let name = plan.and_then(|p| {
            p.objectives
                .iter()
                .find(|o| o.id.as_ref().is_some_and(|i| i.value.as_str() == id))
                .and_then(|o| text(&o.title))
        });
        let item = Item {
            what: "objective".into(),
            key: id.clone(),
            by_id: true,
            name,
            person: false,
        };
        let progress = |f: Option<&crate::figures::ObjectiveFigures>| {
            f.and_then(|f| f.progress_ratio()).map(Val::Number)
        };
        let status = |f: Option<&crate::figures::ObjectiveFigures>| {
            f.map(|f| Val::Name(f.status.as_str().to_owned()))
        };
        for (field, a, b) in [
            ("progress", progress(before), progress(Some(f))),
            ("status", status(before), status(Some(f))),
        ] {
            if !same(a.as_ref(), b.as_ref()) {
                out.push(Change {
                    section: "figures".into(),
                    kind: Kind::Changed,
                    item: Some(item.clone()),
                    field: Some(field.to_owned()),
                    sub: None,
                    old: a,
                    new: b,
                });
            }
        }
    }
    out
}

/// Changes of the checklist: one per question whose status changed, then
/// the completeness.
pub(crate) fn checklist(old: &Checklist, new: &Checklist) -> Vec<Change> {
    let mut out = Vec::new();
    for ((q, a), (_, b)) in old.0.iter().zip(&new.0) {
        if a != b {
            out.push(Change {
                section: "checklist".into(),
                kind: Kind::Changed,
                item: None,
                field: Some(q.as_str().to_owned()),
                sub: None,
                old: Some(Val::Name(a.as_str().to_owned())),
                new: Some(Val::Name(b.as_str().to_owned())),
            });
        }
    }
    let (a, b) = (old.completeness(), new.completeness());
    if (a - b).abs() > 1e-9 {
        out.push(Change {
            section: "figures".into(),
            kind: Kind::Changed,
            item: None,
            field: Some("completeness".into()),
            sub: None,
            old: Some(Val::Number(round2(a))),
            new: Some(Val::Number(round2(b))),
        });
    }
    out
}

/// Visit records and narrative pages added, removed or edited.
pub(crate) fn files(old: &AccountFiles, new: &AccountFiles) -> Vec<Change> {
    let mut out = Vec::new();
    let name = |file: &str| file.rsplit('/').next().unwrap_or(file).to_owned();
    let mut compare = |section: &'static str,
                       what: &'static str,
                       a: Vec<(String, String, Option<String>)>,
                       b: Vec<(String, String, Option<String>)>| {
        let item = |key: &str, title: &Option<String>| Item {
            what: what.into(),
            key: key.to_owned(),
            by_id: true,
            person: false,
            name: title.clone(),
        };
        for (key, body, title) in &b {
            match a.iter().find(|(k, ..)| k == key) {
                Some((_, old_body, _)) if old_body == body => {}
                Some(_) => out.push(Change {
                    section: section.into(),
                    kind: Kind::Changed,
                    item: Some(item(key, title)),
                    field: None,
                    sub: None,
                    old: None,
                    new: None,
                }),
                None => out.push(Change {
                    section: section.into(),
                    kind: Kind::Added,
                    item: Some(item(key, title)),
                    field: None,
                    sub: None,
                    old: None,
                    new: None,
                }),
            }
        }
        for (key, _, title) in &a {
            if !b.iter().any(|(k, ..)| k == key) {
                out.push(Change {
                    section: section.into(),
                    kind: Kind::Removed,
                    item: Some(item(key, title)),
                    field: None,
                    sub: None,
                    old: None,
                    new: None,
                });
            }
        }
    };
    let visits = |f: &AccountFiles| {
        f.visits
            .iter()
            .map(|v| {
                let purpose = text(&v.meta.purpose);
                (
                    name(&v.file),
                    format!("{:?}{}", v.meta.date.as_ref().map(|d| d.value), v.body),
                    purpose,
                )
            })
            .collect::<Vec<_>>()
    };
    compare("visits", "visit", visits(old), visits(new));
    let pages = |f: &AccountFiles| {
        f.pages
            .iter()
            .map(|p| (name(&p.file), p.body.clone(), text(&p.meta.title)))
            .collect::<Vec<_>>()
    };
    compare("pages", "page", pages(old), pages(new));
    // A page shared with the customer, or no longer: it changes what the
    // customer's site shows.
    let shared = |p: &crate::model::Page| p.meta.shared.as_ref().is_some_and(|s| s.value);
    for page in &new.pages {
        let before = old.pages.iter().find(|p| p.file == page.file);
        if let Some(before) = before.filter(|b| shared(b) != shared(page)) {
            out.push(Change {
                section: "pages".into(),
                kind: Kind::Changed,
                item: Some(Item {
                    what: "page".into(),
                    key: name(&page.file),
                    by_id: true,
                    person: false,
                    name: text(&page.meta.title),
                }),
                field: Some("shared".into()),
                sub: None,
                old: Some(Val::Flag(shared(before))),
                new: Some(Val::Flag(shared(page))),
            });
        }
    }
    out
}

/// One version of an account, as compared.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Version<'a> {
    /// Its files (the plan, visits and pages).
    pub(crate) files: &'a AccountFiles,
    /// Its figures; `None` when the plan could not be read.
    pub(crate) figures: Option<&'a Figures>,
    /// Its checklist.
    pub(crate) checklist: &'a Checklist,
}

impl Version<'_> {
    /// The version an account's report holds.
    pub(crate) fn of(report: &AccountReport) -> Version<'_> {
        Version {
            files: &report.files,
            figures: report.figures.as_ref(),
            checklist: &report.checklist,
        }
    }
}

/// Every change between two versions of an account: the plan's, then the
/// figures', then the checklist's, then (with `with_files`) visit records
/// and pages.
pub(crate) fn account(old: Version<'_>, new: Version<'_>, with_files: bool) -> Vec<Change> {
    let mut out = match (&old.files.plan, &new.files.plan) {
        (Some(a), Some(b)) => plans(a, b),
        _ => Vec::new(),
    };
    let empty = Figures::default();
    let (old_figures, new_figures) = (old.figures.unwrap_or(&empty), new.figures.unwrap_or(&empty));
    let mut figs = figures(old_figures, new_figures);
    figs.extend(objective_figures(
        old_figures,
        new_figures,
        new.files.plan.as_ref(),
    ));
    let mut checks = checklist(old.checklist, new.checklist);
    // Completeness belongs with the figures.
    figs.extend(checks.iter().filter(|c| c.section == "figures").cloned());
    checks.retain(|c| c.section == "checklist");
    out.extend(figs);
    out.extend(checks);
    if with_files {
        out.extend(files(old.files, new.files));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Sink;

    fn plan(yaml: &str) -> Plan {
        let mut sink = Sink::new("t", "plan.yaml");
        let plan = crate::load::parse_plan(yaml, &mut sink).expect("parses");
        assert!(sink.diagnostics.is_empty(), "{:?}", sink.diagnostics);
        plan
    }

    fn lines(a: &str, b: &str) -> Vec<String> {
        plans(&plan(a), &plan(b)).iter().map(Change::text).collect()
    }

    #[test]
    fn changed_fields_read_in_the_plans_terms() {
        let a = "objectives:\n  - {id: grow-5g, title: Grow, target: 18000000}\nstakeholders:\n  - {id: li-ming, name: 李明, attitude: neutral}\nactions:\n  - {id: cto-workshop, status: planned, stakeholders: [li-ming]}\n";
        let b = "objectives:\n  - {id: grow-5g, title: Grow, target: 20000000}\nstakeholders:\n  - {id: li-ming, name: 李明, attitude: supporter}\nactions:\n  - {id: cto-workshop, status: done, stakeholders: [li-ming, wang-gang]}\n";
        assert_eq!(
            lines(a, b),
            [
                "objective `grow-5g` target 18,000,000 → 20,000,000",
                "stakeholder 李明 attitude neutral → supporter",
                "action `cto-workshop` stakeholders +wang-gang",
                "action `cto-workshop` status planned → done",
            ]
        );
    }

    #[test]
    fn items_are_matched_by_id_then_by_title() {
        let a = "stakeholders:\n  - {id: li-ming, name: 李明}\nrisks:\n  - {title: Free pilot, impact: 3}\n  - {title: Price war}\n";
        let b = "stakeholders:\n  - {id: li-ming, name: 李明}\n  - {id: wang-gang, name: 王刚}\nrisks:\n  - {title: Free pilot, impact: 4}\n";
        assert_eq!(
            lines(a, b),
            [
                "new stakeholder 王刚",
                "risk Free pilot impact 3 → 4",
                "risk removed: Price war",
            ]
        );
        // A renamed title is a different risk; a renamed objective title is a change.
        let a = "objectives:\n  - {id: o, title: Old}\n";
        let b = "objectives:\n  - {id: o, title: New}\n";
        assert_eq!(lines(a, b), ["objective `o` title “Old” → “New”"]);
    }

    #[test]
    fn sharing_with_the_customer_is_said_in_words() {
        let a = "objectives:\n  - {id: o, title: Grow}\nkpis:\n  - {id: k, shared: true}\n";
        let b = "objectives:\n  - {id: o, title: Grow, shared: true}\nkpis:\n  - {id: k, shared: false}\n";
        assert_eq!(
            lines(a, b),
            [
                "objective `o`: Grow now shared with the customer",
                "KPI `k` no longer shared with the customer",
            ]
        );
    }

    #[test]
    fn every_section_of_the_format_is_compared() {
        let a = "account: {name: A, owner: z, stage: basic}\ncurrency: CNY\nperiod: {start: 2026-01-01, end: 2026-12-31}\ndecision: {type: consensus}\nteam:\n  - {id: z, name: 张伟, role: account-manager}\nstrategies:\n  - {id: s, resources: [Lab]}\nmilestones:\n  - {id: m, done: false}\ncosts:\n  - {item: Pilot, amount: 800000}\nreturns:\n  - {item: A, amount: 100, probability: 0.5}\nreview: {last_reviewed: 2026-02-01}\nscorecard:\n  - {criterion: Size, weight: 5, score: 6}\nrelative_strength: 6\nkpis:\n  - {id: k, target: 100}\nasks:\n  - {what: Budget, by: 2026-08-25}\ncompetitors:\n  - {name: Rival, position: incumbent}\n";
        let b = "account: {name: A, owner: z, stage: cooperative}\ncurrency: USD\nperiod: {start: 2026-01-01, end: 2027-03-31}\ndecision: {type: consultative}\nteam:\n  - {id: z, name: 张伟, role: executive-sponsor}\nstrategies:\n  - {id: s, resources: [Lab, Demo]}\nmilestones:\n  - {id: m, done: true}\ncosts:\n  - {item: Pilot, amount: 830000}\nreturns:\n  - {item: A, amount: 100, probability: 0.6}\nreview: {last_reviewed: 2026-05-01}\nscorecard:\n  - {criterion: Size, weight: 5, score: 7}\nrelative_strength: 7\nkpis:\n  - {id: k, target: 120}\nasks:\n  - {what: Budget, by: 2026-09-01}\ncompetitors:\n  - {name: Rival, position: challenger}\n";
        assert_eq!(
            lines(a, b),
            [
                "account stage basic → cooperative",
                "currency CNY → USD",
                "period end 2026-12-31 → 2027-03-31",
                "decision type consensus → consultative",
                "team member 张伟 role account-manager → executive-sponsor",
                "strategy `s` resources +Demo",
                "milestone `m` done false → true",
                "cost Pilot amount 800,000 → 830,000",
                "return A probability 0.5 → 0.6",
                "review last_reviewed 2026-02-01 → 2026-05-01",
                "scorecard criterion Size score 6 → 7",
                "relative strength 6 → 7",
                "KPI `k` target 100 → 120",
                "ask Budget by 2026-08-25 → 2026-09-01",
                "competitor Rival position “incumbent” → “challenger”",
            ]
        );
    }

    #[test]
    fn needs_are_compared_and_private_notes_never_appear() {
        let a = "stakeholders:\n  - id: li-ming\n    name: 李明\n    needs:\n      - {need: Less downtime, explicit: false}\n    private: {birthday: 1975-06-02}\n";
        let b = "stakeholders:\n  - id: li-ming\n    name: 李明\n    needs:\n      - {need: Less downtime, explicit: true}\n      - {need: Promotion}\n    private: {birthday: 1976-01-01, hobbies: [golf]}\n";
        let changes = plans(&plan(a), &plan(b));
        assert_eq!(
            changes.iter().map(Change::text).collect::<Vec<_>>(),
            [
                "stakeholder 李明 need “Less downtime” explicit false → true",
                "stakeholder 李明 need added: Promotion",
            ]
        );
        let json = serde_json::to_string(&changes).unwrap();
        assert!(!json.contains("1976") && !json.contains("golf"), "{json}");
    }

    #[test]
    fn coverage_and_whitespace_read_in_the_plans_terms() {
        let team = "team:\n  - {id: zhang-wei, name: 张伟}\n  - {id: chen-jie, name: 陈洁}\n";
        let a = format!(
            "{team}stakeholders:\n  - id: li-ming\n    name: 李明\n    coverage:\n      - {{by: zhang-wei, level: favorable}}\n      - {{by: chen-jie, level: aware}}\nwhitespace:\n  - {{unit: Enterprise, offering: 5G, status: gap, potential: 9000000}}\n"
        );
        let b = format!(
            "{team}stakeholders:\n  - id: li-ming\n    name: 李明\n    coverage:\n      - {{by: zhang-wei, level: trusted, target: allied}}\nwhitespace:\n  - {{unit: Enterprise, offering: 5G, status: pipeline, potential: 9000000}}\n  - {{unit: Retail, offering: SD-WAN, status: owned, current: 1200000}}\n"
        );
        let changes = plans(&plan(&a), &plan(&b));
        assert_eq!(
            changes.iter().map(Change::text).collect::<Vec<_>>(),
            [
                "coverage of 李明 by 张伟 favorable → trusted",
                "coverage target of 李明 by 张伟 — → allied",
                "coverage of 李明 by 陈洁 removed",
                "whitespace Enterprise × 5G status gap → pipeline",
                "new whitespace Retail × SD-WAN",
            ]
        );
        let zh = changes[0].render(&Plain::of(crate::config::Language::ZhCn));
        assert_eq!(zh, "张伟与李明的关系：favorable → trusted");
    }

    #[test]
    fn figures_show_the_difference_and_roi_as_a_percentage() {
        let old = Figures {
            total_cost: 800_000.0,
            expected_return: 3_000_000.0,
            roi: Some(2.75),
            ..Figures::default()
        };
        let new = Figures {
            expected_return: 1_800_000.0,
            roi: Some(1.25),
            ..old.clone()
        };
        assert_eq!(
            figures(&old, &new)
                .iter()
                .map(Change::text)
                .collect::<Vec<_>>(),
            [
                "expected return −1,200,000 (3,000,000 → 1,800,000)",
                "ROI 275% → 125%"
            ]
        );
    }
}
