//! The plotters drawing backend of the charts: SVG elements written straight
//! into a string, one per line, in the form the charts inline.
//!
//! It writes what plotters' own `SVGBackend` writes, element by element and
//! attribute by attribute, less what the charts do not want: no `<svg>`
//! wrapper, no fixed `font-family`, no `opacity="1"`, font sizes with one
//! decimal at most, and each text on one line. Doing that while drawing
//! spares formatting every attribute into a string of its own and parsing
//! the whole markup again afterwards. A test in [`super::plot`] keeps the
//! two in step: both backends draw the same plots and must agree byte for
//! byte once `SVGBackend`'s markup is cleaned.
//!
//! plotters' styles carry one colour, a whole-pixel width and a font; the
//! charts' marks also carry classes, dash patterns, fill and stroke
//! together, tooltips and links. Two plotters elements of this backend's
//! own carry them: [`Styled`] wraps any element, which is then drawn with
//! its geometry from plotters and its presentation from the chart's
//! attributes (and a tooltip), and [`Tag`] opens and closes the groups and
//! links marks sit in.
//!
//! Text is escaped by [`push_xml`], as all chart text is (`'` as `&#39;`
//! where `SVGBackend` writes `&apos;`).

use std::borrow::{Borrow, Cow};
use std::cell::Cell;
use std::convert::Infallible;

use plotters::element::{Drawable, PointCollection};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle, FontTransform,
};

use crate::text::{push_int, push_num, push_xml};

/// A plotters backend appending SVG elements to a string.
pub(crate) struct Markup<'a> {
    out: &'a mut String,
    size: (u32, u32),
    /// The look of the [`Styled`] element being drawn, if any.
    look: Option<Look>,
}

/// What a [`Styled`] element is drawn with in place of its plotters style.
#[derive(Debug)]
struct Look {
    /// Trusted attributes, as the charts write them for [`super::svg::Svg`].
    attrs: Cow<'static, str>,
    /// A tooltip, the element's `<title>` (escaped).
    title: Option<String>,
}

/// A point of a chart, in its coordinates.
pub(crate) type Point = (f64, f64);

/// A plotters element drawn with the chart's own SVG attributes: its
/// geometry comes from plotters (the chart's coordinates, mapped), its
/// presentation from `attrs` (trusted, built by the chart, written in place
/// of what plotters' style would give), with an optional tooltip.
pub(crate) struct Styled<E> {
    element: E,
    /// The element's points, which plotters maps before drawing it.
    points: Points,
    /// Lent to the backend while the element is drawn (plotters draws
    /// through `&self`), so it is not copied.
    look: Cell<Option<Look>>,
}

impl<E> Styled<E>
where
    for<'a> &'a E: PointCollection<'a, Point>,
{
    /// `element` drawn with `attrs`.
    pub(crate) fn new(element: E, attrs: impl Into<Cow<'static, str>>) -> Styled<E> {
        let mut points = Points::Inline([(0.0, 0.0); 2], 0);
        for p in element.point_iter() {
            points.push(*p.borrow());
        }
        Styled {
            element,
            points,
            look: Cell::new(Some(Look {
                attrs: attrs.into(),
                title: None,
            })),
        }
    }
}

impl<E> Styled<E> {
    /// The element with `title` as its tooltip.
    pub(crate) fn titled(mut self, title: Option<&str>) -> Styled<E> {
        if let Some(look) = self.look.get_mut() {
            look.title = title.map(str::to_owned);
        }
        self
    }
}

impl<'a, E> PointCollection<'a, Point> for &'a Styled<E> {
    type Point = &'a Point;
    type IntoIter = &'a [Point];

    fn point_iter(self) -> Self::IntoIter {
        match &self.points {
            Points::Inline(points, len) => &points[..*len],
            Points::Many(points) => points,
        }
    }
}

/// The points of a [`Styled`] element: most marks have one or two (a
/// rectangle's corners, a circle's or a label's anchor), kept without an
/// allocation; paths have more.
enum Points {
    /// Up to two, and how many.
    Inline([Point; 2], usize),
    /// More.
    Many(Vec<Point>),
}

impl Points {
    fn push(&mut self, p: Point) {
        match self {
            Points::Inline(points, len) if *len < 2 => {
                points[*len] = p;
                *len += 1;
            }
            Points::Inline(points, _) => *self = Points::Many(vec![points[0], points[1], p]),
            Points::Many(points) => points.push(p),
        }
    }
}

impl<'b, E: Drawable<Markup<'b>>> Drawable<Markup<'b>> for Styled<E> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        points: I,
        backend: &mut Markup<'b>,
        parent: (u32, u32),
    ) -> Drawn {
        backend.look = self.look.take();
        let drawn = self.element.draw(points, backend, parent);
        self.look.set(backend.look.take());
        drawn
    }
}

/// Structure between the marks: a group or a link opened, with its
/// tooltip, or closed. It has no points: it is written where it is drawn.
pub(crate) enum Tag {
    /// `<g>` with trusted attributes and an optional tooltip.
    Group(Cow<'static, str>, Option<String>),
    /// `<a href>` (escaped) with an optional tooltip; `focusable: false`
    /// keeps it out of the tab order.
    Link {
        /// Where it leads.
        href: String,
        /// Its tooltip.
        tooltip: Option<String>,
        /// Whether the keyboard reaches it.
        focusable: bool,
    },
    /// `</g>`.
    EndGroup,
    /// `</a>`.
    EndLink,
}

impl<'a> PointCollection<'a, Point> for &'a Tag {
    type Point = &'a Point;
    type IntoIter = std::iter::Empty<&'a Point>;

    fn point_iter(self) -> Self::IntoIter {
        std::iter::empty()
    }
}

impl Drawable<Markup<'_>> for Tag {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        _: I,
        backend: &mut Markup<'_>,
        _: (u32, u32),
    ) -> Drawn {
        let out = &mut *backend.out;
        let tooltip = match self {
            Tag::Group(attrs, tooltip) => {
                out.push_str("<g");
                if !attrs.is_empty() {
                    out.push(' ');
                    out.push_str(attrs);
                }
                out.push_str(">\n");
                tooltip
            }
            Tag::Link {
                href,
                tooltip,
                focusable,
            } => {
                out.push_str("<a href=\"");
                push_xml(out, href);
                out.push_str(if *focusable {
                    "\">"
                } else {
                    "\" tabindex=\"-1\">"
                });
                tooltip
            }
            Tag::EndGroup => {
                out.push_str("</g>\n");
                &None
            }
            Tag::EndLink => {
                out.push_str("</a>\n");
                &None
            }
        };
        if let Some(tooltip) = tooltip {
            out.push_str("<title>");
            push_xml(out, tooltip);
            out.push_str("</title>\n");
        }
        Ok(())
    }
}

impl<'a> Markup<'a> {
    /// A backend of `size` pixels drawing into `out`.
    pub(crate) fn new(out: &'a mut String, size: (u32, u32)) -> Markup<'a> {
        Markup {
            out,
            size,
            look: None,
        }
    }

    /// Ends an element `name` drawn with a [`Look`]: its attributes, then
    /// `/>`, or `>`, the tooltip and the end tag. `false` (nothing written)
    /// when no look is set.
    fn end_styled(&mut self, name: &str) -> bool {
        let Some(look) = self.look.as_ref() else {
            return false;
        };
        if !look.attrs.is_empty() {
            self.out.push(' ');
            self.out.push_str(&look.attrs);
        }
        match &look.title {
            None => self.out.push_str("/>\n"),
            Some(title) => {
                self.out.push_str("><title>");
                push_xml(self.out, title);
                self.out.push_str("</title></");
                self.out.push_str(name);
                self.out.push_str(">\n");
            }
        }
        true
    }

    /// ` x y width height` of a rectangle's corners.
    fn rect_geometry(&mut self, upper_left: BackendCoord, bottom_right: BackendCoord) {
        self.int(r#" x=""#, i64::from(upper_left.0));
        self.int(r#" y=""#, i64::from(upper_left.1));
        self.int(
            r#" width=""#,
            i64::from(bottom_right.0) - i64::from(upper_left.0),
        );
        self.int(
            r#" height=""#,
            i64::from(bottom_right.1) - i64::from(upper_left.1),
        );
    }

    /// `markup` (a space, a name, `="`), `value` and the closing quote.
    #[inline(always)]
    fn attr(&mut self, markup: &str, value: &str) {
        self.out.push_str(markup);
        self.out.push_str(value);
        self.out.push('"');
    }

    /// `markup` (a space, a name, `="`), `n` and the closing quote.
    #[inline(always)]
    fn int(&mut self, markup: &str, n: i64) {
        self.out.push_str(markup);
        push_int(self.out, n);
        self.out.push('"');
    }

    /// ` opacity="a"`, left out when opaque.
    fn opacity(&mut self, colour: BackendColor) {
        if colour.alpha != 1.0 {
            self.out.push_str(" opacity=\"");
            // Rare (no chart draws translucent axes): the float formatting
            // `SVGBackend` uses.
            self.out.push_str(&colour.alpha.to_string());
            self.out.push('"');
        }
    }

    /// `markup` (a space, a name, `="#`), then `RRGGBB"`: upper case, as
    /// `SVGBackend` writes colours.
    #[inline(always)]
    fn colour(&mut self, markup: &str, colour: BackendColor) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let (r, g, b) = colour.rgb;
        self.out.push_str(markup);
        for byte in [r, g, b] {
            self.out.push(char::from(HEX[usize::from(byte >> 4)]));
            self.out.push(char::from(HEX[usize::from(byte & 15)]));
        }
        self.out.push('"');
    }

    /// ` points="x,y x,y "`, with `SVGBackend`'s trailing space unless
    /// drawing with a [`Look`].
    fn points(&mut self, path: impl IntoIterator<Item = BackendCoord>) {
        self.out.push_str(" points=\"");
        let start = self.out.len();
        for (x, y) in path {
            push_int(self.out, i64::from(x));
            self.out.push(',');
            push_int(self.out, i64::from(y));
            self.out.push(' ');
        }
        if self.look.is_some() && self.out.len() > start {
            self.out.pop();
        }
        self.out.push('"');
    }

    fn end(&mut self) {
        self.out.push_str("/>\n");
    }

    /// Opens the element `tag` (`<rect`, …) in `colour`; `None`, and nothing
    /// written, when the colour is transparent.
    fn open(&mut self, tag: &str, colour: BackendColor) -> Option<BackendColor> {
        if colour.alpha == 0.0 {
            return None;
        }
        self.out.push_str(tag);
        Some(colour)
    }

    /// Opacity, then `colour` as the fill without a stroke, or as the stroke
    /// without a fill.
    fn paint(&mut self, colour: BackendColor, fill: bool) {
        self.opacity(colour);
        if fill {
            self.colour(r##" fill="#"##, colour);
            self.out.push_str(r#" stroke="none""#);
        } else {
            self.out.push_str(r#" fill="none""#);
            self.colour(r##" stroke="#"##, colour);
        }
    }
}

/// Results of drawing: writing into a string cannot fail.
type Drawn = Result<(), DrawingErrorKind<Infallible>>;

impl DrawingBackend for Markup<'_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, colour: BackendColor) -> Drawn {
        let Some(colour) = self.open("<rect", colour) else {
            return Ok(());
        };
        self.int(r#" x=""#, i64::from(point.0));
        self.int(r#" y=""#, i64::from(point.1));
        self.out.push_str(r#" width="1""#);
        self.out.push_str(r#" height="1""#);
        self.out.push_str(r#" stroke="none""#);
        self.opacity(colour);
        self.colour(r##" fill="#"##, colour);
        self.end();
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        let Some(colour) = self.open("<line", style.color()) else {
            return Ok(());
        };
        self.opacity(colour);
        self.colour(r##" stroke="#"##, colour);
        self.int(r#" stroke-width=""#, i64::from(style.stroke_width()));
        self.int(r#" x1=""#, i64::from(from.0));
        self.int(r#" y1=""#, i64::from(from.1));
        self.int(r#" x2=""#, i64::from(to.0));
        self.int(r#" y2=""#, i64::from(to.1));
        self.end();
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        if self.look.is_some() {
            self.out.push_str("<rect");
            self.rect_geometry(upper_left, bottom_right);
            self.end_styled("rect");
            return Ok(());
        }
        let Some(colour) = self.open("<rect", style.color()) else {
            return Ok(());
        };
        self.rect_geometry(upper_left, bottom_right);
        self.paint(colour, fill);
        self.end();
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        if self.look.is_some() {
            self.out.push_str("<polyline");
            self.points(path);
            self.out.push_str(r#" fill="none""#);
            self.end_styled("polyline");
            return Ok(());
        }
        let Some(colour) = self.open("<polyline", style.color()) else {
            return Ok(());
        };
        self.out.push_str(r#" fill="none""#);
        self.opacity(colour);
        self.colour(r##" stroke="#"##, colour);
        self.int(r#" stroke-width=""#, i64::from(style.stroke_width()));
        self.points(path);
        self.end();
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        if self.look.is_some() {
            self.out.push_str("<polygon");
            self.points(path);
            self.end_styled("polygon");
            return Ok(());
        }
        let Some(colour) = self.open("<polygon", style.color()) else {
            return Ok(());
        };
        self.opacity(colour);
        self.colour(r##" fill="#"##, colour);
        self.points(path);
        self.end();
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let colour = style.color();
        if self.look.is_some() {
            self.out.push_str("<circle");
        } else if self.open("<circle", colour).is_none() {
            return Ok(());
        }
        self.int(r#" cx=""#, i64::from(center.0));
        self.int(r#" cy=""#, i64::from(center.1));
        self.int(r#" r=""#, i64::from(radius));
        if self.end_styled("circle") {
            return Ok(());
        }
        self.paint(colour, fill);
        self.int(r#" stroke-width=""#, i64::from(style.stroke_width()));
        self.end();
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn {
        if let Some(look) = self.look.take() {
            // At its baseline, as the charts place text.
            self.out.push_str("<text");
            self.int(r#" x=""#, i64::from(pos.0));
            self.int(r#" y=""#, i64::from(pos.1));
            if !look.attrs.is_empty() {
                self.out.push(' ');
                self.out.push_str(&look.attrs);
            }
            self.out.push('>');
            if let Some(title) = &look.title {
                self.out.push_str("<title>");
                push_xml(self.out, title);
                self.out.push_str("</title>");
            }
            push_xml(self.out, text);
            self.out.push_str("</text>\n");
            self.look = Some(look);
            return Ok(());
        }
        let Some(colour) = self.open("<text", style.color()) else {
            return Ok(());
        };
        let anchor = style.anchor();
        self.int(r#" x=""#, i64::from(pos.0));
        self.int(r#" y=""#, i64::from(pos.1));
        self.attr(
            r#" dy=""#,
            match anchor.v_pos {
                VPos::Top => "0.76em",
                VPos::Center => "0.5ex",
                VPos::Bottom => "-0.5ex",
            },
        );
        self.attr(
            r#" text-anchor=""#,
            match anchor.h_pos {
                HPos::Left => "start",
                HPos::Right => "end",
                HPos::Center => "middle",
            },
        );
        // plotters sizes fonts in pixels, 1.24 × the size in points.
        self.out.push_str(" font-size=\"");
        push_num(self.out, style.size() / 1.24);
        self.out.push('"');
        self.opacity(colour);
        self.colour(r##" fill="#"##, colour);
        match style.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => self.out.push_str(r#" font-weight="bold""#),
            other => self.attr(r#" font-style=""#, other.as_str()),
        }
        let degrees = match style.transform() {
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(270),
            FontTransform::None => None,
        };
        if let Some(degrees) = degrees {
            self.out.push_str(" transform=\"rotate(");
            push_int(self.out, degrees);
            self.out.push_str(", ");
            push_int(self.out, i64::from(pos.0));
            self.out.push_str(", ");
            push_int(self.out, i64::from(pos.1));
            self.out.push_str(")\"");
        }
        self.out.push('>');
        push_xml(self.out, text);
        self.out.push_str("</text>\n");
        Ok(())
    }
}
