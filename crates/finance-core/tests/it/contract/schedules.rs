//! Schedules (recurring transactions) on both stores: what falls due at
//! month ends and in leap years is posted once, however long the app was
//! away and however many clients post at once; balances and budgets count
//! exactly what was posted; paused, ended and remind-mode schedules post
//! nothing; another user's schedule is `NotFound`.

use chrono::NaiveDate;
use finance_core::domain::{
    DateRange, Period, PostDueSummary, Schedule, ScheduleDraft, TransactionFilter,
    TransactionQuery, TransactionSort,
};
use finance_core::ops::MAX_POSTED_PER_CALL;
use finance_core::{AuthUser, Finance, Id};
use finance_testkit::{Harness, assert_err, assert_not_found, d, now};

/// A monthly expense schedule draft in `category` from `account`.
fn monthly(account: Id, category: Id, amount: &str, start: &str, day: &str) -> ScheduleDraft {
    ScheduleDraft {
        account_id: account.to_hex(),
        category_id: Some(category.to_hex()),
        to_account_id: None,
        amount: amount.into(),
        description: "Rent".into(),
        note: None,
        frequency: "monthly".into(),
        interval: None,
        weekday: None,
        month_day: Some(day.into()),
        start_date: start.into(),
        end_date: None,
        count: None,
        mode: "post".into(),
    }
}

async fn add(h: &Harness, user: &AuthUser, draft: ScheduleDraft) -> Schedule {
    let new = draft.validate(user.currency()).expect("a valid schedule");
    h.finance
        .add_schedule(user, new, now())
        .await
        .expect("add schedule")
}

/// The dates of the user's rows in `account`, oldest first (at most 500).
async fn dates(finance: &Finance, user: &AuthUser, account: Id) -> Vec<NaiveDate> {
    let filter = TransactionFilter::default().with_account(Some(account));
    let q = TransactionQuery::new(filter, TransactionSort::DateAsc, Some(500), None).unwrap();
    finance
        .transactions(user, &q)
        .await
        .unwrap()
        .items
        .iter()
        .map(|t| t.date)
        .collect()
}

async fn balance(h: &Harness, user: &AuthUser, account: Id) -> i64 {
    h.finance
        .account_balances(user)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.account.id == account)
        .expect("the account is listed")
        .balance
}

async fn row_count(finance: &Finance, user: &AuthUser) -> u64 {
    finance
        .summary(user, finance_testkit::all_time())
        .await
        .unwrap()
        .count
}

pub async fn schedules_are_managed_and_scoped_to_their_user(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let main = h.main_account(&ann).await;
    let rent = h.category(&ann, "Rent").await;
    let salary = h.category(&ann, "Salary").await;
    let s = add(h, &ann, monthly(main.id, rent.id, "850", "2024-04-01", "1")).await;
    let listed = h.finance.schedules(&ann).await.unwrap();
    assert_eq!(
        listed,
        std::slice::from_ref(&s),
        "the added schedule is listed as stored"
    );
    assert_eq!(s.next_due(), Some(d("2024-04-01")), "nothing handled yet");

    // Rules the service applies: a negative amount only as an expense refund.
    let refund_salary = monthly(main.id, salary.id, "-10", "2024-04-01", "1")
        .validate(ann.currency())
        .unwrap();
    assert_err(
        h.finance.add_schedule(&ann, refund_salary, now()).await,
        "validation",
        Some("amount"),
    );
    // References must be the user's own.
    let bobs_main = h.main_account(&bob).await;
    let foreign = monthly(bobs_main.id, rent.id, "1", "2024-04-01", "1")
        .validate(ann.currency())
        .unwrap();
    assert_not_found(h.finance.add_schedule(&ann, foreign, now()).await);

    // Edit, pause, resume.
    let edited = h
        .finance
        .edit_schedule(
            &ann,
            s.id,
            monthly(main.id, rent.id, "900", "2024-04-01", "last")
                .validate(ann.currency())
                .unwrap(),
            now(),
        )
        .await
        .unwrap();
    assert_eq!(edited.action.amount_minor(), 90_000);
    assert_eq!(
        edited.next_due(),
        Some(d("2024-04-30")),
        "now on the last day"
    );
    assert!(
        h.finance
            .set_schedule_paused(&ann, s.id, true, now())
            .await
            .unwrap()
            .paused
    );

    // Another user's id is NotFound everywhere, and changes nothing.
    let change = monthly(
        bobs_main.id,
        h.category(&bob, "Rent").await.id,
        "1",
        "2024-04-01",
        "1",
    )
    .validate(bob.currency())
    .unwrap();
    assert_not_found(h.finance.schedule(&bob, s.id).await);
    assert_not_found(h.finance.edit_schedule(&bob, s.id, change, now()).await);
    assert_not_found(
        h.finance
            .set_schedule_paused(&bob, s.id, false, now())
            .await,
    );
    assert_not_found(
        h.finance
            .post_occurrence_now(&bob, s.id, d("2024-04-30"), now())
            .await,
    );
    assert_not_found(h.finance.skip_occurrence(&bob, s.id, d("2024-04-30")).await);
    assert_not_found(h.finance.delete_schedule(&bob, s.id).await);
    assert!(h.finance.schedules(&bob).await.unwrap().is_empty());
    assert_eq!(
        h.finance
            .schedule(&ann, s.id)
            .await
            .unwrap()
            .action
            .amount_minor(),
        90_000,
        "bob's attempts changed nothing"
    );

    // A category or account a schedule uses is not deleted; after the
    // schedule goes, it is.
    let spare = h.add_account(&ann, "Spare", "cash", "0").await;
    let on_spare = add(h, &ann, monthly(spare.id, rent.id, "5", "2024-04-01", "1")).await;
    assert_err(
        h.finance.remove_account(&ann, spare.id, None).await,
        "conflict",
        Some("account"),
    );
    assert_err(
        h.finance
            .remove_account(&ann, spare.id, Some(main.id))
            .await,
        "conflict",
        Some("account"),
    );
    assert_err(
        h.finance
            .remove_account_and_transactions(&ann, spare.id)
            .await,
        "conflict",
        Some("account"),
    );
    let gym = h
        .finance
        .add_category(
            &ann,
            finance_core::domain::CategoryName::parse("name", "Gym").unwrap(),
            finance_core::domain::CategoryKind::Expense,
            now(),
        )
        .await
        .unwrap();
    let on_gym = add(h, &ann, monthly(main.id, gym.id, "30", "2024-04-01", "1")).await;
    assert_err(
        h.finance.delete_category(&ann, gym.id, None).await,
        "conflict",
        Some("category"),
    );
    h.finance.delete_schedule(&ann, on_spare.id).await.unwrap();
    h.finance.delete_schedule(&ann, on_gym.id).await.unwrap();
    h.finance
        .remove_account(&ann, spare.id, None)
        .await
        .unwrap();
    h.finance.delete_category(&ann, gym.id, None).await.unwrap();
    assert_not_found(h.finance.schedule(&ann, on_gym.id).await);
}

pub async fn missed_month_ends_and_leap_days_post_once(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let rent = h.category(&ann, "Rent").await;
    let budget = h.budget(&ann, rent.id, "1000", Period::Monthly).await;
    let on_31 = add(
        h,
        &ann,
        monthly(main.id, rent.id, "850", "2023-11-15", "31"),
    )
    .await;
    let mut yearly = monthly(main.id, rent.id, "100", "2020-02-29", "1");
    yearly.frequency = "yearly".into();
    yearly.month_day = None;
    yearly.description = "Insurance".into();
    let leap = add(h, &ann, yearly).await;
    let before = balance(h, &ann, main.id).await;

    let summary = h
        .finance
        .post_due(&ann, d("2024-03-15"), now())
        .await
        .unwrap();
    let posted = |s: &PostDueSummary, id: Id| {
        s.posted
            .iter()
            .find(|p| p.schedule_id == id)
            .map(|p| p.posted)
    };
    assert_eq!(
        posted(&summary, on_31.id),
        Some(4),
        "30 Nov, 31 Dec, 31 Jan, 29 Feb"
    );
    assert_eq!(
        posted(&summary, leap.id),
        Some(5),
        "Feb 2020 to 2024, each year once"
    );
    assert_eq!(summary.total_posted(), 9);
    assert!(summary.posted.iter().all(|p| !p.more_due));
    assert_eq!(
        dates(&h.finance, &ann, main.id).await,
        [
            d("2020-02-29"),
            d("2021-02-28"),
            d("2022-02-28"),
            d("2023-02-28"),
            d("2023-11-30"),
            d("2023-12-31"),
            d("2024-01-31"),
            d("2024-02-29"),
            d("2024-02-29"),
        ],
        "month ends clamp (Nov 30, leap Feb 29) and 29 Feb falls on 28 Feb in other years"
    );
    assert_eq!(
        balance(h, &ann, main.id).await,
        before - 4 * 85_000 - 5 * 10_000,
        "the balance drops by exactly what was posted"
    );
    let feb = h
        .finance
        .budget_status(&ann, budget.id, d("2024-02-10"))
        .await
        .unwrap();
    assert_eq!(
        feb.spent,
        85_000 + 10_000,
        "February's budget counts both postings"
    );

    // A second call, and one after a restart, post nothing.
    let again = h
        .finance
        .post_due(&ann, d("2024-03-15"), now())
        .await
        .unwrap();
    assert_eq!(again.total_posted(), 0, "{again:?}");
    let restarted = h.restarted().await;
    let third = restarted
        .post_due(&ann, d("2024-03-31"), now())
        .await
        .unwrap();
    assert_eq!(third.total_posted(), 1, "only 31 March is new: {third:?}");
    assert_eq!(row_count(&h.finance, &ann).await, 10);
}

pub async fn transfers_reminders_pauses_and_ends(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let savings = h.add_account(&ann, "Savings", "savings", "0").await;
    let rent = h.category(&ann, "Rent").await;
    // Weekly transfer on Mondays (2024-03-04 and 11 are Mondays).
    let mut weekly = monthly(main.id, rent.id, "50", "2024-03-01", "1");
    weekly.category_id = None;
    weekly.to_account_id = Some(savings.id.to_hex());
    weekly.frequency = "weekly".into();
    weekly.weekday = Some("mon".into());
    weekly.month_day = None;
    weekly.description = "Save".into();
    let save = add(h, &ann, weekly).await;
    // Remind only.
    let mut remind = monthly(main.id, rent.id, "20", "2024-03-01", "1");
    remind.mode = "remind".into();
    remind.description = "Water bill".into();
    let water = add(h, &ann, remind).await;
    // Paused.
    let paused = add(h, &ann, monthly(main.id, rent.id, "7", "2024-01-01", "1")).await;
    h.finance
        .set_schedule_paused(&ann, paused.id, true, now())
        .await
        .unwrap();
    // Ended by its count, and by its end date.
    let mut counted = monthly(main.id, rent.id, "3", "2023-06-01", "1");
    counted.count = Some(2);
    let counted = add(h, &ann, counted).await;
    let mut dated = monthly(main.id, rent.id, "4", "2023-06-01", "1");
    dated.end_date = Some("2023-07-15".into());
    let dated = add(h, &ann, dated).await;

    let summary = h
        .finance
        .post_due(&ann, d("2024-03-15"), now())
        .await
        .unwrap();
    let count_of = |id: Id| {
        summary
            .posted
            .iter()
            .find(|p| p.schedule_id == id)
            .map_or(0, |p| p.posted)
    };
    assert_eq!(count_of(save.id), 2, "4 and 11 March");
    assert_eq!(count_of(water.id), 0, "reminders are not posted");
    assert_eq!(count_of(paused.id), 0, "a paused schedule posts nothing");
    assert_eq!(count_of(counted.id), 2, "its count");
    assert_eq!(count_of(dated.id), 2, "June and July, before its end date");
    assert_eq!(
        summary
            .reminders
            .iter()
            .map(|r| (r.schedule.id, r.date, r.next))
            .collect::<Vec<_>>(),
        [(water.id, d("2024-03-01"), true)],
        "the due reminder is listed"
    );
    assert_eq!(
        balance(h, &ann, savings.id).await,
        10_000,
        "both legs posted"
    );
    assert_eq!(
        dates(&h.finance, &ann, savings.id).await,
        [d("2024-03-04"), d("2024-03-11")]
    );

    // Upcoming: the reminder (overdue), the next transfers, the counted one is over.
    let upcoming = h.finance.upcoming(&ann, d("2024-03-15"), 30).await.unwrap();
    let of = |id: Id| {
        upcoming
            .iter()
            .filter(|o| o.schedule.id == id)
            .map(|o| (o.date, o.next))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        of(water.id),
        [(d("2024-03-01"), true), (d("2024-04-01"), false)]
    );
    assert_eq!(
        of(save.id),
        [
            (d("2024-03-18"), true),
            (d("2024-03-25"), false),
            (d("2024-04-01"), false),
            (d("2024-04-08"), false)
        ]
    );
    assert!(of(counted.id).is_empty() && of(dated.id).is_empty() && of(paused.id).is_empty());

    // Post now (a reminder) and skip, in order only.
    assert_err(
        h.finance
            .post_occurrence_now(&ann, water.id, d("2024-04-01"), now())
            .await,
        "validation",
        Some("occurrence"),
    );
    let water = h
        .finance
        .post_occurrence_now(&ann, water.id, d("2024-03-01"), now())
        .await
        .unwrap();
    assert_eq!(water.next_due(), Some(d("2024-04-01")));
    let save = h
        .finance
        .skip_occurrence(&ann, save.id, d("2024-03-18"))
        .await
        .unwrap();
    assert_eq!(save.next_due(), Some(d("2024-03-25")));
    // Posted early: the 25th is written now and not again on the day.
    h.finance
        .post_occurrence_now(&ann, save.id, d("2024-03-25"), now())
        .await
        .unwrap();
    let on_the_day = h
        .finance
        .post_due(&ann, d("2024-03-25"), now())
        .await
        .unwrap();
    assert_eq!(on_the_day.total_posted(), 0, "{on_the_day:?}");
    assert_eq!(
        dates(&h.finance, &ann, savings.id).await,
        [d("2024-03-04"), d("2024-03-11"), d("2024-03-25")],
        "the skipped 18th is never posted"
    );

    // Forecast: savings from 150.00 on 25 March, +50 each Monday.
    let forecast = h
        .finance
        .forecast(&ann, savings.id, d("2024-03-25"), 14)
        .await
        .unwrap();
    assert_eq!(forecast.len(), 15);
    let on = |day: &str| forecast.iter().find(|f| f.date == d(day)).unwrap().balance;
    assert_eq!(on("2024-03-25"), 15_000);
    assert_eq!(on("2024-03-31"), 15_000);
    assert_eq!(on("2024-04-01"), 20_000, "the 1 April transfer arrives");
    assert_eq!(on("2024-04-08"), 25_000);
    let main_forecast = h
        .finance
        .forecast(&ann, main.id, d("2024-03-25"), 14)
        .await
        .unwrap();
    let main_now = main_forecast[0].balance;
    let main_apr_1 = main_forecast
        .iter()
        .find(|f| f.date == d("2024-04-01"))
        .unwrap();
    assert_eq!(
        main_apr_1.balance,
        main_now - 5_000 - 2_000,
        "the transfer leaves main and the water bill is due on 1 April"
    );
    assert_err(
        h.finance
            .forecast(&ann, savings.id, d("2024-03-25"), 0)
            .await,
        "validation",
        Some("days"),
    );
    let bob = h.user("bob").await;
    assert_not_found(
        h.finance
            .forecast(&bob, savings.id, d("2024-03-25"), 30)
            .await,
    );

    // Repeat this…: a schedule form from a posted row.
    let row = h.tx(&ann, rent.id, "12.34", "2024-01-31", "Phone").await;
    let draft = h
        .finance
        .schedule_from_transaction(&ann, row.id)
        .await
        .unwrap();
    assert_eq!(
        (
            draft.amount.as_str(),
            draft.start_date.as_str(),
            draft.month_day.as_deref()
        ),
        ("12.34", "2024-02-29", Some("31")),
        "monthly on its day, from a month later"
    );
    assert!(draft.validate(ann.currency()).is_ok());
    assert_not_found(h.finance.schedule_from_transaction(&bob, row.id).await);
}

pub async fn concurrent_clients_post_each_occurrence_once(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let rent = h.category(&ann, "Rent").await;
    // A second client on the same file or database (another computer).
    let other = h.restarted().await;
    let mut expected_rows = 0;
    for round in 0..4 {
        let start = format!("2023-0{}-01", round + 1);
        let s = add(h, &ann, monthly(main.id, rent.id, "1", &start, "1")).await;
        let today = d("2024-03-15");
        let pending = s.pending_through(today, 1000).len() as u64;
        expected_rows += pending;
        let (a, b) = tokio::join!(
            h.finance.post_due(&ann, today, now()),
            other.post_due(&ann, today, now())
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let posted = |x: &PostDueSummary| x.total_posted();
        assert_eq!(
            posted(&a) + posted(&b),
            pending,
            "round {round}: the two clients posted {} and {} of {pending} occurrences",
            posted(&a),
            posted(&b)
        );
        assert_eq!(
            row_count(&h.finance, &ann).await,
            expected_rows,
            "round {round}: each occurrence is stored once"
        );
    }
    let month = DateRange::month_of(d("2024-02-01"));
    let feb = h.finance.summary(&ann, month).await.unwrap();
    assert_eq!(feb.expense, 400, "four schedules of 1.00 each in February");
}

pub async fn years_of_missed_days_are_posted_in_bounded_calls(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let rent = h.category(&ann, "Groceries").await;
    let mut daily = monthly(main.id, rent.id, "1", "2020-01-01", "1");
    daily.frequency = "daily".into();
    daily.month_day = None;
    let s = add(h, &ann, daily).await;
    let before = balance(h, &ann, main.id).await;
    let today = d("2024-03-15");
    let due = s.pending_through(today, 10_000).len();
    assert_eq!(due, 1536, "every day of 2020-01-01 through 2024-03-15");
    let first = h.finance.post_due(&ann, today, now()).await.unwrap();
    assert_eq!(first.total_posted(), MAX_POSTED_PER_CALL as u64);
    assert!(first.posted[0].more_due, "the summary says more are due");
    let second = h.finance.post_due(&ann, today, now()).await.unwrap();
    assert_eq!(second.total_posted(), (due - MAX_POSTED_PER_CALL) as u64);
    assert!(!second.posted[0].more_due);
    let third = h.finance.post_due(&ann, today, now()).await.unwrap();
    assert_eq!(third.total_posted(), 0);
    assert_eq!(row_count(&h.finance, &ann).await, due as u64);
    assert_eq!(
        balance(h, &ann, main.id).await,
        before - (due as i64) * 100,
        "each day once"
    );
}

/// The unique partial index behind posting once exists on MongoDB and
/// refuses a second document for an occurrence (the server, not only the
/// schedule's compare-and-advance, guarantees it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mongo_a_second_document_for_an_occurrence_is_refused() {
    use mongodb::bson::{Document, doc};
    let h = Harness::mongo("schedule_unique").await;
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let rent = h.category(&ann, "Rent").await;
    let s = add(&h, &ann, monthly(main.id, rent.id, "5", "2024-03-01", "1")).await;
    assert_eq!(
        h.finance
            .post_due(&ann, d("2024-03-15"), now())
            .await
            .unwrap()
            .total_posted(),
        1
    );
    let db = h.raw_mongo().await.expect("a MongoDB harness");
    let txs = db.collection::<Document>("transactions");
    let mut posted = txs
        .find_one(doc! { "scheduleId": { "$exists": true } })
        .await
        .unwrap()
        .expect("the posted row carries its schedule");
    assert_eq!(
        posted.get_object_id("scheduleId").unwrap().bytes(),
        s.id.bytes()
    );
    posted.insert("_id", mongodb::bson::oid::ObjectId::new());
    let err = txs.insert_one(posted).await.unwrap_err();
    assert!(
        err.to_string().contains("schedule_occurrence_unique"),
        "the unique index refuses it: {err}"
    );
    h.finish().await;
}
