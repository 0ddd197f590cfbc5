//! The unit tests of `import.rs`.

use super::*;
use crate::csv_io::read::decode;
use crate::csv_io::testing::{categories, import_accounts, settings};
use crate::csv_io::{CategoryMapping, CategoryTarget, MAX_LINE_ERRORS};
use crate::domain::CategoryName;

/// The first pass of a commit (no stored rows), as the service runs it.
fn prepare(text: &str, s: &ImportSettings, m: &[CategoryMapping]) -> Result<(Planner, Parsed)> {
    let r = Resolver::new(categories(), m).unwrap();
    let mut parser = Parser::new(
        decode(text.as_bytes())?,
        s,
        Currency::EUR,
        r,
        import_accounts(),
    );
    let mut planner = Planner::keeping_marks();
    let (mut rows, mut marks) = (Vec::new(), Vec::new());
    while parser.read(CHUNK_ROWS, &mut rows, &mut marks)? {
        planner.add_rows(&mut rows, &mut marks);
    }
    planner.add_rows(&mut rows, &mut marks);
    Ok((planner, parser.finish()))
}

/// What a commit of `text` decides and writes, read `size` rows at a time.
fn commit(
    text: &str,
    s: &ImportSettings,
    m: &[CategoryMapping],
    skip_duplicates: bool,
    size: usize,
) -> Result<(Write, Vec<Vec<Transaction>>)> {
    let (planner, parsed) = prepare(text, s, m)?;
    let now = DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::days(1);
    let write = planner.into_write(parsed, Id::generate(), skip_duplicates.into(), now)?;
    let rows = CommitRows {
        write: &write,
        source: RowSource::Csv {
            text: decode(text.as_bytes())?,
            settings: s,
        },
        currency: Currency::EUR,
        categories: categories(),
        mappings: m,
        accounts: &import_accounts(),
        auto: &AutoCategories::default(),
    };
    let chunks = rows.row_chunks(size).collect::<Result<Vec<_>>>()?;
    Ok((write, chunks))
}

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

#[test]
fn rows_resolve_categories_and_flag_in_file_duplicates() {
    let text = "date,amount,description,category\n\
                2024-01-31,-12.50,Coffee,groceries\n\
                2024-02-01,2000,Pay,\n\
                2024-02-01,-3,Snack,Sweets\n\
                2024-01-31,-12.5, COFFEE ,Groceries\n";
    let p = plan(text, &settings());
    assert_eq!((p.total, p.sample.len(), p.errors.len()), (4, 4, 0));
    assert_eq!(p.sample[0].category, "Groceries");
    assert_eq!(p.sample[0].kind, CategoryKind::Expense);
    assert_eq!(p.sample[1].category, "Other income");
    assert_eq!(p.sample[1].kind, CategoryKind::Income);
    assert_eq!(
        p.unknown_categories,
        vec![("Sweets".to_string(), CategoryKind::Expense)]
    );
    assert!(p.sample[3].duplicate && !p.sample[0].duplicate);
    assert_eq!(p.duplicates, 1);
    assert_eq!(p.sample[3].line, 5);
}

#[test]
fn errors_unknown_categories_and_samples_are_bounded_and_counted() {
    let mut text = String::from("date,amount,description,category\n");
    for i in 0..1000 {
        text.push_str(&format!("2024-01-01,-1,Row {i},New {i}\n"));
    }
    text.push_str(&"x\n".repeat(5000));
    let p = plan(&text, &settings());
    assert_eq!((p.total, p.ready), (6000, 1000));
    assert_eq!((p.error_count, p.errors.len()), (5000, MAX_LINE_ERRORS));
    assert_eq!(p.errors[0].line, 1002, "the first errors are kept");
    assert_eq!(p.sample.len(), SAMPLE_ROWS);
    assert_eq!(p.unknown_categories.len(), MAX_UNKNOWN_CATEGORIES);
    assert_eq!(p.unknown_categories[0].0, "New 0");
    assert_eq!(p.unknown_category_count, 1000);

    // Mapping every listed name still leaves 800 unmapped: refused, and the message stays short.
    let create = |i: usize| CategoryMapping {
        csv_name: format!("New {i}"),
        kind: CategoryKind::Expense,
        target: CategoryTarget::Create {
            name: CategoryName::parse("name", &format!("New {i}")).unwrap(),
            kind: CategoryKind::Expense,
        },
    };
    let text: String = text.lines().take(1001).map(|l| format!("{l}\n")).collect();
    let some: Vec<CategoryMapping> = (0..MAX_UNKNOWN_CATEGORIES).map(create).collect();
    let e = commit(&text, &settings(), &some, true, 100).err().unwrap();
    assert_eq!(e.field(), Some("categories"));
    assert!(
        e.to_string()
            .ends_with("800 more categories; nothing was imported"),
        "{e}"
    );
    assert!(e.to_string().len() < 200, "{e}");
    // Mapped, every name gets its category, whatever the limit of the list.
    let all: Vec<CategoryMapping> = (0..1000).map(create).collect();
    let r = Resolver::new(categories(), &all).unwrap();
    let decoded = decode(text.as_bytes()).unwrap();
    let plan = plan_file(decoded, &settings(), Currency::EUR, r, import_accounts()).unwrap();
    assert_eq!(plan.unknown_category_count, 1000);
    let (write, chunks) = commit(&text, &settings(), &all, true, 300).unwrap();
    assert_eq!((write.imported, write.categories.len()), (1000, 1000));
    let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
    assert_eq!(
        sizes,
        [300, 300, 300, 100],
        "the rows come in chunks of at most 300"
    );
}

#[test]
fn a_commit_reads_the_checked_rows_again_chunk_by_chunk() {
    let text = "date,amount,description,category\n\
                2024-01-01,-1,A,\n2024-01-01,-1,a,\n2024-01-02,5,Pay,\n\
                2024-01-03,-2,B,\n2024-01-03,-2,b,\n2024-01-04,-3,C,\n";
    let (write, chunks) = commit(text, &settings(), &[], true, 2).unwrap();
    assert_eq!((write.imported, write.skipped), (4, 2));
    let got: Vec<Vec<(&str, CategoryKind)>> = chunks
        .iter()
        .map(|c| {
            c.iter()
                .map(|t| (t.description.as_str(), t.kind.direction()))
                .collect()
        })
        .collect();
    assert_eq!(
        got,
        [
            vec![("A", CategoryKind::Expense), ("Pay", CategoryKind::Income)],
            vec![("B", CategoryKind::Expense), ("C", CategoryKind::Expense)],
        ],
        "skipped duplicates leave no gap: every chunk but the last is full"
    );
    let rows: Vec<&Transaction> = chunks.iter().flatten().collect();
    assert!(
        rows.iter().all(|t| t.user_id == write.user
            && t.created_at == write.now
            && t.id != Id::from_bytes([0; 12])),
        "each row is given its id, user and times"
    );
    let ids: HashSet<Id> = rows.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), 4, "one fresh id per row");
    // Kept, the duplicates are written too.
    let (write, chunks) = commit(text, &settings(), &[], false, 4).unwrap();
    assert_eq!((write.imported, write.skipped), (6, 0));
    assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), [4, 2]);
}

#[test]
fn a_second_read_that_differs_from_the_first_is_refused() {
    let text = "date,amount,description,category\n2024-01-01,-1,A,\n2024-01-02,-2,B,\n";
    let (planner, parsed) = prepare(text, &settings(), &[]).unwrap();
    let write = planner
        .into_write(parsed, Id::generate(), true.into(), Utc::now())
        .unwrap();
    // The same file with one more row: the marks do not cover it.
    let longer = format!("{text}2024-01-03,-3,C,\n");
    let rows = CommitRows {
        write: &write,
        source: RowSource::Csv {
            text: decode(longer.as_bytes()).unwrap(),
            settings: &settings(),
        },
        currency: Currency::EUR,
        categories: categories(),
        mappings: &[],
        accounts: &import_accounts(),
        auto: &AutoCategories::default(),
    };
    let read: Vec<Result<Vec<Transaction>>> = rows.row_chunks(10).collect();
    assert_eq!(read.len(), 1, "the read stops at its error");
    assert!(
        matches!(&read[0], Err(Error::Internal)),
        "a changed file is an internal error, so the store writes nothing: {:?}",
        read[0].as_ref().map(Vec::len)
    );
}

#[test]
fn a_plan_in_chunks_flags_what_a_commit_flags() {
    let mut text = String::from("date,amount,description,category\n");
    for i in 0..(CHUNK_ROWS + 10) {
        // Rows near the end repeat rows of the first chunk: across the chunk border.
        let n = if i >= CHUNK_ROWS + 5 {
            i - CHUNK_ROWS
        } else {
            i
        };
        text.push_str(&format!("2024-01-01,-1,Row {n},\n"));
    }
    let p = plan(&text, &settings());
    let (planner, _) = prepare(&text, &settings(), &[]).unwrap();
    let marks = planner.marks.unwrap();
    let flagged = marks.iter().filter(|m| m.duplicate).count() as u64;
    assert_eq!(p.ready, CHUNK_ROWS as u64 + 10);
    assert_eq!(
        (p.duplicates, flagged),
        (5, 5),
        "the plan and the commit agree"
    );
}

/// A bank statement's first pass against stored keys and bank ids (of the
/// import's account), summing the balance effect up to `through`: each
/// row's (duplicate, duplicate by bank id), and the effect.
fn bank_pass(
    entries: &[(&str, i64, &str, Option<&str>)],
    stored: Vec<TransactionKey>,
    stored_ids: Vec<&str>,
    through: &str,
) -> (Vec<(bool, bool)>, i128) {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let file = crate::bank::StatementFile {
        format: crate::bank::BankFormat::Ofx,
        account_hint: None,
        currency: None,
        ending_balance: None,
        entries: entries
            .iter()
            .map(|&(d, amount, payee, id)| crate::bank::BankEntry {
                date: date(d),
                amount,
                payee: payee.into(),
                memo: String::new(),
                bank_id: id.map(str::to_string),
            })
            .collect(),
    };
    let accounts = import_accounts();
    let target = accounts.target();
    let r = Resolver::new(categories(), &[]).unwrap();
    let mut parser = Parser::of(RowSource::Bank(&file), Currency::EUR, r, accounts);
    let mut planner = Planner::keeping_marks().tracking_balance(target, date(through));
    planner.add_stored(stored);
    planner.add_stored_bank_ids(target, stored_ids.into_iter().map(String::from).collect());
    let (mut rows, mut marks) = (Vec::new(), Vec::new());
    parser.read_all(&mut rows, &mut marks).unwrap();
    planner.add_rows(&mut rows, &mut marks);
    let effect = planner.effect_through();
    let flags = planner
        .marks
        .unwrap()
        .iter()
        .map(|m| (m.duplicate, m.bank_duplicate))
        .collect();
    (flags, effect)
}

fn key(
    date: &str,
    amount: i64,
    kind: CategoryKind,
    description: &str,
    banked: bool,
) -> TransactionKey {
    TransactionKey {
        date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
        amount,
        kind,
        description: description.into(),
        banked,
    }
}

#[test]
fn bank_ids_decide_between_rows_that_have_them_and_fields_decide_the_rest() {
    let stored = vec![
        key("2024-03-01", 500, CategoryKind::Expense, "typed", false),
        key("2024-03-02", 700, CategoryKind::Expense, "banked", true),
    ];
    let (flags, _) = bank_pass(
        &[
            ("2024-03-09", -9999, "changed by the bank", Some("OLD")),
            ("2024-03-01", -500, "TYPED", Some("N1")),
            ("2024-03-02", -700, "banked", Some("N2")),
            ("2024-03-03", -100, "twice", Some("N3")),
            ("2024-03-03", -100, "twice", Some("N3")),
            ("2024-03-03", -100, "twice", None),
            ("2024-03-04", -100, "plain", None),
            ("2024-03-04", -100, "plain", Some("N4")),
        ],
        stored,
        vec!["OLD"],
        "2024-12-31",
    );
    assert_eq!(
        flags,
        [
            (true, true),   // its id is stored: whatever its fields
            (true, false),  // the fields of a stored row without an id
            (false, false), // the fields of a stored row with another id
            (false, false),
            (true, true),  // its id earlier in the file
            (true, false), // no id: the fields of an earlier row
            (false, false),
            (true, false), // an id, and the fields of an earlier row without one
        ]
    );
}

#[test]
fn the_balance_effect_counts_new_rows_up_to_the_statement_day() {
    let stored = vec![key("2024-03-01", 500, CategoryKind::Expense, "old", false)];
    let (_, effect) = bank_pass(
        &[
            ("2024-03-01", -500, "old", None),
            ("2024-03-02", -1250, "new", Some("A")),
            ("2024-03-31", 20_000, "pay", Some("B")),
            ("2024-04-01", -7, "later", Some("C")),
        ],
        stored,
        vec![],
        "2024-03-31",
    );
    assert_eq!(
        effect,
        20_000 - 1250,
        "the duplicate and the row after the day are left out"
    );
}
