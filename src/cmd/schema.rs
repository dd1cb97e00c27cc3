//! `kaplan schema`: the JSON Schema of plan.yaml (or people.yaml) on stdout.

use std::process::ExitCode;

/// `kaplan schema`'s options.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The schema of people.yaml instead of plan.yaml.
    #[arg(long)]
    people: bool,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let language = super::language_here();
    print!(
        "{}",
        if args.people {
            kaplan::model::people_schema(language)
        } else {
            kaplan::model::json_schema(language)
        }
    );
    Ok(ExitCode::SUCCESS)
}
