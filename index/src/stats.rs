//! BM25 statistics for one query: document frequencies are looked up once, while the query
//! is compiled (where a term that no segment holds drops its clause), and served again to
//! Tantivy's weights; token totals come from the generation's [`SegmentCache`].
//!
//! Tantivy's own provider (the `Searcher`) opens every segment's reader of the term's field
//! for each term and each total, and builds a fresh empty reader each time a segment lacks
//! the field: with a title and a body per language, most of a rare word's cost (callgrind).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::store::SegmentCache;

/// The statistics of one query over one searcher generation.
pub struct QueryStats {
    searcher: Searcher,
    cache: Arc<SegmentCache>,
    doc_freqs: RefCell<HashMap<Term, u64>>,
}

impl QueryStats {
    /// Statistics over `searcher`, whose generation `cache` describes.
    pub fn new(searcher: Searcher, cache: Arc<SegmentCache>) -> Self {
        QueryStats {
            searcher,
            cache,
            doc_freqs: RefCell::new(HashMap::new()),
        }
    }

    /// The searcher the statistics describe.
    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// Documents holding `term`, summed over the segments that have its field.
    pub fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(&n) = self.doc_freqs.borrow().get(term) {
            return Ok(n);
        }
        let field = term.field();
        let mut n = 0u64;
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            if self.cache.has_field(ord, field) {
                n += u64::from(segment.inverted_index(field)?.doc_freq(term)?);
            }
        }
        self.doc_freqs.borrow_mut().insert(term.clone(), n);
        Ok(n)
    }
}

impl Bm25StatisticsProvider for QueryStats {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        match self.cache.total_tokens.get(field.field_id() as usize) {
            Some(&n) => Ok(n),
            None => Bm25StatisticsProvider::total_num_tokens(&self.searcher, field),
        }
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.cache.total_docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        QueryStats::doc_freq(self, term)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur};

    use crate::analysis::LANGS;
    use crate::compile::Compiler;
    use crate::facets::{self, FacetCounts};
    use crate::store::{CommitPayload, IndexStore};
    use crate::{Record, SearchRequest, query};

    use super::*;

    /// Two commits, so two segments: English and Chinese, then French only (which lacks the
    /// English and Chinese fields).
    fn store() -> IndexStore {
        let store = IndexStore::in_ram().unwrap();
        let mut writer = store.writer(1, 20_000_000).unwrap();
        let record = |symbol: &str, lang: &str, title: &str, text: &str| Record {
            symbol: symbol.into(),
            lang: lang.into(),
            title: title.into(),
            text: text.into(),
            ..Record::default()
        };
        for r in [
            record(
                "A/RES/1",
                "en",
                "Climate change",
                "Climate change and development.",
            ),
            record(
                "A/RES/2",
                "en",
                "Oceans",
                "Development of the oceans; climate.",
            ),
            record("A/RES/3", "en", "Peace", "Peace, development and change."),
            record("A/RES/1", "zh", "气候变化", "可持续发展目标与气候变化。"),
        ] {
            writer.upsert(&r).unwrap();
        }
        writer.commit(&CommitPayload::default()).unwrap();
        for r in [
            record(
                "A/RES/1",
                "fr",
                "Changements climatiques",
                "Le développement durable.",
            ),
            record(
                "A/RES/4",
                "fr",
                "Paix",
                "La paix et le développement; climate.",
            ),
        ] {
            writer.upsert(&r).unwrap();
        }
        writer.commit(&CommitPayload::default()).unwrap();
        store.reload().unwrap();
        store
    }

    /// A compiler over every language, as a search builds it.
    fn compiler<'a>(
        store: &'a IndexStore,
        searcher: &tantivy::Searcher,
        symbol_norm: &'a dyn Fn(&str) -> String,
    ) -> Compiler<'a> {
        Compiler {
            index: store.index(),
            fields: store.fields(),
            langs: LANGS.to_vec(),
            symbol_norm,
            stats: QueryStats::new(searcher.clone(), store.segment_cache(searcher)),
        }
    }

    /// Records a search of `text` finds.
    fn total(store: &IndexStore, text: &str) -> u64 {
        let req = SearchRequest {
            query: text.into(),
            limit: 10,
            ..Default::default()
        };
        store.search(&req, &|s: &str| s.to_string()).unwrap().total
    }

    #[test]
    fn pruned_queries_score_as_with_tantivys_own_statistics() {
        let store = store();
        let searcher = store.searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let same = |s: &str| s.to_string();
        for text in [
            "development",
            "climate",
            "\"climate change\"",
            "paix OR peace",
            "développement -paix",
            "气候变化",
            "nothing-like-this",
        ] {
            let compiler = compiler(&store, &searcher, &same);
            let q = compiler.compile(&query::parse(text).node).unwrap();
            let collector = (TopDocs::with_limit(10).order_by_score(), Count);
            let ours = searcher
                .search_with_statistics_provider(&*q, &collector, &compiler.stats)
                .unwrap();
            let tantivys = searcher.search(&*q, &collector).unwrap();
            assert_eq!(ours.1, tantivys.1, "{text}: total");
            assert_eq!(ours.0.len(), tantivys.0.len(), "{text}");
            for ((a, da), (b, db)) in ours.0.iter().zip(&tantivys.0) {
                assert_eq!(da, db, "{text}: order");
                assert!((a - b).abs() < 1e-6, "{text}: score {a} vs {b}");
            }
        }
        // and the words were found where they are
        let total = |text: &str| total(&store, text);
        assert_eq!(total("development"), 3);
        assert_eq!(
            total("climate"),
            4,
            "two English texts, a French one with the word, one with climatiques (stem climat)"
        );
        assert_eq!(total("développement"), 2);
        assert_eq!(total("nothing-like-this"), 0);
    }

    /// An index in memory holding `records`, committed and reloaded.
    fn indexed(records: impl Iterator<Item = Record>) -> IndexStore {
        let store = IndexStore::in_ram().unwrap();
        let mut writer = store.writer(1, 20_000_000).unwrap();
        for record in records {
            writer.upsert(&record).unwrap();
        }
        writer.commit(&CommitPayload::default()).unwrap();
        store.reload().unwrap();
        store
    }

    /// [`crate::compile::prunable`] sends a common word to a ranking pass of its own and a
    /// counting pass: what it finds, in what order, with what total and facet counts, must
    /// be what one pass that scores every match finds.
    #[test]
    fn a_ranking_pass_of_its_own_finds_what_one_scoring_pass_finds() {
        let store = indexed((0..1_100).map(|i| {
            // every document a different count of the word: no two scores tie
            let mut text = "alpha ".repeat(i + 1);
            if i % 7 == 0 {
                text.push_str("beta gamma");
            }
            Record {
                symbol: format!("A/RES/{i}"),
                lang: "en".into(),
                title: format!("Alpha document {i}"),
                session: Some(format!("{}", 70 + i % 10)),
                // a column with several values for some documents and none for others
                sponsors: if i % 3 == 0 {
                    vec!["Chile".into(), format!("State {}", i % 4)]
                } else {
                    Vec::new()
                },
                text,
                ..Record::default()
            }
        }));
        let searcher = store.searcher();
        let same = |s: &str| s.to_string();
        let cases = [
            ("alpha", true),
            ("alpha OR beta", true),
            ("beta", false),
            ("\"alpha beta\"", false),
            ("alpha -gamma", false),
        ];
        for (text, pruned) in cases {
            let compiler = compiler(&store, &searcher, &same);
            let q = compiler.compile(&query::parse(text).node).unwrap();
            assert_eq!(
                crate::compile::prunable(&*q, &compiler.stats, 10),
                pruned,
                "{text}"
            );
            for offset in [0, 5] {
                // one pass, every match scored and counted one by one
                let one_pass = (
                    TopDocs::with_limit(5).and_offset(offset).order_by_score(),
                    Count,
                    FacetCounts::new(&["session", "sponsor"]),
                );
                let (top, count, facets) = searcher
                    .search_with_statistics_provider(&*q, &one_pass, &compiler.stats)
                    .unwrap();
                let req = SearchRequest {
                    query: text.into(),
                    limit: 5,
                    offset,
                    facets: vec!["session".into(), "sponsor".into()],
                    ..Default::default()
                };
                let found = store.search(&req, &same).unwrap();
                assert_eq!(found.total, count as u64, "{text}: total");
                for (name, counts) in ["session", "sponsor"].iter().zip(facets) {
                    assert_eq!(
                        found.facets[*name],
                        facets::to_map(counts),
                        "{text}: {name}"
                    );
                }
                let sessions: u64 = found.facets["session"].values().sum();
                assert_eq!(sessions, count as u64, "{text}: session counts");
                let expected: Vec<(String, f32)> = top
                    .iter()
                    .map(|(score, a)| {
                        (
                            store.record_at(&searcher, *a, false).unwrap().symbol,
                            *score,
                        )
                    })
                    .collect();
                assert_eq!(expected.len(), found.hits.len(), "{text}");
                for ((symbol, score), hit) in expected.iter().zip(&found.hits) {
                    assert_eq!(symbol, &hit.symbol, "{text} from {offset}: order");
                    assert!((score - hit.score).abs() < 1e-5, "{text}: score");
                }
            }
        }
    }

    #[test]
    fn a_chinese_chunk_no_segment_holds_rules_its_field_out() {
        let store = store();
        let total = |text: &str| total(&store, text);
        assert_eq!(total("发展 变化"), 1);
        // 乙 is in no text: both chunks must match, so nothing does (dropping the chunk
        // instead would find the text through 发展 alone)
        assert_eq!(total("发展 乙"), 0);
        assert_eq!(total("持续发"), 1, "characters across jieba's words");
    }

    /// [`Compiler::filtered`] puts the filters inside each alternative of a phrase: the
    /// matches, their order and scores are those of the alternatives intersected as a whole
    /// with the filters.
    #[test]
    fn filters_inside_each_alternative_find_what_filters_around_them_find() {
        let store = indexed((0..600).map(|i| {
            let (lang, phrase, other) = if i % 2 == 0 {
                ("en", "human rights", "climate")
            } else {
                ("fr", "droits humains", "climat")
            };
            // a different count of the phrase in every document: no two scores tie
            let mut text = format!("{phrase} council ").repeat(i % 40 + 1);
            if i % 5 == 0 {
                text.push_str(other);
            }
            if i % 3 == 0 {
                text = text.replace(phrase, "rights human");
            }
            Record {
                symbol: format!("A/RES/{i}"),
                lang: lang.into(),
                title: if i % 11 == 0 {
                    phrase.into()
                } else {
                    format!("Report {i}")
                },
                session: Some(format!("{}", 70 + i % 10)),
                text,
                ..Record::default()
            }
        }));
        let searcher = store.searcher();
        let same = |s: &str| s.to_string();
        for (text, each) in [
            ("\"human rights\" OR \"droits humains\"", true),
            ("\"human rights\" OR climat", true),
            ("council", false),
            ("human -climate", false),
        ] {
            let compiler = compiler(&store, &searcher, &same);
            let node = query::parse(text).node;
            let filter = || {
                compiler
                    .compile(&query::Node::Field {
                        name: "session".into(),
                        value: "74".into(),
                    })
                    .unwrap()
            };
            let around = BooleanQuery::new(vec![
                (Occur::Must, compiler.compile(&node).unwrap()),
                (Occur::Must, filter()),
            ]);
            let inside = compiler.filtered(&node, vec![filter()]).unwrap();
            let split = inside.downcast_ref::<BooleanQuery>().is_some_and(|b| {
                b.clauses()
                    .iter()
                    .all(|(o, q)| *o == Occur::Should && q.is::<BooleanQuery>())
            });
            assert_eq!(split, each, "{text}: {inside:?}");
            let run = |q: &dyn tantivy::query::Query| {
                searcher
                    .search_with_statistics_provider(
                        q,
                        &(TopDocs::with_limit(100).order_by_score(), Count),
                        &compiler.stats,
                    )
                    .unwrap()
            };
            let (want, want_total) = run(&around);
            assert!(want_total > 5, "{text}: {want_total}");
            // the filter given apart, typed in the query, and typed inside an OR
            let typed = |q: String| {
                let node = query::parse(&q).node;
                (q, compiler.filtered(&node, Vec::new()).unwrap())
            };
            for (form, q) in [
                ("filter apart".to_string(), inside),
                typed(format!("({text}) session:74")),
                typed(format!("(({text}) session:74) OR nowordlikethis")),
            ] {
                let (got, got_total) = run(&*q);
                assert_eq!(got_total, want_total, "{text}, {form}");
                assert_eq!(got.len(), want.len(), "{text}, {form}");
                for ((ws, wa), (gs, ga)) in want.iter().zip(&got) {
                    assert_eq!(wa, ga, "{text}, {form}: order");
                    assert!((ws - gs).abs() < 1e-5, "{text}, {form}: score {ws} {gs}");
                }
            }
        }
    }
}
