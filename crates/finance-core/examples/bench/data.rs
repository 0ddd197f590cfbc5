//! The benchmark's data: seeded users with their default categories, generated
//! transactions, CSV files to import, and the fixed clock and date ranges the
//! operations ask about.
//!
//! Data: one measured user holding `size` transactions spread over five years across
//! the default categories and ten accounts (opened six years ago), plus three other users with `size / 10` each, and seven
//! budgets (six monthly, one yearly) for the measured user. Seeded through
//! `Store::insert_transactions` (the bulk import path) in chunks of [`seed_chunk`] rows.
//!
//! Invariants: every random stream starts from the fixed [`SEED`] plus its own
//! [`Stream`] offset, so the same flags give the same data in every run; the clock is
//! fixed ([`now`]); amounts are integer minor units, never floats; about one
//! transaction in ten is income.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Months, NaiveDate, TimeDelta, Utc};
use finance_core::auth::SigningKey;
use finance_core::csv_io::{AmountColumns, DateFormat, DecimalSeparator, ImportSettings};
use finance_core::domain::user::Password;
use finance_core::domain::{
    AccountDraft, BudgetDraft, Category, CategoryKind, DateRange, Description, NewTransaction,
    RegistrationDraft, Transaction, TxStatus,
};
use finance_core::store::prelude::*;
use finance_core::{Amount, AuthSettings, AuthUser, Currency, Finance, Id};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::Res;

/// The password of every benchmark user.
pub const PASSWORD: &str = "tulip-river-93";
const SEED: u64 = 0x5EED_F1A4;

/// Rows per seeding write: one bulk insert (one database transaction) each.
/// MongoDB takes smaller ones: on a busy machine the test server did not finish a
/// 50,000-row transaction within the import's bound (seeding 100,000 failed).
fn seed_chunk(store: &dyn Store) -> usize {
    if store.kind() == "mongodb" {
        10_000
    } else {
        50_000
    }
}

const EXPENSE_WORDS: &[&str] = &[
    "Coffee at Bean There",
    "Supermarket weekly shop",
    "Train ticket",
    "Electricity bill",
    "Netflix subscription",
    "Pharmacy",
    "Dinner with friends",
    "Petrol station",
    "Bookshop",
    "Gym membership",
    "Rent",
    "Mobile phone plan",
    "Bakery",
    "Cinema tickets",
    "Hardware store",
];
const INCOME_WORDS: &[&str] = &[
    "Salary",
    "Freelance invoice",
    "Interest",
    "Tax refund",
    "Gift",
];

/// The random streams, one per part of the run (the discriminant is the seed offset).
#[derive(Clone, Copy)]
pub enum Stream {
    Seed = 0,
    Ours = 1,
    SqliteRaw = 2,
    MongoRaw = 3,
    Login = 4,
    Balances = 5,
    Suggest = 6,
}

/// The random generator of one stream.
pub fn rng(stream: Stream) -> StdRng {
    StdRng::seed_from_u64(SEED + stream as u64)
}

/// The fixed "now" of every run.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-15T12:00:00Z")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now())
}

pub fn today() -> NaiveDate {
    now().date_naive()
}

/// Auth settings at the given bcrypt cost (4 for seeding, 12 for the log-in timing).
pub fn settings(cost: u32) -> AuthSettings {
    AuthSettings {
        bcrypt_cost: cost,
        session_ttl: TimeDelta::days(7),
    }
}

/// Register `name` (with the default categories) and log in.
pub async fn user(finance: &Finance, name: &str) -> Res<AuthUser> {
    let reg = RegistrationDraft {
        username: name.into(),
        password: PASSWORD.into(),
        first_name: "Bench".into(),
        last_name: name.into(),
        email: format!("{name}@example.com"),
        currency: "EUR".into(),
    }
    .validate()?;
    finance.register(reg, now()).await?;
    let out = finance
        .login(name, &Password::for_login(PASSWORD), now())
        .await?;
    Ok(finance.authenticate(out.token.expose(), now()).await?)
}

pub fn description(rng: &mut StdRng, kind: CategoryKind) -> String {
    let words = match kind {
        CategoryKind::Income => INCOME_WORDS,
        CategoryKind::Expense => EXPENSE_WORDS,
    };
    let w = words[rng.random_range(0..words.len())];
    if rng.random_bool(0.3) {
        format!("{w} #{}", rng.random_range(1..500))
    } else {
        w.to_string()
    }
}

/// A day in the five years up to [`today`].
pub fn random_date(rng: &mut StdRng) -> NaiveDate {
    today() - TimeDelta::days(rng.random_range(0..5 * 365))
}

/// An amount in minor units.
pub fn amount(rng: &mut StdRng, kind: CategoryKind) -> i64 {
    match kind {
        CategoryKind::Income => rng.random_range(50_000..400_000),
        CategoryKind::Expense => rng.random_range(150..25_000),
    }
}

/// A kind (about one in ten income) and a category of that kind.
fn kind_and_category<'c>(rng: &mut StdRng, cats: &'c [Category]) -> (CategoryKind, &'c Category) {
    let kind = if rng.random_bool(0.1) {
        CategoryKind::Income
    } else {
        CategoryKind::Expense
    };
    let of_kind: Vec<&Category> = cats.iter().filter(|c| c.kind == kind).collect();
    (kind, of_kind[rng.random_range(0..of_kind.len())])
}

/// `n` transactions of `user` in `account` across `cats`.
pub fn generate(
    rng: &mut StdRng,
    user: Id,
    account: Id,
    cats: &[Category],
    n: usize,
) -> Res<Vec<Transaction>> {
    generate_across(rng, user, &[account], cats, n)
}

/// `n` transactions of `user`, each in a random one of `accounts`, across `cats`.
pub fn generate_across(
    rng: &mut StdRng,
    user: Id,
    accounts: &[Id],
    cats: &[Category],
    n: usize,
) -> Res<Vec<Transaction>> {
    let stamp = now();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let (kind, cat) = kind_and_category(rng, cats);
        let note = rng.random_bool(0.05).then(|| "paid by card".to_string());
        let account = match accounts {
            [one] => *one,
            many => many[rng.random_range(0..many.len())],
        };
        out.push(Transaction {
            id: Id::generate(),
            user_id: user,
            account_id: account,
            category_id: Some(cat.id),
            kind: kind.into(),
            amount: Amount::from_minor("amount", amount(rng, kind))?.into(),
            status: TxStatus::Uncleared,
            transfer_id: None,
            bank_id: None,
            date: random_date(rng),
            description: description(rng, kind),
            note,
            created_at: stamp,
            updated_at: stamp,
        });
    }
    Ok(out)
}

/// A CSV file of `n` rows in the layout [`import_settings`] reads.
pub fn csv_bytes(rng: &mut StdRng, cats: &[Category], n: usize) -> Vec<u8> {
    let mut s = String::from("Date,Description,Category,Type,Amount,Note\r\n");
    for _ in 0..n {
        let (kind, cat) = kind_and_category(rng, cats);
        let a = amount(rng, kind);
        let _ = write!(
            s,
            "{},{},{},{},{}.{:02},\r\n",
            random_date(rng).format("%Y-%m-%d"),
            description(rng, kind),
            cat.name,
            kind.as_str(),
            a / 100,
            a % 100
        );
    }
    s.into_bytes()
}

pub fn import_settings() -> ImportSettings {
    ImportSettings {
        delimiter: b',',
        has_header: true,
        date: 0,
        amount: AmountColumns::Single(4),
        description: 1,
        category: Some(2),
        note: Some(5),
        kind: Some(3),
        date_format: DateFormat::Iso,
        decimal: DecimalSeparator::Dot,
        account: None,
        transfer: None,
    }
}

/// An expense as the UI's add and edit send it.
pub fn new_tx(rng: &mut StdRng, cats: &[Category]) -> Res<NewTransaction> {
    let cat = cats
        .iter()
        .find(|c| c.kind == CategoryKind::Expense)
        .ok_or("no expense category")?;
    Ok(NewTransaction {
        account_id: None,
        category_id: cat.id,
        amount: Amount::from_minor("amount", amount(rng, CategoryKind::Expense))?.into(),
        date: random_date(rng),
        description: Description::parse("description", &description(rng, CategoryKind::Expense))?,
        note: None,
    })
}

/// The user's first account (registration's "Main account").
pub async fn main_account(finance: &Finance, user: &AuthUser) -> Res<Id> {
    Ok(finance
        .accounts(user)
        .await?
        .first()
        .ok_or("the user has no account")?
        .id)
}

/// The calendar month of [`today`].
pub fn month_range() -> Res<DateRange> {
    Ok(DateRange::month_of(today()))
}

/// The twelve months up to [`today`] (the 12-month report's range).
pub fn year_range() -> Res<DateRange> {
    let to = today();
    let from = (to - Months::new(12)) + TimeDelta::days(1);
    Ok(DateRange::new(from, to)?)
}

/// A seeded store: the `Finance` over it, the measured user, its categories
/// and its ten accounts (the first is "Main account").
pub struct Seeded {
    pub finance: Finance,
    pub me: AuthUser,
    pub cats: Vec<Category>,
    pub accounts: Vec<Id>,
    pub seed_secs: f64,
}

/// Seed one chunk through the bulk-import write. Seeding is set-up, not a
/// measurement: a chunk the server failed (the SecantusDB test server now and
/// then fails a large transaction's commit with a WiredTiger write conflict,
/// reported as InternalError rather than a retryable error) is written again,
/// up to three attempts; the transaction means a failed chunk wrote nothing.
async fn seed_rows(store: &Arc<dyn Store>, user: Id, txs: Vec<Transaction>) -> Res<()> {
    for attempt in 1..=3 {
        match store
            .insert_transactions(user, &[], &txs, &|_, _| {}, None)
            .await
        {
            Ok(_) => return Ok(()),
            Err(e) if attempt < 3 => {
                eprintln!(
                    "seeding: {} rows failed ({e}); writing them again",
                    txs.len()
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Seed `store` with the benchmark's users, `size` transactions for the measured
/// user and its budgets.
pub async fn seed(store: Arc<dyn Store>, size: usize) -> Res<Seeded> {
    let finance = Finance::new(Arc::clone(&store), &SigningKey::generate(), settings(4));
    let mut rng = rng(Stream::Seed);
    let started = Instant::now();
    let me = user(&finance, "bench_main").await?;
    let cats = finance.categories(&me).await?;
    for i in 0..3 {
        let other = user(&finance, &format!("bench_other{i}")).await?;
        let oc = finance.categories(&other).await?;
        let account = main_account(&finance, &other).await?;
        let txs = generate(&mut rng, other.id(), account, &oc, size / 10)?;
        seed_rows(&store, other.id(), txs).await?;
    }
    // Ten accounts (registration's "Main account" and nine more, assets and
    // liabilities), the rows spread evenly over them.
    let mut accounts = vec![main_account(&finance, &me).await?];
    for (i, kind) in [
        "savings",
        "cash",
        "credit_card",
        "loan",
        "asset",
        "checking",
        "savings",
        "credit_card",
        "liability",
    ]
    .into_iter()
    .enumerate()
    {
        let new = AccountDraft {
            name: format!("Account {}", i + 2),
            kind: kind.into(),
            opening_balance: format!("{}", (i as i64 - 4) * 1000),
            opening_date: (today() - TimeDelta::days(6 * 365)).to_string(),
            note: None,
        }
        .validate(me.currency())?;
        accounts.push(finance.add_account(&me, new, now()).await?.id);
    }
    // In chunks so the generated rows need not all be in memory at once.
    let mut left = size;
    while left > 0 {
        let n = left.min(seed_chunk(store.as_ref()));
        let txs = generate_across(&mut rng, me.id(), &accounts, &cats, n)?;
        seed_rows(&store, me.id(), txs).await?;
        left -= n;
    }
    // A monthly budget on each of the first six expense categories, one yearly.
    for (i, c) in cats
        .iter()
        .filter(|c| c.kind == CategoryKind::Expense)
        .take(7)
        .enumerate()
    {
        let draft = BudgetDraft {
            category_id: c.id.to_hex(),
            limit: "400.00".into(),
            period: if i == 6 { "yearly" } else { "monthly" }.into(),
        };
        finance
            .add_budget(
                &me,
                draft.validate(Currency::parse("currency", "EUR")?)?,
                now(),
            )
            .await?;
    }
    Ok(Seeded {
        finance,
        me,
        cats,
        accounts,
        seed_secs: started.elapsed().as_secs_f64(),
    })
}
