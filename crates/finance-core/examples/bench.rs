//! Data-path benchmark: our operations (through `Finance` and the `Store`) beside a
//! raw-engine baseline on the same data, in the same run.
//!
//! ```text
//! cargo run --profile bench-release -p finance-core --example bench -- --sizes 10000,100000,1000000 --iterations 20
//! cargo run -p finance-core --example bench -- --smoke        # proves the harness runs (not timed)
//! ```
//!
//! `./dev bench-data` (part of `./dev bench`) runs the first with `--mongo-sizes 10000,100000
//! --mongo-iterations 5,3 --mongo-import-rows 2000` against a SecantusDB test server and
//! `--write BENCHMARKS.md`. The output starts with the command, build profile and machine; then one table per backend and size (rows marked ↳ time the 12-month report's
//! store calls one by one beside the matching hand-written part), the scaling table, the
//! issue's targets judged on this run (PASS/MISS with ours ÷ raw), and the bcrypt cost-12
//! log-in with list pages timed while log-ins run.
//!
//! Flags: `--sizes a,b,c` (SQLite), `--mongo-sizes a,b` (MongoDB at
//! `FINANCE_TEST_MONGODB_URI`, skipped when unset), `--iterations N`, `--import-rows N` (SQLite),
//! `--mongo-iterations a,b` (per MongoDB size, the last repeats; default `--iterations`),
//! `--mongo-import-rows N` (default 2000), `--deep-page N` (default 200; 20 at most on
//! MongoDB), `--smoke`, `--write FILE` (replace the part of FILE between the
//! `<!-- bench:begin -->` and `<!-- bench:end -->` markers with the tables).
//!
//! Data: a fixed RNG seed; one measured user holding `size` transactions spread over
//! five years across the default categories, plus three other users with `size / 10`
//! each. Seeded through `Store::insert_transactions` (the bulk import path). On MongoDB
//! (the SecantusDB Python test server, not mongod) imports have their own size and the
//! deep page is at most 20.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeDelta, Utc};
use finance_core::auth::SigningKey;
use finance_core::csv_io::{AmountColumns, DateFormat, DecimalSeparator, ImportSettings};
use finance_core::domain::user::Password;
use finance_core::domain::{
    BudgetDraft, Category, CategoryKind, DateRange, Description, NewTransaction, RegistrationDraft,
    Transaction, TransactionFilter, TransactionQuery,
};
use finance_core::store::mongo::MongoStore;
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Amount, AuthSettings, AuthUser, Currency, Finance, Id};
use mongodb::bson::{self, Document, doc, oid::ObjectId};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Res<T> = std::result::Result<T, BoxError>;

const PASSWORD: &str = "tulip-river-93";
const SEED: u64 = 0x5EED_F1A4;

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

struct Opts {
    sizes: Vec<usize>,
    mongo_sizes: Vec<usize>,
    iterations: usize,
    import_rows: usize,
    /// Iterations per MongoDB size (the last repeats); default `iterations`.
    mongo_iterations: Vec<usize>,
    mongo_import_rows: usize,
    deep_page: usize,
    write: Option<String>,
}

fn parse_opts() -> Res<Opts> {
    let mut o = Opts {
        sizes: vec![10_000, 100_000, 1_000_000],
        mongo_sizes: vec![10_000],
        iterations: 20,
        import_rows: 100_000,
        mongo_iterations: vec![],
        mongo_import_rows: 2_000,
        deep_page: 200,
        write: None,
    };
    let list = |s: String| -> Res<Vec<usize>> {
        s.split(',')
            .filter(|p| !p.is_empty())
            .map(|p| p.trim().parse::<usize>().map_err(BoxError::from))
            .collect()
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--sizes" => o.sizes = list(val()?)?,
            "--mongo-sizes" => o.mongo_sizes = list(val()?)?,
            "--iterations" => o.iterations = val()?.parse()?,
            "--import-rows" => o.import_rows = val()?.parse()?,
            "--mongo-iterations" => o.mongo_iterations = list(val()?)?,
            "--mongo-import-rows" => o.mongo_import_rows = val()?.parse()?,
            "--write" => o.write = Some(val()?),
            "--deep-page" => o.deep_page = val()?.parse()?,
            "--smoke" => {
                o.sizes = vec![10_000];
                o.mongo_sizes = vec![1_000];
                o.deep_page = 3;
                o.iterations = 1;
                o.import_rows = 1_000;
                o.mongo_iterations = vec![1];
                o.mongo_import_rows = 1_000;
            }
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    o.iterations = o.iterations.max(1);
    Ok(o)
}

/// Timings of one operation, in milliseconds.
#[derive(Default, Clone)]
struct Stat(Vec<f64>);

impl Stat {
    fn push(&mut self, d: Duration) {
        self.0.push(d.as_secs_f64() * 1000.0);
    }
    fn sorted(&self) -> Vec<f64> {
        let mut v = self.0.clone();
        v.sort_by(f64::total_cmp);
        v
    }
    fn median(&self) -> f64 {
        let v = self.sorted();
        if v.is_empty() {
            return f64::NAN;
        }
        v[v.len() / 2]
    }
    fn p95(&self) -> f64 {
        let v = self.sorted();
        if v.is_empty() {
            return f64::NAN;
        }
        let i = ((v.len() as f64) * 0.95).ceil() as usize;
        v[i.saturating_sub(1).min(v.len() - 1)]
    }
}

/// One table row: ours and the raw baseline.
struct Row {
    key: &'static str,
    op: String,
    ours: Stat,
    raw: Option<Stat>,
}

struct RunResult {
    backend: &'static str,
    size: usize,
    seed_secs: f64,
    rows: Vec<Row>,
}

fn ms(x: f64) -> String {
    if x.is_nan() {
        "–".into()
    } else if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

fn table(r: &RunResult) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n#### {} — {} transactions (seeded in {:.1} s)\n",
        r.backend, r.size, r.seed_secs
    );
    s.push_str("| operation | ours median ms | ours p95 ms | raw median ms | raw p95 ms | ours ÷ raw (median) |\n");
    s.push_str("|---|---:|---:|---:|---:|---:|\n");
    for row in &r.rows {
        let (rm, rp, ratio) = match &row.raw {
            Some(raw) => (
                ms(raw.median()),
                ms(raw.p95()),
                format!("{:.2}×", row.ours.median() / raw.median()),
            ),
            None => ("–".into(), "–".into(), "–".into()),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            row.op,
            ms(row.ours.median()),
            ms(row.ours.p95()),
            rm,
            rp,
            ratio
        );
    }
    s
}

fn scaling(results: &[RunResult]) -> String {
    let ops = [
        "list: first page",
        "list: deep page",
        "month summary",
        "12-month report",
    ];
    let mut s = String::from("\n#### Scaling (p95 ms, ours)\n\n| backend | size |");
    for op in ops {
        let _ = write!(s, " {op} |");
    }
    s.push_str("\n|---|---:|");
    for _ in ops {
        s.push_str("---:|");
    }
    s.push('\n');
    for r in results {
        let _ = write!(s, "| {} | {} |", r.backend, r.size);
        for op in ops {
            let v = r
                .rows
                .iter()
                .find(|x| x.key == op)
                .map_or(f64::NAN, |x| x.ours.p95());
            let _ = write!(s, " {} |", ms(v));
        }
        s.push('\n');
    }
    s
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "**MISS**" }
}

/// The issue's targets, judged on this run's figures.
fn targets(results: &[RunResult], login: &LoginResult) -> String {
    let find = |r: &RunResult, key: &str| {
        r.rows
            .iter()
            .find(|x| x.key == key)
            .map(|x| (x.ours.clone(), x.raw.clone()))
    };
    let ratio =
        |o: &Stat, r: &Option<Stat>| r.as_ref().map_or(f64::NAN, |r| o.median() / r.median());
    let mut s = String::from(
        "\n#### Targets\n\n| backend, size | target | measured (ours) | ours ÷ raw (median) | result |\n|---|---|---|---:|---|\n",
    );
    for r in results {
        let is_sqlite = r.backend == "SQLite";
        let largest = results
            .iter()
            .filter(|x| x.backend == r.backend)
            .map(|x| x.size)
            .max()
            .unwrap_or(0);
        if r.size != largest {
            continue;
        }
        let at = format!("{} {}", r.backend, r.size);
        for (key, what) in [
            ("bulk write", "bulk write ≤ 1.5× raw"),
            ("import CSV", "CSV import ≤ 1.5× raw"),
        ] {
            if let Some((o, raw)) = find(r, key)
                && raw.is_some()
            {
                let q = ratio(&o, &raw);
                let _ = writeln!(
                    s,
                    "| {at} | {what} | median {} ms | {q:.2}× | {} |",
                    ms(o.median()),
                    pass(q <= 1.5)
                );
            }
        }
        for key in ["month summary", "budget statuses", "12-month report"] {
            if let Some((o, raw)) = find(r, key)
                && raw.is_some()
            {
                let q = ratio(&o, &raw);
                let _ = writeln!(
                    s,
                    "| {at} | {key} ≤ 1.5× raw | median {} ms | {q:.2}× | {} |",
                    ms(o.median()),
                    pass(q <= 1.5)
                );
            }
        }
        if is_sqlite {
            for (key, limit) in [
                ("list: first page", 10.0),
                ("list: deep page", 10.0),
                ("month summary", 10.0),
                ("12-month report", 200.0),
            ] {
                if let Some((o, raw)) = find(r, key) {
                    let q = ratio(&o, &raw);
                    let _ = writeln!(
                        s,
                        "| {at} | {key} p95 ≤ {limit} ms | p95 {} ms (median {}) | {} | {} |",
                        ms(o.p95()),
                        ms(o.median()),
                        if q.is_nan() {
                            "–".to_string()
                        } else {
                            format!("{q:.2}×")
                        },
                        pass(o.p95() <= limit)
                    );
                }
            }
        }
    }
    // The curve: p95 at the largest SQLite size over p95 at the smallest.
    let sqlite: Vec<&RunResult> = results.iter().filter(|r| r.backend == "SQLite").collect();
    if let (Some(lo), Some(hi)) = (
        sqlite.iter().min_by_key(|r| r.size),
        sqlite.iter().max_by_key(|r| r.size),
    ) && hi.size > lo.size
    {
        for key in [
            "list: first page",
            "list: deep page",
            "month summary",
            "12-month report",
        ] {
            if let (Some((a, _)), Some((b, _))) = (find(lo, key), find(hi, key)) {
                let growth = b.p95() / a.p95();
                let _ = writeln!(
                    s,
                    "| SQLite {}→{} | {key}: flat-ish (p95 grows < 10× for {}× the rows) | p95 {} → {} ms | – | {} ({growth:.1}×) |",
                    lo.size,
                    hi.size,
                    hi.size / lo.size.max(1),
                    ms(a.p95()),
                    ms(b.p95()),
                    pass(growth < 10.0)
                );
            }
        }
    }
    let _ = writeln!(
        s,
        "| SQLite | log-in at bcrypt cost 12 ≈ 250 ms, reported on its own | median {} ms, p95 {} ms | – | reported |",
        ms(login.login.median()),
        ms(login.login.p95())
    );
    let _ = writeln!(
        s,
        "| SQLite | log-ins do not slow other work: list page p95 ≤ 10 ms while log-ins run | p95 {} ms during, {} ms without | – | {} |",
        ms(login.page_during.p95()),
        ms(login.page_idle.p95()),
        pass(login.page_during.p95() <= 10.0)
    );
    s
}

/// Where the figures come from: date, command, build profile, machine.
fn provenance() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let exe = std::env::current_exe().ok();
    // target/<profile>/examples/bench
    let profile = exe
        .as_ref()
        .and_then(|p| p.parent()?.parent()?.file_name())
        .map_or("?".into(), |n| n.to_string_lossy().into_owned());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map_or("?", |l| l.trim_start_matches([' ', '\t', ':']));
    let threads = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0 / 1024.0);
    format!(
        "_Run {} UTC: `bench {}` (build profile `{}`{}); {} hardware threads ({}), {:.0} GiB RAM._\n",
        Utc::now().format("%Y-%m-%d %H:%M"),
        args.join(" "),
        profile,
        if cfg!(debug_assertions) {
            ", debug assertions on: not timed"
        } else {
            ""
        },
        threads,
        cpu,
        mem_gib
    )
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-15T12:00:00Z")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now())
}

fn today() -> NaiveDate {
    now().date_naive()
}

fn settings(cost: u32) -> AuthSettings {
    AuthSettings {
        bcrypt_cost: cost,
        session_ttl: TimeDelta::days(7),
    }
}

async fn user(finance: &Finance, name: &str) -> Res<AuthUser> {
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

fn description(rng: &mut StdRng, kind: CategoryKind) -> String {
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

fn random_date(rng: &mut StdRng) -> NaiveDate {
    today() - TimeDelta::days(rng.random_range(0..5 * 365))
}

fn amount(rng: &mut StdRng, kind: CategoryKind) -> i64 {
    match kind {
        CategoryKind::Income => rng.random_range(50_000..400_000),
        CategoryKind::Expense => rng.random_range(150..25_000),
    }
}

fn generate(rng: &mut StdRng, user: Id, cats: &[Category], n: usize) -> Res<Vec<Transaction>> {
    let stamp = now();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        // About one transaction in ten is income.
        let kind = if rng.random_bool(0.1) {
            CategoryKind::Income
        } else {
            CategoryKind::Expense
        };
        let of_kind: Vec<&Category> = cats.iter().filter(|c| c.kind == kind).collect();
        let cat = of_kind[rng.random_range(0..of_kind.len())];
        let note = rng.random_bool(0.05).then(|| "paid by card".to_string());
        out.push(Transaction {
            id: Id::generate(),
            user_id: user,
            category_id: cat.id,
            kind,
            amount: Amount::from_minor("amount", amount(rng, kind))?,
            date: random_date(rng),
            description: description(rng, kind),
            note,
            created_at: stamp,
            updated_at: stamp,
        });
    }
    Ok(out)
}

fn csv_bytes(rng: &mut StdRng, cats: &[Category], n: usize) -> Vec<u8> {
    let mut s = String::from("Date,Description,Category,Type,Amount,Note\r\n");
    for _ in 0..n {
        let kind = if rng.random_bool(0.1) {
            CategoryKind::Income
        } else {
            CategoryKind::Expense
        };
        let of_kind: Vec<&Category> = cats.iter().filter(|c| c.kind == kind).collect();
        let cat = of_kind[rng.random_range(0..of_kind.len())];
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

fn import_settings() -> ImportSettings {
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
    }
}

fn new_tx(rng: &mut StdRng, cats: &[Category]) -> Res<NewTransaction> {
    let cat = cats
        .iter()
        .find(|c| c.kind == CategoryKind::Expense)
        .ok_or("no expense category")?;
    Ok(NewTransaction {
        category_id: cat.id,
        amount: Amount::from_minor("amount", amount(rng, CategoryKind::Expense))?,
        date: random_date(rng),
        description: Description::parse("description", &description(rng, CategoryKind::Expense))?,
        note: None,
    })
}

fn month_range() -> Res<DateRange> {
    Ok(DateRange::month_of(today()))
}

fn year_range() -> Res<DateRange> {
    let to = today();
    let from = (to - Months::new(12)) + TimeDelta::days(1);
    Ok(DateRange::new(from, to)?)
}

async fn timed<F, Fut, T>(stat: &mut Stat, f: F) -> Res<T>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Res<T>>,
{
    let t = Instant::now();
    let out = f().await?;
    stat.push(t.elapsed());
    Ok(out)
}

/// The parts of a run both backends share: seeding, then every operation through `Finance`.
struct Seeded {
    finance: Finance,
    me: AuthUser,
    cats: Vec<Category>,
    seed_secs: f64,
}

/// Rows per seeding write: one bulk insert (one database transaction) each.
const SEED_CHUNK: usize = 50_000;

/// Seed one chunk through the bulk-import write. Seeding is set-up, not a
/// measurement: a chunk the server failed (the SecantusDB test server now and
/// then fails a large transaction's commit with a WiredTiger write conflict,
/// reported as InternalError rather than a retryable error) is written again,
/// up to three attempts; the transaction means a failed chunk wrote nothing.
async fn seed_rows(store: &Arc<dyn Store>, user: Id, txs: Vec<Transaction>) -> Res<()> {
    for attempt in 1..=3 {
        match store
            .insert_transactions(user, &[], txs.clone(), &|_, _| {}, None)
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

async fn seed(store: Arc<dyn Store>, size: usize) -> Res<Seeded> {
    let finance = Finance::new(Arc::clone(&store), &SigningKey::generate(), settings(4));
    let mut rng = StdRng::seed_from_u64(SEED);
    let started = Instant::now();
    let me = user(&finance, "bench_main").await?;
    let cats = finance.categories(&me).await?;
    for i in 0..3 {
        let other = user(&finance, &format!("bench_other{i}")).await?;
        let oc = finance.categories(&other).await?;
        let txs = generate(&mut rng, other.id(), &oc, size / 10)?;
        seed_rows(&store, other.id(), txs).await?;
    }
    // In chunks so the generated rows need not all be in memory at once.
    let mut left = size;
    while left > 0 {
        let n = left.min(SEED_CHUNK);
        let txs = generate(&mut rng, me.id(), &cats, n)?;
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
        seed_secs: started.elapsed().as_secs_f64(),
    })
}

/// Our side of every operation; `rows` gets one entry per operation, in table order.
async fn measure_ours(
    s: &Seeded,
    iterations: usize,
    import_rows: usize,
    import_iterations: usize,
    deep_page: usize,
) -> Res<(
    BTreeMap<&'static str, Stat>,
    Option<finance_core::domain::Cursor>,
)> {
    let f = &s.finance;
    let me = &s.me;
    let mut rng = StdRng::seed_from_u64(SEED + 1);
    let mut st: BTreeMap<&'static str, Stat> = BTreeMap::new();

    // add, edit, delete (each its own call, as from the UI)
    let mut ids = Vec::new();
    for _ in 0..iterations {
        let new = new_tx(&mut rng, &s.cats)?;
        let t = timed(st.entry("add").or_default(), || async {
            Ok(f.add_transaction(me, new, now()).await?)
        })
        .await?;
        ids.push(t.id);
    }
    for id in &ids {
        let change = new_tx(&mut rng, &s.cats)?;
        timed(st.entry("edit").or_default(), || async {
            Ok(f.update_transaction(me, *id, change, now()).await?)
        })
        .await?;
    }
    for id in &ids {
        timed(st.entry("delete").or_default(), || async {
            Ok(f.delete_transaction(me, *id).await?)
        })
        .await?;
    }

    // list: first page, then walk to the deep page (untimed) and time that page.
    let first = TransactionQuery::first_page(TransactionFilter::default());
    for _ in 0..iterations {
        timed(st.entry("list: first page").or_default(), || async {
            Ok(f.transactions(me, &first).await?)
        })
        .await?;
    }
    eprintln!("  add, edit, delete, first page: done");
    let mut q = first.clone();
    for _ in 1..deep_page {
        let page = f.transactions(me, &q).await?;
        match page.next {
            Some(c) => q.after = Some(c),
            None => break,
        }
    }
    let deep_cursor = q.after;
    for _ in 0..iterations {
        timed(st.entry("list: deep page").or_default(), || async {
            Ok(f.transactions(me, &q).await?)
        })
        .await?;
    }

    let search = TransactionQuery::first_page(TransactionFilter::new(
        None,
        None,
        vec![],
        None,
        Some("bookshop"),
        None,
        None,
    )?);
    for _ in 0..iterations {
        timed(
            st.entry("text search (first page)").or_default(),
            || async { Ok(f.transactions(me, &search).await?) },
        )
        .await?;
    }
    let month = month_range()?;
    for _ in 0..iterations {
        timed(st.entry("month summary").or_default(), || async {
            Ok(f.summary(me, month).await?)
        })
        .await?;
    }
    for _ in 0..iterations {
        timed(st.entry("budget statuses").or_default(), || async {
            Ok(f.budget_statuses(me, today()).await?)
        })
        .await?;
    }
    eprintln!("  deep page, search, summary, budgets: done");
    let year = year_range()?;
    for _ in 0..iterations {
        timed(st.entry("12-month report").or_default(), || async {
            Ok(f.report(me, year).await?)
        })
        .await?;
    }

    // The report's parts, each store call on its own (for the profile table).
    let (from, to) = (year.from(), year.to());
    let trend = finance_core::domain::report::trend_range(to);
    let budget_cats: Vec<Id> = f.budgets(me).await?.iter().map(|b| b.category_id).collect();
    let store = f.store();
    let uid = me.id();
    for _ in 0..iterations {
        timed(st.entry("report: totals").or_default(), || async {
            Ok(store.summary(uid, from, to).await?)
        })
        .await?;
        timed(st.entry("report: by category").or_default(), || async {
            Ok(store.spending_by_category(uid, from, to).await?)
        })
        .await?;
        timed(st.entry("report: by month").or_default(), || async {
            Ok(store.monthly_totals(uid, trend.from(), trend.to()).await?)
        })
        .await?;
        timed(st.entry("report: budgets").or_default(), || async {
            Ok(store
                .expense_by_category(uid, &budget_cats, from, to)
                .await?)
        })
        .await?;
        timed(st.entry("report: largest 10").or_default(), || async {
            Ok(store.largest_expenses(uid, from, to, 10).await?)
        })
        .await?;
        timed(st.entry("report: frequent 10").or_default(), || async {
            Ok(store.frequent_descriptions(uid, from, to, 10).await?)
        })
        .await?;
    }
    eprintln!("  report: done");
    // CSV import into a fresh account each time (the first import of a new user).
    for i in 0..import_iterations {
        let who = user(f, &format!("bench_import{i}")).await?;
        let cats = f.categories(&who).await?;
        let bytes = csv_bytes(&mut rng, &cats, import_rows);
        let settings = import_settings();
        // The store's bulk write alone (no CSV parsing, validation or duplicate check).
        let bulk_user = user(f, &format!("bench_bulk{i}")).await?;
        let bulk_cats = f.categories(&bulk_user).await?;
        let txs = generate(&mut rng, bulk_user.id(), &bulk_cats, import_rows)?;
        timed(st.entry("bulk write").or_default(), || async {
            Ok(f.store()
                .insert_transactions(bulk_user.id(), &[], txs, &|_, _| {}, None)
                .await?)
        })
        .await?;
        timed(st.entry("import CSV").or_default(), || async {
            Ok(
                f.import_commit(&who, &bytes, &settings, &[], false, now(), &|_, _| {})
                    .await?,
            )
        })
        .await?;
    }
    Ok((st, deep_cursor))
}

fn assemble(
    backend: &'static str,
    size: usize,
    seed_secs: f64,
    mut ours: BTreeMap<&'static str, Stat>,
    mut raw: BTreeMap<&'static str, Stat>,
    import_rows: usize,
    deep_page: usize,
) -> RunResult {
    let order: [&'static str; 17] = [
        "add",
        "edit",
        "delete",
        "list: first page",
        "list: deep page",
        "text search (first page)",
        "month summary",
        "budget statuses",
        "12-month report",
        "report: totals",
        "report: by category",
        "report: by month",
        "report: budgets",
        "report: largest 10",
        "report: frequent 10",
        "bulk write",
        "import CSV",
    ];
    let mut rows = Vec::new();
    for op in order {
        let label = match op {
            "import CSV" => format!("import {import_rows} CSV rows (`import_commit`)"),
            "bulk write" => format!("bulk write {import_rows} rows (`Store::insert_transactions`)"),
            "list: deep page" => format!("list: page {deep_page} (cursor)"),
            op if op.starts_with("report: ") => format!("↳ {op} (one store call)"),
            _ => op.to_string(),
        };
        rows.push(Row {
            key: op,
            op: label,
            ours: ours.remove(op).unwrap_or_default(),
            raw: if op == "bulk write" {
                raw.get("import CSV").cloned()
            } else {
                raw.remove(op)
            },
        });
    }
    RunResult {
        backend,
        size,
        seed_secs,
        rows,
    }
}

// ------------------------------------------------------------------ SQLite raw

#[allow(clippy::too_many_arguments)]
fn sqlite_raw(
    path: &Path,
    me: Id,
    cats: &[Category],
    deep: Option<(NaiveDate, Id)>,
    import_user: (Id, Id),
    iterations: usize,
    import_rows: usize,
    import_iterations: usize,
) -> Res<BTreeMap<&'static str, Stat>> {
    use rusqlite::{Connection, params};
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // The same page cache as the store's connection (store/sqlite.rs).
    conn.pragma_update(None, "cache_size", -65_536)?;
    let mut st: BTreeMap<&'static str, Stat> = BTreeMap::new();
    let uid = me.to_hex();
    let mut rng = StdRng::seed_from_u64(SEED + 2);
    let expense_cat = cats
        .iter()
        .find(|c| c.kind == CategoryKind::Expense)
        .ok_or("no expense category")?
        .id
        .to_hex();
    let stamp = now().timestamp_millis();

    const COLS: &str =
        "id, user_id, category_id, kind, amount, date, description, note, created_at, updated_at";
    type RawRow = (
        String,
        String,
        String,
        String,
        i64,
        String,
        String,
        Option<String>,
        i64,
        i64,
    );
    let read = |r: &rusqlite::Row<'_>| -> rusqlite::Result<RawRow> {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
        ))
    };

    let mut ids = Vec::new();
    for _ in 0..iterations {
        let id = Id::generate().to_hex();
        let d = random_date(&mut rng).format("%Y-%m-%d").to_string();
        let t = Instant::now();
        conn.execute(
            &format!("INSERT INTO transactions ({COLS}, search_text) VALUES (?1,?2,?3,'expense',?4,?5,'Bakery',NULL,?6,?6,'bakery')"),
            params![id, uid, expense_cat, 1234, d, stamp],
        )?;
        st.entry("add").or_default().push(t.elapsed());
        ids.push(id);
    }
    for id in &ids {
        let t = Instant::now();
        conn.execute(
            "UPDATE transactions SET amount = ?1, description = 'Pharmacy', search_text = 'pharmacy', updated_at = ?2 WHERE id = ?3 AND user_id = ?4",
            params![999, stamp, id, uid],
        )?;
        st.entry("edit").or_default().push(t.elapsed());
    }
    for id in &ids {
        let t = Instant::now();
        conn.execute(
            "DELETE FROM transactions WHERE id = ?1 AND user_id = ?2",
            params![id, uid],
        )?;
        st.entry("delete").or_default().push(t.elapsed());
    }

    let page_sql = format!(
        "SELECT {COLS} FROM transactions WHERE user_id = ?1 ORDER BY date DESC, id DESC LIMIT 51"
    );
    for _ in 0..iterations {
        let t = Instant::now();
        let mut stmt = conn.prepare_cached(&page_sql)?;
        let v: Vec<RawRow> = stmt
            .query_map(params![uid], read)?
            .collect::<Result<_, _>>()?;
        st.entry("list: first page").or_default().push(t.elapsed());
        std::hint::black_box(v);
    }
    if let Some((d, id)) = deep {
        let sql = format!(
            "SELECT {COLS} FROM transactions WHERE user_id = ?1 AND (date, id) < (?2, ?3) ORDER BY date DESC, id DESC LIMIT 51"
        );
        let (d, id) = (d.format("%Y-%m-%d").to_string(), id.to_hex());
        for _ in 0..iterations {
            let t = Instant::now();
            let mut stmt = conn.prepare_cached(&sql)?;
            let v: Vec<RawRow> = stmt
                .query_map(params![uid, d, id], read)?
                .collect::<Result<_, _>>()?;
            st.entry("list: deep page").or_default().push(t.elapsed());
            std::hint::black_box(v);
        }
    }
    let search_sql = format!(
        "SELECT {COLS} FROM transactions WHERE user_id = ?1 AND instr(search_text, ?2) > 0 ORDER BY date DESC, id DESC LIMIT 51"
    );
    for _ in 0..iterations {
        let t = Instant::now();
        let mut stmt = conn.prepare_cached(&search_sql)?;
        let v: Vec<RawRow> = stmt
            .query_map(params![uid, "bookshop"], read)?
            .collect::<Result<_, _>>()?;
        st.entry("text search (first page)")
            .or_default()
            .push(t.elapsed());
        std::hint::black_box(v);
    }

    let summary_sql = "SELECT kind, SUM(amount), COUNT(*) FROM transactions WHERE user_id = ?1 AND date BETWEEN ?2 AND ?3 GROUP BY kind";
    let summary = |from: &str, to: &str| -> Res<Vec<(String, i64, i64)>> {
        let mut stmt = conn.prepare_cached(summary_sql)?;
        let v = stmt
            .query_map(params![uid, from, to], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(v)
    };
    let m = month_range()?;
    let (mf, mt) = (m.from().to_string(), m.to().to_string());
    for _ in 0..iterations {
        let t = Instant::now();
        std::hint::black_box(summary(&mf, &mt)?);
        st.entry("month summary").or_default().push(t.elapsed());
    }
    // Budget statuses: the budgets, then spending per category over each period.
    let (yf, yt) = (
        NaiveDate::from_ymd_opt(today().year(), 1, 1)
            .ok_or("date")?
            .to_string(),
        NaiveDate::from_ymd_opt(today().year(), 12, 31)
            .ok_or("date")?
            .to_string(),
    );
    for _ in 0..iterations {
        let t = Instant::now();
        let mut b = conn.prepare_cached(
            "SELECT id, category_id, limit_minor, period FROM budgets WHERE user_id = ?1",
        )?;
        let n = b.query_map(params![uid], |_| Ok(()))?.count();
        std::hint::black_box(n);
        let mut stmt = conn.prepare_cached(
            "SELECT category_id, SUM(amount) FROM transactions WHERE user_id = ?1 AND kind = 'expense' AND date BETWEEN ?2 AND ?3 GROUP BY category_id",
        )?;
        for (from, to) in [(&mf, &mt), (&yf, &yt)] {
            let v: Vec<(String, i64)> = stmt
                .query_map(params![uid, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            std::hint::black_box(v);
        }
        st.entry("budget statuses").or_default().push(t.elapsed());
    }
    // The report's parts, hand-written.
    let y = year_range()?;
    let (rf, rt) = (y.from().to_string(), y.to().to_string());
    let trend = finance_core::domain::report::trend_range(y.to());
    let (tf, tt) = (trend.from().to_string(), trend.to().to_string());
    for _ in 0..iterations {
        let t = Instant::now();
        let mut part = Instant::now();
        let mut lap = |st: &mut BTreeMap<&'static str, Stat>, key: &'static str| {
            st.entry(key).or_default().push(part.elapsed());
            part = Instant::now();
        };
        std::hint::black_box(summary(&rf, &rt)?);
        lap(&mut st, "report: totals");
        let mut s1 = conn.prepare_cached(
            "SELECT c.id, c.name, SUM(t.amount), COUNT(*) FROM transactions t JOIN categories c ON c.id = t.category_id
             WHERE t.user_id = ?1 AND t.kind = 'expense' AND t.date BETWEEN ?2 AND ?3 GROUP BY t.category_id",
        )?;
        let v: Vec<(String, String, i64, i64)> = s1
            .query_map(params![uid, rf, rt], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        std::hint::black_box(v);
        lap(&mut st, "report: by category");
        let mut s2 = conn.prepare_cached(
            "SELECT substr(date, 1, 7), kind, SUM(amount), COUNT(*) FROM transactions
             WHERE user_id = ?1 AND date BETWEEN ?2 AND ?3 GROUP BY 1, 2 ORDER BY 1",
        )?;
        let v: Vec<(String, String, i64, i64)> = s2
            .query_map(params![uid, tf, tt], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        std::hint::black_box(v);
        lap(&mut st, "report: by month");
        let mut s3 = conn.prepare_cached(&format!(
            "SELECT {COLS} FROM transactions INDEXED BY tx_user_expense_amount
             WHERE user_id = ?1 AND kind = 'expense' AND date BETWEEN ?2 AND ?3
             ORDER BY amount DESC, id DESC LIMIT 10"
        ))?;
        let v: Vec<RawRow> = s3
            .query_map(params![uid, rf, rt], read)?
            .collect::<Result<_, _>>()?;
        std::hint::black_box(v);
        lap(&mut st, "report: largest 10");
        let mut s4 = conn.prepare_cached(
            "SELECT lower(description) AS k, COUNT(*) AS n, SUM(amount) AS total, MAX(date) FROM transactions
             WHERE user_id = ?1 AND date BETWEEN ?2 AND ?3 GROUP BY k ORDER BY n DESC, total DESC, k LIMIT 10",
        )?;
        let v: Vec<(String, i64, i64)> = s4
            .query_map(params![uid, rf, rt], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        std::hint::black_box(v);
        lap(&mut st, "report: frequent 10");
        st.entry("12-month report").or_default().push(t.elapsed());
    }

    // Import baseline: a prepared INSERT loop in one transaction (rows pre-generated), then removed.
    for _ in 0..import_iterations {
        let (who, who_cat) = (import_user.0.to_hex(), import_user.1.to_hex());
        let rows: Vec<(String, String, i64, String, String)> = (0..import_rows)
            .map(|_| {
                let d = description(&mut rng, CategoryKind::Expense);
                (
                    Id::generate().to_hex(),
                    random_date(&mut rng).format("%Y-%m-%d").to_string(),
                    amount(&mut rng, CategoryKind::Expense),
                    d.to_lowercase(),
                    d,
                )
            })
            .collect();
        let t = Instant::now();
        let tx = conn.unchecked_transaction()?;
        {
            // The schema's report sums (migration 2): as a bulk import does, pause
            // the per-row trigger and add the new rows' sums in one statement each.
            tx.execute("INSERT INTO tx_agg_paused (one) VALUES (1)", [])?;
            let mut stmt = tx.prepare(&format!(
                "INSERT INTO transactions ({COLS}, search_text) VALUES (?1,?2,?3,'expense',?4,?5,?6,NULL,?7,?7,?8)"
            ))?;
            for (id, d, a, s, desc) in &rows {
                stmt.execute(params![id, who, who_cat, a, d, desc, stamp, s])?;
            }
            tx.execute(
                "INSERT INTO tx_daily (user_id, date, kind, category_id, total, n)
                 SELECT user_id, date, kind, category_id, SUM(amount), COUNT(*) FROM transactions
                 WHERE user_id = ?1 GROUP BY date, kind, category_id
                 ON CONFLICT (user_id, date, kind, category_id)
                 DO UPDATE SET total = total + excluded.total, n = n + excluded.n",
                params![who],
            )?;
            tx.execute(
                "INSERT INTO tx_desc_daily (user_id, date, k, total, n)
                 SELECT user_id, date, search_text, SUM(amount), COUNT(*) FROM transactions
                 WHERE user_id = ?1 GROUP BY date, search_text
                 ON CONFLICT (user_id, date, k)
                 DO UPDATE SET total = total + excluded.total, n = n + excluded.n",
                params![who],
            )?;
            tx.execute("DELETE FROM tx_agg_paused", [])?;
        }
        tx.commit()?;
        st.entry("import CSV").or_default().push(t.elapsed());
        conn.execute("DELETE FROM transactions WHERE user_id = ?1", params![who])?;
    }
    Ok(st)
}

async fn run_sqlite(size: usize, o: &Opts) -> Res<RunResult> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.sqlite3");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).await?);
    let s = seed(Arc::clone(&store), size).await?;
    eprintln!("sqlite {size}: seeded in {:.1} s", s.seed_secs);
    let import_iters = import_iterations(o);
    let (ours, deep) =
        measure_ours(&s, o.iterations, o.import_rows, import_iters, o.deep_page).await?;
    let deep = match deep {
        Some(c) => cursor_parts(&c),
        None => None,
    };
    let me = s.me.id();
    let cats = s.cats.clone();
    let raw_user = user(&s.finance, "bench_rawimport").await?;
    let raw_cat = s
        .finance
        .categories(&raw_user)
        .await?
        .into_iter()
        .find(|c| c.kind == CategoryKind::Expense)
        .ok_or("no expense category")?
        .id;
    let import_user = (raw_user.id(), raw_cat);
    let (iters, rows) = (o.iterations, o.import_rows);
    let p = path.clone();
    let raw = tokio::task::spawn_blocking(move || {
        sqlite_raw(&p, me, &cats, deep, import_user, iters, rows, import_iters)
    })
    .await??;
    drop(store);
    Ok(assemble(
        "SQLite",
        size,
        s.seed_secs,
        ours,
        raw,
        o.import_rows,
        o.deep_page,
    ))
}

fn import_iterations(o: &Opts) -> usize {
    o.iterations.clamp(1, 3)
}

/// The (date, id) of a date-ordered cursor.
fn cursor_parts(c: &finance_core::domain::Cursor) -> Option<(NaiveDate, Id)> {
    match c {
        finance_core::domain::Cursor::Date { date, id } => Some((*date, *id)),
        _ => None,
    }
}

// ------------------------------------------------------------------ MongoDB raw

async fn mongo_raw(
    uri: &str,
    db: &str,
    me: Id,
    cats: &[Category],
    iterations: usize,
    import_rows: usize,
    import_iterations: usize,
) -> Res<BTreeMap<&'static str, Stat>> {
    use futures::TryStreamExt;
    let client = mongodb::Client::with_uri_str(uri).await?;
    let coll = client.database(db).collection::<Document>("transactions");
    let uid = ObjectId::from_bytes(me.bytes());
    let date = |d: NaiveDate| {
        bson::DateTime::from_millis(
            d.and_hms_opt(0, 0, 0)
                .map_or(0, |x| x.and_utc().timestamp_millis()),
        )
    };
    // Date ranges as one clause per bound, like the store: SecantusDB drops
    // matches of a two-sided inclusive range on an indexed field (see mongo.rs).
    let range = |from: NaiveDate, to: NaiveDate| {
        vec![
            doc! { "date": { "$gte": date(from) } },
            doc! { "date": { "$lte": date(to) } },
        ]
    };
    let mut st: BTreeMap<&'static str, Stat> = BTreeMap::new();
    let mut rng = StdRng::seed_from_u64(SEED + 3);
    let expense_cat = ObjectId::from_bytes(
        cats.iter()
            .find(|c| c.kind == CategoryKind::Expense)
            .ok_or("no expense category")?
            .id
            .bytes(),
    );
    for _ in 0..iterations {
        let t = Instant::now();
        let v: Vec<Document> = coll
            .find(doc! { "userId": uid })
            .sort(doc! { "date": -1, "_id": -1 })
            .limit(51)
            .await?
            .try_collect()
            .await?;
        st.entry("list: first page").or_default().push(t.elapsed());
        std::hint::black_box(v);
    }
    let m = month_range()?;
    for _ in 0..iterations {
        let t = Instant::now();
        let v: Vec<Document> = coll
            .aggregate([
                doc! { "$match": { "userId": uid, "$and": range(m.from(), m.to()) } },
                doc! { "$group": { "_id": "$type", "total": { "$sum": "$amount" }, "count": { "$sum": 1 } } },
            ])
            .await?
            .try_collect()
            .await?;
        st.entry("month summary").or_default().push(t.elapsed());
        std::hint::black_box(v);
    }
    // The 12-month report's parts as minimal hand-written aggregations (no latest
    // spelling for the frequent descriptions; category names by one find).
    let y = year_range()?;
    let trend = finance_core::domain::report::trend_range(y.to());
    let cats_coll = client.database(db).collection::<Document>("categories");
    let agg = |pipeline: Vec<Document>| {
        let coll = coll.clone();
        async move {
            let v: Vec<Document> = coll.aggregate(pipeline).await?.try_collect().await?;
            Ok::<_, BoxError>(v)
        }
    };
    for _ in 0..iterations {
        let t = Instant::now();
        let mut part = Instant::now();
        let mut lap = |st: &mut BTreeMap<&'static str, Stat>, key: &'static str| {
            st.entry(key).or_default().push(part.elapsed());
            part = Instant::now();
        };
        let year_match = doc! { "$match": { "userId": uid, "$and": range(y.from(), y.to()) } };
        std::hint::black_box(
            agg(vec![
                year_match.clone(),
                doc! { "$group": { "_id": "$type", "total": { "$sum": "$amount" }, "count": { "$sum": 1 } } },
            ])
            .await?,
        );
        lap(&mut st, "report: totals");
        let by_cat = agg(vec![
            doc! { "$match": { "userId": uid, "$and": range(y.from(), y.to()), "type": "expense" } },
            doc! { "$group": { "_id": "$category", "total": { "$sum": "$amount" }, "count": { "$sum": 1 } } },
        ])
        .await?;
        let ids: Vec<bson::Bson> = by_cat
            .iter()
            .filter_map(|d| d.get("_id").cloned())
            .collect();
        let names: Vec<Document> = cats_coll
            .find(doc! { "userId": uid, "_id": { "$in": ids } })
            .await?
            .try_collect()
            .await?;
        std::hint::black_box((by_cat, names));
        lap(&mut st, "report: by category");
        std::hint::black_box(
            agg(vec![
                doc! { "$match": { "userId": uid, "$and": range(trend.from(), trend.to()) } },
                doc! { "$group": {
                    "_id": { "month": { "$dateToString": { "format": "%Y-%m", "date": "$date" } }, "type": "$type" },
                    "total": { "$sum": "$amount" }, "count": { "$sum": 1 },
                } },
            ])
            .await?,
        );
        lap(&mut st, "report: by month");
        let top: Vec<Document> = coll
            .find(doc! { "userId": uid, "$and": range(y.from(), y.to()), "type": "expense" })
            .sort(doc! { "amount": -1, "_id": -1 })
            .limit(10)
            .await?
            .try_collect()
            .await?;
        std::hint::black_box(top);
        lap(&mut st, "report: largest 10");
        std::hint::black_box(
            agg(vec![
                year_match,
                doc! { "$group": {
                    "_id": { "$arrayElemAt": [ { "$split": ["$searchText", "\n"] }, 0 ] },
                    "count": { "$sum": 1 }, "total": { "$sum": "$amount" }, "last": { "$max": "$date" },
                } },
                doc! { "$sort": { "count": -1, "total": -1, "_id": 1 } },
                doc! { "$limit": 10 },
            ])
            .await?,
        );
        lap(&mut st, "report: frequent 10");
        st.entry("12-month report").or_default().push(t.elapsed());
    }
    for _ in 0..import_iterations {
        let who = ObjectId::new();
        let docs: Vec<Document> = (0..import_rows)
            .map(|_| {
                let d = description(&mut rng, CategoryKind::Expense);
                doc! {
                    "_id": ObjectId::new(),
                    "userId": who,
                    "category": expense_cat,
                    "type": "expense",
                    "amount": amount(&mut rng, CategoryKind::Expense),
                    "date": date(random_date(&mut rng)),
                    "description": &d,
                    "searchText": d.to_lowercase(),
                    "createdAt": bson::DateTime::now(),
                    "updatedAt": bson::DateTime::now(),
                }
            })
            .collect();
        let t = Instant::now();
        for chunk in docs.chunks(1000) {
            coll.insert_many(chunk.to_vec()).await?;
        }
        st.entry("import CSV").or_default().push(t.elapsed());
        coll.delete_many(doc! { "userId": who }).await?;
    }
    Ok(st)
}

async fn run_mongo(uri: &str, size: usize, iterations: usize, o: &Opts) -> Res<RunResult> {
    // The test server is a Python process: its own iteration count and import size,
    // and a shallower deep page.
    let o = &Opts {
        sizes: vec![],
        mongo_sizes: vec![],
        iterations: iterations.max(1),
        import_rows: o.mongo_import_rows.max(1),
        mongo_iterations: vec![],
        mongo_import_rows: 0,
        deep_page: o.deep_page.min(20),
        write: None,
    };
    let db = format!("bench_{}_{size}", std::process::id());
    let store: Arc<dyn Store> = Arc::new(MongoStore::connect(uri, &db).await?);
    let result = async {
        let s = seed(Arc::clone(&store), size).await?;
        eprintln!("mongo {size}: seeded in {:.1} s", s.seed_secs);
        let import_iters = import_iterations(o);
        let (ours, _) =
            measure_ours(&s, o.iterations, o.import_rows, import_iters, o.deep_page).await?;
        let raw = mongo_raw(
            uri,
            &db,
            s.me.id(),
            &s.cats,
            o.iterations,
            o.import_rows,
            import_iters,
        )
        .await?;
        Ok::<_, BoxError>(assemble(
            "MongoDB (SecantusDB test server)",
            size,
            s.seed_secs,
            ours,
            raw,
            o.import_rows,
            o.deep_page,
        ))
    }
    .await;
    if let Ok(client) = mongodb::Client::with_uri_str(uri).await {
        let _ = client.database(&db).drop().await;
    }
    result
}

/// Log-in at bcrypt cost 12 (the release setting), on its own; and list pages
/// timed while log-ins hash on the blocking pool, beside the same pages without.
struct LoginResult {
    login: Stat,
    page_idle: Stat,
    page_during: Stat,
    rows: usize,
}

async fn login_cost12(iterations: usize, rows: usize) -> Res<LoginResult> {
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("l.sqlite3")).await?);
    let f = Finance::new(Arc::clone(&store), &SigningKey::generate(), settings(12));
    let me = user(&f, "bench_login").await?;
    let cats = f.categories(&me).await?;
    let mut rng = StdRng::seed_from_u64(SEED + 4);
    let txs = generate(&mut rng, me.id(), &cats, rows)?;
    store
        .insert_transactions(me.id(), &[], txs, &|_, _| {}, None)
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
    for _ in 0..50 {
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

fn write_section(path: &str, body: &str) -> Res<()> {
    const BEGIN: &str = "<!-- bench:begin -->";
    const END: &str = "<!-- bench:end -->";
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if e > b => format!(
            "{}{BEGIN}\n{body}\n{END}{}",
            &old[..b],
            &old[e + END.len()..]
        ),
        _ => format!("{old}\n{BEGIN}\n{body}\n{END}\n"),
    };
    std::fs::write(path, new)?;
    Ok(())
}

#[tokio::main]
async fn main() -> Res<()> {
    // Internal errors are logged (not returned verbatim): show them on stderr.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .with_writer(std::io::stderr)
        .init();
    let o = parse_opts()?;
    let mut results = Vec::new();
    let mut retried: Vec<String> = Vec::new();
    for &size in &o.sizes {
        results.push(run_sqlite(size, &o).await?);
        if let Some(r) = results.last() {
            println!("{}", table(r));
        }
    }
    match std::env::var("FINANCE_TEST_MONGODB_URI") {
        Ok(uri) if !uri.is_empty() => {
            for (i, &size) in o.mongo_sizes.iter().enumerate() {
                let iterations = o
                    .mongo_iterations
                    .get(i)
                    .or(o.mongo_iterations.last())
                    .copied()
                    .unwrap_or(o.iterations);
                // The test server sometimes fails a commit with an internal error (see
                // `seed_rows`); the phase is then run once more on a fresh database,
                // and the output says so.
                let result = match run_mongo(&uri, size, iterations, &o).await {
                    Ok(r) => r,
                    Err(e) => {
                        eprintln!("mongo {size}: failed ({e}); running this size again");
                        retried.push(format!(
                            "MongoDB {size}: the first attempt stopped with a server error \
                             ({e}) and this size was run again on a fresh database."
                        ));
                        run_mongo(&uri, size, iterations, &o).await?
                    }
                };
                results.push(result);
                if let Some(r) = results.last() {
                    println!("{}", table(r));
                }
            }
        }
        _ => eprintln!("FINANCE_TEST_MONGODB_URI is not set: MongoDB skipped"),
    }
    eprintln!("log-in at bcrypt cost 12");
    let login = login_cost12(o.iterations.clamp(1, 5), o.import_rows.min(10_000)).await?;
    let mut out = provenance();
    let _ = writeln!(
        out,
        "_Run: SQLite {} iteration(s) per operation (import: {}), {} CSV rows per import; \
         MongoDB iterations per size {:?} (import: up to 3), {} CSV rows per import, deep page {}._",
        o.iterations,
        import_iterations(&o),
        o.import_rows,
        o.mongo_sizes
            .iter()
            .enumerate()
            .map(|(i, _)| o
                .mongo_iterations
                .get(i)
                .or(o.mongo_iterations.last())
                .copied()
                .unwrap_or(o.iterations))
            .collect::<Vec<_>>(),
        o.mongo_import_rows,
        o.deep_page.min(20),
    );
    for note in &retried {
        let _ = writeln!(out, "\n_{note}_");
    }
    for r in &results {
        out.push_str(&table(r));
    }
    out.push_str(&scaling(&results));
    out.push_str(&targets(&results, &login));
    let _ = writeln!(
        out,
        "\n#### Log-in (bcrypt cost 12, SQLite)\n\n\
         `Finance::login` (throttle check, bcrypt verify on the blocking pool, session write): \
         median {} ms, p95 {} ms over {} log-ins.\n\n\
         Not blocking other work: the first list page ({} transactions) timed {} times while \
         log-ins ran back to back in another task: median {} ms, p95 {} ms; without log-ins \
         ({} pages): median {} ms, p95 {} ms.",
        ms(login.login.median()),
        ms(login.login.p95()),
        login.login.0.len(),
        login.rows,
        login.page_during.0.len(),
        ms(login.page_during.median()),
        ms(login.page_during.p95()),
        login.page_idle.0.len(),
        ms(login.page_idle.median()),
        ms(login.page_idle.p95()),
    );
    println!("{out}");
    if let Some(path) = &o.write {
        write_section(path, &out)?;
        eprintln!("wrote {path}");
    }
    Ok(())
}
