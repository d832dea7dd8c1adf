//! Reading the audit trail every admin change leaves, newest first, page by page.

use super::apps::page_size;
use super::{Service, ServiceError, ServiceResult};
use crate::domain::wire::{AuditFilter, AuditPage};
use crate::store::AuditQuery;

impl Service {
    /// Newest first; the cursor is the ID of the last record of the previous page.
    pub async fn list_audit(
        &self,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> ServiceResult<AuditPage> {
        self.list_audit_filtered(AuditFilter {
            limit,
            cursor: cursor.map(str::to_string),
            ..AuditFilter::default()
        })
        .await
    }

    /// Newest first, only records whose actor, action and target equal the filter's
    /// (where given); paged like `list_audit`.
    pub async fn list_audit_filtered(&self, filter: AuditFilter) -> ServiceResult<AuditPage> {
        let limit = page_size(filter.limit);
        let before_id = match filter.cursor.as_deref() {
            Some(c) => Some(c.parse::<i64>().map_err(|_| {
                ServiceError::InvalidRequest(format!(
                    "cursor {c:?} is not a cursor this server gave out"
                ))
            })?),
            None => None,
        };
        let records = self
            .store
            .list_audit_filtered(AuditQuery {
                actor: filter.actor,
                action: filter.action,
                target: filter.target,
                limit,
                before_id,
            })
            .await?;
        let next_cursor = if records.len() >= limit as usize {
            records.last().map(|r| r.id.to_string())
        } else {
            None
        };
        Ok(AuditPage {
            records,
            next_cursor,
        })
    }
}
