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
//!   the writing connection.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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
        let n = self.conns.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed) % n;
        let free = (0..n).find_map(|i| self.conns[(start + i) % n].try_lock().ok());
        let guard = match free {
            Some(g) => g,
            None => self.conns[start]
                .lock()
                .map_err(|_| Error::internal("sqlite", "reader lock poisoned"))?,
        };
        // BEGIN/COMMIT as cached statements (parsed once per reader).
        guard.prepare_cached("BEGIN")?.execute([])?;
        let out = f(&guard);
        let end = if out.is_ok() { "COMMIT" } else { "ROLLBACK" };
        guard.prepare_cached(end)?.execute([])?;
        out
    }
}
