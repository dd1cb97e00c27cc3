//! Objectives (§9.1): one progress and one status per objective, and every
//! place that shows them agrees: the dossier's glance and Why section, the
//! objectives chart's tooltips, the portfolio, `accounts.json` and
//! `kaplan diff --format json`.
//!
//! The expected values are worked out by hand from the contract, not read
//! from the code: the plan runs 2026-01-01 .. 2026-12-31 and today is
//! 2026-06-30, so 180 of the 364 days to a 12-31 due date are gone
//! (elapsed 0.49; at risk below 0.24).

use std::path::Path;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use crate::support::{Repo, commit_all, kaplan};

const CONFIG: &str = "title = \"Objectives\"\nlanguage = \"en\"\ntoday = \"2026-06-30\"\n";

/// The plan, with the `actual` values of each objective (`None`: no actual).
fn plan(actuals: [Option<&str>; 6]) -> String {
    let actual = |i: usize| actuals[i].map_or(String::new(), |a| format!(", actual: {a}"));
    format!(
        "account: {{name: Objective Test Co., owner: zhang-wei}}
period: {{start: 2026-01-01, end: 2026-12-31}}
team:
  - {{id: zhang-wei, name: Zhang Wei, role: account-manager}}
objectives:
  - {{id: premium-mix, title: Premium mix, metric: share, unit: '%', baseline: 14, target: 22{}, due: 2026-12-31}}
  - {{id: core-skus, title: Core SKUs, metric: distribution, unit: '%', baseline: 96, target: 90{}, better: higher, due: 2026-12-31}}
  - {{id: revenue, title: Revenue, metric: revenue, unit: CNY, baseline: 18000000, target: 32000000{}, due: 2026-12-31}}
  - {{id: downtime, title: Downtime, metric: ppm, baseline: 420, target: 250{}, due: 2026-12-31}}
  - {{id: pilots, title: Pilots, metric: pilots live, target: 2{}, due: 2026-05-31}}
  - {{id: tender, title: Tender, metric: contract value, unit: CNY, target: 46000000{}, due: 2026-10-31}}
",
        actual(0),
        actual(1),
        actual(2),
        actual(3),
        actual(4),
        actual(5),
    )
}

/// Each objective's expected progress (a whole percent) and status, by hand:
struct Expected {
    id: &'static str,
    percent: Option<i64>,
    status: &'static str,
    words: &'static str,
}

const EXPECTED: [Expected; 6] = [
    // (17 − 14) / (22 − 14) = 0.375 → 38%; 0.375 ≥ 0.24: on track.
    Expected {
        id: "premium-mix",
        percent: Some(38),
        status: "on-track",
        words: "on track",
    },
    // A floor (higher, target below baseline): a hold goal; 71 < 90 not
    // met; progress 71 / 90 = 0.789 → 79%; a hold goal not met: at risk.
    Expected {
        id: "core-skus",
        percent: Some(79),
        status: "at-risk",
        words: "at risk",
    },
    // (14.5M − 18M) / (32M − 18M) < 0 → 0%; 0 < 0.24: at risk.
    Expected {
        id: "revenue",
        percent: Some(0),
        status: "at-risk",
        words: "at risk",
    },
    // Lower (250 < 420 by default); 250 ≤ 250: met, 100%.
    Expected {
        id: "downtime",
        percent: Some(100),
        status: "met",
        words: "met",
    },
    // 1 of 2 (no baseline: 1 / 2 = 50%), due 05-31 before today: missed.
    Expected {
        id: "pilots",
        percent: Some(50),
        status: "missed",
        words: "missed",
    },
    // No actual: no progress, no data.
    Expected {
        id: "tender",
        percent: None,
        status: "no-data",
        words: "no data",
    },
];

/// Version 1: every objective in another state (so that the diff to
/// version 2 changes each one's progress and status).
const V1: [Option<&str>; 6] = [
    Some("15"),       // 1/8 = 13%, at risk
    Some("92"),       // met
    Some("25000000"), // 7/14 = 50%, on track
    Some("300"),      // 120/170 = 71%, on track
    Some("2"),        // met
    Some("10000000"), // 10/46 = 22%, at risk (elapsed 180/303 to 10-31)
];
const V2: [Option<&str>; 6] = [
    Some("17"),
    Some("71"),
    Some("14500000"),
    Some("250"),
    Some("1"),
    None,
];

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &ElementRef<'_>) -> String {
    e.text().collect::<String>().trim().to_owned()
}

fn percent_text(p: Option<i64>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("kaplan.toml", CONFIG);
    repo.write("accounts/acme/plan.yaml", plan(V1));
    commit_all(repo.path(), "2026-03-01", "Objectives as of March");
    repo.write("accounts/acme/plan.yaml", plan(V2));
    commit_all(repo.path(), "2026-06-29", "Objectives as of June");
    repo
}

fn build(root: &Path) -> std::path::PathBuf {
    let out = root.join("public");
    let run = kaplan(&[
        "build",
        root.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--allow-errors",
    ]);
    // The plan has no stakeholders, costs or actions: errors, published anyway.
    assert!(
        out.join("accounts/acme/index.html").exists(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

#[test]
fn every_place_shows_the_same_progress_and_status() {
    let repo = repo();
    let out = build(repo.path());
    let dossier = Html::parse_document(
        &std::fs::read_to_string(out.join("accounts/acme/index.html")).unwrap(),
    );

    // The glance: one line per objective, its percent and its status in words.
    let lines = select(&dossier, ".glance .objective-line");
    assert_eq!(lines.len(), EXPECTED.len());
    for (line, e) in lines.iter().zip(&EXPECTED) {
        let pct = text(
            &line
                .select(&Selector::parse(".pct").unwrap())
                .next()
                .unwrap(),
        );
        let status = line
            .select(&Selector::parse(".objective-status").unwrap())
            .next()
            .unwrap();
        assert_eq!(pct, percent_text(e.percent), "glance {}", e.id);
        assert_eq!(text(&status), e.words, "glance {}", e.id);
        let class = status.value().attr("class").unwrap_or_default();
        assert!(
            class
                .split(' ')
                .any(|c| c == format!("status-{}", e.status)),
            "glance {}: {class}",
            e.id
        );
        let meter = line.select(&Selector::parse("meter").unwrap()).next();
        assert_eq!(
            meter.and_then(|m| m.value().attr("value")),
            e.percent.map(|p| p.to_string()).as_deref(),
            "glance meter {}",
            e.id
        );
    }

    // The Why section: one row per objective with its rationale and metric; its progress is
    // the chart's and the glance's, not repeated a third time.
    let rows = select(&dossier, "#check-why .rationales > div");
    assert_eq!(rows.len(), EXPECTED.len());
    assert!(select(&dossier, "#check-why meter, #check-why .pct").is_empty());

    // The chart (both its drawings, the broad one and the one for other
    // screens and print): each objective's tooltip ends with its progress
    // and status.
    for drawing in [
        "svg.chart-objectives.chart-broad",
        "svg.chart-objectives:not(.chart-broad)",
    ] {
        let tips = select(&dossier, &format!("{drawing} g.objective > title"));
        assert_eq!(tips.len(), EXPECTED.len(), "{drawing}");
        for (tip, e) in tips.iter().zip(&EXPECTED) {
            let want = format!(" · progress {} · {}", percent_text(e.percent), e.words);
            assert!(text(tip).ends_with(&want), "chart {}: {}", e.id, text(tip));
        }
    }
    // Never a percentage above 100 on the page.
    let html = dossier.html();
    for big in ["101%", "416", "110%"] {
        assert!(!html.contains(big), "{big}");
    }

    // accounts.json: the same values, progress as a share.
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("accounts.json")).unwrap()).unwrap();
    let objectives = json[0]["objectives"].as_array().unwrap();
    assert_eq!(objectives.len(), EXPECTED.len());
    for (o, e) in objectives.iter().zip(&EXPECTED) {
        assert_eq!(o["id"], e.id);
        assert_eq!(o["status"], e.status, "{}", e.id);
        assert_eq!(o["met"], e.status == "met", "{}", e.id);
        let percent = o["progress"].as_f64().map(|p| (p * 100.0).round() as i64);
        assert_eq!(percent, e.percent, "accounts.json {}", e.id);
    }
    assert_eq!(json[0]["objectives"][0]["progress"], 0.375);
    assert_eq!(json[0]["objectives"][5]["progress"], Value::Null);
    assert_eq!(json[0]["objectives_met"], 1);

    // The portfolio: objectives met of all, and the statuses.
    let index = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    let cell = text(&select(&index, "#accounts tbody tr td:nth-child(6)")[0]);
    assert!(cell.starts_with("1/6"), "{cell}");
    assert!(
        cell.contains("missed 1 · at risk 2 · no data 1 · on track 1 · met 1"),
        "{cell}"
    );

    // kaplan diff: each objective's progress and status, as the site has them.
    let run = kaplan(&[
        "diff",
        "--root",
        repo.path().to_str().unwrap(),
        "HEAD~1",
        "HEAD",
        "--format",
        "json",
        "--today",
        "2026-06-30",
    ]);
    assert!(run.status.success());
    let diff: Value = serde_json::from_slice(&run.stdout).unwrap();
    let changes = diff["accounts"][0]["changes"].as_array().unwrap();
    let change = |id: &str, field: &str| {
        changes
            .iter()
            .find(|c| c["section"] == "figures" && c["item"]["key"] == id && c["field"] == field)
            .unwrap_or_else(|| panic!("{id} {field} in {changes:#?}"))
    };
    for (o, e) in objectives.iter().zip(&EXPECTED) {
        assert_eq!(
            change(e.id, "progress")["new"].as_f64(),
            o["progress"].as_f64(),
            "diff {}",
            e.id
        );
        assert_eq!(change(e.id, "status")["new"], e.status, "diff {}", e.id);
    }
    let text = change("core-skus", "status")["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(text, "objective `core-skus` status met → at-risk");
    let text = change("premium-mix", "progress")["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(text, "objective `premium-mix` progress 13% → 38%");
}
