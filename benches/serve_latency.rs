//! How long `kaplan serve` needs after a save settles until the browser has
//! the new page: the incremental rebuild of a one-account edit and of a
//! template edit, and rendering the page the browser then asks for.
//! `cargo bench --bench serve_latency -- DIR` (a repository from `generate`).

use std::path::Path;
use std::time::Instant;

use kaplan::render::RenderOptions;
use kaplan::serve::Incremental;

/// The allocator of the `kaplan` binary, so that the figures are those of `kaplan serve`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(root) = args.first().map(Path::new) else {
        eprintln!("usage: cargo bench --bench serve_latency -- DIR");
        std::process::exit(2);
    };
    let render = RenderOptions {
        base_url: Some("/".into()),
        ..RenderOptions::default()
    };
    let mut inc = Incremental::new(root, None, render, vec![root.join("public")]);
    let started = Instant::now();
    let first = inc.rebuild(None).expect("the first build");
    let accounts = first.checked.accounts.len();
    let first_ms = started.elapsed().as_secs_f64() * 1000.0;
    let site = first.site.expect("a site");
    let t = Instant::now();
    site.get("index.html")
        .expect("a portfolio")
        .expect("rendered");
    let portfolio_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "first build: {accounts} accounts in {first_ms:.0} ms, then the portfolio page in {portfolio_ms:.0} ms"
    );
    let id = first.checked.accounts[accounts / 2].files.id.clone();
    let page = kaplan::render::dossier_path(&id);
    let plan = root.join("accounts").join(&id).join("plan.yaml");
    let original = std::fs::read_to_string(&plan).expect("the plan");
    // What the watcher reports, and what the browser asks for after the reload event.
    let visible = |inc: &mut Incremental, changed: &std::path::Path| {
        let t = Instant::now();
        let rebuilt = inc.rebuild(Some(&[changed.to_owned()])).expect("a rebuild");
        let site = rebuilt.site.expect("a site");
        site.get(&page).expect("the dossier").expect("rendered");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        site.get("index.html")
            .expect("a portfolio")
            .expect("rendered");
        (rebuilt.reloaded, ms, t.elapsed().as_secs_f64() * 1000.0)
    };
    let (mut edits, mut portfolio) = (Vec::new(), Vec::new());
    for i in 0..7 {
        std::fs::write(&plan, format!("{original}# edit {i}\n")).expect("an edit");
        let (reloaded, ms, portfolio_ms) = visible(&mut inc, &plan);
        assert_eq!(reloaded, 1, "one account read again");
        edits.push(ms);
        portfolio.push(portfolio_ms);
    }
    std::fs::write(&plan, original).expect("restore");
    inc.rebuild(Some(std::slice::from_ref(&plan)))
        .expect("a rebuild");
    let templates = root.join("templates");
    std::fs::create_dir_all(&templates).expect("templates folder");
    let mut template_edits = Vec::new();
    for i in 0..3 {
        let template = templates.join("dossier.html");
        std::fs::write(
            &template,
            format!("{{% extends \"default/dossier.html\" %}}{{% block more %}}<p>edit {i}</p>{{% endblock more %}}"),
        )
        .expect("a template");
        template_edits.push(visible(&mut inc, &template).1);
    }
    std::fs::remove_dir_all(&templates).expect("clean up");
    println!(
        "one-account edit (rebuild + the edited dossier): median {:.1} ms over {} edits; the portfolio page then {:.0} ms",
        median(edits.clone()),
        edits.len(),
        median(portfolio)
    );
    println!(
        "template edit (rebuild + one dossier): median {:.0} ms over {} edits",
        median(template_edits.clone()),
        template_edits.len()
    );
}
