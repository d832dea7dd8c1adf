//! Admin API requests: one call, one reply.

use super::requests::{WorkerReply, WorkerRequest};
use crate::api::AdminClient;

/// Performs an admin request; `None` for requests that are not admin requests.
pub(super) async fn run(client: &AdminClient, request: WorkerRequest) -> Option<WorkerReply> {
    use WorkerRequest as R;
    let reply = match request {
        R::WhoAmI => WorkerReply::WhoAmI(client.whoami().await),
        R::CheckHealth => WorkerReply::Health(client.readiness().await),
        R::LoadApps => WorkerReply::Apps(client.list_apps_with_usage().await),
        R::LoadAppDetails { client_id } => {
            WorkerReply::AppDetails(client.get_app(&client_id).await)
        }
        R::CreateApp(draft) => WorkerReply::AppCreated(client.create_app(&draft).await),
        R::UpdateApp { client_id, draft } => {
            let result = client.update_app(&client_id, &draft).await;
            WorkerReply::AppUpdated { client_id, result }
        }
        R::PatchApp { client_id, patch } => {
            let result = client.patch_app(&client_id, &patch).await;
            WorkerReply::AppUpdated { client_id, result }
        }
        R::PreviewAppPatch { client_id, patch } => {
            let result = client.preview_app_patch(&client_id, &patch).await;
            WorkerReply::AppChangeImpact { client_id, result }
        }
        R::DeleteApp { client_id } => {
            let result = client.delete_app(&client_id).await;
            WorkerReply::AppDeleted { client_id, result }
        }
        R::RotateSecret { client_id } => {
            WorkerReply::SecretRotated(client.rotate_secret(&client_id).await)
        }
        R::LoadTokens(filter) => WorkerReply::Tokens(client.list_tokens(&filter).await),
        R::RevokeToken { token_id } => {
            let result = client.revoke_token(&token_id).await;
            WorkerReply::TokenRevoked { token_id, result }
        }
        R::RevokeAppTokens { client_id } => {
            let result = client.revoke_app_tokens(&client_id).await;
            WorkerReply::AppTokensRevoked { client_id, result }
        }
        // The audit log and the grace period.
        R::LoadAudit(filter) => WorkerReply::Audit(client.list_audit_filtered(&filter).await),
        R::EndSecretGrace { client_id } => {
            let result = client.end_secret_grace(&client_id).await;
            WorkerReply::SecretGraceEnded { client_id, result }
        }
        // The people who sign in.
        R::LoadUsers => WorkerReply::Users(client.list_users().await),
        R::LoadUserDetails { username } => {
            WorkerReply::UserDetails(client.get_user(&username).await)
        }
        R::PatchUser { username, patch } => {
            let result = client.patch_user(&username, &patch).await;
            WorkerReply::UserChanged { username, result }
        }
        R::DeleteUser { username } => {
            let result = client.delete_user(&username).await;
            WorkerReply::UserDeleted { username, result }
        }
        R::RevokeUserTokens { username } => {
            let result = client.revoke_user_tokens(&username).await;
            WorkerReply::UserTokensRevoked { username, result }
        }
        R::RevokeUserGrant {
            username,
            family_id,
        } => {
            let result = client.revoke_user_grant(&username, &family_id).await;
            WorkerReply::UserGrantRevoked {
                username,
                family_id,
                result,
            }
        }
        // Flow requests are routed elsewhere before they could get here.
        _ => return None,
    };
    Some(reply)
}
