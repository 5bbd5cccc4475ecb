//! The real corpus: every English resolution in the UN's AKN XML, the sample draft, the ODS
//! PDFs. Counts are compared with the corpus' independently computed `docs.jsonl`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use gadocs_index::{Committee, DocType, IndexStore, SearchRequest};

use crate::common::*;

/// One index of all of `raw/xml` (all six languages of session 74 included), shared by the
/// tests of this module.
fn xml_index() -> &'static (IndexStore, gadocs::pipeline::RunReport) {
    static INDEX: OnceLock<(IndexStore, gadocs::pipeline::RunReport)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let store = IndexStore::in_ram().unwrap();
        let report = index(&store, &[corpus().join("ga-resolutions/raw/xml")]);
        (store, report)
    })
}

fn ground_truth() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(corpus().join("ga-resolutions/docs.jsonl")).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn english(facets: &[&str]) -> gadocs_index::SearchResult {
    let (store, _) = xml_index();
    let req = SearchRequest {
        filters: vec![("lang".into(), "en".into())],
        facets: facets.iter().map(|s| s.to_string()).collect(),
        limit: 1,
        ..Default::default()
    };
    store.search(&req, &same).unwrap()
}

#[test]
fn one_english_record_per_symbol_with_facets_equal_to_ground_truth() {
    let truth = ground_truth();
    let (_, report) = xml_index();
    let result = english(&["session", "committee", "agenda"]);
    assert_eq!(
        result.total as usize,
        truth.len(),
        "English records vs docs.jsonl symbols; skipped: {:?}",
        report.skipped
    );

    let mut sessions: BTreeMap<String, u64> = BTreeMap::new();
    let mut committees: BTreeMap<String, u64> = BTreeMap::new();
    let mut agenda: BTreeMap<String, u64> = BTreeMap::new();
    for d in &truth {
        let session = d["session"].as_str().unwrap().to_string();
        *sessions.entry(session.clone()).or_default() += 1;
        if let Some(c) = d["committee"].as_str() {
            *committees.entry(c.to_string()).or_default() += 1;
        }
        for item in d["agenda_items"].as_array().unwrap() {
            *agenda
                .entry(format!("{session}/{}", item.as_str().unwrap()))
                .or_default() += 1;
        }
    }
    assert_eq!(result.facets["session"], sessions);
    // docs.jsonl leaves committee and agenda empty for the 48 resolutions missing from
    // data_extract; the XML has them, so compare only what the ground truth knows.
    for (c, n) in &committees {
        let got = result.facets["committee"].get(c).copied().unwrap_or(0);
        assert!(got >= *n, "committee {c}: {got} < {n}");
    }
    let known: u64 = committees.values().sum();
    let got: u64 = result.facets["committee"].values().sum();
    assert!(got >= known && got <= truth.len() as u64);
    let mut agenda_mismatch = Vec::new();
    for (item, n) in &agenda {
        let got = result.facets["agenda"].get(item).copied().unwrap_or(0);
        if got < *n {
            agenda_mismatch.push(format!("{item}: {got} < {n}"));
        }
    }
    assert!(agenda_mismatch.is_empty(), "{agenda_mismatch:?}");
}

#[test]
fn resolution_74_247_is_found_by_its_words() {
    let (store, _) = xml_index();
    let req = SearchRequest {
        query: "information and communications technologies for criminal purposes".into(),
        filters: vec![("session".into(), "74".into())],
        limit: 5,
        snippets: true,
        ..Default::default()
    };
    let r = store.search(&req, &same).unwrap();
    assert_eq!(
        r.hits[0].symbol,
        "A/RES/74/247",
        "{:?}",
        r.hits.iter().map(|h| &h.symbol).collect::<Vec<_>>()
    );
    assert!(!r.hits[0].snippet.is_empty());
    let rec = store.lookup_exact("A/RES/74/247", "en").unwrap().unwrap();
    assert_eq!(rec.committee, Some(Committee::Third));
    assert_eq!(rec.agenda_items, ["107"]);
    assert_eq!(rec.draft_symbols, ["A/C.3/74/L.11/Rev.1"]);
    assert_eq!(rec.committee_report.as_deref(), Some("A/74/401"));
    assert_eq!(rec.sponsors.len(), 27, "{:?}", rec.sponsors);
    assert_eq!(
        rec.additional_sponsors.len(),
        20,
        "{:?}",
        rec.additional_sponsors
    );
    let v = rec.votes.unwrap();
    assert_eq!((v.yes, v.no, v.abstain), (79, 60, 33));
    assert!(rec.cites.contains(&"65/230".to_string()));
    assert!(!rec.cites.contains(&"22/8".to_string()));
}

/// Session-74 English resolutions whose workflow step `outcome` names `state` in its `by`
/// attribute, read with regular expressions (not the normalizer).
fn sponsored_in_workflow(outcome: &str, state: &str) -> BTreeSet<String> {
    let zip_path =
        corpus().join("ga-resolutions/raw/xml/74session/GA resolutions_74session_English.zip");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
    let step = regex::Regex::new(&format!(r#"outcome="{outcome}"[^>]*\sby="([^"]*)""#)).unwrap();
    let number =
        regex::Regex::new(r##"<docNumber refersTo="#symbol">([^<]+)</docNumber>"##).unwrap();
    let mut expected = BTreeSet::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut text = String::new();
        if std::io::Read::read_to_string(&mut f, &mut text).is_err() {
            continue;
        }
        if step.captures_iter(&text).any(|c| c[1].contains(state)) {
            let symbol = number
                .captures(&text)
                .map(|c| c[1].trim().to_string())
                .unwrap();
            expected.insert(symbol);
        }
    }
    expected
}

#[test]
fn sponsor_filter_lists_exactly_the_resolutions_that_state_sponsored() {
    let original = sponsored_in_workflow("draftResolution", "Russian Federation");
    let additional =
        sponsored_in_workflow("draftResolutionAdditionalSponsors", "Russian Federation");
    assert!(original.len() > 5);
    let (store, _) = xml_index();
    let symbols = |field: &str| -> BTreeSet<String> {
        let req = SearchRequest {
            filters: vec![
                (field.into(), "Russia".into()),
                ("session".into(), "74".into()),
                ("lang".into(), "en".into()),
            ],
            limit: 1000,
            ..Default::default()
        };
        store
            .search(&req, &same)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.symbol)
            .collect()
    };
    // printed on the draft
    assert_eq!(symbols("original_sponsor"), original);
    // joined later (and not printed on the draft)
    assert_eq!(
        symbols("additional_sponsor"),
        additional.difference(&original).cloned().collect()
    );
    // any stage
    assert_eq!(
        symbols("sponsor"),
        original.union(&additional).cloned().collect()
    );
    assert_eq!(symbols("cosponsor"), symbols("sponsor"));
}

#[test]
fn the_sample_draft_matches_its_ground_truth() {
    let store = IndexStore::in_ram().unwrap();
    let report = index(&store, &[corpus().join("drafts/A_C.3_74_L.11.txt")]);
    assert_eq!(report.indexed, 1, "{:?}", report.skipped);
    let r = store.lookup_exact("A/C.3/74/L.11", "en").unwrap().unwrap();
    assert_eq!(r.doc_type, DocType::DraftResolution);
    assert_eq!(r.session.as_deref(), Some("74"));
    assert_eq!(r.committee, Some(Committee::Third));
    assert_eq!(r.agenda_items, ["107"]);
    assert_eq!(r.date.unwrap().to_string(), "2019-10-11");
    assert_eq!(r.distribution.map(|d| d.as_str()), Some("limited"));
    assert_eq!(r.original_language.as_deref(), Some("English"));
    assert_eq!(r.family, "A/C.3/74/L.11");
    assert_eq!(
        r.sponsors,
        [
            "Belarus",
            "Cambodia",
            "China",
            "Democratic People's Republic of Korea",
            "Myanmar",
            "Nicaragua",
            "Russian Federation",
            "Venezuela (Bolivarian Republic of)"
        ]
    );
    let cites = "65/230, 53/70, 54/49, 55/28, 56/19, 57/53, 58/32, 59/61, 60/45, 61/54, 62/17, 63/37, 64/25, 65/41, 66/24, 66/181, 67/27, 68/193, 68/243, 69/28, 70/237, 71/28, 72/196, 73/27, 73/187";
    let expected: BTreeSet<&str> = cites.split(", ").collect();
    let got: BTreeSet<&str> = r.cites.iter().map(String::as_str).collect();
    assert_eq!(got, expected);
    let docs: BTreeSet<&str> = r.cited_documents.iter().map(String::as_str).collect();
    let expected_docs: BTreeSet<&str> = [
        "A/74/130",
        "E/2013/30",
        "E/2013/30/Corr.1",
        "E/2017/30",
        "A/65/201",
        "A/68/98",
        "A/70/174",
    ]
    .into();
    assert_eq!(docs, expected_docs);
    assert!(!r.text.contains("**"), "markdown emphasis removed");
    assert!(r.title.starts_with("Countering the use of information"));
}

#[test]
fn ods_pdfs_index_with_their_symbols_and_scans_are_reported() {
    let dir = corpus().join("ods-pdfs");
    let manifest: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let store = IndexStore::in_ram().unwrap();
    let report = index(&store, std::slice::from_ref(&dir));
    for m in &manifest {
        let file = m["file"].as_str().unwrap();
        let symbol = m["symbol"].as_str().unwrap();
        let lang = m["lang"].as_str().unwrap().to_lowercase();
        if m["has_text_layer"].as_bool().unwrap() {
            // joint symbols (A/80/434-S/2025/632) are found through their alias
            let r = store.lookup(symbol, Some(&lang)).unwrap();
            assert!(
                !r.is_empty(),
                "{file}: {symbol} [{lang}] not indexed; skipped: {:?}",
                report.skipped
            );
        } else {
            let msg = report
                .skipped
                .iter()
                .find(|s| s.contains(file))
                .unwrap_or_else(|| panic!("{file} not reported"));
            assert!(msg.contains("no text layer"), "{msg}");
        }
    }
}
