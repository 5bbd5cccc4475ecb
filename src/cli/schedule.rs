//! `gadocs schedule`: `update` again and again, every `--every` (or `[schedule] every`),
//! until SIGINT or SIGTERM. The writer lock is held for the whole schedule, so a second
//! `schedule`, `update`, `index` or `import` on the same data folder is refused (or waits
//! with `--wait`). A signal during a run lets the run finish (its commits are atomic) and
//! then exits 0; a second signal exits at once (the index keeps its last commit).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use clap::Args;

use crate::cli::Outcome;
use crate::cli::crawl::CrawlFilter;
use crate::cli::update::{UpdateArgs, run_locked};
use crate::config::{Settings, parse_interval};

/// Arguments of `schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// Interval between run starts (`30s`, `10m`, `6h`, `1d`); default `[schedule] every`.
    #[arg(long)]
    pub every: Option<String>,
    /// What each run crawls first.
    #[command(flatten)]
    pub filter: CrawlFilter,
    /// Do not crawl: index what the raw store holds (something else fills it).
    #[arg(long)]
    pub no_crawl: bool,
    /// Stop after this many runs (0: until stopped).
    #[arg(long, default_value_t = 0)]
    pub runs: u64,
    /// When another index/import/update holds the data folder, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
}

/// `gadocs schedule`
pub fn run(settings: &Settings, args: ScheduleArgs, progress: bool) -> anyhow::Result<Outcome> {
    let cfg = &settings.file.schedule;
    if cfg.cron.is_some() && args.every.is_none() {
        anyhow::bail!(
            "[schedule] cron is not supported; set `every` (e.g. every = \"6h\"), pass --every, or start `gadocs update` from cron or a systemd timer"
        );
    }
    let every = match args.every.as_deref().or(cfg.every.as_deref()) {
        Some(s) => parse_interval(s)?,
        None => anyhow::bail!(
            "no interval: pass --every (e.g. --every 6h) or set `every` in the [schedule] table of the configuration"
        ),
    };
    let signals = Arc::new(AtomicU32::new(0));
    watch_signals(Arc::clone(&signals))?;
    let stop = || signals.load(Ordering::SeqCst) > 0;
    let _lock = crate::lock::acquire(&settings.data_dir, "schedule", args.wait)?;
    eprintln!(
        "schedule: update every {} on {} (pid {}); SIGINT or SIGTERM stops it",
        args.every
            .as_deref()
            .or(cfg.every.as_deref())
            .unwrap_or_default(),
        settings.data_dir.display(),
        std::process::id()
    );
    let update = UpdateArgs {
        filter: args.filter.clone(),
        no_crawl: args.no_crawl,
        json: false,
        wait: false,
    };
    let mut runs = 0u64;
    let mut failures = 0u64;
    while !stop() {
        let start = Instant::now();
        runs += 1;
        match run_locked(settings, &update, progress) {
            Ok((_, report)) => {
                let r = &report.run;
                eprintln!(
                    "schedule: run {} ({}) {} new, {} updated, {} unchanged, {} skipped, {} removed in {:.2}s",
                    runs,
                    if r.run_id.is_empty() {
                        "nothing to commit"
                    } else {
                        &r.run_id
                    },
                    r.indexed,
                    r.updated,
                    r.unchanged,
                    r.skipped.len(),
                    report.removed,
                    start.elapsed().as_secs_f64()
                );
            }
            Err(e) => {
                failures += 1;
                eprintln!(
                    "schedule: run {runs} failed after {:.2}s: {e:#}",
                    start.elapsed().as_secs_f64()
                );
            }
        }
        if args.runs > 0 && runs >= args.runs {
            break;
        }
        let next = start + every;
        while !stop() && Instant::now() < next {
            std::thread::sleep(Duration::from_millis(100).min(next - Instant::now().min(next)));
        }
    }
    eprintln!("schedule: stopped after {runs} runs ({failures} failed)");
    Ok(if failures == 0 {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}

/// Counts SIGINT/SIGTERM in `count` (on a thread of its own, so the crawler's runtime is
/// unaffected); the second one exits at once with status 130.
fn watch_signals(count: Arc<AtomicU32>) -> anyhow::Result<()> {
    let (tx, rx) = std::sync::mpsc::channel::<anyhow::Result<()>>();
    std::thread::spawn(move || {
        let rt = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                let _ = tx.send(Err(e.into()));
                return;
            }
        };
        rt.block_on(async move {
            use tokio::signal::unix::{SignalKind, signal};
            let (mut int, mut term) = match (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
            ) {
                (Ok(i), Ok(t)) => (i, t),
                (Err(e), _) | (_, Err(e)) => {
                    let _ = tx.send(Err(e.into()));
                    return;
                }
            };
            let _ = tx.send(Ok(()));
            loop {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
                if count.fetch_add(1, Ordering::SeqCst) >= 1 {
                    eprintln!(
                        "schedule: second signal, exiting now (the index keeps its last commit)"
                    );
                    std::process::exit(130);
                }
                eprintln!("schedule: stopping after the current run");
            }
        });
    });
    rx.recv()
        .map_err(|_| anyhow::anyhow!("signal watcher did not start"))??;
    Ok(())
}
