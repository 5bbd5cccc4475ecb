//! Six official languages (issue 6): the other-language texts of the corpus, imported from its
//! xz JSON lines, give per-language counts equal to the corpus', and a query made of words of
//! a resolution's own title finds it in its language — Chinese without spaces, Arabic with
//! and without the article.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::sync::OnceLock;

use gadocs_index::{IndexStore, SearchRequest};

use crate::common::*;

const SYMBOLS: &[&str] = &[
    "A/RES/74/247",
    "A/RES/75/1",
    "A/RES/76/1",
    "A/RES/77/247",
    "A/RES/78/311",
    "A/RES/79/165",
    "A/RES/76/300",
    "A/RES/77/276",
    "A/RES/78/3",
    "A/RES/80/17",
];

struct Corpus {
    store: IndexStore,
    /// (symbol, lang) → (session, title) for the resolutions above.
    titles: BTreeMap<(String, String), (String, String)>,
    /// symbol → lang → title, every resolution of the other-language file.
    all_titles: BTreeMap<String, BTreeMap<String, String>>,
    counts: BTreeMap<String, u64>,
}

fn corpus_index() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(|| {
        let path = corpus().join("ga-resolutions/docs-other-languages.jsonl.xz");
        let mut titles = BTreeMap::new();
        let mut all_titles: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut counts = BTreeMap::new();
        for line in gadocs::normalize::import::open(&path).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
            let lang = v["lang"].as_str().unwrap().to_string();
            *counts.entry(lang.clone()).or_default() += 1;
            let symbol = v["symbol"].as_str().unwrap();
            if let Some(title) = v["title"].as_str() {
                all_titles
                    .entry(symbol.to_string())
                    .or_default()
                    .insert(lang.clone(), title.to_string());
            }
            if SYMBOLS.contains(&symbol)
                && let Some(title) = v["title"].as_str()
            {
                let session = v["session"].as_str().unwrap().to_string();
                titles.insert((symbol.to_string(), lang), (session, title.to_string()));
            }
        }
        let store = IndexStore::in_ram().unwrap();
        let report = gadocs::pipeline::import_paths(&store, &[path], &options()).unwrap();
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        Corpus {
            store,
            titles,
            all_titles,
            counts,
        }
    })
}

fn top3(query: &str, session: &str, lang: Option<&str>) -> Vec<(String, String)> {
    let mut filters = vec![("session".to_string(), session.to_string())];
    if let Some(l) = lang {
        filters.push(("lang".into(), l.into()));
    }
    let req = SearchRequest {
        query: query.into(),
        filters,
        limit: 3,
        ..Default::default()
    };
    let r = corpus_index().store.search(&req, &same).unwrap();
    r.hits.into_iter().map(|h| (h.symbol, h.lang)).collect()
}

#[test]
fn per_language_counts_equal_the_corpus() {
    let c = corpus_index();
    let req = SearchRequest {
        facets: vec!["lang".into()],
        limit: 1,
        ..Default::default()
    };
    let r = c.store.search(&req, &same).unwrap();
    let got: BTreeMap<String, u64> = r.facets["lang"].clone().into_iter().collect();
    assert_eq!(got, c.counts);
}

/// Words of a title, from its distinctive end (titles of a series share their beginning:
/// "Political declaration of the high-level meeting on …"): for Chinese the last eight
/// characters without spaces, for the others the five longest words.
fn query_from_title(lang: &str, title: &str) -> String {
    let title = title.trim_start_matches(['-', ' ']);
    if lang == "zh" {
        let chars: Vec<char> = title
            .chars()
            .filter(|c| !c.is_whitespace() && !"、，,（）()".contains(*c))
            .collect();
        let start = chars.len().saturating_sub(8);
        return chars[start..].iter().collect();
    }
    // the content words a user would type: the five longest, in title order
    let words: Vec<&str> = title.split_whitespace().collect();
    let mut by_length: Vec<usize> = (0..words.len()).collect();
    by_length.sort_by_key(|&i| std::cmp::Reverse(words[i].chars().count()));
    let mut chosen: Vec<usize> = by_length.into_iter().take(5).collect();
    chosen.sort();
    chosen
        .iter()
        .map(|&i| words[i])
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_title_query_finds_the_resolution_in_every_language() {
    let c = corpus_index();
    let mut misses = Vec::new();
    let mut tried = 0;
    for ((symbol, lang), (session, title)) in &c.titles {
        tried += 1;
        let q = query_from_title(lang, title);
        let hits = top3(&q, session, None);
        if !hits.contains(&(symbol.clone(), lang.clone())) {
            misses.push(format!("{symbol} [{lang}] {q:?} → {hits:?}"));
        }
    }
    assert!(tried >= 45, "only {tried} titles found");
    assert!(
        misses.is_empty(),
        "{} of {tried} missed:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

#[test]
fn arabic_queries_with_and_without_the_article_meet() {
    let c = corpus_index();
    let mut checked = 0;
    for ((symbol, lang), (session, title)) in &c.titles {
        if lang != "ar" {
            continue;
        }
        let q = query_from_title("ar", title);
        let bare: Vec<String> = q
            .split_whitespace()
            .map(|w| {
                w.strip_prefix("ال")
                    .filter(|r| r.chars().count() >= 3)
                    .unwrap_or(w)
                    .to_string()
            })
            .collect();
        let bare = bare.join(" ");
        for query in [q.as_str(), bare.as_str()] {
            let hits = top3(query, session, Some("ar"));
            assert!(
                hits.contains(&(symbol.clone(), "ar".into())),
                "{symbol} {query:?} → {hits:?}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 9);
}

#[test]
fn chinese_finds_every_text_containing_a_word() {
    // 可持续发展 ("sustainable development"): the corpus has 1,152 Chinese texts containing it
    let c = corpus_index();
    let req = SearchRequest {
        query: "可持续发展".into(),
        filters: vec![("lang".into(), "zh".into())],
        limit: 1,
        ..Default::default()
    };
    let total = c.store.search(&req, &same).unwrap().total;
    let path = corpus().join("ga-resolutions/docs-other-languages.jsonl.xz");
    let mut expected = 0;
    for line in gadocs::normalize::import::open(&path).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let text = format!(
            "{}\n{}",
            v["title"].as_str().unwrap_or(""),
            v["text"].as_str().unwrap_or("")
        );
        if v["lang"] == "zh" && text.contains("可持续发展") {
            expected += 1;
        }
    }
    assert_eq!(total, expected);
}

/// Lower-case words of three letters or more (English titles, for relevance).
fn title_words(title: &str) -> BTreeSet<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// Search quality per language, English as the reference. Queries: for 30 resolutions that
/// exist in all six languages (every 40th of the other-language file with a title of four
/// words or more), the words of the resolution's own title in each language
/// (`query_from_title`), searched over all sessions among that language's resolutions.
/// Relevance comes from English, the same for every language: a resolution is relevant to a
/// query when its English title (docs.jsonl) has a word-set similarity of at least 0.5 with
/// the query resolution's English title (the resolution itself, the same text in other
/// sessions, close variants). Reported per language: precision at 10 (relevant among the
/// first 10 / 10), the same divided by min(10, relevant documents) so that a subject with
/// few documents can score 1, and how often the resolution itself is first and in the top 3.
#[test]
fn precision_at_10_per_language_with_english_as_reference() {
    let c = corpus_index();
    let english_titles: BTreeMap<String, String> =
        std::fs::read_to_string(corpus().join("ga-resolutions/docs.jsonl"))
            .unwrap()
            .lines()
            .filter_map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).ok()?;
                Some((
                    v["symbol"].as_str()?.to_string(),
                    v["title"].as_str()?.to_string(),
                ))
            })
            .collect();
    let english_words: BTreeMap<&String, BTreeSet<String>> = english_titles
        .iter()
        .map(|(s, t)| (s, title_words(t)))
        .collect();
    let langs = ["en", "fr", "es", "ru", "ar", "zh"];
    let chosen: Vec<&String> = c
        .all_titles
        .iter()
        .filter(|(symbol, by_lang)| {
            by_lang.len() == 5
                && english_titles
                    .get(*symbol)
                    .is_some_and(|t| t.split_whitespace().count() >= 4)
        })
        .map(|(s, _)| s)
        .step_by(40)
        .take(30)
        .collect();
    assert!(chosen.len() >= 20, "{} queries", chosen.len());
    let english = crate::history::store();
    println!("lang  queries  P@10   P@10/min(10,rel)  first  top3");
    let mut table = BTreeMap::new();
    for lang in langs {
        let (mut p10, mut np10, mut first, mut top3) = (0.0, 0.0, 0, 0);
        for symbol in &chosen {
            let reference = &english_words[*symbol];
            let relevant: BTreeSet<&String> = english_words
                .iter()
                .filter(|(s, w)| **s == *symbol || jaccard(w, reference) >= 0.5)
                .map(|(s, _)| *s)
                .collect();
            let title = if lang == "en" {
                english_titles[*symbol].clone()
            } else {
                c.all_titles[*symbol][lang].clone()
            };
            let req = SearchRequest {
                query: query_from_title(lang, &title),
                filters: vec![
                    ("lang".into(), lang.into()),
                    ("type".into(), "resolution".into()),
                ],
                limit: 10,
                ..Default::default()
            };
            let store = if lang == "en" { english } else { &c.store };
            let hits: Vec<String> = store
                .search(&req, &same)
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.symbol)
                .collect();
            let good = hits.iter().filter(|h| relevant.contains(h)).count();
            p10 += good as f64 / 10.0;
            np10 += good as f64 / relevant.len().min(10) as f64;
            first += usize::from(hits.first() == Some(*symbol));
            top3 += usize::from(hits.iter().take(3).any(|h| h == *symbol));
        }
        let n = chosen.len() as f64;
        let row = (p10 / n, np10 / n, first as f64 / n, top3 as f64 / n);
        println!(
            "{lang:<4}  {:>7}  {:.3}  {:>16.3}  {:>5.2}  {:>4.2}",
            chosen.len(),
            row.0,
            row.1,
            row.2,
            row.3
        );
        table.insert(lang, row);
    }
    // Measured 2026-11-28 (P@10/min(10,rel)): en 0.953, fr 0.889, es 0.932, ru 0.874,
    // ar 0.932, zh 0.819. The resolution itself is often not first: without a session, the
    // same title adopted in other sessions is as relevant (and counted so).
    let en = table["en"];
    for (lang, row) in &table {
        assert!(row.1 >= 0.75, "{lang}: {row:?}");
        assert!(row.1 >= en.1 - 0.15, "{lang}: {row:?} vs en {en:?}");
    }
}

/// `--group`: the versions of one resolution share its symbol and come back as one group
/// listing its languages; pages count documents, not texts.
#[test]
fn results_group_by_symbol_with_their_languages() {
    let c = corpus_index();
    let req = SearchRequest {
        query: "symbol:\"A/RES/74/247\"".into(),
        limit: 10,
        ..Default::default()
    };
    let g = gadocs::grouping::grouped(&c.store, &req).unwrap();
    assert_eq!(g.groups.len(), 1);
    assert_eq!(g.groups[0].languages, ["ar", "zh", "fr", "ru", "es"]);
    assert_eq!(g.groups[0].hits.len(), 5);
    // a topic over all languages: each symbol once, every hit under its own symbol
    let req = SearchRequest {
        query: "climate OR climat OR clima OR климата OR المناخ OR 气候".into(),
        filters: vec![("session".into(), "78".into())],
        limit: 5,
        ..Default::default()
    };
    let g = gadocs::grouping::grouped(&c.store, &req).unwrap();
    assert_eq!(g.groups.len(), 5);
    let symbols: BTreeSet<&String> = g.groups.iter().map(|x| &x.symbol).collect();
    assert_eq!(symbols.len(), 5);
    for group in &g.groups {
        assert!(
            group.hits.len() >= 2,
            "{}: {:?}",
            group.symbol,
            group.hits.len()
        );
        assert!(group.hits.iter().all(|h| h.symbol == group.symbol));
        for h in &group.hits {
            assert!(group.languages.contains(&h.lang));
        }
    }
    let next = gadocs::grouping::grouped(
        &c.store,
        &SearchRequest {
            offset: 5,
            ..req.clone()
        },
    )
    .unwrap();
    assert!(next.groups.iter().all(|x| !symbols.contains(&x.symbol)));
}

/// Snippets and highlights in every language: the highlighted ranges of the first hit's
/// snippet are words of the query as the text spells them (Chinese without spaces, Arabic
/// with its article and letter variants, Russian and French inflected).
#[test]
fn snippets_highlight_the_query_in_every_language() {
    let c = corpus_index();
    let cases = [
        ("zh", "可持续发展", &["可持续", "发展", "可持续发展"][..]),
        ("ar", "التنمية المستدامة", &["تنمي", "مستدام"][..]),
        ("ru", "устойчивого развития", &["устойчив", "развити"][..]),
        (
            "fr",
            "développement durable",
            &["développement", "durable"][..],
        ),
        (
            "es",
            "desarrollo sostenible",
            &["desarrollo", "sostenible"][..],
        ),
    ];
    for (lang, query, stems) in cases {
        let req = SearchRequest {
            query: query.into(),
            filters: vec![("lang".into(), lang.into())],
            limit: 3,
            snippets: true,
            ..Default::default()
        };
        let r = c.store.search(&req, &same).unwrap();
        assert!(r.total > 100, "{lang}: {}", r.total);
        for hit in &r.hits {
            assert!(!hit.snippet.is_empty(), "{lang} {}: no snippet", hit.symbol);
            assert!(
                !hit.highlights.is_empty(),
                "{lang} {}: no highlight",
                hit.symbol
            );
            for [a, b] in &hit.highlights {
                let word = hit.snippet[*a..*b].to_lowercase();
                assert!(
                    stems
                        .iter()
                        .any(|s| word.contains(s) || s.contains(word.as_str())),
                    "{lang} {}: highlighted {word:?} in {:?}",
                    hit.symbol,
                    hit.snippet
                );
            }
        }
    }
}
