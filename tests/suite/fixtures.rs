//! Small documents written for the project: every reader, upsert and the CLI end to end.

use gadocs_index::{Committee, DocType, IndexStore, SearchRequest};

use crate::common::*;

#[test]
fn akn_fixture_normalizes_every_field() {
    let store = IndexStore::in_ram().unwrap();
    let report = index(&store, &[fixture("A_RES_99_7.xml")]);
    assert_eq!(report.indexed, 1, "{:?}", report.skipped);
    let r = store
        .lookup_exact("A/RES/99/7", "en")
        .unwrap()
        .expect("record");
    assert_eq!(r.doc_type, DocType::Resolution);
    assert_eq!(r.session.as_deref(), Some("99"));
    assert_eq!(r.committee, Some(Committee::Second));
    assert_eq!(r.agenda_items, ["18 (c)"]);
    assert_eq!(r.title, "Orbital debris and the sharing of lunar water ice");
    assert_eq!(r.date.unwrap().to_string(), "2044-11-10");
    assert_eq!(r.adoption_date.unwrap().to_string(), "2044-11-03");
    assert_eq!(
        r.sponsors,
        [
            "Bosnia and Herzegovina",
            "Iran (Islamic Republic of)",
            "Saint Kitts and Nevis",
            "Trinidad and Tobago"
        ]
    );
    assert_eq!(r.additional_sponsors, ["Guinea-Bissau", "Niger"]);
    assert_eq!(r.draft_symbols, ["A/C.2/99/L.7"]);
    assert_eq!(r.committee_report.as_deref(), Some("A/99/401"));
    let v = r.votes.unwrap();
    assert_eq!(
        (v.yes, v.no, v.abstain, v.without_vote),
        (120, 3, 40, false)
    );
    assert_eq!(
        r.cites,
        ["97/12"],
        "Security Council resolution 9999 (2043) is not a GA resolution"
    );
    assert!(
        r.cited_documents.contains(&"A/98/55/Add.2".to_string()),
        "{:?}",
        r.cited_documents
    );
    assert!(
        !r.text.contains("See A/98/55"),
        "footnotes stay out of the text"
    );
    assert!(
        r.text.contains("1. Encourages spacefaring States"),
        "{}",
        r.text
    );
}

#[test]
fn text_draft_and_resolution_share_search_and_filters() {
    let store = IndexStore::in_ram().unwrap();
    let report = index(
        &store,
        &[fixture("A_RES_99_7.xml"), fixture("A_C.2_99_L.7.txt")],
    );
    assert_eq!(report.indexed, 2, "{:?}", report.skipped);
    let draft = store
        .lookup_exact("A/C.2/99/L.7", "en")
        .unwrap()
        .expect("draft");
    assert_eq!(draft.doc_type, DocType::DraftResolution);
    assert_eq!(draft.sponsors.len(), 4, "{:?}", draft.sponsors);
    assert_eq!(draft.cites, ["97/12"], "HRC 60/3 is not a GA resolution");
    let hits = |q: &str, filters: &[(&str, &str)]| {
        let req = SearchRequest {
            query: q.into(),
            filters: filters
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            limit: 10,
            ..Default::default()
        };
        store.search(&req, &same).unwrap()
    };
    assert_eq!(hits("\"lunar water ice\"", &[]).total, 2);
    assert_eq!(hits("lunar", &[("type", "draft")]).total, 1);
    assert_eq!(hits("", &[("sponsor", "Iran")]).total, 2);
    assert_eq!(
        hits("", &[("original_sponsor", "Niger")]).total,
        0,
        "an additional sponsor is not an original sponsor"
    );
    assert_eq!(hits("", &[("additional_sponsor", "niger")]).total, 1);
    assert_eq!(hits("", &[("additional_sponsor", "Iran")]).total, 0);
    assert_eq!(hits("", &[("sponsor", "niger")]).total, 1);
    assert_eq!(hits("", &[("cosponsor", "niger")]).total, 1);
    assert_eq!(hits("", &[("agenda", "18(c)"), ("session", "99")]).total, 2);
    assert_eq!(hits("debris -lunar", &[]).total, 0);
    assert_eq!(hits("debr*", &[]).total, 2);
    assert_eq!(hits("symbol:A/C.2/99/L.7", &[]).total, 1);
}

#[test]
fn indexing_twice_changes_nothing() {
    let store = IndexStore::in_ram().unwrap();
    let paths = [fixture("A_RES_99_7.xml"), fixture("A_C.2_99_L.7.txt")];
    let first = index(&store, &paths);
    assert_eq!((first.indexed, first.updated, first.unchanged), (2, 0, 0));
    let second = index(&store, &paths);
    assert_eq!(
        (second.indexed, second.updated, second.unchanged),
        (0, 0, 2)
    );
    assert_eq!(store.num_docs(), 2);
}

/// Runs below the lookup threshold ask the index for each key's digest; larger ones read
/// them all at once: both must tell new, changed and unchanged records apart the same way.
#[test]
fn reruns_tell_changes_apart_whether_digests_are_looked_up_or_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, lines: &[(usize, &str)]| {
        let path = dir.path().join(name);
        let body: String = lines
            .iter()
            .map(|(i, word)| {
                format!(
                    "{{\"symbol\":\"A/RES/98/{i}\",\"lang\":\"en\",\"text\":\"Resolution {i} on {word}.\"}}\n"
                )
            })
            .collect();
        std::fs::write(&path, body).unwrap();
        path
    };
    let store = IndexStore::in_ram().unwrap();
    let import = |path| gadocs::pipeline::import_paths(&store, &[path], &options()).unwrap();
    let counts = |r: &gadocs::pipeline::RunReport| (r.indexed, r.updated, r.unchanged);

    let all: Vec<(usize, &str)> = (0..2_500).map(|i| (i, "oceans")).collect();
    assert_eq!(counts(&import(write("all.jsonl", &all))), (2_500, 0, 0));
    // again, past the threshold: unchanged
    assert_eq!(counts(&import(write("all.jsonl", &all))), (0, 0, 2_500));
    // a few records (looked up one by one): one changed, one new, one unchanged, and the
    // changed one twice in the run (the second time it equals what the run just wrote)
    let few = [
        (7, "deserts"),
        (2_600, "forests"),
        (8, "oceans"),
        (7, "deserts"),
    ];
    assert_eq!(counts(&import(write("few.jsonl", &few))), (1, 1, 2));
    // everything again, two records differing from the index: the digests loaded in bulk
    // after the first thousand lookups still see the run's own changes
    let mut again = all.clone();
    again[7] = (7, "oceans"); // back to the first version: a change from "deserts"
    again[2_400] = (2_400, "glaciers");
    assert_eq!(counts(&import(write("again.jsonl", &again))), (0, 2, 2_498));
    store.reload().unwrap();
    assert_eq!(store.num_docs(), 2_501);
    assert_eq!(hits_in(&store, "glaciers"), 1);
    assert_eq!(hits_in(&store, "deserts"), 0);
}

fn hits_in(store: &IndexStore, query: &str) -> u64 {
    let req = SearchRequest {
        query: query.into(),
        limit: 1,
        ..Default::default()
    };
    store.search(&req, &|s: &str| s.to_string()).unwrap().total
}

#[test]
fn cli_index_search_show_export_import_round_trip() {
    let data = tempfile::tempdir().unwrap();
    let out = gadocs(
        data.path(),
        &[
            "index",
            fixture("A_RES_99_7.xml").to_str().unwrap(),
            fixture("A_C.2_99_L.7.txt").to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = gadocs(
        data.path(),
        &[
            "search",
            "orbital debris",
            "--session",
            "99",
            "--facet",
            "type",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], 2);
    for key in [
        "symbol",
        "lang",
        "title",
        "doc_type",
        "session",
        "committee",
        "agenda_items",
        "sponsors",
        "date",
        "score",
        "snippet",
    ] {
        assert!(
            v["hits"][0].get(key).is_some(),
            "hit lacks {key}: {}",
            v["hits"][0]
        );
    }
    assert_eq!(v["facets"]["type"]["resolution"], 1);
    let out = gadocs(data.path(), &["search", "nothing-matches-this-word"]);
    assert_eq!(out.status.code(), Some(1), "no hits exits 1");
    let out = gadocs(data.path(), &["show", "99/7", "--json"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["symbol"], "A/RES/99/7");
    let out = gadocs(data.path(), &["export"]);
    let exported = data.path().join("export.jsonl");
    std::fs::write(&exported, &out.stdout).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    let other = tempfile::tempdir().unwrap();
    let out = gadocs(other.path(), &["import", exported.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = gadocs(other.path(), &["export"]);
    let mut a: Vec<_> = String::from_utf8_lossy(&out_stdout(&gadocs(data.path(), &["export"])))
        .lines()
        .map(String::from)
        .collect();
    let mut b: Vec<_> = String::from_utf8_lossy(&again.stdout)
        .lines()
        .map(String::from)
        .collect();
    a.sort();
    b.sort();
    assert_eq!(a, b, "export → import → export is the identity");
    let batch = std::process::Command::new(env!("CARGO_BIN_EXE_gadocs"))
        .args([
            "--data",
            data.path().to_str().unwrap(),
            "search",
            "--batch",
            "--no-snippets",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin
                .take()
                .unwrap()
                .write_all(b"lunar\ntype:resolution lunar\nzzzz\n")?;
            c.wait_with_output()
        })
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&batch.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines
            .iter()
            .map(|v| v["total"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [2, 1, 0]
    );
}

fn out_stdout(o: &std::process::Output) -> Vec<u8> {
    o.stdout.clone()
}

/// A JSON line with a byte that is not UTF-8 is imported with U+FFFD in its place; the
/// lines around it (blank, indented) are imported as they are.
#[test]
fn import_replaces_bytes_that_are_not_utf8_and_keeps_the_line() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("lines.jsonl");
    let mut bytes = Vec::new();
    bytes.extend_from_slice(
        b"  {\"symbol\":\"X/1\",\"lang\":\"en\",\"text\":\"Glaciers melt\"}\n\n",
    );
    bytes.extend_from_slice(
        b"{\"symbol\":\"X/2\",\"lang\":\"en\",\"text\":\"Glaciers \xff retreat\"}\n",
    );
    std::fs::write(&file, &bytes).unwrap();
    let out = gadocs(data.path(), &["import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = gadocs(data.path(), &["search", "glaciers", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], 2, "{v}");
    let out = gadocs(data.path(), &["show", "X/2", "--json"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["text"], "Glaciers \u{fffd} retreat");
}
