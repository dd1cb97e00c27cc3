//! Axes drawn by plotters' SVG backend, for the charts that have them.
//!
//! plotters draws the axis lines, the gridlines and the tick labels (and,
//! where it fits, data series) into a string; [`plot`] cleans that markup
//! (no fixed font family, rounded font sizes) and returns it with the
//! [`Scale`]s that map data to view-box coordinates exactly as plotters
//! did, so the charts can draw their own marks, labels and links on top.
//! Only numbers and dates formatted by the charts ever reach plotters, never
//! text from a plan.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;

use super::palette;
use super::svg::push_num;

/// A linear map from data values to view-box pixels, rounded as plotters
/// rounds, so marks drawn on top line up with its gridlines.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Scale {
    /// Maps `domain` onto the pixels `pixels.0 ..= pixels.1`.
    pub(crate) fn new(domain: (f64, f64), pixels: (f64, f64)) -> Scale {
        Scale {
            d0: domain.0,
            d1: domain.1,
            p0: pixels.0,
            p1: pixels.1,
        }
    }

    /// The pixel of `v`.
    pub(crate) fn px(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return (self.p0 + self.p1) / 2.0;
        }
        let t = (v - self.d0) / (self.d1 - self.d0);
        self.p0 + ((self.p1 - self.p0) * t + 1e-3).floor()
    }
}

/// A linear axis with the ticks the chart chose (plotters' own float axis
/// has no tick formatter hook for the mesh).
#[derive(Debug, Clone)]
pub(crate) struct Linear {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for Linear {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        Scale::new((self.lo, self.hi), (f64::from(limit.0), f64::from(limit.1))).px(*value) as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// One axis: its range, ticks and tick labels.
pub(crate) struct Axis<'a> {
    /// Lowest and highest value shown.
    pub(crate) range: (f64, f64),
    /// Where the ticks, labels and gridlines go.
    pub(crate) ticks: Vec<f64>,
    /// The label of a tick.
    pub(crate) format: &'a dyn Fn(f64) -> String,
    /// Whether gridlines cross the plot at the ticks.
    pub(crate) grid: bool,
}

/// The plot rectangle inside the chart, in view-box pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Area {
    /// Left edge.
    pub(crate) left: u32,
    /// Top edge.
    pub(crate) top: u32,
    /// Right edge (exclusive).
    pub(crate) right: u32,
    /// Bottom edge (exclusive).
    pub(crate) bottom: u32,
}

/// The plotters chart the series closures draw on.
pub(crate) type Chart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, plotters::coord::cartesian::Cartesian2d<Linear, Linear>>;

/// A drawing error of plotters (writing to a string cannot fail in practice).
pub(crate) type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// What [`plot`] returns: the markup and the two scales.
pub(crate) struct Plotted {
    /// The cleaned markup of the axes and series.
    pub(crate) markup: String,
    /// x values to pixels.
    pub(crate) x: Scale,
    /// y values to pixels.
    pub(crate) y: Scale,
}

/// Draws the axes of a chart of `size` with its plot in `area`: `x` below
/// the plot (or above it with `x_on_top`), `y` to its left (none for charts
/// whose rows the chart labels itself). `series` draws data with plotters.
pub(crate) fn plot(
    size: (u32, u32),
    area: Area,
    x: &Axis<'_>,
    x_on_top: bool,
    y: Option<&Axis<'_>>,
    series: impl FnOnce(&mut Chart<'_, '_>) -> DrawResult,
) -> Plotted {
    let mut out = String::with_capacity(16 * 1024);
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        // Errors cannot happen when writing into a string; whatever was
        // drawn before one is kept.
        let _ = draw(&root, size, area, x, x_on_top, y, series);
        let _ = root.present();
    }
    let xs = Scale::new(x.range, (f64::from(area.left), f64::from(area.right) - 1.0));
    let y_range = y.map_or((0.0, 1.0), |a| a.range);
    let ys = Scale::new(y_range, (f64::from(area.bottom) - 1.0, f64::from(area.top)));
    Plotted {
        markup: clean(&out),
        x: xs,
        y: ys,
    }
}

fn draw(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    size: (u32, u32),
    area: Area,
    x: &Axis<'_>,
    x_on_top: bool,
    y: Option<&Axis<'_>>,
    series: impl FnOnce(&mut Chart<'_, '_>) -> DrawResult,
) -> DrawResult {
    let mut builder = ChartBuilder::on(root);
    builder
        .margin_right(size.0.saturating_sub(area.right))
        .margin_left(0);
    if x_on_top {
        builder
            .top_x_label_area_size(area.top)
            .margin_bottom(size.1.saturating_sub(area.bottom))
            .x_label_area_size(0);
    } else {
        builder
            .margin_top(area.top)
            .x_label_area_size(size.1.saturating_sub(area.bottom))
            .margin_bottom(0);
    }
    builder.y_label_area_size(area.left);
    let y_axis = y.map_or(
        Axis {
            range: (0.0, 1.0),
            ticks: Vec::new(),
            format: &|_| String::new(),
            grid: false,
        },
        |a| Axis {
            range: a.range,
            ticks: a.ticks.clone(),
            format: a.format,
            grid: a.grid,
        },
    );
    let mut chart = builder.build_cartesian_2d(
        Linear {
            lo: x.range.0,
            hi: x.range.1,
            ticks: x.ticks.clone(),
        },
        Linear {
            lo: y_axis.range.0,
            hi: y_axis.range.1,
            ticks: y_axis.ticks.clone(),
        },
    )?;
    let muted = palette::MUTED.plotters();
    let labels = TextStyle::from(("sans-serif", 11.0 * 1.24).into_font()).color(&muted);
    let x_format = |v: &f64| (x.format)(*v);
    let y_format = |v: &f64| (y_axis.format)(*v);
    let mut mesh = chart.configure_mesh();
    mesh.axis_style(palette::AXIS.plotters().stroke_width(1))
        .bold_line_style(palette::GRID.plotters().stroke_width(1))
        .light_line_style(TRANSPARENT)
        .label_style(labels)
        .set_all_tick_mark_size(3)
        .x_labels(x.ticks.len().max(1))
        .y_labels(y_axis.ticks.len().max(1))
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format);
    if !x.grid {
        mesh.disable_x_mesh();
    }
    if !y_axis.grid {
        mesh.disable_y_mesh();
    }
    if y.is_none() {
        mesh.disable_y_axis();
    }
    mesh.draw()?;
    series(&mut chart)
}

/// plotters' markup without its `<svg>` wrapper, fixed font family and
/// float-noise font sizes, each text on one line; one pass.
fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut lines = raw.lines();
    lines.next(); // <svg ...>
    while let Some(line) = lines.next() {
        if line == "</svg>" {
            break;
        }
        push_clean_tag(&mut out, line);
        // plotters puts a text's content and its end tag on lines of their own.
        if line.starts_with("<text") {
            out.push_str(lines.next().unwrap_or_default());
            lines.next();
            out.push_str("</text>");
        }
        out.push('\n');
    }
    out
}

/// Appends one tag of plotters without `font-family`, `opacity="1"`, and
/// with its font size rounded.
fn push_clean_tag(out: &mut String, tag: &str) {
    // `<name a="v" b="v"/>`: copy the name, then attribute by attribute.
    let Some(space) = tag.find(' ') else {
        out.push_str(tag);
        return;
    };
    out.push_str(&tag[..space]);
    let mut rest = &tag[space..];
    while let Some(eq) = rest.as_bytes().windows(2).position(|w| w == b"=\"") {
        let name = rest[..eq].trim_start();
        let Some(len) = rest.as_bytes()[eq + 2..].iter().position(|b| *b == b'"') else {
            break;
        };
        let value = &rest[eq + 2..eq + 2 + len];
        match name {
            "font-family" => {}
            "opacity" if value == "1" => {}
            "font-size" => {
                out.push_str(" font-size=\"");
                match value.parse::<f64>() {
                    Ok(v) => push_num(out, v),
                    Err(_) => out.push_str(value),
                }
                out.push('"');
            }
            _ => {
                out.push(' ');
                out.push_str(name);
                out.push_str("=\"");
                out.push_str(value);
                out.push('"');
            }
        }
        rest = &rest[eq + 3 + len..];
    }
    out.push_str(rest);
}

/// Ticks at "nice" steps (1, 2, 2.5, 5 × 10ⁿ) covering `lo..=hi` with about
/// `n` intervals; returns the widened range and the ticks.
pub(crate) fn nice(lo: f64, hi: f64, n: usize) -> ((f64, f64), Vec<f64>) {
    // Absurd inputs (infinite or astronomically large) get a plain axis
    // rather than billions of ticks.
    if !(lo.is_finite() && hi.is_finite() && lo.abs() < 1e15 && hi.abs() < 1e15) {
        return ((0.0, 1.0), vec![0.0, 1.0]);
    }
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(mag * 10.0);
    let first = (lo / step + 1e-9).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    let ticks: Vec<f64> = (first..=last).map(|k| k as f64 * step).collect();
    ((first as f64 * step, last as f64 * step), ticks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_cover_the_range() {
        let ((lo, hi), t) = nice(0.0, 9_300_000.0, 5);
        assert_eq!((lo, hi), (0.0, 10_000_000.0));
        assert_eq!(t.len(), 6);
        let ((lo, hi), t) = nice(0.0, 100.0, 4);
        assert_eq!((lo, hi, t.len()), (0.0, 100.0, 5));
        let ((lo, _), _) = nice(-0.3, 1.2, 5);
        assert!(lo <= -0.3);
        assert_eq!(nice(5.0, 5.0, 4).0, (5.0, 6.0));
    }

    #[test]
    fn plotters_markup_is_cleaned() {
        let axis = Axis {
            range: (0.0, 10.0),
            ticks: vec![0.0, 5.0, 10.0],
            format: &|v| format!("<{v}>"),
            grid: true,
        };
        let p = plot(
            (200, 100),
            Area {
                left: 30,
                top: 10,
                right: 190,
                bottom: 80,
            },
            &axis,
            false,
            Some(&axis),
            |_| Ok(()),
        );
        assert!(!p.markup.contains("<svg"), "{}", p.markup);
        assert!(!p.markup.contains("font-family"));
        assert!(p.markup.contains(r#"font-size="11""#), "{}", p.markup);
        assert!(p.markup.contains("&lt;5&gt;"));
        assert_eq!(p.x.px(0.0), 30.0);
        assert_eq!(p.x.px(10.0), 189.0);
        assert_eq!(p.y.px(0.0), 79.0);
        assert_eq!(p.y.px(10.0), 10.0);
    }
}
