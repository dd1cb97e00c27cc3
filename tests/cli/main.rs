//! Integration tests: the real `kaplan` binary on fixture plan repositories.

mod build;
mod check_output;
mod hostile_inputs;
mod rule_fixtures;
mod scaffold;
mod schema;
mod serve;
mod support;
