//! UN Digital Library OAI-PMH: `ListRecords` (marcxml) with resumptionToken paging and an
//! incremental `from` (the first responseDate of the last complete harvest). The resumption
//! point is saved after every page, so a killed harvest continues where it stopped.

use url::Url;

use crate::error::CrawlError;
use crate::frontier::{Ctx, Item};
use crate::marc::{self, MarcRecord};
use crate::raw_store::{MarcLine, SourceKind};
use crate::report::CrawlEvent;

const OAI_NS: &str = "http://www.openarchives.org/OAI/2.0/";

/// One parsed ListRecords page.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub response_date: Option<String>,
    pub error: Option<(String, String)>,
    pub records: Vec<MarcLine>,
    /// Non-empty token: more pages follow.
    pub token: Option<String>,
}

/// Runs the harvest; returns the records harvested this run.
pub(crate) async fn run(ctx: &Ctx) -> Result<Vec<MarcRecord>, CrawlError> {
    let state = {
        let _guard = ctx.state_lock.lock().await;
        ctx.blocking(|s| s.state()).await?
    };
    let base = oai_url(&ctx.config.sources.digital_library);
    let prefix = ctx.config.crawler.oai_metadata_prefix.clone();
    // Resume an interrupted harvest, else start a new window.
    let (mut from, mut first_date, mut token) = match &state.oai_resumption_token {
        Some(t) if ctx.options.since.is_none() => (
            state.oai_in_progress_from.clone(),
            state.oai_in_progress_response_date.clone(),
            Some(t.clone()),
        ),
        _ => (
            ctx.options
                .since
                .clone()
                .or_else(|| incremental_from(ctx, state.oai_last_response_date.as_deref())),
            None,
            None,
        ),
    };
    let mut harvested = Vec::new();
    let mut page_no = 0u64;
    let mut retried_day_granularity = false;
    loop {
        let mut url = base.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("verb", "ListRecords");
            match &token {
                Some(t) => {
                    q.append_pair("resumptionToken", t);
                }
                None => {
                    q.append_pair("metadataPrefix", &prefix);
                    if let Some(f) = &from {
                        q.append_pair("from", f);
                    }
                }
            }
        }
        page_no += 1;
        ctx.plan(SourceKind::DigitalLibrary, 1);
        let mut item = Item::new(SourceKind::DigitalLibrary, url);
        item.key = Some(format!("ListRecords page {page_no}"));
        let outcome = ctx.fetch(item).await?;
        let Some(body) = outcome.body else {
            tracing::warn!(status = ?outcome.entry.status, "OAI-PMH page unavailable: harvest stops, resumes next run");
            break;
        };
        let page = tokio::task::spawn_blocking(move || parse_page(&body))
            .await
            .map_err(|e| CrawlError::Task(e.to_string()))?;
        let page = match page {
            Ok(page) => page,
            Err(err) => {
                tracing::warn!(error = %err, "OAI-PMH page is not valid XML: harvest stops, resumes next run");
                ctx.with_report(|r| r.counts(SourceKind::DigitalLibrary).failed += 1);
                break;
            }
        };
        ctx.with_report(|r| r.oai_pages += 1);
        if first_date.is_none() {
            first_date = page.response_date.clone();
        }
        if let Some((code, msg)) = &page.error {
            match code.as_str() {
                "noRecordsMatch" => {}
                "badResumptionToken" if token.is_some() => {
                    tracing::warn!(message = %msg, "resumption token refused: restarting the window");
                    token = None;
                    first_date = None;
                    continue;
                }
                "badArgument"
                    if !retried_day_granularity
                        && from.as_deref().is_some_and(|f| f.len() > 10) =>
                {
                    // The repository may only accept day granularity.
                    retried_day_granularity = true;
                    from = from.map(|f| f[..10].to_owned());
                    first_date = None;
                    continue;
                }
                _ => {
                    tracing::warn!(code = %code, message = %msg, "OAI-PMH error: harvest stops");
                    ctx.with_report(|r| {
                        let c = r.counts(SourceKind::DigitalLibrary);
                        c.failed += 1;
                        *c.reasons.entry(format!("oai {code}")).or_default() += 1;
                    });
                    break;
                }
            }
        }
        let records = page.records;
        ctx.with_report(|r| {
            r.marc_records += records.iter().filter(|l| !l.deleted).count() as u64;
            r.marc_deleted += records.iter().filter(|l| l.deleted).count() as u64;
        });
        harvested.extend(records.iter().filter_map(|l| l.record.clone()));
        let next = page.token.clone();
        let saved = next.clone();
        let (f, d) = (from.clone(), first_date.clone());
        let _guard = ctx.state_lock.lock().await;
        ctx.blocking(move |s| {
            for line in &records {
                s.append_marc(line)?;
            }
            let mut state = s.state()?;
            match &saved {
                Some(t) => {
                    state.oai_resumption_token = Some(t.clone());
                    state.oai_in_progress_from = f;
                    state.oai_in_progress_response_date = d;
                }
                None => {
                    state.oai_resumption_token = None;
                    state.oai_in_progress_from = None;
                    state.oai_in_progress_response_date = None;
                    if d.is_some() {
                        state.oai_last_response_date = d;
                    }
                }
            }
            s.save_state(&state)
        })
        .await?;
        match next {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    ctx.emit(CrawlEvent::SourceFinished {
        source: SourceKind::DigitalLibrary,
    });
    Ok(harvested)
}

fn oai_url(base: &Url) -> Url {
    let s = format!("{}/oai2d", base.as_str().trim_end_matches('/'));
    Url::parse(&s).expect("base URL plus /oai2d parses")
}

/// `from` for an incremental harvest: last responseDate minus the configured overlap.
fn incremental_from(ctx: &Ctx, last: Option<&str>) -> Option<String> {
    let last = last?;
    let overlap = ctx.config.crawler.oai_overlap_secs;
    if overlap == 0 {
        return Some(last.to_owned());
    }
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(last) else {
        return Some(last.to_owned());
    };
    let t = t.with_timezone(&chrono::Utc) - chrono::Duration::seconds(overlap as i64);
    Some(t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Parses a ListRecords response.
pub(crate) fn parse_page(body: &[u8]) -> Result<Page, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    if !root.has_tag_name((OAI_NS, "OAI-PMH")) {
        return Err("not an OAI-PMH response".into());
    }
    let mut page = Page::default();
    for child in root.children().filter(|n| n.is_element()) {
        match child.tag_name().name() {
            "responseDate" => page.response_date = child.text().map(|t| t.trim().to_owned()),
            "error" => {
                page.error = Some((
                    child.attribute("code").unwrap_or_default().to_owned(),
                    child.text().unwrap_or_default().trim().to_owned(),
                ))
            }
            "ListRecords" => {
                for node in child.children().filter(|n| n.is_element()) {
                    match node.tag_name().name() {
                        "record" => page.records.extend(parse_oai_record(node)),
                        "resumptionToken" => {
                            page.token = node
                                .text()
                                .map(str::trim)
                                .filter(|t| !t.is_empty())
                                .map(str::to_owned)
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(page)
}

fn parse_oai_record(node: roxmltree::Node<'_, '_>) -> Option<MarcLine> {
    let header = node
        .children()
        .find(|n| n.has_tag_name((OAI_NS, "header")))?;
    let text_of = |name: &str| {
        header
            .children()
            .find(|n| n.has_tag_name((OAI_NS, name)))
            .and_then(|n| n.text())
            .map(|t| t.trim().to_owned())
    };
    let id = text_of("identifier")?;
    let datestamp = text_of("datestamp").unwrap_or_default();
    if header.attribute("status") == Some("deleted") {
        return Some(MarcLine {
            id,
            datestamp,
            deleted: true,
            record: None,
        });
    }
    let metadata = node
        .children()
        .find(|n| n.has_tag_name((OAI_NS, "metadata")))?;
    let marc = metadata
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "record")?;
    let record = marc::parse_record(marc, &id, Some(&datestamp));
    if record.symbol.is_empty() {
        tracing::debug!(id = %id, "MARC record without a symbol (191)");
    }
    Some(MarcLine {
        id,
        datestamp,
        deleted: false,
        record: Some(record),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pages_tokens_errors() {
        let page = br#"<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2026-11-28T19:28:38Z</responseDate><request>x</request><ListRecords>
<record><header><identifier>oai:x:1</identifier><datestamp>2025-01-06T00:00:00Z</datestamp></header>
<metadata><record xmlns="http://www.loc.gov/MARC21/slim"><datafield tag="191" ind1=" " ind2=" "><subfield code="a">A/RES/70/10</subfield></datafield></record></metadata></record>
<record><header status="deleted"><identifier>oai:x:2</identifier><datestamp>2025-01-07T00:00:00Z</datestamp></header></record>
<resumptionToken cursor="0">abc.def</resumptionToken></ListRecords></OAI-PMH>"#;
        let p = parse_page(page).unwrap();
        assert_eq!(p.response_date.as_deref(), Some("2026-11-28T19:28:38Z"));
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.records[0].record.as_ref().unwrap().symbol, "A/RES/70/10");
        assert!(p.records[1].deleted);
        assert_eq!(p.token.as_deref(), Some("abc.def"));
        let last = br#"<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><resumptionToken completeListSize="3"/></ListRecords></OAI-PMH>"#;
        assert!(parse_page(last).unwrap().token.is_none());
        let err = br#"<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="noRecordsMatch">none</error></OAI-PMH>"#;
        assert_eq!(parse_page(err).unwrap().error.unwrap().0, "noRecordsMatch");
        assert!(parse_page(b"<html>").is_err());
        assert!(parse_page(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>").is_err());
    }
}
