//! Transactions: CRUD, filters, sorting, keyset pagination and summaries.

use std::collections::HashSet;

use chrono::TimeDelta;
use finance_core::domain::CategoryName;
use finance_core::domain::{
    DateRange, Transaction, TransactionDraft, TransactionFilter, TransactionQuery, TransactionSort,
};
use finance_core::{Amount, AuthUser, Currency, Id};

use finance_testkit::{EXPENSE, Harness, INCOME, assert_not_found, d, new_tx, now};

async fn all_pages(
    h: &Harness,
    user: &AuthUser,
    filter: TransactionFilter,
    sort: TransactionSort,
    limit: u32,
) -> Vec<Transaction> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q =
            TransactionQuery::new(filter.clone(), sort, Some(limit), cursor.as_deref()).unwrap();
        let page = h.finance.transactions(user, &q).await.unwrap();
        assert!(
            page.items.len() <= limit as usize,
            "a page holds at most the requested number of rows"
        );
        out.extend(page.items);
        match page.next {
            Some(c) => cursor = Some(c.encode()),
            None => return out,
        }
    }
}

fn eur(s: &str) -> Amount {
    Amount::parse("amount", s, Currency::EUR).unwrap()
}

pub async fn add_get_edit_delete(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let draft = TransactionDraft {
        account_id: None,
        category_id: food.id.to_hex(),
        amount: "12.30".into(),
        date: "2024-02-29".into(),
        description: " Market ".into(),
        note: Some("Organic\nvegetables".into()),
    };
    let added = h
        .finance
        .add_transaction(&ann, draft.validate(Currency::EUR).unwrap(), now())
        .await
        .unwrap();
    assert_eq!(
        (added.amount.minor(), added.date, added.kind),
        (1230, d("2024-02-29"), EXPENSE.into()),
        "amount in minor units, the date as given, the kind from the category"
    );
    assert_eq!(
        (added.description.as_str(), added.note.as_deref()),
        ("Market", Some("Organic\nvegetables")),
        "description and note as given, the note's line break kept"
    );
    assert_eq!(
        h.finance.transaction(&ann, added.id).await.unwrap(),
        added,
        "read back equals what add returned"
    );

    let later = now() + TimeDelta::minutes(5);
    let edited = h
        .finance
        .update_transaction(
            &ann,
            added.id,
            new_tx(food.id, "99.99", "2024-03-01", "Market (corrected)"),
            later,
        )
        .await
        .unwrap();
    assert_eq!(
        (edited.id, edited.amount.minor(), edited.note.as_deref()),
        (added.id, 9_999, None),
        "the edit keeps the id and changes amount and note"
    );
    assert_eq!(
        edited.created_at, added.created_at,
        "an edit keeps the creation time"
    );
    assert_eq!(
        edited.updated_at, later,
        "an edit sets the update time to its instant"
    );
    assert_eq!(
        h.finance.transaction(&ann, added.id).await.unwrap(),
        edited,
        "the stored row is the edited one"
    );

    // An edit to a missing category is refused and changes nothing.
    assert_not_found(
        h.finance
            .update_transaction(
                &ann,
                added.id,
                new_tx(Id::generate(), "1", "2024-03-01", "x"),
                later,
            )
            .await,
    );
    assert_eq!(
        h.finance.transaction(&ann, added.id).await.unwrap(),
        edited,
        "a refused edit changes nothing"
    );
    assert_not_found(
        h.finance
            .add_transaction(&ann, new_tx(Id::generate(), "1", "2024-03-01", "x"), now())
            .await,
    );

    h.finance.delete_transaction(&ann, added.id).await.unwrap();
    assert_not_found(h.finance.transaction(&ann, added.id).await);
    assert_not_found(h.finance.delete_transaction(&ann, added.id).await);
    assert_not_found(
        h.finance
            .update_transaction(
                &ann,
                added.id,
                new_tx(food.id, "1", "2024-03-01", "x"),
                later,
            )
            .await,
    );
}

pub async fn kind_follows_category_on_edit(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let salary = h.category(&ann, "Salary").await;
    let t = h.tx(&ann, food.id, "10", "2024-03-01", "Refund?").await;
    let e = h
        .finance
        .update_transaction(
            &ann,
            t.id,
            new_tx(salary.id, "10", "2024-03-01", "Refund"),
            now(),
        )
        .await
        .unwrap();
    assert_eq!(
        e.kind,
        INCOME.into(),
        "moving a row to an income category makes it income"
    );
    let s = h
        .finance
        .summary(&ann, DateRange::month_of(d("2024-03-01")))
        .await
        .unwrap();
    assert_eq!(
        (s.income, s.expense, s.net(), s.count),
        (1000, 0, 1000, 1),
        "the summary counts the row as income"
    );
}

pub async fn filters_combine(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let rent = h.category(&ann, "Rent").await;
    let salary = h.category(&ann, "Salary").await;
    let a = h
        .tx(&ann, food.id, "5.00", "2024-01-10", "Coffee beans")
        .await;
    let b = h
        .tx(&ann, food.id, "25.00", "2024-02-10", "Weekly shop")
        .await;
    let c = h
        .tx(&ann, rent.id, "900.00", "2024-02-01", "Rent February")
        .await;
    let dd = h
        .tx(&ann, salary.id, "2500.00", "2024-02-25", "Salary")
        .await;
    let mut with_note = new_tx(food.id, "7.50", "2024-03-05", "Bakery");
    with_note.note =
        finance_core::domain::Note::parse_optional("note", Some("Croissants and COFFEE")).unwrap();
    let e = h
        .finance
        .add_transaction(&ann, with_note, now())
        .await
        .unwrap();

    let ids = |filter: TransactionFilter| {
        let finance = h.finance.clone();
        let ann = ann.clone();
        async move {
            let page = finance
                .transactions(&ann, &TransactionQuery::first_page(filter))
                .await
                .unwrap();
            page.items.into_iter().map(|t| t.id).collect::<Vec<_>>()
        }
    };
    let f = |from: Option<&str>,
             to: Option<&str>,
             cats: Vec<Id>,
             kind,
             text: Option<&str>,
             min: Option<&str>,
             max: Option<&str>| {
        TransactionFilter::new(
            from.map(d),
            to.map(d),
            cats,
            kind,
            text,
            min.map(eur),
            max.map(eur),
        )
        .unwrap()
    };
    assert_eq!(
        ids(f(None, None, vec![], None, None, None, None)).await,
        vec![e.id, dd.id, b.id, c.id, a.id],
        "no filter: every row, newest first"
    );
    assert_eq!(
        ids(f(
            Some("2024-02-01"),
            Some("2024-02-25"),
            vec![],
            None,
            None,
            None,
            None
        ))
        .await,
        vec![dd.id, b.id, c.id],
        "inclusive range"
    );
    assert_eq!(
        ids(f(
            None,
            None,
            vec![food.id, rent.id],
            None,
            None,
            None,
            None
        ))
        .await,
        vec![e.id, b.id, c.id, a.id],
        "any of the chosen categories"
    );
    assert_eq!(
        ids(f(None, None, vec![], Some(INCOME), None, None, None)).await,
        vec![dd.id],
        "income only"
    );
    assert_eq!(
        ids(f(None, None, vec![], None, Some("coffee"), None, None)).await,
        vec![e.id, a.id],
        "description or note, any case"
    );
    assert_eq!(
        ids(f(None, None, vec![], None, Some("RENT feb"), None, None)).await,
        vec![c.id],
        "a substring of the description, any case"
    );
    assert_eq!(
        ids(f(None, None, vec![], None, Some("%"), None, None)).await,
        Vec::<Id>::new(),
        "no wildcards"
    );
    assert_eq!(
        ids(f(None, None, vec![], None, Some(".*"), None, None)).await,
        Vec::<Id>::new(),
        "no regex"
    );
    assert_eq!(
        ids(f(None, None, vec![], None, None, Some("7.50"), Some("900"))).await,
        vec![e.id, b.id, c.id],
        "inclusive amounts"
    );
    assert_eq!(
        ids(f(
            Some("2024-02-01"),
            None,
            vec![food.id],
            Some(EXPENSE),
            Some("shop"),
            Some("1"),
            None
        ))
        .await,
        vec![b.id],
        "all conditions together"
    );
}

pub async fn pagination_is_stable_with_equal_dates(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let mut expected = Vec::new();
    for i in 0..45 {
        let date = if i < 30 { "2024-03-01" } else { "2024-03-02" };
        expected.push(
            h.tx(
                &ann,
                food.id,
                &format!("{}.00", i + 1),
                date,
                &format!("Row {i}"),
            )
            .await,
        );
    }
    for (sort, limit) in [
        (TransactionSort::DateDesc, 7),
        (TransactionSort::DateAsc, 10),
        (TransactionSort::DateDesc, 45),
        (TransactionSort::DateAsc, 1),
    ] {
        let got = all_pages(h, &ann, TransactionFilter::default(), sort, limit).await;
        assert_eq!(got.len(), 45, "{sort:?}/{limit}: every row exactly once");
        let unique: HashSet<_> = got.iter().map(|t| t.id).collect();
        assert_eq!(unique.len(), 45, "no row appears on two pages");
        let mut want = expected.clone();
        want.sort_by_key(|t| (t.date, t.id));
        if sort.descending() {
            want.reverse();
        }
        assert_eq!(got, want, "{sort:?}: ordered by date then id");
    }
    // Rows added while paging never make earlier rows reappear.
    let q = TransactionQuery::new(
        TransactionFilter::default(),
        TransactionSort::DateDesc,
        Some(10),
        None,
    )
    .unwrap();
    let first = h.finance.transactions(&ann, &q).await.unwrap();
    h.tx(&ann, food.id, "1", "2024-03-02", "Late arrival").await;
    let q2 = TransactionQuery::new(
        TransactionFilter::default(),
        TransactionSort::DateDesc,
        Some(10),
        Some(&first.next.unwrap().encode()),
    )
    .unwrap();
    let second = h.finance.transactions(&ann, &q2).await.unwrap();
    assert!(
        second.items.iter().all(|t| !first.items.contains(t)),
        "rows added while paging never make earlier rows reappear"
    );
}

pub async fn pagination_by_amount_with_ties(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let mut all = Vec::new();
    for i in 0..23 {
        all.push(
            h.tx(
                &ann,
                food.id,
                &format!("{}", 1 + i % 4),
                "2024-03-01",
                "Tie",
            )
            .await,
        );
    }
    for sort in [TransactionSort::AmountAsc, TransactionSort::AmountDesc] {
        let got = all_pages(h, &ann, TransactionFilter::default(), sort, 4).await;
        let mut want = all.clone();
        want.sort_by_key(|t| (t.amount, t.id));
        if sort.descending() {
            want.reverse();
        }
        assert_eq!(got, want, "{sort:?}");
    }
}

pub async fn summaries_at_period_boundaries(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let salary = h.category(&ann, "Salary").await;
    h.tx(&ann, food.id, "1.00", "2024-01-31", "Jan end").await;
    h.tx(&ann, food.id, "2.00", "2024-02-01", "Feb start").await;
    h.tx(&ann, food.id, "4.00", "2024-02-29", "Leap day").await;
    h.tx(&ann, salary.id, "100.00", "2024-02-29", "Pay").await;
    h.tx(&ann, food.id, "8.00", "2024-03-01", "Mar start").await;
    h.tx(&ann, food.id, "16.00", "2023-12-31", "Year end").await;
    let feb = h
        .finance
        .summary(&ann, DateRange::month_of(d("2024-02-15")))
        .await
        .unwrap();
    assert_eq!(
        (feb.income, feb.expense, feb.net(), feb.count),
        (10_000, 600, 9_400, 3),
        "February 2024 from the 1st to the leap day, not the days either side"
    );
    let day = h
        .finance
        .summary(
            &ann,
            DateRange::new(d("2024-02-29"), d("2024-02-29")).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        (day.income, day.expense, day.count),
        (10_000, 400, 2),
        "a one-day range holds that day's rows"
    );
    let y2023 = h
        .finance
        .summary(
            &ann,
            DateRange::new(d("2023-01-01"), d("2023-12-31")).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        (y2023.expense, y2023.count),
        (1_600, 1),
        "2023 holds its last day only"
    );
    let empty = h
        .finance
        .summary(&ann, DateRange::month_of(d("2025-06-01")))
        .await
        .unwrap();
    assert_eq!(
        (empty.income, empty.expense, empty.net(), empty.count),
        (0, 0, 0, 0),
        "a month without rows sums to zero"
    );
}

/// A page comes with the names of exactly the categories its rows name, read
/// with the rows: a renamed category shows its new name on the next page, and
/// a transfer's legs (no category) name none.
pub async fn a_page_names_exactly_its_rows_categories(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let rent = h.category(&ann, "Rent").await;
    let salary = h.category(&ann, "Salary").await;
    h.tx(&ann, salary.id, "2500.00", "2024-01-25", "Salary")
        .await;
    h.tx(&ann, rent.id, "900.00", "2024-02-01", "Rent").await;
    h.tx(&ann, food.id, "25.00", "2024-02-10", "Weekly shop")
        .await;
    h.tx(&ann, food.id, "5.00", "2024-02-11", "Coffee").await;
    let main = h.main_account(&ann).await;
    let savings = h.add_account(&ann, "Savings", "savings", "0").await;
    h.transfer(
        &ann,
        main.id,
        savings.id,
        "100.00",
        "2024-02-12",
        "To savings",
    )
    .await;
    let bob = h.user("bob").await;
    h.tx(
        &bob,
        h.category(&bob, "Groceries").await.id,
        "1.00",
        "2024-02-13",
        "Bob's",
    )
    .await;

    let query = |limit| {
        TransactionQuery::new(
            TransactionFilter::default(),
            TransactionSort::DateDesc,
            Some(limit),
            None,
        )
        .unwrap()
    };
    let names_of_ann: std::collections::HashMap<Id, String> = h
        .finance
        .categories(&ann)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let everything = h.finance.transactions(&ann, &query(50)).await.unwrap();
    // Every row but the last: the salary (the oldest row) is not on the page.
    let page = h
        .finance
        .transactions(&ann, &query(everything.items.len() as u32 - 1))
        .await
        .unwrap();
    let on_page: HashSet<Id> = page.items.iter().filter_map(|t| t.category_id).collect();
    let named: HashSet<Id> = page.category_names.keys().copied().collect();
    assert_eq!(
        named, on_page,
        "the names are exactly those of the categories the page's rows name"
    );
    assert!(
        on_page.contains(&food.id) && on_page.contains(&rent.id) && !on_page.contains(&salary.id),
        "the page holds the groceries and the rent, not the salary (the oldest row)"
    );
    for (id, name) in &page.category_names {
        assert_eq!(
            Some(name),
            names_of_ann.get(id),
            "a name on the page is ann's category's own (never bob's Groceries)"
        );
    }
    assert!(
        page.items
            .iter()
            .any(|t| t.transfer_id.is_some() && t.category_id.is_none()),
        "a transfer's leg is on the page, with no category to name"
    );

    h.finance
        .rename_category(
            &ann,
            rent.id,
            CategoryName::parse("name", "Housing").unwrap(),
        )
        .await
        .unwrap();
    let page = h.finance.transactions(&ann, &query(50)).await.unwrap();
    assert_eq!(
        page.category_names.get(&rent.id).map(String::as_str),
        Some("Housing"),
        "a renamed category shows its new name on the next page"
    );
    assert_eq!(
        page.category_names.len(),
        3,
        "all of ann's rows name Groceries, Housing and Salary: {:?}",
        page.category_names
    );
}
