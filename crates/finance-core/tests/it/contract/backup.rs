//! Backup and restore (`finance_core::backup`): a user's whole data round
//! trips through a file into an empty user, exactly; a refused file
//! (truncated, altered, foreign, wrong passphrase) or a user who already
//! has data leaves everything as it was; a file of an older format version
//! still restores; a full-fidelity file creates the user again.

use std::io::{Cursor, Read, Write};

use finance_core::domain::{
    Account, Budget, Category, Period, Rule, RuleDraft, Schedule, ScheduleDraft, Transaction,
    TransactionFilter, TransactionQuery, TransactionSort,
};
use finance_core::{AuthUser, Finance, Id};

use finance_core::csv_io::ImportSource;
use finance_testkit::{Harness, assert_err, new_transfer, no_progress, now};

/// Everything of a user as the operations answer it, with the user's own
/// id blanked out (a restore gives the records the user restored into).
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub accounts: Vec<Account>,
    pub categories: Vec<Category>,
    pub budgets: Vec<Budget>,
    pub schedules: Vec<Schedule>,
    pub rules: Vec<Rule>,
    pub transactions: Vec<Transaction>,
}

pub async fn snapshot(f: &Finance, user: &AuthUser) -> Snapshot {
    let blank = Id::from_bytes([0; 12]);
    let mut accounts = f.accounts(user).await.unwrap();
    accounts.iter_mut().for_each(|a| a.user_id = blank);
    let mut categories = f.categories(user).await.unwrap();
    categories.iter_mut().for_each(|c| c.user_id = blank);
    let mut budgets = f.budgets(user).await.unwrap();
    budgets.iter_mut().for_each(|b| b.user_id = blank);
    let mut schedules = f.schedules(user).await.unwrap();
    schedules.iter_mut().for_each(|s| s.user_id = blank);
    let mut rules = f.rules(user).await.unwrap();
    rules.iter_mut().for_each(|r| r.user_id = blank);
    let mut transactions = Vec::new();
    let mut query = TransactionQuery {
        filter: TransactionFilter::default(),
        sort: TransactionSort::DateAsc,
        limit: 500,
        after: None,
    };
    loop {
        let page = f.transactions(user, &query).await.unwrap();
        transactions.extend(page.items.into_iter().map(|mut t| {
            t.user_id = blank;
            t
        }));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    Snapshot {
        accounts,
        categories,
        budgets,
        schedules,
        rules,
        transactions,
    }
}

/// Ann with a bit of everything: two more accounts (one reconciled, one
/// archived), a budget, a schedule, a rule, income, expenses, a refund,
/// a transfer and a cleared row.
pub async fn ann_with_everything(h: &Harness) -> AuthUser {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Card", "credit_card", "-250.75").await;
    let old = h.add_account(&ann, "Old savings", "savings", "10").await;
    h.finance
        .set_account_archived(&ann, old.id, true)
        .await
        .unwrap();
    let food = h.category(&ann, "Groceries").await;
    let salary = h.category(&ann, "Salary").await;
    h.budget(&ann, food.id, "300", Period::Monthly).await;
    let pay = h
        .tx(&ann, salary.id, "2500", "2024-01-31", "ACME payroll")
        .await;
    h.tx(&ann, food.id, "42.10", "2024-01-05", "Bäckerei Müller — 🥐")
        .await;
    h.tx(&ann, food.id, "-5", "2024-01-06", "Refund").await;
    h.tx(&ann, food.id, "0.01", "2024-01-05", "Same day, later id")
        .await;
    h.finance
        .add_transfer(
            &ann,
            new_transfer(main.id, card.id, "100", "2024-02-01", "Pay the card"),
            now(),
        )
        .await
        .unwrap();
    h.finance
        .set_cleared(&ann, main.id, &[pay.id], true)
        .await
        .unwrap();
    let schedule = ScheduleDraft {
        account_id: main.id.to_hex(),
        category_id: Some(food.id.to_hex()),
        to_account_id: None,
        amount: "12.5".into(),
        description: "Veg box".into(),
        note: Some("weekly".into()),
        frequency: "weekly".into(),
        interval: Some(2),
        weekday: Some("fri".into()),
        month_day: None,
        start_date: "2024-03-01".into(),
        end_date: None,
        count: Some(10),
        mode: "remind".into(),
    }
    .validate(ann.currency())
    .expect("a valid schedule");
    h.finance.add_schedule(&ann, schedule, now()).await.unwrap();
    let rule = RuleDraft {
        name: "Bakery".into(),
        enabled: true,
        description_match: Some("contains".into()),
        description_text: Some("bäckerei".into()),
        amount_min: None,
        amount_max: Some("100".into()),
        account_id: None,
        kind: Some("expense".into()),
        category_id: Some(food.id.to_hex()),
        rename: Some("Bakery".into()),
        note: None,
    }
    .validate(ann.currency())
    .expect("a valid rule");
    h.finance.add_rule(&ann, rule, now()).await.unwrap();
    // A real bank statement into the card: its rows carry the bank's ids.
    let camt = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/banks/statement.camt053.xml"
    ))
    .expect("the CAMT fixture");
    let imported = h
        .finance
        .import_commit(
            &ann,
            Some(card.id),
            &camt,
            ImportSource::Bank { qif_dates: None },
            &[],
            false,
            now(),
            &no_progress,
        )
        .await
        .expect("a bank statement imports");
    assert_eq!(
        imported.imported, BANK_ROWS,
        "the statement's booked entries"
    );
    ann
}

/// The booked entries of `tests/fixtures/banks/statement.camt053.xml`.
pub const BANK_ROWS: u64 = 6;

async fn backup(f: &Finance, user: &AuthUser, passphrase: Option<&str>) -> Vec<u8> {
    let (out, _) = f
        .backup_to(user, Cursor::new(Vec::new()), passphrase, now())
        .await
        .expect("back up");
    out.into_inner()
}

pub async fn a_backup_restores_exactly_into_an_empty_user(h: &Harness) {
    let ann = ann_with_everything(h).await;
    let before = snapshot(&h.finance, &ann).await;
    let file = backup(&h.finance, &ann, None).await;

    // Ann still holds those ids: restoring her file into Bob is a conflict
    // (ids are kept), and Bob stays as registration made him.
    let bob = h.user("bob").await;
    let bob_before = snapshot(&h.finance, &bob).await;
    assert_err(
        h.finance
            .restore_from(&bob, Cursor::new(file.clone()), None)
            .await,
        "conflict",
        Some("file"),
    );
    assert_eq!(
        snapshot(&h.finance, &bob).await,
        bob_before,
        "a refused restore leaves the user as before"
    );

    h.store.delete_user(ann.id()).await.unwrap();
    let summary = h
        .finance
        .restore_from(&bob, Cursor::new(file.clone()), None)
        .await
        .expect("restore into an empty user");
    assert_eq!(
        summary.transactions,
        6 + BANK_ROWS,
        "four rows, a transfer's two legs and a bank statement's rows"
    );
    assert_eq!(
        before
            .transactions
            .iter()
            .filter(|t| t.bank_id.is_some())
            .count() as u64,
        BANK_ROWS,
        "the snapshot holds the bank ids, so the equality below covers them"
    );
    assert_eq!(
        snapshot(&h.finance, &bob).await,
        before,
        "every record comes back equal (ids, amounts, dates, statuses, order)"
    );
    let balances = h.finance.account_balances(&bob).await.unwrap();
    let main = balances
        .iter()
        .find(|b| b.account.name == "Main account")
        .unwrap();
    assert_eq!(
        main.balance,
        250_000 - 4_210 + 500 - 1 - 10_000,
        "balances are summed again from the restored rows"
    );

    // Bob now has data: a second restore is refused, nothing added.
    assert_err(
        h.finance.restore_from(&bob, Cursor::new(file), None).await,
        "conflict",
        Some("user"),
    );
    assert_eq!(snapshot(&h.finance, &bob).await, before);
}

/// A copy of `file` with the member `name` replaced by `f(bytes)` (the
/// manifest left as it was).
fn rezip(file: &[u8], name: &str, f: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(file)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut member = zip.by_index(i).unwrap();
        let member_name = member.name().unwrap().to_string();
        let mut bytes = Vec::new();
        member.read_to_end(&mut bytes).unwrap();
        if member_name == name {
            bytes = f(bytes);
        }
        out.start_file(member_name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

pub async fn refused_files_write_nothing(h: &Harness) {
    let ann = ann_with_everything(h).await;
    let file = backup(&h.finance, &ann, None).await;
    h.store.delete_user(ann.id()).await.unwrap();
    let bob = h.user("bob").await;
    let bob_before = snapshot(&h.finance, &bob).await;

    let truncated = file[..file.len() * 2 / 3].to_vec();
    let altered_amount = rezip(&file, "transactions.jsonl", |bytes| {
        // The refund's amount, changed: the manifest's checksum no longer holds.
        String::from_utf8(bytes)
            .unwrap()
            .replace("\"amount\":-500", "\"amount\":-600")
            .into_bytes()
    });
    let dropped_row = rezip(&file, "transactions.jsonl", |bytes| {
        let text = String::from_utf8(bytes).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        lines.pop();
        (lines.join("\n") + "\n").into_bytes()
    });
    let foreign = rezip(&file, "manifest.json", |bytes| {
        String::from_utf8(bytes)
            .unwrap()
            .replace("finance-manager-backup", "something-else")
            .into_bytes()
    });
    let cases: [(&str, Vec<u8>); 5] = [
        ("a truncated file", truncated),
        ("a changed amount", altered_amount),
        ("a dropped last row", dropped_row),
        ("a foreign manifest", foreign),
        ("not a zip", b"date,amount\n2024-01-01,1\n".to_vec()),
    ];
    for (what, bad) in cases {
        assert_err(
            h.finance.restore_from(&bob, Cursor::new(bad), None).await,
            "validation",
            Some("file"),
        );
        assert_eq!(
            snapshot(&h.finance, &bob).await,
            bob_before,
            "{what}: refused, and nothing of it written"
        );
    }
    // The good file still restores after all those refusals.
    h.finance
        .restore_from(&bob, Cursor::new(file), None)
        .await
        .expect("the intact file restores");
}

pub async fn a_user_with_data_is_refused(h: &Harness) {
    let ann = ann_with_everything(h).await;
    let file = backup(&h.finance, &ann, None).await;
    h.store.delete_user(ann.id()).await.unwrap();
    let bob = h.user("bob").await;
    let food = h.category(&bob, "Groceries").await;
    h.tx(&bob, food.id, "1", "2024-05-01", "Bob's own").await;
    let before = snapshot(&h.finance, &bob).await;
    assert_err(
        h.finance
            .restore_from(&bob, Cursor::new(file.clone()), None)
            .await,
        "conflict",
        Some("user"),
    );
    assert_eq!(
        snapshot(&h.finance, &bob).await,
        before,
        "nothing of Bob's is replaced"
    );
    // A second account (even empty) is data too.
    let cat = h.user("cat").await;
    h.add_account(&cat, "Wallet", "cash", "0").await;
    assert_err(
        h.finance.restore_from(&cat, Cursor::new(file), None).await,
        "conflict",
        Some("user"),
    );
}

/// The committed file of format version 1 (written once by
/// `write_the_v1_backup_fixture`, ignored: it is history, never rewritten).
pub const V1_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/backup/v1.financebackup"
);

/// A version 1 file restores into a new user of this release.
pub async fn a_version_1_file_still_restores(h: &Harness) {
    let file = std::fs::read(V1_FIXTURE).expect("the committed v1 fixture");
    let dan = h.user("dan").await;
    let summary = h
        .finance
        .restore_from(&dan, Cursor::new(file), None)
        .await
        .expect("a version 1 file restores");
    assert_eq!(summary.transactions, 6);
    let snap = snapshot(&h.finance, &dan).await;
    assert_eq!(snap.accounts.len(), 3, "Main account, Card, Old savings");
    assert_eq!(snap.budgets.len(), 1);
    assert_eq!(snap.schedules.len(), 1);
    assert_eq!(snap.rules.len(), 1);
    assert!(
        snap.transactions
            .iter()
            .any(|t| t.description == "Bäckerei Müller — 🥐" && t.amount.minor() == 4_210),
        "non-ASCII text and minor units survive"
    );
}

pub async fn a_full_fidelity_backup_creates_the_user_again(h: &Harness) {
    let ann = ann_with_everything(h).await;
    let before = snapshot(&h.finance, &ann).await;
    assert_err(
        h.finance
            .backup_to(&ann, Cursor::new(Vec::new()), Some("short"), now())
            .await,
        "validation",
        Some("passphrase"),
    );
    let file = backup(&h.finance, &ann, Some("correct horse battery")).await;
    h.store.delete_user(ann.id()).await.unwrap();

    // Without or with a wrong passphrase: refused, no user made.
    let bob = h.user("bob").await;
    assert_err(
        h.finance
            .restore_from(&bob, Cursor::new(file.clone()), None)
            .await,
        "validation",
        Some("passphrase"),
    );
    assert_err(
        h.finance
            .restore_new_user(Cursor::new(file.clone()), "wrong horse".into(), now())
            .await,
        "validation",
        Some("passphrase"),
    );
    assert!(
        h.store.user_by_username("ann").await.unwrap().is_none(),
        "a wrong passphrase creates nobody"
    );
    let (user, _) = h
        .finance
        .restore_new_user(
            Cursor::new(file.clone()),
            "correct horse battery".into(),
            now(),
        )
        .await
        .expect("restore as a new user");
    assert_eq!(user.username, "ann");
    let (_, ann) = h.login("ann").await;
    assert_eq!(
        snapshot(&h.finance, &ann).await,
        before,
        "ann signs in with her old password and finds everything"
    );
    // Her username and email are taken now: a second one is refused.
    let again = h
        .finance
        .restore_new_user(Cursor::new(file), "correct horse battery".into(), now())
        .await
        .unwrap_err();
    assert!(
        matches!(again.field(), Some("username" | "email")) && again.code().as_str() == "conflict",
        "a taken username or email is a conflict naming it: {again:?}"
    );
}
