//! `kaplan diff`: the plans' changes between two git revisions, in the
//! plan's own terms.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use kaplan::config::Config;
use kaplan::history::{self, report};
use kaplan::model::Date;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Markdown,
    Json,
}

/// Flags of `kaplan diff`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The older revision (default: HEAD).
    rev_a: Option<String>,
    /// The newer revision (default: the working tree).
    rev_b: Option<String>,
    /// The plans repository (default: the current directory).
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Output format; `markdown` is ready to post as a pull-request comment.
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// The date time-dependent checklist rules judge both sides by.
    #[arg(long, value_parser = super::parse_date, value_name = "YYYY-MM-DD")]
    today: Option<Date>,
}

/// `quiet`: no note about the root used; the diff itself is always written.
pub(crate) fn run(args: &Args, quiet: bool) -> anyhow::Result<ExitCode> {
    let root = super::root(&args.root, quiet);
    let (config, _) = Config::load(&root)?;
    let today = config.today(args.today)?;
    let comparison = {
        let _progress = super::progress::Progress::start("comparing", quiet);
        history::compare(
            &root,
            &config,
            today,
            args.rev_a.as_deref(),
            args.rev_b.as_deref(),
        )?
    };
    let out = match args.format {
        FormatArg::Human => report::human(&comparison, config.language()),
        FormatArg::Markdown => report::markdown(&comparison, config.language()),
        FormatArg::Json => report::json(&comparison),
    };
    // A closed pipe (`kaplan diff | head`) is not an error.
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the diff to stdout")?,
    }
    Ok(ExitCode::SUCCESS)
}
