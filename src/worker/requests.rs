//! What the console can ask of the worker, and what it answers.

use crate::api::{AdminClient, ApiError, TokenFilter};
use crate::domain::wire::{AppDetails, CreatedApp, RevokedCount, RotatedSecret, TokenPage, WhoAmI};
use crate::domain::{AppDraft, AppPatch, ClientApp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerRequest {
    WhoAmI,
    LoadApps,
    LoadAppDetails { client_id: String },
    CreateApp(AppDraft),
    UpdateApp { client_id: String, draft: AppDraft },
    PatchApp { client_id: String, patch: AppPatch },
    DeleteApp { client_id: String },
    RotateSecret { client_id: String },
    LoadTokens(TokenFilter),
    RevokeToken { token_id: String },
    RevokeAppTokens { client_id: String },
}

#[derive(Debug, Clone)]
pub enum WorkerReply {
    WhoAmI(Result<WhoAmI, ApiError>),
    Apps(Result<Vec<ClientApp>, ApiError>),
    AppDetails(Result<AppDetails, ApiError>),
    AppCreated(Result<CreatedApp, ApiError>),
    /// Answer to both `UpdateApp` and `PatchApp`.
    AppUpdated {
        client_id: String,
        result: Result<ClientApp, ApiError>,
    },
    AppDeleted {
        client_id: String,
        result: Result<(), ApiError>,
    },
    SecretRotated(Result<RotatedSecret, ApiError>),
    Tokens(Result<TokenPage, ApiError>),
    TokenRevoked {
        token_id: String,
        result: Result<(), ApiError>,
    },
    AppTokensRevoked {
        client_id: String,
        result: Result<RevokedCount, ApiError>,
    },
}

impl WorkerRequest {
    /// Performs the request against the server and wraps the outcome.
    pub async fn run(self, client: &AdminClient) -> WorkerReply {
        match self {
            WorkerRequest::WhoAmI => WorkerReply::WhoAmI(client.whoami().await),
            WorkerRequest::LoadApps => WorkerReply::Apps(client.list_apps().await),
            WorkerRequest::LoadAppDetails { client_id } => {
                WorkerReply::AppDetails(client.get_app(&client_id).await)
            }
            WorkerRequest::CreateApp(draft) => {
                WorkerReply::AppCreated(client.create_app(&draft).await)
            }
            WorkerRequest::UpdateApp { client_id, draft } => {
                let result = client.update_app(&client_id, &draft).await;
                WorkerReply::AppUpdated { client_id, result }
            }
            WorkerRequest::PatchApp { client_id, patch } => {
                let result = client.patch_app(&client_id, &patch).await;
                WorkerReply::AppUpdated { client_id, result }
            }
            WorkerRequest::DeleteApp { client_id } => {
                let result = client.delete_app(&client_id).await;
                WorkerReply::AppDeleted { client_id, result }
            }
            WorkerRequest::RotateSecret { client_id } => {
                WorkerReply::SecretRotated(client.rotate_secret(&client_id).await)
            }
            WorkerRequest::LoadTokens(filter) => {
                WorkerReply::Tokens(client.list_tokens(&filter).await)
            }
            WorkerRequest::RevokeToken { token_id } => {
                let result = client.revoke_token(&token_id).await;
                WorkerReply::TokenRevoked { token_id, result }
            }
            WorkerRequest::RevokeAppTokens { client_id } => {
                let result = client.revoke_app_tokens(&client_id).await;
                WorkerReply::AppTokensRevoked { client_id, result }
            }
        }
    }
}
