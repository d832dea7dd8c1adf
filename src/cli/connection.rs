//! Which server a command talks to: `--server URL` with an admin key, or the local data
//! dir through an in-process server on 127.0.0.1:0 that lives as long as the command.
//! Either way every call goes through `AdminClient` (DESIGN §1: one code path).

use super::CliError;
use super::args::GlobalArgs;
use super::database::database_url;
use crate::api::{AdminClient, ServerTrust};
use crate::server;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use url::Url;

/// The admin key itself, as an alternative to a key file.
pub const ADMIN_KEY_ENV: &str = "OAUTH_CONSOLE_ADMIN_KEY";

/// An open connection to a server's admin API.
pub struct Connection {
    pub client: AdminClient,
    /// How the console's header names the server.
    pub label: String,
    embedded: Option<server::RunningServer>,
    /// The admin key this command made for itself on a shared database, revoked at close.
    session_key: Option<String>,
}

impl Connection {
    pub async fn open(global: &GlobalArgs) -> Result<Connection, CliError> {
        match &global.server {
            Some(url) => Connection::remote(global, url),
            None => Connection::embedded(&data_dir(global)?, database_url(global)?).await,
        }
    }

    fn remote(global: &GlobalArgs, url: &Url) -> Result<Connection, CliError> {
        let base = with_trailing_slash(url.clone());
        let key = remote_admin_key(global)?;
        let label = base.as_str().trim_end_matches('/').to_string();
        let trust = match &global.ca_file {
            Some(path) => ServerTrust::with_ca_file(path)?,
            None => ServerTrust::default(),
        };
        Ok(Connection {
            client: AdminClient::with_trust(base, key, global.insecure_http, trust)?,
            label,
            embedded: None,
            session_key: None,
        })
    }

    /// An in-process server on the data dir, or on `database` when given. On a
    /// database the admin key in the data dir may belong to another one, so the command
    /// makes its own key (audited as `local`) and revokes it when it closes.
    async fn embedded(data_dir: &Path, database: Option<String>) -> Result<Connection, CliError> {
        let shared = database.is_some();
        let config = server::ServerConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            data_dir: data_dir.to_path_buf(),
            issuer: None,
            database,
            limits: Default::default(),
        };
        let location = server::store_location(&config)
            .map_err(|e| CliError::Usage(format!("--database: {e}")))?;
        let running = server::start(config).await.map_err(|e| {
            CliError::Failed(format!(
                "cannot start the server on {}: {e}",
                location.describe()
            ))
        })?;
        let session_key = shared.then(session_key_name);
        let key = match &session_key {
            Some(name) => running
                .create_admin_key(name, false)
                .await
                .map_err(|e| CliError::Failed(format!("cannot make a session admin key: {e}"))),
            None => server::read_admin_key(running.admin_key_file())
                .map_err(|e| CliError::Failed(format!("cannot read the admin key: {e}"))),
        };
        let key = match key {
            Ok(key) => key,
            Err(e) => {
                running.shutdown().await;
                return Err(e);
            }
        };
        let base = running.base_url();
        let label = format!("embedded · {}", base.as_str().trim_end_matches('/'));
        let client = match AdminClient::new(base, key) {
            Ok(client) => client,
            Err(e) => {
                running.shutdown().await;
                return Err(e.into());
            }
        };
        Ok(Connection {
            client,
            label,
            embedded: Some(running),
            session_key,
        })
    }

    /// Stops the in-process server, if there is one, revoking its session key first.
    pub async fn close(self) {
        if let Some(running) = self.embedded {
            if let Some(name) = &self.session_key
                && let Err(e) = running.revoke_admin_key(name).await
            {
                tracing::warn!(error = %e, name, "could not revoke the session admin key");
            }
            running.shutdown().await;
        }
    }
}

/// `cli-<random>`: names one command's own admin key on a shared database.
fn session_key_name() -> String {
    let suffix: u32 = rand::random();
    format!("cli-{suffix:08x}")
}

/// `--data-dir`, `OAUTH_CONSOLE_DATA_DIR`, or the user's data dir.
pub fn data_dir(global: &GlobalArgs) -> Result<PathBuf, CliError> {
    if let Some(dir) = &global.data_dir {
        return Ok(dir.clone());
    }
    directories::ProjectDirs::from("", "", "oauth-console")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| {
            CliError::Usage(
                "cannot find a data directory for this user (no home directory?); \
                 pass --data-dir DIR or set OAUTH_CONSOLE_DATA_DIR"
                    .into(),
            )
        })
}

/// The key for `--server`: `--admin-key-file`, else `OAUTH_CONSOLE_ADMIN_KEY`, else the
/// local data dir's `admin.key` (a `serve` on this machine).
fn remote_admin_key(global: &GlobalArgs) -> Result<String, CliError> {
    if let Some(path) = &global.admin_key_file {
        return read_key_file(path);
    }
    if let Ok(key) = std::env::var(ADMIN_KEY_ENV) {
        let key = key.trim();
        if key.is_empty() {
            return Err(CliError::Usage(format!("{ADMIN_KEY_ENV} is set but empty")));
        }
        return Ok(key.to_string());
    }
    if let Ok(dir) = data_dir(global) {
        let local = dir.join("admin.key");
        if local.is_file() {
            return read_key_file(&local);
        }
    }
    Err(CliError::Usage(format!(
        "--server needs an admin key: pass --admin-key-file PATH or set {ADMIN_KEY_ENV}"
    )))
}

fn read_key_file(path: &Path) -> Result<String, CliError> {
    server::read_admin_key(path).map_err(|e| {
        CliError::Usage(format!(
            "cannot read the admin key from {}: {e}",
            path.display()
        ))
    })
}

/// `Url::join` replaces the last segment unless the base ends with `/`.
fn with_trailing_slash(mut url: Url) -> Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_server_under_a_path_keeps_its_path() {
        let url = with_trailing_slash(Url::parse("https://auth.example.com/oc").unwrap());
        assert_eq!(
            url.join("admin/v1/apps").unwrap().as_str(),
            "https://auth.example.com/oc/admin/v1/apps"
        );
    }
}
