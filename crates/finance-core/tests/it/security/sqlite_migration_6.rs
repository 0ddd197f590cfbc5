//! Migration 6 (schedules) on a database made by the previous version
//! (schema 5): a user with an account, a category and transactions is
//! opened by this build; nothing is lost (rows, balances, the per-day sums
//! the summaries read), the rows have no schedule, and schedules then work
//! on it — posted once, with their key stored with the rows.

use std::sync::Arc;

use finance_core::auth::{SigningKey, hash_password};
use finance_core::domain::{ScheduleDraft, TransactionFilter, TransactionQuery};
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Finance, Id};
use finance_testkit::{PASSWORD, all_time, auth_settings, d, login, now};
use rusqlite::{Connection, params};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_migration_6_keeps_schema_5_data_and_adds_schedules() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("finance.sqlite3");
    SqliteStore::create_at_version_for_tests(&path, 5).unwrap();
    let (user, account, food) = (Id::generate(), Id::generate(), Id::generate());
    {
        let conn = Connection::open(&path).unwrap();
        let hash = hash_password(PASSWORD.to_string(), 4).await.unwrap();
        conn.execute(
            "INSERT INTO users (id, username, email, password_hash, first_name, last_name, currency, created_at)
             VALUES (?1, 'old', 'old@example.com', ?2, 'Old', 'Timer', 'EUR', 0)",
            params![user.to_hex(), hash],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO accounts (id, user_id, name, name_key, kind, currency, opening_balance,
                                   opening_date, position, created_at)
             VALUES (?1, ?2, 'Main account', 'main account', 'checking', 'EUR', 100000, '2024-01-01', 0, 0)",
            params![account.to_hex(), user.to_hex()],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO categories (id, user_id, name, name_key, kind, created_at)
             VALUES (?1, ?2, 'Groceries', 'groceries', 'expense', 0)",
            params![food.to_hex(), user.to_hex()],
        )
        .unwrap();
        for (i, amount) in [1250_i64, 3000, -500].into_iter().enumerate() {
            conn.execute(
                "INSERT INTO transactions (id, user_id, account_id, category_id, kind, amount, date,
                     description, note, search_text, created_at, updated_at, status, transfer_id)
                 VALUES (?1, ?2, ?3, ?4, 'expense', ?5, ?6, 'Market', NULL, 'market', 0, 0, 'uncleared', NULL)",
                params![
                    Id::generate().to_hex(),
                    user.to_hex(),
                    account.to_hex(),
                    food.to_hex(),
                    amount,
                    format!("2024-02-0{}", i + 1)
                ],
            )
            .unwrap();
        }
    }

    let store = SqliteStore::open(&path)
        .await
        .expect("the build opens a schema-5 file");
    let finance = Finance::new(Arc::new(store), &SigningKey::generate(), auth_settings());
    let (_, old) = login(&finance, "old").await;

    // Nothing lost: the rows, the balance, the per-day sums.
    let rows = finance
        .transactions(
            &old,
            &TransactionQuery::first_page(TransactionFilter::default()),
        )
        .await
        .unwrap()
        .items;
    assert_eq!(rows.len(), 3, "every row is kept");
    let balances = finance.account_balances(&old).await.unwrap();
    assert_eq!(
        balances[0].balance,
        100_000 - 3750,
        "opening minus the three rows"
    );
    let summary = finance.summary(&old, all_time()).await.unwrap();
    assert_eq!(
        (summary.expense, summary.count),
        (3750, 3),
        "the daily sums survive"
    );
    {
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, SqliteStore::schema_version());
        let unscheduled: i64 = conn
            .query_row("SELECT COUNT(*) FROM transactions WHERE schedule_id IS NULL AND occurrence IS NULL", [], |r| r.get(0))
            .unwrap();
        assert_eq!(unscheduled, 3, "existing rows carry no schedule");
    }

    // Schedules work on the migrated file, their key stored with the rows.
    let new = ScheduleDraft {
        account_id: account.to_hex(),
        category_id: Some(food.to_hex()),
        amount: "20".into(),
        description: "Box".into(),
        frequency: "monthly".into(),
        month_day: Some("last".into()),
        start_date: "2024-01-01".into(),
        mode: "post".into(),
        ..ScheduleDraft::default()
    }
    .validate(old.currency())
    .unwrap();
    let s = finance.add_schedule(&old, new, now()).await.unwrap();
    let posted = finance
        .post_due(&old, d("2024-03-15"), now())
        .await
        .unwrap();
    assert_eq!(posted.total_posted(), 2, "31 January and 29 February");
    assert_eq!(
        finance
            .post_due(&old, d("2024-03-15"), now())
            .await
            .unwrap()
            .total_posted(),
        0
    );
    let conn = Connection::open(&path).unwrap();
    let keyed: Vec<(String, String)> = conn
        .prepare("SELECT schedule_id, occurrence FROM transactions WHERE schedule_id IS NOT NULL ORDER BY occurrence")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        keyed,
        [
            (s.id.to_hex(), "2024-01-31".to_string()),
            (s.id.to_hex(), "2024-02-29".to_string())
        ]
    );
    // The unique index refuses a second row for an occurrence.
    let dup = conn.execute(
        "INSERT INTO transactions (id, user_id, account_id, category_id, kind, amount, date,
             description, note, search_text, created_at, updated_at, status, transfer_id, schedule_id, occurrence)
         VALUES (?1, ?2, ?3, ?4, 'expense', 1, '2024-01-31', 'x', NULL, 'x', 0, 0, 'uncleared', NULL, ?5, '2024-01-31')",
        params![Id::generate().to_hex(), user.to_hex(), account.to_hex(), food.to_hex(), s.id.to_hex()],
    );
    assert!(dup.is_err(), "an occurrence is stored once");
}
