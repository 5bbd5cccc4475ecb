//! Language codes as the sources spell them (GA-CONVENTIONS §1.8).

/// One language and its spellings.
#[derive(Debug, Clone, Copy)]
pub struct Language {
    /// ISO 639-1 code (`en`).
    pub code: &'static str,
    /// UNxml folder / zip name (`English`).
    pub folder: &'static str,
    /// UNxml file-name / ODS letter (`E`).
    pub letter: char,
}

/// The six official languages, plus German (UNxml has a few files).
pub const LANGUAGES: &[Language] = &[
    Language {
        code: "ar",
        folder: "Arabic",
        letter: 'A',
    },
    Language {
        code: "zh",
        folder: "Chinese",
        letter: 'C',
    },
    Language {
        code: "en",
        folder: "English",
        letter: 'E',
    },
    Language {
        code: "fr",
        folder: "French",
        letter: 'F',
    },
    Language {
        code: "ru",
        folder: "Russian",
        letter: 'R',
    },
    Language {
        code: "es",
        folder: "Spanish",
        letter: 'S',
    },
    Language {
        code: "de",
        folder: "German",
        letter: 'G',
    },
];

/// Code of a folder or language name (`English`, `english` → `en`).
pub fn from_name(name: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|l| l.folder.eq_ignore_ascii_case(name) || l.code.eq_ignore_ascii_case(name))
        .map(|l| l.code)
}

/// Code of a file-name language letter.
pub fn from_letter(letter: char) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|l| l.letter == letter.to_ascii_uppercase())
        .map(|l| l.code)
}

/// Language of a UNxml XML file name: the letter before `.xml` after `_`, `-` or a job number
/// (`75_274_F.xml`, `A_RES_76_10-2117757E.xml`, `…-NE_reissue.xml`).
pub fn from_file_name(name: &str) -> Option<&'static str> {
    let stem = name
        .strip_suffix(".xml")
        .or_else(|| name.strip_suffix(".XML"))?;
    let lower = stem.to_ascii_lowercase();
    let stem = ["_reissue", "-reissue", " reissue", "reissue"]
        .iter()
        .find_map(|s| lower.ends_with(s).then(|| &stem[..stem.len() - s.len()]))
        .unwrap_or(stem);
    let mut chars = stem.chars().rev();
    let letter = chars.next()?;
    let before = chars.next()?;
    if !(before == '_' || before == '-' || before.is_ascii_digit()) {
        return None;
    }
    if before.is_ascii_digit() {
        // a job number is 7 digits; a bare session/number like `74_247` has no letter
        let digits = stem[..stem.len() - 1]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .count();
        if digits < 5 {
            return None;
        }
    }
    from_letter(letter).filter(|_| letter.is_ascii_uppercase())
}

/// Language of an ODS/UNDL link: `l=EN` query or `-EN.pdf` suffix, or a 856 `$y` name.
pub fn from_any(s: &str) -> Option<&'static str> {
    let s = s.trim();
    if s.len() == 1 {
        return s.chars().next().and_then(from_letter);
    }
    let word = s.split_whitespace().next().unwrap_or(s);
    from_name(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_letters() {
        assert_eq!(from_file_name("75_274_F.xml"), Some("fr"));
        assert_eq!(from_file_name("A_RES_76_10-2117757E.xml"), Some("en"));
        assert_eq!(from_file_name("A_RES_ES-11_4_2223239E.xml"), Some("en"));
        assert_eq!(from_file_name("A_RES_ES-11_6-E.xml"), Some("en"));
        assert_eq!(from_file_name("74_247.xml"), None);
        assert_eq!(from_file_name("A_RES_75_242 B-2108986E.xml"), Some("en"));
        assert_eq!(from_any("English (image only)"), Some("en"));
        assert_eq!(from_any("FR"), Some("fr"));
        assert_eq!(from_any("F"), Some("fr"));
    }
}
