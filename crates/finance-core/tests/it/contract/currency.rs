//! A user's currency is a label while no amount is recorded in it: it
//! changes (with their accounts') before the first transaction, budget,
//! opening balance or reconciliation, and is refused afterwards with what
//! holds amounts — nothing changed.

use finance_core::Currency;
use finance_core::domain::{CurrencyUsage, Period, RuleDraft};

use finance_testkit::{Harness, assert_err, now};

fn currency(code: &str) -> Currency {
    Currency::parse("currency", code).unwrap()
}

pub async fn currency_changes_only_while_no_amount_is_recorded(h: &Harness) {
    let ann = h.user("ann").await;
    assert_eq!(
        h.finance.currency_usage(&ann).await.unwrap(),
        CurrencyUsage::default(),
        "a new user's Main account opens at zero: nothing holds amounts"
    );
    let profile = h
        .finance
        .change_currency(&ann, currency("JPY"))
        .await
        .unwrap();
    assert_eq!(
        profile.currency,
        currency("JPY"),
        "the profile answers the new currency"
    );
    let (_, ann) = h.login("ann").await;
    assert_eq!(
        ann.currency(),
        currency("JPY"),
        "a new session reads the new currency"
    );
    for a in h.finance.accounts(&ann).await.unwrap() {
        assert_eq!(
            a.currency,
            currency("JPY"),
            "{}'s currency follows the user's",
            a.name
        );
    }
    assert_eq!(
        h.finance
            .change_currency(&ann, currency("JPY"))
            .await
            .unwrap()
            .currency,
        currency("JPY"),
        "the same currency is no change"
    );

    // A budget holds an amount: refused, saying so; nothing changes.
    let food = h.category(&ann, "Groceries").await;
    let budget = h.budget(&ann, food.id, "100", Period::Monthly).await;
    let refused = h.finance.change_currency(&ann, currency("EUR")).await;
    let message = refused.as_ref().map_err(|e| e.to_string()).unwrap_err();
    assert!(
        message.contains("1 budget"),
        "the refusal says what holds amounts: {message}"
    );
    assert_err(refused, "conflict", Some("currency"));
    assert_eq!(
        h.finance.profile(&ann).await.unwrap().currency,
        currency("JPY")
    );
    for a in h.finance.accounts(&ann).await.unwrap() {
        assert_eq!(
            a.currency,
            currency("JPY"),
            "a refused change leaves {} as it was",
            a.name
        );
    }
    h.finance.delete_budget(&ann, budget.id).await.unwrap();

    // An opening balance holds an amount; a zero one does not.
    h.add_account(&ann, "Wallet", "cash", "0").await;
    assert!(
        !h.finance.currency_usage(&ann).await.unwrap().is_used(),
        "an account opening at zero holds no amount"
    );
    let savings = h.add_account(&ann, "Savings", "savings", "5000").await;
    assert_eq!(h.finance.currency_usage(&ann).await.unwrap().balances, 1);
    assert_err(
        h.finance.change_currency(&ann, currency("EUR")).await,
        "conflict",
        Some("currency"),
    );
    h.finance
        .remove_account(&ann, savings.id, None)
        .await
        .unwrap();

    // Back to EUR while nothing holds amounts, then the first transaction fixes it.
    h.finance
        .change_currency(&ann, currency("EUR"))
        .await
        .unwrap();
    let (_, ann) = h.login("ann").await;
    h.tx(&ann, food.id, "12.30", "2024-03-01", "Market").await;
    let usage = h.finance.currency_usage(&ann).await.unwrap();
    assert_eq!(usage.transactions, 1, "{usage:?}");
    assert_err(
        h.finance.change_currency(&ann, currency("USD")).await,
        "conflict",
        Some("currency"),
    );
    let (_, ann) = h.login("ann").await;
    assert_eq!(
        ann.currency(),
        currency("EUR"),
        "the refused change left EUR"
    );

    // Another user's data is not counted, and their currency is theirs.
    let bob = h.user("bob").await;
    assert!(!h.finance.currency_usage(&bob).await.unwrap().is_used());
    h.finance
        .change_currency(&bob, currency("GBP"))
        .await
        .unwrap();
    assert_eq!(
        h.finance.profile(&ann).await.unwrap().currency,
        currency("EUR")
    );

    // A rule's amount condition is an amount in the currency; a rule without one is not.
    let (_, bob) = h.login("bob").await;
    let bobs_food = h.category(&bob, "Groceries").await;
    let rule = |amount_min: Option<&str>| {
        RuleDraft {
            name: "Shop".into(),
            enabled: true,
            description_text: Some("shop".into()),
            amount_min: amount_min.map(str::to_string),
            category_id: Some(bobs_food.id.to_hex()),
            ..RuleDraft::default()
        }
        .validate(currency("GBP"))
        .unwrap()
    };
    h.finance.add_rule(&bob, rule(None), now()).await.unwrap();
    assert!(
        !h.finance.currency_usage(&bob).await.unwrap().is_used(),
        "a rule on the description only holds no amount"
    );
    h.finance
        .add_rule(&bob, rule(Some("10")), now())
        .await
        .unwrap();
    assert_eq!(h.finance.currency_usage(&bob).await.unwrap().rules, 1);
    assert_err(
        h.finance.change_currency(&bob, currency("EUR")).await,
        "conflict",
        Some("currency"),
    );
}
