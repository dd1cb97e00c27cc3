//! Text helpers every stage shares: escaping for HTML and SVG, writing
//! numbers, filling `{name}` placeholders, finding bytes fast, and a
//! stable hash ([`hash`]).
//!
//! Bytes: `memchr` wherever the bytes looked for are few (it takes three
//! at most per pass); [`find_in_set`] for larger sets (SVG escaping drops
//! the control characters too). Integers: `itoa`, small ones digit by
//! digit. Decimals: integer arithmetic that writes what `format!` writes
//! ([`push_num`], [`push_decimal`]). `benches/text.rs` times each helper
//! kept against the alternatives.

use std::borrow::Cow;
use std::io::{self, Write};

/// A table of the bytes in `bytes`, for [`find_in_set`].
pub const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

/// The index of the first byte of `bytes` marked in `set`, for sets too
/// large for `memchr`: almost no text has one, so chunks of 16 bytes are
/// tested whole, without a branch per byte, and searched only when one
/// holds a marked byte.
pub fn find_in_set(bytes: &[u8], set: &[bool; 256]) -> Option<usize> {
    const CHUNK: usize = 16;
    let any = |chunk: &[u8]| {
        chunk
            .iter()
            .fold(false, |any, b| any | set[usize::from(*b)])
    };
    let mut chunks = bytes.chunks_exact(CHUNK);
    let clean = chunks.by_ref().take_while(|c| !any(c)).count() * CHUNK;
    let rest = &bytes[clean..];
    if rest.len() < CHUNK && !any(rest) {
        return None;
    }
    rest.iter()
        .position(|b| set[usize::from(*b)])
        .map(|i| clean + i)
}

/// How many times `byte` occurs in `bytes`.
pub fn count_byte(bytes: &[u8], byte: u8) -> usize {
    memchr::memchr_iter(byte, bytes).count()
}

/// Whether `bytes` hold `byte`.
pub fn has_byte(bytes: &[u8], byte: u8) -> bool {
    memchr::memchr(byte, bytes).is_some()
}

/// The bytes HTML escaping writes as entities.
const HTML: [bool; 256] = byte_set(b"&<>\"'");

/// The index of the first of `& < > " '` in `bytes`: two `memchr` passes,
/// the second only up to the first hit of the first.
pub fn find_html(bytes: &[u8]) -> Option<usize> {
    let markup = memchr::memchr3(b'&', b'<', b'>', bytes);
    let quote = memchr::memchr2(b'"', b'\'', &bytes[..markup.unwrap_or(bytes.len())]);
    quote.or(markup)
}

/// [`HTML`], the controls XML 1.0 has no place for, and the lead byte of the
/// C1 controls (U+0080..U+009F: 0xC2 0x80..=0x9F in UTF-8).
const XML: [bool; 256] = {
    let mut set = HTML;
    let mut b = 0;
    while b < 0x20 {
        set[b] = true;
        b += 1;
    }
    set[0x7F] = true;
    set[0xC2] = true;
    set
};

/// Escapes `s`, handing `put` each run of plain text and each replacement:
/// `& < > " '` as entities (`'` as `&#39;`, as Tera writes it); with `XML`
/// also line breaks and tabs as spaces and the other controls dropped.
#[inline(always)]
fn escape<const XML_TEXT: bool, E>(
    s: &str,
    mut put: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let bytes = s.as_bytes();
    let next = |rest: &[u8]| {
        if XML_TEXT {
            find_in_set(rest, &XML)
        } else {
            find_html(rest)
        }
    };
    let (mut plain, mut from) = (0, 0);
    while let Some(at) = next(&bytes[from..]) {
        let i = from + at;
        let b = bytes[i];
        let c1 = b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n));
        from = i + if c1 { 2 } else { 1 };
        let with = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\n' | b'\r' | b'\t' => " ",
            // Another two-byte character (`·`, a no-break space): kept.
            0xC2 if !c1 => continue,
            _ => "",
        };
        put(&s[plain..i])?;
        put(with)?;
        plain = from;
    }
    put(&s[plain..])
}

/// HTML-escapes `s` into `out` as Tera's default does (`& < > " '`), each
/// run of plain text in one piece: the theme's escape function.
pub(crate) fn escape_html(s: &str, out: &mut dyn Write) -> io::Result<()> {
    escape::<false, _>(s, |piece| out.write_all(piece.as_bytes()))
}

/// [`escape_html`] into a new string (plan text inserted as HTML).
pub(crate) fn escaped_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape::<false, ()>(s, |piece| {
        out.push_str(piece);
        Ok(())
    });
    out
}

/// Appends `s` escaped for SVG element content and attribute values: as
/// [`escape_html`] does, less the control characters XML does not allow
/// (line breaks and tabs become spaces).
#[inline]
pub(crate) fn push_xml(out: &mut String, s: &str) {
    let _ = escape::<true, ()>(s, |piece| {
        out.push_str(piece);
        Ok(())
    });
}

/// [`push_xml`] into a new string.
pub(crate) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_xml(&mut out, s);
    out
}

/// `s` without the backticks that mark code in messages (`` `due` `` →
/// `due`): the pages show messages as text, where a backtick is noise.
pub(crate) fn without_code_marks(s: &str) -> String {
    s.replace('`', "")
}

/// Fills `template`'s `{name}` placeholders in one pass (a value is never
/// read for placeholders); unknown ones stay as they are.
pub(crate) fn subst(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = memchr::memchr(b'{', rest.as_bytes()) {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = memchr::memchr(b'}', after.as_bytes()).map(|close| &after[..close]);
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

/// Appends `n` as `{n}` writes it: below 10,000 (most coordinates) digit
/// by digit, which beats `itoa` there; else by `itoa`.
#[inline]
pub fn push_int(out: &mut String, n: i64) {
    match u32::try_from(n) {
        Ok(small) if small < 10_000 => push_small(out, small),
        _ => out.push_str(itoa::Buffer::new().format(n)),
    }
}

/// Appends the digits of `n`, below 10,000, one by one.
#[inline(always)]
fn push_small(out: &mut String, n: u32) {
    let digit = |d: u32| char::from(b'0' + d as u8);
    if n >= 1000 {
        out.push(digit(n / 1000));
    }
    if n >= 100 {
        out.push(digit(n / 100 % 10));
    }
    if n >= 10 {
        out.push(digit(n / 10 % 10));
    }
    out.push(digit(n % 10));
}

/// `v` rounded to one decimal, trailing `.0` removed: the only way the
/// charts write coordinates, so the bytes never depend on float noise.
pub(crate) fn num(v: f64) -> String {
    let mut s = String::with_capacity(8);
    push_num(&mut s, v);
    s
}

/// Appends `v` as [`num`] writes it: rounded half away from zero as
/// `f64::round` does, without its libm call (within ±1e15 the fraction left
/// by truncation is exact); not finite is 0.
pub fn push_num(out: &mut String, v: f64) {
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
    // Within ±1e15 tenths: an `i64`.
    push_int(out, (a / 10) as i64);
    if a % 10 != 0 {
        out.push('.');
        out.push(char::from(b'0' + (a % 10) as u8));
    }
}

/// Appends `value` with `decimals` decimals, trailing zeros (and a trailing
/// point) removed, the integer digits grouped by thousands if `grouped`.
pub fn push_decimal(out: &mut String, value: f64, decimals: usize, grouped: bool) {
    let mut buf = [0u8; 32];
    let slow;
    let text = match fixed_fast(value, decimals, &mut buf) {
        Some(text) => text,
        None => {
            slow = format!("{value:.decimals$}");
            slow.as_str()
        }
    };
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    };
    let (int, frac) = text
        .split_once('.')
        .map_or((text, None), |(i, f)| (i, Some(f)));
    if grouped {
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
    } else {
        out.push_str(int);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
}

/// `format!("{value:.decimals$}")` written into `buf` with integer
/// arithmetic, when that gives the same digits: when `value × 10^decimals`
/// is far enough from a rounding tie that the error of that product cannot
/// change which way it rounds. `None` when the exact (and slow) float
/// formatting is needed.
fn fixed_fast(value: f64, decimals: usize, buf: &mut [u8; 32]) -> Option<&str> {
    const POW10: [u64; 4] = [1, 10, 100, 1000];
    let &scale = POW10.get(decimals)?;
    let scaled = value * scale as f64;
    let frac = (scaled - scaled.trunc()).abs();
    let margin = scaled.abs() * 1e-15 + 1e-300;
    if !(scaled.is_finite() && scaled.abs() < 1e15 && (frac - 0.5).abs() > margin) {
        return None;
    }
    let units = scaled.round().abs() as u64;
    // Written backwards from the end: fraction digits, point, integer digits, sign.
    let mut at = buf.len();
    let mut push = |b: u8| {
        at -= 1;
        buf[at] = b;
    };
    let (mut int, mut frac) = (units / scale, units % scale);
    if decimals > 0 {
        for _ in 0..decimals {
            push(b'0' + (frac % 10) as u8);
            frac /= 10;
        }
        push(b'.');
    }
    loop {
        push(b'0' + (int % 10) as u8);
        int /= 10;
        if int == 0 {
            break;
        }
    }
    if value.is_sign_negative() {
        push(b'-');
    }
    std::str::from_utf8(&buf[at..]).ok()
}

/// Whether `c` could act on a terminal or reorder the text shown around it:
/// C0 controls (the tab aside), DEL, C1 controls, and the bidirectional
/// embeddings, overrides and isolates of "Trojan Source" (U+202A–U+202E,
/// U+2066–U+2069).
pub(crate) fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` as it may be written to a terminal: every [unsafe](is_unsafe)
/// character is shown visibly escaped, as Rust writes it (`\u{1b}`, `\r`,
/// `\n`, `\u{202e}`); all other text (Chinese, emoji, tabs) is untouched.
/// Every plan-derived string printed by kaplan goes through here.
pub fn terminal(s: &str) -> Cow<'_, str> {
    let Some(first) = s.find(is_unsafe) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON written by serde with the [unsafe](is_unsafe) characters that it
/// leaves raw (DEL, C1 controls, bidirectional controls) written as
/// `\uXXXX` escapes: the same JSON value, safe to show in a terminal. Those
/// characters can only be inside strings, where the escape means the same;
/// serde escapes the other controls itself, and its only raw one is the
/// line feed of pretty printing.
pub(crate) fn json_text(json: String) -> String {
    let raw = |c: char| c != '\n' && is_unsafe(c);
    if !json.contains(raw) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// `v` with grouped digits: 18,000,000 · 0.6 · −1,200,000.5.
pub(crate) fn number(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let s = format!("{}", v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 { "−" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// Where each line of `text` starts (byte offsets, lines ended by `\n`):
/// 0, then one past each line break. Built once, it finds the line of an
/// offset, or the offset of a line, without reading the text again.
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|n| n + 1))
        .collect()
}

/// A 64-bit FNV-1a-style hash of `parts`, each followed by its length, taken
/// eight bytes at a time: stable from run to run and build to build (unlike
/// `std`'s hasher), and fast enough to check a cache of tens of megabytes or to look up
/// texts of that size.
pub(crate) fn hash(parts: &[&[u8]]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            h = (h ^ u64::from_le_bytes(w.try_into().unwrap_or_default())).wrapping_mul(PRIME);
            h ^= h >> 29;
        }
        for b in words.remainder() {
            h = (h ^ u64::from(*b)).wrapping_mul(PRIME);
        }
    };
    for part in parts {
        eat(part);
        eat(&(part.len() as u64).to_le_bytes());
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            xml(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(xml("a\u{1}b\nc"), "ab c");
        assert_eq!(xml("李\u{85}明 ok"), "李明 ok");
        assert_eq!(xml("plain"), "plain");
        assert_eq!(escaped_html("a\u{1}b\n<c>"), "a\u{1}b\n&lt;c&gt;");
    }

    /// [`xml`] character by character, the simple way.
    fn xml_by_char(s: &str) -> String {
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
                    assert_eq!(xml(&s), xml_by_char(&s), "{s:?}");
                    let twice = [piece, &s, piece].concat();
                    assert_eq!(xml(&twice), xml_by_char(&twice), "{twice:?}");
                }
            }
        }
    }

    #[test]
    fn bytes_are_found_and_counted() {
        for len in 0..70 {
            for at in 0..len {
                let mut bytes = vec![b'x'; len];
                assert!(!has_byte(&bytes, 0));
                assert_eq!(find_in_set(&bytes, &HTML), None);
                assert_eq!(find_html(&bytes), None);
                bytes[at] = 0;
                assert!(has_byte(&bytes, 0), "{len} {at}");
                bytes[at] = b'<';
                assert_eq!(find_in_set(&bytes, &HTML), Some(at), "{len} {at}");
                for b in *b"&<>\"'" {
                    bytes[at] = b;
                    assert_eq!(find_html(&bytes), Some(at), "{len} {at}");
                }
                bytes[at] = b'<';
                assert_eq!(count_byte(&bytes, b'<'), 1);
                assert_eq!(count_byte(&bytes, b'x'), len - 1);
            }
        }
    }

    #[test]
    fn digits_match_the_standard_formatting() {
        let big = [i64::MAX, i64::MIN, 10i64.pow(18), 123_456_789];
        for n in (-12_000..=12_000).chain(big) {
            let mut out = String::new();
            push_int(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(
            subst("{a} and {b}, {a}; {c}", &[("a", "{b}"), ("b", "2")]),
            "{b} and 2, {b}; {c}"
        );
        assert_eq!(subst("no {", &[]), "no {");
        assert_eq!(subst("{}{a}}", &[("a", "1")]), "{}1}");
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

    /// `value` through the standard formatting, trimmed and grouped the
    /// plain way: what [`push_decimal`] must write.
    fn reference(value: f64, decimals: usize, grouped: bool) -> String {
        let s = format!("{value:.decimals$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            s
        };
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let int = if grouped {
            let chars: Vec<char> = int.chars().collect();
            let head = chars.len() % 3;
            let mut parts: Vec<String> = Vec::new();
            if head > 0 {
                parts.push(chars[..head].iter().collect());
            }
            parts.extend(
                chars[head..]
                    .chunks(3)
                    .map(|c| c.iter().collect::<String>()),
            );
            parts.join(",")
        } else {
            int.to_owned()
        };
        if frac.is_empty() {
            int
        } else {
            format!("{int}.{frac}")
        }
    }

    #[test]
    fn numbers_match_the_standard_formatting() {
        // Ties, near-ties, integers, negative zero, large and tiny values.
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -0.5,
            0.125,
            0.375,
            1e14,
            1e15,
            1e300,
            999.9996,
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
        ];
        let mut rng = crate::testing::Rng::new(0x9E37_79B9_7F4A_7C15);
        for i in 0..200_000 {
            let x = rng.next_u64();
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            let v = match i % 4 {
                0 => unit * 1e9,
                1 => (unit * 1e6).round() / 8.0,
                2 => (unit * 1e5).round() / 1000.0 + 0.0005,
                _ => -unit * 10f64.powi((x % 16) as i32),
            };
            values.push(v);
        }
        let mut fast = 0;
        for v in values {
            for d in 0..=3 {
                let mut buf = [0u8; 32];
                if let Some(text) = fixed_fast(v, d, &mut buf) {
                    assert_eq!(text, format!("{v:.d$}"), "{v:?} with {d} decimals");
                    fast += 1;
                }
                for grouped in [false, true] {
                    let mut out = String::new();
                    push_decimal(&mut out, v, d, grouped);
                    assert_eq!(out, reference(v, d, grouped), "{v:?}, {d}, {grouped}");
                }
            }
        }
        // The fast path is the common one.
        assert!(fast > 600_000, "{fast}");
    }

    #[test]
    fn terminal_text_escapes_controls_and_bidi_overrides_only() {
        assert_eq!(
            terminal("a\u{1b}[31mb\rc\u{7}d\u{202e}e\u{9b}f\u{7f}\n"),
            "a\\u{1b}[31mb\\rc\\u{7}d\\u{202e}e\\u{9b}f\\u{7f}\\n"
        );
        for kept in ["名称: 华东 🚀", "a\tb", "plain ascii", "\u{200d}👩‍👩‍👧"] {
            assert!(matches!(terminal(kept), Cow::Borrowed(_)), "{kept:?}");
        }
        for c in ['\u{2066}', '\u{2069}', '\u{202a}', '\0'] {
            assert!(!terminal(&c.to_string()).contains(c), "{c:?}");
        }
    }

    #[test]
    fn json_keeps_its_value_without_raw_controls() {
        let value = serde_json::json!({"m": "a\u{1b}b\u{7f}c\u{9b}d\u{202e}e名"});
        let text = json_text(serde_json::to_string_pretty(&value).unwrap());
        assert!(!text.contains(|c| c != '\n' && is_unsafe(c)), "{text}");
        assert!(text.contains('\n'), "pretty printing stays: {text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
