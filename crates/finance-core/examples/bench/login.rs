//! Log-in at bcrypt cost 12 (the release setting), timed on its own on a SQLite
//! store; and the first list page timed while log-ins hash on the blocking pool,
//! beside the same page without log-ins.
//!
//! Invariants: the store holds one user with `rows` transactions (random stream
//! `Stream::Login`); the idle pages are timed before any concurrent log-in starts; the
//! "during" pages are timed only while the log-in task is still running.

use std::sync::Arc;
use std::time::Instant;

use finance_core::Finance;
use finance_core::auth::SigningKey;
use finance_core::domain::user::Password;
use finance_core::domain::{TransactionFilter, TransactionQuery};
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;

use crate::data::{self, PASSWORD, Stream, generate, now, settings, user};
use crate::stats::{Stat, timed};
use crate::{BoxError, Res};

/// The list pages timed without log-ins running.
const IDLE_PAGES: usize = 50;

/// Log-in timings and the list pages beside them.
#[derive(Default)]
pub struct LoginResult {
    pub login: Stat,
    pub page_idle: Stat,
    pub page_during: Stat,
    /// Transactions of the logged-in user (the list's size).
    pub rows: usize,
}

pub async fn measure(iterations: usize, rows: usize) -> Res<LoginResult> {
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("l.sqlite3")).await?);
    let f = Finance::new(Arc::clone(&store), &SigningKey::generate(), settings(12));
    let me = user(&f, "bench_login").await?;
    let cats = f.categories(&me).await?;
    let mut rng = data::rng(Stream::Login);
    let account = data::main_account(&f, &me).await?;
    let txs = generate(&mut rng, me.id(), account, &cats, rows)?;
    store
        .insert_transactions(me.id(), &[], &txs, &|_, _| {}, None)
        .await?;
    let mut login = Stat::default();
    for _ in 0..iterations {
        let t = Instant::now();
        f.login("bench_login", &Password::for_login(PASSWORD), now())
            .await?;
        login.push(t.elapsed());
    }
    let first = TransactionQuery::first_page(TransactionFilter::default());
    let mut page_idle = Stat::default();
    for _ in 0..IDLE_PAGES {
        timed(&mut page_idle, || async {
            Ok(f.transactions(&me, &first).await?)
        })
        .await?;
    }
    // Pages while log-ins run: a task logs in `iterations` times back to back;
    // meanwhile this task keeps fetching the first page.
    let mut page_during = Stat::default();
    let lf = f.clone();
    let logins = tokio::spawn(async move {
        for _ in 0..iterations {
            lf.login("bench_login", &Password::for_login(PASSWORD), now())
                .await?;
        }
        Ok::<_, BoxError>(())
    });
    while !logins.is_finished() {
        timed(&mut page_during, || async {
            Ok(f.transactions(&me, &first).await?)
        })
        .await?;
    }
    logins.await??;
    Ok(LoginResult {
        login,
        page_idle,
        page_during,
        rows,
    })
}
