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

pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let (config, _) = Config::load(&args.root)?;
    let today = config.today(None)?;
    let outcomes = scaffold::new_account(&args.root, &args.id, args.name.as_deref(), today)?;
    super::init::report(&outcomes);
    println!(
        "\nnext: fill in the plan, then `kaplan check {}`",
        args.root.display()
    );
    Ok(ExitCode::SUCCESS)
}
