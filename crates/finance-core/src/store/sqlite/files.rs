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
//!   complete, and only the newest [`KEEP_BACKUPS`] are kept;
//! * before a migration that rebuilds tables (its peak disk use is about
//!   3.5× the database: the file, the backup, the rebuilt table in the
//!   `-wal`, the file's growth) the free space of the data folder's file
//!   system is checked ([`check_room_for_rebuild`]); too little is refused
//!   with `Unavailable`, naming the bytes needed and available, before
//!   anything is written. Where the free space cannot be read the
//!   migration goes ahead (it is one transaction: a full disk rolls it back).

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

/// Peak disk use of a migration that rebuilds tables, in tenths of the
/// database's size: 3.5× measured (migration 5 at 1,000,000 rows:
/// 1890 MiB for a 545 MiB file; BENCHMARKS.md, "Migration to accounts").
const REBUILD_PEAK_TENTHS: u128 = 35;

/// The free bytes a rebuild of a `file_bytes` database needs besides the
/// file itself (its peak less the file).
pub(super) fn rebuild_needs(file_bytes: u64) -> u64 {
    let extra = u128::from(file_bytes) * (REBUILD_PEAK_TENTHS - 10);
    u64::try_from(extra.div_ceil(10)).unwrap_or(u64::MAX)
}

/// `Ok` when `available` bytes (`None`: unknown) cover `needed` in `dir`;
/// otherwise `Unavailable`, naming both.
pub(super) fn check_room(needed: u64, available: Option<u64>, dir: &Path) -> Result<()> {
    let Some(available) = available else {
        tracing::warn!(dir = %dir.display(), "free disk space unknown; migrating anyway");
        return Ok(());
    };
    if available >= needed {
        return Ok(());
    }
    let mib = |b: u64| b.div_ceil(1 << 20);
    Err(Error::Unavailable {
        message: format!(
            "not enough free disk space to update the data file: the update needs {needed} bytes \
             ({} MiB) free in {}, and {available} bytes ({} MiB) are available; free some space \
             and open the app again (nothing was changed)",
            mib(needed),
            dir.display(),
            mib(available),
        ),
    })
}

/// [`check_room`] for a rebuild of the database `conn` at `path`, whose
/// folder's free space `available` reads ([`available_space`] in the app).
pub(super) fn check_room_for_rebuild(
    conn: &Connection,
    path: &Path,
    available: fn(&Path) -> Option<u64>,
) -> Result<()> {
    let pages: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
    let page_size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
    let file_bytes = u64::try_from(pages.saturating_mul(page_size)).unwrap_or(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    check_room(rebuild_needs(file_bytes), available(dir), dir)
}

/// The bytes an unprivileged process may still write on the file system
/// holding `dir` (`statvfs`: `f_bavail × f_frsize`), or `None` when unknown.
pub(super) fn available_space(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        match rustix::fs::statvfs(dir) {
            Ok(s) => Some(s.f_bavail.saturating_mul(s.f_frsize)),
            Err(e) => {
                tracing::warn!(dir = %dir.display(), error = %e, "statvfs failed");
                None
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
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

    #[test]
    fn a_rebuild_needs_two_and_a_half_times_the_file_free() {
        assert_eq!(
            rebuild_needs(1000),
            2500,
            "peak 3.5x, of which the file is 1x"
        );
        assert_eq!(rebuild_needs(3), 8, "rounded up");
        assert_eq!(rebuild_needs(0), 0);
        assert_eq!(rebuild_needs(u64::MAX), u64::MAX, "saturates, never wraps");
        let dir = Path::new("/data/finance");
        assert!(check_room(2500, Some(2500), dir).is_ok(), "exactly enough");
        assert!(check_room(2500, None, dir).is_ok(), "unknown: go ahead");
        let e = check_room(2_621_440_000, Some(1_048_576_000), dir).unwrap_err();
        let Error::Unavailable { message } = &e else {
            panic!("too little space is Unavailable: {e:?}");
        };
        for part in [
            "2621440000 bytes",
            "(2500 MiB)",
            "1048576000 bytes",
            "(1000 MiB)",
            "/data/finance",
        ] {
            assert!(message.contains(part), "{part:?} in {message:?}");
        }
    }

    #[test]
    fn the_free_space_of_a_real_folder_is_read() {
        let dir = tempfile::tempdir().unwrap();
        if cfg!(unix) {
            assert!(
                available_space(dir.path()).is_some_and(|b| b > 0),
                "statvfs answers for an existing folder"
            );
        }
        assert_eq!(
            available_space(&dir.path().join("missing")),
            None,
            "a folder that is not there: unknown"
        );
    }
}
