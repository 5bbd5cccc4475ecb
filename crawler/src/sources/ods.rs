//! ODS document files from the MARC 856 links: the symbol API redirects (302) to the PDF; a
//! 404 or an empty 200 means "not published", recorded as unavailable.

use std::collections::BTreeSet;

use url::Url;

use crate::error::CrawlError;
use crate::frontier::{BodyKind, Ctx, Item};
use crate::marc::MarcRecord;
use crate::raw_store::{FetchStatus, SourceKind};
use crate::report::CrawlEvent;

/// A file link to fetch.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Link {
    url: String,
    symbol: String,
    lang: Option<String>,
}

/// Fetches the links of the records harvested this run, links of stored records never
/// fetched (an interrupted run), and links whose last attempt failed or was blocked.
pub(crate) async fn run(ctx: &Ctx, harvested: &[MarcRecord]) -> Result<(), CrawlError> {
    let stored = ctx.blocking(|s| s.marc_records()).await?;
    let languages = ctx.languages();
    let mut links = BTreeSet::new();
    let mut add = |rec: &MarcRecord, force: bool| {
        for file in &rec.files {
            if file
                .lang
                .as_deref()
                .is_some_and(|l| !languages.iter().any(|w| w == l))
            {
                continue;
            }
            let prior = ctx.latest.get(&file.url);
            let retry = prior
                .is_none_or(|p| matches!(p.status, FetchStatus::Failed | FetchStatus::Blocked));
            if force || retry {
                links.insert(Link {
                    url: file.url.clone(),
                    symbol: rec.symbol.clone(),
                    lang: file.lang.clone(),
                });
            }
        }
    };
    for rec in harvested {
        add(rec, true);
    }
    for rec in &stored {
        add(rec, false);
    }
    let ods = &ctx.config.sources.ods;
    ctx.plan(SourceKind::Ods, links.len() as u64);
    for link in links {
        let Ok(url) = Url::parse(&link.url) else {
            tracing::warn!(url = %link.url, symbol = %link.symbol, "bad 856 link skipped");
            continue;
        };
        // Only links to the configured document host are followed; other hosts (an old
        // daccess-ods link, the Digital Library's own files) are not ours to crawl.
        if url.host_str() != ods.host_str()
            || url.port_or_known_default() != ods.port_or_known_default()
        {
            tracing::debug!(url = %url, "856 link to another host skipped");
            continue;
        }
        let mut item = Item::new(SourceKind::Ods, url);
        item.key = Some(link.symbol);
        item.lang = link.lang;
        item.kind = BodyKind::Pdf;
        ctx.fetch(item).await?;
    }
    ctx.emit(CrawlEvent::SourceFinished {
        source: SourceKind::Ods,
    });
    Ok(())
}
