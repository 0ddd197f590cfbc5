//! Bank statement files through the import pipeline (issue 16): the same
//! plan → commit as CSV, with the bank's own ids for duplicates and the
//! statement's ending balance compared with the account.
//!
//! The statements are built here and written with the `testing` hook
//! (`csv_io::statement_for_tests`), so these scenarios check the pipeline,
//! not the OFX/QIF/CAMT readers (which have their own tests).
//!
//! Invariants checked: a re-import of a statement is all duplicates, by bank
//! id even when the bank changed the entry's amount; two entries with one id
//! in a file are one entry; rows without an id fall back to date, amount and
//! description, and a row with an id still matches a row typed in by hand;
//! bank ids are per user and account; a duplicate imported anyway leaves its
//! id with the first row; the ending balance difference counts only what the
//! import adds up to the statement's day; rules apply to bank rows; a
//! statement in another currency is refused and writes nothing.

use finance_core::bank::{BankEntry, BankFormat, EndingBalance, StatementFile};
use finance_core::csv_io::statement_for_tests::encode;
use finance_core::csv_io::{ImportPlan, ImportSource, StatementCheck};
use finance_core::domain::{
    IdempotencyKey, RuleDraft, Transaction, TransactionFilter, TransactionQuery, TransactionSort,
};
use finance_core::{AuthUser, Id};

use finance_testkit::{Harness, assert_err, d, no_progress, now};

const BANK: ImportSource<'static> = ImportSource::Bank { qif_dates: None };

fn entry(date: &str, amount: i64, payee: &str, memo: &str, id: Option<&str>) -> BankEntry {
    BankEntry {
        date: d(date),
        amount,
        payee: payee.into(),
        memo: memo.into(),
        bank_id: id.map(str::to_string),
    }
}

/// A EUR statement of `entries`, ending at `ending` (minor units, date) when given.
fn statement(entries: Vec<BankEntry>, ending: Option<(i64, &str)>) -> Vec<u8> {
    encode(&StatementFile {
        format: BankFormat::Ofx,
        account_hint: Some("DE89370400440532013000".into()),
        currency: Some("EUR".into()),
        ending_balance: ending.map(|(amount, date)| EndingBalance {
            amount,
            date: d(date),
        }),
        entries,
    })
}

/// The four entries of the first statement: two with ids, one refund-like
/// credit, one without an id.
fn first_statement() -> Vec<u8> {
    statement(
        vec![
            entry("2024-03-01", -1250, "BAKERY", "card 1234", Some("FIT-1")),
            entry("2024-03-02", 250_000, "ACME PAYROLL", "", Some("FIT-2")),
            entry("2024-03-03", -899, "", "Direct debit PHONE", Some("FIT-3")),
            entry("2024-03-04", -300, "Kiosk", "", None),
        ],
        None,
    )
}

async fn plan(h: &Harness, user: &AuthUser, account: Option<Id>, bytes: &[u8]) -> ImportPlan {
    h.finance
        .import_plan(user, account, bytes, BANK, &[])
        .await
        .expect("the statement plans")
}

async fn commit(
    h: &Harness,
    user: &AuthUser,
    account: Option<Id>,
    bytes: &[u8],
    skip_duplicates: bool,
) -> finance_core::csv_io::ImportSummary {
    h.finance
        .import_commit(
            user,
            account,
            bytes,
            BANK,
            &[],
            skip_duplicates,
            now(),
            &no_progress,
        )
        .await
        .expect("the statement imports")
}

async fn rows(h: &Harness, user: &AuthUser, account: Option<Id>) -> Vec<Transaction> {
    h.finance
        .transactions(
            user,
            &TransactionQuery {
                filter: TransactionFilter {
                    account,
                    ..TransactionFilter::default()
                },
                sort: TransactionSort::DateAsc,
                limit: 500,
                after: None,
            },
        )
        .await
        .unwrap()
        .items
}

fn flags(p: &ImportPlan) -> Vec<bool> {
    p.sample.iter().map(|r| r.duplicate).collect()
}

pub async fn bank_statement_imported_again_is_all_duplicates(h: &Harness) {
    let ann = h.user("ann").await;
    let bytes = first_statement();
    let p = plan(h, &ann, None, &bytes).await;
    let shown: Vec<(&str, Option<&str>, &str, bool)> = p
        .sample
        .iter()
        .map(|r| {
            (
                r.description.as_str(),
                r.note.as_deref(),
                r.category.as_str(),
                r.amount.is_negative(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("BAKERY", Some("card 1234"), "Other", false),
            ("ACME PAYROLL", None, "Other income", false),
            ("Direct debit PHONE", None, "Other", false),
            ("Kiosk", None, "Other", false),
        ],
        "payee is the description and the memo its note (the memo when there is no payee); \
         money out is an expense, money in income"
    );
    assert_eq!(
        (p.total, p.ready, p.duplicates, p.statement),
        (4, 4, 0, None),
        "a first import: nothing repeats, no ending balance to compare"
    );
    let s = commit(h, &ann, None, &bytes, true).await;
    assert_eq!((s.imported, s.skipped_duplicates), (4, 0));
    let stored: Vec<Option<String>> = rows(h, &ann, None)
        .await
        .into_iter()
        .map(|t| t.bank_id)
        .collect();
    assert_eq!(
        stored,
        [
            Some("FIT-1".to_string()),
            Some("FIT-2".to_string()),
            Some("FIT-3".to_string()),
            None
        ],
        "each row keeps the bank's id of its entry"
    );

    // The same file again: every row is a duplicate, and nothing is written.
    let p = plan(h, &ann, None, &bytes).await;
    assert_eq!(flags(&p), [true; 4], "a re-import repeats every entry");
    let s = commit(h, &ann, None, &bytes, true).await;
    assert_eq!((s.imported, s.skipped_duplicates), (0, 4));

    // The bank changed an entry's amount and text but kept its id: still the
    // same entry. A new id with the fields of a stored banked row is a new
    // entry (two coffees on one day); an entry repeated in the file is one.
    let next = statement(
        vec![
            entry("2024-03-01", -1350, "BAKERY LTD", "", Some("FIT-1")),
            entry("2024-03-02", 250_000, "ACME PAYROLL", "", Some("FIT-9")),
            entry("2024-03-05", -450, "Cafe", "", Some("FIT-10")),
            entry("2024-03-05", -450, "Cafe", "", Some("FIT-10")),
            entry("2024-03-04", -300, "KIOSK", "", None),
        ],
        None,
    );
    let p = plan(h, &ann, None, &next).await;
    assert_eq!(
        flags(&p),
        [true, false, false, true, true],
        "by id: FIT-1 is stored (whatever its amount), FIT-9 is new, the second FIT-10 \
         repeats the first; without an id: the fields"
    );

    // Imported anyway, a duplicate by id goes without its id (the unique
    // index keeps one row per id and account); nothing conflicts.
    let s = commit(h, &ann, None, &next, false).await;
    assert_eq!((s.imported, s.skipped_duplicates), (5, 0));
    let ids: Vec<Option<String>> = rows(h, &ann, None)
        .await
        .into_iter()
        .map(|t| t.bank_id)
        .collect();
    let with = |id: &str| ids.iter().filter(|i| i.as_deref() == Some(id)).count();
    assert_eq!(
        (with("FIT-1"), with("FIT-9"), with("FIT-10")),
        (1, 1, 1),
        "each id is held by one row: {ids:?}"
    );
    assert_eq!(rows(h, &ann, None).await.len(), 9, "4 + 5 rows");

    // With a key, the commit happens once.
    let key =
        IdempotencyKey::parse("idempotencyKey", "a7c1f0e2-3d4b-4c5d-8e6f-7a8b9c0d1e2f").unwrap();
    let third = statement(
        vec![entry("2024-03-09", -100, "Bus", "", Some("FIT-20"))],
        None,
    );
    for _ in 0..2 {
        let s = h
            .finance
            .import_commit_with_key(
                &ann,
                None,
                &third,
                BANK,
                &[],
                true,
                Some(&key),
                now(),
                &no_progress,
            )
            .await
            .unwrap();
        assert_eq!(s.imported, 1, "a replay returns the first summary");
    }
    assert_eq!(
        rows(h, &ann, None).await.len(),
        10,
        "the replay wrote nothing"
    );
}

pub async fn bank_rows_repeat_rows_typed_in_by_hand(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    h.tx(&ann, food.id, "12.50", "2024-03-01", "Bakery").await;
    let p = plan(h, &ann, None, &first_statement()).await;
    assert_eq!(
        flags(&p),
        [true, false, false, false],
        "a stored row without a bank id (typed in, or from CSV) is matched by its fields"
    );
}

pub async fn bank_ids_are_per_user_and_account(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let bytes = first_statement();
    commit(h, &ann, None, &bytes, true).await;
    let p = plan(h, &bob, None, &bytes).await;
    assert_eq!(
        (p.duplicates, flags(&p)),
        (0, vec![false; 4]),
        "another user's rows with the same bank ids are not duplicates"
    );
    let s = commit(h, &bob, None, &bytes, true).await;
    assert_eq!(
        s.imported, 4,
        "bob's import does not collide with ann's ids"
    );
    let savings = h.add_account(&ann, "Savings", "savings", "0").await;
    let ids_only = statement(
        vec![entry("2024-04-01", -700, "Other text", "", Some("FIT-1"))],
        None,
    );
    let p = plan(h, &ann, Some(savings.id), &ids_only).await;
    assert_eq!(
        flags(&p),
        [false],
        "an id is the bank's per account: FIT-1 in another account is another entry"
    );
    let p = plan(h, &ann, None, &ids_only).await;
    assert_eq!(
        flags(&p),
        [true],
        "…and the same entry in the account holding it"
    );
    assert_eq!(rows(h, &ann, None).await.len(), 4);
    assert_eq!(rows(h, &bob, None).await.len(), 4);
}

pub async fn bank_statement_ending_balance_is_compared_after_import(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    // Opening 1,000.00 on 2024-01-01; one stored expense before the statement.
    let checking = h.add_account(&ann, "Checking", "checking", "1000").await;
    let stored = finance_core::domain::TransactionDraft {
        account_id: Some(checking.id.to_hex()),
        category_id: food.id.to_hex(),
        amount: "20".into(),
        date: "2024-02-10".into(),
        description: "Market".into(),
        note: None,
    }
    .validate(ann.currency())
    .unwrap();
    h.finance
        .add_transaction(&ann, stored, now())
        .await
        .unwrap();
    let entries = || {
        vec![
            entry("2024-02-10", -2000, "Market", "", None),
            entry("2024-03-01", -1250, "Bakery", "", Some("A")),
            entry("2024-03-02", 50_000, "Salary", "", Some("B")),
            entry("2024-04-02", -9_999, "After the statement", "", Some("C")),
        ]
    };
    // 1000.00 - 20.00 - 12.50 + 500.00 = 1467.50 on 2024-03-31 (the market
    // row is a duplicate, April's row is after the statement's day).
    let bytes = statement(entries(), Some((146_756, "2024-03-31")));
    let p = plan(h, &ann, Some(checking.id), &bytes).await;
    assert_eq!(
        p.statement,
        Some(StatementCheck {
            date: d("2024-03-31"),
            statement: 146_756,
            after_import: 146_750,
            difference: 6,
        }),
        "statement − (balance at the end of its day after the import's new rows)"
    );
    let agreeing = statement(entries(), Some((146_750, "2024-03-31")));
    let p = plan(h, &ann, Some(checking.id), &agreeing).await;
    assert_eq!(
        p.statement.map(|s| s.difference),
        Some(0),
        "a statement that agrees"
    );
    commit(h, &ann, Some(checking.id), &agreeing, true).await;
    let p = plan(h, &ann, Some(checking.id), &agreeing).await;
    assert_eq!(
        p.statement.map(|s| (s.after_import, s.difference)),
        Some((146_750, 0)),
        "after the import every row is a duplicate and the account agrees with the bank"
    );
    assert_eq!(
        h.finance
            .account_balance_on(&ann, checking.id, d("2024-03-31"))
            .await
            .unwrap(),
        146_750,
        "what the plan said is what the account shows"
    );
}

pub async fn bank_rows_get_rules_and_other_currencies_are_refused(h: &Harness) {
    let ann = h.user("ann").await;
    let transport = h.category(&ann, "Transport").await;
    let mut fuel = RuleDraft {
        enabled: true,
        description_match: Some("contains".into()),
        description_text: Some("shell".into()),
        category_id: Some(transport.id.to_hex()),
        ..RuleDraft::default()
    };
    fuel.rename = Some("Shell".into());
    let fuel = h
        .finance
        .add_rule(&ann, fuel.validate(ann.currency()).unwrap(), now())
        .await
        .unwrap();
    let bytes = statement(
        vec![entry(
            "2024-05-01",
            -6000,
            "SHELL 0815 HAMBURG",
            "",
            Some("S1"),
        )],
        None,
    );
    let p = plan(h, &ann, None, &bytes).await;
    let r = &p.sample[0];
    assert_eq!(
        (
            r.description.as_str(),
            r.category.as_str(),
            r.rule.as_ref().map(|(id, _)| *id)
        ),
        ("Shell", "Transport", Some(fuel.id)),
        "a rule renames and categorises a bank row as it does a CSV row"
    );
    commit(h, &ann, None, &bytes, true).await;
    let stored = rows(h, &ann, None).await;
    assert_eq!(
        (
            stored[0].description.as_str(),
            stored[0].category_id,
            stored[0].bank_id.as_deref()
        ),
        ("Shell", Some(transport.id), Some("S1")),
        "stored as planned, with its bank id"
    );

    let dollars = encode(&StatementFile {
        format: BankFormat::Ofx,
        account_hint: None,
        currency: Some("USD".into()),
        ending_balance: None,
        entries: vec![entry("2024-05-02", -100, "Diner", "", Some("U1"))],
    });
    assert_err(
        h.finance.import_plan(&ann, None, &dollars, BANK, &[]).await,
        "validation",
        Some("file"),
    );
    assert_err(
        h.finance
            .import_commit(&ann, None, &dollars, BANK, &[], true, now(), &no_progress)
            .await,
        "validation",
        Some("file"),
    );
    assert_eq!(rows(h, &ann, None).await.len(), 1, "nothing written");
}

/// The store's own guarantee, beneath the import's duplicate check: one row
/// per bank id and account (a second one, in the same write or a later one,
/// is `Conflict { field: "bankId" }` and writes nothing); the same id in
/// another account, or with no id, is fine.
pub async fn bank_ids_are_unique_per_account_in_the_store(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let main = h.main_account(&ann).await.id;
    let savings = h.add_account(&ann, "Savings", "savings", "0").await.id;
    let row = |account: Id, bank_id: Option<&str>| Transaction {
        id: Id::generate(),
        user_id: ann.id(),
        account_id: account,
        category_id: Some(food.id),
        kind: finance_testkit::EXPENSE.into(),
        amount: finance_core::Amount::from_minor("amount", 100)
            .unwrap()
            .into(),
        date: d("2024-01-01"),
        description: "Row".into(),
        note: None,
        status: finance_core::domain::TxStatus::Uncleared,
        transfer_id: None,
        bank_id: bank_id.map(str::to_string),
        created_at: now(),
        updated_at: now(),
    };
    let written = h
        .store
        .insert_transactions(
            ann.id(),
            &[],
            &vec![
                row(main, Some("X")),
                row(savings, Some("X")),
                row(main, None),
                row(main, None),
            ],
            &no_progress,
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        written, 4,
        "one id per account; rows without an id are free"
    );
    for rows in [
        vec![row(main, Some("Y")), row(main, Some("Y"))],
        vec![row(main, Some("Z")), row(main, Some("X"))],
    ] {
        assert_err(
            h.store
                .insert_transactions(ann.id(), &[], &rows, &no_progress, None)
                .await,
            "conflict",
            Some("bankId"),
        );
    }
    assert_eq!(
        rows(h, &ann, None).await.len(),
        4,
        "the refused writes left nothing"
    );
    let held = h
        .store
        .existing_bank_ids(ann.id(), main, vec!["X".into(), "Y".into(), "Z".into()])
        .await
        .unwrap();
    assert_eq!(held, ["X"], "the look-up finds the account's ids only");
}
