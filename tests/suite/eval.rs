//! Issue 10: does search understand how people name things at the UN? The evaluation set
//! `tests/eval/queries.tsv` (plain words, acronyms, short country names, symbol shorthand,
//! each with the resolutions that answer it, judged from the corpus titles) is run over the
//! English resolutions with and without expansion; success@3 and MRR@10 per kind are
//! printed and held above measured floors. The acronym table is checked against the corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use gadocs_index::expand::TABLE;
use gadocs_index::{IndexStore, SearchRequest};

use crate::common::*;

/// The English resolutions of `raw/xml` (the other five languages of session 74 left out).
fn english_index() -> &'static IndexStore {
    static INDEX: OnceLock<IndexStore> = OnceLock::new();
    INDEX.get_or_init(|| {
        let paths = gadocs::bench::eval::english_xml_paths(&corpus()).unwrap();
        let store = IndexStore::in_ram().unwrap();
        index(&store, &paths);
        store
    })
}

#[test]
fn evaluation_set_success_and_mrr_per_kind() {
    let qs = gadocs::bench::eval::load_queries(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/queries.tsv"),
    )
    .unwrap();
    assert!(qs.len() >= 100, "{} queries", qs.len());
    let work = tempfile::tempdir().unwrap();
    let report = gadocs::bench::eval::evaluate(english_index(), &qs, work.path()).unwrap();
    eprintln!("{}", report.to_text());
    let misses_before = &report.gadocs_no_expand.misses;
    let misses_after = &report.gadocs.misses;
    eprintln!(
        "not first without expansion:\n  {}",
        misses_before.join("\n  ")
    );
    eprintln!("not first with expansion:\n  {}", misses_after.join("\n  "));
    let fig = |e: &gadocs::bench::eval::EngineScores, kind: &str| {
        let k = e.kind(kind);
        (k.success_at_3, k.mrr_at_10, k.n)
    };
    let before: BTreeMap<&str, (f64, f64, usize)> = ["acronym", "country", "plain", "symbol"]
        .into_iter()
        .map(|k| (k, fig(&report.gadocs_no_expand, k)))
        .collect();
    let after: BTreeMap<&str, (f64, f64, usize)> = ["acronym", "country", "plain", "symbol"]
        .into_iter()
        .map(|k| (k, fig(&report.gadocs, k)))
        .collect();
    let fts: BTreeMap<&str, (f64, f64, usize)> = ["acronym", "country", "plain", "symbol"]
        .into_iter()
        .map(|k| (k, fig(&report.fts5, k)))
        .collect();
    // Floors a little below what was measured (see the note of issue 10).
    let floors = [
        // measured: acronym 1.000/0.975, country 0.933/0.933, plain 1.000/1.000
        ("acronym", 0.95, 0.93),
        ("country", 0.9, 0.9),
        ("plain", 0.95, 0.95),
        ("symbol", 1.0, 1.0),
    ];
    for (kind, s3, mrr) in floors {
        let (got_s3, got_mrr, _) = after[kind];
        assert!(
            got_s3 >= s3 && got_mrr >= mrr,
            "{kind}: success@3 {got_s3:.3} (floor {s3}), MRR@10 {got_mrr:.3} (floor {mrr})\n{}",
            misses_after.join("\n")
        );
    }
    // expansion never hurts the plain queries
    let (p0, m0, _) = before["plain"];
    let (p1, m1, _) = after["plain"];
    assert!(
        p1 >= p0 && m1 >= m0 - 1e-9,
        "plain: {p0:.3}/{m0:.3} -> {p1:.3}/{m1:.3}"
    );
    // and helps where names are abbreviated
    assert!(after["acronym"].0 > before["acronym"].0);
    // gadocs beats the general engine where people abbreviate, and matches it elsewhere
    for kind in ["acronym", "country", "symbol"] {
        assert!(
            after[kind].0 > fts[kind].0,
            "{kind}: gadocs {:?} vs FTS5 {:?}",
            after[kind],
            fts[kind]
        );
    }
    assert!(after["plain"].0 >= fts["plain"].0);
}

/// Every expansion in `reference/acronyms.tsv` occurs in the English resolutions (as a
/// phrase, after the analyzer's stemming and folding), or is listed in
/// `reference/acronyms-absent.txt` — and that list holds nothing that does occur.
#[test]
fn acronym_expansions_occur_in_the_corpus_or_are_documented_absent() {
    let store = english_index();
    let documented: BTreeSet<String> = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reference/acronyms-absent.txt"),
    )
    .unwrap()
    .lines()
    .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    .map(str::to_string)
    .collect();
    let mut absent = BTreeSet::new();
    for e in &TABLE.entries {
        for x in &e.expansions {
            let req = SearchRequest {
                query: format!("\"{}\"", x.replace('"', "")),
                filters: vec![("lang".into(), "en".into())],
                limit: 1,
                no_expand: true,
                ..Default::default()
            };
            if store.search(&req, &same).unwrap().total == 0 {
                absent.insert(format!("{}\t{}", e.key, x));
            }
        }
    }
    let undocumented: Vec<_> = absent.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&absent).collect();
    assert!(
        undocumented.is_empty() && stale.is_empty(),
        "absent but not documented: {undocumented:#?}\ndocumented but found: {stale:#?}"
    );
}

/// Twenty common acronyms, typed alone, put the resolution about the thing first.
#[test]
fn common_acronyms_find_their_document_first() {
    let store = english_index();
    let cases: &[(&str, &str)] = &[
        (
            "UNRWA",
            "Operations of the United Nations Relief and Works Agency",
        ),
        (
            "UNHCR",
            "Office of the United Nations High Commissioner for Refugees",
        ),
        ("IAEA", "Report of the International Atomic Energy Agency"),
        ("CTBT", "Comprehensive Nuclear-Test-Ban Treaty"),
        ("TPNW", "Treaty on the Prohibition of Nuclear Weapons"),
        ("ATT", "The Arms Trade Treaty"),
        ("BWC", "Bacteriological (Biological) and Toxin Weapons"),
        ("CCW", "Certain Conventional Weapons"),
        ("UNIFIL", "United Nations Interim Force in Lebanon"),
        (
            "MONUSCO",
            "Stabilization Mission in the Democratic Republic of the Congo",
        ),
        ("MINUSMA", "Stabilization Mission in Mali"),
        (
            "MINUSCA",
            "Stabilization Mission in the Central African Republic",
        ),
        ("UNMISS", "United Nations Mission in South Sudan"),
        ("UNFICYP", "United Nations Peacekeeping Force in Cyprus"),
        ("UNDOF", "United Nations Disengagement Observer Force"),
        ("UNMIK", "Interim Administration Mission in Kosovo"),
        ("MINURSO", "Referendum in Western Sahara"),
        ("UNISFA", "Interim Security Force for Abyei"),
        ("UNAMID", "Hybrid Operation in Darfur"),
        (
            "UNCITRAL",
            "United Nations Commission on International Trade Law",
        ),
    ];
    let mut failures = Vec::new();
    for (acronym, title) in cases {
        let req = SearchRequest {
            query: acronym.to_string(),
            filters: vec![("lang".into(), "en".into())],
            limit: 1,
            ..Default::default()
        };
        let r = store.search(&req, &same).unwrap();
        let top = r.hits.first().map(|h| h.title.clone()).unwrap_or_default();
        if !top.contains(title) {
            failures.push(format!("{acronym}: first is {top:?}"));
        }
        assert_eq!(r.expanded.first().map(|e| e.term.as_str()), Some(*acronym));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// `search --json` lists the expansions; `--explain` prints the tree, the expansions and
/// the per-field query; `--no-expand` searches only what was typed.
#[test]
fn cli_shows_and_explains_expansions() {
    let data = tempfile::tempdir().unwrap();
    let zip = corpus().join("ga-resolutions/raw/xml/75session/English.zip");
    let out = gadocs(data.path(), &["index", zip.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = gadocs(data.path(), &["search", "--json", "--limit", "1", "UNIFIL"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["expanded"][0]["term"], "UNIFIL");
    assert_eq!(
        json["expanded"][0]["as"][0],
        "United Nations Interim Force in Lebanon"
    );
    assert!(
        json["hits"][0]["title"]
            .as_str()
            .unwrap()
            .contains("Interim Force in Lebanon")
    );
    let out = gadocs(data.path(), &["search", "--explain", "North", "Korea"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("expanded: North Korea -> Democratic People's Republic of Korea"));
    assert!(text.contains("title_en:\"korea\""), "{text}");
    let out = gadocs(data.path(), &["search", "--json", "--no-expand", "UNIFIL"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.get("expanded").is_none());
    assert_eq!(json["total"], 0);
}
