//! The legislative history of a resolution, from any member of its family.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use gadocs_index::{DocType, IndexStore, Record};
use serde::Serialize;

use super::sponsors::{self, Sponsor};
use super::{find_record, records_where};
use crate::fields::symbol::Symbol;
use crate::shorthand;

/// A document in the chain; `indexed` false when only its symbol is known (named by another
/// record), `has_text` false for metadata-only records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocRef {
    /// Symbol.
    pub symbol: String,
    /// Title (empty when not indexed).
    pub title: String,
    /// Document type (`null` when not indexed).
    pub doc_type: Option<String>,
    /// Session.
    pub session: Option<String>,
    /// Adoption date, else issue date.
    pub date: Option<NaiveDate>,
    /// In the index.
    pub indexed: bool,
    /// The index holds its text (false for metadata-only records and documents not indexed).
    pub has_text: bool,
}

impl DocRef {
    pub(crate) fn of(r: &Record) -> Self {
        DocRef {
            symbol: r.symbol.clone(),
            title: r.title.clone(),
            doc_type: Some(r.doc_type.as_str().to_string()),
            session: r.session.clone(),
            date: r.effective_date(),
            indexed: true,
            has_text: r.has_text,
        }
    }

    pub(crate) fn named(symbol: &str) -> Self {
        DocRef {
            symbol: symbol.to_string(),
            title: String::new(),
            doc_type: None,
            session: symbol.parse::<Symbol>().ok().and_then(|s| s.session()),
            date: None,
            indexed: false,
            has_text: false,
        }
    }
}

/// One draft (or revision) of the resolution.
#[derive(Debug, Clone, Serialize)]
pub struct DraftStep {
    /// The document.
    #[serde(flatten)]
    pub doc: DocRef,
    /// Named by the resolution's workflow (the version that was adopted).
    pub adopted_version: bool,
    /// Sponsors printed on this draft (empty when not indexed).
    pub sponsors: Vec<String>,
    /// Additional sponsors recorded on this draft.
    pub additional_sponsors: Vec<String>,
}

/// The vote in the history.
#[derive(Debug, Clone, Serialize)]
pub struct VoteSummary {
    /// Adopted without a vote.
    pub without_vote: bool,
    /// In favour.
    pub yes: u32,
    /// Against.
    pub no: u32,
    /// Abstentions.
    pub abstain: u32,
    /// States named in the roll call (yes, no, abstain lists).
    pub states_listed: u32,
    /// The lists disagree with the counts in the source.
    pub mismatch: bool,
}

impl VoteSummary {
    /// The counts alone.
    pub fn counts(&self) -> gadocs_index::Votes {
        gadocs_index::Votes {
            without_vote: self.without_vote,
            yes: self.yes,
            no: self.no,
            abstain: self.abstain,
        }
    }
}

/// A resolution's legislative history; field names are the `history --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// The symbol asked for, canonical.
    pub query: String,
    /// What the asked symbol is (`resolution`, `draft`, `committee report`, `meeting record`,
    /// or the document type of an indexed record).
    pub query_role: String,
    /// Every resolution the asked document led to (several for a report or meeting record);
    /// the chain below is the first one's.
    pub matches: Vec<DocRef>,
    /// The resolution (`null` when none was found, e.g. a draft not adopted or not indexed).
    pub resolution: Option<DocRef>,
    /// Session.
    pub session: Option<String>,
    /// Main Committee or plenary.
    pub committee: Option<String>,
    /// Agenda items.
    pub agenda_items: Vec<String>,
    /// Drafts and revisions, original first.
    pub drafts: Vec<DraftStep>,
    /// Sponsors as the resolution's workflow lists them (the adopted draft's sponsors).
    pub sponsors: Vec<String>,
    /// States that joined as sponsors later (the resolution's workflow).
    pub additional_sponsors: Vec<String>,
    /// Every State that sponsored at any stage, merged from the resolution's record and
    /// every indexed draft, revision and `Add.` document, each with its stage and sources.
    pub all_sponsors: Vec<Sponsor>,
    /// Committee report that recommended the draft.
    pub committee_report: Option<DocRef>,
    /// The paragraph of that report recommending it.
    pub report_paragraph: Option<String>,
    /// Plenary meeting record of the adoption.
    pub meeting_record: Option<DocRef>,
    /// Adoption date.
    pub adoption_date: Option<NaiveDate>,
    /// The vote.
    pub vote: Option<VoteSummary>,
    /// GA resolutions this one cites (`65/230` → `A/RES/65/230`).
    pub cites: Vec<DocRef>,
    /// Indexed resolutions that cite this one.
    pub cited_by: Vec<DocRef>,
    /// Resolutions on the same subject adopted before: same or a very similar title, or
    /// under the same agenda item (followed across sessions by its title).
    pub earlier: Vec<DocRef>,
    /// Resolutions on the same subject adopted after (same tests).
    pub later: Vec<DocRef>,
}

/// Minimum word-set similarity (Jaccard) of two titles to count as "the same subject".
pub const TITLE_SIMILARITY: f64 = 0.8;

/// The history of `symbol` (any spelling `shorthand` accepts). `None` when the index knows
/// nothing of it.
pub fn history(store: &IndexStore, symbol: &str) -> anyhow::Result<Option<History>> {
    let query = shorthand::normalize_symbol(symbol);
    let parsed = query.parse::<Symbol>().ok();
    let family = parsed
        .as_ref()
        .map(|s| s.family())
        .unwrap_or_else(|| query.clone());
    let own = find_record(store, &query)?;

    // the resolution(s) this document led to
    let mut role = own
        .as_ref()
        .map(|r| r.doc_type.as_str().to_string())
        .unwrap_or_default();
    let mut matches: Vec<Record> = Vec::new();
    match &own {
        Some(r) if r.doc_type == DocType::Resolution => matches.push(r.clone()),
        Some(r) if r.adopted_as.is_some() => {
            if let Some(res) = find_record(store, r.adopted_as.as_deref().unwrap_or_default())? {
                matches.push(res);
            }
        }
        _ => {}
    }
    if matches.is_empty() {
        let session = parsed
            .as_ref()
            .and_then(|s| s.session())
            .or_else(|| own.as_ref().and_then(|r| r.session.clone()));
        let mut filters = vec![("type", "resolution")];
        if let Some(s) = &session {
            filters.push(("session", s.as_str()));
        }
        for r in records_where(store, "", &filters)? {
            let draft = r.draft_symbols.iter().any(|d| same_family(d, &family));
            let report = r
                .committee_report
                .as_deref()
                .is_some_and(|c| c == query || same_family(c, &family));
            let meeting = r.meeting_record.as_deref() == Some(query.as_str());
            if draft || report || meeting {
                role = if draft {
                    "draft".into()
                } else if report {
                    "committee report".into()
                } else {
                    "meeting record".into()
                };
                matches.push(r);
            }
        }
    }
    if role.is_empty() && matches.is_empty() && own.is_none() {
        return Ok(None);
    }
    let Some(res) = matches.first().cloned() else {
        // a document that led to no indexed resolution: its own family only
        let (drafts, family_records) = match &own {
            Some(r) => drafts_of(store, std::slice::from_ref(&r.symbol), &[])?,
            None => (Vec::new(), Vec::new()),
        };
        return Ok(Some(History {
            query,
            query_role: role,
            matches: Vec::new(),
            resolution: None,
            session: own.as_ref().and_then(|r| r.session.clone()),
            committee: own
                .as_ref()
                .and_then(|r| r.committee.map(|c| c.to_string())),
            agenda_items: own
                .as_ref()
                .map(|r| r.agenda_items.clone())
                .unwrap_or_default(),
            drafts,
            sponsors: Vec::new(),
            additional_sponsors: Vec::new(),
            all_sponsors: sponsors::merge(&family_records),
            committee_report: None,
            report_paragraph: None,
            meeting_record: None,
            adoption_date: None,
            vote: None,
            cites: Vec::new(),
            cited_by: Vec::new(),
            earlier: Vec::new(),
            later: Vec::new(),
        }));
    };
    if role.is_empty() || role == "resolution" {
        role = "resolution".into();
    }

    let (drafts, family_records) = drafts_of(store, &res.draft_symbols, &res.draft_symbols)?;
    let all_sponsors = sponsors::merge(std::iter::once(&res).chain(&family_records));
    let committee_report = res
        .committee_report
        .as_deref()
        .map(|s| doc_ref(store, s))
        .transpose()?;
    let meeting_record = res
        .meeting_record
        .as_deref()
        .map(|s| doc_ref(store, s))
        .transpose()?;
    let vote = res.votes.map(|v| VoteSummary {
        without_vote: v.without_vote,
        yes: v.yes,
        no: v.no,
        abstain: v.abstain,
        states_listed: res.vote_by_state.values().filter(|c| c.took_part()).count() as u32,
        mismatch: res.vote_mismatch,
    });
    let mut cites: Vec<DocRef> = Vec::new();
    for c in &res.cites {
        let symbol = resolution_symbol(&gadocs_index::cited_document(c));
        if !cites.iter().any(|d| d.symbol == symbol) {
            cites.push(doc_ref(store, &symbol)?);
        }
    }
    let cited_by = cited_by(store, &res.symbol)?
        .iter()
        .map(DocRef::of)
        .collect();
    let (mut earlier, mut later) = same_subject(store, &res)?;
    same_item(store, &res, &mut earlier, &mut later)?;
    Ok(Some(History {
        query,
        query_role: role,
        matches: matches.iter().map(DocRef::of).collect(),
        resolution: Some(DocRef::of(&res)),
        session: res.session.clone(),
        committee: res.committee.map(|c| c.to_string()),
        agenda_items: res.agenda_items.clone(),
        drafts,
        sponsors: res.sponsors.clone(),
        additional_sponsors: res.additional_sponsors.clone(),
        all_sponsors,
        committee_report,
        report_paragraph: res.report_paragraph.clone(),
        meeting_record,
        adoption_date: res.adoption_date,
        vote,
        cites,
        cited_by,
        earlier: earlier.iter().map(DocRef::of).collect(),
        later: later.iter().map(DocRef::of).collect(),
    }))
}

fn same_family(symbol: &str, family: &str) -> bool {
    symbol == family
        || symbol
            .parse::<Symbol>()
            .is_ok_and(|s| s.family() == family || s.to_string() == family)
}

/// `65/230` → `A/RES/65/230`, `1514 (XV)` → `A/RES/1514 (XV)`.
pub fn resolution_symbol(reference: &str) -> String {
    let raw = format!("A/RES/{reference}");
    raw.parse::<Symbol>().map(|s| s.to_string()).unwrap_or(raw)
}

/// How texts cite a resolution: `74/247`; for a multi-part symbol (`A/RES/75/254 A-C`) also
/// the bare number and each part (`75/254`, `75/254 A` …).
pub fn citation_refs(symbol: &str) -> Vec<String> {
    let Some(reference) = symbol
        .parse::<Symbol>()
        .ok()
        .and_then(|s| s.resolution_ref())
    else {
        return Vec::new();
    };
    let mut out = vec![reference.clone()];
    if let Some((number, parts)) = reference.split_once(' ')
        && !parts.starts_with('(')
    {
        out.push(number.to_string());
        let letters: Vec<char> = parts.chars().filter(char::is_ascii_uppercase).collect();
        if let (Some(first), Some(last)) = (letters.first(), letters.last()) {
            for l in *first..=*last {
                out.push(format!("{number} {l}"));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Indexed records whose `cites` name the resolution `symbol` (indexed or not), in date
/// order, `symbol` itself left out.
pub fn cited_by(store: &IndexStore, symbol: &str) -> anyhow::Result<Vec<Record>> {
    let symbol = shorthand::normalize_symbol(symbol);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for reference in citation_refs(&symbol) {
        for r in records_where(store, "", &[("cites", reference.as_str())])? {
            if r.symbol != symbol && seen.insert(r.symbol.clone()) {
                out.push(r);
            }
        }
    }
    out.sort_by(|a, b| (a.effective_date(), &a.symbol).cmp(&(b.effective_date(), &b.symbol)));
    Ok(out)
}

pub(crate) fn doc_ref(store: &IndexStore, symbol: &str) -> anyhow::Result<DocRef> {
    Ok(find_record(store, symbol)?
        .filter(|r| r.symbol == symbol || r.aliases.iter().any(|a| a == symbol))
        .map(|r| DocRef::of(&r))
        .unwrap_or_else(|| DocRef::named(symbol)))
}

/// The drafts named by the resolution and every indexed member of their families, with
/// those members' records (English preferred).
fn drafts_of(
    store: &IndexStore,
    named: &[String],
    adopted: &[String],
) -> anyhow::Result<(Vec<DraftStep>, Vec<Record>)> {
    let mut steps: BTreeMap<String, DraftStep> = BTreeMap::new();
    let mut records = Vec::new();
    for d in named {
        let family = d
            .parse::<Symbol>()
            .map(|s| s.family())
            .unwrap_or_else(|_| d.clone());
        let mut members = store.lookup(&family, None)?;
        members.sort_by_key(|r| (r.lang != "en", r.symbol.clone()));
        for r in members {
            if steps.contains_key(&r.symbol) {
                continue;
            }
            steps.insert(
                r.symbol.clone(),
                DraftStep {
                    doc: DocRef::of(&r),
                    adopted_version: adopted.contains(&r.symbol),
                    sponsors: r.sponsors.clone(),
                    additional_sponsors: r.additional_sponsors.clone(),
                },
            );
            records.push(r);
        }
        steps.entry(d.clone()).or_insert_with(|| DraftStep {
            doc: DocRef::named(d),
            adopted_version: adopted.contains(d),
            sponsors: Vec::new(),
            additional_sponsors: Vec::new(),
        });
    }
    let mut out: Vec<DraftStep> = steps.into_values().collect();
    out.sort_by_key(|a| draft_order(&a.doc.symbol));
    records.sort_by_key(|r| draft_order(&r.symbol));
    Ok((out, records))
}

/// Original before `/Rev.1` before `/Rev.2`; `/Add.n` and `/Corr.n` after their base.
fn draft_order(symbol: &str) -> (String, u32) {
    match symbol.rsplit_once("/Rev.") {
        Some((base, n)) => (base.to_string(), n.parse().unwrap_or(99)),
        None => (symbol.to_string(), 0),
    }
}

/// Words of a title for similarity: lower case, alphanumeric runs.
fn title_words(title: &str) -> BTreeSet<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Jaccard similarity of the word sets of two titles.
pub fn title_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (title_words(a), title_words(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// Adds to `earlier` and `later` the resolutions filed under the same agenda subject in other
/// sessions (the item's number changes; its title does not), when the resolution's record
/// names the item's title.
fn same_item(
    store: &IndexStore,
    res: &Record,
    earlier: &mut Vec<Record>,
    later: &mut Vec<Record>,
) -> anyhow::Result<()> {
    let (Some(session), Some(item)) = (&res.session, res.agenda_items.first()) else {
        return Ok(());
    };
    if !res.agenda_titles.contains_key(item) {
        return Ok(());
    }
    let Ok(c) = super::agenda::agenda(store, &format!("{session}/{item}"), None) else {
        return Ok(());
    };
    let own = super::session_key(session);
    for s in c.sessions.iter().filter(|s| &s.session != session) {
        for d in &s.documents {
            if d.doc_type.as_deref() != Some("resolution")
                || earlier
                    .iter()
                    .chain(later.iter())
                    .any(|r| r.symbol == d.symbol)
            {
                continue;
            }
            let Some(r) = store.lookup_exact(&d.symbol, &res.lang)? else {
                continue;
            };
            if super::session_key(&s.session) < own {
                earlier.push(r);
            } else {
                later.push(r);
            }
        }
    }
    for list in [earlier, later] {
        list.sort_by(|a, b| (a.effective_date(), &a.symbol).cmp(&(b.effective_date(), &b.symbol)));
    }
    Ok(())
}

/// Resolutions with the same or a very similar title in the same language, before and after
/// this one (by effective date, then session).
fn same_subject(store: &IndexStore, res: &Record) -> anyhow::Result<(Vec<Record>, Vec<Record>)> {
    let words = title_words(&res.title);
    if words.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    // candidates: titles sharing a significant word; kept when similar enough
    let query = words
        .iter()
        .filter(|w| w.chars().count() > 3)
        .map(|w| format!("title:{w}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let query = if query.is_empty() {
        format!("title:\"{}\"", res.title.replace('"', " "))
    } else {
        query
    };
    let mut earlier = Vec::new();
    let mut later = Vec::new();
    let lang = res.lang.clone();
    let hits: Vec<_> = super::hits_where(
        store,
        &query,
        &[("type", "resolution"), ("lang", lang.as_str())],
    )?
    .into_iter()
    .filter(|h| {
        h.symbol != res.symbol && title_similarity(&h.title, &res.title) >= TITLE_SIMILARITY
    })
    .collect();
    for r in super::records_of(store, &hits)? {
        let before = (
            r.effective_date(),
            r.session.as_deref().map(super::session_key),
        ) < (
            res.effective_date(),
            res.session.as_deref().map(super::session_key),
        );
        if before {
            earlier.push(r);
        } else {
            later.push(r);
        }
    }
    Ok((earlier, later))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_titles() {
        assert_eq!(resolution_symbol("65/230"), "A/RES/65/230");
        assert_eq!(citation_refs("A/RES/74/247"), ["74/247"]);
        assert_eq!(
            citation_refs("A/RES/75/254 A-C"),
            ["75/254", "75/254 A", "75/254 A-C", "75/254 B", "75/254 C"]
        );
        assert!(title_similarity("Countering the use of ICT", "Countering the use of ICT") > 0.99);
        assert!(title_similarity("Rights of the child", "Status of women") < 0.2);
        assert!(draft_order("A/C.3/74/L.11") < draft_order("A/C.3/74/L.11/Rev.1"));
    }
}
