//! Per-host politeness: robots.txt first, one request at a time, a delay between request
//! arrivals, `Retry-After` pauses and blocks after an anti-bot challenge.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;
use url::Url;

use crate::robots::Robots;

/// State of one host (origin), guarded by an async mutex held for the whole exchange, so a
/// host never sees two requests of this run at once.
#[derive(Debug, Default)]
pub(crate) struct HostState {
    /// robots.txt rules; `None` until fetched.
    pub robots: Option<Robots>,
    /// Arrival time of the last request (robots.txt excluded).
    pub last_request: Option<Instant>,
    /// Not before this instant (a `Retry-After`).
    pub not_before: Option<Instant>,
    /// Set once the host answered with a challenge; no request is sent after.
    pub blocked: Option<String>,
    /// Gap between requests: max(Crawl-delay, configured delay).
    pub delay: Duration,
}

impl HostState {
    /// Sleeps until the next request may be sent, then records its arrival.
    pub async fn wait_turn(&mut self) {
        let mut at = Instant::now();
        if let Some(last) = self.last_request {
            at = at.max(last + self.delay);
        }
        if let Some(nb) = self.not_before {
            at = at.max(nb);
        }
        tokio::time::sleep_until(at).await;
        self.last_request = Some(Instant::now());
    }

    /// Pauses the host for `wait` from now (a `Retry-After`), never shortening a pause.
    pub fn pause(&mut self, wait: Duration) {
        let until = Instant::now() + wait;
        self.not_before = Some(self.not_before.map_or(until, |nb| nb.max(until)));
    }
}

/// The hosts of one run.
#[derive(Debug, Default)]
pub(crate) struct Hosts {
    map: Mutex<HashMap<String, Arc<tokio::sync::Mutex<HostState>>>>,
    requests: Mutex<HashMap<String, u64>>,
}

impl Hosts {
    /// The state of `url`'s origin (created on first use).
    pub fn get(&self, url: &Url) -> Arc<tokio::sync::Mutex<HostState>> {
        let key = origin(url);
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key).or_default().clone()
    }

    /// Counts one request sent to `url`'s origin.
    pub fn count_request(&self, url: &Url) {
        let mut map = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        *map.entry(origin(url)).or_default() += 1;
    }

    /// Requests sent per origin.
    pub fn requests(&self) -> HashMap<String, u64> {
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Origins blocked this run, with the reason.
    pub fn blocked(&self) -> Vec<(String, String)> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = Vec::new();
        for (origin, state) in map.iter() {
            if let Ok(state) = state.try_lock()
                && let Some(reason) = &state.blocked
            {
                out.push((origin.clone(), reason.clone()));
            }
        }
        out.sort();
        out
    }
}

/// `scheme://host:port` of a URL.
pub(crate) fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Backoff before attempt `attempt + 1` (attempt counts from 1): full jitter over
/// `min(max, base * 2^(attempt-1))`.
pub(crate) fn backoff(base: Duration, max: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
    let cap = exp.min(max);
    cap.mul_f64(fastrand::f64())
}

/// Parses `Retry-After`: delta-seconds (fractions accepted) or an HTTP-date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert!(parse_retry_after("soon").is_none());
    }

    #[test]
    fn backoff_is_capped() {
        for attempt in 1..30 {
            let b = backoff(Duration::from_millis(100), Duration::from_secs(2), attempt);
            assert!(b <= Duration::from_secs(2));
        }
    }
}
