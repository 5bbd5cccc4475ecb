//! `/feed/changes?since=…`: an Atom 1.0 feed of what `index`, `import` and `update` added,
//! changed or removed, read from the change digest (the same [`select`] as `/api/changes`
//! and `gadocs changes`). Where `/feed` answers "the newest documents matching a search"
//! (by document date), this answers "what reached the index since then" (by commit time), so
//! a reader polling it after each update sees exactly what that update brought.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};

use crate::changes::Change;
use crate::cli::changes::{ChangeFilter, select};
use crate::serve::AppState;
use crate::serve::api::named_params;
use crate::serve::feed::{atom_response, open_feed, xml_escape};
use crate::serve::params::{self, encode_pairs, encode_path};

/// Most entries in one feed: the newest changes are kept.
pub const MAX_ENTRIES: usize = 500;

/// The parameters `/feed/changes` accepts (those of `/api/changes`).
pub const PARAMS: &[&str] = &["since", "type", "sponsor", "change"];

/// `GET /feed/changes`.
pub async fn handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let base = state.base_url(&headers);
    let data_dir = state.data_dir().to_path_buf();
    let result = match named_params(raw.as_deref(), PARAMS) {
        Ok(p) => {
            state
                .run(move |_| {
                    let get = |k: &str| p.get(k).map(String::as_str);
                    let filter = ChangeFilter::new(
                        get("since"),
                        get("type"),
                        get("sponsor"),
                        get("change"),
                        Utc::now(),
                    )?;
                    let changes = select(&data_dir, &filter)?;
                    let pairs: Vec<(String, String)> = p.into_iter().collect();
                    Ok(render(&changes, &pairs, &base, Utc::now()))
                })
                .await
        }
        Err(e) => Err(e),
    };
    atom_response(result)
}

/// Renders changes (oldest first, as the digest holds them) as an Atom feed, newest first.
/// `updated` of the feed is the newest change's time, or `now` when there is none.
pub fn render(
    changes: &[Change],
    pairs: &[(String, String)],
    base: &str,
    now: DateTime<Utc>,
) -> String {
    let query = encode_pairs(pairs);
    let sep = if query.is_empty() { "" } else { "?" };
    let self_url = format!("{base}/feed/changes{sep}{query}");
    let stamp = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    let updated = changes.last().map(|c| c.time).unwrap_or(now);
    let mut x = open_feed(
        &self_url,
        "gadocs: changes to the index",
        &format!(
            "Documents added, changed or removed by index, import and update, newest first ({} listed)",
            changes.len().min(MAX_ENTRIES)
        ),
        &stamp(updated),
        None,
    );
    for c in changes.iter().rev().take(MAX_ENTRIES) {
        let s = &c.summary;
        let url = format!(
            "{base}/doc/{}?lang={}",
            encode_path(&s.symbol),
            params::encode(&s.lang)
        );
        let title = if s.title.is_empty() {
            format!("{} ({}): {}", s.symbol, s.lang, c.change)
        } else {
            format!("{} ({}): {} — {}", s.symbol, s.lang, c.change, s.title)
        };
        // one entry per change: the same document changed twice is two entries
        let id = format!("{url}#{}-{}", c.run_id, c.change);
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <id>{}</id>\n", xml_escape(&id)));
        x.push_str(&format!("    <title>{}</title>\n", xml_escape(&title)));
        x.push_str(&format!("    <updated>{}</updated>\n", stamp(c.time)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" hreflang=\"{}\" href=\"{}\"/>\n",
            xml_escape(&s.lang),
            xml_escape(&url)
        ));
        x.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            xml_escape(&c.change),
            xml_escape(&s.doc_type)
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

#[cfg(test)]
mod tests {
    use gadocs_index::store::ChangeSummary;

    use super::*;

    #[test]
    fn newest_first_escaped_and_well_formed() {
        let change = |symbol: &str, title: &str, kind: &str| Change {
            run_id: "r1".into(),
            time: Utc::now(),
            change: kind.into(),
            summary: ChangeSummary {
                symbol: symbol.into(),
                lang: "en".into(),
                doc_type: "resolution".into(),
                title: title.into(),
                session: Some("80".into()),
                sponsors: Vec::new(),
            },
        };
        let xml = render(
            &[
                change("A/RES/80/1", "Old", "new"),
                change("A/RES/80/2", "<b>New</b> & \u{c}", "changed"),
            ],
            &[("since".into(), "1d".into())],
            "http://127.0.0.1:8080",
            Utc::now(),
        );
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(titles.len(), 3, "{xml}");
        assert!(titles[1].starts_with("A/RES/80/2 (en): changed — <b>New</b> &"));
        assert!(titles[2].starts_with("A/RES/80/1"));
        assert!(xml.contains("/feed/changes?since=1d"));
    }
}
