//! Raw store → pipeline inputs: which stored bodies are documents, under which name, and
//! which of several bodies of one document (symbol, language) is read.
//!
//! Documents are the repository's resolution XML files and session zips (named by their
//! repository path, e.g. `74session/GA resolutions_74session_English.zip` or
//! `79session/English/A_RES_79_1-2423456E.xml`) and the ODS PDFs (named by the file they
//! redirected to, e.g. `A_RES_80_17-EN.pdf`), so the normalizer reads symbol and language
//! letter from the name as it does for files on disk. Where an XML file and a PDF spell the
//! same (symbol, language), the XML is read and the PDF is not; of several PDFs of one
//! (symbol, language), the one the symbol API gave is preferred over image-only scans.

use std::collections::{BTreeMap, HashSet};

use gadocs_crawler::{ManifestEntry, RawStore, SourceKind};
use gadocs_index::Record;

use crate::fields::symbol::symbol_from_file_name;
use crate::normalize::{Input, finish_record, lang_from_path};
use crate::pipeline::{Sink, Work};
use crate::update::merge::canonical;
use crate::walk::{self, Found, Limits};

/// What a stored body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// One AKN XML file.
    Xml,
    /// A zip archive of XML files (the session-74 language zips).
    Zip,
    /// A PDF from ODS.
    Pdf,
}

/// A stored body to normalize.
#[derive(Debug, Clone)]
pub struct Body {
    /// Its latest manifest line (with a body).
    pub entry: ManifestEntry,
    /// Name given to the normalizer (repository path or PDF file name).
    pub name: String,
    /// What it holds.
    pub kind: BodyKind,
}

impl Body {
    /// SHA-256 of the stored body.
    pub fn sha256(&self) -> &str {
        self.entry.sha256.as_deref().unwrap_or_default()
    }
}

/// The bodies of the raw store that are documents.
#[derive(Debug, Default)]
pub struct Plan {
    /// Bodies to read, in manifest order.
    pub bodies: Vec<Body>,
    /// PDFs left unread: another body (XML, or a better PDF) gives the same symbol and language.
    pub superseded: Vec<String>,
}

/// Decodes `%XX` escapes of a URL path segment.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Last path segment of a URL, decoded, without query or fragment.
fn last_segment(url: &str) -> Option<String> {
    let no_query = url.split(['?', '#']).next().unwrap_or(url);
    let path = no_query
        .split_once("://")
        .map_or(no_query, |(_, rest)| rest);
    let (_, path) = path.split_once('/')?;
    let seg = path.rsplit('/').next()?;
    (!seg.is_empty()).then(|| percent_decode(seg))
}

/// Repository path of a GitHub raw entry: its key, else the URL path after owner/repo/branch.
fn repo_path(entry: &ManifestEntry) -> String {
    if let Some(k) = entry.key.as_deref().filter(|k| !k.is_empty()) {
        return k.to_owned();
    }
    let no_query = entry.url.split(['?', '#']).next().unwrap_or(&entry.url);
    let path = no_query
        .split_once("://")
        .and_then(|(_, r)| r.split_once('/'))
        .map_or("", |(_, p)| p);
    let parts: Vec<&str> = path.splitn(4, '/').collect();
    percent_decode(parts.get(3).copied().unwrap_or(path))
}

/// File name of an ODS PDF: the redirect target's, else the URL's, else one spelled from the
/// symbol and language (`A_RES_80_17-EN.pdf`), which the normalizer reads like ODS names.
fn pdf_name(entry: &ManifestEntry) -> String {
    let is_pdf = |s: &String| s.to_lowercase().ends_with(".pdf");
    if let Some(n) = entry
        .final_url
        .as_deref()
        .and_then(last_segment)
        .filter(is_pdf)
    {
        return n;
    }
    if let Some(n) = last_segment(&entry.url).filter(is_pdf) {
        return n;
    }
    let symbol = entry.key.as_deref().unwrap_or("document");
    let lang = entry.lang.as_deref().unwrap_or("en").to_uppercase();
    format!(
        "{}-{lang}.pdf",
        symbol.replace(['/', ' '], "_").replace(['\\', ':'], "")
    )
}

/// The (symbol, language) key a file name spells, the language falling back to the folder.
fn name_key(file: &str, full: &str) -> Option<String> {
    let (symbol, lang) = symbol_from_file_name(file)?;
    let lang = lang.or_else(|| lang_from_path(full)).unwrap_or("en");
    Some(format!("{symbol}|{lang}"))
}

/// Chooses the bodies to read from the latest manifest lines.
pub fn plan(store: &RawStore, entries: &[ManifestEntry]) -> Plan {
    let mut out = Plan::default();
    let mut xml_keys: HashSet<String> = HashSet::new();
    let mut pdfs: BTreeMap<String, Vec<Body>> = BTreeMap::new();
    for entry in entries.iter().filter(|e| e.has_body()) {
        match entry.source {
            SourceKind::GithubRaw => {
                let name = repo_path(entry);
                let lower = name.to_lowercase();
                let kind = if lower.ends_with(".xml") {
                    BodyKind::Xml
                } else if lower.ends_with(".zip") {
                    BodyKind::Zip
                } else {
                    continue; // data_extract JSON and other repository files
                };
                if kind == BodyKind::Xml {
                    let file = name.rsplit('/').next().unwrap_or(&name);
                    xml_keys.extend(name_key(file, &name));
                } else if let Ok(bytes) = store.read(entry)
                    && let Ok(archive) = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))
                {
                    for member in archive.file_names().filter_map(Result::ok) {
                        let member: &str = &member;
                        let file = member.rsplit('/').next().unwrap_or(member);
                        xml_keys.extend(name_key(file, &format!("{name}!/{member}")));
                    }
                }
                out.bodies.push(Body {
                    entry: entry.clone(),
                    name,
                    kind,
                });
            }
            SourceKind::Ods => {
                let name = pdf_name(entry);
                let from_name = symbol_from_file_name(&name);
                let symbol = entry
                    .key
                    .as_deref()
                    .map(canonical)
                    .or_else(|| from_name.as_ref().map(|(s, _)| s.to_string()));
                let lang = entry
                    .lang
                    .clone()
                    .or_else(|| from_name.as_ref().and_then(|(_, l)| l.map(str::to_owned)))
                    .unwrap_or_else(|| "en".into());
                let key = match symbol {
                    Some(s) => format!("{s}|{lang}"),
                    None => format!("{}|{lang}", entry.url),
                };
                pdfs.entry(key).or_default().push(Body {
                    entry: entry.clone(),
                    name,
                    kind: BodyKind::Pdf,
                });
            }
            _ => {}
        }
    }
    for (key, mut group) in pdfs {
        if xml_keys.contains(&key) {
            out.superseded.extend(group.into_iter().map(|b| b.name));
            continue;
        }
        group.sort_by_key(|b| {
            (
                b.name.to_lowercase().contains("-scan"),
                !b.entry.url.contains("/api/symbol/"),
                b.name.clone(),
            )
        });
        let mut rest = group.into_iter();
        out.bodies.extend(rest.next());
        out.superseded.extend(rest.map(|b| b.name));
    }
    out
}

/// Reads one body and sends its inputs (zip members expanded with the walk's limits).
pub fn send_body(store: &RawStore, body: &Body, limits: Limits, sink: &Sink) {
    let bytes = match store.read(&body.entry) {
        Ok(b) => b,
        Err(e) => {
            sink.problem(format!(
                "{}: cannot read the stored body {}: {e}",
                body.name,
                body.sha256()
            ));
            return;
        }
    };
    if body.kind == BodyKind::Zip {
        walk::read_zip_bytes(&body.name, &bytes, limits, &mut |found| match found {
            Found::Input(input) => {
                sink.work(work_of(input));
            }
            Found::Problem(p) => sink.problem(p),
            Found::JsonLines(_) | Found::Ignored(_) => {}
        });
        return;
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        sink.problem(format!(
            "{}: {} MB is larger than the limit of {} MB (limits.max_file_mb in config.toml)",
            body.name,
            bytes.len() >> 20,
            limits.max_file_bytes >> 20
        ));
        return;
    }
    sink.work(work_of(Input {
        name: body.name.clone(),
        bytes,
    }));
}

/// An input to normalize, or, for an empty file whose name spells its symbol and language
/// (the repository has a few), a record without text: the document exists in that language
/// and the catalogue fills in its metadata.
fn work_of(input: Input) -> Work {
    if input.bytes.iter().all(|b| b.is_ascii_whitespace())
        && let Some((symbol, lang)) = input.file_symbol()
    {
        let lang = lang.or_else(|| lang_from_path(&input.name)).unwrap_or("en");
        let record = Record {
            symbol: symbol.to_string(),
            lang: lang.to_owned(),
            has_text: false,
            source: input.name.clone(),
            ..Default::default()
        };
        return Work::Record(Box::new(finish_record(record, Some(&symbol))));
    }
    Work::Input(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gadocs_crawler::FetchStatus;

    fn entry(url: &str, final_url: Option<&str>, key: Option<&str>) -> ManifestEntry {
        ManifestEntry {
            url: url.into(),
            final_url: final_url.map(Into::into),
            source: SourceKind::Ods,
            key: key.map(Into::into),
            lang: Some("en".into()),
            sha256: None,
            git_sha: None,
            status: FetchStatus::Fetched,
            http_status: 200,
            reason: None,
            etag: None,
            last_modified: None,
            fetched_at: String::new(),
            content_type: None,
            bytes: 0,
        }
    }

    #[test]
    fn names_of_stored_bodies() {
        let e = entry(
            "http://h/api/symbol/access?s=A%2FRES%2F80%2F17&l=en&t=pdf",
            Some("http://h/doc/A_RES_80_17-EN.pdf"),
            Some("A/RES/80/17"),
        );
        assert_eq!(pdf_name(&e), "A_RES_80_17-EN.pdf");
        let e = entry(
            "http://h/api/symbol/access?s=A%2FRES%2F80%2F17&l=en&t=pdf",
            None,
            Some("A/RES/80/17"),
        );
        assert_eq!(pdf_name(&e), "A_RES_80_17-EN.pdf");
        let mut e = entry(
            "http://h/UNxml/GAresolutions/main/74session/GA%20resolutions_74session_English.zip",
            None,
            None,
        );
        assert_eq!(
            repo_path(&e),
            "74session/GA resolutions_74session_English.zip"
        );
        e.key = Some("80session/English/A_RES_80_17-2519807E.xml".into());
        assert_eq!(repo_path(&e), "80session/English/A_RES_80_17-2519807E.xml");
        assert_eq!(
            name_key("74_247_F.xml", "x.zip!/French/74_247_F.xml").as_deref(),
            Some("A/RES/74/247|fr")
        );
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
    }
}
