//! The crawl context shared by the sources: fetch one URL, validate, store, record, count.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::HeaderMap;
use sha1::Digest as _;
use tokio::sync::mpsc::UnboundedSender;
use url::Url;

use crate::CrawlOptions;
use crate::config::CrawlConfig;
use crate::error::{CrawlError, FetchError, StoreError};
use crate::fetch::{Fetcher, Response, Validators};
use crate::raw_store::{FetchStatus, ManifestEntry, RawStore, SourceKind};
use crate::report::{CrawlEvent, CrawlReport};

/// What a body must look like to count as the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// `%PDF-` magic.
    Pdf,
    /// `PK` magic.
    Zip,
    /// Any non-empty body.
    Any,
}

/// One item to fetch.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub source: SourceKind,
    pub url: Url,
    pub key: Option<String>,
    pub lang: Option<String>,
    pub kind: BodyKind,
    /// Git blob id the body must hash to (GitHub files).
    pub git_sha: Option<String>,
    pub headers: HeaderMap,
}

impl Item {
    pub fn new(source: SourceKind, url: Url) -> Item {
        Item {
            source,
            url,
            key: None,
            lang: None,
            kind: BodyKind::Any,
            git_sha: None,
            headers: HeaderMap::new(),
        }
    }
}

/// Result of one item.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// The manifest line written.
    pub entry: ManifestEntry,
    /// The current body (fresh, or read back from the store after a 304).
    pub body: Option<Vec<u8>>,
}

/// Shared state of one run.
pub(crate) struct Ctx {
    pub fetcher: Fetcher,
    pub store: Arc<RawStore>,
    pub config: CrawlConfig,
    pub options: CrawlOptions,
    pub latest: HashMap<String, ManifestEntry>,
    pub report: Mutex<CrawlReport>,
    pub events: Option<UnboundedSender<CrawlEvent>>,
    /// Serializes `state.json` read-modify-write between sources.
    pub state_lock: tokio::sync::Mutex<()>,
}

impl Ctx {
    pub fn emit(&self, event: CrawlEvent) {
        if let Some(tx) = &self.events {
            let _ = tx.send(event);
        }
    }

    pub fn with_report<T>(&self, f: impl FnOnce(&mut CrawlReport) -> T) -> T {
        f(&mut self.report.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn plan(&self, source: SourceKind, count: u64) {
        self.with_report(|r| r.counts(source).planned += count);
        self.emit(CrawlEvent::Planned { source, count });
    }

    pub fn languages(&self) -> Vec<String> {
        self.options
            .languages
            .clone()
            .unwrap_or_else(|| self.config.crawler.languages.clone())
    }

    /// Runs blocking store work off the runtime.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&RawStore) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, CrawlError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| CrawlError::Task(e.to_string()))?
            .map_err(CrawlError::Store)
    }

    /// Fetches, validates and stores one item; store failures abort the crawl, fetch failures
    /// are recorded and counted.
    pub async fn fetch(&self, item: Item) -> Result<Outcome, CrawlError> {
        let prior = self
            .latest
            .get(item.url.as_str())
            .filter(|e| e.has_body())
            .cloned();
        let validators = prior.as_ref().map(|p| Validators {
            url: p.final_url.clone().unwrap_or_else(|| p.url.clone()),
            etag: p.etag.clone(),
            last_modified: p.last_modified.clone(),
        });
        let max_attempts = self.config.crawler.max_attempts;
        let mut attempt = 1;
        let result = loop {
            let result = self
                .fetcher
                .get(&item.url, &item.headers, validators.as_ref())
                .await;
            // A body that does not hash to the listing's blob id was cut or mangled in transit.
            if let (Ok(Response::Body { body, .. }), Some(expected)) = (&result, &item.git_sha)
                && git_blob_sha(body) != *expected
                && attempt < max_attempts
            {
                attempt += 1;
                tracing::debug!(url = %item.url, "git blob sha mismatch, refetching");
                let base = Duration::from_millis(self.config.crawler.backoff_base_ms);
                tokio::time::sleep(crate::politeness::backoff(base, base * 16, attempt)).await;
                continue;
            }
            break result;
        };
        let mut entry = ManifestEntry {
            url: item.url.to_string(),
            final_url: None,
            source: item.source,
            key: item.key.clone(),
            lang: item.lang.clone(),
            sha256: None,
            git_sha: None,
            status: FetchStatus::Failed,
            http_status: 0,
            reason: None,
            etag: None,
            last_modified: None,
            fetched_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            content_type: None,
            bytes: 0,
        };
        let mut body_out = None;
        match result {
            Ok(Response::NotModified { final_url }) => {
                let prior = prior
                    .as_ref()
                    .expect("validators are only sent with a stored body");
                entry.status = FetchStatus::NotModified;
                entry.http_status = 304;
                entry.final_url = (final_url != item.url).then(|| final_url.to_string());
                entry.sha256 = prior.sha256.clone();
                entry.git_sha = prior.git_sha.clone();
                entry.etag = prior.etag.clone();
                entry.last_modified = prior.last_modified.clone();
                entry.content_type = prior.content_type.clone();
                let stored = prior.clone();
                body_out = Some(self.blocking(move |s| read_stored(s, &stored)).await?);
            }
            Ok(Response::Body {
                final_url,
                status,
                etag,
                last_modified,
                content_type,
                body,
            }) => {
                entry.http_status = status;
                entry.final_url = (final_url != item.url).then(|| final_url.to_string());
                entry.content_type = content_type;
                entry.bytes = body.len() as u64;
                match validate(&body, item.kind, item.git_sha.as_deref()) {
                    Err(reason) => {
                        entry.status = if reason == "checksum" {
                            FetchStatus::Failed
                        } else {
                            FetchStatus::Unavailable
                        };
                        entry.reason = Some(reason.to_owned());
                    }
                    Ok(()) => {
                        entry.status = FetchStatus::Fetched;
                        entry.etag = etag;
                        entry.last_modified = last_modified;
                        entry.git_sha = item.git_sha.clone();
                        let (sha, body) = tokio::task::spawn_blocking({
                            let store = self.store.clone();
                            move || store.put_body(&body).map(|sha| (sha, body))
                        })
                        .await
                        .map_err(|e| CrawlError::Task(e.to_string()))??;
                        entry.sha256 = Some(sha);
                        body_out = Some(body);
                    }
                }
            }
            Err(err) => {
                let (status, http) = match &err {
                    FetchError::Status {
                        status: 404 | 410, ..
                    } => (FetchStatus::Unavailable, 0),
                    FetchError::Blocked { .. } | FetchError::Disallowed { .. } => {
                        (FetchStatus::Blocked, 0)
                    }
                    _ => (FetchStatus::Failed, 0),
                };
                if let FetchError::Status { status: s, .. } = &err {
                    entry.http_status = *s;
                } else {
                    entry.http_status = http;
                }
                entry.status = status;
                entry.reason = Some(err.reason());
                if status == FetchStatus::Failed {
                    tracing::warn!(url = %item.url, error = %err, "fetch failed");
                }
            }
        }
        self.record(&entry, prior.as_ref());
        let line = entry.clone();
        self.blocking(move |s| s.append_entry(&line)).await?;
        self.emit(CrawlEvent::Done {
            source: item.source,
            url: entry.url.clone(),
            status: entry.status,
            bytes: entry.bytes,
        });
        Ok(Outcome {
            entry,
            body: body_out,
        })
    }

    fn record(&self, entry: &ManifestEntry, prior: Option<&ManifestEntry>) {
        self.with_report(|r| {
            let c = r.counts(entry.source);
            c.bytes += entry.bytes;
            match entry.status {
                FetchStatus::Fetched => {
                    c.fetched += 1;
                    match prior.and_then(|p| p.sha256.as_deref()) {
                        None => c.new += 1,
                        Some(old) if Some(old) == entry.sha256.as_deref() => c.unchanged += 1,
                        Some(_) => c.changed += 1,
                    }
                }
                FetchStatus::NotModified => {
                    c.not_modified += 1;
                    c.unchanged += 1;
                }
                FetchStatus::Unavailable => c.unavailable += 1,
                FetchStatus::Blocked => c.blocked += 1,
                FetchStatus::Failed => c.failed += 1,
            }
            if let Some(reason) = &entry.reason {
                *c.reasons.entry(reason.clone()).or_default() += 1;
                if entry.status == FetchStatus::Failed && r.failures.len() < 50 {
                    r.failures.push((entry.url.clone(), reason.clone()));
                }
            }
        });
    }

    /// Counts an item skipped without a request.
    pub fn skipped(&self, source: SourceKind) {
        self.with_report(|r| {
            let c = r.counts(source);
            c.skipped += 1;
            c.unchanged += 1;
        });
        self.emit(CrawlEvent::Skipped { source });
    }
}

fn read_stored(store: &RawStore, entry: &ManifestEntry) -> Result<Vec<u8>, StoreError> {
    let path = entry
        .sha256
        .as_deref()
        .map(|s| store.body_path(s))
        .unwrap_or_default();
    store
        .read(entry)
        .map_err(|source| StoreError::Read { path, source })
}

/// Checks a body against what the source promises.
fn validate(body: &[u8], kind: BodyKind, git_sha: Option<&str>) -> Result<(), &'static str> {
    if body.is_empty() {
        return Err("empty body");
    }
    if let Some(expected) = git_sha
        && git_blob_sha(body) != expected
    {
        return Err("checksum");
    }
    match kind {
        BodyKind::Pdf if !body.starts_with(b"%PDF-") => Err("not a PDF"),
        BodyKind::Zip if !body.starts_with(b"PK") => Err("not a zip"),
        _ => Ok(()),
    }
}

/// Git blob id: SHA-1 of `"blob <len>\0" + bytes`.
pub(crate) fn git_blob_sha(bytes: &[u8]) -> String {
    let mut hasher = sha1::Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_blob_id_matches_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            git_blob_sha(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        assert_eq!(validate(b"", BodyKind::Any, None), Err("empty body"));
        assert_eq!(validate(b"<html>", BodyKind::Pdf, None), Err("not a PDF"));
        assert!(validate(b"%PDF-1.7", BodyKind::Pdf, None).is_ok());
    }
}
