//! Running the portfolio: the department's figures (computed by hand
//! below), the people, calendar and asks pages, the calendar feeds (read
//! back by an iCalendar parser) and the spreadsheets (read back by a CSV
//! reader), on a fixture portfolio of four accounts.

use std::path::Path;

use crate::support::{Repo, kaplan, positions};

const PEOPLE: &str = "\
people:
  - id: ann
    name: Ann Lee
    title: Key account manager
    manager: carl
  - id: bob
    name: Bob Wu
    manager: carl
  - id: carl
    name: Carl Fan
    title: Director
";

const CONFIG: &str = "[portfolio]\nmax_platinum = 0\n";

/// Platinum, active, owned by Ann: 2 objectives (1 met), costs 100 (spent
/// 80) and 50 (no actual), a return of 1,000 × 0.5 in 2026-Q3, two visits
/// in the period (planned: 180 days / 30 = 6), an overdue action whose title
/// a spreadsheet would run, an open action of Bob's, a milestone, two asks.
const ALPHA: &str = "\
account:
  name: Alpha Corp
  owner: ann
  tier: platinum
  since: 2020-01-01
period: { start: 2026-01-01, end: 2026-12-31 }
team:
  - id: ann
  - id: bob
    role: specialist
objectives:
  - { id: grow, title: Grow, target: 10, actual: 12, due: 2026-12-31 }
  - { id: keep, title: Keep, target: 10, actual: 5, due: 2026-12-31 }
costs:
  - { item: Team, amount: 100, actual: 80, period: 2026-Q1 }
  - { item: Pilot, amount: 50, period: 2026-Q4 }
returns:
  - { item: Deal, amount: 1000, probability: 0.5, period: 2026-Q3 }
actions:
  - id: formula
    title: '=HYPERLINK(\"http://example.com\",\"x\")'
    owner: ann
    due: 2026-06-01
  - id: workshop
    title: Workshop; agenda, dinner \\ and a very long title that has to be folded in the calendar feed
    owner: bob
    status: in-progress
    due: 2026-07-02
    where: HQ, Room 1
  - { id: finished, title: Finished, owner: ann, status: done, due: 2026-05-01 }
milestones:
  - { id: budget, title: Budget cycle opens, date: 2026-07-20 }
  - { id: kickoff, title: Kick-off, date: 2026-02-01, done: true }
asks:
  - { of: bob, what: Approve the budget, by: 2026-06-15 }
  - { of: ann, what: Join the board meeting, by: 2026-08-01 }
";

/// Gold, active, new (since 2026-02-01), owned by Bob: 1 objective met,
/// a cost of 200 (spent 260), a return of 2,000 on 2026-08-15, one visit in
/// the period and one before it (planned: 180 / 60 = 3).
const BETA: &str = "\
account:
  name: Beta Ltd
  owner: bob
  tier: gold
  since: 2026-02-01
period: { start: 2026-01-01, end: 2026-12-31 }
team:
  - id: bob
objectives:
  - { id: win, title: Win, target: 5, actual: 5, due: 2026-12-31 }
costs:
  - { item: Travel, amount: 200, actual: 260, period: 2026-Q2 }
returns:
  - { item: Order, amount: 2000, period: 2026-08-15 }
";

/// Silver, lost, owned by Ann: 1 objective not met (not counted: lost),
/// a cost of 10 (spent 10), a return of 500 in 2026-Q4.
const GAMMA: &str = "\
account:
  name: Gamma Inc
  owner: ann
  tier: silver
  status: lost
  lost_reason: Went with a competitor
period: { start: 2026-01-01, end: 2026-12-31 }
team:
  - id: ann
objectives:
  - { id: hold, title: Hold, target: 10, actual: 1, due: 2026-12-31 }
costs:
  - { item: Visits, amount: 10, actual: 10, period: 2026-Q1 }
returns:
  - { item: Renewal, amount: 500, period: 2026-Q4 }
";

/// A prospect of Carl's without a tier: counted in nothing but its owner.
const DELTA: &str = "\
account:
  name: Delta Co
  owner: carl
  status: prospect
period: { start: 2026-01-01, end: 2026-12-31 }
team:
  - id: carl
objectives:
  - { id: first, title: First order, target: 1, actual: 1, due: 2026-12-31 }
";

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("people.yaml", PEOPLE);
    repo.write("kaplan.toml", CONFIG);
    repo.write("accounts/alpha/plan.yaml", ALPHA);
    repo.write("accounts/beta/plan.yaml", BETA);
    repo.write("accounts/gamma/plan.yaml", GAMMA);
    repo.write("accounts/delta/plan.yaml", DELTA);
    for (file, date) in [
        ("alpha/visits/2026-02-01-a.md", "2026-02-01"),
        ("alpha/visits/2026-05-01-b.md", "2026-05-01"),
        ("beta/visits/2026-03-01-c.md", "2026-03-01"),
        ("beta/visits/2025-12-01-d.md", "2025-12-01"),
    ] {
        let attendees = if file.starts_with("alpha") {
            "ann"
        } else {
            "bob"
        };
        repo.write(
            &format!("accounts/{file}"),
            format!("---\ndate: {date}\nkind: visit\nattendees: [{attendees}]\npurpose: Review\n---\nNotes.\n"),
        );
    }
    repo
}

fn build(repo: &Repo, out: &Path) {
    let built = kaplan(&[
        "build",
        repo.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--allow-errors",
        "--today",
        "2026-06-30",
    ]);
    assert!(
        out.join("index.html").is_file(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The figures of the fixture, by hand:
/// plan completion over active Alpha and Beta = (1 + 1) / (2 + 1);
/// revisit rate = (2 + 1) visits / (6 + 3) planned; service-cost control =
/// (80 + 260 + 10) / (100 + 200 + 10) (Pilot has no actual); churn 1 (Gamma);
/// new 1 (Beta). Expected return: Alpha 500 in Q3, Beta 2,000 in Q3, Gamma
/// 500 in Q4; Ann 500 + 500, Bob 2,000.
#[test]
fn portfolio_json_has_the_department_figures() {
    let repo = repo();
    let out = repo.path().join("site");
    build(&repo, &out);
    let json: serde_json::Value = serde_json::from_str(&read(&out, "portfolio.json")).unwrap();
    assert_eq!(json["plan_completion"], 0.6667);
    assert_eq!(json["revisit_rate"], 0.3333);
    assert_eq!(json["service_cost_control"], 1.129);
    assert_eq!(json["churn"], 1);
    assert_eq!(json["new_accounts"], 1);
    assert_eq!(
        json["expected_return_by_quarter"],
        serde_json::json!({"2026-Q3": 2500.0, "2026-Q4": 500.0})
    );
    assert_eq!(
        json["expected_return_by_owner"],
        serde_json::json!({"ann": 1000.0, "bob": 2000.0, "carl": 0.0})
    );
    assert_eq!(
        json["expected_return_by_tier"],
        serde_json::json!({"platinum": 500.0, "gold": 2000.0, "silver": 500.0})
    );
    // The portfolio shows them with their formulas, and the quota.
    let index = read(&out, "index.html");
    for shown in [
        "67%",
        "33%",
        "113%",
        "2 / 3",
        "3 / 9",
        "Σ actual ÷ Σ amount",
    ] {
        assert!(index.contains(shown), "{shown} not on the portfolio");
    }
    assert!(index.contains("data-status=\"lost\""));
    assert!(index.contains("href=\"/people/ann/\""));
}

/// `plan/tier-over-quota` names the key in kaplan.toml; a team id missing
/// from people.yaml is `plan/unknown-person`.
#[test]
fn the_quota_and_the_people_are_checked() {
    let repo = repo();
    let (_, diags) = crate::support::check_json(repo.path(), &[]);
    assert_eq!(positions(&diags, "plan/tier-over-quota"), ["2:1"]);
    let quota = diags
        .iter()
        .find(|d| d["rule"] == "plan/tier-over-quota")
        .unwrap();
    assert_eq!(quota["file"], "kaplan.toml");
    assert!(positions(&diags, "plan/unknown-person").is_empty());
    repo.write(
        "accounts/beta/plan.yaml",
        BETA.replace("  - id: bob\n", "  - id: bob\n  - id: dave\n"),
    );
    let (_, diags) = crate::support::check_json(repo.path(), &[]);
    assert_eq!(positions(&diags, "plan/unknown-person"), ["9:9"]);
}

/// The calendar feeds are RFC 5545 as a real parser reads them: every open
/// action and milestone an all-day event with a stable UID, text escaped,
/// lines folded at 75 octets and ended by CRLF; the same bytes every build.
#[test]
fn the_calendar_feeds_parse_and_stay_the_same() {
    use icalendar::{Component, EventLike};
    let repo = repo();
    let out = repo.path().join("site");
    build(&repo, &out);
    let text = read(&out, "calendar.ics");
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "a line of {} octets: {line}", line.len());
        assert!(!line.contains('\n'), "a bare line feed");
    }
    let calendar: icalendar::Calendar = text.parse().expect("calendar.ics parses");
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    // Open: formula, workshop, budget (not: finished, kick-off).
    assert_eq!(events.len(), 3);
    let uids: Vec<&str> = events.iter().filter_map(|e| e.get_uid()).collect();
    assert_eq!(
        uids,
        [
            "action.formula.alpha@kaplan",
            "action.workshop.alpha@kaplan",
            "milestone.budget.alpha@kaplan"
        ]
    );
    let workshop = events[1];
    assert_eq!(
        workshop.get_summary(),
        Some(
            "Workshop; agenda, dinner \\ and a very long title that has to be folded in the calendar feed · Alpha Corp"
        )
    );
    assert_eq!(workshop.get_location(), Some("HQ, Room 1"));
    assert_eq!(workshop.property_value("DTSTART"), Some("20260702"));
    assert_eq!(workshop.property_value("DTEND"), Some("20260703"));
    assert!(text.contains("DTSTART;VALUE=DATE:20260702\r\n"));
    assert!(text.contains("DTSTAMP:20260630T000000Z\r\n"));
    // Ann's own feed: her action and her account's milestone.
    let ann: icalendar::Calendar = read(&out, "people/ann/calendar.ics").parse().unwrap();
    let ann_uids: Vec<String> = ann
        .components
        .iter()
        .filter_map(|c| c.as_event()?.get_uid().map(str::to_owned))
        .collect();
    assert_eq!(
        ann_uids,
        [
            "action.formula.alpha@kaplan",
            "milestone.budget.alpha@kaplan"
        ]
    );
    // Byte-identical builds.
    let again = repo.path().join("again");
    build(&repo, &again);
    assert_eq!(read(&again, "calendar.ics"), text);
}

/// The spreadsheets open in Excel (UTF-8 with a BOM), read back as
/// RFC 4180, numbers as numbers, and a title a spreadsheet would run kept
/// as text.
#[test]
fn the_spreadsheets_read_back_and_never_run_a_formula() {
    let repo = repo();
    let out = repo.path().join("site");
    build(&repo, &out);
    for file in ["accounts.csv", "actions.csv"] {
        let bytes = std::fs::read(out.join(file)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file} has no BOM");
    }
    let actions = std::fs::read(out.join("actions.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(&actions[3..]);
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[3], "Action");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let formula = &rows[0];
    assert_eq!(&formula[2], "formula");
    assert_eq!(&formula[3], "'=HYPERLINK(\"http://example.com\",\"x\")");
    assert_eq!(&formula[10], "yes", "overdue");
    assert_eq!(&rows[1][11], "HQ, Room 1");
    let accounts = std::fs::read(out.join("accounts.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(&accounts[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let alpha = &rows[0];
    assert_eq!(
        (&alpha[0], &alpha[1], &alpha[3]),
        ("alpha", "Alpha Corp", "Ann Lee")
    );
    // Total cost 150, expected return 500: numbers, unquoted.
    assert_eq!((&alpha[9], &alpha[10]), ("150", "500"));
    assert!(String::from_utf8_lossy(&accounts).contains(",150,500,"));
}

/// The people, each person's page, the calendar and the asks.
#[test]
fn the_people_calendar_and_asks_pages_show_the_portfolio() {
    let repo = repo();
    let out = repo.path().join("site");
    build(&repo, &out);
    let people = read(&out, "people/index.html");
    for name in ["Ann Lee", "Bob Wu", "Carl Fan"] {
        assert!(people.contains(name), "{name} missing");
    }
    let ann = read(&out, "people/ann/index.html");
    for shown in [
        "Alpha Corp",
        "Gamma Inc",
        "Join the board meeting",
        "2026-05-01",
        "Carl Fan",
    ] {
        assert!(ann.contains(shown), "{shown} not on Ann's page");
    }
    assert!(!ann.contains("Approve the budget"), "an ask of Bob's");
    let calendar = read(&out, "calendar/index.html");
    let overdue = calendar.find("when-overdue").unwrap();
    let later = calendar.find("Budget cycle opens").unwrap();
    assert!(overdue < later);
    assert!(calendar.contains("data-owner=\"bob\""));
    let asks = read(&out, "asks/index.html");
    let bob = asks.find("Bob Wu").unwrap();
    let ann = asks.find("Ann Lee").unwrap();
    assert!(ann < bob, "by name");
    assert!(asks.contains("is-overdue"));
    // Each person's count says what it counts.
    assert!(asks.contains("<span class=\"sub\">Asks 1 · Overdue 1</span>"));
    assert!(asks.contains("href=\"/accounts/alpha/\""));
}

/// Every `/people/ID/` link of a site, checked to lead to a page.
fn people_links_resolve(out: &Path) -> Vec<String> {
    let mut linked = Vec::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for (at, _) in html.match_indices("href=\"/people/") {
            let rest = &html[at + "href=\"/people/".len()..];
            let id = &rest[..rest.find('"').unwrap()];
            if id.is_empty() || id.ends_with(".ics") {
                continue;
            }
            assert!(
                out.join("people").join(id).join("index.html").is_file(),
                "{} links to /people/{id}, which has no page",
                entry.path().display()
            );
            linked.push(id.trim_end_matches('/').to_owned());
        }
    }
    linked.sort();
    linked.dedup();
    linked
}

/// With `people.yaml`, the people a dossier names (its team, whom it asks)
/// link to their pages, and every such link leads to one.
#[test]
fn a_dossier_links_its_people_to_their_pages() {
    let repo = repo();
    let out = repo.path().join("site");
    build(&repo, &out);
    let alpha = read(&out, "accounts/alpha/index.html");
    let ask = alpha.find("Approve the budget").unwrap();
    let line = &alpha[ask..ask + alpha[ask..].find("</li>").unwrap()];
    assert!(
        line.contains("<a href=\"/people/bob/\">Bob Wu</a>"),
        "{line}"
    );
    assert!(alpha.contains("<th scope=\"row\"><a href=\"/people/ann/\">"));
    assert_eq!(people_links_resolve(&out), ["ann", "bob", "carl"]);
}

/// Without `people.yaml`, the people with a page are the owners of an
/// account or an action (format §9.6): a risk owner, reviewer or person
/// asked who owns neither is named without a link.
#[test]
fn without_people_yaml_only_owners_are_linked() {
    let repo = Repo::new();
    repo.write(
        "accounts/alpha/plan.yaml",
        "\
account: { name: Alpha Corp, owner: ann }
team:
  - { id: ann, name: Ann Lee }
  - { id: bob, name: Bob Wu, role: specialist }
  - { id: dan, name: Dan Ho, role: executive-sponsor }
actions:
  - { id: demo, title: Demo, owner: bob, due: 2026-09-01 }
risks:
  - { title: Budget freeze, likelihood: 3, impact: 4, mitigation: Phase the order, owner: dan }
asks:
  - { of: dan, what: Sign the framework agreement, by: 2026-08-01 }
review: { last_reviewed: 2026-06-01, by: dan }
",
    );
    let out = repo.path().join("site");
    build(&repo, &out);
    let alpha = read(&out, "accounts/alpha/index.html");
    for shown in [
        "Budget freeze",
        "Sign the framework agreement",
        "Dan Ho",
        "<a href=\"/people/bob/\">Bob Wu</a>",
        "<a href=\"/people/ann/\">Ann Lee</a>",
    ] {
        assert!(alpha.contains(shown), "{shown} missing");
    }
    assert!(!alpha.contains("/people/dan/"), "Dan owns nothing: no page");
    assert_eq!(people_links_resolve(&out), ["ann", "bob"]);
}
