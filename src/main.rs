//! The `kaplan` command line: parses arguments, runs one command, exits
//! 0 (no errors), 1 (errors in the plans) or 2 (the command could not run).

mod cmd;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use kaplan::text::terminal;

/// Loading and rendering allocate many small strings on every thread;
/// mimalloc's thread-local free lists serve them faster than glibc's malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Key-account plans in git: checked against the planning checklist.
#[derive(Debug, Parser)]
#[command(name = "kaplan", version = env!("KAPLAN_VERSION"), about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only diagnostics, errors and the output asked for: no summary
    /// or informational lines.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// The language of messages, scaffolds and the site: `en` or `zh-CN`
    /// (default: kaplan.toml's `language`, else the locale).
    #[arg(long, global = true, value_name = "LANG", value_parser = kaplan::config::Language::parse)]
    lang: Option<kaplan::config::Language>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a plans repository with one complete sample account.
    Init(cmd::init::Args),
    /// Create a new account folder from the template.
    New(cmd::new::Args),
    /// Validate every plan and print diagnostics.
    Check(cmd::check::Args),
    /// Validate, then render the site.
    Build(cmd::build::Args),
    /// Build, serve on 127.0.0.1, rebuild on change and reload the browser.
    Serve(cmd::serve::Args),
    /// Explain a rule, with a failing and a passing example.
    Explain(cmd::explain::Args),
    /// Print the JSON Schema of plan.yaml (of people.yaml with --people).
    Schema(cmd::schema::Args),
    /// Compare the plans at two git revisions, in the plan's own terms.
    Diff(cmd::diff::Args),
    /// Print the completion script of a shell.
    ///
    /// For example: `kaplan completions bash > ~/.local/share/bash-completion/completions/kaplan`.
    Completions(cmd::completions::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C, SIGTERM or SIGHUP: remove the staging folder of a build in
    // progress (the previous site stays), then end as the signal would.
    if let Err(e) = ctrlc::set_handler(|| kaplan::site::abort(130)) {
        eprintln!(
            "warning: cannot handle Ctrl-C ({e}); an interrupted build may leave a staging folder, which the next build removes"
        );
    }
    let quiet = cli.quiet;
    if let Some(language) = cli.lang {
        kaplan::config::Language::choose(language);
    }
    let result = match cli.command {
        Command::Init(args) => cmd::init::run(&args, quiet),
        Command::New(args) => cmd::new::run(&args, quiet),
        Command::Check(args) => cmd::check::run(&args, quiet),
        Command::Build(args) => cmd::build::run(&args, quiet),
        Command::Serve(args) => cmd::serve::run(&args, quiet),
        Command::Explain(args) => cmd::explain::run(&args),
        Command::Schema(args) => cmd::schema::run(&args),
        Command::Diff(args) => cmd::diff::run(&args, quiet),
        Command::Completions(args) => cmd::completions::run(&args, &mut Cli::command()),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // Errors name files and folders: shown escaped.
            let shown = |e: &dyn std::fmt::Display| terminal(&e.to_string()).into_owned();
            eprintln!("error: {}", shown(&err));
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {}", shown(cause));
            }
            ExitCode::from(2)
        }
    }
}
