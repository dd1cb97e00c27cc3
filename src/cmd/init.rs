//! `kaplan init [DIR]`: a new plans repository with one complete sample account.

use std::path::PathBuf;
use std::process::ExitCode;

use kaplan::config::{Config, Language};
use kaplan::scaffold::{self, Outcome};

/// Flags of `kaplan init`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Where to create the repository (default: the current directory).
    #[arg(default_value = ".")]
    dir: PathBuf,
}

/// `quiet`: nothing is printed but errors.
pub(crate) fn run(args: &Args, quiet: bool) -> anyhow::Result<ExitCode> {
    let config = Config::default();
    let (today, language) = (config.today(None)?, config.language());
    let outcomes = scaffold::write(&args.dir, &scaffold::init_files(today, language))?;
    if !quiet {
        report(&outcomes, language);
        println!("\n{}", scaffold::next_step(&args.dir, false, language));
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints what was created and what was kept.
pub(crate) fn report(outcomes: &[Outcome], language: Language) {
    for o in outcomes {
        println!("{}", o.describe(language));
    }
}
