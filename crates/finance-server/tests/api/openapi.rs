//! The committed OpenAPI document (`docs/openapi.json`) is what the code
//! generates; `UPDATE_OPENAPI=1 cargo test -p finance-server --test api openapi`
//! rewrites it. Also checks what schemathesis relies on.

use std::path::PathBuf;

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

/// The document as committed: pretty JSON with a final newline.
pub fn rendered() -> String {
    let mut text = serde_json::to_string_pretty(&finance_server::document()).expect("serialisable");
    text.push('\n');
    text
}

#[test]
fn openapi_is_fresh() {
    let want = rendered();
    let path = committed();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &want).expect("write docs/openapi.json");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p finance-server --test api openapi` and commit it"
    );
}

#[test]
fn the_document_is_openapi_3_1_with_bearer_auth_and_links() {
    let doc = finance_server::document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let paths = doc["paths"].as_object().expect("paths");
    assert!(
        paths.keys().all(|p| p.starts_with("/api/v1/")),
        "everything under /api/v1"
    );
    let mut operations = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let responses = op["responses"].as_object().unwrap();
            for status in ["422", "500"] {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} documents {status}"
                );
            }
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let public = [
                "/api/v1/health",
                "/api/v1/auth/login",
                "/api/v1/auth/register",
            ];
            assert_eq!(
                secured,
                !public.contains(&path.as_str()),
                "{method} {path}: security"
            );
            if secured {
                assert!(
                    responses.contains_key("401"),
                    "{method} {path} documents 401"
                );
            }
            if secured && method != "get" {
                assert!(
                    responses.contains_key("403"),
                    "{method} {path} documents 403 (a viewer's write)"
                );
            }
        }
    }
    assert!(
        operations >= 10,
        "the document lists the operations ({operations})"
    );
    let links = &doc["paths"]["/api/v1/categories"]["post"]["responses"]["201"]["links"];
    for op in ["rename_category", "delete_category", "category_usage"] {
        assert_eq!(
            links[op]["parameters"]["id"], "$response.body#/id",
            "create links to {op}: {links}"
        );
    }
}
