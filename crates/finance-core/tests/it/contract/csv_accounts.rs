//! CSV with accounts: an import goes into a chosen account (or the default
//! one), an account column names the account per row, money coming back in
//! an expense category is a refund, and the app's own export (with its
//! account column) round-trips exactly into a user with the same accounts
//! and categories; files of the previous version still import.
//!
//! Invariants checked: rows land in the chosen or named account and the
//! balances follow; another user's or a missing account is `NotFound` and
//! nothing is written; an unknown account name is a line error naming it
//! and no account is created; duplicates are found across all the user's
//! accounts; a refund is an expense with a negative amount (it lowers the
//! expense total), a money-in row of an income category stays income.

use finance_core::csv_io::{
    AmountColumns, CategoryMapping, CategoryTarget, EXPORT_HEADER, ImportSettings, sniff_csv,
};
use finance_core::domain::{
    CategoryName, DateRange, EntryKind, TransactionDraft, TransactionFilter, TransactionQuery,
};
use finance_core::{AuthUser, Currency, Error, Id};

use finance_testkit::{
    EXPENSE, Harness, INCOME, all_time, assert_err, d, import_settings, no_progress, now,
};

use super::csv::{count, plan};

/// A stored row as the user sees it: account, date, kind, signed amount (minor
/// units), category, description, note — oldest first.
type Row = (
    String,
    String,
    EntryKind,
    i64,
    String,
    String,
    Option<String>,
);

async fn rows(h: &Harness, user: &AuthUser) -> Vec<Row> {
    let accounts = h.finance.accounts(user).await.unwrap();
    let categories = h.finance.categories(user).await.unwrap();
    let name_of_account = |id: Id| {
        accounts
            .iter()
            .find(|a| a.id == id)
            .map_or("?".to_string(), |a| a.name.clone())
    };
    let name_of_category = |id: Option<Id>| {
        id.and_then(|id| categories.iter().find(|c| c.id == id))
            .map_or(String::new(), |c| c.name.clone())
    };
    let query = TransactionQuery::new(
        TransactionFilter::default(),
        finance_core::domain::TransactionSort::DateAsc,
        Some(500),
        None,
    )
    .unwrap();
    let page = h.finance.transactions(user, &query).await.unwrap();
    page.items
        .into_iter()
        .map(|t| {
            (
                name_of_account(t.account_id),
                t.date.to_string(),
                t.kind,
                t.amount.minor(),
                name_of_category(t.category_id),
                t.description,
                t.note,
            )
        })
        .collect()
}

/// The balance of `user`'s account `name` (minor units).
async fn balance(h: &Harness, user: &AuthUser, name: &str) -> i64 {
    h.finance
        .account_balances(user)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.account.name == name)
        .map(|b| b.balance)
        .unwrap_or_else(|| panic!("no account {name}"))
}

fn account_settings() -> ImportSettings {
    ImportSettings {
        account: Some(4),
        ..import_settings()
    }
}

pub async fn csv_import_goes_into_the_chosen_account(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Visa card", "credit_card", "0").await;
    let text = "date,amount,description,category\n\
                2024-02-01,-12.50,Bakery,Groceries\n\
                2024-02-02,100,Pay,Salary\n";
    let p = h
        .finance
        .import_plan(
            &ann,
            Some(card.id),
            text.as_bytes(),
            &import_settings(),
            &[],
        )
        .await
        .unwrap();
    let shown: Vec<&str> = p.sample.iter().map(|r| r.account.as_str()).collect();
    assert_eq!(
        shown,
        ["Visa card", "Visa card"],
        "the plan shows the chosen account on every row"
    );
    let s = h
        .finance
        .import_commit(
            &ann,
            Some(card.id),
            text.as_bytes(),
            &import_settings(),
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(s.imported, 2);
    assert_eq!(
        (
            balance(h, &ann, "Visa card").await,
            balance(h, &ann, &main.name).await
        ),
        (8_750, 0),
        "both rows are in the chosen account, whose balance follows; the default one is untouched"
    );
    // Without a choice: the default account.
    let other = "date,amount,description,category\n2024-02-03,-1,Kiosk,\n";
    h.finance
        .import_commit(
            &ann,
            None,
            other.as_bytes(),
            &import_settings(),
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(balance(h, &ann, &main.name).await, -100);

    // Another user's account, or a missing one: NotFound, nothing written.
    let bob = h.user("bob").await;
    let bobs = h.main_account(&bob).await;
    for target in [bobs.id, Id::generate()] {
        let plan = h
            .finance
            .import_plan(&ann, Some(target), text.as_bytes(), &import_settings(), &[])
            .await;
        assert!(
            matches!(plan, Err(Error::NotFound { what: "account" })),
            "a plan into an account that is not ann's is refused as not found: {plan:?}"
        );
        let commit = h
            .finance
            .import_commit(
                &ann,
                Some(target),
                text.as_bytes(),
                &import_settings(),
                &[],
                false,
                now(),
                &no_progress,
            )
            .await;
        assert!(
            matches!(commit, Err(Error::NotFound { what: "account" })),
            "{commit:?}"
        );
    }
    assert_eq!(count(h, &ann).await, 3, "the refused imports wrote nothing");
    assert_eq!(count(h, &bob).await, 0);
    assert_eq!(balance(h, &bob, &bobs.name).await, 0);
}

pub async fn csv_account_column_names_the_account_per_row(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Visa card", "credit_card", "0").await;
    let savings = h.add_account(&ann, "Savings", "savings", "0").await;
    let s = account_settings();
    let text = "date,amount,description,category,account\n\
                2024-03-01,-10,Shoes,Other, visa  CARD \n\
                2024-03-02,-20,Books,Other,\n\
                2024-03-03,-30,Lunch,Other,Main Account\n";
    let p = h
        .finance
        .import_plan(&ann, Some(savings.id), text.as_bytes(), &s, &[])
        .await
        .unwrap();
    let shown: Vec<&str> = p.sample.iter().map(|r| r.account.as_str()).collect();
    assert_eq!(
        shown,
        ["Visa card", "Savings", "Main account"],
        "a named account (ignoring case and blanks) wins; a blank cell is the chosen account"
    );
    h.finance
        .import_commit(
            &ann,
            Some(savings.id),
            text.as_bytes(),
            &s,
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(
        (
            balance(h, &ann, &card.name).await,
            balance(h, &ann, &savings.name).await,
            balance(h, &ann, &main.name).await
        ),
        (-1_000, -2_000, -3_000),
        "each row is in its account"
    );

    // An unknown account: a line error naming it; no account is created, nothing written.
    let bad = "date,amount,description,category,account\n\
               2024-03-04,-5,Taxi,Other,Brokerage\n\
               2024-03-05,-6,Bus,Other,Savings\n";
    let p = plan(h, &ann, bad, &s, &[]).await;
    assert_eq!((p.ready, p.error_count), (1, 1));
    let e = &p.errors[0];
    assert_eq!((e.line, e.field.as_deref()), (2, Some("account")));
    assert!(
        e.reason.contains("'Brokerage' is not one of your accounts"),
        "{}",
        e.reason
    );
    assert_err(
        h.finance
            .import_commit(
                &ann,
                None,
                bad.as_bytes(),
                &s,
                &[],
                true,
                now(),
                &no_progress,
            )
            .await,
        "validation",
        Some("file"),
    );
    assert_eq!(count(h, &ann).await, 3, "the refused file wrote nothing");
    assert_eq!(
        h.finance.accounts(&ann).await.unwrap().len(),
        3,
        "no account was created from the file"
    );

    // Duplicates are per user, across accounts: the same line in another account is one.
    let again = "date,amount,description,category,account\n2024-03-01,-10,Shoes,Other,Savings\n";
    let p = plan(h, &ann, again, &s, &[]).await;
    assert!(
        p.sample[0].duplicate,
        "a row repeating one stored in another account is a duplicate"
    );
}

pub async fn csv_money_back_in_an_expense_category_is_a_refund(h: &Harness) {
    let ann = h.user("ann").await;
    let text = "date,amount,description,category\n\
                2024-04-01,-50.00,Jacket,Clothing\n\
                2024-04-02,20.00,Jacket returned,clothing\n\
                2024-04-03,1000,Pay,Salary\n\
                2024-04-04,5,Cashback,\n\
                2024-04-05,7,Gift,Presents\n";
    h.finance
        .add_category(
            &ann,
            CategoryName::parse("name", "Clothing").unwrap(),
            EXPENSE,
            now(),
        )
        .await
        .unwrap();
    let p = plan(h, &ann, text, &import_settings(), &[]).await;
    let got: Vec<(i64, _, bool, &str)> = p
        .sample
        .iter()
        .map(|r| (r.amount.minor(), r.kind, r.refund, r.category.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (5_000, EXPENSE, false, "Clothing"),
            (-2_000, EXPENSE, true, "Clothing"),
            (100_000, INCOME, false, "Salary"),
            (500, INCOME, false, "Other income"),
            (700, INCOME, false, "Presents"),
        ],
        "money in naming an expense category is a refund (negative expense); an income \
         category, no category or an unknown name stays income"
    );
    assert_eq!(
        p.unknown_categories,
        [("Presents".to_string(), INCOME)],
        "an unknown name in a money-in row is an unknown income category, as before"
    );
    // Mapped to an expense category, the unknown money-in name becomes a refund;
    // mapped to an income category, it stays income.
    let to_expense = [CategoryMapping {
        csv_name: "Presents".into(),
        kind: EXPENSE,
        target: CategoryTarget::Create {
            name: CategoryName::parse("name", "Presents").unwrap(),
            kind: EXPENSE,
        },
    }];
    let p = plan(h, &ann, text, &import_settings(), &to_expense).await;
    assert_eq!(
        (p.sample[4].amount.minor(), p.sample[4].refund),
        (-700, true)
    );
    assert_eq!(
        p.unknown_categories,
        [("Presents".to_string(), EXPENSE)],
        "the name is listed (mapped) as an expense category now"
    );
    let salary = h.category(&ann, "Salary").await;
    let to_income = [
        to_expense[0].clone(),
        CategoryMapping {
            csv_name: "Presents".into(),
            kind: INCOME,
            target: CategoryTarget::Existing(salary.id),
        },
    ];
    let p = plan(h, &ann, text, &import_settings(), &to_income).await;
    assert_eq!(
        (
            p.sample[4].amount.minor(),
            p.sample[4].refund,
            p.sample[4].kind
        ),
        (700, false, INCOME),
        "a money-in row mapped to an income category stays income"
    );

    let s = h
        .finance
        .import_commit(
            &ann,
            None,
            text.as_bytes(),
            &import_settings(),
            &to_expense,
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(s.imported, 5);
    let stored: Vec<(EntryKind, i64, String)> = rows(h, &ann)
        .await
        .into_iter()
        .map(|r| (r.2, r.3, r.4))
        .collect();
    assert_eq!(
        stored,
        [
            (EntryKind::Expense, 5_000, "Clothing".to_string()),
            (EntryKind::Expense, -2_000, "Clothing".to_string()),
            (EntryKind::Income, 100_000, "Salary".to_string()),
            (EntryKind::Income, 500, "Other income".to_string()),
            (EntryKind::Expense, -700, "Presents".to_string()),
        ],
        "the refunds are stored as negative expenses in their category"
    );
    let sum = h.finance.summary(&ann, all_time()).await.unwrap();
    assert_eq!(
        (sum.income, sum.expense),
        (100_500, 5_000 - 2_000 - 700),
        "refunds lower the expense total and are not income"
    );

    // Debit/credit files: a credit naming an expense category is a refund too.
    let bob = h.user("bob").await;
    let dc = "date,debit,credit,description,category\n\
              2024-05-01,,3.50,Returned milk,Groceries\n\
              2024-05-02,9.99,,Milk,Groceries\n";
    let s = ImportSettings {
        amount: AmountColumns::DebitCredit {
            debit: 1,
            credit: 2,
        },
        description: 3,
        category: Some(4),
        ..import_settings()
    };
    let p = plan(h, &bob, dc, &s, &[]).await;
    let got: Vec<(i64, bool)> = p
        .sample
        .iter()
        .map(|r| (r.amount.minor(), r.refund))
        .collect();
    assert_eq!(got, [(-350, true), (999, false)]);

    // Without a category column the sign alone picks the kind, as before.
    let no_category = ImportSettings {
        category: None,
        ..import_settings()
    };
    let p = plan(
        h,
        &bob,
        "date,amount,description\n2024-05-03,4,Refund?\n",
        &no_category,
        &[],
    )
    .await;
    assert_eq!(
        (
            p.sample[0].kind,
            p.sample[0].refund,
            p.sample[0].amount.minor()
        ),
        (INCOME, false, 400)
    );
}

/// Add a transaction in `account` (amount a signed decimal string).
#[allow(clippy::too_many_arguments)]
async fn add_in(
    h: &Harness,
    user: &AuthUser,
    account: Id,
    cat: Id,
    amount: &str,
    date: &str,
    desc: &str,
    note: Option<&str>,
) {
    let draft = TransactionDraft {
        account_id: Some(account.to_hex()),
        category_id: cat.to_hex(),
        amount: amount.into(),
        date: date.into(),
        description: desc.into(),
        note: note.map(str::to_string),
    };
    h.finance
        .add_transaction(user, draft.validate(Currency::EUR).unwrap(), now())
        .await
        .unwrap();
}

/// Give `user` the accounts and categories of the round trip.
async fn round_trip_setup(h: &Harness, user: &AuthUser) -> (Id, Id, Id) {
    let card = h
        .add_account(user, "=Visa card", "credit_card", "-100")
        .await;
    let old = h.add_account(user, "Old savings", "savings", "0").await;
    h.finance
        .set_account_archived(user, old.id, true)
        .await
        .unwrap();
    h.finance
        .add_category(
            user,
            CategoryName::parse("name", "Pets").unwrap(),
            EXPENSE,
            now(),
        )
        .await
        .unwrap();
    (h.main_account(user).await.id, card.id, old.id)
}

pub async fn csv_export_round_trips_exactly(h: &Harness) {
    let ann = h.user("ann").await;
    let (main, card, old) = round_trip_setup(h, &ann).await;
    let food = h.category(&ann, "Groceries").await;
    let pets = h.category(&ann, "Pets").await;
    let pay = h.category(&ann, "Salary").await;
    add_in(
        h,
        &ann,
        main,
        food.id,
        "12.30",
        "2024-01-31",
        "Market, \"big\"",
        Some("line 1\nline 2, with comma"),
    )
    .await;
    add_in(
        h,
        &ann,
        card,
        food.id,
        "-4.20",
        "2024-02-01",
        "Refund: bad eggs",
        Some("refund\r\nCRLF"),
    )
    .await;
    add_in(
        h,
        &ann,
        card,
        pets.id,
        "1234.56",
        "2024-02-29",
        "=HYPERLINK(\"x\")",
        None,
    )
    .await;
    add_in(
        h,
        &ann,
        old,
        pets.id,
        "-0.01",
        "2024-02-29",
        "Vet refund",
        None,
    )
    .await;
    add_in(
        h,
        &ann,
        main,
        pay.id,
        "2500",
        "2024-12-31",
        "@Pay",
        Some("-December"),
    )
    .await;
    let mut bytes = Vec::new();
    let n = h
        .finance
        .export_csv(&ann, TransactionFilter::default(), &mut bytes)
        .await
        .unwrap();
    assert_eq!(n, 5);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.starts_with("date,account,description,category,type,amount,note,transfer\r\n"),
        "the header carries the account and transfer columns: {text}"
    );
    assert!(
        text.contains("2024-02-01,'=Visa card,Refund: bad eggs,Groceries,expense,-4.20,\"refund\r\nCRLF\",\r\n"),
        "a refund is a negative expense in its account (a formula-like account name is neutralised): {text}"
    );
    assert_eq!(EXPORT_HEADER.len(), 8);

    // A fresh user with the same accounts and categories gets the same rows.
    let bob = h.user("bob").await;
    round_trip_setup(h, &bob).await;
    let s = sniff_csv(&bytes).unwrap().guess;
    assert_eq!(
        (s.account, s.transfer),
        (Some(1), Some(7)),
        "the sniffer maps the export's account and transfer columns"
    );
    let p = h
        .finance
        .import_plan(&bob, None, &bytes, &s, &[])
        .await
        .unwrap();
    assert_eq!((p.ready, p.error_count), (5, 0), "{:?}", p.errors);
    let refunds: Vec<bool> = p.sample.iter().map(|r| r.refund).collect();
    assert_eq!(
        refunds,
        [false, true, false, true, false],
        "the preview says which rows are refunds"
    );
    h.finance
        .import_commit(&bob, None, &bytes, &s, &[], false, now(), &no_progress)
        .await
        .unwrap();
    assert_eq!(
        rows(h, &bob).await,
        rows(h, &ann).await,
        "same accounts, dates, kinds, signed amounts, categories, descriptions and notes"
    );
    let mut again = Vec::new();
    h.finance
        .export_csv(&bob, TransactionFilter::default(), &mut again)
        .await
        .unwrap();
    assert_eq!(
        String::from_utf8(again).unwrap(),
        text,
        "export, import, export again gives the same bytes"
    );
    for name in ["Main account", "=Visa card", "Old savings"] {
        assert_eq!(
            balance(h, &bob, name).await,
            balance(h, &ann, name).await,
            "the balance of {name} is the same"
        );
    }
}

/// The export's text with each transfer reference replaced by its order of
/// appearance (an import gives transfers new ids; everything else is equal).
fn references_numbered(text: &str) -> String {
    let mut seen: Vec<String> = Vec::new();
    text.split("\r\n")
        .map(|line| match line.rsplit_once(',') {
            Some((rest, reference)) if reference.len() == 24 => {
                let n = match seen.iter().position(|r| r == reference) {
                    Some(n) => n,
                    None => {
                        seen.push(reference.to_string());
                        seen.len() - 1
                    }
                };
                format!("{rest},transfer-{n}")
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

pub async fn csv_transfers_in_an_export_import_as_transfers(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Visa card", "credit_card", "0").await;
    let food = h.category(&ann, "Groceries").await;
    add_in(h, &ann, main.id, food.id, "3", "2024-06-01", "Bread", None).await;
    let t = h
        .transfer(&ann, main.id, card.id, "250", "2024-06-02", "Card bill")
        .await;
    let mut bytes = Vec::new();
    h.finance
        .export_csv(&ann, TransactionFilter::default(), &mut bytes)
        .await
        .unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let hex = t.id.to_hex();
    let out_line = format!("2024-06-02,Main account,Card bill,,transfer_out,250.00,,{hex}\r\n");
    let in_line = format!("2024-06-02,Visa card,Card bill,,transfer_in,250.00,,{hex}\r\n");
    assert!(
        text.contains(&out_line) && text.contains(&in_line),
        "each leg is a row in its account, with the transfer's reference: {text}"
    );

    // Into a user with the same accounts: the two rows become one transfer.
    let bob = h.user("bob").await;
    let bob_card = h.add_account(&bob, "Visa card", "credit_card", "0").await;
    let bob_main = h.main_account(&bob).await;
    let s = sniff_csv(&bytes).unwrap().guess;
    let p = h
        .finance
        .import_plan(&bob, None, &bytes, &s, &[])
        .await
        .unwrap();
    assert_eq!((p.ready, p.error_count), (3, 0), "{:?}", p.errors);
    let shown: Vec<&str> = p.sample.iter().map(|r| r.category.as_str()).collect();
    assert_eq!(
        shown,
        ["Groceries", "Transfer", "Transfer"],
        "the preview names the legs"
    );
    h.finance
        .import_commit(&bob, None, &bytes, &s, &[], true, now(), &no_progress)
        .await
        .unwrap();
    let legs: Vec<_> = h
        .finance
        .transactions(
            &bob,
            &TransactionQuery::first_page(TransactionFilter::default()),
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|t| t.transfer_id.is_some())
        .collect();
    assert_eq!(legs.len(), 2, "both legs are stored");
    let id = legs[0].transfer_id.unwrap();
    assert_ne!(id, t.id, "an imported transfer gets its own id");
    let got = h.finance.transfer(&bob, id).await.unwrap();
    assert_eq!(
        (
            got.from.account_id,
            got.to.account_id,
            got.from.amount.minor(),
            got.from.date
        ),
        (bob_main.id, bob_card.id, 25_000, d("2024-06-02")),
        "one transfer from Main account to the card, as exported"
    );
    assert_eq!(balance(h, &bob, "Main account").await, -25_300);
    assert_eq!(balance(h, &bob, "Visa card").await, 25_000);
    let june = DateRange::month_of(d("2024-06-01"));
    let sum = h.finance.summary(&bob, june).await.unwrap();
    assert_eq!(
        (sum.income, sum.expense, sum.count),
        (0, 300, 1),
        "an imported transfer is never income or expense"
    );
    let mut again = Vec::new();
    h.finance
        .export_csv(&bob, TransactionFilter::default(), &mut again)
        .await
        .unwrap();
    assert_eq!(
        references_numbered(&String::from_utf8(again).unwrap()),
        references_numbered(&text),
        "export, import, export again: the same file but for the transfer's new id"
    );

    // The same file again: both legs are duplicates together, and skipped.
    let p = h
        .finance
        .import_plan(&bob, None, &bytes, &s, &[])
        .await
        .unwrap();
    assert_eq!(
        p.duplicates, 3,
        "the purchase and both legs repeat stored rows"
    );
    let summary = h
        .finance
        .import_commit(&bob, None, &bytes, &s, &[], true, now(), &no_progress)
        .await
        .unwrap();
    assert_eq!((summary.imported, summary.skipped_duplicates), (0, 3));

    // Files that do not make a transfer: line errors, and a commit writes nothing.
    let header = "date,account,description,category,type,amount,note,transfer\r\n";
    let other = "0123456789abcdef01234567";
    let bad = [
        (
            format!("{header}{out_line}"),
            vec![2],
            "other row is not in the file",
        ),
        (
            format!("{header}{out_line}{}", in_line.replace("250.00", "25.00")),
            vec![2, 3],
            "another amount",
        ),
        (
            format!(
                "{header}{out_line}{}",
                out_line.replace("transfer_out", "transfer_in")
            ),
            vec![2, 3],
            "the same account",
        ),
        (
            format!("{header}{out_line}{}", in_line.replace(&hex, other)),
            vec![2, 3],
            "other row is not in the file",
        ),
        (
            format!("{header}{}", out_line.replace(&hex, "")),
            vec![2],
            "reference",
        ),
    ];
    let carol = h.user("carol").await;
    h.add_account(&carol, "Visa card", "credit_card", "0").await;
    for (file, lines, reason) in bad {
        let p = h
            .finance
            .import_plan(&carol, None, file.as_bytes(), &s, &[])
            .await
            .unwrap();
        let got: Vec<u64> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(got, lines, "{file}: {:?}", p.errors);
        assert!(
            p.errors
                .iter()
                .all(|e| e.field.as_deref() == Some("transfer"))
                && p.errors[0].reason.contains(reason),
            "{file}: {:?}",
            p.errors
        );
        assert_eq!(p.ready, 0, "no leg alone is ever ready: {file}");
        assert!(
            h.finance
                .import_commit(
                    &carol,
                    None,
                    file.as_bytes(),
                    &s,
                    &[],
                    true,
                    now(),
                    &no_progress
                )
                .await
                .is_err(),
            "a commit refuses the file"
        );
    }
    assert_eq!(
        balance(h, &carol, "Main account").await,
        0,
        "nothing written"
    );
}

/// A file exported by the previous version (no account column) imports as
/// the app's own format: the formula quote comes off, rows go to the chosen account.
pub async fn csv_previous_versions_export_still_imports(h: &Harness) {
    let ann = h.user("ann").await;
    let card = h.add_account(&ann, "Visa card", "credit_card", "0").await;
    let old = "date,description,category,type,amount,note\r\n\
               2024-01-31,'=SUM(A1),Groceries,expense,12.30,\"two\nlines\"\r\n\
               2024-02-01,Pay,Salary,income,2500.00,\r\n";
    let s = sniff_csv(old.as_bytes()).unwrap().guess;
    assert_eq!((s.account, s.transfer, s.kind), (None, None, Some(3)));
    h.finance
        .import_commit(
            &ann,
            Some(card.id),
            old.as_bytes(),
            &s,
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    let got = rows(h, &ann).await;
    assert_eq!(
        got,
        [
            (
                "Visa card".to_string(),
                "2024-01-31".to_string(),
                EntryKind::Expense,
                1_230,
                "Groceries".to_string(),
                "=SUM(A1)".to_string(),
                Some("two\nlines".to_string())
            ),
            (
                "Visa card".to_string(),
                "2024-02-01".to_string(),
                EntryKind::Income,
                250_000,
                "Salary".to_string(),
                "Pay".to_string(),
                None
            ),
        ],
        "the previous export's rows, formula quote taken back, in the chosen account"
    );
}
