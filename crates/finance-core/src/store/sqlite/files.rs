//! The store's files on disk: who may read them, and the backups taken
//! before a migration.
//!
//! Invariants:
//! * on Unix the data folder is created `0700` and the database file `0600`
//!   before SQLite opens it (SQLite gives the `-wal` and `-shm` files the
//!   database file's mode); a folder or file that already exists with any
//!   group or other permission bit is tightened to that mode when the store
//!   opens. A folder with the sticky bit (a shared folder such as `/tmp`) is
//!   never changed — only the store's own files in it. Elsewhere (Windows)
//!   the per-user profile folders' ACLs apply and nothing is changed;
//! * before a migration changes a database that holds user data, SQLite's
//!   online backup API copies it (inside the migration's write lock, so the
//!   copy is exactly the pre-migration database) to
//!   `backups/<stem>-<NNNNNN>-schema<V>.sqlite3` beside it: `NNNNNN` counts
//!   up, zero-padded, so names sort oldest first; `V` is the schema version
//!   of the copy. The copy is written to a `.part` file and renamed when
//!   complete, and only the newest [`KEEP_BACKUPS`] are kept.

use std::path::{Path, PathBuf};

use rusqlite::backup::StepResult;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// How many pre-migration backups are kept.
pub(super) const KEEP_BACKUPS: usize = 3;

/// The mode of the data and backups folders (Unix).
#[cfg(unix)]
const FOLDER_MODE: u32 = 0o700;
/// The mode of the database, its `-wal` and `-shm`, and backups (Unix).
#[cfg(unix)]
const FILE_MODE: u32 = 0o600;

/// Make the folder `dir` (and missing parents) `0700`, or tighten it.
pub(super) fn private_folder(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(FOLDER_MODE);
    }
    builder.create(dir).map_err(|e| {
        tracing::error!(dir = %dir.display(), error = %e, "cannot create data directory");
        Error::Unavailable {
            message: format!("cannot create the data folder {}: {e}", dir.display()),
        }
    })?;
    tighten(dir, true);
    Ok(())
}

/// Create the database file `path` empty and `0600` when it is missing (an
/// empty file is a new database to SQLite), and tighten it and its `-wal`
/// and `-shm` when they exist.
pub(super) fn private_database(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options.open(path).map_err(|e| {
        tracing::error!(path = %path.display(), error = %e, "cannot create the data file");
        Error::Unavailable {
            message: format!("cannot create the data file {}: {e}", path.display()),
        }
    })?;
    tighten(path, false);
    for suffix in ["-wal", "-shm"] {
        tighten(&with_suffix(path, suffix), false);
    }
    Ok(())
}

/// `path` with `suffix` appended to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Remove group and other permissions from `path` if it exists (Unix; a
/// folder with the sticky bit is shared and left alone). A failure is logged:
/// the store still opens.
fn tighten(path: &Path, folder: bool) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(path) else {
            return;
        };
        let mode = meta.permissions().mode();
        const STICKY: u32 = 0o1000;
        if mode & 0o077 == 0 || (folder && mode & STICKY != 0) {
            return;
        }
        let wanted = if folder { FOLDER_MODE } else { FILE_MODE };
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(wanted)) {
            Ok(()) => tracing::info!(path = %path.display(), "made private to its owner"),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "cannot restrict permissions")
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (path, folder);
}

/// Copy the database file `path` at schema `version` to the next backup
/// beside it, then remove all but the newest [`KEEP_BACKUPS`]. Returns the
/// backup's path.
///
/// The caller holds the write lock (an open `IMMEDIATE` transaction that
/// has written nothing yet), so the copy is read through a second,
/// read-only connection: in WAL mode it reads the last committed state while
/// the lock keeps anyone from changing it. (The backup API refuses to read
/// through a connection that is itself inside a write transaction:
/// `SQLITE_LOCKED` on every step.)
pub(super) fn backup(path: &Path, version: usize) -> Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new(".")).join("backups");
    private_folder(&dir)?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("finance");
    let existing = numbered(&dir, stem);
    let next = existing.last().map_or(1, |(n, _)| n + 1);
    let target = dir.join(format!("{stem}-{next:06}-schema{version}.sqlite3"));
    let part = with_suffix(&target, ".part");
    let _ = std::fs::remove_file(&part);
    private_database(&part)?;
    {
        let src = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut dst = Connection::open(&part)?;
        let copy = rusqlite::backup::Backup::new(&src, &mut dst)?;
        // Every page in one step; a step that cannot read fails the open
        // (nothing was migrated) instead of waiting.
        match copy.step(-1)? {
            StepResult::Done => {}
            other => {
                drop(copy);
                let _ = std::fs::remove_file(&part);
                tracing::error!(?other, "the backup before migrating did not complete");
                return Err(Error::Unavailable {
                    message: "the data file could not be backed up before updating it; try again"
                        .into(),
                });
            }
        }
    }
    std::fs::rename(&part, &target).map_err(|e| Error::internal("sqlite backup rename", e))?;
    tracing::info!(backup = %target.display(), version, "database backed up before migrating");
    let mut all = numbered(&dir, stem);
    let excess = all.len().saturating_sub(KEEP_BACKUPS);
    for (_, old) in all.drain(..excess) {
        if let Err(e) = std::fs::remove_file(&old) {
            tracing::warn!(path = %old.display(), error = %e, "cannot remove an old backup");
        }
    }
    Ok(target)
}

/// The backups of `stem` in `dir` with their numbers, oldest first.
fn numbered(dir: &Path, stem: &str) -> Vec<(u64, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(u64, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let rest = name.strip_prefix(stem)?.strip_prefix('-')?;
            let (number, tail) = rest.split_once('-')?;
            if !(tail.starts_with("schema") && tail.ends_with(".sqlite3")) {
                return None;
            }
            Some((number.parse().ok()?, e.path()))
        })
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backups_are_found_by_their_number_only() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "finance-000002-schema2.sqlite3",
            "finance-000010-schema3.sqlite3",
            "finance-000001-schema1.sqlite3",
            "finance-000003-schema2.sqlite3.part",
            "other-000004-schema2.sqlite3",
            "finance-x-schema2.sqlite3",
        ] {
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        let found: Vec<u64> = numbered(dir.path(), "finance")
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(
            found,
            [1, 2, 10],
            "numbers sort numerically; others ignored"
        );
    }
}
