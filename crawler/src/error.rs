//! Errors of the crawler (STYLE §3: subject first, lowercase, no trailing period).

use std::path::PathBuf;
use std::time::Duration;

use url::Url;

/// A failed fetch of one URL.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// An HTTP status that is neither success nor "not available".
    #[error("{url}: HTTP {status}")]
    Status {
        /// Requested URL.
        url: Url,
        /// Status received.
        status: u16,
        /// `Retry-After` the server gave, if any.
        retry_after: Option<Duration>,
    },
    /// Connection, timeout or protocol failure.
    #[error("{url}: request failed")]
    Transport {
        /// Requested URL.
        url: Url,
        /// Underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The body ended before its `Content-Length` (or its checksum did not match).
    #[error("{url}: body truncated ({got} of {expected} bytes)")]
    Truncated {
        /// Requested URL.
        url: Url,
        /// Bytes received.
        got: u64,
        /// Bytes announced.
        expected: u64,
    },
    /// The body did not match the checksum the listing gave.
    #[error("{url}: body does not match git blob {expected}")]
    Checksum {
        /// Requested URL.
        url: Url,
        /// Expected git blob id.
        expected: String,
    },
    /// The body exceeded `crawler.max_body_mb`.
    #[error("{url}: body larger than {limit_mb} MB")]
    TooLarge {
        /// Requested URL.
        url: Url,
        /// Configured cap.
        limit_mb: u64,
    },
    /// A redirect that is refused (too many, https → http, bad Location).
    #[error("{url}: redirect refused: {reason}")]
    Redirect {
        /// URL that answered with the redirect.
        url: Url,
        /// Why it was refused.
        reason: String,
    },
    /// The host answered with an anti-bot challenge; it is not contacted again this run.
    #[error("{url}: host blocked by an anti-bot challenge")]
    Blocked {
        /// URL that was challenged (or would have been requested).
        url: Url,
    },
    /// robots.txt disallows the URL.
    #[error("{url}: disallowed by robots.txt")]
    Disallowed {
        /// Refused URL.
        url: Url,
    },
    /// The host's request budget is spent (`x-ratelimit-remaining: 0`) until longer than
    /// `crawler.max_retry_after_secs`; the host is left alone for this run.
    #[error(
        "{url}: rate limit exhausted, resets in {secs} s; the host is left alone for this run and the next run continues (a token raises GitHub's limit)"
    )]
    RateLimited {
        /// Requested URL.
        url: Url,
        /// Seconds until the limit resets.
        secs: u64,
    },
    /// The host asked to wait longer than `crawler.max_retry_after_secs`.
    #[error("{url}: Retry-After of {secs} s exceeds the configured maximum")]
    RetryAfterTooLong {
        /// Requested URL.
        url: Url,
        /// Seconds asked.
        secs: u64,
    },
}

impl FetchError {
    /// True for failures worth retrying: timeouts, connection errors, 429, 5xx, truncated bodies.
    pub fn is_transient(&self) -> bool {
        match self {
            // a 403 is retried only when the server said when (secondary rate limit)
            FetchError::Status {
                status,
                retry_after,
                ..
            } => {
                *status == 429
                    || (500..600).contains(status)
                    || (*status == 403 && retry_after.is_some())
            }
            FetchError::Transport { source, .. } => !source.is_builder() && !source.is_redirect(),
            FetchError::Truncated { .. } | FetchError::Checksum { .. } => true,
            FetchError::TooLarge { .. }
            | FetchError::Redirect { .. }
            | FetchError::Blocked { .. }
            | FetchError::Disallowed { .. }
            | FetchError::RetryAfterTooLong { .. }
            | FetchError::RateLimited { .. } => false,
        }
    }

    /// Short reason for reports (`http 404`, `blocked`, `transport`).
    pub fn reason(&self) -> String {
        match self {
            FetchError::Status { status, .. } => format!("http {status}"),
            FetchError::Transport { source, .. } if source.is_timeout() => "timeout".into(),
            FetchError::Transport { .. } => "transport".into(),
            FetchError::Truncated { .. } => "truncated".into(),
            FetchError::Checksum { .. } => "checksum".into(),
            FetchError::TooLarge { .. } => "too large".into(),
            FetchError::Redirect { .. } => "redirect refused".into(),
            FetchError::Blocked { .. } => "blocked".into(),
            FetchError::Disallowed { .. } => "disallowed by robots.txt".into(),
            FetchError::RetryAfterTooLong { .. } => "retry-after too long".into(),
            FetchError::RateLimited { secs, .. } => {
                format!("rate limited: the host's limit resets in {secs} s")
            }
        }
    }
}

/// A failure of the raw store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Writing a file of the store failed.
    #[error("{path}: failed to write raw store file")]
    Write {
        /// File concerned.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Reading a file of the store failed.
    #[error("{path}: failed to read raw store file")]
    Read {
        /// File concerned.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file of the store is not valid JSON where it must be.
    #[error("{path}: corrupt raw store file")]
    Corrupt {
        /// File concerned.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: serde_json::Error,
    },
}

/// A crawl that could not run at all (per-document failures are counted in the report instead).
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// The configuration is invalid.
    #[error("invalid crawler configuration: {0}")]
    Config(String),
    /// The HTTP client could not be built.
    #[error("failed to build the HTTP client")]
    Client(#[source] reqwest::Error),
    /// The raw store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A background task panicked or was cancelled.
    #[error("crawl task failed: {0}")]
    Task(String),
}
