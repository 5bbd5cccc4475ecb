//! Agenda continuity: one subject followed across sessions although its item number changes
//! every year (107 at the 74th session, 103 at the 75th …), through the item titles the
//! documents print (AKN `agenda item name`, the masthead, MARC 991).

use std::collections::BTreeMap;

use gadocs_index::compile::{normalize_agenda, normalize_session};
use gadocs_index::{AGENDA_TITLE_SEPARATOR, IndexStore};
use serde::Serialize;

use super::chain::{DocRef, title_similarity};
use super::{records_where, session_key};

/// Minimum word-set similarity of two item titles to be the same subject.
pub const SAME_ITEM: f64 = 0.8;

/// One session's item.
#[derive(Debug, Clone, Serialize)]
pub struct SessionItem {
    /// Session.
    pub session: String,
    /// Item number as printed (`107`, `71 (b)`).
    pub item: String,
    /// Its title in that session (empty when no document printed it).
    pub title: String,
    /// Indexed documents under it, by date (English preferred).
    pub documents: Vec<DocRef>,
}

/// An agenda subject across sessions; field names are the `agenda --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct Continuity {
    /// What was asked.
    pub query: String,
    /// The title followed.
    pub title: String,
    /// Session by session, oldest first.
    pub sessions: Vec<SessionItem>,
}

/// Why an agenda question has no answer.
#[derive(Debug, thiserror::Error)]
pub enum AgendaError {
    /// No document is filed under that item.
    #[error(
        "no indexed document is under agenda item {0}; give --session N (numbers change every session) or words of the item's title"
    )]
    UnknownItem(String),
    /// No title has these words.
    #[error(
        "no agenda item title contains every word of {0:?}; try fewer words, or an item number with --session"
    )]
    UnknownTitle(String),
}

/// The titles an agenda slot (session, item) is printed with, and how many records print each.
#[derive(Default)]
struct Slot {
    titles: BTreeMap<String, u64>,
}

impl Slot {
    /// The title most documents print.
    fn title(&self) -> String {
        self.titles
            .iter()
            .max_by_key(|(t, n)| (**n, std::cmp::Reverse((*t).clone())))
            .map(|(t, _)| t.clone())
            .unwrap_or_default()
    }
}

/// Every agenda slot of the index with the titles English records print for it, from the
/// `agenda` and `agenda_title` fast columns (no stored record is read).
fn slots(store: &IndexStore) -> anyhow::Result<BTreeMap<(String, String), Slot>> {
    let mut slots: BTreeMap<(String, String), Slot> = BTreeMap::new();
    for scoped in store.value_counts("agenda", &[])?.into_keys() {
        if let Some((s, i)) = scoped.split_once('/') {
            slots.entry((s.to_string(), i.to_string())).or_default();
        }
    }
    for (value, n) in store.value_counts("agenda_title", &[("lang", "en")])? {
        let Some((scoped, title)) = value.split_once(AGENDA_TITLE_SEPARATOR) else {
            continue;
        };
        if let Some((s, i)) = scoped.split_once('/') {
            let slot = slots.entry((s.to_string(), i.to_string())).or_default();
            *slot.titles.entry(title.to_string()).or_default() += n;
        }
    }
    Ok(slots)
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 2)
        .map(str::to_lowercase)
        .collect()
}

fn looks_like_item(q: &str) -> bool {
    let item = q.rsplit('/').next().unwrap_or(q).trim();
    item.chars().next().is_some_and(|c| c.is_ascii_digit())
        && item.chars().count() <= 8
        && item
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '(' | ')'))
}

/// The subject of `query` followed through every session of the index. `query` is an item
/// number (of `session`, or scoped as `74/107`; alone, of the latest session that has it) or
/// words of its title (the shortest title holding them all, among `session`'s items when
/// given).
pub fn agenda(
    store: &IndexStore,
    query: &str,
    session: Option<&str>,
) -> anyhow::Result<Continuity> {
    let slots = slots(store)?;

    let query = query.trim();
    let (target_title, anchor) = if looks_like_item(query) {
        let normalized = normalize_agenda(query);
        let (scope, item) = match normalized.split_once('/') {
            Some((s, i)) => (Some(s.to_string()), i.to_string()),
            None => (session.map(normalize_session), normalized),
        };
        let key = match scope {
            Some(s) => (s, item.clone()),
            None => slots
                .keys()
                .filter(|(_, i)| *i == item)
                .max_by_key(|(s, _)| session_key(s))
                .cloned()
                .ok_or_else(|| AgendaError::UnknownItem(item.clone()))?,
        };
        let slot = slots
            .get(&key)
            .ok_or_else(|| AgendaError::UnknownItem(format!("{}/{}", key.0, key.1)))?;
        (slot.title(), Some(key))
    } else {
        let want = words(query);
        let best = slots
            .iter()
            .filter(|((s, _), _)| session.is_none_or(|want| normalize_session(want) == *s))
            .map(|(_, slot)| slot.title())
            .filter(|t| {
                let have = words(t);
                !want.is_empty() && want.iter().all(|w| have.contains(w))
            })
            .min_by_key(|t| words(t).len())
            .ok_or_else(|| AgendaError::UnknownTitle(query.to_string()))?;
        (best, None)
    };

    let mut sessions: Vec<SessionItem> = slots
        .iter()
        .filter(|(key, slot)| {
            anchor.as_ref() == Some(*key) || {
                let t = slot.title();
                !t.is_empty()
                    && !target_title.is_empty()
                    && title_similarity(&t, &target_title) >= SAME_ITEM
            }
        })
        .map(|((s, i), slot)| {
            // one record per symbol, English preferred, by date
            let documents = records_where(store, "", &[("agenda", &format!("{s}/{i}"))])?
                .iter()
                .map(DocRef::of)
                .collect();
            Ok(SessionItem {
                session: s.clone(),
                item: i.clone(),
                title: slot.title(),
                documents,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    sessions.sort_by(|a, b| {
        (session_key(&a.session), &a.item).cmp(&(session_key(&b.session), &b.item))
    });
    Ok(Continuity {
        query: query.to_string(),
        title: target_title,
        sessions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_numbers_and_titles_are_told_apart() {
        assert!(looks_like_item("107"));
        assert!(looks_like_item("71 (b)"));
        assert!(looks_like_item("74/107"));
        assert!(!looks_like_item("crime prevention"));
        assert!(!looks_like_item("2030 Agenda for Sustainable Development"));
    }
}
