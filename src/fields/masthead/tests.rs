use super::*;

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

#[test]
fn draft_a_c3_74_l11_ground_truth() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/drafts/A_C.3_74_L.11.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot read corpus file: {e}", path.display()));
    let m = parse_masthead(&text);
    assert_eq!(
        m.symbol.map(|s| s.to_string()).as_deref(),
        Some("A/C.3/74/L.11")
    );
    assert_eq!(m.doc_type, Some(DocType::DraftResolution));
    assert_eq!(m.session.as_deref(), Some("74"));
    assert_eq!(m.committee, Some(Committee::Third));
    assert_eq!(m.agenda_items, ["107"]);
    assert_eq!(
        m.agenda_title.as_deref(),
        Some(
            "Countering the use of information and communications technologies for criminal purposes"
        )
    );
    assert_eq!(m.date, d(2019, 10, 11));
    assert_eq!(m.distribution, Some(Distribution::Limited));
    assert_eq!(m.original_language.as_deref(), Some("English"));
    assert_eq!(
        m.sponsors,
        [
            "Belarus",
            "Cambodia",
            "China",
            "Democratic People's Republic of Korea",
            "Myanmar",
            "Nicaragua",
            "Russian Federation",
            "Venezuela (Bolivarian Republic of)"
        ]
    );
    assert_eq!(
        m.title.as_deref(),
        Some(
            "Countering the use of information and communications technologies for criminal purposes"
        )
    );
    assert_eq!(m.adoption_date, None);
}

#[test]
fn pdf_draft_and_resolution() {
    let m = parse_masthead(L1);
    assert_eq!(m.symbol.unwrap().to_string(), "A/C.1/80/L.1");
    assert_eq!(
        (m.session.as_deref(), m.committee),
        (Some("80"), Some(Committee::First))
    );
    assert_eq!(
        (m.date, m.distribution),
        (d(2025, 10, 8), Some(Distribution::Limited))
    );
    assert_eq!(m.agenda_items, ["95"]);
    assert_eq!(m.sponsors, ["Egypt"]);
    assert_eq!(m.doc_type, Some(DocType::DraftResolution));
    assert_eq!(
        m.title.as_deref(),
        Some("Establishment of a nuclear-weapon-free zone in the region of the Middle East")
    );

    let m = parse_masthead(C3);
    assert_eq!(m.sponsors, ["Brazil", "Kuwait", "Qatar", "Spain"]);
    assert_eq!(m.agenda_items, ["25"]);
    assert_eq!(m.committee, Some(Committee::Third));

    let m = parse_masthead(RES);
    assert_eq!(m.symbol.unwrap().to_string(), "A/RES/78/311");
    assert_eq!(m.doc_type, Some(DocType::Resolution));
    assert_eq!((m.date, m.adoption_date), (d(2024, 7, 5), d(2024, 7, 1)));
    assert_eq!(m.committee, Some(Committee::Plenary));
    assert_eq!(m.session.as_deref(), Some("78"));
    assert_eq!(m.agenda_items, ["13"]);
    assert_eq!(
        m.title.as_deref(),
        Some("Enhancing international cooperation on capacity-building of artificial intelligence")
    );
}

#[test]
fn pdf_letter_report_meeting_and_ocr() {
    let m = parse_masthead(LETTER);
    assert_eq!(m.symbol.unwrap().to_string(), "A/80/434");
    assert_eq!(m.doc_type, Some(DocType::Letter));
    assert_eq!(m.agenda_items, ["26"]);
    assert_eq!(
        m.title.as_deref(),
        Some(
            "Letter dated 3 October 2025 from the Permanent Representative of Spain to the \
             United Nations addressed to the Secretary-General"
        )
    );

    let m = parse_masthead(REPORT);
    assert_eq!(m.symbol.unwrap().to_string(), "A/79/437/Add.4");
    assert_eq!(m.doc_type, Some(DocType::Report));
    assert_eq!(m.committee, Some(Committee::Second));
    assert_eq!(m.agenda_items, ["18 (d)"]);
    assert_eq!(m.date, d(2024, 12, 9));

    let m = parse_masthead(PV);
    assert_eq!(m.symbol.unwrap().to_string(), "A/79/PV.64");
    assert_eq!(m.doc_type, Some(DocType::MeetingRecord));
    assert_eq!(m.session.as_deref(), Some("79"));

    let m = parse_masthead(OCR);
    assert_eq!(m.symbol.unwrap().to_string(), "A/L.632");
    assert_eq!(m.distribution, Some(Distribution::Limited));
    assert_eq!(m.original_language.as_deref(), Some("English"));
    assert_eq!(m.agenda_items, ["93"]);
    assert_eq!(m.doc_type, Some(DocType::DraftResolution));
    assert_eq!(m.sponsors.len(), 19, "{:?}", m.sponsors);
    assert_eq!(m.sponsors[0], "Australia");
    assert!(m.sponsors.contains(&"Eswatini".to_string()));
}

/// `pdftotext` of A_C.1_80_L.1-EN.pdf, first page up to the body.
const L1: &str = "A/C.1/80/L.1

United Nations

General Assembly

Distr.: Limited
8 October 2025
Original: English

Eightieth session

First Committee
Agenda item 95
Establishment of a nuclear-weapon-free zone in the region of
the Middle East
Egypt: draft resolution

Establishment of a nuclear-weapon-free zone in the region of the
Middle East
The General Assembly";

/// `pdftotext` of A_RES_78_311-EN.pdf, first page up to the body.
const RES: &str = "A/RES/78/311

United Nations

General Assembly

Distr.: General
5 July 2024

Seventy-eighth session
Agenda item 13
Integrated and coordinated implementation of and
follow-up to the outcomes of the major United Nations
conferences and summits in the economic, social and
related fields

Resolution adopted by the General Assembly
on 1 July 2024
[without reference to a Main Committee (A/78/L.86)]

78/311.

Enhancing international cooperation on capacity-building of
artificial intelligence
The General Assembly";

/// `pdftotext` of A_80_434-EN.pdf, first page up to the body.
const LETTER: &str = "A/80/434-S/2025/632

United Nations

General Assembly
Security Council

Distr.: General
16 October 2025
Original: English

General Assembly
Eightieth session
Agenda item 26
Advancement of women

Security Council
Eightieth year

Letter dated 3 October 2025 from the Permanent Representative
of Spain to the United Nations addressed to the Secretary-General
I have the honour";

/// `pdftotext` of A_79_PV.64-EN.pdf, first page up to the body.
const PV: &str = "A /79/PV.64

United Nations

General Assembly

Official Records

Seventy-ninth session

64th plenary meeting

Wednesday, 16 April 2025, 10 a.m.
New York

President:

Mr. Yang  . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .

(Cameroon)

In the absence of the President, Mr. Kössler (Austria), Vice-President, took
the Chair.
The meeting was called to order at 10.05 a.m.
Agenda item 13 (continued)
Integrated and coordinated implementation of and follow-up to the outcomes
of the major United Nations conferences and summits in the economic, social
and related fields
Draft resolution (A/79/L.64)
The Acting President: I now give the floor to the representative of the Congo to
introduce draft resolution A/79/L.64.
Mr. Makayat-Safouesse (Congo) (spoke in French): On behalf of the Republic
of the Congo and the Republic of Uzbekistan, I have the honour";

/// `pdftotext` of A_79_437_Add.4-EN.pdf, first page up to the body.
const REPORT: &str = "A/79/437/Add.4

United Nations

General Assembly

Distr.: General
9 December 2024
Original: English

Seventy-ninth session
Agenda item 18 (d)

Sustainable development: protection of global climate for
present and future generations of humankind
Report of the Second Committee *
Rapporteur: Ms. Stefany Romero Veiga (Uruguay)

I. Introduction";

/// `pdftotext` of A_L.632-EN.pdf, first page up to the body.
const OCR: &str = "UN UBRAR'(

ocr i - 1.w ,i·/
UNITED

GENERAL
ASSEMBLY

Distr.
LIMITED
A/L.632
~9 September 1971
ORIGINAL:

ENGLISH

rrwenty-sixth session
Agenda item 93
RESTORATION OF THE LAWFUL RIGHTS OF THE PEOPLE'S REPUBLIC
OF CHINA IN THE UNITED NATIONS
Australia, Colombia, Costa Rica, Dominican Republic,
El Salvador, Fiji, Gambia, Guatemala, Haiti, Honduras,
Japan, Lesotho, Liberia, New Zealand, Nicar~gua,
Philippines, Swaziland, Thailand, United States of
America and Uruguay: draft resolution
The General Assembly";

/// `pdftotext` of A_C.3_80_L.11-EN.pdf, first page up to the body.
const C3: &str = "A/C.3/80/L.11

United Nations

General Assembly

Distr.: Limited
14 October 2025
Original: English

Eightieth session

Third Committee
Agenda item 25
Social development
Brazil, Kuwait, Qatar and Spain: draft resolution

Addressing the challenges of persons living with a rare disease and
their families
The General Assembly";
