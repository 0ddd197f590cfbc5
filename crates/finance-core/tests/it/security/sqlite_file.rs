//! The SQLite file on disk: who may read it, several app instances opening a
//! new file at once, durability settings, and the backup taken before a
//! migration.
//!
//! These tests open their own files (SQLite only) and look at them from the
//! outside: modes, the backups folder, pragmas through the `testing` hook.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use finance_core::auth::SigningKey;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Finance, Id};
use finance_testkit::{auth_settings, sign_in};
use rusqlite::Connection;

const DB: &str = "finance.sqlite3";

async fn open(path: &Path) -> SqliteStore {
    SqliteStore::open(path)
        .await
        .unwrap_or_else(|e| panic!("open {}: {e:?}", path.display()))
}

/// Register a user through a store on `path` (so it holds user data and a WAL).
async fn register(store: SqliteStore, username: &str) {
    let finance = Finance::new(Arc::new(store), &SigningKey::generate(), auth_settings());
    sign_in(&finance, username).await;
}

// ------------------------------------------------------------ permissions

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The data folder, the file, its `-wal` and `-shm` (and their modes).
#[cfg(unix)]
fn modes(dir: &Path) -> Vec<(String, u32)> {
    [
        dir.to_path_buf(),
        dir.join(DB),
        dir.join(format!("{DB}-wal")),
        dir.join(format!("{DB}-shm")),
    ]
    .iter()
    .map(|p| (p.display().to_string(), mode(p)))
    .collect()
}

#[cfg(unix)]
fn assert_private(dir: &Path, when: &str) {
    let modes = modes(dir);
    let expected: Vec<u32> = vec![0o700, 0o600, 0o600, 0o600];
    let found: Vec<u32> = modes.iter().map(|(_, m)| *m).collect();
    assert_eq!(
        found,
        expected,
        "{when}: the data folder must be 0700 and the database files 0600 (other OS users \
         must not read them): {:?}",
        modes
            .iter()
            .map(|(p, m)| format!("{p} {m:o}"))
            .collect::<Vec<_>>()
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_files_are_readable_only_by_their_owner() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("app-data");
    let path = dir.join(DB);
    let store = open(&path).await;
    // The store's connection stays open: the -wal and -shm files exist while it does.
    let kept = store.clone();
    register(store, "ann").await;
    assert_private(&dir, "a new data folder");
    drop(kept);

    // Files left readable by an older version are tightened at start.
    set_mode(&dir, 0o755);
    for file in [DB, &format!("{DB}-wal"), &format!("{DB}-shm")] {
        let p = dir.join(file);
        if p.exists() {
            set_mode(&p, 0o644);
        } else {
            std::fs::write(&p, b"").unwrap();
            set_mode(&p, 0o644);
        }
    }
    let store = open(&path).await;
    let kept = store.clone();
    register(store, "bob").await;
    assert_private(&dir, "an existing data folder with readable files");
    drop(kept);
}

// ------------------------------------------------------------ two instances

/// Several app instances starting at once on a new file: every open succeeds
/// (only one runs each migration) and the schema is complete.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_new_file_opened_by_several_instances_at_once() {
    const ROUNDS: usize = 10;
    const INSTANCES: usize = 6;
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        let path = tmp.path().join(format!("round{round}")).join(DB);
        // Each instance opens on its own OS thread, as separate processes would.
        let barrier = Arc::new(std::sync::Barrier::new(INSTANCES));
        let opened: Vec<_> = (0..INSTANCES)
            .map(|_| {
                let (path, barrier) = (path.clone(), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .build()
                        .unwrap();
                    barrier.wait();
                    rt.block_on(SqliteStore::open(&path))
                })
            })
            .collect();
        let mut stores = Vec::new();
        for handle in opened {
            match handle.join().expect("opening thread") {
                Ok(store) => stores.push(store),
                Err(e) => failures.push(format!("round {round}: {e:?}")),
            }
        }
        if let Some(store) = stores.pop() {
            register(store, "ann").await;
        }
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(
            version as usize,
            SqliteStore::schema_version(),
            "round {round}: the file ends at the current schema"
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} opens of a new file failed: {failures:?}",
        failures.len(),
        ROUNDS * INSTANCES
    );
}

// ------------------------------------------------------------ durability

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_commits_are_durable_and_the_wal_is_capped() {
    let tmp = tempfile::tempdir().unwrap();
    let store = open(&tmp.path().join(DB)).await;
    assert_eq!(
        store.pragma_for_tests("synchronous", None).unwrap(),
        2,
        "synchronous = FULL: a confirmed write survives a power loss in WAL mode"
    );
    let limit = store.pragma_for_tests("journal_size_limit", None).unwrap();
    assert!(
        (1..=64 << 20).contains(&limit),
        "journal_size_limit caps the WAL after a checkpoint (found {limit})"
    );
}

// ------------------------------------------------------------ backup before migrating

/// The backups beside `path`, oldest first (by name).
fn backups(path: &Path) -> Vec<PathBuf> {
    let dir = path.parent().unwrap().join("backups");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    found.sort();
    found
}

/// A database as the previous release left it, with one user in it (none
/// when `username` is empty).
fn previous_release_file(path: &Path, username: &str) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let previous = SqliteStore::schema_version() - 1;
    SqliteStore::create_at_version_for_tests(path, previous).unwrap();
    if username.is_empty() {
        return;
    }
    let conn = Connection::open(path).unwrap();
    conn.execute(
        "INSERT INTO users (id, username, email, password_hash, first_name, last_name, \
         currency, created_at) VALUES (?1, ?2, ?2 || '@example.com', 'h', 'A', 'B', 'EUR', 0)",
        rusqlite::params![Id::generate().to_hex(), username],
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_migration_backs_up_user_data_first_keeping_three() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("data").join(DB);

    // A brand-new file has nothing to lose: no backup.
    drop(open(&path).await);
    assert!(backups(&path).is_empty(), "no backup of a new file");
    // Nor of an older file without user data.
    previous_release_file(&path, "");
    drop(open(&path).await);
    assert!(
        backups(&path).is_empty(),
        "no backup of a file without users"
    );

    // A file of the previous release with a user: backed up before migrating.
    previous_release_file(&path, "first");
    drop(open(&path).await);
    let found = backups(&path);
    assert_eq!(found.len(), 1, "one backup before the migration: {found:?}");
    let copy = Connection::open(&found[0]).unwrap();
    let version: i64 = copy
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(
        version as usize,
        SqliteStore::schema_version() - 1,
        "the backup is the database as it was before the migration"
    );
    let users: Vec<String> = copy
        .prepare("SELECT username FROM users")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(users, ["first"], "the backup holds the user data");
    #[cfg(unix)]
    assert_eq!(
        mode(&found[0]),
        0o600,
        "a backup is private like the database"
    );
    drop(copy);

    // Opening an up-to-date file takes no backup.
    drop(open(&path).await);
    assert_eq!(backups(&path).len(), 1, "no backup without a migration");

    // Four more migrations of previous-release files: the newest three are kept.
    for n in 2..=5 {
        previous_release_file(&path, &format!("user{n}"));
        drop(open(&path).await);
    }
    let found = backups(&path);
    assert_eq!(found.len(), 3, "the last three backups are kept: {found:?}");
    let kept: Vec<String> = found
        .iter()
        .map(|p| {
            let conn = Connection::open(p).unwrap();
            conn.query_row("SELECT username FROM users", [], |r| r.get(0))
                .unwrap()
        })
        .collect();
    assert_eq!(
        kept,
        ["user3", "user4", "user5"],
        "backup names sort oldest first, and the oldest were removed"
    );
}
