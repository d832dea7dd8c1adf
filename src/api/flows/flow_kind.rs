//! Which flows an app can use to get tokens, from its platform and enabled grants: what
//! the Client apps tab offers under "get token".

use crate::domain::{ClientApp, GrantType, Platform};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlowKind {
    ClientCredentials,
    AuthorizationCode,
    DeviceCode,
    /// Legacy: RFC 9700 §2.1.2 says not to use it.
    Implicit,
}

impl FlowKind {
    pub fn label(self) -> &'static str {
        match self {
            FlowKind::ClientCredentials => "Client credentials",
            FlowKind::AuthorizationCode => "Authorization code + PKCE",
            FlowKind::DeviceCode => "Device code",
            FlowKind::Implicit => "Implicit (legacy)",
        }
    }

    pub fn is_legacy(self) -> bool {
        self == FlowKind::Implicit
    }

    /// Whether the user must type the app's client secret to run this flow for it.
    pub fn needs_secret(self, platform: Platform) -> bool {
        match self {
            FlowKind::ClientCredentials => true,
            FlowKind::AuthorizationCode | FlowKind::DeviceCode => platform.is_confidential(),
            // The implicit grant has no token request, so nothing to authenticate.
            FlowKind::Implicit => false,
        }
    }
}

/// The flows `app` may run, the recommended one first.
pub fn flows_for(app: &ClientApp) -> Vec<FlowKind> {
    let allowed: &[FlowKind] = match app.platform {
        Platform::ApiServices => &[FlowKind::ClientCredentials],
        Platform::Native => &[FlowKind::AuthorizationCode, FlowKind::DeviceCode],
        Platform::Web | Platform::SinglePage => &[FlowKind::AuthorizationCode, FlowKind::Implicit],
    };
    allowed
        .iter()
        .copied()
        .filter(|kind| app.has_grant(grant_of(*kind)))
        .collect()
}

fn grant_of(kind: FlowKind) -> GrantType {
    match kind {
        FlowKind::ClientCredentials => GrantType::ClientCredentials,
        FlowKind::AuthorizationCode => GrantType::AuthorizationCode,
        FlowKind::DeviceCode => GrantType::DeviceCode,
        FlowKind::Implicit => GrantType::Implicit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(platform: Platform, grants: &[GrantType]) -> ClientApp {
        ClientApp {
            client_id: "oc_x".into(),
            name: "X".into(),
            platform,
            redirect_urls: vec![],
            scopes: vec![],
            grant_types: grants.to_vec(),
            secret_hash: None,
            previous_secret_hash: None,
            previous_secret_expires_at: None,
            created_at: 0,
            updated_at: 0,
            access_token_ttl: None,
            refresh_token_ttl: None,
        }
    }

    #[test]
    fn each_platform_offers_the_flows_its_enabled_grants_allow() {
        use GrantType as G;
        assert_eq!(
            flows_for(&app(Platform::ApiServices, &[G::ClientCredentials])),
            vec![FlowKind::ClientCredentials]
        );
        assert_eq!(
            flows_for(&app(
                Platform::Native,
                &[G::AuthorizationCode, G::DeviceCode, G::RefreshToken]
            )),
            vec![FlowKind::AuthorizationCode, FlowKind::DeviceCode]
        );
        assert_eq!(
            flows_for(&app(Platform::SinglePage, &[G::Implicit])),
            vec![FlowKind::Implicit]
        );
        assert_eq!(flows_for(&app(Platform::Web, &[G::RefreshToken])), vec![]);
        // A grant the platform forbids is not offered even if present.
        assert_eq!(
            flows_for(&app(Platform::Web, &[G::ClientCredentials])),
            vec![]
        );
    }

    #[test]
    fn only_confidential_apps_ask_for_their_secret() {
        assert!(FlowKind::ClientCredentials.needs_secret(Platform::ApiServices));
        assert!(FlowKind::AuthorizationCode.needs_secret(Platform::Web));
        assert!(!FlowKind::AuthorizationCode.needs_secret(Platform::Native));
        assert!(!FlowKind::AuthorizationCode.needs_secret(Platform::SinglePage));
        assert!(FlowKind::Implicit.is_legacy());
    }
}
