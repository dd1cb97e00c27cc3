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

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// The colour for plotters.
    pub(crate) fn rgb(self) -> plotters::style::RGBColor {
        plotters::style::RGBColor(self.0, self.1, self.2)
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

macro_rules! palette {
    ($($(#[$meta:meta])* $name:ident = $css:literal, $hex:literal;)+) => {
        $($(#[$meta])* pub const $name: Colour = Colour(($hex >> 16) as u8, (($hex >> 8) & 0xff) as u8, ($hex & 0xff) as u8);)+

        /// Every colour with its CSS name (`--k-<name>`), in declaration order.
        pub const ALL: &[(&str, Colour)] = &[$(($css, $name)),+];
    };
}

palette! {
    /// Body text.
    INK = "ink", 0x1f2933;
    /// Secondary text: axis labels, notes.
    MUTED = "muted", 0x5c6773;
    /// Axis lines.
    AXIS = "axis", 0x8a94a0;
    /// Gridlines and hairlines.
    GRID = "grid", 0xe3e7eb;
    /// Light background bands (the plan period, capacity bars).
    SHADE = "shade", 0xeef2f6;
    /// The chart background (cards, boxes).
    PAPER = "paper", 0xffffff;

    /// Checklist question passes.
    PASS = "pass", 0x5fb37a;
    /// Checklist question has warnings.
    WARN = "warn", 0xf2c14e;
    /// Checklist question fails.
    FAIL = "fail", 0xb42318;

    /// Attitude: works against us.
    OPPONENT = "opponent", 0xb2182b;
    /// Attitude: doubtful.
    SKEPTIC = "skeptic", 0xef8a62;
    /// Attitude: undecided.
    NEUTRAL = "neutral", 0xbdbdbd;
    /// Attitude: favourable.
    SUPPORTER = "supporter", 0x67a9cf;
    /// Attitude: sells for us.
    CHAMPION = "champion", 0x2166ac;
    /// Attitude not recorded.
    UNKNOWN = "unknown", 0xf7f7f7;

    /// Action not started.
    PLANNED = "planned", 0xc6dbef;
    /// Action under way.
    IN_PROGRESS = "in-progress", 0x3182bd;
    /// Action finished.
    DONE = "done", 0x6b8f71;
    /// Action stuck.
    BLOCKED = "blocked", 0xd95f0e;
    /// Action abandoned.
    DROPPED = "dropped", 0xd4d4d4;
    /// Open action past its due date.
    OVERDUE = "overdue", 0xb42318;
    /// The today line.
    TODAY = "today", 0xc2185b;
    /// Milestones.
    MILESTONE = "milestone", 0x3d3d6b;

    /// Cumulative cost.
    COST = "cost", 0x334e68;
    /// Cumulative expected return.
    RETURN = "return", 0x3aa17e;

    /// Platinum tier.
    PLATINUM = "platinum", 0x6c7a89;
    /// Gold tier.
    GOLD = "gold", 0xc9a227;
    /// Silver tier.
    SILVER = "silver", 0xaab2bd;

    /// Neutral data marks (bars, bubbles).
    SERIES = "series", 0x3b6ea5;
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSS: &str = include_str!("../../themes/default/static/palette.css");

    #[test]
    fn the_theme_css_defines_every_colour() {
        for (name, colour) in ALL {
            let decl = format!("--k-{name}: {};", colour.hex());
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
    fn hex_is_lowercase_and_padded() {
        assert_eq!(Colour(0, 10, 255).hex(), "#000aff");
        assert_eq!(INK.to_string(), "#1f2933");
    }
}
