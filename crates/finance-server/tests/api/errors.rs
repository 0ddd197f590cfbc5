//! Every error answer is the one shape with the status of its code, including
//! axum's own rejections (bad JSON, wrong content type, missing field, no such
//! route, wrong method).

use reqwest::{Method, StatusCode};

use super::harness::{Srv, expect_error};

pub async fn errors_have_one_shape_and_their_status(s: &Srv) {
    let t = s.user("ann").await;
    let post = |body: &'static str, content_type: &'static str| {
        s.req(Method::POST, "/categories", Some(&t))
            .header("content-type", content_type)
            .body(body)
    };
    let res = post("{not json", "application/json").send().await.unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "validation", None, "bad JSON").await;
    let res = post(r#"{"name":"x","type":"expense"}"#, "text/plain")
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "validation",
        None,
        "not JSON",
    )
    .await;
    let res = post(r#"{"name":"x"}"#, "application/json")
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        None,
        "a missing field",
    )
    .await;
    let res = post(r#"{"name":"x","type":"both"}"#, "application/json")
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        None,
        "an unknown kind",
    )
    .await;
    let res = post(r#"{"name":"  ","type":"expense"}"#, "application/json")
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("name"),
        "a blank name",
    )
    .await;
    let res = s
        .req(Method::GET, "/categories/not-an-id/usage", Some(&t))
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("id"),
        "a malformed id",
    )
    .await;
    let res = s
        .req(Method::GET, "/nothing-here", Some(&t))
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "no such route",
    )
    .await;
    let res = s
        .req(Method::PUT, "/categories", Some(&t))
        .send()
        .await
        .unwrap();
    assert!(
        res.headers().get("allow").is_some(),
        "405 names the allowed methods"
    );
    expect_error(
        res,
        StatusCode::METHOD_NOT_ALLOWED,
        "validation",
        None,
        "wrong method",
    )
    .await;
}
