//! The `gadocs` command line: argument types (clap) and one module per subcommand.

pub mod agenda;
pub mod bench;
pub mod changes;
pub mod citations;
pub mod crawl;
pub mod history;
pub mod index;
pub mod output;
pub mod schedule;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;
pub mod update;
pub mod votes;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Settings;

/// Exit status of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything as asked.
    Ok,
    /// The command worked but found nothing, or skipped inputs (exit status 1).
    Partial,
}

/// gadocs — search United Nations General Assembly documents.
#[derive(Debug, Parser)]
#[command(name = "gadocs", version, about, max_term_width = 100)]
pub struct Cli {
    /// Configuration file.
    #[arg(
        long,
        global = true,
        env = "GADOCS_CONFIG",
        default_value = "config.toml"
    )]
    pub config: PathBuf,
    /// Data folder (index, raw store); overrides `data_dir` of the configuration.
    #[arg(long, global = true, env = "GADOCS_DATA")]
    pub data: Option<PathBuf>,
    /// More log output (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors; no progress bars.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index documents: AKN XML, PDF, HTML, text files, folders and zip archives of them.
    Index(index::IndexArgs),
    /// Load records from JSON lines (plain, gzip, xz, zstd), shaped as `export` prints them.
    Import(index::ImportArgs),
    /// Search the index.
    Search(search::SearchArgs),
    /// Print one document by symbol.
    Show(show::ShowArgs),
    /// Print every record as JSON lines.
    Export(show::ExportArgs),
    /// Documents per session, committee, sponsor, type, year and language.
    Stats(stats::StatsArgs),
    /// A resolution's roll call, or how a State voted (and agreed with another) on every
    /// recorded vote.
    Votes(votes::VotesArgs),
    /// Legislative history: agenda item, drafts and sponsors, report, meeting, vote, and the
    /// resolutions before and after it (same title, citations both ways).
    History(history::HistoryArgs),
    /// The resolutions a document cites (`--depth N`: and what those cite).
    Cites(citations::WalkArgs),
    /// The documents that cite a resolution (`--depth N`: and what cites those).
    CitedBy(citations::WalkArgs),
    /// The citation graph for network tools: DOT, GraphML or JSON.
    Graph(citations::GraphArgs),
    /// An agenda subject session by session: the item number it had and its documents.
    Agenda(agenda::AgendaArgs),
    /// Fetch the UN sources (repository, Digital Library, ODS, un.org) into `<data>/raw`.
    Crawl(crawl::CrawlArgs),
    /// Crawl, then index what changed in the raw store (texts and catalogue metadata).
    Update(update::UpdateArgs),
    /// Run `update` every `--every` (or `[schedule] every`) until SIGINT/SIGTERM.
    Schedule(schedule::ScheduleArgs),
    /// What index/import/update added, changed or removed (`<data>/changes.jsonl`).
    Changes(changes::ChangesArgs),
    /// Serve the index over HTTP: web page, JSON API (`/api/…`) and Atom feeds (`/feed`).
    Serve(serve::ServeArgs),
    /// Print the Atom feed of the newest documents matching a search (as `/feed` serves it).
    Feed(serve::FeedArgs),
    /// Benchmark against SQLite FTS5 on the shared corpus (build, queries, update, scale).
    Bench(bench::BenchArgs),
    /// (internal) extract the text of a PDF on stdin; run by `index` in a child process.
    #[command(name = "__extract-pdf", hide = true)]
    ExtractPdf,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    if let Command::ExtractPdf = cli.command {
        std::process::exit(crate::normalize::pdf::extract_child());
    }
    let explicit = std::env::var_os("GADOCS_CONFIG").is_some()
        || cli.config != std::path::Path::new("config.toml");
    let settings = Settings::load(&cli.config, explicit, cli.data.as_deref())?;
    let progress = !cli.quiet && std::io::stderr().is_terminal();
    match cli.command {
        Command::Index(args) => index::run_index(&settings, args, progress),
        Command::Import(args) => index::run_import(&settings, args, progress),
        Command::Search(args) => search::run(&settings, args),
        Command::Show(args) => show::run_show(&settings, args),
        Command::Export(args) => show::run_export(&settings, args),
        Command::Stats(args) => stats::run(&settings, args),
        Command::Votes(args) => votes::run(&settings, args),
        Command::History(args) => history::run(&settings, args),
        Command::Cites(args) => citations::run_cites(&settings, args),
        Command::CitedBy(args) => citations::run_cited_by(&settings, args),
        Command::Graph(args) => citations::run_graph(&settings, args),
        Command::Agenda(args) => agenda::run(&settings, args),
        Command::Bench(args) => bench::run(&settings, args),
        Command::Serve(args) => serve::run_serve(&settings, args),
        Command::Feed(args) => serve::run_feed(&settings, args),
        Command::Crawl(args) => crawl::run(&settings, args, progress),
        Command::Update(args) => update::run(&settings, args, progress),
        Command::Schedule(args) => schedule::run(&settings, args, progress),
        Command::Changes(args) => changes::run(&settings, args),
        Command::ExtractPdf => unreachable!("handled above"),
    }
}

/// Default log level of a command: quiet for reading commands, informative for long runs.
pub fn default_log_level(cli: &Cli) -> &'static str {
    match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (_, 1) => "info",
        (_, v) if v >= 2 => "debug",
        _ => match cli.command {
            Command::Index(_) | Command::Import(_) => "warn",
            _ => "warn",
        },
    }
}
