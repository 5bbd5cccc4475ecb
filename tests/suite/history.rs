//! Roll-call votes, agreement rates and legislative history on the real corpus (issue 8):
//! every English resolution of `raw/xml` plus the sample draft A/C.3/74/L.11, checked against
//! the XML read independently (regular expressions, not the normalizer), `data_extract`'s
//! vote lists and `quirks.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::PathBuf;
use std::sync::{LazyLock, OnceLock};

use gadocs::history;
use gadocs_index::gazetteer::canonical;
use gadocs_index::{IndexStore, Record, SearchRequest, VoteChoice};
use regex::Regex;

use crate::common::*;

/// The English XML (session 74: only its English zip) and the sample draft.
fn english_sources() -> Vec<PathBuf> {
    let xml = corpus().join("ga-resolutions/raw/xml");
    let mut paths = vec![xml.join("74session/GA resolutions_74session_English.zip")];
    for entry in std::fs::read_dir(&xml).unwrap() {
        let p = entry.unwrap().path();
        if p.file_name().unwrap() != "74session" {
            paths.push(p);
        }
    }
    paths.push(corpus().join("drafts/A_C.3_74_L.11.txt"));
    paths
}

pub(crate) fn store() -> &'static IndexStore {
    static INDEX: OnceLock<IndexStore> = OnceLock::new();
    INDEX.get_or_init(|| {
        let store = IndexStore::in_ram().unwrap();
        index(&store, &english_sources());
        store
    })
}

/// Every English resolution record with a vote, by symbol.
fn voted() -> &'static BTreeMap<String, Record> {
    static RECORDS: OnceLock<BTreeMap<String, Record>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        let mut out = BTreeMap::new();
        store()
            .for_each_record(|r| {
                if r.lang == "en" && r.votes.is_some() {
                    out.insert(r.symbol.clone(), r);
                }
                Ok(())
            })
            .unwrap();
        out
    })
}

/// The English XML files' texts, read without the normalizer.
fn raw_english_xml() -> &'static Vec<(String, String)> {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut out = Vec::new();
        let root = corpus().join("ga-resolutions/raw/xml");
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.unwrap();
            let p = entry.path();
            let name = p.to_string_lossy().to_string();
            if name.ends_with(".zip") {
                if ["Arabic", "Chinese", "French", "Russian", "Spanish"]
                    .iter()
                    .any(|l| name.contains(l))
                {
                    continue;
                }
                let mut zip = zip::ZipArchive::new(std::fs::File::open(p).unwrap()).unwrap();
                for i in 0..zip.len() {
                    let mut f = zip.by_index(i).unwrap();
                    let member = f.name().unwrap().to_string();
                    if !member.to_lowercase().ends_with(".xml") {
                        continue;
                    }
                    let mut bytes = Vec::new();
                    f.read_to_end(&mut bytes).unwrap();
                    out.push((
                        format!("{name}!{member}"),
                        String::from_utf8_lossy(&bytes).into_owned(),
                    ));
                }
            } else if name.to_lowercase().ends_with(".xml") {
                out.push((name, std::fs::read_to_string(p).unwrap()));
            }
        }
        out
    })
}

static DOC_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r##"<docNumber refersTo="#symbol">([^<]+)</docNumber>"##).unwrap());
static VOTING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<voting [^>]*>(.*?)</voting>").unwrap());
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<count value="(\d+)" refersTo="(\w+)">(.*?)</count>"#).unwrap()
});
static ORG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<organization[^>]*>([^<]*)</organization>").unwrap());

/// Symbol → (refersTo → (count, names as printed)) from the raw XML.
fn raw_roll_calls() -> BTreeMap<String, BTreeMap<String, (u32, Vec<String>)>> {
    let mut out = BTreeMap::new();
    for (_, text) in raw_english_xml() {
        let (Some(sym), Some(voting)) = (DOC_NUMBER.captures(text), VOTING.captures(text)) else {
            continue;
        };
        let mut lists = BTreeMap::new();
        for c in COUNT.captures_iter(&voting[1]) {
            let names = ORG
                .captures_iter(&c[3])
                .map(|o| o[1].trim().to_string())
                .collect();
            lists.insert(c[2].to_string(), (c[1].parse().unwrap(), names));
        }
        out.insert(
            sym[1].split_whitespace().collect::<Vec<_>>().join(" "),
            lists,
        );
    }
    out
}

fn data_extract() -> Vec<serde_json::Value> {
    let dir = corpus().join("ga-resolutions/raw/data_extract");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        out.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()),
        );
    }
    out
}

/// Symbols `quirks.json` lists as `vote_list_length_differs` (data_extract's lists).
fn quirk_symbols() -> BTreeSet<String> {
    let text = std::fs::read_to_string(corpus().join("ga-resolutions/quirks.json")).unwrap();
    let quirks: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    quirks
        .iter()
        .filter(|q| q["kind"] == "vote_list_length_differs")
        .map(|q| {
            let d = q["detail"].as_str().unwrap();
            d[..d.find(" (line").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn roll_call_of_74_247() {
    let r = store().lookup_exact("A/RES/74/247", "en").unwrap().unwrap();
    let v = r.votes.unwrap();
    assert_eq!((v.yes, v.no, v.abstain), (79, 60, 33));
    assert_eq!(r.vote_by_state["Russian Federation"], VoteChoice::Yes);
    assert_eq!(r.vote_by_state["United States of America"], VoteChoice::No);
    assert_eq!(r.vote_by_state["China"], VoteChoice::Yes);
    assert_eq!(r.vote_by_state["Argentina"], VoteChoice::Abstain);
    assert!(!r.vote_mismatch);
    assert_eq!(r.meeting_record.as_deref(), Some("A/74/PV.52"));
    let call = history::roll_call(&r);
    assert_eq!(
        (call.yes.len(), call.no.len(), call.abstain.len()),
        (79, 60, 33)
    );
    // 193 Member States: 172 voted, 21 in no list
    assert_eq!(call.non_voting.len(), 21);
    assert!(call.non_voting.contains(&"Afghanistan".to_string()));
}

#[test]
fn vote_lists_are_canonical_and_equal_the_counts_except_source_disagreements() {
    let records = voted();
    let recorded: Vec<&Record> = records
        .values()
        .filter(|r| r.votes.is_some_and(|v| !v.without_vote))
        .collect();
    assert!(recorded.len() > 700, "{} recorded votes", recorded.len());
    let mut mismatched = BTreeSet::new();
    for r in &recorded {
        for state in r.vote_by_state.keys() {
            assert_eq!(
                canonical(state),
                Some(state.as_str()),
                "{}: {state}",
                r.symbol
            );
        }
        let v = r.votes.unwrap();
        let n = |c| r.vote_by_state.values().filter(|x| **x == c).count() as u32;
        let equal = (
            n(VoteChoice::Yes),
            n(VoteChoice::No),
            n(VoteChoice::Abstain),
        ) == (v.yes, v.no, v.abstain);
        assert_eq!(equal, !r.vote_mismatch, "{}", r.symbol);
        if r.vote_mismatch {
            mismatched.insert(r.symbol.clone());
        } else {
            // complete roll calls cover the 193 Member States exactly once
            assert_eq!(r.vote_by_state.len(), 193, "{}", r.symbol);
        }
    }
    // the XML disagrees with itself once: 77/293 counts 59 abstentions and lists 58
    assert_eq!(mismatched, BTreeSet::from(["A/RES/77/293".to_string()]));
    let raw = raw_roll_calls();
    let (count, names) = &raw["A/RES/77/293"]["abstaining"];
    assert_eq!((*count, names.len()), (59, 58));
    // quirks.json's vote_list_length_differs are data_extract's lists; where the XML does
    // not disagree too, its lists equal its counts (checked on the raw XML)
    let quirks = quirk_symbols();
    assert_eq!(quirks.len(), 3, "{quirks:?}");
    assert!(mismatched.is_subset(&quirks));
    for q in &quirks {
        let r = &records[q];
        if !mismatched.contains(q) {
            for (count, names) in raw[q].values() {
                assert_eq!(*count as usize, names.len(), "{q}");
            }
            assert!(!r.vote_mismatch);
        }
    }
}

fn total(filters: &[(&str, &str)], query: &str) -> u64 {
    let req = SearchRequest {
        query: query.into(),
        filters: filters
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        limit: 1,
        ..Default::default()
    };
    store().search(&req, &same).unwrap().total
}

#[test]
fn vote_filter_counts_equal_the_raw_xml() {
    let raw = raw_roll_calls();
    let count = |session: &str, refers: &str, name: &str| {
        raw.iter()
            .filter(|(sym, _)| sym.starts_with(&format!("A/RES/{session}")))
            .filter(|(_, lists)| {
                lists
                    .get(refers)
                    .is_some_and(|(_, names)| names.iter().any(|n| n == name))
            })
            .count() as u64
    };
    let us_no_74 = count("74/", "against", "UNITED STATES");
    assert!(us_no_74 > 50, "{us_no_74}");
    let filters = [
        ("session", "74"),
        ("lang", "en"),
        ("vote", "United States=no"),
    ];
    assert_eq!(total(&filters, ""), us_no_74);
    assert_eq!(
        total(
            &[("session", "74"), ("lang", "en")],
            "vote:\"United States of America\"=no"
        ),
        us_no_74
    );
    assert_eq!(
        total(
            &[("lang", "en")],
            "vote:\"Russian Federation\"=yes session:76"
        ),
        count("76/", "inFavour", "RUSSIAN FEDERATION")
    );
    // vote lists spell one State five ways (counted from the raw XML by hand)
    let turkiye: u64 = ["TURKEY", "TURKIYE", "TÜRKİYE", "TÜRKIYE", "TÜRKÝYE"]
        .iter()
        .map(|n| count("", "abstaining", n))
        .sum();
    assert!(turkiye > 10, "{turkiye}");
    assert_eq!(
        total(&[("lang", "en"), ("vote", "TÜRKİYE=abstain")], ""),
        turkiye
    );
}

/// Agreement from data_extract's lists, over the given symbols: (both voted, identical) per
/// session.
fn data_extract_agreement(
    lines: &[serde_json::Value],
    symbols: &BTreeSet<String>,
    a: &str,
    b: &str,
) -> BTreeMap<String, (u32, u32)> {
    // a symbol may have several lines (36 do): the last one with lists wins, as docs.jsonl
    // merges them
    let mut by_symbol: BTreeMap<String, &serde_json::Value> = BTreeMap::new();
    for l in lines {
        let symbol = l["symbol"].as_str().unwrap().trim().to_string();
        let has_lists = ["MS_in_favour", "MS_against", "MS_abstaining"]
            .iter()
            .any(|k| !l[*k].as_array().unwrap().is_empty());
        if symbols.contains(&symbol) && has_lists {
            by_symbol.insert(symbol, l);
        }
    }
    let mut out: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for (symbol, l) in by_symbol {
        let mut choice: BTreeMap<&str, char> = BTreeMap::new();
        for (key, c) in [
            ("MS_in_favour", 'Y'),
            ("MS_against", 'N'),
            ("MS_abstaining", 'A'),
        ] {
            for name in l[key].as_array().unwrap() {
                if let Some(state) = canonical(name.as_str().unwrap().trim()) {
                    choice.insert(state, c);
                }
            }
        }
        if let (Some(x), Some(y)) = (choice.get(a), choice.get(b)) {
            let session = symbol
                .trim_start_matches("A/RES/")
                .split('/')
                .next()
                .unwrap()
                .to_string();
            let e = out.entry(session).or_default();
            e.0 += 1;
            if x == y {
                e.1 += 1;
            }
        }
    }
    out
}

#[test]
fn agreement_rates_equal_a_computation_from_data_extract() {
    // hand-checked: on 74/247 the United States voted no and the Russian Federation yes,
    // China and the Russian Federation both yes
    let one = [voted()["A/RES/74/247"].clone()];
    let a = history::agreement(&one, "United States of America", "Russian Federation");
    assert_eq!(
        (a[0].both_voted, a[0].identical, a[0].rate),
        (1, 0, Some(0.0))
    );
    let a = history::agreement(&one, "China", "Russian Federation");
    assert_eq!(
        (a[0].both_voted, a[0].identical, a[0].rate),
        (1, 1, Some(1.0))
    );

    // every recorded vote present in both sources, except data_extract's broken lists
    let lines = data_extract();
    let quirks = quirk_symbols();
    let in_extract: BTreeSet<String> = lines
        .iter()
        .filter(|l| l["adoption_type"] == "By a recorded vote")
        .map(|l| l["symbol"].as_str().unwrap().trim().to_string())
        .collect();
    let records: Vec<Record> = voted()
        .values()
        .filter(|r| in_extract.contains(&r.symbol) && !quirks.contains(&r.symbol))
        .cloned()
        .collect();
    assert!(records.len() > 600, "{}", records.len());
    let symbols: BTreeSet<String> = records.iter().map(|r| r.symbol.clone()).collect();
    for (a, b) in [
        ("United States of America", "Russian Federation"),
        ("China", "India"),
        (
            "France",
            "United Kingdom of Great Britain and Northern Ireland",
        ),
        ("Brazil", "South Africa"),
        ("Türkiye", "Israel"),
    ] {
        let ours = history::agreement(&records, a, b);
        let theirs = data_extract_agreement(&lines, &symbols, a, b);
        let ours_map: BTreeMap<String, (u32, u32)> = ours
            .iter()
            .filter(|x| x.session != "all")
            .map(|x| (x.session.clone(), (x.both_voted, x.identical)))
            .collect();
        assert_eq!(ours_map, theirs, "{a} / {b}");
        assert!(ours.last().unwrap().both_voted > 100, "{a} / {b}");
    }
}

#[test]
fn history_of_74_247_from_any_family_member() {
    for asked in [
        "A/C.3/74/L.11",
        "A/C.3/74/L.11/Rev.1",
        "74/247",
        "A/RES/74/247",
    ] {
        let h = history::history(store(), asked).unwrap().unwrap();
        assert_eq!(
            h.resolution.as_ref().unwrap().symbol,
            "A/RES/74/247",
            "{asked}"
        );
        assert_eq!(h.agenda_items, ["107"]);
        let drafts: Vec<&str> = h.drafts.iter().map(|d| d.doc.symbol.as_str()).collect();
        assert_eq!(drafts, ["A/C.3/74/L.11", "A/C.3/74/L.11/Rev.1"], "{asked}");
        let original = &h.drafts[0];
        assert!(original.doc.indexed && original.doc.has_text);
        assert_eq!(original.doc.date.unwrap().to_string(), "2019-10-11");
        assert_eq!(original.sponsors.len(), 8, "{:?}", original.sponsors);
        assert!(h.drafts[1].adopted_version && !h.drafts[1].doc.indexed);
        assert_eq!(h.sponsors.len(), 27);
        assert_eq!(h.additional_sponsors.len(), 20);
        assert_eq!(h.committee_report.as_ref().unwrap().symbol, "A/74/401");
        assert_eq!(h.meeting_record.as_ref().unwrap().symbol, "A/74/PV.52");
        assert_eq!(h.adoption_date.unwrap().to_string(), "2019-12-27");
        let v = h.vote.as_ref().unwrap();
        assert_eq!((v.yes, v.no, v.abstain, v.states_listed), (79, 60, 33, 172));
        let cites: Vec<&str> = h.cites.iter().map(|d| d.symbol.as_str()).collect();
        assert!(cites.contains(&"A/RES/65/230") && cites.contains(&"A/RES/73/187"));
        let later: Vec<&str> = h.later.iter().map(|d| d.symbol.as_str()).collect();
        assert!(later.contains(&"A/RES/75/282"), "{later:?}");
        assert!(
            later.contains(&"A/RES/79/243"),
            "same agenda subject at the 79th session (item 108): {later:?}"
        );
        assert!(h.earlier.is_empty(), "{:?}", h.earlier);
        let cited_by: Vec<&str> = h.cited_by.iter().map(|d| d.symbol.as_str()).collect();
        assert!(
            cited_by.contains(&"A/RES/75/282") && cited_by.contains(&"A/RES/79/243"),
            "{cited_by:?}"
        );
    }
    let h = history::history(store(), "A/74/401").unwrap().unwrap();
    assert_eq!(h.query_role, "committee report");
    assert!(h.matches.iter().any(|m| m.symbol == "A/RES/74/247"));
    assert!(
        history::history(store(), "A/C.3/74/L.999")
            .unwrap()
            .is_none()
    );
}

static RES_74_247: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\d/])74/247(?:[^\d]|$)").unwrap());

#[test]
fn cited_by_equals_the_texts_that_name_the_resolution() {
    let got: BTreeSet<String> = history::cited_by(store(), "A/RES/74/247")
        .unwrap()
        .into_iter()
        .map(|r| r.symbol)
        .collect();
    // independently: the English XML files whose text names 74/247 (link or words)
    let mut expected = BTreeSet::new();
    for (_, text) in raw_english_xml() {
        let Some(sym) = DOC_NUMBER.captures(text) else {
            continue;
        };
        let sym = sym[1].trim().to_string();
        let body = &text[text.find("<preamble").unwrap_or(0)..];
        if sym != "A/RES/74/247" && RES_74_247.is_match(body) {
            expected.insert(sym);
        }
    }
    assert!(expected.len() >= 10, "{expected:?}");
    assert_eq!(got, expected);
    // a resolution outside the corpus: 73/187 is cited by 74/247
    let by: Vec<String> = history::cited_by(store(), "73/187")
        .unwrap()
        .into_iter()
        .map(|r| r.symbol)
        .collect();
    assert!(by.contains(&"A/RES/74/247".to_string()), "{by:?}");
}

#[test]
fn votes_and_history_commands_print_json_contracts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let zip74 =
        corpus().join("ga-resolutions/raw/xml/74session/GA resolutions_74session_English.zip");
    let draft = corpus().join("drafts/A_C.3_74_L.11.txt");
    let out = gadocs(
        data,
        &[
            "-q",
            "index",
            zip74.to_str().unwrap(),
            draft.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = |args: &[&str]| -> serde_json::Value {
        let out = gadocs(data, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let v = json(&["votes", "74/247", "--json"]);
    assert_eq!(v["counts"]["yes"], 79);
    assert_eq!(v["listed"]["non_voting"], 21);
    assert!(
        v["no"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "United States of America")
    );
    let text = gadocs(data, &["votes", "A/RES/74/247"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("In favour (79/79)") && text.contains("Against (60/60)"),
        "{text}"
    );

    let s = json(&[
        "votes",
        "--state",
        "United States",
        "--session",
        "74",
        "--with",
        "Russia",
        "--json",
    ]);
    assert_eq!(s["state"], "United States of America");
    assert_eq!(s["with"], "Russian Federation");
    let votes = s["votes"].as_array().unwrap();
    let us_no = votes.iter().filter(|v| v["vote"] == "no").count() as u64;
    let search = json(&[
        "search",
        "--vote",
        "United States=no",
        "--session",
        "74",
        "--no-snippets",
        "--json",
    ]);
    assert_eq!(search["total"].as_u64().unwrap(), us_no);
    let all = s["agreement"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(all["session"], "all");
    let both = votes
        .iter()
        .filter(|v| {
            v["vote"] != "non_voting"
                && v["other_vote"].is_string()
                && v["other_vote"] != "non_voting"
        })
        .count() as u64;
    let same = votes
        .iter()
        .filter(|v| v["vote"] != "non_voting" && v["vote"] == v["other_vote"])
        .count() as u64;
    assert_eq!(all["both_voted"].as_u64().unwrap(), both);
    assert_eq!(all["identical"].as_u64().unwrap(), same);

    let h = json(&["history", "A/C.3/74/L.11", "--json"]);
    assert_eq!(h["resolution"]["symbol"], "A/RES/74/247");
    assert_eq!(h["committee_report"]["symbol"], "A/74/401");
    assert_eq!(h["committee_report"]["indexed"], false);
    assert_eq!(
        h["report_paragraph"], "13",
        "data_extract: report_paragraph 13"
    );
    assert_eq!(h["drafts"][0]["sponsors"].as_array().unwrap().len(), 8);
    assert_eq!(h["vote"]["yes"], 79);
    let bad = gadocs(data, &["votes", "--state", "Atlantis"]);
    assert!(!bad.status.success());

    // complete sponsors, each with its sources; the stage filter agrees with them
    let all = h["all_sponsors"].as_array().unwrap();
    let stage_of = |state: &str| {
        all.iter()
            .find(|s| s["state"] == state)
            .unwrap_or_else(|| panic!("{state} missing from {all:?}"))
            .clone()
    };
    let printed = h["drafts"][0]["sponsors"].as_array().unwrap();
    for state in printed {
        let s = stage_of(state.as_str().unwrap());
        assert_eq!(s["stage"], "original");
        assert!(
            s["sources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == "A/C.3/74/L.11 (printed sponsor line)"),
            "{s}"
        );
    }
    let joined: Vec<&str> = h["additional_sponsors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(joined.contains(&"Niger"), "{joined:?}");
    for state in &joined {
        assert_eq!(stage_of(state)["stage"], "additional");
    }
    let originals = all.iter().filter(|s| s["stage"] == "original").count();
    assert_eq!(originals + joined.len(), all.len());
    let found = |stage: &str| -> bool {
        let v = json(&[
            "search",
            "--sponsor",
            "Niger",
            "--sponsor-stage",
            stage,
            "--session",
            "74",
            "--lang",
            "en",
            "--no-snippets",
            "--json",
            "--limit",
            "500",
        ]);
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["symbol"] == "A/RES/74/247")
    };
    assert!(found("additional"));
    assert!(!found("original"));

    // the citation graph both ways, and for network tools
    let by = json(&["cited-by", "73/187", "--json"]);
    let by_symbols: Vec<&str> = by["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["symbol"].as_str().unwrap())
        .collect();
    assert!(by_symbols.contains(&"A/RES/74/247"), "{by_symbols:?}");
    assert!(by_symbols.contains(&"A/C.3/74/L.11"), "{by_symbols:?}");
    assert_eq!(by["start"]["indexed"], false);
    let cites = json(&["cites", "A/RES/74/247", "--depth", "2", "--json"]);
    let steps = cites["steps"].as_array().unwrap();
    let first: BTreeSet<&str> = steps
        .iter()
        .filter(|s| s["depth"] == 1)
        .map(|s| s["symbol"].as_str().unwrap())
        .collect();
    assert!(first.contains("A/RES/73/187") && first.contains("A/RES/65/230"));
    let unique: BTreeSet<&str> = steps
        .iter()
        .map(|s| s["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(unique.len(), steps.len(), "each document once");
    let g = json(&["graph", "--session", "74", "--format", "json"]);
    let edges = g["edges"].as_array().unwrap();
    assert!(edges.len() > 1000, "{} edges", edges.len());
    assert!(
        edges
            .iter()
            .any(|e| e["source"] == "A/RES/74/247" && e["target"] == "A/RES/73/187")
    );
    let into_73_187 = edges
        .iter()
        .filter(|e| e["target"] == "A/RES/73/187")
        .count();
    assert_eq!(into_73_187, by_symbols.len(), "graph in-degree = cited-by");
    let out = gadocs(data, &["graph", "--session", "74", "--format", "graphml"]);
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let graphml_edges = doc.descendants().filter(|n| n.has_tag_name("edge")).count();
    assert_eq!(graphml_edges, edges.len());
    let out = gadocs(data, &["graph", "--session", "74", "--format", "dot"]);
    let dot = String::from_utf8(out.stdout).unwrap();
    assert_eq!(dot.matches(" -> ").count(), edges.len());
    let a = json(&["agenda", "107", "--session", "74", "--json"]);
    assert_eq!(a["sessions"][0]["session"], "74");
    assert_eq!(a["sessions"][0]["item"], "107");
    assert!(
        a["title"]
            .as_str()
            .unwrap()
            .starts_with("Countering the use of information and communications technologies")
    );
    // stats counts citations from a fast column; the graph from the stored records: the
    // two must agree on every count
    let stats = json(&["stats", "--json"]);
    let whole = json(&["graph", "--format", "json"]);
    let in_degree: BTreeMap<&str, u64> = whole["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n["cited_by"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        stats["citations"].as_u64().unwrap(),
        whole["edges"].as_array().unwrap().len() as u64
    );
    let most = stats["most_cited"].as_array().unwrap();
    assert_eq!(most.len(), 15, "{most:?}");
    for m in most {
        let symbol = m["symbol"].as_str().unwrap();
        assert_eq!(
            m["cited_by"].as_u64(),
            in_degree.get(symbol).copied(),
            "{symbol}"
        );
    }
    let max = in_degree.values().max().copied().unwrap();
    assert_eq!(most[0]["cited_by"].as_u64(), Some(max), "{most:?}");
}

/// Citation edges read from the words of every English resolution (body and footnotes, by
/// the citation grammar) against the XML's own reference markup (`<a href=".../A/RES/...">`),
/// micro-averaged over the whole English corpus. Links are the reference: precision is the
/// share of text-read edges that the markup also has, recall the share of linked edges the
/// text reading finds. Documents whose markup links to nothing are left out of precision (no
/// markup to check against).
#[test]
fn text_citations_agree_with_the_xml_reference_markup() {
    let (mut found, mut linked, mut both) = (0usize, 0usize, 0usize);
    let (mut extra, mut missed) = (Vec::new(), Vec::new());
    for (name, text) in raw_english_xml() {
        let input = gadocs::normalize::Input {
            name: name.clone(),
            bytes: Vec::new(),
        };
        let Ok(e) = gadocs::normalize::akn::citation_evidence(&input, text) else {
            continue;
        };
        if e.from_links.is_empty() {
            continue;
        }
        let from_text: BTreeSet<String> = e
            .from_text
            .iter()
            .map(|c| gadocs_index::cited_document(c))
            .collect();
        let from_links: BTreeSet<String> = e
            .from_links
            .iter()
            .map(|c| gadocs_index::cited_document(c))
            .collect();
        found += from_text.len();
        linked += from_links.len();
        both += from_text.intersection(&from_links).count();
        for c in from_text.difference(&from_links) {
            extra.push(format!("{name}: {c}"));
        }
        for c in from_links.difference(&from_text) {
            missed.push(format!("{name}: {c}"));
        }
    }
    let precision = both as f64 / found as f64;
    let recall = both as f64 / linked as f64;
    println!(
        "citations: {found} read from text, {linked} linked, {both} both; precision {precision:.4}, recall {recall:.4}"
    );
    if std::env::var_os("GADOCS_SHOW_CITATION_DIFF").is_some() {
        println!("text only ({}): {extra:#?}", extra.len());
        println!("links only ({}): {missed:#?}", missed.len());
    }
    assert!(linked > 10_000, "{linked} linked citations");
    assert!(precision >= 0.98, "precision {precision:.4}");
    assert!(recall >= 0.98, "recall {recall:.4}");
}

/// An agenda subject followed across sessions finds, for the most frequent item titles of
/// `data_extract`, every (session, item number) pair `data_extract` files under that title,
/// and each of its resolutions.
#[test]
fn agenda_continuity_agrees_with_data_extract() {
    let item_number = Regex::new(r"^Agenda items? (\d+(?: \([a-z]+\))?)$").unwrap();
    let session_number = |s: &str| -> Option<String> {
        let symbol = s.strip_prefix("A/RES/")?;
        symbol.split('/').next().map(str::to_string)
    };
    // title → (session, item) → resolutions
    let mut by_title: BTreeMap<String, BTreeMap<(String, String), BTreeSet<String>>> =
        BTreeMap::new();
    for r in data_extract() {
        let (Some(name), Some(item), Some(symbol)) = (
            r["agenda_item_name"].as_str(),
            r["agenda_item"].as_str(),
            r["symbol"].as_str(),
        ) else {
            continue;
        };
        let Some(c) = item_number.captures(item.trim()) else {
            continue;
        };
        let Some(session) = session_number(symbol) else {
            continue;
        };
        by_title
            .entry(name.trim().to_string())
            .or_default()
            .entry((session, c[1].to_string()))
            .or_default()
            .insert(symbol.to_string());
    }
    let mut titles: Vec<(&String, usize)> = by_title
        .iter()
        .map(|(t, sessions)| (t, sessions.len()))
        .filter(|(_, n)| *n >= 4)
        .collect();
    titles.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    assert!(titles.len() >= 5, "{titles:?}");
    for (title, _) in titles.iter().take(8) {
        let c = history::agenda::agenda(store(), title, None).unwrap();
        let got: BTreeMap<(String, String), BTreeSet<String>> = c
            .sessions
            .iter()
            .map(|s| {
                (
                    (s.session.clone(), s.item.clone()),
                    s.documents.iter().map(|d| d.symbol.clone()).collect(),
                )
            })
            .collect();
        for (key, resolutions) in &by_title[*title] {
            let docs = got
                .get(key)
                .unwrap_or_else(|| panic!("{title}: {key:?} missing from {:?}", got.keys()));
            for r in resolutions {
                assert!(
                    docs.contains(r) || docs.iter().any(|d| d.starts_with(&format!("{r} "))),
                    "{title}: {r} not under {key:?}: {docs:?}"
                );
            }
        }
    }
    // an item number is followed from its session's numbering
    let c = history::agenda::agenda(store(), "107", Some("74")).unwrap();
    let pairs: Vec<(&str, &str)> = c
        .sessions
        .iter()
        .map(|s| (s.session.as_str(), s.item.as_str()))
        .collect();
    assert!(
        pairs.contains(&("74", "107")) && pairs.contains(&("75", "112")),
        "{pairs:?}"
    );
    assert!(
        c.sessions[0]
            .documents
            .iter()
            .any(|d| d.symbol == "A/C.3/74/L.11"),
        "{:?}",
        c.sessions[0].documents
    );
    assert!(history::agenda::agenda(store(), "no such subject words", None).is_err());
}

/// The report paragraph read from the AKN workflow equals `data_extract`'s
/// `report_paragraph` wherever both name one.
#[test]
fn report_paragraphs_equal_data_extract() {
    let (mut both, mut equal, mut differ) = (0, 0, Vec::new());
    for r in data_extract() {
        let (Some(symbol), Some(para)) = (r["symbol"].as_str(), r["report_paragraph"].as_str())
        else {
            continue;
        };
        if !para.chars().all(|c| c.is_ascii_digit()) || para.is_empty() {
            continue;
        }
        let Some(rec) = store().lookup_exact(symbol, "en").unwrap() else {
            continue;
        };
        let Some(ours) = rec.report_paragraph else {
            continue;
        };
        both += 1;
        if ours == para {
            equal += 1;
        } else {
            differ.push(format!("{symbol}: {ours} vs {para}"));
        }
    }
    println!("report paragraphs: {equal} of {both} equal; differ: {differ:?}");
    assert!(both > 1000, "{both}");
    assert!(equal as f64 >= 0.99 * both as f64, "{differ:?}");
}
