//! Rules (auto-categorisation) and learned suggestions, on both stores.
//!
//! Invariants checked: rules are kept in the user's order and the first
//! enabled match wins, ignoring case (Unicode), with exact amount ranges;
//! another user's rule, category or account is `NotFound` and changes
//! nothing; applying rules to existing rows writes the preview's changes in
//! one write and every sum equals a recomputation afterwards (a rule whose
//! category is of the other kind skips the row and says so); a category or
//! account delete never leaves a rule naming it; a bank file without a
//! category column is categorised by rules, then learned descriptions, then
//! "Other", and the commit stores what the plan showed; suggestions come
//! from the user's own most recent rows.

use std::collections::HashMap;

use chrono::NaiveDate;
use finance_core::AuthUser;
use finance_core::Error;
use finance_core::csv_io::sniff_csv;
use finance_core::domain::{
    CategoryKind, NewRule, RuleCandidate, RuleDraft, RuleSkip, Transaction, TransactionFilter,
    TransactionQuery, TransactionSort,
};
use finance_core::id::Id;
use finance_core::ops::SuggestionSource;
use finance_testkit::{Harness, no_progress, now};

fn draft(text: &str, category: Option<Id>) -> RuleDraft {
    RuleDraft {
        enabled: true,
        description_match: Some("contains".into()),
        description_text: Some(text.into()),
        category_id: category.map(|c| c.to_hex()),
        ..RuleDraft::default()
    }
}

fn rule(user: &AuthUser, d: RuleDraft) -> NewRule {
    d.validate(user.currency()).expect("a valid rule")
}

async fn all_rows(h: &Harness, user: &AuthUser) -> Vec<Transaction> {
    h.finance
        .transactions(
            user,
            &TransactionQuery {
                filter: TransactionFilter::default(),
                sort: TransactionSort::DateAsc,
                limit: 500,
                after: None,
            },
        )
        .await
        .expect("list")
        .items
}

fn candidate<'a>(description: &'a str, amount: i64) -> RuleCandidate<'a> {
    RuleCandidate {
        description,
        amount: Some(amount),
        account: None,
        kind: Some(CategoryKind::Expense),
    }
}

pub async fn rules_keep_their_order_and_the_first_enabled_match_wins(h: &Harness) {
    let ann = h.user("ann").await;
    let groceries = h.category(&ann, "Groceries").await;
    let eating = h.category(&ann, "Eating out").await;
    let transport = h.category(&ann, "Transport").await;
    let cafe = h
        .finance
        .add_rule(&ann, rule(&ann, draft("CAFÉ", Some(eating.id))), now())
        .await
        .unwrap();
    let market = h
        .finance
        .add_rule(&ann, rule(&ann, draft("market", Some(groceries.id))), now())
        .await
        .unwrap();
    let mut ranged = draft("shell", Some(transport.id));
    ranged.amount_min = Some("10".into());
    ranged.amount_max = Some("50.00".into());
    let fuel = h
        .finance
        .add_rule(&ann, rule(&ann, ranged), now())
        .await
        .unwrap();
    let listed: Vec<Id> = h
        .finance
        .rules(&ann)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(
        listed,
        [cafe.id, market.id, fuel.id],
        "kept in the order added"
    );

    let matched = |s: Option<finance_core::ops::FormSuggestion>| match s.map(|s| s.source) {
        Some(SuggestionSource::Rule { id, .. }) => Some(id),
        _ => None,
    };
    let s = h
        .finance
        .suggest_for(&ann, candidate("café market hall", 500))
        .await
        .unwrap();
    assert_eq!(
        matched(s.clone()),
        Some(cafe.id),
        "the first of two matching rules wins"
    );
    assert_eq!(s.unwrap().category_id, Some(eating.id));
    assert_eq!(
        matched(
            h.finance
                .suggest_for(&ann, candidate("Café", 1))
                .await
                .unwrap()
        ),
        Some(cafe.id),
        "case ignored, Unicode-aware"
    );
    // Reordered: market first.
    let order = h
        .finance
        .reorder_rules(&ann, &[market.id, cafe.id, fuel.id])
        .await
        .unwrap();
    assert_eq!(
        order.iter().map(|r| r.id).collect::<Vec<_>>(),
        [market.id, cafe.id, fuel.id]
    );
    let s = h
        .finance
        .suggest_for(&ann, candidate("CAFÉ MARKET", 500))
        .await
        .unwrap();
    assert_eq!(matched(s), Some(market.id), "the new order decides");
    // Disabled: skipped.
    h.finance
        .set_rule_enabled(&ann, market.id, false)
        .await
        .unwrap();
    let s = h
        .finance
        .suggest_for(&ann, candidate("CAFÉ MARKET", 500))
        .await
        .unwrap();
    assert_eq!(matched(s), Some(cafe.id), "a disabled rule is skipped");
    // Amount ranges are exact and inclusive.
    for (amount, want) in [
        (999, None),
        (1000, Some(fuel.id)),
        (5000, Some(fuel.id)),
        (5001, None),
    ] {
        let s = h
            .finance
            .suggest_for(&ann, candidate("Shell 42", amount))
            .await
            .unwrap();
        assert_eq!(matched(s), want, "amount {amount} minor units");
    }
    // A reorder naming a rule twice or leaving one out is refused, nothing changes.
    let e = h
        .finance
        .reorder_rules(&ann, &[cafe.id, cafe.id, fuel.id])
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("ids"));
    let listed: Vec<Id> = h
        .finance
        .rules(&ann)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, [market.id, cafe.id, fuel.id]);
    // Edits keep the place; a category of the other kind than the kind condition is refused.
    let salary = h.category(&ann, "Salary").await;
    let mut wrong = draft("pay", Some(salary.id));
    wrong.kind = Some("expense".into());
    let e = h
        .finance
        .add_rule(&ann, rule(&ann, wrong), now())
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("categoryId"), "{e}");
    let place = |rules: &[finance_core::domain::Rule]| {
        rules.iter().find(|r| r.id == cafe.id).map(|r| r.position)
    };
    let before = place(&h.finance.rules(&ann).await.unwrap());
    let edited = h
        .finance
        .update_rule(&ann, cafe.id, rule(&ann, draft("coffee", Some(eating.id))))
        .await
        .unwrap();
    assert_eq!(
        (
            edited.position,
            edited.conditions.description.unwrap().text.as_str()
        ),
        (before.unwrap(), "coffee")
    );
    h.finance.delete_rule(&ann, fuel.id).await.unwrap();
    assert_eq!(h.finance.rules(&ann).await.unwrap().len(), 2);
}

pub async fn another_users_rules_and_references_are_not_found(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let anns_food = h.category(&ann, "Groceries").await;
    let bobs_food = h.category(&bob, "Groceries").await;
    let bobs_main = h.main_account(&bob).await;
    let r = h
        .finance
        .add_rule(&ann, rule(&ann, draft("market", Some(anns_food.id))), now())
        .await
        .unwrap();
    let not_found = |e: Error| matches!(e, Error::NotFound { .. });
    assert!(not_found(
        h.finance.delete_rule(&bob, r.id).await.unwrap_err()
    ));
    assert!(not_found(
        h.finance
            .set_rule_enabled(&bob, r.id, false)
            .await
            .unwrap_err()
    ));
    assert!(not_found(
        h.finance
            .update_rule(&bob, r.id, rule(&bob, draft("x", Some(bobs_food.id))))
            .await
            .unwrap_err()
    ));
    assert!(not_found(
        h.finance.reorder_rules(&bob, &[r.id]).await.unwrap_err()
    ));
    assert!(
        h.finance.rules(&bob).await.unwrap().is_empty(),
        "bob sees none of ann's"
    );
    // Ann cannot point a rule at bob's category or account.
    assert!(not_found(
        h.finance
            .add_rule(&ann, rule(&ann, draft("x", Some(bobs_food.id))), now())
            .await
            .unwrap_err()
    ));
    let mut on_bobs = draft("x", Some(anns_food.id));
    on_bobs.account_id = Some(bobs_main.id.to_hex());
    assert!(not_found(
        h.finance
            .add_rule(&ann, rule(&ann, on_bobs), now())
            .await
            .unwrap_err()
    ));
    // Bob's history suggests nothing to ann.
    h.tx(&bob, bobs_food.id, "5", "2024-01-02", "Secret shop")
        .await;
    assert!(h.finance.suggest(&ann, "secret").await.unwrap().is_empty());
    let unchanged = h.finance.rules(&ann).await.unwrap();
    assert_eq!(unchanged, vec![r], "nothing of ann's changed");
}

/// Sum of each category's rows, recomputed from the listed rows.
fn by_category(rows: &[Transaction]) -> HashMap<Id, i64> {
    let mut out = HashMap::new();
    for t in rows {
        if let Some(c) = t.category_id {
            *out.entry(c).or_insert(0) += t.amount.minor();
        }
    }
    out
}

pub async fn applying_rules_to_existing_rows_is_one_write_and_sums_stay_exact(h: &Harness) {
    let ann = h.user("ann").await;
    let other = h.category(&ann, "Other").await;
    let other_income = h.category(&ann, "Other income").await;
    let groceries = h.category(&ann, "Groceries").await;
    for (amount, date, desc) in [
        ("12.30", "2024-03-01", "MARKET 1"),
        ("7.70", "2024-03-02", "market 2"),
        ("3", "2024-03-03", "Bakery"),
    ] {
        h.tx(&ann, other.id, amount, date, desc).await;
    }
    // Money in at the market: income, which an expense category must not take.
    h.tx(
        &ann,
        other_income.id,
        "20",
        "2024-03-04",
        "Market refund cheque",
    )
    .await;
    let mut d = draft("market", Some(groceries.id));
    d.rename = Some("Market".into());
    h.finance
        .add_rule(&ann, rule(&ann, d), now())
        .await
        .unwrap();

    let preview = h
        .finance
        .apply_rules_preview(&ann, TransactionFilter::default())
        .await
        .unwrap();
    assert_eq!(preview.count, 2, "the two expense rows change");
    assert_eq!(
        preview.skipped,
        vec![(RuleSkip::Kind, 1)],
        "the income row is skipped and said so"
    );
    assert_eq!(preview.applied, 0, "a preview writes nothing");
    let before = all_rows(h, &ann).await;
    assert!(before.iter().all(|t| t.category_id != Some(groceries.id)));

    let done = h
        .finance
        .apply_rules(&ann, TransactionFilter::default(), now())
        .await
        .unwrap();
    assert_eq!(done.applied, 2);
    let after = all_rows(h, &ann).await;
    let moved: Vec<(&str, Option<Id>)> = after
        .iter()
        .map(|t| (t.description.as_str(), t.category_id))
        .collect();
    assert_eq!(
        moved,
        [
            ("Market", Some(groceries.id)),
            ("Market", Some(groceries.id)),
            ("Bakery", Some(other.id)),
            ("Market refund cheque", Some(other_income.id)),
        ]
    );
    // Every stored sum equals a recomputation from the rows.
    let (from, to) = (
        NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
        NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(),
    );
    let ids = [groceries.id, other.id];
    let spent = h
        .finance
        .store()
        .expense_by_category(ann.id(), None, &ids, from, to)
        .await
        .unwrap();
    let want = by_category(&after);
    assert_eq!(
        spent[&groceries.id], 2000,
        "12.30 + 7.70 moved to Groceries"
    );
    assert_eq!(spent[&groceries.id], want[&groceries.id]);
    assert_eq!(spent[&other.id], want[&other.id]);
    let summary = h
        .finance
        .summary(
            &ann,
            finance_core::domain::DateRange::new(from, to).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        (summary.income, summary.expense),
        (2000, 2300),
        "totals unchanged by a re-categorisation"
    );
    // The learned suggestion follows the new description.
    let learned = h.finance.suggest(&ann, "MAR").await.unwrap();
    let names: Vec<&str> = learned.iter().map(|t| t.description.as_str()).collect();
    assert_eq!(
        names,
        ["Market refund cheque", "Market"],
        "the renamed rows are one description now"
    );
    // Applying again changes nothing.
    let again = h
        .finance
        .apply_rules(&ann, TransactionFilter::default(), now())
        .await
        .unwrap();
    assert_eq!((again.count, again.applied), (0, 0));
}

pub async fn deleting_a_category_or_account_never_leaves_a_rule_naming_it(h: &Harness) {
    let ann = h.user("ann").await;
    let health = h.category(&ann, "Health").await;
    let other = h.category(&ann, "Other").await;
    let card = h.add_account(&ann, "Visa card", "credit_card", "0").await;
    let cash = h.add_account(&ann, "Cash", "cash", "0").await;
    let by_category = h
        .finance
        .add_rule(&ann, rule(&ann, draft("pharmacy", Some(health.id))), now())
        .await
        .unwrap();
    let mut on_card = draft("card fee", Some(other.id));
    on_card.account_id = Some(card.id.to_hex());
    let by_account = h
        .finance
        .add_rule(&ann, rule(&ann, on_card), now())
        .await
        .unwrap();
    let mut on_cash = draft("atm", Some(other.id));
    on_cash.account_id = Some(cash.id.to_hex());
    let by_cash = h
        .finance
        .add_rule(&ann, rule(&ann, on_cash), now())
        .await
        .unwrap();

    // A delete with a move re-points the rules to the target.
    h.tx(&ann, health.id, "4", "2024-01-01", "Pharmacy").await;
    h.finance
        .delete_category(&ann, health.id, Some(other.id))
        .await
        .unwrap();
    let r = h
        .finance
        .store()
        .rule(ann.id(), by_category.id)
        .await
        .unwrap();
    assert_eq!(
        r.actions.category,
        Some(other.id),
        "the rule follows the moved rows"
    );
    h.finance
        .remove_account(&ann, card.id, Some(cash.id))
        .await
        .unwrap();
    let r = h
        .finance
        .store()
        .rule(ann.id(), by_account.id)
        .await
        .unwrap();
    assert_eq!(r.conditions.account, Some(cash.id));
    // A delete without one takes the rules naming it.
    let unused = h.category(&ann, "Entertainment").await;
    let gone = h
        .finance
        .add_rule(&ann, rule(&ann, draft("cinema", Some(unused.id))), now())
        .await
        .unwrap();
    h.finance
        .delete_category(&ann, unused.id, None)
        .await
        .unwrap();
    h.finance
        .remove_account_and_transactions(&ann, cash.id)
        .await
        .unwrap();
    let left: Vec<Id> = h
        .finance
        .rules(&ann)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(
        left,
        [by_category.id],
        "the rules of the deleted category and account are gone"
    );
    assert!(!left.contains(&gone.id) && !left.contains(&by_cash.id));
}

pub async fn a_bank_file_without_categories_gets_rules_then_learned_then_other(h: &Harness) {
    let ann = h.user("ann").await;
    let transport = h.category(&ann, "Transport").await;
    let salary = h.category(&ann, "Salary").await;
    let groceries = h.category(&ann, "Groceries").await;
    // Learned: PAYROLL was Salary before; the Amazon line has no history.
    h.tx(&ann, salary.id, "3000", "2024-12-03", "payroll acme corp")
        .await;
    let mut fuel = draft("shell oil", Some(transport.id));
    fuel.rename = Some("Shell".into());
    let fuel = h
        .finance
        .add_rule(&ann, rule(&ann, fuel), now())
        .await
        .unwrap();
    // A disabled rule that would take every row.
    let mut all = draft("a", Some(groceries.id));
    all.enabled = false;
    h.finance
        .add_rule(&ann, rule(&ann, all), now())
        .await
        .unwrap();

    let bytes = std::fs::read(format!(
        "{}/../../tests/fixtures/banks/us-debit-credit.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let settings = sniff_csv(&bytes).unwrap().guess;
    assert_eq!(
        settings.category, None,
        "a bank file without a category column"
    );
    let plan = h
        .finance
        .import_plan(&ann, None, &bytes, &settings, &[])
        .await
        .unwrap();
    let shown: Vec<(&str, &str, Option<Id>, bool)> = plan
        .sample
        .iter()
        .map(|r| {
            (
                r.description.as_str(),
                r.category.as_str(),
                r.rule.as_ref().map(|(id, _)| *id),
                r.learned,
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "AMAZON MKTPLACE PMTS AMZN.COM/BILL WA",
                "Other",
                None,
                false
            ),
            ("PAYROLL ACME CORP", "Salary", None, true),
            (
                "=HYPERLINK(\"http://evil.example/\",\"Refund\")",
                "Other",
                None,
                false
            ),
            ("Shell", "Transport", Some(fuel.id), false),
        ],
        "rule first (renamed), then learned, then Other"
    );
    let summary = h
        .finance
        .import_commit(
            &ann,
            None,
            &bytes,
            &settings,
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(summary.imported, 4);
    let stored: Vec<(String, Option<Id>)> = all_rows(h, &ann)
        .await
        .into_iter()
        .filter(|t| t.date.to_string().starts_with("2025"))
        .map(|t| (t.description, t.category_id))
        .collect();
    let other = h.category(&ann, "Other").await;
    assert_eq!(
        stored,
        [
            (
                "AMAZON MKTPLACE PMTS AMZN.COM/BILL WA".to_string(),
                Some(other.id)
            ),
            ("PAYROLL ACME CORP".to_string(), Some(salary.id)),
            (
                "=HYPERLINK(\"http://evil.example/\",\"Refund\")".to_string(),
                Some(other.id)
            ),
            ("Shell".to_string(), Some(transport.id)),
        ],
        "the commit stores what the plan showed"
    );
    // The renamed row is a duplicate of itself on a second import.
    let again = h
        .finance
        .import_plan(&ann, None, &bytes, &settings, &[])
        .await
        .unwrap();
    assert_eq!(
        again.duplicates, 4,
        "compared as stored (after the rule's rename)"
    );
}

pub async fn suggestions_come_from_the_users_most_recent_rows(h: &Harness) {
    let ann = h.user("ann").await;
    let groceries = h.category(&ann, "Groceries").await;
    let eating = h.category(&ann, "Eating out").await;
    let other = h.category(&ann, "Other").await;
    h.tx(&ann, groceries.id, "10", "2024-01-01", "Corner Shop")
        .await;
    h.tx(&ann, eating.id, "12.5", "2024-02-01", "CORNER SHOP")
        .await;
    h.tx(&ann, other.id, "3", "2024-01-15", "Cornflakes").await;
    h.tx(&ann, other.id, "4", "2024-01-20", "Épicerie").await;
    let s = h.finance.suggest(&ann, "corn").await.unwrap();
    let got: Vec<(&str, Option<Id>, i64)> = s
        .iter()
        .map(|t| (t.description.as_str(), t.category_id, t.amount.minor()))
        .collect();
    assert_eq!(
        got,
        [
            ("CORNER SHOP", Some(eating.id), 1250),
            ("Cornflakes", Some(other.id), 300)
        ],
        "one per description, its most recent row, most recent first"
    );
    assert_eq!(
        h.finance.suggest(&ann, "ÉPI").await.unwrap().len(),
        1,
        "Unicode case"
    );
    assert!(h.finance.suggest(&ann, "  ").await.unwrap().is_empty());
    let form = h
        .finance
        .suggest_for(&ann, candidate("corner shop", 0))
        .await
        .unwrap()
        .expect("a learned suggestion");
    assert_eq!(
        (form.category_id, form.amount),
        (Some(eating.id), Some(1250))
    );
    let t = all_rows(h, &ann)
        .await
        .into_iter()
        .find(|t| t.description == "Cornflakes")
        .unwrap();
    let d = h.finance.rule_from_transaction(&ann, t.id).await.unwrap();
    assert_eq!(
        (
            d.description_text.as_deref(),
            d.category_id,
            d.kind.as_deref()
        ),
        (Some("Cornflakes"), Some(other.id.to_hex()), Some("expense"))
    );
    let bob = h.user("bob").await;
    assert!(matches!(
        h.finance.rule_from_transaction(&bob, t.id).await,
        Err(Error::NotFound { .. })
    ));
}
