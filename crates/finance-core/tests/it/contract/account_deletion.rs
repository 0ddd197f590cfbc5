//! Deleting one's account leaves nothing of the user on the store.
//!
//! The check does not trust a list of tables kept by hand: it reads every
//! table (SQLite) or collection (MongoDB) the store has and looks for the
//! user's id or username in every column or field, however deeply nested.
//! Every table and collection must be classified below — either it holds a
//! user's data (and then the scan must find the user in it before the
//! delete, so the check cannot pass by looking in the wrong place), or it
//! holds none, with the reason. A new table or collection that is in neither
//! list fails the test until someone decides which it is, so a new kind of
//! record cannot be forgotten by `delete_user`.

use std::collections::BTreeMap;

use finance_core::domain::{IdempotencyKey, Password, Role, RuleDraft, ScheduleDraft};
use finance_core::{AuthUser, Id};
use finance_testkit::{Harness, PASSWORD, assert_err, login, new_tx, now};
use futures::TryStreamExt;
use mongodb::bson::{Bson, Document};

/// SQLite tables that hold rows of a user (found by the scan before a delete).
const SQLITE_USER_TABLES: &[&str] = &[
    "users",
    "sessions",
    "login_throttle",
    "accounts",
    "categories",
    "budgets",
    "transactions",
    "tx_daily",
    "tx_desc_daily",
    "tx_account_daily",
    "tx_account_totals",
    "idempotency_keys",
    "schedules",
    "rules",
    "memberships",
];

/// SQLite tables that hold no user's data, and why.
const SQLITE_OTHER_TABLES: &[(&str, &str)] = &[(
    "tx_agg_paused",
    "a flag row inside a bulk import's own transaction",
)];

/// MongoDB collections that hold documents of a user.
const MONGO_USER_COLLECTIONS: &[&str] = &[
    "users",
    "sessions",
    "loginThrottle",
    "accounts",
    "categories",
    "budgets",
    "transactions",
    "idempotencyKeys",
    "schedules",
    "rules",
    "memberships",
];

/// MongoDB collections that hold no user's data, and why.
const MONGO_OTHER_COLLECTIONS: &[(&str, &str)] = &[];

/// What identifies a user in stored data.
struct Needles {
    id: Id,
    username: String,
}

impl Needles {
    fn text(&self, s: &str) -> bool {
        s == self.id.to_hex() || s == self.username
    }

    fn bson(&self, v: &Bson) -> bool {
        match v {
            Bson::ObjectId(o) => o.to_hex() == self.id.to_hex(),
            Bson::String(s) => self.text(s),
            Bson::Document(d) => d.values().any(|v| self.bson(v)),
            Bson::Array(a) => a.iter().any(|v| self.bson(v)),
            _ => false,
        }
    }
}

/// Every table or collection of the store → how many of its rows mention the user.
async fn rows_mentioning(h: &Harness, who: &Needles) -> BTreeMap<String, u64> {
    let mut found = BTreeMap::new();
    if let Some(path) = h.sqlite_path() {
        let conn = rusqlite::Connection::open(path).expect("open the SQLite file");
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .expect("list the tables");
        for table in tables {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM \"{table}\""))
                .expect("read a table");
            let columns = stmt.column_count();
            let mut rows = stmt.query([]).expect("read rows");
            let mut n = 0;
            while let Some(row) = rows.next().expect("a row") {
                let hit = (0..columns).any(|i| match row.get_ref(i).expect("a cell") {
                    rusqlite::types::ValueRef::Text(t) => {
                        std::str::from_utf8(t).is_ok_and(|s| who.text(s))
                    }
                    _ => false,
                });
                n += u64::from(hit);
            }
            found.insert(table, n);
        }
        return found;
    }
    let db = h.raw_mongo().await.expect("a MongoDB harness");
    for name in db.list_collection_names().await.expect("list collections") {
        let docs: Vec<Document> = db
            .collection::<Document>(&name)
            .find(mongodb::bson::doc! {})
            .await
            .expect("read a collection")
            .try_collect()
            .await
            .expect("read documents");
        let n = docs
            .iter()
            .filter(|d| d.values().any(|v| who.bson(v)))
            .count();
        found.insert(name, n as u64);
    }
    found
}

/// The classification of the store's tables or collections: (holding user data, holding none).
fn classification(h: &Harness) -> (&'static [&'static str], Vec<&'static str>) {
    if h.sqlite_path().is_some() {
        (
            SQLITE_USER_TABLES,
            SQLITE_OTHER_TABLES.iter().map(|(t, _)| *t).collect(),
        )
    } else {
        (
            MONGO_USER_COLLECTIONS,
            MONGO_OTHER_COLLECTIONS.iter().map(|(t, _)| *t).collect(),
        )
    }
}

/// Give `user` a record of every kind the app stores.
async fn fill(h: &Harness, user: &AuthUser) {
    let main = h.main_account(user).await;
    let savings = h.add_account(user, "Savings", "savings", "0.00").await;
    let food = h.category(user, "Groceries").await;
    let salary = h.category(user, "Salary").await;
    h.tx(user, food.id, "12.50", "2024-03-01", "Market").await;
    h.tx(user, salary.id, "1000.00", "2024-03-02", "Pay").await;
    h.transfer(user, main.id, savings.id, "100.00", "2024-03-03", "Saving")
        .await;
    h.budget(
        user,
        food.id,
        "300.00",
        finance_core::domain::Period::Monthly,
    )
    .await;
    let key = IdempotencyKey::parse("idempotencyKey", &format!("k-{}", user.id().to_hex()))
        .expect("a key");
    h.finance
        .add_transaction_with_key(
            user,
            new_tx(food.id, "3.00", "2024-03-04", "Bakery"),
            &key,
            now(),
        )
        .await
        .expect("an idempotent write");
    let schedule = ScheduleDraft {
        account_id: main.id.to_hex(),
        category_id: Some(food.id.to_hex()),
        to_account_id: None,
        amount: "40.00".into(),
        description: "Veg box".into(),
        note: None,
        frequency: "monthly".into(),
        interval: None,
        weekday: None,
        month_day: Some("5".into()),
        start_date: "2024-03-05".into(),
        end_date: None,
        count: None,
        mode: "post".into(),
    }
    .validate(user.currency())
    .expect("a valid schedule");
    h.finance
        .add_schedule(user, schedule, now())
        .await
        .expect("add a schedule");
    let rule = RuleDraft {
        enabled: true,
        description_match: Some("contains".into()),
        description_text: Some("market".into()),
        category_id: Some(food.id.to_hex()),
        ..RuleDraft::default()
    }
    .validate(user.currency())
    .expect("a valid rule");
    h.finance
        .add_rule(user, rule, now())
        .await
        .expect("add a rule");
}

pub async fn deleting_an_account_leaves_nothing_of_the_user(h: &Harness) {
    h.register("ann").await;
    let (_token, ann) = login(&h.finance, "ann").await;
    fill(h, &ann).await;
    let bob = h.user("bob").await;
    fill(h, &bob).await;
    // A failed log-in leaves a throttle record under ann's username.
    assert_err(
        h.finance
            .login("ann", &Password::for_login("not-her-password"), now())
            .await,
        "unauthorized",
        None,
    );
    // Memberships both ways: bob in ann's ledger, ann in carol's (and bob
    // in carol's, which must survive ann's delete).
    let (bob_token, _) = login(&h.finance, "bob").await;
    let carol = h.user("carol").await;
    for (owner, member, who) in [
        (&ann, &bob, "bob"),
        (&carol, &ann, "ann"),
        (&carol, &bob, "bob"),
    ] {
        h.finance
            .invite_member(owner, who, Role::Viewer, now())
            .await
            .expect("invite");
        h.finance
            .accept_invitation(member, owner.ledger())
            .await
            .expect("accept");
    }
    h.finance
        .authenticate_on(&bob_token, Some(ann.id()), now())
        .await
        .expect("bob acts on ann's ledger before the delete");
    let anns = Needles {
        id: ann.id(),
        username: "ann".into(),
    };
    let bobs = Needles {
        id: bob.id(),
        username: "bob".into(),
    };

    let before = rows_mentioning(h, &anns).await;
    let (holding, other) = classification(h);
    let unclassified: Vec<&String> = before
        .keys()
        .filter(|t| !holding.contains(&t.as_str()) && !other.contains(&t.as_str()))
        .collect();
    assert!(
        unclassified.is_empty(),
        "every table/collection must be classified as holding user data or not; \
         unclassified: {unclassified:?}"
    );
    for table in holding {
        assert!(
            before.get(*table).copied().unwrap_or(0) > 0,
            "the scan must find ann's data in `{table}` before the delete, or it proves \
             nothing there (found: {before:?})"
        );
    }

    h.finance
        .delete_account(&ann, &Password::for_login(PASSWORD))
        .await
        .expect("delete ann's account");

    let after = rows_mentioning(h, &anns).await;
    let left: BTreeMap<&String, &u64> = after.iter().filter(|(_, n)| **n > 0).collect();
    assert!(
        left.is_empty(),
        "nothing of a deleted user may remain on the store; rows left: {left:?}"
    );
    assert_err(
        h.finance
            .authenticate_on(&bob_token, Some(ann.id()), now())
            .await,
        "not_found",
        None,
    );
    let bobs_ledgers: Vec<Id> = h
        .finance
        .ledgers(&bob)
        .await
        .expect("bob's ledgers")
        .iter()
        .map(|l| l.ledger)
        .collect();
    assert_eq!(
        bobs_ledgers,
        [bob.id(), carol.id()],
        "bob keeps his own ledger and carol's, and loses the deleted one's"
    );
    let bobs_rows = rows_mentioning(h, &bobs).await;
    for table in [
        "transactions",
        "accounts",
        "categories",
        "rules",
        "schedules",
        "budgets",
        "memberships",
    ] {
        assert!(
            bobs_rows.get(table).copied().unwrap_or(0) > 0,
            "another user's `{table}` survives an account deletion: {bobs_rows:?}"
        );
    }
}
