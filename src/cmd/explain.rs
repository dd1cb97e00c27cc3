//! `kaplan explain RULE`: a rule's documentation.

use std::process::ExitCode;

use anyhow::bail;
use kaplan::config::Language;
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
    let language = super::language_here();
    if args.list {
        let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
        for r in RULES {
            println!(
                "{:width$}  {:7}  {}",
                r.name,
                r.level.as_str(),
                r.summary.get(language)
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let name = args.rule.as_deref().unwrap_or_default();
    let Some(rule) = find(name) else {
        let zh = language == Language::ZhCn;
        match kaplan::load::suggest(name, RULES.iter().map(|r| r.name)) {
            Some(close) if zh => bail!("没有规则 `{name}`：是不是要找 `{close}`？"),
            Some(close) => bail!("unknown rule `{name}`: did you mean `{close}`?"),
            None if zh => bail!("没有规则 `{name}`：`kaplan explain --list` 会列出全部规则"),
            None => bail!("unknown rule `{name}`: `kaplan explain --list` lists every rule"),
        }
    };
    println!("# {}\n", rule.name);
    let (summary, question, level) = (
        rule.summary.get(language),
        rule.question.title(language),
        rule.level,
    );
    match language {
        Language::En => println!(
            "{}. Question: {question}. Default level: {level}.\n",
            capitalize(summary)
        ),
        Language::ZhCn => println!("{summary}。所属问题：{question}。默认级别：{level}。\n"),
    }
    println!("{}", rule.explanation.get(language).trim());
    Ok(ExitCode::SUCCESS)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
