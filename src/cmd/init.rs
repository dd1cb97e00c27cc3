//! `kaplan init [DIR]`: a new plans repository with one complete sample account.

use std::path::PathBuf;
use std::process::ExitCode;

use kaplan::config::Config;
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
    let today = config.today(None)?;
    let outcomes = scaffold::write(&args.dir, &scaffold::init_files(today, config.language()))?;
    if !quiet {
        report(&outcomes);
        println!(
            "\nnext: `kaplan check {0}` and `kaplan serve {0}`",
            args.dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints what was created and what was kept.
pub(crate) fn report(outcomes: &[Outcome]) {
    for o in outcomes {
        match o {
            Outcome::Created(p) => println!("created {}", p.display()),
            Outcome::Kept(p) => println!("kept    {} (exists; not overwritten)", p.display()),
        }
    }
}
