//! `kaplan schema`: the JSON Schema of plan.yaml on stdout.

use std::process::ExitCode;

pub(crate) fn run() -> anyhow::Result<ExitCode> {
    print!("{}", kaplan::model::json_schema(super::language_here()));
    Ok(ExitCode::SUCCESS)
}
