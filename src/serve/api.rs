//! The JSON API: `/api/search`, `/api/doc/{symbol}`, `/api/history/{symbol}`,
//! `/api/votes/{symbol}`, `/api/votes?state=`, `/api/changes`, `/api/stats`,
//! `/api/openapi.json`. Bodies are exactly what `search --json`, `show --json`,
//! `history --json`, `votes --json`, `changes --json` (as an array) and `stats --json` print,
//! built by the same functions; errors are `{"status": code, "message": text}` with a 4xx or
//! 5xx status.

use std::collections::BTreeMap;

use axum::Json;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::cli::changes::{ChangeFilter, select};
use crate::cli::votes::{state_report, symbol_roll_call};
use crate::serve::params::{self, Defaults, MAX_QUERY_CHARS, decode_pairs};
use crate::serve::{AppState, ServeError, find_doc, openapi};

/// Page size when `limit` is absent: the CLI's default.
pub const API_DEFAULTS: Defaults = Defaults {
    limit: 10,
    strict: true,
};

/// API routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/search", get(search))
        .route("/api/doc/{*symbol}", get(doc))
        .route("/api/history/{*symbol}", get(history))
        .route("/api/votes/{*symbol}", get(votes_of_symbol))
        .route("/api/votes", get(votes_of_state))
        .route("/api/changes", get(changes))
        .route("/api/stats", get(stats))
        .route("/api/openapi.json", get(openapi_json))
}

/// `{"status": code, "message": text}` with the error's status.
pub fn error_response(err: &ServeError) -> Response {
    let status = err.status();
    (
        status,
        Json(serde_json::json!({"status": status.as_u16(), "message": err.message()})),
    )
        .into_response()
}

fn respond<T: serde::Serialize>(result: Result<T, ServeError>) -> Response {
    match result {
        Ok(body) => Json(body).into_response(),
        Err(e) => error_response(&e),
    }
}

async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let pairs = decode_pairs(raw.as_deref().unwrap_or(""));
    let req = match params::search_request(&pairs, API_DEFAULTS) {
        Ok(r) => r,
        Err(e) => return error_response(&e.into()),
    };
    let result = state
        .run(move |store| Ok(crate::cli::search::search(store, &req)?))
        .await;
    respond(result)
}

/// The `lang` parameter of a document route (nothing else is accepted).
pub fn lang_param(raw: Option<&str>) -> Result<Option<String>, ServeError> {
    Ok(named_params(raw, &["lang"])?
        .remove("lang")
        .map(|l| l.to_lowercase()))
}

/// The parameters of a route that accepts only `known` ones, each at most once; empty
/// values count as absent. Anything else is a 400 naming the known parameters.
pub fn named_params(
    raw: Option<&str>,
    known: &[&str],
) -> Result<BTreeMap<String, String>, ServeError> {
    let mut found = BTreeMap::new();
    for (k, v) in decode_pairs(raw.unwrap_or("")) {
        let name = k.chars().take(40).collect::<String>();
        if !known.contains(&k.as_str()) {
            let known = if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            };
            return Err(ServeError::BadRequest(format!(
                "unknown parameter \"{name}\"; known parameters: {known}"
            )));
        }
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        if v.chars().count() > MAX_QUERY_CHARS {
            return Err(ServeError::BadRequest(format!(
                "{name}: longer than {MAX_QUERY_CHARS} characters"
            )));
        }
        if found.insert(k, v.to_string()).is_some() {
            return Err(ServeError::BadRequest(format!(
                "{name}: given twice; give it once"
            )));
        }
    }
    Ok(found)
}

/// The `{*symbol}` of a route, or a 400 when it is not UTF-8.
fn symbol_of(symbol: Result<Path<String>, PathRejection>) -> Result<String, ServeError> {
    symbol.map(|Path(s)| s).map_err(|_| {
        ServeError::BadRequest("the symbol is not valid UTF-8 once percent-decoded".to_string())
    })
}

fn not_in_index(symbol: &str, what: &str) -> ServeError {
    let symbol = crate::shorthand::normalize_symbol(symbol);
    ServeError::NotFound(format!(
        "{}: {what}",
        symbol.trim().chars().take(60).collect::<String>()
    ))
}

/// A `/api/…/{symbol}` route without parameters: `find`'s answer as JSON, a 404 saying
/// `missing` when it finds nothing.
async fn by_symbol<T: serde::Serialize + Send + 'static>(
    state: AppState,
    symbol: Result<Path<String>, PathRejection>,
    raw: Option<String>,
    missing: &'static str,
    find: fn(&gadocs_index::IndexStore, &str) -> Result<Option<T>, ServeError>,
) -> Response {
    let symbol = match symbol_of(symbol).and_then(|s| named_params(raw.as_deref(), &[]).map(|_| s))
    {
        Ok(s) => s,
        Err(e) => return error_response(&e),
    };
    let result = state
        .run(move |store| find(store, &symbol)?.ok_or_else(|| not_in_index(&symbol, missing)))
        .await;
    respond(result)
}

async fn history(
    State(state): State<AppState>,
    symbol: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    by_symbol(
        state,
        symbol,
        raw,
        "not in the index, and no indexed resolution names it",
        |store, symbol| Ok(crate::history::history(store, symbol)?),
    )
    .await
}

async fn votes_of_symbol(
    State(state): State<AppState>,
    symbol: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    by_symbol(state, symbol, raw, "not in the index", |store, symbol| {
        Ok(symbol_roll_call(store, symbol)?)
    })
    .await
}

async fn votes_of_state(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let mut p = match named_params(raw.as_deref(), &["state", "session", "with"]) {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    let Some(who) = p.remove("state") else {
        return error_response(&ServeError::BadRequest(
            "state is required (/api/votes?state=Kenya&session=74&with=France), or ask for one resolution's roll call at /api/votes/A/RES/74/247".to_string(),
        ));
    };
    let result = state
        .run(move |store| {
            Ok(state_report(
                store,
                &who,
                p.get("session").map(String::as_str),
                p.get("with").map(String::as_str),
            )?)
        })
        .await;
    respond(result)
}

async fn changes(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let p = match named_params(raw.as_deref(), &["since", "type", "sponsor", "change"]) {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    let get = |k: &str| p.get(k).map(String::as_str);
    let filter = match ChangeFilter::new(
        get("since"),
        get("type"),
        get("sponsor"),
        get("change"),
        chrono::Utc::now(),
    ) {
        Ok(f) => f,
        Err(e) => return error_response(&e.into()),
    };
    let data_dir = state.data_dir().to_path_buf();
    let result = state.run(move |_| Ok(select(&data_dir, &filter)?)).await;
    respond(result)
}

async fn doc(
    State(state): State<AppState>,
    symbol: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let symbol = match symbol_of(symbol) {
        Ok(s) => s,
        Err(e) => return error_response(&e),
    };
    let lang = match lang_param(raw.as_deref()) {
        Ok(l) => l,
        Err(e) => return error_response(&e),
    };
    let result = state
        .run(move |store| Ok(find_doc(store, &symbol, lang.as_deref())?.record))
        .await;
    respond(result)
}

async fn stats(State(state): State<AppState>) -> Response {
    let result = state
        .run(|store| {
            let facets = store.facet_counts()?;
            let size: u64 = std::fs::read_dir(store.path())
                .map(|dir| {
                    dir.filter_map(|e| e.ok()?.metadata().ok())
                        .map(|m| m.len())
                        .sum()
                })
                .unwrap_or(0);
            Ok(serde_json::json!({
                "documents": store.num_docs(),
                "index_bytes": size,
                "facets": facets,
            }))
        })
        .await;
    respond(result)
}

async fn openapi_json() -> Response {
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "public, max-age=3600")],
        Json(openapi::document()),
    )
        .into_response()
}
