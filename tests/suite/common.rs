//! Shared helpers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use gadocs::normalize::pdf::PdfExtractor;
use gadocs::pipeline::{RunOptions, RunReport};
use gadocs::walk::Limits;
use gadocs_index::IndexStore;

/// `../shared/corpus`, or a panic naming the path.
pub fn corpus() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        p.join("README.md").try_exists().unwrap_or(false),
        "the real corpus is missing at {} (tests need ../shared/corpus)",
        p.display()
    );
    p
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn options() -> RunOptions {
    RunOptions {
        workers: 2,
        writer_threads: 1,
        writer_budget_bytes: 64 << 20,
        commit_every_docs: 100_000,
        limits: Limits::default(),
        pdf: PdfExtractor {
            program: PathBuf::from(env!("CARGO_BIN_EXE_gadocs")),
            timeout: Duration::from_secs(30),
            max_memory_mb: 2048,
            env: Vec::new(),
        },
        progress: false,
        changes_dir: None,
    }
}

pub fn index(store: &IndexStore, paths: &[PathBuf]) -> RunReport {
    gadocs::pipeline::index_paths(store, paths, &options()).expect("index run")
}

pub fn same(s: &str) -> String {
    gadocs::shorthand::normalize_symbol(s)
}

/// Runs the gadocs binary with a data folder.
pub fn gadocs(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gadocs"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env(
            "GADOCS_CONFIG",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml"),
        )
        .output()
        .expect("run gadocs")
}

/// The body of a `Transfer-Encoding: chunked` HTTP/1.1 reply.
pub fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_text = String::from_utf8_lossy(&body[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[eol + 2..eol + 2 + size]);
        body = &body[eol + 2 + size + 2..];
    }
}
