//! A small SVG writer for the charts: escaping, fixed-precision numbers,
//! text widths that know CJK characters, truncation with tooltips, and the
//! chart frame (`<title>`, `<desc>`, `role`, `aria-label`).
//!
//! Everything that comes from a plan goes through [`esc`] (directly or via
//! [`Svg::text`], [`Svg::label`] and [`Svg::tooltip`]); style attributes
//! passed to the drawing methods ([`Attrs`]) are built by the charts
//! themselves and written as they are.

use std::fmt::{self, Write};

use super::palette;

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

/// Escapes `s` for element content and attribute values, dropping the
/// control characters XML does not allow.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_esc(&mut out, s);
    out
}

/// The bytes [`push_esc`] must look at: markup, quotes, controls, and the
/// lead byte of C1 controls.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(
            b as u8,
            b'&' | b'<' | b'>' | b'"' | b'\'' | 0..=0x1F | 0x7F | 0xC2
        );
        b += 1;
    }
    table
};

/// The index of the first [`SPECIAL`] byte of `bytes`, if any.
fn next_special(bytes: &[u8]) -> Option<usize> {
    crate::render::next_special(bytes, &SPECIAL)
}

/// Appends `s` escaped (see [`esc`]): copied at once when nothing in it
/// needs escaping, else run of plain text by run.
#[inline]
pub(crate) fn push_esc(out: &mut String, s: &str) {
    match next_special(s.as_bytes()) {
        None => out.push_str(s),
        Some(first) => push_esc_from(out, s, first),
    }
}

/// [`push_esc`] of a text whose first special byte is at `first`.
fn push_esc_from(out: &mut String, s: &str, first: usize) {
    let bytes = s.as_bytes();
    let mut plain = 0;
    let mut next = Some(first);
    while let Some(i) = next {
        let b = bytes[i];
        // C1 controls are U+0080..U+009F: 0xC2 0x80..=0x9F in UTF-8.
        let c1 = b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n));
        let after = i + if c1 { 2 } else { 1 };
        if b != 0xC2 || c1 {
            out.push_str(&s[plain..i]);
            match b {
                b'&' => out.push_str("&amp;"),
                b'<' => out.push_str("&lt;"),
                b'>' => out.push_str("&gt;"),
                b'"' => out.push_str("&quot;"),
                b'\'' => out.push_str("&#39;"),
                b'\n' | b'\r' | b'\t' => out.push(' '),
                _ => {}
            }
            plain = after;
        }
        next = next_special(&bytes[after..]).map(|at| after + at);
    }
    out.push_str(&s[plain..]);
}

/// `v` rounded to one decimal, trailing `.0` removed: the only way the
/// charts write coordinates, so the bytes never depend on float noise.
pub(crate) fn num(v: f64) -> String {
    let mut s = String::with_capacity(8);
    push_num(&mut s, v);
    s
}

/// Appends `v` as [`num`] writes it (integer arithmetic: no float formatting).
pub(crate) fn push_num(out: &mut String, v: f64) {
    // Most numbers are coordinates and sizes, from 0 to 9,999.9: rounded
    // half up (away from zero, as they are not negative) and written digit
    // by digit; the rest (and NaN) the general way.
    let t = v * 10.0;
    if !(0.0..99_999.5).contains(&t) {
        return push_tenths(out, v);
    }
    let whole = t as u32;
    let tenths = whole + u32::from(t - f64::from(whole) >= 0.5);
    let (whole, frac) = (tenths / 10, tenths % 10);
    push_small(out, whole);
    if frac != 0 {
        out.push('.');
        out.push(digit(frac));
    }
}

/// [`push_num`] of any number: rounded half away from zero as `f64::round`
/// does, without its libm call (within ±1e15 the fraction left by
/// truncation is exact); not finite is 0.
#[cold]
fn push_tenths(out: &mut String, v: f64) {
    let tenths = if v.is_finite() {
        let t = (v * 10.0).clamp(-1e15, 1e15);
        let whole = t as i64;
        let frac = t - whole as f64;
        whole + i64::from(frac >= 0.5) - i64::from(frac <= -0.5)
    } else {
        0
    };
    if tenths < 0 {
        out.push('-');
    }
    let a = tenths.unsigned_abs();
    push_digits(out, a / 10);
    if a % 10 != 0 {
        out.push('.');
        out.push(digit((a % 10) as u32));
    }
}

/// Appends `n` as `{n}` writes it, without `core::fmt`.
pub(crate) fn push_int(out: &mut String, n: i64) {
    match u32::try_from(n) {
        Ok(small) if small < 10_000 => push_small(out, small),
        _ => push_large(out, n),
    }
}

/// [`push_int`] of a negative number or one of five digits or more.
#[cold]
fn push_large(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_digits(out, n.unsigned_abs());
}

/// The decimal digit `d` (below 10).
fn digit(d: u32) -> char {
    char::from(b'0' + d as u8)
}

/// Appends the digits of `n`, below 10,000, one by one.
#[inline(always)]
fn push_small(out: &mut String, n: u32) {
    let (thousands, rest) = (n / 1000, n % 1000);
    let (hundreds, rest) = (rest / 100, rest % 100);
    let (tens, ones) = (rest / 10, rest % 10);
    if n >= 1000 {
        out.push(digit(thousands));
    }
    if n >= 100 {
        out.push(digit(hundreds));
    }
    if n >= 10 {
        out.push(digit(tens));
    }
    out.push(digit(ones));
}

/// Appends the decimal digits of `n` (what `{n}` writes, without
/// `core::fmt`).
fn push_digits(out: &mut String, mut n: u64) {
    if n < 10_000 {
        return push_small(out, n as u32);
    }
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    while n > 0 {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.push_str(std::str::from_utf8(&digits[start..]).unwrap_or_default());
}

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

/// Fills `template`'s `{name}` placeholders in one pass; unknown ones stay.
pub(crate) fn subst(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = after.find('}').map(|close| &after[..close]);
        match name.and_then(|n| args.iter().find(|(k, _)| *k == n)) {
            Some((k, v)) => {
                out.push_str(v);
                rest = &after[k.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
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
    /// A chart of the given view-box size, sized by its view box only so
    /// CSS can scale it: `<svg class="chart chart-NAME">` with `<title>`,
    /// `<desc>` and an accessible name. What is drawn is written straight
    /// after, into the one string [`Svg::finish`] returns.
    pub(crate) fn new(name: &str, width: f64, height: f64, title: &str, desc: &str) -> Svg {
        let mut out = String::with_capacity(16 * 1024);
        out.push_str(r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-"#);
        out.push_str(name);
        out.push_str(r#"" viewBox="0 0 "#);
        push_num(&mut out, width);
        out.push(' ');
        push_num(&mut out, height);
        out.push_str(r#"" role="img" aria-label=""#);
        let start = out.len();
        push_esc(&mut out, title);
        let end = out.len();
        out.push_str("\">\n<title>");
        out.extend_from_within(start..end);
        out.push_str("</title>\n<desc>");
        push_esc(&mut out, desc);
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
        push_esc(&mut self.body, s);
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
                push_esc(&mut self.body, s);
                self.body.push_str("</title>");
                push_esc(&mut self.body, kept);
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
        push_esc(&mut self.body, href);
        self.body.push_str("\"><title>");
        push_esc(&mut self.body, tooltip);
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
        push_esc(&mut self.body, first);
        for (separator, text) in rest {
            self.body.push_str(separator);
            push_esc(&mut self.body, text);
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

/// The placeholder shown instead of a chart without data: one sentence
/// saying what to add to `plan.yaml`.
pub(crate) fn empty(name: &str, message: &str) -> String {
    let mut out = String::with_capacity(48 + 2 * name.len() + message.len());
    out.push_str(r#"<p class="chart-empty chart-empty-"#);
    out.push_str(name);
    out.push_str(r#"">"#);
    push_esc(&mut out, message);
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
    fn digits_match_the_standard_formatting() {
        let big = [u64::MAX, 10u64.pow(19), 123_456_789];
        for n in (0..=12_000).chain(big) {
            let mut out = String::new();
            push_digits(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(esc("a\u{1}b\nc"), "ab c");
        assert_eq!(esc("李\u{85}明 ok"), "李明 ok");
        assert_eq!(esc("plain"), "plain");
    }

    /// [`esc`] character by character, the simple way.
    fn esc_by_char(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                '\n' | '\r' | '\t' => out.push(' '),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn escaping_by_chunks_matches_escaping_by_character() {
        let pieces = [
            "&", "<", ">", "\"", "'", "\n", "\t", "\u{0}", "\u{1f}", "\u{7f}", "\u{80}", "\u{85}",
            "\u{9f}", "\u{a0}", "·", "李", "a&<b",
        ];
        for len in 0..=40 {
            for at in 0..=len {
                for piece in pieces {
                    let s = ["x".repeat(at), piece.to_owned(), "明".repeat(len - at)].concat();
                    assert_eq!(esc(&s), esc_by_char(&s), "{s:?}");
                    let twice = [piece, &s, piece].concat();
                    assert_eq!(esc(&twice), esc_by_char(&twice), "{twice:?}");
                }
            }
        }
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(
            subst("{a} and {b}, {a}; {c}", &[("a", "{b}"), ("b", "2")]),
            "{b} and 2, {b}; {c}"
        );
        assert_eq!(subst("no {", &[]), "no {");
    }

    #[test]
    fn numbers_have_fixed_precision() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn numbers_of_every_size_match_the_standard_formatting() {
        let mut values: Vec<f64> = vec![9_999.94, 9_999.95, 9_999.96, 1e14 + 0.25, -1e15, 1e300];
        values.extend((0..=12_000).map(|k| f64::from(k) * 1.37 - 700.0));
        for v in values {
            let expected = format!("{:.1}", (v.clamp(-1e14, 1e14) * 10.0).round() / 10.0);
            let expected = expected.strip_suffix(".0").unwrap_or(&expected);
            let expected = if expected == "-0" { "0" } else { expected };
            assert_eq!(num(v), expected, "{v}");
        }
        for n in [
            0,
            9,
            10,
            99,
            100,
            9_999,
            10_000,
            123_456,
            -1,
            -10_000,
            i64::MIN,
            i64::MAX,
        ] {
            let mut out = String::new();
            push_int(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn numbers_round_half_away_from_zero_as_f64_round_does() {
        for k in -3000..=3000 {
            let v = f64::from(k) * 0.05 + f64::from(k % 7) * 1e-3;
            let tenths = (v * 10.0).round() as i64;
            let expected = if tenths % 10 == 0 {
                (tenths / 10).to_string()
            } else {
                let sign = if tenths < 0 { "-" } else { "" };
                format!("{sign}{}.{}", (tenths / 10).abs(), (tenths % 10).abs())
            };
            assert_eq!(num(v), expected, "{v}");
        }
    }

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
