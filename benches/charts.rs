//! Rendering time of the dossier charts: `cargo bench --bench charts`.
//!
//! Generates 1,000 plans of varied size (3–15 stakeholders, 4–20 actions,
//! …), parses them once, then times rendering all seven dossier charts of
//! every plan, and prints the total and the time per plan.

use std::fmt::Write;
use std::hint::black_box;
use std::time::Instant;

use kaplan::charts;
use kaplan::config::{Language, Thresholds};
use kaplan::diagnostic::Sink;
use kaplan::i18n::Locale;
use kaplan::model::{Date, Plan};

const PLANS: usize = 1_000;

/// CPU time of this process in seconds (Linux; 0 elsewhere): steadier than
/// the wall clock on a busy machine.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn generate(i: usize) -> String {
    let attitudes = ["champion", "supporter", "neutral", "skeptic", "opponent"];
    let roles = [
        "economic-buyer",
        "technical-buyer",
        "user-buyer",
        "coach",
        "gatekeeper",
        "influencer",
    ];
    let statuses = ["planned", "in-progress", "done", "blocked", "dropped"];
    let zh = i.is_multiple_of(2);
    let mut y = String::new();
    let _ = writeln!(
        y,
        "account: {{name: {}, owner: owner, stage: cooperative}}",
        if zh {
            format!("测试客户{i}号集团有限公司")
        } else {
            format!("Test Account {i} Ltd")
        }
    );
    y.push_str("currency: CNY\nperiod: {start: 2026-01-01, end: 2026-12-31}\n");
    y.push_str("objectives:\n");
    for o in 0..2 + i % 4 {
        let _ = writeln!(
            y,
            "  - {{id: o{o}, title: Objective number {o} of the plan, metric: revenue, unit: CNY, baseline: {}, target: {}, actual: {}, due: 2026-12-31}}",
            1_000_000 * o,
            5_000_000 + 1_000_000 * o,
            2_000_000 + 700_000 * (i % 5)
        );
    }
    y.push_str("stakeholders:\n");
    let people = 3 + i % 13;
    for s in 0..people {
        let reports = if s == 0 {
            String::new()
        } else {
            format!(", reports_to: s{}", (s - 1) / 2)
        };
        let name = if zh {
            format!("张{s}伟")
        } else {
            format!("Person Number {s}")
        };
        let _ = writeln!(
            y,
            "  - {{id: s{s}, name: {name}, title: Director of things, role: {}, influence: {}, attitude: {}, last_contact: 2026-0{}-1{}{reports}}}",
            roles[s % 6],
            s % 5 + 1,
            attitudes[(s + i) % 5],
            1 + s % 6,
            s % 10
        );
    }
    y.push_str("team:\n  - {id: owner, name: Owner, role: account-manager}\nactions:\n");
    for a in 0..4 + i % 17 {
        let (m1, m2) = (1 + a % 11, 2 + a % 11);
        let _ = writeln!(
            y,
            "  - {{id: a{a}, title: Action number {a} with a fairly long title, owner: owner, start: 2026-{m1:02}-05, due: 2026-{m2:02}-20, status: {}, cost: 10000}}",
            statuses[(a + i) % 5]
        );
    }
    y.push_str("milestones:\n");
    for m in 0..2 + i % 4 {
        let _ = writeln!(
            y,
            "  - {{id: m{m}, title: Milestone {m}, date: 2026-{:02}-15, done: {}}}",
            2 + m * 3,
            m.is_multiple_of(2)
        );
    }
    y.push_str("costs:\n");
    for c in 0..3 + i % 5 {
        let _ = writeln!(
            y,
            "  - {{item: Cost {c}, amount: {}, period: 2026-Q{}}}",
            100_000 + 50_000 * c,
            1 + c % 4
        );
    }
    y.push_str("returns:\n");
    for r in 0..2 + i % 4 {
        let _ = writeln!(
            y,
            "  - {{item: Return {r}, amount: {}, probability: 0.{}, period: 202{}-Q{}}}",
            400_000 + 100_000 * r,
            5 + r % 5,
            6 + r / 3,
            1 + r % 4
        );
    }
    y.push_str("scorecard:\n");
    let groups = ["market", "finance", "relationship", "strategic"];
    for c in 0..4 + i % 5 {
        let _ = writeln!(
            y,
            "  - {{criterion: Criterion {c}, group: {}, weight: {}, score: {}}}",
            groups[c % 4],
            1 + c % 10,
            (c + i) % 11
        );
    }
    let _ = writeln!(y, "relative_strength: {}", i % 11);
    y.push_str("kpis:\n");
    for k in 0..2 + i % 4 {
        let _ = writeln!(
            y,
            "  - {{id: k{k}, name: KPI {k}, unit: \"%\", target: 80, actual: {}, better: {}}}",
            60 + (k * 7 + i) % 40,
            if k.is_multiple_of(2) {
                "higher"
            } else {
                "lower"
            }
        );
    }
    y
}

fn main() {
    let plans: Vec<Plan> = (0..PLANS)
        .map(|i| {
            let mut sink = Sink::new("bench", "plan.yaml");
            kaplan::load::parse_plan(&generate(i), &mut sink).expect("generated plans parse")
        })
        .collect();
    let thresholds = Thresholds::default();
    let today = Date::parse("2026-06-30").expect("a date");
    let figures: Vec<_> = plans
        .iter()
        .map(|p| kaplan::figures::compute(p, &thresholds, today))
        .collect();
    let locales = [Locale::new(Language::ZhCn), Locale::new(Language::En)];

    if std::env::var_os("CHARTS_BREAKDOWN").is_some() {
        let mut times = [0.0f64; 7];
        for (i, (plan, figures)) in plans.iter().zip(&figures).enumerate() {
            let locale = &locales[i % 2];
            let fs: [&dyn Fn() -> String; 7] = [
                &|| charts::cost_return(plan, figures, "CNY", 0.5, locale),
                &|| charts::stakeholder_map(plan, locale),
                &|| charts::relationship_map(plan, &[], today, 90, locale),
                &|| charts::timeline(plan, today, locale),
                &|| charts::objectives(plan, figures, "CNY", locale),
                &|| charts::scorecard(plan, figures, &thresholds, locale),
                &|| charts::kpis(plan, "CNY", locale),
            ];
            for (k, f) in fs.iter().enumerate() {
                let start = Instant::now();
                black_box(f());
                times[k] += start.elapsed().as_secs_f64();
            }
        }
        let names = [
            "cost_return",
            "stakeholder_map",
            "relationship_map",
            "timeline",
            "objectives",
            "scorecard",
            "kpis",
        ];
        for (n, t) in names.iter().zip(times) {
            println!("{n:>16}: {:.0} µs per plan", t * 1e6 / PLANS as f64);
        }
    }

    // One warm-up round, then the measured one.
    for round in 0..2 {
        let start = Instant::now();
        let cpu = cpu_seconds();
        let mut bytes = 0;
        for (i, (plan, figures)) in plans.iter().zip(&figures).enumerate() {
            let charts = charts::dossier(
                plan,
                figures,
                &[],
                today,
                "CNY",
                &thresholds,
                &locales[i % 2],
            );
            bytes += charts.iter().map(|(_, svg)| svg.len()).sum::<usize>();
            black_box(charts);
        }
        let total = start.elapsed();
        let cpu = cpu_seconds() - cpu;
        if round == 1 {
            println!(
                "charts: {PLANS} plans × 7 dossier charts in {:.1} ms wall, {:.0} ms CPU ({:.0} µs per plan wall, {:.0} kB of SVG per plan)",
                total.as_secs_f64() * 1e3,
                cpu * 1e3,
                total.as_secs_f64() * 1e6 / PLANS as f64,
                bytes as f64 / PLANS as f64 / 1e3
            );
        }
    }
}
