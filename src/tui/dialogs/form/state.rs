//! The new/edit app form: its fields, which one has the focus, and the rules it breaks.
//! Text fields own a `tui_input::Input`; keys reach one only while it has the focus.

use crate::domain::rules::{
    grant_forbidden_reason, redirect_urls_fixed_reason, scope_forbidden_reason,
};
use crate::domain::{
    AppChangeImpact, AppDraft, AppPatch, ClientApp, Field, GrantType, Platform, RuleViolation,
    Scope, validate_draft,
};
use ratatui::crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormMode {
    New,
    Edit { client_id: String },
}

/// One count asked of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactPreview {
    /// The narrowing counted: the edit's scopes, grant types and redirect URLs.
    pub patch: AppPatch,
    /// `None` while the server counts; `Err` says why it could not.
    pub answer: Option<Result<AppChangeImpact, String>>,
}

/// The element of the form that has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormFocus {
    Name,
    Platform,
    RedirectUrl(usize),
    AddUrl,
    Scope(usize),
    Grant(usize),
    Save,
    Cancel,
}

#[derive(Debug, Clone)]
pub struct FormState {
    pub mode: FormMode,
    pub name: Input,
    pub platform: Platform,
    pub redirect_urls: Vec<Input>,
    pub scopes: Vec<Scope>,
    pub grants: Vec<GrantType>,
    pub focus: FormFocus,
    /// What the form started from, to tell whether anything changed.
    original: AppDraft,
    /// Set by the first save attempt: from then on broken rules show beside their fields.
    pub show_errors: bool,
    pub violations: Vec<RuleViolation>,
    /// The server's answer to the last save, when it refused.
    pub server_error: Option<String>,
    /// True while a save is on its way.
    pub saving: bool,
    /// What the edit takes away does to the app's active tokens, as last counted.
    pub impact: Option<ImpactPreview>,
}

fn default_grants(platform: Platform) -> Vec<GrantType> {
    match platform {
        Platform::Web | Platform::Native => {
            vec![GrantType::AuthorizationCode, GrantType::RefreshToken]
        }
        Platform::SinglePage => vec![GrantType::AuthorizationCode],
        Platform::ApiServices => vec![GrantType::ClientCredentials],
    }
}

impl FormState {
    pub fn new_app() -> FormState {
        let draft = AppDraft {
            name: String::new(),
            platform: Platform::Web,
            redirect_urls: Vec::new(),
            scopes: vec![Scope::Monitoring],
            grant_types: default_grants(Platform::Web),
            access_token_ttl: None,
            refresh_token_ttl: None,
        };
        FormState::from_draft(FormMode::New, draft)
    }

    pub fn edit(app: &ClientApp) -> FormState {
        FormState::from_draft(
            FormMode::Edit {
                client_id: app.client_id.clone(),
            },
            app.draft(),
        )
    }

    fn from_draft(mode: FormMode, draft: AppDraft) -> FormState {
        let mut form = FormState {
            mode,
            name: Input::new(draft.name.clone()),
            platform: draft.platform,
            redirect_urls: draft
                .redirect_urls
                .iter()
                .map(|u| Input::new(u.clone()))
                .collect(),
            scopes: draft.scopes.clone(),
            grants: draft.grant_types.clone(),
            focus: FormFocus::Name,
            original: draft,
            show_errors: false,
            violations: Vec::new(),
            server_error: None,
            saving: false,
            impact: None,
        };
        form.revalidate();
        form
    }

    /// The app as it was when the form opened (empty for a new app).
    pub fn original(&self) -> AppDraft {
        self.original.clone().normalized()
    }

    pub fn is_new(&self) -> bool {
        self.mode == FormMode::New
    }

    pub fn redirects_editable(&self) -> bool {
        redirect_urls_fixed_reason(self.platform).is_none()
    }

    /// The draft as typed: URLs keep their positions so rule messages find their field.
    fn raw_draft(&self) -> AppDraft {
        let mut scopes = self.scopes.clone();
        scopes.sort();
        let mut grant_types = self.grants.clone();
        grant_types.sort();
        AppDraft {
            name: self.name.value().trim().to_string(),
            platform: self.platform,
            redirect_urls: if self.redirects_editable() {
                self.redirect_urls
                    .iter()
                    .map(|u| u.value().trim().to_string())
                    .collect()
            } else {
                Vec::new()
            },
            scopes,
            grant_types,
            access_token_ttl: self.original.access_token_ttl,
            refresh_token_ttl: self.original.refresh_token_ttl,
        }
    }

    /// What a save sends.
    pub fn draft(&self) -> AppDraft {
        self.raw_draft().normalized()
    }

    pub fn is_dirty(&self) -> bool {
        self.draft() != self.original.clone().normalized()
    }

    pub fn revalidate(&mut self) {
        self.violations = validate_draft(&self.raw_draft());
    }

    /// Messages for one field, when errors are being shown.
    pub fn errors_for(&self, field: Field) -> Vec<&str> {
        if !self.show_errors {
            return Vec::new();
        }
        self.violations
            .iter()
            .filter(|v| v.field == field)
            .map(|v| v.message.as_str())
            .collect()
    }

    /// The focusable elements, top to bottom, for the current platform.
    pub fn focus_order(&self) -> Vec<FormFocus> {
        let mut order = vec![FormFocus::Name];
        if self.is_new() {
            order.push(FormFocus::Platform);
        }
        if self.redirects_editable() {
            order.extend((0..self.redirect_urls.len()).map(FormFocus::RedirectUrl));
            order.push(FormFocus::AddUrl);
        }
        order.extend((0..Scope::ALL.len()).map(FormFocus::Scope));
        order.extend((0..GrantType::ALL.len()).map(FormFocus::Grant));
        order.push(FormFocus::Save);
        order.push(FormFocus::Cancel);
        order
    }

    pub fn move_focus(&mut self, delta: isize) {
        let order = self.focus_order();
        let at = order.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let len = order.len() as isize;
        let next = (at + delta).rem_euclid(len) as usize;
        self.focus = order.get(next).copied().unwrap_or(FormFocus::Name);
    }

    /// Whether keys currently go into a text field.
    pub fn editing_text(&self) -> bool {
        matches!(self.focus, FormFocus::Name | FormFocus::RedirectUrl(_))
    }

    fn focused_input(&mut self) -> Option<&mut Input> {
        match self.focus {
            FormFocus::Name => Some(&mut self.name),
            FormFocus::RedirectUrl(i) => self.redirect_urls.get_mut(i),
            _ => None,
        }
    }

    pub fn edit_key(&mut self, key: KeyEvent) {
        if let Some(input) = self.focused_input()
            && let Some(request) = to_input_request(&Event::Key(key))
        {
            input.handle(request);
            self.revalidate();
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(input) = self.focused_input() {
            // One line only: a pasted newline would not be part of a name or a URL.
            let line = text.lines().next().unwrap_or("");
            for c in line.chars().filter(|c| !c.is_control()) {
                input.handle(tui_input::InputRequest::InsertChar(c));
            }
            self.revalidate();
        }
    }

    /// Left/Right on the platform selector (new apps only).
    /// ←/→: another platform, when the focus is on the platform row.
    pub fn move_sideways(&mut self, delta: isize) {
        if self.focus == FormFocus::Platform {
            self.cycle_platform(delta);
        }
    }

    pub fn cycle_platform(&mut self, delta: isize) {
        if !self.is_new() {
            return;
        }
        let at = Platform::ALL
            .iter()
            .position(|p| *p == self.platform)
            .unwrap_or(0) as isize;
        let next = (at + delta).rem_euclid(Platform::ALL.len() as isize) as usize;
        self.platform = Platform::ALL[next];
        let platform = self.platform;
        self.grants
            .retain(|g| grant_forbidden_reason(platform, *g).is_none());
        if self.grants.is_empty() {
            self.grants = default_grants(platform);
        }
        self.scopes
            .retain(|s| scope_forbidden_reason(platform, *s).is_none());
        self.revalidate();
    }

    /// Space or Enter on a checkbox. Forbidden boxes stay as they are.
    pub fn toggle_focused(&mut self) {
        match self.focus {
            FormFocus::Scope(i) => {
                let scope = Scope::ALL[i.min(Scope::ALL.len() - 1)];
                if scope_forbidden_reason(self.platform, scope).is_none() {
                    toggle(&mut self.scopes, scope);
                }
            }
            FormFocus::Grant(i) => {
                let grant = GrantType::ALL[i.min(GrantType::ALL.len() - 1)];
                if grant_forbidden_reason(self.platform, grant).is_none() {
                    toggle(&mut self.grants, grant);
                }
            }
            _ => return,
        }
        self.revalidate();
    }

    pub fn add_url(&mut self) {
        self.redirect_urls.push(Input::new("https://".into()));
        self.focus = FormFocus::RedirectUrl(self.redirect_urls.len() - 1);
        self.revalidate();
    }

    pub fn remove_focused_url(&mut self) {
        if let FormFocus::RedirectUrl(i) = self.focus
            && i < self.redirect_urls.len()
        {
            self.redirect_urls.remove(i);
            self.focus = if self.redirect_urls.is_empty() {
                FormFocus::AddUrl
            } else {
                FormFocus::RedirectUrl(i.min(self.redirect_urls.len() - 1))
            };
            self.revalidate();
        }
    }

    /// Why the focused checkbox cannot be ticked, for the status line.
    pub fn focused_reason(&self) -> Option<&'static str> {
        match self.focus {
            FormFocus::Scope(i) => Scope::ALL
                .get(i)
                .and_then(|s| scope_forbidden_reason(self.platform, *s)),
            FormFocus::Grant(i) => GrantType::ALL
                .get(i)
                .and_then(|g| grant_forbidden_reason(self.platform, *g)),
            _ => None,
        }
    }
}

fn toggle<T: PartialEq>(set: &mut Vec<T>, item: T) {
    match set.iter().position(|x| *x == item) {
        Some(i) => {
            set.remove(i);
        }
        None => set.push(item),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_platform_drops_what_the_new_platform_forbids() {
        let mut form = FormState::new_app();
        form.focus = FormFocus::Platform;
        form.cycle_platform(-1); // Web → API services.
        assert_eq!(form.platform, Platform::ApiServices);
        assert_eq!(form.grants, vec![GrantType::ClientCredentials]);
        assert!(
            !form.focus_order().contains(&FormFocus::AddUrl),
            "no redirect URLs"
        );
    }

    #[test]
    fn forbidden_boxes_do_not_toggle_and_say_why() {
        let mut form = FormState::new_app();
        let cc = GrantType::ALL
            .iter()
            .position(|g| *g == GrantType::ClientCredentials);
        form.focus = FormFocus::Grant(cc.unwrap_or(1));
        form.toggle_focused();
        assert!(!form.grants.contains(&GrantType::ClientCredentials));
        assert!(form.focused_reason().is_some());
    }

    #[test]
    fn pasted_control_characters_are_dropped() {
        let mut form = FormState::new_app();
        form.paste("evil\x1b[31m\nsecond line");
        assert_eq!(form.name.value(), "evil[31m");
    }

    #[test]
    fn an_untouched_edit_form_is_not_dirty() {
        let mut form = FormState::new_app();
        assert!(!form.is_dirty());
        form.paste("x");
        assert!(form.is_dirty());
    }
}
