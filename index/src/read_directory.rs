//! The directory of an index folder: reads are mapped, except while the merge that ends a bulk
//! load runs ([`crate::RecordWriter::finish`]), when they are done with `pread`.
//!
//! Tantivy's [`MmapDirectory`] maps every file a reader opens. A merge of all of a run's
//! segments reads all of them, so every page of the index became resident in the process:
//! its peak RSS (VmHWM) grew with the corpus, 6.9 GiB at 16× (386,448 records), while its
//! private memory stayed under 800 MiB. Read with `pread`, a merge holds only what it is
//! working on: the postings of the current term (read in chunks of [`CHUNK`] bytes, in file
//! order), one segment's document store while it is copied, and the term dictionaries and
//! fast-field columns Tantivy loads whole. Queries keep mapped reads: there, pages read once
//! are read again. Writes, locks and `meta.json` go to the [`MmapDirectory`] it wraps.
//!
//! The switch is on one directory, not a second index opened for the merge: each index keeps
//! the list of files it manages (`.managed.json`) in memory, and a second one would leave the
//! first with a stale list, which its next write saves (the merged segment's files would then
//! never be garbage collected).

use std::fs::File;
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::{HasLen, TantivyError};

/// Bytes read at once for small reads (postings and positions of one term).
pub const CHUNK: usize = 128 << 10;

/// An index folder, read through mappings or with `pread` (see the module documentation).
#[derive(Debug, Clone)]
pub struct ReadDirectory {
    root: PathBuf,
    inner: MmapDirectory,
    /// Files opened while this is set are read with `pread`.
    pread: Arc<AtomicBool>,
    /// Files opened for `pread` so far.
    opened: Arc<AtomicUsize>,
}

impl ReadDirectory {
    /// Opens `root`, which must exist. Reads are mapped until [`ReadDirectory::pread`].
    pub fn open(root: &Path) -> Result<Self, TantivyError> {
        Ok(Self {
            root: root.to_path_buf(),
            inner: MmapDirectory::open(root)?,
            pread: Arc::new(AtomicBool::new(false)),
            opened: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// Files opened until the guard is dropped are read with `pread` (every clone of this
    /// directory, so the one inside an `Index`, shares the switch).
    pub fn pread(&self) -> PreadGuard {
        self.pread.store(true, Ordering::SeqCst);
        PreadGuard(Arc::clone(&self.pread))
    }

    /// Whether files opened now are read with `pread`.
    pub fn is_pread(&self) -> bool {
        self.pread.load(Ordering::SeqCst)
    }

    /// How many files were opened for `pread` so far.
    pub fn pread_files(&self) -> usize {
        self.opened.load(Ordering::SeqCst)
    }
}

/// Keeps a [`ReadDirectory`] reading with `pread` until dropped.
#[derive(Debug)]
pub struct PreadGuard(Arc<AtomicBool>);

impl Drop for PreadGuard {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl Directory for ReadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if !self.is_pread() {
            return self.inner.get_file_handle(path);
        }
        let full = self.root.join(path);
        let wrap = |e: io::Error| {
            if e.kind() == io::ErrorKind::NotFound {
                OpenReadError::FileDoesNotExist(path.to_path_buf())
            } else {
                OpenReadError::wrap_io_error(e, path.to_path_buf())
            }
        };
        let file = File::open(&full).map_err(wrap)?;
        let len = file.metadata().map_err(wrap)?.len() as usize;
        self.opened.fetch_add(1, Ordering::SeqCst);
        Ok(Arc::new(ReadFile {
            file,
            len,
            chunk: Mutex::new(None),
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}

/// One open file. Small reads are served from the last chunk read, which the bytes handed
/// out share (no copy); a read of [`CHUNK`] / 2 bytes or more gets a buffer of its own.
#[derive(Debug)]
struct ReadFile {
    file: File,
    len: usize,
    /// Start offset and bytes of the last chunk read.
    chunk: Mutex<Option<(usize, Arc<[u8]>)>>,
}

impl HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl ReadFile {
    fn read_at(&self, range: Range<usize>) -> io::Result<Vec<u8>> {
        let mut buf = vec![0; range.len()];
        self.file.read_exact_at(&mut buf, range.start as u64)?;
        Ok(buf)
    }
}

impl FileHandle for ReadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.end > self.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("read of {range:?} past the end of a {}-byte file", self.len),
            ));
        }
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        if range.len() >= CHUNK / 2 {
            return Ok(OwnedBytes::new(self.read_at(range)?));
        }
        let mut slot = self.chunk.lock().unwrap_or_else(|e| e.into_inner());
        let hit = matches!(&*slot, Some((start, bytes))
            if *start <= range.start && range.end <= start + bytes.len());
        if !hit {
            let end = (range.start + CHUNK).min(self.len);
            let bytes: Arc<[u8]> = self.read_at(range.start..end)?.into();
            *slot = Some((range.start, bytes));
        }
        let (start, bytes) = slot.as_ref().expect("a chunk was just read");
        Ok(OwnedBytes::new(Arc::clone(bytes)).slice(range.start - start..range.end - start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_of(len: usize) -> (tempfile::TempDir, ReadDirectory, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(dir.path().join("f.bin"), &data).unwrap();
        let rd = ReadDirectory::open(dir.path()).unwrap();
        (dir, rd, data)
    }

    #[test]
    fn reads_equal_the_file_whatever_their_size_and_order() {
        let len = 3 * CHUNK + 123;
        let (_dir, rd, data) = file_of(len);
        let _pread = rd.pread();
        let h = rd.get_file_handle(Path::new("f.bin")).unwrap();
        assert_eq!(h.len(), len);
        let ranges = [
            0..10,
            5..CHUNK - 1,
            CHUNK - 3..CHUNK + 5, // across a chunk boundary
            2 * CHUNK..2 * CHUNK + 100,
            100..200, // backwards: a new chunk
            len - 7..len,
            0..len, // whole file, a buffer of its own
            10..10,
        ];
        for r in ranges {
            let got = h.read_bytes(r.clone()).unwrap();
            assert_eq!(got.as_slice(), &data[r.clone()], "range {r:?}");
        }
        // bytes handed out stay valid after the chunk is replaced
        let early = h.read_bytes(1..50).unwrap();
        h.read_bytes(len - 50..len).unwrap();
        assert_eq!(early.as_slice(), &data[1..50]);
    }

    #[test]
    fn reads_past_the_end_and_missing_files_are_errors() {
        let (_dir, rd, _) = file_of(100);
        let _pread = rd.pread();
        let h = rd.get_file_handle(Path::new("f.bin")).unwrap();
        assert!(h.read_bytes(90..101).is_err());
        assert!(matches!(
            rd.get_file_handle(Path::new("none.bin")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }

    #[test]
    fn the_switch_is_shared_by_clones_and_ends_with_its_guard() {
        let (_dir, rd, data) = file_of(1000);
        let clone = rd.clone();
        let open = || clone.get_file_handle(Path::new("f.bin")).unwrap();
        let mapped = open();
        assert_eq!(rd.pread_files(), 0, "mapped by default");
        {
            let _pread = rd.pread();
            assert!(clone.is_pread());
            let h = open();
            assert_eq!(rd.pread_files(), 1, "a clone reads with pread");
            assert_eq!(h.read_bytes(0..1000).unwrap().as_slice(), &data[..]);
        }
        assert!(!clone.is_pread());
        open();
        assert_eq!(rd.pread_files(), 1, "mapped again once the guard is gone");
        assert_eq!(mapped.read_bytes(0..1000).unwrap().as_slice(), &data[..]);
    }
}
