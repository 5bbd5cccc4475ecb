//! `gadocs index` and `gadocs import`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use gadocs_index::{IndexStore, Opened};

use crate::cli::Outcome;
use crate::cli::output::thousands;
use crate::config::Settings;
use crate::normalize::pdf::PdfExtractor;
use crate::pipeline::{self, RunOptions, RunReport};

/// Arguments of `index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files, folders or zip archives to index.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Start from an empty index.
    #[arg(long)]
    pub rebuild: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// When another index/import/update holds the data folder, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// JSON-lines files (plain, .gz, .xz or .zst).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Start from an empty index.
    #[arg(long)]
    pub rebuild: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// When another index/import/update holds the data folder, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
}

/// Run options from settings.
pub fn run_options(settings: &Settings, progress: bool) -> RunOptions {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let ix = &settings.file.index;
    let lim = &settings.file.limits;
    RunOptions {
        workers: if ix.normalize_threads == 0 {
            cores
        } else {
            ix.normalize_threads
        },
        writer_threads: ix.writer_threads,
        writer_budget_bytes: (ix.memory_budget_mb << 20) as usize,
        commit_every_docs: ix.commit_every_docs,
        limits: settings.limits(),
        pdf: PdfExtractor::from_env(
            Duration::from_secs(lim.pdf_timeout_secs),
            lim.pdf_max_memory_mb,
        ),
        progress,
        changes_dir: Some(settings.data_dir.clone()),
    }
}

/// Opens (or creates) the index of the data folder, saying so when it had to be recreated.
pub fn open_for_writing(settings: &Settings, rebuild: bool) -> anyhow::Result<IndexStore> {
    let dir = settings.index_dir();
    let (store, opened) = IndexStore::open_or_create(&dir)?;
    if let Opened::Recreated { found } = opened {
        eprintln!(
            "{}: index had schema version {found}, this gadocs writes {}; recreated it empty — re-run index/import (or `gadocs update`) to fill it",
            dir.display(),
            gadocs_index::schema::SCHEMA_VERSION
        );
    }
    if rebuild {
        let mut w = store.writer(1, 30 << 20)?;
        w.delete_all()?;
        w.commit(&Default::default())?;
        w.finish()?;
        store.reload()?;
    }
    Ok(store)
}

/// `gadocs index PATH...`
pub fn run_index(settings: &Settings, args: IndexArgs, progress: bool) -> anyhow::Result<Outcome> {
    let _lock = crate::lock::acquire(&settings.data_dir, "index", args.wait)?;
    let store = open_for_writing(settings, args.rebuild)?;
    let report = pipeline::index_paths(&store, &args.paths, &run_options(settings, progress))?;
    print_summary(&report, store.num_docs(), args.json)
}

/// `gadocs import FILE...`
pub fn run_import(
    settings: &Settings,
    args: ImportArgs,
    progress: bool,
) -> anyhow::Result<Outcome> {
    let _lock = crate::lock::acquire(&settings.data_dir, "import", args.wait)?;
    let store = open_for_writing(settings, args.rebuild)?;
    let report = pipeline::import_paths(&store, &args.paths, &run_options(settings, progress))?;
    print_summary(&report, store.num_docs(), args.json)
}

fn print_summary(report: &RunReport, total: u64, json: bool) -> anyhow::Result<Outcome> {
    if json {
        let mut v = serde_json::to_value(report)?;
        v["documents_in_index"] = total.into();
        println!("{v}");
    } else {
        for problem in &report.skipped {
            eprintln!("skipped: {}", crate::cli::output::clean(problem));
        }
        if !report.ignored.is_empty() {
            eprintln!(
                "ignored {} non-document files (-v lists them)",
                report.ignored.len()
            );
        }
        let mb = report.text_bytes as f64 / 1e6;
        eprintln!(
            "indexed {} new, {} updated, {} unchanged, {} skipped ({} commits) in {:.1}s — {:.0} records/s, {:.1} MB/s of text; {} documents in the index",
            thousands(report.indexed),
            thousands(report.updated),
            thousands(report.unchanged),
            thousands(report.skipped.len() as u64),
            report.commits,
            report.seconds,
            report.records() as f64 / report.seconds.max(1e-9),
            mb / report.seconds.max(1e-9),
            thousands(total)
        );
    }
    Ok(if report.skipped.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}
