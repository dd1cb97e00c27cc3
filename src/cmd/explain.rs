//! `kaplan explain RULE`: a rule's documentation.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};
use kaplan::validate::rules;

/// Flags of `kaplan explain`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The rule, e.g. `who/no-coach`.
    #[arg(required_unless_present = "list")]
    rule: Option<String>,
    /// List every rule with its level and summary.
    #[arg(long, conflicts_with = "rule")]
    list: bool,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let language = super::language_here();
    let text = if args.list {
        rules::listing(language)
    } else {
        let name = args.rule.as_deref().unwrap_or_default();
        match rules::find(name) {
            Some(rule) => rules::explain(rule, language),
            None => bail!("{}", rules::unknown(name, language)),
        }
    };
    // A closed pipe (`kaplan explain --list | head`) is not an error.
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write to stdout")?,
    }
    Ok(ExitCode::SUCCESS)
}
