//! `gadocs bench`: gadocs against SQLite FTS5 on the shared corpus (see [`crate::bench`]).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::bench::{self, BenchOptions, build::Engine};
use crate::cli::Outcome;
use crate::config::Settings;

/// Arguments of `bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The shared corpus folder (holds ga-resolutions/ and general-debate/).
    #[arg(long, default_value = "../shared/corpus")]
    pub corpus: PathBuf,
    /// Only the first N documents of each set (quick runs, CI).
    #[arg(long)]
    pub slice: Option<usize>,
    /// Corpus scales to measure, comma-separated (copies get distinct symbols and sessions).
    #[arg(long, value_delimiter = ',', default_value = "1")]
    pub scale: Vec<u32>,
    /// Timed runs of the query set.
    #[arg(long, default_value_t = 10)]
    pub runs: usize,
    /// Untimed warm-up runs before them.
    #[arg(long, default_value_t = 2)]
    pub warmup: usize,
    /// Times the one-document update is measured.
    #[arg(long, default_value_t = 5)]
    pub updates: usize,
    /// Print every figure as one JSON object on stdout (the table goes to stderr).
    #[arg(long)]
    pub json: bool,
    /// Write the growth chart (build MB/s, p50/p99, index size, RSS against scale) as SVG.
    #[arg(long)]
    pub svg: Option<PathBuf>,
    /// Work folder for corpus files and indexes, kept after the run (default: a temporary
    /// folder, removed after).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Evaluation query set of issue 10 (success@3 and MRR@10 per kind for gadocs with and
    /// without expansion and FTS5); skipped with a note when the file is missing or with --slice.
    #[arg(long, default_value = "tests/eval/queries.tsv")]
    pub eval_queries: PathBuf,
    /// Skip the evaluation.
    #[arg(long)]
    pub no_eval: bool,
    /// (internal) build one engine's index in this process and print its figures.
    #[arg(long, hide = true, value_enum, requires_all = ["internal_input", "internal_target"])]
    pub internal_build: Option<Engine>,
    /// (internal) corpus file to build from.
    #[arg(long, hide = true)]
    pub internal_input: Option<PathBuf>,
    /// (internal) index folder or database to build.
    #[arg(long, hide = true)]
    pub internal_target: Option<PathBuf>,
}

/// `gadocs bench`.
pub fn run(settings: &Settings, args: BenchArgs) -> anyhow::Result<Outcome> {
    if let (Some(engine), Some(input), Some(target)) = (
        args.internal_build,
        &args.internal_input,
        &args.internal_target,
    ) {
        bench::build::child_main(settings, engine, input, target)?;
        return Ok(Outcome::Ok);
    }
    anyhow::ensure!(args.runs > 0, "--runs must be at least 1");
    anyhow::ensure!(
        args.scale.iter().all(|s| *s >= 1),
        "--scale values must be at least 1"
    );
    let opts = BenchOptions {
        corpus: args.corpus.clone(),
        slice: args.slice,
        scales: args.scale.clone(),
        runs: args.runs,
        warmup: args.warmup,
        updates: args.updates.max(1),
        out: args.out.clone(),
        eval_queries: (!args.no_eval).then(|| args.eval_queries.clone()),
    };
    let report = bench::run(settings, &opts)?;
    if let Some(path) = &args.svg {
        std::fs::write(path, bench::svg::render(&report))
            .with_context(|| format!("{}: cannot write the chart", path.display()))?;
    }
    if args.json {
        eprint!("{}", report.to_text());
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", report.to_text());
    }
    Ok(Outcome::Ok)
}
