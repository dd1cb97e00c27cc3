//! Validation: the checklist rules run over loaded plans.

pub(crate) mod plan;
pub(crate) mod privacy;
pub mod rules;

use crate::config::{Config, Language};
use crate::diagnostic::{Diagnostic, Sink};
use crate::figures::Figures;
use crate::message::{Arg, Text, Thing, texts};
use crate::model::{AccountFiles, Date, Id, Plan, Sp, Span};

/// What every check sees.
pub(crate) struct Ctx<'a> {
    pub(crate) account: &'a AccountFiles,
    pub(crate) plan: &'a Plan,
    pub(crate) figures: &'a Figures,
    pub(crate) config: &'a Config,
    pub(crate) today: Date,
}

impl Ctx<'_> {
    /// The span of top-level key `key`, else the start of the file.
    pub(crate) fn top_key(&self, key: &str) -> Span {
        self.plan.keys.get(key).unwrap_or(Span::FILE)
    }

    /// The plan's period, `(start, end)`, when both are given and in order:
    /// a period that ends before it starts is reported (`plan/invalid-value`)
    /// and judges no date inside or outside it.
    pub(crate) fn period(&self) -> Option<(Date, Date)> {
        let p = self.plan.period.as_ref()?;
        let (start, end) = (p.start.as_ref()?.value, p.end.as_ref()?.value);
        (start <= end).then_some((start, end))
    }

    /// The plan's [`period`](Self::period) when `date` lies outside it (both
    /// ends count as inside).
    pub(crate) fn outside_period(&self, date: Date) -> Option<(Date, Date)> {
        self.period()
            .filter(|(start, end)| date < *start || date > *end)
    }

    /// The plan's currency: its own, else the site's.
    pub(crate) fn currency(&self) -> &str {
        self.plan
            .currency
            .as_ref()
            .map_or(self.config.currency.as_str(), |c| c.value.as_str())
    }

    /// An amount in the plan's currency, for a message.
    pub(crate) fn money(&self, amount: f64) -> Arg {
        Arg::Money(amount, self.currency().to_owned())
    }

    /// Whether top-level key `key`'s value was lost to a diagnostic already
    /// given (misspelt, or not readable): what its absence would make fire
    /// stays silent.
    pub(crate) fn lost(&self, key: &str) -> bool {
        self.plan.keys.lost(key)
    }
}

/// Runs every check on one account with a readable plan.
pub(crate) fn check_account(
    account: &AccountFiles,
    plan: &Plan,
    figures: &Figures,
    config: &Config,
    today: Date,
) -> Vec<Diagnostic> {
    let file = format!("accounts/{}/plan.yaml", account.id);
    let cx = Ctx {
        account,
        plan,
        figures,
        config,
        today,
    };
    let mut sink = Sink::new(&account.id, &file);
    let mut other = Vec::new();
    rules::run(&cx, &mut sink, &mut other);
    let mut out = sink.diagnostics;
    out.append(&mut other);
    out
}

/// Applies `[rules]` levels (dropping rules set to `off`) and sorts.
pub(crate) fn finish(mut diagnostics: Vec<Diagnostic>, config: &Config) -> Vec<Diagnostic> {
    debug_assert!(
        diagnostics
            .iter()
            .all(|d| rules::find(d.rule.name).is_some_and(|r| std::ptr::eq(r, d.rule))),
        "a diagnostic of a rule that is not in the registry"
    );
    diagnostics.retain_mut(|d| match config.level(d.rule) {
        Some(level) => {
            d.level = level;
            true
        }
        None => false,
    });
    // Ties of place and rule (rare) are ordered by their English message.
    diagnostics.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.message(Language::En).cmp(&b.message(Language::En)))
    });
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.message == b.message);
    diagnostics
}

texts! {
    /// What an item of the plan is, for messages.
    OBJECTIVE: "objective" / "目标";
    ACTION: "action" / "行动";
    STAKEHOLDER: "stakeholder" / "关键人物";
    MILESTONE: "milestone" / "里程碑";
    STRATEGY: "strategy" / "策略";
    TEAM_MEMBER: "team member" / "团队成员";
    KPI: "KPI" / "指标";
}

/// An item for messages, by its title (or name) and id: `objective “Win
/// 5G deals” (grow-5g)`, `` objective `grow-5g` `` without a title.
pub(crate) fn thing(noun: &'static Text, id: Option<&Sp<Id>>, title: Option<&Sp<String>>) -> Thing {
    Thing {
        noun,
        id: id.map(|i| i.value.to_string()),
        title: title
            .map(|t| t.value.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_owned),
    }
}

/// The start of an item: where item-level diagnostics point.
pub(crate) fn start(span: Span) -> Span {
    Span::point(span.line, span.col)
}
