//! Read-only connections for reads, beside the one writing connection.
//!
//! In WAL mode readers never block the writer nor each other, so reads stop
//! queueing behind the one connection's mutex (a server answering many
//! people at once reads far more than it writes).
//!
//! Invariants:
//! * a reader is opened read-only (and `query_only`) after the writer
//!   migrated the file, so it never changes the schema or the data;
//! * each read runs in one deferred transaction: all its statements see one
//!   snapshot, as when reads and writes shared the one connection (a write
//!   committed before the read began is seen; one committed during it is not);
//! * with no readers (a file that cannot be opened twice), reads fall back to
//!   the writing connection;
//! * [`Readers::try_with`] never waits: it takes a reader only if one is free
//!   at once (the store's `lookup`s run on the caller's thread with it).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// The readers (possibly none).
pub(super) struct Readers {
    conns: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

/// How many readers a store opens: one per core, at least 2 and at most 4
/// (each keeps its own page cache).
fn how_many() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 4)
}

/// The page cache of each reader: 16 MiB (the writer's is 64 MiB).
const READER_CACHE_KIB: i64 = 16 * 1024;

fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(super::conn::BUSY_TIMEOUT)?;
    conn.pragma_update(None, "query_only", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -READER_CACHE_KIB)?;
    super::conn::stable_plans(&conn)?;
    Ok(conn)
}

impl Readers {
    /// Readers of the (already migrated) file at `path`; none for an
    /// in-memory database or when the file cannot be opened again.
    pub(super) fn open(path: &Path) -> Readers {
        let conns = if path == Path::new(":memory:") {
            Vec::new()
        } else {
            (0..how_many())
                .map(|_| open_reader(path))
                .collect::<Result<Vec<_>>>()
                .map(|v| v.into_iter().map(Mutex::new).collect())
                .unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "read-only connections not opened; reads share the writer");
                    Vec::new()
                })
        };
        Readers {
            conns,
            next: AtomicUsize::new(0),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.conns.is_empty()
    }

    /// Run `f` on a free reader (else wait for the next in turn), inside one
    /// deferred transaction.
    pub(super) fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let (start, free) = self.free();
        let guard = match free {
            Some(g) => g,
            None => self.conns[start]
                .lock()
                .map_err(|_| Error::internal("sqlite", "reader lock poisoned"))?,
        };
        in_snapshot(&guard, f)
    }

    /// Run `f` as [`Readers::with`] does if a reader is free at once;
    /// otherwise hand `f` back without waiting.
    pub(super) fn try_with<T, F>(&self, f: F) -> std::result::Result<Result<T>, F>
    where
        F: FnOnce(&Connection) -> Result<T>,
    {
        if self.conns.is_empty() {
            return Err(f);
        }
        match self.free() {
            (_, Some(guard)) => Ok(in_snapshot(&guard, f)),
            (_, None) => Err(f),
        }
    }

    /// The reader to start from (in turn) and the first free one from there.
    fn free(&self) -> (usize, Option<MutexGuard<'_, Connection>>) {
        let n = self.conns.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed) % n;
        let free = (0..n).find_map(|i| self.conns[(start + i) % n].try_lock().ok());
        (start, free)
    }
}

/// `f` inside one deferred transaction (one snapshot) on `conn`.
fn in_snapshot<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    // BEGIN/COMMIT as cached statements (parsed once per reader).
    conn.prepare_cached("BEGIN")?.execute([])?;
    let out = f(conn);
    let end = if out.is_ok() { "COMMIT" } else { "ROLLBACK" };
    conn.prepare_cached(end)?.execute([])?;
    out
}
