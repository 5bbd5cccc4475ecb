use super::*;

/// The ground-truth draft, read from the shared corpus.
pub(crate) fn draft_text() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/drafts/A_C.3_74_L.11.txt");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot read corpus file: {e}", path.display()))
}

#[test]
fn draft_a_c3_74_l11_cites() {
    let text = draft_text();
    let want = "65/230, 53/70, 54/49, 55/28, 56/19, 57/53, 58/32, 59/61, 60/45, 61/54, 62/17, \
                63/37, 64/25, 65/41, 66/24, 66/181, 67/27, 68/193, 68/243, 69/28, 70/237, 71/28, \
                72/196, 73/27, 73/187";
    let want: Vec<&str> = want.split(", ").collect();
    assert_eq!(ga_resolution_citations(&text), want);
    let mut docs = cited_documents(&text);
    docs.sort();
    let mut want_docs = [
        "A/74/130",
        "E/2013/30",
        "E/2013/30/Corr.1",
        "E/2017/30",
        "A/65/201",
        "A/68/98",
        "A/70/174",
    ];
    want_docs.sort();
    assert_eq!(docs, want_docs);
}

#[test]
fn bodies_apply_to_whole_lists() {
    let text = "Recalling Commission on Crime Prevention and Criminal Justice resolution 22/8 of \
        26 April 2013 and Security Council resolutions 1723 (2006), 1783 (2007), Human Rights \
        Council resolutions 42/12 and S-16/1, Economic and Social Council resolution 2013/31, \
        General Assembly resolution 70/262 and Security Council resolution 2282 (2016), its \
        resolutions 1514 (XV) and 1541 (XV), resolution 2200 A (XXI), annex, resolutions 74/92 A \
        and B of 13 December 2019, resolution 72/262 C of 5 July 2018, resolution ES-10/23 of \
        10\u{a0}May 2024; Resolution S-26/2, annex. World Health Assembly resolution 78.11, \
        resolution 3411 A and B (XXX), and see A/RES/75/251 B.";
    assert_eq!(
        ga_resolution_citations(text),
        [
            "70/262",
            "1514 (XV)",
            "1541 (XV)",
            "2200 A (XXI)",
            "74/92 A",
            "74/92 B",
            "72/262 C",
            "ES-10/23",
            "S-26/2",
            "3411 A (XXX)",
            "3411 B (XXX)",
            "75/251 B"
        ]
    );
}

#[test]
fn decisions_are_separate() {
    let text = "its decision 74/545 of 2 April 2020 and its decisions 74/545, 74/559 and 74/566, \
                and resolution 74/247";
    assert_eq!(ga_decision_citations(text), ["74/545", "74/559", "74/566"]);
    assert_eq!(ga_resolution_citations(text), ["74/247"]);
}

#[test]
fn document_lists_and_ranges() {
    let text = "reports (A/62/439 and Add.1\u{2013}6); A/70/423, A/71/432, A/72/517, \
                A/72/517/Corr.1 and A/75/389; Supplement No. 7 and corrigendum (E/2010/27 and \
                E/2010/27/Corr.1), chap. I; A/RES/75/101 A-B; S/RES/1723 (2006)\n\
                A/C.3/74/L.11\n";
    let docs = cited_documents(text);
    assert_eq!(
        docs,
        [
            "A/62/439",
            "A/62/439/Add.1",
            "A/62/439/Add.2",
            "A/62/439/Add.3",
            "A/62/439/Add.4",
            "A/62/439/Add.5",
            "A/62/439/Add.6",
            "A/70/423",
            "A/71/432",
            "A/72/517",
            "A/72/517/Corr.1",
            "A/75/389",
            "E/2010/27",
            "E/2010/27/Corr.1",
            "A/RES/75/101 A-B",
            "S/RES/1723 (2006)"
        ]
    );
}

#[test]
fn lists_run_through_descriptions_of_the_cited_texts() {
    let text = "Recalling its resolutions 74/306 of 11 September 2020, entitled “Comprehensive \
        and coordinated response to the coronavirus disease (COVID-19) pandemic”, 74/307 of \
        11 September 2020, entitled “United response”, 65/161 of 20 December 2010, in which it \
        declared the period 2011–2020 the United Nations Decade on Biodiversity, and 67/215 of \
        21 December 2012 on the International Day of Yoga and 79/137 of 6 December 2024; see \
        resolutions 52/214, sect. C, para. 3; 55/222, sect. III, para. 12; and 53/77 AA of \
        4 December 1998.";
    assert_eq!(
        ga_resolution_citations(text),
        [
            "74/306", "74/307", "65/161", "67/215", "79/137", "52/214", "55/222", "53/77 AA"
        ]
    );
}

#[test]
fn other_bodies_named_around_the_list_are_not_the_assembly() {
    let text = "established by the Human Rights Council in its resolution 22/13 of 21 March \
        2013; recalling resolution 6/5 of 6 November 2015 of the Conference of the States \
        Parties; in line with resolution 5/11 adopted by the United Nations Environment \
        Assembly; Ibid., 2015, Supplement No. 7 (E/2015/27), chap. I, sect. C, resolution 59/1, \
        annex; the resolutions of the Human Rights Council, the most recent of which was \
        resolution 48/9 of 8 October 2021; Conference resolutions 10/3 and 8/4; as approved by \
        the Assembly in its resolution 79/258 B of 11 April 2025.";
    assert_eq!(ga_resolution_citations(text), ["79/258 B"]);
}

/// The char-by-char clean-up that `clean_spacing` replaced.
fn reference_spacing(text: &str) -> String {
    let mut out = String::new();
    let mut last_space = false;
    for c in text.chars() {
        let c = match c {
            '\u{a0}' | '\u{202f}' | '\u{2007}' | '\n' | '\r' | '\t' => ' ',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{b9}' | '\u{b2}' | '\u{b3}' | '\u{2070}'..='\u{2079}' | '*' => continue,
            c => c,
        };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        out.push(c);
    }
    out
}

#[test]
fn spacing_clean_up_equals_the_char_by_char_reference() {
    let samples = [
        draft_text(),
        "resolutions\u{a0}\u{a0}65/230\u{2013}74/1¹ **and**\n\n\t 73/187²  — résolution\u{202f}70/1 * ".into(),
        "  ".into(),
        "*a* *".into(),
        String::new(),
    ];
    for s in &samples {
        assert_eq!(clean_spacing(s), reference_spacing(s));
    }
}
