//! The authorization endpoint's rules (RFC 6749 §4.1/§4.2, RFC 7636, RFC 9700):
//! checking a request, issuing codes after consent, and exchanging them once.

use super::crypto::{constant_time_eq, pkce_s256, random_token, sha256_hex};
use super::tokens::{Grant, default_scopes, new_family_id, resolve_scopes};
use super::{Service, ServiceError, ServiceResult, TokenResponse};
use crate::domain::redirect::redirect_matches;
use crate::domain::{
    AuthCode, ClientApp, GrantType, ResponseType, Scope, grants_access, scopes_still_allowed,
};
use crate::store::CodeRedemption;
use std::collections::HashMap;

const CODE_PREFIX: &str = "occ_";
/// The longest value of any authorization request parameter. `state` comes back in
/// the redirect and the request travels in the consent form: neither may be large.
pub const MAX_PARAM_BYTES: usize = 1024;

/// An authorization request that passed every check and waits for the user's consent.
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    pub app: ClientApp,
    pub response_type: ResponseType,
    pub redirect_uri: String,
    pub scopes: Vec<Scope>,
    pub state: Option<String>,
    /// The S256 PKCE challenge, when one was sent.
    pub code_challenge: Option<String>,
}

impl AuthorizationRequest {
    /// Implicit answers travel in the fragment, codes in the query.
    pub fn answers_in_fragment(&self) -> bool {
        self.response_type == ResponseType::Token
    }
}

/// Why an authorization request cannot go ahead, and how to say so.
#[derive(Debug)]
pub enum AuthorizeRejection {
    /// Before the client and redirect URI are validated nothing may be redirected:
    /// the user sees this message on an error page.
    Page(String),
    /// After: the error goes back to the client's redirect URI.
    Redirect {
        redirect_uri: String,
        error: ServiceError,
        state: Option<String>,
        in_fragment: bool,
    },
    /// The server itself failed.
    Internal(ServiceError),
}

/// What the user's approval produced, for the redirect back to the client.
pub enum Authorized {
    Code(String),
    Token(TokenResponse),
}

impl std::fmt::Debug for Authorized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The code is a credential until it is exchanged: never print it.
        match self {
            Authorized::Code(_) => f.write_str("Code(<redacted>)"),
            Authorized::Token(token) => f.debug_tuple("Token").field(token).finish(),
        }
    }
}

/// RFC 7636 §4.1: 43 to 128 characters from the unreserved set.
pub fn is_valid_pkce_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// An S256 challenge is base64url(SHA-256): exactly 43 characters, no padding.
fn is_valid_s256_challenge(c: &str) -> bool {
    c.len() == 43
        && c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

impl Service {
    /// Checks an authorization request's parameters (already free of duplicates).
    pub async fn check_authorization_request(
        &self,
        params: &HashMap<String, String>,
    ) -> Result<AuthorizationRequest, AuthorizeRejection> {
        let get = |k: &str| params.get(k).map(String::as_str).filter(|v| !v.is_empty());
        let client_id = get("client_id").ok_or_else(|| {
            AuthorizeRejection::Page("The request names no client (client_id is missing).".into())
        })?;
        let app = self
            .store
            .get_app(client_id)
            .await
            .map_err(|e| AuthorizeRejection::Internal(e.into()))?
            .ok_or_else(|| {
                AuthorizeRejection::Page(
                    "The application asking to sign you in is not registered here.".into(),
                )
            })?;
        let redirect_uri = get("redirect_uri").ok_or_else(|| {
            AuthorizeRejection::Page(
                "The request has no redirect_uri; this server requires one.".into(),
            )
        })?;
        if !redirect_matches(app.platform, &app.redirect_urls, redirect_uri) {
            tracing::info!(client_id = %app.client_id, "authorization request with an unregistered redirect URI");
            return Err(AuthorizeRejection::Page(
                "The redirect URI of this request is not registered for the application.".into(),
            ));
        }
        let too_long = params
            .iter()
            .filter(|(name, value)| name.len() + value.len() > MAX_PARAM_BYTES)
            .map(|(name, _)| name.chars().take(32).collect::<String>())
            .min();
        let state = get("state")
            .filter(|s| s.len() <= MAX_PARAM_BYTES)
            .map(str::to_string);
        let response_type = get("response_type")
            .and_then(ResponseType::from_param)
            .unwrap_or(ResponseType::Code);
        let implicit_allowed = app.has_grant(GrantType::Implicit);
        let reject = |error: ServiceError| AuthorizeRejection::Redirect {
            redirect_uri: redirect_uri.to_string(),
            error,
            state: state.clone(),
            in_fragment: response_type == ResponseType::Token && implicit_allowed,
        };

        if let Some(name) = too_long {
            return Err(reject(ServiceError::InvalidRequest(format!(
                "The parameter {name} is longer than {MAX_PARAM_BYTES} bytes"
            ))));
        }
        match get("response_type") {
            None => {
                return Err(reject(ServiceError::InvalidRequest(
                    "response_type is missing".into(),
                )));
            }
            Some("code") => {
                if !app.has_grant(GrantType::AuthorizationCode) {
                    return Err(reject(ServiceError::UnauthorizedClient(
                        "This client may not use the authorization code grant".into(),
                    )));
                }
            }
            Some("token") => {
                if !implicit_allowed {
                    return Err(reject(ServiceError::UnauthorizedClient(
                        "The implicit grant is not enabled for this client".into(),
                    )));
                }
            }
            Some(_) => {
                return Err(reject(ServiceError::UnsupportedResponseType(
                    "response_type must be code (or token where implicit is enabled)".into(),
                )));
            }
        }

        let scopes =
            resolve_scopes(get("scope"), &app.scopes, default_scopes(&app)).map_err(reject)?;

        let code_challenge = match response_type {
            ResponseType::Token => None,
            ResponseType::Code => match (get("code_challenge"), get("code_challenge_method")) {
                (None, Some(_)) => {
                    return Err(reject(ServiceError::InvalidRequest(
                        "code_challenge_method without code_challenge".into(),
                    )));
                }
                (None, None) if app.platform.requires_pkce() => {
                    return Err(reject(ServiceError::InvalidRequest(
                            "PKCE is required for public clients: send code_challenge with code_challenge_method=S256".into(),
                        )));
                }
                (None, None) => None,
                (Some(_), None | Some("plain")) => {
                    return Err(reject(ServiceError::InvalidRequest(
                        "Only the S256 code_challenge_method is supported (plain is not)".into(),
                    )));
                }
                (Some(challenge), Some("S256")) => {
                    if !is_valid_s256_challenge(challenge) {
                        return Err(reject(ServiceError::InvalidRequest(
                            "code_challenge is not a base64url SHA-256 value".into(),
                        )));
                    }
                    Some(challenge.to_string())
                }
                (Some(_), Some(_)) => {
                    return Err(reject(ServiceError::InvalidRequest(
                        "Only the S256 code_challenge_method is supported".into(),
                    )));
                }
            },
        };

        Ok(AuthorizationRequest {
            app,
            response_type,
            redirect_uri: redirect_uri.to_string(),
            scopes,
            state,
            code_challenge,
        })
    }

    /// The user approved: a code (stored hashed, single-use, short-lived) or, for
    /// implicit, an access token.
    pub async fn approve(
        &self,
        request: &AuthorizationRequest,
        subject: &str,
    ) -> ServiceResult<Authorized> {
        // The stored username (`verify_user` looks it up trimmed), not what was typed.
        let subject = subject.trim();
        match request.response_type {
            ResponseType::Token => {
                let response = self
                    .issue(&Grant {
                        app: &request.app,
                        subject: subject.to_string(),
                        scopes: request.scopes.clone(),
                        grant: GrantType::Implicit,
                        family_id: new_family_id()?,
                        with_refresh: false,
                        family_expires_at: None,
                    })
                    .await?;
                Ok(Authorized::Token(response))
            }
            ResponseType::Code => {
                let code = random_token(CODE_PREFIX, 32)?;
                let now = self.now();
                self.store
                    .insert_code(AuthCode {
                        hash: sha256_hex(&code),
                        client_id: request.app.client_id.clone(),
                        subject: subject.to_string(),
                        redirect_uri: request.redirect_uri.clone(),
                        scopes: request.scopes.clone(),
                        code_challenge: request.code_challenge.clone(),
                        code_challenge_method: request
                            .code_challenge
                            .as_ref()
                            .map(|_| "S256".to_string()),
                        issued_at: now,
                        expires_at: now.saturating_add(self.config.code_ttl),
                        used_at: None,
                        family_id: new_family_id()?,
                    })
                    .await?;
                tracing::info!(client_id = %request.app.client_id, "authorization code issued");
                Ok(Authorized::Code(code))
            }
        }
    }

    /// RFC 6749 §4.1.3 with RFC 7636 §4.6: exchanges a code once. A second use revokes
    /// every token the code issued.
    pub async fn exchange_code(
        &self,
        app: &ClientApp,
        code: Option<&str>,
        redirect_uri: Option<&str>,
        code_verifier: Option<&str>,
    ) -> ServiceResult<TokenResponse> {
        if !app.has_grant(GrantType::AuthorizationCode) {
            return Err(ServiceError::UnauthorizedClient(
                "This client may not use the authorization code grant".into(),
            ));
        }
        let code = code.ok_or_else(|| ServiceError::InvalidRequest("code is missing".into()))?;
        let now = self.now();
        let stored = match self.store.redeem_code(&sha256_hex(code), now).await? {
            CodeRedemption::NotFound => {
                return Err(ServiceError::InvalidGrant(
                    "The authorization code is not valid".into(),
                ));
            }
            CodeRedemption::Reused(stored) => {
                self.mark_code_reused(&stored.family_id, now);
                let revoked = self.store.revoke_family(&stored.family_id, now).await?;
                tracing::warn!(client_id = %stored.client_id, revoked, "authorization code reused; its tokens are revoked");
                return Err(ServiceError::InvalidGrant(
                    "The authorization code was used already".into(),
                ));
            }
            CodeRedemption::Fresh(stored) => stored,
        };
        let invalid = |why: &str| Err(ServiceError::InvalidGrant(why.to_string()));
        if stored.client_id != app.client_id {
            return invalid("The authorization code was issued to another client");
        }
        if now >= stored.expires_at {
            return invalid("The authorization code has expired");
        }
        if redirect_uri != Some(stored.redirect_uri.as_str()) {
            return invalid("redirect_uri does not match the authorization request");
        }
        match (&stored.code_challenge, code_verifier) {
            (None, None) => {}
            (None, Some(_)) => {
                return invalid(
                    "A code_verifier was sent but the authorization request had no code_challenge",
                );
            }
            (Some(_), None) => return invalid("code_verifier is missing"),
            (Some(challenge), Some(verifier)) => {
                if !is_valid_pkce_verifier(verifier)
                    || !constant_time_eq(&pkce_s256(verifier), challenge)
                {
                    return invalid("code_verifier does not match the code_challenge");
                }
            }
        }
        // The app as it is now, not as it was at consent: a redirect URL or scope the
        // administrator removed since then is not honoured.
        if !redirect_matches(app.platform, &app.redirect_urls, &stored.redirect_uri) {
            return invalid("The redirect URI is no longer registered for this client");
        }
        let scopes = scopes_still_allowed(app, &stored.scopes);
        if !grants_access(&scopes) {
            return invalid("This client is no longer allowed the scopes that were granted");
        }
        // The user as they are now: disabled or deleted since they approved, no tokens.
        if !self.subject_may_use_tokens(&stored.subject).await? {
            return invalid("The authorization code is not valid");
        }
        let family_id = stored.family_id.clone();
        let tokens = self
            .issue(&Grant {
                app,
                subject: stored.subject,
                scopes,
                grant: GrantType::AuthorizationCode,
                family_id: stored.family_id,
                with_refresh: true,
                family_expires_at: None,
            })
            .await?;
        // A reuse may have revoked the family while these tokens were being stored,
        // missing them; it is marked before that revocation (here, or in the store by
        // another replica), so look now.
        if self.code_was_reused(&family_id) || self.store.code_family_reused(&family_id).await? {
            self.store.revoke_family(&family_id, self.now()).await?;
            return invalid("The authorization code was used twice");
        }
        Ok(tokens)
    }

    fn mark_code_reused(&self, family_id: &str, now: i64) {
        if let Ok(mut families) = self.reused_code_families.lock() {
            // Only exchanges in flight can race; older marks are not needed.
            let horizon = now - 2 * self.config.code_ttl;
            families.retain(|_, at| *at >= horizon);
            families.insert(family_id.to_string(), now);
        }
    }

    fn code_was_reused(&self, family_id: &str) -> bool {
        self.reused_code_families
            .lock()
            .map(|families| families.contains_key(family_id))
            .unwrap_or(true)
    }
}
