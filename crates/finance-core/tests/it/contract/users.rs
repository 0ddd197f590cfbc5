//! Registration, sessions, throttling and password changes.

use chrono::{DateTime, TimeDelta, Utc};
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
    for _ in 0..5 {
        assert_err(
            login(&h.finance, "ann", "wrong-password", now()).await,
            "unauthorized",
            None,
        );
    }
    // Locked for 30 s of the store's time: even the right password is refused,
    // and the error says when to retry.
    h.advance_store_clock(TimeDelta::seconds(1));
    match login(&h.finance, "ann", PASSWORD, now()).await {
        Err(Error::RateLimited { retry_after_secs }) => assert_eq!(
            retry_after_secs, 29,
            "5 failures lock for 30 s; 1 s later 29 s remain"
        ),
        other => panic!("expected RateLimited, got {other:?}"),
    }
    // Guesses during the lock are refused unchecked and do not lengthen it.
    for _ in 0..10 {
        assert_err(
            login(&h.finance, "ann", "wrong-password", now()).await,
            "rate_limited",
            None,
        );
    }
    // After the delay one more failure locks for twice as long.
    h.advance_store_clock(TimeDelta::seconds(30));
    assert_err(
        login(&h.finance, "ann", "wrong-password", now()).await,
        "unauthorized",
        None,
    );
    h.advance_store_clock(TimeDelta::seconds(31));
    match login(&h.finance, "ann", PASSWORD, now()).await {
        Err(Error::RateLimited { retry_after_secs }) => assert_eq!(
            retry_after_secs, 29,
            "the 6th failure locks for 60 s; 31 s later 29 s remain"
        ),
        other => panic!("expected RateLimited after the 6th failure, got {other:?}"),
    }
    // The lock doubles with each failure after a lock, up to the 1 h maximum, never beyond.
    let mut locks = Vec::new();
    for _ in 0..10 {
        h.advance_store_clock(TimeDelta::hours(1));
        assert_err(
            login(&h.finance, "ann", "wrong-password", now()).await,
            "unauthorized",
            None,
        );
        match login(&h.finance, "ann", PASSWORD, now()).await {
            Err(Error::RateLimited { retry_after_secs }) => locks.push(retry_after_secs),
            other => panic!("expected RateLimited after a failure, got {other:?}"),
        }
    }
    assert_eq!(
        locks,
        [120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600, 3600],
        "failures 7 to 16: 2 min doubling, capped at 1 h (each read right after the failure)"
    );
    // A quiet day forgets the count: the next failure does not lock.
    h.advance_store_clock(TimeDelta::days(1) + TimeDelta::hours(1));
    assert_err(
        login(&h.finance, "ann", "wrong-password", now()).await,
        "unauthorized",
        None,
    );
    assert!(
        login(&h.finance, "ann", PASSWORD, now()).await.is_ok(),
        "after a day without failures the count starts over, so one failure does not lock"
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
    // Locked at the maximum: the first right password after the lock ends gets
    // in, and resets the count.
    for _ in 0..12 {
        let _ = login(&h.finance, "ann", "wrong-password", now()).await;
        h.advance_store_clock(TimeDelta::hours(1));
    }
    assert!(
        login(&h.finance, "ann", PASSWORD, now()).await.is_ok(),
        "the right password works as soon as the lock has ended"
    );
    for _ in 0..4 {
        assert_err(
            login(&h.finance, "ann", "wrong-password", now()).await,
            "unauthorized",
            None,
        );
    }
    assert!(
        login(&h.finance, "ann", PASSWORD, now()).await.is_ok(),
        "the log-in after the lock reset the count: four failures do not lock"
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

/// Throttle rows (SQLite) or documents (MongoDB), counted below the store.
async fn throttle_rows(h: &Harness) -> u64 {
    if let Some(path) = h.sqlite_path() {
        let conn = rusqlite::Connection::open(path).expect("open the SQLite file");
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM login_throttle", [], |r| r.get(0))
            .expect("count throttle rows");
        return n as u64;
    }
    let db = h.raw_mongo().await.expect("a MongoDB harness");
    db.collection::<mongodb::bson::Document>("loginThrottle")
        .count_documents(mongodb::bson::doc! {})
        .await
        .expect("count throttle documents")
}

/// Store a lock as an earlier version (or a desktop with a wrong clock) wrote
/// it: `failures` and a lock until `until`, nothing else.
async fn write_raw_lock(h: &Harness, username: &str, failures: i64, until: DateTime<Utc>) {
    if let Some(path) = h.sqlite_path() {
        let conn = rusqlite::Connection::open(path).expect("open the SQLite file");
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .unwrap();
        conn.execute(
            "INSERT OR REPLACE INTO login_throttle (username, failures, locked_until) VALUES (?1, ?2, ?3)",
            rusqlite::params![username, failures, until.timestamp_millis()],
        )
        .expect("write a raw throttle row");
        return;
    }
    use mongodb::bson::{DateTime as BsonDateTime, doc};
    let db = h.raw_mongo().await.expect("a MongoDB harness");
    db.collection::<mongodb::bson::Document>("loginThrottle")
        .replace_one(
            doc! { "_id": username },
            doc! { "failures": failures, "lockedUntil": BsonDateTime::from_millis(until.timestamp_millis()) },
        )
        .upsert(true)
        .await
        .expect("write a raw throttle document");
}

pub async fn throttle_ignores_the_callers_clock(h: &Harness) {
    h.register("ann").await;
    // A desktop whose clock says 2100 fails five times: the lock it causes is
    // 30 s on the store's clock, not 30 s after 2100.
    let in_2100 = now() + TimeDelta::days(76 * 365);
    for _ in 0..5 {
        assert_err(
            login(&h.finance, "ann", "wrong-password", in_2100).await,
            "unauthorized",
            None,
        );
    }
    match login(&h.finance, "ann", PASSWORD, now()).await {
        Err(Error::RateLimited { retry_after_secs }) => assert!(
            (1..=30).contains(&retry_after_secs),
            "a lock lasts 30 s of the store's time whatever the failing desktop's clock said, got {retry_after_secs} s"
        ),
        other => panic!("expected a 30 s lock, got {other:?}"),
    }
    h.advance_store_clock(TimeDelta::seconds(31));
    assert!(
        login(&h.finance, "ann", PASSWORD, now() - TimeDelta::days(1))
            .await
            .is_ok(),
        "once the store's 30 s are over, the right password works from a desktop whose clock is a day slow"
    );

    // A lock stored in the far future (by an older version on a wrong clock)
    // is treated as expired: the right password gets in and resets it.
    write_raw_lock(h, "ann", 40, h.store_now() + TimeDelta::days(76 * 365)).await;
    assert!(
        login(&h.finance, "ann", PASSWORD, now()).await.is_ok(),
        "a lock ending in 2100 is longer than the 1 h maximum, so it is treated as expired"
    );
    // So is one just past the maximum.
    write_raw_lock(h, "ann", 40, h.store_now() + TimeDelta::minutes(61)).await;
    assert!(
        login(&h.finance, "ann", PASSWORD, now()).await.is_ok(),
        "a lock ending 61 min from the store's now exceeds the maximum and is treated as expired"
    );
    for _ in 0..4 {
        assert_err(
            login(&h.finance, "ann", "wrong-password", now()).await,
            "unauthorized",
            None,
        );
    }
    assert!(
        login(&h.finance, "ann", PASSWORD, now()).await.is_ok(),
        "the log-in past the expired lock reset the count: four failures do not lock"
    );
    // A lock within the maximum is kept.
    write_raw_lock(h, "ann", 12, h.store_now() + TimeDelta::minutes(59)).await;
    match login(&h.finance, "ann", PASSWORD, now()).await {
        Err(Error::RateLimited { retry_after_secs }) => assert!(
            (3480..=3540).contains(&retry_after_secs),
            "a stored lock within the maximum holds until it ends, got {retry_after_secs} s"
        ),
        other => panic!("expected the stored 59 min lock to hold, got {other:?}"),
    }
}

pub async fn throttle_keeps_no_rows_for_unknown_usernames(h: &Harness) {
    h.register("ann").await;
    let known_wrong = login(&h.finance, "ann", "wrong-password", now())
        .await
        .unwrap_err();
    assert_eq!(
        throttle_rows(h).await,
        1,
        "a failure for an existing user is counted in one row"
    );
    for i in 0..1000 {
        let unknown = login(&h.finance, &format!("nobody{i}"), "wrong-password", now())
            .await
            .unwrap_err();
        assert_eq!(
            unknown, known_wrong,
            "an unknown username answers exactly like a wrong password"
        );
    }
    assert_eq!(
        throttle_rows(h).await,
        1,
        "1,000 distinct unknown usernames leave no throttle row"
    );
}

pub async fn concurrent_guesses_get_only_the_free_attempts(h: &Harness) {
    h.register("ann").await;
    let guesses: Vec<_> = (0..20)
        .map(|i| {
            let f = h.finance.clone();
            tokio::spawn(async move { login(&f, "ann", &format!("wrong-guess-{i}"), now()).await })
        })
        .collect();
    let mut checked = 0;
    let mut refused = 0;
    for g in guesses {
        match g.await.expect("guess task") {
            Err(Error::Unauthorized { .. }) => checked += 1,
            Err(Error::RateLimited { .. }) => refused += 1,
            other => panic!("a wrong guess must be refused, got {other:?}"),
        }
    }
    assert_eq!(
        (checked, refused),
        (5, 15),
        "20 simultaneous guesses: only the 5 free ones reach the password check"
    );
}

pub async fn change_password_is_throttled_like_login(h: &Harness) {
    h.register("ann").await;
    let (_, me) = h.login("ann").await;
    for i in 0..5 {
        assert_err(
            h.finance
                .change_password(
                    &me,
                    &Password::for_login(&format!("guess-{i}-x")),
                    "brand-new-pass-7",
                )
                .await,
            "validation",
            Some("currentPassword"),
        );
    }
    // Locked now: the right password is refused with log-in's error, and log-in
    // and account deletion share the lock.
    match h
        .finance
        .change_password(&me, &Password::for_login(PASSWORD), "brand-new-pass-7")
        .await
    {
        Err(Error::RateLimited { retry_after_secs }) => assert_eq!(
            retry_after_secs, 30,
            "5 wrong current passwords lock like 5 failed log-ins (30 s)"
        ),
        other => panic!("expected RateLimited after 5 wrong current passwords, got {other:?}"),
    }
    assert_err(
        login(&h.finance, "ann", PASSWORD, now()).await,
        "rate_limited",
        None,
    );
    assert_err(
        h.finance
            .delete_account(&me, &Password::for_login(PASSWORD))
            .await,
        "rate_limited",
        None,
    );
    h.advance_store_clock(TimeDelta::seconds(31));
    // One wrong guess after the lock locks again, for twice as long.
    assert_err(
        h.finance
            .change_password(&me, &Password::for_login("guess-6-x"), "brand-new-pass-7")
            .await,
        "validation",
        Some("currentPassword"),
    );
    assert_err(
        login(&h.finance, "ann", PASSWORD, now()).await,
        "rate_limited",
        None,
    );
    h.advance_store_clock(TimeDelta::seconds(61));
    h.finance
        .change_password(&me, &Password::for_login(PASSWORD), "brand-new-pass-7")
        .await
        .expect("the right current password works once the lock is over");
    // The change proved the password: the count starts over.
    for _ in 0..4 {
        let _ = login(&h.finance, "ann", "wrong-password", now()).await;
    }
    assert!(
        login(&h.finance, "ann", "brand-new-pass-7", now())
            .await
            .is_ok(),
        "a successful change resets the failures like a log-in"
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
