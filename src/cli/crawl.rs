//! `gadocs crawl`: fetch the UN sources into `<data>/raw` (see the `gadocs-crawler` crate).

use std::collections::HashMap;
use std::time::Duration;

use clap::{Args, ValueEnum};
use gadocs_crawler::{CrawlEvent, CrawlOptions, CrawlReport, SourceKind};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::Outcome;
use crate::cli::output::{clean, thousands};
use crate::config::Settings;

/// A source on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    /// The UNxml/GAresolutions repository (tree listing and raw files).
    #[value(alias = "github_raw", alias = "github_api")]
    Github,
    /// UN Digital Library records over OAI-PMH.
    #[value(alias = "digital_library")]
    Oai,
    /// ODS document files named by the records.
    Ods,
    /// www.un.org session pages.
    #[value(name = "un_org", alias = "un-org")]
    UnOrg,
}

impl SourceArg {
    fn kinds(self) -> &'static [SourceKind] {
        match self {
            SourceArg::Github => &[SourceKind::GithubApi, SourceKind::GithubRaw],
            SourceArg::Oai => &[SourceKind::DigitalLibrary],
            SourceArg::Ods => &[SourceKind::Ods],
            SourceArg::UnOrg => &[SourceKind::UnOrg],
        }
    }
}

/// What to crawl (shared by `crawl` and `update`).
#[derive(Debug, Clone, Default, Args)]
pub struct CrawlFilter {
    /// Source to crawl (repeatable; default: all).
    #[arg(long = "source", value_enum, value_name = "SOURCE")]
    pub sources: Vec<SourceArg>,
    /// Session whose repository files and un.org pages are fetched (repeatable: 74, ES-11;
    /// default: all). Catalogue records are harvested for every session.
    #[arg(long = "session", value_name = "N")]
    pub sessions: Vec<String>,
    /// Language to fetch (repeatable, ISO 639-1; default: `crawler.languages`).
    #[arg(long = "lang", value_name = "L")]
    pub langs: Vec<String>,
    /// Harvest catalogue records changed since this date (YYYY-MM-DD) instead of since the
    /// last harvest.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
}

/// Arguments of `crawl`.
#[derive(Debug, Args)]
pub struct CrawlArgs {
    /// What to crawl.
    #[command(flatten)]
    pub filter: CrawlFilter,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// When another crawl/index/import/update holds the data folder, wait for it instead of
    /// failing (the raw store has one writer at a time).
    #[arg(long)]
    pub wait: bool,
}

/// Runs the crawler into `<data>/raw`, with one progress bar per source when `progress`.
pub fn crawl(
    settings: &Settings,
    filter: &CrawlFilter,
    progress: bool,
) -> anyhow::Result<CrawlReport> {
    let mut sources: Vec<SourceKind> = Vec::new();
    for s in &filter.sources {
        for k in s.kinds() {
            if !sources.contains(k) {
                sources.push(*k);
            }
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("gadocs-crawl")
        .build()?;
    let config = settings.crawl_config();
    let raw_dir = settings.raw_dir();
    runtime.block_on(async move {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<CrawlEvent>();
        let bars = tokio::spawn(async move {
            let mut bars = Bars::new(progress);
            while let Some(event) = rx.recv().await {
                bars.event(event);
            }
            bars.finish();
        });
        let options = CrawlOptions {
            sources,
            sessions: filter.sessions.clone(),
            languages: (!filter.langs.is_empty()).then(|| filter.langs.clone()),
            since: filter.since.clone(),
            events: Some(tx),
        };
        let report = gadocs_crawler::crawl(&config, &raw_dir, options).await;
        let _ = bars.await;
        Ok(report?)
    })
}

/// One bar per source, drawn on stderr.
struct Bars {
    multi: MultiProgress,
    bars: HashMap<SourceKind, (ProgressBar, u64)>,
    style: ProgressStyle,
}

impl Bars {
    fn new(enabled: bool) -> Bars {
        let multi = MultiProgress::new();
        if !enabled {
            multi.set_draw_target(ProgressDrawTarget::hidden());
        }
        Bars {
            multi,
            bars: HashMap::new(),
            style: ProgressStyle::with_template(
                "{prefix:>16} [{bar:30}] {pos}/{len} {msg} {elapsed_precise}",
            )
            .expect("template is a literal")
            .progress_chars("=> "),
        }
    }

    fn bar(&mut self, source: SourceKind) -> &mut (ProgressBar, u64) {
        self.bars.entry(source).or_insert_with(|| {
            let bar = self.multi.add(ProgressBar::new(0));
            bar.set_style(self.style.clone());
            bar.set_prefix(source.as_str());
            bar.enable_steady_tick(Duration::from_millis(250));
            (bar, 0)
        })
    }

    fn event(&mut self, event: CrawlEvent) {
        match event {
            CrawlEvent::Planned { source, count } => self.bar(source).0.inc_length(count),
            CrawlEvent::Done { source, bytes, .. } => {
                let (bar, total) = self.bar(source);
                *total += bytes;
                bar.inc(1);
                bar.set_message(megabytes(*total));
            }
            CrawlEvent::Skipped { source } => self.bar(source).0.inc(1),
            CrawlEvent::SourceFinished { source } => self.bar(source).0.finish(),
        }
    }

    fn finish(self) {
        for (bar, _) in self.bars.values() {
            bar.finish_and_clear();
        }
        let _ = self.multi.clear();
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Whether the crawl needs attention: a failure or a blocked host or document.
pub fn crawl_failed(report: &CrawlReport) -> bool {
    !report.is_clean() || report.total(|c| c.blocked) > 0
}

/// The report as an aligned table, with requests, retries, blocks and first failures.
pub fn report_table(report: &CrawlReport) -> String {
    let head = [
        "source",
        "planned",
        "fetched",
        "new",
        "changed",
        "unchanged",
        "304",
        "skipped",
        "unavailable",
        "blocked",
        "failed",
        "MB",
    ];
    let row = |name: &str, c: &gadocs_crawler::SourceCounts| -> Vec<String> {
        let mut v = vec![name.to_owned()];
        v.extend(
            [
                c.planned,
                c.fetched,
                c.new,
                c.changed,
                c.unchanged,
                c.not_modified,
                c.skipped,
                c.unavailable,
                c.blocked,
                c.failed,
            ]
            .map(thousands),
        );
        v.push(format!("{:.1}", c.bytes as f64 / 1e6));
        v
    };
    let mut rows: Vec<Vec<String>> = vec![head.map(str::to_owned).to_vec()];
    let mut total = gadocs_crawler::SourceCounts::default();
    for (name, c) in &report.sources {
        rows.push(row(name, c));
        total.planned += c.planned;
        total.fetched += c.fetched;
        total.new += c.new;
        total.changed += c.changed;
        total.unchanged += c.unchanged;
        total.not_modified += c.not_modified;
        total.skipped += c.skipped;
        total.unavailable += c.unavailable;
        total.blocked += c.blocked;
        total.failed += c.failed;
        total.bytes += c.bytes;
    }
    rows.push(row("total", &total));
    let widths: Vec<usize> = (0..head.len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                if i == 0 {
                    format!("{cell:<w$}", w = widths[i])
                } else {
                    format!("{cell:>w$}", w = widths[i])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    let join = |m: &std::collections::BTreeMap<String, u64>| {
        if m.is_empty() {
            "none".to_owned()
        } else {
            m.iter()
                .map(|(k, v)| format!("{k} {}", thousands(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    out.push_str(&format!(
        "requests: {}\nretries: {}\n",
        join(&report.requests_per_host),
        join(&report.retries)
    ));
    out.push_str(&format!(
        "catalogue: {} records harvested, {} deleted, {} OAI pages; un.org: {} resolutions and {} drafts listed, {} not in the catalogue\n",
        thousands(report.marc_records),
        thousands(report.marc_deleted),
        thousands(report.oai_pages),
        thousands(report.un_org_listed),
        thousands(report.un_org_drafts),
        report.un_org_unmatched.len()
    ));
    for (host, reason) in &report.blocked_hosts {
        out.push_str(&format!("blocked: {host}: {}\n", clean(reason)));
    }
    for (url, reason) in report.failures.iter().take(20) {
        out.push_str(&format!("failed: {} {}\n", clean(url), clean(reason)));
    }
    if report.failures.len() > 20 {
        out.push_str(&format!(
            "… {} more failures (--json lists up to 50)\n",
            report.failures.len() - 20
        ));
    }
    let secs = report.elapsed_secs.max(1e-9);
    let requests: u64 = report.requests_per_host.values().sum();
    out.push_str(&format!(
        "{:.1}s, {:.1} requests/s\n",
        report.elapsed_secs,
        requests as f64 / secs
    ));
    out
}

/// `gadocs crawl`
pub fn run(settings: &Settings, args: CrawlArgs, progress: bool) -> anyhow::Result<Outcome> {
    let _lock = crate::lock::acquire(&settings.data_dir, "crawl", args.wait)?;
    let report = crawl(settings, &args.filter, progress)?;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", report_table(&report));
    }
    Ok(if crawl_failed(&report) {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}
