//! PDF text layer, extracted in a child process (`gadocs __extract-pdf`).
//!
//! PDF parsers meet hostile input: a panic, an endless loop or a memory blow-up in the
//! extractor must cost one document, not the run. The child gets the bytes on stdin, an
//! address-space limit (`ulimit -v`) and a wall-clock limit; the parent kills it when the time
//! is up and reports the file.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::normalize::NormalizeError;

/// Fewer letters and digits than this per page means the PDF has no usable text layer.
const MIN_CHARS_PER_PAGE: usize = 40;

/// Runs the extractor child process.
#[derive(Debug, Clone)]
pub struct PdfExtractor {
    /// The gadocs binary (its hidden `__extract-pdf` command does the work).
    pub program: PathBuf,
    /// Wall-clock limit per document.
    pub timeout: Duration,
    /// Address-space limit of the child, in MB.
    pub max_memory_mb: u64,
    /// Extra environment for the child (tests set `GADOCS_PDF_FAULT` here).
    pub env: Vec<(String, String)>,
}

impl PdfExtractor {
    /// The extractor using this process' own binary, or `GADOCS_EXE` when set (tests run
    /// from a test binary and point it at the built `gadocs`).
    pub fn from_env(timeout: Duration, max_memory_mb: u64) -> Self {
        let program = std::env::var_os("GADOCS_EXE")
            .map(PathBuf::from)
            .or_else(|| std::env::current_exe().ok())
            .unwrap_or_else(|| PathBuf::from("gadocs"));
        Self {
            program,
            timeout,
            max_memory_mb,
            env: Vec::new(),
        }
    }

    /// Extracts the text layer of a PDF.
    pub fn extract(&self, name: &str, bytes: &[u8]) -> Result<String, NormalizeError> {
        let failed = |reason: String| NormalizeError::Extractor {
            name: name.to_string(),
            reason,
        };
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -v {} 2>/dev/null; exec \"$0\" __extract-pdf",
                self.max_memory_mb * 1024
            ))
            .arg(&self.program)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                failed(format!(
                    "cannot start the PDF extractor {}: {e}",
                    self.program.display()
                ))
            })?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let input = bytes.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            let _ = stdout.read_to_end(&mut out);
            out
        });
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let err_reader = std::thread::spawn(move || {
            let mut out = String::new();
            let _ = stderr.read_to_string(&mut out);
            out
        });
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(failed(format!(
                        "PDF extractor still running after {} s; killed (limits.pdf_timeout_secs)",
                        self.timeout.as_secs()
                    )));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(e) => return Err(failed(format!("waiting for the PDF extractor: {e}"))),
            }
        };
        let _ = writer.join();
        let out = reader.join().unwrap_or_default();
        let err = err_reader.join().unwrap_or_default();
        if !status.success() {
            let why = err
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no message")
                .trim()
                .to_string();
            return Err(failed(format!("PDF extractor failed ({status}): {why}")));
        }
        let text = String::from_utf8_lossy(&out).into_owned();
        let pages = text.matches('\u{c}').count().max(1);
        let chars = text.chars().filter(|c| c.is_alphanumeric()).count();
        if chars < MIN_CHARS_PER_PAGE * pages.min(3) {
            return Err(NormalizeError::NoTextLayer {
                name: name.to_string(),
            });
        }
        Ok(text.replace('\u{c}', "\n\n"))
    }
}

/// The child's side: reads a PDF on stdin, writes its text on stdout. A panic inside the
/// extractor is caught and reported on stderr with exit status 3.
pub fn extract_child() -> i32 {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("cannot read stdin: {e}");
        return 2;
    }
    std::panic::set_hook(Box::new(|_| {}));
    // Test hook: makes the extractor misbehave the way hostile PDFs make real extractors
    // misbehave, so the containment above is exercised end to end.
    let fault = std::env::var("GADOCS_PDF_FAULT").unwrap_or_default();
    let result = std::panic::catch_unwind(|| {
        match fault.as_str() {
            "panic" => panic!("injected extractor panic"),
            "hang" => loop {
                std::thread::sleep(std::time::Duration::from_secs(1));
            },
            _ => {}
        }
        pdf_extract::extract_text_from_mem(&bytes)
    });
    match result {
        Ok(Ok(text)) => {
            let mut out = std::io::stdout().lock();
            if out.write_all(text.as_bytes()).is_err() {
                return 2;
            }
            0
        }
        Ok(Err(e)) => {
            eprintln!("unreadable PDF: {e}");
            4
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            eprintln!("PDF extractor panicked: {msg}");
            3
        }
    }
}
