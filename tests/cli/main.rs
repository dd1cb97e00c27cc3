//! Integration tests: the real `kaplan` binary on fixture plan repositories.

mod adversarial;
mod bounded_builds;
mod build;
mod cascades;
mod check_output;
mod command_line;
mod diff;
mod fuzz_seeds;
mod git_safety;
mod history;
mod hostile_inputs;
mod language;
mod objectives;
mod output_safety;
mod portfolio;
mod privacy;
mod private_by_default;
mod root_confinement;
mod rule_fixtures;
mod scaffold;
mod schema;
mod script_free;
mod serve;
mod support;
