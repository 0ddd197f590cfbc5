//! CSV files as people meet them: hand-written bank exports of several shapes
//! (`tests/fixtures/banks/`), and hostile files whose plans must stay small.
//!
//! Invariants checked: each bank file is sniffed to the right settings, every
//! row is planned exactly (amounts in minor units, dates, a quoted line break
//! in a description as one space, a note's line breaks kept) and stored as
//! planned; a plan keeps at most a bounded number of errors, unknown
//! categories and sample rows, and counts the rest.

use finance_core::AuthUser;
use finance_core::csv_io::{
    AmountColumns, DateFormat, DecimalSeparator, Encoding, MAX_LINE_ERRORS, MAX_UNKNOWN_CATEGORIES,
    SAMPLE_ROWS, sniff_csv,
};
use finance_core::domain::{CategoryKind, TransactionFilter, TransactionQuery, TransactionSort};
use finance_testkit::{EXPENSE, Harness, INCOME, no_progress, now};

use super::csv::count;

/// A fixture from `tests/fixtures/banks/`.
fn bank_file(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/banks/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// One expected row: line, date, minor units, kind, description, note, category.
type Expected = (
    u64,
    &'static str,
    i64,
    CategoryKind,
    &'static str,
    Option<&'static str>,
    &'static str,
);

/// The shape the sniffer must find: delimiter, date column and format, amount
/// columns, description, note, decimal separator.
struct Shape {
    encoding: Encoding,
    delimiter: u8,
    date: usize,
    date_format: DateFormat,
    amount: AmountColumns,
    description: usize,
    note: Option<usize>,
    decimal: DecimalSeparator,
}

async fn stored(h: &Harness, user: &AuthUser) -> Vec<(String, i64, String, Option<String>)> {
    let page = h
        .finance
        .transactions(
            user,
            &TransactionQuery {
                filter: TransactionFilter::default(),
                sort: TransactionSort::DateAsc,
                limit: 100,
                after: None,
            },
        )
        .await
        .unwrap();
    page.items
        .into_iter()
        .map(|t| (t.date.to_string(), t.amount.minor(), t.description, t.note))
        .collect()
}

/// Sniff `name`, check the guess against `shape`, plan it with the guess and
/// compare every row with `want`, then commit and read the rows back.
async fn import_bank_file(h: &Harness, user: &str, name: &str, shape: Shape, want: &[Expected]) {
    let who = h.user(user).await;
    let bytes = bank_file(name);
    let preview = sniff_csv(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let s = preview.guess;
    assert_eq!(
        preview.encoding, shape.encoding,
        "{name}: read in the bank's encoding"
    );
    assert_eq!(
        (
            s.delimiter,
            s.has_header,
            s.date,
            s.date_format,
            s.amount,
            s.description,
            s.category,
            s.note,
            s.decimal
        ),
        (
            shape.delimiter,
            true,
            shape.date,
            shape.date_format,
            shape.amount,
            shape.description,
            None,
            shape.note,
            shape.decimal
        ),
        "{name}: the sniffer reads the bank's layout"
    );
    let p = h
        .finance
        .import_plan(&who, None, &bytes, &s, &[])
        .await
        .unwrap();
    assert!(
        p.errors.is_empty(),
        "{name}: every row of a real bank export is accepted: {:#?}",
        p.errors
    );
    let got: Vec<Expected> = p
        .sample
        .iter()
        .map(|r| {
            (
                r.line,
                // Leaked only in this test: the tuple holds &'static str.
                &*String::leak(r.date.to_string()),
                r.amount.minor(),
                r.kind,
                &*String::leak(r.description.clone()),
                r.note.clone().map(|n| &*String::leak(n)),
                &*String::leak(r.category.clone()),
            )
        })
        .collect();
    assert_eq!(got, want, "{name}: the planned rows, exactly");
    assert_eq!(p.total, want.len() as u64, "{name}: one record per row");

    let summary = h
        .finance
        .import_commit(&who, None, &bytes, &s, &[], true, now(), &no_progress)
        .await
        .unwrap();
    assert_eq!(
        summary.imported,
        want.len() as u64,
        "{name}: every row is imported"
    );
    let mut expected: Vec<(String, i64, String, Option<String>)> = want
        .iter()
        .map(|w| {
            (
                w.1.to_string(),
                w.2,
                w.4.to_string(),
                w.5.map(str::to_string),
            )
        })
        .collect();
    expected.sort();
    let mut rows = stored(h, &who).await;
    rows.sort();
    assert_eq!(
        rows, expected,
        "{name}: what is stored is exactly what the preview showed"
    );
}

pub async fn csv_bank_exports_import_as_previewed(h: &Harness) {
    // DKB-like: UTF-8 with a BOM, `;`, CRLF, everything quoted, decimal comma,
    // DD.MM.YYYY, no category column, line breaks inside Verwendungszweck.
    import_bank_file(
        h,
        "dkb",
        "de-dkb-utf8-bom.csv",
        Shape {
            encoding: Encoding::Utf8,
            delimiter: b';',
            date: 0,
            date_format: DateFormat::DayMonthYearDot,
            amount: AmountColumns::Single(8),
            description: 5,
            note: None,
            decimal: DecimalSeparator::Comma,
        },
        &[
            (
                2,
                "2025-01-02",
                5420,
                EXPENSE,
                "REWE SAGT DANKE 43110527//Berlin/DE 2025-01-01T18:22:31 KFN 1 VJ 1234",
                None,
                "Other",
            ),
            (
                4,
                "2025-01-03",
                125_000,
                EXPENSE,
                "Miete Januar Wohnung 3.OG links",
                None,
                "Other",
            ),
            (
                6,
                "2025-01-15",
                283_417,
                INCOME,
                "Gehalt Januar 2025",
                None,
                "Other income",
            ),
            (
                7,
                "2025-01-20",
                8900,
                EXPENSE,
                "Stadtwerke Musterstadt Abschlag Strom 01/2025",
                None,
                "Other",
            ),
            (
                10,
                "2025-01-31",
                495,
                EXPENSE,
                "Kontoführungsentgelt für Januar",
                None,
                "Other",
            ),
        ],
    )
    .await;

    // Sparkasse-like (CSV-CAMT): Windows-1252 without a BOM, `;`, CRLF records
    // with bare LF line breaks inside Verwendungszweck, "€" and umlauts.
    import_bank_file(
        h,
        "sparkasse",
        "de-sparkasse-cp1252.csv",
        Shape {
            encoding: Encoding::Windows1252,
            delimiter: b';',
            date: 1,
            date_format: DateFormat::DayMonthYearDot,
            amount: AmountColumns::Single(8),
            description: 4,
            note: None,
            decimal: DecimalSeparator::Comma,
        },
        &[
            (
                2,
                "2024-12-30",
                2990,
                EXPENSE,
                "Beitrag Fitnessstudio Mitgliedsnr. 4711 Dezember",
                None,
                "Other",
            ),
            (
                4,
                "2025-01-02",
                104_530,
                INCOME,
                "Rückzahlung Nebenkosten 2023: 1.045,30 €",
                None,
                "Other income",
            ),
            (
                5,
                "2025-01-03",
                785,
                EXPENSE,
                "Bäckerei Schäfer Filiale Hauptstraße",
                None,
                "Other",
            ),
        ],
    )
    .await;

    // US-like: `,`, LF, MM/DD/YYYY, debit and credit columns, thousands commas,
    // a Notes column (its line breaks kept, CRLF included), a formula payee.
    import_bank_file(
        h,
        "usbank",
        "us-debit-credit.csv",
        Shape {
            encoding: Encoding::Utf8,
            delimiter: b',',
            date: 0,
            date_format: DateFormat::MonthDayYearSlash,
            amount: AmountColumns::DebitCredit {
                debit: 2,
                credit: 3,
            },
            description: 1,
            note: Some(5),
            decimal: DecimalSeparator::Dot,
        },
        &[
            (
                2,
                "2025-01-02",
                2399,
                EXPENSE,
                "AMAZON MKTPLACE PMTS AMZN.COM/BILL WA",
                None,
                "Other",
            ),
            (
                4,
                "2025-01-03",
                320_000,
                INCOME,
                "PAYROLL ACME CORP",
                Some("January salary\nnet of 401(k)"),
                "Other income",
            ),
            (
                6,
                "2025-01-15",
                1000,
                EXPENSE,
                "=HYPERLINK(\"http://evil.example/\",\"Refund\")",
                None,
                "Other",
            ),
            (
                7,
                "2025-01-28",
                4510,
                EXPENSE,
                "SHELL OIL 57442",
                Some("Road trip: \"day 1\"\r\nsplit with Sam"),
                "Other",
            ),
        ],
    )
    .await;

    // French-like: `;`, CRLF, DD/MM/YYYY, one signed Montant column with a
    // narrow no-break space (or a no-break space) between thousands.
    import_bank_file(
        h,
        "banque",
        "fr-montant.csv",
        Shape {
            encoding: Encoding::Utf8,
            delimiter: b';',
            date: 0,
            date_format: DateFormat::DayMonthYearSlash,
            amount: AmountColumns::Single(3),
            description: 2,
            note: None,
            decimal: DecimalSeparator::Comma,
        },
        &[
            (
                2,
                "2025-01-05",
                123_456,
                EXPENSE,
                "PRLV SEPA EDF Échéance janvier",
                None,
                "Other",
            ),
            (
                4,
                "2025-01-10",
                275_000,
                INCOME,
                "VIR SEPA SALAIRE JANVIER",
                None,
                "Other income",
            ),
            (
                5,
                "2025-01-13",
                8740,
                EXPENSE,
                "CB CARREFOUR 12/01",
                None,
                "Other",
            ),
            (
                6,
                "2025-01-31",
                120_000,
                INCOME,
                "REMISE CHEQUE N° 1234567",
                None,
                "Other income",
            ),
        ],
    )
    .await;
}

/// A file of 5,000 broken lines and 1,000 rows naming new categories: the
/// plan keeps the first errors, categories and rows, and counts the rest.
pub async fn csv_plans_of_hostile_files_stay_small(h: &Harness) {
    let ann = h.user("ann").await;
    let mut text = String::from("date,amount,description,category\n");
    for i in 0..1000 {
        text.push_str(&format!("2024-01-01,-1.{:02},Row {i},Cat {i}\n", i % 100));
    }
    for _ in 0..5000 {
        text.push_str("x\n");
    }
    let s = finance_testkit::import_settings();
    let p = h
        .finance
        .import_plan(&ann, None, text.as_bytes(), &s, &[])
        .await
        .unwrap();
    assert_eq!(
        (p.total, p.ready, p.error_count),
        (6000, 1000, 5000),
        "every record is counted"
    );
    assert_eq!(
        p.errors.len(),
        MAX_LINE_ERRORS,
        "only the first {MAX_LINE_ERRORS} line errors are kept"
    );
    assert_eq!(
        (p.errors[0].line, p.errors[0].field.as_deref()),
        (1002, None),
        "the first error is the first broken line"
    );
    assert_eq!(
        p.unknown_categories.len(),
        MAX_UNKNOWN_CATEGORIES,
        "only the first {MAX_UNKNOWN_CATEGORIES} unknown categories are listed"
    );
    assert_eq!(
        p.unknown_categories[0],
        ("Cat 0".to_string(), EXPENSE),
        "in order of appearance"
    );
    assert_eq!(p.unknown_category_count, 1000, "all of them are counted");
    assert_eq!(
        p.sample.len(),
        SAMPLE_ROWS,
        "only a sample of the rows is kept"
    );
    let e = h
        .finance
        .import_commit(
            &ann,
            None,
            text.as_bytes(),
            &s,
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("file"));
    assert!(
        e.to_string().contains("5,000 rows cannot be imported"),
        "the refusal counts every bad row: {e}"
    );
    assert_eq!(count(h, &ann).await, 0, "nothing is written");

    // The rows alone: refused for the unmapped categories, named briefly.
    let rows: String = text.lines().take(1001).map(|l| format!("{l}\n")).collect();
    let e = h
        .finance
        .import_commit(
            &ann,
            None,
            rows.as_bytes(),
            &s,
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("categories"));
    assert!(
        e.to_string().contains("and 990 more categories") && e.to_string().len() < 400,
        "the refusal names ten categories and counts the rest: {e}"
    );
    assert_eq!(count(h, &ann).await, 0, "nothing is written");
}
