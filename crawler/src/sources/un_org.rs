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
static HEAD_CELL: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("th, td").expect("selector is a literal"));
static RES_SYMBOL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"A/RES/[A-Z0-9-]+/\d+(?: ?[A-Z](?:-[A-Z])?)?").expect("literal regex")
});
static ITEM_HEADING: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^(?i:agenda\s+)?(?i:item)s?\s+(\d+(?:\s*\([a-z]{1,2}\))?)")
        .expect("literal regex")
});

/// One draft of a committee's "status of draft proposals" table (`proposalstatus.shtml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedDraft {
    /// Draft symbol (`A/C.3/74/L.11`).
    pub symbol: String,
    /// Agenda item (its column, else the "Item 107: …" heading row above).
    pub agenda_item: String,
    /// Title.
    pub title: String,
    /// Sponsors as the page prints them (all, or the main sponsor only).
    pub sponsors: String,
    /// Date cell text.
    pub date: String,
    /// Action cell text ("Adopted as A/RES/74/247 (79-60-33), 27 December 2019").
    pub action: String,
    /// The resolution the action names, if any.
    pub adopted_as: Option<String>,
}

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

/// What the un.org pages list.
#[derive(Debug, Clone, Default)]
pub struct Listed {
    /// Rows of the sessions' resolutions tables.
    pub resolutions: Vec<ListedResolution>,
    /// Rows of the committees' draft status tables.
    pub drafts: Vec<ListedDraft>,
}

/// Runs the un.org source; returns what its pages list.
pub(crate) async fn run(ctx: &Ctx) -> Result<Listed, CrawlError> {
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
    let mut listed = Listed::default();
    for page in pages {
        let mut item = Item::new(SourceKind::UnOrg, page.clone());
        item.key = Some(page.path().trim_start_matches("/en/ga/").to_owned());
        let outcome = ctx.fetch(item).await?;
        let Some(body) = outcome.body else {
            continue;
        };
        let html = String::from_utf8_lossy(&body).into_owned();
        if page.path().ends_with("resolutions.shtml") {
            let rows = tokio::task::spawn_blocking(move || parse_resolutions(&html))
                .await
                .map_err(|e| CrawlError::Task(e.to_string()))?;
            listed.resolutions.extend(rows);
        } else if page.path().ends_with("proposalstatus.shtml") {
            let rows = tokio::task::spawn_blocking(move || parse_proposal_status(&html))
                .await
                .map_err(|e| CrawlError::Task(e.to_string()))?;
            listed.drafts.extend(rows);
        }
    }
    ctx.with_report(|r| {
        r.un_org_listed = listed.resolutions.len() as u64;
        r.un_org_drafts = listed.drafts.len() as u64;
    });
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
        let cells: Vec<String> = row.select(&CELL).map(cell_text).collect();
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

/// A cell's text with its whitespace collapsed.
fn cell_text(c: scraper::ElementRef<'_>) -> String {
    c.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rows of a committee's `proposalstatus.shtml`. Columns are found by their headings
/// (symbol, agenda item, title, sponsor(s), date, action), since the real pages and the
/// mirror order them differently; rows that only name an agenda item ("Item 25 (b): …") set
/// the item of the rows below them.
pub fn parse_proposal_status(html: &str) -> Vec<ListedDraft> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    let mut columns: Vec<String> = Vec::new();
    let mut heading_item = String::new();
    for row in doc.select(&ROW) {
        let is_head = row.select(&HEAD_CELL).all(|c| c.value().name() == "th");
        let cells: Vec<String> = row.select(&HEAD_CELL).map(cell_text).collect();
        if is_head && !cells.is_empty() {
            columns = cells.iter().map(|c| c.to_lowercase()).collect();
            continue;
        }
        let first = cells.first().cloned().unwrap_or_default();
        if let Some(c) = ITEM_HEADING.captures(&first)
            && (cells.len() == 1 || !first.contains("/L."))
        {
            heading_item = c[1].to_string();
            continue;
        }
        if !first.contains("/L.") {
            continue;
        }
        let column = |words: &[&str]| -> String {
            columns
                .iter()
                .position(|h| words.iter().any(|w| h.contains(w)))
                .and_then(|i| cells.get(i).cloned())
                .unwrap_or_default()
        };
        let action = column(&["action", "status"]);
        let item = column(&["agenda", "item"]);
        out.push(ListedDraft {
            symbol: first,
            agenda_item: if item.is_empty() {
                heading_item.clone()
            } else {
                item
            },
            title: column(&["title"]),
            sponsors: column(&["sponsor"]),
            date: column(&["date"]),
            adopted_as: RES_SYMBOL.find(&action).map(|m| m.as_str().to_string()),
            action,
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
        let status = r#"<table><thead><tr><th>Document symbol</th><th>Agenda item</th><th>Title</th><th>Sponsors</th><th>Date</th><th>Action</th></tr></thead><tbody>
<tr><td><a href="x">A/C.3/74/L.11</a></td><td>107</td><td>Countering the use of ICT</td><td>Belarus, China</td><td>11 October 2019</td><td>Adopted as <a href="y">A/RES/74/247</a> (79-60-33), 27 December 2019</td></tr>
</tbody></table>"#;
        let drafts = parse_proposal_status(status);
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].symbol, "A/C.3/74/L.11");
        assert_eq!(drafts[0].agenda_item, "107");
        assert_eq!(drafts[0].sponsors, "Belarus, China");
        assert_eq!(drafts[0].adopted_as.as_deref(), Some("A/RES/74/247"));
        // the real pages: Symbol | Title | Main Sponsor | PBI | Action, grouped under items
        let real = r#"<table><tr><th>Symbol</th><th>Title</th><th>Main Sponsor</th><th>PBI</th><th>Action</th></tr>
<tr><td colspan="5">Item 25 (b): Social development</td></tr>
<tr><td>A/C.3/77/L.5</td><td>Cooperatives</td><td>Mongolia</td><td>No</td><td>Adopted 54th mtg 17 Nov</td></tr></table>"#;
        let drafts = parse_proposal_status(real);
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].agenda_item, "25 (b)");
        assert_eq!(drafts[0].sponsors, "Mongolia");
        assert_eq!(drafts[0].adopted_as, None);
        assert_eq!(drafts[0].action, "Adopted 54th mtg 17 Nov");
        let base = Url::parse("http://h:1/en/ga/").unwrap();
        let links = page_links(html, &base);
        assert_eq!(
            links,
            [Url::parse("http://h:1/en/ga/80/resolutions.shtml").unwrap()]
        );
    }
}
