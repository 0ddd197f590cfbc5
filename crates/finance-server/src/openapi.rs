//! The OpenAPI 3.1 document, generated from the routes' `#[utoipa::path]`
//! annotations and the finance-api types' `ToSchema` derives, then completed
//! here with what holds for every operation: the error answers (the one
//! [`ApiError`](finance_api::ApiError) shape), the bearer scheme, and the
//! `links` from each create to the operations on the created item (so
//! schemathesis' stateful phase can chain create → read → update → delete).
//!
//! Invariants: served at `/api/v1/openapi.json` and committed at
//! `docs/openapi.json`; the test `openapi_is_fresh` fails when they differ
//! (`UPDATE_OPENAPI=1` rewrites the file). Every documented status is one
//! the server can answer; no route answers a status it does not document.

use serde_json::{Map, Value, json};
use utoipa::OpenApi;

/// The document's fixed parts; the routes add their paths.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Finance server",
        description = "The Personal Finance Manager's operations over REST/JSON. Amounts are \
                       exact decimal strings in the user's currency; dates YYYY-MM-DD. Sign in with \
                       POST /auth/login and send the token as `Authorization: Bearer <token>`.",
        license(name = "MIT", identifier = "MIT")
    ),
    components(schemas(finance_api::ApiError, finance_api::ErrorCode)),
    tags(
        (name = "server", description = "The server itself"),
        (name = "auth", description = "Accounts and sessions"),
        (name = "accounts", description = "Accounts with their balances"),
        (name = "categories", description = "Income and expense categories"),
        (name = "household", description = "Households: members of a ledger with roles, invitations; the `Finance-Ledger` header chooses the ledger a call acts on"),
        (name = "budgets", description = "Budgets per category and period"),
        (name = "transactions", description = "Income, expenses and transfer legs"),
        (name = "transfers", description = "Money moved between two accounts"),
        (name = "reports", description = "The dashboard, summaries, reports and net worth"),
        (name = "imports", description = "CSV and bank statement import: the client sends the file with each step (multipart/form-data)"),
        (name = "backup", description = "Backup files of one's own ledger: download and restore"),
        (name = "schedules", description = "Recurring transactions: posting what is due, Upcoming, the forecast"),
        (name = "bulk", description = "Bulk edits of a selection, its totals, bulk delete and its undo"),
        (name = "rules", description = "Rules that fill in new transactions, and the form's suggestions"),
    )
)]
pub struct ApiDoc;

/// Error answers every operation may give, and when.
const ERRORS: &[(&str, &str)] = &[
    ("400", "The request body is not valid JSON"),
    ("413", "The request body is too large"),
    ("415", "The request body is not JSON"),
    ("422", "A value is invalid (`field` names it)"),
    (
        "429",
        "Too many attempts: retry after `Retry-After` seconds",
    ),
    ("500", "The server failed"),
    ("503", "The store cannot be reached"),
];

/// Complete the generated document: error answers, security, links.
pub fn finish(doc: utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(doc).unwrap_or_default();
    doc["components"]["securitySchemes"] = json!({
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                   "description": "The token from POST /api/v1/auth/login"}
    });
    let paths: Vec<String> = doc["paths"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let links = create_links(&doc, &paths);
    let parts = form_parts(&doc);
    if let Some(all) = doc["paths"].as_object_mut() {
        for (path, item) in all.iter_mut() {
            let Some(ops) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in ops.iter_mut() {
                complete_operation(path, method, op, links.get(path));
                encode_form_parts(op, &parts);
            }
        }
    }
    doc
}

/// The encoding of each `multipart/form-data` form's parts (a component
/// named `…Form`): `file` raw bytes, `settings` JSON.
fn form_parts(doc: &Value) -> std::collections::HashMap<String, Value> {
    let mut out = std::collections::HashMap::new();
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        for (name, schema) in schemas.iter().filter(|(n, _)| n.ends_with("Form")) {
            let mut encoding = Map::new();
            if !schema["properties"]["file"].is_null() {
                encoding.insert(
                    "file".into(),
                    json!({"contentType": "application/octet-stream"}),
                );
            }
            if !schema["properties"]["settings"].is_null() {
                encoding.insert(
                    "settings".into(),
                    json!({"contentType": "application/json"}),
                );
            }
            out.insert(
                format!("#/components/schemas/{name}"),
                Value::Object(encoding),
            );
        }
    }
    out
}

/// Say how an operation's form parts are encoded (see [`form_parts`]).
fn encode_form_parts(op: &mut Value, parts: &std::collections::HashMap<String, Value>) {
    let Some(form) = op
        .pointer_mut("/requestBody/content/multipart~1form-data")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let encoding = form
        .get("schema")
        .and_then(|s| s["$ref"].as_str())
        .and_then(|r| parts.get(r));
    if let Some(encoding) = encoding.cloned() {
        form.insert("encoding".into(), encoding);
    }
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    })
}

fn complete_operation(
    path: &str,
    method: &str,
    op: &mut Value,
    links: Option<&Map<String, Value>>,
) {
    let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
    let checks_credentials = op["operationId"] == "login";
    let has_id = path.contains("{id}");
    let Some(responses) = op["responses"].as_object_mut() else {
        return;
    };
    for (status, description) in ERRORS {
        responses
            .entry(*status)
            .or_insert_with(|| error_response(description));
    }
    if secured {
        responses
            .entry("401")
            .or_insert_with(|| error_response("No valid session: log in again"));
    }
    if checks_credentials {
        responses
            .entry("401")
            .or_insert_with(|| error_response("Wrong username or password"));
    }
    // An id in the path, the query or the body (an account, a category) may name
    // nothing of the caller's.
    if has_id || secured {
        responses
            .entry("404")
            .or_insert_with(|| error_response("No such item (or not yours)"));
    }
    // A write on a household ledger by a member whose role does not allow it.
    if secured && method != "get" {
        responses
            .entry("403")
            .or_insert_with(|| error_response("Your role on this ledger does not allow it"));
    }
    if method != "get" {
        responses
            .entry("409")
            .or_insert_with(|| error_response("The change conflicts with what is stored"));
    }
    if let (Some(links), Some(created)) = (links, responses.get_mut("201")) {
        created["links"] = Value::Object(links.clone());
    }
}

/// Whether a response's JSON schema (a component) has an `id` property.
fn answers_an_id(doc: &Value, response: &Value) -> bool {
    response["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .is_some_and(|name| !doc["components"]["schemas"][name]["properties"]["id"].is_null())
}

/// For each collection `P` with a create (`POST P` answering 201 with an
/// item that has an `id`; account writes answer the whole list, so none), links from that answer to every operation on `P/{id}…`.
fn create_links(
    doc: &Value,
    paths: &[String],
) -> std::collections::HashMap<String, Map<String, Value>> {
    let mut out = std::collections::HashMap::new();
    for collection in paths {
        let created = &doc["paths"][collection]["post"]["responses"]["201"];
        if !answers_an_id(doc, created) {
            continue;
        }
        let item = format!("{collection}/{{id}}");
        let mut links = Map::new();
        for path in paths
            .iter()
            .filter(|p| **p == item || p.starts_with(&format!("{item}/")))
        {
            let Some(ops) = doc["paths"][path].as_object() else {
                continue;
            };
            for op in ops.values() {
                if let Some(id) = op["operationId"].as_str() {
                    links.insert(
                        id.to_string(),
                        json!({"operationId": id, "parameters": {"id": "$response.body#/id"}}),
                    );
                }
            }
        }
        if !links.is_empty() {
            out.insert(collection.clone(), links);
        }
    }
    out
}
