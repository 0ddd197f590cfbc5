//! Unit tests of `rows.rs`: each record's checks, the file-level limits, and
//! the own export's account, refund and transfer cells.
use super::*;
use crate::csv_io::import::plan_file;
use crate::csv_io::read::decode;
use crate::csv_io::testing::{categories, import_accounts, settings};
use crate::csv_io::{DateFormat, DecimalSeparator, ImportPlan};

fn plan(text: &str, s: &ImportSettings) -> ImportPlan {
    let r = Resolver::new(categories(), &[]).unwrap();
    plan_file(
        decode(text.as_bytes()).unwrap(),
        s,
        Currency::EUR,
        r,
        import_accounts(),
    )
    .unwrap()
}

/// Every row of `text`, and what the pass leaves.
fn read_all(text: &str, s: &ImportSettings) -> Result<(Vec<Transaction>, Parsed)> {
    let r = Resolver::new(categories(), &[]).unwrap();
    let mut parser = Parser::new(
        decode(text.as_bytes())?,
        s,
        Currency::EUR,
        r,
        import_accounts(),
    );
    let (mut rows, mut marks) = (Vec::new(), Vec::new());
    parser.read_all(&mut rows, &mut marks)?;
    Ok((rows, parser.finish()))
}

#[test]
fn row_errors_name_the_line_and_field() {
    let text = "date,amount,description,category\n\
                2024-13-01,-1,Bad date,\n\
                2024-01-01,\"1.234,56\",Wrong separator,\n\
                2024-01-01,-1,Ragged\n\
                2024-01-01,0,Zero,\n\
                2024-01-01,-1,\"  \",\n\
                2024-01-01,-1,\"multi\nline\",\n\
                2024-01-02,-1,Fine,\n";
    let p = plan(text, &settings());
    let got: Vec<(u64, Option<&str>)> = p
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (2, Some("date")),
            (3, Some("amount")),
            (4, None),
            (5, Some("amount")),
            (6, Some("description")),
        ]
    );
    assert!(
        p.errors[1].reason.contains("decimal separator"),
        "{:?}",
        p.errors[1]
    );
    assert_eq!((p.total, p.ready, p.error_count), (7, 2, 5));
    assert_eq!(
        (p.sample[0].line, p.sample[0].description.as_str()),
        (7, "multi line"),
        "a quoted line break in a description is one space"
    );
    assert_eq!(p.sample[1].line, 9);
}

#[test]
fn columns_must_exist() {
    let s = ImportSettings {
        note: Some(9),
        ..settings()
    };
    let e = read_all("a,b,c,d\n", &s).err().unwrap();
    assert_eq!(e.field(), Some("columns"));
    let e = read_all("a,b,c,d\n", &settings()).err().unwrap();
    assert_eq!(e.field(), Some("file"));
    let wide = format!("{}\n", "x,".repeat(MAX_FIELDS));
    let e = read_all(&wide, &settings()).err().unwrap();
    assert_eq!(e.field(), Some("file"));
    assert!(e.to_string().contains("more than 200 columns"), "{e}");
}

/// A generated 50 MB file (just under the row limit) parses in one pass
/// without holding more than its rows.
#[test]
fn parses_a_fifty_megabyte_file() {
    use std::fmt::Write;
    let mut text = String::with_capacity(51 << 20);
    text.push_str("date;amount;description;category;note\r\n");
    let mut n = 0u64;
    while text.len() < 50 << 20 {
        n += 1;
        let _ = write!(
            text,
            "{:02}.{:02}.2023;-{},{:02};\"Shop {}; branch\";Groceries;note number {} {:->170}\r\n",
            n % 28 + 1,
            n % 12 + 1,
            n % 900 + 1,
            n % 100,
            n % 5000,
            n,
            "end of note"
        );
    }
    let s = ImportSettings {
        delimiter: b';',
        note: Some(4),
        date_format: DateFormat::DayMonthYearDot,
        decimal: DecimalSeparator::Comma,
        ..settings()
    };
    assert!(n > 200_000 && n <= MAX_IMPORT_ROWS, "{n} rows");
    let (rows, p) = read_all(&text, &s).unwrap();
    assert_eq!(p.total, n);
    assert_eq!(rows.len() as u64, n);
    assert!(p.errors.is_empty());
    assert_eq!(p.resolution.labels.len(), 1);
}

#[test]
fn line_breaks_in_a_description_become_one_space() {
    for (raw, want) in [
        ("plain", "plain"),
        ("a\nb", "a b"),
        ("a\r\nb", "a b"),
        ("a\rb", "a b"),
        ("Stadtwerke  \r\n\r\n  Abschlag", "Stadtwerke Abschlag"),
        ("\nlead and trail\n", "lead and trail"),
        ("keeps  inner   blanks\nx", "keeps  inner   blanks x"),
    ] {
        assert_eq!(one_line(raw), want, "{raw:?}");
    }
    let text = "date,amount,description,category,note\n\
                2024-01-01,-1,\"two\r\nlines\",,\"note\r\nkeeps\nits breaks\"\n";
    let s = ImportSettings {
        note: Some(4),
        ..settings()
    };
    let p = plan(text, &s);
    assert_eq!(p.sample[0].description, "two lines");
    assert_eq!(
        p.sample[0].note.as_deref(),
        Some("note\r\nkeeps\nits breaks")
    );
}

#[test]
fn only_the_apps_own_export_loses_the_formula_quote() {
    let export = "date,description,category,type,amount,note\r\n\
                  2024-01-01,'=x,'@Cat,expense,1.00,''+n\r\n\
                  2024-01-02,'plain,Groceries,expense,1.00,'\r\n";
    let s = ImportSettings {
        amount: AmountColumns::Single(4),
        description: 1,
        category: Some(2),
        kind: Some(3),
        note: Some(5),
        ..settings()
    };
    let p = plan(export, &s);
    let got: Vec<(&str, &str, Option<&str>)> = p
        .sample
        .iter()
        .map(|r| {
            (
                r.description.as_str(),
                r.category.as_str(),
                r.note.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("=x", "@Cat", Some("'+n")),
            ("'plain", "Groceries", Some("'"))
        ]
    );
    // The same cells under another header are read as written.
    let other = export.replacen("note", "memo", 1);
    let p = plan(&other, &s);
    assert_eq!(p.sample[0].description, "'=x");
    assert_eq!(p.sample[0].category, "'@Cat");
}

#[test]
fn money_in_naming_an_expense_category_is_a_refund() {
    let text = "date,amount,description,category\n\
                2024-01-01,4.20,Eggs back,groceries\n\
                2024-01-02,100,Pay,Salary\n\
                2024-01-03,5,Found,\n\
                2024-01-04,6,Gift,Presents\n\
                2024-01-05,-7,Eggs,Groceries\n";
    let p = plan(text, &settings());
    let got: Vec<(i64, CategoryKind, bool, &str)> = p
        .sample
        .iter()
        .map(|r| (r.amount.minor(), r.kind, r.refund, r.category.as_str()))
        .collect();
    use CategoryKind::{Expense, Income};
    assert_eq!(
        got,
        [
            (-420, Expense, true, "Groceries"),
            (10_000, Income, false, "Salary"),
            (500, Income, false, "Other income"),
            (600, Income, false, "Presents"),
            (700, Expense, false, "Groceries"),
        ],
        "only money in whose category is an expense one is a refund"
    );
    // A type column decides the kind itself (another program's sign is dropped) …
    let typed = "date,amount,description,category,type\n2024-01-01,-4.20,Eggs,Groceries,expense\n";
    let s = ImportSettings {
        kind: Some(4),
        ..settings()
    };
    assert_eq!(plan(typed, &s).sample[0].amount.minor(), 420);
    // … but in the app's own export a negative expense is a refund.
    let own = "date,account,description,category,type,amount,note,transfer\n\
               2024-01-01,Visa card,Eggs back,Groceries,expense,-4.20,,\n";
    let p = plan(own, &own_settings());
    let r = &p.sample[0];
    assert_eq!(
        (r.amount.minor(), r.kind, r.refund, r.account.as_str()),
        (-420, Expense, true, "Visa card")
    );
}

/// The settings of the app's own export.
fn own_settings() -> ImportSettings {
    ImportSettings {
        account: Some(1),
        description: 2,
        category: Some(3),
        kind: Some(4),
        amount: AmountColumns::Single(5),
        note: Some(6),
        transfer: Some(7),
        ..settings()
    }
}

#[test]
fn account_cells_name_the_users_accounts_and_legs_need_a_reference() {
    let own = "date,account,description,category,type,amount,note,transfer\n\
               2024-01-01,,Bread,Groceries,expense,1.00,,\n\
               2024-01-02,MAIN ACCOUNT,Milk,Groceries,expense,2.00,,\n\
               2024-01-03,Brokerage,Shares,Groceries,expense,3.00,,\n\
               2024-01-04,Main account,Card bill,,transfer_out,4.00,,0123\n\
               2024-01-04,Visa card,Card bill,,transfer_in,4.00,,0123\n";
    let p = plan(own, &own_settings());
    let accounts: Vec<&str> = p.sample.iter().map(|r| r.account.as_str()).collect();
    assert_eq!(
        accounts,
        ["Main account", "Main account"],
        "a blank cell is the chosen (here: default) account"
    );
    let errors: Vec<(u64, Option<&str>)> = p
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_deref()))
        .collect();
    assert_eq!(
        errors,
        [
            (4, Some("account")),
            (5, Some("transfer")),
            (6, Some("transfer"))
        ]
    );
    assert!(
        p.errors[0].reason.contains("'Brokerage'"),
        "{:?}",
        p.errors[0]
    );
    assert!(
        p.errors[1].reason.contains("reference"),
        "a leg without a valid reference cannot be paired: {:?}",
        p.errors[1]
    );
    // In another program's file a transfer type is just an unknown type.
    let foreign = own.replacen("transfer\n", "xfer\n", 1);
    let p = plan(&foreign, &own_settings());
    assert!(
        p.errors[1].reason.contains("is not income or expense"),
        "{:?}",
        p.errors[1]
    );
}

#[test]
fn more_accepted_rows_than_the_limit_is_a_file_error() {
    let mut text = String::with_capacity(13 << 20);
    for _ in 0..=MAX_IMPORT_ROWS {
        text.push_str("1.1.2024,1,a\n");
    }
    let s = ImportSettings {
        has_header: false,
        category: None,
        date_format: DateFormat::DayMonthYearDot,
        ..settings()
    };
    let e = read_all(&text, &s).err().unwrap();
    assert_eq!(e.field(), Some("file"));
    assert!(e.to_string().contains("more than 250,000 rows"), "{e}");
    assert_eq!(grouped(49_999_900), "49,999,900");
    assert_eq!(grouped(999), "999");
}
