//! `gadocs serve` (web page, JSON API, Atom feeds) and `gadocs feed` (the same Atom feed on
//! stdout).

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use clap::Args;
use gadocs_index::IndexStore;

use crate::cli::Outcome;
use crate::cli::search::FilterArgs;
use crate::config::Settings;
use crate::serve::{self, ServeOptions};

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; loopback unless another address is given here.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Origin used in feed links (e.g. `https://docs.example.org`) when behind a proxy;
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
    /// Filters.
    #[command(flatten)]
    pub filter: FilterArgs,
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
        pairs.extend(self.filter.pairs());
        for (name, date) in [("from", self.filter.from), ("to", self.filter.to)] {
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
        data_dir: settings.data_dir.clone(),
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
