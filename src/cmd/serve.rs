//! `kaplan serve`: build, serve on 127.0.0.1, rebuild on change, reload the browser.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use kaplan::model::Date;
use kaplan::serve::{ServeOptions, serve};

/// Flags of `kaplan serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The plans repository (default: the current directory).
    #[arg(default_value = ".")]
    root: PathBuf,
    /// The port; if taken, the next free one is used (0: any free port).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// The interface to listen on; anything but 127.0.0.1 exposes the plans to the network.
    #[arg(long, default_value = "127.0.0.1")]
    interface: IpAddr,
    /// The date overdue and staleness rules judge by.
    #[arg(long, value_parser = super::parse_date, value_name = "YYYY-MM-DD")]
    today: Option<Date>,
    /// Show stakeholders' private notes.
    #[arg(long)]
    include_private: bool,
    /// Who the site is for: `customer` builds the joint account plan from the
    /// items and pages marked `shared: true` alone.
    #[arg(long, value_enum, default_value = "team")]
    audience: kaplan::render::Audience,
    /// Poll for changes (for file systems without change events, e.g. network drives).
    #[arg(long)]
    poll: bool,
    /// Open the portfolio in the default browser.
    #[arg(long)]
    open: bool,
    /// Also answer requests for this host name (repeatable); others than localhost,
    /// 127.0.0.1, [::1] and the interface's address are refused.
    #[arg(long = "allow-host", value_name = "NAME", value_parser = parse_host)]
    allow_hosts: Vec<String>,
    /// Neither read nor write the history cache (kept in the git directory).
    #[arg(long)]
    no_cache: bool,
}

/// A host name or IP address (IPv6 with or without brackets), without a port.
fn parse_host(s: &str) -> Result<String, String> {
    let bare = s
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(s);
    let ok = bare.parse::<IpAddr>().is_ok()
        || (!s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
    if ok {
        Ok(s.to_owned())
    } else {
        Err("expected a host name or IP address, without a port (e.g. `preview.local`)".into())
    }
}

/// `quiet`: the address served and errors only, no line per rebuild.
pub(crate) fn run(args: &Args, quiet: bool) -> anyhow::Result<ExitCode> {
    let root = super::root(&args.root, quiet);
    if !args.interface.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this address can read the plans \
             (browsers that reach it by a name need `--allow-host NAME`)",
            args.interface
        );
    }
    serve(
        &root,
        &ServeOptions {
            interface: args.interface,
            port: args.port,
            today: args.today,
            include_private: args.include_private,
            audience: args.audience,
            poll: args.poll,
            open: args.open,
            allow_hosts: args.allow_hosts.clone(),
            no_cache: args.no_cache,
            quiet,
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::parse_host;

    #[test]
    fn allowed_hosts_are_names_or_addresses_without_a_port() {
        for ok in [
            "preview.local",
            "my-laptop",
            "10.1.2.3",
            "fe80::1",
            "[fe80::1]",
        ] {
            assert_eq!(parse_host(ok).as_deref(), Ok(ok));
        }
        for bad in ["", "a:80", "*.local", "a b", "[a]", "10.1.2.3:80"] {
            assert!(parse_host(bad).is_err(), "{bad}");
        }
    }
}
