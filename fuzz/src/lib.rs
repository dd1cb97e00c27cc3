//! The fuzz targets' bodies, shared with the stable seed replay in
//! `tests/cli/fuzz_seeds.rs` (which includes this file as a module), so CI
//! runs every seed through exactly the code the fuzzers run.
//!
//! Besides "no panic", each target checks what must hold for any input:
//! positions lie inside the file, limits hold, reports are well formed, and
//! rendered HTML and SVG contain nothing executable.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use kaplan::config::Language;
use kaplan::diagnostic::{Diagnostic, Sink};
use kaplan::load::yaml::{self, Node, NodeKind};
use kaplan::model::{Document, PageMeta, Span, VisitMeta};

/// Number of lines of `text` as YAML counts them (`\n`, `\r\n` or a lone
/// `\r` ends a line; a last line without a line break counts; one past the
/// end is allowed for end-of-file errors).
fn last_line(text: &str) -> u32 {
    let lone_cr = text.matches('\r').count() - text.matches("\r\n").count();
    u32::try_from(text.matches('\n').count() + lone_cr + 1).unwrap_or(u32::MAX)
}

fn check_span(span: Span, lines: u32, what: &str) {
    assert!(
        span.line >= 1 && span.col >= 1,
        "{what}: position {span:?} is not 1-based"
    );
    assert!(
        span.line <= lines,
        "{what}: line {} is past the end of a {lines}-line text",
        span.line
    );
    assert!(
        span.end_line >= span.line,
        "{what}: span ends before it starts: {span:?}"
    );
}

fn check_diagnostics(diags: &[Diagnostic], lines: u32) {
    for d in diags {
        check_span(d.span, lines, d.rule.name);
        for language in [Language::En, Language::ZhCn] {
            let message = d.message(language);
            assert!(!message.is_empty(), "{}: empty message", d.rule.name);
        }
    }
}

/// Walks a tree without recursion: depth and node count stay in bounds,
/// every span lies inside the text.
fn check_nodes(root: &Node, lines: u32) {
    let mut todo = vec![(root, 1usize)];
    let mut nodes = 0usize;
    while let Some((node, depth)) = todo.pop() {
        nodes += 1;
        assert!(nodes <= yaml::MAX_NODES, "more than MAX_NODES nodes");
        check_span(node.span, lines, "node");
        match &node.kind {
            NodeKind::Scalar { .. } => {}
            NodeKind::Seq(items) => {
                assert!(depth <= yaml::MAX_DEPTH, "deeper than MAX_DEPTH");
                todo.extend(items.iter().map(|n| (n, depth + 1)));
            }
            NodeKind::Map(entries) => {
                assert!(depth <= yaml::MAX_DEPTH, "deeper than MAX_DEPTH");
                for e in entries {
                    nodes += 1;
                    check_span(e.key_span, lines, "key");
                    todo.push((&e.value, depth + 1));
                }
            }
        }
    }
}

/// Target `plan_yaml`: the YAML tree and the typed plan reader.
pub fn plan_yaml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let lines = last_line(&text);
    let parsed = yaml::parse(&text, 0);
    for e in &parsed.errors {
        check_span(e.span, lines, "syntax error");
    }
    // The parse finds the private notes on its own events as the masker
    // alone does.
    assert_eq!(parsed.private, yaml::private_lines(&text, 0));
    // Parsed by top-level sections, alone and reusing those of the text
    // with its first line moved to its end: the same tree, errors and notes.
    let mut sections = yaml::Sections::default();
    let moved = match text.split_once('\n') {
        Some((first, rest)) => format!("{rest}\n{first}"),
        None => String::new(),
    };
    for other in [&*text, &moved, &*text] {
        let whole = yaml::parse(other, 0);
        let reused = yaml::parse_reusing(other, &mut sections);
        assert_eq!(reused.root, whole.root);
        assert_eq!(reused.errors, whole.errors);
        assert_eq!(reused.private, whole.private);
    }
    if let Some(root) = &parsed.root {
        check_nodes(root, lines);
        let _ = root.to_json();
    }
    let mut sink = Sink::new("fuzz", "accounts/fuzz/plan.yaml");
    let plan = kaplan::load::parse_plan(&text, &mut sink);
    check_diagnostics(&sink.diagnostics, lines);
    if let Some(plan) = plan {
        let today = kaplan::model::Date::parse("2026-06-30").expect("a valid date");
        let figures =
            kaplan::figures::compute(&plan, &kaplan::config::Thresholds::default(), today);
        // Progress is a share: whatever the numbers, never outside 0..=1.
        for o in &figures.objectives {
            assert!(o.progress.is_none_or(|p| (0.0..=1.0).contains(&p)), "{o:?}");
        }
    }
    // The lines a report never quotes: found on any text, within it.
    for range in kaplan::load::masked_lines("accounts/fuzz/plan.yaml", &text) {
        assert!(
            *range.start() >= 1 && range.start() <= range.end() && *range.end() <= lines as usize,
            "masked lines {range:?} outside the text's {lines} lines"
        );
    }
}

/// Target `front_matter`: splitting a Markdown file and reading both kinds
/// of front matter.
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let lines = last_line(&text);
    let mut sink = Sink::new("fuzz", "accounts/fuzz/page.md");
    let page: Document<PageMeta> =
        kaplan::load::parse_document("accounts/fuzz/page.md", &text, &mut sink);
    check_diagnostics(&sink.diagnostics, lines);
    check_body(&text, &page.body, page.body_line);
    let mut sink = Sink::new("fuzz", "accounts/fuzz/visits/v.md");
    let visit: Document<VisitMeta> =
        kaplan::load::parse_document("accounts/fuzz/visits/v.md", &text, &mut sink);
    check_diagnostics(&sink.diagnostics, lines);
    check_body(&text, &visit.body, visit.body_line);
}

/// The body is the end of the file, and `body_line` is the line it starts on.
fn check_body(text: &str, body: &str, body_line: u32) {
    assert!(text.ends_with(body), "the body is not the end of the file");
    let head = &text[..text.len() - body.len()];
    if body.len() == text.len() {
        assert_eq!(body_line, 1);
    } else if !body.is_empty() {
        // (A closing `---` on the last line without a line break leaves an
        // empty body that starts nowhere.)
        assert!(
            head.ends_with('\n'),
            "the body does not start on a new line"
        );
        let head_lines = u32::try_from(head.matches('\n').count() + 1).unwrap_or(u32::MAX);
        assert_eq!(
            body_line, head_lines,
            "body_line does not match the front matter's length"
        );
    }
}

/// Target `markdown`: Markdown through the sanitizer. The first byte picks
/// the heading shift.
pub fn markdown(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let html = kaplan::render::markdown::to_html(&text, "p-", first % 8);
    if let Err(why) = executable(&html, &[]) {
        panic!("executable HTML from Markdown: {why}\n{html}");
    }
}

/// The files of a generated plans tree: a chunk of the input per slot.
pub const SLOTS: &[&str] = &[
    "kaplan.toml",
    "accounts/a/plan.yaml",
    "accounts/a/page.md",
    "accounts/a/visits/v.md",
    "accounts/b/plan.yaml",
    "accounts/b/page.md",
    "accounts/b/visits/v.md",
];

/// Splits the input into files: lines `%%% SLOT` start a file; bytes before
/// the first such line are `accounts/a/plan.yaml`. Unknown slots are dropped.
pub fn split_tree(data: &[u8]) -> Vec<(&'static str, &[u8])> {
    let mut files: Vec<(&'static str, &[u8])> = Vec::new();
    let mut slot = Some("accounts/a/plan.yaml");
    let mut start = 0;
    let mut at = 0;
    while at <= data.len() {
        let line_start = at == 0 || data[at - 1] == b'\n';
        if line_start && data[at..].starts_with(b"%%% ") {
            if let Some(s) = slot {
                files.retain(|(n, _)| *n != s);
                files.push((s, &data[start..at]));
            }
            let end = data[at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(data.len(), |i| at + i);
            let name = String::from_utf8_lossy(&data[at + 4..end]);
            slot = SLOTS.iter().copied().find(|s| *s == name.trim());
            start = (end + 1).min(data.len());
            at = start;
            continue;
        }
        match data[at..].iter().position(|&b| b == b'\n') {
            Some(i) => at += i + 1,
            None => break,
        }
    }
    if let Some(s) = slot {
        files.retain(|(n, _)| *n != s);
        files.push((s, &data[start..]));
    }
    files
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh folder for one run, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("kaplan-fuzz-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Target `check_tree`: the whole pipeline — discovery, loading, checking,
/// figures, every report format and the rendered site (in memory) — on a
/// plans tree written from the input.
pub fn check_tree(data: &[u8]) {
    let scratch = Scratch::new();
    let root = scratch.0.as_path();
    for (slot, bytes) in split_tree(data) {
        let path = root.join(slot);
        std::fs::create_dir_all(path.parent().unwrap_or(root)).expect("mkdir");
        std::fs::write(&path, bytes).expect("write");
    }
    run_pipeline(root);
}

fn run_pipeline(root: &Path) {
    let options = kaplan::CheckOptions {
        today: kaplan::model::Date::parse("2026-06-30").ok(),
        exclude: Vec::new(),
        lean: false,
        no_cache: true,
    };
    let Ok(checked) = kaplan::check(root, &options) else {
        return; // a broken kaplan.toml: exit code 2, nothing to check
    };
    for d in &checked.diagnostics {
        let lines = std::fs::read(root.join(&d.file))
            .map_or(1, |bytes| last_line(&String::from_utf8_lossy(&bytes)));
        check_span(d.span, lines, d.rule.name);
        assert!(!d.file.contains('\\'), "file names are /-separated");
    }
    let json: serde_json::Value = serde_json::from_str(&kaplan::report::json(
        &checked.diagnostics,
        checked.language(),
    ))
    .expect("JSON report");
    assert_eq!(
        json.as_array().map(Vec::len),
        Some(checked.diagnostics.len())
    );
    let sarif: serde_json::Value = serde_json::from_str(&kaplan::report::sarif(
        &checked.diagnostics,
        checked.language(),
    ))
    .expect("SARIF report");
    assert!(sarif.is_object());
    let github = kaplan::report::github(&checked.diagnostics, checked.language());
    assert_eq!(
        github.lines().count(),
        checked.diagnostics.len(),
        "one GitHub annotation per diagnostic, on one line"
    );
    let _ = kaplan::report::human(&checked, false);
    let _ = kaplan::report::summary(
        &checked.diagnostics,
        checked.accounts.len(),
        checked.language(),
    );
    let files = match kaplan::render::render(&checked, &kaplan::render::RenderOptions::default()) {
        Ok(files) => files,
        Err(e) => panic!("rendering failed: {e}"),
    };
    for (name, bytes) in &files {
        if name.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(bytes).expect("accounts.json");
        }
        if name.ends_with(".html") || name.ends_with(".svg") {
            let text = std::str::from_utf8(bytes).expect("UTF-8 page");
            if let Err(why) = executable(text, &["assets/kaplan.js"]) {
                panic!("{name}: {why}");
            }
        }
    }
}

/// The first executable construct in `html`, if any: a `<script>` (other
/// than one loading an allowed theme file), an `on…` attribute, a
/// `javascript:`/`vbscript:`/`data:` URL in a link or source, or an embedding
/// element. `html` is serializer output (text `<` escaped, attribute values
/// double-quoted), which is what kaplan writes.
pub fn executable(html: &str, allowed_scripts: &[&str]) -> Result<(), String> {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        let name_len = html[i..]
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b':')
            .count();
        if name_len == 0 {
            continue;
        }
        let tag = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !b"=>/".contains(&b[i]) {
                i += 1;
            }
            let name = html[start..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i] as char;
                    let end = html[i + 1..].find(q).map_or(html.len(), |e| i + 1 + e);
                    value = html[i + 1..end].to_owned();
                    i = (end + 1).min(html.len());
                } else {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = html[start..i].to_owned();
                }
            }
            if name.is_empty() {
                i += 1;
                continue;
            }
            attrs.push((name, value));
        }
        if ["iframe", "object", "embed", "frame", "applet", "base"].contains(&tag.as_str()) {
            return Err(format!("an embedding element <{tag}>"));
        }
        if tag == "meta"
            && attrs
                .iter()
                .any(|(n, v)| n == "http-equiv" && v.eq_ignore_ascii_case("refresh"))
        {
            return Err("a <meta http-equiv=refresh>".into());
        }
        if tag == "script" {
            let src = attrs.iter().find(|(n, _)| n == "src").map(|(_, v)| v);
            if !src.is_some_and(|s| allowed_scripts.iter().any(|a| s.ends_with(a))) {
                return Err(format!("a <script> element with attributes {attrs:?}"));
            }
        }
        for (name, value) in &attrs {
            if name.starts_with("on") {
                return Err(format!("an event handler `{name}` on <{tag}>"));
            }
            let is_url = matches!(
                name.as_str(),
                "href"
                    | "src"
                    | "xlink:href"
                    | "action"
                    | "formaction"
                    | "data"
                    | "poster"
                    | "srcset"
                    | "background"
            );
            if is_url && dangerous_url(value) {
                return Err(format!("<{tag} {name}=\"{value}\">"));
            }
        }
    }
    Ok(())
}

/// Whether a URL (as written in an attribute, entities not yet decoded)
/// runs code or embeds arbitrary content, read the way a browser's URL
/// parser reads it: leading and trailing controls and spaces go, tabs and
/// line breaks go anywhere, other control characters stay (and make the
/// scheme invalid, so the URL is relative).
pub fn dangerous_url(value: &str) -> bool {
    let decoded = decode_entities(value);
    let scheme: String = decoded
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| scheme.starts_with(s))
}

/// Character references as a browser decodes them in an attribute: numeric
/// (with or without `;`) and the named ones that matter in URLs.
fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(num) = rest.strip_prefix('#') {
            let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let len = digits
                .find(|c: char| {
                    !(if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    })
                })
                .unwrap_or(digits.len());
            let code = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 }).ok();
            if let Some(c) = code.and_then(char::from_u32).filter(|_| len > 0) {
                out.push(c);
                rest = &digits[len..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
                continue;
            }
        }
        let named = [
            ("amp;", '&'),
            ("colon;", ':'),
            ("Tab;", '\t'),
            ("NewLine;", '\n'),
            ("quot;", '"'),
            ("apos;", '\''),
            ("lt;", '<'),
            ("gt;", '>'),
        ];
        match named.iter().find(|(n, _)| rest.starts_with(n)) {
            Some((n, c)) => {
                out.push(*c);
                rest = &rest[n.len()..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}
