//! What an edit takes away from the app as saved, and what that does to its active
//! tokens: the server counts it while the admin edits ("12 active tokens carry
//! Control; they lose it now"), and the form shows it above its buttons.

use super::state::{FormMode, FormState, ImpactPreview};
use crate::domain::{AppPatch, validate_draft};
use crate::tui::action::Command;
use crate::tui::shared::{LoadKind, Pending};
use crate::tui::state::State;
use crate::worker::WorkerRequest;

impl FormState {
    /// The edit's scopes, grant types and redirect URLs, when it takes any of the
    /// saved app's away (a new app, or an edit that only adds, takes nothing away).
    pub fn narrowing_patch(&self) -> Option<AppPatch> {
        if self.is_new() {
            return None;
        }
        let draft = self.draft();
        let before = self.original();
        let takes_away = before.scopes.iter().any(|s| !draft.scopes.contains(s))
            || before
                .grant_types
                .iter()
                .any(|g| !draft.grant_types.contains(g))
            || before
                .redirect_urls
                .iter()
                .any(|u| !draft.redirect_urls.contains(u));
        (takes_away && validate_draft(&draft).is_empty()).then(|| AppPatch {
            redirect_urls: Some(draft.redirect_urls),
            scopes: Some(draft.scopes),
            grant_types: Some(draft.grant_types),
            ..AppPatch::default()
        })
    }
}

/// Run after every action: asks the server again when what the edit takes away has
/// changed, and forgets the count when it takes nothing away any more.
pub fn refresh(state: &mut State) -> Option<Command> {
    let form = state.form.as_mut()?;
    let FormMode::Edit { client_id } = &form.mode else {
        return None;
    };
    if form.saving {
        return None;
    }
    let patch = form.narrowing_patch();
    if form.impact.as_ref().map(|i| &i.patch) == patch.as_ref() {
        return None;
    }
    let Some(patch) = patch else {
        form.impact = None;
        return None;
    };
    let client_id = client_id.clone();
    form.impact = Some(ImpactPreview {
        patch: patch.clone(),
        answer: None,
    });
    Some(state.requests.send(
        WorkerRequest::PreviewAppPatch { client_id, patch },
        Pending::Load(LoadKind::FormImpact),
    ))
}

/// The line the form shows, if the edit takes anything away.
pub fn impact_line(form: &FormState) -> Option<String> {
    let preview = form.impact.as_ref()?;
    Some(match &preview.answer {
        None => "Counting the active tokens this change affects…".to_string(),
        Some(Ok(impact)) => impact.summary(),
        Some(Err(why)) => {
            format!("The active tokens this change affects could not be counted: {why}")
        }
    })
}
