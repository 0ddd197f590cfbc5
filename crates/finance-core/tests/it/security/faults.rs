//! Fault handling: a MongoDB server killed mid-operation and restarted, an
//! import killed mid-transaction, a full disk, and concurrent writers.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use finance_core::auth::SigningKey;
use finance_core::domain::{DateRange, IdempotencyKey};
use finance_core::store::mongo::MongoStore;
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Finance, Id};

use finance_testkit::{Harness, all_time, auth_settings, category_named, d, new_tx, now, sign_in};

fn kill9(child: &Child) {
    let status = Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -KILL failed");
}

// ------------------------------------------------------------ concurrency

/// `tasks` writers each add `per_task` transactions while also editing and
/// deleting rows that exist beforehand; the final count and sum are exact.
pub async fn concurrent_writers(h: &Harness, tasks: u64, per_task: u64) {
    let user = h.user("ann").await;
    let cat = h.category(&user, "Groceries").await.id;
    // 16 known rows per task: the task sets the even ones to 7.00 and deletes the odd ones.
    let mut known: Vec<Vec<Id>> = Vec::new();
    for t in 0..tasks {
        let mut mine = Vec::new();
        for i in 0..16 {
            mine.push(
                h.tx(&user, cat, "1.00", "2024-01-01", &format!("known {t} {i}"))
                    .await
                    .id,
            );
        }
        known.push(mine);
    }
    let finance = Arc::new(h.restarted().await);
    let mut handles = Vec::new();
    for (t, mine) in known.into_iter().enumerate() {
        let finance = Arc::clone(&finance);
        let user = user.clone();
        handles.push(tokio::spawn(async move {
            for i in 0..per_task {
                let tx = new_tx(cat, "0.01", "2024-02-01", &format!("w{t} {i}"));
                finance
                    .add_transaction(&user, tx, now())
                    .await
                    .expect("add");
                let step = i as usize;
                if step < mine.len() {
                    let id = mine[step];
                    if step.is_multiple_of(2) {
                        let change = new_tx(cat, "7.00", "2024-01-01", "edited");
                        finance
                            .update_transaction(&user, id, change, now())
                            .await
                            .expect("edit");
                    } else {
                        finance.delete_transaction(&user, id).await.expect("delete");
                    }
                }
            }
        }));
    }
    for handle in handles {
        handle.await.expect("writer task");
    }
    let s = h.finance.summary(&user, all_time()).await.unwrap();
    let added = tasks * per_task;
    assert_eq!(s.count, added + tasks * 8, "rows lost or duplicated");
    assert_eq!(
        s.expense,
        (added as i64) + (tasks as i64) * 8 * 700,
        "an edit or add was lost"
    );
    assert_eq!(s.income, 0, "the writers add expenses only");
}

// ------------------------------------------------------------ SQLite: killed import

const CHILD_DB: &str = "FINANCE_FAULT_IMPORT_DB";
const IMPORT_ROWS: u32 = 100_000;

/// The test name of [`import_child`] in this binary, for the child's
/// `--exact` filter: this module's path without the crate name, so it follows
/// the module if it moves.
fn import_child_test_name() -> String {
    let module = module_path!();
    let in_binary = module.split_once("::").map_or(module, |(_, rest)| rest);
    format!("{in_binary}::import_child")
}

/// Not a test on its own: the child process of
/// `sqlite_import_killed_midway_leaves_nothing`, which runs it with `CHILD_DB`
/// set. Run without it (e.g. by `--ignored`), it fails: it has nothing to do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child process of a fault test"]
async fn import_child() {
    let path = std::env::var_os(CHILD_DB).unwrap_or_else(|| {
        panic!(
            "import_child is the child process of sqlite_import_killed_midway_leaves_nothing \
             and needs {CHILD_DB} (the SQLite file to import into); run that test instead"
        )
    });
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(Path::new(&path)).await.unwrap());
    let finance = Finance::new(store, &SigningKey::generate(), auth_settings());
    let user = sign_in(&finance, "ann").await;
    let mut text = String::from("date,amount,description,category\n");
    for i in 0..IMPORT_ROWS {
        text.push_str(&format!(
            "2023-{:02}-{:02},-{}.{:02},Shop number {},Groceries\n",
            i % 12 + 1,
            i % 28 + 1,
            i % 500 + 1,
            i % 100,
            i
        ));
    }
    let settings = finance_core::csv_io::sniff_csv(text.as_bytes())
        .unwrap()
        .guess;
    let progress = |done: u64, total: u64| {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(out, "PROGRESS {done} {total}").ok();
        out.flush().ok();
    };
    finance
        .import_commit(
            &user,
            None,
            text.as_bytes(),
            &settings,
            &[],
            true,
            now(),
            &progress,
        )
        .await
        .unwrap();
    println!("DONE");
    // Never returns: the parent kills this process.
    loop {
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}

#[test]
fn sqlite_import_killed_midway_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("finance.sqlite3");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            &import_child_test_name(),
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_DB, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the child");
    let stdout = child.stdout.take().unwrap();
    let mut seen = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("PROGRESS ") {
            let done: u64 = rest.split(' ').next().unwrap().parse().unwrap();
            if done >= 5_000 {
                seen = Some(done);
                break;
            }
        }
        assert_ne!(
            line, "DONE",
            "the import finished before it could be killed"
        );
    }
    let done = seen.expect("the child printed progress");
    kill9(&child);
    child.wait().unwrap();
    assert!(done < u64::from(IMPORT_ROWS), "killed mid-import");

    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let users: i64 = conn
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(users, 1, "the registration before the import survives");
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM transactions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        rows, 0,
        "a killed import left {rows} rows (killed after {done})"
    );
}

// ------------------------------------------------------------ SQLite: full disk

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_full_disk_is_unavailable_and_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("finance.sqlite3");
    let sqlite = Arc::new(SqliteStore::open(&path).await.unwrap());
    let store: Arc<dyn Store> = sqlite.clone();
    let finance = Finance::new(store, &SigningKey::generate(), auth_settings());
    let user = sign_in(&finance, "ann").await;
    let cat = category_named(&finance, &user, "Groceries").await.id;
    for i in 0..20 {
        finance
            .add_transaction(
                &user,
                new_tx(cat, "2.50", "2024-01-02", &format!("before {i}")),
                now(),
            )
            .await
            .unwrap();
    }
    let pages: i64 = {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap()
    };
    // The file may not grow past its current size: the next new page fails as on a full disk.
    sqlite.set_max_page_count_for_tests(pages as u64).unwrap();
    let mut failure = None;
    for i in 0..20_000 {
        let long = format!("filler {i} {}", "x".repeat(150));
        match finance
            .add_transaction(&user, new_tx(cat, "1.00", "2024-01-03", &long), now())
            .await
        {
            Ok(_) => {}
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let err = failure.expect("the capped file filled up");
    assert_eq!(err.code().as_str(), "unavailable", "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("disk is full") && message.contains("free some space"),
        "the message says what to do: {message}"
    );
    // Existing data is intact and readable through the same store.
    let s = finance
        .summary(&user, DateRange::month_of(d("2024-01-02")))
        .await
        .unwrap();
    assert!(s.count >= 20);
    let before = finance
        .summary(
            &user,
            DateRange::new(d("2024-01-02"), d("2024-01-02")).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!((before.count, before.expense), (20, 20 * 250));
    let c = rusqlite::Connection::open(&path).unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

// ------------------------------------------------------------ MongoDB: killed server

fn secantusd() -> PathBuf {
    std::env::var_os("FINANCE_SECANTUSD")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv-mongo/bin/secantusd-py")
        })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `--sync-on-commit`: the test server acknowledges a write before it is on
/// disk unless told otherwise (without it, a SIGKILL lost acknowledged adds:
/// 27 of 35 survived). The app asks for majority write concern, which a real
/// `mongod` journals before acknowledging; this flag gives the same guarantee.
fn start_server(port: u16, storage: &Path) -> Child {
    let child = Command::new(secantusd())
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--sync-on-commit",
        ])
        .arg("--storage-path")
        .arg(storage)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start SecantusDB (set FINANCE_SECANTUSD or run ./dev setup)");
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "SecantusDB did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    child
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The product's bound: with the server gone, a call answers `Unavailable` within 5 s.
const UNAVAILABLE_BOUND: Duration = Duration::from_secs(5);

fn key(i: u32) -> IdempotencyKey {
    IdempotencyKey::parse("idempotencyKey", &format!("fault-test-key-{i:08}")).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mongo_server_killed_and_restarted_recovers_without_duplicates() {
    let storage = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = Server(start_server(port, storage.path()));
    let uri = format!("mongodb://127.0.0.1:{port}/?directConnection=true");
    let store: Arc<dyn Store> = Arc::new(MongoStore::connect(&uri, "faults").await.unwrap());
    let finance = Finance::new(store, &SigningKey::generate(), auth_settings());
    let user = sign_in(&finance, "ann").await;
    let cat = category_named(&finance, &user, "Groceries").await.id;
    // Every add carries an idempotency key, as the app's do.
    let add = |i: u32| {
        finance.add_transaction_with_key(
            &user,
            new_tx(cat, "1.00", "2024-01-05", &format!("row {i}")),
            &KEYS[i as usize],
            now(),
        )
    };
    let mut ok: Vec<Id> = Vec::new();
    for i in 0..30 {
        ok.push(add(i).await.expect("add before the kill").id);
    }

    // Kill the server while adds are in flight.
    let killed_at = std::sync::OnceLock::<Instant>::new();
    let in_flight = async {
        let mut out = Vec::new();
        for i in 100..200 {
            let r = add(i).await;
            let stop = r.is_err();
            out.push((i, r, Instant::now()));
            if stop {
                break;
            }
        }
        out
    };
    let killer = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        kill9(&server.0);
        killed_at.set(Instant::now()).unwrap();
    };
    let (results, ()) = tokio::join!(in_flight, killer);
    server.0.wait().unwrap();
    let killed_at = *killed_at.get().unwrap();
    let mut failed: Vec<u32> = Vec::new();
    for (i, r, at) in results {
        match r {
            Ok(tx) => ok.push(tx.id),
            Err(e) => {
                assert_eq!(e.code().as_str(), "unavailable", "{e:?}");
                let after_kill = at.saturating_duration_since(killed_at);
                println!("in flight: add {i} failed {after_kill:?} after the kill");
                assert!(
                    after_kill <= UNAVAILABLE_BOUND,
                    "took {after_kill:?} after the kill to fail"
                );
                failed.push(i);
            }
        }
    }
    assert_eq!(failed.len(), 1, "the adds stop at the first failure");

    // While it is down, calls answer Unavailable within the bound (an add, a read, an import).
    let started = Instant::now();
    let err = add(200).await.expect_err("the server is down");
    let took = started.elapsed();
    println!("down: add failed in {took:?}");
    assert_eq!(err.code().as_str(), "unavailable", "{err:?}");
    assert!(took <= UNAVAILABLE_BOUND, "took {took:?} to fail");
    failed.push(200);
    let started = Instant::now();
    let err = finance.summary(&user, all_time()).await.expect_err("down");
    let took = started.elapsed();
    println!("down: summary failed in {took:?}");
    assert_eq!(err.code().as_str(), "unavailable", "{err:?}");
    assert!(took <= UNAVAILABLE_BOUND, "took {took:?} to fail");

    // Restart on the same port and storage; the same Finance recovers.
    server = Server(start_server(port, storage.path()));
    let started = Instant::now();
    let after = loop {
        match add(300).await {
            Ok(tx) => break tx,
            Err(e) => {
                assert_eq!(e.code().as_str(), "unavailable", "{e:?}");
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "no recovery: {e:?}"
                );
            }
        }
    };
    ok.push(after.id);

    // The app retries each failed add with the same key: whether or not the
    // first try was applied before its reply was lost, it is there exactly once.
    for i in &failed {
        let tx = add(*i).await.expect("the retry after the restart");
        assert!(!ok.contains(&tx.id));
        ok.push(tx.id);
        let replay = add(*i).await.expect("a second replay");
        assert_eq!(replay.id, tx.id, "a replay returns the same transaction");
    }

    // Exactly the adds that returned Ok are stored, each once and whole.
    let s = finance.summary(&user, all_time()).await.unwrap();
    assert_eq!(s.count, ok.len() as u64, "no add lost, none duplicated");
    assert_eq!(s.expense, s.count as i64 * 100, "every stored add is whole");
    for id in &ok {
        finance
            .transaction(&user, *id)
            .await
            .expect("an Ok add survived");
    }
    drop(server);
}

static KEYS: std::sync::LazyLock<Vec<IdempotencyKey>> =
    std::sync::LazyLock::new(|| (0..400).map(key).collect());
