//! `gadocs search`: one query from the arguments, or many (`--batch`) from stdin.

use std::io::{BufRead, Write};

use chrono::NaiveDate;
use clap::Args;
use gadocs_index::{IndexStore, SearchRequest, SearchResult, Sort};

use crate::cli::Outcome;
use crate::cli::output::{self, clean, pad, thousands, truncate};
use crate::config::Settings;
use crate::shorthand;

/// The filters `search` and `feed` share; each also works as `field:value` in a query.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Session: 74, ES-11, S-32.
    #[arg(long)]
    pub session: Option<String>,
    /// Committee: plenary, first … sixth (or 1–6).
    #[arg(long)]
    pub committee: Option<String>,
    /// Agenda item: 107, "71 (b)", or session-scoped 74/107.
    #[arg(long)]
    pub agenda: Option<String>,
    /// State that sponsored, at any stage (printed on the draft or joined later); official
    /// name or common short form: Russia, United States, Türkiye.
    #[arg(long)]
    pub sponsor: Option<String>,
    /// With --sponsor: only States printed on the draft (original) or only those that
    /// joined later (additional).
    #[arg(long, value_enum, requires = "sponsor")]
    pub sponsor_stage: Option<SponsorStage>,
    /// Same as --sponsor (its former name, kept for scripts).
    #[arg(long)]
    pub cosponsor: Option<String>,
    /// Document type: resolution, "draft resolution", report, letter, note, "meeting record", speech …
    #[arg(long = "type")]
    pub doc_type: Option<String>,
    /// Year of the effective date (adoption, else issue).
    #[arg(long)]
    pub year: Option<String>,
    /// Language: en, fr, es, ru, ar, zh.
    #[arg(long)]
    pub lang: Option<String>,
    /// From this date (YYYY-MM-DD, inclusive; adoption date where known, else issue date).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// To this date (YYYY-MM-DD, inclusive).
    #[arg(long)]
    pub to: Option<NaiveDate>,
}

/// When a State became a sponsor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SponsorStage {
    /// Printed on the draft.
    Original,
    /// Joined after the draft was issued (Add. documents, the workflow, MARC 515).
    Additional,
}

impl FilterArgs {
    /// The filters given, as (field, value) pairs named as in the query syntax (dates apart).
    pub fn pairs(&self) -> Vec<(String, String)> {
        let named = [
            ("session", &self.session),
            ("committee", &self.committee),
            ("agenda", &self.agenda),
            (
                match self.sponsor_stage {
                    None => "sponsor",
                    Some(SponsorStage::Original) => "original_sponsor",
                    Some(SponsorStage::Additional) => "additional_sponsor",
                },
                &self.sponsor,
            ),
            ("cosponsor", &self.cosponsor),
            ("type", &self.doc_type),
            ("year", &self.year),
            ("lang", &self.lang),
        ];
        named
            .into_iter()
            .filter_map(|(name, value)| value.as_ref().map(|v| (name.to_string(), v.clone())))
            .collect()
    }
}

/// Arguments of `search`.
#[derive(Debug, Args, Clone)]
pub struct SearchArgs {
    /// Query: words, "phrases", AND/OR/NOT, -word, prefix*, field:value
    /// (symbol: sponsor: original_sponsor: additional_sponsor: title: body: session: committee: agenda: type: lang: year: cites:
    /// vote:"Russian Federation"=no).
    /// Leave out to list everything the filters select.
    pub query: Vec<String>,
    /// Filters.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// A State's vote (repeatable): "United States=no", "Russian Federation=yes",
    /// Japan=abstain (yes, no, abstain, non_voting).
    #[arg(long = "vote")]
    pub votes: Vec<String>,
    /// Count values of a facet (repeatable): session, committee, agenda, sponsor,
    /// additional_sponsor, type, year, lang.
    #[arg(long = "facet")]
    pub facets: Vec<String>,
    /// Number of hits.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Order: relevance or date (newest first).
    #[arg(long, value_parser = ["relevance", "date"])]
    pub sort: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Read queries from stdin, one per line (filters as field:value), and print one JSON
    /// result per line.
    #[arg(long)]
    pub batch: bool,
    /// One line per document: its versions in several languages grouped by symbol, with
    /// the languages the index holds it in (--limit and --offset count documents).
    #[arg(long, conflicts_with = "batch")]
    pub group: bool,
    /// Skip snippet generation (faster when only symbols and counts are wanted).
    #[arg(long)]
    pub no_snippets: bool,
    /// Search only what was typed: acronyms (UNRWA) and short names (Syria) are not also
    /// searched as their official spelling.
    #[arg(long)]
    pub no_expand: bool,
    /// Print how the query is read (parsed tree, expansions, per-field Tantivy query)
    /// before the results.
    #[arg(long)]
    pub explain: bool,
}

impl SearchArgs {
    fn request(&self, query: &str) -> SearchRequest {
        let mut filters = self.filter.pairs();
        for v in &self.votes {
            filters.push(("vote".to_string(), v.clone()));
        }
        SearchRequest {
            query: query.to_string(),
            filters,
            from: self.filter.from,
            to: self.filter.to,
            facets: self.facets.clone(),
            limit: self.limit,
            offset: self.offset,
            sort: self.sort.as_deref().map(|s| {
                if s == "date" {
                    Sort::Date
                } else {
                    Sort::Relevance
                }
            }),
            snippets: !self.no_snippets,
            no_expand: self.no_expand,
        }
    }
}

/// Runs a search the way the CLI does: a query that names a symbol is looked up first.
pub fn search(store: &IndexStore, req: &SearchRequest) -> anyhow::Result<SearchResult> {
    if let Some(symbol) = shorthand::symbol_query(&req.query) {
        let mut by_symbol = req.clone();
        by_symbol.query = format!("symbol:\"{symbol}\"");
        let found = store.search(&by_symbol, &shorthand::normalize_symbol)?;
        if found.total > 0 {
            return Ok(found);
        }
    }
    Ok(store.search(req, &shorthand::normalize_symbol)?)
}

/// `gadocs search`.
pub fn run(settings: &Settings, args: SearchArgs) -> anyhow::Result<Outcome> {
    let store = IndexStore::open(&settings.index_dir())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.batch {
        let mut any = false;
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            let result = search(&store, &args.request(line.trim()));
            let json = match result {
                Ok(r) => {
                    any |= r.total > 0;
                    serde_json::to_string(&r)?
                }
                Err(e) => serde_json::json!({"error": format!("{e:#}"), "query": line}).to_string(),
            };
            writeln!(out, "{json}")?;
        }
        return Ok(if any { Outcome::Ok } else { Outcome::Partial });
    }
    let query = args.query.join(" ");
    if args.explain {
        let req = args.request(&query);
        if let Some(symbol) = shorthand::symbol_query(&query) {
            writeln!(
                out,
                "symbol:   {symbol} (looked up first; the text search below runs if it is not found)"
            )?;
        }
        write!(
            out,
            "{}",
            store.explain(&req, &shorthand::normalize_symbol)?
        )?;
        writeln!(out)?;
    }
    if args.group {
        let g = crate::grouping::grouped(&store, &args.request(&query))?;
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&g)?)?;
        } else {
            print_groups(&mut out, &g, &args)?;
        }
        return Ok(if g.total > 0 {
            Outcome::Ok
        } else {
            Outcome::Partial
        });
    }
    let result = search(&store, &args.request(&query))?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&result)?)?;
    } else {
        print_text(&mut out, &result, &args)?;
    }
    Ok(if result.total > 0 {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}

fn print_text(out: &mut impl Write, r: &SearchResult, args: &SearchArgs) -> anyhow::Result<()> {
    for w in &r.warnings {
        eprintln!("note: {w}");
    }
    let color = output::color();
    let sym_w = r
        .hits
        .iter()
        .map(|h| output::width(&h.symbol))
        .max()
        .unwrap_or(6)
        .max(6);
    for hit in &r.hits {
        let lang = if hit.lang == "en" {
            String::new()
        } else {
            format!(" [{}]", hit.lang)
        };
        print_hit(out, hit, sym_w, color, &lang)?;
    }
    let shown_to = args.offset + r.hits.len();
    writeln!(
        out,
        "{} match{}{}",
        thousands(r.total),
        if r.total == 1 { "" } else { "es" },
        if r.total as usize > shown_to {
            format!(
                " (showing {}–{}; --offset {} for more)",
                args.offset + 1,
                shown_to,
                shown_to
            )
        } else {
            String::new()
        }
    )?;
    for (name, values) in &r.facets {
        let mut values: Vec<(&String, &u64)> = values.iter().collect();
        values.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        writeln!(out, "\n{name}:")?;
        crate::cli::stats::print_bars(out, &values, 15)?;
    }
    Ok(())
}

fn print_groups(
    out: &mut impl Write,
    g: &crate::grouping::Grouped,
    args: &SearchArgs,
) -> anyhow::Result<()> {
    for w in &g.warnings {
        eprintln!("note: {w}");
    }
    let color = output::color();
    let sym_w = g
        .groups
        .iter()
        .map(|x| output::width(&x.symbol))
        .max()
        .unwrap_or(6)
        .max(6);
    for group in &g.groups {
        let Some(best) = group.hits.first() else {
            continue;
        };
        let matched: Vec<&str> = group.hits.iter().map(|h| h.lang.as_str()).collect();
        let langs: Vec<String> = group
            .languages
            .iter()
            .map(|l| {
                if matched.contains(&l.as_str()) {
                    l.clone()
                } else {
                    format!("({l})")
                }
            })
            .collect();
        print_hit(out, best, sym_w, color, &format!("  [{}]", langs.join(" ")))?;
    }
    writeln!(
        out,
        "{} matching texts; documents {}–{} shown (languages in brackets; in parentheses: held but not matching)",
        thousands(g.total),
        args.offset + 1,
        args.offset + g.groups.len()
    )?;
    Ok(())
}

/// One hit: symbol (bold on a terminal), date, title and `tail`; then its snippet with the
/// query's words marked.
fn print_hit(
    out: &mut impl Write,
    hit: &gadocs_index::Hit,
    sym_w: usize,
    color: bool,
    tail: &str,
) -> std::io::Result<()> {
    let date = hit
        .date
        .map(|d| d.to_string())
        .unwrap_or_else(|| " ".repeat(10));
    let symbol = pad(&hit.symbol, sym_w);
    let symbol = if color {
        format!("\x1b[1m{symbol}\x1b[0m")
    } else {
        symbol
    };
    let title = truncate(&clean(&hit.title), 100);
    writeln!(out, "{symbol}  {date}  {title}{tail}")?;
    if !hit.snippet.is_empty() {
        writeln!(
            out,
            "{}  {}",
            " ".repeat(sym_w),
            render_snippet(&hit.snippet, &hit.highlights, color)
        )?;
    }
    Ok(())
}

fn render_snippet(s: &str, ranges: &[[usize; 2]], color: bool) -> String {
    let mut out = String::new();
    let mut at = 0;
    for [a, b] in ranges {
        if *a < at || *b > s.len() || !s.is_char_boundary(*a) || !s.is_char_boundary(*b) {
            continue;
        }
        out.push_str(&clean(&s[at..*a]));
        if color {
            out.push_str("\x1b[1;33m");
            out.push_str(&clean(&s[*a..*b]));
            out.push_str("\x1b[0m");
        } else {
            out.push('[');
            out.push_str(&clean(&s[*a..*b]));
            out.push(']');
        }
        at = *b;
    }
    out.push_str(&clean(&s[at..]));
    out.replace('\n', " ")
}
