//! `gadocs schedule`: `update` again and again, every `--every` (or `[schedule] every`), or
//! at the times of a cron expression (`--cron`, `[schedule] cron`), until SIGINT or SIGTERM. The writer lock is held for the whole schedule, so a second
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
    #[arg(long, conflicts_with = "cron")]
    pub every: Option<String>,
    /// Run at the times of a cron expression, local time: five fields (`0 */6 * * *`: every
    /// six hours on the hour), or six with seconds first; default `[schedule] cron`.
    #[arg(long)]
    pub cron: Option<String>,
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
    let when = When::of(settings, &args)?;
    let signals = Arc::new(AtomicU32::new(0));
    watch_signals(Arc::clone(&signals))?;
    let stop = || signals.load(Ordering::SeqCst) > 0;
    let _lock = crate::lock::acquire(&settings.data_dir, "schedule", args.wait)?;
    eprintln!(
        "schedule: update {} on {} (pid {}); SIGINT or SIGTERM stops it",
        when.describe(),
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
    if let When::Cron(cron, _) = &when {
        let first = next_cron_start(cron)?;
        eprintln!("schedule: first run at {}", first.1);
        wait_until(first.0, &stop);
    }
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
        let next = match &when {
            When::Every(every, _) => start + *every,
            When::Cron(cron, _) => next_cron_start(cron)?.0,
        };
        wait_until(next, &stop);
    }
    eprintln!("schedule: stopped after {runs} runs ({failures} failed)");
    Ok(if failures == 0 {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}

/// When runs start.
enum When {
    /// Every interval, counted from one run's start to the next.
    Every(Duration, String),
    /// At each time of a cron expression (local time).
    Cron(Box<croner::Cron>, String),
}

impl When {
    /// From the flags, else the `[schedule]` table.
    fn of(settings: &Settings, args: &ScheduleArgs) -> anyhow::Result<Self> {
        let cfg = &settings.file.schedule;
        let (every, cron) = if args.every.is_some() || args.cron.is_some() {
            (args.every.as_deref(), args.cron.as_deref())
        } else {
            (cfg.every.as_deref(), cfg.cron.as_deref())
        };
        match (every, cron) {
            (Some(_), Some(_)) => anyhow::bail!(
                "[schedule] sets both `every` and `cron`: keep one (or pass --every or --cron)"
            ),
            (Some(e), None) => Ok(When::Every(parse_interval(e)?, e.to_string())),
            (None, Some(c)) => Ok(When::Cron(Box::new(parse_cron(c)?), c.to_string())),
            (None, None) => anyhow::bail!(
                "no schedule: pass --every (e.g. --every 6h) or --cron (e.g. --cron \"0 */6 * * *\"), or set `every` or `cron` in the [schedule] table of the configuration"
            ),
        }
    }

    fn describe(&self) -> String {
        match self {
            When::Every(_, s) => format!("every {s}"),
            When::Cron(_, s) => format!("at the times of cron \"{s}\" (local time)"),
        }
    }
}

/// Parses a cron expression: five fields, or six with seconds first.
pub fn parse_cron(expr: &str) -> anyhow::Result<croner::Cron> {
    use std::str::FromStr as _;
    croner::Cron::from_str(expr.trim()).map_err(|e| {
        anyhow::anyhow!(
            "cron expression {expr:?}: {e}; write five fields, minute hour day-of-month month day-of-week (\"0 */6 * * *\"), or six with seconds first"
        )
    })
}

/// The next start after now: as an `Instant`, and as a local time for the log.
fn next_cron_start(cron: &croner::Cron) -> anyhow::Result<(Instant, String)> {
    let now = chrono::Local::now();
    let next = cron
        .find_next_occurrence(&now, false)
        .map_err(|e| anyhow::anyhow!("cron expression {}: no next time: {e}", cron.pattern))?;
    let wait = (next - now).to_std().unwrap_or_default();
    Ok((
        Instant::now() + wait,
        next.format("%Y-%m-%d %H:%M:%S %z").to_string(),
    ))
}

/// Sleeps until `at`, waking every 100 ms to see whether to stop.
fn wait_until(at: Instant, stop: &impl Fn() -> bool) {
    while !stop() && Instant::now() < at {
        std::thread::sleep(Duration::from_millis(100).min(at - Instant::now().min(at)));
    }
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
