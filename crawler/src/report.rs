//! What a crawl did: counts per source, requests per host, failures with reasons, and the
//! progress events the binary turns into bars.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::raw_store::{FetchStatus, SourceKind};

/// Counts of one source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceCounts {
    /// Items planned (known after listing).
    pub planned: u64,
    /// Bodies received (200) and stored.
    pub fetched: u64,
    /// Fetched for a URL never stored before.
    pub new: u64,
    /// Fetched with content different from the stored one.
    pub changed: u64,
    /// Fetched with the same content as stored (or skipped because the listing's checksum
    /// was unchanged, or answered 304).
    pub unchanged: u64,
    /// Answered 304 to a conditional request.
    pub not_modified: u64,
    /// Not requested at all: unchanged according to the listing (git blob sha).
    pub skipped: u64,
    /// 404/410, empty 200 or invalid body.
    pub unavailable: u64,
    /// Refused because the host challenged us (or robots.txt disallows it).
    pub blocked: u64,
    /// Gave up.
    pub failed: u64,
    /// Body bytes received.
    pub bytes: u64,
    /// Reasons of unavailable/blocked/failed, counted.
    pub reasons: BTreeMap<String, u64>,
}

/// The summary of one crawl.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CrawlReport {
    /// Counts per source (`github_raw`, …).
    pub sources: BTreeMap<String, SourceCounts>,
    /// Requests sent per host (source name, or origin for other hosts), robots.txt included.
    pub requests_per_host: BTreeMap<String, u64>,
    /// Retries by reason (`http 429`, `transport`, `truncated`, …).
    pub retries: BTreeMap<String, u64>,
    /// Hosts blocked this run, with the reason.
    pub blocked_hosts: Vec<(String, String)>,
    /// MARC records harvested this run (updated or new).
    pub marc_records: u64,
    /// Deleted records reported by OAI-PMH this run.
    pub marc_deleted: u64,
    /// OAI pages read this run.
    pub oai_pages: u64,
    /// Resolution symbols listed on the un.org pages read this run.
    pub un_org_listed: u64,
    /// Drafts listed on the committees' draft status pages read this run.
    pub un_org_drafts: u64,
    /// Listed on un.org but found neither in the MARC records nor the repository listing.
    pub un_org_unmatched: Vec<String>,
    /// First failures (url, reason), at most 50.
    pub failures: Vec<(String, String)>,
    /// Wall time in seconds.
    pub elapsed_secs: f64,
}

impl CrawlReport {
    /// Total of a count over all sources.
    pub fn total(&self, pick: impl Fn(&SourceCounts) -> u64) -> u64 {
        self.sources.values().map(pick).sum()
    }

    /// True if nothing failed (unavailable documents are not failures).
    pub fn is_clean(&self) -> bool {
        self.total(|c| c.failed) == 0 && self.blocked_hosts.is_empty()
    }

    pub(crate) fn counts(&mut self, source: SourceKind) -> &mut SourceCounts {
        self.sources.entry(source.as_str().to_owned()).or_default()
    }
}

/// A progress event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrawlEvent {
    /// More items are planned for a source (add to the bar length).
    Planned {
        /// Source.
        source: SourceKind,
        /// Items added.
        count: u64,
    },
    /// One item finished.
    Done {
        /// Source.
        source: SourceKind,
        /// URL requested (or skipped).
        url: String,
        /// Outcome.
        status: FetchStatus,
        /// Body bytes received.
        bytes: u64,
    },
    /// An item was skipped without a request (unchanged).
    Skipped {
        /// Source.
        source: SourceKind,
    },
    /// A source finished.
    SourceFinished {
        /// Source.
        source: SourceKind,
    },
}
