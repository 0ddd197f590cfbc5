//! Rule commands: the bodies are [`finance_api::ops::rules`].

use finance_api::ops::rules;
use finance_api::types::{
    ApplyRulesInput, FormSuggestionView, IdInput, LearnedSuggestionView, ReorderRulesInput,
    RuleInput, RuleView, RulesApplicationView, SetRuleEnabledInput, SuggestForInput, SuggestInput,
    UpdateRuleInput,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_rules(state: State<'_, AppState>) -> ApiResult<Vec<RuleView>> {
    rules::list_rules(&state.cx().await?, ()).await
}

#[tauri::command]
pub async fn add_rule(state: State<'_, AppState>, input: RuleInput) -> ApiResult<Vec<RuleView>> {
    rules::add_rule(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn update_rule(
    state: State<'_, AppState>,
    input: UpdateRuleInput,
) -> ApiResult<Vec<RuleView>> {
    rules::update_rule(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn set_rule_enabled(
    state: State<'_, AppState>,
    input: SetRuleEnabledInput,
) -> ApiResult<Vec<RuleView>> {
    rules::set_rule_enabled(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn delete_rule(state: State<'_, AppState>, input: IdInput) -> ApiResult<Vec<RuleView>> {
    rules::delete_rule(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn reorder_rules(
    state: State<'_, AppState>,
    input: ReorderRulesInput,
) -> ApiResult<Vec<RuleView>> {
    rules::reorder_rules(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn suggest_descriptions(
    state: State<'_, AppState>,
    input: SuggestInput,
) -> ApiResult<Vec<LearnedSuggestionView>> {
    rules::suggest_descriptions(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn suggest_for(
    state: State<'_, AppState>,
    input: SuggestForInput,
) -> ApiResult<Option<FormSuggestionView>> {
    rules::suggest_for(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn rule_from_transaction(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<RuleInput> {
    rules::rule_from_transaction(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn apply_rules_preview(
    state: State<'_, AppState>,
    input: ApplyRulesInput,
) -> ApiResult<RulesApplicationView> {
    rules::apply_rules_preview(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn apply_rules(
    state: State<'_, AppState>,
    input: ApplyRulesInput,
) -> ApiResult<RulesApplicationView> {
    rules::apply_rules(&state.cx().await?, input).await
}
