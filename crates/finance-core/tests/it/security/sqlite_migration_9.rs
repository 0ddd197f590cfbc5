//! Migration 9 (households: `memberships`) on a database made by the
//! previous version (schema 8): two users with their data are opened by
//! this build; nothing is lost, nobody is a member of anything (owners have
//! no row), each still owns their ledger, and memberships then work — one
//! per (ledger, member), deleted with either user.

use std::sync::Arc;

use finance_core::auth::{SigningKey, hash_password};
use finance_core::domain::{Password, Role};
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Finance, Id};
use finance_testkit::{PASSWORD, all_time, assert_err, auth_settings, login, now};
use rusqlite::{Connection, params};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_migration_9_keeps_schema_8_data_and_adds_memberships() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("finance.sqlite3");
    SqliteStore::create_at_version_for_tests(&path, 8).unwrap();
    let hash = hash_password(PASSWORD.to_string(), 4).await.unwrap();
    let mut users = Vec::new();
    {
        let conn = Connection::open(&path).unwrap();
        for name in ["old", "friend"] {
            let (user, account, food) = (Id::generate(), Id::generate(), Id::generate());
            conn.execute(
                "INSERT INTO users (id, username, email, password_hash, first_name, last_name, currency, created_at)
                 VALUES (?1, ?2, ?3, ?4, 'Old', 'Timer', 'EUR', 0)",
                params![user.to_hex(), name, format!("{name}@example.com"), hash],
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
            conn.execute(
                "INSERT INTO transactions (id, user_id, account_id, category_id, kind, amount, date,
                     description, note, search_text, created_at, updated_at, status, transfer_id, bank_id)
                 VALUES (?1, ?2, ?3, ?4, 'expense', 1250, '2024-02-01', 'Market', NULL, 'market', 0, 0,
                         'uncleared', NULL, 'REF-1')",
                params![Id::generate().to_hex(), user.to_hex(), account.to_hex(), food.to_hex()],
            )
            .unwrap();
            users.push(user);
        }
    }

    let store = SqliteStore::open(&path)
        .await
        .expect("the build opens a schema-8 file");
    let finance = Finance::new(Arc::new(store), &SigningKey::generate(), auth_settings());
    let (_, old) = login(&finance, "old").await;
    let (friend_token, friend) = login(&finance, "friend").await;
    assert_eq!(old.id(), users[0]);
    assert_eq!(
        (old.ledger(), old.role()),
        (users[0], Role::Owner),
        "an existing user owns their ledger without a stored row"
    );
    assert_eq!(
        finance.account_balances(&old).await.unwrap()[0].balance,
        100_000 - 1250,
        "the data survives"
    );
    assert_eq!(finance.summary(&old, all_time()).await.unwrap().count, 1);
    {
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, SqliteStore::schema_version());
        let rows: i64 = conn
            .query_row("SELECT COUNT(*) FROM memberships", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0, "owners need no membership rows");
    }
    let members = finance.members(&old).await.unwrap();
    assert_eq!(members.len(), 1, "only the implicit owner: {members:?}");

    // Memberships work on the migrated file, once per (ledger, member).
    finance
        .invite_member(&old, "friend", Role::Viewer, now())
        .await
        .unwrap();
    assert_err(
        finance
            .invite_member(&old, "friend", Role::Editor, now())
            .await,
        "conflict",
        Some("username"),
    );
    finance
        .accept_invitation(&friend, old.ledger())
        .await
        .unwrap();
    let on_old = finance
        .authenticate_on(&friend_token, Some(old.ledger()), now())
        .await
        .unwrap();
    assert_eq!(on_old.role(), Role::Viewer);
    assert_eq!(finance.summary(&on_old, all_time()).await.unwrap().count, 1);
    {
        // The table's own checks: no unknown role, no self-membership.
        let conn = Connection::open(&path).unwrap();
        let bad_role = conn.execute(
            "INSERT INTO memberships VALUES (?1, ?2, 'admin', 'active', 0)",
            params![users[1].to_hex(), users[0].to_hex()],
        );
        assert!(bad_role.is_err(), "an unknown role is refused");
        let own = conn.execute(
            "INSERT INTO memberships VALUES (?1, ?1, 'viewer', 'active', 0)",
            params![users[0].to_hex()],
        );
        assert!(own.is_err(), "nobody is a member of their own ledger");
    }
    // Deleting the owner removes the membership (and the member keeps theirs).
    finance
        .delete_account(&old, &Password::for_login(PASSWORD))
        .await
        .unwrap();
    let conn = Connection::open(&path).unwrap();
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM memberships", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0, "the deleted owner's memberships went with them");
    assert_eq!(finance.ledgers(&friend).await.unwrap().len(), 1);
}
