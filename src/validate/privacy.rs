//! `plan/personal-data-in-text`: personal data (phone numbers, e-mail
//! addresses, resident ID numbers, `[privacy] patterns`) written in the free
//! text of a plan, its narrative pages and visit records, where `private`
//! does not protect it.
//!
//! Patterns are compiled by the `regex` crate, whose matching is linear in
//! the text: no pattern in `kaplan.toml` can make a check hang.

use regex::Regex;

use super::rules::{Check, Report};
use super::{ACTION, Ctx, OBJECTIVE, thing};
use crate::load::rules::PERSONAL_DATA_IN_TEXT;
use crate::message::{Arg, Message, texts};
use crate::model::{Document, Sp, Span};

/// The check, reporting only its rule.
pub(super) const CHECK: Check = Check {
    rule: &PERSONAL_DATA_IN_TEXT,
    run: personal_data,
};

texts! {
    FOUND:
        "{field} holds what looks like {what} (line {line}, column {column}): the site publishes it"
        / "{field}中有疑似{what}的内容（第 {line} 行第 {column} 列）：网站会把它发布出去";
    FOUND_HELP:
        "move it into the `private` notes of the stakeholder it is about (never published), or leave it out"
        / "把它移到相关关键人物的 `private` 备注中（不会发布），或删去";
    FIELD: "`{key}`" / "`{key}` ";
    FIELD_OF: "`{key}` of {item}" / "{item}的 `{key}` ";
    PAGE_TEXT: "the page's text" / "页面正文";
    VISIT_NOTES: "the visit notes" / "拜访记录正文";
    PHONE: "a phone number" / "电话号码";
    EMAIL: "an e-mail address" / "电子邮件地址";
    RESIDENT_ID: "a Chinese resident ID number" / "居民身份证号码";
    CUSTOM:
        "personal data (`[privacy] patterns` entry {n})"
        / "个人信息（`[privacy] patterns` 第 {n} 条）";
}

/// What a pattern finds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A phone number: 9 to 15 digits.
    Phone,
    /// An e-mail address.
    Email,
    /// An 18-character resident ID whose check character is right.
    ResidentId,
    /// The `n`th entry (1-based) of `[privacy] patterns`.
    Custom(usize),
}

/// The default patterns: Chinese mobile numbers (with or without `+86`),
/// Chinese landline numbers with their area code, international numbers
/// written with `+`, e-mail addresses, resident ID numbers.
const DEFAULTS: &[(&str, Kind)] = &[
    (
        r"(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}|0\d{2,3}-\d{7,8}",
        Kind::Phone,
    ),
    (
        r"\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{2,5}){2,5}",
        Kind::Phone,
    ),
    (
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}",
        Kind::Email,
    ),
    (r"\d{17}[\dXx]", Kind::ResidentId),
];

/// The patterns of `plan/personal-data-in-text`, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Patterns(Vec<(Regex, Kind)>);

impl Default for Patterns {
    fn default() -> Self {
        Patterns::new(true, Vec::new())
    }
}

impl Patterns {
    /// The default set (when `defaults`) and `custom`, the compiled
    /// `[privacy] patterns`.
    pub(crate) fn new(defaults: bool, custom: Vec<Regex>) -> Patterns {
        let defaults = DEFAULTS
            .iter()
            .filter(|_| defaults)
            .filter_map(|(p, kind)| Some((Regex::new(p).ok()?, *kind)));
        let custom = custom
            .into_iter()
            .enumerate()
            .map(|(i, r)| (r, Kind::Custom(i + 1)));
        Patterns(defaults.chain(custom).collect())
    }

    /// Compiles one `[privacy] patterns` entry, within a size that keeps
    /// compiling fast; the error says why it is no pattern.
    pub(crate) fn compile(pattern: &str) -> Result<Regex, String> {
        regex::RegexBuilder::new(pattern)
            .size_limit(1 << 20)
            .nest_limit(100)
            .build()
            .map_err(|e| e.to_string())
    }

    /// What the patterns find in `text`: byte ranges, in order, without
    /// overlaps (of two that overlap, the one that starts first; at one
    /// start, the first pattern's), each with what it looks like.
    fn find(&self, text: &str) -> Vec<(std::ops::Range<usize>, Kind)> {
        let mut candidates: Vec<(usize, usize, std::ops::Range<usize>, Kind)> = Vec::new();
        for (order, (regex, kind)) in self.0.iter().enumerate() {
            candidates.extend(
                regex
                    .find_iter(text)
                    .map(|m| m.range())
                    .filter(|r| !r.is_empty() && accepts(*kind, text, r.clone()))
                    .map(|r| (r.start, order, r, *kind)),
            );
        }
        candidates.sort_unstable_by_key(|(start, order, ..)| (*start, *order));
        let mut found: Vec<(std::ops::Range<usize>, Kind)> = Vec::new();
        for (_, _, range, kind) in candidates {
            if found.last().is_none_or(|(last, _)| last.end <= range.start) {
                found.push((range, kind));
            }
        }
        found
    }
}

/// Whether a match of a default pattern stands alone (no digit, letter or
/// `+` glued to a number; no address character glued to an address) and,
/// for a resident ID, has the right check character.
fn accepts(kind: Kind, text: &str, range: std::ops::Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let glued = |c: Option<char>, extra: &[char]| {
        c.is_some_and(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
    };
    // A number going on after a decimal point (`13812345678.2`).
    let decimal = after == Some('.')
        && text[range.end + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
    let m = &text[range];
    match kind {
        Kind::Custom(_) => true,
        Kind::Email => !glued(before, &['.', '_', '%', '+', '-', '@']) && !glued(after, &['@']),
        Kind::Phone => {
            let digits = m.bytes().filter(u8::is_ascii_digit).count();
            // An amount in round figures (`15000000000`) is no number to call.
            let round = m.ends_with("00000000");
            (9..=15).contains(&digits)
                && !round
                && !decimal
                && !glued(before, &['+', '-', '.'])
                && !glued(after, &['-'])
        }
        Kind::ResidentId => {
            !decimal && !glued(before, &['.']) && !glued(after, &[]) && resident_id(m)
        }
    }
}

/// Whether `id`, 17 digits and a check character, has the right check
/// character (GB 11643-1999: weights 2^(17−i) mod 11, `X` for 10).
fn resident_id(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let bytes = id.as_bytes();
    if bytes.len() != 18 {
        return false;
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b.wrapping_sub(b'0')) * w)
        .sum();
    bytes[17].to_ascii_uppercase() == CHECK[(sum % 11) as usize]
}

/// What a match looks like, for the message.
fn what(kind: Kind) -> Message {
    match kind {
        Kind::Phone => Message::new(&PHONE),
        Kind::Email => Message::new(&EMAIL),
        Kind::ResidentId => Message::new(&RESIDENT_ID),
        Kind::Custom(n) => Message::new(&CUSTOM).with("n", n.to_string()),
    }
}

/// One text checked: where it is, and how its field is named.
struct Place<'a> {
    /// The file (relative to the root); `None` for `plan.yaml`.
    file: Option<&'a str>,
    /// The field, for the message.
    field: Message,
}

/// Reports every match of the patterns in the free text of the plan, its
/// pages and its visit records.
fn personal_data(cx: &Ctx<'_>, out: &mut Report<'_>) {
    let patterns = &cx.config.privacy.compiled;
    let plan = cx.plan;
    let field = |key: &str| Message::new(&FIELD).with("key", key);
    let of = |key: &str, item: Arg| Message::new(&FIELD_OF).with("key", key).with("item", item);
    let plan_file = format!("accounts/{}/plan.yaml", cx.account.id);
    let plan_source = cx.account.sources.get(&plan_file).map(|s| Source::new(s));
    let mut scalars: Vec<(&Sp<String>, Message)> = Vec::new();
    scalars.extend(plan.summary.iter().map(|s| (s, field("summary"))));
    for o in &plan.objectives {
        let item = Arg::Thing(thing(&OBJECTIVE, o.id.as_ref(), o.title.as_ref()));
        scalars.extend(o.why.iter().map(|s| (s, of("why", item.clone()))));
    }
    for a in &plan.actions {
        let item = Arg::Thing(thing(&ACTION, a.id.as_ref(), a.title.as_ref()));
        scalars.extend(a.r#where.iter().map(|s| (s, of("where", item.clone()))));
    }
    if let Some(d) = &plan.decision {
        scalars.extend(d.notes.iter().map(|s| (s, field("decision.notes"))));
    }
    if let Some(r) = &plan.review {
        scalars.extend(r.notes.iter().map(|s| (s, field("review.notes"))));
    }
    let plan_place = |field| Place { file: None, field };
    for (scalar, name) in scalars {
        scan_scalar(
            out,
            patterns,
            plan_source.as_ref(),
            scalar,
            plan_place(name),
        );
    }
    for page in &cx.account.pages {
        scan_body(out, patterns, page, Message::new(&PAGE_TEXT));
    }
    for visit in &cx.account.visits {
        let source = cx.account.sources.get(&visit.file).map(|s| Source::new(s));
        let meta = &visit.meta;
        let mut scalars: Vec<(&Sp<String>, &str)> = Vec::new();
        scalars.extend(meta.purpose.iter().map(|s| (s, "purpose")));
        scalars.extend(meta.outcome.iter().map(|s| (s, "outcome")));
        scalars.extend(meta.next_steps.iter().map(|s| (s, "next_steps")));
        for (scalar, key) in scalars {
            let place = Place {
                file: Some(&visit.file),
                field: field(key),
            };
            scan_scalar(out, patterns, source.as_ref(), scalar, place);
        }
        scan_body(out, patterns, visit, Message::new(&VISIT_NOTES));
    }
}

/// Reports the matches in a YAML scalar of the file `source`, each at its
/// own line and column when the source shows it as written (else at the
/// scalar).
fn scan_scalar(
    out: &mut Report<'_>,
    patterns: &Patterns,
    source: Option<&Source<'_>>,
    scalar: &Sp<String>,
    place: Place<'_>,
) {
    let found = patterns.find(&scalar.value);
    let spans = match source {
        Some(source) if !found.is_empty() => locate(source, scalar, &found),
        _ => Vec::new(),
    };
    for (i, (_, kind)) in found.into_iter().enumerate() {
        let span = spans
            .get(i)
            .copied()
            .flatten()
            .unwrap_or(Span::point(scalar.span.line, scalar.span.col));
        report(out, &place, span, kind);
    }
}

/// Reports the matches in the Markdown body of `doc`.
fn scan_body<M>(out: &mut Report<'_>, patterns: &Patterns, doc: &Document<M>, field: Message) {
    let body = Source::new(&doc.body);
    for (range, kind) in patterns.find(&doc.body) {
        let at = crate::load::position_in(body.text, body.starts(), range.start);
        let start = Span::point(doc.body_line.saturating_add(at.line - 1), at.col);
        let span = spanning(start, &doc.body[range]);
        let place = Place {
            file: Some(&doc.file),
            field: field.clone(),
        };
        report(out, &place, span, kind);
    }
}

fn report(out: &mut Report<'_>, place: &Place<'_>, span: Span, kind: Kind) {
    let message = Message::new(&FOUND)
        .with("field", place.field.clone())
        .with("what", what(kind))
        .with("line", span.line.to_string())
        .with("column", span.col.to_string());
    match place.file {
        None => out.emit_help(span, message, &FOUND_HELP),
        Some(file) => out.emit_help_in(file, span, message, &FOUND_HELP),
    }
}

/// A file's text and where its lines start (found when first needed: most
/// files have no match).
struct Source<'a> {
    text: &'a str,
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Source<'a> {
        Source {
            text,
            starts: std::cell::OnceCell::new(),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts
            .get_or_init(|| crate::text::line_starts(self.text))
    }
}

/// Where each of `found` (matches in `scalar`'s value, in order) is written
/// in `source`: the occurrence of its text of the same rank (as
/// `str::match_indices` counts them) after the scalar's start. Block
/// scalars, quotes and indentation move the text, not its order. One pass
/// over the value and one over the source (ended once every match has its
/// place) find the occurrences of all the matched texts at once, so that a
/// field of many matches costs no more than its length.
fn locate(
    source: &Source<'_>,
    scalar: &Sp<String>,
    found: &[(std::ops::Range<usize>, Kind)],
) -> Vec<Option<Span>> {
    let value = scalar.value.as_str();
    let mut texts: Vec<&str> = found.iter().map(|(r, _)| &value[r.clone()]).collect();
    texts.sort_unstable();
    texts.dedup();
    let id = |text: &str| texts.binary_search(&text).unwrap_or(0);
    let (Some(start), Ok(searcher)) = (
        offset_of(source, scalar.span.line, scalar.span.col),
        aho_corasick::AhoCorasick::new(&texts),
    ) else {
        return Vec::new();
    };
    // Each text's occurrences in the value, as `match_indices` finds them:
    // left to right, none overlapping another of the same text.
    let in_value = occurrences(&searcher, value, None);
    let ranks: Vec<(usize, usize)> = found
        .iter()
        .map(|(r, _)| {
            let id = id(&value[r.clone()]);
            let before = in_value[id].partition_point(|&(_, end)| end <= r.start);
            (id, before)
        })
        .collect();
    let mut wanted = vec![0; texts.len()];
    for &(id, rank) in &ranks {
        wanted[id] = wanted[id].max(rank + 1);
    }
    let rest = &source.text[start..];
    let in_source = occurrences(&searcher, rest, Some(&wanted));
    ranks
        .iter()
        .zip(found)
        .map(|(&(id, rank), (r, _))| {
            let &(at, _) = in_source[id].get(rank)?;
            let at = crate::load::position_in(source.text, source.starts(), start + at);
            Some(spanning(at, &value[r.clone()]))
        })
        .collect()
}

/// The occurrences (start, end) of each of `searcher`'s texts in `haystack`,
/// each text's as `str::match_indices` finds them; with `wanted`, the
/// search ends once each text has that many.
fn occurrences(
    searcher: &aho_corasick::AhoCorasick,
    haystack: &str,
    wanted: Option<&[usize]>,
) -> Vec<Vec<(usize, usize)>> {
    let texts = searcher.patterns_len();
    let mut kept: Vec<Vec<(usize, usize)>> = vec![Vec::new(); texts];
    let mut missing = wanted.map_or(usize::MAX, |w| w.iter().filter(|&&n| n > 0).count());
    for m in searcher.find_overlapping_iter(haystack) {
        if missing == 0 {
            break;
        }
        let id = m.pattern().as_usize();
        let own = &mut kept[id];
        if own.last().is_none_or(|&(_, end)| end <= m.start()) {
            own.push((m.start(), m.end()));
            if wanted.is_some_and(|w| w[id] == own.len()) {
                missing -= 1;
            }
        }
    }
    kept
}

/// The span of `matched` starting at `start`, on one line.
fn spanning(start: Span, matched: &str) -> Span {
    let len = u32::try_from(matched.chars().count()).unwrap_or(0);
    Span {
        end_col: start.col.saturating_add(len),
        ..start
    }
}

/// The byte offset of 1-based line `line`, character column `col`.
fn offset_of(source: &Source<'_>, line: u32, col: u32) -> Option<usize> {
    let line_start = match line {
        0 | 1 => 0,
        _ => *source.starts().get(line as usize - 1)?,
    };
    let rest = &source.text[line_start..];
    let skip = rest
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(rest.len(), |(i, _)| i);
    Some(line_start + skip)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, Kind)> {
        Patterns::default()
            .find(text)
            .into_iter()
            .map(|(r, k)| (text[r].to_owned(), k))
            .collect()
    }

    #[test]
    fn the_default_patterns_find_personal_data() {
        assert_eq!(
            kinds("处长手机13812345678，办公室 0571-88886666"),
            [
                ("13812345678".into(), Kind::Phone),
                ("0571-88886666".into(), Kind::Phone)
            ]
        );
        assert_eq!(
            kinds("call +86 138 1234 5678 or +49 30 1234567"),
            [
                ("+86 138 1234 5678".into(), Kind::Phone),
                ("+49 30 1234567".into(), Kind::Phone)
            ]
        );
        assert_eq!(
            kinds("write to li.ming@east-mobile.cn."),
            [("li.ming@east-mobile.cn".into(), Kind::Email)]
        );
        assert_eq!(
            kinds("身份证 11010519491231002X 已登记"),
            [("11010519491231002X".into(), Kind::ResidentId)]
        );
    }

    #[test]
    fn dates_amounts_and_bad_ids_are_no_personal_data() {
        for text in [
            "due 2026-03-14, review 2026-Q3",
            "budget 20000000 CNY, ¥12,000,000 or 1.38e10",
            "contract 110105194912310021 (a bad check digit)",
            "order 138123456789 (twelve digits)",
            "revenue 15000000000 over five years, +20 000 000 this year",
            "a version 13812345678.2",
            "v1.2.3@build",
        ] {
            assert_eq!(kinds(text), [], "{text}");
        }
    }

    /// A text full of matches is read in one sorted sweep, not by comparing
    /// every pair of matches (quadratic on hostile input).
    #[test]
    fn many_matches_are_found_once_each() {
        let text = "li@east.cn 13812345678 ".repeat(50_000);
        let found = Patterns::default().find(&text);
        assert_eq!(found.len(), 100_000);
        assert!(found.windows(2).all(|w| w[0].0.end <= w[1].0.start));
    }

    #[test]
    fn matches_are_located_in_block_scalars() {
        let source = "summary: |\n  First line.\n  Call 13812345678 or 13812345678.\n";
        let value = "First line.\nCall 13812345678 or 13812345678.\n";
        let scalar = Sp::new(value.to_owned(), Span::point(1, 10));
        let second = value.rfind("138").unwrap();
        let found = [
            (value.find("138").unwrap()..second - 4, Kind::Phone),
            (second..second + 11, Kind::Phone),
        ];
        let spans = locate(&Source::new(source), &scalar, &found);
        let span = spans[1].unwrap();
        assert_eq!((span.line, span.col, span.end_col), (3, 23, 34));
    }

    /// [`locate`] as first written, one match at a time: the text's rank
    /// among its occurrences before the match, then the occurrence of that
    /// rank in the source after the scalar's start.
    fn locate_one(source: &str, scalar: &Sp<String>, at: usize, matched: &str) -> Option<Span> {
        let rank = scalar.value[..at].matches(matched).count();
        let start = offset_of(&Source::new(source), scalar.span.line, scalar.span.col)?;
        let (found, _) = source[start..].match_indices(matched).nth(rank)?;
        let at = crate::load::position_of(source, start + found);
        Some(spanning(at, matched))
    }

    #[test]
    fn all_matches_of_a_field_are_located_as_one_at_a_time() {
        // Values of tokens that repeat, overlap themselves (`aa`) and
        // contain each other; written in a block scalar, in quotes (where
        // `\\n` is no line break), and with some tokens escaped away.
        const TOKENS: &[&str] = &[
            "a",
            "aa",
            "x@y.cn",
            "y.cn",
            "李明",
            "138",
            "13812345678",
            "\n",
            " ",
            "-",
            "é",
        ];
        let mut rng = crate::testing::Rng::new(0x010c_a7e5);
        let mut located = 0;
        for round in 0..3000 {
            let mut value = String::new();
            for _ in 0..rng.below(40) {
                value.push_str(TOKENS[rng.below(TOKENS.len())]);
            }
            let (prefix, source) = match round % 3 {
                0 => {
                    let body: String = value.lines().map(|l| format!("  {l}\n")).collect();
                    (
                        "summary: |\n",
                        format!("summary: |\n{body}other: aa 138 x@y.cn\n"),
                    )
                }
                1 => (
                    "k: \"",
                    format!("k: \"{}\"\nz: aa\n", value.replace('\n', "\\n")),
                ),
                _ => (
                    "k: '",
                    format!("k: '{}'\n", value.replace("aa", "a\\u0061")),
                ),
            };
            let col = u32::try_from(prefix.chars().count() + 1).unwrap();
            let line = if round % 3 == 0 { 2 } else { 1 };
            let scalar = Sp::new(
                value.clone(),
                Span::point(line, if line == 2 { 3 } else { col }),
            );
            // Matches: non-overlapping ranges at character boundaries.
            let bounds: Vec<usize> = value
                .char_indices()
                .map(|(i, _)| i)
                .chain([value.len()])
                .collect();
            let mut found = Vec::new();
            let mut at = 0;
            while at + 1 < bounds.len() {
                let from = at + rng.below(4);
                let to = from + 1 + rng.below(6);
                if to >= bounds.len() {
                    break;
                }
                found.push((bounds[from]..bounds[to], Kind::Email));
                at = to;
            }
            let spans = locate(&Source::new(&source), &scalar, &found);
            for (i, (r, _)) in found.iter().enumerate() {
                let one = locate_one(&source, &scalar, r.start, &value[r.clone()]);
                assert_eq!(spans.get(i).copied().flatten(), one, "{source:?} {r:?}");
                located += usize::from(one.is_some());
            }
        }
        assert!(located > 10_000, "{located}");
    }
}
