//! CSV imports that finish: a file with some bad rows imports its good rows
//! when the person chooses to skip the others — still in one transaction,
//! once per idempotency key, with the count of the rows left out.

use finance_core::csv_io::{CategoryMapping, CategoryTarget, CommitChoices};
use finance_core::domain::{CategoryName, IdempotencyKey};

use finance_testkit::{EXPENSE, Harness, assert_err, import_settings, no_progress, now};

use super::csv::count;

/// Three good rows (one in an unknown category, mapped to a new one) among seven bad ones.
const MIXED: &str = "date,amount,description,category\r\n\
                     2024-01-05,-12.50,Shop,Groceries\r\n\
                     2024-02-30,-1.00,Bad date,\r\n\
                     2024-01-06,-3.00,Bakery,\r\n\
                     2024-01-08,\"1.234,56\",Wrong separator,\r\n\
                     2024-01-09,-1.00,Ragged\r\n\
                     2024-01-10,-1.00,Too,many,fields\r\n\
                     2024-01-11,0.00,Zero,\r\n\
                     2024-01-12,-1.001,Too precise,\r\n\
                     2024-01-13,-2.00,Vet,Pets\r\n\
                     not a date,-1.00,Garbage,\r\n";

pub async fn csv_import_can_skip_rows_with_errors(h: &Harness) {
    let ann = h.user("ann").await;
    let maps = [CategoryMapping {
        csv_name: "Pets".into(),
        kind: EXPENSE,
        target: CategoryTarget::Create {
            name: CategoryName::parse("name", "Pets").unwrap(),
            kind: EXPENSE,
        },
    }];
    let plan = h
        .finance
        .import_plan(&ann, None, MIXED.as_bytes(), &import_settings(), &maps)
        .await
        .unwrap();
    assert_eq!(
        (plan.ready, plan.error_count),
        (3, 7),
        "the plan counts what a skip would import and leave out: {:?}",
        plan.errors
    );

    assert_err(
        h.finance
            .import_commit(
                &ann,
                None,
                MIXED.as_bytes(),
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
        "without the choice nothing is imported"
    );

    let choices = CommitChoices {
        skip_duplicates: true,
        skip_errors: true,
    };
    let key =
        IdempotencyKey::parse("idempotencyKey", "6f9c2a34-5b1e-4c8d-9a7f-0e1d2c3b4a59").unwrap();
    let summary = h
        .finance
        .import_commit_with_key(
            &ann,
            None,
            MIXED.as_bytes(),
            &import_settings(),
            &maps,
            choices,
            Some(&key),
            now(),
            &no_progress,
        )
        .await
        .expect("the good rows import");
    assert_eq!(
        (
            summary.imported,
            summary.skipped_errors,
            summary.created_categories
        ),
        (3, 7, 1),
        "three rows in, seven left out, the mapped category made: {summary:?}"
    );
    assert_eq!(count(h, &ann).await, 3, "exactly the good rows are stored");
    let food = h
        .finance
        .summary(&ann, finance_testkit::all_time())
        .await
        .unwrap();
    assert_eq!(
        food.expense, 1750,
        "12.50 + 3.00 + 2.00: the bad rows' amounts are in no total"
    );

    let again = h
        .finance
        .import_commit_with_key(
            &ann,
            None,
            MIXED.as_bytes(),
            &import_settings(),
            &maps,
            choices,
            Some(&key),
            now(),
            &no_progress,
        )
        .await
        .expect("a replay answers the first result");
    assert_eq!(
        again, summary,
        "the replay's summary, skipped rows included"
    );
    assert_eq!(count(h, &ann).await, 3, "a replay writes nothing");

    // The same key for the refusing choice is another request.
    assert_err(
        h.finance
            .import_commit_with_key(
                &ann,
                None,
                MIXED.as_bytes(),
                &import_settings(),
                &maps,
                true,
                Some(&key),
                now(),
                &no_progress,
            )
            .await,
        "conflict",
        Some("idempotencyKey"),
    );
}

pub async fn csv_lines_left_out_can_be_saved_to_fix(h: &Harness) {
    let ann = h.user("ann").await;
    let mut out = Vec::new();
    let n = h
        .finance
        .import_rejects(
            &ann,
            None,
            MIXED.as_bytes(),
            &import_settings(),
            &[],
            &mut out,
        )
        .await
        .expect("the left-out lines are written");
    let text = String::from_utf8(out).expect("UTF-8 out");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(n, 7, "every refused record, none of the good ones:\n{text}");
    assert_eq!(
        lines[0], "line,problem,date,amount,description,category",
        "the file's own header after the line and the problem"
    );
    let numbers: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap_or_default())
        .collect();
    assert_eq!(
        numbers,
        ["3", "5", "6", "7", "8", "9", "11"],
        "each record at its physical line, in file order"
    );
    assert!(
        lines[2].starts_with("5,") && lines[2].ends_with(",\"1.234,56\",Wrong separator,"),
        "the row's cells as read, a number kept as written so the fixed file imports: {}",
        lines[2]
    );
    assert!(
        lines[3].contains("expected 4") && lines[3].ends_with("2024-01-09,-1.00,Ragged"),
        "a ragged row keeps its cells and says why: {}",
        lines[3]
    );
    assert_eq!(
        super::csv::count(h, &ann).await,
        0,
        "saving the left-out lines writes nothing to the store"
    );

    // Another user's account is not a target here either.
    let bob = h.user("bob").await;
    let bobs = h.finance.accounts(&bob).await.unwrap()[0].id;
    assert_err(
        h.finance
            .import_rejects(
                &ann,
                Some(bobs),
                MIXED.as_bytes(),
                &import_settings(),
                &[],
                Vec::new(),
            )
            .await,
        "not_found",
        None,
    );
}
