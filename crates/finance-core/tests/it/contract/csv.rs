//! CSV: export/import round trip, malformed files, duplicates, category
//! mapping and all-or-nothing commits.

use std::sync::Mutex;

use finance_core::csv_io::{
    AmountColumns, CategoryMapping, CategoryTarget, EXPORT_HEADER, ImportPlan, ImportSettings,
    sniff_csv,
};
use finance_core::domain::{CategoryKind, CategoryName, TransactionDraft, TransactionFilter};
use finance_core::{AuthUser, Currency, Id};

use finance_testkit::{
    EXPENSE, Harness, INCOME, all_time, assert_err, import_settings, no_progress, now,
};

async fn export(h: &Harness, user: &AuthUser, filter: TransactionFilter) -> (u64, Vec<u8>) {
    let mut out: Vec<u8> = Vec::new();
    let n = h.finance.export_csv(user, filter, &mut out).await.unwrap();
    (n, out)
}

/// How many transactions `user` has stored.
async fn count(h: &Harness, user: &AuthUser) -> u64 {
    h.finance.summary(user, all_time()).await.unwrap().count
}

async fn plan(
    h: &Harness,
    user: &AuthUser,
    text: &str,
    s: &ImportSettings,
    m: &[CategoryMapping],
) -> ImportPlan {
    h.finance
        .import_plan(user, text.as_bytes(), s, m)
        .await
        .unwrap()
}

async fn add(
    h: &Harness,
    user: &AuthUser,
    cat: Id,
    amount: &str,
    date: &str,
    desc: &str,
    note: Option<&str>,
) {
    let draft = TransactionDraft {
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

pub async fn csv_round_trip(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let pay = h.category(&ann, "Salary").await;
    let pets = h
        .finance
        .add_category(
            &ann,
            CategoryName::parse("name", "Pets").unwrap(),
            EXPENSE,
            now(),
        )
        .await
        .unwrap();
    let bonus = h
        .finance
        .add_category(
            &ann,
            CategoryName::parse("name", "Bonus").unwrap(),
            INCOME,
            now(),
        )
        .await
        .unwrap();
    add(
        h,
        &ann,
        food.id,
        "12.30",
        "2024-01-31",
        "Market, \"the big one\"",
        Some("line 1\nline 2, with comma"),
    )
    .await;
    add(h, &ann, food.id, "0.05", "2024-02-29", "Café ☕", None).await;
    add(h, &ann, pets.id, "1234.56", "2024-02-29", "Vet", Some("  ")).await;
    add(
        h,
        &ann,
        pay.id,
        "2500",
        "2024-12-31",
        "Pay",
        Some("December"),
    )
    .await;
    add(h, &ann, bonus.id, "99.99", "2024-12-31", "=SUM(A1)", None).await;

    let (n, bytes) = export(h, &ann, TransactionFilter::default()).await;
    assert_eq!(n, 5, "all 5 transactions are exported");
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.starts_with(&format!("{}\r\n", EXPORT_HEADER.join(","))),
        "{text}"
    );
    assert!(text.contains("2024-01-31,\"Market, \"\"the big one\"\"\",Groceries,expense,12.30,\"line 1\nline 2, with comma\"\r\n"), "{text}");
    assert!(
        text.contains("2024-02-29,Vet,Pets,expense,1234.56,\r\n"),
        "{text}"
    );
    assert!(
        text.ends_with("2024-12-31,=SUM(A1),Bonus,income,99.99,\r\n"),
        "{text}"
    );
    let (n, _) = export(
        h,
        &ann,
        TransactionFilter {
            kind: Some(INCOME),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(n, 2, "the kind filter exports the 2 income rows only");

    // Import into a fresh user with the sniffed settings.
    let preview = sniff_csv(&bytes).unwrap();
    let s = preview.guess;
    assert_eq!(
        s.kind,
        Some(3),
        "the sniffer finds the export's type column"
    );
    let bob = h.user("bob").await;
    let p = h.finance.import_plan(&bob, &bytes, &s, &[]).await.unwrap();
    assert_eq!(
        (p.total, p.rows.len(), p.errors.len(), p.duplicates),
        (5, 5, 0, 0),
        "every exported row plans cleanly; bob has nothing to duplicate"
    );
    assert_eq!(
        p.unknown_categories,
        [("Pets".to_string(), EXPENSE), ("Bonus".to_string(), INCOME)],
        "the categories bob lacks are listed once each, with their kind, in file order"
    );
    assert_err(
        h.finance
            .import_commit(&bob, &bytes, &s, &[], true, now(), &no_progress)
            .await,
        "validation",
        Some("categories"),
    );
    assert_eq!(
        count(h, &bob).await,
        0,
        "a commit refused for unmapped categories writes nothing"
    );
    let create = |name: &str, kind| CategoryMapping {
        csv_name: name.to_lowercase(),
        kind,
        target: CategoryTarget::Create {
            name: CategoryName::parse("name", name).unwrap(),
            kind,
        },
    };
    let maps = [create("Pets", EXPENSE), create("Bonus", INCOME)];
    let summary = h
        .finance
        .import_commit(&bob, &bytes, &s, &maps, true, now(), &no_progress)
        .await
        .unwrap();
    assert_eq!(
        (
            summary.imported,
            summary.skipped_duplicates,
            summary.created_categories
        ),
        (5, 0, 2),
        "all 5 rows imported, both missing categories created"
    );
    let (_, again) = export(h, &bob, TransactionFilter::default()).await;
    assert_eq!(
        String::from_utf8(again).unwrap(),
        text,
        "export, import, export again gives the same bytes"
    );

    // Paging: more rows than one export page, with progress reported.
    let mut big = String::from("date,amount,description,category\r\n");
    for i in 0..1203 {
        big.push_str(&format!(
            "2023-{:02}-{:02},-{}.{:02},Item {i},\r\n",
            i % 12 + 1,
            i % 28 + 1,
            i % 50 + 1,
            i % 100
        ));
    }
    let carol = h.user("carol").await;
    let seen = Mutex::new(Vec::new());
    let summary = h
        .finance
        .import_commit(
            &carol,
            big.as_bytes(),
            &import_settings(),
            &[],
            true,
            now(),
            &|done, total| {
                seen.lock().unwrap().push((done, total));
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (summary.imported, summary.created_categories),
        (1203, 0),
        "all 1203 rows imported into existing categories"
    );
    let seen = seen.into_inner().unwrap();
    assert_eq!(
        seen.first(),
        Some(&(1000, 1203)),
        "progress is first reported after one batch of 1000"
    );
    assert_eq!(
        seen.last(),
        Some(&(1203, 1203)),
        "the last progress report is the total"
    );
    let (n, out) = export(h, &carol, TransactionFilter::default()).await;
    assert_eq!(n, 1203, "the export pages through all 1203 rows");
    assert_eq!(
        String::from_utf8(out).unwrap().matches("\r\n").count(),
        1204,
        "the header plus one CRLF-terminated line per row"
    );
}

pub async fn csv_malformed_files_save_nothing(h: &Harness) {
    let ann = h.user("ann").await;
    let before = h.finance.categories(&ann).await.unwrap();
    // BOM, CRLF, quoted comma and newline, then broken rows.
    let text = "\u{feff}date,amount,description,category\r\n\
                2024-01-05,-12.50,\"Shop, the \"\"best\"\"\",Groceries\r\n\
                2024-01-06,-3.00,\"two\r\nlines\",\r\n\
                2024-01-07,-1.00,\"Fine, \r\nagain\"\r\n\
                2024-02-30,-1.00,Bad date,\r\n\
                2024-01-08,\"1.234,56\",Wrong separator,\r\n\
                2024-01-09,-1.00,Ragged\r\n\
                2024-01-10,-1.00,Too,many,fields\r\n\
                2024-01-11,0.00,Zero,\r\n\
                2024-01-12,-1.001,Too precise,\r\n\
                2024-01-13,-2.00,\"Quoted, comma\",Pets\r\n";
    let p = plan(h, &ann, text, &import_settings(), &[]).await;
    let errors: Vec<(u64, Option<&str>)> = p
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_deref()))
        .collect();
    assert_eq!(
        errors,
        [
            (3, Some("description")),
            (5, None),
            (7, Some("date")),
            (8, Some("amount")),
            (9, None),
            (10, None),
            (11, Some("amount")),
            (12, Some("amount")),
        ],
        "{:#?}",
        p.errors
    );
    assert!(
        p.errors[3].reason.contains("decimal separator"),
        "{:?}",
        p.errors[3]
    );
    assert_eq!(
        p.total, 10,
        "10 records after the header (quoted line breaks are inside records)"
    );
    let ok: Vec<(u64, &str)> = p
        .rows
        .iter()
        .map(|r| (r.line, r.description.as_str()))
        .collect();
    assert_eq!(
        ok,
        [(2, "Shop, the \"best\""), (13, "Quoted, comma")],
        "only the well-formed rows are planned, with their physical line numbers"
    );
    assert_eq!(
        p.unknown_categories,
        [("Pets".to_string(), EXPENSE)],
        "the unknown category of a valid row is listed"
    );
    let maps = [CategoryMapping {
        csv_name: "Pets".into(),
        kind: EXPENSE,
        target: CategoryTarget::Create {
            name: CategoryName::parse("name", "Pets").unwrap(),
            kind: EXPENSE,
        },
    }];
    assert_err(
        h.finance
            .import_commit(
                &ann,
                text.as_bytes(),
                &import_settings(),
                &maps,
                false,
                now(),
                &no_progress,
            )
            .await,
        "validation",
        Some("file"),
    );
    assert_eq!(
        count(h, &ann).await,
        0,
        "a file with bad rows commits nothing, even with a mapping"
    );
    assert_eq!(
        h.finance.categories(&ann).await.unwrap(),
        before,
        "a refused commit creates no category"
    );

    // Whole-file problems.
    for bad in [
        &b""[..],
        b"\xEF\xBB\xBF\r\n",
        b"PK\x03\x04\x00\x00binary",
        b"date,amount\n2024-01-01,\xff\xfe\n",
        b"date,amount,description,category\r\n",
    ] {
        let e = h
            .finance
            .import_plan(&ann, bad, &import_settings(), &[])
            .await
            .unwrap_err();
        assert_eq!(e.field(), Some("file"), "{bad:?}: {e}");
        let e = h
            .finance
            .import_commit(
                &ann,
                bad,
                &import_settings(),
                &[],
                true,
                now(),
                &no_progress,
            )
            .await
            .unwrap_err();
        assert_eq!(
            e.field(),
            Some("file"),
            "a file the commit cannot read is a file error too"
        );
    }
    let e = h
        .finance
        .import_plan(&ann, b"a,b\n", &import_settings(), &[])
        .await
        .unwrap_err();
    assert_eq!(
        e.field(),
        Some("columns"),
        "a file without the configured columns is a columns error"
    );

    // `;` with comma decimals, DD.MM.YYYY dates and debit/credit columns.
    let semi = "Datum;Text;Soll;Haben\n31.01.2024;Miete;1.250,00;\n29.02.2024;Gehalt;;2.500,50\n";
    let preview = sniff_csv(semi.as_bytes()).unwrap();
    assert_eq!(preview.delimiter, b';', "the sniffer finds the semicolon");
    let s = preview.guess;
    assert_eq!(
        s.amount,
        AmountColumns::DebitCredit {
            debit: 2,
            credit: 3
        },
        "the sniffer finds separate debit and credit columns"
    );
    let p = plan(h, &ann, semi, &s, &[]).await;
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let rows: Vec<(i64, CategoryKind, &str)> = p
        .rows
        .iter()
        .map(|r| (r.amount.minor(), r.kind, r.category.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (125_000, EXPENSE, "Other"),
            (250_050, INCOME, "Other income")
        ],
        "debit is an expense, credit an income; blank categories fall back to Other / Other income"
    );
    assert_eq!(count(h, &ann).await, 0, "planning writes nothing");
}

pub async fn csv_duplicates_flagged_and_skipped(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    add(h, &ann, food.id, "12.50", "2024-01-05", "Bakery", None).await;
    let text = "date,amount,description,category\n\
                2024-01-05,-12.50, BAKERY ,groceries\n\
                2024-01-05,12.50,Bakery,\n\
                2024-01-06,-3,Coffee,\n\
                2024-01-06,-3.00,coffee,Other\n\
                2024-01-07,-3,Coffee,\n";
    let p = plan(h, &ann, text, &import_settings(), &[]).await;
    let flags: Vec<bool> = p.rows.iter().map(|r| r.duplicate).collect();
    assert_eq!(
        flags,
        [true, false, false, true, false],
        "only rows equal to a stored row or an earlier file row (trimmed, ignoring case, same kind) are duplicates"
    );
    assert_eq!(p.duplicates, 2, "the plan counts the flagged rows");
    let s = h
        .finance
        .import_commit(
            &ann,
            text.as_bytes(),
            &import_settings(),
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(
        (s.imported, s.skipped_duplicates, s.created_categories),
        (3, 2, 0),
        "skipping duplicates imports the other 3"
    );
    assert_eq!(
        count(h, &ann).await,
        4,
        "1 stored before plus the 3 imported"
    );
    // Now every row repeats a stored one; importing anyway keeps them all.
    let p = plan(h, &ann, text, &import_settings(), &[]).await;
    assert_eq!(
        p.duplicates, 5,
        "after that import every file row repeats a stored one"
    );
    let s = h
        .finance
        .import_commit(
            &ann,
            text.as_bytes(),
            &import_settings(),
            &[],
            false,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(
        (s.imported, s.skipped_duplicates),
        (5, 0),
        "without skipping, all 5 are imported again"
    );
    assert_eq!(count(h, &ann).await, 9, "4 before plus 5");
}

/// The duplicate check looks stored rows up by their duplicate key: the key
/// must follow every edit (amount, description, kind through the category),
/// vanish with a delete, and never match another user's rows.
pub async fn csv_duplicates_follow_edits_and_deletes(h: &Harness) {
    use finance_testkit::new_tx;
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let food = h.category(&ann, "Groceries").await;
    let pay = h.category(&ann, "Salary").await;
    let bob_food = h.category(&bob, "Groceries").await;
    let dup = |text: &'static str, user: AuthUser| async move {
        let text = format!("date,amount,description,category\n{text}\n");
        let p = plan(h, &user, &text, &import_settings(), &[]).await;
        p.rows[0].duplicate
    };
    let stored = h
        .finance
        .add_transaction(
            &ann,
            new_tx(food.id, "12.50", "2024-01-05", "Bakery"),
            now(),
        )
        .await
        .unwrap();
    h.finance
        .add_transaction(
            &bob,
            new_tx(bob_food.id, "12.50", "2024-01-05", "Bakery"),
            now(),
        )
        .await
        .unwrap();
    assert!(
        dup("2024-01-05,-12.50,bakery,", ann.clone()).await,
        "stored row not found"
    );

    // Edit amount and description: the old values no longer match, the new ones do,
    // and bob's identical row does not make ann's old values a duplicate.
    h.finance
        .update_transaction(
            &ann,
            stored.id,
            new_tx(food.id, "13", "2024-01-05", "Bread"),
            now(),
        )
        .await
        .unwrap();
    assert!(
        !dup("2024-01-05,-12.50,Bakery,", ann.clone()).await,
        "key not updated on edit, or bob's row matched"
    );
    assert!(
        dup("2024-01-05,-13.00, BREAD ,", ann.clone()).await,
        "edited row not found"
    );
    assert!(
        dup("2024-01-05,-12.50,Bakery,", bob.clone()).await,
        "bob's own row not found"
    );

    // Move it to an income category: the kind is part of the key.
    h.finance
        .update_transaction(
            &ann,
            stored.id,
            new_tx(pay.id, "13", "2024-01-05", "Bread"),
            now(),
        )
        .await
        .unwrap();
    assert!(
        !dup("2024-01-05,-13.00,Bread,", ann.clone()).await,
        "kind change not in the key"
    );
    assert!(
        dup("2024-01-05,13.00,Bread,", ann.clone()).await,
        "income row not found"
    );

    h.finance.delete_transaction(&ann, stored.id).await.unwrap();
    assert!(
        !dup("2024-01-05,13.00,Bread,", ann.clone()).await,
        "deleted row still matches"
    );
}

pub async fn csv_unknown_categories_must_be_mapped(h: &Harness) {
    let ann = h.user("ann").await;
    let other = h.category(&ann, "Other").await;
    let salary = h.category(&ann, "Salary").await;
    let food = h.category(&ann, "Groceries").await;
    // "Other" was deleted: rows without a category bring it back.
    h.finance
        .delete_category(&ann, other.id, None)
        .await
        .unwrap();
    let text = "date,amount,description,category\n\
                2024-01-05,-10,Food,Pets\n\
                2024-01-06,-11,Toy, pets \n\
                2024-01-07,100,Ticket,Lottery\n\
                2024-01-08,-5,Misc,\n\
                2024-01-09,-6,Veg,GROCERIES\n";
    let p = plan(h, &ann, text, &import_settings(), &[]).await;
    assert_eq!(
        p.unknown_categories,
        [
            ("Pets".to_string(), EXPENSE),
            ("Lottery".to_string(), INCOME)
        ],
        "each unknown name once (matched trimmed, ignoring case), with the kind of its rows"
    );
    let cats: Vec<&str> = p.rows.iter().map(|r| r.category.as_str()).collect();
    assert_eq!(
        cats,
        ["Pets", "Pets", "Lottery", "Other", "Groceries"],
        "rows keep the file's category names; a blank one falls back to Other; a known one takes the stored spelling"
    );
    assert_err(
        h.finance
            .import_commit(
                &ann,
                text.as_bytes(),
                &import_settings(),
                &[],
                true,
                now(),
                &no_progress,
            )
            .await,
        "validation",
        Some("categories"),
    );
    let pets = CategoryMapping {
        csv_name: "PETS".into(),
        kind: EXPENSE,
        target: CategoryTarget::Create {
            name: CategoryName::parse("name", "Animals").unwrap(),
            kind: EXPENSE,
        },
    };
    // Only one of the two mapped: still refused, nothing written.
    assert_err(
        h.finance
            .import_commit(
                &ann,
                text.as_bytes(),
                &import_settings(),
                std::slice::from_ref(&pets),
                true,
                now(),
                &no_progress,
            )
            .await,
        "validation",
        Some("categories"),
    );
    // A target of the wrong kind is refused.
    let wrong = CategoryMapping {
        csv_name: "Lottery".into(),
        kind: INCOME,
        target: CategoryTarget::Existing(food.id),
    };
    assert_err(
        h.finance
            .import_plan(
                &ann,
                text.as_bytes(),
                &import_settings(),
                &[pets.clone(), wrong],
            )
            .await,
        "validation",
        Some("categories"),
    );
    assert_eq!(
        count(h, &ann).await,
        0,
        "refused commits and plans write nothing"
    );
    let lottery = CategoryMapping {
        csv_name: "lottery".into(),
        kind: INCOME,
        target: CategoryTarget::Existing(salary.id),
    };
    let maps = [pets, lottery];
    let p = plan(h, &ann, text, &import_settings(), &maps).await;
    let cats: Vec<&str> = p.rows.iter().map(|r| r.category.as_str()).collect();
    assert_eq!(
        cats,
        ["Animals", "Animals", "Salary", "Other", "Groceries"],
        "mapped names resolve to their targets"
    );
    let s = h
        .finance
        .import_commit(
            &ann,
            text.as_bytes(),
            &import_settings(),
            &maps,
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(
        (s.imported, s.created_categories),
        (5, 2),
        "5 rows imported; Animals and the deleted Other created"
    );
    let animals = h.category(&ann, "Animals").await;
    let new_other = h.category(&ann, "Other").await;
    assert_eq!(
        (animals.kind, new_other.kind),
        (EXPENSE, EXPENSE),
        "both created categories are expense categories, from their rows"
    );
    assert_eq!(
        h.finance
            .category_usage(&ann, animals.id)
            .await
            .unwrap()
            .transactions,
        2,
        "both Pets rows went to the created Animals"
    );
    assert_eq!(
        h.finance
            .category_usage(&ann, salary.id)
            .await
            .unwrap()
            .transactions,
        1,
        "the Lottery row went to the existing Salary"
    );
    // Mapping does not rename: the CSV names still match no category, so a
    // second plan lists them again; the file's "Other" now exists.
    let p = plan(h, &ann, text, &import_settings(), &[]).await;
    assert_eq!(
        p.unknown_categories.len(),
        2,
        "Pets and Lottery still match no category"
    );
    assert_eq!(
        p.rows[3].category, "Other",
        "blank categories now resolve to the recreated Other"
    );
    assert_eq!(p.duplicates, 5, "every row was just imported");
}

pub async fn csv_import_is_atomic(h: &Harness) {
    use finance_core::Amount;
    use finance_core::domain::{Category, Transaction};
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let before = h.finance.categories(&ann).await.unwrap();
    let category = Category {
        id: Id::generate(),
        user_id: ann.id(),
        name: "Brand new".into(),
        kind: EXPENSE,
        created_at: now(),
    };
    let tx = |cat: Id, id: Id| Transaction {
        id,
        user_id: ann.id(),
        category_id: cat,
        kind: EXPENSE,
        amount: Amount::from_minor("amount", 100).unwrap(),
        date: finance_testkit::d("2024-01-01"),
        description: "Row".into(),
        note: None,
        created_at: now(),
        updated_at: now(),
    };
    // 2,500 good rows, then one whose id repeats the first: the write fails at the very end.
    let first = Id::generate();
    let mut rows: Vec<Transaction> = vec![tx(category.id, first)];
    rows.extend((0..2500).map(|_| tx(food.id, Id::generate())));
    rows.push(tx(food.id, first));
    let result = h
        .store
        .insert_transactions(
            ann.id(),
            std::slice::from_ref(&category),
            rows,
            &no_progress,
            None,
        )
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(
        count(h, &ann).await,
        0,
        "a bulk write failing at its last row leaves no row"
    );
    assert_eq!(
        h.finance.categories(&ann).await.unwrap(),
        before,
        "a failed bulk write leaves no new category"
    );
    // A missing category is refused before anything is written.
    let rows = vec![
        tx(food.id, Id::generate()),
        tx(Id::generate(), Id::generate()),
    ];
    let result = h
        .store
        .insert_transactions(
            ann.id(),
            std::slice::from_ref(&category),
            rows,
            &no_progress,
            None,
        )
        .await;
    assert!(
        matches!(result, Err(finance_core::Error::NotFound { .. })),
        "{result:?}"
    );
    assert_eq!(
        count(h, &ann).await,
        0,
        "a bulk write with a missing category leaves no row"
    );
    assert_eq!(
        h.finance.categories(&ann).await.unwrap(),
        before,
        "a bulk write with a missing category leaves no new category"
    );
    // The service refuses a file with one bad row at the end, after 1,500 good ones.
    let mut text = String::from("date,amount,description,category\n");
    for i in 0..1500 {
        text.push_str(&format!("2024-01-01,-1.{:02},Row {i},\n", i % 100));
    }
    text.push_str("2024-01-01,-1,,\n");
    let e = h
        .finance
        .import_commit(
            &ann,
            text.as_bytes(),
            &import_settings(),
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.field(),
        Some("file"),
        "one bad row refuses the whole file"
    );
    assert!(e.to_string().contains("1 row"), "{e}");
    assert_eq!(count(h, &ann).await, 0, "the refused file wrote nothing");
}
