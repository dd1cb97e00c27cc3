//! Snapshot and structural tests of the charts, on the realistic plans in
//! `fixtures/` (a Chinese one full of edge cases, a plain English one).

use super::*;
use crate::config::Language;
use crate::diagnostic::{Question, Sink};
use crate::figures::Status as Check;
use crate::model::{BuyerRole, CriterionGroup, Id, Sp, Span, Status, Tier, VisitMeta};

const ZH: &str = include_str!("fixtures/zh.yaml");
const EN: &str = include_str!("fixtures/en.yaml");

fn plan(yaml: &str) -> Plan {
    let mut sink = Sink::new("t", "plan.yaml");
    let plan = crate::load::parse_plan(yaml, &mut sink).expect("the plan parses");
    assert!(sink.diagnostics.is_empty(), "{:?}", sink.diagnostics);
    plan
}

fn today() -> Date {
    Date::parse("2026-06-30").unwrap()
}

fn visit(date: &str, attendees: &[&str]) -> Visit {
    Visit {
        file: format!("visits/{date}.md"),
        meta: VisitMeta {
            date: Some(Sp::new(Date::parse(date).unwrap(), Span::FILE)),
            attendees: attendees
                .iter()
                .map(|a| Sp::new(Id((*a).to_owned()), Span::FILE))
                .collect(),
            ..VisitMeta::default()
        },
        ..Visit::default()
    }
}

fn render(yaml: &str, language: Language) -> Vec<(&'static str, String)> {
    let plan = plan(yaml);
    let thresholds = Thresholds::default();
    let figures = crate::figures::compute(&plan, &thresholds, today());
    let currency = plan
        .currency
        .as_ref()
        .map_or("CNY", |c| c.value.as_str())
        .to_owned();
    let visits = [
        visit("2026-06-18", &["sun-hao", "wang-lei"]),
        visit("2026-05-02", &["tom-baker"]),
    ];
    dossier(
        &plan,
        &figures,
        &visits,
        today(),
        &currency,
        &thresholds,
        &Locale::new(language),
    )
}

fn checklist(statuses: [Check; 6]) -> Checklist {
    let mut out = [(Question::Why, Check::Pass); 6];
    for (i, q) in Question::CHECKLIST.iter().enumerate() {
        out[i] = (*q, statuses[i]);
    }
    Checklist(out)
}

fn entries() -> Vec<PortfolioEntry> {
    use Check::{Fail, Pass, Warn};
    let e = |id: &str,
             name: &str,
             rs: Option<f64>,
             sc: Option<f64>,
             ret: f64,
             stage: Option<Stage>,
             c: [Check; 6]| PortfolioEntry {
        name: name.into(),
        href: format!("/accounts/{id}/"),
        relative_strength: rs,
        scorecard: sc,
        expected_return: ret,
        // The tiers a scorecard earns by default.
        tier: sc.map(|v| match v {
            80.0.. => Tier::Platinum,
            60.0.. => Tier::Gold,
            _ => Tier::Silver,
        }),
        stage,
        checklist: checklist(c),
    };
    vec![
        e(
            "dongyue",
            "东岳智能制造集团有限公司（装备事业部）",
            Some(6.0),
            Some(70.7),
            1_332_000.0,
            Some(Stage::Cooperative),
            [Pass, Warn, Pass, Pass, Warn, Warn],
        ),
        e(
            "northwind",
            "Northwind Logistics & Freight plc",
            Some(8.0),
            Some(89.1),
            580_000.0,
            Some(Stage::Interdependent),
            [Pass; 6],
        ),
        e(
            "huijia",
            "汇家电器连锁股份有限公司",
            Some(8.0),
            Some(84.0),
            74_300_000.0,
            Some(Stage::Integrated),
            [Pass, Pass, Pass, Pass, Pass, Warn],
        ),
        e(
            "grandmart",
            "GrandMart Hypermarkets Co., Ltd.",
            Some(4.0),
            Some(37.0),
            2_100_000.0,
            Some(Stage::Disintegrating),
            [Warn, Fail, Pass, Warn, Pass, Fail],
        ),
        e(
            "oujiang",
            "上海瓯江商会",
            Some(4.0),
            Some(51.0),
            0.0,
            Some(Stage::Exploratory),
            [Pass, Warn, Pass, Pass, Pass, Pass],
        ),
        e(
            "new-lead",
            "Brand-new lead without a scorecard",
            None,
            None,
            0.0,
            None,
            [Fail; 6],
        ),
    ]
}

/// A minimal well-formedness check: tags balance and every `&` starts an entity.
fn assert_well_formed(name: &str, html: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let end = rest[at..]
            .find('>')
            .map(|e| at + e)
            .unwrap_or_else(|| panic!("{name}: unclosed tag"));
        let tag = &rest[at + 1..end];
        if let Some(closing) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop(),
                Some(closing),
                "{name}: mismatched </{closing}>"
            );
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or_default());
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
    for (i, _) in html.match_indices('&') {
        let after = &html[i + 1..];
        assert!(
            ["amp;", "lt;", "gt;", "quot;", "#39;"]
                .iter()
                .any(|e| after.starts_with(e)),
            "{name}: bare & at {i}"
        );
    }
}

#[test]
fn dossier_snapshots_zh() {
    for (name, html) in render(ZH, Language::ZhCn) {
        assert_well_formed(name, &html);
        insta::assert_snapshot!(format!("zh_{name}"), html);
    }
}

#[test]
fn dossier_snapshots_en() {
    for (name, html) in render(EN, Language::En) {
        assert_well_formed(name, &html);
        insta::assert_snapshot!(format!("en_{name}"), html);
    }
}

#[test]
fn portfolio_snapshots() {
    let entries = entries();
    for (lang, tag) in [(Language::ZhCn, "zh"), (Language::En, "en")] {
        let locale = Locale::new(lang);
        for (name, html) in [
            (
                "portfolio_matrix",
                portfolio_matrix(&entries, "CNY", &locale),
            ),
            ("checklist_heatmap", checklist_heatmap(&entries, &locale)),
            (
                "checklist_heatmap_by_stage",
                checklist_heatmap(&many_entries(100), &locale),
            ),
            ("stages", stages(&entries, "CNY", &locale)),
        ] {
            assert_well_formed(name, &html);
            insta::assert_snapshot!(format!("{tag}_{name}"), html);
        }
    }
}

#[test]
fn every_chart_is_an_accessible_svg() {
    let portfolio = [Language::ZhCn, Language::En].into_iter().flat_map(|lang| {
        let locale = Locale::new(lang);
        let entries = entries();
        [
            (
                "portfolio_matrix",
                portfolio_matrix(&entries, "CNY", &locale),
            ),
            ("checklist_heatmap", checklist_heatmap(&entries, &locale)),
            ("by_stage", checklist_heatmap(&many_entries(100), &locale)),
            ("stages", stages(&entries, "CNY", &locale)),
        ]
    });
    for (name, html) in render(ZH, Language::ZhCn)
        .into_iter()
        .chain(render(EN, Language::En))
        .chain(portfolio)
    {
        assert!(html.starts_with("<svg "), "{name}");
        for needle in [
            "role=\"img\"",
            "aria-label=\"",
            "<title>",
            "<desc>",
            "viewBox=\"0 0 ",
            "class=\"chart chart-",
        ] {
            assert!(html.contains(needle), "{name} lacks {needle}");
        }
        // Drawn at its own size: width and height are the view box's, so
        // the theme shows the chart unscaled and its text at the sizes
        // it is written in.
        let open = &html[..html.find('>').unwrap()];
        let attr = |name: &str| {
            let at = open.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            open[at..at + open[at..].find('"').unwrap()].to_owned()
        };
        assert_eq!(
            attr("viewBox"),
            format!("0 0 {} {}", attr("width"), attr("height")),
            "{name}"
        );
        for size in html.split("font-size=\"").skip(1) {
            let size: f64 = size[..size.find('"').unwrap()].parse().unwrap();
            assert!((11.0..=16.0).contains(&size), "{name}: text of {size} px");
        }
    }
}

#[test]
fn renders_are_deterministic() {
    assert_eq!(render(ZH, Language::ZhCn), render(ZH, Language::ZhCn));
    assert_eq!(render(EN, Language::En), render(EN, Language::En));
    let locale = Locale::new(Language::ZhCn);
    assert_eq!(
        portfolio_matrix(&entries(), "CNY", &locale),
        portfolio_matrix(&entries(), "CNY", &locale)
    );
}

/// The two drawings of a chart with a row of its own: the broad one, then
/// the one for every other screen and print.
fn drawings(html: &str) -> [&str; 2] {
    let at = html[1..].find("<svg").expect("two drawings") + 1;
    let (broad, row) = html.split_at(at);
    assert!(broad.contains(r#" chart-broad" width="1100""#), "{broad}");
    assert!(row.contains(r#"" width="720""#) && !row.contains("chart-broad"));
    [broad, row]
}

#[test]
fn the_timeline_has_one_bar_per_dated_action() {
    let p = plan(ZH);
    let html = timeline(&p, today(), &Locale::new(Language::ZhCn));
    let dated = p.actions.iter().filter(|a| a.due.is_some()).count();
    assert_eq!(dated, 6);
    // One drawing: the theme sets the timeline beside the milestones.
    assert!(html.contains(r#"" width="720""#) && !html.contains("chart-broad"));
    assert_eq!(html.matches(r#"class="bar""#).count(), dated);
    // The undated action is mentioned, not drawn.
    assert!(html.contains("另有 1 项行动没有 due"));
}

#[test]
fn overdue_actions_are_unmistakable() {
    let p = plan(ZH);
    let html = timeline(&p, today(), &Locale::new(Language::ZhCn));
    // cfo-case (planned by default, due 04-15) and poc (in progress, due
    // 05-31) are overdue; it-security is blocked but not yet due; expo is dropped.
    assert_eq!(html.matches(" overdue\"").count(), 2);
    assert!(html.contains("逾期 76 天"), "{html}");
    assert!(html.contains("! 向财务总监汇报投资回报测算"));
    assert!(html.contains("2 项逾期"));
    let overdue: Vec<_> = timeline::dated_actions(&p)
        .into_iter()
        .filter(|a| timeline::status_of(a, today()).1)
        .collect();
    assert_eq!(overdue.len(), 2);
    let statuses: Vec<Status> = overdue
        .iter()
        .map(|a| timeline::status_of(a, today()).0)
        .collect();
    assert_eq!(statuses, [Status::InProgress, Status::Planned]);
}

/// The `x` of the tick label `label` in the plotters markup.
fn tick_x(html: &str, label: &str) -> f64 {
    let end = html
        .find(&format!(">{label}</text>"))
        .unwrap_or_else(|| panic!("no tick {label}"));
    let start = html[..end].rfind("<text x=\"").unwrap() + "<text x=\"".len();
    html[start..].split('"').next().unwrap().parse().unwrap()
}

#[test]
fn the_payback_marker_sits_on_the_payback_period() {
    let p = plan(ZH);
    let figures = crate::figures::compute(&p, &Thresholds::default(), today());
    assert_eq!(
        figures.payback.map(|x| x.to_string()).as_deref(),
        Some("2026-Q3")
    );
    let html = cost_return(&p, &figures, "CNY", 0.5, &Locale::new(Language::ZhCn));
    let ring = html.find(r#"r="8""#).expect("a payback ring");
    let cx_at = html[..ring].rfind("cx=\"").unwrap() + 4;
    let cx: f64 = html[cx_at..].split('"').next().unwrap().parse().unwrap();
    assert_eq!(cx, tick_x(&html, "2026-Q3"));
    assert!(html.contains("2026-Q3 回本"));
    // The up-front cost comes first; the 2027 return lands after the plan.
    let (steps, undated, amount) = cost_return::steps(&p);
    assert_eq!(steps[0].period, None);
    assert_eq!(steps[0].cost, 400_000.0);
    assert_eq!(steps.last().unwrap().period.unwrap().to_string(), "2027-Q2");
    assert_eq!((undated, amount), (1, 360_000.0));
    assert!(html.contains("计划期之后"));
    assert!(html.contains("另有 1 项回报未填写 period"));
}

#[test]
fn cost_return_axis_has_every_quarter_between_first_and_last() {
    // Nothing happens in 2026-Q3 or 2027-Q1..Q3: they are still on the axis,
    // carrying the sums on (cost 1,000; return 300, then 300 + 2,000).
    let p = plan(
        "costs:\n  - {amount: 1000, period: 2026-Q2}\nreturns:\n  - {amount: 300, period: 2026-Q4}\n  - {amount: 2000, period: 2027-Q4}\n",
    );
    let (steps, ..) = cost_return::steps(&p);
    let periods: Vec<String> = steps
        .iter()
        .map(|s| s.period.unwrap().to_string())
        .collect();
    assert_eq!(
        periods,
        [
            "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"
        ]
    );
    let sums: Vec<(f64, f64)> = steps.iter().map(|s| (s.cost, s.ret)).collect();
    assert_eq!(
        sums,
        [
            (1000.0, 0.0),
            (1000.0, 0.0),
            (1000.0, 300.0),
            (1000.0, 300.0),
            (1000.0, 300.0),
            (1000.0, 300.0),
            (1000.0, 2300.0)
        ]
    );
    let figures = crate::figures::compute(&p, &Thresholds::default(), today());
    let html = cost_return(&p, &figures, "EUR", 0.5, &Locale::new(Language::En));
    for q in &periods {
        assert!(html.contains(&format!(">{q}<")), "{q} on the axis: {html}");
    }
    // Payback in 2027-Q4 (2,300 ≥ 1,000), marked at the last step.
    assert_eq!(figures.payback.unwrap().to_string(), "2027-Q4");
    // Dates in one quarter share its step; a quarter between them is filled.
    let p = plan(
        "costs:\n  - {amount: 10, period: 2026-01-15}\n  - {amount: 10, period: 2026-02-20}\nreturns:\n  - {amount: 50, period: 2026-08-01}\n",
    );
    let (steps, ..) = cost_return::steps(&p);
    let periods: Vec<String> = steps
        .iter()
        .map(|s| s.period.unwrap().to_string())
        .collect();
    assert_eq!(
        periods,
        ["2026-01-15", "2026-02-20", "2026-Q2", "2026-08-01"]
    );
}

#[test]
fn no_payback_says_so_without_a_marker() {
    let p = plan(
        "costs:\n  - {amount: 1000, period: 2026-Q1}\nreturns:\n  - {amount: 900, period: 2026-Q4}\n",
    );
    let figures = crate::figures::compute(&p, &Thresholds::default(), today());
    let html = cost_return(&p, &figures, "EUR", 0.5, &Locale::new(Language::En));
    assert!(!html.contains(r#"r="8""#));
    assert!(html.contains("not paid back by 2026-Q4"));
    assert!(html.contains("ROI -10%"), "{html}");
    // Cost 1,000, return 900: ROI −10%, below the default minimum of 50%:
    // an alert in words and in the fail colour; with a minimum of −50%, none.
    assert!(
        html.contains(r##"class="alert" font-size="11" font-weight="bold" fill="#b42318">▼ below the minimum ROI of 50%<"##),
        "{html}"
    );
    assert!(html.contains(
        r#"aria-label="Cost versus return · ROI -10% · below the minimum ROI of 50% · "#
    ));
    let calm = cost_return(&p, &figures, "EUR", -0.5, &Locale::new(Language::En));
    assert!(!calm.contains("below the minimum"), "{calm}");
}

/// A currency written out at length is cut on the y axis: the plot keeps
/// its place instead of being pushed off the chart (found by fuzzing).
#[test]
fn a_very_long_currency_is_cut_on_the_axis() {
    let p = plan(
        "costs:\n  - {amount: 1000, period: 2026-Q1}\nreturns:\n  - {amount: 3000, period: 2026-Q4}\n",
    );
    let figures = crate::figures::compute(&p, &Thresholds::default(), today());
    let currency = "Very Long Currency Name ".repeat(8);
    for language in [Language::En, Language::ZhCn] {
        let html = cost_return(&p, &figures, currency.trim(), 0.5, &Locale::new(language));
        assert!(html.contains("…</text>"), "{html}");
        let (first, last) = (tick_x(&html, "2026-Q1"), tick_x(&html, "2026-Q4"));
        assert!(
            200.0 < first && first < last && last < 720.0,
            "{first} {last}"
        );
    }
}

fn many_stakeholders(f: impl Fn(usize) -> String) -> Plan {
    let mut yaml = String::from("stakeholders:\n");
    for i in 0..15 {
        yaml.push_str(&f(i));
    }
    plan(&yaml)
}

/// Label and marker boxes of a stakeholder map never overlap.
fn assert_no_overlap(p: &Plan) {
    let layout = stakeholder_map::layout(p);
    assert_eq!(layout.marks.len(), p.stakeholders.len());
    let mut boxes: Vec<(usize, (f64, f64, f64, f64))> = Vec::new();
    for (k, m) in layout.marks.iter().enumerate() {
        let w = m
            .more
            .iter()
            .map(|l| svg::text_width(l, m.size))
            .fold(svg::text_width(&m.label, m.size), f64::max);
        assert!(
            m.label_x + w <= stakeholder_map::WIDTH,
            "{} runs off the chart",
            m.label
        );
        let below = m.more.len() as f64 * stakeholder_map::NEXT;
        boxes.push((
            k,
            (
                m.label_x,
                m.y - m.size * 0.85,
                m.label_x + w,
                m.y + m.size * 0.25 + below,
            ),
        ));
        boxes.push((k, (m.x - 8.0, m.y - 12.0, m.x + 8.0, m.y + 4.0)));
    }
    for (i, (a, ba)) in boxes.iter().enumerate() {
        for (b, bb) in &boxes[i + 1..] {
            if a == b {
                continue;
            }
            let overlap = ba.0 < bb.2 && bb.0 < ba.2 && ba.1 < bb.3 && bb.1 < ba.3;
            assert!(
                !overlap,
                "{} overlaps {}",
                layout.marks[*a].label, layout.marks[*b].label
            );
        }
    }
}

#[test]
fn fifteen_stakeholders_never_overlap() {
    // All in one cell.
    assert_no_overlap(&many_stakeholders(|i| {
        format!("  - {{id: p{i}, name: 欧阳{i}号关键人物, influence: 3, attitude: neutral}}\n")
    }));
    // Long Latin names, spread over the grid, some unknown and unrated.
    let attitudes = ["champion", "supporter", "neutral", "skeptic", "opponent"];
    assert_no_overlap(&many_stakeholders(|i| {
        let attitude = if i % 4 == 3 {
            String::new()
        } else {
            format!(", attitude: {}", attitudes[i % 5])
        };
        let influence = if i % 7 == 6 {
            String::new()
        } else {
            format!(", influence: {}", i % 5 + 1)
        };
        format!(
            "  - {{id: p{i}, name: Alexandra Konstantinopoulou-Smythe {i}, role: economic-buyer{attitude}{influence}}}\n"
        )
    }));
    // Two crowded cells side by side.
    assert_no_overlap(&many_stakeholders(|i| {
        let attitude = if i % 2 == 0 { "supporter" } else { "champion" };
        format!(
            "  - {{id: p{i}, name: 'W{i} WWWWWWWWWWWWWWWWWW', influence: 5, attitude: {attitude}, role: coach}}\n"
        )
    }));
}

#[test]
fn the_stakeholder_map_sets_unknown_attitudes_apart() {
    let p = plan(ZH);
    let layout = stakeholder_map::layout(&p);
    let unknown = p
        .stakeholders
        .iter()
        .position(|s| s.attitude.is_none())
        .unwrap();
    let known_right = layout
        .marks
        .iter()
        .filter(|m| p.stakeholders[m.index].attitude.is_some())
        .map(|m| m.x)
        .fold(0.0, f64::max);
    let mark = layout.marks.iter().find(|m| m.index == unknown).unwrap();
    assert!(mark.x > known_right);
    let html = stakeholder_map(&p, &Locale::new(Language::ZhCn));
    assert!(html.contains("态度未知"));
    assert!(html.contains("决策者：赵刚（支持者）"));
    // The unrated stakeholder gets a row of its own.
    assert!(html.contains(">未评<"));
}

#[test]
fn reporting_cycles_and_dangling_ids_are_cut() {
    let p = plan(ZH);
    let parents = relationship_map::parents(&p);
    for start in 0..parents.len() {
        let mut at = Some(start);
        for _ in 0..=parents.len() {
            at = at.and_then(|i| parents[i]);
        }
        assert_eq!(at, None, "a cycle survives through {start}");
    }
    let id = |i: usize| p.stakeholders[i].id.as_ref().unwrap().to_string();
    let roots: Vec<String> = (0..parents.len())
        .filter(|i| parents[*i].is_none())
        .map(id)
        .collect();
    // The first of the cycle in plan order becomes a root; so does the
    // one reporting to an unknown id.
    assert_eq!(roots, ["zhao-gang", "wu-fan", "feng-xue"]);
    let html = relationship_map(&p, &[], today(), 90, &Locale::new(Language::ZhCn));
    for s in &p.stakeholders {
        assert!(html.contains(s.name.as_ref().unwrap().as_str()));
    }
}

#[test]
fn a_deep_or_self_referencing_org_chart_neither_loops_nor_overflows() {
    let mut yaml = String::from("stakeholders:\n  - {id: p0, reports_to: p0}\n");
    for i in 1..300 {
        yaml.push_str(&format!("  - {{id: p{i}, reports_to: p{}}}\n", i - 1));
    }
    let p = plan(&yaml);
    let parents = relationship_map::parents(&p);
    assert_eq!(parents[0], None);
    let html = relationship_map(&p, &[], today(), 90, &Locale::new(Language::En));
    assert_well_formed("deep", &html);
    // A thousand people in a binary tree: laid out once per subtree, quickly.
    let mut yaml = String::from("stakeholders:\n  - {id: p0}\n");
    for i in 1..1000 {
        yaml.push_str(&format!("  - {{id: p{i}, reports_to: p{}}}\n", (i - 1) / 2));
    }
    let p = plan(&yaml);
    let start = std::time::Instant::now();
    let html = relationship_map(&p, &[], today(), 90, &Locale::new(Language::En));
    assert_well_formed("wide", &html);
    assert!(start.elapsed().as_secs() < 5);
}

/// Who on our team covers each person is written in their box (names; the
/// levels are in the tooltip), and the legend says what the mark means.
#[test]
fn relationship_map_marks_who_covers_each_person() {
    let p = plan(ZH);
    let html = relationship_map(&p, &[], today(), 90, &Locale::new(Language::ZhCn));
    assert!(html.contains(">↔ 王磊、刘敏</text>"), "{html}");
    assert!(html.contains(">↔ 王磊</text>"), "{html}");
    let covered = p
        .stakeholders
        .iter()
        .filter(|s| !s.coverage.is_empty())
        .count();
    assert_eq!(html.matches(">↔ ").count(), covered, "only the covered");
    assert!(html.contains(">我方维护关系的人</text>"), "{html}");
    assert!(html.contains("由王磊（"), "{html}");
    // Nobody covered: no line and no legend entry.
    let bare = plan("stakeholders:\n  - {id: a, name: A}\n");
    let html = relationship_map(&bare, &[], today(), 90, &Locale::new(Language::En));
    assert!(!html.contains("↔"), "{html}");
}

#[test]
fn relationship_map_legend_uses_the_configured_contact_days() {
    // kaplan.toml `[thresholds] contact_days = 30`: stale after 30 days,
    // recent within a third of it, 10. Contacts as of 2026-06-30, by hand:
    // 孙浩 visit 06-18 (12 days), 赵刚 06-02 (28), 李娜 05-20 (41),
    // 钱丽 02-10 (140): 2 of 8 within 30 days.
    let p = plan(ZH);
    let html = relationship_map(
        &p,
        &[visit("2026-06-18", &["sun-hao"])],
        today(),
        30,
        &Locale::new(Language::ZhCn),
    );
    assert!(html.contains(">10 天内联系过<"), "{html}");
    assert!(html.contains(">30 天内<"), "{html}");
    assert!(html.contains(">超过 30 天未联系<"), "{html}");
    assert!(html.contains("30 天内接触过 2/8 人"), "{html}");
    assert!(!html.contains("90 天"), "{html}");
    let en = relationship_map(&p, &[], today(), 120, &Locale::new(Language::En));
    assert!(en.contains(">contact within 40 days<"), "{en}");
    assert!(en.contains(">none for over 120 days<"), "{en}");
    // Without the visit: 赵刚 (28) and 李娜 (41) within 120 days; 钱丽 (140) not.
    assert!(en.contains("2 of 8 contacted in the last 120 days"), "{en}");
}

#[test]
fn contact_freshness_counts_visits() {
    let p = plan(ZH);
    let html = relationship_map(
        &p,
        &[visit("2026-06-18", &["sun-hao"])],
        today(),
        90,
        &Locale::new(Language::ZhCn),
    );
    // 孙浩 has no last_contact but attended a visit 12 days ago.
    assert!(html.contains("12 天前"));
    // 周毅 was never contacted.
    assert!(html.contains("从未联系"));
    // 钱丽: 2026-02-10, 140 days: stale.
    assert!(html.contains("140 天前"));
    assert!(html.contains("90 天内接触过 3/8 人"), "{html}");
}

#[test]
fn plan_text_is_escaped_everywhere() {
    let evil = r#"'<script>alert("x")</script> & ''q'''"#;
    let yaml = format!(
        "account: {{name: {evil}, owner: a}}\nperiod: {{start: 2026-01-01, end: 2026-12-31}}\n\
         objectives:\n  - {{id: o, title: {evil}, metric: {evil}, unit: {evil}, target: 10, actual: 5, due: 2026-12-01}}\n\
         stakeholders:\n  - {{id: s, name: {evil}, title: {evil}, influence: 5, attitude: champion, coverage: [{{by: a, level: trusted}}]}}\n  - {{id: t, name: {evil}, reports_to: s}}\n\
         team:\n  - {{id: a, name: {evil}}}\n\
         actions:\n  - {{id: x, title: {evil}, owner: a, due: 2026-03-01}}\n\
         milestones:\n  - {{id: m, title: {evil}, date: 2026-05-01, where: {evil}}}\n\
         costs:\n  - {{item: {evil}, amount: 10, period: 2026-Q1}}\nreturns:\n  - {{item: {evil}, amount: 30, period: 2026-Q2}}\n\
         scorecard:\n  - {{criterion: {evil}, weight: 5, score: 5}}\n\
         kpis:\n  - {{id: k, name: {evil}, unit: {evil}, target: 1, actual: 2}}\n"
    );
    let mut charts = render(&yaml, Language::En);
    let mut e = entries();
    e[0].name = r#"<script>alert("x")</script> & 'q'"#.into();
    e[0].href = r#"/a/"><script>x</script>"#.into();
    let locale = Locale::new(Language::En);
    charts.push(("portfolio_matrix", portfolio_matrix(&e, "CNY", &locale)));
    charts.push(("checklist_heatmap", checklist_heatmap(&e, &locale)));
    charts.push(("stages", stages(&e, "CNY", &locale)));
    for (name, html) in charts {
        assert!(html.starts_with("<svg"), "{name}: {html}");
        assert!(!html.contains("<script"), "{name}");
        // Every chart that shows plan text shows it escaped.
        assert!(
            name == "cost_return" || html.contains("&lt;script&gt;"),
            "{name}"
        );
        assert_well_formed(name, &html);
    }
}

#[test]
fn empty_plans_get_one_sentence_instead_of_empty_axes() {
    let p = plan("account: {name: X, owner: a}\nperiod: {start: 2026-01-01, end: 2026-12-31}\n");
    let figures = crate::figures::compute(&p, &Thresholds::default(), today());
    for lang in [Language::ZhCn, Language::En] {
        for (name, html) in dossier(
            &p,
            &figures,
            &[],
            today(),
            "CNY",
            &Thresholds::default(),
            &Locale::new(lang),
        ) {
            assert!(html.starts_with("<p class=\"chart-empty"), "{name}: {html}");
            assert!(html.contains("plan.yaml"), "{name}: {html}");
            assert!(!html.contains("<svg"));
        }
        let locale = Locale::new(lang);
        for html in [
            portfolio_matrix(&[], "CNY", &locale),
            checklist_heatmap(&[], &locale),
            stages(&[], "CNY", &locale),
        ] {
            assert!(html.starts_with("<p class=\"chart-empty"), "{html}");
        }
    }
    // Entries without scorecard or strength cannot be placed on the matrix.
    let unplaceable: Vec<PortfolioEntry> = entries()
        .into_iter()
        .filter(|e| e.scorecard.is_none())
        .collect();
    assert!(
        portfolio_matrix(&unplaceable, "CNY", &Locale::new(Language::En))
            .starts_with("<p class=\"chart-empty")
    );
}

#[test]
fn kpis_respect_the_better_direction() {
    use crate::figures::{KpiStatus::*, kpi_status};
    let p = plan(ZH);
    let statuses: Vec<_> = p.kpis.iter().map(kpi_status).collect();
    assert_eq!(statuses, [Some(Near), Some(Met), Some(Off)]);
    let p = plan(EN);
    // Onboarding cost 112 against 90, lower is better: off.
    assert_eq!(kpi_status(&p.kpis[1]), Some(Off));
}

#[test]
fn both_kpi_drawings_say_the_status_words() {
    // The legend and marks of both drawings (wide screens; every other
    // screen and print) use the words of `kpi_status`.
    for lang in [Language::En, Language::ZhCn] {
        let locale = Locale::new(lang);
        let html = kpis(&plan(ZH), "CNY", &locale);
        for drawing in drawings(&html) {
            for key in ["kpi_status.met", "kpi_status.near", "kpi_status.off"] {
                assert!(drawing.contains(locale.text(key)), "{key} in {drawing}");
            }
        }
    }
}

#[test]
fn objectives_show_progress_from_the_baseline_and_the_status() {
    let p = plan(ZH);
    let figures = crate::figures::compute(&p, &Thresholds::default(), today());
    // 5M → 18M, now 7.6M: (7.6 − 5) / (18 − 5) = 0.2; half the year gone.
    assert_eq!(figures.objectives[0].percent(), Some(20));
    // Downtime from 12 h to 4 h, now 7 h: 5 of 8 hours gone.
    assert_eq!(figures.objectives[1].progress, Some(0.625));
    assert_eq!(figures.objectives[2].progress, None);
    let html = objectives(&p, &figures, "CNY", &Locale::new(Language::En));
    assert!(html.contains("<title>拿下三条产线的智能化改造 · 改造合同额 · Baseline CNY 5M → Actual CNY 7.6M → Target CNY 18M · progress 20% · at risk</title>"), "{html}");
    assert!(html.contains(">63%</text>"), "{html}");
    assert!(html.contains(">on track</text>"), "{html}");
    // The verdicts carry the sign they have everywhere.
    assert!(html.contains(">! at risk</text>"), "{html}");
    assert!(html.contains("no actual value yet"));
    // No percentage above 100 anywhere.
    let p = plan(
        "period: {start: 2026-01-01, end: 2026-12-31}\nobjectives:\n  - {id: core-skus, title: Core SKUs, baseline: 96, target: 90, actual: 71, due: 2026-12-31}\n",
    );
    let figures = crate::figures::compute(&p, &Thresholds::default(), today());
    let html = objectives(&p, &figures, "CNY", &Locale::new(Language::En));
    assert!(
        html.contains(">100%</text>") && !html.contains("416"),
        "{html}"
    );
}

#[test]
fn the_scorecard_marks_total_and_tier_thresholds() {
    let p = plan(ZH);
    let figures = crate::figures::compute(&p, &Thresholds::default(), today());
    let thresholds = Thresholds {
        gold: 65.0,
        ..Thresholds::default()
    };
    let html = scorecard(&p, &figures, &thresholds, &Locale::new(Language::En));
    let total = figures.scorecard.unwrap();
    assert!(html.contains(&format!("total {total} · Gold")), "{html}");
    assert!(html.contains(">65</text>") && html.contains(">80</text>"));
    // One bar per rated criterion, grouped (the ungrouped one under "Other").
    // One drawing: the theme sets the scorecard beside the competitors.
    assert!(!html.contains("chart-broad"));
    assert_eq!(html.matches(r#"class="bar""#).count(), p.scorecard.len());
    assert!(html.contains(">Other · "));
}

#[test]
fn portfolio_bubbles_link_to_dossiers_and_scale_by_area() {
    let html = portfolio_matrix(&entries(), "CNY", &Locale::new(Language::En));
    for e in entries().iter().filter(|e| e.scorecard.is_some()) {
        assert!(
            html.contains(&format!("<a href=\"{}\">", e.href)),
            "{}",
            e.name
        );
    }
    // The unplaced lead is listed, as a link, below the plot.
    assert!(html.contains("Not placed"));
    assert!(html.contains("href=\"/accounts/new-lead/\""));
    for quadrant in ["Key accounts", "Develop", "Maintain", "Opportunistic"] {
        assert!(html.contains(quadrant));
    }
}

#[test]
fn names_looked_up_at_once_are_indexed_by_value() {
    fn check<T: Named + std::fmt::Debug>(values: &[T], as_index: impl Fn(T) -> usize) {
        for lang in [Language::ZhCn, Language::En] {
            let locale = Locale::new(lang);
            for group in [
                "attitude",
                "role",
                "role_short",
                "status",
                "tier",
                "group",
                "none",
            ] {
                let all = all_named::<T>(&locale, group);
                assert_eq!(all.len(), values.len());
                for v in values {
                    assert_eq!(all[as_index(*v)], named(&locale, group, *v), "{v:?}");
                }
            }
        }
    }
    check(&ATTITUDES, |a| a as usize);
    check(
        &[
            BuyerRole::EconomicBuyer,
            BuyerRole::TechnicalBuyer,
            BuyerRole::UserBuyer,
            BuyerRole::Coach,
            BuyerRole::Gatekeeper,
            BuyerRole::Influencer,
        ],
        |r| r as usize,
    );
    check(
        &[
            Status::Planned,
            Status::InProgress,
            Status::Done,
            Status::Blocked,
            Status::Dropped,
        ],
        |s| s as usize,
    );
    check(&[Tier::Platinum, Tier::Gold, Tier::Silver], |t| t as usize);
    check(
        &[
            CriterionGroup::Market,
            CriterionGroup::Finance,
            CriterionGroup::Relationship,
            CriterionGroup::Strategic,
        ],
        |g| g as usize,
    );
}

#[test]
fn every_label_key_exists_in_both_languages() {
    let mut keys: Vec<String> = Vec::new();
    for entry in std::fs::read_dir("src/charts").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("t!(locale, \"") {
                let rest = &text[at + "t!(locale, \"".len()..];
                keys.push(format!("chart.{}", &rest[..rest.find('"').unwrap()]));
            }
        }
    }
    let mut named = |group: &str, names: &[&str]| {
        keys.extend(names.iter().map(|n| format!("chart.{group}.{n}")))
    };
    named("attitude", crate::model::Attitude::NAMES);
    named("role", BuyerRole::NAMES);
    named("role_short", BuyerRole::NAMES);
    named("status", Status::NAMES);
    named("stage", Stage::NAMES);
    named("tier", Tier::NAMES);
    named("group", CriterionGroup::NAMES);
    named("question", &Question::CHECKLIST.map(Question::as_str));
    named("check", &["pass", "warn", "fail"]);
    assert!(keys.len() > 100);
    for lang in [Language::ZhCn, Language::En] {
        let locale = Locale::new(lang);
        for key in &keys {
            assert_ne!(locale.text(key), key, "{key} is missing in {lang:?}");
        }
    }
}

#[test]
fn absurd_numbers_neither_hang_nor_break_the_markup() {
    let yaml = "account: {name: X, owner: a}\nperiod: {start: 2026-01-01, end: 2026-12-31}\n\
        objectives:\n  - {id: o, title: t, target: 1e308, actual: -1e308, baseline: 1e300}\n\
        costs:\n  - {amount: 1e400, period: 2026-Q1}\n  - {amount: 1e308}\nreturns:\n  - {amount: 1e308, period: 2099-Q4}\n\
        kpis:\n  - {id: k, name: k, target: 0, actual: -1e300, better: lower}\n\
        actions:\n  - {id: a, title: a, owner: a, start: 1900-01-01, due: 2999-12-31}\n\
        milestones:\n  - {id: m, title: m, date: 0001-01-01}\n";
    let mut sink = Sink::new("t", "plan.yaml");
    let p = crate::load::parse_plan(yaml, &mut sink).expect("parses");
    let figures = crate::figures::compute(&p, &Thresholds::default(), today());
    for (name, html) in dossier(
        &p,
        &figures,
        &[],
        today(),
        "CNY",
        &Thresholds::default(),
        &Locale::new(Language::En),
    ) {
        assert_well_formed(name, &html);
        for bad in ["NaN", "\"inf", "inf\"", "∞"] {
            assert!(!html.contains(bad), "{name} contains {bad}");
        }
        assert!(html.len() < 200_000, "{name}: {} bytes", html.len());
        if name == "timeline" {
            // A thousand years: one label every century or so, not one per month.
            assert!(html.matches("dy=\"-0.5ex\"").count() < 20, "{html}");
        }
    }
}

/// Completeness per the contract (§5): passing or warning questions / 6.
/// A plan with two failing questions is 4/6 complete, 67% — never 100%,
/// however many of its other questions only warn.
#[test]
fn completeness_of_a_plan_with_a_failing_question_is_below_one() {
    use Check::{Fail, Pass, Warn};
    let failing = checklist([Warn, Fail, Pass, Warn, Pass, Fail]);
    assert!((failing.completeness() - 4.0 / 6.0).abs() < 1e-12);
    assert!(failing.completeness() < 1.0);
    let warned = checklist([Warn; 6]);
    assert_eq!(warned.completeness(), 1.0);
    let mut all = entries();
    all.truncate(4); // dongyue, northwind, huijia, grandmart (2 failing)
    let html = checklist_heatmap(&all, &Locale::new(Language::En));
    let row = html
        .split("GrandMart Hypermarkets Co., Ltd.")
        .last()
        .expect("grandmart's row");
    assert!(row.contains(">67%</text>"), "{row}");
    // The three others fail nothing: 100% each, warnings or not.
    assert_eq!(html.matches(">100%</text>").count(), 3, "{html}");
}

/// A buying centre of fourteen: a chief executive, three directors with
/// long titles, their managers and a buyer reporting to a manager, one
/// person without a manager.
const FOURTEEN: &str = "stakeholders:
  - {id: ceo, name: Margaret Okonkwo-Fairweather, title: 'Chief Executive Officer and Chair of the Management Board', role: economic-buyer, attitude: neutral, influence: 5}
  - {id: cmo, name: Vivian Qiao, title: 'Chief Merchandising Officer', reports_to: ceo, role: influencer, attitude: opponent, influence: 5}
  - {id: cfo, name: Linda Fan, title: 'Chief Financial Officer', reports_to: ceo, attitude: neutral, influence: 4}
  - {id: coo, name: Alexander Konstantinopoulos, title: 'Chief Operating Officer (interim, appointed by the private-equity owner in 2025)', reports_to: ceo, attitude: supporter, influence: 4}
  - {id: cat1, name: Steven Ge, title: 'Category Director, Snacks and Beverages', reports_to: cmo, role: user-buyer, attitude: skeptic, influence: 3}
  - {id: cat2, name: Tom Zhao, title: 'Category Manager, Private Label', reports_to: cmo, attitude: opponent, influence: 3}
  - {id: buyer, name: Jenny Wu, title: 'Senior Buyer, Biscuits and Cereal', reports_to: cat1, role: user-buyer, attitude: neutral, influence: 2}
  - {id: analyst, name: Amy Xu, title: 'Category Analyst, Snacks and Beverages (ex-Brightwell)', reports_to: cat1, role: coach, attitude: champion, influence: 2}
  - {id: fin1, name: Kevin Shi, title: 'Supplier Settlement Manager', reports_to: cfo, role: gatekeeper, attitude: neutral, influence: 2}
  - {id: fin2, name: 欧阳明远, title: '财务共享中心应付账款与供应商对账及付款审批高级经理（华东区与华南区）', reports_to: cfo, attitude: skeptic, influence: 2}
  - {id: ops1, name: Grace Lin, title: 'Supply Chain Director', reports_to: coo, role: technical-buyer, attitude: supporter, influence: 3}
  - {id: ops2, name: Mike Dong, title: 'Regional Operations Director, Jiangsu', reports_to: coo, attitude: supporter, influence: 3}
  - {id: ops3, name: Li Na, title: 'Store Operations Manager', reports_to: ops2, attitude: champion, influence: 2}
  - {id: board, name: Richard Huang, title: 'Board member (PE owner)', attitude: skeptic, influence: 5}
";

#[test]
fn a_large_organisation_reads_as_an_outline() {
    let p = plan(FOURTEEN);
    let html = relationship_map(&p, &[], today(), 90, &Locale::new(Language::En));
    assert_well_formed("fourteen", &html);
    assert!(html.contains(r#"width="540" "#), "{}", &html[..200]);
    // Every name whole, never cut.
    for s in &p.stakeholders {
        let name = s.name.as_ref().unwrap().as_str();
        assert!(html.contains(&format!(">{name}</text>")), "{name} is cut");
    }
    let outline = relationship_map::layout(&p);
    assert_eq!(outline.rows.len(), 14);
    let id = |i: usize| p.stakeholders[i].id.as_ref().unwrap().to_string();
    let order: Vec<String> = outline.rows.iter().map(|r| id(r.index)).collect();
    // Depth first in plan order; the one without a manager last.
    assert_eq!(
        order,
        [
            "ceo", "cmo", "cat1", "buyer", "analyst", "cat2", "cfo", "fin1", "fin2", "coo", "ops1",
            "ops2", "ops3", "board"
        ]
    );
    let row_of = |id_: &str| outline.rows.iter().find(|r| id(r.index) == id_).unwrap();
    for (report, manager) in [("cmo", "ceo"), ("buyer", "cat1"), ("ops3", "ops2")] {
        let (r, m) = (row_of(report), row_of(manager));
        assert!(r.x > m.x && r.y > m.y, "{report} sits under {manager}");
    }
    // Rows never overlap, and stay within the chart.
    for pair in outline.rows.windows(2) {
        assert!(pair[0].y + pair[0].height <= pair[1].y, "{pair:?}");
    }
    // Long titles wrap onto a second line, whole or cut with the full
    // text in the tooltip; short ones keep one line.
    let coo = row_of("coo");
    assert_eq!(coo.title.len(), 2, "{:?}", coo.title);
    assert!(html.contains(
        "Chief Operating Officer (interim, appointed by the private-equity owner in 2025)"
    ));
    assert_eq!(row_of("cfo").title, ["Chief Financial Officer"]);
    assert_eq!(row_of("fin2").title.len(), 2);
    for r in &outline.rows {
        for line in &r.title {
            assert!(
                r.x + 14.0 + svg::text_width(line, svg::SMALL)
                    <= relationship_map::WIDTH - 150.0 + 0.01,
                "{line}"
            );
        }
    }
    // The legend explains the colours, the heavy outline and the dots.
    for word in [
        "Opponent",
        "Champion",
        "Attitude unknown",
        "economic buyer or coach",
        "contact within 30 days",
    ] {
        assert!(html.contains(word), "{word}");
    }
    insta::assert_snapshot!("en_relationship_map_fourteen", html);
}

#[test]
fn the_trend_chart_is_well_formed_and_escaped() {
    use crate::history::TrendPoint;
    let point = |date: &str, commit: Option<&str>, ret: f64, done: f64| TrendPoint {
        date: Date::parse(date).unwrap(),
        commit: commit.map(str::to_owned),
        expected_return: ret,
        total_cost: ret / 3.0,
        completeness: done,
    };
    let points = [
        point("2026-01-05", Some("a1b2c3d"), 1_000_000.0, 0.5),
        point("2026-01-06", Some("<b>&'"), 1_200_000.0, 4.0 / 6.0),
        point("2026-03-20", Some("e4f5a6b"), 2_500_000.0, 5.0 / 6.0),
        point("2026-06-30", None, 2_300_000.0, 1.0),
    ];
    for lang in [Language::ZhCn, Language::En] {
        let locale = Locale::new(lang);
        let html = trend(&points, "CNY", &locale);
        assert_well_formed("trend", &html);
        assert!(!html.contains("<b>"));
        assert_eq!(html, trend(&points, "CNY", &locale));
        assert!(trend(&[], "CNY", &locale).starts_with("<p class=\"chart-empty"));
        assert_well_formed("trend-one", &trend(&points[..1], "CNY", &locale));
    }
}

/// `n` accounts with checklists, stages and matrix positions that vary
/// deterministically (every fifth without a stage).
fn many_entries(n: usize) -> Vec<PortfolioEntry> {
    use Check::{Fail, Pass, Warn};
    let stages = [
        Some(Stage::Cooperative),
        Some(Stage::Disintegrating),
        Some(Stage::Basic),
        Some(Stage::Integrated),
        None,
    ];
    (0..n)
        .map(|i| {
            let mut statuses = [Pass; 6];
            statuses[i % 6] = if i % 3 == 0 { Fail } else { Warn };
            if i % 4 == 0 {
                statuses[(i + 2) % 6] = Warn;
            }
            PortfolioEntry {
                name: format!("Account {i} Holdings & Co"),
                href: format!("/accounts/account-{i:05}/"),
                relative_strength: Some((i % 11) as f64),
                scorecard: Some(((i * 37) % 101) as f64),
                expected_return: ((i * 7919) % 1000) as f64 * 10_000.0,
                tier: [
                    Some(Tier::Platinum),
                    Some(Tier::Gold),
                    Some(Tier::Silver),
                    None,
                ][i % 4],
                stage: stages[i % stages.len()],
                checklist: checklist(statuses),
            }
        })
        .collect()
}

/// The values of attribute `name` of every `<g class="cell" ...>`, in order.
fn cell_counts(html: &str, name: &str) -> Vec<usize> {
    html.match_indices(r#"<g class="cell" "#)
        .map(|(at, _)| {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            let from = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            tag[from..].split('"').next().unwrap().parse().unwrap()
        })
        .collect()
}

#[test]
fn the_heat_map_has_a_row_per_account_up_to_forty() {
    let entries = many_entries(checklist_heatmap::PER_ACCOUNT_MAX);
    let html = checklist_heatmap(&entries, &Locale::new(Language::En));
    assert_well_formed("heatmap-40", &html);
    assert!(!html.contains("group-rows"));
    for e in &entries {
        assert!(
            html.contains(&format!("<a href=\"{}\">", e.href)),
            "{}",
            e.name
        );
    }
    assert_eq!(html.matches("<g class=\"cell ").count(), 40 * 6);
}

#[test]
fn the_heat_map_of_many_accounts_has_a_row_per_stage() {
    for lang in [Language::En, Language::ZhCn] {
        let locale = Locale::new(lang);
        let html = checklist_heatmap(&many_entries(41), &locale);
        assert_well_formed("heatmap-41", &html);
        for needle in ["role=\"img\"", "aria-label=\"", "<title>", "<desc>"] {
            assert!(html.contains(needle), "lacks {needle}");
        }
        assert!(html.contains(r#"class="group-rows""#));
        // No account is drawn (the table lists them): no links, no names.
        assert!(!html.contains("<a "));
        assert!(!html.contains("Holdings"));
        // All, then Basic, Cooperative, Integrated, Disintegrating, no stage.
        assert_eq!(html.matches(r#"<g class="cell" "#).count(), 6 * 6);
        // The size does not grow with the portfolio.
        let big = checklist_heatmap(&many_entries(10_000), &locale);
        assert_well_formed("heatmap-10000", &big);
        assert!(big.len() < 20_000, "{} bytes", big.len());
        let thousand = checklist_heatmap(&many_entries(1000), &locale);
        // One digit more per count: in the cell, its data attribute and its tooltip.
        assert!(big.len() < thousand.len() + 1000, "only the counts grow");
    }
    let en = checklist_heatmap(&many_entries(41), &Locale::new(Language::En));
    for label in [
        ">All (41)<",
        ">Basic (8)<",
        ">Cooperative (9)<",
        ">Integrated (8)<",
        ">Disintegrating (8)<",
        ">No stage (8)<",
    ] {
        assert!(en.contains(label), "lacks {label}");
    }
    // Colour is never alone: the counts are written, with the legend's signs.
    assert!(en.contains("✓"), "{en}");
    assert!(en.contains("!"));
    assert!(en.contains("✕"));
}

#[test]
fn the_grouped_heat_map_counts_every_status() {
    let entries = many_entries(100);
    let locale = Locale::new(Language::En);
    let groups = checklist_heatmap::groups(&entries, &locale);
    // Counted independently, question by question.
    let tally = |members: &[&PortfolioEntry], q: usize| {
        let of = |st: Check| members.iter().filter(|e| e.checklist.0[q].1 == st).count();
        (of(Check::Pass), of(Check::Warn), of(Check::Fail))
    };
    let all: Vec<&PortfolioEntry> = entries.iter().collect();
    assert_eq!(groups[0].accounts, 100);
    for q in 0..6 {
        let t = groups[0].tallies[q];
        assert_eq!((t.pass, t.warn, t.fail), tally(&all, q), "question {q}");
        // The stages add up to all accounts.
        let sum = groups[1..]
            .iter()
            .map(|g| g.tallies[q])
            .fold((0, 0, 0), |a, t| (a.0 + t.pass, a.1 + t.warn, a.2 + t.fail));
        assert_eq!(sum, tally(&all, q));
    }
    let basic: Vec<&PortfolioEntry> = entries
        .iter()
        .filter(|e| e.stage == Some(Stage::Basic))
        .collect();
    let g = groups.iter().find(|g| g.label == "Basic").unwrap();
    assert_eq!(g.accounts, basic.len());
    for q in 0..6 {
        let t = g.tallies[q];
        assert_eq!((t.pass, t.warn, t.fail), tally(&basic, q));
    }
    let mean = basic
        .iter()
        .map(|e| e.checklist.completeness())
        .sum::<f64>()
        / basic.len() as f64;
    assert!((g.completeness - mean).abs() < 1e-12);
    // The drawing carries the same counts, row by row.
    let html = checklist_heatmap(&entries, &locale);
    let expected: Vec<_> = groups.iter().flat_map(|g| g.tallies).collect();
    assert_eq!(
        cell_counts(&html, "data-pass"),
        expected.iter().map(|t| t.pass).collect::<Vec<_>>()
    );
    assert_eq!(
        cell_counts(&html, "data-warn"),
        expected.iter().map(|t| t.warn).collect::<Vec<_>>()
    );
    assert_eq!(
        cell_counts(&html, "data-fail"),
        expected.iter().map(|t| t.fail).collect::<Vec<_>>()
    );
    // The description reads the first row out, for those who cannot see it.
    let t = groups[0].tallies[0];
    assert!(html.contains(&format!("Why: {}", t.sentence(&locale))));
}

/// A relationship breaking down is an alert wherever the portfolio charts
/// name the stage: its label in the fail colour, in bold.
#[test]
fn a_disintegrating_stage_is_an_alert_in_the_portfolio_charts() {
    use crate::charts::palette::FAIL;
    let locale = Locale::new(Language::En);
    // The attributes of the `<text>` that starts with the stage's name.
    let tag = |html: &str| {
        html.match_indices(">Disintegrating")
            .map(|(at, _)| &html[html[..at].rfind('<').unwrap()..at])
            .find(|tag| tag.starts_with("<text"))
            .expect("the stage's label")
            .to_owned()
    };
    let stages = stages(&entries(), "CNY", &locale);
    let grouped = checklist_heatmap(&many_entries(100), &locale);
    for html in [&stages, &grouped] {
        let t = tag(html);
        assert!(t.contains(&format!(r#"fill="{FAIL}""#)), "{t}");
        assert!(t.contains(r#"font-weight="bold""#), "{t}");
    }
    // The other stages are not.
    assert_eq!(grouped.matches(&format!("fill=\"{FAIL}\">")).count(), 1);
    let groups = checklist_heatmap::groups(&many_entries(100), &locale);
    assert_eq!(
        groups
            .iter()
            .filter(|g| g.breaking)
            .map(|g| g.label.as_str())
            .collect::<Vec<_>>(),
        ["Disintegrating"]
    );
}

#[test]
fn grouped_shares_follow_the_one_percentage_rule() {
    use checklist_heatmap::Tally;
    let en = Locale::new(Language::En);
    let t = |pass, warn, fail| Tally { pass, warn, fail }.sentence(&en);
    // By hand: 875/1000 = 87.5% → 88%; 125/1000 = 12.5% → 13%; 0 → 0%.
    assert_eq!(
        t(875, 125, 0),
        "875 answered (88%), 125 warnings (13%), 0 errors (0%)"
    );
    // 28 of 500 = 5.6%: one decimal below 10%, not rounded to 6%.
    assert_eq!(
        t(412, 60, 28),
        "412 answered (82%), 60 warnings (12%), 28 errors (5.6%)"
    );
    // 1 of 700 = 0.14%, not "0%".
    assert_eq!(
        t(699, 1, 0),
        "699 answered (100%), 1 warnings (0.14%), 0 errors (0%)"
    );
    assert_eq!(
        t(0, 0, 0),
        "0 answered (0%), 0 warnings (0%), 0 errors (0%)"
    );
}

#[test]
fn many_bubbles_are_bare_links_and_few_are_named() {
    let locale = Locale::new(Language::En);
    let mut entries = many_entries(300);
    entries[0].name = r#"<script>alert("x")</script> & 'q'"#.into();
    entries[0].expected_return = 1e12;
    let html = portfolio_matrix(&entries, "CNY", &locale);
    assert_well_formed("matrix-300", &html);
    assert!(!html.contains("<script"));
    // Every account is still a link to its dossier.
    for e in &entries {
        assert!(
            html.contains(&format!("<a href=\"{}\" tabindex=\"-1\"><circle ", e.href)),
            "{}",
            e.name
        );
    }
    // Names only for a few of the largest: the chart's own title, then one
    // tooltip per name.
    let titles = html.matches("<title>").count() - 1;
    assert!(
        (1..=portfolio_matrix::LABELLED_MAX).contains(&titles),
        "{titles}"
    );
    assert!(html.contains("&lt;script&gt;"), "the largest is named");
    // About a link and a circle per account.
    let bigger = portfolio_matrix(&many_entries(1300), "CNY", &locale);
    let per_account = (bigger.len() - html.len()) as f64 / 1000.0;
    // (A tier's colour is one `color` attribute per bubble.)
    assert!(per_account < 125.0, "{per_account} bytes per account");
    // Nameless links stay out of the tab order and away from screen readers.
    assert!(html.contains(r#"<g class="bubbles" aria-hidden="true""#));
    // Up to the threshold every bubble has its tooltip and its label.
    let few = portfolio_matrix(
        &many_entries(portfolio_matrix::LABEL_ALL_MAX),
        "CNY",
        &locale,
    );
    assert_eq!(
        few.matches("class=\"bubble\"").count(),
        portfolio_matrix::LABEL_ALL_MAX
    );
    assert!(few.matches("<title>").count() > 2 * portfolio_matrix::LABEL_ALL_MAX);
}

/// The box a placed name takes (as the placer measures it).
fn name_box(spot: &portfolio_matrix::Spot, w: f64) -> (f64, f64, f64, f64) {
    let left = match spot.anchor {
        "start" => spot.x,
        "end" => spot.x - w,
        _ => spot.x - w / 2.0,
    };
    (left, spot.y - 11.0, left + w, spot.y + 3.0)
}

#[test]
fn portfolio_names_never_overlap_each_other_or_a_bubble_centre() {
    // Forty bubbles crowded into a corner of a 480 × 400 plot, long names.
    let bounds = (48.0, 44.0, 528.0, 444.0);
    let bubbles: Vec<(f64, f64, f64)> = (0..40)
        .map(|i| {
            let i = f64::from(i);
            (
                300.0 + (i * 7.0) % 60.0,
                100.0 + (i * 13.0) % 80.0,
                3.5 + i % 5.0,
            )
        })
        .collect();
    let dots: Vec<(f64, f64, f64, f64)> = bubbles
        .iter()
        .map(|(x, y, _)| (x - 3.0, y - 3.0, x + 3.0, y + 3.0))
        .collect();
    let mut placer = portfolio_matrix::Placer::new(bounds, dots.clone());
    let mut boxes = Vec::new();
    let mut leaders = 0;
    for (i, b) in bubbles.iter().enumerate() {
        let w = svg::text_width(&format!("Account {i} Holdings"), svg::LABEL);
        let spot = placer
            .place(*b, w, true)
            .expect("a plot this size has room");
        leaders += usize::from(spot.leader.is_some());
        boxes.push(name_box(&spot, w));
    }
    // So many in so little room: some names sit away, with a leader.
    assert!(leaders > 0);
    let overlap = |a: &(f64, f64, f64, f64), b: &(f64, f64, f64, f64)| {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    };
    for (i, a) in boxes.iter().enumerate() {
        assert!(
            a.0 >= bounds.0 && a.2 <= bounds.2 && a.1 >= bounds.1 && a.3 <= bounds.3,
            "{a:?}"
        );
        for b in &boxes[i + 1..] {
            assert!(!overlap(a, b), "{a:?} overlaps {b:?}");
        }
        for d in &dots {
            assert!(!overlap(a, d), "{a:?} covers the centre {d:?}");
        }
    }
    // With nowhere near and `far` off, a name is left out rather than overlapping.
    let mut full =
        portfolio_matrix::Placer::new((0.0, 0.0, 100.0, 40.0), vec![(0.0, 0.0, 100.0, 40.0)]);
    assert_eq!(full.place((50.0, 20.0, 5.0), 30.0, true), None);
}

#[test]
fn portfolio_bubbles_wear_their_tier_with_a_legend() {
    let locale = Locale::new(Language::En);
    let html = portfolio_matrix(&entries(), "CNY", &locale);
    for colour in [palette::PLATINUM, palette::GOLD, palette::SILVER] {
        assert!(
            html.contains(&format!(r#"fill="{colour}" fill-opacity="0.6""#)),
            "{colour}"
        );
    }
    for word in [
        "Platinum",
        "Gold",
        "Silver",
        "No tier",
        "bubble area = expected return",
    ] {
        assert!(html.contains(&format!(">{word}")), "{word}");
    }
}

#[test]
fn the_heat_map_fits_a_phone_with_all_six_questions() {
    for lang in [Language::ZhCn, Language::En] {
        let locale = Locale::new(lang);
        for html in [
            checklist_heatmap(&entries(), &locale),
            checklist_heatmap(&many_entries(100), &locale),
        ] {
            assert!(html.contains(r#" width="358" "#), "{}", &html[..200]);
            // Every mark, cells included, within the width: no x past it.
            for at in html.split(" x=\"").skip(1) {
                let x: f64 = at[..at.find('"').unwrap()].parse().unwrap();
                assert!(x <= checklist_heatmap::WIDTH, "{x}");
            }
            for q in Question::CHECKLIST {
                let key = format!("chart.question.{}", q.as_str());
                let label = locale.text(&key);
                let first = label.split(['/', ' ']).next().unwrap();
                assert!(html.contains(first), "{label}");
            }
        }
    }
}

#[test]
fn a_chart_names_a_thing_by_its_name_else_its_id() {
    let name = |n: &str| Sp::new(n.to_owned(), Span::FILE);
    let id = Sp::new(Id("zhang-wei".to_owned()), Span::FILE);
    let zhang = name(" Zhang Wei ");
    assert_eq!(name_or_id(Some(&zhang), Some(&id)), Some("Zhang Wei"));
    let blank = name("  ");
    assert_eq!(name_or_id(Some(&blank), Some(&id)), Some("zhang-wei"));
    assert_eq!(name_or_id(None, Some(&id)), Some("zhang-wei"));
    assert_eq!(name_or_id(Some(&blank), None), None);
}
