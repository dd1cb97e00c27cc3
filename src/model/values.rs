//! Value types shared by the whole pipeline: source spans, spanned values,
//! ids, dates, periods and bounded numbers.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Serialize, Serializer};

use crate::message::{Message, texts};

texts! {
    NOT_AN_ID:
        "`{value}` is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit (e.g. `li-ming`)"
        / "`{value}` 不是有效的 id：只能用小写字母、数字和连字符，并以字母或数字开头（例如 `li-ming`）";
    NOT_A_DATE:
        "`{value}` is not a date: write it as YYYY-MM-DD (e.g. 2026-03-15)"
        / "`{value}` 不是日期：请写成 YYYY-MM-DD（例如 2026-03-15）";
    NO_SUCH_DAY:
        "`{value}` is not a real date: {month} has {days} days"
        / "`{value}` 不是真实存在的日期：{month} 只有 {days} 天";
    NO_SUCH_MONTH:
        "`{value}` is not a real date: the month must be 01..12"
        / "`{value}` 不是真实存在的日期：月份必须在 01 到 12 之间";
    NOT_A_QUARTER:
        "`{value}` is not a quarter: the quarter must be Q1..Q4"
        / "`{value}` 不是季度：季度只能是 Q1 到 Q4";
    NOT_A_PERIOD:
        "`{value}` is not a period: write a date (2026-03-15) or a quarter (2026-Q2)"
        / "`{value}` 不是有效的期间：请写日期（2026-03-15）或季度（2026-Q2）";
}

/// A region of a source file, 1-based, in characters (so CJK text lines up).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First line.
    pub line: u32,
    /// First column.
    pub col: u32,
    /// Last line.
    pub end_line: u32,
    /// Column just after the region.
    pub end_col: u32,
}

impl Span {
    /// The start of a file: where file-level diagnostics point.
    pub const FILE: Span = Span {
        line: 1,
        col: 1,
        end_line: 1,
        end_col: 1,
    };

    /// A one-point span.
    pub fn point(line: u32, col: u32) -> Span {
        Span {
            line,
            col,
            end_line: line,
            end_col: col,
        }
    }
}

/// A value together with the span of the YAML node it came from.
///
/// Serializes as the bare value, so templates and JSON never see spans.
#[derive(Debug, Clone, Default)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Sp<T> {
    /// Wraps `value` read at `span`.
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

impl<T> Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq> PartialEq for Sp<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: fmt::Display> fmt::Display for Sp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: Serialize> Serialize for Sp<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A lowercase kebab-case identifier (`[a-z0-9][a-z0-9-]*`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(pub String);

impl Id {
    /// Accepts `s` when it is a valid id.
    pub fn parse(s: &str) -> Result<Id, Message> {
        Id::check(s).map(|()| Id(s.to_owned()))
    }

    /// Accepts `s` when it is a valid id, without copying it.
    pub fn from_string(s: String) -> Result<Id, Message> {
        Id::check(&s).map(|()| Id(s))
    }

    fn check(s: &str) -> Result<(), Message> {
        // Every allowed character is ASCII, so bytes can be checked alone.
        let ok = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        match s.as_bytes() {
            [first, rest @ ..] if ok(first) && rest.iter().all(|b| ok(b) || *b == b'-') => Ok(()),
            _ => Err(Message::new(&NOT_AN_ID).with("value", s)),
        }
    }

    /// The id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9-]*$",
            "description": "A lowercase kebab-case id, unique within its list."
        })
    }
}

/// A calendar date (proleptic Gregorian), written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day, 1..=31.
    pub day: u8,
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

impl Date {
    /// A checked date.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as `2026-02-30`.
    pub fn parse(s: &str) -> Result<Date, Message> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(Message::new(&NOT_A_DATE).with("value", s));
        }
        // Every digit was checked above.
        let number = |digits: &[u8]| {
            digits
                .iter()
                .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'))
        };
        let year = i32::from(number(&b[0..4]));
        let month = u8::try_from(number(&b[5..7])).unwrap_or(0);
        let day = u8::try_from(number(&b[8..10])).unwrap_or(0);
        Date::new(year, month, day).ok_or_else(|| {
            if (1..=12).contains(&month) {
                Message::new(&NO_SUCH_DAY)
                    .with("value", s)
                    .with("month", format!("{year}-{month:02}"))
                    .with("days", days_in_month(year, month).to_string())
            } else {
                Message::new(&NO_SUCH_MONTH).with("value", s)
            }
        })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The Monday of the week `self` falls in (weeks start on Monday).
    pub(crate) fn monday(self) -> Date {
        // 1970-01-01 was a Thursday: day 0 of the epoch is weekday 3 (Monday 0).
        let days = self.days_since_epoch();
        Date::from_days_since_epoch(days - (days + 3).rem_euclid(7))
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    /// The last day of the quarter `q` (1..=4) of `year`.
    pub fn quarter_end(year: i32, q: u8) -> Date {
        let month = q * 3;
        Date {
            year,
            month,
            day: days_in_month(year, month),
        }
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`. Dates are written by the hundred per dossier, so the
    /// common case (years 0–9999, valid month and day) skips `write!`'s
    /// padding machinery.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = (self.year, self.month, self.day);
        if (0..=9999).contains(&y) && m <= 99 && d <= 99 {
            let y = y as u32;
            let digit = |n: u32| b'0' + (n % 10) as u8;
            let text = [
                digit(y / 1000),
                digit(y / 100),
                digit(y / 10),
                digit(y),
                b'-',
                digit(u32::from(m) / 10),
                digit(u32::from(m)),
                b'-',
                digit(u32::from(d) / 10),
                digit(u32::from(d)),
            ];
            f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
        } else {
            write!(f, "{y:04}-{m:02}-{d:02}")
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "An ISO date, YYYY-MM-DD."
        })
    }
}

/// A reporting period: a date, or a quarter `YYYY-Qn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// One day.
    Day(Date),
    /// A calendar quarter.
    Quarter {
        /// Year.
        year: i32,
        /// Quarter, 1..=4.
        quarter: u8,
    },
}

impl Period {
    /// Parses `YYYY-MM-DD` or `YYYY-Qn`.
    pub fn parse(s: &str) -> Result<Period, Message> {
        let b = s.as_bytes();
        if b.len() == 7 && b[4] == b'-' && b[5] == b'Q' && b[..4].iter().all(u8::is_ascii_digit) {
            let year = s[..4].parse().unwrap_or(0);
            return match b[6] {
                q @ b'1'..=b'4' => Ok(Period::Quarter {
                    year,
                    quarter: q - b'0',
                }),
                _ => Err(Message::new(&NOT_A_QUARTER).with("value", s)),
            };
        }
        Date::parse(s)
            .map(Period::Day)
            .map_err(|_| Message::new(&NOT_A_PERIOD).with("value", s))
    }

    /// The quarter it lies in, `YYYY-Qn`.
    pub fn quarter(self) -> String {
        match self {
            Period::Day(d) => format!("{:04}-Q{}", d.year, (d.month - 1) / 3 + 1),
            Period::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
        }
    }

    /// The date the period counts as: the day itself, or a quarter's last day.
    pub fn end(self) -> Date {
        match self {
            Period::Day(d) => d,
            Period::Quarter { year, quarter } => Date::quarter_end(year, quarter),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Day(d) => d.fmt(f),
            Period::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Period {
    fn schema_name() -> Cow<'static, str> {
        "Period".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-([0-9]{2}-[0-9]{2}|Q[1-4])$",
            "description": "A date (YYYY-MM-DD) or a quarter (YYYY-Qn); a quarter counts as its last day."
        })
    }
}

/// An integer rating within `MIN..=MAX` (influence, weight, score, ...).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Rated<const MIN: i64, const MAX: i64>(pub i64);

impl<const MIN: i64, const MAX: i64> Rated<MIN, MAX> {
    /// The allowed range, for messages.
    pub const RANGE: (i64, i64) = (MIN, MAX);

    /// The rating.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl<const MIN: i64, const MAX: i64> JsonSchema for Rated<MIN, MAX> {
    fn schema_name() -> Cow<'static, str> {
        format!("Rating{MIN}to{MAX}").into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "minimum": MIN, "maximum": MAX })
    }
}

/// A probability, 0..=1.
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Probability(pub f64);

impl JsonSchema for Probability {
    fn schema_name() -> Cow<'static, str> {
        "Probability".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number", "minimum": 0, "maximum": 1 })
    }
}

/// A non-negative amount of money in the plan's currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Money(pub f64);

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "number",
            "minimum": 0,
            "description": "A plain number in the plan's currency."
        })
    }
}

/// A closed set of names, such as a stakeholder role.
pub trait Named: Sized + Copy + 'static {
    /// What the names are, for messages ("role").
    const WHAT: &'static str;
    /// Every name, in declaration order.
    const NAMES: &'static [&'static str];
    /// Looks a name up.
    fn from_name(s: &str) -> Option<Self>;
    /// The name as written in plans.
    fn as_str(self) -> &'static str;

    /// The key of the site's labels of these names: `enum.stakeholder_role`
    /// (`WHAT`, spaces as `_`).
    fn label_table() -> String {
        let mut key = String::with_capacity(5 + Self::WHAT.len());
        key.push_str("enum.");
        key.extend(Self::WHAT.chars().map(|c| if c == ' ' { '_' } else { c }));
        key
    }
}

/// Declares a closed set of kebab-case names: the enum, its names and its schema.
macro_rules! name_enum {
    ($(#[$meta:meta])* pub enum $name:ident($what:literal) { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $crate::model::Named for $name {
            const WHAT: &'static str = $what;
            const NAMES: &'static [&'static str] = &[$($text),+];
            fn from_name(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::model::Named::as_str(*self))
            }
        }
    };
}
pub(crate) use name_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_reject_impossible_days() {
        assert!(
            Date::parse("2026-02-30")
                .unwrap_err()
                .render(crate::config::Language::En)
                .contains("has 28 days")
        );
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("2026-1-01").is_err());
        assert!(Date::parse("２０２６-01-01").is_err());
    }

    #[test]
    fn dates_print_like_padded_formatting() {
        for (year, month, day) in [
            (2026, 6, 30),
            (0, 1, 1),
            (9999, 12, 31),
            (987, 7, 4),
            (10_000, 1, 2),
            (-5, 3, 9),
            (2026, 100, 200),
        ] {
            let date = Date { year, month, day };
            assert_eq!(
                date.to_string(),
                format!("{year:04}-{month:02}-{day:02}"),
                "{year} {month} {day}"
            );
        }
    }

    #[test]
    fn day_arithmetic_round_trips() {
        let d = Date::parse("2026-06-30").unwrap();
        assert_eq!(d.days_since_epoch(), 20_634);
        assert_eq!(Date::from_days_since_epoch(20_634), d);
        assert_eq!(Date::parse("2026-03-31").unwrap().days_until(d), 91);
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
    }

    #[test]
    fn a_week_starts_on_monday() {
        let monday = |s: &str| Date::parse(s).unwrap().monday().to_string();
        // 2026-06-29 is a Monday, 2026-07-05 the Sunday of its week.
        for day in ["2026-06-29", "2026-06-30", "2026-07-05"] {
            assert_eq!(monday(day), "2026-06-29", "{day}");
        }
        assert_eq!(monday("2026-07-06"), "2026-07-06");
        // Across a year's end and before the epoch (1970-01-01 was a Thursday).
        assert_eq!(monday("2027-01-01"), "2026-12-28");
        assert_eq!(monday("1970-01-01"), "1969-12-29");
        assert_eq!(monday("1969-12-28"), "1969-12-22");
    }

    #[test]
    fn periods_parse_quarters_and_dates() {
        assert_eq!(
            Period::parse("2026-Q2").unwrap().end().to_string(),
            "2026-06-30"
        );
        assert_eq!(
            Period::parse("2024-Q1").unwrap().end().to_string(),
            "2024-03-31"
        );
        assert!(Period::parse("2026-Q5").is_err());
        assert_eq!(
            Period::parse("2026-05-04").unwrap().to_string(),
            "2026-05-04"
        );
    }

    #[test]
    fn ids_are_kebab_case() {
        assert!(Id::parse("li-ming").is_ok());
        assert!(Id::parse("5g").is_ok());
        assert!(Id::parse("-x").is_err());
        assert!(Id::parse("Li_Ming").is_err());
        assert!(Id::parse("").is_err());
    }
}
