//! Seed an embedded store for the app-footprint measurement (tools/footprint.py).
//!
//! ```sh
//! cargo run --release -p finance-core --example seed -- DATA_DIR USERNAME PASSWORD [N]
//! ```
//!
//! Creates `DATA_DIR/finance.sqlite3` (the file the app opens in its data dir) with one
//! user registered at the app's bcrypt cost (12), its default categories, `N` (default
//! 10,000) transactions over the last two years from a fixed RNG seed, and six monthly
//! budgets — so the app can log in and show a realistic dashboard.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use finance_core::auth::SigningKey;
use finance_core::domain::{BudgetDraft, CategoryKind, RegistrationDraft, Transaction};
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Amount, AuthSettings, Currency, Finance, Id};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

type Res<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const DESCRIPTIONS: &[&str] = &[
    "Supermarket weekly shop",
    "Coffee at Bean There",
    "Train ticket",
    "Electricity bill",
    "Dinner with friends",
    "Pharmacy",
    "Petrol station",
    "Bookshop",
];

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, username, password, rest @ ..] = args.as_slice() else {
        return Err("usage: seed DATA_DIR USERNAME PASSWORD [N]".into());
    };
    let n: usize = rest
        .first()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.join("finance.sqlite3")).await?);
    // The app's own cost, so logging in to the seeded store costs what it costs for a user.
    let settings = AuthSettings {
        bcrypt_cost: 12,
        session_ttl: TimeDelta::days(7),
    };
    let finance = Finance::new(Arc::clone(&store), &SigningKey::generate(), settings);
    let now = Utc::now();
    let reg = RegistrationDraft {
        username: username.clone(),
        password: password.clone(),
        first_name: "Footprint".into(),
        last_name: "User".into(),
        email: format!("{username}@example.com"),
        currency: "EUR".into(),
    }
    .validate()?;
    let user = finance.register(reg, now).await?;
    let cats = store.categories(user.id).await?;
    let account = store
        .accounts(user.id)
        .await?
        .first()
        .ok_or("registration made no account")?
        .id;
    let income: Vec<_> = cats
        .iter()
        .filter(|c| c.kind == CategoryKind::Income)
        .collect();
    let expense: Vec<_> = cats
        .iter()
        .filter(|c| c.kind == CategoryKind::Expense)
        .collect();
    let mut rng = StdRng::seed_from_u64(0xF007_9817);
    let today = now.date_naive();
    let mut txs = Vec::with_capacity(n);
    for _ in 0..n {
        let is_income = rng.random_bool(0.1);
        let (cat, minor, description) = if is_income {
            let c = income[rng.random_range(0..income.len())];
            (c, rng.random_range(50_000..400_000), "Salary".to_string())
        } else {
            let c = expense[rng.random_range(0..expense.len())];
            let d = DESCRIPTIONS[rng.random_range(0..DESCRIPTIONS.len())];
            (c, rng.random_range(150..25_000), d.to_string())
        };
        txs.push(Transaction {
            id: Id::generate(),
            user_id: user.id,
            account_id: account,
            category_id: Some(cat.id),
            kind: cat.kind.into(),
            amount: Amount::from_minor("amount", minor)?.into(),
            status: finance_core::domain::TxStatus::Uncleared,
            transfer_id: None,
            bank_id: None,
            date: today - TimeDelta::days(rng.random_range(0..730)),
            description,
            note: None,
            created_at: now,
            updated_at: now,
        });
    }
    store
        .insert_transactions(user.id, &[], &txs, &|_, _| {}, None)
        .await?;
    let login = finance
        .login(
            username,
            &finance_core::domain::user::Password::for_login(password),
            now,
        )
        .await?;
    let me = finance.authenticate(login.token.expose(), now).await?;
    finance.logout(login.token.expose()).await?;
    for c in expense.iter().take(6) {
        let draft = BudgetDraft {
            category_id: c.id.to_hex(),
            limit: "400.00".into(),
            period: "monthly".into(),
        };
        finance
            .add_budget(
                &me,
                draft.validate(Currency::parse("currency", "EUR")?)?,
                now,
            )
            .await?;
    }
    println!(
        "seeded {} with {username} and {n} transactions",
        dir.display()
    );
    Ok(())
}
