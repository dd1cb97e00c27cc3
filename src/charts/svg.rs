//! A small SVG writer for the charts: escaping, fixed-precision numbers,
//! text widths that know CJK characters, truncation with tooltips, and the
//! chart frame (`<title>`, `<desc>`, `role`, `aria-label`).
//!
//! Everything that comes from a plan goes through [`push_xml`] (directly or
//! via [`Svg::text`], [`Svg::label`] and [`Svg::tooltip`]); style attributes
//! passed to the drawing methods ([`Attrs`]) are built by the charts
//! themselves and written as they are.

use std::fmt::{self, Write};

use super::palette;
use crate::text::{push_num, push_xml};

/// Font size of ordinary labels.
pub(crate) const LABEL: f64 = 12.0;
/// Font size of tick labels and notes.
pub(crate) const SMALL: f64 = 11.0;
/// Font size of the chart's visible title.
pub(crate) const TITLE: f64 = 15.0;
/// How much wider bold text runs than the estimate: multiply the font size
/// by this when fitting bold labels.
pub(crate) const BOLD: f64 = 1.15;
/// Height of the title block at the top of every chart.
pub(crate) const HEAD: f64 = 30.0;

/// Whether `c` takes a full em in a typical CJK-capable font.
const fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// The width of `c` in em, a slightly generous estimate for proportional
/// sans-serif fonts: CJK and fullwidth characters are one em, Latin letters
/// about half of that.
fn char_em(c: char) -> f64 {
    match ASCII_EM.get(c as usize) {
        Some(em) => *em,
        // The CJK ideographs, most of the wide text, before `em` looks
        // through its ranges.
        None if ('\u{4E00}'..='\u{9FFF}').contains(&c) => 1.0,
        None => em(c),
    }
}

/// [`em`] of every ASCII character, looked up rather than matched.
const ASCII_EM: [f64; 128] = {
    let mut table = [0.0; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = em(b as u8 as char);
        b += 1;
    }
    table
};

/// The estimate behind [`char_em`].
const fn em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '·' => 0.32,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' | '"' => 0.4,
        'm' | 'w' | 'M' | 'W' | '@' | '%' | '…' => 0.9,
        '0'..='9' | '¥' | '$' | '€' | '+' | '=' | '<' | '>' | '~' | '?' | '#' | '*' => 0.62,
        'A'..='Z' => 0.72,
        'a'..='z' => 0.6,
        c if is_wide(c) => 1.0,
        // Unicode's controls (`char::is_control`, which is not `const`).
        '\0'..='\x1f' | '\x7f'..='\u{9f}' => 0.0,
        _ => 0.65,
    }
}

/// The widest [`em`] of any character per byte of its UTF-8 (`m`, `w`).
const EM_PER_BYTE: f64 = 0.9;

/// The estimated width of `s` at font size `size`.
pub(crate) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size
}

/// What is kept of `s` when it is cut to `max` wide at `size`: the text
/// before the character that would push it past `max` less an ellipsis,
/// without trailing spaces (the ellipsis follows); `None` when it fits.
fn cut(s: &str, max: f64, size: f64) -> Option<&str> {
    // No character is wider than `EM_PER_BYTE` per byte of its UTF-8, so a
    // text with few enough bytes fits without being measured (the margin
    // covers the rounding of the measured sum many times over).
    if s.len() as f64 * EM_PER_BYTE * size * (1.0 + 1e-9) <= max || text_width(s, size) <= max {
        return None;
    }
    let budget = max - char_em('…') * size;
    let mut width = 0.0;
    let end = s
        .char_indices()
        .find(|(_, c)| {
            width += char_em(*c) * size;
            width > budget
        })
        .map_or(s.len(), |(i, _)| i);
    Some(s[..end].trim_end())
}

/// `s` cut to `max` wide at `size`, with an ellipsis; `None` when it fits.
pub(crate) fn truncate(s: &str, max: f64, size: f64) -> Option<String> {
    cut(s, max, size).map(|kept| {
        let mut out = String::with_capacity(kept.len() + '…'.len_utf8());
        out.push_str(kept);
        out.push('…');
        out
    })
}

/// The visible form of `s` within `max`: the text itself, or its truncation.
pub(crate) fn fitted(s: &str, max: f64, size: f64) -> String {
    truncate(s, max, size).unwrap_or_else(|| s.to_owned())
}

/// `text` in at most `lines` lines of at most `max` wide at `size`: broken
/// at spaces where it has them (anywhere in CJK text), the last line cut
/// with an ellipsis when the rest does not fit.
pub(crate) fn wrap(text: &str, max: f64, size: f64, lines: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(lines);
    let mut rest = text;
    while out.len() + 1 < lines && text_width(rest, size) > max {
        // The longest head that fits, ending at a space when there is one.
        let mut width = 0.0;
        let mut end = 0;
        let mut space = None;
        for (i, c) in rest.char_indices() {
            width += char_em(c) * size;
            if width > max {
                break;
            }
            if c == ' ' {
                space = Some(i);
            }
            end = i + c.len_utf8();
        }
        let cut = space.filter(|s| *s > 0).unwrap_or(end).max(
            // At least one character, so the text always moves on.
            rest.chars().next().map_or(0, char::len_utf8),
        );
        let (head, tail) = rest.split_at(cut);
        out.push(head.trim_end().to_owned());
        rest = tail.trim_start();
    }
    if !rest.is_empty() || out.is_empty() {
        out.push(fitted(rest, max, size));
    }
    out
}

/// Trusted attributes for the drawing methods: a string, or `format_args!`
/// written straight into the document, without an intermediate `String`.
pub(crate) trait Attrs {
    /// Appends a space and the attributes to `out`; nothing when there are none.
    fn push_to(self, out: &mut String);
}

impl<T: AsRef<str> + ?Sized> Attrs for &T {
    fn push_to(self, out: &mut String) {
        let attrs = self.as_ref();
        if !attrs.is_empty() {
            out.push(' ');
            out.push_str(attrs);
        }
    }
}

/// Pieces written one after the other, for attributes with a colour
/// chosen at run time: `[r#"fill=""#, colour.hex(), "\""]`.
impl<const N: usize> Attrs for [&str; N] {
    fn push_to(self, out: &mut String) {
        if self.iter().any(|piece| !piece.is_empty()) {
            out.push(' ');
            for piece in self {
                out.push_str(piece);
            }
        }
    }
}

impl Attrs for fmt::Arguments<'_> {
    fn push_to(self, out: &mut String) {
        let start = out.len();
        out.push(' ');
        let _ = out.write_fmt(self);
        if out.len() == start + 1 {
            out.truncate(start);
        }
    }
}

/// An SVG document under construction: the `<svg>` element, opened with
/// its title and description, and what has been drawn so far.
#[derive(Debug)]
pub(crate) struct Svg {
    /// Width of the view box.
    pub(crate) width: f64,
    body: String,
}

impl Svg {
    /// A chart of the given size, drawn in CSS pixels: `width` and `height`
    /// give its intrinsic size (the theme shows it at that size, never
    /// scaled, so its text keeps the sizes it is written in) and the view box
    /// the same. `<svg class="chart chart-NAME">` with `<title>`,
    /// `<desc>` and an accessible name. What is drawn is written straight
    /// after, into the one string [`Svg::finish`] returns.
    pub(crate) fn new(name: &str, width: f64, height: f64, title: &str, desc: &str) -> Svg {
        let mut out = String::with_capacity(16 * 1024);
        out.push_str(r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-"#);
        out.push_str(name);
        out.push_str(r#"" width=""#);
        push_num(&mut out, width);
        out.push_str(r#"" height=""#);
        push_num(&mut out, height);
        out.push_str(r#"" viewBox="0 0 "#);
        push_num(&mut out, width);
        out.push(' ');
        push_num(&mut out, height);
        out.push_str(r#"" role="img" aria-label=""#);
        let start = out.len();
        push_xml(&mut out, title);
        let end = out.len();
        out.push_str("\">\n<title>");
        out.extend_from_within(start..end);
        out.push_str("</title>\n<desc>");
        push_xml(&mut out, desc);
        out.push_str("</desc>\n");
        Svg { width, body: out }
    }

    /// Adds `<defs>` with trusted markup (patterns, markers); before
    /// anything is drawn, once.
    pub(crate) fn defs(&mut self, markup: &str) {
        self.body.push_str("<defs>\n");
        self.body.push_str(markup);
        self.body.push_str("\n</defs>\n");
    }

    /// The document so far, for plotters to draw into.
    pub(crate) fn body(&mut self) -> &mut String {
        &mut self.body
    }

    /// Appends trusted markup.
    pub(crate) fn raw(&mut self, markup: &str) {
        self.body.push_str(markup);
        if !markup.ends_with('\n') {
            self.body.push('\n');
        }
    }

    /// Appends `markup` (the end of one attribute and the start of the
    /// next, say `" y="`), then `v` as [`push_num`] writes it.
    #[inline]
    fn num_after(&mut self, markup: &str, v: f64) {
        self.body.push_str(markup);
        push_num(&mut self.body, v);
    }

    fn close(&mut self, style: impl Attrs) {
        self.body.push('"');
        style.push_to(&mut self.body);
        self.body.push_str("/>\n");
    }

    /// A rectangle; `style` holds further attributes.
    pub(crate) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, style: impl Attrs) {
        self.num_after("<rect x=\"", x);
        self.num_after("\" y=\"", y);
        self.num_after("\" width=\"", w.max(0.0));
        self.num_after("\" height=\"", h.max(0.0));
        self.close(style);
    }

    /// A straight line.
    pub(crate) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: impl Attrs) {
        self.num_after("<line x1=\"", x1);
        self.num_after("\" y1=\"", y1);
        self.num_after("\" x2=\"", x2);
        self.num_after("\" y2=\"", y2);
        self.close(style);
    }

    /// A circle.
    pub(crate) fn circle(&mut self, cx: f64, cy: f64, r: f64, style: impl Attrs) {
        self.num_after("<circle cx=\"", cx);
        self.num_after("\" cy=\"", cy);
        self.num_after("\" r=\"", r);
        self.close(style);
    }

    /// ` points="x,y x,y"`, left open for [`Svg::close`].
    fn points(&mut self, points: &[(f64, f64)]) {
        self.body.push_str(" points=\"");
        for (i, (x, y)) in points.iter().enumerate() {
            if i > 0 {
                self.body.push(' ');
            }
            push_num(&mut self.body, *x);
            self.body.push(',');
            push_num(&mut self.body, *y);
        }
    }

    /// A closed polygon.
    pub(crate) fn polygon(&mut self, points: &[(f64, f64)], style: impl Attrs) {
        self.body.push_str("<polygon");
        self.points(points);
        self.close(style);
    }

    /// An open polyline.
    pub(crate) fn polyline(&mut self, points: &[(f64, f64)], style: impl Attrs) {
        self.body.push_str("<polyline");
        self.points(points);
        self.body.push_str("\" fill=\"none");
        self.close(style);
    }

    fn open_text(&mut self, x: f64, y: f64, style: impl Attrs) {
        self.num_after("<text x=\"", x);
        self.num_after("\" y=\"", y);
        self.body.push('"');
        style.push_to(&mut self.body);
        self.body.push('>');
    }

    /// Text, escaped.
    pub(crate) fn text(&mut self, x: f64, y: f64, s: &str, style: impl Attrs) {
        self.open_text(x, y, style);
        push_xml(&mut self.body, s);
        self.body.push_str("</text>\n");
    }

    /// Text cut to `max` wide at `size`, the full text in a tooltip when cut.
    /// `style` must set the font size (`size` may be larger, for bold text).
    pub(crate) fn label(
        &mut self,
        x: f64,
        y: f64,
        s: &str,
        max: f64,
        size: f64,
        style: impl Attrs,
    ) {
        match cut(s, max, size) {
            None => self.text(x, y, s, style),
            Some(kept) => {
                self.open_text(x, y, style);
                self.body.push_str("<title>");
                push_xml(&mut self.body, s);
                self.body.push_str("</title>");
                push_xml(&mut self.body, kept);
                self.body.push_str("…</text>\n");
            }
        }
    }

    /// Opens a group with trusted attributes.
    pub(crate) fn open_group(&mut self, attrs: impl Attrs) {
        self.body.push_str("<g");
        attrs.push_to(&mut self.body);
        self.body.push_str(">\n");
    }

    /// Opens a link to `href` (escaped) holding a tooltip.
    pub(crate) fn open_link(&mut self, href: &str, tooltip: &str) {
        self.body.push_str("<a href=\"");
        push_xml(&mut self.body, href);
        self.body.push_str("\"><title>");
        push_xml(&mut self.body, tooltip);
        self.body.push_str("</title>\n");
    }

    /// Closes a link.
    pub(crate) fn close_link(&mut self) {
        self.body.push_str("</a>\n");
    }

    /// Adds a tooltip to the innermost open group or link: `first`, then
    /// each separator and text of `rest`. The texts are escaped; the
    /// separators, constants of the charts (`" · "`), are written as they are.
    pub(crate) fn tooltip(&mut self, first: &str, rest: &[(&'static str, &str)]) {
        self.body.push_str("<title>");
        push_xml(&mut self.body, first);
        for (separator, text) in rest {
            self.body.push_str(separator);
            push_xml(&mut self.body, text);
        }
        self.body.push_str("</title>\n");
    }

    /// Closes a group.
    pub(crate) fn close_group(&mut self) {
        self.body.push_str("</g>\n");
    }

    /// The chart's visible title (and an optional second line) at the top.
    pub(crate) fn heading(&mut self, title: &str, note: Option<&str>) {
        let max = self.width - 4.0;
        self.label(
            0.0,
            18.0,
            title,
            max,
            TITLE,
            attrs!(
                r#"font-size="15" font-weight="bold" fill="{}""#,
                palette::INK
            ),
        );
        if let Some(note) = note {
            // Bold text runs about a tenth wider than the estimate.
            let x = (text_width(title, TITLE * BOLD) + 16.0).min(self.width * 0.6);
            self.label(
                x,
                18.0,
                note,
                self.width - x,
                LABEL,
                attrs!(r#"font-size="12" fill="{}""#, palette::MUTED),
            );
        }
    }

    /// The finished `<svg>` element.
    pub(crate) fn finish(mut self) -> String {
        self.body.push_str("</svg>");
        self.body
    }
}

/// The height of one line of a legend.
pub(crate) const LEGEND_LINE: f64 = 18.0;
/// The space between two entries of a legend on one line.
const LEGEND_GAP: f64 = 16.0;

/// Lays out legend entries of the given widths left to right in lines of
/// at most `width`: the offset of each entry from the legend's top left
/// corner, and the legend's height ([`LEGEND_LINE`] per line).
pub(crate) fn flow(widths: &[f64], width: f64) -> (Vec<(f64, f64)>, f64) {
    let mut spots = Vec::with_capacity(widths.len());
    let (mut x, mut y) = (0.0, 0.0);
    for w in widths {
        if x > 0.0 && x + w > width {
            (x, y) = (0.0, y + LEGEND_LINE);
        }
        spots.push((x, y));
        x += w + LEGEND_GAP;
    }
    (spots, y + LEGEND_LINE)
}

/// The placeholder shown instead of a chart without data: one sentence
/// saying what to add to `plan.yaml`.
pub(crate) fn empty(name: &str, message: &str) -> String {
    let mut out = String::with_capacity(48 + 2 * name.len() + message.len());
    out.push_str(r#"<p class="chart-empty chart-empty-"#);
    out.push_str(name);
    out.push_str(r#"">"#);
    push_xml(&mut out, message);
    out.push_str("</p>");
    out
}

/// The diamond used for milestones and economic buyers, centred on (x, y).
pub(crate) fn diamond(x: f64, y: f64, r: f64) -> [(f64, f64); 4] {
    [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
}

/// An upward triangle centred on (x, y).
pub(crate) fn triangle(x: f64, y: f64, r: f64) -> [(f64, f64); 3] {
    [
        (x, y - r),
        (x + r * 0.95, y + r * 0.7),
        (x - r * 0.95, y + r * 0.7),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_twice_as_wide_as_latin() {
        let zh = text_width("李明", 12.0);
        let en = text_width("ab", 12.0);
        assert_eq!(zh, 24.0);
        assert!(zh > en * 1.6 && zh < en * 2.3, "{zh} vs {en}");
        assert_eq!(text_width("（）", 10.0), 20.0);
    }

    #[test]
    fn no_character_is_wider_than_its_bytes_allow() {
        for c in '\0'..=char::MAX {
            assert!(em(c) <= EM_PER_BYTE * c.len_utf8() as f64, "{c:?}");
        }
        for s in ["mmmmmmmmmm", "WWW@@%%", "李李李", "…………", "ab"] {
            let w = text_width(s, 12.0);
            // The measured sum may round up past the bound, never past the margin.
            assert!(
                w <= s.len() as f64 * EM_PER_BYTE * 12.0 * (1.0 + 1e-9),
                "{s}"
            );
            assert_eq!(cut(s, w, 12.0), None, "{s}");
            assert!(cut(s, w - 0.01, 12.0).is_some(), "{s}");
        }
    }

    #[test]
    fn looked_up_widths_match_the_estimate() {
        for c in ('\0'..=char::MAX)
            .step_by(7)
            .chain(['\u{4E00}', '\u{9FFF}', '\u{A000}'])
        {
            assert_eq!(char_em(c), em(c), "{c:?}");
        }
    }

    #[test]
    fn truncation_adds_an_ellipsis_within_the_width() {
        assert_eq!(truncate("李明", 100.0, 12.0), None);
        let t = truncate("南海电信集团有限公司政企事业部", 80.0, 12.0).unwrap();
        assert!(t.ends_with('…'));
        assert!(text_width(&t, 12.0) <= 80.0, "{t}");
        let t = truncate("Joint roadmap workshop", 60.0, 12.0).unwrap();
        assert!(!t.contains(" …"), "{t}");
    }

    #[test]
    fn long_text_wraps_onto_the_lines_it_may_take() {
        assert_eq!(
            wrap("Supply Chain Director", 200.0, 11.0, 2),
            ["Supply Chain Director"]
        );
        // Latin breaks at the last space that fits, CJK anywhere.
        assert_eq!(
            wrap("Category Analyst, Snacks and Beverages", 140.0, 11.0, 2),
            ["Category Analyst,", "Snacks and Beverages"]
        );
        let zh = wrap("财务共享中心应付账款与供应商对账高级经理", 110.0, 11.0, 2);
        assert_eq!(zh, ["财务共享中心应付账款", "与供应商对账高级经理"]);
        // What does not fit in two lines is cut, within the width.
        let cut = wrap(&"Alpha Beta Gamma Delta ".repeat(6), 120.0, 11.0, 3);
        assert_eq!(cut.len(), 3);
        assert!(cut[2].ends_with('…'), "{cut:?}");
        assert!(cut.iter().all(|l| text_width(l, 11.0) <= 120.0), "{cut:?}");
        // A word longer than the line still moves on.
        assert_eq!(wrap("W", 1.0, 11.0, 2).len(), 1);
        assert_eq!(wrap("WW", 1.0, 11.0, 2), ["W", "…"]);
        assert_eq!(wrap("", 10.0, 11.0, 2), [""]);
    }

    #[test]
    fn legends_flow_onto_new_lines() {
        let (spots, height) = flow(&[100.0, 100.0, 100.0], 250.0);
        assert_eq!(spots, [(0.0, 0.0), (116.0, 0.0), (0.0, LEGEND_LINE)]);
        assert_eq!(height, 2.0 * LEGEND_LINE);
        // An entry wider than the line gets one of its own.
        assert_eq!(flow(&[300.0], 250.0), (vec![(0.0, 0.0)], LEGEND_LINE));
    }

    #[test]
    fn truncated_labels_keep_the_full_text_in_a_tooltip() {
        let mut svg = Svg::new("t", 100.0, 20.0, "T", "D");
        svg.label(
            0.0,
            10.0,
            "A very long <name> indeed",
            60.0,
            12.0,
            r#"font-size="12""#,
        );
        let out = svg.finish();
        assert!(
            out.contains("<title>A very long &lt;name&gt; indeed</title>"),
            "{out}"
        );
        assert!(out.contains("…</text>"));
    }
}
