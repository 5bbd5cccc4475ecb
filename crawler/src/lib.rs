//! gadocs-crawler: fetches the public UN sources of General Assembly documents politely into a
//! raw store, the source of truth the indexer reads.
//!
//! The flow: [`crawl`] lists the UNxml/GAresolutions tree on GitHub and fetches the raw files
//! whose git blob sha changed; harvests MARC records from the UN Digital Library over OAI-PMH
//! (incrementally, resumably); fetches the ODS files their 856 links name; and reads the
//! www.un.org session tables as a cross-check. Every request goes through one client that reads
//! robots.txt first, keeps one request at a time per host with `max(Crawl-delay, configured)`
//! between arrivals, retries transient failures with backoff and `Retry-After`, and stops a
//! host that answers with an anti-bot challenge. Bodies land in a [`RawStore`]. The crate knows
//! HTTP, not documents: normalizing and indexing are the `gadocs` crate's job.
//!
//! ```no_run
//! # async fn demo() -> Result<(), gadocs_crawler::CrawlError> {
//! use gadocs_crawler::{CrawlConfig, CrawlOptions, RawStore, crawl};
//! let report = crawl(&CrawlConfig::default(), "data/raw".as_ref(), CrawlOptions::default()).await?;
//! println!("{} fetched", report.total(|c| c.fetched));
//! let store = RawStore::open("data/raw")?;
//! for entry in store.latest_entries()? {
//!     if entry.has_body() {
//!         let _bytes = store.read(&entry);
//!     }
//! }
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod config;
mod error;
mod fetch;
mod frontier;
pub mod lang;
pub mod marc;
mod politeness;
mod raw_store;
mod report;
pub mod robots;
mod sources;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;

pub use config::{CrawlConfig, CrawlerSettings, Sources};
pub use error::{CrawlError, FetchError, StoreError};
pub use marc::MarcRecord;
pub use raw_store::{FetchStatus, HarvestState, ManifestEntry, MarcLine, RawStore, SourceKind};
pub use report::{CrawlEvent, CrawlReport, SourceCounts};
pub use sources::un_org::{Listed, ListedDraft, ListedResolution};

/// What one run should do, on top of the configuration.
#[derive(Debug, Clone, Default)]
pub struct CrawlOptions {
    /// Sources to crawl (empty: all). `GithubApi` and `GithubRaw` go together; `Ods` needs the
    /// records, so it reads the stored ones when `DigitalLibrary` is not selected.
    pub sources: Vec<SourceKind>,
    /// Sessions to restrict the repository files and un.org pages to (`74`, `ES-11`; empty: all).
    pub sessions: Vec<String>,
    /// Languages overriding `crawler.languages`.
    pub languages: Option<Vec<String>>,
    /// OAI-PMH `from` overriding the incremental high-water mark (`YYYY-MM-DD` or full time).
    pub since: Option<String>,
    /// Progress events, if the caller draws bars.
    pub events: Option<UnboundedSender<CrawlEvent>>,
}

impl CrawlOptions {
    fn wants(&self, source: SourceKind) -> bool {
        self.sources.is_empty()
            || self.sources.contains(&source)
            || (source == SourceKind::GithubApi && self.sources.contains(&SourceKind::GithubRaw))
            || (source == SourceKind::GithubRaw && self.sources.contains(&SourceKind::GithubApi))
    }
}

/// Crawls the configured sources into the raw store at `store_dir`.
///
/// Per-document failures are counted in the report (see [`CrawlReport::is_clean`]); an `Err`
/// means the crawl could not run or the store could not be written.
pub async fn crawl(
    config: &CrawlConfig,
    store_dir: &Path,
    options: CrawlOptions,
) -> Result<CrawlReport, CrawlError> {
    let started = Instant::now();
    config.validate().map_err(CrawlError::Config)?;
    if let Some(langs) = &options.languages {
        let probe = CrawlConfig {
            crawler: CrawlerSettings {
                languages: langs.clone(),
                ..config.crawler.clone()
            },
            ..config.clone()
        };
        probe.validate().map_err(CrawlError::Config)?;
    }
    let dir = store_dir.to_path_buf();
    let store = tokio::task::spawn_blocking(move || RawStore::open(dir))
        .await
        .map_err(|e| CrawlError::Task(e.to_string()))??;
    let store = Arc::new(store);
    let latest_list = {
        let store = store.clone();
        tokio::task::spawn_blocking(move || store.latest_entries())
            .await
            .map_err(|e| CrawlError::Task(e.to_string()))??
    };
    let latest: HashMap<String, ManifestEntry> = latest_list
        .into_iter()
        .map(|e| (e.url.clone(), e))
        .collect();
    let events = options.events.clone();
    let ctx = frontier::Ctx {
        fetcher: fetch::Fetcher::new(&config.crawler)?,
        store,
        config: config.clone(),
        options,
        latest,
        report: Mutex::new(CrawlReport::default()),
        events,
        state_lock: tokio::sync::Mutex::new(()),
    };
    let github = async {
        if ctx.options.wants(SourceKind::GithubApi) {
            sources::github::run(&ctx).await?;
        }
        Ok::<_, CrawlError>(())
    };
    let library = async {
        let mut harvested = Vec::new();
        if ctx.options.wants(SourceKind::DigitalLibrary) {
            harvested = sources::oai::run(&ctx).await?;
        }
        if ctx.options.wants(SourceKind::Ods) {
            sources::ods::run(&ctx, &harvested).await?;
        }
        Ok::<_, CrawlError>(())
    };
    let un_org = async {
        if ctx.options.wants(SourceKind::UnOrg) {
            return sources::un_org::run(&ctx).await;
        }
        Ok(sources::un_org::Listed::default())
    };
    let (github, library, listed) = tokio::join!(github, library, un_org);
    github?;
    library?;
    let listed = listed?;
    let records = ctx.blocking(|s| s.marc_records()).await?;
    let known: HashSet<String> = records
        .iter()
        .map(|r| normalize_symbol(&r.symbol))
        .collect();
    let mut report = ctx.report.into_inner().unwrap_or_else(|p| p.into_inner());
    if !records.is_empty() {
        report.un_org_unmatched = listed
            .resolutions
            .iter()
            .map(|l| l.symbol.clone())
            .chain(listed.drafts.iter().map(|d| d.symbol.clone()))
            .filter(|s| !known.contains(&normalize_symbol(s)))
            .take(50)
            .collect();
    }
    let names: HashMap<String, &str> = [
        (&config.sources.github_api, "github_api"),
        (&config.sources.github_raw, "github_raw"),
        (&config.sources.digital_library, "digital_library"),
        (&config.sources.ods, "ods"),
        (&config.sources.un_org, "un_org"),
    ]
    .into_iter()
    .map(|(u, n)| (u.origin().ascii_serialization(), n))
    .collect();
    for (origin, count) in ctx.fetcher.hosts.requests() {
        let name = names
            .get(&origin)
            .map_or(origin.clone(), |n| (*n).to_owned());
        *report.requests_per_host.entry(name).or_default() += count;
    }
    for (origin, reason) in ctx.fetcher.hosts.blocked() {
        let name = names
            .get(&origin)
            .map_or(origin.clone(), |n| (*n).to_owned());
        report.blocked_hosts.push((name, reason));
    }
    report.retries = ctx.fetcher.retries();
    report.elapsed_secs = started.elapsed().as_secs_f64();
    let store = ctx.store.clone();
    let _guard = ctx.state_lock.lock().await;
    tokio::task::spawn_blocking(move || {
        let mut state = store.state()?;
        state.last_crawl_finished =
            Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        store.save_state(&state)
    })
    .await
    .map_err(|e| CrawlError::Task(e.to_string()))??;
    Ok(report)
}

/// Symbol key for comparisons: whitespace collapsed, upper case.
fn normalize_symbol(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}
