//! axum: OAuth endpoints, admin API, HTML pages (consent, device).
