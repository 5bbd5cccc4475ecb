//! `gadocs bench`: gadocs against SQLite FTS5 on the same documents and queries, in the same
//! run, at one or more corpus scales (issue 5).
//!
//! Flow: [`corpus`] loads the benchmark documents once (English resolutions through the XML
//! pipeline, the other languages and the General Debate through `import`) and writes one JSON
//! lines file per scale (replicas get distinct symbols and sessions); [`build`] indexes that
//! file with each engine in a child process of this binary, so wall time, CPU time and peak
//! memory belong to one engine only; [`queries`] runs the query set against both indexes,
//! alternating engines query by query, and times a one-document update; [`report`] prints the
//! table, the JSON and the targets; [`svg`] draws the growth curve.

pub mod build;
pub mod corpus;
pub mod eval;
pub mod fts5;
pub mod queries;
pub mod report;
pub mod svg;

use std::path::{Path, PathBuf};
use std::time::Instant;

use gadocs_index::IndexStore;

use crate::config::Settings;
use report::{BenchReport, ScaleResult};

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The shared corpus folder (holds `ga-resolutions/` and `general-debate/`).
    pub corpus: PathBuf,
    /// First N documents of each set only.
    pub slice: Option<usize>,
    /// Corpus replications to measure (1 = the corpus as it is).
    pub scales: Vec<u32>,
    /// Timed runs of the query set (after the warm-up runs).
    pub runs: usize,
    /// Untimed runs before them.
    pub warmup: usize,
    /// Times the one-document update is measured.
    pub updates: usize,
    /// Work folder (corpus files and indexes); `None`: a temporary folder, removed at the end.
    pub out: Option<PathBuf>,
    /// The evaluation query set of issue 10 ([`eval`]); `None`: no evaluation.
    pub eval_queries: Option<PathBuf>,
}

/// Runs the whole benchmark and returns its report.
pub fn run(settings: &Settings, opts: &BenchOptions) -> anyhow::Result<BenchReport> {
    let (work, temporary) = match &opts.out {
        Some(dir) => (dir.clone(), false),
        None => (
            std::env::temp_dir().join(format!("gadocs-bench-{}", std::process::id())),
            true,
        ),
    };
    std::fs::create_dir_all(&work)?;
    let result = run_in(settings, opts, &work);
    if temporary {
        let _ = std::fs::remove_dir_all(&work);
    }
    result
}

fn run_in(settings: &Settings, opts: &BenchOptions, work: &Path) -> anyhow::Result<BenchReport> {
    let started = Instant::now();
    eprintln!("bench: loading documents from {}", opts.corpus.display());
    let corpus = corpus::load(settings, &opts.corpus, opts.slice, work)?;
    for set in &corpus.sets {
        eprintln!(
            "bench:   {}: {} documents, {:.1} MB of text ({:.1}s)",
            set.name,
            set.docs,
            set.text_bytes as f64 / 1e6,
            set.load_secs
        );
    }
    let mut report = BenchReport::new(settings, opts, &corpus);
    let mut scales = opts.scales.clone();
    scales.sort_unstable();
    scales.dedup();
    for scale in scales {
        let result = run_scale(settings, opts, &corpus, scale, work)?;
        report.scales.push(result);
    }
    report.eval = run_eval(settings, opts, work)?;
    report.total_secs = started.elapsed().as_secs_f64();
    report.evaluate_targets();
    Ok(report)
}

fn run_scale(
    settings: &Settings,
    opts: &BenchOptions,
    corpus: &corpus::Corpus,
    scale: u32,
    work: &Path,
) -> anyhow::Result<ScaleResult> {
    let input = work.join(format!("corpus-{scale}x.jsonl"));
    eprintln!("bench: {scale}×: writing {}", input.display());
    let written = corpus::write_scaled(&corpus.records, scale, &input)?;
    let gadocs_dir = work.join(format!("gadocs-{scale}x"));
    let fts5_db = work.join(format!("fts5-{scale}x.sqlite"));
    remove_if_present(&gadocs_dir)?;
    remove_if_present(&fts5_db)?;

    eprintln!(
        "bench: {scale}×: building gadocs ({} documents)",
        written.docs
    );
    let gadocs_build = build::run_child(
        settings,
        build::Engine::Gadocs,
        &input,
        &gadocs_dir,
        written.text_bytes,
    )?;
    eprintln!("bench: {scale}×:   {}", gadocs_build.summary());
    eprintln!("bench: {scale}×: building FTS5");
    let fts5_build = build::run_child(
        settings,
        build::Engine::Fts5,
        &input,
        &fts5_db,
        written.text_bytes,
    )?;
    eprintln!("bench: {scale}×:   {}", fts5_build.summary());

    let store = IndexStore::open(&gadocs_dir)?;
    let fts = fts5::Fts5::open(&fts5_db)?;
    eprintln!(
        "bench: {scale}×: {} queries × ({} warm-up + {} timed) runs, engines alternating",
        queries::QUERIES.len(),
        opts.warmup,
        opts.runs
    );
    let measured = queries::measure(&store, &fts, opts.warmup, opts.runs)?;
    eprintln!("bench: {scale}×: one-document updates");
    let first = corpus::first_record(&input)?;
    let update = queries::measure_updates(settings, &store, &fts, &first, opts.updates, work)?;
    drop(store);
    drop(fts);
    if opts.out.is_none() {
        // In a folder of the user's (`--out`) the corpus file stays, for profiling a build.
        let _ = std::fs::remove_file(&input);
    }
    Ok(ScaleResult::new(
        scale,
        written,
        gadocs_build,
        fts5_build,
        measured,
        update,
    ))
}

/// The evaluation of issue 10, unless turned off, run on a slice (its expected documents
/// need all English resolutions) or without its query file (a note each time).
fn run_eval(
    settings: &Settings,
    opts: &BenchOptions,
    work: &Path,
) -> anyhow::Result<Option<eval::EvalReport>> {
    let Some(queries) = &opts.eval_queries else {
        return Ok(None);
    };
    if opts.slice.is_some() {
        eprintln!("bench: evaluation skipped: it needs every English resolution (no --slice)");
        return Ok(None);
    }
    if !queries.is_file() {
        eprintln!(
            "bench: evaluation skipped: no query file at {} (see --eval-queries)",
            queries.display()
        );
        return Ok(None);
    }
    eprintln!(
        "bench: evaluation: {} over the English resolutions",
        queries.display()
    );
    let report = eval::run(settings, &opts.corpus, queries, work)?;
    Ok(Some(report))
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Bytes of every file under `path` (a folder or a single file).
pub fn disk_bytes(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
