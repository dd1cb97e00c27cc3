//! The default theme's dossier page written straight from its context.
//!
//! `themes/default/templates/dossier.html` (with `base.html` and the
//! partials it includes) stays the page's definition: it is what an
//! override extends, and what renders the page whenever one of those
//! templates is overridden. Without overrides the same bytes come from
//! here, without Tera's interpreter and without turning the context into
//! Tera values, which is about a third of a build's time. The two must
//! agree byte for byte: `tests/cli/build.rs` renders every fixture both
//! ways, and the `check_tree` fuzz target does so on every input. Change
//! the template, then this file, until they agree.

use std::collections::BTreeMap;

use super::context::{
    ActionCx, Badge, DiagCx, DossierCx, ObjectiveCx, PageCx, SiteCx, StakeholderCx,
};
use crate::i18n::Locale;
use crate::text::push_int;
use crate::text::{escape_html, escaped_html};

/// The templates a dossier is rendered from: when none is overridden, the
/// page is written by [`write`].
pub(crate) const TEMPLATES: [&str; 6] = [
    "base.html",
    "dossier.html",
    "partials/actions.html",
    "partials/badges.html",
    "partials/diagnostics.html",
    "partials/pages.html",
];

/// The SVG charts of a dossier, as `charts.<name>` in the template.
#[derive(Debug, Default)]
pub(crate) struct Charts {
    pub(crate) cost_return: String,
    pub(crate) stakeholder_map: String,
    pub(crate) relationship_map: String,
    pub(crate) timeline: String,
    pub(crate) objectives: String,
    pub(crate) scorecard: String,
    pub(crate) kpis: String,
    pub(crate) trend: String,
}

impl Charts {
    /// By name, for the template's context.
    pub(crate) fn into_named(self) -> [(&'static str, String); 8] {
        [
            ("cost_return", self.cost_return),
            ("stakeholder_map", self.stakeholder_map),
            ("relationship_map", self.relationship_map),
            ("timeline", self.timeline),
            ("objectives", self.objectives),
            ("scorecard", self.scorecard),
            ("kpis", self.kpis),
            ("trend", self.trend),
        ]
    }
}

/// Every label, HTML-escaped once, by its path in the templates' `t`
/// (`dossier.back`; `-` in keys is `_`, as in [`Locale::nested`]).
#[derive(Debug)]
pub(crate) struct Labels(BTreeMap<String, String>);

impl Labels {
    pub(crate) fn new(locale: &Locale) -> Labels {
        Labels(
            locale
                .labels()
                .map(|(key, label)| (key.replace('-', "_"), escaped_html(label)))
                .collect(),
        )
    }
}

fn escape(s: &str, out: &mut Vec<u8>) {
    // Writing into a Vec cannot fail.
    let _ = escape_html(s, out);
}

/// A page being written: literal markup as it is, values escaped as Tera's
/// `{{ }}` escapes them.
struct Out<'a> {
    buf: &'a mut Vec<u8>,
    labels: &'a Labels,
    /// Where numbers are formatted.
    digits: String,
}

impl Out<'_> {
    /// Markup, as it is.
    fn s(&mut self, markup: &str) -> &mut Self {
        self.buf.extend_from_slice(markup.as_bytes());
        self
    }
    /// Text, escaped.
    fn e(&mut self, text: &str) -> &mut Self {
        escape(text, self.buf);
        self
    }
    /// Optional text, escaped; nothing for `None` (as Tera prints `none`).
    fn o(&mut self, text: &Option<String>) -> &mut Self {
        if let Some(t) = text {
            escape(t, self.buf);
        }
        self
    }
    /// A whole number.
    fn n(&mut self, n: i64) -> &mut Self {
        self.digits.clear();
        push_int(&mut self.digits, n);
        self.buf.extend_from_slice(self.digits.as_bytes());
        self
    }
    /// An optional whole number; nothing for `None`.
    fn on(&mut self, n: Option<i64>) -> &mut Self {
        if let Some(n) = n {
            self.n(n);
        }
        self
    }
    /// A label (`t.<path>` in the templates); the path itself when missing
    /// (tests render the page in both languages, and compare it with Tera's).
    fn t(&mut self, path: &str) -> &mut Self {
        let label = self.labels.0.get(path).map_or(path, String::as_str);
        self.buf.extend_from_slice(label.as_bytes());
        self
    }
}

/// Tera's truth of an optional string: present and not empty.
fn some(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(|t| !t.is_empty())
}

/// Writes the dossier page: `dossier.html` inside `base.html`.
pub(crate) fn write(
    buf: &mut Vec<u8>,
    labels: &Labels,
    site: &SiteCx,
    d: &DossierCx,
    charts: &Charts,
) {
    let o = &mut Out {
        buf,
        labels,
        digits: String::new(),
    };
    let h = &d.head;
    o.s("<!DOCTYPE html>\n<html lang=\"")
        .e(site.lang)
        .s("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'\">\n<meta name=\"generator\" content=\"")
        .e(&site.generator)
        .s("\">\n<title>")
        .e(&h.name)
        .s(" · ")
        .e(&site.title)
        .s("</title>\n<link rel=\"icon\" href=\"")
        .e(&site.base)
        .s("assets/favicon.svg\" type=\"image/svg+xml\">\n<link rel=\"stylesheet\" href=\"")
        .e(&site.base)
        .s("assets/palette.css\">\n<link rel=\"stylesheet\" href=\"")
        .e(&site.base)
        .s("assets/kaplan.css\">\n<script src=\"")
        .e(&site.base)
        .s("assets/kaplan.js\" defer></script>\n</head>\n<body class=\"page-dossier\">\n<a class=\"skip\" href=\"#main\">")
        .t("site.skip")
        .s("</a>\n");
    if site.include_private {
        o.s("<div class=\"private-banner\" role=\"note\">")
            .t("site.private_banner")
            .s("</div>");
    }
    o.s("\n<header class=\"site-header\">\n  <a class=\"site-title\" href=\"")
        .e(&site.base)
        .s("\">")
        .e(&site.title)
        .s("</a>\n  <nav aria-label=\"")
        .t("site.nav")
        .s("\">\n    <a href=\"")
        .e(&site.base)
        .s("\">")
        .t("site.portfolio")
        .s("</a>\n    <a href=\"")
        .e(&site.base)
        .s("checklist/\">")
        .t("site.checklist")
        .s("</a>\n  </nav>\n</header>\n<main id=\"main\">\n");
    content(o, site, d, charts);
    o.s("\n</main>\n<footer class=\"site-footer\">\n  <p>")
        .t("site.generated")
        .s(" ")
        .e(&site.today)
        .s(" · ")
        .e(&site.generator)
        .s("</p>\n</footer>\n</body>\n</html>\n");
}

/// `{% block content %}` of `dossier.html`.
fn content(o: &mut Out<'_>, site: &SiteCx, d: &DossierCx, charts: &Charts) {
    let h = &d.head;
    o.s("\n\n<nav class=\"breadcrumb\" aria-label=\"breadcrumb\"><a href=\"")
        .e(&site.base)
        .s("\">")
        .t("dossier.back")
        .s("</a></nav>\n<header class=\"dossier-header\">\n  <h1>")
        .e(&h.name)
        .s("</h1>\n  <p class=\"meta\">\n    ");
    if let Some(tier) = h.tier.filter(|t| !t.is_empty()) {
        o.s("<span class=\"tier tier-")
            .e(tier)
            .s("\">")
            .o(&h.tier_label)
            .s("</span>");
    }
    o.s("\n    ");
    if let Some(stage) = h.stage.filter(|s| !s.is_empty()) {
        o.s("<span class=\"stage stage-")
            .e(stage)
            .s("\">")
            .o(&h.stage_label)
            .s("</span>");
    }
    o.s("\n    ");
    if some(&h.industry) {
        o.s("<span>")
            .t("dossier.industry")
            .s(": ")
            .o(&h.industry)
            .s("</span>");
    }
    o.s("\n    ");
    if some(&d.region) {
        o.s("<span>")
            .t("dossier.region")
            .s(": ")
            .o(&d.region)
            .s("</span>");
    }
    o.s("\n    ");
    if !h.owner_name.is_empty() {
        o.s("<span>")
            .t("portfolio.owner")
            .s(": ")
            .e(&h.owner_name)
            .s("</span>");
    }
    o.s("\n    ");
    if some(&d.since) {
        o.s("<span>")
            .t("dossier.since")
            .s(": <span class=\"date\">")
            .o(&d.since)
            .s("</span></span>");
    }
    o.s("\n    ");
    if some(&d.period) {
        o.s("<span>")
            .t("dossier.period")
            .s(": <span class=\"date\">")
            .o(&d.period)
            .s("</span></span>");
    }
    o.s("\n    ");
    if let Some(c) = &h.last_changed {
        o.s("<span><a href=\"#history\">")
            .t("history.last_changed")
            .s("</a>: <span class=\"date\">");
        if c.approx {
            o.t("history.on_or_before").s(" ");
        }
        o.e(&c.date).s("</span>");
        if !c.author.is_empty() {
            o.s(" · ").e(&c.author);
        }
        if c.stale {
            o.s(" <span class=\"tag tag-bad\">")
                .t("history.stale_tag")
                .s("</span>");
        }
        o.s("</span>");
    }
    o.s("\n  </p>\n</header>\n\n");
    glance(o, d);
    o.s("\n\n");
    why(o, d, charts);
    o.s("\n\n");
    who(o, d, charts);
    o.s("\n\n");
    by_whom(o, d);
    o.s("\n\n");
    how(o, d);
    o.s("\n\n");
    when_where(o, d, charts);
    o.s("\n\n");
    cost_return(o, d, charts);
    o.s("\n\n");
    history(o, d, charts);
    o.s("\n\n");
    more(o, d, charts);
    o.s("\n");
}

/// `{% block glance %}`.
fn glance(o: &mut Out<'_>, d: &DossierCx) {
    let h = &d.head;
    let f = &h.figures;
    o.s("\n<section class=\"glance\" aria-labelledby=\"glance-heading\">\n<h2 id=\"glance-heading\" class=\"visually-hidden\">")
        .t("dossier.at_a_glance")
        .s("</h2>\n");
    badges(o, &h.badges);
    o.s("\n<div class=\"key-figures\">\n  <div class=\"figure\"><span class=\"figure-label\">")
        .t("figures.total_cost")
        .s("</span><span class=\"figure-value\">")
        .e(&f.total_cost)
        .s("</span></div>\n  <div class=\"figure\"><span class=\"figure-label\">")
        .t("figures.expected_return")
        .s("</span><span class=\"figure-value\">")
        .e(&f.expected_return)
        .s("</span></div>\n  <div class=\"figure");
    if f.roi_alert.is_some() {
        o.s(" alert");
    }
    o.s("\"><span class=\"figure-label\">")
        .t("figures.roi")
        .s("</span><span class=\"figure-value\">")
        .e(&f.roi)
        .s("</span>");
    if let Some(alert) = &f.roi_alert {
        o.s("<span class=\"figure-note\">").e(alert).s("</span>");
    }
    o.s("</div>\n  <div class=\"figure\"><span class=\"figure-label\">")
        .t("figures.payback")
        .s("</span><span class=\"figure-value\">")
        .e(&f.payback)
        .s("</span></div>\n  ");
    if some(&f.scorecard) {
        o.s("<div class=\"figure\"><span class=\"figure-label\">")
            .t("figures.scorecard")
            .s("</span><span class=\"figure-value\">")
            .o(&f.scorecard);
        if some(&d.computed_tier_label) {
            o.s(" <small>").o(&d.computed_tier_label).s("</small>");
        }
        o.s("</span></div>");
    }
    o.s("\n  <div class=\"figure\"><span class=\"figure-label\">")
        .t("figures.next_milestone")
        .s("</span><span class=\"figure-value figure-text\">");
    match &h.next_milestone {
        Some(m) => {
            o.s("<span class=\"date\">")
                .e(&m.date)
                .s("</span> ")
                .e(&m.title);
        }
        None => {
            o.t("figures.none");
        }
    }
    o.s("</span></div>\n</div>\n<div class=\"glance-grid\">\n  <div class=\"glance-objectives\">\n    <h3>")
        .t("dossier.objectives")
        .s("</h3>\n    ");
    for ob in &d.why.objectives {
        objective_line(o, ob);
    }
    if d.why.objectives.is_empty() {
        o.s("<p class=\"empty\">").t("dossier.empty").s("</p>");
    }
    o.s("\n  </div>\n  <div class=\"glance-asks\">\n    <h3>")
        .t("dossier.asks")
        .s("</h3>\n    ");
    if d.more.asks.is_empty() {
        o.s("<p class=\"empty\">").t("figures.none").s("</p>");
    } else {
        o.s("<ul class=\"asks\">\n    ");
        for a in &d.more.asks {
            o.s("<li");
            if a.late {
                o.s(" class=\"is-late\"");
            }
            o.s("><strong>").o(&a.what).s("</strong>");
            if some(&a.of) {
                o.s(" — ").o(&a.of);
            }
            if some(&a.by) {
                o.s(", ")
                    .t("dossier.ask_by")
                    .s(" <span class=\"date\">")
                    .o(&a.by)
                    .s("</span>");
            }
            o.s("</li>\n    ");
        }
        o.s("</ul>");
    }
    o.s("\n  </div>\n</div>\n");
    if let Some(summary) = d.summary.as_deref().filter(|s| !s.is_empty()) {
        o.s("<div class=\"summary\"><h3>")
            .t("dossier.summary")
            .s("</h3>")
            .s(summary)
            .s("</div>");
    }
    o.s("\n</section>\n");
}

/// One objective in the glance: title, progress and figures.
fn objective_line(o: &mut Out<'_>, ob: &ObjectiveCx) {
    o.s("\n    <div class=\"objective-line\">\n      <span class=\"objective-title\">")
        .o(&ob.title)
        .s("</span>\n      ");
    if let Some(p) = ob.progress {
        o.s("<meter class=\"status-")
            .s(ob.status)
            .s("\" min=\"0\" max=\"100\" value=\"")
            .n(p)
            .s("\" title=\"")
            .n(p)
            .s("%\">")
            .n(p)
            .s("%</meter> ");
    }
    o.s("<span class=\"pct\">");
    match ob.progress {
        Some(p) => o.n(p).s("%"),
        None => o.s("—"),
    };
    o.s("</span> ");
    objective_status(o, ob);
    o.s("\n      <span class=\"objective-numbers\">");
    if some(&ob.baseline) {
        o.t("dossier.baseline").s(" ").o(&ob.baseline).s(" → ");
    }
    o.o(&ob.actual);
    if some(&ob.actual) {
        o.s(" / ");
    }
    o.o(&ob.target);
    if some(&ob.unit) {
        o.s(" ").o(&ob.unit);
    }
    if some(&ob.due) {
        o.s(" · ")
            .t("dossier.due")
            .s(" <span class=\"date\">")
            .o(&ob.due)
            .s("</span>");
    }
    o.s("</span>\n    </div>\n    ");
}

/// An objective's status in words, as a tag coloured by the status.
fn objective_status(o: &mut Out<'_>, ob: &ObjectiveCx) {
    o.s("<span class=\"tag objective-status status-")
        .s(ob.status)
        .s("\">")
        .e(&ob.status_label)
        .s("</span>");
}

/// `partials/badges.html`.
fn badges(o: &mut Out<'_>, badges: &[Badge]) {
    o.s("<ul class=\"badges\" aria-label=\"")
        .t("portfolio.checklist")
        .s("\">\n");
    for b in badges {
        o.s("<li><a class=\"badge badge-")
            .e(b.status)
            .s("\" href=\"")
            .e(&b.href)
            .s("\" title=\"")
            .e(&b.label)
            .s(": ")
            .e(&b.status_label)
            .s("\"><span class=\"badge-mark\" aria-hidden=\"true\">")
            .s(match b.status {
                "pass" => "✓",
                "warn" => "!",
                _ => "✕",
            })
            .s("</span><span class=\"badge-label\">")
            .e(&b.label)
            .s("</span><span class=\"visually-hidden\">: ")
            .e(&b.status_label)
            .s("</span></a></li>\n");
    }
    o.s("</ul>\n");
}

/// The opening of a question's section: its anchor, badge and heading.
fn question(o: &mut Out<'_>, d: &DossierCx, index: usize, anchor: &str, key: &str) {
    let status = d.head.badges.get(index).map_or("", |b| b.status);
    o.s("\n<section class=\"question\" id=\"check-")
        .s(anchor)
        .s("\">\n<h2><span class=\"q-badge badge-")
        .e(status)
        .s("\" aria-hidden=\"true\"></span>")
        .t(&format!("question_long.{key}"))
        .s("</h2>\n");
}

/// The end of a question's section: its narrative pages (if any) and its
/// diagnostics.
fn question_end(o: &mut Out<'_>, d: &DossierCx, key: &str) {
    if let Some(p) = d.pages.get(key).filter(|p| !p.is_empty()) {
        pages(o, p);
    }
    o.s("\n");
    diagnostics(o, d.diagnostics.get(key).map_or(&[], Vec::as_slice));
    o.s("\n</section>\n");
}

/// `partials/pages.html`.
fn pages(o: &mut Out<'_>, pages: &[PageCx]) {
    for p in pages {
        o.s("<article class=\"narrative\" id=\"")
            .e(&p.id)
            .s("\">\n<h3>")
            .e(&p.title)
            .s("</h3>\n")
            .s(&p.html)
            .s("\n</article>\n");
    }
    o.s("\n");
}

/// `partials/diagnostics.html`.
fn diagnostics(o: &mut Out<'_>, items: &[DiagCx]) {
    if items.is_empty() {
        o.s("\n<p class=\"diag-none\">")
            .t("dossier.no_diagnostics")
            .s("</p>\n");
    } else {
        o.s("\n<ul class=\"diagnostics\">\n");
        for d in items {
            o.s("<li class=\"diag diag-")
                .e(d.level)
                .s("\"><span class=\"diag-level\">")
                .e(&d.level_label)
                .s("</span> <code class=\"diag-rule\">")
                .e(d.rule)
                .s("</code> <span class=\"diag-message\">")
                .e(&d.message)
                .s("</span> <span class=\"diag-location\">")
                .e(&d.location)
                .s("</span></li>\n");
        }
        o.s("</ul>\n");
    }
    o.s("\n");
}

/// `{% block why %}`.
fn why(o: &mut Out<'_>, d: &DossierCx, charts: &Charts) {
    question(o, d, 0, "why", "why");
    for ob in &d.why.objectives {
        o.s("\n<article class=\"objective\">\n  <h3>")
            .o(&ob.title)
            .s("</h3>\n  ");
        if some(&ob.why) {
            o.s("<p class=\"rationale\"><strong>")
                .t("dossier.rationale")
                .s(":</strong> ")
                .o(&ob.why)
                .s("</p>");
        }
        o.s("\n  <dl class=\"facts\">\n    ");
        if some(&ob.metric) {
            o.s("<div><dt>")
                .t("dossier.metric")
                .s("</dt><dd>")
                .o(&ob.metric);
            if some(&ob.unit) {
                o.s(" (").o(&ob.unit).s(")");
            }
            o.s("</dd></div>");
        }
        for (key, value) in [
            ("dossier.baseline", &ob.baseline),
            ("dossier.actual", &ob.actual),
            ("dossier.target", &ob.target),
            ("dossier.better", &ob.direction),
        ] {
            o.s("\n    ");
            fact(o, key, value);
        }
        o.s("\n    ");
        if some(&ob.due) {
            o.s("<div><dt>")
                .t("dossier.due")
                .s("</dt><dd class=\"date\">")
                .o(&ob.due)
                .s("</dd></div>");
        }
        o.s("\n    <div><dt>").t("dossier.progress").s("</dt><dd>");
        if let Some(p) = ob.progress {
            o.n(p).s("% · ");
        }
        objective_status(o, ob);
        o.s("</dd></div>\n  </dl>\n</article>\n");
    }
    o.s("\n<figure class=\"chart-figure\">")
        .s(&charts.objectives)
        .s("</figure>\n");
    question_end(o, d, "why");
}

/// `{% block who %}`.
fn who(o: &mut Out<'_>, d: &DossierCx, charts: &Charts) {
    question(o, d, 1, "who", "who");
    if let Some(dec) = &d.who.decision {
        o.s("<p class=\"decision\"><strong>")
            .t("dossier.decision")
            .s(":</strong> ")
            .o(&dec.type_label);
        if some(&dec.notes) {
            o.s(" — ").o(&dec.notes);
        }
        o.s("</p>");
    }
    o.s("\n<div class=\"chart-grid\">\n<figure class=\"chart-figure\">")
        .s(&charts.stakeholder_map)
        .s("</figure>\n<figure class=\"chart-figure\">")
        .s(&charts.relationship_map)
        .s("</figure>\n</div>\n<div class=\"table-wrap\">\n<table class=\"stakeholders\">\n<thead><tr>");
    header(o, "", &["dossier.name", "dossier.role"]);
    header(o, " class=\"num\"", &["dossier.influence"]);
    header(
        o,
        "",
        &[
            "dossier.attitude",
            "dossier.style",
            "dossier.reports_to",
            "dossier.last_contact",
            "dossier.needs",
        ],
    );
    o.s("</tr></thead>\n<tbody>\n");
    for s in &d.who.stakeholders {
        stakeholder(o, s);
    }
    o.s("</tbody>\n</table>\n</div>\n");
    question_end(o, d, "who");
}

/// `{% if value %}<div><dt>{{ label }}</dt><dd>{{ value }}</dd></div>{% endif %}`:
/// one fact of a `<dl class="facts">`.
fn fact(o: &mut Out<'_>, label: &str, value: &Option<String>) {
    if some(value) {
        o.s("<div><dt>")
            .t(label)
            .s("</dt><dd>")
            .o(value)
            .s("</dd></div>");
    }
}

/// Column headings of a table: the labels at `keys`, with the same attributes.
fn header(o: &mut Out<'_>, attributes: &str, keys: &[&str]) {
    for key in keys {
        o.s("<th scope=\"col\"")
            .s(attributes)
            .s(">")
            .t(key)
            .s("</th>");
    }
}

/// One row of the stakeholder table.
fn stakeholder(o: &mut Out<'_>, s: &StakeholderCx) {
    o.s("<tr class=\"");
    if let Some(role) = s.role.filter(|r| !r.is_empty()) {
        o.s("role-").e(role);
    }
    o.s("\">\n<th scope=\"row\">")
        .o(&s.name)
        .s("<span class=\"sub\">")
        .o(&s.title);
    if some(&s.department) {
        o.s(" · ").o(&s.department);
    }
    o.s("</span></th>\n<td>")
        .o(&s.role_label)
        .s("</td>\n<td class=\"num\">");
    if let Some(i) = s.influence.filter(|i| *i != 0) {
        o.s("<span class=\"dots\" title=\"")
            .n(i)
            .s("/5\">")
            .n(i)
            .s("/5</span>");
    }
    o.s("</td>\n<td>");
    match s.attitude.filter(|a| !a.is_empty()) {
        Some(a) => {
            o.s("<span class=\"attitude attitude-")
                .e(a)
                .s("\">")
                .o(&s.attitude_label)
                .s("</span>");
        }
        None => {
            o.s("?");
        }
    }
    o.s("</td>\n<td>")
        .o(&s.style_label)
        .s("</td>\n<td>")
        .o(&s.reports_to)
        .s("</td>\n<td>");
    if some(&s.last_contact) {
        o.s("<span class=\"date\">")
            .o(&s.last_contact)
            .s("</span> <span class=\"sub\">")
            .on(s.days_since)
            .s(" ")
            .t("dossier.days_ago")
            .s("</span>");
    } else {
        o.t("dossier.never");
    }
    o.s("</td>\n<td>");
    if !s.needs.is_empty() {
        o.s("<ul class=\"needs\">");
        for n in &s.needs {
            o.s("<li>").o(&n.need).s(" <span class=\"tag");
            if !n.explicit {
                o.s(" tag-implied");
            }
            o.s("\">").t(if n.explicit {
                "dossier.explicit"
            } else {
                "dossier.implied"
            });
            if some(&n.kind_label) {
                o.s(" · ").o(&n.kind_label);
            }
            o.s("</span></li>");
        }
        o.s("</ul>");
    }
    o.s("\n");
    if let Some(private) = s.private.as_ref().filter(|p| !p.is_empty()) {
        o.s("<div class=\"private\"><strong>")
            .t("dossier.private")
            .s("</strong><ul>");
        for p in private {
            o.s("<li>").e(&p.key).s(": ").e(&p.value).s("</li>");
        }
        o.s("</ul></div>");
    }
    o.s("</td>\n</tr>\n");
}

/// `{% block by_whom %}`.
fn by_whom(o: &mut Out<'_>, d: &DossierCx) {
    question(o, d, 2, "by-whom", "by_whom");
    o.s("<div class=\"table-wrap\">\n<table class=\"team\">\n<thead><tr>");
    header(
        o,
        "",
        &[
            "dossier.name",
            "dossier.role",
            "dossier.responsibilities",
            "dossier.authority",
        ],
    );
    header(o, " class=\"num\"", &["dossier.actions_owned"]);
    o.s("</tr></thead>\n<tbody>\n");
    for m in &d.by_whom.team {
        o.s("<tr><th scope=\"row\">")
            .o(&m.name)
            .s("</th><td>")
            .o(&m.role_label)
            .s("</td><td>");
        list(o, "<ul>", &m.responsibilities);
        o.s("</td><td>")
            .o(&m.authority)
            .s("</td><td class=\"num\">")
            .n(i64::try_from(m.actions).unwrap_or(i64::MAX))
            .s("</td></tr>\n");
    }
    o.s("</tbody>\n</table>\n</div>\n");
    question_end(o, d, "by_whom");
}

/// `{% if items %}<ul>{% for i in items %}<li>{{ i }}</li>{% endfor %}</ul>{% endif %}`,
/// with the list's opening tag given.
fn list(o: &mut Out<'_>, open: &str, items: &[String]) {
    if !items.is_empty() {
        o.s(open);
        for i in items {
            o.s("<li>").e(i).s("</li>");
        }
        o.s("</ul>");
    }
}

/// Items joined with ` · ` (the `join` filter), escaped.
fn joined(o: &mut Out<'_>, items: &[String]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            o.s(" · ");
        }
        o.e(item);
    }
}

/// `{% block how %}`.
fn how(o: &mut Out<'_>, d: &DossierCx) {
    question(o, d, 3, "how", "how");
    for s in &d.how.strategies {
        o.s("\n<article class=\"strategy\">\n<h3>")
            .o(&s.title)
            .s("</h3>\n");
        if !s.objectives.is_empty() {
            o.s("<p><strong>").t("dossier.serves").s(":</strong> ");
            joined(o, &s.objectives);
            o.s("</p>");
        }
        o.s("\n");
        if !s.resources.is_empty() {
            o.s("<p><strong>")
                .t("dossier.resources")
                .s(":</strong></p>");
            list(o, "<ul class=\"resources\">", &s.resources);
        }
        o.s("\n");
        if !s.actions.is_empty() {
            actions(o, &s.actions);
        }
        o.s("\n</article>\n");
    }
    o.s("\n");
    if !d.how.other_actions.is_empty() {
        o.s("\n<article class=\"strategy\"><h3>")
            .t("dossier.other_actions")
            .s("</h3>");
        actions(o, &d.how.other_actions);
        o.s("</article>\n");
    }
    o.s("\n");
    question_end(o, d, "how");
}

/// `partials/actions.html`.
fn actions(o: &mut Out<'_>, actions: &[ActionCx]) {
    o.s("<div class=\"table-wrap\">\n<table class=\"actions\">\n<thead><tr>");
    header(
        o,
        "",
        &[
            "dossier.action",
            "dossier.owner",
            "dossier.targets",
            "dossier.start",
            "dossier.due",
            "dossier.where",
            "dossier.status",
        ],
    );
    header(o, " class=\"num\"", &["dossier.cost"]);
    o.s("</tr></thead>\n<tbody>\n");
    for a in actions {
        o.s("<tr class=\"status-").e(a.status);
        if a.overdue {
            o.s(" is-overdue");
        }
        o.s("\">\n<td>")
            .o(&a.title)
            .s("</td><td>")
            .o(&a.owner)
            .s("</td><td>")
            .e(&a.stakeholders_joined)
            .s("</td><td class=\"date\">")
            .o(&a.start)
            .s("</td>\n<td class=\"date\">")
            .o(&a.due);
        if a.overdue {
            o.s(" <strong class=\"flag-overdue\">")
                .t("dossier.overdue")
                .s("</strong>");
        }
        o.s("</td>\n<td>")
            .o(&a.r#where)
            .s("</td><td><span class=\"status status-")
            .e(a.status)
            .s("\">")
            .o(&a.status_label)
            .s("</span></td><td class=\"num\">")
            .o(&a.cost)
            .s("</td></tr>\n");
    }
    o.s("</tbody>\n</table>\n</div>\n");
}

/// `{% block when_where %}`.
fn when_where(o: &mut Out<'_>, d: &DossierCx, charts: &Charts) {
    let ww = &d.when_where;
    question(o, d, 4, "when-where", "when_where");
    o.s("<figure class=\"chart-figure chart-wide\">")
        .s(&charts.timeline)
        .s("</figure>\n<h3>")
        .t("dossier.milestones")
        .s("</h3>\n");
    if ww.milestones.is_empty() {
        o.s("<p class=\"empty\">").t("dossier.empty").s("</p>");
    } else {
        o.s("\n<div class=\"table-wrap\">\n<table class=\"milestones\">\n<thead><tr>");
        header(
            o,
            "",
            &[
                "dossier.date",
                "dossier.milestones",
                "dossier.where",
                "dossier.serves",
            ],
        );
        o.s("</tr></thead>\n<tbody>\n");
        for m in &ww.milestones {
            o.s("<tr");
            if m.done || m.past {
                o.s(" class=\"is-past\"");
            }
            o.s("><td class=\"date\">")
                .o(&m.date)
                .s("</td><td>◆ ")
                .o(&m.title);
            if m.done {
                o.s(" <span class=\"tag\">").t("dossier.done").s("</span>");
            }
            o.s("</td><td>").o(&m.r#where).s("</td><td>");
            joined(o, &m.objectives);
            o.s("</td></tr>\n");
        }
        o.s("</tbody>\n</table>\n</div>\n");
    }
    o.s("\n<h3>").t("dossier.actions").s("</h3>\n");
    actions(o, &ww.actions);
    o.s("\n");
    question_end(o, d, "when_where");
}

/// `{% block cost_return %}`.
fn cost_return(o: &mut Out<'_>, d: &DossierCx, charts: &Charts) {
    let cr = &d.cost_return;
    let f = &d.head.figures;
    question(o, d, 5, "cost-return", "cost_return");
    o.s("<figure class=\"chart-figure chart-wide\">")
        .s(&charts.cost_return)
        .s("</figure>\n<div class=\"two-col\">\n<div>\n<h3>")
        .t("dossier.costs")
        .s("</h3>\n<div class=\"table-wrap\">\n<table class=\"costs\">\n<thead><tr>");
    header(o, "", &["dossier.item", "dossier.category", "dossier.date"]);
    header(o, " class=\"num\"", &["dossier.amount"]);
    o.s("</tr></thead>\n<tbody>\n");
    for c in &cr.costs {
        o.s("<tr><td>")
            .o(&c.item)
            .s("</td><td>")
            .o(&c.category_label)
            .s("</td><td class=\"date\">")
            .o(&c.period)
            .s("</td><td class=\"num\">")
            .o(&c.amount)
            .s("</td></tr>\n");
    }
    o.s("</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"3\">")
        .t("figures.total_cost")
        .s("</th><td class=\"num\">")
        .e(&f.total_cost)
        .s("</td></tr></tfoot>\n</table>\n</div>\n");
    if !cr.by_category.is_empty() {
        o.s("\n<h4>")
            .t("dossier.by_category")
            .s("</h4>\n<ul class=\"shares\">");
        for c in &cr.by_category {
            // Tera prints floats as Rust's `{:?}` does (`45.0`).
            let share = format!("{:?}", c.share);
            o.s("<li><span>")
                .e(&c.label)
                .s("</span> <meter min=\"0\" max=\"100\" value=\"")
                .s(&share)
                .s("\">")
                .e(&c.share_label)
                .s("</meter> <span class=\"num\">")
                .e(&c.amount)
                .s(" · ")
                .e(&c.share_label)
                .s("</span></li>");
        }
        o.s("</ul>\n");
    }
    o.s("\n</div>\n<div>\n<h3>")
        .t("dossier.returns")
        .s("</h3>\n<div class=\"table-wrap\">\n<table class=\"returns\">\n<thead><tr>");
    header(o, "", &["dossier.item", "dossier.date"]);
    header(
        o,
        " class=\"num\"",
        &["dossier.amount", "dossier.probability", "dossier.expected"],
    );
    o.s("</tr></thead>\n<tbody>\n");
    for r in &cr.returns {
        o.s("<tr><td>").o(&r.item);
        if some(&r.objective) {
            o.s("<span class=\"sub\">").o(&r.objective).s("</span>");
        }
        o.s("</td><td class=\"date\">")
            .o(&r.period)
            .s("</td><td class=\"num\">")
            .e(&r.amount)
            .s("</td><td class=\"num\">")
            .e(&r.probability)
            .s("</td><td class=\"num\">")
            .e(&r.expected)
            .s("</td></tr>\n");
    }
    o.s("</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"4\">")
        .t("figures.expected_return")
        .s("</th><td class=\"num\">")
        .e(&f.expected_return)
        .s("</td></tr></tfoot>\n</table>\n</div>\n</div>\n</div>\n<h3>")
        .t("dossier.review")
        .s("</h3>\n");
    match cr.review.as_ref().filter(|r| some(&r.last_reviewed)) {
        Some(r) => {
            o.s("\n<p class=\"review\">")
                .t("dossier.last_reviewed")
                .s(": <span class=\"date\">")
                .o(&r.last_reviewed)
                .s("</span> (")
                .on(r.days_ago)
                .s(" ")
                .t("dossier.days_ago")
                .s(")");
            if some(&r.by) {
                o.s(" · ").t("dossier.reviewed_by").s(" ").o(&r.by);
            }
            o.s("</p>\n");
            if some(&r.notes) {
                o.s("<p>").o(&r.notes).s("</p>");
            }
            o.s("\n");
        }
        None => {
            o.s("<p class=\"empty\">")
                .t("dossier.never_reviewed")
                .s("</p>");
        }
    }
    o.s("\n");
    question_end(o, d, "cost_return");
}

/// `{% block history %}`.
fn history(o: &mut Out<'_>, d: &DossierCx, charts: &Charts) {
    let hist = &d.history;
    o.s("\n\n<section class=\"more history\" id=\"history\">\n<h2>")
        .t("history.title")
        .s("</h2>\n");
    if let Some(c) = &hist.last_changed {
        o.s("<p class=\"last-changed\">")
            .t("history.last_changed")
            .s(": <span class=\"date\">");
        if c.approx {
            o.t("history.on_or_before").s(" ");
        }
        o.e(&c.date).s("</span>");
        if c.days >= 0 {
            o.s(" (").n(c.days).s(" ").t("dossier.days_ago").s(")");
        }
        if !c.author.is_empty() {
            o.s(" · ").t("history.by").s(" ").e(&c.author);
        }
        o.s(" · <code>").e(&c.commit).s("</code> ").e(&c.subject);
        if c.stale {
            o.s(" <span class=\"tag tag-bad\">")
                .t("history.stale_tag")
                .s("</span>");
        }
        o.s("</p>");
    }
    o.s("\n");
    for n in &hist.notes {
        o.s("<p class=\"history-note\">").e(n).s("</p>\n");
    }
    o.s("\n");
    match &hist.changes {
        Some(c) => {
            o.s("\n<h3>").e(&c.heading).s("</h3>\n");
            if some(&c.base) {
                o.s("<p class=\"sub\">").o(&c.base).s("</p>");
            }
            o.s("\n");
            if !c.items.is_empty() {
                o.s("<ul class=\"changes\">");
                for item in &c.items {
                    o.s("<li>").s(item).s("</li>\n");
                }
                o.s("</ul>");
            } else if c.compared {
                o.s("<p class=\"empty\">").e(&c.empty).s("</p>");
            }
            o.s("\n");
        }
        None => {
            if some(&hist.changes_note) {
                o.s("<p class=\"history-note\">")
                    .o(&hist.changes_note)
                    .s("</p>");
            }
        }
    }
    o.s("\n<h3>")
        .t("history.trend")
        .s("</h3>\n<figure class=\"chart-figure chart-wide\">")
        .s(&charts.trend)
        .s("</figure>\n</section>\n");
}

/// `{% block more %}`: scorecard, KPIs, risks, competitors, visits, other
/// pages and the plan's own diagnostics.
fn more(o: &mut Out<'_>, d: &DossierCx, charts: &Charts) {
    let m = &d.more;
    o.s("\n<section class=\"more\" id=\"scorecard\">\n<h2>")
        .t("dossier.scorecard")
        .s("</h2>\n<figure class=\"chart-figure chart-wide\">")
        .s(&charts.scorecard)
        .s("</figure>\n");
    if let Some(r) = m.relative_strength {
        o.s("<p>")
            .t("dossier.relative_strength")
            .s(": <strong>")
            .n(r)
            .s("</strong>/10</p>");
    }
    o.s("\n</section>\n\n<section class=\"more\" id=\"kpis\">\n<h2>")
        .t("dossier.kpis")
        .s("</h2>\n<figure class=\"chart-figure chart-wide\">")
        .s(&charts.kpis)
        .s("</figure>\n");
    if !m.kpis.is_empty() {
        o.s("\n<div class=\"table-wrap\">\n<table class=\"kpis\">\n<thead><tr>");
        header(o, "", &["dossier.kpi"]);
        header(o, " class=\"num\"", &["dossier.target", "dossier.actual"]);
        header(o, "", &["dossier.date", "dossier.better"]);
        o.s("<th scope=\"col\"></th></tr></thead>\n<tbody>\n");
        for k in &m.kpis {
            o.s("<tr><td>").o(&k.name);
            if some(&k.unit) {
                o.s(" (").o(&k.unit).s(")");
            }
            o.s("</td><td class=\"num\">")
                .o(&k.target)
                .s("</td><td class=\"num\">")
                .o(&k.actual)
                .s("</td><td class=\"date\">")
                .o(&k.period)
                .s("</td><td>")
                .o(&k.better_label)
                .s("</td><td>");
            if let Some(status) = k.status {
                o.s("<span class=\"tag kpi-")
                    .s(status)
                    .s("\">")
                    .e(k.status_sign.unwrap_or_default())
                    .s(" ")
                    .o(&k.status_label)
                    .s("</span>");
            }
            o.s("</td></tr>\n");
        }
        o.s("</tbody>\n</table>\n</div>\n");
    }
    o.s("\n</section>\n\n<section class=\"more\" id=\"risks\">\n<h2>")
        .t("dossier.risks")
        .s("</h2>\n");
    if m.risks.is_empty() {
        o.s("<p class=\"empty\">").t("dossier.empty").s("</p>");
    } else {
        o.s("\n<div class=\"table-wrap\">\n<table class=\"risks\">\n<thead><tr>");
        header(o, "", &["dossier.risk"]);
        header(
            o,
            " class=\"num\"",
            &["dossier.likelihood", "dossier.impact", "dossier.severity"],
        );
        header(o, "", &["dossier.mitigation", "dossier.owner"]);
        o.s("</tr></thead>\n<tbody>\n");
        for r in &m.risks {
            o.s("<tr><td>")
                .o(&r.title)
                .s("</td><td class=\"num\">")
                .on(r.likelihood)
                .s("</td><td class=\"num\">")
                .on(r.impact)
                .s("</td><td class=\"num\">");
            if let Some(sev) = r.severity.filter(|s| *s != 0) {
                o.s("<span class=\"severity severity-");
                if let Some(class) = r.severity_class {
                    o.e(class);
                }
                o.s("\">").n(sev).s("</span>");
            }
            o.s("</td><td>")
                .o(&r.mitigation)
                .s("</td><td>")
                .o(&r.owner)
                .s("</td></tr>\n");
        }
        o.s("</tbody>\n</table>\n</div>\n");
    }
    o.s("\n</section>\n\n");
    if !m.competitors.is_empty() {
        o.s("\n<section class=\"more\" id=\"competitors\">\n<h2>")
            .t("dossier.competitors")
            .s("</h2>\n<ul class=\"competitors\">");
        for c in &m.competitors {
            o.s("<li><strong>").o(&c.name).s("</strong>");
            if some(&c.position) {
                o.s(" — ").o(&c.position);
            }
            o.s("</li>");
        }
        o.s("</ul>\n</section>\n");
    }
    o.s("\n\n<section class=\"more\" id=\"visits\">\n<h2>")
        .t("dossier.visits")
        .s("</h2>\n");
    for v in &d.visits {
        o.s("\n<article class=\"visit\" id=\"")
            .e(&v.id)
            .s("\">\n<h3><span class=\"date\">")
            .o(&v.date)
            .s("</span> ");
        if some(&v.kind_label) {
            o.s("<span class=\"tag\">").o(&v.kind_label).s("</span> ");
        }
        o.o(&v.purpose).s("</h3>\n<dl class=\"facts\">\n");
        fact(o, "dossier.where", &v.r#where);
        o.s("\n");
        if !v.attendees.is_empty() {
            o.s("<div><dt>")
                .t("dossier.attendees")
                .s("</dt><dd>")
                .e(&v.attendees_joined)
                .s("</dd></div>");
        }
        o.s("\n");
        fact(o, "dossier.outcome", &v.outcome);
        o.s("\n</dl>\n");
        if !v.next_steps.is_empty() {
            o.s("<p><strong>")
                .t("dossier.next_steps")
                .s("</strong></p>");
            list(o, "<ul>", &v.next_steps);
        }
        o.s("\n");
        if !v.html.is_empty() {
            o.s("<div class=\"visit-notes\"><h4 class=\"visually-hidden\">")
                .t("dossier.notes")
                .s("</h4>")
                .s(&v.html)
                .s("</div>");
        }
        o.s("\n</article>\n");
    }
    if d.visits.is_empty() {
        o.s("<p class=\"empty\">").t("dossier.empty").s("</p>");
    }
    o.s("\n</section>\n\n");
    if let Some(p) = d.pages.get("other").filter(|p| !p.is_empty()) {
        o.s("\n<section class=\"more\" id=\"pages\">\n<h2>")
            .t("dossier.pages")
            .s("</h2>\n");
        pages(o, p);
        o.s("\n</section>\n");
    }
    o.s("\n\n");
    if let Some(items) = d.diagnostics.get("plan").filter(|i| !i.is_empty()) {
        o.s("\n<section class=\"more\" id=\"check-plan\">\n<h2>")
            .t("question_long.plan")
            .s("</h2>\n");
        diagnostics(o, items);
        o.s("\n</section>\n");
    }
    o.s("\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl Fn(&mut Out<'_>)) -> String {
        let labels = Labels::new(&Locale::new(crate::config::Language::En));
        let mut buf = Vec::new();
        f(&mut Out {
            buf: &mut buf,
            labels: &labels,
            digits: String::new(),
        });
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn whole_numbers_are_written_as_tera_writes_them() {
        for n in [0, 7, -7, 10, 1_000_000, i64::MAX, i64::MIN] {
            assert_eq!(
                written(|o| {
                    o.n(n);
                }),
                n.to_string()
            );
        }
        assert_eq!(
            written(|o| {
                o.on(None);
            }),
            ""
        );
    }

    #[test]
    fn labels_are_found_by_their_template_path() {
        assert_eq!(
            written(|o| {
                o.t("dossier.back");
            }),
            "All accounts"
        );
        // `question_long.by-whom` in the table, `by_whom` in templates.
        assert_eq!(
            written(|o| {
                o.t("question_long.by_whom");
            }),
            "By whom — our team, roles and authority"
        );
    }

    #[test]
    fn text_is_escaped_as_teras_default_escapes_it() {
        assert_eq!(
            written(|o| {
                o.e("<a href='x'>&\"</a>");
            }),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(
            written(|o| {
                o.o(&Some("a<b".into())).o(&None);
            }),
            "a&lt;b"
        );
    }
}
