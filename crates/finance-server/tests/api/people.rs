//! A person acting over HTTP on a ledger (their own, or one named by the
//! `Finance-Ledger` header), and the set-ups the area scenarios share: a
//! book with accounts and categories, a viewer on someone's ledger.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::harness::{Srv, expect, expect_error};

/// Someone signed in, acting on their own ledger or on `ledger`.
pub struct Person<'a> {
    pub s: &'a Srv,
    pub token: String,
    pub ledger: Option<String>,
}

impl<'a> Person<'a> {
    /// Register and sign `username` in, on their own ledger.
    pub async fn new(s: &'a Srv, username: &str) -> Person<'a> {
        Person {
            s,
            token: s.user(username).await,
            ledger: None,
        }
    }

    /// Send a request (JSON body if given).
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut r = self.s.req(method, path, Some(&self.token));
        if let Some(l) = &self.ledger {
            r = r.header("Finance-Ledger", l);
        }
        if let Some(b) = body {
            r = r.json(&b);
        }
        r.send().await.expect("send")
    }

    /// The answer, which must have `status` (`why` says why).
    pub async fn ok(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: StatusCode,
        why: &str,
    ) -> Value {
        expect(self.send(method, path, body).await, status, why).await
    }

    /// An error answer with `status`, `code` and, if given, `field`.
    #[allow(clippy::too_many_arguments)]
    pub async fn refused(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: StatusCode,
        code: &str,
        field: Option<&str>,
        why: &str,
    ) -> Value {
        expect_error(
            self.send(method, path, body).await,
            status,
            code,
            field,
            why,
        )
        .await
    }

    /// The id of this person's own ledger.
    pub async fn own_ledger(&self) -> String {
        let me = expect(
            self.s
                .req(Method::GET, "/me", Some(&self.token))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
            "the profile",
        )
        .await;
        me["ledger"]["id"]
            .as_str()
            .expect("a ledger id")
            .to_string()
    }

    /// Register `username`, invite them to this person's ledger as a viewer and
    /// accept: the viewer, acting on this ledger.
    pub async fn viewer(&self, username: &str) -> Person<'a> {
        let mut viewer = Person::new(self.s, username).await;
        self.ok(
            Method::POST,
            "/household/members",
            Some(json!({"username": username, "role": "viewer"})),
            StatusCode::OK,
            "invite a viewer",
        )
        .await;
        let ledger = self.own_ledger().await;
        viewer
            .ok(
                Method::POST,
                &format!("/invitations/{ledger}/accept"),
                None,
                StatusCode::OK,
                "the viewer accepts",
            )
            .await;
        viewer.ledger = Some(ledger);
        viewer
    }
}

/// The ids a scenario works with: two accounts and two expense categories.
pub struct Book {
    pub main: String,
    pub savings: String,
    pub food: String,
    pub fun: String,
}

/// The id of the first element of `list` where `pick` holds.
fn id_of(list: &Value, pick: impl Fn(&Value) -> bool) -> String {
    list.as_array()
        .expect("a list")
        .iter()
        .find(|v| pick(v))
        .unwrap_or_else(|| panic!("no such element in {list}"))["id"]
        .as_str()
        .expect("an id")
        .to_string()
}

/// Add a Savings account (opening 100.00 on 2024-01-01) to `p`'s ledger and
/// name its accounts and two expense categories.
pub async fn book(p: &Person<'_>) -> Book {
    let accounts = p
        .ok(
            Method::POST,
            "/accounts",
            Some(
                json!({"name": "Savings", "type": "savings", "openingBalance": "100.00",
                        "openingDate": "2024-01-01", "note": null}),
            ),
            StatusCode::CREATED,
            "add Savings",
        )
        .await;
    let cats = p
        .ok(
            Method::GET,
            "/categories",
            None,
            StatusCode::OK,
            "categories",
        )
        .await;
    let expenses: Vec<Value> = cats
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "expense")
        .cloned()
        .collect();
    assert!(expenses.len() >= 2, "two expense categories: {cats}");
    Book {
        main: id_of(&accounts["accounts"], |a| a["name"] != "Savings"),
        savings: id_of(&accounts["accounts"], |a| a["name"] == "Savings"),
        food: expenses[0]["id"].as_str().unwrap().to_string(),
        fun: expenses[1]["id"].as_str().unwrap().to_string(),
    }
}

/// Add an expense of `amount` on `date` to `account`: its id.
pub async fn expense(
    p: &Person<'_>,
    account: &str,
    category: &str,
    amount: &str,
    date: &str,
    description: &str,
) -> String {
    let tx = p
        .ok(
            Method::POST,
            "/transactions",
            Some(
                json!({"accountId": account, "categoryId": category, "amount": amount,
                        "date": date, "description": description, "note": null}),
            ),
            StatusCode::CREATED,
            "add an expense",
        )
        .await;
    tx["id"].as_str().expect("an id").to_string()
}
