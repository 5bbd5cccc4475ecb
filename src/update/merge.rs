//! MARC ↔ record merge: catalogue metadata of the UN Digital Library filled into normalized
//! records, and metadata-only records for documents whose text the raw store does not hold.
//!
//! The relation fields come from the whole catalogue, not just the document's own record: a
//! draft's `adopted_as` is its record's 993 `resolution` link, else the resolution whose
//! record names it as a draft; a resolution's `draft_symbols` and `committee_report` are its
//! record's 993 `draft` / `report` links, else the drafts and reports whose records name it.

use std::collections::{BTreeSet, HashMap};

use gadocs_crawler::MarcRecord;
use gadocs_crawler::marc::{RelationKind, Vote};
use gadocs_index::{DocType, Record, Votes};

use crate::fields::symbol::Symbol;
use crate::fields::{agenda, date, sponsors};
use crate::normalize::finish_record;

/// Prefix of the `source` of metadata-only records (followed by the OAI identifier).
pub const METADATA_SOURCE: &str = "marc:";

/// Canonical spelling of a symbol, for comparisons: the grammar's canonical form, else the
/// text with whitespace collapsed and upper-cased.
pub fn canonical(symbol: &str) -> String {
    match symbol.trim().parse::<Symbol>() {
        Ok(s) => s.to_string(),
        Err(_) => symbol
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_uppercase(),
    }
}

/// The names of a catalogue symbol: its canonical form and, for a joint symbol
/// (`A/53/568-S/1998/1025`), the canonical form of each part.
pub fn names_of(symbol: &str) -> Vec<String> {
    let mut out = vec![canonical(symbol)];
    let s = symbol.trim();
    let mut cuts = vec![0];
    for (i, _) in s.match_indices('-') {
        let rest = &s[i + 1..];
        let head = rest.split('/').next().unwrap_or_default();
        if rest.contains('/') && !head.is_empty() && head.chars().all(|c| c.is_ascii_uppercase()) {
            cuts.push(i + 1);
        }
    }
    if cuts.len() > 1 {
        cuts.push(s.len() + 1);
        for w in cuts.windows(2) {
            let part = canonical(&s[w[0]..w[1] - 1]);
            if !out.contains(&part) {
                out.push(part);
            }
        }
    }
    out
}

/// Whether a record was built from catalogue metadata alone (by [`Catalog::metadata_record`]).
pub fn is_metadata_only(r: &Record) -> bool {
    !r.has_text && r.source.starts_with(METADATA_SOURCE)
}

fn type_hint(symbol: &str) -> Option<DocType> {
    symbol
        .parse::<Symbol>()
        .ok()
        .and_then(|s| s.doc_type_hint())
}

fn is_resolution(symbol: &str) -> bool {
    type_hint(symbol) == Some(DocType::Resolution)
}

fn is_draft(symbol: &str) -> bool {
    matches!(
        type_hint(symbol),
        Some(DocType::DraftResolution | DocType::RevisedDraftResolution)
    )
}

/// The harvested catalogue, indexed by canonical symbol, with the relations resolved both ways.
#[derive(Debug, Default)]
pub struct Catalog {
    by_symbol: HashMap<String, MarcRecord>,
    /// Parts of joint symbols → the full symbol.
    parts: HashMap<String, String>,
    adopted_as: HashMap<String, String>,
    drafts: HashMap<String, Vec<String>>,
    report: HashMap<String, String>,
}

impl Catalog {
    /// Builds the catalogue from the current MARC records (later records of a symbol win).
    pub fn new(records: Vec<MarcRecord>) -> Catalog {
        let mut c = Catalog::default();
        for r in records {
            if r.symbol.trim().is_empty() {
                continue;
            }
            c.by_symbol.insert(canonical(&r.symbol), r);
        }
        for sym in c.by_symbol.keys() {
            for part in names_of(sym).into_iter().skip(1) {
                c.parts.entry(part).or_insert_with(|| sym.clone());
            }
        }
        // A document's own record first …
        for (sym, r) in &c.by_symbol {
            for rel in &r.related {
                let other = canonical(&rel.symbol);
                match rel.kind {
                    RelationKind::Resolution if is_draft(sym) => {
                        c.adopted_as.entry(sym.clone()).or_insert(other);
                    }
                    RelationKind::Draft if is_resolution(sym) => {
                        push_unique(c.drafts.entry(sym.clone()).or_default(), other)
                    }
                    RelationKind::Report => {
                        c.report.entry(sym.clone()).or_insert(other);
                    }
                    _ => {}
                }
            }
        }
        // … then what other records say about it.
        let mut reverse_drafts: Vec<(String, String)> = Vec::new();
        for (sym, r) in &c.by_symbol {
            for rel in &r.related {
                let other = canonical(&rel.symbol);
                match rel.kind {
                    RelationKind::Draft if is_resolution(sym) => {
                        c.adopted_as.entry(other).or_insert_with(|| sym.clone());
                    }
                    RelationKind::Resolution if is_draft(sym) => {
                        reverse_drafts.push((other, sym.clone()));
                    }
                    RelationKind::Resolution
                        if type_hint(sym).is_none_or(|t| t == DocType::Report) =>
                    {
                        c.report.entry(other).or_insert_with(|| sym.clone());
                    }
                    _ => {}
                }
            }
        }
        reverse_drafts.sort();
        for (resolution, draft) in reverse_drafts {
            let own = c
                .by_symbol
                .get(&resolution)
                .is_some_and(|r| r.related.iter().any(|x| x.kind == RelationKind::Draft));
            if !own {
                push_unique(c.drafts.entry(resolution).or_default(), draft);
            }
        }
        c
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.by_symbol.len()
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.by_symbol.is_empty()
    }

    /// Every record with its canonical symbol.
    pub fn records(&self) -> impl Iterator<Item = (&String, &MarcRecord)> {
        self.by_symbol.iter()
    }

    /// The record of a symbol (canonical form).
    pub fn get(&self, symbol: &str) -> Option<&MarcRecord> {
        self.by_symbol.get(symbol)
    }

    /// The symbols whose records change when `record` changes: its own and the documents it
    /// links to (their relation fields are read from it).
    pub fn touched_by(record: &MarcRecord) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        out.extend(names_of(&record.symbol));
        for rel in &record.related {
            out.extend(names_of(&rel.symbol));
        }
        out
    }

    fn lookup<'a>(&'a self, keys: &[String]) -> Option<&'a MarcRecord> {
        keys.iter().find_map(|k| self.by_symbol.get(k)).or_else(|| {
            keys.iter()
                .find_map(|k| self.parts.get(k).and_then(|s| self.by_symbol.get(s)))
        })
    }

    /// Merges catalogue metadata into a normalized record: fills what the text did not give
    /// (title, date, session, agenda items, sponsors, additional sponsors, vote) and sets the
    /// relation fields the text did not state.
    pub fn enrich(&self, r: &mut Record) {
        let keys: Vec<String> = std::iter::once(&r.symbol)
            .chain(r.aliases.iter())
            .map(|s| canonical(s))
            .collect();
        self.relations(r, &keys);
        if let Some(m) = self.lookup(&keys) {
            fill(r, m);
        }
    }

    fn relations(&self, r: &mut Record, keys: &[String]) {
        let draft = matches!(
            r.doc_type,
            DocType::DraftResolution | DocType::RevisedDraftResolution
        ) || keys.iter().any(|k| is_draft(k));
        if draft && r.adopted_as.is_none() {
            r.adopted_as = keys.iter().find_map(|k| self.adopted_as.get(k)).cloned();
        }
        if r.doc_type == DocType::Resolution {
            if r.draft_symbols.is_empty()
                && let Some(d) = keys.iter().find_map(|k| self.drafts.get(k))
            {
                r.draft_symbols = d.clone();
            }
            if r.committee_report.is_none() {
                r.committee_report = keys.iter().find_map(|k| self.report.get(k)).cloned();
            }
        }
    }

    /// A searchable record of a document known only from its catalogue record: English,
    /// no text (`has_text: false`), type from the symbol (else the record's 989), title,
    /// sponsors, agenda, session, date, vote and relations.
    pub fn metadata_record(&self, m: &MarcRecord) -> Record {
        let parsed = m.symbol.trim().parse::<Symbol>().ok();
        let mut r = Record {
            symbol: canonical(&m.symbol),
            lang: "en".into(),
            session: m.session.clone().filter(|s| !s.trim().is_empty()),
            has_text: false,
            source: format!("{METADATA_SOURCE}{}", m.id),
            ..Default::default()
        };
        r.aliases = names_of(&m.symbol).into_iter().skip(1).collect();
        r = finish_record(r, parsed.as_ref());
        if r.doc_type == DocType::Other {
            r.doc_type = doc_type_of_marc(m, &r.symbol);
        }
        let keys = vec![r.symbol.clone()];
        self.relations(&mut r, &keys);
        fill(&mut r, m);
        r
    }
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// Document type from MARC 989.
fn doc_type_of_marc(m: &MarcRecord, symbol: &str) -> DocType {
    let t = m.doc_type.as_deref().unwrap_or_default().to_lowercase();
    if t.starts_with("draft") {
        DocType::DraftResolution
    } else if t.starts_with("resolutions") {
        if symbol.contains("/RES/") {
            DocType::Resolution
        } else {
            DocType::Decision
        }
    } else if t.starts_with("report") {
        DocType::Report
    } else if t.starts_with("meeting") {
        DocType::MeetingRecord
    } else if m.title.to_lowercase().contains("report of the") {
        DocType::Report
    } else {
        DocType::Other
    }
}

fn state_names(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let name = gadocs_index::gazetteer::canonical(n)
            .map(str::to_owned)
            .unwrap_or_else(|| n.trim().to_owned());
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Fills the empty fields of `r` from the catalogue record `m`.
fn fill(r: &mut Record, m: &MarcRecord) {
    if r.title.trim().is_empty() && !m.title.trim().is_empty() {
        r.title = m.title.trim().to_owned();
    }
    if r.date.is_none() {
        r.date = m.date.as_deref().and_then(parse_marc_date);
    }
    if r.session.is_none() {
        r.session = m.session.clone().filter(|s| !s.trim().is_empty());
    }
    for a in &m.agenda {
        let (Some(item), Some(title)) = (a.item.as_deref(), a.title.as_deref()) else {
            continue;
        };
        let parsed = agenda::agenda_items(item);
        let one = match parsed.as_slice() {
            [one] => one.clone(),
            [] => item.trim().to_owned(),
            _ => continue,
        };
        if !title.trim().is_empty() {
            r.agenda_titles
                .entry(one)
                .or_insert_with(|| title.trim().to_string());
        }
    }
    if r.agenda_items.is_empty() {
        for item in m.agenda.iter().filter_map(|a| a.item.as_deref()) {
            let parsed = agenda::agenda_items(item);
            let items = if parsed.is_empty() {
                vec![item.trim().to_owned()]
            } else {
                parsed
            };
            for i in items {
                push_unique(&mut r.agenda_items, i);
            }
        }
    }
    if r.sponsors.is_empty() {
        r.sponsors = if m.sponsors.is_empty() {
            m.printed_sponsors
                .as_deref()
                .map(|line| sponsors::split_sponsors(line).sponsors)
                .unwrap_or_default()
        } else {
            state_names(&m.sponsors)
        };
    }
    if r.additional_sponsors.is_empty()
        && let Some(line) = &m.additional_sponsors
    {
        r.additional_sponsors = sponsors::split_sponsors(line)
            .sponsors
            .into_iter()
            .filter(|s| !r.sponsors.contains(s))
            .collect();
    }
    if r.votes.is_none() {
        r.votes = match &m.vote {
            Some(Vote::WithoutVote) => Some(Votes {
                without_vote: true,
                ..Default::default()
            }),
            Some(Vote::Recorded { yes, no, abstain }) => Some(Votes {
                without_vote: false,
                yes: *yes,
                no: *no,
                abstain: *abstain,
            }),
            _ => None,
        };
    }
}

/// MARC 269: `YYYYMMDD` or `YYYY-MM-DD` (or anything the date parser reads).
fn parse_marc_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return chrono::NaiveDate::parse_from_str(s, "%Y%m%d").ok();
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| date::parse_date(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gadocs_crawler::marc::{AgendaItem, RelatedDoc};

    fn rec(symbol: &str, related: &[(&str, RelationKind)]) -> MarcRecord {
        MarcRecord {
            id: format!("oai:x:{symbol}"),
            symbol: symbol.into(),
            title: format!("Title of {symbol}"),
            related: related
                .iter()
                .map(|(s, k)| RelatedDoc {
                    symbol: (*s).into(),
                    kind: *k,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn relations_both_ways_and_metadata_records() {
        let mut res = rec(
            "A/RES/74/247",
            &[
                ("A/C.3/74/L.11", RelationKind::Draft),
                ("A/74/401", RelationKind::Report),
            ],
        );
        res.sponsors = vec!["Venezuela (Bolivarian Republic of)".into()];
        res.additional_sponsors = Some("Armenia, Benin".into());
        res.vote = Some(Vote::Recorded {
            yes: 79,
            no: 60,
            abstain: 33,
        });
        res.date = Some("20191227".into());
        res.agenda = vec![AgendaItem {
            agenda_doc: Some("A/74/251".into()),
            item: Some("107".into()),
            title: None,
        }];
        let report = rec("A/74/401", &[("A/RES/74/247", RelationKind::Resolution)]);
        let draft = rec("A/C.3/74/L.12", &[]);
        let res2 = rec("A/RES/74/248", &[("A/C.3/74/L.12", RelationKind::Draft)]);
        let cat = Catalog::new(vec![res, report, draft, res2]);

        let l12 = cat.metadata_record(cat.get("A/C.3/74/L.12").unwrap());
        assert_eq!(l12.adopted_as.as_deref(), Some("A/RES/74/248"));
        assert_eq!(l12.doc_type, DocType::DraftResolution);
        assert!(!l12.has_text && is_metadata_only(&l12));

        let rep = cat.metadata_record(cat.get("A/74/401").unwrap());
        assert_eq!(rep.lang, "en");
        assert_eq!(rep.session.as_deref(), Some("74"));
        assert_eq!(rep.adopted_as, None);

        let mut xml = Record {
            symbol: "A/RES/74/247".into(),
            lang: "fr".into(),
            doc_type: DocType::Resolution,
            title: "Titre".into(),
            ..Default::default()
        };
        cat.enrich(&mut xml);
        assert_eq!(xml.title, "Titre");
        assert_eq!(xml.draft_symbols, ["A/C.3/74/L.11"]);
        assert_eq!(xml.committee_report.as_deref(), Some("A/74/401"));
        assert_eq!(xml.agenda_items, ["107"]);
        assert_eq!(xml.sponsors, ["Venezuela (Bolivarian Republic of)"]);
        assert_eq!(xml.additional_sponsors, ["Armenia", "Benin"]);
        assert_eq!(xml.votes.map(|v| v.yes), Some(79));
        assert_eq!(xml.date, chrono::NaiveDate::from_ymd_opt(2019, 12, 27));

        let mut kept = Record {
            symbol: "A/RES/74/247".into(),
            lang: "en".into(),
            doc_type: DocType::Resolution,
            draft_symbols: vec!["A/C.3/74/L.11/Rev.1".into()],
            sponsors: vec!["France".into()],
            ..Default::default()
        };
        cat.enrich(&mut kept);
        assert_eq!(kept.draft_symbols, ["A/C.3/74/L.11/Rev.1"]);
        assert_eq!(kept.sponsors, ["France"]);
    }

    #[test]
    fn joint_symbols_have_parts() {
        assert_eq!(
            names_of("A/53/568-S/1998/1025"),
            ["A/53/568-S/1998/1025", "A/53/568", "S/1998/1025"]
        );
        assert_eq!(names_of("A/RES/74/250 A-B"), ["A/RES/74/250 A-B"]);
        let cat = Catalog::new(vec![rec("A/53/568-S/1998/1025", &[])]);
        let mut r = Record {
            symbol: "A/53/568".into(),
            lang: "en".into(),
            ..Default::default()
        };
        cat.enrich(&mut r);
        assert_eq!(r.title, "Title of A/53/568-S/1998/1025");
        let m = cat.metadata_record(cat.get("A/53/568-S/1998/1025").unwrap());
        assert_eq!(m.aliases, ["A/53/568", "S/1998/1025"]);
    }

    #[test]
    fn aliases_find_the_record() {
        let cat = Catalog::new(vec![rec("A/RES/74/250", &[])]);
        let mut r = Record {
            symbol: "A/RES/74/250 A-B".into(),
            aliases: vec!["A/RES/74/250".into()],
            lang: "en".into(),
            doc_type: DocType::Resolution,
            ..Default::default()
        };
        cat.enrich(&mut r);
        assert_eq!(r.title, "Title of A/RES/74/250");
    }
}
