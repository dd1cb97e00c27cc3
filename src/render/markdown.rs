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
            e => out.push(e.clone()),
        }
        i += 1;
    }
    let mut raw = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut raw, out.into_iter());
    SANITIZER.clean(&raw).to_string()
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
        assert!(html.contains("footnote"), "{html}");
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
