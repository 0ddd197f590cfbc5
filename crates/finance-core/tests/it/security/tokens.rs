//! Token attacks: every forged, expired, premature or revoked token is `Unauthorized`, none panics.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::TimeDelta;
use finance_core::domain::user::Password;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

use finance_testkit::{Harness, PASSWORD, now};

fn b64(v: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

#[track_caller]
fn refused(r: finance_core::Result<finance_core::AuthUser>, what: &str) {
    match r {
        Err(finance_core::Error::Unauthorized { .. }) => {}
        other => panic!("{what}: expected Unauthorized, got {other:?}"),
    }
}

pub async fn every_forged_or_revoked_token_is_unauthorized(h: &Harness) {
    h.register("ann").await;
    let (token, ann) = h.login("ann").await;
    let f = &h.finance;
    let parts: Vec<&str> = token.split('.').collect();
    let claims: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(parts[1])
            .expect("payload is base64url"),
    )
    .expect("json claims");

    // Tampered payload: another user id, a later expiry — with the original signature.
    for patch in [
        json!({"sub": finance_core::Id::generate().to_hex()}),
        json!({"exp": claims["exp"].as_i64().unwrap() + 86_400}),
    ] {
        let mut c = claims.clone();
        for (k, v) in patch.as_object().unwrap() {
            c[k] = v.clone();
        }
        refused(
            f.authenticate(&format!("{}.{}.{}", parts[0], b64(&c), parts[2]), now())
                .await,
            "tampered payload",
        );
    }
    // Wrong signature, alg none, switched algorithms.
    let mut sig = parts[2].to_string();
    sig.replace_range(0..1, if sig.starts_with('A') { "B" } else { "A" });
    refused(
        f.authenticate(&format!("{}.{}.{sig}", parts[0], parts[1]), now())
            .await,
        "wrong signature",
    );
    let none = b64(&json!({"alg": "none", "typ": "JWT"}));
    refused(
        f.authenticate(&format!("{none}.{}.", parts[1]), now())
            .await,
        "alg none",
    );
    refused(
        f.authenticate(&format!("{none}.{}", parts[1]), now()).await,
        "alg none, two parts",
    );
    for alg in [Algorithm::HS384, Algorithm::HS512] {
        // Even signed with a guessed key, a non-HS256 token is refused before its signature matters.
        let forged = jsonwebtoken::encode(
            &Header::new(alg),
            &claims,
            &EncodingKey::from_secret(b"guessed-key-guessed-key-guessed-key"),
        )
        .expect("encode");
        refused(f.authenticate(&forged, now()).await, "switched algorithm");
    }
    let rs = b64(&json!({"alg": "RS256", "typ": "JWT"}));
    refused(
        f.authenticate(&format!("{rs}.{}.{}", parts[1], parts[2]), now())
            .await,
        "RS256 header",
    );

    // Time: expired, not yet valid.
    refused(
        f.authenticate(&token, now() + TimeDelta::days(7)).await,
        "expired",
    );
    refused(
        f.authenticate(&token, now() - TimeDelta::seconds(1)).await,
        "not yet valid",
    );

    // Garbage.
    for junk in [
        "",
        " ",
        "null",
        "a.b",
        "a.b.c.d",
        "\u{0}",
        "Bearer x",
        &"A".repeat(100_000),
        "ey.ey.ey",
        "é.é.é",
    ] {
        refused(f.authenticate(junk, now()).await, "garbage");
    }

    // Revoked by logout; by a password change; a deleted user's token.
    let (second, _) = h.login("ann").await;
    f.logout(&token).await.expect("logout");
    refused(f.authenticate(&token, now()).await, "after logout");
    let (third, me) = h.login("ann").await;
    f.change_password(&me, &Password::for_login(PASSWORD), "a-brand-new-secret-1")
        .await
        .expect("change");
    refused(
        f.authenticate(&second, now()).await,
        "after password change",
    );
    f.delete_account(&me, &Password::for_login("a-brand-new-secret-1"))
        .await
        .expect("delete");
    refused(f.authenticate(&third, now()).await, "deleted user");
    drop(ann);
}
