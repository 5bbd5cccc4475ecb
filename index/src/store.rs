//! Opening and creating the index, and the writer that upserts records by (symbol, language).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tantivy::index::SegmentId;
use tantivy::index::SegmentMeta;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy, NoMergePolicy};
use tantivy::schema::document::Document;
use tantivy::{
    DateTime, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyDocument, Term,
};

use crate::analysis;
use crate::error::IndexError;
use crate::gazetteer::normalize_name;
use crate::read_directory::ReadDirectory;
use crate::record::Record;
use crate::schema::{self, Fields, SCHEMA_VERSION};

/// JSON payload written with every commit; the next run reads it back.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CommitPayload {
    /// Schema version of the index.
    pub schema_version: u32,
    /// Identifier of the run that committed.
    #[serde(default)]
    pub run_id: String,
    /// Records upserted by that run so far.
    #[serde(default)]
    pub records: u64,
}

/// What opening found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A new, empty index was created.
    Created,
    /// An index with the current schema was opened.
    Current,
    /// The index on disk has another schema version and was recreated empty; rebuild it.
    Recreated {
        /// The version found on disk (0 when unreadable).
        found: u32,
    },
}

/// An open index: schema, field handles and one reader for the process.
pub struct IndexStore {
    path: PathBuf,
    /// The folder's directory (none for [`IndexStore::in_ram`]).
    directory: Option<ReadDirectory>,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// What every query of one searcher generation reads the same way.
    cache: std::sync::Mutex<Option<Arc<SegmentCache>>>,
}

/// Per-generation reading state: opening a segment's `hit` column and looking up which
/// field languages have text cost more than scoring a rare term (callgrind: a quarter of a
/// one-word query), so they are done once per commit seen, not per query and hit.
pub struct SegmentCache {
    generation: u64,
    /// Field languages with any body text in the index.
    pub present_langs: Vec<&'static str>,
    /// The `hit` column of each segment, by segment ordinal.
    pub hit_columns: Vec<Option<tantivy::columnar::BytesColumn>>,
    /// Which indexed fields have postings, by segment ordinal then field id: Tantivy builds
    /// a fresh empty reader each time a query opens a field a segment lacks.
    pub segment_fields: Vec<Vec<bool>>,
    /// Tokens of each field over all segments, by field id (BM25's average field length).
    pub total_tokens: Vec<u64>,
    /// Documents over all segments, deleted ones included (as Tantivy counts them for BM25).
    pub total_docs: u64,
}

impl SegmentCache {
    /// Whether segment `ord` has postings for `field`.
    pub fn has_field(&self, ord: usize, field: tantivy::schema::Field) -> bool {
        self.segment_fields
            .get(ord)
            .and_then(|fields| fields.get(field.field_id() as usize))
            .copied()
            .unwrap_or(false)
    }
}

impl IndexStore {
    /// Opens the index in `dir`, creating it (and the folder) if there is none; an index of
    /// another schema version is replaced by an empty one ([`Opened::Recreated`]).
    pub fn open_or_create(dir: &Path) -> Result<(Self, Opened), IndexError> {
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let directory = ReadDirectory::open(dir).map_err(|e| IndexError::tantivy(dir, e))?;
        let exists = Index::exists(&directory).map_err(|e| IndexError::Tantivy {
            path: dir.to_path_buf(),
            source: e.into(),
        })?;
        if exists {
            let found = match Self::open(dir) {
                Ok(store) => {
                    let found = store.payload().map(|p| p.schema_version).unwrap_or(0);
                    if found == SCHEMA_VERSION || (found == 0 && store.num_docs() == 0) {
                        return Ok((store, Opened::Current));
                    }
                    found
                }
                // another schema: the version its last commit recorded, for the message
                Err(IndexError::Outdated { .. }) => Index::open_in_dir(dir)
                    .ok()
                    .and_then(|i| i.load_metas().ok())
                    .and_then(|m| m.payload)
                    .and_then(|p| serde_json::from_str::<CommitPayload>(&p).ok())
                    .map_or(0, |p| p.schema_version),
                Err(e) => return Err(e),
            };
            clear_dir(dir)?;
            let store = Self::create(dir)?;
            return Ok((store, Opened::Recreated { found }));
        }
        Ok((Self::create(dir)?, Opened::Created))
    }

    fn create(dir: &Path) -> Result<Self, IndexError> {
        let (schema, fields) = schema::build();
        let directory = ReadDirectory::open(dir).map_err(|e| IndexError::tantivy(dir, e))?;
        let index = Index::create(directory.clone(), schema, IndexSettings::default())
            .map_err(|e| IndexError::tantivy(dir, e))?;
        Self::from_index(dir, index, fields, Some(directory))
    }

    /// Opens an existing index for reading (and writing); fails if there is none.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        let missing = || IndexError::Missing {
            path: dir.to_path_buf(),
        };
        if !dir.join("meta.json").try_exists().unwrap_or(false) {
            return Err(missing());
        }
        let directory = ReadDirectory::open(dir).map_err(|e| IndexError::tantivy(dir, e))?;
        let index = Index::open(directory.clone()).map_err(|e| IndexError::tantivy(dir, e))?;
        let (schema, fields) = schema::build();
        // field handles are positions in the schema: another schema would read other fields
        if index.schema() != schema {
            return Err(IndexError::Outdated {
                path: dir.to_path_buf(),
            });
        }
        Self::from_index(dir, index, fields, Some(directory))
    }

    /// A throw-away index in memory (tests, benchmarks).
    pub fn in_ram() -> Result<Self, IndexError> {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        Self::from_index(Path::new(":memory:"), index, fields, None)
    }

    fn from_index(
        path: &Path,
        index: Index,
        fields: Fields,
        directory: Option<ReadDirectory>,
    ) -> Result<Self, IndexError> {
        analysis::register(index.tokenizers());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| IndexError::tantivy(path, e))?;
        Ok(Self {
            path: path.to_path_buf(),
            directory,
            index,
            reader,
            fields,
            cache: std::sync::Mutex::new(None),
        })
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The Tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }
    /// Field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }
    /// A searcher over the last reloaded commit.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }
    /// The reading state of `searcher`'s generation (computed on its first use).
    pub fn segment_cache(&self, searcher: &tantivy::Searcher) -> Arc<SegmentCache> {
        let generation = searcher.generation().generation_id();
        let mut slot = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cache) = slot.as_ref()
            && cache.generation == generation
        {
            return Arc::clone(cache);
        }
        let hit_columns = searcher
            .segment_readers()
            .iter()
            .map(|seg| seg.fast_fields().bytes("hit").ok().flatten())
            .collect();
        let schema = searcher.schema();
        let mut total_tokens = vec![0u64; schema.num_fields()];
        let segment_fields: Vec<Vec<bool>> = searcher
            .segment_readers()
            .iter()
            .map(|seg| {
                schema
                    .fields()
                    .map(|(field, entry)| {
                        if !entry.is_indexed() {
                            return false;
                        }
                        match seg.inverted_index(field) {
                            Ok(ii) if ii.terms().num_terms() > 0 => {
                                total_tokens[field.field_id() as usize] += ii.total_num_tokens();
                                true
                            }
                            Ok(_) => false,
                            // unreadable here: let the query open it and report the error
                            Err(_) => true,
                        }
                    })
                    .collect()
            })
            .collect();
        // a language has text if any segment holds postings for its body field
        let present_langs = analysis::LANGS
            .iter()
            .copied()
            .filter(|lang| {
                let id = self.fields.body_of(lang).field_id() as usize;
                segment_fields.iter().any(|fields| fields[id])
            })
            .collect();
        let total_docs = searcher
            .segment_readers()
            .iter()
            .map(|seg| u64::from(seg.max_doc()))
            .sum();
        let cache = Arc::new(SegmentCache {
            generation,
            present_langs,
            hit_columns,
            segment_fields,
            total_tokens,
            total_docs,
        });
        *slot = Some(Arc::clone(&cache));
        cache
    }

    /// Picks up the latest commit.
    pub fn reload(&self) -> Result<(), IndexError> {
        self.reader
            .reload()
            .map_err(|e| IndexError::tantivy(&self.path, e))
    }
    /// Documents in the last reloaded commit.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
    /// Digest of every live record by key (`symbol|lang`), read from fast columns: one pass
    /// over each segment's docs and one over its key dictionary (looking keys up one by one
    /// decompresses a dictionary block per document).
    pub fn digests(&self) -> Result<std::collections::HashMap<String, u64>, IndexError> {
        let searcher = self.searcher();
        let mut out = std::collections::HashMap::new();
        let err = |e: tantivy::TantivyError| IndexError::tantivy(&self.path, e);
        let io = |e: std::io::Error| IndexError::tantivy(&self.path, e.into());
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let Some(keys) = ff.str("key").map_err(err)? else {
                continue;
            };
            let digests = ff.u64("digest").map_err(err)?;
            let alive = segment.alive_bitset();
            let mut by_ord: Vec<Option<u64>> = vec![None; keys.num_terms()];
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                if let (Some(ord), Some(d)) = (keys.term_ords(doc).next(), digests.first(doc)) {
                    by_ord[ord as usize] = Some(d);
                }
            }
            let mut stream = keys.dictionary().stream().map_err(io)?;
            while stream.advance() {
                if let Some(Some(d)) = by_ord.get(stream.term_ord() as usize) {
                    out.insert(String::from_utf8_lossy(stream.key()).into_owned(), *d);
                }
            }
        }
        Ok(out)
    }

    /// Digest of the live record `key` (`symbol|lang`), looked up through the key's postings:
    /// for runs that touch a few records of a large index, where reading every digest
    /// ([`IndexStore::digests`]) would be most of the work.
    pub fn digest_of(&self, key: &str) -> Result<Option<u64>, IndexError> {
        let searcher = self.searcher();
        let err = |e: tantivy::TantivyError| IndexError::tantivy(&self.path, e);
        let term = Term::from_field_text(self.fields.key, key);
        for segment in searcher.segment_readers() {
            let Some(mut postings) = segment
                .inverted_index(self.fields.key)
                .map_err(err)?
                .read_postings(&term, tantivy::schema::IndexRecordOption::Basic)
                .map_err(|e| err(e.into()))?
            else {
                continue;
            };
            let alive = segment.alive_bitset();
            use tantivy::DocSet;
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    let digests = segment.fast_fields().u64("digest").map_err(err)?;
                    return Ok(digests.first(doc));
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    /// Payload of the last commit, if any.
    pub fn payload(&self) -> Option<CommitPayload> {
        let metas = self.index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }

    /// Opens the single writer of this index. `budget_bytes` is the total memory budget
    /// (at least 15 MB per thread: Tantivy's per-thread arena minimum).
    pub fn writer(&self, threads: usize, budget_bytes: usize) -> Result<RecordWriter, IndexError> {
        let threads = threads.max(1);
        let budget = budget_bytes.max(15_000_000 * threads);
        let writer = self
            .index
            .writer_with_num_threads(threads, budget)
            .map_err(|e| IndexError::tantivy(&self.path, e))?;
        let segments_before = self
            .index
            .searchable_segment_ids()
            .map_err(|e| IndexError::tantivy(&self.path, e))?;
        if segments_before.is_empty() {
            writer.set_merge_policy(Box::new(FirstLoadMergePolicy::default()));
        }
        Ok(RecordWriter {
            writer,
            index: self.index.clone(),
            segments_before,
            fields: self.fields.clone(),
            path: self.path.clone(),
            directory: self.directory.clone(),
            pending: 0,
            queued: Arc::new(AtomicUsize::new(0)),
            queue_stall: QUEUE_STALL,
        })
    }
}

fn clear_dir(dir: &Path) -> Result<(), IndexError> {
    let io = |source| IndexError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let p = entry.path();
        if p.is_dir() {
            std::fs::remove_dir_all(&p).map_err(io)?;
        } else {
            std::fs::remove_file(&p).map_err(io)?;
        }
    }
    Ok(())
}

/// Segments a first load keeps unmerged (see [`FirstLoadMergePolicy`]); it writes one per
/// writer thread and commit: six at 1× (24,153 records), about 78 at 16×.
const FIRST_LOAD_SEGMENTS: usize = 100;

/// The merge policy of a first load into an empty index: its segments are all merged once when
/// the run finishes ([`RecordWriter::finish`]), so merging some of them on the way would
/// rewrite those documents twice. Past [`FIRST_LOAD_SEGMENTS`], Tantivy's log policy takes
/// over: every commit checks its upserts' deletes against each segment, which must not grow
/// without bound on a very large load.
#[derive(Debug, Default)]
struct FirstLoadMergePolicy(LogMergePolicy);

impl MergePolicy for FirstLoadMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        if segments.len() <= FIRST_LOAD_SEGMENTS {
            Vec::new()
        } else {
            self.0.compute_merge_candidates(segments)
        }
    }
}

/// Most bytes of documents handed to the indexing threads and not yet indexed. Tantivy
/// queues up to 10,000 documents (not configurable); with texts of 20 KB stored and indexed,
/// that queue alone was 400 MB of the writer's peak memory.
pub const MAX_QUEUED_BYTES: usize = 32 << 20;

/// How long the queue may stay as it is before the writer stops waiting for it.
const QUEUE_STALL: std::time::Duration = std::time::Duration::from_secs(30);

/// A document on its way to the indexing threads: counts its bytes out of the writer's queue
/// when an indexing thread is done with it (drops it).
pub struct QueuedDoc {
    doc: TantivyDocument,
    bytes: usize,
    queued: Arc<AtomicUsize>,
}

impl Drop for QueuedDoc {
    fn drop(&mut self) {
        self.queued.fetch_sub(self.bytes, Ordering::Release);
    }
}

impl Document for QueuedDoc {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

/// The writer: upserts records and commits them with a payload.
pub struct RecordWriter {
    writer: IndexWriter<QueuedDoc>,
    index: Index,
    /// The committed segments when the writer was opened: the others are this run's.
    segments_before: Vec<SegmentId>,
    fields: Fields,
    path: PathBuf,
    /// The folder's directory: the final merge reads it with `pread`.
    directory: Option<ReadDirectory>,
    pending: u64,
    /// Bytes of [`QueuedDoc`]s not yet indexed.
    queued: Arc<AtomicUsize>,
    /// How long a queue that does not shrink is waited for.
    queue_stall: std::time::Duration,
}

impl RecordWriter {
    /// Replaces any record with the same (symbol, language) by this one.
    pub fn upsert(&mut self, record: &Record) -> Result<(), IndexError> {
        let prepared = prepare(&self.fields, record.clone());
        self.upsert_prepared(prepared)
    }

    /// Upserts a record prepared (on another thread) by [`prepare`].
    pub fn upsert_prepared(&mut self, prepared: Prepared) -> Result<(), IndexError> {
        self.writer
            .delete_term(Term::from_field_text(self.fields.key, &prepared.key));
        self.wait_for_queue();
        let bytes = prepared.doc_bytes;
        self.queued.fetch_add(bytes, Ordering::AcqRel);
        let doc = QueuedDoc {
            doc: prepared.doc,
            bytes,
            queued: Arc::clone(&self.queued),
        };
        self.writer
            .add_document(doc)
            .map_err(|e| IndexError::tantivy(&self.path, e))?;
        self.pending += 1;
        Ok(())
    }

    /// Back-pressure: waits while the indexing threads have more than [`MAX_QUEUED_BYTES`]
    /// queued. A queue that does not shrink for `queue_stall` (30 s) stops the wait: an indexing
    /// thread that died leaves its documents queued, and `add_document` then reports why.
    fn wait_for_queue(&self) {
        let mut last = self.queued.load(Ordering::Acquire);
        let mut since = std::time::Instant::now();
        while last > MAX_QUEUED_BYTES {
            std::thread::sleep(std::time::Duration::from_micros(200));
            let now = self.queued.load(Ordering::Acquire);
            if now < last {
                since = std::time::Instant::now();
            } else if since.elapsed() > self.queue_stall {
                tracing::warn!(
                    queued = now,
                    "indexing threads stalled; not waiting for them"
                );
                return;
            }
            last = now;
        }
    }

    /// Removes the record of (symbol, language).
    pub fn delete(&mut self, symbol: &str, lang: &str) {
        self.writer.delete_term(Term::from_field_text(
            self.fields.key,
            &format!("{symbol}|{lang}"),
        ));
        self.pending += 1;
    }

    /// Removes every record.
    pub fn delete_all(&mut self) -> Result<(), IndexError> {
        self.writer
            .delete_all_documents()
            .map_err(|e| IndexError::tantivy(&self.path, e))?;
        self.pending += 1;
        Ok(())
    }

    /// Bytes of documents handed to the indexing threads and not indexed yet (at most
    /// [`MAX_QUEUED_BYTES`] and one document).
    pub fn queued_bytes(&self) -> usize {
        self.queued.load(Ordering::Acquire)
    }

    /// Operations since the last commit.
    pub fn pending(&self) -> u64 {
        self.pending
    }

    /// Commits everything added so far with `payload`; readers see it after `reload`.
    pub fn commit(&mut self, payload: &CommitPayload) -> Result<(), IndexError> {
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(|e| IndexError::tantivy(&self.path, e))?;
        let mut payload = payload.clone();
        payload.schema_version = SCHEMA_VERSION;
        prepared.set_payload(&serde_json::to_string(&payload).expect("payload serializes"));
        prepared
            .commit()
            .map_err(|e| IndexError::tantivy(&self.path, e))?;
        self.pending = 0;
        Ok(())
    }

    /// Drops uncommitted changes.
    pub fn rollback(&mut self) -> Result<(), IndexError> {
        self.writer
            .rollback()
            .map_err(|e| IndexError::tantivy(&self.path, e))?;
        self.pending = 0;
        Ok(())
    }

    /// Waits for background merges (so the process does not exit in the middle of one), then
    /// merges the segments this writer's run produced into one. Each segment costs every query
    /// a term lookup, a scorer and a collector per field (14 text fields); a bulk load ends
    /// with one segment per writer thread and commit (six at 1×); see `benchmark/PROFILE.md`
    /// for what merging them did to query latency. Segments older than the run are left
    /// alone, so a one-record update never rewrites the index.
    /// A merge that fails is logged: the index is committed and consistent before it.
    pub fn finish(self) -> Result<(), IndexError> {
        let RecordWriter {
            writer,
            index,
            segments_before,
            path,
            directory,
            ..
        } = self;
        let err = |e| IndexError::tantivy(&path, e);
        writer.wait_merging_threads().map_err(err)?;
        let written: Vec<SegmentId> = index
            .searchable_segment_ids()
            .map_err(err)?
            .into_iter()
            .filter(|id| !segments_before.contains(id))
            .collect();
        if written.len() < 2 {
            return Ok(());
        }
        tracing::debug!(segments = written.len(), "merging the run's segments");
        // on disk, the merge reads its inputs with pread, not through mappings that would
        // make every page of the index resident in this process (see `read_directory`)
        let pread = directory.as_ref().map(ReadDirectory::pread);
        let merged = index.writer_with_num_threads(1, 15_000_000).and_then(
            |mut merger: IndexWriter<QueuedDoc>| {
                merger.set_merge_policy(Box::new(NoMergePolicy));
                merger.merge(&written).wait()?;
                merger.wait_merging_threads()
            },
        );
        drop(pread);
        if let Err(e) = merged {
            // everything is committed already: the index stays as it is, in more segments
            tracing::warn!(
                "{}: merging the {} segments of this run failed ({e}); the index is complete \
                 and consistent, only split into more segments (slower queries)",
                path.display(),
                written.len()
            );
        }
        Ok(())
    }
}

/// Term text of a sponsor name: the gazetteer's normalization of its canonical form.
pub fn sponsor_key(name: &str) -> String {
    let canonical = crate::gazetteer::canonical(name).unwrap_or(name);
    normalize_name(canonical)
}

/// Term text of one State's vote: `<sponsor_key(state)>=<choice>` (`united states of america=no`).
pub fn vote_term(state: &str, choice: crate::record::VoteChoice) -> String {
    format!("{}={}", sponsor_key(state), choice.as_str())
}

/// A record turned into a Tantivy document, with its key and digest.
pub struct Prepared {
    /// `symbol|lang`.
    pub key: String,
    /// Digest of the stored form (unchanged records are skipped).
    pub digest: u64,
    /// The document.
    pub doc: TantivyDocument,
    /// Bytes of text.
    pub text_bytes: usize,
    /// Bytes of the document (its texts, stored and indexed, and the stored record).
    pub doc_bytes: usize,
    /// What a change digest says about the record.
    pub summary: ChangeSummary,
}

/// The fields of a record a change digest (`<data>/changes.jsonl`) lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChangeSummary {
    /// Document symbol.
    pub symbol: String,
    /// Language code.
    pub lang: String,
    /// Document type.
    pub doc_type: String,
    /// Title.
    pub title: String,
    /// Session.
    pub session: Option<String>,
    /// Sponsors.
    pub sponsors: Vec<String>,
}

/// Builds the Tantivy document of a record (pure; runs on the normalizer threads).
pub fn prepare(f: &Fields, mut r: Record) -> Prepared {
    let text = std::mem::take(&mut r.text);
    let meta = serde_json::to_string(&r).expect("records serialize");
    let digest = fnv(fnv(FNV_OFFSET, meta.as_bytes()), text.as_bytes());
    let mut doc = TantivyDocument::default();
    let lang = analysis::field_lang(&r.lang);
    let key = r.key();
    let summary = ChangeSummary {
        symbol: r.symbol.clone(),
        lang: r.lang.clone(),
        doc_type: r.doc_type.as_str().to_owned(),
        title: r.title.clone(),
        session: r.session.clone(),
        sponsors: r.sponsors.clone(),
    };
    doc.add_text(f.key, &key);
    doc.add_text(f.symbol, &r.symbol);
    doc.add_text(f.family, &r.family);
    for alias in &r.aliases {
        doc.add_text(f.family, alias);
    }
    doc.add_text(f.lang, &r.lang);
    doc.add_text(f.title_of(lang), &r.title);
    doc.add_text(f.body_of(lang), &text);
    if lang == "zh" {
        doc.add_text(f.title_zh_chars, &r.title);
        doc.add_text(f.body_zh_chars, &text);
    }
    doc.add_text(f.doc_type, r.doc_type.as_str());
    doc.add_text(f.has_text, if r.has_text { "true" } else { "false" });
    if let Some(session) = &r.session {
        doc.add_text(f.session, session);
    }
    if let Some(c) = r.committee {
        doc.add_text(f.committee, c.as_str());
    }
    for item in &r.agenda_items {
        doc.add_text(f.agenda, item);
        let scoped = match &r.session {
            Some(s) => format!("{s}/{item}"),
            None => item.clone(),
        };
        doc.add_text(f.agenda, &scoped);
        doc.add_text(f.agenda_scoped, &scoped);
    }
    for s in &r.sponsors {
        doc.add_text(f.sponsor, sponsor_key(s));
        doc.add_text(f.cosponsor, sponsor_key(s));
        doc.add_text(f.sponsor_name, s);
    }
    for s in &r.additional_sponsors {
        doc.add_text(f.cosponsor, sponsor_key(s));
        doc.add_text(f.additional_sponsor_name, s);
    }
    for c in &r.cites {
        doc.add_text(f.cites, c);
    }
    let cited: std::collections::BTreeSet<String> =
        r.cites.iter().map(|c| crate::cited_document(c)).collect();
    for c in &cited {
        doc.add_text(f.cited, c);
    }
    for (item, title) in &r.agenda_titles {
        let slot = match &r.session {
            Some(s) => format!("{s}/{item}"),
            None => item.clone(),
        };
        doc.add_text(
            f.agenda_title,
            format!("{slot}{}{title}", crate::AGENDA_TITLE_SEPARATOR),
        );
    }
    for (state, choice) in &r.vote_by_state {
        doc.add_text(f.vote, vote_term(state, *choice));
    }
    if let Some(d) = r.effective_date() {
        doc.add_text(f.year, d.format("%Y").to_string());
        let ts = d
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc()
            .timestamp();
        doc.add_date(f.date, DateTime::from_timestamp_secs(ts));
    }
    doc.add_u64(f.digest, digest);
    doc.add_text(f.meta, &meta);
    doc.add_bytes(f.hit, &crate::search::hit_bytes(&r));
    let text_bytes = text.len();
    let copies = if lang == "zh" { 3 } else { 2 };
    let doc_bytes = copies * (text_bytes + r.title.len()) + 2 * meta.len();
    doc.add_text(f.text, text);
    Prepared {
        key,
        digest,
        doc,
        text_bytes,
        doc_bytes,
        summary,
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a digest of some bytes.
pub fn digest(bytes: &[u8]) -> u64 {
    fnv(FNV_OFFSET, bytes)
}

/// FNV-1a: stable across builds, enough to tell "changed".
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod open_tests {
    use super::*;

    #[test]
    fn documents_waiting_for_the_indexing_threads_stay_bounded() {
        let store = IndexStore::in_ram().unwrap();
        let mut writer = store.writer(1, 20_000_000).unwrap();
        let text = "sustainable development ".repeat(40_000); // ~1 MB
        let mut most = 0;
        for i in 0..150 {
            let r = Record {
                symbol: format!("A/RES/74/{i}"),
                lang: "en".into(),
                title: "Queue test".into(),
                text: text.clone(),
                ..Record::default()
            };
            writer.upsert(&r).unwrap();
            most = most.max(writer.queued_bytes());
        }
        // 150 documents of 2 MB each were queued in all, never more than the bound and one
        assert!(most <= MAX_QUEUED_BYTES + 3 * text.len(), "{most}");
        writer.commit(&CommitPayload::default()).unwrap();
        assert_eq!(
            writer.queued_bytes(),
            0,
            "every indexed document counted out"
        );
        store.reload().unwrap();
        assert_eq!(store.num_docs(), 150);
    }

    #[test]
    fn a_queue_that_stops_shrinking_is_not_waited_for_forever() {
        let store = IndexStore::in_ram().unwrap();
        let mut writer = store.writer(1, 20_000_000).unwrap();
        writer.queue_stall = std::time::Duration::from_millis(300);
        // as if an indexing thread had died holding documents
        writer
            .queued
            .fetch_add(2 * MAX_QUEUED_BYTES, Ordering::AcqRel);
        let started = std::time::Instant::now();
        let r = Record {
            symbol: "A/RES/74/1".into(),
            lang: "en".into(),
            text: "text".into(),
            ..Record::default()
        };
        writer.upsert(&r).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        writer.commit(&CommitPayload::default()).unwrap();
        store.reload().unwrap();
        assert_eq!(store.num_docs(), 1);
    }

    #[test]
    fn an_index_with_another_schema_is_refused_for_reading() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = tantivy::schema::Schema::builder();
        b.add_text_field("meta", tantivy::schema::STORED);
        Index::create_in_dir(dir.path(), b.build()).unwrap();
        let err = IndexStore::open(dir.path()).err().expect("refused");
        assert!(matches!(err, IndexError::Outdated { .. }), "{err}");
        assert!(
            err.to_string().contains("another version of gadocs"),
            "{err}"
        );
        // the writers' way in recreates it
        let (_, opened) = IndexStore::open_or_create(dir.path()).unwrap();
        assert!(matches!(opened, Opened::Recreated { .. }));
        assert!(IndexStore::open(dir.path()).is_ok());
    }

    #[test]
    fn a_run_ends_with_its_segments_merged_and_older_segments_left_alone() {
        run_ends_with_its_segments_merged(&IndexStore::in_ram().unwrap());
        // on disk the merge reads its inputs through `ReadDirectory`
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = IndexStore::open_or_create(dir.path()).unwrap();
        run_ends_with_its_segments_merged(&store);
        let directory = store.directory.as_ref().unwrap();
        assert!(directory.pread_files() > 0, "the merge read with pread");
        assert!(!directory.is_pread(), "and queries map again");
        // the files of every live segment are managed (garbage collected once unused),
        // though a writer of the same index saved the list after the merge
        let managed = std::fs::read_to_string(dir.path().join(".managed.json")).unwrap();
        for segment in store.index.searchable_segment_ids().unwrap() {
            let id = segment.uuid_string();
            let mut files = 0;
            for entry in std::fs::read_dir(dir.path()).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                if name.starts_with(&id) {
                    files += 1;
                    assert!(managed.contains(&name), "{name} not in {managed}");
                }
            }
            assert!(files >= 5, "{id}: {files} files");
        }
    }

    fn run_ends_with_its_segments_merged(store: &IndexStore) {
        let record = |n: usize, text: &str| Record {
            symbol: format!("A/RES/74/{n}"),
            lang: "en".into(),
            title: format!("Resolution {n}"),
            text: text.into(),
            ..Record::default()
        };
        let segments = || store.index.searchable_segment_ids().unwrap();
        let policy = |w: &RecordWriter| format!("{:?}", w.writer.get_merge_policy());
        // a bulk run: three commits, three segments until the run finishes
        let mut writer = store.writer(1, 20_000_000).unwrap();
        assert!(
            policy(&writer).starts_with("FirstLoadMergePolicy"),
            "empty index"
        );
        for batch in 0..3 {
            for n in 0..4 {
                writer
                    .upsert(&record(batch * 4 + n, "oceans and seas"))
                    .unwrap();
            }
            let payload = CommitPayload {
                run_id: format!("bulk-{batch}"),
                ..CommitPayload::default()
            };
            writer.commit(&payload).unwrap();
        }
        assert_eq!(segments().len(), 3);
        writer.finish().unwrap();
        let merged = segments();
        assert_eq!(merged.len(), 1, "the run's segments merged into one");
        assert_eq!(store.payload().unwrap().run_id, "bulk-2", "payload kept");
        assert_eq!(store.payload().unwrap().schema_version, SCHEMA_VERSION);
        store.reload().unwrap();
        assert_eq!(store.num_docs(), 12);
        let hits = |q: &str| {
            let req = crate::SearchRequest {
                query: q.into(),
                limit: 20,
                ..Default::default()
            };
            store.search(&req, &|s: &str| s.to_string()).unwrap().total
        };
        assert_eq!(hits("oceans"), 12);
        assert_eq!(hits("\"oceans and seas\""), 12, "positions merged");
        let stored = store.lookup_exact("A/RES/74/11", "en").unwrap().unwrap();
        assert_eq!(stored.text, "oceans and seas", "stored texts merged");

        // an update of one record: its new segment is not merged with the large one, which
        // keeps its identity (and only loses the replaced document to a delete)
        let mut writer = store.writer(1, 20_000_000).unwrap();
        assert!(
            policy(&writer).starts_with("LogMergePolicy"),
            "{}",
            policy(&writer)
        );
        writer.upsert(&record(5, "coral reefs")).unwrap();
        writer.commit(&CommitPayload::default()).unwrap();
        writer.finish().unwrap();
        let after = segments();
        assert_eq!(after.len(), 2);
        assert!(after.contains(&merged[0]), "the older segment untouched");
        store.reload().unwrap();
        assert_eq!(store.num_docs(), 12);
        assert_eq!(hits("oceans"), 11);
        assert_eq!(hits("coral"), 1);
    }

    #[test]
    fn a_first_load_merges_nothing_until_it_has_too_many_segments() {
        let (schema, _) = schema::build();
        let index = Index::create_in_ram(schema);
        let metas = |n: usize| -> Vec<SegmentMeta> {
            (0..n)
                .map(|_| index.new_segment_meta(SegmentId::generate_random(), 5_000))
                .collect()
        };
        let policy = FirstLoadMergePolicy::default();
        assert!(
            policy
                .compute_merge_candidates(&metas(FIRST_LOAD_SEGMENTS))
                .is_empty()
        );
        let merges = policy.compute_merge_candidates(&metas(FIRST_LOAD_SEGMENTS + 1));
        assert!(!merges.is_empty(), "the log policy takes over");
        assert!(merges.iter().all(|m| m.0.len() >= 2));
    }
}
