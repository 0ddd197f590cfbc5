//! The undo of a bulk delete without server-side state: the deleted rows
//! travel in the undo token itself, sealed.
//!
//! The desktop keeps a bulk delete's rows in memory under an opaque token
//! (`src-tauri/src/undo.rs`). A server must stay stateless — several servers
//! share one store, and a request may reach any of them — so here the token
//! *is* the rows: the rows as they were, an expiry, sealed with
//! ChaCha20-Poly1305 under a key derived from the session-signing key
//! (SHA-256 over a fixed label and the key; [`UndoSealer::new`]). Servers that
//! share `FINANCE_JWT_SECRET` open each other's tokens.
//!
//! Invariants:
//! - An undo can only put back exactly what a delete of the same person on
//!   the same ledger removed: the ledger id and the person's id are the
//!   seal's associated data, so a token opens only for them, and a token
//!   that was altered, made by another server's key or for someone else
//!   opens for nobody (all answer `NotFound` on `undoToken`, as an unknown
//!   token does on the desktop). The person's role is checked again by the
//!   core when the rows are written back (a viewer cannot undo).
//! - A token opens for [`UNDO_TTL_SECS`] after the delete (the desktop's
//!   last until sign-out); within that, the store's idempotency key makes a
//!   retried undo write the rows at most once, and rows that are back already
//!   make a second undo under another key a `conflict`.
//! - No token is offered (`undoToken: null`) for more than [`MAX_UNDO_ROWS`]
//!   rows, or when the sealed rows would pass [`MAX_TOKEN_BYTES`] (so the
//!   undo request stays well under the body limit).
//! - The token carries the rows' contents to the client that deleted them,
//!   who could read them anyway; the seal is for integrity and binding, and
//!   keeps the token opaque. It never appears in logs.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use chrono::{DateTime, NaiveDate, Utc};
use finance_api::{ApiError, ErrorCode};
use finance_core::auth::SigningKey;
use finance_core::domain::{EntryKind, Transaction, TxStatus};
use finance_core::{AuthUser, Id, SignedAmount};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The most rows a bulk delete can be undone for.
pub const MAX_UNDO_ROWS: usize = 2_000;
/// The longest token offered (its text form), well under the 1 MiB body limit.
pub const MAX_TOKEN_BYTES: usize = 768 * 1024;
/// How long after the delete its token opens.
pub const UNDO_TTL_SECS: i64 = 15 * 60;

/// The format's version: the first byte of a token, and part of the associated data.
const VERSION: u8 = 1;
/// The label the sealing key is derived under (never the signing key itself).
const KEY_LABEL: &[u8] = b"finance-server/bulk-delete-undo/v1\0";
const NONCE_LEN: usize = 12;

/// Seals and opens undo tokens. Cheap to share.
pub struct UndoSealer {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for UndoSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UndoSealer(<redacted>)")
    }
}

/// One deleted row, compact (a JSON array): everything but its owner, which
/// is the ledger the token is bound to.
#[derive(Serialize, Deserialize)]
struct Row(
    String,
    String,
    Option<String>,
    String,
    i64,
    NaiveDate,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

#[derive(Serialize, Deserialize)]
struct Sealed {
    /// Expiry, seconds since the epoch.
    exp: i64,
    rows: Vec<Row>,
}

/// The answer for a token that does not open (unknown, altered, expired, someone else's).
pub fn nothing_to_undo() -> ApiError {
    ApiError {
        code: ErrorCode::NotFound,
        message: "there is nothing to undo any more".into(),
        field: Some("undoToken".into()),
        retry_after_secs: None,
    }
}

/// `None` for a time past what nanoseconds since 1970 hold in an i64 (year 2262).
fn row_of(t: &Transaction) -> Option<Row> {
    Some(Row(
        t.id.to_hex(),
        t.account_id.to_hex(),
        t.category_id.map(|c| c.to_hex()),
        t.kind.as_str().to_string(),
        t.amount.minor(),
        t.date,
        t.description.clone(),
        t.note.clone(),
        t.status.as_str().to_string(),
        t.transfer_id.map(|c| c.to_hex()),
        t.bank_id.clone(),
        t.created_at.timestamp_nanos_opt()?,
        t.updated_at.timestamp_nanos_opt()?,
    ))
}

fn transaction_of(ledger: Id, r: Row) -> Option<Transaction> {
    let id = |s: &str| Id::from_hex(s);
    Some(Transaction {
        id: id(&r.0)?,
        user_id: ledger,
        account_id: id(&r.1)?,
        category_id: match r.2 {
            Some(c) => Some(id(&c)?),
            None => None,
        },
        kind: EntryKind::parse("undoToken", &r.3).ok()?,
        amount: SignedAmount::from_minor("undoToken", r.4).ok()?,
        date: r.5,
        description: r.6,
        note: r.7,
        status: TxStatus::parse("undoToken", &r.8).ok()?,
        transfer_id: match r.9 {
            Some(t) => Some(id(&t)?),
            None => None,
        },
        bank_id: r.10,
        created_at: DateTime::from_timestamp_nanos(r.11),
        updated_at: DateTime::from_timestamp_nanos(r.12),
    })
}

/// Who a token is for: the ledger the rows were deleted from and the person
/// who deleted them (`AuthUser::ledger` and `AuthUser::id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner {
    pub ledger: Id,
    pub person: Id,
}

impl Owner {
    /// The caller's ledger and person.
    pub fn of(user: &AuthUser) -> Owner {
        Owner {
            ledger: user.ledger(),
            person: user.id(),
        }
    }

    /// The seal's associated data: the version, the ledger and the person.
    fn associated(self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(25);
        aad.push(VERSION);
        aad.extend_from_slice(&self.ledger.bytes());
        aad.extend_from_slice(&self.person.bytes());
        aad
    }
}

impl UndoSealer {
    /// The sealer whose key is derived from the session-signing key.
    pub fn new(signing: &SigningKey) -> UndoSealer {
        let mut hash = Sha256::new();
        hash.update(KEY_LABEL);
        hash.update(signing.encode().as_bytes());
        let key: [u8; 32] = hash.finalize().into();
        UndoSealer {
            cipher: ChaCha20Poly1305::new(&key.into()),
        }
    }

    /// The undo token of `rows`, deleted by `owner` at `now`; `None` when
    /// nothing was deleted or past the caps (no undo is offered then).
    pub fn seal(&self, owner: Owner, rows: &[Transaction], now: DateTime<Utc>) -> Option<String> {
        if rows.is_empty() || rows.len() > MAX_UNDO_ROWS {
            return None;
        }
        let sealed = Sealed {
            exp: now.timestamp() + UNDO_TTL_SECS,
            rows: rows.iter().map(row_of).collect::<Option<_>>()?,
        };
        let plain = serde_json::to_vec(&sealed).ok()?;
        // The text is 4/3 of nonce, version, ciphertext and tag.
        if (plain.len() + NONCE_LEN + 17) * 4 / 3 > MAX_TOKEN_BYTES {
            return None;
        }
        let nonce: [u8; NONCE_LEN] = rand::random();
        let aad = owner.associated();
        let cipher = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .ok()?;
        let mut bytes = Vec::with_capacity(1 + NONCE_LEN + cipher.len());
        bytes.push(VERSION);
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&cipher);
        Some(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The rows `token` holds, if it opens for `owner` at `now`.
    pub fn open(
        &self,
        owner: Owner,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Transaction>, ApiError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(token.trim())
            .map_err(|_| nothing_to_undo())?;
        if bytes.len() < 1 + NONCE_LEN || bytes[0] != VERSION {
            return Err(nothing_to_undo());
        }
        let (nonce, cipher) = bytes[1..].split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| nothing_to_undo())?;
        let aad = owner.associated();
        let plain = self
            .cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: cipher,
                    aad: &aad,
                },
            )
            .map_err(|_| nothing_to_undo())?;
        let sealed: Sealed = serde_json::from_slice(&plain).map_err(|_| nothing_to_undo())?;
        if now.timestamp() > sealed.exp {
            return Err(nothing_to_undo());
        }
        sealed
            .rows
            .into_iter()
            .map(|r| transaction_of(owner.ledger, r))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(nothing_to_undo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn row(ledger: Id, n: i64) -> Transaction {
        let at = Utc.with_ymd_and_hms(2024, 3, 1, 10, 0, 0).unwrap()
            + chrono::Duration::nanoseconds(123_456_789);
        Transaction {
            id: Id::generate(),
            user_id: ledger,
            account_id: Id::generate(),
            category_id: (n % 2 == 0).then(Id::generate),
            kind: if n % 2 == 0 {
                EntryKind::Expense
            } else {
                EntryKind::TransferOut
            },
            amount: SignedAmount::from_minor("amount", -(n + 1) * 101).unwrap(),
            date: NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
            description: format!("Row {n} — café"),
            note: (n == 1).then(|| "a note".to_string()),
            status: TxStatus::Reconciled,
            transfer_id: (n % 2 == 1).then(Id::generate),
            bank_id: (n == 2).then(|| "FITID-2".to_string()),
            created_at: at,
            updated_at: at + chrono::Duration::seconds(n),
        }
    }

    fn sealer() -> UndoSealer {
        UndoSealer::new(&SigningKey::generate())
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 2, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_token_gives_back_exactly_the_rows_to_their_owner() {
        let owner = Owner {
            ledger: Id::generate(),
            person: Id::generate(),
        };
        let rows: Vec<_> = (0..4).map(|n| row(owner.ledger, n)).collect();
        let s = sealer();
        let token = s.seal(owner, &rows, now()).expect("a token");
        assert_eq!(
            s.open(owner, &token, now()).unwrap(),
            rows,
            "every field comes back as it was (nanoseconds, refunds, transfers, bank ids)"
        );
    }

    #[test]
    fn a_token_opens_for_nobody_else_nor_altered_nor_late_nor_under_another_key() {
        let owner = Owner {
            ledger: Id::generate(),
            person: Id::generate(),
        };
        let rows = vec![row(owner.ledger, 1)];
        let s = sealer();
        let token = s.seal(owner, &rows, now()).unwrap();
        let refused = |r: Result<Vec<Transaction>, ApiError>, why: &str| {
            let e = r.expect_err(why);
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::NotFound, Some("undoToken")),
                "{why}"
            );
        };
        let other_person = Owner {
            person: Id::generate(),
            ..owner
        };
        refused(
            s.open(other_person, &token, now()),
            "another member of the ledger",
        );
        let other_ledger = Owner {
            ledger: Id::generate(),
            ..owner
        };
        refused(
            s.open(other_ledger, &token, now()),
            "the same person on another ledger",
        );
        refused(
            sealer().open(owner, &token, now()),
            "a server with another signing key",
        );
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        refused(
            s.open(owner, &URL_SAFE_NO_PAD.encode(&bytes), now()),
            "an altered token",
        );
        refused(s.open(owner, "not a token", now()), "garbage");
        refused(s.open(owner, "", now()), "empty");
        let late = now() + chrono::Duration::seconds(UNDO_TTL_SECS + 1);
        refused(s.open(owner, &token, late), "past its time");
        assert!(
            s.open(
                owner,
                &token,
                now() + chrono::Duration::seconds(UNDO_TTL_SECS)
            )
            .is_ok(),
            "still opens at the last second"
        );
    }

    #[test]
    fn no_token_for_nothing_or_past_the_caps() {
        let owner = Owner {
            ledger: Id::generate(),
            person: Id::generate(),
        };
        let s = sealer();
        assert!(s.seal(owner, &[], now()).is_none(), "nothing deleted");
        let many: Vec<_> = (0..=MAX_UNDO_ROWS as i64)
            .map(|n| row(owner.ledger, n))
            .collect();
        assert!(
            s.seal(owner, &many, now()).is_none(),
            "past {MAX_UNDO_ROWS} rows"
        );
        let cap = &many[..MAX_UNDO_ROWS];
        let token = s.seal(owner, cap, now()).expect("a token at the cap");
        assert!(token.len() <= MAX_TOKEN_BYTES, "{} bytes", token.len());
        let mut long = row(owner.ledger, 1);
        long.note = Some("x".repeat(MAX_TOKEN_BYTES));
        assert!(
            s.seal(owner, &[long], now()).is_none(),
            "rows too large to carry"
        );
    }
}
