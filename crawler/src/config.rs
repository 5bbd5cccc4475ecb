//! Crawl configuration: the `[sources]` and `[crawler]` tables of `config.toml`.

use serde::{Deserialize, Serialize};
use url::Url;

/// Base URLs of the public sources (`[sources]` in `config.toml`).
///
/// Defaults are the real public hosts; tests point them at a loopback mirror.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sources {
    /// GitHub REST API (tree listing of `UNxml/GAresolutions`).
    pub github_api: Url,
    /// GitHub raw file host (the repository's files).
    pub github_raw: Url,
    /// UN Digital Library (OAI-PMH at `/oai2d`).
    pub digital_library: Url,
    /// ODS (`/api/symbol/access`).
    pub ods: Url,
    /// www.un.org (session resolution tables, committee draft status pages).
    pub un_org: Url,
}

impl Default for Sources {
    fn default() -> Self {
        let parse = |s: &str| Url::parse(s).expect("default source URLs are literals");
        Sources {
            github_api: parse("https://api.github.com"),
            github_raw: parse("https://raw.githubusercontent.com"),
            digital_library: parse("https://digitallibrary.un.org"),
            ods: parse("https://documents.un.org"),
            un_org: parse("https://www.un.org"),
        }
    }
}

/// Crawler behaviour (`[crawler]` in `config.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CrawlerSettings {
    /// Honest User-Agent naming gadocs and a contact.
    pub user_agent: String,
    /// Minimum gap between request arrivals to one host; robots.txt `Crawl-delay` wins when larger.
    pub per_host_delay_ms: u64,
    /// Whole-request timeout.
    pub timeout_secs: u64,
    /// Connect timeout.
    pub connect_timeout_secs: u64,
    /// Response bodies larger than this are refused.
    pub max_body_mb: u64,
    /// Fetch and obey robots.txt (Disallow, Crawl-delay). Turn off only for private mirrors.
    pub respect_robots: bool,
    /// Attempts per request, the first included (transient failures only are retried).
    pub max_attempts: u32,
    /// First backoff step; doubles per attempt, full jitter.
    pub backoff_base_ms: u64,
    /// Ceiling of one backoff wait (a `Retry-After` may ask for longer and is honoured).
    pub backoff_max_ms: u64,
    /// Longest `Retry-After` accepted; a longer one gives up on that request for the run.
    pub max_retry_after_secs: u64,
    /// Redirects followed per request (never https → http).
    pub max_redirects: u32,
    /// ISO 639-1 codes of the languages to fetch.
    pub languages: Vec<String>,
    /// GitHub repository `owner/name` of the machine-readable resolutions.
    pub github_repo: String,
    /// Branch (or commit) of that repository.
    pub github_branch: String,
    /// OAI-PMH `metadataPrefix`.
    pub oai_metadata_prefix: String,
    /// Overlap subtracted from the last harvest's responseDate for the next incremental `from`
    /// (clock skew between harvester and repository).
    pub oai_overlap_secs: u64,
    /// Sessions whose un.org pages are read when the index page cannot be (empty = from the index).
    pub un_org_sessions: Vec<String>,
}

impl Default for CrawlerSettings {
    fn default() -> Self {
        CrawlerSettings {
            user_agent: concat!(
                "gadocs-crawler/",
                env!("CARGO_PKG_VERSION"),
                " (+https://example.org/gadocs; contact: gadocs@example.org)"
            )
            .to_owned(),
            per_host_delay_ms: 5000,
            timeout_secs: 60,
            connect_timeout_secs: 15,
            max_body_mb: 100,
            respect_robots: true,
            max_attempts: 6,
            backoff_base_ms: 1000,
            backoff_max_ms: 60_000,
            max_retry_after_secs: 3600,
            max_redirects: 5,
            languages: ["en", "fr", "es", "ru", "ar", "zh"]
                .map(String::from)
                .to_vec(),
            github_repo: "UNxml/GAresolutions".to_owned(),
            github_branch: "main".to_owned(),
            oai_metadata_prefix: "marcxml".to_owned(),
            oai_overlap_secs: 0,
            un_org_sessions: Vec::new(),
        }
    }
}

/// Both tables together, as the crawler takes them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CrawlConfig {
    /// `[sources]`.
    pub sources: Sources,
    /// `[crawler]`.
    pub crawler: CrawlerSettings,
}

impl CrawlConfig {
    /// Checks values serde cannot; the message names the key and the valid choices.
    pub fn validate(&self) -> Result<(), String> {
        let c = &self.crawler;
        if c.user_agent.trim().is_empty() {
            return Err("crawler.user_agent must name gadocs and a contact".into());
        }
        if c.max_attempts == 0 {
            return Err("crawler.max_attempts must be at least 1".into());
        }
        if c.max_body_mb == 0 {
            return Err("crawler.max_body_mb must be at least 1".into());
        }
        for lang in &c.languages {
            if crate::lang::LANGUAGES.iter().all(|l| l.code != lang) {
                return Err(format!(
                    "crawler.languages: unknown language {lang:?}; known: en, fr, es, ru, ar, zh, de"
                ));
            }
        }
        Ok(())
    }
}
