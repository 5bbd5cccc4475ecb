//! Inputs from paths: files, folders (walked) and zip archives (read member by member),
//! with the limits that keep hostile input contained: file size, zip member size,
//! compression ratio, total expanded size, member count, and member names with `..`.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Component, Path};

use crate::normalize::Input;

/// Limits on what one input may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file or zip member read, in bytes.
    pub max_file_bytes: u64,
    /// Largest total of expanded members of one archive, in bytes.
    pub max_archive_bytes: u64,
    /// Most members read from one archive.
    pub max_archive_entries: usize,
    /// Expanded/compressed ratio above which a large member is refused as a zip bomb.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 64 << 20,
            max_archive_bytes: 2 << 30,
            max_archive_entries: 100_000,
            max_ratio: 200,
        }
    }
}

/// One item found by the walk: an input to normalize, or a problem to report.
#[derive(Debug)]
pub enum Found {
    /// Bytes to normalize.
    Input(Input),
    /// A JSON-lines file (for `import`, skipped by `index`).
    JsonLines(std::path::PathBuf),
    /// A file that is not a document (notes, licences, manifests), left alone.
    Ignored(String),
    /// Something that could not be read, with the reason (message starts with the name).
    Problem(String),
}

/// Walks `paths` in order and calls `f` for every item; never stops on a bad item.
pub fn walk(paths: &[impl AsRef<Path>], limits: Limits, f: &mut dyn FnMut(Found)) {
    for path in paths {
        let path = path.as_ref();
        match std::fs::metadata(path) {
            Err(e) => f(Found::Problem(format!(
                "{}: cannot read: {e}",
                path.display()
            ))),
            Ok(m) if m.is_dir() => walk_dir(path, limits, f),
            Ok(_) => read_file(path, limits, f),
        }
    }
}

fn walk_dir(dir: &Path, limits: Limits, f: &mut dyn FnMut(Found)) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        match entry {
            Err(e) => {
                let where_ = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| dir.display().to_string());
                let why = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                f(Found::Problem(format!("{where_}: cannot read: {why}")));
            }
            Ok(entry) if entry.file_type().is_file() => {
                let name = entry.file_name().to_string_lossy();
                if name.starts_with('.') {
                    continue;
                }
                read_file(entry.path(), limits, f)
            }
            Ok(_) => {}
        }
    }
}

fn is_json_lines(path: &Path) -> bool {
    let name = path.to_string_lossy().to_lowercase();
    [
        ".jsonl",
        ".json",
        ".jsonl.gz",
        ".jsonl.xz",
        ".jsonl.zst",
        ".ndjson",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
}

fn read_file(path: &Path, limits: Limits, f: &mut dyn FnMut(Found)) {
    let name = path.display().to_string();
    let lower = name.to_lowercase();
    if [".md", ".markdown", ".license", ".gitignore"]
        .iter()
        .any(|e| lower.ends_with(e))
        || path
            .file_name()
            .is_some_and(|f| f.eq_ignore_ascii_case("LICENSE"))
    {
        f(Found::Ignored(name));
        return;
    }
    if is_json_lines(path) {
        f(Found::JsonLines(path.to_path_buf()));
        return;
    }
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => return f(Found::Problem(format!("{name}: cannot read: {e}"))),
    };
    if size > limits.max_file_bytes && !name.to_lowercase().ends_with(".zip") {
        return f(Found::Problem(format!(
            "{name}: {} MB is larger than the limit of {} MB (limits.max_file_mb in config.toml); skipped without reading",
            size >> 20,
            limits.max_file_bytes >> 20
        )));
    }
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) => return f(Found::Problem(format!("{name}: cannot read: {e}"))),
    };
    let mut magic = [0u8; 4];
    let is_zip = file.read_exact(&mut magic).is_ok() && &magic == b"PK\x03\x04";
    if is_zip {
        return read_zip(path, limits, f);
    }
    if size > limits.max_file_bytes {
        return f(Found::Problem(format!(
            "{name}: {} MB is larger than the limit of {} MB (limits.max_file_mb in config.toml); skipped without reading",
            size >> 20,
            limits.max_file_bytes >> 20
        )));
    }
    match std::fs::read(path) {
        Ok(bytes) => f(Found::Input(Input { name, bytes })),
        Err(e) => f(Found::Problem(format!("{name}: cannot read: {e}"))),
    }
}

/// Whether a zip member name would escape the archive's folder.
pub fn unsafe_member_name(name: &str) -> bool {
    let p = Path::new(name);
    name.contains('\\') && name.split('\\').any(|c| c == "..")
        || p.is_absolute()
        || p.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        })
}

fn read_zip(path: &Path, limits: Limits, f: &mut dyn FnMut(Found)) {
    let name = path.display().to_string();
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) => return f(Found::Problem(format!("{name}: cannot read: {e}"))),
    };
    read_zip_from(&name, file, limits, f);
}

/// Expands a zip archive held in memory (a body of the crawler's raw store) with the same
/// limits as a zip file on disk; members are named `name!/member`.
pub fn read_zip_bytes(name: &str, bytes: &[u8], limits: Limits, f: &mut dyn FnMut(Found)) {
    read_zip_from(name, std::io::Cursor::new(bytes), limits, f);
}

fn read_zip_from<R: Read + Seek>(name: &str, reader: R, limits: Limits, f: &mut dyn FnMut(Found)) {
    let mut archive = match zip::ZipArchive::new(reader) {
        Ok(a) => a,
        Err(e) => return f(Found::Problem(format!("{name}: damaged zip archive: {e}"))),
    };
    if archive.len() > limits.max_archive_entries {
        return f(Found::Problem(format!(
            "{name}: refused: {} members is more than the limit of {}",
            archive.len(),
            limits.max_archive_entries
        )));
    }
    let mut expanded: u64 = 0;
    for i in 0..archive.len() {
        let mut member = match archive.by_index(i) {
            Ok(m) => m,
            Err(e) => {
                f(Found::Problem(format!(
                    "{name}: damaged zip member #{i}: {e}"
                )));
                continue;
            }
        };
        if member.is_dir() {
            continue;
        }
        let member_name = match member.name() {
            Ok(n) => n.to_string(),
            Err(e) => {
                f(Found::Problem(format!(
                    "{name}: zip member #{i} has an unreadable name: {e}"
                )));
                continue;
            }
        };
        let full = format!("{name}!/{member_name}");
        if unsafe_member_name(&member_name) {
            f(Found::Problem(format!(
                "{full}: refused: zip member name leaves the archive (contains '..' or is absolute)"
            )));
            continue;
        }
        let base = member_name.rsplit('/').next().unwrap_or(&member_name);
        if base.starts_with('.') || member_name.starts_with("__MACOSX/") {
            continue;
        }
        let declared = member.size();
        let compressed = member.compressed_size().max(1);
        if declared > limits.max_file_bytes {
            f(Found::Problem(format!(
                "{full}: refused: expands to {} MB, more than the limit of {} MB (possible zip bomb)",
                declared >> 20,
                limits.max_file_bytes >> 20
            )));
            continue;
        }
        if declared > (1 << 20) && declared / compressed > limits.max_ratio {
            f(Found::Problem(format!(
                "{full}: refused: compression ratio {}:1 above {}:1 (zip bomb)",
                declared / compressed,
                limits.max_ratio
            )));
            continue;
        }
        if expanded + declared > limits.max_archive_bytes {
            f(Found::Problem(format!(
                "{name}: refused the remaining members: archive expands beyond {} MB",
                limits.max_archive_bytes >> 20
            )));
            return;
        }
        // the declared size may lie: read at most the limit plus one byte
        let mut bytes = Vec::with_capacity(declared.min(limits.max_file_bytes) as usize);
        let read = (&mut member)
            .take(limits.max_file_bytes + 1)
            .read_to_end(&mut bytes);
        if let Err(e) = read {
            f(Found::Problem(format!("{full}: damaged zip member: {e}")));
            continue;
        }
        if bytes.len() as u64 > limits.max_file_bytes {
            f(Found::Problem(format!(
                "{full}: refused: expands beyond the limit of {} MB though it declared {} bytes (zip bomb)",
                limits.max_file_bytes >> 20,
                declared
            )));
            continue;
        }
        expanded += bytes.len() as u64;
        f(Found::Input(Input { name: full, bytes }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_that_escape_are_unsafe() {
        assert!(unsafe_member_name("../etc/passwd"));
        assert!(unsafe_member_name("a/../../b.xml"));
        assert!(unsafe_member_name("/abs.xml"));
        assert!(unsafe_member_name("..\\win.xml"));
        assert!(!unsafe_member_name("English/74_1.xml"));
        assert!(!unsafe_member_name("a..b.xml"));
    }
}
