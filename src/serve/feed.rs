//! Atom 1.0 feeds of the newest documents matching a search: `/feed?q=…&session=…` and
//! `gadocs feed`. XML is written by hand: every text and attribute goes through [`xml_escape`],
//! which also drops the characters XML 1.0 forbids (form feeds survive PDF extraction).

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use gadocs_index::{IndexStore, SearchRequest, SearchResult, Sort};

use crate::serve::params::{self, Defaults, decode_pairs, encode_pairs, encode_path};
use crate::serve::{AppState, ServeError};

/// Entries in a feed when `limit` is absent.
pub const FEED_DEFAULTS: Defaults = Defaults {
    limit: 20,
    strict: true,
};

/// Feed routes: `/feed` (a search) and `/feed/changes` (the change digest).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feed", get(feed))
        .route("/feed/changes", get(crate::serve::changes_feed::handler))
}

/// The feed's search: the query and filters of `pairs`, newest first, no facets.
pub fn feed_request(pairs: &[(String, String)]) -> Result<SearchRequest, ServeError> {
    let mut req = params::search_request(pairs, FEED_DEFAULTS)?;
    req.sort = Some(Sort::Date);
    req.facets.clear();
    Ok(req)
}

/// Runs the feed's search and renders it.
pub fn build(
    store: &IndexStore,
    req: &SearchRequest,
    base: &str,
    now: DateTime<Utc>,
) -> Result<String, ServeError> {
    let result = crate::cli::search::search(store, req)?;
    Ok(render(&result, req, base, now))
}

async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let pairs = decode_pairs(raw.as_deref().unwrap_or(""));
    let base = state.base_url(&headers);
    let result = match feed_request(&pairs) {
        Ok(req) => {
            state
                .run(move |store| build(store, &req, &base, Utc::now()))
                .await
        }
        Err(e) => Err(e),
    };
    atom_response(result)
}

/// A feed as `application/atom+xml`, or the error as plain text with its status (a feed
/// reader shows text better than JSON).
pub fn atom_response(result: Result<String, ServeError>) -> Response {
    match result {
        Ok(xml) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        Err(e) => (
            e.status(),
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{}\n", e.message()),
        )
            .into_response(),
    }
}

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The start of an Atom feed: declaration, `<feed>`, id (its own URL), title, subtitle,
/// updated, self and (optionally) alternate links, author and generator; entries follow.
pub fn open_feed(
    self_url: &str,
    title: &str,
    subtitle: &str,
    updated: &str,
    html_url: Option<&str>,
) -> String {
    let mut x = String::with_capacity(4096);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str(&format!("  <id>{}</id>\n", xml_escape(self_url)));
    x.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    x.push_str(&format!(
        "  <subtitle>{}</subtitle>\n",
        xml_escape(subtitle)
    ));
    x.push_str(&format!("  <updated>{}</updated>\n", xml_escape(updated)));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(self_url)
    ));
    if let Some(html) = html_url {
        x.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(html)
        ));
    }
    x.push_str("  <author><name>gadocs</name></author>\n");
    x.push_str("  <generator>gadocs</generator>\n");
    x
}

fn timestamp(d: NaiveDate) -> String {
    format!("{}T00:00:00Z", d.format("%Y-%m-%d"))
}

/// A human title for a search: `gadocs: "ict" (session 74, sponsor Kenya)`.
pub fn describe(req: &SearchRequest) -> String {
    let mut parts: Vec<String> = req
        .filters
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    if let Some(d) = req.from {
        parts.push(format!("from {d}"));
    }
    if let Some(d) = req.to {
        parts.push(format!("to {d}"));
    }
    let filters = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    };
    if req.query.is_empty() {
        format!("newest documents{filters}")
    } else {
        format!("\u{201c}{}\u{201d}{filters}", req.query)
    }
}

/// Renders a search result as an Atom 1.0 feed. `updated` of the feed is the newest entry's
/// date (so the same index gives the same feed), or `now` when nothing matches.
pub fn render(
    result: &SearchResult,
    req: &SearchRequest,
    base: &str,
    now: DateTime<Utc>,
) -> String {
    let mut pairs = params::request_pairs(req);
    pairs.retain(|(k, _)| k != "sort");
    let query = encode_pairs(&pairs);
    let sep = if query.is_empty() { "" } else { "?" };
    let self_url = format!("{base}/feed{sep}{query}");
    let html_url = format!("{base}/{sep}{query}");
    let newest = result.hits.iter().filter_map(|h| h.date).max();
    let updated = newest
        .map(timestamp)
        .unwrap_or_else(|| now.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    let mut x = open_feed(
        &self_url,
        &format!("gadocs: {}", describe(req)),
        &format!(
            "United Nations General Assembly documents, newest first ({} matching)",
            result.total
        ),
        &updated,
        Some(&html_url),
    );
    for hit in &result.hits {
        let url = format!(
            "{base}/doc/{}?lang={}",
            encode_path(&hit.symbol),
            params::encode(&hit.lang)
        );
        let entry_updated = hit.date.map(timestamp).unwrap_or_else(|| updated.clone());
        let title = if hit.title.is_empty() {
            hit.symbol.clone()
        } else {
            format!("{}: {}", hit.symbol, hit.title)
        };
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <id>{}</id>\n", xml_escape(&url)));
        x.push_str(&format!("    <title>{}</title>\n", xml_escape(&title)));
        x.push_str(&format!("    <updated>{entry_updated}</updated>\n"));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" hreflang=\"{}\" href=\"{}\"/>\n",
            xml_escape(&hit.lang),
            xml_escape(&url)
        ));
        x.push_str(&format!(
            "    <category term=\"{}\"/>\n",
            xml_escape(&hit.doc_type)
        ));
        if !hit.snippet.is_empty() {
            x.push_str(&format!(
                "    <summary>{}</summary>\n",
                xml_escape(&hit.snippet)
            ));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml_escape("a<b>&\"'\u{c}\u{0}\tz"),
            "a&lt;b&gt;&amp;&quot;&apos;\tz"
        );
    }

    #[test]
    fn empty_result_is_a_well_formed_feed() {
        let result = SearchResult {
            total: 0,
            hits: Vec::new(),
            facets: Default::default(),
            warnings: Vec::new(),
            expanded: Vec::new(),
        };
        let req = SearchRequest {
            query: "a & <b>".into(),
            filters: vec![("session".into(), "74".into())],
            ..Default::default()
        };
        let xml = render(&result, &req, "http://127.0.0.1:8080", Utc::now());
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap();
        assert!(title.contains("a & <b>"), "{title}");
    }
}
