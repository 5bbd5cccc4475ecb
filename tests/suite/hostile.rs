//! Bad and hostile input: each is reported with the file's name, the run goes on, and the
//! good documents around it are indexed.

use std::io::Write;
use std::time::Duration;

use gadocs_index::IndexStore;

use crate::common::*;

fn skipped_for<'a>(report: &'a gadocs::pipeline::RunReport, name: &str) -> &'a str {
    report
        .skipped
        .iter()
        .find(|s| s.contains(name))
        .unwrap_or_else(|| panic!("no message names {name}: {:?}", report.skipped))
}

#[test]
fn bad_files_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.txt"), b"").unwrap();
    std::fs::write(d.join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    std::fs::write(d.join("A_RES_99_8.xml"), "<akomaNtoso><statement><meta>").unwrap();
    let real_pdf = corpus().join("ods-pdfs/A_RES_70_10-EN.pdf");
    let bytes = std::fs::read(&real_pdf).unwrap();
    std::fs::write(d.join("A_RES_99_9-EN.pdf"), &bytes[..4096]).unwrap();
    std::fs::copy(fixture("A_RES_99_7.xml"), d.join("A_RES_99_7.xml")).unwrap();
    let missing = d.join("no-such-folder");
    let store = IndexStore::in_ram().unwrap();
    let report = index(&store, &[d.to_path_buf(), missing]);
    assert_eq!(
        report.indexed, 1,
        "the good document is indexed: {:?}",
        report.skipped
    );
    assert!(skipped_for(&report, "empty.txt").contains("empty"));
    assert!(skipped_for(&report, "binary.txt").contains("binary"));
    assert!(skipped_for(&report, "A_RES_99_8.xml").contains("malformed XML"));
    assert!(skipped_for(&report, "A_RES_99_9-EN.pdf").contains("PDF"));
    assert!(skipped_for(&report, "no-such-folder").contains("cannot read"));
    assert_eq!(store.num_docs(), 1);
}

#[test]
fn xml_entity_expansion_and_external_entities_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><akomaNtoso><statement><preamble><p>&lol3;</p></preamble></statement></akomaNtoso>"#;
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><akomaNtoso><statement><preamble><p>&x;</p></preamble></statement></akomaNtoso>"#;
    std::fs::write(dir.path().join("A_RES_99_1.xml"), laughs).unwrap();
    std::fs::write(dir.path().join("A_RES_99_2.xml"), xxe).unwrap();
    let store = IndexStore::in_ram().unwrap();
    let report = index(&store, &[dir.path().to_path_buf()]);
    assert!(skipped_for(&report, "A_RES_99_1.xml").contains("refused"));
    assert!(skipped_for(&report, "A_RES_99_2.xml").contains("refused"));
    assert_eq!(store.num_docs(), 0);
}

#[test]
fn zip_bombs_and_escaping_member_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("../../escape.xml", deflate).unwrap();
    zip.write_all(std::fs::read(fixture("A_RES_99_7.xml")).unwrap().as_slice())
        .unwrap();
    zip.start_file("bomb.txt", deflate).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..100 {
        zip.write_all(&zeros).unwrap();
    }
    zip.start_file("English/A_RES_99_7.xml", deflate).unwrap();
    zip.write_all(std::fs::read(fixture("A_RES_99_7.xml")).unwrap().as_slice())
        .unwrap();
    zip.finish().unwrap();
    let store = IndexStore::in_ram().unwrap();
    let report = index(&store, &[path]);
    assert!(skipped_for(&report, "escape.xml").contains("leaves the archive"));
    assert!(skipped_for(&report, "bomb.txt").contains("zip bomb"));
    assert_eq!(
        report.indexed, 1,
        "the safe member is indexed: {:?}",
        report.skipped
    );
}

#[test]
fn a_panicking_or_hanging_pdf_extractor_costs_one_document() {
    let pdf = corpus().join("ods-pdfs/A_RES_70_10-EN.pdf");
    for (fault, expect) in [("panic", "panicked"), ("hang", "killed")] {
        let mut opts = options();
        opts.pdf.env = vec![("GADOCS_PDF_FAULT".into(), fault.into())];
        opts.pdf.timeout = Duration::from_secs(2);
        let store = IndexStore::in_ram().unwrap();
        let started = std::time::Instant::now();
        let report =
            gadocs::pipeline::index_paths(&store, &[pdf.clone(), fixture("A_RES_99_7.xml")], &opts)
                .unwrap();
        assert!(
            skipped_for(&report, "A_RES_70_10-EN.pdf").contains(expect),
            "{fault}: {:?}",
            report.skipped
        );
        assert_eq!(report.indexed, 1, "the run goes on after the {fault}");
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}

#[test]
fn a_one_gigabyte_file_is_skipped_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("huge.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let store = IndexStore::in_ram().unwrap();
    let before = peak_rss_kb();
    let report = index(&store, &[big]);
    assert!(skipped_for(&report, "huge.txt").contains("larger than the limit"));
    let grown = peak_rss_kb().saturating_sub(before);
    assert!(grown < 256 * 1024, "peak memory grew by {grown} kB");
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A full disk (simulated with a file-size limit: writes fail with EFBIG, as they fail with
/// ENOSPC on a full disk) stops the run with a message that says so and what to do; the index
/// keeps its last commit and answers.
#[test]
fn a_full_disk_stops_the_run_and_keeps_the_last_commit() {
    let data = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_gadocs");
    let run = |limit_kb: Option<u64>, args: &str| {
        let ulimit = limit_kb.map_or(String::new(), |k| format!("ulimit -f {k}; "));
        std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "trap '' XFSZ; {ulimit}exec {bin} -q --data {} {args}",
                data.path().display()
            ))
            .output()
            .expect("run gadocs under bash")
    };
    let session = corpus().join("ga-resolutions/raw/xml/75session");
    let first = run(None, &format!("index {}", session.display()));
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let count = || {
        let out = run(None, "search --json --limit 0 --no-snippets");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("search --json");
        v["total"].as_u64().unwrap()
    };
    let before = count();
    assert!(before > 300, "{before}");
    // 30 MB per file: the 11,000 other-language texts need more
    let big = corpus().join("ga-resolutions/docs-other-languages.jsonl.xz");
    let full = run(Some(30_000), &format!("import {}", big.display()));
    let msg = String::from_utf8_lossy(&full.stderr);
    assert_eq!(full.status.code(), Some(2), "{msg}");
    assert!(
        msg.contains("the disk is full or a file hit its size limit")
            && msg.contains("free space and run again"),
        "{msg}"
    );
    assert_eq!(count(), before, "the last commit is kept");
}
