//! Running a search: one pass collects the top hits, the exact total and facet counts; stored
//! records are read for the returned page only; snippets are made from their text.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, TantivyDocument};

use crate::analysis::{LANGS, field_lang};
use crate::compile::{self, Compiler};
use crate::error::IndexError;
use crate::expand::{self, Expansion};
use crate::facets::{self, FacetCounts};
use crate::query::{self, Node};
use crate::record::Record;
use crate::schema::{self, FACETS};
use crate::stats::QueryStats;
use crate::store::IndexStore;

/// Order of hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// BM25 score (the default with a query).
    #[default]
    Relevance,
    /// Newest first (the default without a query).
    Date,
}

/// A search as the CLI, the batch mode and the API ask it.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// Query in the gadocs syntax (may be empty: everything the filters select).
    pub query: String,
    /// Exact-match filters as (field, value), ANDed with the query.
    pub filters: Vec<(String, String)>,
    /// Effective date from (inclusive).
    pub from: Option<NaiveDate>,
    /// Effective date to (inclusive).
    pub to: Option<NaiveDate>,
    /// Facets to count (names of [`FACETS`]).
    pub facets: Vec<String>,
    /// Page size.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Hit order; `None` picks relevance with a query, date without.
    pub sort: Option<Sort>,
    /// Make snippets for the hits.
    pub snippets: bool,
    /// Search only what was typed: no acronym or short-name expansion.
    pub no_expand: bool,
}

/// One hit; field names are the `search --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Canonical symbol.
    pub symbol: String,
    /// Language of this text.
    pub lang: String,
    /// Title.
    pub title: String,
    /// Document type.
    pub doc_type: String,
    /// Session.
    pub session: Option<String>,
    /// Committee.
    pub committee: Option<String>,
    /// Agenda items.
    pub agenda_items: Vec<String>,
    /// Sponsors.
    pub sponsors: Vec<String>,
    /// Issue date (or adoption date when no issue date is known).
    pub date: Option<NaiveDate>,
    /// BM25 score (0 when sorted by date).
    pub score: f32,
    /// Text around the best match, plain.
    pub snippet: String,
    /// Byte ranges of matched words inside `snippet`.
    pub highlights: Vec<[usize; 2]>,
}

/// Result of a search; field names are the `search --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// Exact number of matching records.
    pub total: u64,
    /// The requested page.
    pub hits: Vec<Hit>,
    /// Facet name → value → count.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    /// What the query parser read leniently.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Acronyms and short names also searched as their official spelling.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expanded: Vec<Expansion>,
}

impl IndexStore {
    /// Runs a search over the last reloaded commit.
    pub fn search(
        &self,
        req: &SearchRequest,
        symbol_norm: &dyn Fn(&str) -> String,
    ) -> Result<SearchResult, IndexError> {
        let searcher = self.searcher();
        let Reading {
            parsed,
            expanded,
            node,
            compiler,
        } = self.read(req, &searcher, symbol_norm);
        let has_query = parsed.node != Node::All;
        let mut filters = Vec::new();
        for (name, value) in &req.filters {
            filters.push(compiler.compile(&Node::Field {
                name: name.clone(),
                value: value.clone(),
            })?);
        }
        if req.from.is_some() || req.to.is_some() {
            filters.push(compiler.date_range(req.from, req.to));
        }
        let query = compiler.filtered(&node, filters)?;
        let facet_names = req
            .facets
            .iter()
            .map(|f| schema::facet_name(f))
            .collect::<Result<Vec<_>, _>>()?;
        let sort = req.sort.unwrap_or(if has_query {
            Sort::Relevance
        } else {
            Sort::Date
        });
        let limit = req.limit.max(1);

        // one statically dispatched tuple: a MultiCollector calls each child through a box
        // per matching document (a tenth of a common word's cost, callgrind)
        let facet_counts = (!facet_names.is_empty()).then(|| FacetCounts::new(&facet_names));
        let search_err = |e| IndexError::tantivy(self.path(), e);
        let (top, total, counts): (Vec<(f32, DocAddress)>, usize, _) = match sort {
            Sort::Relevance => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(req.offset)
                    .order_by_score();
                if compile::prunable(&*query, &compiler.stats, limit + req.offset) {
                    // two passes over the matches cost less than one that scores them all:
                    // the top hits alone let Tantivy skip blocks that cannot enter them
                    // (block-max WAND), and the exact total and facet counts need no score
                    // (a union is counted a bitset at a time)
                    let top = searcher
                        .search_with_statistics_provider(&*query, &top, &compiler.stats)
                        .map_err(search_err)?;
                    let (total, counts) = searcher
                        .search(&*query, &(Count, facet_counts))
                        .map_err(search_err)?;
                    (top, total, counts)
                } else {
                    searcher
                        .search_with_statistics_provider(
                            &*query,
                            &(top, Count, facet_counts),
                            &compiler.stats,
                        )
                        .map_err(search_err)?
                }
            }
            Sort::Date => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(req.offset)
                    .order_by_fast_field::<tantivy::DateTime>("date", Order::Desc);
                let (top, total, counts) = searcher
                    .search_with_statistics_provider(
                        &*query,
                        &(top, Count, facet_counts),
                        &compiler.stats,
                    )
                    .map_err(search_err)?;
                let top = top.into_iter().map(|(_, a)| (0.0, a)).collect();
                (top, total, counts)
            }
        };
        let total = total as u64;
        let mut facets = BTreeMap::new();
        for (name, values) in facet_names.iter().zip(counts.unwrap_or_default()) {
            facets.insert(name.to_string(), facets::to_map(values));
        }

        let mut generators: BTreeMap<&'static str, Option<SnippetGenerator>> = BTreeMap::new();
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let record = self.hit_at(&searcher, address, req.snippets)?;
            let (snippet, highlights) = if req.snippets && has_query {
                let lang = field_lang(&record.lang);
                let generator = generators.entry(lang).or_insert_with(|| {
                    let mut g =
                        SnippetGenerator::create(&searcher, &*query, self.fields().body_of(lang))
                            .ok()?;
                    g.set_max_num_chars(220);
                    Some(g)
                });
                match generator {
                    Some(g) => {
                        let s = g.snippet(&record.text);
                        let ranges = s.highlighted().iter().map(|r| [r.start, r.end]).collect();
                        (s.fragment().to_string(), ranges)
                    }
                    None => (String::new(), Vec::new()),
                }
            } else {
                (String::new(), Vec::new())
            };
            let snippet = if req.snippets && snippet.is_empty() {
                lead(&record.text, 220)
            } else {
                snippet
            };
            hits.push(Hit {
                symbol: record.symbol,
                lang: record.lang,
                title: record.title,
                doc_type: record.doc_type,
                session: record.session,
                committee: record.committee,
                agenda_items: record.agenda_items,
                sponsors: record.sponsors,
                date: record.date.or(record.adoption_date),
                score,
                snippet,
                highlights,
            });
        }
        Ok(SearchResult {
            total,
            hits,
            facets,
            warnings: parsed.warnings,
            expanded,
        })
    }

    /// What a query is read as, for `search --explain`: the parsed tree, the expansions,
    /// the expanded tree and the Tantivy query per field.
    pub fn explain(
        &self,
        req: &SearchRequest,
        symbol_norm: &dyn Fn(&str) -> String,
    ) -> Result<String, IndexError> {
        use std::fmt::Write;
        let searcher = self.searcher();
        let Reading {
            parsed,
            expanded,
            node,
            compiler,
        } = self.read(req, &searcher, symbol_norm);
        let mut s = String::new();
        let _ = writeln!(s, "parsed:   {}", expand::render(&parsed.node));
        for w in &parsed.warnings {
            let _ = writeln!(s, "warning:  {w}");
        }
        if expanded.is_empty() {
            let _ = writeln!(s, "expanded: (nothing)");
        }
        for e in &expanded {
            let _ = writeln!(s, "expanded: {} -> {}", e.term, e.as_.join(" | "));
        }
        let _ = writeln!(s, "searched: {}", expand::render(&node));
        for (name, value) in &req.filters {
            let _ = writeln!(s, "filter:   {name}:{value}");
        }
        let _ = writeln!(s, "fields:   {}", compiler.langs.join(", "));
        let q = compiler.compile(&node)?;
        let _ = writeln!(s, "tantivy:\n{}", readable_query(&format!("{q:?}"), self));
        Ok(s)
    }

    /// Reads a request's query the way `search` and `explain` both do: parsed, expanded
    /// (unless `no_expand`) and a compiler for the languages that have text.
    fn read<'a>(
        &'a self,
        req: &SearchRequest,
        searcher: &tantivy::Searcher,
        symbol_norm: &'a dyn Fn(&str) -> String,
    ) -> Reading<'a> {
        let parsed = query::parse(&req.query);
        let mut expanded = Vec::new();
        let node = if req.no_expand {
            parsed.node.clone()
        } else {
            expand::expand(&parsed.node, &mut expanded)
        };
        let compiler = Compiler {
            index: self.index(),
            fields: self.fields(),
            langs: self.present_langs(searcher, langs_of(&req.filters)),
            symbol_norm,
            stats: QueryStats::new(searcher.clone(), self.segment_cache(searcher)),
        };
        Reading {
            parsed,
            expanded,
            node,
            compiler,
        }
    }

    /// The field languages among `wanted` that have any text in the index: a query over
    /// seven languages × title/body otherwise builds weights for fields that cannot match.
    fn present_langs(
        &self,
        searcher: &tantivy::Searcher,
        wanted: Vec<&'static str>,
    ) -> Vec<&'static str> {
        let cache = self.segment_cache(searcher);
        let present: Vec<&'static str> = wanted
            .iter()
            .copied()
            .filter(|lang| cache.present_langs.contains(lang))
            .collect();
        if present.is_empty() { wanted } else { present }
    }

    /// Reads a stored document as `T` (deserialized from its `meta` JSON: a [`Record`], or a
    /// [`HitMeta`] that skips what a hit does not show, such as a roll call of 193 States)
    /// and its text when `with_text` (empty otherwise).
    fn stored<T: serde::de::DeserializeOwned>(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        with_text: bool,
    ) -> Result<(T, String), IndexError> {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| IndexError::tantivy(self.path(), e))?;
        let field_text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
        };
        let value =
            serde_json::from_str(field_text(self.fields().meta)).map_err(IndexError::Corrupt)?;
        let text = if with_text {
            field_text(self.fields().text).to_string()
        } else {
            String::new()
        };
        Ok((value, text))
    }

    /// Reads what a hit shows, and the text for snippets when `with_text`.
    fn hit_at(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        with_text: bool,
    ) -> Result<HitMeta, IndexError> {
        if !with_text && let Some(hit) = self.hit_from_column(searcher, address)? {
            return Ok(hit);
        }
        let (mut hit, text): (HitMeta, String) = self.stored(searcher, address, with_text)?;
        hit.text = text;
        Ok(hit)
    }

    /// A hit's fields from the `hit` column (`None` for a segment without it).
    fn hit_from_column(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
    ) -> Result<Option<HitMeta>, IndexError> {
        let cache = self.segment_cache(searcher);
        let Some(Some(column)) = cache.hit_columns.get(address.segment_ord as usize) else {
            return Ok(None);
        };
        let Some(ord) = column.term_ords(address.doc_id).next() else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        column
            .ord_to_bytes(ord, &mut bytes)
            .map_err(|e| IndexError::tantivy(self.path(), e.into()))?;
        Ok(Some(postcard::from_bytes(&bytes).map_err(|e| {
            IndexError::CorruptColumn {
                column: "hit",
                reason: e.to_string(),
            }
        })?))
    }

    /// Reads the stored record of a document; its text only when `with_text`.
    pub fn record_at(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        with_text: bool,
    ) -> Result<Record, IndexError> {
        let (mut record, text): (Record, String) = self.stored(searcher, address, with_text)?;
        record.text = text;
        Ok(record)
    }

    /// Every record whose symbol (or family) is `symbol`, optionally in one language.
    pub fn lookup(&self, symbol: &str, lang: Option<&str>) -> Result<Vec<Record>, IndexError> {
        let same = |s: &str| s.to_string();
        let searcher = self.searcher();
        let compiler = Compiler {
            index: self.index(),
            fields: self.fields(),
            langs: LANGS.to_vec(),
            symbol_norm: &same,
            stats: QueryStats::new(searcher.clone(), self.segment_cache(&searcher)),
        };
        let mut clauses = vec![(Occur::Must, compiler.field("symbol", symbol)?)];
        if let Some(l) = lang {
            clauses.push((Occur::Must, compiler.field("lang", l)?));
        }
        let top = searcher
            .search(
                &BooleanQuery::new(clauses),
                &TopDocs::with_limit(1000).order_by_score(),
            )
            .map_err(|e| IndexError::tantivy(self.path(), e))?;
        let mut out = Vec::with_capacity(top.len());
        for (_, address) in top {
            out.push(self.record_at(&searcher, address, true)?);
        }
        Ok(out)
    }

    /// The record of exactly (symbol, lang).
    pub fn lookup_exact(&self, symbol: &str, lang: &str) -> Result<Option<Record>, IndexError> {
        let searcher = self.searcher();
        let term = tantivy::Term::from_field_text(self.fields().key, &format!("{symbol}|{lang}"));
        let q = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
        let top = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())
            .map_err(|e| IndexError::tantivy(self.path(), e))?;
        match top.first() {
            Some((_, address)) => Ok(Some(self.record_at(&searcher, *address, true)?)),
            None => Ok(None),
        }
    }

    /// Counts of every facet over the whole index (for `stats`).
    /// (`cited` and `agenda_title`, whose values are documents and subjects rather than
    /// categories, are left to [`IndexStore::value_counts`].)
    pub fn facet_counts(&self) -> Result<BTreeMap<String, BTreeMap<String, u64>>, IndexError> {
        let req = SearchRequest {
            facets: FACETS
                .iter()
                .filter(|f| !matches!(**f, "cited" | "agenda_title"))
                .map(|s| s.to_string())
                .collect(),
            limit: 1,
            ..Default::default()
        };
        let same = |s: &str| s.to_string();
        Ok(self.search(&req, &same)?.facets)
    }

    /// Value → number of records, of one facet over the records the filters select, read
    /// from its fast column alone (no stored record is read).
    pub fn value_counts(
        &self,
        facet: &str,
        filters: &[(&str, &str)],
    ) -> Result<BTreeMap<String, u64>, IndexError> {
        let req = SearchRequest {
            filters: filters
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            facets: vec![facet.to_string()],
            limit: 1,
            ..Default::default()
        };
        let same = |s: &str| s.to_string();
        Ok(self
            .search(&req, &same)?
            .facets
            .remove(schema::facet_name(facet)?)
            .unwrap_or_default())
    }

    /// Streams every stored record (for `export`), in index order.
    pub fn for_each_record(
        &self,
        f: impl FnMut(Record) -> Result<(), IndexError>,
    ) -> Result<(), IndexError> {
        self.for_each(true, f)
    }

    /// Streams every stored record without its text (`text` empty): metadata scans such as
    /// the citation graph or agenda continuity, several times cheaper than with the text.
    pub fn for_each_record_meta(
        &self,
        f: impl FnMut(Record) -> Result<(), IndexError>,
    ) -> Result<(), IndexError> {
        self.for_each(false, f)
    }

    fn for_each(
        &self,
        with_text: bool,
        mut f: impl FnMut(Record) -> Result<(), IndexError>,
    ) -> Result<(), IndexError> {
        let searcher = self.searcher();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let record =
                    self.record_at(&searcher, DocAddress::new(ord as u32, doc), with_text)?;
                f(record)?;
            }
        }
        Ok(())
    }
}

/// A query as the index reads it.
struct Reading<'a> {
    parsed: query::Parsed,
    expanded: Vec<Expansion>,
    node: Node,
    compiler: Compiler<'a>,
}

/// The stored fields a hit needs (names as in [`Record`]).
#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
struct HitMeta {
    symbol: String,
    lang: String,
    title: String,
    doc_type: String,
    session: Option<String>,
    committee: Option<String>,
    agenda_items: Vec<String>,
    sponsors: Vec<String>,
    date: Option<NaiveDate>,
    adoption_date: Option<NaiveDate>,
    #[serde(skip)]
    text: String,
}

/// The `hit` column's bytes of a record: the fields of [`HitMeta`] in postcard, which a hit
/// decodes five times faster than JSON (a quarter of a rare word's query was JSON).
pub(crate) fn hit_bytes(r: &Record) -> Vec<u8> {
    let hit = HitMeta {
        symbol: r.symbol.clone(),
        lang: r.lang.clone(),
        title: r.title.clone(),
        doc_type: r.doc_type.as_str().to_string(),
        session: r.session.clone(),
        committee: r.committee.map(|c| c.as_str().to_string()),
        agenda_items: r.agenda_items.clone(),
        sponsors: r.sponsors.clone(),
        date: r.date,
        adoption_date: r.adoption_date,
        text: String::new(),
    };
    postcard::to_allocvec(&hit).expect("hits serialize")
}

/// Field languages to search: those named by `lang` filters, else all.
fn langs_of(filters: &[(String, String)]) -> Vec<&'static str> {
    let wanted: Vec<&'static str> = filters
        .iter()
        .filter(|(k, _)| k == "lang")
        .map(|(_, v)| field_lang(&v.trim().to_lowercase()))
        .collect();
    if wanted.is_empty() {
        LANGS.to_vec()
    } else {
        wanted
    }
}

/// The first `max` characters of a text, cut at a word boundary.
fn lead(text: &str, max: usize) -> String {
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if i >= max {
            break;
        }
        end = i + c.len_utf8();
    }
    let cut = &text[..end];
    match cut.rfind(char::is_whitespace) {
        Some(i) if end < text.len() && i > max / 2 => cut[..i].to_string(),
        _ => cut.to_string(),
    }
}

/// Tantivy's Debug form of a query made readable: field numbers named, terms shown as
/// `title_en:"unifil"`, one clause per line indented by nesting.
fn readable_query(debug: &str, store: &IndexStore) -> String {
    let schema = store.index().schema();
    let mut flat = debug.to_string();
    for (field, entry) in schema.fields() {
        flat = flat.replace(
            &format!("field={}", field.field_id()),
            &format!("field={}", entry.name()),
        );
        flat = flat.replace(&format!("Field({})", field.field_id()), entry.name());
    }
    for n in 0..4 {
        flat = flat.replace(&format!(", minimum_number_should_match: {n} }}"), "");
    }
    // Term(field=title_en, type=Str, "unifil") -> title_en:"unifil"
    let mut out = String::with_capacity(flat.len());
    let mut rest = flat.as_str();
    while let Some(at) = rest.find("Term(field=") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "Term(field=".len()..];
        let Some(comma) = after.find(", type=") else {
            out.push_str(&rest[at..]);
            rest = "";
            break;
        };
        let name = &after[..comma];
        let typed = &after[comma + ", type=".len()..];
        let parsed = typed.find(", ").and_then(|sep| {
            let v = sep + 2;
            let end = if typed[v..].starts_with('"') {
                typed[v + 1..].find("\")").map(|e| v + 1 + e + 1)
            } else {
                typed[v..].find(')').map(|e| v + e)
            }?;
            Some((&typed[v..end], &typed[end + 1..]))
        });
        match parsed {
            Some((value, after_term)) => {
                out.push_str(&format!("{name}:{value}"));
                rest = after_term;
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let flat = out
        .replace("TermQuery(", "(")
        .replace("BooleanQuery { subqueries: ", "Boolean ");
    // one clause per line
    let mut pretty = String::new();
    let mut depth = 0usize;
    let mut chars = flat.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '[' => {
                depth += 1;
                pretty.push('[');
                pretty.push('\n');
                pretty.push_str(&"  ".repeat(depth));
            }
            ']' => {
                depth = depth.saturating_sub(1);
                pretty.push('\n');
                pretty.push_str(&"  ".repeat(depth));
                pretty.push(']');
            }
            ',' if flat[i..].starts_with(", (Should, ")
                || flat[i..].starts_with(", (Must, ")
                || flat[i..].starts_with(", (MustNot, ") =>
            {
                pretty.push(',');
                pretty.push('\n');
                pretty.push_str(&"  ".repeat(depth));
                if chars.peek().is_some_and(|(_, c)| *c == ' ') {
                    chars.next();
                }
            }
            c => pretty.push(c),
        }
    }
    pretty
}
