//! Without template overrides, dossiers are written by
//! `src/render/dossier.rs`; with one, Tera renders
//! `themes/default/templates/dossier.html`. Both must give the same bytes:
//! every example account, every rule fixture and the hostile accounts, in
//! a git repository with history, in both languages, with and without
//! private fields.

use std::path::Path;

use crate::fuzz_seeds::harness::first_difference;
use crate::support::{Repo, commit_all, kaplan, repo_root};

/// A repository holding every fixture as an account, with two commits.
fn every_fixture() -> Repo {
    let repo = Repo::new();
    let root = repo_root();
    repo.copy(&root.join("example-accounts"), ".");
    repo.copy(&root.join("tests/fixtures/hostile/accounts"), "accounts");
    for rule in walkdir::WalkDir::new(root.join("tests/rules"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "fires.yaml" || e.file_name() == "passes.yaml")
    {
        let name = rule
            .path()
            .strip_prefix(root.join("tests/rules"))
            .unwrap()
            .with_extension("")
            .to_string_lossy()
            .replace('/', "-");
        repo.write(
            &format!("accounts/rule-{name}/plan.yaml"),
            std::fs::read(rule.path()).unwrap(),
        );
    }
    commit_all(repo.path(), "2026-03-01", "plans");
    // A second commit, so that dossiers show what changed since the review.
    let plan = repo.path().join("accounts/nanhai-telecom/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replacen("probability: 0.", "probability: 0.1", 1),
    )
    .unwrap();
    commit_all(repo.path(), "2026-06-20", "raise a probability");
    repo
}

/// The dossiers of a build of `root` into `out`, by account.
fn dossiers(root: &Path, out: &Path, extra: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut args = vec![
        "build",
        root.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--today",
        "2026-06-30",
        "--allow-errors",
    ];
    args.extend(extra);
    let run = kaplan(&args);
    assert!(
        out.join("index.html").is_file(),
        "build {extra:?} failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut pages: Vec<(String, Vec<u8>)> = std::fs::read_dir(out.join("accounts"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let page = std::fs::read(e.path().join("index.html")).unwrap();
            (e.file_name().to_string_lossy().into_owned(), page)
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn the_builtin_dossier_writer_matches_the_template() {
    let repo = every_fixture();
    let template =
        std::fs::read(repo_root().join("themes/default/templates/dossier.html")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut compared = 0;
    for language in ["zh-CN", "en"] {
        repo.write("kaplan.toml", format!("language = \"{language}\"\n"));
        for extra in [&[][..], &["--include-private"][..]] {
            std::fs::remove_dir_all(repo.path().join("templates")).ok();
            let builtin = dossiers(repo.path(), &out.path().join("builtin"), extra);
            // An override identical to the built-in template: Tera renders.
            repo.write("templates/dossier.html", &template);
            let tera = dossiers(repo.path(), &out.path().join("tera"), extra);
            assert_eq!(builtin.len(), tera.len());
            assert!(builtin.len() > 70, "only {} dossiers", builtin.len());
            for ((id, a), (_, b)) in builtin.iter().zip(&tera) {
                if let Some((line, x, y)) = first_difference(a, b) {
                    panic!(
                        "{language} {extra:?}: the dossier of `{id}` differs on line {line}\n\
                         built in: {x}\n\
                         template: {y}"
                    );
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 280);
}

#[test]
fn an_override_of_any_template_of_the_dossier_reaches_it() {
    let plan =
        std::fs::read(repo_root().join("tests/rules/why/no-objectives/passes.yaml")).unwrap();
    let repo = Repo::with_plan(&plan);
    repo.write(
        "accounts/fixture/notes.md",
        "---\ntitle: Notes\nsection: other\n---\n\nA note.\n",
    );
    let theme = repo_root().join("themes/default/templates");
    for name in [
        "base.html",
        "partials/actions.html",
        "partials/badges.html",
        "partials/diagnostics.html",
        "partials/pages.html",
    ] {
        std::fs::remove_dir_all(repo.path().join("templates")).ok();
        let marker = format!("<!-- our own {name} -->");
        let default = std::fs::read_to_string(theme.join(name)).unwrap();
        repo.write(&format!("templates/{name}"), format!("{marker}{default}"));
        let out = repo.path().join("public");
        let pages = dossiers(repo.path(), &out, &[]);
        let page = String::from_utf8_lossy(&pages[0].1);
        assert!(page.contains(&marker), "{name}: the override is not used");
        assert_eq!(
            page.replace(&marker, ""),
            {
                std::fs::remove_dir_all(repo.path().join("templates")).ok();
                let plain = dossiers(repo.path(), &out, &[]);
                String::from_utf8_lossy(&plain[0].1).into_owned()
            },
            "{name}: only the marker differs"
        );
    }
}
