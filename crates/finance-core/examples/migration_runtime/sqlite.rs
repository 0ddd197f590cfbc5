//! The SQLite half: grow the schema-4 fixture, time `SqliteStore::open`, check.

use super::*;

/// The size of `path`, 0 when missing; a folder's files summed.
fn size(path: &Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => std::fs::read_dir(path)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| size(&e.path()))
                    .sum()
            })
            .unwrap_or(0),
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}

/// `path` with `suffix` appended to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A line of `/proc/self/status` in KiB (`VmHWM`, `VmRSS`); 0 elsewhere.
fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix(':').map(str::to_string))
        })
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

// ---------------------------------------------------------------- SQLite ---

/// Migration 2's backfill of the report sums (`store/sqlite/schema.rs`).
const REBUILD_SUMS: &str = r#"
DELETE FROM tx_daily;
DELETE FROM tx_desc_daily;
INSERT INTO tx_daily (user_id, date, kind, category_id, total, n)
    SELECT user_id, date, kind, category_id, SUM(amount), COUNT(*)
    FROM transactions GROUP BY user_id, date, kind, category_id;
INSERT INTO tx_desc_daily (user_id, date, k, total, n)
    SELECT user_id, date, substr(search_text, 1, instr(search_text || char(10), char(10)) - 1),
           SUM(amount), COUNT(*)
    FROM transactions GROUP BY 1, 2, 3;
"#;

/// Rows where a kept sum differs from a `GROUP BY` over `transactions`, both
/// ways: the report sums, and from schema 5 the per-account sums (the
/// schema tests' check, `store/sqlite/schema.rs`).
fn aggregate_drift(conn: &Connection, accounts: bool) -> Res<i64> {
    const KEY: &str = "substr(search_text, 1, instr(search_text || char(10), char(10)) - 1)";
    let categorised = if accounts {
        "WHERE category_id IS NOT NULL"
    } else {
        ""
    };
    let daily = format!(
        "SELECT user_id, date, kind, category_id, SUM(amount), COUNT(*)
         FROM transactions {categorised} GROUP BY 1, 2, 3, 4"
    );
    let desc = format!(
        "SELECT user_id, date, {KEY}, SUM(amount), COUNT(*) FROM transactions
         {categorised} GROUP BY 1, 2, 3"
    );
    let mut q = format!(
        "SELECT (SELECT COUNT(*) FROM ({daily} EXCEPT SELECT * FROM tx_daily))
              + (SELECT COUNT(*) FROM (SELECT * FROM tx_daily EXCEPT {daily}))
              + (SELECT COUNT(*) FROM ({desc} EXCEPT SELECT * FROM tx_desc_daily))
              + (SELECT COUNT(*) FROM (SELECT * FROM tx_desc_daily EXCEPT {desc}))"
    );
    if accounts {
        let account = "SELECT user_id, account_id, date,
                              SUM(CASE WHEN kind IN ('income', 'transfer_in') THEN amount
                                       ELSE -amount END), COUNT(*)
                       FROM transactions GROUP BY 1, 2, 3";
        let totals = "SELECT user_id, account_id, SUM(e >> 32), SUM(e & 4294967295), COUNT(*),
                             SUM(CASE WHEN c THEN e >> 32 ELSE 0 END),
                             SUM(CASE WHEN c THEN e & 4294967295 ELSE 0 END)
                      FROM (SELECT user_id, account_id, status <> 'uncleared' AS c,
                                   CASE WHEN kind IN ('income', 'transfer_in') THEN amount
                                        ELSE -amount END AS e
                            FROM transactions)
                      GROUP BY 1, 2";
        q.push_str(&format!(
            " + (SELECT COUNT(*) FROM ({account} EXCEPT SELECT * FROM tx_account_daily))
              + (SELECT COUNT(*) FROM (SELECT * FROM tx_account_daily EXCEPT {account}))
              + (SELECT COUNT(*) FROM ({totals} EXCEPT SELECT * FROM tx_account_totals))
              + (SELECT COUNT(*) FROM (SELECT * FROM tx_account_totals EXCEPT {totals}))"
        ));
    }
    Ok(conn.query_row(&q, [], |r| r.get(0))?)
}

/// The sum and count of each (user, category, month).
fn sqlite_sums(conn: &Connection) -> Res<Sums> {
    let mut stmt = conn.prepare(
        "SELECT user_id, category_id, substr(date, 1, 7), SUM(amount), COUNT(*)
         FROM transactions GROUP BY 1, 2, 3",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(((r.get(0)?, r.get(1)?, r.get(2)?), (r.get(3)?, r.get(4)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Copy the schema-4 fixture to `path` and grow `ann`'s history to `rows`
/// transactions as the previous release would hold them. Returns her id.
fn build_template(path: &Path, rows: u64) -> Res<String> {
    std::fs::copy(fixtures().join("finance.sqlite3"), path)?;
    let mut conn = Connection::open(path)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version != 4 {
        return Err(format!("the fixture is at schema {version}, not 4").into());
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    let user: String = conn.query_row("SELECT id FROM users WHERE username = ?1", [USER], |r| {
        r.get(0)
    })?;
    let categories: Vec<(String, String)> = conn
        .prepare("SELECT id, kind FROM categories WHERE user_id = ?1 ORDER BY id")?
        .query_map([&user], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let kinds: Vec<bool> = categories.iter().map(|(_, k)| k == "income").collect();
    let have: i64 = conn.query_row(
        "SELECT COUNT(*) FROM transactions WHERE user_id = ?1",
        [&user],
        |r| r.get(0),
    )?;
    let have = u64::try_from(have)?;
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut left = rows.saturating_sub(have);
    let started = Instant::now();
    while left > 0 {
        let n = left.min(SQLITE_CHUNK);
        let tx = conn.transaction()?;
        // As the previous release's bulk import: the insert trigger paused,
        // the sums added afterwards (below, for all rows at once).
        tx.execute("INSERT INTO tx_agg_paused (one) VALUES (1)", [])?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO transactions (id, user_id, category_id, kind, amount, date,
                   description, note, search_text, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            )?;
            for _ in 0..n {
                let row = random_row(&mut rng, &kinds);
                insert.execute(params![
                    Id::generate().to_hex(),
                    user,
                    categories[row.category].0,
                    kind_str(row.income),
                    row.amount,
                    row.date.to_string(),
                    row.description,
                    row.note,
                    Transaction::search_text(&row.description, row.note),
                    row.created_at,
                ])?;
            }
        }
        tx.execute("DELETE FROM tx_agg_paused", [])?;
        tx.commit()?;
        left -= n;
    }
    let tx = conn.transaction()?;
    tx.execute_batch(REBUILD_SUMS)?;
    tx.commit()?;
    let drift = aggregate_drift(&conn, false)?;
    if drift != 0 {
        return Err(format!("the template's report sums differ from its rows ({drift})").into());
    }
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    println!(
        "template: {} rows of {USER} added in {:.1} s; report sums equal a GROUP BY",
        rows.saturating_sub(have),
        started.elapsed().as_secs_f64()
    );
    Ok(user)
}

/// What a poller saw of the files during the open.
#[derive(Default)]
struct DiskPeak {
    /// Database + `-wal` + `-shm` + backups, bytes.
    total: u64,
    wal: u64,
    /// When the backup file was complete (renamed from `.part`).
    backup_done: Option<Duration>,
}

/// Poll the files of the database `db` every 20 ms until `stop`.
fn watch_disk(db: PathBuf, started: Instant, stop: Arc<AtomicBool>) -> DiskPeak {
    let backups = db.parent().unwrap_or(Path::new(".")).join("backups");
    let mut peak = DiskPeak::default();
    while !stop.load(Ordering::Relaxed) {
        let wal = size(&with_suffix(&db, "-wal"));
        let total = size(&db) + wal + size(&with_suffix(&db, "-shm")) + size(&backups);
        peak.total = peak.total.max(total);
        peak.wal = peak.wal.max(wal);
        if peak.backup_done.is_none()
            && std::fs::read_dir(&backups).is_ok_and(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .any(|e| e.file_name().to_string_lossy().ends_with(".sqlite3"))
            })
        {
            peak.backup_done = Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    peak
}

pub(super) async fn sqlite(rows: u64, runs: u64) -> Res<()> {
    let work = tempfile::tempdir()?;
    let template = work.path().join("template.sqlite3");
    let user = build_template(&template, rows)?;
    let before = {
        let conn = Connection::open(&template)?;
        sqlite_sums(&conn)?
    };
    let user_rows: i64 = before
        .iter()
        .filter(|((u, _, _), _)| *u == user)
        .map(|(_, (_, n))| n)
        .sum();
    let all_rows: i64 = before.values().map(|(_, n)| n).sum();
    println!("{USER} has {user_rows} transactions ({all_rows} in the file)");

    for run in 1..=runs {
        let dir = work.path().join(format!("run{run}"));
        std::fs::create_dir(&dir)?;
        let db = dir.join("finance.sqlite3");
        std::fs::copy(&template, &db)?;
        let size_before = size(&db);

        std::fs::write("/proc/self/clear_refs", "5").ok();
        let idle_kib = status_kib("VmRSS");
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let watcher = {
            let (db, stop) = (db.clone(), Arc::clone(&stop));
            std::thread::spawn(move || watch_disk(db, started, stop))
        };
        let store = SqliteStore::open(&db).await?;
        let wall = started.elapsed();
        let peak_kib = status_kib("VmHWM");
        stop.store(true, Ordering::Relaxed);
        let disk = watcher.join().map_err(|_| "the disk poller panicked")?;
        let (wal_open, shm_open) = (
            size(&with_suffix(&db, "-wal")),
            size(&with_suffix(&db, "-shm")),
        );

        // The store's own view: one account, the signed sum of every row.
        let uid = Id::from_hex(&user).ok_or("the user's id")?;
        let balances = store.account_balances(uid).await?;
        drop(store);
        let (size_after, backups) = (size(&db), size(&dir.join("backups")));

        let conn = Connection::open(&db)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let free_pages: i64 = conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
        let page_size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
        let free = u64::try_from(free_pages * page_size)?;
        let after = sqlite_sums(&conn)?;
        let misplaced: i64 = conn.query_row(
            "SELECT COUNT(*) FROM transactions
             WHERE account_id <> user_id OR status <> 'uncleared' OR transfer_id IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        let (accounts, mains): (i64, i64) = conn.query_row(
            "SELECT COUNT(*), SUM(id = user_id AND name = ?1) FROM accounts",
            [MAIN_ACCOUNT_NAME],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let users: i64 = conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?;
        let drift = aggregate_drift(&conn, true)?;
        let signed: i64 = conn.query_row(
            "SELECT SUM(CASE WHEN kind = 'income' THEN amount ELSE -amount END)
             FROM transactions WHERE user_id = ?1",
            [&user],
            |r| r.get(0),
        )?;
        drop(conn);

        let ok = [
            (
                version as usize == SqliteStore::schema_version(),
                "at the current schema",
            ),
            (
                after == before,
                "the count and sum of every (user, category, month) kept",
            ),
            (
                misplaced == 0,
                "every row in its user's Main account, uncleared",
            ),
            (
                accounts == users && mains == users,
                "one Main account per user, id = user id",
            ),
            (drift == 0, "report and account sums equal a GROUP BY"),
            (
                balances.len() == 1
                    && balances[0].balance == signed
                    && balances[0].transactions == user_rows as u64,
                "the store's balance is the signed sum of all the user's rows",
            ),
        ];
        println!(
            "sqlite run {run}: open (backup + migration 5) {:.1} s, backup complete at {}; \
             file {:.0} MiB before, {:.0} MiB after ({:.0} MiB of it free pages; + {:.0} MiB backup; -wal {:.1} MiB, -shm {:.1} MiB while open); \
             peak disk {:.0} MiB, peak -wal {:.0} MiB; RSS idle {:.0} MiB, peak during open {:.0} MiB",
            wall.as_secs_f64(),
            disk.backup_done
                .map_or("?".to_string(), |d| format!("{:.1} s", d.as_secs_f64())),
            mib(size_before),
            mib(size_after),
            mib(free),
            mib(backups),
            mib(wal_open),
            mib(shm_open),
            mib(disk.total),
            mib(disk.wal),
            idle_kib as f64 / 1024.0,
            peak_kib as f64 / 1024.0,
        );
        report(&ok)?;
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}
