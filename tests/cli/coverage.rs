//! Coverage and whitespace (contract §9.4) on the site: the dossier's
//! coverage chart and whitespace grid, the portfolio's whitespace table
//! and `accounts.json`'s totals.

use scraper::{Html, Selector};

use crate::support::{Repo, kaplan, repo_root};

/// A clean plan with coverage on both stakeholders (Li Ming by Zhang Wei and
/// Chen Jie, Wu Fang by Zhang Wei) and a whitespace grid of two units × two
/// offerings, one pair not written.
fn plan() -> String {
    let clean =
        std::fs::read_to_string(repo_root().join("tests/rules/why/no-objectives/passes.yaml"))
            .unwrap();
    let clean = clean.replace(
        "    last_contact: 2026-06-10\n",
        "    last_contact: 2026-06-10\n    coverage:\n      - { by: zhang-wei, level: favorable, target: trusted }\n      - { by: chen-jie, level: aware }\n",
    );
    let clean = clean.replacen(
        "    role: coach\n",
        "    role: coach\n    coverage: [{ by: zhang-wei, level: allied }]\n",
        1,
    );
    format!(
        "{clean}whitespace:\n\
         \x20 - {{ unit: Enterprise, offering: 5G private network, status: owned, current: 4000000, potential: 9000000 }}\n\
         \x20 - {{ unit: Enterprise, offering: SD-WAN, status: competitor, potential: 2000000, holder: Rival Networks }}\n\
         \x20 - {{ unit: Retail, offering: 5G private network, status: gap, potential: 3000000 }}\n"
    )
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &scraper::ElementRef<'_>) -> String {
    e.text().collect::<String>()
}

#[test]
fn the_site_shows_coverage_and_whitespace() {
    let repo = Repo::with_plan(plan().as_bytes());
    repo.write("kaplan.toml", "language = \"en\"\n");
    let out = kaplan(&[
        "build",
        repo.path().to_str().unwrap(),
        "--today",
        "2026-06-30",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = repo.path().join("public");

    // accounts.json: owned 4,000,000; untapped 2,000,000 (competitor) + 3,000,000 (gap).
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("accounts.json")).unwrap()).unwrap();
    assert_eq!(json[0]["whitespace_current"], 4_000_000.0);
    assert_eq!(json[0]["whitespace_potential"], 5_000_000.0);

    let dossier = Html::parse_document(
        &std::fs::read_to_string(public.join("accounts/fixture/index.html")).unwrap(),
    );
    // The coverage chart: two stakeholders × the two team members who hold a relationship.
    let cells = select(&dossier, "#check-who svg.chart-coverage g.cell");
    assert_eq!(cells.len(), 4);
    assert_eq!(select(&dossier, "svg.chart-coverage g.cell.gap").len(), 1);
    let titles: Vec<String> = cells
        .iter()
        .map(|c| text(&c.select(&Selector::parse("title").unwrap()).next().unwrap()))
        .collect();
    assert!(
        titles.contains(&"Li Ming · Zhang Wei: Favorable → Trusted".to_owned()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Wu Fang · Chen Jie: no relationship".to_owned()),
        "{titles:?}"
    );

    // The whitespace grid: 2 units × 2 offerings, the pair not written a hatched gap.
    assert_eq!(
        select(&dossier, "#check-how table.whitespace tbody tr").len(),
        2
    );
    assert_eq!(select(&dossier, "table.whitespace td.ws-owned").len(), 1);
    assert_eq!(select(&dossier, "table.whitespace td.ws-none").len(), 1);
    let competitor = text(&select(&dossier, "table.whitespace td.ws-competitor")[0]);
    assert!(
        competitor.contains("Rival Networks") && competitor.contains("Competitor"),
        "{competitor}"
    );
    let summary = text(&select(&dossier, "details#whitespace > summary .ws-summary")[0]);
    assert_eq!(summary, "Owned revenue CNY 4M · Untapped potential CNY 5M");
    let parts = text(&select(&dossier, "#whitespace .ws-parts")[0]);
    assert_eq!(parts, "Untapped potential: Open CNY 3M, Competitor CNY 2M");
    // The coverage chart is folded under its note.
    let note = text(&select(&dossier, "details#coverage > summary p")[0]);
    // Li Ming (influence 5) is the one key person; Wu Fang has influence 3.
    assert_eq!(note, "1 of 1 key persons covered, by 2 of our team");

    // The portfolio: one row per offering, the largest untapped potential first.
    let index = Html::parse_document(&std::fs::read_to_string(public.join("index.html")).unwrap());
    let rows: Vec<String> = select(&index, "table.whitespace-portfolio tbody th")
        .iter()
        .map(text)
        .collect();
    assert_eq!(rows, ["5G private network", "SD-WAN"]);
}
