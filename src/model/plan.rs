//! The records of `plan.yaml`, narrative pages and visit records.

use super::{Date, Id, Money, Period, Private, Probability, Rated, Sp, name_enum, record};
use std::collections::BTreeMap;

name_enum! {
    /// The stage of the key-account relationship.
    pub enum Stage("relationship stage") {
        /// 前导: first contacts.
        Exploratory = "exploratory",
        /// 初期: transactional supplier.
        Basic = "basic",
        /// 中期: several contacts on both sides.
        Cooperative = "cooperative",
        /// 伙伴: preferred partner.
        Interdependent = "interdependent",
        /// 协同: joint value creation.
        Integrated = "integrated",
        /// The relationship is breaking down.
        Disintegrating = "disintegrating",
    }
}

name_enum! {
    /// The account's attractiveness tier.
    pub enum Tier("tier") {
        /// The most attractive accounts.
        Platinum = "platinum",
        /// Attractive accounts.
        Gold = "gold",
        /// The rest.
        Silver = "silver",
    }
}

name_enum! {
    /// Where the account stands in its lifecycle.
    pub enum AccountStatus("account status") {
        /// Not yet a customer: being developed.
        Prospect = "prospect",
        /// A customer (the default).
        Active = "active",
        /// Lost to us: counts as churn.
        Lost = "lost",
    }
}

name_enum! {
    /// A stakeholder's role in the buying centre.
    pub enum BuyerRole("stakeholder role") {
        /// Signs off the money: the decision maker.
        EconomicBuyer = "economic-buyer",
        /// Judges the technical fit.
        TechnicalBuyer = "technical-buyer",
        /// Uses what is bought.
        UserBuyer = "user-buyer",
        /// Guides us inside the account.
        Coach = "coach",
        /// Controls access.
        Gatekeeper = "gatekeeper",
        /// Sways the decision.
        Influencer = "influencer",
    }
}

name_enum! {
    /// A stakeholder's attitude to us.
    pub enum Attitude("attitude") {
        /// Sells for us inside the account.
        Champion = "champion",
        /// Favourable.
        Supporter = "supporter",
        /// Undecided.
        Neutral = "neutral",
        /// Doubtful.
        Skeptic = "skeptic",
        /// Works against us.
        Opponent = "opponent",
    }
}

name_enum! {
    /// A stakeholder's social style.
    pub enum Style("social style") {
        /// Wants facts and detail.
        Analytical = "analytical",
        /// Wants results, fast.
        Driver = "driver",
        /// Wants relationships and safety.
        Amiable = "amiable",
        /// Wants vision and recognition.
        Expressive = "expressive",
    }
}

name_enum! {
    /// Whose need it is.
    pub enum NeedKind("need kind") {
        /// The organisation's need.
        Organizational = "organizational",
        /// The person's own need.
        Personal = "personal",
    }
}

name_enum! {
    /// How the account decides.
    pub enum DecisionType("decision type") {
        /// One person decides.
        Authoritative = "authoritative",
        /// One person decides after consulting others.
        Consultative = "consultative",
        /// The group decides together.
        Consensus = "consensus",
    }
}

name_enum! {
    /// A team member's role on our side.
    pub enum TeamRole("team role") {
        /// Owns the account.
        AccountManager = "account-manager",
        /// Senior executive backing the account.
        ExecutiveSponsor = "executive-sponsor",
        /// Product or solution specialist.
        Specialist = "specialist",
        /// Service, delivery or back office.
        Support = "support",
        /// A partner company's person.
        Partner = "partner",
    }
}

name_enum! {
    /// Where an action stands.
    pub enum Status("action status") {
        /// Not started.
        Planned = "planned",
        /// Under way.
        InProgress = "in-progress",
        /// Finished.
        Done = "done",
        /// Stuck.
        Blocked = "blocked",
        /// Abandoned on purpose.
        Dropped = "dropped",
    }
}

impl Member {
    /// The member as pages that only name people need them: id, name and
    /// role.
    pub fn named(&self) -> Member {
        Member {
            id: self.id.clone(),
            name: self.name.clone(),
            role: self.role.clone(),
            ..Member::default()
        }
    }
}

impl Action {
    /// Its status, `planned` when not given.
    pub fn status_or_planned(&self) -> Status {
        self.status.as_ref().map_or(Status::Planned, |s| s.value)
    }

    /// Still to be done and due before `today`.
    pub fn overdue(&self, today: Date) -> bool {
        overdue(
            self.status_or_planned(),
            self.due.as_ref().map(|d| d.value),
            today,
        )
    }
}

/// Whether an action in `status` due on `due` is overdue on `today`: still
/// to be done and due before.
fn overdue(status: Status, due: Option<Date>, today: Date) -> bool {
    status.is_open() && due.is_some_and(|d| d < today)
}

/// The text of `v`, without where it was written, in a box its size.
fn boxed(v: &Option<Sp<impl AsRef<str>>>) -> Option<Box<str>> {
    v.as_ref().map(|t| Box::from(t.value.as_ref()))
}

/// A visit record as the pages about all accounts read it (people's pages,
/// the revisit rate): its front matter without outcome and next steps, nor
/// where it was written. A build keeps these of every account.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitFacts {
    /// Date of the contact.
    pub date: Option<Date>,
    /// Kind of contact.
    pub kind: Option<VisitKind>,
    /// Venue.
    pub r#where: Option<Box<str>>,
    /// Why we met.
    pub purpose: Option<Box<str>>,
    /// Team and stakeholder ids present.
    pub attendees: Box<[Id]>,
}

impl VisitFacts {
    /// The facts of visit record `v`.
    pub fn of(v: &Visit) -> VisitFacts {
        VisitFacts {
            date: v.meta.date.as_ref().map(|d| d.value),
            kind: v.meta.kind.as_ref().map(|k| k.value),
            r#where: boxed(&v.meta.r#where),
            purpose: boxed(&v.meta.purpose),
            attendees: v.meta.attendees.iter().map(|a| a.value.clone()).collect(),
        }
    }
}

/// An action as the pages about all accounts read it (calendar, people,
/// `actions.csv`): its values without where they were written, nor the
/// objectives and stakeholders it serves. A build keeps these of every
/// account, so they are small.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionLine {
    /// Its id.
    pub id: Option<Box<str>>,
    /// The step in one line.
    pub title: Option<Box<str>>,
    /// The strategy id it belongs to.
    pub strategy: Option<Box<str>>,
    /// The team id responsible.
    pub owner: Option<Id>,
    /// Start date.
    pub start: Option<Date>,
    /// Due date.
    pub due: Option<Date>,
    /// Venue.
    pub r#where: Option<Box<str>>,
    /// Its status, `planned` when not given.
    pub status: Status,
    /// Cost of the step.
    pub cost: Option<f64>,
}

impl ActionLine {
    /// The line of action `x`.
    pub fn of(x: &Action) -> ActionLine {
        ActionLine {
            id: boxed(&x.id),
            title: boxed(&x.title),
            strategy: boxed(&x.strategy),
            owner: x.owner.as_ref().map(|o| o.value.clone()),
            start: x.start.as_ref().map(|d| d.value),
            due: x.due.as_ref().map(|d| d.value),
            r#where: boxed(&x.r#where),
            status: x.status_or_planned(),
            cost: x.cost.as_ref().map(|c| c.value.0),
        }
    }

    /// Still to be done and due before `today`.
    pub fn overdue(&self, today: Date) -> bool {
        overdue(self.status, self.due, today)
    }
}

impl Status {
    /// Planned, in progress or blocked: still to be done.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Planned | Status::InProgress | Status::Blocked)
    }
}

name_enum! {
    /// What a cost is spent on.
    pub enum CostCategory("cost category") {
        /// Our people's time.
        People = "people",
        /// Travel.
        Travel = "travel",
        /// Marketing and events.
        Marketing = "marketing",
        /// Price concessions.
        Discount = "discount",
        /// Pilots and proofs of concept.
        Pilot = "pilot",
        /// Service and support.
        Service = "service",
        /// Anything else.
        Other = "other",
    }
}

name_enum! {
    /// The group of a scorecard criterion.
    pub enum CriterionGroup("criterion group") {
        /// Market attractiveness.
        Market = "market",
        /// Financial attractiveness.
        Finance = "finance",
        /// Relationship quality.
        Relationship = "relationship",
        /// Strategic fit.
        Strategic = "strategic",
    }
}

name_enum! {
    /// Which direction of a KPI's or an objective's metric is good.
    pub enum Better("direction") {
        /// More is better.
        Higher = "higher",
        /// Less is better.
        Lower = "lower",
    }
}

name_enum! {
    /// The checklist section a narrative page belongs to.
    pub enum Section("section") {
        /// 为什么要做.
        Why = "why",
        /// 对谁做.
        Who = "who",
        /// 谁来做.
        ByWhom = "by-whom",
        /// 怎么做.
        How = "how",
        /// 何时何地做.
        WhenWhere = "when-where",
        /// 多大投入、有多少产出.
        CostReturn = "cost-return",
        /// Anything else.
        Other = "other",
    }
}

name_enum! {
    /// The kind of contact a visit record describes.
    pub enum VisitKind("visit kind") {
        /// A visit in person.
        Visit = "visit",
        /// A phone or video call.
        Call = "call",
        /// Hosting the customer.
        Reception = "reception",
        /// An event.
        Event = "event",
        /// An email exchange.
        Email = "email",
    }
}

name_enum! {
    /// How deep a relationship between one of our people and a stakeholder
    /// goes: 认识 → 好感 → 信赖 → 同盟.
    pub enum CoverageLevel("coverage level") {
        /// 认识: they know each other.
        Aware = "aware",
        /// 好感: they like dealing with each other.
        Favorable = "favorable",
        /// 信赖: the stakeholder trusts our person's word.
        Trusted = "trusted",
        /// 同盟: they pursue a shared agenda.
        Allied = "allied",
    }
}

name_enum! {
    /// Where we stand with one offering in one unit of the customer.
    pub enum WhitespaceStatus("whitespace status") {
        /// We sell it there now.
        Owned = "owned",
        /// A deal for it is in the pipeline.
        Pipeline = "pipeline",
        /// Nobody sells it there yet: open to us.
        Gap = "gap",
        /// A competitor sells it there.
        Competitor = "competitor",
        /// The unit has no use for it.
        NotApplicable = "not-applicable",
    }
}

impl WhitespaceStatus {
    /// Gap, pipeline or competitor: revenue still to win.
    pub fn is_untapped(self) -> bool {
        matches!(
            self,
            WhitespaceStatus::Gap | WhitespaceStatus::Pipeline | WhitespaceStatus::Competitor
        )
    }
}

record! {
    /// A key-account plan: the content of `plan.yaml`.
    pub struct Plan("a plan" / "计划") {
        /// The account itself.
        #[schemars(required)]
        pub account: Option<Account>,
        /// ISO 4217 currency of every amount (default: kaplan.toml's `currency`).
        pub currency: Option<Sp<String>>,
        /// The plan's horizon.
        #[schemars(required)]
        pub period: Option<PlanPeriod>,
        /// Executive summary, Markdown.
        pub summary: Option<Sp<String>>,
        /// WHY: the goals, and the problem each one solves.
        #[serde(default)]
        pub objectives: Vec<Objective>,
        /// WHO: the buying centre.
        #[serde(default)]
        pub stakeholders: Vec<Stakeholder>,
        /// How the account decides.
        pub decision: Option<Decision>,
        /// BY WHOM: our people.
        #[serde(default)]
        pub team: Vec<Member>,
        /// HOW: strategies and their resources.
        #[serde(default)]
        pub strategies: Vec<Strategy>,
        /// HOW, BY WHOM, WHEN and WHERE for each step.
        #[serde(default)]
        pub actions: Vec<Action>,
        /// WHEN and WHERE: timing windows and venues.
        #[serde(default)]
        pub milestones: Vec<Milestone>,
        /// COST: what we put in.
        #[serde(default)]
        pub costs: Vec<Cost>,
        /// RETURN: what we expect back.
        #[serde(default)]
        pub returns: Vec<Return>,
        /// When the numbers were last challenged.
        pub review: Option<Review>,
        /// Weighted selection criteria: how attractive the account is.
        #[serde(default)]
        pub scorecard: Vec<Criterion>,
        /// Our position against competitors at this account, 0..10.
        pub relative_strength: Option<Sp<Rated<0, 10>>>,
        /// Key performance indicators.
        #[serde(default)]
        pub kpis: Vec<Kpi>,
        /// Risks and their mitigation.
        #[serde(default)]
        pub risks: Vec<Risk>,
        /// What the team needs from management.
        #[serde(default)]
        pub asks: Vec<Ask>,
        /// Competitors at the account.
        #[serde(default)]
        pub competitors: Vec<Competitor>,
        /// Where the account buys, and could buy, what we offer: its units × our offerings.
        #[serde(default)]
        pub whitespace: Vec<Whitespace>,
    }
}

record! {
    /// The account.
    pub struct Account("the account" / "客户信息（account）") {
        /// The customer's name.
        #[schemars(required)]
        pub name: Option<Sp<String>>,
        /// Industry.
        pub industry: Option<Sp<String>>,
        /// Region.
        pub region: Option<Sp<String>>,
        /// The key account manager: a team id.
        #[schemars(required)]
        pub owner: Option<Sp<Id>>,
        /// Declared tier.
        pub tier: Option<Sp<Tier>>,
        /// Relationship stage.
        pub stage: Option<Sp<Stage>>,
        /// Customer since.
        pub since: Option<Sp<Date>>,
        /// Lifecycle: `prospect`, `active` (the default) or `lost`.
        pub status: Option<Sp<AccountStatus>>,
        /// Why the account was lost (when `status: lost`).
        pub lost_reason: Option<Sp<String>>,
    }
}

record! {
    /// The plan's horizon.
    pub struct PlanPeriod("a period with `start` and `end`" / "带 `start` 和 `end` 的计划期") {
        /// First day.
        #[schemars(required)]
        pub start: Option<Sp<Date>>,
        /// Last day.
        #[schemars(required)]
        pub end: Option<Sp<Date>>,
    }
}

record! {
    /// A goal: what we want from the account, and why.
    pub struct Objective("an objective" / "目标") {
        /// Unique id, referenced by strategies, actions, milestones and returns.
        #[schemars(required)]
        pub id: Option<Sp<Id>>,
        /// The goal in one line.
        pub title: Option<Sp<String>>,
        /// The customer's problem this goal solves.
        pub why: Option<Sp<String>>,
        /// What is measured.
        pub metric: Option<Sp<String>>,
        /// Unit of the metric.
        pub unit: Option<Sp<String>>,
        /// Value at the start.
        pub baseline: Option<Sp<f64>>,
        /// Value to reach.
        pub target: Option<Sp<f64>>,
        /// Value reached so far.
        pub actual: Option<Sp<f64>>,
        /// Deadline.
        pub due: Option<Sp<Date>>,
        /// Which direction of the metric is good: `higher` or `lower` (default `lower` when `baseline` is given and `target` is below it, else `higher`). A target on the worse side of the baseline is a level to hold: `better: higher`, baseline 96, target 90 means stay at or above 90.
        pub better: Option<Sp<Better>>,
        /// Shared with the customer: in the joint plan that `kaplan build --audience customer` makes.
        pub shared: Option<Sp<bool>>,
    }
}

record! {
    /// A person in the buying centre.
    pub struct Stakeholder("a stakeholder" / "关键人物") {
        /// Unique id.
        #[schemars(required)]
        pub id: Option<Sp<Id>>,
        /// Name.
        pub name: Option<Sp<String>>,
        /// Job title.
        pub title: Option<Sp<String>>,
        /// Department.
        pub department: Option<Sp<String>>,
        /// Role in the buying centre.
        pub role: Option<Sp<BuyerRole>>,
        /// Influence on the decision, 1..5.
        pub influence: Option<Sp<Rated<1, 5>>>,
        /// Attitude to us.
        pub attitude: Option<Sp<Attitude>>,
        /// Social style.
        pub style: Option<Sp<Style>>,
        /// The stakeholder id of their manager.
        pub reports_to: Option<Sp<Id>>,
        /// Last contact (visits also count).
        pub last_contact: Option<Sp<Date>>,
        /// What they need.
        #[serde(default)]
        pub needs: Vec<Need>,
        /// Who on our side holds the relationship, and how deep it is.
        #[serde(default)]
        pub coverage: Vec<Coverage>,
        /// Personal notes: never published unless `--include-private`.
        pub private: Option<Private>,
    }
}

record! {
    /// A need of a stakeholder.
    pub struct Need("a need" / "需求") {
        /// The need in their words.
        #[schemars(required)]
        pub need: Option<Sp<String>>,
        /// The organisation's or the person's.
        pub kind: Option<Sp<NeedKind>>,
        /// Stated by the customer (`false`: implied, not yet stated).
        pub explicit: Option<Sp<bool>>,
    }
}

record! {
    /// One of our people's relationship with a stakeholder.
    pub struct Coverage("a coverage entry" / "关系覆盖") {
        /// The team id of our person who holds the relationship.
        #[schemars(required)]
        pub by: Option<Sp<Id>>,
        /// How deep the relationship is now.
        #[schemars(required)]
        pub level: Option<Sp<CoverageLevel>>,
        /// The level the plan aims for.
        pub target: Option<Sp<CoverageLevel>>,
    }
}

record! {
    /// How the account decides.
    pub struct Decision("the decision process" / "决策流程") {
        /// Decision type.
        #[serde(rename = "type")]
        pub r#type: Option<Sp<DecisionType>>,
        /// Notes on the process.
        pub notes: Option<Sp<String>>,
    }
}

record! {
    /// One of our people.
    pub struct Member("a team member" / "团队成员") {
        /// Unique id, referenced as owner.
        #[schemars(required)]
        pub id: Option<Sp<Id>>,
        /// Name.
        pub name: Option<Sp<String>>,
        /// Role on the account.
        pub role: Option<Sp<TeamRole>>,
        /// What they are responsible for.
        #[serde(default)]
        pub responsibilities: Vec<Sp<String>>,
        /// What they may decide alone.
        pub authority: Option<Sp<String>>,
    }
}

record! {
    /// A strategy and the resources behind it.
    pub struct Strategy("a strategy" / "策略") {
        /// Unique id, referenced by actions.
        #[schemars(required)]
        pub id: Option<Sp<Id>>,
        /// The strategy in one line.
        pub title: Option<Sp<String>>,
        /// Objective ids it serves.
        #[serde(default)]
        pub objectives: Vec<Sp<Id>>,
        /// Resources committed.
        #[serde(default)]
        pub resources: Vec<Sp<String>>,
    }
}

record! {
    /// One step: what, by whom, when and where.
    pub struct Action("an action" / "行动") {
        /// Unique id.
        #[schemars(required)]
        pub id: Option<Sp<Id>>,
        /// The step in one line.
        pub title: Option<Sp<String>>,
        /// The strategy id it belongs to.
        pub strategy: Option<Sp<Id>>,
        /// Objective ids it serves.
        #[serde(default)]
        pub objectives: Vec<Sp<Id>>,
        /// The team id responsible.
        pub owner: Option<Sp<Id>>,
        /// Stakeholder ids it targets.
        #[serde(default)]
        pub stakeholders: Vec<Sp<Id>>,
        /// Start date.
        pub start: Option<Sp<Date>>,
        /// Due date.
        pub due: Option<Sp<Date>>,
        /// Venue.
        pub r#where: Option<Sp<String>>,
        /// Status (default `planned`).
        pub status: Option<Sp<Status>>,
        /// Cost of the step.
        pub cost: Option<Sp<Money>>,
        /// Shared with the customer: in the joint plan that `kaplan build --audience customer` makes.
        pub shared: Option<Sp<bool>>,
    }
}

record! {
    /// A timing window or event.
    pub struct Milestone("a milestone" / "里程碑") {
        /// Unique id.
        #[schemars(required)]
        pub id: Option<Sp<Id>>,
        /// What happens.
        pub title: Option<Sp<String>>,
        /// When.
        pub date: Option<Sp<Date>>,
        /// Where.
        pub r#where: Option<Sp<String>>,
        /// Objective ids it matters to.
        #[serde(default)]
        pub objectives: Vec<Sp<Id>>,
        /// Passed.
        pub done: Option<Sp<bool>>,
        /// Shared with the customer: in the joint plan that `kaplan build --audience customer` makes.
        pub shared: Option<Sp<bool>>,
    }
}

record! {
    /// Money we put in.
    pub struct Cost("a cost" / "投入项") {
        /// What it is.
        pub item: Option<Sp<String>>,
        /// Category.
        pub category: Option<Sp<CostCategory>>,
        /// Amount in the plan's currency.
        pub amount: Option<Sp<Money>>,
        /// Money spent on it so far (service-cost control compares it with `amount`).
        pub actual: Option<Sp<Money>>,
        /// When it is spent.
        pub period: Option<Sp<Period>>,
    }
}

record! {
    /// Money we expect back.
    pub struct Return("a return" / "回报项") {
        /// What it is.
        pub item: Option<Sp<String>>,
        /// The objective id it comes from.
        pub objective: Option<Sp<Id>>,
        /// Amount in the plan's currency.
        pub amount: Option<Sp<Money>>,
        /// Likelihood, 0..1 (default 1).
        pub probability: Option<Sp<Probability>>,
        /// When it comes in.
        pub period: Option<Sp<Period>>,
    }
}

record! {
    /// The last review of the plan's numbers.
    pub struct Review("the review" / "复盘信息") {
        /// Date of the last review.
        pub last_reviewed: Option<Sp<Date>>,
        /// The team id of the reviewer.
        pub by: Option<Sp<Id>>,
        /// What changed.
        pub notes: Option<Sp<String>>,
    }
}

record! {
    /// A weighted selection criterion.
    pub struct Criterion("a scorecard criterion" / "评分项") {
        /// The criterion.
        #[schemars(required)]
        pub criterion: Option<Sp<String>>,
        /// Group.
        pub group: Option<Sp<CriterionGroup>>,
        /// Weight, 1..10.
        #[schemars(required)]
        pub weight: Option<Sp<Rated<1, 10>>>,
        /// Score, 0..10.
        #[schemars(required)]
        pub score: Option<Sp<Rated<0, 10>>>,
    }
}

record! {
    /// A key performance indicator.
    pub struct Kpi("a KPI" / "关键绩效指标") {
        /// Unique id.
        #[schemars(required)]
        pub id: Option<Sp<Id>>,
        /// Name.
        pub name: Option<Sp<String>>,
        /// Unit.
        pub unit: Option<Sp<String>>,
        /// Target value.
        pub target: Option<Sp<f64>>,
        /// Actual value.
        pub actual: Option<Sp<f64>>,
        /// Period measured.
        pub period: Option<Sp<Period>>,
        /// Which direction is good (default `higher`).
        pub better: Option<Sp<Better>>,
        /// Shared with the customer: in the joint plan that `kaplan build --audience customer` makes.
        pub shared: Option<Sp<bool>>,
    }
}

record! {
    /// A risk to the plan.
    pub struct Risk("a risk" / "风险") {
        /// The risk.
        pub title: Option<Sp<String>>,
        /// Likelihood, 1..5.
        pub likelihood: Option<Sp<Rated<1, 5>>>,
        /// Impact, 1..5.
        pub impact: Option<Sp<Rated<1, 5>>>,
        /// What we do about it.
        pub mitigation: Option<Sp<String>>,
        /// The team id who watches it.
        pub owner: Option<Sp<Id>>,
    }
}

record! {
    /// Something the team needs from management.
    pub struct Ask("an ask" / "支持请求") {
        /// The team id asked (usually the executive sponsor).
        pub of: Option<Sp<Id>>,
        /// What is needed.
        pub what: Option<Sp<String>>,
        /// By when.
        pub by: Option<Sp<Date>>,
    }
}

record! {
    /// A competitor at the account.
    pub struct Competitor("a competitor" / "竞争对手") {
        /// Name.
        pub name: Option<Sp<String>>,
        /// Their position at the account.
        pub position: Option<Sp<String>>,
    }
}

record! {
    /// One offering in one unit of the customer: a cell of the whitespace grid.
    pub struct Whitespace("a whitespace cell" / "白区格") {
        /// A business unit, site or department of the customer.
        #[schemars(required)]
        pub unit: Option<Sp<String>>,
        /// One of our offerings.
        #[schemars(required)]
        pub offering: Option<Sp<String>>,
        /// Where we stand there (required).
        pub status: Option<Sp<WhitespaceStatus>>,
        /// Annual revenue we have there now.
        pub current: Option<Sp<Money>>,
        /// Annual revenue open to us there.
        pub potential: Option<Sp<Money>>,
        /// Who holds it, when the status is `competitor`.
        pub holder: Option<Sp<String>>,
    }
}

record! {
    /// The content of `people.yaml`: the department's people.
    pub struct People("the people file" / "人员文件") {
        /// Every person of the department.
        #[serde(default)]
        pub people: Vec<Person>,
    }
}

record! {
    /// A person of the department, referenced by plans' team ids.
    pub struct Person("a person" / "人员") {
        /// Unique id: the id plans' `team` entries use.
        #[schemars(required)]
        pub id: Option<Sp<Id>>,
        /// Name (a team entry with this id may omit its own).
        pub name: Option<Sp<String>>,
        /// Job title.
        pub title: Option<Sp<String>>,
        /// The person id of their manager.
        pub manager: Option<Sp<Id>>,
        /// E-mail address.
        pub email: Option<Sp<String>>,
    }
}

record! {
    /// The front matter of a narrative page.
    pub struct PageMeta("front matter" / "前置元数据") {
        /// Page title (default: the first heading, else the file name).
        pub title: Option<Sp<String>>,
        /// Checklist section the page belongs to (default `other`).
        pub section: Option<Sp<Section>>,
        /// Position within the section.
        pub order: Option<Sp<f64>>,
        /// Shared with the customer: in the joint plan that `kaplan build --audience customer` makes.
        pub shared: Option<Sp<bool>>,
    }
}

record! {
    /// The front matter of a visit record.
    pub struct VisitMeta("front matter" / "前置元数据") {
        /// Date of the contact.
        #[schemars(required)]
        pub date: Option<Sp<Date>>,
        /// Kind of contact.
        pub kind: Option<Sp<VisitKind>>,
        /// Venue.
        pub r#where: Option<Sp<String>>,
        /// Team and stakeholder ids present.
        #[serde(default)]
        pub attendees: Vec<Sp<Id>>,
        /// Why we met.
        pub purpose: Option<Sp<String>>,
        /// What came of it.
        pub outcome: Option<Sp<String>>,
        /// What happens next.
        #[serde(default)]
        pub next_steps: Vec<Sp<String>>,
    }
}

/// A Markdown file: front matter and body.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Document<M> {
    /// The file, relative to the plans root.
    pub file: String,
    /// Front matter.
    pub meta: M,
    /// The Markdown body.
    pub body: String,
    /// The line the body starts on.
    #[serde(skip)]
    pub body_line: u32,
}

/// A narrative page.
pub type Page = Document<PageMeta>;
/// A visit record.
pub type Visit = Document<VisitMeta>;

/// One account folder, as loaded.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AccountFiles {
    /// The folder name.
    pub id: String,
    /// `plan.yaml`, or `None` when it is missing or does not parse.
    pub plan: Option<Plan>,
    /// Narrative pages, by file name.
    #[serde(default)]
    pub pages: Vec<Page>,
    /// Visit records, by file name.
    #[serde(default)]
    pub visits: Vec<Visit>,
    /// The lines of each file that reports never quote (its `private`
    /// notes), found when the file was parsed; files whose lines the report
    /// counts otherwise (a lone `\r`) are absent.
    #[serde(skip)]
    pub masked: BTreeMap<String, Masked>,
    /// The text of `plan.yaml` and of each visit record, as read: where
    /// `plan/personal-data-in-text` finds the line and column of a match
    /// inside a scalar. The views of the account for the pages about all
    /// accounts leave it out.
    #[serde(skip)]
    pub sources: BTreeMap<String, std::sync::Arc<str>>,
}

/// Lines (1-based, inclusive ranges) of a file.
pub type Masked = Vec<std::ops::RangeInclusive<usize>>;

/// Whether an item (`shared:`) or page is shared with the customer.
fn is_shared(shared: &Option<Sp<bool>>) -> bool {
    shared.as_ref().is_some_and(|s| s.value)
}

impl AccountFiles {
    /// What the customer may see of the account (§9.5), built from the
    /// shared parts only: the account's name, the period and currency, the
    /// team's names and roles, the objectives, actions, milestones and KPIs
    /// marked `shared: true` (an action without its cost, strategy and
    /// stakeholders; references only to shared objectives) and the pages
    /// whose front matter says `shared: true`. `None` when nothing is shared.
    /// No other field of the plan, no visit and no private note is copied,
    /// so nothing else can reach the customer's site.
    pub fn customer_view(&self) -> Option<AccountFiles> {
        let p = self.plan.as_ref()?;
        let objectives: Vec<Objective> = p
            .objectives
            .iter()
            .filter(|o| is_shared(&o.shared))
            .cloned()
            .collect();
        let shared_ids: Vec<&Id> = objectives
            .iter()
            .filter_map(|o| o.id.as_ref().map(|i| &i.value))
            .collect();
        let refs = |ids: &[Sp<Id>]| -> Vec<Sp<Id>> {
            ids.iter()
                .filter(|i| shared_ids.contains(&&i.value))
                .cloned()
                .collect()
        };
        let actions: Vec<Action> = p
            .actions
            .iter()
            .filter(|a| is_shared(&a.shared))
            .map(|a| Action {
                id: a.id.clone(),
                title: a.title.clone(),
                objectives: refs(&a.objectives),
                owner: a.owner.clone(),
                start: a.start.clone(),
                due: a.due.clone(),
                r#where: a.r#where.clone(),
                status: a.status.clone(),
                shared: a.shared.clone(),
                ..Action::default()
            })
            .collect();
        let milestones: Vec<Milestone> = p
            .milestones
            .iter()
            .filter(|m| is_shared(&m.shared))
            .map(|m| Milestone {
                objectives: refs(&m.objectives),
                ..m.clone()
            })
            .collect();
        let kpis: Vec<Kpi> = p
            .kpis
            .iter()
            .filter(|k| is_shared(&k.shared))
            .cloned()
            .collect();
        let pages: Vec<Page> = self
            .pages
            .iter()
            .filter(|page| is_shared(&page.meta.shared))
            .cloned()
            .collect();
        if objectives.is_empty()
            && actions.is_empty()
            && milestones.is_empty()
            && kpis.is_empty()
            && pages.is_empty()
        {
            return None;
        }
        let plan = Plan {
            account: p.account.as_ref().map(|a| Account {
                name: a.name.clone(),
                ..Account::default()
            }),
            currency: p.currency.clone(),
            period: p.period.clone(),
            team: p.team.iter().map(Member::named).collect(),
            objectives,
            actions,
            milestones,
            kpis,
            ..Plan::default()
        };
        Some(AccountFiles {
            id: self.id.clone(),
            plan: Some(plan),
            pages,
            ..AccountFiles::default()
        })
    }

    /// What the pages about all accounts (portfolio, checklist, people,
    /// calendar, asks, exports, `accounts.json`, `portfolio.json`) read of
    /// an account besides its figures, without its narrative, the notes of
    /// its visits and the rest (the lines reports never quote are kept): a
    /// build keeps this of every account once its dossier is written.
    /// Stakeholders keep their id and private notes, and only when those are
    /// published (`with_private`); team members their id, name and role;
    /// milestones lose the objectives they serve; the objectives, actions,
    /// costs, returns, whitespace, review and visit records are dropped
    /// (what those pages read of them is in the figures and the report's
    /// action lines and visit facts).
    pub fn portfolio_view(&self, with_private: bool) -> AccountFiles {
        let plan = self.plan.as_ref().map(|p| Plan {
            span: p.span,
            account: p.account.clone(),
            currency: p.currency.clone(),
            period: p.period.clone(),
            milestones: p
                .milestones
                .iter()
                .map(|m| Milestone {
                    objectives: Vec::new(),
                    ..m.clone()
                })
                .collect(),
            team: p.team.iter().map(Member::named).collect(),
            stakeholders: p
                .stakeholders
                .iter()
                .filter(|s| with_private && s.private.is_some())
                .map(|s| Stakeholder {
                    id: s.id.clone(),
                    private: s.private.clone(),
                    ..Stakeholder::default()
                })
                .collect(),
            relative_strength: p.relative_strength.clone(),
            asks: p.asks.clone(),
            ..Plan::default()
        });
        AccountFiles {
            id: self.id.clone(),
            plan,
            pages: Vec::new(),
            visits: Vec::new(),
            masked: self.masked.clone(),
            sources: BTreeMap::new(),
        }
    }
}
