//! How people type symbols: `A/RES/74/247`, `a/res/74/247`, `res 74/247`, `74/247`,
//! `resolution ES-11/1` — resolved to a canonical symbol before any text search.

use std::sync::LazyLock;

use regex::Regex;

use crate::fields::symbol::Symbol;

static RES_REF: LazyLock<Regex> = LazyLock::new(|| {
    // optional "res"/"resolution"/"A/RES/", then session/number with an optional part letter
    Regex::new(r"(?i)^\s*(?:(?:a/res/)|(?:res(?:olution)?\.?\s*))?((?:ES|S)-\d{1,2}|\d{1,2})/(\d{1,3})(\s*[A-Z](?:-[A-Z])?)?\s*$")
        .expect("regex is a literal")
});

/// The canonical symbol a query names, if the whole query is a symbol or a resolution
/// reference.
pub fn symbol_query(q: &str) -> Option<String> {
    let q = q.trim();
    if q.is_empty() || q.contains('"') {
        return None;
    }
    if let Some(c) = RES_REF.captures(q) {
        let part = c
            .get(3)
            .map(|m| format!(" {}", m.as_str().trim().to_uppercase()))
            .unwrap_or_default();
        return Some(format!("A/RES/{}/{}{part}", c[1].to_uppercase(), &c[2]));
    }
    if !q.contains('/') {
        return None;
    }
    q.parse::<Symbol>().ok().map(|s| s.to_string())
}

/// Canonical form of a symbol typed in a `symbol:` query (unchanged if it does not parse).
pub fn normalize_symbol(s: &str) -> String {
    symbol_query(s).unwrap_or_else(|| s.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthand_forms() {
        assert_eq!(symbol_query("74/247").as_deref(), Some("A/RES/74/247"));
        assert_eq!(symbol_query("res 74/247").as_deref(), Some("A/RES/74/247"));
        assert_eq!(
            symbol_query("a/res/74/247").as_deref(),
            Some("A/RES/74/247")
        );
        assert_eq!(
            symbol_query("resolution ES-11/1").as_deref(),
            Some("A/RES/ES-11/1")
        );
        assert_eq!(symbol_query("75/251 B").as_deref(), Some("A/RES/75/251 B"));
        assert_eq!(
            symbol_query("A/C.3/74/L.11").as_deref(),
            Some("A/C.3/74/L.11")
        );
        assert_eq!(symbol_query("climate change"), None);
        assert_eq!(symbol_query("\"74/247\""), None);
    }
}
