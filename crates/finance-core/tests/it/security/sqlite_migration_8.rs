//! Migration 8 (bank ids) on a database made by the previous version
//! (schema 7): a user with an account, a category and transactions is
//! opened by this build; nothing is lost (rows, balance, the per-day sums),
//! the rows have no bank id, and a bank statement then imports with its ids
//! stored, once per account (the unique partial index).

use std::sync::Arc;

use finance_core::auth::{SigningKey, hash_password};
use finance_core::bank::{BankEntry, BankFormat, StatementFile};
use finance_core::csv_io::ImportSource;
use finance_core::csv_io::statement_for_tests::encode;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Finance, Id};
use finance_testkit::{PASSWORD, all_time, auth_settings, d, login, no_progress, now};
use rusqlite::{Connection, params};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_migration_8_keeps_schema_7_data_and_adds_bank_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("finance.sqlite3");
    SqliteStore::create_at_version_for_tests(&path, 7).unwrap();
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
        for (i, amount) in [1250_i64, 3000].into_iter().enumerate() {
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
        .expect("the build opens a schema-7 file");
    let finance = Finance::new(Arc::new(store), &SigningKey::generate(), auth_settings());
    let (_, old) = login(&finance, "old").await;
    let balances = finance.account_balances(&old).await.unwrap();
    assert_eq!(
        balances[0].balance,
        100_000 - 4250,
        "opening minus the two rows"
    );
    let summary = finance.summary(&old, all_time()).await.unwrap();
    assert_eq!(
        (summary.expense, summary.count),
        (4250, 2),
        "the daily sums survive"
    );
    {
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, SqliteStore::schema_version());
        let unbanked: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM transactions WHERE bank_id IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(unbanked, 2, "existing rows carry no bank id");
    }

    // A statement imports on the migrated file, its ids stored with the rows;
    // the stored market row (no id) is matched by its fields.
    let entry = |date: &str, amount: i64, payee: &str, id: Option<&str>| BankEntry {
        date: d(date),
        amount,
        payee: payee.into(),
        memo: String::new(),
        bank_id: id.map(str::to_string),
    };
    let bytes = encode(&StatementFile {
        format: BankFormat::Camt053,
        account_hint: None,
        currency: Some("EUR".into()),
        ending_balance: None,
        entries: vec![
            entry("2024-02-01", -1250, "Market", Some("REF-1")),
            entry("2024-02-05", -700, "Pharmacy", Some("REF-2")),
        ],
    });
    let bank = ImportSource::Bank { qif_dates: None };
    let s = finance
        .import_commit(&old, None, &bytes, bank, &[], true, now(), &no_progress)
        .await
        .unwrap();
    assert_eq!(
        (s.imported, s.skipped_duplicates),
        (1, 1),
        "the market entry repeats the stored row (by its fields), the pharmacy is new"
    );
    let conn = Connection::open(&path).unwrap();
    let banked: Vec<String> = conn
        .prepare("SELECT bank_id FROM transactions WHERE bank_id IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(banked, ["REF-2"]);
    // The unique index refuses a second row with that id in the account.
    let dup = conn.execute(
        "INSERT INTO transactions (id, user_id, account_id, category_id, kind, amount, date,
             description, note, search_text, created_at, updated_at, status, transfer_id, bank_id)
         VALUES (?1, ?2, ?3, ?4, 'expense', 1, '2024-03-01', 'x', NULL, 'x', 0, 0, 'uncleared', NULL, 'REF-2')",
        params![Id::generate().to_hex(), user.to_hex(), account.to_hex(), food.to_hex()],
    );
    assert!(dup.is_err(), "a bank id is stored once per account");
}
