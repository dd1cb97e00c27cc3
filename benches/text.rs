//! The shared text helpers against what they replace or were chosen over:
//! `cargo bench --bench text`.
//!
//! Each line times one way of doing a job on the same input, the best of
//! seven rounds, in nanoseconds per call. `memchr` replaced the crate's own
//! byte counting, NUL search and HTML escaping search, being faster (the
//! old ways are timed here for the record); the helpers kept
//! ([`find_in_set`] for sets `memchr` cannot take, small integers digit by
//! digit, [`push_num`], [`push_decimal`]) are timed against `itoa` and the
//! standard library, which they beat.

use std::hint::black_box;
use std::time::Instant;

use kaplan::text::{
    byte_set, count_byte, find_html, find_in_set, has_byte, push_decimal, push_int, push_num,
};

/// Nanoseconds per call of `f` over `calls` calls, the best of seven rounds.
fn time(calls: usize, mut f: impl FnMut()) -> f64 {
    (0..7)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                f();
            }
            start.elapsed().as_nanos() as f64 / calls as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn row(job: &str, way: &str, ns: f64) {
    println!("{job:<36} {way:<40} {ns:>9.1} ns");
}

/// The escapers' search before the shared scanner: byte by byte.
fn position(bytes: &[u8], set: &[bool; 256]) -> Option<usize> {
    bytes.iter().position(|b| set[usize::from(*b)])
}

/// Counting before `memchr`: `u8` lanes, 255 bytes at a time.
fn count_lanes(bytes: &[u8], byte: u8) -> usize {
    bytes
        .chunks(255)
        .map(|c| usize::from(c.iter().map(|&b| u8::from(b == byte)).sum::<u8>()))
        .sum()
}

/// The NUL search before `memchr`: 64 bytes at a time, without stopping.
fn nul_chunks(bytes: &[u8]) -> bool {
    bytes
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |nul, &b| nul | (b == 0)))
}

fn main() {
    const HTML: [bool; 256] = byte_set(b"&<>\"'");
    // SVG escaping's set: the HTML five, the controls and 0xC2 (C1 controls).
    let mut svg = HTML;
    for b in (0..0x20).chain([0x7F, 0xC2]) {
        svg[b] = true;
    }
    let name = "南海电信集团有限公司政企事业部 East Sea Telecom Group".as_bytes();
    let paragraph = "The customer plans to consolidate three data centres into one \
        by the end of next year; the CIO wants a single vendor for networking and \
        storage, and procurement runs a tender in the second quarter."
        .repeat(4);
    for (what, bytes) in [("a name", name), ("a paragraph", paragraph.as_bytes())] {
        let job = format!("find `&<>\"'` in {what}");
        row(
            &job,
            "find_html: memchr3 + memchr2 (HTML)",
            time(1_000_000, || {
                black_box(find_html(black_box(bytes)));
            }),
        );
        row(
            &job,
            "find_in_set",
            time(1_000_000, || {
                black_box(find_in_set(black_box(bytes), &HTML));
            }),
        );
        row(
            &job,
            "iter().position",
            time(1_000_000, || {
                black_box(position(black_box(bytes), &HTML));
            }),
        );
        let job = format!("… and controls in {what}");
        row(
            &job,
            "find_in_set (SVG; memchr: 3 bytes)",
            time(1_000_000, || {
                black_box(find_in_set(black_box(bytes), &svg));
            }),
        );
        row(
            &job,
            "iter().position",
            time(1_000_000, || {
                black_box(position(black_box(bytes), &svg));
            }),
        );
    }

    let page = "line of a plan file: value\n".repeat(2_000);
    let page = page.as_bytes();
    row(
        "count `\\n` in 54 kB",
        "count_byte (memchr)",
        time(20_000, || {
            black_box(count_byte(black_box(page), b'\n'));
        }),
    );
    row(
        "count `\\n` in 54 kB",
        "u8 lanes (before)",
        time(20_000, || {
            black_box(count_lanes(black_box(page), b'\n'));
        }),
    );
    row(
        "look for NUL in 54 kB",
        "has_byte (memchr)",
        time(20_000, || {
            black_box(has_byte(black_box(page), 0));
        }),
    );
    row(
        "look for NUL in 54 kB",
        "64-byte chunks (before)",
        time(20_000, || {
            black_box(nul_chunks(black_box(page)));
        }),
    );

    let coords: Vec<f64> = (0..1000).map(|k| f64::from(k) * 0.73).collect();
    let mut out = String::with_capacity(16 * 1024);
    let per = coords.len() as f64;
    row(
        "1,000 integers < 10,000",
        "push_int (kept: digit by digit)",
        time(2_000, || {
            out.clear();
            for (k, _) in coords.iter().enumerate() {
                push_int(&mut out, black_box(k as i64 * 7));
            }
        }) / per,
    );
    row(
        "1,000 integers < 10,000",
        "itoa",
        time(2_000, || {
            out.clear();
            for (k, _) in coords.iter().enumerate() {
                out.push_str(itoa::Buffer::new().format(black_box(k as u32 * 7)));
            }
        }) / per,
    );
    row(
        "1,000 coordinates, one decimal",
        "push_num (kept)",
        time(2_000, || {
            out.clear();
            for v in &coords {
                push_num(&mut out, black_box(*v));
            }
        }) / per,
    );
    row(
        "1,000 coordinates, one decimal",
        "format! {:.1}, trimmed",
        time(2_000, || {
            out.clear();
            for v in &coords {
                let s = format!("{:.1}", black_box(*v));
                out.push_str(s.strip_suffix(".0").unwrap_or(&s));
            }
        }) / per,
    );
    let amounts: Vec<f64> = (0..1000).map(|k| f64::from(k) * 12_345.67).collect();
    row(
        "1,000 amounts, 2 decimals, grouped",
        "push_decimal (kept)",
        time(2_000, || {
            out.clear();
            for v in &amounts {
                push_decimal(&mut out, black_box(*v), 2, true);
            }
        }) / per,
    );
    row(
        "1,000 amounts, 2 decimals",
        "format! {:.2}",
        time(2_000, || {
            out.clear();
            for v in &amounts {
                out.push_str(&format!("{:.2}", black_box(*v)));
            }
        }) / per,
    );
}
