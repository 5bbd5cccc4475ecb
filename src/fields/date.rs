//! Dates ("11 October 2019", "2019-12-18 00:00:00") and session words
//! ("Seventy-fourth session" → `74`), GA-CONVENTIONS §3.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})$").expect("literal regex")
});
static MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$").expect("literal regex")
});
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
        .expect("literal regex")
});

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let i = MONTHS
        .iter()
        .position(|m| *m == w || (m.starts_with(&w) && w.len() <= 4))?;
    u32::try_from(i + 1).ok()
}

/// Parses a date as GA documents and data write it: "11 October 2019", "15\u{a0}December 2025",
/// "2019-12-18 00:00:00", "2019-12-27", "October 11, 2019". `None` when it is not a valid date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s
        .replace(['\u{a0}', '\u{202f}', '\u{2007}'], " ")
        .trim()
        .trim_end_matches(['.', ','])
        .to_string();
    let ymd =
        |y: &str, m: u32, d: &str| NaiveDate::from_ymd_opt(y.parse().ok()?, m, d.parse().ok()?);
    if let Some(c) = ISO.captures(&s) {
        return ymd(&c[1], c[2].parse().ok()?, &c[3]);
    }
    if let Some(c) = DMY.captures(&s) {
        return ymd(&c[3], month_number(&c[2])?, &c[1]);
    }
    if let Some(c) = MDY.captures(&s) {
        return ymd(&c[3], month_number(&c[1])?, &c[2]);
    }
    None
}

const UNITS: [(&str, &str, u32); 19] = [
    ("first", "one", 1),
    ("second", "two", 2),
    ("third", "three", 3),
    ("fourth", "four", 4),
    ("fifth", "five", 5),
    ("sixth", "six", 6),
    ("seventh", "seven", 7),
    ("eighth", "eight", 8),
    ("ninth", "nine", 9),
    ("tenth", "ten", 10),
    ("eleventh", "eleven", 11),
    ("twelfth", "twelve", 12),
    ("thirteenth", "thirteen", 13),
    ("fourteenth", "fourteen", 14),
    ("fifteenth", "fifteen", 15),
    ("sixteenth", "sixteen", 16),
    ("seventeenth", "seventeen", 17),
    ("eighteenth", "eighteen", 18),
    ("nineteenth", "nineteen", 19),
];
const TENS: [(&str, &str, u32); 8] = [
    ("twentieth", "twenty", 20),
    ("thirtieth", "thirty", 30),
    ("fortieth", "forty", 40),
    ("fiftieth", "fifty", 50),
    ("sixtieth", "sixty", 60),
    ("seventieth", "seventy", 70),
    ("eightieth", "eighty", 80),
    ("ninetieth", "ninety", 90),
];

/// The number an English ordinal word stands for ("seventy-fourth" → 74, "eleventh" → 11).
pub fn ordinal_value(word: &str) -> Option<u32> {
    let w = word
        .to_lowercase()
        .replace(['\u{2011}', '\u{2010}', '\u{2013}', ' '], "-");
    if let Some((tens, unit)) = w.split_once('-') {
        let t = TENS.iter().find(|(_, card, _)| *card == tens)?.2;
        let u = UNITS.iter().take(9).find(|(ord, _, _)| *ord == unit)?.2;
        return Some(t + u);
    }
    UNITS
        .iter()
        .chain(TENS.iter())
        .find(|(ord, _, _)| *ord == w)
        .map(|(_, _, n)| *n)
}

static SESSION_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z]+(?:[-\u{2010}\u{2011}\u{2013}][a-z]+)?)\s+(emergency\s+special\s+|special\s+)?session\b")
        .expect("literal regex")
});

/// The session a heading names: "Seventy-fourth session" → `74`, "Eightieth session" → `80`,
/// "Thirty-second special session" → `S-32`, "Eleventh emergency special session" → `ES-11`
/// (hyphen may be U+2011). `None` when no ordinal session phrase is found.
pub fn session_from_words(s: &str) -> Option<String> {
    for c in SESSION_WORDS.captures_iter(s) {
        let words = &c[1];
        // "the seventy-fourth" style: the ordinal may be the last of two words.
        let n = ordinal_value(words).or_else(|| words.rsplit([' ']).next().and_then(ordinal_value));
        let Some(n) = n else { continue };
        let kind = c.get(2).map(|k| k.as_str().to_lowercase());
        return Some(match kind.as_deref().map(str::trim) {
            Some(k) if k.starts_with("emergency") => format!("ES-{n}"),
            Some(_) => format!("S-{n}"),
            None => n.to_string(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn parses_date_forms() {
        assert_eq!(parse_date("11 October 2019"), d(2019, 10, 11));
        assert_eq!(parse_date("15\u{a0}December 2025"), d(2025, 12, 15));
        assert_eq!(parse_date("2019-12-18 00:00:00"), d(2019, 12, 18));
        assert_eq!(parse_date("2019-12-27"), d(2019, 12, 27));
        assert_eq!(parse_date(" 20 January 2020 "), d(2020, 1, 20));
        assert_eq!(parse_date("2 March 2022."), d(2022, 3, 2));
        assert_eq!(parse_date("October 11, 2019"), d(2019, 10, 11));
        assert_eq!(parse_date("31 February 2020"), None);
        assert_eq!(parse_date("Seventy-fourth session"), None);
    }

    #[test]
    fn session_words() {
        let cases = [
            ("Seventy-fourth session", "74"),
            ("Seventy\u{2011}fourth session", "74"),
            ("Eightieth session", "80"),
            ("Seventieth session", "70"),
            ("Fifty-second session", "52"),
            ("Twenty-sixth session", "26"),
            ("Thirty-second special session", "S-32"),
            ("Eleventh emergency special session", "ES-11"),
            ("Tenth emergency special session", "ES-10"),
            ("General Assembly Seventy-ninth session", "79"),
        ];
        for (input, want) in cases {
            assert_eq!(session_from_words(input).as_deref(), Some(want), "{input}");
        }
        assert_eq!(session_from_words("2025 substantive session"), None);
        assert_eq!(session_from_words("Agenda item 107"), None);
    }
}
