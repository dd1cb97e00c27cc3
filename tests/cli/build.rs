//! `kaplan build`: the pages, their figures, escaping, privacy, links,
//! determinism and the safety of the output folder.

use std::path::Path;

use scraper::{Html, Selector};

use crate::support::{Repo, kaplan, repo_root};

/// A clean plan (no diagnostics): cost 800,000; expected return 3,000,000 × 0.6.
fn clean_plan() -> String {
    std::fs::read_to_string(repo_root().join("tests/rules/why/no-objectives/passes.yaml")).unwrap()
}

fn build(root: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", root.to_str().unwrap(), "--today", "2026-06-30"];
    args.extend(extra);
    kaplan(&args)
}

fn page(path: &Path) -> Html {
    Html::parse_document(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &scraper::ElementRef<'_>) -> String {
    e.text().collect::<String>()
}

fn all_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn example_site_has_every_page_and_section() {
    let repo = Repo::new();
    let out = repo.path().join("site");
    let result = build(
        &repo_root().join("example-accounts"),
        &["-o", out.to_str().unwrap()],
    );
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let accounts: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(out.join("accounts.json")).unwrap()).unwrap();
    assert_eq!(accounts.len(), 8);
    for a in &accounts {
        let id = a["id"].as_str().unwrap();
        let html = page(&out.join(format!("accounts/{id}/index.html")));
        for q in ["why", "who", "by-whom", "how", "when-where", "cost-return"] {
            assert_eq!(
                select(&html, &format!("details#check-{q}")).len(),
                1,
                "{id}: section {q}"
            );
        }
        assert_eq!(
            select(&html, ".glance .badges .badge").len(),
            6,
            "{id}: six badges on the first screen"
        );
        assert!(
            !select(&html, "#visits .visit").is_empty(),
            "{id}: visit log"
        );
    }
    let index = page(&out.join("index.html"));
    assert_eq!(select(&index, "#accounts tbody tr").len(), 8);
    assert_eq!(
        select(&index, "#accounts tfoot tr").len(),
        1,
        "a totals row"
    );
    let checklist = page(&out.join("checklist/index.html"));
    assert_eq!(
        select(&checklist, "table.findings tbody tr").len(),
        12,
        "the twelve intended warnings (example-accounts/README.md)"
    );
}

#[test]
fn accounts_json_carries_the_contract_figures() {
    let repo = Repo::with_plan(clean_plan().as_bytes());
    repo.write("kaplan.toml", "language = \"zh-CN\"\n");
    let out = build(repo.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("public/accounts.json")).unwrap())
            .unwrap();
    let a = &json[0];
    assert_eq!(a["id"], "fixture");
    assert_eq!(a["owner"], "zhang-wei");
    assert_eq!(a["stage"], "cooperative");
    assert_eq!(a["tier"], "platinum");
    assert_eq!(a["computed_tier"], "platinum");
    assert_eq!(a["scorecard"], 86.2); // (8×9 + 5×8) / 130 × 100
    assert_eq!(a["total_cost"], 800000.0);
    assert_eq!(a["expected_return"], 1800000.0);
    assert_eq!(a["roi"], 1.25);
    assert_eq!(
        a["payback"],
        serde_json::Value::Null,
        "returns without a period never pay back"
    );
    assert_eq!(a["completeness"], 1.0);
    assert_eq!(a["checklist"]["cost-return"], "pass");
    assert_eq!(a["errors"], 0);
    assert_eq!(a["next_milestone"]["date"], "2026-09-01");
    let dossier = page(&repo.path().join("public/accounts/fixture/index.html"));
    let figures: Vec<String> = select(&dossier, ".glance .figures dd")
        .iter()
        .map(text)
        .collect();
    assert!(
        figures.contains(&"¥80万".to_owned()) && figures.contains(&"125%".to_owned()),
        "{figures:?}"
    );
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let plan = clean_plan()
        .replace(
            "name: East Mobile Communications Co., Ltd.",
            "name: \"<script>alert('x')</script> & Co\"",
        )
        .replace("title: CTO", "title: \"<img src=x onerror=alert(1)>\"");
    let repo = Repo::with_plan(plan.as_bytes());
    repo.write(
        "accounts/fixture/situation.md",
        "---\ntitle: \"<b>bold</b>\"\nsection: why\n---\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">x</a> <sup>ok</sup>\n",
    );
    let out = build(repo.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in all_files(&repo.path().join("public"))
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
    {
        let html = page(file);
        for e in select(&html, "*") {
            let el = e.value();
            if el.name() == "script" {
                assert!(
                    el.attr("src")
                        .is_some_and(|s| s.ends_with("assets/kaplan.js")),
                    "{}: an injected script",
                    file.display()
                );
            }
            for (name, value) in el.attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{}: event handler `{name}`",
                    file.display()
                );
                assert!(
                    !value.trim_start().to_lowercase().starts_with("javascript:"),
                    "{}: `{value}`",
                    file.display()
                );
            }
        }
    }
    let dossier =
        std::fs::read_to_string(repo.path().join("public/accounts/fixture/index.html")).unwrap();
    assert!(
        dossier.contains("&lt;script&gt;alert("),
        "names are shown as text"
    );
    assert!(dossier.contains("<sup>ok</sup>"), "harmless markup stays");
}

#[test]
fn private_fields_never_leak_unless_asked() {
    let plan = clean_plan().replace(
        "    last_contact: 2026-06-10\n",
        "    last_contact: 2026-06-10\n    private:\n      birthday: 1975-06-02\n      hobbies: [secret-fishing-spot]\n",
    );
    let repo = Repo::with_plan(plan.as_bytes());
    assert_eq!(build(repo.path(), &[]).status.code(), Some(0));
    for file in all_files(&repo.path().join("public")) {
        let body = std::fs::read(&file).unwrap();
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("1975-06-02") && !body.contains("secret-fishing-spot"),
            "{} leaks",
            file.display()
        );
        assert!(
            !body.contains("class=\"private-banner\""),
            "{}",
            file.display()
        );
    }
    assert_eq!(
        build(repo.path(), &["--include-private"]).status.code(),
        Some(0)
    );
    let dossier =
        std::fs::read_to_string(repo.path().join("public/accounts/fixture/index.html")).unwrap();
    assert!(dossier.contains("secret-fishing-spot"));
    for file in all_files(&repo.path().join("public"))
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
    {
        let html = page(file);
        assert_eq!(
            select(&html, ".private-banner").len(),
            1,
            "{} lacks the banner",
            file.display()
        );
    }
}

#[test]
fn base_url_prefixes_every_link_and_asset() {
    let repo = Repo::with_plan(clean_plan().as_bytes());
    assert_eq!(
        build(repo.path(), &["--base-url", "/plans/"]).status.code(),
        Some(0)
    );
    for file in all_files(&repo.path().join("public"))
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
    {
        let html = page(file);
        for e in select(&html, "[href], [src]") {
            let url = e.value().attr("href").or(e.value().attr("src")).unwrap();
            assert!(
                url.starts_with("/plans/") || url.starts_with('#'),
                "{}: {url}",
                file.display()
            );
        }
    }
}

#[test]
fn relative_base_url_opens_from_disk() {
    let repo = Repo::with_plan(clean_plan().as_bytes());
    assert_eq!(
        build(repo.path(), &["--base-url", "./"]).status.code(),
        Some(0)
    );
    let dossier = page(&repo.path().join("public/accounts/fixture/index.html"));
    let css = select(&dossier, "link[rel=stylesheet]")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    assert_eq!(css, "../../assets/palette.css");
    assert!(
        repo.path()
            .join("public/accounts/fixture")
            .join(&css)
            .is_file()
    );
}

#[test]
fn identical_inputs_give_identical_bytes() {
    let repo = Repo::new();
    let a = repo.path().join("a");
    let b = repo.path().join("b");
    let root = repo_root().join("example-accounts");
    assert_eq!(
        build(&root, &["-o", a.to_str().unwrap()]).status.code(),
        Some(0)
    );
    assert_eq!(
        build(&root, &["-o", b.to_str().unwrap()]).status.code(),
        Some(0)
    );
    let fa = all_files(&a);
    let fb = all_files(&b);
    assert_eq!(fa.len(), fb.len());
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.strip_prefix(&a).unwrap(), y.strip_prefix(&b).unwrap());
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }
}

#[test]
fn a_failed_build_keeps_the_previous_site() {
    let repo = Repo::with_plan(clean_plan().as_bytes());
    assert_eq!(build(repo.path(), &[]).status.code(), Some(0));
    let index = repo.path().join("public/index.html");
    let before = std::fs::read(&index).unwrap();
    // A plan error: nothing is published.
    repo.write(
        "accounts/fixture/plan.yaml",
        clean_plan().replace("owner: zhang-wei\n  tier", "tier"),
    );
    let out = build(repo.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-errors"));
    assert_eq!(std::fs::read(&index).unwrap(), before);
    // A broken template: the command fails, the site stays.
    repo.write("accounts/fixture/plan.yaml", clean_plan());
    repo.write(
        "templates/dossier.html",
        "{% extends \"default/dossier.html\" %}{% block more %}{{ nope( }}{% endblock more %}",
    );
    let out = build(repo.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&index).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("kaplan-new")),
        "no staging folder left: {names:?}"
    );
}

#[test]
fn allow_errors_publishes_failing_badges() {
    let repo = Repo::with_plan(
        clean_plan()
            // why/objective-not-measurable, an error of a checklist question
            .replace("    metric: contracted revenue\n", "")
            .as_bytes(),
    );
    let out = build(repo.path(), &["--allow-errors"]);
    assert_eq!(out.status.code(), Some(1));
    let dossier = page(&repo.path().join("public/accounts/fixture/index.html"));
    assert!(!select(&dossier, ".glance .badge-fail").is_empty());
}

#[test]
fn refuses_to_write_over_the_plans_or_foreign_folders() {
    let repo = Repo::with_plan(clean_plan().as_bytes());
    let out = build(repo.path(), &["-o", repo.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(repo.path().join("accounts/fixture/plan.yaml").is_file());
    let foreign = repo.path().join("docs");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
    let out = build(repo.path(), &["-o", foreign.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not created by kaplan"));
    assert_eq!(
        std::fs::read_to_string(foreign.join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_template_override_replaces_one_block() {
    let repo = Repo::with_plan(clean_plan().as_bytes());
    repo.write(
        "templates/dossier.html",
        "{% extends \"default/dossier.html\" %}{% block more %}<p id=\"custom\">{{ dossier.head.name }}</p>{% endblock more %}",
    );
    repo.write("static/logo.txt", "logo");
    assert_eq!(build(repo.path(), &[]).status.code(), Some(0));
    let dossier = page(&repo.path().join("public/accounts/fixture/index.html"));
    assert_eq!(
        text(&select(&dossier, "#custom")[0]),
        "East Mobile Communications Co., Ltd."
    );
    assert_eq!(
        select(&dossier, "details#check-why").len(),
        1,
        "the other blocks stay"
    );
    assert!(
        repo.path().join("public/logo.txt").is_file(),
        "static/ is copied"
    );
}

#[test]
fn english_and_chinese_labels_come_from_the_locale() {
    // An action addressing two stakeholders: names are listed as the language does.
    let plan = clean_plan().replacen(
        "stakeholders: [li-ming]",
        "stakeholders: [li-ming, wu-fang]",
        1,
    );
    let repo = Repo::with_plan(plan.as_bytes());
    repo.write("kaplan.toml", "language = \"en\"\n");
    assert_eq!(build(repo.path(), &[]).status.code(), Some(0));
    let en =
        std::fs::read_to_string(repo.path().join("public/accounts/fixture/index.html")).unwrap();
    assert!(en.contains("Expected return") && en.contains("lang=\"en\""));
    assert!(en.contains(">Li Ming, Wu Fang</td>") && !en.contains('、'));
    repo.write("kaplan.toml", "language = \"zh-CN\"\n");
    assert_eq!(build(repo.path(), &[]).status.code(), Some(0));
    let zh =
        std::fs::read_to_string(repo.path().join("public/accounts/fixture/index.html")).unwrap();
    assert!(zh.contains("预期回报") && zh.contains("lang=\"zh-CN\""));
    assert!(zh.contains(">Li Ming、Wu Fang</td>"));
    let en_labels = kaplan::i18n::Locale::new(kaplan::config::Language::En);
    for key in [
        "figures.expected_return",
        "dossier.stakeholders",
        "dossier.visits",
        "portfolio.owner",
        "dossier.milestones",
    ] {
        assert!(
            !zh.contains(en_labels.text(key)),
            "English label `{}` in the zh-CN site",
            en_labels.text(key)
        );
    }
}

/// The site's figures read one way, and the alerts say what the plan says.
/// The plan, by hand: costs 800,000 (pilot) + 200,000 (people) + 1,500
/// (travel) = 1,001,500; shares 79.88% → 80%, 19.97% → 20%, 0.1498% →
/// 0.15%; expected return 1,000,000 × 0.6 = 600,000; ROI (600,000 −
/// 1,001,500) / 1,001,500 = −0.4009 → −40%, below `min_roi` 0.5 (50%).
#[test]
fn shares_roi_and_alerts_read_as_the_plan_says() {
    let plan = std::fs::read_to_string(
        repo_root().join("tests/rules/cost-return/roi-below-threshold/fires.yaml"),
    )
    .unwrap()
    .replacen("stage: cooperative", "stage: disintegrating", 1)
    .replacen(
        "    amount: 800000\n",
        "    amount: 800000\n  - item: Key account team\n    category: people\n    amount: 200000\n  - item: Travel\n    category: travel\n    amount: 1500\n",
        1,
    ) + "kpis:\n  - id: open-deductions\n    name: Open disputed deductions\n    unit: CNY\n    target: 0\n    actual: 3300000\n    period: 2026-Q2\n    better: lower\n";
    let repo = Repo::with_plan(plan.as_bytes());
    repo.write("kaplan.toml", "language = \"en\"\n");
    let result = build(repo.path(), &[]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let dossier = page(&repo.path().join("public/accounts/fixture/index.html"));
    let shares: Vec<String> = select(&dossier, "ul.shares li .num")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        shares,
        ["CNY 800k · 80%", "CNY 200k · 20%", "CNY 1,500 · 0.15%"]
    );
    // A KPI in the currency reads as money on its chart (the dossier's one view of KPIs).
    let kpi: Vec<String> = select(&dossier, "#kpis svg.chart-kpis text")
        .iter()
        .map(text)
        .collect();
    assert!(
        kpi.iter().any(|t| t.contains("CNY 3.3M")) && kpi.iter().any(|t| t.contains("CNY 0")),
        "{kpi:?}"
    );
    assert!(select(&dossier, "#kpis table").is_empty(), "shown once");
    let roi = select(&dossier, ".glance .figures .alert");
    assert_eq!(roi.len(), 1, "the ROI figure is an alert");
    assert_eq!(
        text(&roi[0]),
        "ROI-40%below the minimum ROI of 50%",
        "the figure says why in words"
    );
    assert_eq!(
        select(&dossier, ".dossier-header .stage-disintegrating").len(),
        1
    );
    let index = page(&repo.path().join("public/index.html"));
    let row = select(&index, "#accounts tbody tr");
    let cells: Vec<_> = select(&index, "#accounts tbody tr td.alert")
        .iter()
        .map(text)
        .collect();
    assert_eq!(row.len(), 1);
    assert_eq!(
        cells,
        ["Disintegrating", "-40% !"],
        "stage and ROI are alerts"
    );
    let mark = select(&index, "#accounts td.alert .alert-mark");
    assert_eq!(
        mark[0].value().attr("aria-label"),
        Some("below the minimum ROI of 50%")
    );
    let checklist =
        std::fs::read_to_string(repo.path().join("public/checklist/index.html")).unwrap();
    assert!(
        checklist.contains("the expected ROI is -40%, below the threshold 50%: expected return CNY 600k against total cost CNY 1M"),
        "{checklist}"
    );
}

/// Completeness is the contract's (§5: passing or warning questions / 6)
/// everywhere the portfolio shows it. An action without an owner fails
/// by-whom: 5 of 6, 83% — in `accounts.json`, the heat map and the sort key
/// of the table's checklist column.
#[test]
fn a_failing_question_keeps_the_portfolio_below_complete() {
    let repo = Repo::with_plan(
        clean_plan()
            .replacen("    owner: zhang-wei\n", "", 1)
            .as_bytes(),
    );
    repo.write("kaplan.toml", "language = \"en\"\n");
    let out = build(repo.path(), &["--allow-errors"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("public/accounts.json")).unwrap())
            .unwrap();
    assert_eq!(json[0]["checklist"]["by-whom"], "fail");
    let completeness = json[0]["completeness"].as_f64().unwrap();
    assert!((completeness - 5.0 / 6.0).abs() < 1e-9, "{completeness}");
    let index = page(&repo.path().join("public/index.html"));
    let cell = select(&index, "#accounts tbody td a.checks");
    let td = cell[0]
        .parent()
        .and_then(scraper::ElementRef::wrap)
        .unwrap();
    assert_eq!(td.value().attr("data-value"), Some("83"));
    let heat = select(&index, "svg.chart-checklist-heatmap text")
        .iter()
        .map(text)
        .filter(|t| t.ends_with('%'))
        .collect::<Vec<_>>();
    assert_eq!(heat, ["83%"]);
}

/// The glance answers the six questions from the plan: who decides with their stance, the
/// next open actions by due date, the next milestones, the most severe findings first, the
/// top risks by likelihood × impact.
#[test]
fn the_glance_answers_the_six_questions() {
    let repo = Repo::new();
    let out = repo.path().join("site");
    let result = build(
        &repo_root().join("example-accounts"),
        &["-o", out.to_str().unwrap()],
    );
    assert_eq!(result.status.code(), Some(0));
    let dossier = page(&out.join("accounts/grandmart-hypermarkets/index.html"));
    let glance = |sel: &str| -> Vec<String> {
        select(&dossier, &format!(".glance {sel}"))
            .iter()
            .map(text)
            .collect()
    };
    // Who decides: the economic buyer first, an opponent, then the coach.
    let people = glance(".answer-who .people > li > strong");
    assert_eq!(people, ["Vivian Qiao", "Amy Xu"]);
    assert_eq!(
        select(&dossier, ".answer-who .people > li")[0]
            .select(&Selector::parse(".attitude-opponent").unwrap())
            .count(),
        1
    );
    // By whom: the owner and the executive sponsor.
    let roles = glance(".answer-by-whom dd");
    assert_eq!(roles[..2], ["Daniel Wong", "Sarah Li"]);
    // How: three open actions, by due date.
    let due = glance(".answer-how li > .date");
    assert_eq!(due.len(), 3);
    assert!(due.windows(2).all(|w| w[0] <= w[1]), "{due:?}");
    // When: the next milestones, none in the past (today is 2026-06-30).
    let when = glance(".answer-when-where li > .date");
    assert!(
        !when.is_empty() && when.iter().all(|d| d.as_str() >= "2026-06-30"),
        "{when:?}"
    );
    // Cost versus return: cost, return, ROI, payback and the scorecard.
    assert_eq!(glance(".answer-cost-return dt").len(), 5);
    // Top risks: the three most severe, most severe first.
    let severity = glance(".answer-risks .severity");
    assert_eq!(severity, ["15", "12", "10"]);
    // Needs attention: at most five, errors before warnings, each linked to its section.
    let levels: Vec<_> = select(&dossier, ".answer-attention li")
        .iter()
        .map(|l| l.value().attr("class").unwrap_or_default().to_owned())
        .collect();
    assert!(!levels.is_empty() && levels.len() <= 5);
    let first_warning = levels.iter().position(|c| c == "diag-warning");
    assert!(
        first_warning.is_none_or(|w| levels[w..].iter().all(|c| c == "diag-warning")),
        "{levels:?}"
    );
    for a in select(&dossier, ".answer-attention li a") {
        let href = a.value().attr("href").unwrap();
        let id = href.trim_start_matches('#');
        assert_eq!(select(&dossier, &format!("#{id}")).len(), 1, "{href}");
    }
}
