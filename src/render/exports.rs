//! The site's files for other programs (format §9.6): the calendar feeds
//! (RFC 5545), the spreadsheets (RFC 4180, UTF-8 with a BOM, safe from
//! formula injection) and `portfolio.json`.

use std::fmt::Write as _;
use std::io::Write;

use super::context::{Builder, team_name};
use crate::Checked;
use crate::config::Config;
use crate::department::{self, Dated, Ratio};
use crate::model::{Date, Named};

/// The longest line of an iCalendar file, in octets, before the line break.
const ICS_LINE: usize = 75;

/// A calendar feed of `entries` named `name`: one all-day event each, with
/// a UID that stays the same from build to build and a `DTSTAMP` of
/// `today`, so that the same plans give the same bytes; `person` names
/// an owner id.
pub(crate) fn calendar<'a>(
    config: &Config,
    today: Date,
    entries: impl Iterator<Item = &'a Dated<'a>>,
    name: &str,
    person: &dyn Fn(&str) -> String,
    file: &mut dyn Write,
) -> std::io::Result<()> {
    let locale = crate::i18n::Locale::shared(config.language);
    // Each event is made here and written out before the next.
    let mut out = String::new();
    let stamp = format!("{}T000000Z", compact(today));
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!("PRODID:-//kaplan//kaplan {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        content_line(&mut out, line);
    }
    content_line(&mut out, &format!("X-WR-CALNAME:{}", ics_text(name)));
    for e in entries {
        let next = Date::from_days_since_epoch(e.date.days_since_epoch() + 1);
        let account = e
            .account
            .files
            .plan
            .as_ref()
            .and_then(|p| p.account.as_ref())
            .and_then(|a| a.name.as_ref())
            .map_or(e.account.files.id.as_str(), |n| n.value.as_str());
        let mut description = locale
            .text(&format!("calendar.{}", e.kind.as_str()))
            .to_owned();
        if let Some(owner) = e.owner {
            let _ = write!(description, " · {}", person(owner));
        }
        if let Some(status) = e.status {
            let _ = write!(
                description,
                " · {}",
                locale.text(&format!(
                    "{}.{}",
                    crate::model::Status::label_table(),
                    status.as_str()
                ))
            );
        }
        content_line(&mut out, "BEGIN:VEVENT");
        content_line(
            &mut out,
            &format!(
                "UID:{}",
                ics_text(&format!(
                    "{}.{}.{}@kaplan",
                    e.kind.as_str(),
                    e.id,
                    e.account.files.id
                ))
            ),
        );
        content_line(&mut out, &format!("DTSTAMP:{stamp}"));
        content_line(&mut out, &format!("DTSTART;VALUE=DATE:{}", compact(e.date)));
        content_line(&mut out, &format!("DTEND;VALUE=DATE:{}", compact(next)));
        content_line(
            &mut out,
            &format!("SUMMARY:{}", ics_text(&format!("{} · {account}", e.title))),
        );
        if let Some(place) = e.r#where {
            content_line(&mut out, &format!("LOCATION:{}", ics_text(place)));
        }
        content_line(&mut out, &format!("DESCRIPTION:{}", ics_text(&description)));
        content_line(&mut out, &format!("CATEGORIES:{}", e.kind.as_str()));
        content_line(&mut out, "TRANSP:TRANSPARENT");
        content_line(&mut out, "END:VEVENT");
        file.write_all(out.as_bytes())?;
        out.clear();
    }
    content_line(&mut out, "END:VCALENDAR");
    file.write_all(out.as_bytes())
}

/// `YYYYMMDD`.
fn compact(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year, d.month, d.day)
}

/// Text escaped for an iCalendar value (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Writes `line` folded at 75 octets (never inside a character), each
/// piece ended by CRLF, continuations starting with a space.
fn content_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > ICS_LINE {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A spreadsheet cell.
enum Cell {
    /// Text: quoted when needed, and made inert when a spreadsheet would
    /// read it as a formula.
    Text(String),
    /// A number, written as it is.
    Number(f64),
    /// Nothing.
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        Cell::Number(v)
    }
}

impl From<usize> for Cell {
    fn from(v: usize) -> Cell {
        Cell::Number(v as f64)
    }
}

/// A CSV file (UTF-8 with a BOM, so that Excel reads it as UTF-8; CRLF;
/// RFC 4180 quoting), written a row at a time.
struct Csv<'a> {
    file: &'a mut dyn Write,
    /// The row being made.
    line: String,
}

impl<'a> Csv<'a> {
    /// Starts the file with its `header` row.
    fn start(file: &'a mut dyn Write, header: &[String]) -> std::io::Result<Csv<'a>> {
        file.write_all("\u{feff}".as_bytes())?;
        let mut csv = Csv {
            file,
            line: String::new(),
        };
        let head: Vec<Cell> = header.iter().map(|h| Cell::Text(h.clone())).collect();
        csv.row(head)?;
        Ok(csv)
    }

    /// Writes one row.
    fn row(&mut self, row: Vec<Cell>) -> std::io::Result<()> {
        let out = &mut self.line;
        out.clear();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match cell {
                Cell::Empty => {}
                Cell::Number(v) => {
                    let _ = write!(out, "{v}");
                }
                Cell::Text(s) => {
                    let quoted = s.contains([',', '"', '\r', '\n']);
                    if quoted {
                        out.push('"');
                    }
                    // A leading =, +, -, @, tab or CR makes a spreadsheet
                    // run the cell: an apostrophe keeps it text.
                    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                        out.push('\'');
                    }
                    if quoted {
                        out.push_str(&s.replace('"', "\"\""));
                        out.push('"');
                    } else {
                        out.push_str(s);
                    }
                }
            }
        }
        out.push_str("\r\n");
        self.file.write_all(out.as_bytes())
    }
}

/// `accounts.csv`: the portfolio's rows.
pub(crate) fn accounts_csv(
    b: &Builder<'_>,
    base: &str,
    file: &mut dyn Write,
) -> std::io::Result<()> {
    let header = b.labels(&[
        "csv.id",
        "portfolio.account",
        "csv.industry",
        "portfolio.owner",
        "csv.owner_id",
        "portfolio.tier",
        "portfolio.stage",
        "portfolio.status",
        "csv.currency",
        "figures.total_cost",
        "figures.expected_return",
        "figures.roi",
        "figures.payback",
        "csv.objectives_met",
        "csv.objectives",
        "figures.completeness",
        "csv.errors",
        "csv.warnings",
        "csv.next_milestone_date",
        "figures.next_milestone",
    ]);
    let mut csv = Csv::start(file, &header)?;
    for a in b.scope.accounts {
        let r = b.compact_row(a, base);
        let plan = a.files.plan.as_ref();
        csv.row(vec![
            r.id.into(),
            r.name.into(),
            r.industry.into(),
            r.owner_name.into(),
            r.owner.into(),
            r.tier_label.into(),
            r.stage_label.into(),
            r.status_label.into(),
            b.currency(plan).into(),
            r.figures.total_cost_value.into(),
            r.figures.expected_return_value.into(),
            r.figures.roi_value.into(),
            a.figures
                .as_ref()
                .and_then(|f| f.payback)
                .map(|p| p.to_string())
                .into(),
            r.objectives_met.into(),
            r.objectives_total.into(),
            (f64::from(r.completeness) / 100.0).into(),
            r.errors.into(),
            r.warnings.into(),
            r.next_milestone.as_ref().map(|m| m.date.clone()).into(),
            r.next_milestone.map(|m| m.title).into(),
        ])?;
    }
    Ok(())
}

/// `actions.csv`: every action of every account.
pub(crate) fn actions_csv(b: &Builder<'_>, file: &mut dyn Write) -> std::io::Result<()> {
    let header = b.labels(&[
        "csv.account_id",
        "portfolio.account",
        "csv.id",
        "csv.action",
        "csv.strategy",
        "portfolio.owner",
        "csv.owner_id",
        "csv.start",
        "csv.due",
        "csv.status",
        "csv.overdue",
        "csv.where",
        "csv.cost",
    ]);
    let today = b.scope.today;
    // Translated once, not for each action.
    let status_label = |st: crate::model::Status| {
        b.label(&format!(
            "{}.{}",
            crate::model::Status::label_table(),
            st.as_str()
        ))
    };
    let (yes, no) = (b.label("csv.yes"), b.label("csv.no"));
    let mut labels = std::collections::HashMap::new();
    let mut csv = Csv::start(file, &header)?;
    for a in b.scope.accounts {
        let Some(plan) = a.files.plan.as_ref() else {
            continue;
        };
        let account_name = b.account_name(a);
        for x in &a.actions {
            let status = x.status;
            let owner = x.owner.as_ref().map(|o| o.as_str());
            let owner_name = x.owner.as_ref().map(|o| team_name(plan, o));
            csv.row(vec![
                a.files.id.as_str().into(),
                account_name.as_str().into(),
                x.id.as_deref().into(),
                x.title.as_deref().into(),
                x.strategy.as_deref().into(),
                owner_name.into(),
                owner.into(),
                x.start.map(|d| d.to_string()).into(),
                x.due.map(|d| d.to_string()).into(),
                labels
                    .entry(status)
                    .or_insert_with(|| status_label(status))
                    .as_str()
                    .into(),
                if x.overdue(today) { &yes } else { &no }.as_str().into(),
                x.r#where.as_deref().into(),
                x.cost.into(),
            ])?;
        }
    }
    Ok(())
}

/// A ratio as `portfolio.json` writes it: its value, or null.
fn ratio(r: Ratio) -> serde_json::Value {
    r.value.map_or(serde_json::Value::Null, |v| {
        ((v * 1e4).round() / 1e4).into()
    })
}

/// `portfolio.json`: the department's figures, and what they are made of.
pub(crate) fn portfolio_json(checked: &Checked, file: &mut dyn Write) -> std::io::Result<()> {
    let d = department::compute(&checked.accounts, &checked.config, checked.today);
    let round = |m: &std::collections::BTreeMap<String, f64>| {
        m.iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::from(*v)))
            .collect::<serde_json::Map<_, _>>()
    };
    let json = serde_json::json!({
        "plan_completion": ratio(d.plan_completion),
        "revisit_rate": ratio(d.revisit_rate),
        "service_cost_control": ratio(d.service_cost_control),
        "churn": d.churn,
        "new_accounts": d.new_accounts,
        "expected_return_by_quarter": round(&d.expected_return_by_quarter),
        "expected_return_by_owner": round(&d.expected_return_by_owner),
        "expected_return_by_tier": round(&d.expected_return_by_tier),
        "counts": {
            "objectives_met": d.plan_completion.numerator,
            "objectives": d.plan_completion.denominator,
            "visits": d.revisit_rate.numerator,
            "planned_visits": d.revisit_rate.denominator,
            "cost_actual": d.service_cost_control.numerator,
            "cost_budgeted": d.service_cost_control.denominator,
        },
        "today": checked.today.to_string(),
    });
    serde_json::to_writer_pretty(&mut *file, &json)?;
    file.write_all(b"\n")
}
