//! Rules: `GET/POST /rules`, `PUT/DELETE /rules/{id}`, `PUT /rules/{id}/enabled`,
//! `PUT /rules/order`; applying them to existing rows (`POST /rules/apply/preview`,
//! then `POST /rules/apply`); a rule pre-filled from a transaction
//! (`GET /transactions/{id}/rule-draft`); the learned description suggestions
//! (`GET /suggestions?prefix=`) and the transaction form's suggestion
//! (`GET /suggestions/form`). Every rule write answers the whole list in order,
//! as on the desktop.

use axum::Json;
use axum::http::StatusCode;
use finance_api::ops::rules;
use finance_api::types::{
    ApplyRulesInput, CategoryKindView, FormSuggestionView, IdInput, LearnedSuggestionView,
    ReorderRulesInput, RuleInput, RuleView, RulesApplicationView, SetRuleEnabledInput,
    SuggestForInput, SuggestInput, UpdateRuleInput,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::HttpResult;
use crate::extract::{Body, Caller, Params, PathId};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rules, add_rule))
        .routes(routes!(update_rule, delete_rule))
        .routes(routes!(set_rule_enabled))
        .routes(routes!(reorder_rules))
        .routes(routes!(apply_rules_preview))
        .routes(routes!(apply_rules))
        .routes(routes!(rule_from_transaction))
        .routes(routes!(suggest_descriptions))
        .routes(routes!(suggest_for))
}

/// Enabled or not.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnabledBody {
    pub enabled: bool,
}

/// What the description field holds so far.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// The description typed so far.
    pub prefix: String,
}

/// What the transaction form knows so far.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SuggestForQuery {
    pub description: String,
    /// Blank or absent: not typed yet (an amount condition then does not hold).
    pub amount: Option<String>,
    pub account_id: Option<String>,
    /// `income` or `expense`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<CategoryKindView>,
}

/// The user's rules in order.
#[utoipa::path(get, path = "/rules", tag = "rules", security(("bearer" = [])),
    responses((status = 200, description = "Every rule, in order", body = Vec<RuleView>)))]
pub async fn list_rules(c: Caller) -> HttpResult<Json<Vec<RuleView>>> {
    Ok(Json(rules::list_rules(&c.cx, ()).await?))
}

/// Add a rule (last in the order); answers the list after the write.
#[utoipa::path(post, path = "/rules", tag = "rules", security(("bearer" = [])),
    request_body = RuleInput,
    responses((status = 201, description = "The rules after the write", body = Vec<RuleView>)))]
pub async fn add_rule(
    c: Caller,
    Body(input): Body<RuleInput>,
) -> HttpResult<(StatusCode, Json<Vec<RuleView>>)> {
    let views = rules::add_rule(&c.cx, input).await?;
    Ok((StatusCode::CREATED, Json(views)))
}

/// Replace a rule's fields; answers the list after the write.
#[utoipa::path(put, path = "/rules/{id}", tag = "rules", security(("bearer" = [])),
    params(("id" = String, Path, description = "The rule's id")),
    request_body = RuleInput,
    responses((status = 200, description = "The rules after the write", body = Vec<RuleView>)))]
pub async fn update_rule(
    c: Caller,
    PathId(id): PathId<String>,
    Body(rule): Body<RuleInput>,
) -> HttpResult<Json<Vec<RuleView>>> {
    let input = UpdateRuleInput { id, rule };
    Ok(Json(rules::update_rule(&c.cx, input).await?))
}

/// Enable or disable a rule; answers the list after the write.
#[utoipa::path(put, path = "/rules/{id}/enabled", tag = "rules", security(("bearer" = [])),
    params(("id" = String, Path, description = "The rule's id")),
    request_body = EnabledBody,
    responses((status = 200, description = "The rules after the write", body = Vec<RuleView>)))]
pub async fn set_rule_enabled(
    c: Caller,
    PathId(id): PathId<String>,
    Body(body): Body<EnabledBody>,
) -> HttpResult<Json<Vec<RuleView>>> {
    let input = SetRuleEnabledInput {
        id,
        enabled: body.enabled,
    };
    Ok(Json(rules::set_rule_enabled(&c.cx, input).await?))
}

/// Delete a rule; answers the list after the write.
#[utoipa::path(delete, path = "/rules/{id}", tag = "rules", security(("bearer" = [])),
    params(("id" = String, Path, description = "The rule's id")),
    responses((status = 200, description = "The rules after the write", body = Vec<RuleView>)))]
pub async fn delete_rule(c: Caller, PathId(id): PathId<String>) -> HttpResult<Json<Vec<RuleView>>> {
    Ok(Json(rules::delete_rule(&c.cx, IdInput { id }).await?))
}

/// Put the rules in a new order (every rule's id, once).
#[utoipa::path(put, path = "/rules/order", tag = "rules", security(("bearer" = [])),
    request_body = ReorderRulesInput,
    responses((status = 200, description = "The rules in their new order", body = Vec<RuleView>)))]
pub async fn reorder_rules(
    c: Caller,
    Body(input): Body<ReorderRulesInput>,
) -> HttpResult<Json<Vec<RuleView>>> {
    Ok(Json(rules::reorder_rules(&c.cx, input).await?))
}

/// What applying the rules to the filter's rows would change (writes nothing).
#[utoipa::path(post, path = "/rules/apply/preview", tag = "rules", security(("bearer" = [])),
    request_body = ApplyRulesInput,
    responses((status = 200, description = "The rows the rules would change", body = RulesApplicationView)))]
pub async fn apply_rules_preview(
    c: Caller,
    Body(input): Body<ApplyRulesInput>,
) -> HttpResult<Json<RulesApplicationView>> {
    Ok(Json(rules::apply_rules_preview(&c.cx, input).await?))
}

/// Apply the rules to the filter's rows (one write).
#[utoipa::path(post, path = "/rules/apply", tag = "rules", security(("bearer" = [])),
    request_body = ApplyRulesInput,
    responses((status = 200, description = "The rows the rules changed", body = RulesApplicationView)))]
pub async fn apply_rules(
    c: Caller,
    Body(input): Body<ApplyRulesInput>,
) -> HttpResult<Json<RulesApplicationView>> {
    Ok(Json(rules::apply_rules(&c.cx, input).await?))
}

/// A rule form pre-filled from a transaction; writes nothing.
#[utoipa::path(get, path = "/transactions/{id}/rule-draft", tag = "rules", security(("bearer" = [])),
    params(("id" = String, Path, description = "The transaction's id")),
    responses((status = 200, description = "The rule form's fields", body = RuleInput)))]
pub async fn rule_from_transaction(
    c: Caller,
    PathId(id): PathId<String>,
) -> HttpResult<Json<RuleInput>> {
    Ok(Json(
        rules::rule_from_transaction(&c.cx, IdInput { id }).await?,
    ))
}

/// Past descriptions starting with `prefix`, with their category and last amount.
#[utoipa::path(get, path = "/suggestions", tag = "rules", security(("bearer" = [])),
    params(SuggestQuery),
    responses((status = 200, description = "The learned suggestions", body = Vec<LearnedSuggestionView>)))]
pub async fn suggest_descriptions(
    c: Caller,
    Params(q): Params<SuggestQuery>,
) -> HttpResult<Json<Vec<LearnedSuggestionView>>> {
    let input = SuggestInput { prefix: q.prefix };
    Ok(Json(rules::suggest_descriptions(&c.cx, input).await?))
}

/// What the transaction form may fill in (the first matching rule, else history); null when nothing.
#[utoipa::path(get, path = "/suggestions/form", tag = "rules", security(("bearer" = [])),
    params(SuggestForQuery),
    responses((status = 200, description = "The suggestion, or null", body = Option<FormSuggestionView>)))]
pub async fn suggest_for(
    c: Caller,
    Params(q): Params<SuggestForQuery>,
) -> HttpResult<Json<Option<FormSuggestionView>>> {
    let input = SuggestForInput {
        description: q.description,
        amount: q.amount,
        account_id: q.account_id,
        kind: q.kind,
    };
    Ok(Json(rules::suggest_for(&c.cx, input).await?))
}
