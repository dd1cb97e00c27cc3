//! Diagnostics out: human (rustc-style), JSON, GitHub annotations, SARIF.
//!
//! Plan text, file and folder names are untrusted: whatever reaches a
//! terminal goes through [`terminal`], and JSON through [`json_text`].

mod github;
pub(crate) mod human;
mod json;
mod sarif;

pub use github::github;
pub use human::{built, human, summary};
pub use json::json;
pub use sarif::sarif;

/// An output format of `kaplan check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// rustc-style text with source snippets.
    Human,
    /// The contract's JSON array.
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// SARIF 2.1.0.
    Sarif,
}
