//! Query strings → [`SearchRequest`]: one parser for the API, the web page, the Atom feed and
//! `gadocs feed`, so the same parameters mean the same search everywhere. Decoding is lossy
//! and never fails (garbage in, a 400 or an empty search out); limits are checked here.

use chrono::NaiveDate;
use gadocs_index::schema::facet_name;
use gadocs_index::{SearchRequest, Sort};

/// Longest accepted query, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Largest page.
pub const MAX_LIMIT: usize = 100;
/// Deepest page start: Tantivy collects `offset + limit` hits, so deep paging costs.
pub const MAX_OFFSET: usize = 10_000;
/// Most filter values in one request.
pub const MAX_FILTERS: usize = 32;

/// Exact-match filters, in the order the page shows them: (parameter, facet it narrows).
pub const FILTERS: &[(&str, &str)] = &[
    ("session", "session"),
    ("committee", "committee"),
    ("agenda", "agenda"),
    ("sponsor", "sponsor"),
    ("original_sponsor", "sponsor"),
    ("additional_sponsor", "additional_sponsor"),
    ("cosponsor", "additional_sponsor"),
    ("type", "type"),
    ("year", "year"),
    ("lang", "lang"),
];

/// Every parameter a search accepts.
pub const KNOWN: &[&str] = &[
    "q",
    "session",
    "committee",
    "agenda",
    "sponsor",
    "sponsor_stage",
    "original_sponsor",
    "additional_sponsor",
    "cosponsor",
    "type",
    "year",
    "lang",
    "from",
    "to",
    "facet",
    "limit",
    "offset",
    "sort",
];

/// A parameter that cannot be used; the message names the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadParam(pub String);

/// Decodes `a=b&c=d` (`+` is a space, `%XX` a byte, invalid UTF-8 replaced).
pub fn decode_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-encodes a query-string component.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Percent-encodes a symbol for a path (`/` kept: symbols are paths).
pub fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Encodes pairs back into a query string.
pub fn encode_pairs(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// How strictly unknown parameters are treated and which page size applies by default.
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    /// Hits per page when `limit` is absent.
    pub limit: usize,
    /// Reject parameters outside [`KNOWN`] (API, feed) or ignore them (web page).
    pub strict: bool,
}

/// Builds the search a query string asks for.
pub fn search_request(
    pairs: &[(String, String)],
    defaults: Defaults,
) -> Result<SearchRequest, BadParam> {
    let mut req = SearchRequest {
        limit: defaults.limit,
        snippets: true,
        ..Default::default()
    };
    let mut query_parts: Vec<&str> = Vec::new();
    let mut stage: Option<&str> = None;
    for (name, value) in pairs {
        let value_trimmed = value.trim();
        match name.as_str() {
            "q" => query_parts.push(value_trimmed),
            "from" | "to" if value_trimmed.is_empty() => {}
            "from" => req.from = Some(date(name, value_trimmed)?),
            "to" => req.to = Some(date(name, value_trimmed)?),
            "facet" if value_trimmed.is_empty() => {}
            "facet" => {
                let f = facet_name(value_trimmed).map_err(|e| BadParam(e.to_string()))?;
                if !req.facets.iter().any(|x| x == f) {
                    req.facets.push(f.to_string());
                }
            }
            "limit" => req.limit = number(name, value_trimmed, 1, MAX_LIMIT)?,
            "offset" => req.offset = number(name, value_trimmed, 0, MAX_OFFSET)?,
            "sort" => {
                req.sort = match value_trimmed {
                    "" => None,
                    "relevance" => Some(Sort::Relevance),
                    "date" => Some(Sort::Date),
                    other => {
                        return Err(BadParam(format!("sort \"{other}\": use relevance or date")));
                    }
                }
            }
            "sponsor_stage" => {
                stage = match value_trimmed {
                    "" => None,
                    "original" => Some("original_sponsor"),
                    "additional" => Some("additional_sponsor"),
                    other => {
                        return Err(BadParam(format!(
                            "sponsor_stage \"{other}\": use original or additional"
                        )));
                    }
                }
            }
            filter if FILTERS.iter().any(|(p, _)| *p == filter) => {
                if value_trimmed.is_empty() {
                    continue;
                }
                if req.filters.len() >= MAX_FILTERS {
                    return Err(BadParam(format!(
                        "too many filters (at most {MAX_FILTERS})"
                    )));
                }
                let pair = (filter.to_string(), value_trimmed.to_string());
                if !req.filters.contains(&pair) {
                    req.filters.push(pair);
                }
            }
            unknown if defaults.strict => {
                return Err(BadParam(format!(
                    "unknown parameter \"{}\"; known parameters: {}",
                    unknown.chars().take(40).collect::<String>(),
                    KNOWN.join(", ")
                )));
            }
            _ => {}
        }
    }
    // like the CLI's --sponsor-stage: narrows `sponsor` (any stage) to one stage
    if let Some(stage) = stage {
        for (name, _) in req.filters.iter_mut().filter(|(n, _)| n == "sponsor") {
            *name = stage.to_string();
        }
    }
    req.query = query_parts.join(" ");
    let chars = req.query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(BadParam(format!(
            "query is {chars} characters long; at most {MAX_QUERY_CHARS} are accepted"
        )));
    }
    if let (Some(from), Some(to)) = (req.from, req.to)
        && from > to
    {
        return Err(BadParam(format!("from {from} is after to {to}; swap them")));
    }
    Ok(req)
}

fn date(name: &str, value: &str) -> Result<NaiveDate, BadParam> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        BadParam(format!(
            "{name} \"{}\": use a date as YYYY-MM-DD",
            value.chars().take(40).collect::<String>()
        ))
    })
}

fn number(name: &str, value: &str, min: usize, max: usize) -> Result<usize, BadParam> {
    match value.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(BadParam(format!(
            "{name} \"{}\": use a whole number from {min} to {max}",
            value.chars().take(40).collect::<String>()
        ))),
    }
}

/// The pairs that reproduce a request's query and filters (paging and facets left out).
pub fn request_pairs(req: &SearchRequest) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if !req.query.is_empty() {
        pairs.push(("q".to_string(), req.query.clone()));
    }
    pairs.extend(req.filters.iter().cloned());
    if let Some(d) = req.from {
        pairs.push(("from".to_string(), d.to_string()));
    }
    if let Some(d) = req.to {
        pairs.push(("to".to_string(), d.to_string()));
    }
    if let Some(sort) = req.sort {
        let s = if sort == Sort::Date {
            "date"
        } else {
            "relevance"
        };
        pairs.push(("sort".to_string(), s.to_string()));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const API: Defaults = Defaults {
        limit: 10,
        strict: true,
    };

    #[test]
    fn decodes_plus_percent_and_garbage() {
        assert_eq!(
            decode_pairs("q=a+b%20c&x&%zz=%e2%82%ac&t=%"),
            vec![
                ("q".to_string(), "a b c".to_string()),
                ("x".to_string(), String::new()),
                ("%zz".to_string(), "€".to_string()),
                ("t".to_string(), "%".to_string()),
            ]
        );
        assert_eq!(decode("%ff%"), "\u{fffd}%");
    }

    #[test]
    fn encode_round_trips() {
        for s in ["A/RES/74/247", "a b&c=d", "Côte d'Ivoire", "%+"] {
            assert_eq!(decode(&encode(s)), s);
        }
        assert_eq!(encode_path("A/RES/75/251 B"), "A/RES/75/251%20B");
    }

    #[test]
    fn builds_requests_and_names_the_fix() {
        let req = search_request(
            &decode_pairs("q=ict&session=74&facet=session&facet=type&limit=5&sort=date&lang="),
            API,
        )
        .unwrap();
        assert_eq!(req.query, "ict");
        assert_eq!(req.filters, vec![("session".into(), "74".into())]);
        assert_eq!(req.facets, ["session", "type"]);
        assert_eq!((req.limit, req.sort), (5, Some(Sort::Date)));
        let bad = |qs: &str| search_request(&decode_pairs(qs), API).unwrap_err().0;
        assert!(bad("limit=101").contains("from 1 to 100"));
        assert!(bad("offset=-1").contains("offset"));
        assert!(bad("facet=comittee").contains("known facets"));
        assert!(bad("sort=random").contains("relevance or date"));
        assert!(bad("from=2019-13-01").contains("YYYY-MM-DD"));
        assert!(bad("from=2020-01-01&to=2019-01-01").contains("swap"));
        assert!(bad("colour=red").contains("known parameters"));
        assert!(bad(&format!("q={}", "x".repeat(1001))).contains("1000"));
        let lenient = Defaults {
            limit: 20,
            strict: false,
        };
        assert!(search_request(&decode_pairs("utm=1"), lenient).is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn any_query_string_is_handled(raw in ".{0,200}") {
            let pairs = decode_pairs(&raw);
            let _ = search_request(&pairs, API);
        }
    }
}
