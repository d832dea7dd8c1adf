//! Plain data and the rules that govern it. No I/O; depends on nothing above it.

mod account;
mod app_binding;
mod app_usage;
mod audit;
mod client_app;
mod clock;
mod device;
mod form_key;
mod grant;
mod html;
mod issuer;
pub mod list_query;
mod platform;
pub mod redirect;
mod response_type;
pub mod rules;
mod sanitize;
mod scope;
mod token;
mod user_admin;
pub mod wire;

pub use account::{
    AdminKey, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, User, issued_to_a_user, password_problem,
    user_may_use_tokens,
};
pub use app_binding::{
    AppChangeImpact, bound_scopes, grants_access, may_refresh, scopes_still_allowed,
};
pub use app_usage::{AppUsage, ListedApp, USAGE_HOURS};
pub use audit::AuditRecord;
pub use client_app::{AppDraft, AppPatch, ClientApp};
pub use clock::unix_now;
pub use device::{
    DEVICE_CODE_PREFIX, DeviceCode, DeviceStatus, USER_CODE_ALPHABET, USER_CODE_LEN,
    display_user_code, normalize_user_code,
};
pub use form_key::FormKey;
pub use grant::{DEVICE_CODE_GRANT, GrantType};
pub use html::escape_html;
pub use issuer::Issuer;
pub use platform::Platform;
pub use response_type::ResponseType;
pub use rules::{Field, RuleViolation, validate_draft};
pub use sanitize::sanitize_for_terminal;
pub use scope::{Scope, parse_scope_param, scope_param};
pub use token::*;
pub use user_admin::{UserChanged, UserDetails, UserGrant, UserList, UserPatch, UserSummary};
