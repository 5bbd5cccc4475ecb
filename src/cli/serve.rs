//! `gadocs serve` (web page, JSON API, Atom feeds) and `gadocs feed` (the same Atom feed on
//! stdout).

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use chrono::NaiveDate;
use clap::Args;
use gadocs_index::IndexStore;

use crate::cli::Outcome;
use crate::config::Settings;
use crate::serve::{self, ServeOptions};

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; loopback unless another address is given here.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Origin used in feed links (e.g. https://docs.example.org) when behind a proxy;
    /// default: the request's Host header.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Searches run at once; more wait (then 503). Default: 4 per core.
    #[arg(long)]
    pub max_concurrent: Option<usize>,
}

/// Arguments of `feed`.
#[derive(Debug, Args)]
pub struct FeedArgs {
    /// Query (same syntax as `search`); leave out for every document the filters select.
    pub query: Vec<String>,
    /// Session: 74, ES-11, S-32.
    #[arg(long)]
    pub session: Option<String>,
    /// Committee: plenary, first … sixth (or 1–6).
    #[arg(long)]
    pub committee: Option<String>,
    /// Agenda item: 107, "71 (b)", or session-scoped 74/107.
    #[arg(long)]
    pub agenda: Option<String>,
    /// Sponsoring State.
    #[arg(long)]
    pub sponsor: Option<String>,
    /// Sponsoring or additional sponsoring State.
    #[arg(long)]
    pub cosponsor: Option<String>,
    /// Document type.
    #[arg(long = "type")]
    pub doc_type: Option<String>,
    /// Year of the effective date.
    #[arg(long)]
    pub year: Option<String>,
    /// Language: en, fr, es, ru, ar, zh.
    #[arg(long)]
    pub lang: Option<String>,
    /// From this date (YYYY-MM-DD, inclusive).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// To this date (YYYY-MM-DD, inclusive).
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Number of entries (at most 100).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Origin of the links in the feed (where `gadocs serve` answers).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub base_url: String,
}

impl FeedArgs {
    /// The query-string pairs `/feed` would receive for the same feed.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        let query = self.query.join(" ");
        if !query.trim().is_empty() {
            pairs.push(("q".to_string(), query));
        }
        let filters = [
            ("session", &self.session),
            ("committee", &self.committee),
            ("agenda", &self.agenda),
            ("sponsor", &self.sponsor),
            ("cosponsor", &self.cosponsor),
            ("type", &self.doc_type),
            ("year", &self.year),
            ("lang", &self.lang),
        ];
        for (name, value) in filters {
            if let Some(v) = value {
                pairs.push((name.to_string(), v.clone()));
            }
        }
        for (name, date) in [("from", self.from), ("to", self.to)] {
            if let Some(d) = date {
                pairs.push((name.to_string(), d.to_string()));
            }
        }
        pairs.push(("limit".to_string(), self.limit.to_string()));
        pairs
    }
}

/// `gadocs serve`.
pub fn run_serve(settings: &Settings, args: ServeArgs) -> anyhow::Result<Outcome> {
    let store = IndexStore::open(&settings.index_dir())?;
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let options = ServeOptions {
        bind: args.bind,
        base_url: args.base_url,
        max_concurrent: args.max_concurrent.unwrap_or(4 * cores).max(1),
        reload_every: Duration::from_secs(1),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve::serve(store, options))?;
    Ok(Outcome::Ok)
}

/// `gadocs feed`.
pub fn run_feed(settings: &Settings, args: FeedArgs) -> anyhow::Result<Outcome> {
    let req =
        serve::feed::feed_request(&args.pairs()).map_err(|e| anyhow::anyhow!("{}", e.message()))?;
    let store = IndexStore::open(&settings.index_dir())?;
    let base = args.base_url.trim_end_matches('/');
    let xml = serve::feed::build(&store, &req, base, chrono::Utc::now())
        .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
    let mut out = std::io::stdout().lock();
    out.write_all(xml.as_bytes())?;
    out.flush()?;
    Ok(Outcome::Ok)
}
