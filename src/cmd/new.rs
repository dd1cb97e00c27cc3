//! `kaplan new ID`: a new account folder whose plan walks through the six questions.

use std::path::PathBuf;
use std::process::ExitCode;

use kaplan::config::Config;
use kaplan::scaffold;

/// Flags of `kaplan new`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The account id: lowercase kebab-case, e.g. `east-mobile`.
    id: String,
    /// The customer's name (default: the id).
    #[arg(long)]
    name: Option<String>,
    /// The plans repository (default: the current directory).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// `quiet`: nothing is printed but errors.
pub(crate) fn run(args: &Args, quiet: bool) -> anyhow::Result<ExitCode> {
    let root = super::root(&args.root, quiet);
    let (config, _) = Config::load(&root)?;
    let today = config.today(None)?;
    let outcomes = scaffold::new_account(
        &root,
        &args.id,
        args.name.as_deref(),
        today,
        config.language(),
    )?;
    if !quiet {
        super::init::report(&outcomes, config.language());
        println!("\n{}", scaffold::next_step(&root, true, config.language()));
    }
    Ok(ExitCode::SUCCESS)
}
