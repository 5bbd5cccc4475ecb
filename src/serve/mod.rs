//! `gadocs serve`: the index over HTTP — a web page ([`pages`]), a JSON API ([`api`], same
//! names and shapes as the CLI's `--json`), Atom feeds ([`feed`]) and an OpenAPI description
//! ([`openapi`]). Read-only: the server never opens a writer; a background task reloads the
//! reader every second, so commits made by `index`, `import` or `update` show up without a
//! restart.
//!
//! Every route goes through [`guard`]: a per-request timeout, security headers, and a cap on
//! the query-string length. Index work runs on the blocking pool behind a semaphore
//! ([`ServerState::run`]), so a slow search occupies one permit, not the runtime.
//!
//! To add routes, add them to the `Router` in [`api::routes`] or [`pages::routes`]; handlers
//! get [`AppState`] and report failures as [`ServeError`].

pub mod api;
pub mod changes_feed;
pub mod feed;
pub mod history_html;
pub mod openapi;
pub mod pages;
pub mod params;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use gadocs_index::{IndexError, IndexStore, Record};
use tokio::sync::Semaphore;

use crate::cli::changes::{BadChange, BadSince};
use crate::cli::votes::UnknownState;
use crate::shorthand;

/// Longest time one request may take before it is answered 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request waits for a free search slot before it is answered 503.
const QUEUE_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest accepted query string, in bytes (the query itself is capped at 1000 characters;
/// the rest is room for filters).
const MAX_QUERY_STRING: usize = 8 * 1024;
/// Longest symbol looked up (real ones are under 40 characters).
const MAX_SYMBOL: usize = 200;

/// What the server needs to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Origin used in feed links (`http://host:port`); by default the request's `Host`.
    pub base_url: Option<String>,
    /// Searches running at once; more wait in line (then 503).
    pub max_concurrent: usize,
    /// How often the reader looks for new commits.
    pub reload_every: Duration,
    /// The data folder, for its change digest (`/api/changes`).
    pub data_dir: PathBuf,
}

/// Shared state of every handler.
pub type AppState = Arc<ServerState>;

/// The open index and the limits around it.
pub struct ServerState {
    store: Arc<IndexStore>,
    permits: Arc<Semaphore>,
    options: ServeOptions,
}

/// Why a request failed; the API answers it as JSON, the pages as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServeError {
    /// 400: a parameter or query the user can fix.
    BadRequest(String),
    /// 404: no such document or route.
    NotFound(String),
    /// 503: every search slot busy, or the request took too long.
    Busy(String),
    /// 500: the index failed.
    Internal(String),
}

impl ServeError {
    /// HTTP status of the error.
    pub fn status(&self) -> StatusCode {
        match self {
            ServeError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ServeError::NotFound(_) => StatusCode::NOT_FOUND,
            ServeError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            ServeError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    /// The message shown to the user.
    pub fn message(&self) -> &str {
        match self {
            ServeError::BadRequest(m)
            | ServeError::NotFound(m)
            | ServeError::Busy(m)
            | ServeError::Internal(m) => m,
        }
    }
}

impl From<params::BadParam> for ServeError {
    fn from(e: params::BadParam) -> Self {
        ServeError::BadRequest(e.0)
    }
}

impl From<anyhow::Error> for ServeError {
    fn from(e: anyhow::Error) -> Self {
        let user_error = matches!(
            e.downcast_ref::<IndexError>(),
            Some(IndexError::UnknownFacet { .. } | IndexError::Query { .. })
        ) || e.is::<UnknownState>()
            || e.is::<BadSince>()
            || e.is::<BadChange>();
        if user_error {
            return ServeError::BadRequest(e.to_string());
        }
        tracing::error!(error = format!("{e:#}"), "request failed");
        ServeError::Internal(format!("{e:#}"))
    }
}

impl From<IndexError> for ServeError {
    fn from(e: IndexError) -> Self {
        anyhow::Error::from(e).into()
    }
}

impl ServerState {
    /// State over an open index.
    pub fn new(store: IndexStore, options: ServeOptions) -> AppState {
        Arc::new(ServerState {
            store: Arc::new(store),
            permits: Arc::new(Semaphore::new(options.max_concurrent.max(1))),
            options,
        })
    }

    /// Runs index work on the blocking pool, holding one of the search permits.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&IndexStore) -> Result<T, ServeError> + Send + 'static,
    ) -> Result<T, ServeError> {
        let busy = || ServeError::Busy("the server is busy; try again in a moment".to_string());
        let permit =
            match tokio::time::timeout(QUEUE_TIMEOUT, self.permits.clone().acquire_owned()).await {
                Ok(Ok(p)) => p,
                _ => return Err(busy()),
            };
        let store = self.store.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let out = work(&store);
            drop(permit);
            out
        })
        .await;
        joined.unwrap_or_else(|e| Err(ServeError::Internal(format!("search task failed: {e}"))))
    }

    /// The data folder served (its `index` and `changes.jsonl`).
    pub fn data_dir(&self) -> &Path {
        &self.options.data_dir
    }

    /// Origin for absolute links: `--base-url`, else the request's `Host` when it looks like
    /// a host name, else the bound address.
    pub fn base_url(&self, headers: &HeaderMap) -> String {
        if let Some(b) = &self.options.base_url {
            return b.trim_end_matches('/').to_string();
        }
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.len() <= 255
                    && h.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
            });
        match host {
            Some(h) => format!("http://{h}"),
            None => format!("http://{}", self.options.bind),
        }
    }
}

/// A document and its neighbours, as the document page and `/api/doc` need it.
pub struct FoundDoc {
    /// The record in the asked (or default) language.
    pub record: Record,
    /// Languages this symbol is available in.
    pub languages: Vec<String>,
    /// Other symbols of the family (revisions, addenda, corrigenda), deduplicated.
    pub related: Vec<String>,
}

/// Looks up a symbol (shorthand accepted) the way `gadocs show` does: exact symbol first,
/// then English; `lang` picks the language version.
pub fn find_doc(store: &IndexStore, raw: &str, lang: Option<&str>) -> Result<FoundDoc, ServeError> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > MAX_SYMBOL {
        return Err(ServeError::NotFound(format!(
            "{}: not in the index",
            raw.chars().take(60).collect::<String>()
        )));
    }
    let symbol = shorthand::normalize_symbol(raw);
    let mut records = store.lookup(&symbol, None)?;
    records.sort_by_key(|r| {
        (
            r.symbol != symbol,
            r.lang != "en",
            r.symbol.clone(),
            r.lang.clone(),
        )
    });
    let Some(first) = records.first() else {
        return Err(ServeError::NotFound(format!("{symbol}: not in the index")));
    };
    let chosen_symbol = first.symbol.clone();
    let languages: Vec<String> = records
        .iter()
        .filter(|r| r.symbol == chosen_symbol)
        .map(|r| r.lang.clone())
        .collect();
    let mut related: Vec<String> = Vec::new();
    for r in &records {
        if r.symbol != chosen_symbol && !related.contains(&r.symbol) {
            related.push(r.symbol.clone());
        }
    }
    let position = match lang.map(|l| l.trim().to_lowercase()) {
        None => 0,
        Some(l) if l.is_empty() => 0,
        Some(l) => records
            .iter()
            .position(|r| r.symbol == chosen_symbol && r.lang == l)
            .ok_or_else(|| {
                ServeError::NotFound(format!(
                    "{chosen_symbol}: not in language {}; available: {}",
                    l.chars().take(10).collect::<String>(),
                    languages.join(", ")
                ))
            })?,
    };
    let record = records.swap_remove(position);
    Ok(FoundDoc {
        record,
        languages,
        related,
    })
}

/// The application: every route, the fallback and the guard.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .merge(feed::routes())
        .fallback(not_found)
        .layer(middleware::from_fn(guard))
        .with_state(state)
}

async fn not_found(request: Request) -> Response {
    let path = request.uri().path();
    let err = ServeError::NotFound(format!(
        "no page at {}",
        path.chars().take(100).collect::<String>()
    ));
    if path.starts_with("/api/") {
        api::error_response(&err)
    } else {
        pages::error_page(&err)
    }
}

/// Timeout, query-string cap and security headers for every request.
pub async fn guard(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let too_long = request
        .uri()
        .query()
        .is_some_and(|q| q.len() > MAX_QUERY_STRING);
    let mut response = if too_long {
        let err =
            ServeError::BadRequest(format!("query string longer than {MAX_QUERY_STRING} bytes"));
        let mut r = if is_api {
            api::error_response(&err)
        } else {
            pages::error_page(&err)
        };
        *r.status_mut() = StatusCode::URI_TOO_LONG;
        r
    } else {
        match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
            Ok(r) => r,
            Err(_) => {
                let err = ServeError::Busy(format!(
                    "the request took longer than {} s; narrow the search",
                    REQUEST_TIMEOUT.as_secs()
                ));
                if is_api {
                    api::error_response(&err)
                } else {
                    pages::error_page(&err)
                }
            }
        }
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
             base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// Serves until Ctrl-C or SIGTERM. Prints `listening on http://ADDR` on stderr first (tests
/// and scripts read the port from it when binding port 0).
pub async fn serve(store: IndexStore, options: ServeOptions) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(options.bind)
        .await
        .map_err(|e| anyhow::anyhow!("{}: cannot listen: {e}", options.bind))?;
    let addr = listener.local_addr()?;
    eprintln!("listening on http://{addr}");
    if !addr.ip().is_loopback() {
        tracing::warn!(addr = %addr, "serving on a non-loopback address: anyone who reaches it can read the index");
    }
    let reload_every = options.reload_every;
    let state = ServerState::new(
        store,
        ServeOptions {
            bind: addr,
            ..options
        },
    );
    let reloader = tokio::spawn(reload_loop(state.store.clone(), reload_every));
    let app = router(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    reloader.abort();
    Ok(())
}

/// Reloads the reader on a fixed period: cheap when nothing was committed.
async fn reload_loop(store: Arc<IndexStore>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let store = store.clone();
        let result = tokio::task::spawn_blocking(move || store.reload()).await;
        match result {
            Ok(Err(e)) => tracing::warn!(error = format!("{e:#}"), "reload failed"),
            Err(e) => tracing::warn!(error = %e, "reload task failed"),
            Ok(Ok(())) => {}
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
