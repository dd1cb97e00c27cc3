//! Privacy: what is written under a stakeholder's `private` never reaches an
//! output byte — pages, JSON, SVG, file names, or any format of `check` —
//! unless `kaplan build --include-private` asks for it.

use std::path::Path;

use crate::support::{Repo, kaplan, repo_root};

/// Every marker placed in a private field; none may appear in the output.
const MARKERS: &[&str] = &[
    "PvtString7q",
    "PvtQuoted7q",
    "PvtBlock7q",
    "PvtListItem7q",
    "PvtNested7q",
    "PvtKey7q",
    "PvtFirst7q",
    "PvtNotAMap7q",
    "PvtDupKey7q",
    "PvtDupValue7q",
    "PvtSecondAccount7q",
    "PvtFrontLoaded7q",
    "73190462",
    "1931-07-19",
];

fn clean_plan() -> String {
    std::fs::read_to_string(repo_root().join("tests/rules/why/no-objectives/passes.yaml")).unwrap()
}

/// A plan whose stakeholders carry private notes of every shape, some of
/// which would be invalid values anywhere else; the plan also has findings
/// right next to them (a stakeholder written with `private` first and no
/// attitude, a `private` that is not a mapping, a duplicate private key).
fn plan_with_secrets() -> String {
    clean_plan()
        .replace(
            "    last_contact: 2026-06-10\n",
            "    last_contact: 2026-06-10
    private:
      hobby: PvtString7q
      spouse: \"PvtQuoted7q <b>&amp;</b>\"
      notes: |
        PvtBlock7q
        second line
      kids: [PvtListItem7q, 2]
      family: {eldest: {name: PvtNested7q, born: 1931-07-19}}
      PvtKey7q: yes
      mobile: 73190462
      influence: 99
      met: 2026-02-30
      rating: .nan
      owner: nobody-at-all
      id: Not An Id
",
        )
        .replace(
            "  - id: wu-fang\n",
            "  - private: {whisper: PvtFirst7q}
    id: unknown-mind
    name: Unknown Mind
    role: influencer
    influence: 5
  - id: not-a-map
    name: Not A Map
    role: influencer
    influence: 2
    attitude: neutral
    private: [PvtNotAMap7q]
  - id: dup-key
    name: Dup Key
    role: user-buyer
    influence: 1
    attitude: neutral
    private:
      PvtDupKey7q: one
      PvtDupKey7q: PvtDupValue7q
  - id: wu-fang\n",
        )
}

fn second_plan() -> String {
    clean_plan().replace(
        "    last_contact: 2026-06-10\n",
        "    last_contact: 2026-06-10\n    private:\n      favourite: PvtSecondAccount7q\n      front: {loaded: PvtFrontLoaded7q}\n",
    )
}

fn repo() -> Repo {
    let repo = Repo::with_plan(plan_with_secrets().as_bytes());
    repo.write("accounts/second/plan.yaml", second_plan());
    repo
}

fn leaks(what: &str, bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    MARKERS
        .iter()
        .filter(|m| text.contains(*m))
        .map(|m| format!("{what} contains {m}"))
        .collect()
}

fn site_leaks(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(out).unwrap().to_string_lossy();
        found.extend(leaks(&format!("the file name {rel}"), rel.as_bytes()));
        if entry.file_type().is_file() {
            found.extend(leaks(&rel, &std::fs::read(entry.path()).unwrap()));
        }
    }
    found
}

#[test]
fn the_fixture_exercises_every_marker() {
    let all = format!("{}{}", plan_with_secrets(), second_plan());
    for m in MARKERS {
        assert!(all.contains(m), "{m} is placed nowhere");
    }
}

#[test]
fn no_private_value_reaches_the_site() {
    let repo = repo();
    let out = repo.path().join("site");
    let built = kaplan(&[
        "build",
        repo.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--allow-errors",
        "--today",
        "2026-06-30",
        "--color",
        "never",
    ]);
    assert_eq!(
        built.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(out.join("accounts/fixture/index.html").is_file());
    // The pages and files about all accounts and people are looked at too.
    for file in [
        "people/index.html",
        "people/zhang-wei/index.html",
        "people/zhang-wei/calendar.ics",
        "calendar/index.html",
        "calendar.ics",
        "asks/index.html",
        "accounts.csv",
        "actions.csv",
        "portfolio.json",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let mut found = site_leaks(&out);
    found.extend(leaks("build's stdout", &built.stdout));
    found.extend(leaks("build's stderr", &built.stderr));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn include_private_publishes_them() {
    let repo = repo();
    let out = repo.path().join("site");
    let built = kaplan(&[
        "build",
        repo.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--allow-errors",
        "--include-private",
        "--today",
        "2026-06-30",
    ]);
    assert_eq!(built.status.code(), Some(1));
    let dossier = std::fs::read_to_string(out.join("accounts/fixture/index.html")).unwrap();
    for m in ["PvtString7q", "PvtBlock7q", "PvtNested7q", "PvtFirst7q"] {
        assert!(dossier.contains(m), "{m} is not published");
    }
    let second = std::fs::read_to_string(out.join("accounts/second/index.html")).unwrap();
    assert!(second.contains("PvtSecondAccount7q"));
}

#[test]
fn no_check_format_quotes_a_private_value() {
    let repo = repo();
    let root = repo.path().to_str().unwrap();
    let mut found = Vec::new();
    for format in ["human", "json", "github", "sarif"] {
        let out = kaplan(&[
            "check",
            root,
            "--format",
            format,
            "--today",
            "2026-06-30",
            "--color",
            "never",
        ]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(!out.stdout.is_empty(), "{format}: no output");
        found.extend(leaks(&format!("check --format {format}"), &out.stdout));
        found.extend(leaks(
            &format!("check --format {format} (stderr)"),
            &out.stderr,
        ));
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn private_values_are_never_judged() {
    // `private` is free form: a value that would be invalid anywhere else
    // (`influence: 99`, `2026-02-30`, `.nan`, an id with spaces, a dangling
    // owner) gives no diagnostic. Only the shape of `private` itself (a
    // mapping) and YAML syntax are checked.
    let repo = repo();
    let (_, d) = crate::support::check_json(repo.path(), &[]);
    let plan = plan_with_secrets();
    let first = plan.lines().position(|l| l.contains("private:")).unwrap() + 1;
    let last = plan
        .lines()
        .position(|l| l.contains("id: Not An Id"))
        .unwrap()
        + 1;
    let inside: Vec<&serde_json::Value> = d
        .iter()
        .filter(|x| x["file"] == "accounts/fixture/plan.yaml")
        .filter(|x| (first..=last).contains(&(x["line"].as_u64().unwrap() as usize)))
        .collect();
    assert!(inside.is_empty(), "{inside:#?}");
    // The reportable problems are reported, without their values.
    let messages: Vec<&str> = d
        .iter()
        .filter(|x| x["account"] == "fixture")
        .map(|x| x["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`private` must be a mapping")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("duplicate key")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("(unknown-mind) has influence 5")),
        "{messages:#?}"
    );
}

/// Private notes written every way YAML allows, each with a finding on its
/// line (or the line holding its value), so that a snippet would quote it.
const SPELLINGS: &[(&str, &str)] = &[
    // An escaped key: `private` once parsed. At the top level it is an
    // unknown field, reported on its line.
    ("PvtEscaped7q", "\"priv\\u0061te\": {hobby: PvtEscaped7q}\n"),
    // An explicit key whose value, not a mapping, is reported on its line.
    (
        "PvtExplicit7q",
        "stakeholders:\n  - id: explicit\n    ? private\n    : PvtExplicit7q\n",
    ),
    // A flow mapping going on over a second line, with an unknown field there.
    (
        "PvtFlow7q",
        "  - {id: flowing, name: F, private: {salary:\n      PvtFlow7q}, bogus: 1}\n",
    ),
    // An anchored value (on a line with an unknown field) that a private
    // note refers to.
    (
        "PvtAnchor7q",
        "  - id: anchored\n    bogus: &n PvtAnchor7q\n    private: {note: *n}\n",
    ),
    // A private note that an alias outside `private` refers to: a message
    // about that field would quote it.
    (
        "PvtAliasOut7q",
        "  - id: aliased\n    private: {x: &s PvtAliasOut7q, k: &p {PvtKeyOut7q: 1}}\n    role: *s\n    attitude: *p\n",
    ),
];

/// [`clean_plan`] with every one of [`SPELLINGS`], and a page whose front
/// matter holds an escaped `private` key.
fn spelled_repo() -> Repo {
    let mut plan = clean_plan();
    let mut stakeholders = String::new();
    for (marker, yaml) in SPELLINGS {
        assert!(yaml.contains(marker));
        if let Some(rest) = yaml.strip_prefix("stakeholders:\n") {
            stakeholders.push_str(rest);
        } else if yaml.starts_with("  - ") {
            stakeholders.push_str(yaml);
        } else {
            plan.push_str(yaml);
        }
    }
    let plan = plan.replacen(
        "stakeholders:\n",
        &format!("stakeholders:\n{stakeholders}"),
        1,
    );
    let repo = Repo::with_plan(plan.as_bytes());
    repo.write(
        "accounts/fixture/situation.md",
        "---\ntitle: Situation\n\"priv\\u0061te\": PvtFront7q\nsection: why\n---\nText.\n",
    );
    repo
}

#[test]
fn private_values_are_masked_however_the_yaml_spells_them() {
    let repo = spelled_repo();
    let root = repo.path().to_str().unwrap();
    let markers: Vec<&str> = SPELLINGS
        .iter()
        .map(|(m, _)| *m)
        .chain(["PvtKeyOut7q", "PvtFront7q"])
        .collect();
    // The findings the snippets would quote the notes with are reported.
    let (_, d) = crate::support::check_json(repo.path(), &[]);
    let plan = std::fs::read_to_string(repo.path().join("accounts/fixture/plan.yaml")).unwrap();
    let line_of = |marker: &str| plan.lines().position(|l| l.contains(marker)).unwrap() + 1;
    let reported = |line: usize| {
        d.iter()
            .any(|x| x["file"] == "accounts/fixture/plan.yaml" && x["line"] == line)
    };
    for marker in ["PvtEscaped7q", "PvtExplicit7q", "PvtFlow7q", "PvtAnchor7q"] {
        assert!(
            reported(line_of(marker)),
            "nothing reported next to {marker}: {d:#?}"
        );
    }
    assert!(
        d.iter()
            .any(|x| x["file"] == "accounts/fixture/situation.md"
                && x["message"].as_str().unwrap().contains("unknown field")),
        "{d:#?}"
    );
    let mut found = Vec::new();
    for format in ["human", "json", "github", "sarif"] {
        let out = kaplan(&[
            "check",
            root,
            "--format",
            format,
            "--today",
            "2026-06-30",
            "--color",
            "never",
        ]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            found.extend(
                markers
                    .iter()
                    .filter(|m| text.contains(*m))
                    .map(|m| format!("check --format {format} ({stream}) contains {m}:\n{text}")),
            );
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n\n"));
}
