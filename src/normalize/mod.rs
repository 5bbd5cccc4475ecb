//! parse → normalize: bytes of one file (or zip member) → [`Record`]s.
//!
//! The format is detected from magic bytes first and the extension second, so a binary file
//! named `.txt` is reported, not indexed as garbage.

pub mod akn;
pub mod html;
pub mod import;
pub mod pdf;
pub mod text;

use std::path::Path;

use gadocs_index::{DocType, Record};

use crate::fields::citations;
use crate::fields::symbol::{Symbol, symbol_from_file_name};

/// One input: a name for messages (path, `zip!/member`, URL) and its bytes.
#[derive(Debug, Clone)]
pub struct Input {
    /// Where it came from.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl Input {
    /// The file-name part of the name (after the last `/` or `!/`).
    pub fn file_name(&self) -> &str {
        self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name)
    }

    /// Symbol and language letter spelled by the file name.
    pub fn file_symbol(&self) -> Option<(Symbol, Option<&'static str>)> {
        symbol_from_file_name(self.file_name())
    }
}

/// Why a file did not become a record. Each message starts with the file's name.
#[derive(Debug, thiserror::Error)]
pub enum NormalizeError {
    /// The bytes are not a format gadocs reads.
    #[error("{name}: {reason}")]
    Unsupported {
        /// File.
        name: String,
        /// What it looks like.
        reason: String,
    },
    /// The file is empty.
    #[error("{name}: empty file")]
    Empty {
        /// File.
        name: String,
    },
    /// The file is damaged.
    #[error("{name}: {reason}")]
    Malformed {
        /// File.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// Hostile content refused.
    #[error("{name}: refused: {reason}")]
    Hostile {
        /// File.
        name: String,
        /// What was refused.
        reason: String,
    },
    /// No symbol in the text or the file name.
    #[error(
        "{name}: no document symbol in the text or the file name (name the file after its symbol, e.g. A_C.3_74_L.11.txt)"
    )]
    NoSymbol {
        /// File.
        name: String,
    },
    /// A PDF without a text layer.
    #[error(
        "{name}: PDF has no text layer (an image-only scan); run OCR on it first, it was not indexed"
    )]
    NoTextLayer {
        /// File.
        name: String,
    },
    /// Larger than the configured limit.
    #[error(
        "{name}: {size_mb} MB is larger than the limit of {limit_mb} MB (limits.max_file_mb in config.toml)"
    )]
    TooLarge {
        /// File.
        name: String,
        /// Its size.
        size_mb: u64,
        /// The limit.
        limit_mb: u64,
    },
    /// The extractor crashed or timed out.
    #[error("{name}: {reason}")]
    Extractor {
        /// File.
        name: String,
        /// Panic message or timeout.
        reason: String,
    },
}

/// The formats gadocs reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Akoma Ntoso XML.
    Xml,
    /// PDF.
    Pdf,
    /// HTML.
    Html,
    /// Plain text.
    Text,
    /// A zip archive (expanded by the pipeline).
    Zip,
}

/// Detects the format from magic bytes and the extension.
pub fn detect(name: &str, bytes: &[u8]) -> Result<Format, NormalizeError> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(NormalizeError::Empty { name: name.into() });
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(Format::Zip);
    }
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_lowercase();
    if ext == "pdf" {
        return Err(NormalizeError::Malformed {
            name: name.into(),
            reason: "named .pdf but does not start with %PDF- (truncated or not a PDF)".into(),
        });
    }
    let head = &bytes[..bytes.len().min(8192)];
    let nul = head.iter().filter(|b| **b == 0).count();
    // a multi-byte character cut by the 8 KB window is not an error (error_len() is None)
    let text = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    if nul > 0 || !text {
        return Err(NormalizeError::Unsupported {
            name: name.into(),
            reason: "binary content (not XML, PDF, HTML or UTF-8 text)".into(),
        });
    }
    let start = String::from_utf8_lossy(head)
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_lowercase();
    if start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || ext == "html"
        || ext == "htm"
    {
        return Ok(Format::Html);
    }
    if start.starts_with('<') || ext == "xml" {
        return Ok(Format::Xml);
    }
    Ok(Format::Text)
}

/// Normalizes one input into a record.
pub fn normalize(input: &Input, pdf: &pdf::PdfExtractor) -> Result<Record, NormalizeError> {
    let format = detect(&input.name, &input.bytes)?;
    match format {
        Format::Pdf => {
            let text = pdf.extract(&input.name, &input.bytes)?;
            text::normalize_text(input, &text, true)
        }
        Format::Xml => akn::normalize(input, &utf8(input)?),
        Format::Html => html::normalize(input, &utf8(input)?),
        Format::Text => text::normalize_text(input, &utf8(input)?, false),
        Format::Zip => Err(NormalizeError::Unsupported {
            name: input.name.clone(),
            reason: "a zip archive inside a zip archive is not opened".into(),
        }),
    }
}

fn utf8(input: &Input) -> Result<String, NormalizeError> {
    let bytes = input
        .bytes
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&input.bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| NormalizeError::Malformed {
        name: input.name.clone(),
        reason: format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
    })
}

/// Language from a folder name in the path (`English/`, `French/` …): the last resort.
pub fn lang_from_path(name: &str) -> Option<&'static str> {
    const FOLDERS: &[(&str, &str)] = &[
        ("English", "en"),
        ("French", "fr"),
        ("Spanish", "es"),
        ("Russian", "ru"),
        ("Arabic", "ar"),
        ("Chinese", "zh"),
        ("German", "de"),
    ];
    let parts: Vec<&str> = name.split(['/', '\\', '!', '_']).collect();
    for part in parts.iter().rev() {
        let part = part.trim_end_matches(".zip");
        if let Some((_, l)) = FOLDERS.iter().find(|(f, _)| f.eq_ignore_ascii_case(part)) {
            return Some(l);
        }
    }
    None
}

/// Fills what every record needs from its symbol: family, session, committee and type
/// hints where the text gave none.
pub fn finish_record(mut r: Record, symbol: Option<&Symbol>) -> Record {
    let parsed = symbol.cloned().or_else(|| r.symbol.parse::<Symbol>().ok());
    if let Some(s) = &parsed {
        r.symbol = s.to_string();
        r.family = s.family();
        if r.session.is_none() {
            r.session = s.session();
        }
        if r.committee.is_none() {
            r.committee = s.committee();
        }
        if r.doc_type == DocType::Other
            && let Some(t) = s.doc_type_hint()
        {
            r.doc_type = t;
        }
    }
    if r.family.is_empty() {
        r.family = r.symbol.clone();
    }
    if r.lang.is_empty() {
        r.lang = "en".into();
    }
    r.aliases.retain(|a| *a != r.symbol);
    r
}

/// Citations of a plain text (used by text, PDF, HTML and import).
pub fn fill_citations(r: &mut Record) {
    if r.cites.is_empty() {
        r.cites = citations::ga_resolution_citations(&r.text);
    }
    if r.cited_documents.is_empty() {
        r.cited_documents = citations::cited_documents(&r.text);
        r.cited_documents.retain(|d| *d != r.symbol);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_magic_before_extension() {
        assert_eq!(detect("a.txt", b"%PDF-1.7\n").unwrap(), Format::Pdf);
        assert!(matches!(
            detect("a.txt", b"\x00\x01\x02binary").unwrap_err(),
            NormalizeError::Unsupported { .. }
        ));
        assert!(matches!(
            detect("a.txt", b"").unwrap_err(),
            NormalizeError::Empty { .. }
        ));
        assert!(matches!(
            detect("a.pdf", b"garbage").unwrap_err(),
            NormalizeError::Malformed { .. }
        ));
        assert_eq!(
            detect("a.xml", b"\xef\xbb\xbf<akomaNtoso>").unwrap(),
            Format::Xml
        );
        assert_eq!(detect("a", b"<!DOCTYPE html><html>").unwrap(), Format::Html);
        assert_eq!(
            detect("a.txt", "United Nations\nA/74/1".as_bytes()).unwrap(),
            Format::Text
        );
    }

    #[test]
    fn folder_language_is_a_last_resort() {
        assert_eq!(
            lang_from_path("74session/x.zip!/French/74_1_F.xml"),
            Some("fr")
        );
        assert_eq!(
            lang_from_path("75session/English.zip!/75_1_E.xml"),
            Some("en")
        );
        assert_eq!(lang_from_path("docs/a.xml"), None);
    }
}
