//! Errors of the index crate.

use std::path::PathBuf;

/// Everything that can go wrong opening, writing or querying the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Tantivy failed.
    #[error("{path}: index error")]
    Tantivy {
        /// Index folder.
        path: PathBuf,
        /// Cause.
        #[source]
        source: tantivy::TantivyError,
    },
    /// A write failed for want of space (or over the file-size limit): nothing of this
    /// run after the last commit is kept, everything committed is.
    #[error(
        "{path}: the disk is full or a file hit its size limit ({reason}); free space and run again: the index keeps its last commit and the next run redoes the rest"
    )]
    DiskFull {
        /// Index folder.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// The index was written with another schema (another gadocs version).
    #[error(
        "{path}: this index was built by another version of gadocs; rebuild it: `gadocs update`, `gadocs index PATH…` or `gadocs import FILE…` recreate it and fill it again (nothing is refetched)"
    )]
    Outdated {
        /// Index folder.
        path: PathBuf,
    },
    /// Another process holds the writer lock.
    #[error(
        "{path}: locked by another gadocs process (one index/update at a time; try again when it ends)"
    )]
    Locked {
        /// Index folder.
        path: PathBuf,
    },
    /// The index folder has no index yet.
    #[error(
        "{path}: no index here yet; build one with `gadocs index PATH` or `gadocs import FILE`"
    )]
    Missing {
        /// Index folder.
        path: PathBuf,
    },
    /// I/O error on the index folder.
    #[error("{path}: cannot access the index folder")]
    Io {
        /// Index folder.
        path: PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// A facet name the index does not have.
    #[error("unknown facet \"{name}\"; known facets: {known}")]
    UnknownFacet {
        /// What the user asked.
        name: String,
        /// Valid names.
        known: String,
    },
    /// A query that cannot be understood.
    #[error("query \"{query}\": {reason}")]
    Query {
        /// The query text.
        query: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// A stored record that does not deserialize (index written by another version).
    #[error(
        "stored record is unreadable (index from another gadocs version? rebuild with `gadocs index --rebuild`)"
    )]
    Corrupt(#[source] serde_json::Error),
    /// A fast column holds bytes this version cannot read.
    #[error(
        "the index's `{column}` column is unreadable ({reason}; index from another gadocs version? rebuild with `gadocs index --rebuild`)"
    )]
    CorruptColumn {
        /// The column.
        column: &'static str,
        /// What the decoder said.
        reason: String,
    },
}

impl IndexError {
    pub(crate) fn tantivy(path: &std::path::Path, source: tantivy::TantivyError) -> Self {
        if let tantivy::TantivyError::LockFailure(..) = source {
            return IndexError::Locked {
                path: path.to_path_buf(),
            };
        }
        let text = source.to_string();
        for (needle, reason) in [
            ("os error 28", "no space left on device"),
            ("os error 27", "file too large"),
            ("os error 122", "disk quota exceeded"),
            // a writer thread died on an I/O error: tantivy does not say which
            (
                "io::Error most likely",
                "an indexing thread stopped on a write error",
            ),
        ] {
            if text.contains(needle) {
                return IndexError::DiskFull {
                    path: path.to_path_buf(),
                    reason: reason.to_string(),
                };
            }
        }
        IndexError::Tantivy {
            path: path.to_path_buf(),
            source,
        }
    }
}
