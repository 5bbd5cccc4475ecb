//! Roll-call votes and legislative history over the index.
//!
//! [`roll_call`]: a resolution's vote as counts and per-State lists, how one State voted on
//! every recorded vote, and agreement rates between two States per session.
//! [`chain`]: from any member of a family (draft, revision, committee report, meeting
//! record, resolution) to the whole chain — drafts and sponsors, report, meeting, vote — and
//! the resolutions before and after it on the same subject (same or very similar title,
//! explicit citations both ways).
//! [`agenda`]: one agenda subject across sessions, whatever its number each year.
//! [`graph`]: the citation graph, walked both ways, exported for network tools.
//! [`sponsors`]: every State that sponsored at any stage, with its sources.

pub mod agenda;
pub mod chain;
pub mod graph;
pub mod roll_call;
pub mod sponsors;

use std::collections::BTreeMap;

use gadocs_index::{Hit, IndexStore, Record, SearchRequest, Sort};

pub use chain::{DocRef, DraftStep, History, VoteSummary, cited_by, history};
pub use roll_call::{
    Agreement, RollCall, StateVote, agreement, member_states, roll_call, state_votes,
};

/// Every hit of `query` and `filters`, one per symbol (English preferred, else the first
/// language found).
pub fn hits_where(
    store: &IndexStore,
    query: &str,
    filters: &[(&str, &str)],
) -> anyhow::Result<Vec<Hit>> {
    let req = SearchRequest {
        query: query.to_string(),
        filters: filters
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        limit: 100_000,
        sort: Some(Sort::Relevance),
        snippets: false,
        ..Default::default()
    };
    let found = store.search(&req, &crate::shorthand::normalize_symbol)?;
    let mut by_symbol: BTreeMap<String, Hit> = BTreeMap::new();
    for hit in found.hits {
        match by_symbol.get(&hit.symbol) {
            Some(h) if h.lang == "en" || hit.lang != "en" => {}
            _ => {
                by_symbol.insert(hit.symbol.clone(), hit);
            }
        }
    }
    Ok(by_symbol.into_values().collect())
}

/// The records of some hits, sorted by effective date then symbol.
pub fn records_of(store: &IndexStore, hits: &[Hit]) -> anyhow::Result<Vec<Record>> {
    let mut out = Vec::with_capacity(hits.len());
    for hit in hits {
        if let Some(r) = store.lookup_exact(&hit.symbol, &hit.lang)? {
            out.push(r);
        }
    }
    out.sort_by(|a, b| (a.effective_date(), &a.symbol).cmp(&(b.effective_date(), &b.symbol)));
    Ok(out)
}

/// Every record matching `query` and `filters`, one per symbol (English preferred), sorted
/// by effective date then symbol.
pub fn records_where(
    store: &IndexStore,
    query: &str,
    filters: &[(&str, &str)],
) -> anyhow::Result<Vec<Record>> {
    records_of(store, &hits_where(store, query, filters)?)
}

/// The record of a symbol (exact symbol first, then family members), English preferred.
pub fn find_record(store: &IndexStore, symbol: &str) -> anyhow::Result<Option<Record>> {
    let mut records = store.lookup(symbol, None)?;
    records.sort_by_key(|r| {
        (
            r.symbol != symbol && !r.aliases.iter().any(|a| a == symbol),
            r.lang != "en",
            r.symbol.clone(),
            r.lang.clone(),
        )
    });
    Ok(records.into_iter().next())
}

/// Sort key of a session: regular sessions by number, then special, then emergency special.
pub fn session_key(session: &str) -> (u8, u32, String) {
    if let Ok(n) = session.parse::<u32>() {
        return (0, n, String::new());
    }
    if let Some(n) = session.strip_prefix("ES-").and_then(|n| n.parse().ok()) {
        return (2, n, String::new());
    }
    if let Some(n) = session.strip_prefix("S-").and_then(|n| n.parse().ok()) {
        return (1, n, String::new());
    }
    (3, 0, session.to_string())
}
