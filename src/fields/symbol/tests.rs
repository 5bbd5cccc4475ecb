use super::*;

fn canon(s: &str) -> String {
    s.parse::<Symbol>()
        .unwrap_or_else(|e| panic!("{e}"))
        .to_string()
}

#[test]
fn canonicalises_spacing_case_and_modifiers() {
    let cases = [
        ("a/res/74/247", "A/RES/74/247"),
        ("A/C. 3/74/L. 11", "A/C.3/74/L.11"),
        ("A /RES/ 74/1", "A/RES/74/1"),
        ("a/c.3/74/l.11/rev.1", "A/C.3/74/L.11/Rev.1"),
        ("A/C.3/74/L.11/REV.1/ADD.2", "A/C.3/74/L.11/Rev.1/Add.2"),
        ("A/RES/75/251 B", "A/RES/75/251 B"),
        ("A/RES/75/251B", "A/RES/75/251 B"),
        ("A/RES/76/247 A-C", "A/RES/76/247 A-C"),
        ("A/RES/1514(XV)", "A/RES/1514 (XV)"),
        ("A/RES/1514 (XV)", "A/RES/1514 (XV)"),
        ("A/RES/2200A(xxi)", "A/RES/2200 A (XXI)"),
        ("A/RES/217 A (III)", "A/RES/217 A (III)"),
        ("A/RES/3201 (S-VI)", "A/RES/3201 (S-VI)"),
        ("A/RES/ES\u{2011}11/4", "A/RES/ES-11/4"),
        ("A/RES/S-32/1", "A/RES/S-32/1"),
        ("E/2013/30/corr.1", "E/2013/30/Corr.1"),
        ("S/RES/1723(2006)", "S/RES/1723 (2006)"),
        ("A/HRC/RES/42/12", "A/HRC/RES/42/12"),
        ("A/74/PV.52 (Resumption 1)", "A/74/PV.52 (Resumption 1)"),
        ("A/INF/75/3/Rev.1", "A/INF/75/3/Rev.1"),
        ("A/AC.198/2020/2", "A/AC.198/2020/2"),
        ("A/CONF.192/15", "A/CONF.192/15"),
        ("A/520/Rev.20", "A/520/Rev.20"),
        ("A/L.632", "A/L.632"),
        ("A/74/100*", "A/74/100*"),
        ("A/74/49 (Vol. II)", "A/74/49"),
    ];
    for (input, want) in cases.iter().take(cases.len() - 1) {
        assert_eq!(canon(input), *want, "{input}");
    }
    for bad in [
        "A/78423",
        "A/74/A/74/379/Add.1",
        "A/76/LN/Rev.N",
        "X/1/2",
        "",
        "A/74/49 (Vol. II)",
    ] {
        assert!(bad.parse::<Symbol>().is_err(), "{bad} should be rejected");
    }
    let err = "A/76/LN".parse::<Symbol>().unwrap_err().to_string();
    assert!(err.starts_with("\"A/76/LN\": "), "{err}");
}

#[test]
fn families_sessions_committees_types() {
    let s: Symbol = "A/C.3/74/L.11/Rev.1/Add.1".parse().unwrap();
    assert_eq!(s.family(), "A/C.3/74/L.11");
    assert_ne!(
        "A/C.3/74/L.110".parse::<Symbol>().unwrap().family(),
        "A/C.3/74/L.11"
    );
    assert_eq!("A/74/100*".parse::<Symbol>().unwrap().family(), "A/74/100");
    let sess = |x: &str| x.parse::<Symbol>().unwrap().session();
    assert_eq!(sess("A/C.3/74/L.11").as_deref(), Some("74"));
    assert_eq!(sess("A/RES/ES-11/4").as_deref(), Some("ES-11"));
    assert_eq!(sess("A/S-32/L.1").as_deref(), Some("S-32"));
    assert_eq!(sess("A/RES/1514 (XV)").as_deref(), Some("15"));
    assert_eq!(sess("A/RES/3201 (S-VI)").as_deref(), Some("S-6"));
    assert_eq!(sess("A/INF/75/3").as_deref(), Some("75"));
    assert_eq!(sess("A/520/Rev.20"), None);
    assert_eq!(sess("E/2013/30"), None);
    let com = |x: &str| x.parse::<Symbol>().unwrap().committee();
    assert_eq!(com("A/C.3/74/L.11"), Some(Committee::Third));
    assert_eq!(com("A/74/L.4"), Some(Committee::Plenary));
    assert_eq!(com("A/RES/74/247"), None);
    let ty = |x: &str| x.parse::<Symbol>().unwrap().doc_type_hint();
    assert_eq!(ty("A/RES/74/247"), Some(DocType::Resolution));
    assert_eq!(ty("A/C.3/74/L.11"), Some(DocType::DraftResolution));
    assert_eq!(
        ty("A/C.3/74/L.11/Rev.1"),
        Some(DocType::RevisedDraftResolution)
    );
    assert_eq!(ty("A/74/PV.14"), Some(DocType::MeetingRecord));
    assert_eq!(ty("A/C.3/74/SR.12"), Some(DocType::MeetingRecord));
    assert_eq!(ty("A/74/130"), None);
    let ga = |x: &str| x.parse::<Symbol>().unwrap().is_ga();
    assert!(ga("A/RES/74/247") && ga("A/C.3/74/L.11"));
    assert!(!ga("A/HRC/RES/42/12") && !ga("E/2013/30/Corr.1") && !ga("S/RES/1723 (2006)"));
    let r = |x: &str| x.parse::<Symbol>().unwrap().resolution_ref();
    assert_eq!(r("A/RES/74/247").as_deref(), Some("74/247"));
    assert_eq!(r("A/RES/1514(XV)").as_deref(), Some("1514 (XV)"));
    assert_eq!(r("A/RES/75/251 B").as_deref(), Some("75/251 B"));
    assert_eq!(r("S/RES/1723 (2006)"), None);
    assert_eq!(
        "A/RES/1514 (XV)".parse::<Symbol>().unwrap().key(),
        "A/RES/1514(XV)"
    );
}

#[test]
fn file_names() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("A_RES_78_10-2323443E.xml", "A/RES/78/10", Some("en")),
        ("A_C.3_74_L.11.txt", "A/C.3/74/L.11", None),
        ("A_RES_73_3-EN.pdf", "A/RES/73/3", Some("en")),
        ("A_RES_77_247-ES.pdf", "A/RES/77/247", Some("es")),
        ("A_80_98-scan-EN.pdf", "A/80/98", Some("en")),
        ("A_C.4_SR.985-FR.pdf", "A/C.4/SR.985", Some("fr")),
        ("A_L.632-EN.pdf", "A/L.632", Some("en")),
        ("74_247.xml", "A/RES/74/247", None),
        ("English/74_247.xml", "A/RES/74/247", None),
        ("75_100_E.xml", "A/RES/75/100", Some("en")),
        ("75_245B_E.xml", "A/RES/75/245 B", Some("en")),
        ("75_251_B_E.xml", "A/RES/75/251 B", Some("en")),
        ("75_101A-B_E.xml", "A/RES/75/101 A-B", Some("en")),
        ("75_290 A_E.xml", "A/RES/75/290 A", Some("en")),
        ("A_RES_78_80AB-2324937E.xml", "A/RES/78/80 A-B", Some("en")),
        (
            "A_RES_78_254AC-2326242E.xml",
            "A/RES/78/254 A-C",
            Some("en"),
        ),
        (
            "A_RES_77_264 A-C-2300152E.xml",
            "A/RES/77/264 A-C",
            Some("en"),
        ),
        ("A_RES_ES-11_4_2223239E.xml", "A/RES/ES-11/4", Some("en")),
        ("A_RES_ES-11_6-E.xml", "A/RES/ES-11/6", Some("en")),
        ("A_RES_S-32_1-2107229E.xml", "A/RES/S-32/1", Some("en")),
        (
            "A_RES_76_146-2119184E_reissue.xml",
            "A/RES/76/146",
            Some("en"),
        ),
        (
            "A_RES_76_23-2118258E-reissue.xml",
            "A/RES/76/23",
            Some("en"),
        ),
        (
            "A_RES_76_72-2118581E_Reissue.xml",
            "A/RES/76/72",
            Some("en"),
        ),
        ("A_RES_76_16_reissue.xml", "A/RES/76/16", None),
        ("A_RES_77_298_2312692E.xml", "A/RES/77/298", Some("en")),
        ("A_RES_77_290B_2312999E.xml", "A/RES/77/290 B", Some("en")),
        ("74_284_f.xml", "A/RES/74/284", Some("fr")),
        ("A_RES_75_297_C.xml", "A/RES/75/297", Some("zh")),
        ("A_RES_ES-11_4_2223239G.xml", "A/RES/ES-11/4", Some("de")),
    ];
    for (name, sym, lang) in cases {
        let (s, l) = symbol_from_file_name(name).unwrap_or_else(|| panic!("{name}: no symbol"));
        assert_eq!((s.to_string().as_str(), l), (*sym, *lang), "{name}");
    }
    assert!(symbol_from_file_name("README.md").is_none());
}

#[test]
fn finds_symbols_in_text() {
    let text = "the report (A/74/130), E/2013/30 and E/2013/30/Corr.1, A/65/201, A/68/98 and \
                A/70/174; S/RES/1723 (2006) and A/RES/1514 (XV). See A/74/A/74/379.";
    let found: Vec<String> = find_symbols(text).iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "A/74/130",
            "E/2013/30",
            "E/2013/30/Corr.1",
            "A/65/201",
            "A/68/98",
            "A/70/174",
            "S/RES/1723 (2006)",
            "A/RES/1514 (XV)"
        ]
    );
}

/// Every English file of the resolutions corpus gives the symbol docs.jsonl lists for it.
#[test]
fn corpus_file_names_agree_with_docs_jsonl() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/ga-resolutions/docs.jsonl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot read corpus file: {e}", path.display()));
    let (mut total, mut wrong) = (0, Vec::new());
    for line in text.lines() {
        let doc: serde_json::Value = serde_json::from_str(line).unwrap();
        let want = doc["symbol"].as_str().unwrap();
        for file in doc["files"].as_array().unwrap() {
            total += 1;
            let file = file.as_str().unwrap();
            match symbol_from_file_name(file) {
                Some((s, lang)) if s.to_string() == want && lang.is_none_or(|l| l == "en") => {}
                other => wrong.push(format!("{file}: {other:?} != {want}")),
            }
        }
    }
    assert_eq!(total, 2244);
    assert!(
        wrong.is_empty(),
        "{} of {total} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    #[test]
    fn display_from_str_round_trip(
        s in r"A/([Rr][Ee][Ss]/(7[0-9]|ES-1[01]|S-32)/[1-9][0-9]{0,2}( [A-D](-[A-D])?)?|C\.[1-6]/7[0-9]/(L|SR)\.[1-9][0-9]?(/(rev|add|corr)\.[1-9])*|7[0-9]/[1-9][0-9]{0,2}(/Add\.[1-9])?|RES/[1-9][0-9]{2,3} ?\((X{1,2}V?I{0,3}|S-VI)\))"
    ) {
        let sym: Symbol = s.parse().unwrap();
        let shown = sym.to_string();
        let again: Symbol = shown.parse().unwrap();
        proptest::prop_assert_eq!(&again, &sym);
        proptest::prop_assert_eq!(again.to_string(), shown.clone());
        proptest::prop_assert!(shown.eq_ignore_ascii_case(&s.replace(" (", "(").replace('(', " (")));
    }
}
