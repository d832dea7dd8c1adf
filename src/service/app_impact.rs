//! What a change to an app does to the tokens it issued, counted before it is saved:
//! the admin API's preview and the audit record of the change both say it.

use super::{Service, ServiceResult};
use crate::domain::wire::TokenFilter;
use crate::domain::{AppChangeImpact, AppPatch, ClientApp, TokenRecord};

/// Listing pages this large keep the count to a few reads even for busy apps.
const PAGE: u32 = 500;

impl Service {
    /// Every token of the app active now.
    pub(super) async fn active_tokens_of(
        &self,
        client_id: &str,
    ) -> ServiceResult<Vec<TokenRecord>> {
        let mut tokens = Vec::new();
        let mut cursor = None;
        loop {
            let page = self
                .list_tokens(TokenFilter {
                    client_id: Some(client_id.to_string()),
                    active_only: true,
                    limit: Some(PAGE),
                    cursor,
                    ..TokenFilter::default()
                })
                .await?;
            tokens.extend(page.tokens);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(tokens),
            }
        }
    }

    /// What replacing the app with `after` would do to its active tokens (`None`:
    /// deleting it ends them all).
    pub(super) async fn impact_of(
        &self,
        client_id: &str,
        after: Option<&ClientApp>,
    ) -> ServiceResult<AppChangeImpact> {
        let tokens = self.active_tokens_of(client_id).await?;
        let mut impact = AppChangeImpact::default();
        match after {
            Some(after) => tokens.iter().for_each(|t| impact.count(after, t)),
            None => {
                let n = tokens.len() as u64;
                impact.active_tokens = n;
                impact.affected_tokens = n;
                impact.ended_tokens = n;
            }
        }
        Ok(impact)
    }

    /// A dry run of `patch_app`: nothing is saved; the answer says how many active
    /// tokens would lose which scope, and how many would stop working.
    pub async fn preview_app_patch(
        &self,
        client_id: &str,
        patch: AppPatch,
    ) -> ServiceResult<AppChangeImpact> {
        let before = self.require_app(client_id).await?;
        let after = self.updated_app(&before, patch.apply_to(&before.draft()))?;
        self.impact_of(client_id, Some(&after)).await
    }
}
