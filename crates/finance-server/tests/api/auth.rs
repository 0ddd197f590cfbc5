//! Accounts and sessions over HTTP.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::harness::{PASSWORD, Srv, expect, expect_error};

pub async fn register_login_me_logout(s: &Srv) {
    let profile = s.register("ann").await;
    assert_eq!(
        profile["username"], "ann",
        "the profile of the new account: {profile}"
    );
    assert!(
        profile.get("password").is_none(),
        "no password in a profile"
    );
    let res = s
        .req(Method::POST, "/auth/login", None)
        .json(&json!({"username": "ann", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let session = expect(res, StatusCode::OK, "log-in").await;
    let token = session["token"].as_str().unwrap();
    assert!(
        session["expiresAt"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{session}"
    );
    assert_eq!(session["profile"]["username"], "ann");
    let me = expect(
        s.req(Method::GET, "/me", Some(token)).send().await.unwrap(),
        StatusCode::OK,
        "the token authenticates",
    )
    .await;
    assert_eq!(me["id"], profile["id"]);
    let res = s
        .req(Method::POST, "/auth/logout", Some(token))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT, "log-out");
    let res = s.req(Method::GET, "/me", Some(token)).send().await.unwrap();
    assert_eq!(
        res.headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap()),
        Some("Bearer"),
        "a 401 names the scheme"
    );
    expect_error(
        res,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        None,
        "a revoked token is refused",
    )
    .await;
    let res = s.req(Method::GET, "/me", None).send().await.unwrap();
    expect_error(
        res,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        None,
        "no token",
    )
    .await;
    let res = s
        .req(Method::GET, "/me", Some("not.a.jwt"))
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        None,
        "a forged token",
    )
    .await;
    let res = s
        .req(Method::POST, "/auth/register", None)
        .json(
            &json!({"username": "ANN", "password": PASSWORD, "firstName": "A", "lastName": "B",
                      "email": "other@example.net", "currency": "EUR"}),
        )
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::CONFLICT,
        "conflict",
        Some("username"),
        "a taken username",
    )
    .await;
}

pub async fn change_password_ends_the_other_sessions(s: &Srv) {
    s.register("ann").await;
    let here = s.login("ann").await;
    let elsewhere = s.login("ann").await;
    let res = s
        .req(Method::POST, "/auth/password", Some(&here))
        .json(&json!({"currentPassword": "wrong", "newPassword": "a brand new passphrase"}))
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("currentPassword"),
        "a wrong current password",
    )
    .await;
    let res = s
        .req(Method::POST, "/auth/password", Some(&here))
        .json(&json!({"currentPassword": PASSWORD, "newPassword": "a brand new passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT, "password changed");
    let res = s
        .req(Method::GET, "/me", Some(&elsewhere))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "the other session ended"
    );
    let res = s.req(Method::GET, "/me", Some(&here)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "this session goes on");
}

pub async fn login_throttling_answers_429_with_retry_after(s: &Srv) {
    s.register("ann").await;
    let mut limited = None;
    for _ in 0..10 {
        let res = s
            .req(Method::POST, "/auth/login", None)
            .json(&json!({"username": "ann", "password": "wrong guess"}))
            .send()
            .await
            .unwrap();
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(res);
            break;
        }
        expect_error(
            res,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            None,
            "a wrong password",
        )
        .await;
    }
    let res = limited.expect("repeated failures are throttled within 10 attempts");
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .expect("429 carries Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After is seconds");
    let body = expect_error(
        res,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        None,
        "throttled",
    )
    .await;
    assert!(retry >= 1, "a positive wait: {retry}");
    assert_eq!(
        body["retryAfterSecs"], retry,
        "the body says the same wait: {body}"
    );
}

pub async fn deleting_the_account_ends_its_sessions(s: &Srv) {
    let token = s.user("ann").await;
    let usage = expect(
        s.req(Method::GET, "/me/currency-usage", Some(&token))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "currency usage",
    )
    .await;
    assert_eq!(
        usage["canChange"], true,
        "a new account holds no amounts: {usage}"
    );
    let profile = expect(
        s.req(Method::PUT, "/me/currency", Some(&token))
            .json(&json!({"currency": "USD"}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "change the currency",
    )
    .await;
    assert_eq!(profile["currency"], "USD");
    let res = s
        .req(Method::DELETE, "/me", Some(&token))
        .json(&json!({"password": "not it"}))
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("password"),
        "a wrong password deletes nothing",
    )
    .await;
    let res = s
        .req(Method::DELETE, "/me", Some(&token))
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT, "deleted");
    let res = s
        .req(Method::GET, "/me", Some(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "the session ended with the account"
    );
    let res = s
        .req(Method::POST, "/auth/login", None)
        .json(&json!({"username": "ann", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "the account is gone"
    );
}
