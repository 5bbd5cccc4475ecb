//! `gadocs update`: crawl, then index what changed in the raw store (see [`crate::update`]).

use std::sync::Arc;

use clap::Args;
use gadocs_crawler::RawStore;

use crate::cli::Outcome;
use crate::cli::crawl::{self, CrawlFilter};
use crate::cli::index::{open_for_writing, run_options};
use crate::cli::output::{clean, thousands};
use crate::config::Settings;
use crate::update::{self, STATE_FILE, UpdateReport};

/// Arguments of `update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// What to crawl first.
    #[command(flatten)]
    pub filter: CrawlFilter,
    /// Do not crawl: index what the raw store already holds.
    #[arg(long)]
    pub no_crawl: bool,
    /// Print the summary as JSON (the crawl report under `crawl`).
    #[arg(long)]
    pub json: bool,
    /// When another index/import/update holds the data folder, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
}

/// `gadocs update`
pub fn run(settings: &Settings, args: UpdateArgs, progress: bool) -> anyhow::Result<Outcome> {
    let _lock = crate::lock::acquire(&settings.data_dir, "update", args.wait)?;
    Ok(run_locked(settings, &args, progress)?.0)
}

/// One update with the writer lock already held (by `update` or `schedule`): its outcome
/// and report.
pub fn run_locked(
    settings: &Settings,
    args: &UpdateArgs,
    progress: bool,
) -> anyhow::Result<(Outcome, UpdateReport)> {
    let crawl_report = if args.no_crawl {
        None
    } else {
        let report = crawl::crawl(settings, &args.filter, progress)?;
        if !args.json {
            eprint!("{}", crawl::report_table(&report));
        }
        Some(report)
    };
    let store = open_for_writing(settings, false)?;
    std::fs::create_dir_all(&settings.data_dir)?;
    let state = settings.data_dir.join(STATE_FILE);
    if store.num_docs() == 0 && state.exists() {
        // a new, recreated (other schema version) or emptied index: read the whole raw
        // store again instead of trusting the record of what the last update read
        eprintln!(
            "{}: the index is empty; indexing the whole raw store again (nothing is fetched again)",
            settings.data_dir.display()
        );
        std::fs::remove_file(&state)?;
    }
    let raw = Arc::new(RawStore::open(settings.raw_dir())?);
    let report = update::update_index(&store, &raw, &state, &run_options(settings, progress))?;
    let total = store.num_docs();
    if args.json {
        let mut v = serde_json::to_value(&report)?;
        v["documents_in_index"] = total.into();
        v["crawl"] = serde_json::to_value(&crawl_report)?;
        println!("{v}");
    } else {
        print_summary(&report, total);
    }
    let crawl_failed = crawl_report.as_ref().is_some_and(crawl::crawl_failed);
    let outcome = if report.run.skipped.is_empty() && !crawl_failed {
        Outcome::Ok
    } else {
        Outcome::Partial
    };
    Ok((outcome, report))
}

fn print_summary(report: &UpdateReport, total: u64) {
    let run = &report.run;
    for problem in &run.skipped {
        eprintln!("skipped: {}", clean(problem));
    }
    eprintln!(
        "raw store: {} documents, {} read, {} unchanged since the last update, {} PDFs superseded by XML; {} catalogue records, {} new or changed",
        thousands(report.raw_documents),
        thousands(report.raw_read),
        thousands(report.raw_unchanged),
        thousands(report.superseded),
        thousands(report.marc_records),
        thousands(report.marc_changed),
    );
    eprintln!(
        "indexed {} new, {} updated, {} unchanged, {} skipped, {} removed ({} commits) in {:.1}s; {} metadata-only records; {} documents in the index",
        thousands(run.indexed),
        thousands(run.updated),
        thousands(run.unchanged),
        thousands(run.skipped.len() as u64),
        thousands(report.removed),
        run.commits,
        run.seconds,
        thousands(report.metadata_only),
        thousands(total)
    );
}
