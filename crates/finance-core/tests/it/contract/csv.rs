//! CSV: export/import round trip, malformed files and all-or-nothing
//! commits. Duplicate rows and category mapping are in `csv_matching`, which
//! shares the helpers here.
//!
//! Invariants checked: an export re-imports to the same rows and the same
//! bytes; a file with any bad row, or a failing bulk write, saves nothing;
//! planning never writes.

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
pub(super) async fn count(h: &Harness, user: &AuthUser) -> u64 {
    h.finance.summary(user, all_time()).await.unwrap().count
}

/// The import plan of `text` for `user` (the plan must succeed).
pub(super) async fn plan(
    h: &Harness,
    user: &AuthUser,
    text: &str,
    s: &ImportSettings,
    m: &[CategoryMapping],
) -> ImportPlan {
    h.finance
        .import_plan(user, None, text.as_bytes(), s, m)
        .await
        .unwrap()
}

/// Add a transaction with an optional note (amount a decimal string).
pub(super) async fn add(
    h: &Harness,
    user: &AuthUser,
    cat: Id,
    amount: &str,
    date: &str,
    desc: &str,
    note: Option<&str>,
) {
    let draft = TransactionDraft {
        account_id: None,
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
    assert!(text.contains("2024-01-31,Main account,\"Market, \"\"the big one\"\"\",Groceries,expense,12.30,\"line 1\nline 2, with comma\",\r\n"), "{text}");
    assert!(
        text.contains("2024-02-29,Main account,Vet,Pets,expense,1234.56,,\r\n"),
        "{text}"
    );
    assert!(
        text.ends_with("2024-12-31,Main account,'=SUM(A1),Bonus,income,99.99,,\r\n"),
        "a formula is written as text (OWASP): {text}"
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
        Some(4),
        "the sniffer finds the export's type column"
    );
    let bob = h.user("bob").await;
    let p = h
        .finance
        .import_plan(&bob, None, &bytes, &s, &[])
        .await
        .unwrap();
    assert_eq!(
        (p.total, p.ready, p.error_count, p.duplicates),
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
            .import_commit(&bob, None, &bytes, &s, &[], true, now(), &no_progress)
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
        .import_commit(&bob, None, &bytes, &s, &maps, true, now(), &no_progress)
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
            None,
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
    // BOM, CRLF, quoted comma and newlines (one space in a description), then broken rows.
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
        p.errors[2].reason.contains("decimal separator"),
        "{:?}",
        p.errors[2]
    );
    assert_eq!(
        p.total, 10,
        "10 records after the header (quoted line breaks are inside records)"
    );
    let ok: Vec<(u64, &str)> = p
        .sample
        .iter()
        .map(|r| (r.line, r.description.as_str()))
        .collect();
    assert_eq!(
        ok,
        [
            (2, "Shop, the \"best\""),
            (3, "two lines"),
            (13, "Quoted, comma")
        ],
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
                None,
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
        b"date,amount,description,category\r\n",
    ] {
        let e = h
            .finance
            .import_plan(&ann, None, bad, &import_settings(), &[])
            .await
            .unwrap_err();
        assert_eq!(e.field(), Some("file"), "{bad:?}: {e}");
        let e = h
            .finance
            .import_commit(
                &ann,
                None,
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
        .import_plan(&ann, None, b"a,b\n", &import_settings(), &[])
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
        .sample
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
    let main = h.main_account(&ann).await.id;
    let tx = |cat: Id, id: Id| Transaction {
        id,
        user_id: ann.id(),
        account_id: main,
        category_id: Some(cat),
        kind: EXPENSE.into(),
        amount: Amount::from_minor("amount", 100).unwrap().into(),
        status: finance_core::domain::TxStatus::Uncleared,
        transfer_id: None,
        bank_id: None,
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
            &rows,
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
            &rows,
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
            None,
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

/// Cells a spreadsheet would evaluate are written with a leading `'` (OWASP's
/// CSV-injection advice); amounts stay plain numbers; the app's own import
/// takes back exactly the `'` it added, so export → import → export is exact.
pub async fn csv_export_neutralises_formulas(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let pay = h.category(&ann, "Salary").await;
    let odd = h
        .finance
        .add_category(
            &ann,
            CategoryName::parse("name", "=Odd").unwrap(),
            EXPENSE,
            now(),
        )
        .await
        .unwrap();
    let rows: [(Id, &str, &str, Option<&str>); 9] = [
        (
            food.id,
            "12.34",
            "=HYPERLINK(\"http://evil.example/\",\"Refund\")",
            None,
        ),
        (food.id, "1.00", "+49 30 1234", Some("@SUM(A1:A9)")),
        (food.id, "2.00", "-12.34", Some("-minus\nsecond line")),
        (food.id, "3.00", "@mention", None),
        (food.id, "4.00", "'=already quoted", Some("'+x")),
        (food.id, "5.00", "''-twice", None),
        (food.id, "6.00", "'plain apostrophe", Some("'")),
        (pay.id, "2500.00", "Pay = good", Some("a=b")),
        (odd.id, "7.00", "Odd category", None),
    ];
    for (i, (cat, amount, desc, note)) in rows.iter().enumerate() {
        add(
            h,
            &ann,
            *cat,
            amount,
            &format!("2024-03-{:02}", i + 1),
            desc,
            *note,
        )
        .await;
    }
    let (n, bytes) = export(h, &ann, TransactionFilter::default()).await;
    assert_eq!(n, 9);
    let text = String::from_utf8(bytes.clone()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[1],
        "2024-03-01,Main account,\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"Refund\"\")\",Groceries,expense,12.34,,",
        "a formula description gets a leading ' (and the amount of an expense stays a plain positive number)"
    );
    assert_eq!(
        lines[2],
        "2024-03-02,Main account,'+49 30 1234,Groceries,expense,1.00,'@SUM(A1:A9),"
    );
    assert_eq!(
        lines[3],
        "2024-03-03,Main account,'-12.34,Groceries,expense,2.00,\"'-minus\nsecond line\",",
        "a description that looks like a negative number is text: neutralised; a note keeps its line break, quoted"
    );
    assert_eq!(
        lines[4],
        "2024-03-04,Main account,'@mention,Groceries,expense,3.00,,"
    );
    assert_eq!(
        lines[5], "2024-03-05,Main account,''=already quoted,Groceries,expense,4.00,''+x,",
        "a cell that already starts with ' before a dangerous character gets one more"
    );
    assert_eq!(
        lines[6],
        "2024-03-06,Main account,'''-twice,Groceries,expense,5.00,,"
    );
    assert_eq!(
        lines[7], "2024-03-07,Main account,'plain apostrophe,Groceries,expense,6.00,',",
        "an apostrophe before a harmless character is left alone"
    );
    assert_eq!(
        lines[8], "2024-03-08,Main account,Pay = good,Salary,income,2500.00,a=b,",
        "'=' inside a cell is harmless and left alone"
    );
    assert_eq!(
        lines[9], "2024-03-09,Main account,Odd category,'=Odd,expense,7.00,,",
        "category names are text cells too"
    );
    for line in &lines[1..lines.len() - 1] {
        let amount = line.split(',').rev().nth(2).unwrap_or("");
        assert!(
            amount.bytes().all(|b| b.is_ascii_digit() || b == b'.') || line.contains('\n'),
            "amounts are written as plain unsigned numbers: {line:?}"
        );
    }

    // The app's own import takes back exactly what the export added.
    let bob = h.user("bob").await;
    h.finance
        .add_category(
            &bob,
            CategoryName::parse("name", "=Odd").unwrap(),
            EXPENSE,
            now(),
        )
        .await
        .unwrap();
    let s = sniff_csv(&bytes).unwrap().guess;
    let p = h
        .finance
        .import_plan(&bob, None, &bytes, &s, &[])
        .await
        .unwrap();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let descs: Vec<(&str, Option<&str>, &str)> = p
        .sample
        .iter()
        .map(|r| {
            (
                r.description.as_str(),
                r.note.as_deref(),
                r.category.as_str(),
            )
        })
        .collect();
    let want: Vec<(&str, Option<&str>, &str)> = rows
        .iter()
        .zip([
            "Groceries",
            "Groceries",
            "Groceries",
            "Groceries",
            "Groceries",
            "Groceries",
            "Groceries",
            "Salary",
            "=Odd",
        ])
        .map(|((_, _, d, n), c)| (*d, *n, c))
        .collect();
    assert_eq!(descs, want, "the import restores every text cell exactly");
    h.finance
        .import_commit(&bob, None, &bytes, &s, &[], true, now(), &no_progress)
        .await
        .unwrap();
    let (_, again) = export(h, &bob, TransactionFilter::default()).await;
    assert_eq!(
        String::from_utf8(again).unwrap(),
        text,
        "export, import, export again gives the same bytes"
    );

    // Another program's file keeps its apostrophes: only our own format is unescaped.
    let foreign = "date,amount,description,category\n2024-03-01,-1,'=not ours,\n";
    let p = plan(h, &bob, foreign, &import_settings(), &[]).await;
    assert_eq!(
        p.sample[0].description, "'=not ours",
        "a file without the export header is read as written"
    );
}
