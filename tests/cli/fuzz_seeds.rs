//! The fuzz targets' seed corpora, replayed on stable: every seed under
//! `fuzz/seeds/<target>/` goes through the same function the fuzzer calls
//! (`fuzz/src/lib.rs`, included here), so CI catches a regression on any
//! input that once mattered without a nightly toolchain.

#[allow(unreachable_pub, dead_code)]
#[path = "../../fuzz/src/lib.rs"]
pub(crate) mod harness;

use std::path::PathBuf;

use crate::support::repo_root;

/// The seeds of `target`, and the inputs the fuzzers found problems with
/// (`tests/fuzz-regressions/<target>/`, each fixed since).
fn seeds(target: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        repo_root().join("fuzz/seeds").join(target),
        repo_root().join("tests/fuzz-regressions").join(target),
    ] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(entries.map(|e| e.unwrap().path()));
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no seeds for {target}");
    files
}

fn replay(target: &str, run: fn(&[u8])) {
    for seed in seeds(target) {
        let data = std::fs::read(&seed).unwrap();
        if let Err(e) = std::panic::catch_unwind(|| run(&data)) {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            panic!("{target}: seed {} fails: {why}", seed.display());
        }
    }
}

#[test]
fn plan_yaml_seeds() {
    replay("plan_yaml", harness::plan_yaml);
}

#[test]
fn front_matter_seeds() {
    replay("front_matter", harness::front_matter);
}

#[test]
fn markdown_seeds() {
    replay("markdown", harness::markdown);
}

#[test]
fn check_tree_seeds() {
    replay("check_tree", harness::check_tree);
}

#[test]
fn tree_inputs_split_into_slots() {
    let files = harness::split_tree(
        b"a: 1\n%%% accounts/b/plan.yaml\nb: 2\n%%% nowhere\nx\n%%% kaplan.toml\n",
    );
    assert_eq!(
        files,
        [
            ("accounts/a/plan.yaml", &b"a: 1\n"[..]),
            ("accounts/b/plan.yaml", &b"b: 2\n"[..]),
            ("kaplan.toml", &b""[..]),
        ]
    );
}

#[test]
fn the_scanner_finds_executable_html() {
    for bad in [
        "<script>x</script>",
        "<p><svg><script>x</script></svg></p>",
        "<img src=\"x\" onerror=\"x()\">",
        "<a href=\" JaVa&#x09;Script:x\">",
        "<a href=\"data:text/html,x\">",
        "<a href=\"&#106avascript:x\">",
        "<a href=\"java&Tab;script&colon;x\">",
        "<iframe src=\"x\"></iframe>",
        "<meta http-equiv=\"Refresh\" content=\"0\">",
        "<svg onload=x>",
    ] {
        assert!(harness::executable(bad, &[]).is_err(), "{bad}");
    }
    for good in [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; onclick=x</p>",
        "<a href=\"https://example.com/?q=javascript:\" title=\"onload\">x</a>",
        "<script src=\"/assets/kaplan.js\" defer></script>",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">",
        "<!-- <script> -->",
        // A control character other than tab or line break inside the
        // scheme makes it a relative URL in browsers, harmless.
        "<a href=\"java&#x10;script:x\">",
        "<a href=\"java\u{90}script:x\">",
    ] {
        assert!(
            harness::executable(good, &["assets/kaplan.js"]).is_ok(),
            "{good}"
        );
    }
}
