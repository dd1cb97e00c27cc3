//! Markdown to safe HTML: CommonMark with tables, footnotes, strikethrough
//! and task lists; headings get ids; scripts, event handlers and
//! `javascript:` URLs never reach the site.
//!
//! Two paths give the same HTML. Without raw HTML in the Markdown (the common
//! case) `safe_html` writes the events itself: it escapes all text, emits
//! only the tags it knows and checks every link and image URL the way the
//! sanitizer does, writing the sanitizer's own serialization, so its output
//! is a fixed point of the sanitizer (tests check it on a corpus). Markdown
//! with raw HTML goes through pulldown-cmark's writer and the sanitizer
//! (ammonia), which costs about three times as much as all the rest.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{
    Alignment, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html,
};

use crate::text::{byte_set, find_in_set};

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

/// The URL schemes [`SANITIZER`] lets through (ammonia's defaults: http,
/// https, mailto, tel, ftp, …), lower case; relative URLs pass too.
static URL_SCHEMES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| SANITIZER.clone_url_schemes());

/// Renders `text` to sanitized HTML. Heading ids are prefixed with `id_prefix`
/// so that several documents can share a page. Headings are shifted down by
/// `shift` levels (a page's `#` becomes `<h3>` inside a dossier section).
pub fn to_html(text: &str, id_prefix: &str, shift: u8) -> String {
    let events = prepared(text, id_prefix, shift);
    safe_html(&events, text.len()).unwrap_or_else(|| sanitized_html(events, text.len()))
}

/// The Markdown events of `text`: headings shifted and given unique ids,
/// footnote labels prefixed, nesting [`bounded`]; changed in place, in the
/// one `Vec` the parser's events are collected into.
fn prepared<'a>(text: &'a str, id_prefix: &str, shift: u8) -> Vec<Event<'a>> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut events: Vec<Event<'_>> = Parser::new_ext(text, options).collect();
    let mut used = HashSet::new();
    for i in 0..events.len() {
        let new_id = match &events[i] {
            Event::Start(Tag::Heading { .. }) => {
                let mut id = String::from(id_prefix);
                push_slug(&mut id, &heading_title(&events[i + 1..]));
                Some(unique(&mut used, id))
            }
            _ => None,
        };
        match &mut events[i] {
            Event::Start(Tag::Heading { level, id, .. }) => {
                *level = shifted(*level, shift);
                *id = new_id.map(CowStr::from);
            }
            Event::End(TagEnd::Heading(level)) => *level = shifted(*level, shift),
            // Footnote labels become ids and links: prefix them like headings.
            Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) => {
                *label = CowStr::from(format!("{id_prefix}fn-{label}"));
            }
            _ => {}
        }
    }
    bounded(&mut events);
    events
}

/// The text of a heading whose events follow its start: its text and code,
/// up to its end.
fn heading_title(after_start: &[Event<'_>]) -> String {
    let mut title = String::new();
    for e in after_start {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => title.push_str(t),
            _ => {}
        }
    }
    title
}

/// The slow path: pulldown-cmark's HTML, then the sanitizer.
fn sanitized_html(events: Vec<Event<'_>>, len: usize) -> String {
    let mut raw = String::with_capacity(len * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    SANITIZER.clean(&raw).to_string()
}

/// The fast path: `events` as HTML written the way pulldown-cmark's writer
/// writes them, but in the form [`SANITIZER`] gives its output (void tags
/// without `/`, its escaping, no `language-` class on code, `rel` on every
/// link, URLs it would drop left out), so that cleaning it changes nothing.
/// `None` when the events hold raw HTML or anything else that only the
/// sanitizer may judge.
fn safe_html(events: &[Event<'_>], len: usize) -> Option<String> {
    let rel = SANITIZER.get_link_rel().unwrap_or_default();
    let mut w = SafeWriter {
        out: String::with_capacity(len * 3 / 2),
        end_newline: true,
        after_cr: false,
        in_head: false,
        alignments: &[],
        cell: 0,
        numbers: HashMap::new(),
    };
    let mut in_link = false;
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Paragraph) => w.block("<p>"),
            Event::End(TagEnd::Paragraph) => w.put("</p>\n"),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                if !classes.is_empty() || !attrs.is_empty() {
                    return None;
                }
                w.block("<");
                w.put(tag_name(*level));
                if let Some(id) = id {
                    w.attr("id", id);
                }
                w.put(">");
            }
            Event::End(TagEnd::Heading(level)) => {
                w.put("</");
                w.put(tag_name(*level));
                w.put(">\n");
            }
            Event::Start(Tag::Table(alignments)) => {
                w.alignments = alignments;
                w.put("<table>");
            }
            Event::End(TagEnd::Table) => w.put("</tbody></table>\n"),
            Event::Start(Tag::TableHead) => {
                (w.in_head, w.cell) = (true, 0);
                w.put("<thead><tr>");
            }
            Event::End(TagEnd::TableHead) => {
                w.in_head = false;
                w.put("</tr></thead><tbody>\n");
            }
            Event::Start(Tag::TableRow) => {
                w.cell = 0;
                w.put("<tr>");
            }
            Event::End(TagEnd::TableRow) => w.put("</tr>\n"),
            Event::Start(Tag::TableCell) => {
                w.put(if w.in_head { "<th" } else { "<td" });
                w.put(match w.alignments.get(w.cell) {
                    Some(Alignment::Left) => " style=\"text-align:left\">",
                    Some(Alignment::Center) => " style=\"text-align:center\">",
                    Some(Alignment::Right) => " style=\"text-align:right\">",
                    _ => ">",
                });
            }
            Event::End(TagEnd::TableCell) => {
                w.put(if w.in_head { "</th>" } else { "</td>" });
                w.cell += 1;
            }
            // Raw HTML blocks write nothing themselves; their HTML is refused
            // below unless too deep nesting made it text.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(Tag::BlockQuote(None)) => w.block("<blockquote>\n"),
            Event::End(TagEnd::BlockQuote(None)) => w.put("</blockquote>\n"),
            // The sanitizer drops `class="language-…"`: not an allowed class.
            Event::Start(Tag::CodeBlock(_)) => {
                if !w.end_newline {
                    w.put("\n");
                }
                w.put("<pre><code>");
            }
            Event::End(TagEnd::CodeBlock) => w.put("</code></pre>\n"),
            Event::Start(Tag::List(Some(1))) => w.block("<ol>\n"),
            Event::Start(Tag::List(Some(start))) => w.block(&format!("<ol start=\"{start}\">\n")),
            Event::Start(Tag::List(None)) => w.block("<ul>\n"),
            Event::End(TagEnd::List(true)) => w.put("</ol>\n"),
            Event::End(TagEnd::List(false)) => w.put("</ul>\n"),
            Event::Start(Tag::Item) => w.block("<li>"),
            Event::End(TagEnd::Item) => w.put("</li>\n"),
            Event::Start(Tag::Emphasis) => w.put("<em>"),
            Event::End(TagEnd::Emphasis) => w.put("</em>"),
            Event::Start(Tag::Strong) => w.put("<strong>"),
            Event::End(TagEnd::Strong) => w.put("</strong>"),
            Event::Start(Tag::Strikethrough) => w.put("<del>"),
            Event::End(TagEnd::Strikethrough) => w.put("</del>"),
            // Links cannot nest in Markdown; HTML parsers restructure nested
            // `<a>`s, so leave any such case to the sanitizer.
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                if in_link {
                    return None;
                }
                in_link = true;
                w.put("<a");
                let href = href(*link_type, dest_url);
                if url_allowed(&href) {
                    w.attr("href", &href);
                }
                if !title.is_empty() {
                    w.attr("title", title);
                }
                w.attr("rel", rel);
                w.put(">");
            }
            Event::End(TagEnd::Link) => {
                in_link = false;
                w.put("</a>");
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                w.put("<img");
                let src = href(*link_type, dest_url);
                if url_allowed(&src) {
                    w.attr("src", &src);
                }
                let (alt, end) = w.alt_text(events, i + 1)?;
                w.attr("alt", &alt);
                if !title.is_empty() {
                    w.attr("title", title);
                }
                w.put(">");
                i = end;
            }
            Event::End(TagEnd::Image) => {}
            Event::Start(Tag::FootnoteDefinition(name)) => {
                w.block("<div class=\"footnote-definition\"");
                w.attr("id", name);
                let n = w.number(name);
                w.put(&format!(
                    "><sup class=\"footnote-definition-label\">{n}</sup>"
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => w.put("</div>\n"),
            Event::Text(text) => {
                w.text(text);
                w.end_newline = text.ends_with('\n');
            }
            Event::Code(text) => {
                w.put("<code>");
                w.text(text);
                w.put("</code>");
            }
            Event::SoftBreak => w.put("\n"),
            Event::HardBreak => w.put("<br>\n"),
            Event::Rule => w.block("<hr>\n"),
            // `#…` is a relative URL: always allowed.
            Event::FootnoteReference(name) => {
                if in_link {
                    return None;
                }
                let n = w.number(name);
                w.put("<sup class=\"footnote-reference\"><a");
                w.attr("href", &format!("#{name}"));
                w.attr("rel", rel);
                w.put(&format!(">{n}</a></sup>"));
            }
            Event::TaskListMarker(checked) => w.put(if *checked {
                "<input disabled=\"\" type=\"checkbox\" checked=\"\">\n"
            } else {
                "<input disabled=\"\" type=\"checkbox\">\n"
            }),
            // Raw HTML, and whatever the options above do not enable.
            _ => return None,
        }
        i += 1;
    }
    Some(w.out)
}

/// The state of [`safe_html`]'s output, mirroring pulldown-cmark's writer.
struct SafeWriter<'e, 'a> {
    out: String,
    /// Whether the output ends a line (pulldown-cmark's `end_newline`).
    end_newline: bool,
    /// Whether the output ends with text whose last character was a CR.
    after_cr: bool,
    in_head: bool,
    alignments: &'e [Alignment],
    cell: usize,
    /// Footnote numbers by label, in order of first mention.
    numbers: HashMap<&'e CowStr<'a>, usize>,
}

impl<'e, 'a> SafeWriter<'e, 'a> {
    fn put(&mut self, s: &str) {
        self.after_cr = false;
        self.out.push_str(s);
        if !s.is_empty() {
            self.end_newline = s.ends_with('\n');
        }
    }

    /// A block's start tag, on a line of its own.
    fn block(&mut self, s: &str) {
        if !self.end_newline {
            self.out.push('\n');
        }
        self.put(s);
    }

    fn text(&mut self, s: &str) {
        escape(&mut self.out, s, false, &mut self.after_cr);
    }

    fn attr(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape(&mut self.out, value, true, &mut false);
        self.out.push('"');
    }

    fn number(&mut self, label: &'e CowStr<'a>) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label).or_insert(next)
    }

    /// An image's alt text, as pulldown-cmark's writer flattens the events
    /// from `start` to the image's end, and the index of that end.
    fn alt_text(&mut self, events: &'e [Event<'a>], start: usize) -> Option<(String, usize)> {
        let mut alt = String::new();
        let mut nest = 0usize;
        for (i, e) in events.iter().enumerate().skip(start) {
            match e {
                Event::Start(_) => nest += 1,
                Event::End(_) if nest == 0 => return Some((alt, i)),
                Event::End(_) => nest -= 1,
                // Raw HTML in an alt text is text, escaped like the rest.
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => alt.push_str(t),
                Event::Html(_) => {}
                Event::SoftBreak | Event::HardBreak | Event::Rule => alt.push(' '),
                Event::FootnoteReference(name) => {
                    let n = self.number(name);
                    alt.push_str(&format!("[{n}]"));
                }
                Event::TaskListMarker(true) => alt.push_str("[x]"),
                Event::TaskListMarker(false) => alt.push_str("[ ]"),
                _ => return None,
            }
        }
        None
    }
}

/// A link's or image's URL as pulldown-cmark's writer puts it in the
/// attribute (`escape_href`: percent-encoding, before HTML escaping).
fn href(link_type: LinkType, dest: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(dest.len() + 7);
    if link_type == LinkType::Email {
        s.push_str("mailto:");
    }
    for b in dest.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$%&'()*+,-./:;=?@^_~".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push('%');
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    s
}

/// Whether `url` (an attribute value as the browser reads it) may stay:
/// relative, or with a scheme in [`URL_SCHEMES`]. Both the browser's reading
/// and the sanitizer's (the `url` crate's) must allow it, so the fast path
/// keeps exactly the URLs the sanitizer keeps.
fn url_allowed(url: &str) -> bool {
    let browser = scheme(url).is_none_or(|s| URL_SCHEMES.contains(s.as_str()));
    let sanitizer = match ammonia::Url::parse(url) {
        Ok(parsed) => URL_SCHEMES.contains(parsed.scheme()),
        Err(ammonia::url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    };
    browser && sanitizer
}

/// The scheme of `url` as a browser reads it (WHATWG URL), in lower case;
/// `None` for a relative URL. Leading and trailing C0 controls and spaces
/// are ignored, tabs and line breaks ignored anywhere; the scheme is an ASCII
/// letter then letters, digits, `+`, `-` or `.`, up to the first `:` (any
/// other character first, such as `/`, `?` or `#`, makes the URL relative).
fn scheme(url: &str) -> Option<String> {
    let mut scheme = String::new();
    let chars = url.trim_matches(|c: char| c <= ' ').chars();
    for c in chars.filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            'a'..='z' | 'A'..='Z' => scheme.push(c.to_ascii_lowercase()),
            '0'..='9' | '+' | '-' | '.' if !scheme.is_empty() => scheme.push(c),
            _ => return None,
        }
    }
    None
}

/// Appends `s` escaped as the sanitizer's serializer (html5ever) escapes:
/// `&`, `<`, `>` and no-break space, in attribute values also `"`; line
/// breaks and NUL as an HTML parser reads them (CR LF and CR become LF, also
/// when `after_cr` says the text before ended with a CR).
fn escape(out: &mut String, s: &str, attribute: bool, after_cr: &mut bool) {
    /// The bytes that may need more than copying.
    const SPECIAL: [bool; 256] = byte_set(b"&<>\"\xC2\r\0");
    let bytes = s.as_bytes();
    // An LF just after a CR was written with it.
    let mut done = usize::from(*after_cr && bytes.first() == Some(&b'\n'));
    let mut i = done;
    while let Some(skip) = find_in_set(&bytes[i..], &SPECIAL) {
        i += skip;
        let (with, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' if attribute => ("&quot;", 1),
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => ("&nbsp;", 2),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => ("\n", 2),
            b'\r' => ("\n", 1),
            0 if attribute => ("\u{FFFD}", 1),
            0 => ("", 1),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[done..i]);
        out.push_str(with);
        i += len;
        done = i;
    }
    out.push_str(&s[done..]);
    if let Some(&last) = bytes.last() {
        *after_cr = last == b'\r';
    }
}

/// Deepest nesting kept, of Markdown blocks and inlines and of raw HTML
/// tags. The sanitizer's HTML parser spends time proportional to the depth
/// on every element, so 100,000 nested `>` would take hours; real pages nest
/// a few levels.
const MAX_NESTING: usize = 32;

/// Flattens the elements of `events` nested deeper than [`MAX_NESTING`]
/// (their text stays), and shows raw HTML as text when its tags nest deeper.
fn bounded(events: &mut Vec<Event<'_>>) {
    let raw = events.iter().filter_map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Some(h.as_ref()),
        _ => None,
    });
    let raw_too_deep = raw_html_depth(raw) > MAX_NESTING;
    let mut kept: Vec<bool> = Vec::new();
    let mut depth = 0;
    events.retain_mut(|e| match e {
        Event::Start(_) => {
            let keep = depth < MAX_NESTING;
            kept.push(keep);
            if keep {
                depth += 1;
            }
            keep
        }
        Event::End(_) => {
            let keep = kept.pop().unwrap_or(true);
            if keep {
                depth -= 1;
            }
            keep
        }
        Event::Html(h) | Event::InlineHtml(h) if raw_too_deep => {
            *e = Event::Text(std::mem::replace(h, CowStr::Borrowed("")));
            true
        }
        _ => true,
    });
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

/// The element name of a heading level.
fn tag_name(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

fn shifted(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as u8 + by).min(6);
    HeadingLevel::try_from(usize::from(n)).unwrap_or(HeadingLevel::H6)
}

/// A URL fragment from a heading: letters and digits (any script) kept,
/// everything else collapsed to `-`.
pub(crate) fn slug(text: &str) -> String {
    let mut s = String::new();
    push_slug(&mut s, text);
    s
}

/// Appends [`slug`]`(text)` to `out`.
fn push_slug(out: &mut String, text: &str) {
    let start = out.len();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if out.len() > start && !out.ends_with('-') {
            out.push('-');
        }
    }
    let end = out.trim_end_matches('-').len().max(start);
    out.truncate(end);
    if out.len() == start {
        out.push_str("section");
    }
}

/// `id`, or `id-2`, `id-3`, … when taken; remembered in `used`.
fn unique(used: &mut HashSet<String>, id: String) -> String {
    if !used.contains(&id) {
        used.insert(id.clone());
        return id;
    }
    let mut n = 1;
    loop {
        n += 1;
        let candidate = format!("{id}-{n}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
    }
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

    /// Markdown without raw HTML: every construct the fast path writes, and
    /// URLs of every kind.
    const CORPUS: &[&str] = &[
        "# 现状 Situation\n\nPlain *emphasis*, **strong**, ~~struck~~, `code <b>`, ***both***.\n",
        "## A\n\n## A\n\n### `code` & \\<things>\n\n#### \n\n###### deep\n\nSetext\n======\n",
        "Entities: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;s&#39; &nbsp;x\u{a0}y &copy; &#0; &#x1F600;\n",
        "CJK 中文，全角标点。「引号」 and emoji 🎉, RTL עברית, combining é.\n",
        "a  \nhard break\\\nagain\nsoft\n\n***\n\n- item\n- ***\n\n---\n",
        "- [x] done\n- [ ] open\n  - [x] nested\n\n1. [ ] loose\n\n2. [x] tasks\n",
        "3. three\n4. four\n\n0. zero\n\n- a\n\n  b\n- c\n    1. deep\n",
        "> quote\n> > nested *q*\n> - list in quote\n>\n> ```rust\n> fn main() {}\n> ```\n",
        "| left | centre | right | none |\n|:---|:---:|---:|---|\n| 1 | **2** | `3` | [4](http://x) |\n| a \\| b | | é | |\n",
        "| only head |\n|---|\n",
        "```rust ignore\nlet a = \"<b>&amp;\";\n```\n\n```\nplain\n```\n\n    indented <code>\n\n~~~ python\nprint('x')\n~~~\n",
        "Text[^1] and again[^1] and[^note two] unknown[^nope].\n\n[^1]: First *note*.\n\n[^note two]: Second\n    with a paragraph.\n\n    More.\n",
        "[^early]: defined first\n\nthen used[^early].\n\n- item[^in]\n\n[^in]: in a list\n",
        "[http](http://example.com/a?b=1&c=2#d) [https](https://例子.测试/路径?q=中文) [upper](HTTPS://EXAMPLE.COM)\n",
        "[mailto](mailto:a@b.c) [tel](tel:+86-10-1234) [ftp](ftp://x.y/z) [rel](relative/path.html) [up](../up) [root](/root) [frag](#frag) [query](?q=1) [proto](//host/x) [empty]()\n",
        "[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [sp]( javascript:alert(1)) [ent](javascript&#58;alert(1)) [tab](<java\tscript:alert(1)>) [tabent](java&#9;script:alert(1)) [nl](<java\nscript:alert(1)>)\n",
        "[data](data:text/html,<script>alert(1)</script>) [vb](vbscript:msgbox(1)) [file](file:///etc/passwd) [ctl](<\u{1}javascript:alert(1)>) [c1](\u{85}javascript:alert(1)) [colon](:x) [digit](1x:y) [nbsp](\u{a0}javascript:x)\n",
        "[bad host](<http://exa mple.com>) [bad v6](http://[::1) [bad port](http://a:99999/) [no host](http://) [quote](http://x/\"onmouseover=\"alert(1)) [apos](http://x/'a') [back](http://x/`a`)\n",
        "Autolinks <https://example.com/x?y=1&z=2> <mailto:a@b.c> <a@b.c> <JaVaScRiPt:alert(1)> <vbscript:msgbox> <data:text/html,x> <ftp://x>\n",
        "[ref][r] [js ref][j] [title](http://x \"a \\\"title\\\" <b> & 'q'\") [t2](/y 'single \" quote')\n\n[r]: http://example.com/r \"Ref title\"\n[j]: javascript:alert(1)\n",
        "![alt *emph* `code` \"q\" <x> &amp;](pic.png \"title\") ![js](javascript:alert(1)) ![data](data:image/png;base64,AAAA) ![](empty.png)\n",
        "![nested ![inner](in.png) and [link](http://x)](out.png) [![img in link](i.png)](http://x) ![fn[^1] break\nline](b.png)\n\n[^1]: n\n",
        "Windows\r\nline endings\r\n\r\n```\r\ncode\r\n```\r\n\r\n- a\r\n- b\r\n",
        "Backslash \\* \\_ \\` \\< \\> \\& escapes; a < b > c; AT&T; 5 > 3 && 2 < 4\n",
        "Tricky <!-- not a comment? --> is raw HTML, so: plain `<script>` in code only.\n",
    ];

    #[test]
    fn fast_path_is_a_fixed_point_and_matches_the_sanitizer() {
        for text in CORPUS {
            for (prefix, shift) in [("", 0), ("p-\"'<&", 2)] {
                let events = prepared(text, prefix, shift);
                let Some(fast) = safe_html(&events, text.len()) else {
                    assert!(text.contains("<!--"), "fast path refused {text:?}");
                    continue;
                };
                assert_eq!(
                    SANITIZER.clean(&fast).to_string(),
                    fast,
                    "not a fixed point of the sanitizer: {text:?}"
                );
                assert_eq!(
                    fast,
                    sanitized_html(events, text.len()),
                    "paths differ: {text:?}"
                );
                assert_no_dangerous_url(&fast);
            }
        }
    }

    /// No `href` or `src` in `html` that a browser reads with a scheme other
    /// than http(s), mailto, tel or ftp, and no event handler.
    fn assert_no_dangerous_url(html: &str) {
        let doc = scraper::Html::parse_fragment(html);
        let all = scraper::Selector::parse("*").expect("selector");
        for el in doc.select(&all) {
            for (name, value) in el.value().attrs() {
                assert!(!name.starts_with("on"), "{name} in {html}");
                if name != "href" && name != "src" {
                    continue;
                }
                let seen: String = value
                    .trim_matches(|c: char| c <= ' ')
                    .chars()
                    .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                    .collect::<String>()
                    .to_ascii_lowercase();
                let bad = ["javascript:", "vbscript:", "data:", "file:"]
                    .iter()
                    .any(|s| seen.starts_with(s));
                assert!(!bad, "{name}={value:?} in {html}");
            }
        }
    }

    /// Random documents stitched from Markdown fragments: wherever the fast
    /// path takes them, it writes what the sanitizer path writes.
    #[test]
    fn random_documents_render_alike_on_both_paths() {
        #[rustfmt::skip]
        const PIECES: &[&str] = &[
            "text", "中文", "*", "**", "_", "~~", "`", "```", "~~~", "[", "]", "(", ")", "![", "[^1]",
            "[^1]:", "[^x y]", "<", ">", "&", "&amp;", "&nbsp;", "\u{a0}", "\"", "'", "\\", "#",
            "## ", "- ", "* ", "1. ", "3) ", "> ", "- [ ] ", "- [x] ", "|", "|---|", "|:-:|", "---",
            "***", "    ", "\t", "  \n", "\r\n", "\r", "\n", "\n\n", "\u{0}", "javascript:alert(1)",
            "JaVa\tScRiPt:x", "http://x.y/?a=1&b=2", "mailto:a@b", "data:x", "#f", "</x>",
            "<a@b.c>", "<https://h/p>", "<vbscript:x>", "[r]", "[r]: http://r \"t\"",
            "[j]: javascript:x", "\"title\"", "é", "🎉", ":", "=", "\n[^1]: note\n", "\n> ",
            "\n| a | b |\n|:--|--:|\n| 1 | 2 |\n", "\n```py\n", "\n\n- ", "[a](b \"c\")",
            "![i](j.png \"k\")",
        ];
        let mut rng = crate::testing::Rng::new(0x2545_f491_4f6c_dd1d_u64);
        let mut next = |n: usize| rng.below(n);
        let (mut fast_path, rounds) = (0, 3000);
        for _ in 0..rounds {
            let len = 1 + next(40);
            let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let events = prepared(&text, "p-", 1);
            if let Some(fast) = safe_html(&events, text.len()) {
                fast_path += 1;
                assert_eq!(fast, sanitized_html(events, text.len()), "{text:?}");
                assert_no_dangerous_url(&fast);
            }
        }
        assert!(
            fast_path > rounds / 2,
            "{fast_path} of {rounds} on the fast path"
        );
    }

    /// [`escape`] as first written: one byte at a time.
    fn escape_byte_by_byte(out: &mut String, s: &str, attribute: bool, after_cr: &mut bool) {
        let bytes = s.as_bytes();
        let (mut i, mut done) = (0, 0);
        while i < bytes.len() {
            let (with, len) = match bytes[i] {
                b'&' => ("&amp;", 1),
                b'<' => ("&lt;", 1),
                b'>' => ("&gt;", 1),
                b'"' if attribute => ("&quot;", 1),
                0xC2 if bytes.get(i + 1) == Some(&0xA0) => ("&nbsp;", 2),
                b'\r' => ("\n", 1),
                b'\n' if *after_cr => ("", 1),
                0 if attribute => ("\u{FFFD}", 1),
                0 => ("", 1),
                _ => {
                    *after_cr = false;
                    i += 1;
                    continue;
                }
            };
            *after_cr = bytes[i] == b'\r';
            out.push_str(&s[done..i]);
            out.push_str(with);
            i += len;
            done = i;
        }
        out.push_str(&s[done..]);
    }

    #[test]
    fn escape_skipping_to_special_bytes_matches_escaping_byte_by_byte() {
        const PIECES: &[&str] = &[
            "a", "&", "<", ">", "\"", "'", "\u{a0}", "\u{85}", "é", "中", "\r", "\n", "\r\n", "\0",
            " ",
        ];
        let mut rng = crate::testing::Rng::new(0x2545_f491_4f6c_dd1d_u64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..5000 {
            let attribute = next(2) == 1;
            let (mut fast, mut simple) = (String::new(), String::new());
            let (mut fast_cr, mut simple_cr) = (false, false);
            // Several texts in a row, as one paragraph's events come.
            for _ in 0..3 {
                let text: String = (0..next(8)).map(|_| PIECES[next(PIECES.len())]).collect();
                escape(&mut fast, &text, attribute, &mut fast_cr);
                escape_byte_by_byte(&mut simple, &text, attribute, &mut simple_cr);
                assert_eq!((&fast, fast_cr), (&simple, simple_cr), "{text:?}");
            }
        }
    }

    #[test]
    fn dangerous_urls_lose_the_attribute_not_the_text() {
        let html = to_html(
            "[a](javascript:alert(1)) [b](<java\tscript:x>) ![c](vbscript:x) [d](https://ok)",
            "",
            0,
        );
        assert_eq!(
            html,
            "<p><a rel=\"noopener noreferrer\">a</a> \
             <a href=\"java%09script:x\" rel=\"noopener noreferrer\">b</a> \
             <img alt=\"c\"> \
             <a href=\"https://ok\" rel=\"noopener noreferrer\">d</a></p>\n"
        );
    }

    #[test]
    fn urls_are_judged_as_a_browser_reads_them() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:x",
            "java\tscript:x",
            "java\r\nscript:x",
            "javascript\n:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
            "http://exa mple.com",
        ] {
            assert!(!url_allowed(url), "{url:?}");
        }
        for url in [
            "http://x",
            "HTTPS://X",
            " mailto:a@b.c",
            "tel:+1",
            "relative/x:y",
            "#frag",
            "?q=a:b",
            "//host/x",
            "",
            "1x:y",
            ":x",
            "java%09script:x",
            "\u{a0}javascript:x",
        ] {
            assert!(url_allowed(url), "{url:?}");
        }
        assert_eq!(scheme("  JaVa\tScRiPt:x").as_deref(), Some("javascript"));
        assert_eq!(scheme("a/b:c"), None);
    }

    #[test]
    fn hrefs_are_encoded_like_pulldown_cmark_does() {
        let mut dest: String = (1u8..0x80).map(char::from).collect();
        dest.push_str("é中\u{a0}");
        let mut html = String::new();
        html::push_html(
            &mut html,
            [Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::from(dest.as_str()),
                title: CowStr::from(""),
                id: CowStr::from(""),
            })]
            .into_iter(),
        );
        let theirs = html
            .strip_prefix("<a href=\"")
            .and_then(|h| h.strip_suffix("\">"))
            .expect("an <a> tag")
            .replace("&#x27;", "'")
            .replace("&amp;", "&");
        assert_eq!(href(LinkType::Inline, &dest), theirs);
    }

    #[test]
    fn raw_html_takes_the_sanitizer_path() {
        for text in [
            "a <br> b",
            "<details><summary>x</summary>y</details>",
            "[x](http://y \"t\") <!-- comment -->",
        ] {
            assert!(
                safe_html(&prepared(text, "", 0), text.len()).is_none(),
                "{text}"
            );
        }
        // Raw HTML nested too deep is shown as text, so the fast path can take it.
        let deep = "<div>".repeat(MAX_NESTING + 1);
        assert!(safe_html(&prepared(&deep, "", 0), deep.len()).is_some());
    }

    /// CPU time of this thread in nanoseconds (Linux), for [`timing`].
    fn thread_cpu_ns() -> u64 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }

    /// Times `to_html` on the bodies of every `*.md` under
    /// `$KAPLAN_BENCH_ACCOUNTS` (default: a generated 1,000-account repository):
    /// `cargo test --release --lib render::markdown::tests::timing -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing; needs a generated plans repository"]
    fn timing() {
        let root = std::env::var("KAPLAN_BENCH_ACCOUNTS")
            .unwrap_or_else(|_| "/dev/shm/kaplan-bench/repo-1000/accounts".to_owned());
        let bodies: Vec<String> = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| {
                let text = std::fs::read_to_string(e.path()).expect("readable page");
                match text
                    .strip_prefix("---\n")
                    .and_then(|t| t.split_once("\n---\n"))
                {
                    Some((_, body)) => body.to_owned(),
                    None => text,
                }
            })
            .collect();
        assert!(!bodies.is_empty(), "no pages under {root}");
        let time = |render: &dyn Fn(&str) -> String| {
            let mut best = u64::MAX;
            for _ in 0..5 {
                let started = thread_cpu_ns();
                for body in &bodies {
                    std::hint::black_box(render(body));
                }
                best = best.min(thread_cpu_ns() - started);
            }
            best as f64 / 1e6
        };
        let fast = time(&|b| to_html(b, "a-", 2));
        let slow = time(&|b| sanitized_html(prepared(b, "a-", 2), b.len()));
        let mut fast_path = 0;
        for body in &bodies {
            let events = prepared(body, "a-", 2);
            if let Some(html) = safe_html(&events, body.len()) {
                fast_path += 1;
                assert_eq!(html, sanitized_html(events, body.len()), "{body}");
            }
        }
        println!(
            "to_html: {} pages ({fast_path} without raw HTML), best of 5: \
             {fast:.1} ms CPU; always sanitizing: {slow:.1} ms CPU",
            bodies.len()
        );
    }
}
