//! Results grouped by symbol: the versions of one document in several languages share its
//! symbol, so a search over all languages can show each document once, with the languages
//! the index holds it in and the versions that matched.

use gadocs_index::{Hit, IndexStore, SearchRequest};
use serde::Serialize;

use crate::cli::search::search;

/// Official languages first, in the UN's order, then any other.
const LANG_ORDER: &[&str] = &["ar", "zh", "en", "fr", "ru", "es"];

/// Hits read per group asked for: enough for every language of each document.
const HITS_PER_GROUP: usize = 8;
/// Most hits read to build the groups.
const MAX_HITS: usize = 2000;

/// One document and its matching versions.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The symbol.
    pub symbol: String,
    /// Every language the index holds this document in.
    pub languages: Vec<String>,
    /// The versions that matched, best first.
    pub hits: Vec<Hit>,
}

/// A grouped result; field names are the `search --group --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct Grouped {
    /// Matching texts (all languages).
    pub total: u64,
    /// Documents among the first texts read (at most the page asked for).
    pub groups: Vec<Group>,
    /// Facet name → value → count (over the texts).
    pub facets: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
    /// What the query parser read leniently.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

fn lang_rank(l: &str) -> (usize, String) {
    (
        LANG_ORDER
            .iter()
            .position(|x| *x == l)
            .unwrap_or(LANG_ORDER.len()),
        l.to_string(),
    )
}

/// Runs `req` and groups its hits by symbol, in the order of each symbol's best hit;
/// `req.offset` and `req.limit` count groups.
pub fn grouped(store: &IndexStore, req: &SearchRequest) -> anyhow::Result<Grouped> {
    let mut wide = req.clone();
    wide.offset = 0;
    wide.limit = ((req.offset + req.limit) * HITS_PER_GROUP).clamp(1, MAX_HITS);
    let result = search(store, &wide)?;
    let mut groups: Vec<Group> = Vec::new();
    for hit in result.hits {
        match groups.iter_mut().find(|g| g.symbol == hit.symbol) {
            Some(g) => g.hits.push(hit),
            None => groups.push(Group {
                symbol: hit.symbol.clone(),
                languages: Vec::new(),
                hits: vec![hit],
            }),
        }
    }
    // the version shown first: best score, English on a tie (then the UN order)
    for g in &mut groups {
        g.hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| (a.lang != "en").cmp(&(b.lang != "en")))
                .then_with(|| lang_rank(&a.lang).cmp(&lang_rank(&b.lang)))
        });
    }
    let mut page: Vec<Group> = groups
        .into_iter()
        .skip(req.offset)
        .take(req.limit)
        .collect();
    for g in &mut page {
        let versions = SearchRequest {
            query: format!("symbol:\"{}\"", g.symbol.replace('"', "")),
            facets: vec!["lang".into()],
            limit: 0,
            snippets: false,
            ..Default::default()
        };
        let found = store.search(&versions, &|s: &str| s.to_string())?;
        let mut langs: Vec<String> = found
            .facets
            .get("lang")
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for h in &g.hits {
            if !langs.contains(&h.lang) {
                langs.push(h.lang.clone());
            }
        }
        langs.sort_by_key(|l| lang_rank(l));
        g.languages = langs;
    }
    Ok(Grouped {
        total: result.total,
        groups: page,
        facets: result.facets,
        warnings: result.warnings,
    })
}
