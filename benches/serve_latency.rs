//! How long `kaplan serve` needs after a save settles: the incremental rebuild
//! of a one-account edit and of a template edit.
//! `cargo bench --bench serve_latency -- DIR` (a repository from `generate`).

use std::path::Path;
use std::time::Instant;

use kaplan::render::RenderOptions;
use kaplan::serve::Incremental;

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
        include_private: false,
    };
    let mut inc = Incremental::new(root, None, render, vec![root.join("public")]);
    let started = Instant::now();
    let first = inc.rebuild().expect("the first build");
    let accounts = first.checked.accounts.len();
    println!(
        "first build: {accounts} accounts in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let id = first.checked.accounts[accounts / 2].files.id.clone();
    let plan = root.join("accounts").join(&id).join("plan.yaml");
    let original = std::fs::read_to_string(&plan).expect("the plan");
    let mut edits = Vec::new();
    for i in 0..7 {
        std::fs::write(&plan, format!("{original}# edit {i}\n")).expect("an edit");
        let t = Instant::now();
        let rebuilt = inc.rebuild().expect("a rebuild");
        assert_eq!(rebuilt.reloaded, 1, "one account read again");
        edits.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    std::fs::write(&plan, original).expect("restore");
    let templates = root.join("templates");
    std::fs::create_dir_all(&templates).expect("templates folder");
    let mut template_edits = Vec::new();
    for i in 0..3 {
        std::fs::write(
            templates.join("dossier.html"),
            format!("{{% extends \"default/dossier.html\" %}}{{% block more %}}<p>edit {i}</p>{{% endblock more %}}"),
        )
        .expect("a template");
        let t = Instant::now();
        inc.rebuild().expect("a rebuild");
        template_edits.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    std::fs::remove_dir_all(&templates).expect("clean up");
    // Where a rebuild's time goes: the shared pages are redone on every edit.
    let checked = kaplan::check(root, &kaplan::CheckOptions::default()).expect("a check");
    let renderer =
        kaplan::render::Renderer::new(&checked, &RenderOptions::default()).expect("a theme");
    let t = Instant::now();
    let _ = kaplan::check(root, &kaplan::CheckOptions::default()).expect("a check");
    let check_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let shared = renderer.shared(&checked).expect("the shared pages");
    let shared_ms = t.elapsed().as_secs_f64() * 1000.0;
    let portfolio_bytes = shared
        .iter()
        .find(|f| f.0 == "index.html")
        .map_or(0, |f| f.1.len());
    println!(
        "breakdown: full check {check_ms:.0} ms; shared pages (portfolio {} kB, checklist, accounts.json, charts) {shared_ms:.0} ms",
        portfolio_bytes / 1000
    );
    println!(
        "one-account edit: median {:.1} ms over {} edits",
        median(edits.clone()),
        edits.len()
    );
    println!(
        "template edit: median {:.0} ms over {} edits",
        median(template_edits.clone()),
        template_edits.len()
    );
}
