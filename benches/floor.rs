//! kaplan's floor: the least work any build must do, to compare against.
//!
//! `cargo bench --bench floor -- DIR [OUT]` reads every input file of every
//! account, parses the YAML (saphyr-parser events), renders every Markdown
//! file with pulldown-cmark and, with OUT, writes one file per account; on
//! two threads, nothing else. Without OUT it is the parse floor of `check`.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                out.extend(files(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn account(dir: &Path, out: Option<&Path>) -> usize {
    let mut html = String::new();
    let mut events = 0;
    for file in files(dir) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if file.extension().is_some_and(|e| e == "yaml") {
            events += saphyr_parser::Parser::new_from_str(&text).count();
        } else {
            let (front, body) = match text
                .strip_prefix("---\n")
                .and_then(|r| r.split_once("\n---\n"))
            {
                Some((f, b)) => (f, b),
                None => ("", text.as_str()),
            };
            events += saphyr_parser::Parser::new_from_str(front).count();
            pulldown_cmark::html::push_html(
                &mut html,
                pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all()),
            );
        }
    }
    if let Some(out) = out {
        let name = dir.file_name().unwrap_or_default();
        std::fs::create_dir_all(out.join(name)).expect("output folder");
        std::fs::write(out.join(name).join("index.html"), html).expect("output file");
    }
    events
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(root) = args.first() else {
        eprintln!("usage: cargo bench --bench floor -- DIR [OUT]");
        std::process::exit(2);
    };
    let out = args.get(1).map(PathBuf::from);
    let started = Instant::now();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(Path::new(root).join("accounts"))
        .expect("an accounts folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    dirs.sort();
    // Two threads take accounts one at a time, so neither idles while the
    // other finishes a fixed half.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let events: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut events = 0;
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(dir) = dirs.get(i) else { break events };
                        events += account(dir, out.as_deref());
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    println!(
        "{} accounts, {events} YAML events, {:.3} s",
        dirs.len(),
        started.elapsed().as_secs_f64()
    );
}
