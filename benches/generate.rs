//! Writes N realistic accounts for benchmarks, deterministically:
//! `cargo bench --bench generate -- N DIR`.
//!
//! Each account is one of the eight `example-accounts/` plans (telecom,
//! banking, retail, ... in Chinese, English and both) under a new id, with
//! its amounts and targets scaled by a per-account factor so that figures
//! differ from account to account.

use std::path::Path;

fn scale_line(line: &str, factor: f64) -> String {
    const KEYS: [&str; 6] = [
        "amount:",
        "cost:",
        "target:",
        "actual:",
        "baseline:",
        "- amount:",
    ];
    let trimmed = line.trim_start();
    for key in KEYS {
        if let Some(rest) = trimmed.strip_prefix(key)
            && let Ok(v) = rest.trim().parse::<f64>()
        {
            let indent = &line[..line.len() - trimmed.len()];
            return format!("{indent}{key} {}", (v * factor).round());
        }
    }
    line.to_owned()
}

fn copy_account(src: &Path, dst: &Path, factor: f64) -> std::io::Result<()> {
    for entry in walk(src)? {
        let rel = entry.strip_prefix(src).expect("inside the source");
        let target = dst.join(rel);
        std::fs::create_dir_all(target.parent().expect("a parent"))?;
        let text = std::fs::read_to_string(&entry)?;
        let text = if entry.file_name().is_some_and(|n| n == "plan.yaml") {
            let mut out: String = text
                .lines()
                .map(|l| scale_line(l, factor))
                .collect::<Vec<_>>()
                .join("\n");
            out.push('\n');
            out
        } else {
            text
        };
        std::fs::write(target, text)?;
    }
    Ok(())
}

fn walk(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for e in entries {
        let path = e.path();
        if path.is_dir() {
            out.extend(walk(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

fn main() -> std::io::Result<()> {
    // `cargo bench` passes `--bench`; take the two arguments that are not flags.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (Some(n), Some(dir)) = (
        args.first().and_then(|n| n.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: cargo bench --bench generate -- N DIR");
        std::process::exit(2);
    };
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-accounts");
    let mut bases: Vec<_> = std::fs::read_dir(examples.join("accounts"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    bases.sort();
    let out = Path::new(dir);
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    std::fs::create_dir_all(out.join("accounts"))?;
    std::fs::copy(examples.join("kaplan.toml"), out.join("kaplan.toml"))?;
    for i in 0..n {
        let base = &bases[i % bases.len()];
        let name = base
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("account");
        let factor = 0.6 + (i * 37 % 100) as f64 / 100.0;
        copy_account(
            base,
            &out.join("accounts").join(format!("{name}-{i:05}")),
            factor,
        )?;
    }
    println!("wrote {n} accounts into {}", out.display());
    Ok(())
}
