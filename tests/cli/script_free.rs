//! Script-free output: the hostile plans repository `tests/fixtures/hostile`
//! (script tags, event handlers, `javascript:` and `data:` URLs, broken-out
//! attributes, SVG `<script>`/`onload`, `</title>` in every text field, in
//! Markdown and in kaplan.toml) builds into a site in which nothing can run.
//! The browser check in `tests/site-checks/` builds the same fixture.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::fuzz_seeds::harness;
use crate::support::{Repo, kaplan, repo_root};

/// The fixture copied into a temporary folder, so that tests can add to it.
fn hostile_repo() -> Repo {
    let repo = Repo::new();
    repo.copy(&repo_root().join("tests/fixtures/hostile"), ".");
    repo
}

fn files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "xlink:href",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "srcset",
];

/// What in one parsed page could run code, by a real HTML parser's reading.
fn executable_elements(html: &Html) -> Vec<String> {
    let mut found = Vec::new();
    for e in html.select(&Selector::parse("*").unwrap()) {
        let el = e.value();
        let name = el.name();
        if name == "script"
            && !el
                .attr("src")
                .is_some_and(|s| s.ends_with("assets/kaplan.js"))
        {
            found.push(format!("<script> {:?}", e.html()));
        }
        if ["iframe", "frame", "object", "embed", "applet", "base"].contains(&name) {
            found.push(format!("<{name}>"));
        }
        if name == "meta"
            && el
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
        {
            found.push("<meta http-equiv=refresh>".into());
        }
        for (attr, value) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") || attr == "srcdoc" {
                found.push(format!("<{name} {attr}={value:?}>"));
            }
            // The parser has decoded entities; the same URL reading as the
            // token scan's.
            if URL_ATTRIBUTES.contains(&attr.as_str()) && harness::dangerous_url(value) {
                found.push(format!("<{name} {attr}={value:?}>"));
            }
        }
    }
    found
}

/// Scans every output file; returns what could run, by file.
fn scan(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for file in files(out) {
        let rel = file.strip_prefix(out).unwrap().display().to_string();
        let is_markup = file
            .extension()
            .is_some_and(|e| e == "html" || e == "svg" || e == "xml");
        if !is_markup {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        if let Err(why) = harness::executable(&text, &["assets/kaplan.js"]) {
            found.push(format!("{rel}: {why}"));
        }
        for what in executable_elements(&Html::parse_document(&text)) {
            found.push(format!("{rel}: {what}"));
        }
    }
    found
}

#[test]
fn the_hostile_fixture_has_no_errors() {
    // So that the browser check can build it without --allow-errors.
    let (code, d) = crate::support::check_json(&repo_root().join("tests/fixtures/hostile"), &[]);
    let errors: Vec<_> = d.iter().filter(|x| x["level"] == "error").collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(code, 0);
}

#[test]
fn no_output_file_of_the_hostile_site_is_executable() {
    let repo = hostile_repo();
    let out = repo.path().join("public");
    let built = kaplan(&["build", repo.path().to_str().unwrap()]);
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let found = scan(&out);
    assert!(found.is_empty(), "{found:#?}");
    // The vectors were there and are shown as text.
    let dossier = std::fs::read_to_string(out.join("accounts/hostile-alpha/index.html")).unwrap();
    assert!(
        dossier.contains("&lt;script&gt;alert("),
        "names are shown as text"
    );
    for page in [
        "index.html",
        "accounts/hostile-alpha/index.html",
        "checklist/index.html",
    ] {
        let html = Html::parse_document(&std::fs::read_to_string(out.join(page)).unwrap());
        let titles: Vec<String> = html
            .select(&Selector::parse("head > title").unwrap())
            .map(|t| t.text().collect())
            .collect();
        assert_eq!(titles.len(), 1, "{page}: {titles:?}");
        assert!(
            titles[0].contains("</title><script>"),
            "{page}: the title did not keep its text: {titles:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn hostile_file_and_folder_names_are_inert_too() {
    let repo = hostile_repo();
    repo.write(
        "accounts/hostile-alpha/\"><svg onload=alert(1)>.md",
        "no title, so the file name is the title\n",
    );
    repo.write(
        "accounts/hostile-alpha/visits/'><img src=x onerror=alert(2)>.md",
        "---\ndate: 2026-06-02\n---\nnotes\n",
    );
    repo.write(
        "accounts/\"><script>alert(3)</plan.yaml",
        "account: {name: x, owner: y}\n",
    );
    let out = repo.path().join("public");
    let built = kaplan(&["build", repo.path().to_str().unwrap(), "--allow-errors"]);
    assert_eq!(
        built.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let found = scan(&out);
    assert!(found.is_empty(), "{found:#?}");
    let checklist = std::fs::read_to_string(out.join("checklist/index.html")).unwrap();
    assert!(
        checklist.contains("&lt;script&gt;alert(3)"),
        "the bad id is shown as text"
    );
}
