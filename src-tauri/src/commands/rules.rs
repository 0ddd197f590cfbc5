//! Rule commands: the bodies are [`finance_api::ops::rules`].

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
    crate::forward!(state, rules::list_rules(()))
}

#[tauri::command]
pub async fn add_rule(state: State<'_, AppState>, input: RuleInput) -> ApiResult<Vec<RuleView>> {
    crate::forward!(state, rules::add_rule(input))
}

#[tauri::command]
pub async fn update_rule(
    state: State<'_, AppState>,
    input: UpdateRuleInput,
) -> ApiResult<Vec<RuleView>> {
    crate::forward!(state, rules::update_rule(input))
}

#[tauri::command]
pub async fn set_rule_enabled(
    state: State<'_, AppState>,
    input: SetRuleEnabledInput,
) -> ApiResult<Vec<RuleView>> {
    crate::forward!(state, rules::set_rule_enabled(input))
}

#[tauri::command]
pub async fn delete_rule(state: State<'_, AppState>, input: IdInput) -> ApiResult<Vec<RuleView>> {
    crate::forward!(state, rules::delete_rule(input))
}

#[tauri::command]
pub async fn reorder_rules(
    state: State<'_, AppState>,
    input: ReorderRulesInput,
) -> ApiResult<Vec<RuleView>> {
    crate::forward!(state, rules::reorder_rules(input))
}

#[tauri::command]
pub async fn suggest_descriptions(
    state: State<'_, AppState>,
    input: SuggestInput,
) -> ApiResult<Vec<LearnedSuggestionView>> {
    crate::forward!(state, rules::suggest_descriptions(input))
}

#[tauri::command]
pub async fn suggest_for(
    state: State<'_, AppState>,
    input: SuggestForInput,
) -> ApiResult<Option<FormSuggestionView>> {
    crate::forward!(state, rules::suggest_for(input))
}

#[tauri::command]
pub async fn rule_from_transaction(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<RuleInput> {
    crate::forward!(state, rules::rule_from_transaction(input))
}

#[tauri::command]
pub async fn apply_rules_preview(
    state: State<'_, AppState>,
    input: ApplyRulesInput,
) -> ApiResult<RulesApplicationView> {
    crate::forward!(state, rules::apply_rules_preview(input))
}

#[tauri::command]
pub async fn apply_rules(
    state: State<'_, AppState>,
    input: ApplyRulesInput,
) -> ApiResult<RulesApplicationView> {
    crate::forward!(state, rules::apply_rules(input))
}
