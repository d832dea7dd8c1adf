//! Operator features in `update`: the config applied at start (keys, theme,
//! read-only, profile), the palette, the audit log tab and ending a secret's grace
//! period. `update` and `replies` delegate here with one arm each.

use super::action::{Action, Command, Tab};
use super::audit_view::AUDIT_PAGE;
use super::keymap_overrides::{KeyOverrides, KeyWarning, is_write};
use super::state::{LoadKind, Modal, Pending, State, ToastKind};
use super::update::{keep_cursors_visible, refuse_when_read_only};
use super::{edits, palette};
use crate::api::ApiError;
use crate::config::{Config, ThemeName};
use crate::domain::wire::AuditFilter;
use crate::worker::{WorkerReply, WorkerRequest};

/// What the runtime knows at start besides the config file.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// `--profile NAME` (or the config's `default_profile`), when one is used.
    pub profile: Option<String>,
    /// `--read-only` on the command line.
    pub read_only_flag: bool,
    /// `NO_COLOR` is set (to anything non-empty).
    pub no_color: bool,
}

/// Applies the config file and the start options to a fresh state. Returns the
/// problems found in `[keys]`; the runtime shows them (the first also becomes a toast).
pub fn apply_config(state: &mut State, config: &Config, options: &StartOptions) -> Vec<KeyWarning> {
    let (keys, warnings) = KeyOverrides::from_config(&config.keys);
    state.keys = keys;
    state.theme = config.theme;
    state.monochrome = options.no_color || config.theme == ThemeName::Monochrome;
    let profile_read_only = options
        .profile
        .as_ref()
        .and_then(|name| config.profiles.get(name))
        .is_some_and(|p| p.read_only);
    state.read_only_by_choice = options.read_only_flag || config.read_only || profile_read_only;
    state.read_only = state.read_only || state.read_only_by_choice;
    state.profile = options.profile.clone();
    if let Some(first) = warnings.first() {
        let more = match warnings.len() {
            1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        state.toast(ToastKind::Error, format!("⚠ {first}{more}"));
    }
    warnings
}

/// The operator actions; `update` sends them here.
pub fn update(state: &mut State, action: Action) -> Vec<Command> {
    match action {
        Action::OpenPalette => palette::open(state),
        Action::PaletteRun => palette::run_selected(state),
        Action::EndSelectedSecretGrace => ask_end_grace(state),
        Action::EndSecretGrace { client_id } => edits::send_write(
            state,
            WorkerRequest::EndSecretGrace { client_id },
            Pending::EndGrace,
        ),
        Action::OpenAuditRecord => {
            state.audit.record_open = state.audit.selected().is_some();
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Refuses a write action (key, mouse or palette) in read-only mode. Called before
/// any action runs, so nothing that writes slips through an unguarded path.
pub fn refused(state: &mut State, action: &Action) -> bool {
    is_write(action) && refuse_when_read_only(state)
}

fn ask_end_grace(state: &mut State) -> Vec<Command> {
    let app = match &state.modal {
        Some(Modal::Details { client_id, details }) => details
            .as_ref()
            .map(|d| &d.app)
            .or_else(|| state.apps.get(client_id)),
        _ => state.apps.selected(),
    };
    let Some(app) = app else {
        return Vec::new();
    };
    if app
        .previous_secret_expires_at
        .is_none_or(|until| until <= state.now)
    {
        state.toast(ToastKind::Error, "No old secret is still valid");
        return Vec::new();
    }
    let client_id = app.client_id.clone();
    edits::open_confirm(state, Action::EndSecretGrace { client_id })
}

/// Asks for the first page of the audit log (or, with `more`, the next one).
pub fn load_audit(state: &mut State, more: bool) -> Option<Command> {
    let cursor = if more {
        Some(state.audit.next_cursor.clone()?)
    } else {
        None
    };
    state.audit.loading_more = more;
    let filter = AuditFilter {
        limit: Some(AUDIT_PAGE),
        cursor,
        ..AuditFilter::default()
    };
    Some(state.requests.send(
        WorkerRequest::LoadAudit(filter),
        Pending::Load(LoadKind::Audit),
    ))
}

/// Down at the end of the loaded records fetches the next page.
pub fn after_move(state: &mut State) -> Vec<Command> {
    if state.tab == Tab::AuditLog && state.audit.wants_more() {
        return load_audit(state, true).into_iter().collect();
    }
    Vec::new()
}

/// The worker's answers to operator requests; `None` when `reply` is not one.
pub fn apply_reply(state: &mut State, reply: WorkerReply) -> Option<WorkerReply> {
    match reply {
        WorkerReply::Audit(result) => match result {
            Ok(page) => {
                state.connection = super::state::Connection::Connected;
                state.audit.add_page(page.records, page.next_cursor);
                keep_cursors_visible(state);
            }
            Err(e) => {
                state.audit.loading_more = false;
                state.audit.error = Some(e.to_string());
                failed(state, "Could not load the audit log", &e);
            }
        },
        WorkerReply::SecretGraceEnded { client_id, result } => match result {
            Ok(app) => {
                state.connection = super::state::Connection::Connected;
                let name = app.name.clone();
                if let Some(Modal::Details {
                    client_id: shown,
                    details: Some(details),
                }) = &mut state.modal
                    && *shown == client_id
                {
                    details.app = app.clone();
                }
                state.apps.upsert(app);
                keep_cursors_visible(state);
                state.toast(
                    ToastKind::Success,
                    format!("✓ The old secret of {name} no longer works"),
                );
            }
            Err(e) => failed(state, "Grace period not ended", &e),
        },
        // Not ours, but the app's grace period comes with it: keep it for the dialogs.
        WorkerReply::SecretRotated(Ok(rotated)) => {
            if let Some(mut app) = state.apps.get(&rotated.client_id).cloned() {
                app.previous_secret_expires_at = rotated.previous_secret_expires_at;
                state.apps.upsert(app);
            }
            return Some(WorkerReply::SecretRotated(Ok(rotated)));
        }
        other => return Some(other),
    }
    None
}

fn failed(state: &mut State, what: &str, error: &ApiError) {
    state.connection = match error {
        ApiError::Unreachable { .. } => super::state::Connection::Unreachable,
        _ => super::state::Connection::Connected,
    };
    state.toast(ToastKind::Error, format!("✗ {what}: {error}"));
}

/// `in 23h 59m` until `until`, from `now`; `expired` once past.
pub fn time_left(until: i64, now: i64) -> String {
    let left = until - now;
    if left <= 0 {
        return "expired".to_string();
    }
    // Hours up to two days: a default grace period reads `in 24h 00m`, not `in 1d 0h`.
    let (hours, m) = (left / 3_600, left % 3_600 / 60);
    match hours {
        0 => format!("in {}m {:02}s", m, left % 60),
        1..48 => format!("in {hours}h {m:02}m"),
        _ => format!("in {}d {}h", hours / 24, hours % 24),
    }
}

#[cfg(test)]
mod tests {
    use super::time_left;

    #[test]
    fn grace_countdowns_read_naturally() {
        assert_eq!(time_left(100, 100), "expired");
        assert_eq!(time_left(100 + 90, 100), "in 1m 30s");
        assert_eq!(time_left(100 + 86_400 - 60, 100), "in 23h 59m");
        assert_eq!(time_left(100 + 86_400, 100), "in 24h 00m");
        assert_eq!(time_left(100 + 3 * 86_400 + 7_200, 100), "in 3d 2h");
    }
}
