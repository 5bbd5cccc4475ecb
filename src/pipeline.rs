//! The indexing pipeline: walk → normalize (worker threads) → upsert → commit.
//!
//! One thread walks the inputs, `workers` threads normalize them (a panic costs one
//! document), and the calling thread owns the single index writer: it skips records whose
//! content is unchanged, upserts the others, commits every `commit_every_docs` records and
//! once at the end. Bounded channels keep memory flat whatever the input size.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gadocs_index::schema::Fields;
use gadocs_index::store::{Prepared, prepare};
use gadocs_index::{CommitPayload, IndexStore, Record};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::changes::Change;
use crate::normalize::{self, Input, import, pdf::PdfExtractor};
use crate::walk::{self, Found, Limits};

/// How a run is carried out.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Normalizer threads.
    pub workers: usize,
    /// Tantivy indexing threads.
    pub writer_threads: usize,
    /// Tantivy writer memory budget in bytes.
    pub writer_budget_bytes: usize,
    /// Commit after this many upserts.
    pub commit_every_docs: u64,
    /// Input limits.
    pub limits: Limits,
    /// PDF extractor.
    pub pdf: PdfExtractor,
    /// Draw a progress bar on stderr.
    pub progress: bool,
    /// Data folder whose change digest (`changes.jsonl`) gets the records of each commit,
    /// appended right after it (`None`: no digest).
    pub changes_dir: Option<PathBuf>,
}

/// What a run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RunReport {
    /// Records new to the index.
    pub indexed: u64,
    /// Records that replaced a different version.
    pub updated: u64,
    /// Records identical to what the index held.
    pub unchanged: u64,
    /// Inputs not indexed, each with its reason (the message starts with the file name).
    pub skipped: Vec<String>,
    /// Files that are not documents (notes, JSON lines given to `index`), left alone.
    pub ignored: Vec<String>,
    /// Commits made.
    pub commits: u32,
    /// Bytes of text indexed.
    pub text_bytes: u64,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Identifier of the run (also in the commit payloads and the change digest).
    pub run_id: String,
    /// Records new, changed or removed in this run and not yet appended to
    /// `<data>/changes.jsonl` (each commit's are appended, then dropped: memory stays flat).
    #[serde(skip)]
    pub changes: Vec<crate::changes::Change>,
}

impl RunReport {
    /// Records seen (indexed + updated + unchanged).
    pub fn records(&self) -> u64 {
        self.indexed + self.updated + self.unchanged
    }
}

/// One unit of work for the normalizer threads.
pub enum Work {
    /// Bytes of a file to normalize.
    Input(Input),
    /// One JSON line to import; `origin` is `file:line` for messages.
    Line {
        /// Where the line came from.
        origin: String,
        /// The line.
        line: String,
    },
    /// A record built elsewhere (metadata-only records from catalogue data).
    Record(Box<Record>),
}

/// A step applied to every normalized record before it is written (e.g. merging catalogue
/// metadata); runs on the normalizer threads.
pub type Enrich = Arc<dyn Fn(&mut Record) + Send + Sync>;

/// Something a producer reports instead of work: an input that could not be read.
pub type Problem = String;

/// Where a producer sends work and problems.
pub struct Sink {
    work: SyncSender<Work>,
    problems: SyncSender<Outcome>,
}

impl Sink {
    /// Sends work; false when the run is shutting down.
    pub fn work(&self, work: Work) -> bool {
        self.work.send(work).is_ok()
    }
    /// Reports an input that is skipped, with its reason (starting with its name).
    pub fn problem(&self, problem: Problem) {
        let _ = self.problems.send(Outcome::Problem(problem));
    }
}

/// Runs a pipeline over whatever `produce` sends: the general form behind `index`, `import`
/// and `update`.
pub fn run_work(
    store: &IndexStore,
    opts: &RunOptions,
    enrich: Option<Enrich>,
    produce: impl FnOnce(Sink) + Send + 'static,
) -> anyhow::Result<RunReport> {
    run(store, opts, enrich, move |work, problems| {
        produce(Sink { work, problems })
    })
}

enum Outcome {
    Record(Box<Record>),
    Prepared(Box<Prepared>),
    Problem(String),
    Ignored(String),
}

/// Indexes documents found under `paths` (files, folders, zips).
pub fn index_paths(
    store: &IndexStore,
    paths: &[PathBuf],
    opts: &RunOptions,
) -> anyhow::Result<RunReport> {
    let limits = opts.limits;
    let paths = paths.to_vec();
    run(store, opts, None, move |tx_work, tx_out| {
        walk::walk(&paths, limits, &mut |found| match found {
            Found::Input(input) => {
                let _ = tx_work.send(Work::Input(input));
            }
            Found::JsonLines(p) => {
                let _ = tx_out.send(Outcome::Ignored(format!(
                    "{}: JSON (lines) are loaded with `gadocs import`, not `index`",
                    p.display()
                )));
            }
            Found::Ignored(name) => {
                let _ = tx_out.send(Outcome::Ignored(format!("{name}: not a document")));
            }
            Found::Problem(p) => {
                let _ = tx_out.send(Outcome::Problem(p));
            }
        });
    })
}

/// Imports records from JSON-lines files (plain, gzip, xz or zstd).
pub fn import_paths(
    store: &IndexStore,
    paths: &[PathBuf],
    opts: &RunOptions,
) -> anyhow::Result<RunReport> {
    let paths = paths.to_vec();
    run(store, opts, None, move |tx_work, tx_out| {
        for path in &paths {
            read_lines(path, &tx_work, &tx_out);
        }
    })
}

fn read_lines(path: &Path, tx_work: &SyncSender<Work>, tx_out: &SyncSender<Outcome>) {
    let name = path.display().to_string();
    let reader = match import::open(path) {
        Ok(r) => r,
        Err(e) => {
            let _ = tx_out.send(Outcome::Problem(format!("{name}: cannot read: {e}")));
            return;
        }
    };
    let mut reader = reader;
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    loop {
        buf.clear();
        line_no += 1;
        let mut limited = std::io::Read::take(&mut reader, import::MAX_LINE_BYTES as u64 + 1);
        match limited.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                let _ = tx_out.send(Outcome::Problem(format!(
                    "{name}:{line_no}: read error, rest of file skipped: {e}"
                )));
                break;
            }
        }
        if buf.len() > import::MAX_LINE_BYTES {
            let _ = tx_out.send(Outcome::Problem(format!(
                "{name}:{line_no}: line longer than {} MB; rest of file skipped",
                import::MAX_LINE_BYTES >> 20
            )));
            break;
        }
        // `from_utf8` validates a word at a time; the lossy path only for broken lines
        let line = match std::str::from_utf8(&buf) {
            Ok(text) => text.trim().to_owned(),
            Err(_) => String::from_utf8_lossy(&buf).trim().to_owned(),
        };
        if line.is_empty() {
            continue;
        }
        let origin = format!("{name}:{line_no}");
        if tx_work.send(Work::Line { origin, line }).is_err() {
            break;
        }
    }
}

fn run(
    store: &IndexStore,
    opts: &RunOptions,
    enrich: Option<Enrich>,
    produce: impl FnOnce(SyncSender<Work>, SyncSender<Outcome>) + Send + 'static,
) -> anyhow::Result<RunReport> {
    let start = Instant::now();
    let mut report = RunReport::default();
    let mut known = Known::new(store);
    let mut writer = store.writer(opts.writer_threads, opts.writer_budget_bytes)?;
    let run_id = crate::changes::new_run_id();
    report.run_id = run_id.clone();

    let workers = opts.workers.max(1);
    let (tx_work, rx_work) = sync_channel::<Work>(workers * 8);
    let (tx_out, rx_out) = sync_channel::<Outcome>(workers * 32);
    let rx_work = Arc::new(Mutex::new(rx_work));
    let mut handles = Vec::new();
    for _ in 0..workers {
        let rx = Arc::clone(&rx_work);
        let tx = tx_out.clone();
        let pdf = opts.pdf.clone();
        let enrich = enrich.clone();
        let fields = store.fields().clone();
        handles.push(std::thread::spawn(move || {
            worker(&rx, &tx, &pdf, enrich.as_deref(), &fields)
        }));
    }
    let tx_out_producer = tx_out.clone();
    drop(tx_out);
    let producer = std::thread::spawn(move || produce(tx_work, tx_out_producer));

    let bar = progress_bar(opts.progress);
    for outcome in rx_out {
        match outcome {
            Outcome::Ignored(p) => {
                bar.suspend(|| tracing::info!("ignored {p}"));
                report.ignored.push(p);
            }
            Outcome::Problem(p) => {
                bar.suspend(|| tracing::debug!("{p}"));
                report.skipped.push(p);
            }
            Outcome::Record(_) => unreachable!("workers prepare every record"),
            Outcome::Prepared(prepared) => {
                let d = prepared.digest;
                // digests in the index, updated as this run goes (one map for both)
                let before = known.insert(prepared.key.clone(), d)?;
                if before == Some(d) {
                    report.unchanged += 1;
                } else {
                    report.text_bytes += prepared.text_bytes as u64;
                    let change = crate::changes::Change::now(
                        &run_id,
                        if before.is_some() { "changed" } else { "new" },
                        prepared.summary.clone(),
                    );
                    writer.upsert_prepared(*prepared)?;
                    if before.is_some() {
                        report.updated += 1;
                    } else {
                        report.indexed += 1;
                    }
                    report.changes.push(change);
                    if writer.pending() >= opts.commit_every_docs {
                        commit(&mut writer, &run_id, &report)?;
                        report.commits += 1;
                        flush_changes(opts, &mut report.changes)?;
                    }
                }
            }
        }
        bar.set_position(report.records());
        bar.set_message(format!("{} skipped", report.skipped.len()));
    }
    let _ = producer.join();
    for h in handles {
        let _ = h.join();
    }
    if writer.pending() > 0 || report.commits == 0 {
        commit(&mut writer, &run_id, &report)?;
        report.commits += 1;
    }
    flush_changes(opts, &mut report.changes)?;
    bar.set_message("merging this run's segments");
    writer.finish()?;
    store.reload()?;
    bar.finish_and_clear();
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

/// Records looked up key by key before a run reads every digest of the index at once.
const LOOKUPS_BEFORE_LOADING: usize = 1_000;

/// The digest of each record as the index holds it, updated as the run goes. A run that
/// touches a few records of a large index (a scheduled update) looks their keys up one by
/// one; past [`LOOKUPS_BEFORE_LOADING`] records, every digest is read in one pass over the
/// fast columns (a one-document update on 386,000 records otherwise starts with reading
/// them all).
struct Known<'a> {
    store: &'a IndexStore,
    /// Digests looked up or written by this run (all of the index's once `loaded`).
    digests: HashMap<String, u64>,
    loaded: bool,
}

impl<'a> Known<'a> {
    fn new(store: &'a IndexStore) -> Self {
        Known {
            store,
            digests: HashMap::new(),
            loaded: false,
        }
    }

    /// Records `digest` for `key`; returns the digest it had (in the index or earlier in
    /// this run).
    fn insert(&mut self, key: String, digest: u64) -> anyhow::Result<Option<u64>> {
        if !self.loaded && !self.digests.contains_key(&key) {
            if self.digests.len() >= LOOKUPS_BEFORE_LOADING {
                // the index as it was when the run started, then what the run wrote
                let mut all = self.store.digests()?;
                all.extend(self.digests.drain());
                self.digests = all;
                self.loaded = true;
            } else {
                let before = self.store.digest_of(&key)?;
                self.digests.insert(key, digest);
                return Ok(before);
            }
        }
        Ok(self.digests.insert(key, digest))
    }
}

/// Appends the changes of the last commit to the change digest and forgets them.
fn flush_changes(opts: &RunOptions, changes: &mut Vec<Change>) -> anyhow::Result<()> {
    if let Some(dir) = &opts.changes_dir {
        crate::changes::append(dir, changes)?;
    }
    changes.clear();
    Ok(())
}

fn commit(
    writer: &mut gadocs_index::RecordWriter,
    run_id: &str,
    report: &RunReport,
) -> anyhow::Result<()> {
    writer.commit(&CommitPayload {
        schema_version: 0,
        run_id: run_id.to_string(),
        records: report.records(),
    })?;
    tracing::debug!(run_id, records = report.records(), "committed");
    Ok(())
}

fn worker(
    rx: &Mutex<Receiver<Work>>,
    tx: &SyncSender<Outcome>,
    pdf: &PdfExtractor,
    enrich: Option<&(dyn Fn(&mut Record) + Send + Sync)>,
    fields: &Fields,
) {
    loop {
        let work = {
            let Ok(guard) = rx.lock() else { return };
            match guard.recv() {
                Ok(w) => w,
                Err(_) => return,
            }
        };
        let outcome = match work {
            Work::Record(r) => Outcome::Record(r),
            Work::Input(input) => {
                let name = input.name.clone();
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    normalize::normalize(&input, pdf)
                })) {
                    Ok(Ok(r)) => Outcome::Record(Box::new(r)),
                    Ok(Err(e)) => Outcome::Problem(e.to_string()),
                    Err(_) => Outcome::Problem(format!(
                        "{name}: normalizer panicked; document skipped (please report this file)"
                    )),
                }
            }
            Work::Line { origin, line } => {
                match std::panic::catch_unwind(|| import::parse_line(&line)) {
                    Ok(Ok(r)) => Outcome::Record(Box::new(r)),
                    Ok(Err(e)) => Outcome::Problem(format!("{origin}: {e}")),
                    Err(_) => {
                        Outcome::Problem(format!("{origin}: normalizer panicked; line skipped"))
                    }
                }
            }
        };
        let outcome = match outcome {
            Outcome::Record(mut r) => {
                if let Some(f) = enrich {
                    f(&mut r);
                }
                Outcome::Prepared(Box::new(prepare(fields, *r)))
            }
            other => other,
        };
        if tx.send(outcome).is_err() {
            return;
        }
    }
}

fn progress_bar(enabled: bool) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if !enabled {
        bar.set_draw_target(ProgressDrawTarget::hidden());
        return bar;
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed_precise} {pos} records ({per_sec}) {msg}")
            .expect("template is a literal"),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
