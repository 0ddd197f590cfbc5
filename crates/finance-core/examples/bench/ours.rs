//! Our operations, timed through `Finance` (and, for the 12-month report's parts,
//! through the `Store` one call at a time): add, edit, delete, list pages, text search,
//! month summary, budget statuses, the 12-month report, the store's bulk write and a
//! CSV import into a fresh account.
//!
//! Invariants: every call is made as the measured user (scoped by its id), exactly as
//! the app makes it; set-up (walking to the deep page, generating CSV bytes and rows,
//! registering the import users) is outside the timings; the operations run in the
//! order of the output table; the random stream is `Stream::Ours`.

use finance_core::Id;
use finance_core::domain::{Cursor, TransactionFilter, TransactionQuery};

use crate::Res;
use crate::data::{
    self, Seeded, Stream, csv_bytes, generate, import_settings, month_range, new_tx, now, today,
    user, year_range,
};
use crate::options::Plan;
use crate::stats::{Timings, timed};

/// Our side of every operation, keyed as the table's rows (`markdown::assemble`); also
/// the cursor of the deep page (the raw SQLite baseline fetches the same page).
pub async fn measure(s: &Seeded, plan: Plan) -> Res<(Timings, Option<Cursor>)> {
    let Plan {
        iterations,
        import_rows,
        import_iterations,
        deep_page,
        ..
    } = plan;
    let f = &s.finance;
    let me = &s.me;
    let mut rng = data::rng(Stream::Ours);
    let mut st = Timings::new();

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
            Ok(f.report(me, year, None).await?)
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
            Ok(store.summary(uid, None, from, to).await?)
        })
        .await?;
        timed(st.entry("report: by category").or_default(), || async {
            Ok(store.spending_by_category(uid, None, from, to).await?)
        })
        .await?;
        timed(st.entry("report: by month").or_default(), || async {
            Ok(store
                .monthly_totals(uid, None, trend.from(), trend.to())
                .await?)
        })
        .await?;
        timed(st.entry("report: budgets").or_default(), || async {
            Ok(store
                .expense_by_category(uid, None, &budget_cats, from, to)
                .await?)
        })
        .await?;
        timed(st.entry("report: largest 10").or_default(), || async {
            Ok(store.largest_expenses(uid, None, from, to, 10).await?)
        })
        .await?;
        timed(st.entry("report: frequent 10").or_default(), || async {
            Ok(store.frequent_descriptions(uid, None, from, to, 10).await?)
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
        let account = crate::data::main_account(f, &bulk_user).await?;
        let txs = generate(&mut rng, bulk_user.id(), account, &bulk_cats, import_rows)?;
        timed(st.entry("bulk write").or_default(), || async {
            Ok(f.store()
                .insert_transactions(bulk_user.id(), &[], &txs, &|_, _| {}, None)
                .await?)
        })
        .await?;
        timed(st.entry("import CSV").or_default(), || async {
            Ok(
                f.import_commit(&who, None, &bytes, &settings, &[], false, now(), &|_, _| {})
                    .await?,
            )
        })
        .await?;
    }
    Ok((st, deep_cursor))
}
