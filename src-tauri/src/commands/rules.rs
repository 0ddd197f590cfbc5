//! Rule commands: list, add, update, enable/disable, delete, reorder; the
//! learned suggestions and the transaction form's suggestion; a rule
//! pre-filled from a transaction; applying the rules to existing
//! transactions (a preview first, then one write).
//!
//! Invariants: rule writes answer the whole list as it stands after the
//! write (the order is the list's); amounts are validated in the signed-in
//! user's currency; a suggestion names its category.

use chrono::Utc;
use finance_core::domain::{RuleCandidate, RuleDraft, TransactionFilter};
use finance_core::{AuthUser, Finance, Id, SignedAmount};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;
use finance_api::ops::categories::{category_names, name_in};
use finance_api::types::{
    ApplyRulesInput, FormSuggestionView, IdInput, LearnedSuggestionView, ReorderRulesInput,
    RuleInput, RuleView, RulesApplicationView, SetRuleEnabledInput, SuggestForInput, SuggestInput,
    UpdateRuleInput,
};

/// The user's rules in order, with their categories' names.
async fn rule_views(f: &Finance, user: &AuthUser) -> ApiResult<Vec<RuleView>> {
    let rules = f.rules(user).await?;
    let names = category_names(f, user).await?;
    Ok(rules
        .iter()
        .map(|r| RuleView::new(r, name_in(&names, r.actions.category), user.currency()))
        .collect())
}

#[tauri::command]
pub async fn list_rules(state: State<'_, AppState>) -> ApiResult<Vec<RuleView>> {
    let (f, user) = state.session(Utc::now()).await?;
    rule_views(&f, &user).await
}

#[tauri::command]
pub async fn add_rule(state: State<'_, AppState>, input: RuleInput) -> ApiResult<Vec<RuleView>> {
    let (f, user) = state.session(Utc::now()).await?;
    let new = RuleDraft::from(input).validate(user.currency())?;
    f.add_rule(&user, new, Utc::now()).await?;
    rule_views(&f, &user).await
}

#[tauri::command]
pub async fn update_rule(
    state: State<'_, AppState>,
    input: UpdateRuleInput,
) -> ApiResult<Vec<RuleView>> {
    let id = Id::parse("id", &input.id)?;
    let (f, user) = state.session(Utc::now()).await?;
    let change = RuleDraft::from(input.rule).validate(user.currency())?;
    f.update_rule(&user, id, change).await?;
    rule_views(&f, &user).await
}

#[tauri::command]
pub async fn set_rule_enabled(
    state: State<'_, AppState>,
    input: SetRuleEnabledInput,
) -> ApiResult<Vec<RuleView>> {
    let id = Id::parse("id", &input.id)?;
    let (f, user) = state.session(Utc::now()).await?;
    f.set_rule_enabled(&user, id, input.enabled).await?;
    rule_views(&f, &user).await
}

#[tauri::command]
pub async fn delete_rule(state: State<'_, AppState>, input: IdInput) -> ApiResult<Vec<RuleView>> {
    let id = Id::try_from(&input)?;
    let (f, user) = state.session(Utc::now()).await?;
    f.delete_rule(&user, id).await?;
    rule_views(&f, &user).await
}

#[tauri::command]
pub async fn reorder_rules(
    state: State<'_, AppState>,
    input: ReorderRulesInput,
) -> ApiResult<Vec<RuleView>> {
    let ids = input
        .ids
        .iter()
        .map(|id| Id::parse("ids", id))
        .collect::<Result<Vec<_>, _>>()?;
    let (f, user) = state.session(Utc::now()).await?;
    f.reorder_rules(&user, &ids).await?;
    rule_views(&f, &user).await
}

#[tauri::command]
pub async fn suggest_descriptions(
    state: State<'_, AppState>,
    input: SuggestInput,
) -> ApiResult<Vec<LearnedSuggestionView>> {
    let (f, user) = state.session(Utc::now()).await?;
    let found = f.suggest(&user, &input.prefix).await?;
    let names = category_names(&f, &user).await?;
    Ok(found
        .iter()
        .filter_map(|t| {
            LearnedSuggestionView::new(t, name_in(&names, t.category_id), user.currency())
        })
        .collect())
}

#[tauri::command]
pub async fn suggest_for(
    state: State<'_, AppState>,
    input: SuggestForInput,
) -> ApiResult<Option<FormSuggestionView>> {
    let (f, user) = state.session(Utc::now()).await?;
    let amount = input
        .amount
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| SignedAmount::parse("amount", s, user.currency()).map(SignedAmount::minor))
        .transpose()?;
    let account = TransactionFilter::parse_account(input.account_id.as_deref())?;
    let candidate = RuleCandidate {
        description: &input.description,
        amount,
        account,
        kind: input.kind.map(Into::into),
    };
    let Some(s) = f.suggest_for(&user, candidate).await? else {
        return Ok(None);
    };
    let names = category_names(&f, &user).await?;
    let name = s.category_id.map(|c| name_in(&names, Some(c)));
    Ok(Some(FormSuggestionView::new(&s, name, user.currency())))
}

#[tauri::command]
pub async fn rule_from_transaction(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<RuleInput> {
    let id = Id::try_from(&input)?;
    let (f, user) = state.session(Utc::now()).await?;
    Ok(RuleInput::from_draft(
        f.rule_from_transaction(&user, id).await?,
    ))
}

#[tauri::command]
pub async fn apply_rules_preview(
    state: State<'_, AppState>,
    input: ApplyRulesInput,
) -> ApiResult<RulesApplicationView> {
    let (f, user) = state.session(Utc::now()).await?;
    let filter = input.filter.filter(user.currency())?;
    let a = f.apply_rules_preview(&user, filter).await?;
    let names = category_names(&f, &user).await?;
    Ok(RulesApplicationView::new(
        &a,
        |c| name_in(&names, c).to_string(),
        user.currency(),
    ))
}

#[tauri::command]
pub async fn apply_rules(
    state: State<'_, AppState>,
    input: ApplyRulesInput,
) -> ApiResult<RulesApplicationView> {
    let (f, user) = state.session(Utc::now()).await?;
    let filter = input.filter.filter(user.currency())?;
    let a = f.apply_rules(&user, filter, Utc::now()).await?;
    let names = category_names(&f, &user).await?;
    Ok(RulesApplicationView::new(
        &a,
        |c| name_in(&names, c).to_string(),
        user.currency(),
    ))
}
