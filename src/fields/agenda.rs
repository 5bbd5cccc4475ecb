//! Agenda items (GA-CONVENTIONS §5): "Agenda items 13 and 75 (a)" → `["13", "75 (a)"]`.

use std::sync::LazyLock;

use regex::Regex;

/// One item: number, then an optional sub-item letter, in parentheses or glued (`71b`).
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,3})(?:\s*\(\s*([a-z]{1,2})\s*\)|([a-z]{1,2})\b)?")
        .expect("literal regex")
});
static PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:agenda\s+)?items?\s+").expect("literal regex"));
/// Where the list of items ends: the first word that is not a number, a sub-item, a
/// separator or "and".
static LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\s*(?:,|and|&)?\s*\d{1,3}(?:\s*\(\s*[a-z]{1,2}\s*\)|[a-z]{1,2}\b)?)+")
        .expect("literal regex")
});

/// Agenda items in the printed form `107`, `19 (b)`, `99 (ee)`, from "Agenda item 107",
/// "Agenda items 13 and 75 (a)", "Item 19 (b) of the preliminary list", "99 (ee)", "71b" or
/// "13, 14 and 15". Text after the list ("of the preliminary list", a title) is ignored.
pub fn agenda_items(s: &str) -> Vec<String> {
    let s = s.replace(['\u{a0}', '\u{202f}'], " ");
    let body = match PREFIX.find(&s) {
        Some(m) => &s[m.end()..],
        None => s.as_str(),
    };
    let Some(list) = LIST.find(body) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for c in ITEM.captures_iter(list.as_str()) {
        let sub = c.get(2).or(c.get(3)).map(|m| m.as_str().to_lowercase());
        let item = match sub {
            Some(sub) => format!("{} ({sub})", &c[1]),
            None => c[1].to_string(),
        };
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agenda_item_forms() {
        let cases: &[(&str, &[&str])] = &[
            ("Agenda item 107", &["107"]),
            ("Agenda items 13 and 75 (a)", &["13", "75 (a)"]),
            ("Agenda items 139 and 151", &["139", "151"]),
            ("Item 19 (b)", &["19 (b)"]),
            ("Item 73 (a) of the preliminary list*", &["73 (a)"]),
            ("99 (ee)", &["99 (ee)"]),
            ("71b", &["71 (b)"]),
            ("Agenda items 13, 14 and 15 (c)", &["13", "14", "15 (c)"]),
            ("Agenda item 18 (d)", &["18 (d)"]),
            ("Agenda item 13 (continued)", &["13"]),
            ("Agenda item 69 (a) Promotion and protection", &["69 (a)"]),
        ];
        for (input, want) in cases {
            assert_eq!(agenda_items(input), *want, "{input}");
        }
        assert!(agenda_items("Social development").is_empty());
    }
}
