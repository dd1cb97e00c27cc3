//! Charts: plan data in, SVG out; no I/O.
//!
//! Every chart is a pure function returning an HTML fragment that can be
//! inlined as it is: either an `<svg class="chart chart-NAME">` with a visible
//! title, `<title>`, `<desc>`, `role="img"` and an `aria-label`; or, when the
//! plan has nothing to show, `<p class="chart-empty">` with one sentence
//! saying what to add to `plan.yaml`.
//!
//! A chart is drawn for its place on the page and shown at that size, its
//! `width` and `height` (the theme never scales it, so its text keeps its
//! 11–15 px): 720 px for a row of its own (cost–return, timeline, objectives,
//! scorecard, KPIs, trend), 540 px for a cell of the theme's two-column
//! `.chart-grid` (stakeholder map, relationship map, portfolio matrix,
//! stages), 358 px to fit a phone (the checklist heat map; the coverage
//! grid, up to four holders, beside its 540 px drawing from four). A chart wider
//! than its column scrolls inside its frame. Pass, warn and fail, met, near
//! and off share one colour and sign each ([`palette::Verdict`]), and every
//! chart explains its colours, shapes and sizes in a legend or on its axes.
//!
//! Text stays `<text>`, so Chinese labels render in the reader's font; no
//! font is needed at build time. Text widths are estimated per character
//! (CJK twice as wide as Latin); long labels are cut with an ellipsis and
//! keep the full text in a tooltip (the relationship map and stakeholder
//! map wrap names and titles onto a second line instead). The output is
//! deterministic: no hash order, no random ids, coordinates with one
//! decimal at most.
//!
//! The cartesian charts (cost–return, objectives, KPIs, scorecard, trend,
//! portfolio matrix) draw their data with plotters elements on their
//! coordinates (`plot`), through the charts' own plotters backend, which
//! writes whole-pixel coordinates; the others lay out their marks with the
//! small SVG writer (`svg`), which also draws every chart's frame.
//!
//! The colours come from [`palette`], which `themes/default/static/palette.css`
//! repeats as CSS custom properties. Colour never carries meaning alone.
//!
//! Dossier charts: [`cost_return()`], [`stakeholder_map()`], [`coverage()`], [`relationship_map()`],
//! [`timeline()`], [`objectives()`], [`scorecard()`], [`kpis()`] (all of them:
//! [`dossier()`]), and [`trend()`] from the plan's git history. Portfolio charts: [`portfolio_matrix()`],
//! [`checklist_heatmap()`], [`stages()`], fed with [`PortfolioEntry`]s.

/// A label from the `[chart]` locale table: `t!(locale, "cost_return.title")`.
/// (A missing key shows as itself; the tests catch it.)
macro_rules! t {
    ($locale:expr, $key:literal) => {
        $locale.text(concat!("chart.", $key))
    };
}

/// Style attributes with palette colours, put together at compile time:
/// `attrs!(r#"font-size="11" fill="{}""#, MUTED)` is a `&'static str` with
/// each `{}` replaced by the next colour's `#rrggbb` (a count that does not
/// match is a compile error).
macro_rules! attrs {
    ($template:literal $(, $colour:expr)* $(,)?) => {{
        const COLOURS: &[$crate::charts::palette::Colour] = &[$($colour),*];
        const LEN: usize = $crate::charts::palette::filled_len($template, COLOURS);
        const BYTES: [u8; LEN] = $crate::charts::palette::fill($template, COLOURS);
        const ATTRS: &str = match ::std::str::from_utf8(&BYTES) {
            Ok(attrs) => attrs,
            Err(_) => panic!("attrs! writes UTF-8"),
        };
        ATTRS
    }};
}

mod backend;
mod checklist_heatmap;
mod cost_return;
mod coverage;
mod department;
mod kpis;
mod objectives;
pub(crate) mod palette;
mod plot;
mod portfolio_matrix;
mod relationship_map;
mod scorecard;
mod stages;
mod stakeholder_map;
mod svg;
mod timeline;
mod trend;

pub(crate) use checklist_heatmap::checklist_heatmap;
pub use cost_return::cost_return;
pub use coverage::coverage;
pub(crate) use coverage::coverage_note;
pub(crate) use department::expected_return_bars;
pub use kpis::kpis;
pub use objectives::objectives;
pub(crate) use objectives::status_label as objective_status_label;
pub(crate) use portfolio_matrix::portfolio_matrix;
pub use relationship_map::relationship_map;
pub use scorecard::scorecard;
pub(crate) use stages::stages;
pub use stakeholder_map::stakeholder_map;
pub use timeline::timeline;
pub(crate) use trend::trend;

use std::borrow::Cow;

use crate::config::Thresholds;
use crate::figures::{Checklist, Figures};
use crate::i18n::Locale;
use crate::model::{Attitude, Date, Named, Plan, Stage, Tier, Visit};

/// What a chart calls a thing: its `name` (or title), else its id; none
/// when it has neither (a plan with errors).
fn name_or_id<'a>(
    name: Option<&'a crate::model::Sp<String>>,
    id: Option<&'a crate::model::Sp<crate::model::Id>>,
) -> Option<&'a str> {
    name.map(|n| n.value.trim())
        .filter(|n| !n.is_empty())
        .or_else(|| id.map(|i| i.as_str()))
}

/// Every dossier chart of one plan, in dossier order, keyed by name:
/// `cost_return`, `stakeholder_map`, `coverage`, `relationship_map`, `timeline`,
/// `objectives`, `scorecard`, `kpis`.
pub fn dossier(
    plan: &Plan,
    figures: &Figures,
    visits: &[Visit],
    today: Date,
    currency: &str,
    thresholds: &Thresholds,
    locale: &Locale,
) -> Vec<(&'static str, String)> {
    vec![
        (
            "cost_return",
            cost_return(plan, figures, currency, thresholds.min_roi, locale),
        ),
        ("stakeholder_map", stakeholder_map(plan, locale)),
        ("coverage", coverage(plan, thresholds.key_influence, locale)),
        (
            "relationship_map",
            relationship_map(plan, visits, today, thresholds.contact_days, locale),
        ),
        ("timeline", timeline(plan, today, locale)),
        ("objectives", objectives(plan, figures, currency, locale)),
        ("scorecard", scorecard(plan, figures, thresholds, locale)),
        ("kpis", kpis(plan, currency, locale)),
    ]
}

/// The widths a chart with a row of its own is drawn at: [`Fit::ROW`] fits
/// every screen it does not scroll on and an A4 page; [`Fit::BROAD`] fills
/// the row of a desktop page (1,100 px), its labels given room to show
/// whole. The objectives and KPIs are drawn at both; the timeline and the
/// scorecard, which the theme sets beside their explanation, at `ROW`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fit {
    /// The chart's width.
    pub(crate) width: f64,
    /// How much wider than at [`Fit::ROW`] its label column is.
    pub(crate) label_extra: f64,
    /// Classes added to the chart's own.
    class: &'static str,
    /// Appended to the ids the chart defines, so both drawings can share a page.
    pub(crate) id: &'static str,
}

impl Fit {
    /// The width of a row on any screen, and in print.
    pub(crate) const ROW: Fit = Fit {
        width: 720.0,
        label_extra: 0.0,
        class: "",
        id: "",
    };
    /// The width of a row on a wide screen.
    pub(crate) const BROAD: Fit = Fit {
        width: 1100.0,
        label_extra: 160.0,
        class: " chart-broad",
        id: "-broad",
    };

    /// The chart's class names: `name` and this fit's.
    pub(crate) fn name(self, name: &str) -> String {
        [name, self.class].concat()
    }

    /// Both drawings, the broad one first: the theme shows it where the
    /// page is wide enough and the other everywhere else, print included.
    /// (A chart with nothing to show draws one placeholder.)
    pub(crate) fn both(draw: impl Fn(Fit) -> String) -> String {
        let mut out = draw(Fit::BROAD);
        if out.starts_with("<svg") {
            out.push_str(&draw(Fit::ROW));
        }
        out
    }
}

/// The localized name of an enum value, `chart.<group>.<name>` (the key
/// itself when missing; the tests catch it).
fn named<'a, T: Named>(locale: &'a Locale, group: &str, value: T) -> Cow<'a, str> {
    let name = value.as_str();
    let mut key = String::with_capacity("chart..".len() + group.len() + name.len());
    key.push_str("chart.");
    key.push_str(group);
    key.push('.');
    key.push_str(name);
    match locale.get(&key) {
        Some(label) => Cow::Borrowed(label),
        None => Cow::Owned(key),
    }
}

/// [`named`] for every value of `T`, in declaration order: a chart looks
/// its names up once and reads `names[value as usize]` for each mark.
fn all_named<'a, T: Named>(locale: &'a Locale, group: &str) -> Vec<Cow<'a, str>> {
    let mut key = String::with_capacity(48);
    key.push_str("chart.");
    key.push_str(group);
    key.push('.');
    let prefix = key.len();
    T::NAMES
        .iter()
        .map(|name| {
            key.truncate(prefix);
            key.push_str(name);
            match locale.get(&key) {
                Some(label) => Cow::Borrowed(label),
                None => Cow::Owned(key.clone()),
            }
        })
        .collect()
}

/// Money ticks from zero to at least `max`, labelled in the locale's format.
fn money_axis(max: f64) -> ((f64, f64), Vec<f64>) {
    plot::nice(0.0, if max > 0.0 { max } else { 1.0 }, 5)
}

#[cfg(test)]
mod preview;
#[cfg(test)]
mod tests;

/// Attitudes from the worst to the best, the order of every attitude scale.
/// The relationship stages in the order the portfolio charts show them,
/// then accounts without a stage.
const STAGE_ORDER: [Option<Stage>; 7] = [
    Some(Stage::Exploratory),
    Some(Stage::Basic),
    Some(Stage::Cooperative),
    Some(Stage::Interdependent),
    Some(Stage::Integrated),
    Some(Stage::Disintegrating),
    None,
];

const ATTITUDES: [Attitude; 5] = [
    Attitude::Opponent,
    Attitude::Skeptic,
    Attitude::Neutral,
    Attitude::Supporter,
    Attitude::Champion,
];

/// The colour of an attitude (`None`: not recorded).
fn attitude_colour(a: Option<Attitude>) -> palette::Colour {
    match a {
        Some(Attitude::Opponent) => palette::OPPONENT,
        Some(Attitude::Skeptic) => palette::SKEPTIC,
        Some(Attitude::Neutral) => palette::NEUTRAL,
        Some(Attitude::Supporter) => palette::SUPPORTER,
        Some(Attitude::Champion) => palette::CHAMPION,
        None => palette::UNKNOWN,
    }
}

/// A sign for an attitude, so the scale reads without colour.
fn attitude_sign(a: Option<Attitude>) -> &'static str {
    match a {
        Some(Attitude::Opponent) => "−−",
        Some(Attitude::Skeptic) => "−",
        Some(Attitude::Neutral) => "○",
        Some(Attitude::Supporter) => "+",
        Some(Attitude::Champion) => "++",
        None => "?",
    }
}

/// Text that reads on a fill of colour `c`: white on dark fills, ink on light ones.
fn ink_on(c: palette::Colour) -> palette::Colour {
    let (r, g, b) = c.rgb();
    let lum = 0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b);
    if lum < 140.0 {
        palette::PAPER
    } else {
        palette::INK
    }
}

/// One account as the portfolio charts see it.
#[derive(Debug, Clone)]
pub(crate) struct PortfolioEntry {
    /// The account's name.
    pub(crate) name: String,
    /// The link to its dossier, `base_url` included.
    pub(crate) href: String,
    /// Our position against competitors, 0..10.
    pub(crate) relative_strength: Option<f64>,
    /// Scorecard total, 0..100.
    pub(crate) scorecard: Option<f64>,
    /// Σ returns × probability.
    pub(crate) expected_return: f64,
    /// The account's tier (declared, or earned by its scorecard).
    pub(crate) tier: Option<Tier>,
    /// Relationship stage.
    pub(crate) stage: Option<Stage>,
    /// The six checklist statuses.
    pub(crate) checklist: Checklist,
}
