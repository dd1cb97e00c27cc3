//! The charts' plotters plots: axes, and the data drawn on them.
//!
//! plotters draws the axis lines, the gridlines and the tick labels, and
//! the charts draw their data with plotters elements (rectangles, paths,
//! circles, text) on the plot's coordinates, all through the charts' own
//! SVG backend ([`Markup`]: no fixed font family, rounded font sizes), and
//! through its [`Styled`] elements and [`Tag`]s where a mark needs a class,
//! a dash pattern, a tooltip or a link. [`plot`] draws a chart with axes,
//! [`row_marks`] one without (bullet rows, a gauge, the trend's panels);
//! both append their markup inside the frame the chart's
//! [`super::svg::Svg`] writer draws (title, description, headings,
//! legends). Charts laid out in rows map y to pixels below the plot's top.

use std::borrow::Cow;
use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::element::Drawable;
use plotters::prelude::*;

pub(crate) use super::backend::Point;
use super::backend::{Markup, Styled};
use super::palette;
use super::svg::truncate;

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

impl Area {
    /// The scales [`plot`] maps `x` and `y` (or rows) with onto the area.
    pub(crate) fn scales(self, x: &Axis<'_>, y: Option<&Axis<'_>>) -> (Scale, Scale) {
        let xs = Scale::new(x.range, (f64::from(self.left), f64::from(self.right) - 1.0));
        let y_range = y.map_or(rows(self), |a| a.range);
        let ys = Scale::new(y_range, (f64::from(self.bottom) - 1.0, f64::from(self.top)));
        (xs, ys)
    }
}

/// The plotters chart the series closures draw on.
pub(crate) type Chart<'a, 'b> = ChartContext<'a, Markup<'b>, Cartesian2d<Linear, Linear>>;

/// What drawing on backend `DB` returns.
pub(crate) type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// What the series closures return (writing to a string cannot fail).
pub(crate) type DrawResult = Drawn<Markup<'static>>;

/// Draws a chart of `size` with its plot in `area`: `x` below the plot (or
/// above it with `x_on_top`), `y` to its left (none for charts whose rows
/// the chart labels itself: y is then the pixels below the plot's top).
/// `under` draws before the axes (bands, shades), `over` after them (the
/// data), appending the markup to `out`; [`Area::scales`] maps values to
/// its pixels.
#[allow(clippy::too_many_arguments)]
pub(crate) fn plot(
    out: &mut String,
    size: (u32, u32),
    area: Area,
    x: &Axis<'_>,
    x_on_top: bool,
    y: Option<&Axis<'_>>,
    under: impl FnOnce(&mut Chart<'_, '_>) -> DrawResult,
    over: impl FnOnce(&mut Chart<'_, '_>) -> DrawResult,
) {
    let root = Markup::new(out, size).into_drawing_area();
    // Writing into a string cannot fail.
    let _ = draw(&root, size, area, x, x_on_top, y, true, under, over);
}

/// Draws the data of a chart laid out in rows, without axes, on a chart of
/// `size`: x runs from `x.0` at the pixel `from.0` to `x.1` at `from.1`, y
/// is the pixels below the chart's top (rounded down); the markup is
/// appended to `out`.
pub(crate) fn row_marks(
    out: &mut String,
    size: (f64, f64),
    from: (f64, f64),
    x: (f64, f64),
    draw_marks: impl FnOnce(&mut Chart<'_, '_>) -> DrawResult,
) {
    let area = Area {
        left: from.0 as u32,
        top: 0,
        right: from.1 as u32 + 1,
        bottom: size.1 as u32,
    };
    let axis = |range| Axis {
        range,
        ticks: Vec::new(),
        format: &|_| String::new(),
        grid: false,
    };
    let size = (size.0 as u32, size.1 as u32);
    let root = Markup::new(out, size).into_drawing_area();
    let (x, y) = (axis(x), axis(rows(area)));
    // Writing into a string cannot fail.
    let _ = draw(
        &root,
        size,
        area,
        &x,
        false,
        Some(&y),
        false,
        |_| Ok(()),
        draw_marks,
    );
}

/// The y range of a chart laid out in rows: `v` is drawn `v` pixels below
/// the top of `area` (rounded down).
fn rows(area: Area) -> (f64, f64) {
    (f64::from(area.bottom - area.top - 1), 0.0)
}

/// Text `s` at `offset` pixels from the point `at`, drawn with `attrs` (its
/// font size, colour and anchor), with the tooltip `title` if any.
pub(crate) fn text<'b>(
    at: Point,
    offset: (i32, i32),
    s: &str,
    attrs: Cow<'static, str>,
    title: Option<&str>,
) -> Styled<impl Drawable<Markup<'b>> + use<'b>> {
    let font = TextStyle::from(("sans-serif", 1.0).into_font());
    Styled::new(
        EmptyElement::at(at) + Text::new(s.to_owned(), offset, font),
        attrs,
    )
    .titled(title)
}

/// [`text`] cut to `max` wide at `size`, the full text in its tooltip when cut.
pub(crate) fn label<'b>(
    at: Point,
    offset: (i32, i32),
    s: &str,
    max: f64,
    size: f64,
    attrs: Cow<'static, str>,
) -> Styled<impl Drawable<Markup<'b>> + use<'b>> {
    match truncate(s, max, size) {
        None => text(at, offset, s, attrs, None),
        Some(kept) => text(at, offset, &kept, attrs, Some(s)),
    }
}

/// Draws `under`, the axes (unless not `axes`) and `over` on `root`,
/// whatever the backend.
#[allow(clippy::too_many_arguments)]
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    size: (u32, u32),
    area: Area,
    x: &Axis<'_>,
    x_on_top: bool,
    y: Option<&Axis<'_>>,
    axes: bool,
    under: impl FnOnce(&mut ChartContext<'_, DB, Cartesian2d<Linear, Linear>>) -> Drawn<DB>,
    over: impl FnOnce(&mut ChartContext<'_, DB, Cartesian2d<Linear, Linear>>) -> Drawn<DB>,
) -> Drawn<DB> {
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
            range: rows(area),
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
    under(&mut chart)?;
    if !axes {
        return over(&mut chart);
    }
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
    over(&mut chart)
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
    use crate::text::push_num;

    /// `SVGBackend`'s markup without its `<svg>` wrapper, fixed font family
    /// and float-noise font sizes, each text on one line, `'` escaped as
    /// `&#39;`: what [`Markup`] writes directly. The reference the backend is
    /// tested against.
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
                // The charts' escaping writes `'` as Tera does.
                out.push_str(&lines.next().unwrap_or_default().replace("&apos;", "&#39;"));
                lines.next();
                out.push_str("</text>");
            }
            out.push('\n');
        }
        out
    }

    /// Appends one tag of `SVGBackend` without `font-family`, `opacity="1"`, and
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

    /// The plot rectangle from its edges.
    fn area(left: u32, top: u32, right: u32, bottom: u32) -> Area {
        Area {
            left,
            top,
            right,
            bottom,
        }
    }

    #[test]
    fn plotters_markup_is_cleaned() {
        let axis = Axis {
            range: (0.0, 10.0),
            ticks: vec![0.0, 5.0, 10.0],
            format: &|v| format!("<{v}>"),
            grid: true,
        };
        let area = area(30, 10, 190, 80);
        let mut p = String::new();
        plot(
            &mut p,
            (200, 100),
            area,
            &axis,
            false,
            Some(&axis),
            |_| Ok(()),
            |_| Ok(()),
        );
        assert!(!p.contains("<svg"), "{p}");
        assert!(!p.contains("font-family"));
        assert!(p.contains(r#"font-size="11""#), "{p}");
        assert!(p.contains("&lt;5&gt;"));
        let (xs, ys) = area.scales(&axis, Some(&axis));
        assert_eq!(xs.px(0.0), 30.0);
        assert_eq!(xs.px(10.0), 189.0);
        assert_eq!(ys.px(0.0), 79.0);
        assert_eq!(ys.px(10.0), 10.0);
    }

    /// Every kind of element a backend draws, in several styles.
    fn shapes<DB: DrawingBackend>(
        chart: &mut ChartContext<'_, DB, Cartesian2d<Linear, Linear>>,
    ) -> Drawn<DB> {
        let red = palette::FAIL.plotters();
        let blue = palette::SERIES.plotters();
        chart.draw_series(LineSeries::new(
            [(0.0, 1.0), (2.5, 7.0), (7.0, 3.0)],
            blue.stroke_width(2),
        ))?;
        chart.draw_series(AreaSeries::new([(1.0, 2.0), (4.0, 6.0)], 0.0, red.mix(0.4)))?;
        chart.draw_series(PointSeries::of_element(
            [(3.0, 3.0), (6.0, 6.0)],
            4,
            red.filled(),
            &|c, s, st| Circle::new(c, s, st),
        ))?;
        chart.draw_series([
            Circle::new((5.0, 5.0), 3, blue.stroke_width(2)),
            Circle::new((5.0, 2.0), 3, red.mix(0.5).filled()),
        ])?;
        chart.draw_series([
            Rectangle::new([(1.0, 1.0), (2.0, 2.0)], blue.filled()),
            Rectangle::new([(3.0, 1.0), (4.0, 2.0)], red.stroke_width(3)),
        ])?;
        chart.draw_series([Polygon::new([(6.0, 1.0), (8.0, 1.0), (7.0, 2.0)], blue)])?;
        chart.draw_series([Pixel::new((9.0, 9.0), red)])?;
        let text = |size: f64, style| ("sans-serif", size, style).into_font().color(&red);
        chart.draw_series([
            Text::new(
                "a < b & 'c' \"d\"",
                (1.0, 8.0),
                text(13.64, FontStyle::Normal),
            ),
            Text::new("bold", (2.0, 8.0), text(15.0, FontStyle::Bold)),
            Text::new("italic", (3.0, 8.0), text(12.0, FontStyle::Italic)),
            Text::new(
                "turned",
                (4.0, 8.0),
                text(11.0, FontStyle::Normal).transform(FontTransform::Rotate90),
            ),
            Text::new("", (5.0, 8.0), text(10.0, FontStyle::Normal)),
        ])?;
        Ok(())
    }

    /// What [`plot`] drew before [`Markup`]: plotters' `SVGBackend`, cleaned.
    fn reference(
        size: (u32, u32),
        area: Area,
        x: &Axis<'_>,
        x_on_top: bool,
        y: Option<&Axis<'_>>,
    ) -> String {
        let mut raw = String::new();
        {
            let root = SVGBackend::with_string(&mut raw, size).into_drawing_area();
            draw(&root, size, area, x, x_on_top, y, true, |_| Ok(()), shapes).expect("drawn");
            root.present().expect("presented");
        }
        clean(&raw)
    }

    #[test]
    fn markup_matches_the_cleaned_svg_backend() {
        let months = |v: f64| format!("{v}月");
        let money = |v: f64| format!("¥{v}'<&>");
        let cases = [
            (false, true, true),
            (true, false, false),
            (false, false, true),
        ];
        let mut all = String::new();
        for (x_on_top, grid, with_y) in cases {
            let x = Axis {
                range: (0.0, 10.0),
                ticks: vec![0.0, 2.5, 5.0, 7.5, 10.0],
                format: &months,
                grid,
            };
            let y = Axis {
                range: (-1.0, 11.0),
                ticks: vec![0.0, 5.0, 10.0],
                format: &money,
                grid: !grid,
            };
            let y = with_y.then_some(&y);
            let area = area(60, 40, 600, 280);
            let mut ours = String::new();
            // A closure, as `plot` wants one for every lifetime of its backend.
            #[allow(clippy::redundant_closure)]
            plot(
                &mut ours,
                (720, 320),
                area,
                &x,
                x_on_top,
                y,
                |_| Ok(()),
                |c| shapes(c),
            );
            assert_eq!(ours, reference((720, 320), area, &x, x_on_top, y));
            all.push_str(&ours);
        }
        for tag in [
            "<line",
            "<polyline",
            "<polygon",
            "<rect",
            "<circle",
            "<text",
        ] {
            assert!(all.contains(tag), "no {tag} in {all}");
        }
        for attr in [
            "opacity=",
            "font-weight=",
            "font-style=",
            "transform=",
            "&#39;",
        ] {
            assert!(all.contains(attr), "no {attr} in {all}");
        }
    }
}
