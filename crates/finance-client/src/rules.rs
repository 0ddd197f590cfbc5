//! Rules (`/rules`) and the entry form's suggestions (`/suggestions`).

use finance_api::ApiResult;
use finance_api::types::{
    ApplyRulesInput, FormSuggestionView, IdInput, LearnedSuggestionView, ReorderRulesInput,
    RuleInput, RuleView, RulesApplicationView, SetRuleEnabledInput, SuggestForInput, SuggestInput,
    UpdateRuleInput,
};
use reqwest::Method;
use serde_json::json;

use crate::Session;

pub async fn list_rules(s: &Session, _: ()) -> ApiResult<Vec<RuleView>> {
    s.call(s.request(Method::GET, &["rules"])).await
}

pub async fn add_rule(s: &Session, input: RuleInput) -> ApiResult<Vec<RuleView>> {
    s.call(s.request(Method::POST, &["rules"]).json(&input))
        .await
}

pub async fn update_rule(s: &Session, input: UpdateRuleInput) -> ApiResult<Vec<RuleView>> {
    let req = s
        .request(Method::PUT, &["rules", &input.id])
        .json(&input.rule);
    s.call(req).await
}

pub async fn set_rule_enabled(s: &Session, input: SetRuleEnabledInput) -> ApiResult<Vec<RuleView>> {
    let req = s
        .request(Method::PUT, &["rules", &input.id, "enabled"])
        .json(&json!({ "enabled": input.enabled }));
    s.call(req).await
}

pub async fn delete_rule(s: &Session, input: IdInput) -> ApiResult<Vec<RuleView>> {
    s.call(s.request(Method::DELETE, &["rules", &input.id]))
        .await
}

pub async fn reorder_rules(s: &Session, input: ReorderRulesInput) -> ApiResult<Vec<RuleView>> {
    s.call(s.request(Method::PUT, &["rules", "order"]).json(&input))
        .await
}

pub async fn suggest_descriptions(
    s: &Session,
    input: SuggestInput,
) -> ApiResult<Vec<LearnedSuggestionView>> {
    s.call(s.request(Method::GET, &["suggestions"]).query(&input))
        .await
}

pub async fn suggest_for(
    s: &Session,
    input: SuggestForInput,
) -> ApiResult<Option<FormSuggestionView>> {
    s.call(
        s.request(Method::GET, &["suggestions", "form"])
            .query(&input),
    )
    .await
}

pub async fn rule_from_transaction(s: &Session, input: IdInput) -> ApiResult<RuleInput> {
    s.call(s.request(Method::GET, &["transactions", &input.id, "rule-draft"]))
        .await
}

pub async fn apply_rules_preview(
    s: &Session,
    input: ApplyRulesInput,
) -> ApiResult<RulesApplicationView> {
    s.call(
        s.request(Method::POST, &["rules", "apply", "preview"])
            .json(&input),
    )
    .await
}

pub async fn apply_rules(s: &Session, input: ApplyRulesInput) -> ApiResult<RulesApplicationView> {
    s.call(s.request(Method::POST, &["rules", "apply"]).json(&input))
        .await
}
