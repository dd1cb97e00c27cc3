//! `kaplan explain RULE`: a rule's documentation.

use std::process::ExitCode;

use anyhow::bail;
use kaplan::validate::rules::{RULES, find};

/// Flags of `kaplan explain`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The rule, e.g. `who/no-coach`.
    #[arg(required_unless_present = "list")]
    rule: Option<String>,
    /// List every rule with its level and summary.
    #[arg(long, conflicts_with = "rule")]
    list: bool,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.list {
        let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
        for r in RULES {
            println!("{:width$}  {:7}  {}", r.name, r.level.as_str(), r.summary);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let name = args.rule.as_deref().unwrap_or_default();
    let Some(rule) = find(name) else {
        match kaplan::load::suggest(name, RULES.iter().map(|r| r.name)) {
            Some(close) => bail!("unknown rule `{name}`: did you mean `{close}`?"),
            None => bail!("unknown rule `{name}`: `kaplan explain --list` lists every rule"),
        }
    };
    println!("# {}\n", rule.name);
    println!(
        "{}. Question: {}. Default level: {}.\n",
        capitalize(rule.summary),
        rule.question.title(),
        rule.level
    );
    println!("{}", rule.explanation.trim());
    Ok(ExitCode::SUCCESS)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
