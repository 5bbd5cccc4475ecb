//! The JSON API: `/api/search`, `/api/doc/{symbol}`, `/api/stats`, `/api/openapi.json`.
//! Bodies are exactly what `search --json`, `show --json` and `stats --json` print; errors
//! are `{"error": message}` with a 4xx or 5xx status.

use axum::Json;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::serve::params::{self, Defaults, decode_pairs};
use crate::serve::{AppState, ServeError, find_doc, openapi};

/// Page size when `limit` is absent: the CLI's default.
pub const API_DEFAULTS: Defaults = Defaults {
    limit: 10,
    strict: true,
};

/// API routes; `/api/history/{*symbol}`, `/api/votes/{*symbol}` and `/api/changes` go here.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/search", get(search))
        .route("/api/doc/{*symbol}", get(doc))
        .route("/api/stats", get(stats))
        .route("/api/openapi.json", get(openapi_json))
}

/// `{"error": message}` with the error's status.
pub fn error_response(err: &ServeError) -> Response {
    (
        err.status(),
        Json(serde_json::json!({"error": err.message()})),
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
    let mut lang = None;
    for (k, v) in decode_pairs(raw.unwrap_or("")) {
        match k.as_str() {
            "lang" if !v.trim().is_empty() => lang = Some(v.trim().to_lowercase()),
            "lang" => {}
            other => {
                return Err(ServeError::BadRequest(format!(
                    "unknown parameter \"{}\"; known parameters: lang",
                    other.chars().take(40).collect::<String>()
                )));
            }
        }
    }
    Ok(lang)
}

async fn doc(
    State(state): State<AppState>,
    symbol: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Ok(Path(symbol)) = symbol else {
        return error_response(&ServeError::BadRequest(
            "the symbol is not valid UTF-8 once percent-decoded".to_string(),
        ));
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
