//! www.un.org General Assembly pages: the index, each session's `resolutions.shtml` and the
//! committees' `proposalstatus.shtml`, parsed with `scraper` into a discovery list used to
//! cross-check the other sources.

use std::sync::LazyLock;

use scraper::{Html, Selector};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::CrawlError;
use crate::frontier::{Ctx, Item};
use crate::raw_store::SourceKind;
use crate::report::CrawlEvent;

static LINK: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a[href]").expect("selector is a literal"));
static ROW: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("table tr").expect("selector is a literal"));
static CELL: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("td").expect("selector is a literal"));

/// One row of a session's resolutions table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedResolution {
    /// Resolution symbol (first cell).
    pub symbol: String,
    /// Title.
    pub title: String,
    /// Meeting record symbol and date cell text.
    pub meeting: String,
    /// Draft/report symbols cell text.
    pub drafts: String,
    /// Vote (`79-60-33`, `without vote`).
    pub vote: String,
}

/// Runs the un.org source; returns the resolutions listed.
pub(crate) async fn run(ctx: &Ctx) -> Result<Vec<ListedResolution>, CrawlError> {
    let base = &ctx.config.sources.un_org;
    let index_url = base.join("/en/ga/").expect("literal path joins");
    ctx.plan(SourceKind::UnOrg, 1);
    let mut item = Item::new(SourceKind::UnOrg, index_url.clone());
    item.key = Some("index".into());
    let outcome = ctx.fetch(item).await?;
    let mut pages: Vec<Url> = match outcome.body {
        Some(body) => {
            let index = index_url.clone();
            tokio::task::spawn_blocking(move || page_links(&String::from_utf8_lossy(&body), &index))
                .await
                .map_err(|e| CrawlError::Task(e.to_string()))?
        }
        None => Vec::new(),
    };
    if pages.is_empty() {
        for s in &ctx.config.crawler.un_org_sessions {
            pages.extend(base.join(&format!("/en/ga/{s}/resolutions.shtml")).ok());
        }
    }
    let sessions = &ctx.options.sessions;
    if !sessions.is_empty() {
        pages.retain(|u| {
            sessions
                .iter()
                .any(|s| u.path().contains(&format!("/{s}/")))
        });
    }
    ctx.plan(SourceKind::UnOrg, pages.len() as u64);
    let mut listed = Vec::new();
    for page in pages {
        let mut item = Item::new(SourceKind::UnOrg, page.clone());
        item.key = Some(page.path().trim_start_matches("/en/ga/").to_owned());
        let outcome = ctx.fetch(item).await?;
        if let Some(body) = outcome.body
            && page.path().ends_with("resolutions.shtml")
        {
            let rows = tokio::task::spawn_blocking(move || {
                parse_resolutions(&String::from_utf8_lossy(&body))
            })
            .await
            .map_err(|e| CrawlError::Task(e.to_string()))?;
            listed.extend(rows);
        }
    }
    ctx.with_report(|r| r.un_org_listed = listed.len() as u64);
    ctx.emit(CrawlEvent::SourceFinished {
        source: SourceKind::UnOrg,
    });
    Ok(listed)
}

/// Links of the index page to session and committee tables on the same host.
pub(crate) fn page_links(html: &str, base: &Url) -> Vec<Url> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    for a in doc.select(&LINK) {
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        let Ok(url) = base.join(href) else { continue };
        let wanted = url.path().ends_with("/resolutions.shtml")
            || url.path().ends_with("/proposalstatus.shtml");
        if wanted && url.origin() == base.origin() && !out.contains(&url) {
            out.push(url);
        }
    }
    out
}

/// Rows of a `resolutions.shtml` table (header rows and rows without a symbol skipped).
pub fn parse_resolutions(html: &str) -> Vec<ListedResolution> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    for row in doc.select(&ROW) {
        let cells: Vec<String> = row
            .select(&CELL)
            .map(|c| {
                c.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        if cells.len() < 2 || !cells[0].contains("/RES/") {
            continue;
        }
        let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
        out.push(ListedResolution {
            symbol: cell(0),
            title: cell(1),
            meeting: cell(2),
            drafts: cell(3),
            vote: cells.last().cloned().unwrap_or_default(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_parse_and_tables_read() {
        let html = r#"<table><thead><tr><th>Resolution No.</th></tr></thead><tbody>
<tr><td><a href="x">A/RES/80/1</a></td><td>Participation</td><td><a href="y">A/80/PV.3</a><br>19 September 2025</td><td>A/80/L.2/Rev.1</td><td>145-5-6</td></tr>
<tr><td>broken</td></tr></tbody></table><a href="/en/ga/80/resolutions.shtml">r</a><a href="/en/ga/private/">p</a>
<a href="http://elsewhere/en/ga/1/resolutions.shtml">x</a>"#;
        let rows = parse_resolutions(html);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].symbol, "A/RES/80/1");
        assert_eq!(rows[0].meeting, "A/80/PV.3 19 September 2025");
        assert_eq!(rows[0].vote, "145-5-6");
        let base = Url::parse("http://h:1/en/ga/").unwrap();
        let links = page_links(html, &base);
        assert_eq!(
            links,
            [Url::parse("http://h:1/en/ga/80/resolutions.shtml").unwrap()]
        );
    }
}
