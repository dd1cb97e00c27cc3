//! Validation: the checklist rules run over loaded plans.

mod plan;
pub mod rules;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Sink};
use crate::figures::Figures;
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
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key());
    diagnostics
}

/// The id of an item for messages: `` `grow-5g` `` or "an unnamed one".
fn label(id: Option<&Sp<Id>>, what: &str) -> String {
    match id {
        Some(id) => format!("{what} `{id}`"),
        None => format!("an {what} without id"),
    }
}

/// An item for messages, by id and title: `` objective `grow-5g` (Win 5G
/// deals) ``, or its id alone when it has no title.
fn titled(id: Option<&Sp<Id>>, title: Option<&Sp<String>>, what: &str) -> String {
    let id = label(id, what);
    match title.map(|t| t.value.trim()).filter(|t| !t.is_empty()) {
        Some(title) => format!("{id} ({title})"),
        None => id,
    }
}

/// `1 day`, `30 days`.
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// The start of an item: where item-level diagnostics point.
fn start(span: Span) -> Span {
    Span::point(span.line, span.col)
}
