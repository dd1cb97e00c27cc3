//! Markdown to safe HTML: CommonMark with tables, footnotes, strikethrough
//! and task lists; headings get ids; the output is sanitized so scripts,
//! event handlers and `javascript:` URLs never reach the site.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .set_tag_attribute_value("input", "disabled", "")
        .add_generic_attributes(["id"])
        .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
        .add_allowed_classes("div", ["footnote-definition"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .link_rel(Some("noopener noreferrer"));
    b
});

/// Renders `text` to sanitized HTML. Heading ids are prefixed with `id_prefix`
/// so that several documents can share a page. Headings are shifted down by
/// `shift` levels (a page's `#` becomes `<h3>` inside a dossier section).
pub fn to_html(text: &str, id_prefix: &str, shift: u8) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let events: Vec<Event<'_>> = Parser::new_ext(text, options).collect();
    let mut used = HashSet::new();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let mut title = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j] {
                        title.push_str(t);
                    }
                    j += 1;
                }
                let id = unique(&mut used, &format!("{id_prefix}{}", slug(&title)));
                out.push(Event::Start(Tag::Heading {
                    level: shifted(*level, shift),
                    id: Some(CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                out.push(Event::End(TagEnd::Heading(shifted(*level, shift))))
            }
            // Footnote labels become ids and links: prefix them like headings.
            Event::FootnoteReference(label) => out.push(Event::FootnoteReference(CowStr::from(
                format!("{id_prefix}fn-{label}"),
            ))),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                out.push(Event::Start(Tag::FootnoteDefinition(CowStr::from(
                    format!("{id_prefix}fn-{label}"),
                ))));
            }
            e => out.push(e.clone()),
        }
        i += 1;
    }
    let mut raw = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut raw, bounded(out).into_iter());
    SANITIZER.clean(&raw).to_string()
}

/// Deepest nesting kept, of Markdown blocks and inlines and of raw HTML
/// tags. The sanitizer's HTML parser spends time proportional to the depth
/// on every element, so 100,000 nested `>` would take hours; real pages nest
/// a few levels.
const MAX_NESTING: usize = 32;

/// `events` with elements nested deeper than [`MAX_NESTING`] flattened (their
/// text stays), and raw HTML shown as text when its tags nest deeper.
fn bounded(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let raw = events.iter().filter_map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Some(h.as_ref()),
        _ => None,
    });
    let raw_too_deep = raw_html_depth(raw) > MAX_NESTING;
    let mut kept: Vec<bool> = Vec::new();
    let mut depth = 0;
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        match e {
            Event::Start(_) => {
                let keep = depth < MAX_NESTING;
                kept.push(keep);
                if keep {
                    depth += 1;
                    out.push(e);
                }
            }
            Event::End(_) => {
                if kept.pop().unwrap_or(true) {
                    depth -= 1;
                    out.push(e);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if raw_too_deep => out.push(Event::Text(h)),
            e => out.push(e),
        }
    }
    out
}

/// How deep the tags of raw HTML nest, counting generously (an unclosed tag
/// counts as open to the end); linear in the text.
fn raw_html_depth<'a>(chunks: impl Iterator<Item = &'a str>) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let (mut depth, mut max) = (0usize, 0usize);
    for chunk in chunks {
        let mut rest = chunk;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            if rest.starts_with('/') {
                depth = depth.saturating_sub(1);
            } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
                let len = rest
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(rest.len());
                if !VOID.iter().any(|v| v.eq_ignore_ascii_case(&rest[..len])) {
                    depth += 1;
                    max = max.max(depth);
                }
            }
        }
    }
    max
}

fn shifted(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as u8 + by).min(6);
    HeadingLevel::try_from(usize::from(n)).unwrap_or(HeadingLevel::H6)
}

/// A URL fragment from a heading: letters and digits (any script) kept,
/// everything else collapsed to `-`.
pub fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_owned();
    if s.is_empty() {
        "section".to_owned()
    } else {
        s
    }
}

fn unique(used: &mut HashSet<String>, id: &str) -> String {
    let mut candidate = id.to_owned();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{id}-{n}");
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) <br> <sup>2</sup>",
            "",
            0,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(
            html.contains("<br>") && html.contains("<sup>2</sup>"),
            "{html}"
        );
    }

    #[test]
    fn extensions_and_heading_ids() {
        let html = to_html(
            "# 现状 Situation\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n~~old~~ text[^1]\n\n[^1]: note\n",
            "p-",
            1,
        );
        assert!(html.contains(r#"<h2 id="p-现状-situation">"#), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(
            html.contains(r#"type="checkbox""#) && html.contains("checked"),
            "{html}"
        );
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(
            html.contains(r##"href="#p-fn-1""##) && html.contains(r#"id="p-fn-1""#),
            "{html}"
        );
        assert!(html.contains(r#"class="footnote-definition""#), "{html}");
    }

    #[test]
    fn deep_nesting_is_flattened_in_linear_time() {
        let started = std::time::Instant::now();
        for text in [
            "> ".repeat(100_000),
            "<div>".repeat(100_000),
            "- ".repeat(50_000),
        ] {
            let html = to_html(&text, "", 0);
            assert!(html.matches("<blockquote>").count() <= MAX_NESTING);
            assert!(html.matches("<div>").count() <= MAX_NESTING);
        }
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
        // Ordinary nesting and harmless raw HTML are untouched.
        let html = to_html(
            "> a\n> > b\n\n<details><summary>x</summary>y</details> <br> <sup>2</sup>",
            "",
            0,
        );
        assert!(
            html.contains("<blockquote>\n<p>a</p>\n<blockquote>"),
            "{html}"
        );
        assert!(
            html.contains("<details><summary>x</summary>y</details>"),
            "{html}"
        );
    }

    #[test]
    fn duplicate_headings_get_distinct_ids() {
        let html = to_html("## A\n\n## A\n", "", 0);
        assert!(
            html.contains(r#"id="a""#) && html.contains(r#"id="a-2""#),
            "{html}"
        );
    }
}
