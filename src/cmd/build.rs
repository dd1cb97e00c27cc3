//! `kaplan build`: validate, then render the site.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use kaplan::diagnostic::Level;
use kaplan::model::Date;
use kaplan::report;

use super::check::Color;

/// Flags of `kaplan build`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The plans repository (default: the current directory).
    #[arg(default_value = ".")]
    root: PathBuf,
    /// Output folder (default: ROOT/public).
    #[arg(short, long, visible_alias = "output-dir", value_name = "DIR")]
    out: Option<PathBuf>,
    /// Prefix of every link (overrides kaplan.toml); `./` makes links relative.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Publish stakeholders' private notes; every page then says so.
    #[arg(long)]
    include_private: bool,
    /// Who the site is for: `customer` builds the joint account plan from the
    /// items and pages marked `shared: true` alone.
    #[arg(long, value_enum, default_value = "team")]
    audience: kaplan::render::Audience,
    /// Publish even when plans have errors (they show failing badges).
    #[arg(long)]
    allow_errors: bool,
    /// The date overdue and staleness rules judge by.
    #[arg(long, value_parser = super::parse_date, value_name = "YYYY-MM-DD")]
    today: Option<Date>,
    /// Colour the diagnostics.
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// Show what changed since this git revision in every dossier
    /// (default: since each plan's `review.last_reviewed`).
    #[arg(long, value_name = "REV")]
    since: Option<String>,
    /// Neither read nor write the history cache (kept in the git directory).
    #[arg(long)]
    no_cache: bool,
}

/// `quiet`: the diagnostics and errors only, without the summary and the
/// line saying what was built.
pub(crate) fn run(args: &Args, quiet: bool) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let root = super::root(&args.root, quiet);
    let options = kaplan::BuildOptions {
        today: args.today,
        out: args.out.clone(),
        render: kaplan::render::RenderOptions {
            base_url: args.base_url.clone(),
            include_private: args.include_private,
            audience: args.audience,
        },
        allow_errors: args.allow_errors,
        since: args.since.clone(),
        no_cache: args.no_cache,
    };
    let color = args.color.enabled();
    // The report is formatted while the portfolio pages render.
    let (built, human) = {
        let _progress = super::progress::Progress::start("building", quiet);
        kaplan::build(&root, &options, |checked| report::human(checked, color))?
    };
    let kaplan::Built {
        checked,
        out,
        files,
        cleanup,
    } = built;
    let d = &checked.diagnostics;
    for warning in checked.history.warnings() {
        eprintln!("{warning}");
    }
    // The previous site is deleted meanwhile.
    eprint!("{human}");
    cleanup.finish()?;
    if !quiet {
        eprintln!(
            "{}",
            report::summary(d, checked.accounts.len(), checked.language())
        );
    }
    let errors = checked.count(Level::Error);
    if out.is_none() || !quiet {
        let line = report::built(
            out.as_deref(),
            files,
            checked.accounts.len(),
            errors,
            started.elapsed().as_millis(),
            checked.language(),
        );
        eprintln!("{line}");
    }
    // The process ends next: freeing every account's report one by one
    // would only delay the exit.
    std::mem::forget(checked);
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
