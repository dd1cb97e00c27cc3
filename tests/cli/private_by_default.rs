//! Plans are confidential: a site is marked for no indexing unless
//! `kaplan.toml` says `public = true`, and it has a page for missing paths.

use crate::support::{Repo, kaplan, repo_root};

fn build(repo: &Repo) -> std::path::PathBuf {
    let out = repo.path().join("public");
    let built = kaplan(&[
        "build",
        repo.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--allow-errors",
    ]);
    // Plans with errors still publish with --allow-errors (exit status 1).
    assert!(matches!(built.status.code(), Some(0 | 1)), "{built:?}");
    assert!(out.join("index.html").is_file(), "{built:?}");
    out
}

fn html_pages(out: &std::path::Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().display().to_string(), text)
        })
        .collect()
}

const NOINDEX: &str = r#"<meta name="robots" content="noindex, nofollow">"#;

#[test]
fn every_page_is_noindex_and_robots_txt_disallows_all_by_default() {
    let repo = Repo::new();
    repo.copy(&repo_root().join("example-accounts"), ".");
    let out = build(&repo);
    let pages = html_pages(&out);
    // The portfolio, the checklist, the 404 page and every dossier.
    assert!(pages.len() >= 4, "{} pages", pages.len());
    for (path, text) in &pages {
        assert!(text.contains(NOINDEX), "{path} lacks noindex");
    }
    assert_eq!(
        std::fs::read_to_string(out.join("robots.txt")).unwrap(),
        "User-agent: *\nDisallow: /\n"
    );
}

#[test]
fn a_public_site_may_be_indexed() {
    let repo = Repo::with_plan(b"account:\n  name: East Mobile\n");
    repo.write("kaplan.toml", "public = true\n");
    let out = build(&repo);
    for (path, text) in html_pages(&out) {
        assert!(!text.contains("noindex"), "{path} is marked noindex");
    }
    assert_eq!(
        std::fs::read_to_string(out.join("robots.txt")).unwrap(),
        "User-agent: *\nAllow: /\n"
    );
    let bad = Repo::with_plan(b"account:\n  name: East Mobile\n");
    bad.write("kaplan.toml", "public = \"yes\"\n");
    let out = kaplan(&["check", bad.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn the_site_has_a_404_page_in_its_language_linking_home() {
    for (language, words) in [("en", "Page not found"), ("zh-CN", "页面不存在")] {
        let repo = Repo::with_plan(b"account:\n  name: East Mobile\n");
        repo.write(
            "kaplan.toml",
            format!("language = \"{language}\"\nbase_url = \"/plans/\"\n"),
        );
        let out = build(&repo);
        let page = std::fs::read_to_string(out.join("404.html")).unwrap();
        assert!(page.contains(&format!("<h1>{words}</h1>")), "{page}");
        // Shown at any depth: its links start from the configured base.
        assert!(page.contains(r#"<a href="/plans/">"#), "{page}");
        assert!(
            page.contains(r#"href="/plans/assets/kaplan.css""#),
            "{page}"
        );
    }
}
