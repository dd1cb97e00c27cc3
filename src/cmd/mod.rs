//! One small module per command: parse flags, call the library, print.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod explain;
pub(crate) mod init;
pub(crate) mod new;
pub(crate) mod schema;
pub(crate) mod serve;

use kaplan::model::Date;

/// Parses `--today`.
pub(crate) fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s)
}
