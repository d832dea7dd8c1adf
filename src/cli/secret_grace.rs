//! `apps end-grace`: what the operator sees once the previous secret is cut off.

use super::table::fields;
use crate::domain::ClientApp;

pub fn show_grace_ended(app: &ClientApp) -> String {
    let mut text = fields(&[
        ("Name", app.name.clone()),
        ("Client ID", app.client_id.clone()),
    ]);
    text.push_str("The previous secret no longer works; only the current one does.\n");
    text
}
