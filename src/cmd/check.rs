//! `kaplan check`: validate every plan; print diagnostics.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use kaplan::diagnostic::Level;
use kaplan::model::Date;
use kaplan::report::{self, Format};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to colour output written to stdout.
    pub(crate) fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Flags of `kaplan check`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The plans repository (default: the current directory).
    #[arg(default_value = ".")]
    root: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// Exit 1 on warnings too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// The date overdue and staleness rules judge by (default: kaplan.toml's `today`).
    #[arg(long, value_parser = super::parse_date, value_name = "YYYY-MM-DD")]
    today: Option<Date>,
    /// Colour the human output.
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// Neither read nor write the history cache (kept in the git directory).
    #[arg(long)]
    no_cache: bool,
}

/// `quiet`: the diagnostics only, without the summary.
pub(crate) fn run(args: &Args, quiet: bool) -> anyhow::Result<ExitCode> {
    let root = super::root(&args.root, quiet);
    let options = kaplan::CheckOptions {
        today: args.today,
        lean: true,
        no_cache: args.no_cache,
        ..Default::default()
    };
    let checked = {
        let _progress = super::progress::Progress::start("checking", quiet);
        kaplan::check(&root, &options)?
    };
    for warning in checked.history.warnings() {
        eprintln!("{warning}");
    }
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
        FormatArg::Sarif => Format::Sarif,
    };
    let d = &checked.diagnostics;
    let language = checked.language();
    let body = match format {
        Format::Human => report::human(&checked, args.color.enabled()),
        Format::Json => report::json(d, language),
        Format::Github => report::github(d, language),
        Format::Sarif => report::sarif(d, language),
    };
    let summary = report::summary(d, checked.accounts.len(), language);
    let mut out = std::io::stdout().lock();
    let written = out.write_all(body.as_bytes()).and_then(|()| {
        if format == Format::Human && !quiet {
            writeln!(out, "{summary}")
        } else {
            Ok(())
        }
    });
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e).context("cannot write the diagnostics");
    }
    if format != Format::Human && !quiet {
        eprintln!("{summary}");
    }
    let failed = checked.count(Level::Error) > 0
        || (args.deny.is_some() && checked.count(Level::Warning) > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
