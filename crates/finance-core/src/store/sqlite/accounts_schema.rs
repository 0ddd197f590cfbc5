//! Migration 5 of the SQLite schema (accounts), kept beside `schema.rs`
//! (which lists it in `MIGRATIONS`) because it is a Rust step, not one SQL text.
//!
//! * Each existing user gets "Main account" whose id is the user's id
//!   (deterministic: a re-run, and MongoDB's migration, compute the same).
//! * `transactions` is rebuilt (SQLite cannot add a NOT NULL reference) with
//!   `account_id`, `status` and `transfer_id`; its indexes and triggers are
//!   read from `sqlite_master` before and created again from the same SQL,
//!   so they come back exactly as migrations 1–4 made them (a schema test
//!   compares them) — except that migration 2's aggregate triggers skip
//!   transfer legs ([`AGG_TRIGGER_GUARDS`]).
//! * The rebuilt table holds every later phase of accounts too: transfer
//!   legs (`kind` `transfer_out`/`transfer_in`, no category, `transfer_id`),
//!   refunds (a negative amount in an expense row) and `status`, with a
//!   `CHECK` that a row is one or the other.
//! * `tx_account_daily` holds each account's signed per-day sums, backfilled
//!   here and kept by triggers (and by the bulk import per chunk);
//!   `tx_account_totals` each account's whole sums, plain and cleared, as
//!   split halves that cannot overflow (the account list reads one row per
//!   account), kept the same way.
//!
//! Like every entry of `MIGRATIONS`, this is persisted history: once
//! released it never changes.

use rusqlite::Connection;

use crate::error::Result;

/// Migration 5, step 1: the accounts table, and "Main account" for every
/// existing user (id = the user's id, opening date = the registration day).
const ACCOUNTS_TABLE: &str = r#"
CREATE TABLE accounts (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    name_key           TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('checking', 'savings', 'cash',
                           'credit_card', 'loan', 'asset', 'liability')),
    currency           TEXT NOT NULL,
    opening_balance    INTEGER NOT NULL,
    opening_date       TEXT NOT NULL,
    note               TEXT,
    archived           INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    position           INTEGER NOT NULL,
    reconciled_date    TEXT,
    reconciled_balance INTEGER,
    created_at         INTEGER NOT NULL,
    UNIQUE (user_id, name_key)
);
INSERT INTO accounts (id, user_id, name, name_key, kind, currency, opening_balance,
                      opening_date, note, archived, position, created_at)
    SELECT id, id, 'Main account', 'main account', 'checking', currency, 0,
           date(created_at / 1000, 'unixepoch'), NULL, 0, 0, created_at
    FROM users;
"#;

/// Migration 5, step 2: `transactions` with its account (and the status and
/// transfer link of later phases), filled from the old table.
const TRANSACTIONS_V5: &str = r#"
CREATE TABLE transactions_v5 (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    category_id TEXT REFERENCES categories(id),
    kind        TEXT NOT NULL
                CHECK (kind IN ('income', 'expense', 'transfer_out', 'transfer_in')),
    amount      INTEGER NOT NULL CHECK (amount <> 0),
    date        TEXT NOT NULL,
    description TEXT NOT NULL,
    note        TEXT,
    search_text TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'uncleared'
                CHECK (status IN ('uncleared', 'cleared', 'reconciled')),
    transfer_id TEXT,
    -- Income and expense rows have a category (a negative amount only in
    -- expense: a refund); a transfer leg has none, a positive amount and
    -- its transfer's id.
    CHECK (CASE WHEN kind IN ('income', 'expense')
                THEN category_id IS NOT NULL AND transfer_id IS NULL
                     AND (amount > 0 OR kind = 'expense')
                ELSE category_id IS NULL AND transfer_id IS NOT NULL AND amount > 0 END)
);
INSERT INTO transactions_v5 (id, user_id, account_id, category_id, kind, amount, date,
                             description, note, search_text, created_at, updated_at)
    SELECT id, user_id, user_id, category_id, kind, amount, date,
           description, note, search_text, created_at, updated_at
    FROM transactions;
DROP TABLE transactions;
ALTER TABLE transactions_v5 RENAME TO transactions;
"#;

/// Migration 5, step 3: the per-account daily sums and what keeps them.
/// `effect_sum` is the signed sum (`rules::balance_effect`: income adds,
/// expense subtracts) of the account's transactions that day. The insert
/// trigger pauses with `tx_agg_paused` like migration 2's (a bulk import adds
/// its sums per chunk).
const ACCOUNT_SUMS: &str = r#"
-- Account moves, usage counts, foreign-key checks of an account delete, registers.
CREATE INDEX tx_account_date ON transactions(account_id, date, id);
-- A transfer's two legs.
CREATE INDEX tx_transfer ON transactions(transfer_id) WHERE transfer_id IS NOT NULL;
CREATE INDEX accounts_user_order ON accounts(user_id, position, created_at, id);
CREATE TABLE tx_account_daily (
    user_id    TEXT NOT NULL,
    account_id TEXT NOT NULL,
    date       TEXT NOT NULL,
    effect_sum INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (user_id, account_id, date)
) WITHOUT ROWID;
INSERT INTO tx_account_daily (user_id, account_id, date, effect_sum, n)
    SELECT user_id, account_id, date,
           SUM(CASE WHEN kind IN ('income', 'transfer_in') THEN amount ELSE -amount END), COUNT(*)
    FROM transactions GROUP BY 1, 2, 3;
CREATE TRIGGER tx_account_insert AFTER INSERT ON transactions
WHEN NOT EXISTS (SELECT 1 FROM tx_agg_paused) BEGIN
    INSERT INTO tx_account_daily (user_id, account_id, date, effect_sum, n)
        VALUES (new.user_id, new.account_id, new.date,
                CASE WHEN new.kind IN ('income', 'transfer_in') THEN new.amount ELSE -new.amount END, 1)
        ON CONFLICT (user_id, account_id, date)
        DO UPDATE SET effect_sum = effect_sum + excluded.effect_sum, n = n + 1;
END;
CREATE TRIGGER tx_account_delete AFTER DELETE ON transactions BEGIN
    UPDATE tx_account_daily
        SET effect_sum = effect_sum - CASE WHEN old.kind IN ('income', 'transfer_in') THEN old.amount ELSE -old.amount END,
            n = n - 1
        WHERE user_id = old.user_id AND account_id = old.account_id AND date = old.date;
    DELETE FROM tx_account_daily
        WHERE user_id = old.user_id AND account_id = old.account_id AND date = old.date
          AND n <= 0;
END;
CREATE TRIGGER tx_account_update
AFTER UPDATE OF user_id, account_id, kind, amount, date ON transactions BEGIN
    UPDATE tx_account_daily
        SET effect_sum = effect_sum - CASE WHEN old.kind IN ('income', 'transfer_in') THEN old.amount ELSE -old.amount END,
            n = n - 1
        WHERE user_id = old.user_id AND account_id = old.account_id AND date = old.date;
    DELETE FROM tx_account_daily
        WHERE user_id = old.user_id AND account_id = old.account_id AND date = old.date
          AND n <= 0;
    INSERT INTO tx_account_daily (user_id, account_id, date, effect_sum, n)
        VALUES (new.user_id, new.account_id, new.date,
                CASE WHEN new.kind IN ('income', 'transfer_in') THEN new.amount ELSE -new.amount END, 1)
        ON CONFLICT (user_id, account_id, date)
        DO UPDATE SET effect_sum = effect_sum + excluded.effect_sum, n = n + 1;
END;
"#;

/// Migration 5, step 4: each account's totals, so the account list reads one
/// row per account (not its daily rows). `high`/`low` are the sums of the
/// high and low 32 bits of each row's effect (as `sums::split_sum` reads
/// them), `cleared_high`/`cleared_low` the same over cleared and reconciled
/// rows: each stays far inside `i64` below 2³¹ rows, so they never overflow
/// into floating point (the `CHECK` is the backstop that fails a write, never
/// stores a wrong total). The insert trigger pauses with `tx_agg_paused`
/// (a bulk import adds its totals per chunk); a row goes when its count is 0.
const ACCOUNT_TOTALS: &str = r#"
CREATE TABLE tx_account_totals (
    user_id      TEXT NOT NULL,
    account_id   TEXT NOT NULL,
    high         INTEGER NOT NULL,
    low          INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    cleared_high INTEGER NOT NULL,
    cleared_low  INTEGER NOT NULL,
    PRIMARY KEY (user_id, account_id),
    CONSTRAINT account_totals_integer
        CHECK (typeof(high) = 'integer' AND typeof(low) = 'integer'
               AND typeof(cleared_high) = 'integer' AND typeof(cleared_low) = 'integer')
) WITHOUT ROWID;
INSERT INTO tx_account_totals (user_id, account_id, high, low, n, cleared_high, cleared_low)
    SELECT user_id, account_id, SUM(e >> 32), SUM(e & 4294967295), COUNT(*),
           SUM(CASE WHEN c THEN e >> 32 ELSE 0 END), SUM(CASE WHEN c THEN e & 4294967295 ELSE 0 END)
    FROM (SELECT user_id, account_id, status <> 'uncleared' AS c,
                 CASE WHEN kind IN ('income', 'transfer_in') THEN amount ELSE -amount END AS e
          FROM transactions)
    GROUP BY 1, 2;
-- (each row's effect is spelled out: `new.x`/`old.x` cannot be aliased in a trigger)
CREATE TRIGGER tx_account_totals_insert AFTER INSERT ON transactions
WHEN NOT EXISTS (SELECT 1 FROM tx_agg_paused) BEGIN
    INSERT INTO tx_account_totals (user_id, account_id, high, low, n, cleared_high, cleared_low)
        VALUES (new.user_id, new.account_id,
                (CASE WHEN new.kind IN ('income', 'transfer_in') THEN new.amount ELSE -new.amount END) >> 32,
                (CASE WHEN new.kind IN ('income', 'transfer_in') THEN new.amount ELSE -new.amount END) & 4294967295,
                1,
                CASE WHEN new.status <> 'uncleared'
                     THEN (CASE WHEN new.kind IN ('income', 'transfer_in') THEN new.amount ELSE -new.amount END) >> 32 ELSE 0 END,
                CASE WHEN new.status <> 'uncleared'
                     THEN (CASE WHEN new.kind IN ('income', 'transfer_in') THEN new.amount ELSE -new.amount END) & 4294967295 ELSE 0 END)
        ON CONFLICT (user_id, account_id)
        DO UPDATE SET high = high + excluded.high, low = low + excluded.low, n = n + 1,
                      cleared_high = cleared_high + excluded.cleared_high,
                      cleared_low = cleared_low + excluded.cleared_low;
END;
CREATE TRIGGER tx_account_totals_delete AFTER DELETE ON transactions BEGIN
    UPDATE tx_account_totals
        SET high = high - ((CASE WHEN old.kind IN ('income', 'transfer_in') THEN old.amount ELSE -old.amount END) >> 32),
            low = low - ((CASE WHEN old.kind IN ('income', 'transfer_in') THEN old.amount ELSE -old.amount END) & 4294967295),
            n = n - 1,
            cleared_high = cleared_high - CASE WHEN old.status <> 'uncleared'
                THEN (CASE WHEN old.kind IN ('income', 'transfer_in') THEN old.amount ELSE -old.amount END) >> 32 ELSE 0 END,
            cleared_low = cleared_low - CASE WHEN old.status <> 'uncleared'
                THEN (CASE WHEN old.kind IN ('income', 'transfer_in') THEN old.amount ELSE -old.amount END) & 4294967295 ELSE 0 END
        WHERE user_id = old.user_id AND account_id = old.account_id;
    DELETE FROM tx_account_totals
        WHERE user_id = old.user_id AND account_id = old.account_id AND n <= 0;
END;
CREATE TRIGGER tx_account_totals_update
AFTER UPDATE OF user_id, account_id, kind, amount, status ON transactions BEGIN
    UPDATE tx_account_totals
        SET high = high - ((CASE WHEN old.kind IN ('income', 'transfer_in') THEN old.amount ELSE -old.amount END) >> 32),
            low = low - ((CASE WHEN old.kind IN ('income', 'transfer_in') THEN old.amount ELSE -old.amount END) & 4294967295),
            n = n - 1,
            cleared_high = cleared_high - CASE WHEN old.status <> 'uncleared'
                THEN (CASE WHEN old.kind IN ('income', 'transfer_in') THEN old.amount ELSE -old.amount END) >> 32 ELSE 0 END,
            cleared_low = cleared_low - CASE WHEN old.status <> 'uncleared'
                THEN (CASE WHEN old.kind IN ('income', 'transfer_in') THEN old.amount ELSE -old.amount END) & 4294967295 ELSE 0 END
        WHERE user_id = old.user_id AND account_id = old.account_id;
    DELETE FROM tx_account_totals
        WHERE user_id = old.user_id AND account_id = old.account_id AND n <= 0;
    INSERT INTO tx_account_totals (user_id, account_id, high, low, n, cleared_high, cleared_low)
        VALUES (new.user_id, new.account_id,
                (CASE WHEN new.kind IN ('income', 'transfer_in') THEN new.amount ELSE -new.amount END) >> 32,
                (CASE WHEN new.kind IN ('income', 'transfer_in') THEN new.amount ELSE -new.amount END) & 4294967295,
                1,
                CASE WHEN new.status <> 'uncleared'
                     THEN (CASE WHEN new.kind IN ('income', 'transfer_in') THEN new.amount ELSE -new.amount END) >> 32 ELSE 0 END,
                CASE WHEN new.status <> 'uncleared'
                     THEN (CASE WHEN new.kind IN ('income', 'transfer_in') THEN new.amount ELSE -new.amount END) & 4294967295 ELSE 0 END)
        ON CONFLICT (user_id, account_id)
        DO UPDATE SET high = high + excluded.high, low = low + excluded.low, n = n + 1,
                      cleared_high = cleared_high + excluded.cleared_high,
                      cleared_low = cleared_low + excluded.cleared_low;
END;
"#;

/// The guards that keep transfer legs out of migration 2's per-category and
/// per-description sums (a transfer is neither income nor expense): each of
/// its three triggers, matched by its exact opening, gains a `WHEN` on the
/// row having a category. A leg never becomes a categorised row by an
/// update (turning a row into a transfer deletes it and inserts the legs),
/// so the update trigger's guard on `old` covers `new` too.
const AGG_TRIGGER_GUARDS: [(&str, &str); 3] = [
    (
        "WHEN NOT EXISTS (SELECT 1 FROM tx_agg_paused) BEGIN",
        "WHEN new.category_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tx_agg_paused) BEGIN",
    ),
    (
        "AFTER DELETE ON transactions BEGIN",
        "AFTER DELETE ON transactions WHEN old.category_id IS NOT NULL BEGIN",
    ),
    (
        "search_text ON transactions BEGIN",
        "search_text ON transactions WHEN old.category_id IS NOT NULL BEGIN",
    ),
];

/// `sql` (an index or trigger of the old table) as migration 5 recreates
/// it: unchanged, except migration 2's three aggregate triggers, which get
/// their [`AGG_TRIGGER_GUARDS`].
pub(super) fn skip_transfer_legs(sql: &str) -> Result<String> {
    let Some(name) = sql
        .strip_prefix("CREATE TRIGGER ")
        .and_then(|rest| rest.split_whitespace().next())
    else {
        return Ok(sql.to_string());
    };
    let guard = match name {
        "tx_agg_insert" => AGG_TRIGGER_GUARDS[0],
        "tx_agg_delete" => AGG_TRIGGER_GUARDS[1],
        "tx_agg_update" => AGG_TRIGGER_GUARDS[2],
        _ => return Ok(sql.to_string()),
    };
    if sql.matches(guard.0).count() != 1 {
        return Err(crate::error::Error::internal(
            "migration 5",
            format_args!("trigger {name} is not the one migration 2 made"),
        ));
    }
    Ok(sql.replacen(guard.0, guard.1, 1))
}

/// Migration 5 (accounts): see the module docs. The indexes and triggers of
/// `transactions` are read from `sqlite_master` before the table is rebuilt
/// and created again from that same SQL, so they come back exactly as the
/// earlier migrations made them.
pub(super) fn migrate_accounts(conn: &Connection) -> Result<()> {
    conn.execute_batch(ACCOUNTS_TABLE)?;
    let kept: Vec<String> = conn
        .prepare(
            "SELECT sql FROM sqlite_master
             WHERE tbl_name = 'transactions' AND type IN ('index', 'trigger') AND sql IS NOT NULL
             ORDER BY rowid",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    conn.execute_batch(TRANSACTIONS_V5)?;
    for sql in &kept {
        conn.execute_batch(&skip_transfer_legs(sql)?)?;
    }
    conn.execute_batch(ACCOUNT_SUMS)?;
    conn.execute_batch(ACCOUNT_TOTALS)?;
    Ok(())
}
