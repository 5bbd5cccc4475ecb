//! `gadocs cites`, `gadocs cited-by` and `gadocs graph`: the citation graph from the
//! command line.

use std::io::Write;

use clap::{Args, ValueEnum};
use gadocs_index::IndexStore;

use crate::cli::Outcome;
use crate::cli::output::{clean, truncate};
use crate::config::Settings;
use crate::history::graph::{self, CitationGraph, Walk};

/// Arguments of `cites` and `cited-by`.
#[derive(Debug, Args)]
pub struct WalkArgs {
    /// A resolution or any cited document: A/RES/74/247, 74/247, "1514 (XV)".
    pub symbol: String,
    /// Follow citations this many steps (1: direct citations only).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub depth: u32,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Output format of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// GraphML (Gephi, yEd, networkx, igraph).
    Graphml,
    /// `{"nodes": [...], "edges": [{"source", "target"}]}`.
    Json,
}

/// Arguments of `graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Citing documents of this session only (repeatable; default: every session).
    #[arg(long)]
    pub session: Vec<String>,
    /// Language of the citing records (each document counts once, in this language).
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

/// `gadocs cites`.
pub fn run_cites(settings: &Settings, args: WalkArgs) -> anyhow::Result<Outcome> {
    let store = IndexStore::open(&settings.index_dir())?;
    let walk = graph::cites(&store, &args.symbol, args.depth)?;
    if !walk.start.indexed {
        eprintln!(
            "{}: not in the index; what it cites is unknown (`cited-by` lists what cites it)",
            walk.symbol
        );
    }
    print_walk(&walk, args.json, "cites")
}

/// `gadocs cited-by`.
pub fn run_cited_by(settings: &Settings, args: WalkArgs) -> anyhow::Result<Outcome> {
    let store = IndexStore::open(&settings.index_dir())?;
    let walk = graph::cited_by(&store, &args.symbol, args.depth)?;
    print_walk(&walk, args.json, "is cited by")
}

fn print_walk(walk: &Walk, json: bool, verb: &str) -> anyhow::Result<Outcome> {
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(walk)?)?;
    } else {
        let title = if walk.start.title.is_empty() {
            String::new()
        } else {
            format!(" — {}", truncate(&clean(&walk.start.title), 80))
        };
        writeln!(
            out,
            "{}{title} {verb} {} document{}{}:",
            walk.symbol,
            walk.steps.len(),
            if walk.steps.len() == 1 { "" } else { "s" },
            if walk.depth > 1 {
                format!(" (to depth {})", walk.depth)
            } else {
                String::new()
            }
        )?;
        for s in &walk.steps {
            let indent = "    ".repeat(s.depth as usize);
            let mut line = format!("{indent}{}", s.doc.symbol);
            if let Some(d) = s.doc.date {
                line.push_str(&format!("  {d}"));
            }
            if !s.doc.title.is_empty() {
                line.push_str(&format!("  {}", truncate(&clean(&s.doc.title), 80)));
            }
            if !s.doc.indexed {
                line.push_str("  [not in the index]");
            }
            if s.depth > 1 {
                line.push_str(&format!("  (via {})", s.via));
            }
            writeln!(out, "{line}")?;
        }
    }
    Ok(if walk.steps.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}

/// `gadocs graph`.
pub fn run_graph(settings: &Settings, args: GraphArgs) -> anyhow::Result<Outcome> {
    let store = IndexStore::open(&settings.index_dir())?;
    let g = CitationGraph::build(&store, &args.session, &args.lang.to_lowercase())?;
    let mut out = std::io::stdout().lock();
    match args.format {
        GraphFormat::Dot => out.write_all(g.to_dot().as_bytes())?,
        GraphFormat::Graphml => out.write_all(g.to_graphml()?.as_bytes())?,
        GraphFormat::Json => writeln!(out, "{}", serde_json::to_string(&g)?)?,
    }
    eprintln!("{} documents, {} citations", g.nodes.len(), g.edges.len());
    Ok(if g.edges.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}
