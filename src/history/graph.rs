//! The citation graph: which resolution cites which, kept both ways.
//!
//! Edges join documents (a citation of `217 A (III)` is an edge to `A/RES/217 (III)`), from
//! the citing record's symbol to the cited resolution's symbol; one language's records
//! (English by default) so that a resolution and its translations count once. Walks
//! ([`cites`], [`cited_by`]) follow edges outward or inward to a depth; [`CitationGraph`]
//! holds a whole selection for `stats` (most cited) and for network tools (DOT, GraphML,
//! JSON).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use chrono::NaiveDate;
use gadocs_index::{IndexStore, Record, cited_document};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde::Serialize;

use super::chain::{self, DocRef, doc_ref, resolution_symbol};
use super::find_record;
use crate::shorthand;

/// The symbols of the resolutions a record cites, one per document, in order of mention.
pub fn cited_symbols(r: &Record) -> Vec<String> {
    let own = shorthand::normalize_symbol(&r.symbol);
    let mut out: Vec<String> = Vec::new();
    for c in &r.cites {
        let symbol = resolution_symbol(&cited_document(c));
        if symbol != own && !out.contains(&symbol) {
            out.push(symbol);
        }
    }
    out
}

/// One document reached by a walk of the graph.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// The document.
    #[serde(flatten)]
    pub doc: DocRef,
    /// Edges from the start (1: cited directly).
    pub depth: u32,
    /// The document it was reached from (the start for depth 1).
    pub via: String,
}

/// A walk from one document; field names are the `cites --json` / `cited-by --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct Walk {
    /// The start, canonical.
    pub symbol: String,
    /// The start's record (`indexed: false` when only cited, not indexed).
    pub start: DocRef,
    /// `cites` (outward) or `cited_by` (inward).
    pub direction: &'static str,
    /// How deep the walk went.
    pub depth: u32,
    /// Documents reached, breadth first (each once, at its smallest depth).
    pub steps: Vec<Step>,
}

/// The resolutions `symbol` cites, and (to `depth`) what those cite in turn.
pub fn cites(store: &IndexStore, symbol: &str, depth: u32) -> anyhow::Result<Walk> {
    walk(store, symbol, depth, "cites", |s| {
        Ok(find_record(store, s)?
            .map(|r| cited_symbols(&r))
            .unwrap_or_default())
    })
}

/// The indexed documents that cite `symbol`, and (to `depth`) what cites those.
pub fn cited_by(store: &IndexStore, symbol: &str, depth: u32) -> anyhow::Result<Walk> {
    walk(store, symbol, depth, "cited_by", |s| {
        Ok(chain::cited_by(store, s)?
            .into_iter()
            .map(|r| r.symbol)
            .collect())
    })
}

fn walk(
    store: &IndexStore,
    symbol: &str,
    depth: u32,
    direction: &'static str,
    mut next: impl FnMut(&str) -> anyhow::Result<Vec<String>>,
) -> anyhow::Result<Walk> {
    let start = shorthand::normalize_symbol(symbol);
    let start_ref = doc_ref(store, &start)?;
    let mut seen = BTreeSet::from([start.clone()]);
    let mut queue = VecDeque::from([(start.clone(), 0u32)]);
    let mut steps = Vec::new();
    while let Some((from, d)) = queue.pop_front() {
        if d >= depth {
            continue;
        }
        for to in next(&from)? {
            if seen.insert(to.clone()) {
                steps.push(Step {
                    doc: doc_ref(store, &to)?,
                    depth: d + 1,
                    via: from.clone(),
                });
                queue.push_back((to, d + 1));
            }
        }
    }
    Ok(Walk {
        symbol: start,
        start: start_ref,
        direction,
        depth,
        steps,
    })
}

/// A resolution and how many records cite it.
#[derive(Debug, Clone, Serialize)]
pub struct Cited {
    /// The resolution's symbol.
    pub symbol: String,
    /// Its title (empty when not indexed).
    pub title: String,
    /// Records (of the language counted) that cite it.
    pub cited_by: u64,
    /// In the index.
    pub indexed: bool,
}

/// The most cited resolutions, from the `cited` fast column (no record is read but the
/// winners'); field names are part of the `stats --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct MostCited {
    /// Citations (record → document) in the language counted.
    pub citations: u64,
    /// Distinct documents cited.
    pub cited_documents: u64,
    /// The most cited, most first (ties by symbol).
    pub top: Vec<Cited>,
}

/// The `top` most cited documents among the records in `lang`.
pub fn most_cited(store: &IndexStore, lang: &str, top: usize) -> anyhow::Result<MostCited> {
    let counts = store.value_counts("cited", &[("lang", lang)])?;
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let citations = ranked.iter().map(|(_, n)| n).sum();
    let cited_documents = ranked.len() as u64;
    let mut out = Vec::new();
    for (reference, cited_by) in ranked.into_iter().take(top) {
        let doc = doc_ref(store, &resolution_symbol(&reference))?;
        out.push(Cited {
            symbol: doc.symbol,
            title: doc.title,
            cited_by,
            indexed: doc.indexed,
        });
    }
    Ok(MostCited {
        citations,
        cited_documents,
        top: out,
    })
}

/// A node of the graph.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// The symbol.
    pub id: String,
    /// Title (empty when not indexed).
    pub title: String,
    /// Session.
    pub session: Option<String>,
    /// Adoption date, else issue date.
    pub date: Option<NaiveDate>,
    /// In the index (false: only cited).
    pub indexed: bool,
    /// Edges into it (within the selection).
    pub cited_by: u32,
    /// Edges out of it.
    pub cites: u32,
}

/// An edge: `source` cites `target`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edge {
    /// The citing document.
    pub source: String,
    /// The cited resolution.
    pub target: String,
}

/// The citation graph of a selection of the index; `graph --format json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct CitationGraph {
    /// Language of the citing records.
    pub lang: String,
    /// Sessions of the citing records (empty: all).
    pub sessions: Vec<String>,
    /// Citing and cited documents, by symbol.
    pub nodes: Vec<Node>,
    /// Citations, sorted.
    pub edges: Vec<Edge>,
}

impl CitationGraph {
    /// The graph of every record in `lang` whose session is one of `sessions` (all when
    /// empty), with the resolutions they cite.
    pub fn build(store: &IndexStore, sessions: &[String], lang: &str) -> anyhow::Result<Self> {
        let sessions: Vec<String> = sessions
            .iter()
            .map(|s| gadocs_index::compile::normalize_session(s))
            .collect();
        let mut known: BTreeMap<String, (String, Option<String>, Option<NaiveDate>)> =
            BTreeMap::new();
        let mut edges = BTreeSet::new();
        store.for_each_record_meta(|r| {
            if r.lang != lang {
                return Ok(());
            }
            let symbol = r.symbol.clone();
            let selected =
                sessions.is_empty() || r.session.as_ref().is_some_and(|s| sessions.contains(s));
            if selected {
                for target in cited_symbols(&r) {
                    edges.insert(Edge {
                        source: symbol.clone(),
                        target,
                    });
                }
            }
            let date = r.effective_date();
            known.insert(symbol, (r.title, r.session, date));
            Ok(())
        })?;
        let mut degree: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
        for e in &edges {
            degree.entry(&e.source).or_default().1 += 1;
            degree.entry(&e.target).or_default().0 += 1;
        }
        let nodes = degree
            .iter()
            .map(|(id, (inward, outward))| {
                let (title, session, date, indexed) = match known.get(*id) {
                    Some((t, s, d)) => (t.clone(), s.clone(), *d, true),
                    None => (String::new(), DocRef::named(id).session, None, false),
                };
                Node {
                    id: id.to_string(),
                    title,
                    session,
                    date,
                    indexed,
                    cited_by: *inward,
                    cites: *outward,
                }
            })
            .collect();
        Ok(Self {
            lang: lang.to_string(),
            sessions,
            nodes,
            edges: edges.into_iter().collect(),
        })
    }

    /// Graphviz DOT.
    pub fn to_dot(&self) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let mut out = String::from("digraph citations {\n  node [shape=box];\n");
        for n in &self.nodes {
            let label = if n.title.is_empty() {
                n.id.clone()
            } else {
                format!("{}\n{}", n.id, shorten(&n.title, 60))
            };
            out.push_str(&format!(
                "  {} [label={}{}];\n",
                quote(&n.id),
                quote(&label),
                if n.indexed { "" } else { ", style=dashed" }
            ));
        }
        for e in &self.edges {
            out.push_str(&format!(
                "  {} -> {};\n",
                quote(&e.source),
                quote(&e.target)
            ));
        }
        out.push_str("}\n");
        out
    }

    /// GraphML (directed), with title, session, date, indexed and degree attributes.
    pub fn to_graphml(&self) -> anyhow::Result<String> {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.write_event(Event::Start(BytesStart::new("graphml").with_attributes([
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
        ])))?;
        let keys = [
            ("title", "string"),
            ("session", "string"),
            ("date", "string"),
            ("indexed", "boolean"),
            ("cited_by", "int"),
            ("cites", "int"),
        ];
        for (name, ty) in keys {
            w.write_event(Event::Empty(BytesStart::new("key").with_attributes([
                ("id", name),
                ("for", "node"),
                ("attr.name", name),
                ("attr.type", ty),
            ])))?;
        }
        w.write_event(Event::Start(
            BytesStart::new("graph")
                .with_attributes([("id", "citations"), ("edgedefault", "directed")]),
        ))?;
        for n in &self.nodes {
            w.write_event(Event::Start(
                BytesStart::new("node").with_attributes([("id", n.id.as_str())]),
            ))?;
            let values = [
                ("title", n.title.clone()),
                ("session", n.session.clone().unwrap_or_default()),
                ("date", n.date.map(|d| d.to_string()).unwrap_or_default()),
                ("indexed", n.indexed.to_string()),
                ("cited_by", n.cited_by.to_string()),
                ("cites", n.cites.to_string()),
            ];
            for (key, value) in values {
                if value.is_empty() {
                    continue;
                }
                w.write_event(Event::Start(
                    BytesStart::new("data").with_attributes([("key", key)]),
                ))?;
                w.write_event(Event::Text(BytesText::new(&value)))?;
                w.write_event(Event::End(BytesEnd::new("data")))?;
            }
            w.write_event(Event::End(BytesEnd::new("node")))?;
        }
        for e in &self.edges {
            w.write_event(Event::Empty(BytesStart::new("edge").with_attributes([
                ("source", e.source.as_str()),
                ("target", e.target.as_str()),
            ])))?;
        }
        w.write_event(Event::End(BytesEnd::new("graph")))?;
        w.write_event(Event::End(BytesEnd::new("graphml")))?;
        let mut out = String::from_utf8(w.into_inner())?;
        out.push('\n');
        Ok(out)
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> CitationGraph {
        CitationGraph {
            lang: "en".into(),
            sessions: vec![],
            nodes: vec![
                Node {
                    id: "A/RES/74/247".into(),
                    title: "Countering \"ICT\" <misuse> & crime".into(),
                    session: Some("74".into()),
                    date: None,
                    indexed: true,
                    cited_by: 0,
                    cites: 1,
                },
                Node {
                    id: "A/RES/73/187".into(),
                    title: String::new(),
                    session: Some("73".into()),
                    date: None,
                    indexed: false,
                    cited_by: 1,
                    cites: 0,
                },
            ],
            edges: vec![Edge {
                source: "A/RES/74/247".into(),
                target: "A/RES/73/187".into(),
            }],
        }
    }

    #[test]
    fn cited_symbols_are_documents_once() {
        let r = Record {
            symbol: "A/RES/77/1".into(),
            cites: vec![
                "217 A (III)".into(),
                "217 (III)".into(),
                "76/84 A".into(),
                "77/1".into(),
            ],
            ..Default::default()
        };
        assert_eq!(cited_symbols(&r), ["A/RES/217 (III)", "A/RES/76/84"]);
    }

    #[test]
    fn formats_escape_and_parse_back() {
        let g = graph();
        let dot = g.to_dot();
        assert!(
            dot.contains(r#""A/RES/74/247" -> "A/RES/73/187";"#),
            "{dot}"
        );
        assert!(dot.contains(r#"Countering \"ICT\""#), "{dot}");
        let xml = g.to_graphml().unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let edges: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("edge"))
            .collect();
        assert_eq!(edges.len(), 1);
        assert_eq!(edges[0].attribute("target"), Some("A/RES/73/187"));
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("data") && n.attribute("key") == Some("title"))
            .and_then(|n| n.text());
        assert_eq!(title, Some("Countering \"ICT\" <misuse> & crime"));
    }
}
