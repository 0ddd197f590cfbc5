//! Registration, sessions, throttling and password changes.

use chrono::TimeDelta;
use finance_core::domain::user::Password;
use finance_core::domain::{CategoryKind, RegistrationDraft};
use finance_core::{Error, Finance};

use finance_testkit::{Harness, PASSWORD, assert_err, now};

fn draft(username: &str, email: &str) -> RegistrationDraft {
    RegistrationDraft {
        username: username.into(),
        password: PASSWORD.into(),
        first_name: " Ann ".into(),
        last_name: "Lee".into(),
        email: email.into(),
        currency: "jpy".into(),
    }
}

async fn login(
    f: &Finance,
    user: &str,
    password: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> finance_core::Result<String> {
    f.login(user, &Password::for_login(password), at)
        .await
        .map(|o| o.token.expose().to_string())
}

pub async fn register_creates_user_with_default_categories(h: &Harness) {
    let reg = draft("Ann.Lee", "Ann@Example.com").validate().unwrap();
    let user = h.finance.register(reg, now()).await.unwrap();
    assert_eq!(
        user.username, "ann.lee",
        "usernames are stored trimmed and lower-cased"
    );
    assert_eq!(
        user.email, "ann@example.com",
        "emails are stored lower-cased"
    );
    assert_eq!(user.first_name, "Ann", "names are trimmed");
    assert_eq!(
        user.currency.code(),
        "JPY",
        "the currency code is stored upper-cased"
    );

    let (_, auth) = h.login("ann.lee").await;
    assert_eq!(
        auth.currency().code(),
        "JPY",
        "the signed-in user carries the registered currency"
    );
    let profile = h.finance.profile(&auth).await.unwrap();
    assert_eq!(profile, user, "the profile is the user as registered");
    let cats = h.finance.categories(&auth).await.unwrap();
    let income: Vec<_> = cats
        .iter()
        .filter(|c| c.kind == CategoryKind::Income)
        .map(|c| c.name.as_str())
        .collect();
    let expense = cats
        .iter()
        .filter(|c| c.kind == CategoryKind::Expense)
        .count();
    assert_eq!(income, ["Other income", "Salary"], "income first, by name");
    assert_eq!(expense, 8, "every default expense category is created");
    assert!(
        cats.iter().all(|c| c.user_id == user.id),
        "the default categories belong to the new user"
    );
}

pub async fn register_rejects_taken_username_and_email_case_insensitively(h: &Harness) {
    h.finance
        .register(draft("ann", "ann@example.com").validate().unwrap(), now())
        .await
        .unwrap();
    let dup_user = h
        .finance
        .register(draft("ANN", "other@example.com").validate().unwrap(), now())
        .await;
    assert_err(dup_user, "conflict", Some("username"));
    let dup_email = h
        .finance
        .register(draft("bob", "ANN@example.COM").validate().unwrap(), now())
        .await;
    assert_err(dup_email, "conflict", Some("email"));
    // The failed registrations left nothing behind: "bob" can still register, with no extra categories.
    h.finance
        .register(draft("bob", "bob@example.com").validate().unwrap(), now())
        .await
        .unwrap();
    let (_, bob) = h.login("bob").await;
    assert_eq!(
        h.finance.categories(&bob).await.unwrap().len(),
        10,
        "bob gets exactly the 10 default categories (none left over from the refused attempts)"
    );
}

pub async fn register_validation_names_the_field(h: &Harness) {
    let cases = [
        (
            "username",
            RegistrationDraft {
                username: "a b".into(),
                ..draft("ann", "ann@example.com")
            },
        ),
        (
            "password",
            RegistrationDraft {
                password: "password1".into(),
                ..draft("ann", "ann@example.com")
            },
        ),
        (
            "password",
            RegistrationDraft {
                password: "ann".repeat(3),
                ..draft("annannann", "ann@example.com")
            },
        ),
        (
            "firstName",
            RegistrationDraft {
                first_name: " ".into(),
                ..draft("ann", "ann@example.com")
            },
        ),
        (
            "lastName",
            RegistrationDraft {
                last_name: "x".repeat(101),
                ..draft("ann", "ann@example.com")
            },
        ),
        (
            "email",
            RegistrationDraft {
                email: "ann@".into(),
                ..draft("ann", "ann@example.com")
            },
        ),
        (
            "currency",
            RegistrationDraft {
                currency: "EURO".into(),
                ..draft("ann", "ann@example.com")
            },
        ),
    ];
    for (field, d) in cases {
        assert_err(d.validate(), "validation", Some(field));
    }
    // Nothing was stored by the refused attempts.
    assert!(
        h.store.user_by_username("ann").await.unwrap().is_none(),
        "a refused registration stores no user"
    );
}

pub async fn login_issues_a_token_that_authenticates(h: &Harness) {
    let user = h.register("ann").await;
    let out = h
        .finance
        .login("  ANN ", &Password::for_login(PASSWORD), now())
        .await
        .unwrap();
    assert_eq!(
        out.user.id, user.id,
        "the login is for the registered user (username matched trimmed, ignoring case)"
    );
    assert_eq!(
        out.expires_at,
        now() + TimeDelta::days(7),
        "a session lasts the configured 7 days"
    );
    let auth = h
        .finance
        .authenticate(out.token.expose(), now())
        .await
        .unwrap();
    assert_eq!(
        auth.id(),
        user.id,
        "the token authenticates the user it was issued to"
    );
    // Still valid just before expiry, refused at expiry.
    let almost = now() + TimeDelta::days(7) - TimeDelta::seconds(1);
    assert!(
        h.finance
            .authenticate(out.token.expose(), almost)
            .await
            .is_ok(),
        "the token is still valid one second before it expires"
    );
    assert_err(
        h.finance
            .authenticate(out.token.expose(), now() + TimeDelta::days(7))
            .await,
        "unauthorized",
        None,
    );
    assert_err(
        login(&h.finance, "ann", "", now()).await,
        "validation",
        Some("password"),
    );
    assert_err(
        login(&h.finance, " ", PASSWORD, now()).await,
        "validation",
        Some("username"),
    );
}

pub async fn unknown_user_and_wrong_password_are_indistinguishable(h: &Harness) {
    h.register("ann").await;
    let wrong = login(&h.finance, "ann", "not-the-password", now())
        .await
        .unwrap_err();
    let unknown = login(&h.finance, "nobody", "not-the-password", now())
        .await
        .unwrap_err();
    assert_eq!(wrong, unknown, "same error for both");
    assert_eq!(
        wrong.code().as_str(),
        "unauthorized",
        "a failed login is Unauthorized"
    );
}

pub async fn logout_revokes_the_token_everywhere(h: &Harness) {
    h.register("ann").await;
    let (t1, _) = h.login("ann").await;
    let (t2, _) = h.login("ann").await;
    h.finance.logout(&t1).await.unwrap();
    assert_err(
        h.finance.authenticate(&t1, now()).await,
        "unauthorized",
        None,
    );
    // A restarted app (new store connection) refuses it too.
    let again = h.restarted().await;
    assert_err(again.authenticate(&t1, now()).await, "unauthorized", None);
    // Other sessions are unaffected; logging out twice is harmless.
    assert!(
        h.finance.authenticate(&t2, now()).await.is_ok(),
        "logging one session out leaves the others valid"
    );
    h.finance.logout(&t1).await.unwrap();
    assert_err(h.finance.logout("garbage").await, "unauthorized", None);
}

pub async fn expired_and_foreign_tokens_are_refused(h: &Harness) {
    h.register("ann").await;
    let (token, _) = h.login("ann").await;
    assert_err(
        h.finance
            .authenticate(&token, now() + TimeDelta::days(8))
            .await,
        "unauthorized",
        None,
    );
    assert_err(
        h.finance
            .authenticate(&token, now() - TimeDelta::hours(1))
            .await,
        "unauthorized",
        None,
    );
    // A token signed with another key is refused even though its session exists.
    let other = Finance::new(
        h.store.clone(),
        &finance_core::auth::SigningKey::generate(),
        finance_core::AuthSettings {
            bcrypt_cost: 4,
            session_ttl: TimeDelta::days(7),
        },
    );
    assert_err(
        other.authenticate(&token, now()).await,
        "unauthorized",
        None,
    );
    // Tampered payload.
    let mut parts: Vec<String> = token.split('.').map(String::from).collect();
    parts[1] = parts[1].chars().rev().collect();
    assert_err(
        h.finance.authenticate(&parts.join("."), now()).await,
        "unauthorized",
        None,
    );
    for junk in ["", "a.b.c", "....", &"x".repeat(10_000)] {
        assert_err(
            h.finance.authenticate(junk, now()).await,
            "unauthorized",
            None,
        );
    }
}

pub async fn throttle_locks_after_five_failures_with_growing_delay(h: &Harness) {
    h.register("ann").await;
    let t0 = now();
    for _ in 0..5 {
        assert_err(
            login(&h.finance, "ann", "wrong-password", t0).await,
            "unauthorized",
            None,
        );
    }
    // Locked for 30 s: even the right password is refused, and the error says when to retry.
    match login(&h.finance, "ann", PASSWORD, t0 + TimeDelta::seconds(1)).await {
        Err(Error::RateLimited { retry_after_secs }) => assert_eq!(
            retry_after_secs, 29,
            "5 failures lock for 30 s; 1 s later 29 s remain"
        ),
        other => panic!("expected RateLimited, got {other:?}"),
    }
    // After the delay one more failure locks for twice as long.
    let t1 = t0 + TimeDelta::seconds(31);
    assert_err(
        login(&h.finance, "ann", "wrong-password", t1).await,
        "unauthorized",
        None,
    );
    match login(&h.finance, "ann", PASSWORD, t1 + TimeDelta::seconds(31)).await {
        Err(Error::RateLimited { retry_after_secs }) => assert_eq!(
            retry_after_secs, 29,
            "the 6th failure locks for 60 s; 31 s later 29 s remain"
        ),
        other => panic!("expected RateLimited after the 6th failure, got {other:?}"),
    }
    assert!(
        login(&h.finance, "ann", PASSWORD, t1 + TimeDelta::seconds(61))
            .await
            .is_ok(),
        "the right password works once the doubled lock has passed"
    );
    // Unknown usernames are throttled the same way, so the lock reveals nothing.
    for _ in 0..5 {
        let _ = login(&h.finance, "ghost", "whatever-pass", t0).await;
    }
    assert_err(
        login(&h.finance, "ghost", "whatever-pass", t0).await,
        "rate_limited",
        None,
    );
}

pub async fn throttle_survives_a_restart(h: &Harness) {
    h.register("ann").await;
    for _ in 0..5 {
        let _ = login(&h.finance, "ann", "wrong-password", now()).await;
    }
    let restarted = h.restarted().await;
    assert_err(
        login(&restarted, "ann", PASSWORD, now()).await,
        "rate_limited",
        None,
    );
}

pub async fn successful_login_clears_failures(h: &Harness) {
    h.register("ann").await;
    for _ in 0..4 {
        let _ = login(&h.finance, "ann", "wrong-password", now()).await;
    }
    login(&h.finance, "ann", PASSWORD, now()).await.unwrap();
    // The count starts over: four more failures do not lock.
    for _ in 0..4 {
        let _ = login(&h.finance, "ann", "wrong-password", now()).await;
    }
    assert!(
        login(&h.finance, "ann", PASSWORD, now()).await.is_ok(),
        "four failures after a successful login do not lock: the count started over"
    );
}

pub async fn change_password_revokes_other_sessions(h: &Harness) {
    h.register("ann").await;
    let (keep, me) = h.login("ann").await;
    let (other, _) = h.login("ann").await;
    let current = Password::for_login(PASSWORD);
    assert_err(
        h.finance
            .change_password(&me, &Password::for_login("wrong-one!"), "brand-new-pass-7")
            .await,
        "validation",
        Some("currentPassword"),
    );
    assert_err(
        h.finance.change_password(&me, &current, "qwerty123").await,
        "validation",
        Some("newPassword"),
    );
    // Refused changes left every session alive.
    assert!(
        h.finance.authenticate(&other, now()).await.is_ok(),
        "a refused password change leaves the other session alive"
    );

    h.finance
        .change_password(&me, &current, "brand-new-pass-7")
        .await
        .unwrap();
    assert!(
        h.finance.authenticate(&keep, now()).await.is_ok(),
        "the session that changed it stays"
    );
    assert_err(
        h.finance.authenticate(&other, now()).await,
        "unauthorized",
        None,
    );
    assert_err(
        login(&h.finance, "ann", PASSWORD, now()).await,
        "unauthorized",
        None,
    );
    assert!(
        login(&h.finance, "ann", "brand-new-pass-7", now())
            .await
            .is_ok(),
        "the new password logs in"
    );
}

pub async fn delete_account_removes_everything_and_its_tokens(h: &Harness) {
    let (token, ann) = {
        h.register("ann").await;
        h.login("ann").await
    };
    let bob = h.user("bob").await;
    let groceries = h.category(&ann, "Groceries").await;
    h.tx(&ann, groceries.id, "5.00", "2024-03-01", "Milk").await;
    let bob_cat = h.category(&bob, "Groceries").await;
    let bob_tx = h.tx(&bob, bob_cat.id, "7.00", "2024-03-01", "Bread").await;

    assert_err(
        h.finance
            .delete_account(&ann, &Password::for_login("nope-nope"))
            .await,
        "validation",
        Some("password"),
    );
    h.finance
        .delete_account(&ann, &Password::for_login(PASSWORD))
        .await
        .unwrap();
    assert_err(
        h.finance.authenticate(&token, now()).await,
        "unauthorized",
        None,
    );
    assert!(
        h.store.user_by_username("ann").await.unwrap().is_none(),
        "the deleted user is gone from the store"
    );
    // The username is free again, and bob's data is untouched.
    h.register("ann").await;
    assert_eq!(
        h.finance.transaction(&bob, bob_tx.id).await.unwrap(),
        bob_tx,
        "another user's data survives an account deletion"
    );
}

/// The shared-database check: "more than one account" without reading them all.
pub async fn count_users_stops_at_the_limit(h: &Harness) {
    assert_eq!(h.finance.store().count_users(2).await.unwrap(), 0);
    assert!(
        !h.finance.holds_other_accounts().await.unwrap(),
        "empty store"
    );
    h.register("ann").await;
    assert!(
        !h.finance.holds_other_accounts().await.unwrap(),
        "one account is not a shared database"
    );
    h.register("bob").await;
    h.register("cat").await;
    assert_eq!(h.finance.store().count_users(2).await.unwrap(), 2, "capped");
    assert_eq!(h.finance.store().count_users(10).await.unwrap(), 3);
    assert!(
        h.finance.holds_other_accounts().await.unwrap(),
        "three accounts"
    );
}
