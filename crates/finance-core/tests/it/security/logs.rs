//! Secrets never reach the logs: everything the core logs at TRACE level while
//! registering, signing in (right and wrong), changing a password, importing
//! a CSV file, signing out
//! and failing to reach a MongoDB server whose URI carries a password is
//! captured and searched for each secret.

use finance_core::domain::user::Password;
use finance_core::store::mongo::MongoStore;

use finance_testkit::{Harness, PASSWORD, captured_logs, now};

pub async fn no_secret_reaches_the_logs(h: &Harness) {
    let logs = captured_logs();
    h.register("ann").await;
    let wrong = "wrong-guess-Zq81x";
    let _ = h
        .finance
        .login("ann", &Password::for_login(wrong), now())
        .await;
    let (token, me) = h.login("ann").await;
    let new_password = "fresh-secret-Kv93m";
    h.finance
        .change_password(&me, &Password::for_login(PASSWORD), new_password)
        .await
        .unwrap();
    // An import whose rows carry a secret-looking description.
    let csv_secret = "csv-secret-Pt64r";
    let csv =
        format!("date,amount,description,category\n2024-01-02,-3.50,{csv_secret},Groceries\n");
    let settings = finance_core::csv_io::sniff_csv(csv.as_bytes())
        .unwrap()
        .guess;
    h.finance
        .import_commit(
            &me,
            None,
            csv.as_bytes(),
            &settings,
            &[],
            true,
            now(),
            &|_, _| {},
        )
        .await
        .unwrap();
    h.finance.logout(&token).await.unwrap();
    let uri_secret = "uri-pass-Wd72p";
    let err = MongoStore::connect(
        &format!("mongodb://ann:{uri_secret}@127.0.0.1:9/?serverSelectionTimeoutMS=300&connectTimeoutMS=300"),
        "finance",
    )
    .await
    .expect_err("nothing listens on port 9");
    assert_eq!(err.code().as_str(), "unavailable");
    assert!(
        !err.to_string().contains(uri_secret),
        "the error shows the URI password: {err}"
    );

    let text = String::from_utf8_lossy(&logs.lock().unwrap()).to_string();
    assert!(
        text.contains("signed in"),
        "the capture works (it saw the sign-in): {text}"
    );
    for (what, secret) in [
        ("password", PASSWORD),
        ("wrong password", wrong),
        ("new password", new_password),
        ("session token", token.as_str()),
        ("URI password", uri_secret),
        ("imported row text", csv_secret),
    ] {
        assert!(!text.contains(secret), "the {what} appears in the logs");
    }
}
