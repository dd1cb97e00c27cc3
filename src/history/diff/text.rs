//! Change lines: a [`Change`] in words, from the phrases of the locale
//! tables (`history.diff` in `themes/default/i18n/`), with plan text and
//! ids marked up for the output (terminal, Markdown, HTML).

use super::{Change, Item, Kind, Val};
use crate::config::Language;
use crate::i18n::Locale;
use crate::text::{is_unsafe, number, terminal};

/// The phrases a change line is made of, and how plan text and ids are
/// marked up: [`Plain`] for the terminal and JSON, [`Markdown`] for pull
/// requests; the site passes its locale and HTML. The phrases are the
/// locale tables' `history.diff` keys.
pub(crate) trait Words {
    /// The phrase for `key` (a key of the `history.diff` table).
    fn word(&self, key: &str) -> String;
    /// A label of the site's tables (`question.who`), where the phrases
    /// use them: in Chinese, where the plan's own words are English.
    fn site_label(&self, _key: &str) -> Option<String> {
        None
    }
    /// A field of the plan (`actual`): its name, or the site's label for
    /// it (当前值).
    fn field(&self, name: &str) -> String {
        self.site_label(&format!("dossier.{name}"))
            .unwrap_or_else(|| name.to_owned())
    }
    /// Plan text as it must be written in the output.
    fn esc(&self, s: &str) -> String {
        s.to_owned()
    }
    /// An id.
    fn code(&self, id: &str) -> String {
        format!("`{id}`")
    }
    /// A figure's amount (total cost, expected return): the plan's own
    /// digits here, the site's money format on the site.
    fn money(&self, v: f64) -> String {
        number(v)
    }
    /// A change of such an amount, with its sign.
    fn money_delta(&self, v: f64) -> String {
        delta(v)
    }
}

/// Plain text, ids in backticks, in the phrases of a locale table: the
/// terminal's lines and JSON's `text` (English).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plain(&'static Locale);

impl Plain {
    /// The English phrases of JSON's `text`.
    pub(crate) fn english() -> Plain {
        Plain::of(Language::En)
    }

    /// The phrases of `language`.
    pub(crate) fn of(language: Language) -> Plain {
        Plain(Locale::shared(language))
    }
}

impl Words for Plain {
    fn word(&self, key: &str) -> String {
        // A missing key is caught by the tests.
        let full = format!("history.diff.{key}");
        self.0.get(&full).unwrap_or(key).to_owned()
    }

    fn site_label(&self, key: &str) -> Option<String> {
        match self.0.language {
            Language::En => None,
            Language::ZhCn => self.0.get(key).map(str::to_owned),
        }
    }
}

/// Markdown, in the phrases of a [`Plain`]: plan text escaped so that it
/// cannot format, link or mention, and stays inline text on its line: one
/// list item (or table cell) per change, whatever the plan holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Markdown(pub Plain);

impl Words for Markdown {
    fn word(&self, key: &str) -> String {
        self.0.word(key)
    }
    fn site_label(&self, key: &str) -> Option<String> {
        self.0.site_label(key).map(|l| self.esc(&l))
    }

    fn code(&self, id: &str) -> String {
        // Folder names are not always valid ids: one with a backtick, a line
        // break or a control character is written as escaped text.
        let plain = |c: char| c != '`' && (c == ' ' || !c.is_whitespace()) && !is_unsafe(c);
        if id.chars().all(plain) {
            format!("`{id}`")
        } else {
            self.esc(id)
        }
    }
    fn esc(&self, s: &str) -> String {
        // Line breaks (`\n`, `\r`, and the blank lines between) would start a
        // new block: the lines are joined with one space. Other controls are
        // shown as the terminal shows them.
        let flat: Vec<&str> = s
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let flat = flat.join(" ");
        let flat = terminal(&flat);
        let mut out = String::with_capacity(flat.len() + 8);
        for c in flat.chars() {
            if "\\`*_{}[]<>#|~@&".contains(c) {
                out.push('\\');
            }
            out.push(c);
        }
        // Where the text starts a line, `-`, `+`, `=` and `1.`/`1)` could
        // start a list or underline a heading; `#`, `>`, `|`, `*`, `<` and
        // backticks are escaped wherever they are.
        if out.starts_with(['-', '+', '=']) {
            out.insert(0, '\\');
        } else {
            let digits = out.len() - out.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 && out[digits..].starts_with(['.', ')']) {
                out.insert(digits, '\\');
            }
        }
        out
    }
}

/// A difference with its sign: +30,000 · −1,200,000.
fn delta(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", number(v))
    } else {
        number(v)
    }
}

/// A ratio such as an ROI or the completeness, as people read it: a
/// percentage by the site's one rule ([`crate::i18n::percent`]), with the
/// minus sign the other numbers here use (9 → 900% · −0.126 → −13%).
/// JSON keeps the ratio.
fn ratio(v: f64) -> String {
    crate::i18n::percent(v).replace('-', "−")
}

/// A value with no markup (list items, JSON-free text).
pub(super) fn plain(v: &Val) -> String {
    match v {
        Val::Flag(b) => b.to_string(),
        Val::Number(n) => number(*n),
        Val::Name(s) | Val::Text(s) => s.clone(),
        Val::List(items) => items.join(", "),
    }
}

/// Text on one line, cut after 80 characters.
pub(crate) fn one_line(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 80 {
        let cut: String = flat.chars().take(79).collect();
        format!("{}…", cut.trim_end())
    } else {
        flat
    }
}

fn is_long(v: Option<&Val>) -> bool {
    matches!(v, Some(Val::Text(s)) if s.trim().contains('\n') || s.chars().count() > 60)
}

/// Fills `{name}` placeholders in one pass (values are never re-read) and
/// drops the double spaces an empty value leaves.
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if args.iter().any(|(k, _)| *k == name) => {
                let value = args.iter().find(|(k, _)| *k == name).map_or("", |(_, v)| v);
                out.push_str(value);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let mut clean = String::with_capacity(out.len());
    for part in out.split(' ').filter(|p| !p.is_empty()) {
        if !clean.is_empty() && !part.starts_with('：') {
            clean.push(' ');
        }
        clean.push_str(part);
    }
    clean
}

impl Change {
    /// The change as one English line, in the plan's terms:
    /// "objective `grow-5g` target 18,000,000 → 20,000,000".
    pub(crate) fn text(&self) -> String {
        self.render(&Plain::english())
    }

    fn show(&self, v: Option<&Val>, w: &dyn Words) -> String {
        let field = self.field.as_deref();
        match (v, field) {
            (None, _) => "—".into(),
            (Some(Val::Number(n)), Some("roi")) if self.section == "figures" => ratio(*n),
            // Objective progress: a whole percent, as everywhere (§9.1).
            (Some(Val::Number(n)), Some("progress")) if self.section == "figures" => {
                format!("{}%", (n * 100.0).round())
            }
            // Amounts of money: the site writes them as it does everywhere.
            (Some(Val::Number(n)), Some("amount"))
                if matches!(&*self.section, "costs" | "returns") =>
            {
                w.money(*n)
            }
            (Some(Val::Number(n)), Some("cost")) if self.section == "actions" => w.money(*n),
            (Some(Val::Number(n)), Some("current" | "potential"))
                if self.section == "whitespace" =>
            {
                w.money(*n)
            }
            (Some(Val::Number(n)), Some("completeness")) if self.section == "figures" => ratio(*n),
            (Some(Val::Text(s)), _) => format!("“{}”", w.esc(&one_line(s))),
            // A checklist status: the site's word for it where it has one.
            (Some(Val::Name(n)), _) if self.section == "checklist" => w
                .site_label(&format!("status.{n}"))
                .unwrap_or_else(|| w.esc(n)),
            (Some(v @ Val::Name(_)), _) => w.esc(&plain(v)),
            (Some(Val::List(items)), _) => items
                .iter()
                .map(|i| w.esc(i))
                .collect::<Vec<_>>()
                .join(", "),
            (Some(v), _) => plain(v),
        }
    }

    /// "old → new"; "changed" for long text; "+a, −b" for lists.
    fn transition(&self, w: &dyn Words) -> String {
        if is_long(self.old.as_ref()) || is_long(self.new.as_ref()) {
            return w.word("changed");
        }
        if let (Some(Val::List(a)), Some(Val::List(b))) = (&self.old, &self.new) {
            let mut parts: Vec<String> = b
                .iter()
                .filter(|x| !a.contains(x))
                .map(|x| format!("+{}", w.esc(&one_line(x))))
                .collect();
            parts.extend(
                a.iter()
                    .filter(|x| !b.contains(x))
                    .map(|x| format!("−{}", w.esc(&one_line(x)))),
            );
            if !parts.is_empty() {
                return parts.join(", ");
            }
        }
        format!(
            "{} → {}",
            self.show(self.old.as_ref(), w),
            self.show(self.new.as_ref(), w)
        )
    }

    /// How readers know the item: 李明, `grow-5g`, or the title.
    fn label(item: &Item, w: &dyn Words) -> String {
        match (&item.name, item.person, item.by_id) {
            (Some(n), true, _) => w.esc(n),
            (_, _, true) => w.code(&item.key),
            _ => w.esc(&one_line(&item.key)),
        }
    }

    /// The change as one line in the words of `w`.
    pub(crate) fn render(&self, w: &dyn Words) -> String {
        let field = self.field.as_deref().unwrap_or_default();
        match (&*self.section, &self.item) {
            ("figures", Some(item)) => self.item_line(item, field, w),
            ("figures", None) => {
                let figure = w.word(&format!("figure.{field}"));
                match (field, &self.old, &self.new) {
                    (
                        "total_cost" | "expected_return",
                        Some(Val::Number(a)),
                        Some(Val::Number(b)),
                    ) => fill(
                        &w.word("figure_money"),
                        &[
                            ("figure", &figure),
                            ("delta", &w.money_delta(b - a)),
                            ("old", &w.money(*a)),
                            ("new", &w.money(*b)),
                        ],
                    ),
                    _ => fill(
                        &w.word("figure_changed"),
                        &[("figure", &figure), ("change", &self.transition(w))],
                    ),
                }
            }
            ("checklist", _) => fill(
                &w.word("checklist"),
                &[
                    (
                        "question",
                        &w.site_label(&format!("question.{field}"))
                            .unwrap_or_else(|| field.to_owned()),
                    ),
                    ("change", &self.transition(w)),
                ],
            ),
            (_, Some(item)) => self.item_line(item, field, w),
            (section, None) => fill(
                &w.word("section_changed"),
                &[
                    ("section", &w.word(&format!("section.{section}"))),
                    ("field", &w.field(field)),
                    ("change", &self.transition(w)),
                ],
            ),
        }
    }

    fn item_line(&self, item: &Item, field: &str, w: &dyn Words) -> String {
        let what = w.word(&format!(
            "what.{}",
            item.what.replace(' ', "_").to_lowercase()
        ));
        let label = Change::label(item, w);
        let title = match (&item.name, item.person, item.by_id) {
            (Some(n), false, true) => format!(": {}", w.esc(&one_line(n))),
            _ => String::new(),
        };
        let run = |key: &str, extra: &[(&str, &str)]| {
            let mut a: Vec<(&str, &str)> =
                vec![("what", &what), ("label", &label), ("title", &title)];
            a.extend_from_slice(extra);
            fill(&w.word(key), &a)
        };
        if let Some(sub) = &self.sub
            && field.starts_with("coverage")
        {
            let by = w.esc(&one_line(sub));
            let level = |v: Option<&Val>| self.show(v, w);
            return match (self.kind, field) {
                (Kind::Added, _) => run(
                    "coverage_added",
                    &[("by", &by), ("level", &level(self.new.as_ref()))],
                ),
                (Kind::Removed, _) => run("coverage_removed", &[("by", &by)]),
                (Kind::Changed, "coverage.target") => run(
                    "coverage_target",
                    &[("by", &by), ("change", &self.transition(w))],
                ),
                (Kind::Changed, _) => run(
                    "coverage_changed",
                    &[("by", &by), ("change", &self.transition(w))],
                ),
            };
        }
        if let Some(sub) = &self.sub {
            let need = w.esc(&one_line(sub));
            return match self.kind {
                Kind::Added => run("need_added", &[("need", &need)]),
                Kind::Removed => run("need_removed", &[("need", &need)]),
                Kind::Changed => run(
                    "need_changed",
                    &[
                        ("need", &need),
                        ("field", &w.field(field.trim_start_matches("needs."))),
                        ("change", &self.transition(w)),
                    ],
                ),
            };
        }
        match self.kind {
            Kind::Added => run("added", &[]),
            Kind::Removed => run("removed", &[]),
            Kind::Changed if field.is_empty() => run("item_changed", &[]),
            // What the customer's site shows changes: said in words.
            Kind::Changed if field == "shared" => match self.new {
                Some(Val::Flag(true)) => run("shared_on", &[]),
                _ => run("shared_off", &[]),
            },
            Kind::Changed => run(
                "field_changed",
                &[("field", &w.field(field)), ("change", &self.transition(w))],
            ),
        }
    }
}

/// The lines of a list of changes, with the ROI folded into the line of
/// the expected return (else of the total cost) when both changed:
/// "expected return −1,200,000 (ROI 210% → 180%)".
pub(crate) fn lines(changes: &[Change], w: &dyn Words) -> Vec<String> {
    let figure = |f: &str| {
        changes
            .iter()
            .position(|c| c.section == "figures" && c.field.as_deref() == Some(f))
    };
    let roi = figure("roi");
    let host = figure("expected_return").or_else(|| figure("total_cost"));
    let mut out = Vec::with_capacity(changes.len());
    for (i, c) in changes.iter().enumerate() {
        if Some(i) == roi && host.is_some() {
            continue;
        }
        match (Some(i) == host, roi.map(|r| &changes[r]), &c.old, &c.new) {
            (true, Some(r), Some(Val::Number(a)), Some(Val::Number(b))) => {
                let field = c.field.as_deref().unwrap_or_default();
                out.push(fill(
                    &w.word("figure_money_roi"),
                    &[
                        ("figure", &w.word(&format!("figure.{field}"))),
                        ("delta", &w.money_delta(b - a)),
                        ("old", &r.show(r.old.as_ref(), w)),
                        ("new", &r.show(r.new.as_ref(), w)),
                    ],
                ));
            }
            _ => out.push(c.render(w)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every phrase key a change line uses.
    const KEYS: &[&str] = &[
        "added",
        "removed",
        "item_changed",
        "field_changed",
        "need_added",
        "need_removed",
        "need_changed",
        "shared_on",
        "shared_off",
        "coverage_added",
        "coverage_removed",
        "coverage_changed",
        "coverage_target",
        "section_changed",
        "checklist",
        "figure_money",
        "figure_money_roi",
        "figure_changed",
        "changed",
        "what.objective",
        "what.stakeholder",
        "what.team_member",
        "what.strategy",
        "what.action",
        "what.milestone",
        "what.cost",
        "what.return",
        "what.scorecard_criterion",
        "what.kpi",
        "what.risk",
        "what.ask",
        "what.competitor",
        "what.whitespace_cell",
        "what.visit",
        "what.page",
        "section.account",
        "section.currency",
        "section.period",
        "section.summary",
        "section.decision",
        "section.review",
        "section.relative_strength",
        "figure.total_cost",
        "figure.expected_return",
        "figure.roi",
        "figure.payback",
        "figure.scorecard",
        "figure.computed_tier",
        "figure.completeness",
    ];

    #[test]
    fn every_change_phrase_is_translated() {
        for lang in [Language::En, Language::ZhCn] {
            let locale = Locale::new(lang);
            for key in KEYS {
                let full = format!("history.diff.{key}");
                assert_ne!(locale.text(&full), full, "{full} is missing in {lang:?}");
            }
        }
        // The terminal's and Markdown's phrases are the English table's.
        let en = Locale::new(Language::En);
        for key in KEYS {
            let full = format!("history.diff.{key}");
            let table = en.text(&full);
            assert_eq!(Plain::english().word(key), table, "{key}");
            assert_eq!(Markdown(Plain::english()).word(key), table, "{key}");
        }
    }

    #[test]
    fn markdown_text_stays_inline() {
        let w = Markdown(Plain::english());
        assert_eq!(w.esc("a\n\n# b\r\n- c\r| d |"), "a \\# b - c \\| d \\|");
        assert_eq!(w.esc("- item"), "\\- item");
        assert_eq!(w.esc("+ item"), "\\+ item");
        assert_eq!(w.esc("==="), "\\===");
        assert_eq!(w.esc("12. twelve"), "12\\. twelve");
        assert_eq!(w.esc("3) three"), "3\\) three");
        assert_eq!(w.esc("2026 plan. 1. x"), "2026 plan. 1. x");
        assert_eq!(w.esc("> q <b>"), "\\> q \\<b\\>");
        assert_eq!(w.esc("\u{1b}[1m"), "\\\\u\\{1b\\}\\[1m");
        assert_eq!(w.esc("名称 🚀"), "名称 🚀");
        assert_eq!(w.code("grow-5g"), "`grow-5g`");
        assert_eq!(w.code("a\rb"), "a b");
        assert_eq!(w.code("a`b"), "a\\`b");
        assert_eq!(w.code("a\u{7}"), "a\\\\u\\{7\\}");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(number(18_000_000.0), "18,000,000");
        assert_eq!(number(-1_200_000.5), "−1,200,000.5");
        assert_eq!(number(0.6), "0.6");
        assert_eq!(number(999.0), "999");
        assert_eq!(delta(30_000.0), "+30,000");
        // ROI 9 is 900 %, 5.67 is 567 % (worked by hand: × 100, whole percent ≥ 10 %).
        assert_eq!(ratio(9.0), "900%");
        assert_eq!(ratio(5.67), "567%");
        assert_eq!(ratio(2.1), "210%");
        assert_eq!(ratio(-0.126), "−13%");
        assert_eq!(ratio(0.045), "4.5%");
    }
}
