//! One writer at a time: `crawl`, `index`, `import`, `update` and `schedule` hold an exclusive OS
//! lock on `<data>/gadocs.lock` for their whole run. The file says who holds it
//! (`{pid, command, started}`) so a second writer can name the holder. The OS drops the
//! lock when its process dies however it dies, so a lock file left by a killed process is
//! simply locked again by the next run: there is no stale lock to clean up.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use fs4::fs_std::FileExt;
use serde::{Deserialize, Serialize};

/// File name of the lock in the data folder.
pub const LOCK_FILE: &str = "gadocs.lock";

/// Who holds the lock (the content of the lock file).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Holder {
    /// Process id.
    pub pid: u32,
    /// The gadocs subcommand.
    pub command: String,
    /// When it took the lock (RFC 3339).
    pub started: String,
}

/// The held lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct WriterLock {
    file: File,
    path: PathBuf,
}

impl WriterLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = FileExt::unlock(&self.file);
    }
}

/// Takes the writer lock of `data_dir` for `command`. Held by someone else: with `wait`,
/// waits for it (saying so once on stderr); without, fails naming the holder.
pub fn acquire(data_dir: &Path, command: &str, wait: bool) -> anyhow::Result<WriterLock> {
    std::fs::create_dir_all(data_dir).map_err(|e| {
        anyhow::anyhow!("{}: cannot create the data folder: {e}", data_dir.display())
    })?;
    let path = data_dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| anyhow::anyhow!("{}: cannot open the lock file: {e}", path.display()))?;
    let mut said = false;
    loop {
        match FileExt::try_lock_exclusive(&file) {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => anyhow::bail!("{}: cannot lock: {e}", path.display()),
        }
        let holder = describe(&path);
        if !wait {
            anyhow::bail!(
                "{}: locked by {holder}; one index/update at a time — retry later or pass --wait",
                data_dir.display()
            );
        }
        if !said {
            eprintln!("{}: locked by {holder}; waiting…", data_dir.display());
            said = true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let holder = Holder {
        pid: std::process::id(),
        command: command.to_owned(),
        started: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let mut lock = WriterLock { file, path };
    let mut write = || -> std::io::Result<()> {
        lock.file.set_len(0)?;
        lock.file.seek(SeekFrom::Start(0))?;
        let json = serde_json::to_string(&holder).map_err(std::io::Error::other)?;
        lock.file.write_all(json.as_bytes())?;
        lock.file.write_all(b"\n")?;
        lock.file.sync_data()
    };
    write()
        .map_err(|e| anyhow::anyhow!("{}: cannot write the lock file: {e}", lock.path.display()))?;
    Ok(lock)
}

/// "gadocs update (pid 123, since 2026-…)" from the lock file, or a generic description
/// when the holder never writes it. The holder writes the file just after taking the lock,
/// so an empty file is read again a few times before giving up.
fn describe(path: &Path) -> String {
    for _ in 0..25 {
        let mut s = String::new();
        if let Ok(mut f) = File::open(path) {
            let _ = f.read_to_string(&mut s);
        }
        if let Ok(h) = serde_json::from_str::<Holder>(s.trim()) {
            return format!("gadocs {} (pid {}, since {})", h.command, h.pid, h.started);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    "another gadocs process".to_owned()
}
