//! Charts: plan data in, SVG out; no I/O.
