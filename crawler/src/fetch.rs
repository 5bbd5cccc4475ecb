//! One polite HTTP client per run: robots.txt, per-host turns, retries with backoff and
//! `Retry-After`, manual redirects, size caps, conditional requests, challenge detection.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};
use url::Url;

use crate::config::CrawlerSettings;
use crate::error::{CrawlError, FetchError};
use crate::politeness::{HostState, Hosts, backoff, parse_retry_after};
use crate::robots::Robots;

/// Validators of a stored body, sent as `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Validators {
    /// URL the validators belong to (the final URL after redirects).
    pub url: String,
    /// Stored `ETag`.
    pub etag: Option<String>,
    /// Stored `Last-Modified`.
    pub last_modified: Option<String>,
}

/// A successful exchange.
#[derive(Debug)]
pub(crate) enum Response {
    /// 2xx with a body (possibly empty: the caller validates).
    Body {
        /// URL the body came from.
        final_url: Url,
        /// HTTP status.
        status: u16,
        /// `ETag`.
        etag: Option<String>,
        /// `Last-Modified`.
        last_modified: Option<String>,
        /// `Content-Type`.
        content_type: Option<String>,
        /// The body.
        body: Vec<u8>,
    },
    /// 304: the stored body is current.
    NotModified {
        /// URL that answered 304.
        final_url: Url,
    },
}

/// The crawler's HTTP side.
#[derive(Debug)]
pub(crate) struct Fetcher {
    client: reqwest::Client,
    settings: CrawlerSettings,
    pub hosts: Hosts,
    retries: std::sync::Mutex<std::collections::BTreeMap<String, u64>>,
}

/// One attempt's result, before the retry decision.
enum Attempt {
    Done(Response),
    Redirect(Url),
}

impl Fetcher {
    /// Builds the run's client: user agent, timeouts, gzip, no automatic redirects (each hop
    /// goes through the host's turn), TLS always verified.
    pub fn new(settings: &CrawlerSettings) -> Result<Fetcher, CrawlError> {
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .timeout(Duration::from_secs(settings.timeout_secs))
            .connect_timeout(Duration::from_secs(settings.connect_timeout_secs))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(CrawlError::Client)?;
        Ok(Fetcher {
            client,
            settings: settings.clone(),
            hosts: Hosts::default(),
            retries: Default::default(),
        })
    }

    /// Retries performed, by reason.
    pub fn retries(&self) -> std::collections::BTreeMap<String, u64> {
        self.retries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// GETs `url`, following redirects; sends validators when the request URL matches theirs.
    pub async fn get(
        &self,
        url: &Url,
        extra: &HeaderMap,
        validators: Option<&Validators>,
    ) -> Result<Response, FetchError> {
        let mut current = url.clone();
        for _hop in 0..=self.settings.max_redirects {
            let mut headers = extra.clone();
            if let Some(v) = validators.filter(|v| v.url == current.as_str()) {
                if let Some(etag) = v
                    .etag
                    .as_deref()
                    .and_then(|e| HeaderValue::from_str(e).ok())
                {
                    headers.insert(header::IF_NONE_MATCH, etag);
                }
                if let Some(lm) = v
                    .last_modified
                    .as_deref()
                    .and_then(|e| HeaderValue::from_str(e).ok())
                {
                    headers.insert(header::IF_MODIFIED_SINCE, lm);
                }
            }
            match self.get_with_retries(&current, &headers).await? {
                Attempt::Done(resp) => return Ok(resp),
                Attempt::Redirect(next) => {
                    if current.scheme() == "https" && next.scheme() != "https" {
                        return Err(FetchError::Redirect {
                            url: current,
                            reason: "https to http".into(),
                        });
                    }
                    if !matches!(next.scheme(), "http" | "https") {
                        return Err(FetchError::Redirect {
                            url: current,
                            reason: "not http(s)".into(),
                        });
                    }
                    current = next;
                }
            }
        }
        Err(FetchError::Redirect {
            url: url.clone(),
            reason: "too many redirects".into(),
        })
    }

    async fn get_with_retries(
        &self,
        url: &Url,
        headers: &HeaderMap,
    ) -> Result<Attempt, FetchError> {
        let base = Duration::from_millis(self.settings.backoff_base_ms);
        let max = Duration::from_millis(self.settings.backoff_max_ms);
        let mut attempt = 1;
        loop {
            let err = match self.attempt(url, headers).await {
                Ok(done) => return Ok(done),
                Err(err) => err,
            };
            if !err.is_transient() || attempt >= self.settings.max_attempts {
                return Err(err);
            }
            let mut wait = backoff(base, max, attempt);
            if let FetchError::Status {
                retry_after: Some(ra),
                ..
            } = &err
            {
                wait = wait.max(*ra);
            }
            {
                let mut retries = self.retries.lock().unwrap_or_else(|p| p.into_inner());
                *retries.entry(err.reason()).or_default() += 1;
            }
            tracing::debug!(url = %url, error = %err, attempt, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One exchange under the host's turn.
    async fn attempt(&self, url: &Url, headers: &HeaderMap) -> Result<Attempt, FetchError> {
        let host = self.hosts.get(url);
        let mut state = host.lock().await;
        if state.blocked.is_some() {
            return Err(FetchError::Blocked { url: url.clone() });
        }
        if state.robots.is_none() {
            self.load_robots(url, &mut state).await;
        }
        if state.blocked.is_some() {
            return Err(FetchError::Blocked { url: url.clone() });
        }
        let path = match url.query() {
            Some(q) => format!("{}?{}", url.path(), q),
            None => url.path().to_owned(),
        };
        if self.settings.respect_robots && !state.robots.as_ref().is_none_or(|r| r.allowed(&path)) {
            return Err(FetchError::Disallowed { url: url.clone() });
        }
        state.wait_turn().await;
        self.hosts.count_request(url);
        let resp = self
            .client
            .get(url.clone())
            .headers(headers.clone())
            .send()
            .await
            .map_err(|source| FetchError::Transport {
                url: url.clone(),
                source,
            })?;
        let status = resp.status();
        if is_challenge(status, resp.headers()) {
            tracing::warn!(url = %url, status = status.as_u16(), "anti-bot challenge: host blocked for this run");
            state.blocked = Some(format!("HTTP {} with x-amzn-waf-action", status.as_u16()));
            return Err(FetchError::Blocked { url: url.clone() });
        }
        let retry_after = resp
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        // GitHub's primary rate limit: 403 or 429 with `x-ratelimit-remaining: 0`, wait until
        // `x-ratelimit-reset`; never ask again before it (SOURCES.md §1.4)
        if let Some(wait) = rate_limit_wait(status, resp.headers()) {
            if wait > Duration::from_secs(self.settings.max_retry_after_secs) {
                tracing::warn!(url = %url, secs = wait.as_secs(), "rate limit exhausted: host left alone for this run");
                state.blocked = Some(format!(
                    "rate limit exhausted (HTTP {}, x-ratelimit-remaining: 0), resets in {} s",
                    status.as_u16(),
                    wait.as_secs()
                ));
                return Err(FetchError::RateLimited {
                    url: url.clone(),
                    secs: wait.as_secs(),
                });
            }
            state.pause(wait);
            return Err(FetchError::Status {
                url: url.clone(),
                status: status.as_u16(),
                retry_after: Some(wait),
            });
        }
        if let Some(ra) = retry_after
            && (status == StatusCode::TOO_MANY_REQUESTS
                || status == StatusCode::SERVICE_UNAVAILABLE
                || status == StatusCode::FORBIDDEN)
        {
            if ra > Duration::from_secs(self.settings.max_retry_after_secs) {
                // waiting that long would stall the run: leave the host alone until the next
                state.blocked = Some(format!(
                    "asked to retry after {} s (over crawler.max_retry_after_secs)",
                    ra.as_secs()
                ));
                return Err(FetchError::RetryAfterTooLong {
                    url: url.clone(),
                    secs: ra.as_secs(),
                });
            }
            state.pause(ra);
        }
        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            let location = resp
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok());
            let Some(next) = location.and_then(|l| url.join(l).ok()) else {
                return Err(FetchError::Redirect {
                    url: url.clone(),
                    reason: "missing or bad Location".into(),
                });
            };
            return Ok(Attempt::Redirect(next));
        }
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Attempt::Done(Response::NotModified {
                final_url: url.clone(),
            }));
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.clone(),
                status: status.as_u16(),
                retry_after,
            });
        }
        let header_str = |name: header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let etag = header_str(header::ETAG);
        let last_modified = header_str(header::LAST_MODIFIED);
        let content_type = header_str(header::CONTENT_TYPE);
        let body = self.read_body(url, resp).await?;
        drop(state);
        Ok(Attempt::Done(Response::Body {
            final_url: url.clone(),
            status: status.as_u16(),
            etag,
            last_modified,
            content_type,
            body,
        }))
    }

    /// Reads a body under the size cap, detecting truncation against `Content-Length`.
    async fn read_body(
        &self,
        url: &Url,
        mut resp: reqwest::Response,
    ) -> Result<Vec<u8>, FetchError> {
        let limit = self.settings.max_body_mb.saturating_mul(1 << 20);
        let expected = resp.content_length();
        if expected.is_some_and(|len| len > limit) {
            return Err(FetchError::TooLarge {
                url: url.clone(),
                limit_mb: self.settings.max_body_mb,
            });
        }
        let mut body = Vec::with_capacity(expected.unwrap_or(0).min(limit) as usize);
        loop {
            let chunk = resp.chunk().await;
            match chunk {
                Ok(Some(bytes)) => {
                    if (body.len() + bytes.len()) as u64 > limit {
                        return Err(FetchError::TooLarge {
                            url: url.clone(),
                            limit_mb: self.settings.max_body_mb,
                        });
                    }
                    body.extend_from_slice(&bytes);
                }
                Ok(None) => break,
                Err(source) => {
                    return Err(FetchError::Transport {
                        url: url.clone(),
                        source,
                    });
                }
            }
        }
        if let Some(expected) = expected
            && body.len() as u64 != expected
        {
            return Err(FetchError::Truncated {
                url: url.clone(),
                got: body.len() as u64,
                expected,
            });
        }
        Ok(body)
    }

    /// Fetches robots.txt of `url`'s origin (once per run), under the host's turn.
    async fn load_robots(&self, url: &Url, state: &mut HostState) {
        let configured = Duration::from_millis(self.settings.per_host_delay_ms);
        if !self.settings.respect_robots {
            state.robots = Some(Robots::allow_all());
            state.delay = configured;
            return;
        }
        let robots_url = url
            .join("/robots.txt")
            .expect("/robots.txt is a valid reference");
        let mut robots = Robots::disallow_all();
        for attempt in 1..=3u32 {
            self.hosts.count_request(&robots_url);
            match self.client.get(robots_url.clone()).send().await {
                Ok(resp) if is_challenge(resp.status(), resp.headers()) => {
                    state.blocked = Some("challenge on robots.txt".into());
                    robots = Robots::disallow_all();
                    break;
                }
                Ok(resp) if resp.status().is_success() => {
                    match self.read_body(&robots_url, resp).await {
                        Ok(body) => {
                            robots = Robots::parse(
                                &String::from_utf8_lossy(&body),
                                &self.settings.user_agent,
                            );
                            break;
                        }
                        Err(err) => {
                            tracing::debug!(url = %robots_url, error = %err, "robots.txt read failed")
                        }
                    }
                }
                // RFC 9309 §2.3.1.3: robots.txt unavailable (4xx) means no restrictions.
                Ok(resp)
                    if resp.status().is_client_error()
                        && resp.status() != StatusCode::TOO_MANY_REQUESTS =>
                {
                    robots = Robots::allow_all();
                    break;
                }
                Ok(resp) => {
                    tracing::debug!(url = %robots_url, status = resp.status().as_u16(), "robots.txt unreachable")
                }
                Err(err) => {
                    tracing::debug!(url = %robots_url, error = %err, "robots.txt unreachable")
                }
            }
            let base = Duration::from_millis(self.settings.backoff_base_ms);
            tokio::time::sleep(backoff(base, base * 8, attempt)).await;
        }
        if robots == Robots::disallow_all() && state.blocked.is_none() {
            tracing::warn!(url = %robots_url, "robots.txt unreachable: host not crawled this run");
        }
        state.delay = robots.crawl_delay.unwrap_or_default().max(configured);
        state.robots = Some(robots);
    }
}

/// AWS WAF challenge (202) or CAPTCHA (405) marked by `x-amzn-waf-action`.
/// How long a rate-limited host asks to wait (`x-ratelimit-remaining: 0` on a 403 or 429,
/// until `x-ratelimit-reset`, epoch seconds; at least one second).
fn rate_limit_wait(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    if status != StatusCode::FORBIDDEN && status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    let value = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if value("x-ratelimit-remaining") != Some("0") {
        return None;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let reset = value("x-ratelimit-reset").and_then(|v| v.parse::<u64>().ok());
    let secs = reset.map_or(60, |r| r.saturating_sub(now)).max(1);
    Some(Duration::from_secs(secs))
}

fn is_challenge(status: StatusCode, headers: &HeaderMap) -> bool {
    headers.contains_key("x-amzn-waf-action") && (status.as_u16() == 202 || status.as_u16() == 405)
}
