//! Rules: list, add, update, enable/disable, delete, reorder; the learned
//! suggestions and the transaction form's suggestion; a rule pre-filled from
//! a transaction; applying the rules to existing transactions (a preview
//! first, then one write).
//!
//! Invariants: rule writes answer the whole list as it stands after the
//! write (the order is the list's); amounts are validated in the caller's
//! currency; a suggestion names its category.

use finance_core::domain::{RuleCandidate, RuleDraft, TransactionFilter};
use finance_core::{AuthUser, Finance, Id, SignedAmount};

use super::Cx;
use super::categories::{category_names, name_in};
use crate::error::ApiResult;
use crate::types::{
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

pub async fn list_rules(cx: &Cx, _: ()) -> ApiResult<Vec<RuleView>> {
    rule_views(&cx.finance, &cx.user).await
}

pub async fn add_rule(cx: &Cx, input: RuleInput) -> ApiResult<Vec<RuleView>> {
    let new = RuleDraft::from(input).validate(cx.user.currency())?;
    cx.finance.add_rule(&cx.user, new, cx.now).await?;
    rule_views(&cx.finance, &cx.user).await
}

pub async fn update_rule(cx: &Cx, input: UpdateRuleInput) -> ApiResult<Vec<RuleView>> {
    let id = Id::parse("id", &input.id)?;
    let change = RuleDraft::from(input.rule).validate(cx.user.currency())?;
    cx.finance.update_rule(&cx.user, id, change).await?;
    rule_views(&cx.finance, &cx.user).await
}

pub async fn set_rule_enabled(cx: &Cx, input: SetRuleEnabledInput) -> ApiResult<Vec<RuleView>> {
    let id = Id::parse("id", &input.id)?;
    cx.finance
        .set_rule_enabled(&cx.user, id, input.enabled)
        .await?;
    rule_views(&cx.finance, &cx.user).await
}

pub async fn delete_rule(cx: &Cx, input: IdInput) -> ApiResult<Vec<RuleView>> {
    let id = Id::try_from(&input)?;
    cx.finance.delete_rule(&cx.user, id).await?;
    rule_views(&cx.finance, &cx.user).await
}

pub async fn reorder_rules(cx: &Cx, input: ReorderRulesInput) -> ApiResult<Vec<RuleView>> {
    let ids = input
        .ids
        .iter()
        .map(|id| Id::parse("ids", id))
        .collect::<Result<Vec<_>, _>>()?;
    cx.finance.reorder_rules(&cx.user, &ids).await?;
    rule_views(&cx.finance, &cx.user).await
}

pub async fn suggest_descriptions(
    cx: &Cx,
    input: SuggestInput,
) -> ApiResult<Vec<LearnedSuggestionView>> {
    let (f, user) = (&cx.finance, &cx.user);
    let found = f.suggest(user, &input.prefix).await?;
    let names = category_names(f, user).await?;
    Ok(found
        .iter()
        .filter_map(|t| {
            LearnedSuggestionView::new(t, name_in(&names, t.category_id), user.currency())
        })
        .collect())
}

pub async fn suggest_for(cx: &Cx, input: SuggestForInput) -> ApiResult<Option<FormSuggestionView>> {
    let (f, user) = (&cx.finance, &cx.user);
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
    let Some(s) = f.suggest_for(user, candidate).await? else {
        return Ok(None);
    };
    let names = category_names(f, user).await?;
    let name = s.category_id.map(|c| name_in(&names, Some(c)));
    Ok(Some(FormSuggestionView::new(&s, name, user.currency())))
}

pub async fn rule_from_transaction(cx: &Cx, input: IdInput) -> ApiResult<RuleInput> {
    let id = Id::try_from(&input)?;
    Ok(RuleInput::from_draft(
        cx.finance.rule_from_transaction(&cx.user, id).await?,
    ))
}

pub async fn apply_rules_preview(
    cx: &Cx,
    input: ApplyRulesInput,
) -> ApiResult<RulesApplicationView> {
    let (f, user) = (&cx.finance, &cx.user);
    let filter = input.filter.list_filter(user.currency())?;
    let a = f.apply_rules_preview(user, filter).await?;
    let names = category_names(f, user).await?;
    Ok(RulesApplicationView::new(
        &a,
        |c| name_in(&names, c).to_string(),
        user.currency(),
    ))
}

pub async fn apply_rules(cx: &Cx, input: ApplyRulesInput) -> ApiResult<RulesApplicationView> {
    let (f, user) = (&cx.finance, &cx.user);
    let filter = input.filter.list_filter(user.currency())?;
    let a = f.apply_rules(user, filter, cx.now).await?;
    let names = category_names(f, user).await?;
    Ok(RulesApplicationView::new(
        &a,
        |c| name_in(&names, c).to_string(),
        user.currency(),
    ))
}
