//! JSON lines → [`Record`]s (`gadocs import`): the shape `export` prints, so export → import
//! round-trips; `symbol` (or `id`), `lang` and `text` are required, the rest is optional and
//! derived when absent. Plain, gzip, xz and zstd files are recognized by their magic bytes.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use gadocs_index::{Committee, DocType, Record};
use serde_json::Value;

use crate::fields::symbol::Symbol;
use crate::normalize::{fill_citations, finish_record};

/// Longest accepted line (a record's text included).
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// Opens a JSON-lines file, decompressing by magic bytes.
pub fn open(path: &Path) -> std::io::Result<Box<dyn BufRead + Send>> {
    let mut file = File::open(path)?;
    let mut magic = [0u8; 6];
    let n = read_up_to(&mut file, &mut magic)?;
    let magic = &magic[..n];
    let file = File::open(path)?;
    let reader: Box<dyn Read + Send> = if magic.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else if magic.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        Box::new(liblzma::read::XzDecoder::new_multi_decoder(file))
    } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(zstd::stream::read::Decoder::new(file)?)
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 20, reader)))
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        let k = r.read(&mut buf[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(n)
}

/// Parses one line into a record, or says why not.
pub fn parse_line(line: &str) -> Result<Record, String> {
    let mut v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let obj = v.as_object_mut().ok_or("not a JSON object")?;
    if !obj.contains_key("symbol")
        && let Some(id) = obj.remove("id")
    {
        obj.insert("symbol".into(), id);
    }
    let symbol = obj
        .get("symbol")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    if symbol.is_empty() {
        return Err("missing \"symbol\" (or \"id\")".into());
    }
    let lang = obj
        .get("lang")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    if lang.is_empty() {
        return Err(format!("{symbol}: missing \"lang\""));
    }
    if !obj.get("text").is_some_and(Value::is_string) {
        return Err(format!("{symbol}: missing \"text\""));
    }
    obj.insert("lang".into(), Value::String(lang));
    // null means "not known": the same as absent (e.g. a title the source could not read)
    obj.retain(|_, v| !v.is_null());
    if let Some(s) = obj.get("session").cloned() {
        let s = match s {
            Value::Number(n) => Value::String(n.to_string()),
            Value::String(s) if s.trim().is_empty() => Value::Null,
            other => other,
        };
        obj.insert("session".into(), s);
    }
    if let Some(t) = obj.get("doc_type").and_then(Value::as_str) {
        let parsed = gadocs_index::compile::parse_doc_type(t).unwrap_or(DocType::Other);
        obj.insert("doc_type".into(), Value::String(parsed.as_str().into()));
    }
    if let Some(c) = obj.get("committee").and_then(Value::as_str) {
        let parsed = Committee::from_ordinal(c)
            .map(|c| Value::String(c.as_str().into()))
            .unwrap_or(Value::Null);
        obj.insert("committee".into(), parsed);
    }
    let has_text_given = obj.contains_key("has_text");
    let country = obj
        .get("country")
        .and_then(Value::as_str)
        .map(str::to_string);
    let year = obj.get("year").and_then(Value::as_u64);
    let mut r: Record = serde_json::from_value(v).map_err(|e| format!("{symbol}: {e}"))?;
    if !has_text_given {
        r.has_text = !r.text.trim().is_empty();
    }
    let parsed_symbol = r.symbol.parse::<Symbol>().ok();
    if parsed_symbol.is_none() && r.symbol.starts_with("speech/") {
        r.doc_type = DocType::Speech;
        if r.title.is_empty() {
            r.title = match (&country, &r.session, year) {
                (Some(c), Some(s), Some(y)) => {
                    format!("General Debate statement of {c}, session {s} ({y})")
                }
                (Some(c), _, _) => format!("General Debate statement of {c}"),
                _ => "General Debate statement".into(),
            };
        }
        if r.session.is_none() {
            r.session = r.symbol.split('/').nth(1).map(str::to_string);
        }
    }
    if r.title.is_empty() {
        r.title = r
            .text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect();
    }
    fill_citations(&mut r);
    Ok(finish_record(r, parsed_symbol.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_lines_are_completed() {
        let r = parse_line(r#"{"symbol":"a/res/74/247","lang":"FR","text":"Rappelant sa résolution 65/230","session":74}"#).unwrap();
        assert_eq!(r.symbol, "A/RES/74/247");
        assert_eq!(r.lang, "fr");
        assert_eq!(r.session.as_deref(), Some("74"));
        assert_eq!(r.doc_type, DocType::Resolution);
        assert!(r.has_text);
        let s = parse_line(r#"{"id":"speech/74/USA","session":74,"year":2019,"country":"United States","lang":"en","text":"Mr. President"}"#).unwrap();
        assert_eq!(s.doc_type, DocType::Speech);
        assert_eq!(s.symbol, "speech/74/USA");
        assert!(s.title.contains("United States"));
    }

    #[test]
    fn bad_lines_say_why() {
        assert!(parse_line("{").unwrap_err().contains("not JSON"));
        assert!(
            parse_line(r#"{"lang":"en","text":"x"}"#)
                .unwrap_err()
                .contains("symbol")
        );
        assert!(
            parse_line(r#"{"symbol":"A/74/1","text":"x"}"#)
                .unwrap_err()
                .contains("lang")
        );
        assert!(
            parse_line(r#"{"symbol":"A/74/1","lang":"en"}"#)
                .unwrap_err()
                .contains("text")
        );
    }
}
