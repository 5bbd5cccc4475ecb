//! MARCXML records of the UN Digital Library (fields 191, 245, 269, 515, 710, 991, 993, 996, 856).

use serde::{Deserialize, Serialize};

const MARC_NS: &str = "http://www.loc.gov/MARC21/slim";

/// The fields of a UN Digital Library record that gadocs uses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MarcRecord {
    /// OAI identifier (`oai:digitallibrary.un.org:<001>`).
    pub id: String,
    /// Control number (001).
    pub control_number: Option<String>,
    /// OAI datestamp.
    pub datestamp: Option<String>,
    /// Document symbol (191 $a).
    pub symbol: String,
    /// Session (191 $c).
    pub session: Option<String>,
    /// Title (245 $a, with $b appended).
    pub title: String,
    /// Sponsor line as printed (245 $c).
    pub printed_sponsors: Option<String>,
    /// Date (269 $a), as given (`YYYYMMDD` or `YYYY-MM-DD`).
    pub date: Option<String>,
    /// Sponsoring States (710 $a with $9 ms).
    pub sponsors: Vec<String>,
    /// Additional sponsors (515 $a, `Additional sponsors: …` prefix removed).
    pub additional_sponsors: Option<String>,
    /// Agenda items (991).
    pub agenda: Vec<AgendaItem>,
    /// Related documents (993).
    pub related: Vec<RelatedDoc>,
    /// Vote (996).
    pub vote: Option<Vote>,
    /// File links (856).
    pub files: Vec<FileLink>,
    /// Subjects (650 $a).
    pub subjects: Vec<String>,
    /// Document type (989 $a).
    pub doc_type: Option<String>,
}

/// One agenda item (991).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// Agenda document symbol (first word of $a, e.g. `A/74/251`).
    pub agenda_doc: Option<String>,
    /// Item number (`107`, `72 (b)`).
    pub item: Option<String>,
    /// Item title ($d, else $c).
    pub title: Option<String>,
}

/// Kind of a related document (993 $2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// A draft of this document.
    Draft,
    /// The committee report.
    Report,
    /// The meeting record (PV).
    Meeting,
    /// The resolution this draft/report became.
    Resolution,
    /// Anything else.
    Other,
}

/// A related document (993).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedDoc {
    /// Symbol.
    pub symbol: String,
    /// Relation.
    pub kind: RelationKind,
}

/// A vote (996).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum Vote {
    /// Adopted without a vote.
    WithoutVote,
    /// Recorded vote with totals.
    Recorded {
        /// In favour.
        yes: u32,
        /// Against.
        no: u32,
        /// Abstentions.
        abstain: u32,
    },
    /// A vote note we could not read.
    Other {
        /// The note.
        note: String,
    },
}

/// A file link (856).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLink {
    /// URL ($u).
    pub url: String,
    /// ISO 639-1 language, if recognised from $y or the URL.
    pub lang: Option<String>,
    /// Label ($y).
    pub label: Option<String>,
}

/// Parses the MARC `record` element (namespace `MARC21/slim`) of an OAI record.
pub fn parse_record(
    node: roxmltree::Node<'_, '_>,
    id: &str,
    datestamp: Option<&str>,
) -> MarcRecord {
    let mut rec = MarcRecord {
        id: id.to_owned(),
        datestamp: datestamp.map(str::to_owned),
        ..Default::default()
    };
    for field in node.children().filter(|n| n.is_element()) {
        let tag = field.attribute("tag").unwrap_or_default();
        if field.tag_name().name() == "controlfield" {
            if tag == "001" {
                rec.control_number = field.text().map(|t| t.trim().to_owned());
            }
            continue;
        }
        if field.tag_name().name() != "datafield" {
            continue;
        }
        let subs: Vec<(char, String)> = field
            .children()
            .filter(|n| n.has_tag_name((MARC_NS, "subfield")) || n.has_tag_name("subfield"))
            .filter_map(|n| {
                let code = n.attribute("code")?.chars().next()?;
                Some((code, n.text().unwrap_or_default().trim().to_owned()))
            })
            .collect();
        let get = |c: char| subs.iter().find(|(k, _)| *k == c).map(|(_, v)| v.clone());
        match tag {
            "191" if rec.symbol.is_empty() => {
                rec.symbol = get('a').unwrap_or_default();
                rec.session = get('c');
            }
            "245" => {
                let a = get('a').unwrap_or_default();
                rec.title = match get('b') {
                    Some(b) => format!("{} {}", a.trim_end_matches([' ', ':']), b)
                        .trim_end_matches([' ', '/'])
                        .to_owned(),
                    None => a.trim_end_matches([' ', '/']).to_owned(),
                };
                rec.printed_sponsors = get('c');
            }
            "269" => rec.date = get('a'),
            "515" => {
                if let Some(a) = get('a') {
                    let stripped = a
                        .strip_prefix("Additional sponsors:")
                        .unwrap_or(&a)
                        .trim()
                        .to_owned();
                    rec.additional_sponsors = Some(stripped);
                }
            }
            "650" => rec.subjects.extend(get('a')),
            "710" => {
                if get('9').as_deref() == Some("ms")
                    && let Some(a) = get('a')
                {
                    rec.sponsors.push(a);
                }
            }
            "856" => {
                if let Some(url) = get('u') {
                    let label = get('y');
                    let lang = label
                        .as_deref()
                        .and_then(crate::lang::from_any)
                        .or_else(|| lang_of_url(&url))
                        .map(str::to_owned);
                    rec.files.push(FileLink { url, lang, label });
                }
            }
            "989" => rec.doc_type = get('a'),
            "991" => rec.agenda.push(AgendaItem {
                agenda_doc: get('a').and_then(|a| a.split_whitespace().next().map(str::to_owned)),
                item: get('b'),
                title: get('d').or_else(|| get('c')),
            }),
            "993" => {
                if let Some(symbol) = get('a') {
                    let kind = match get('2').as_deref() {
                        Some("draft") => RelationKind::Draft,
                        Some("report") => RelationKind::Report,
                        Some("meeting") => RelationKind::Meeting,
                        Some("resolution") => RelationKind::Resolution,
                        _ => RelationKind::Other,
                    };
                    rec.related.push(RelatedDoc { symbol, kind });
                }
            }
            "996" => {
                rec.vote = Some(parse_vote(
                    &get('a').unwrap_or_default(),
                    &get('b'),
                    &get('c'),
                    &get('d'),
                ))
            }
            _ => {}
        }
    }
    rec
}

fn parse_vote(note: &str, b: &Option<String>, c: &Option<String>, d: &Option<String>) -> Vote {
    let num = |s: &Option<String>| s.as_deref().and_then(|v| v.trim().parse::<u32>().ok());
    if let (Some(yes), Some(no), Some(abstain)) = (num(b), num(c), num(d)) {
        return Vote::Recorded { yes, no, abstain };
    }
    let lower = note.to_ascii_lowercase();
    if lower.contains("without vote") || lower.contains("without a vote") {
        return Vote::WithoutVote;
    }
    // "Adopted 122-55-1, 77th plenary meeting" / "Recorded - 79-60-33"
    for word in note.split([' ', ',']) {
        let parts: Vec<&str> = word.split('-').collect();
        if parts.len() == 3
            && let (Ok(yes), Ok(no), Ok(abstain)) =
                (parts[0].parse(), parts[1].parse(), parts[2].parse())
        {
            return Vote::Recorded { yes, no, abstain };
        }
    }
    Vote::Other {
        note: note.to_owned(),
    }
}

/// Language of an ODS/UNDL URL (`l=en` query or `-EN.pdf` suffix).
pub fn lang_of_url(url: &str) -> Option<&'static str> {
    let parsed = url::Url::parse(url).ok()?;
    if let Some((_, l)) = parsed.query_pairs().find(|(k, _)| k == "l") {
        return crate::lang::from_any(&l);
    }
    let name = parsed.path_segments()?.next_back()?.to_owned();
    let stem = name.strip_suffix(".pdf")?;
    crate::lang::from_any(stem.rsplit('-').next()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REC: &str = r#"<record xmlns="http://www.loc.gov/MARC21/slim"><controlfield tag="001">4757656</controlfield>
<datafield tag="191" ind1=" " ind2=" "><subfield code="a">A/RES/74/5</subfield><subfield code="c">74</subfield></datafield>
<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Proclamation</subfield></datafield>
<datafield tag="269" ind1=" " ind2=" "><subfield code="a">20191015</subfield></datafield>
<datafield tag="515" ind1=" " ind2=" "><subfield code="a">Additional sponsors: Armenia, Benin</subfield></datafield>
<datafield tag="710" ind1="2" ind2=" "><subfield code="a">Argentina</subfield><subfield code="9">ms</subfield></datafield>
<datafield tag="710" ind1="2" ind2=" "><subfield code="a">Some Body</subfield></datafield>
<datafield tag="991" ind1=" " ind2=" "><subfield code="a">A/74/251 14 Integrated</subfield><subfield code="b">14</subfield><subfield code="d">Integrated</subfield></datafield>
<datafield tag="993" ind1=" " ind2=" "><subfield code="a">A/74/L.1</subfield><subfield code="2">draft</subfield></datafield>
<datafield tag="993" ind1=" " ind2=" "><subfield code="a">A/74/PV.15</subfield><subfield code="2">meeting</subfield></datafield>
<datafield tag="996" ind1=" " ind2=" "><subfield code="a">Recorded - 142-34-10</subfield><subfield code="b">142</subfield><subfield code="c">34</subfield><subfield code="d">10</subfield></datafield>
<datafield tag="856" ind1="4" ind2=" "><subfield code="u">http://h/api/symbol/access?s=A%2FRES%2F74%2F5&amp;l=fr&amp;t=pdf</subfield></datafield>
<datafield tag="856" ind1="4" ind2=" "><subfield code="u">http://h/doc/A_RES_74_5-scan-EN.pdf</subfield><subfield code="y">English (image only)</subfield></datafield>
</record>"#;

    #[test]
    fn parses_fields() {
        let doc = roxmltree::Document::parse(REC).unwrap();
        let rec = parse_record(doc.root_element(), "oai:x:1", None);
        assert_eq!(rec.symbol, "A/RES/74/5");
        assert_eq!(rec.control_number.as_deref(), Some("4757656"));
        assert_eq!(rec.sponsors, ["Argentina"]);
        assert_eq!(rec.additional_sponsors.as_deref(), Some("Armenia, Benin"));
        assert_eq!(rec.agenda[0].agenda_doc.as_deref(), Some("A/74/251"));
        assert_eq!(rec.agenda[0].item.as_deref(), Some("14"));
        assert_eq!(rec.related[1].kind, RelationKind::Meeting);
        assert_eq!(
            rec.vote,
            Some(Vote::Recorded {
                yes: 142,
                no: 34,
                abstain: 10
            })
        );
        assert_eq!(rec.files[0].lang.as_deref(), Some("fr"));
        assert_eq!(rec.files[1].lang.as_deref(), Some("en"));
        assert_eq!(
            parse_vote("Adopted without vote", &None, &None, &None),
            Vote::WithoutVote
        );
        assert_eq!(
            parse_vote(
                "Adopted 122-55-1, 77th plenary meeting",
                &None,
                &None,
                &None
            ),
            Vote::Recorded {
                yes: 122,
                no: 55,
                abstain: 1
            }
        );
    }
}
