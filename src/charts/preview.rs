//! `cargo test --lib charts::preview -- --ignored`: renders every chart of
//! the example accounts into /tmp/charts-preview/ for a look in a browser,
//! each at its own size (both drawings of the charts that have two).

use std::fmt::Write;
use std::path::Path;

use crate::i18n::Locale;

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="palette.css">
<style>body{{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:1140px;margin:20px auto;color:#1f2933}}
svg.chart{{display:block;margin:0 0 36px}} .chart-empty{{color:#5c6773;font-style:italic;border:1px dashed #ccc;padding:12px}}
h2{{font-size:14px;color:#888;margin:0}}</style></head><body><h1>{title}</h1>
{body}</body></html>"#
    )
}

#[test]
#[ignore = "writes files for a manual look"]
fn write_preview() {
    let out = Path::new("/tmp/charts-preview");
    std::fs::create_dir_all(out).unwrap();
    std::fs::write(
        out.join("palette.css"),
        include_str!("../../themes/default/static/palette.css"),
    )
    .unwrap();
    let checked = crate::check(
        Path::new("example-accounts"),
        &crate::CheckOptions::default(),
    )
    .unwrap();
    for lang in [crate::config::Language::ZhCn, crate::config::Language::En] {
        let locale = Locale::new(lang);
        let suffix = if lang == crate::config::Language::En {
            "-en"
        } else {
            ""
        };
        for a in &checked.accounts {
            let (Some(plan), Some(figures)) = (&a.files.plan, &a.figures) else {
                continue;
            };
            let currency = plan
                .currency
                .as_ref()
                .map_or(checked.config.currency.as_str(), |c| c.value.as_str());
            let mut body = String::new();
            let charts = [
                (
                    "cost_return",
                    super::cost_return(
                        plan,
                        figures,
                        currency,
                        checked.config.thresholds.min_roi,
                        &locale,
                    ),
                ),
                ("stakeholder_map", super::stakeholder_map(plan, &locale)),
                (
                    "relationship_map",
                    super::relationship_map(
                        plan,
                        &a.files.visits,
                        checked.today,
                        checked.config.thresholds.contact_days,
                        &locale,
                    ),
                ),
                ("timeline", super::timeline(plan, checked.today, &locale)),
                (
                    "objectives",
                    super::objectives(plan, figures, currency, &locale),
                ),
                (
                    "scorecard",
                    super::scorecard(plan, figures, &checked.config.thresholds, &locale),
                ),
                ("kpis", super::kpis(plan, currency, &locale)),
            ];
            for (name, html) in charts {
                let _ = write!(body, "<h2>{name}</h2>\n{html}\n");
                let one = format!("{}-{name}{suffix}.html", a.files.id);
                std::fs::write(out.join(one), page(&a.files.id, &html)).unwrap();
            }
            std::fs::write(
                out.join(format!("{}{suffix}.html", a.files.id)),
                page(&a.files.id, &body),
            )
            .unwrap();
        }
        let entries: Vec<super::PortfolioEntry> = checked
            .accounts
            .iter()
            .map(|a| {
                let plan = a.files.plan.as_ref();
                let account = plan.and_then(|p| p.account.as_ref());
                super::PortfolioEntry {
                    name: account
                        .and_then(|x| x.name.as_ref())
                        .map_or(a.files.id.clone(), |n| n.value.clone()),
                    href: format!("{}{suffix}.html", a.files.id),
                    relative_strength: plan
                        .and_then(|p| p.relative_strength.as_ref())
                        .map(|r| r.get() as f64),
                    scorecard: a.figures.as_ref().and_then(|f| f.scorecard),
                    expected_return: a.figures.as_ref().map_or(0.0, |f| f.expected_return),
                    tier: a.tier(),
                    stage: account.and_then(|x| x.stage.as_ref()).map(|s| s.value),
                    checklist: a.checklist,
                }
            })
            .collect();
        let currency = checked.config.currency.as_str();
        let mut body = String::new();
        for (name, html) in [
            (
                "portfolio_matrix",
                super::portfolio_matrix(&entries, currency, &locale),
            ),
            (
                "checklist_heatmap",
                super::checklist_heatmap(&entries, &locale),
            ),
            ("stages", super::stages(&entries, currency, &locale)),
        ] {
            let _ = write!(body, "<h2>{name}</h2>\n{html}\n");
            std::fs::write(
                out.join(format!("portfolio-{name}{suffix}.html")),
                page("portfolio", &html),
            )
            .unwrap();
        }
        std::fs::write(
            out.join(format!("index{suffix}.html")),
            page("portfolio", &body),
        )
        .unwrap();
    }
}
