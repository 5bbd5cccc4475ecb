//! `gadocs` binary: parse arguments, set up logging, run, map the outcome to an exit code
//! (0 ok; 1 no hits or skipped inputs; 2 errors).

use std::io::IsTerminal;

use clap::Parser;

fn main() {
    let cli = gadocs::cli::Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("GADOCS_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(gadocs::cli::default_log_level(&cli))
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .without_time()
        .init();
    let code = match gadocs::cli::run(cli) {
        Ok(gadocs::cli::Outcome::Ok) => 0,
        Ok(gadocs::cli::Outcome::Partial) => 1,
        Err(e) if gadocs::cli::output::is_broken_pipe(&e) => 0,
        Err(e) => {
            eprintln!("gadocs: {e:#}");
            2
        }
    };
    std::process::exit(code);
}
