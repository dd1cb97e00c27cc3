//! The checks behind the rules, one file per question.

mod by_whom;
mod cost_return;
mod how;
mod plan;
mod when_where;
mod who;
mod why;

use super::Ctx;

/// Runs every check.
pub(super) fn run(cx: &mut Ctx<'_>) {
    plan::check(cx);
    why::check(cx);
    who::check(cx);
    by_whom::check(cx);
    how::check(cx);
    when_where::check(cx);
    cost_return::check(cx);
}

/// The id of an item for messages: `` `grow-5g` `` or "an unnamed one".
fn label(id: Option<&crate::model::Sp<crate::model::Id>>, what: &str) -> String {
    match id {
        Some(id) => format!("{what} `{id}`"),
        None => format!("an {what} without id"),
    }
}

/// An item for messages, by id and title: `` objective `grow-5g` (Win 5G
/// deals) ``, or its id alone when it has no title.
fn titled(
    id: Option<&crate::model::Sp<crate::model::Id>>,
    title: Option<&crate::model::Sp<String>>,
    what: &str,
) -> String {
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
fn start(span: crate::model::Span) -> crate::model::Span {
    crate::model::Span::point(span.line, span.col)
}
