//! The one palette of the charts, shared with the theme's CSS.
//!
//! Every colour is declared once here; `themes/default/static/palette.css`
//! repeats them as `--k-<name>` custom properties so the site's badges and
//! legends match the charts. A unit test keeps the two in step.
//!
//! The colours are chosen to differ in lightness where it matters, but no
//! chart relies on colour alone: shapes, patterns and words carry the same
//! meaning, so the charts read in greyscale print.

use std::fmt;

/// An sRGB colour, kept as its `#rrggbb` text (what SVG and CSS read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Colour(&'static str);

const fn hex_digit(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => panic!("palette colours are lowercase #rrggbb"),
    }
}

impl Colour {
    /// A colour from `#rrggbb` (lowercase); checked at compile time.
    pub(crate) const fn new(hex: &'static str) -> Colour {
        let b = hex.as_bytes();
        assert!(b.len() == 7 && b[0] == b'#', "palette colours are #rrggbb");
        let mut i = 1;
        while i < 7 {
            hex_digit(b[i]);
            i += 1;
        }
        Colour(hex)
    }

    /// `#rrggbb`.
    pub(crate) const fn hex(self) -> &'static str {
        self.0
    }

    /// Red, green and blue, 0..=255.
    pub(crate) fn rgb(self) -> (u8, u8, u8) {
        let b = self.0.as_bytes();
        let byte = |i: usize| hex_digit(b[i]) * 16 + hex_digit(b[i + 1]);
        (byte(1), byte(3), byte(5))
    }

    /// The colour for plotters.
    pub(crate) fn plotters(self) -> plotters::style::RGBColor {
        let (r, g, b) = self.rgb();
        plotters::style::RGBColor(r, g, b)
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The length of `template` once [`fill`] has put in `colours`.
pub(crate) const fn filled_len(template: &str, colours: &[Colour]) -> usize {
    let bytes = template.as_bytes();
    let (mut i, mut holes) = (0, 0);
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' && bytes[i + 1] == b'}' {
            holes += 1;
        }
        i += 1;
    }
    assert!(
        holes == colours.len(),
        "one colour for each hole of the template"
    );
    bytes.len() + holes * ("#rrggbb".len() - "{}".len())
}

/// `template` with each `{}` replaced by the next of `colours`, at compile
/// time (see the `attrs!` macro of the charts).
pub(crate) const fn fill<const N: usize>(template: &str, colours: &[Colour]) -> [u8; N] {
    let bytes = template.as_bytes();
    let mut out = [0; N];
    let (mut i, mut o, mut c) = (0, 0, 0);
    while i < bytes.len() {
        if i + 1 < bytes.len() && bytes[i] == b'{' && bytes[i + 1] == b'}' {
            let hex = colours[c].hex().as_bytes();
            let mut k = 0;
            while k < hex.len() {
                out[o] = hex[k];
                o += 1;
                k += 1;
            }
            c += 1;
            i += 2;
        } else {
            out[o] = bytes[i];
            o += 1;
            i += 1;
        }
    }
    assert!(o == N, "the length filled_len gives");
    out
}

macro_rules! palette {
    ($($(#[$meta:meta])* $name:ident = $css:literal, $hex:literal;)+) => {
        $($(#[$meta])* pub(crate) const $name: Colour = Colour::new($hex);)+

        /// Every colour with its CSS name (`--k-<name>`), in declaration order.
        #[cfg(test)]
        pub(crate) const ALL: &[(&str, Colour)] = &[$(($css, $name)),+];
    };
}

palette! {
    /// Body text.
    INK = "ink", "#1f2933";
    /// Secondary text: axis labels, notes.
    MUTED = "muted", "#5c6773";
    /// Axis lines.
    AXIS = "axis", "#8a94a0";
    /// Gridlines and hairlines.
    GRID = "grid", "#e3e7eb";
    /// Light background bands (the plan period, capacity bars).
    SHADE = "shade", "#eef2f6";
    /// The chart background (cards, boxes).
    PAPER = "paper", "#ffffff";

    /// Good: a checklist question passes, a KPI or objective is met.
    PASS = "pass", "#5fb37a";
    /// A warning: checklist warnings, a KPI near target, an objective at risk.
    WARN = "warn", "#f2c14e";
    /// Bad: a checklist question fails, a KPI is off, an objective missed.
    FAIL = "fail", "#b42318";

    /// Attitude: works against us.
    OPPONENT = "opponent", "#b2182b";
    /// Attitude: doubtful.
    SKEPTIC = "skeptic", "#ef8a62";
    /// Attitude: undecided.
    NEUTRAL = "neutral", "#bdbdbd";
    /// Attitude: favourable.
    SUPPORTER = "supporter", "#67a9cf";
    /// Attitude: sells for us.
    CHAMPION = "champion", "#2166ac";
    /// Attitude not recorded.
    UNKNOWN = "unknown", "#f7f7f7";

    /// Action not started.
    PLANNED = "planned", "#c6dbef";
    /// Action under way.
    IN_PROGRESS = "in-progress", "#3182bd";
    /// Action finished.
    DONE = "done", "#6b8f71";
    /// Action stuck.
    BLOCKED = "blocked", "#d95f0e";
    /// Action abandoned.
    DROPPED = "dropped", "#d4d4d4";
    /// Open action past its due date.
    OVERDUE = "overdue", "#b42318";
    /// The today line.
    TODAY = "today", "#c2185b";
    /// Milestones.
    MILESTONE = "milestone", "#3d3d6b";

    /// Cumulative cost.
    COST = "cost", "#334e68";
    /// Cumulative expected return.
    RETURN = "return", "#3aa17e";

    /// Platinum tier.
    PLATINUM = "platinum", "#4a5568";
    /// Gold tier.
    GOLD = "gold", "#b7791f";
    /// Silver tier.
    SILVER = "silver", "#8a94a3";

    /// Neutral data marks (bars, bubbles).
    SERIES = "series", "#3b6ea5";
}

/// The three verdicts every status comes down to: checklist
/// pass/warn/fail, KPI met/near/off, objective met/at risk/missed. Each has
/// one colour and one sign wherever it is shown (charts, tables, badges),
/// so it reads without colour too; `palette.css` repeats the signs as
/// `--k-sign-good`, `--k-sign-warn` and `--k-sign-bad`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Passes, met.
    Good,
    /// Has warnings, near the target, at risk.
    Warn,
    /// Fails, off target, missed.
    Bad,
}

impl Verdict {
    /// Every verdict, best first.
    #[cfg(test)]
    pub(crate) const ALL: [Verdict; 3] = [Verdict::Good, Verdict::Warn, Verdict::Bad];

    /// The verdict's colour.
    pub(crate) const fn colour(self) -> Colour {
        match self {
            Verdict::Good => PASS,
            Verdict::Warn => WARN,
            Verdict::Bad => FAIL,
        }
    }

    /// The verdict's sign: ✓, ! or ✕.
    pub(crate) const fn sign(self) -> &'static str {
        match self {
            Verdict::Good => "✓",
            Verdict::Warn => "!",
            Verdict::Bad => "✕",
        }
    }

    /// Its name in `palette.css` (`--k-sign-<name>`).
    #[cfg(test)]
    const fn css(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::Warn => "warn",
            Verdict::Bad => "bad",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSS: &str = include_str!("../../themes/default/static/palette.css");

    #[test]
    fn the_theme_css_defines_every_colour() {
        for (name, colour) in ALL {
            let decl = format!("--k-{name}: {colour};");
            assert!(CSS.contains(&decl), "palette.css lacks `{decl}`");
        }
    }

    #[test]
    fn the_theme_css_defines_every_sign() {
        for v in Verdict::ALL {
            let decl = format!("--k-sign-{}: \"{}\";", v.css(), v.sign());
            assert!(CSS.contains(&decl), "palette.css lacks `{decl}`");
        }
    }

    #[test]
    fn css_names_are_unique() {
        let mut names: Vec<_> = ALL.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }

    #[test]
    fn colours_read_as_rgb() {
        assert_eq!(Colour::new("#000aff").rgb(), (0, 10, 255));
        assert_eq!(INK.to_string(), "#1f2933");
        assert_eq!(INK.rgb(), (0x1f, 0x29, 0x33));
    }

    #[test]
    fn attributes_are_filled_at_compile_time() {
        const BOTH: &str = attrs!(r#"fill="{}" stroke="{}" x="{""#, PAPER, INK);
        assert_eq!(BOTH, format!(r#"fill="{PAPER}" stroke="{INK}" x="{{""#));
        assert_eq!(attrs!("plain"), "plain");
    }
}
