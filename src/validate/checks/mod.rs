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

/// The start of an item: where item-level diagnostics point.
fn start(span: crate::model::Span) -> crate::model::Span {
    crate::model::Span::point(span.line, span.col)
}
