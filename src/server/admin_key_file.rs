//! The admin key file of the data dir: written once at first start (mode 0600, only
//! its hash is stored), read by the console and the CLI.

use super::startup::{ServerError, io_error};
use crate::domain::ADMIN_KEY_PREFIX;
use crate::service::Service;
use crate::service::crypto::random_token;
use std::path::Path;

/// Reads an admin key written by `start` (or by hand).
pub fn read_admin_key(path: &Path) -> Result<String, ServerError> {
    let text =
        std::fs::read_to_string(path).map_err(io_error(format!("reading {}", path.display())))?;
    let key = text.trim();
    if !key.starts_with(ADMIN_KEY_PREFIX) {
        return Err(ServerError::AdminKey {
            path: path.to_path_buf(),
            reason: format!("does not hold an admin key (they start with {ADMIN_KEY_PREFIX})"),
        });
    }
    Ok(key.to_string())
}

/// Writes `key` so that only the owner can read it, replacing the file atomically.
fn write_key_file(path: &Path, key: &str) -> Result<(), ServerError> {
    use std::io::Write;
    let tmp = path.with_extension("key.tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&tmp)
        .map_err(io_error(format!("creating {}", tmp.display())))?;
    file.write_all(format!("{key}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io_error(format!("writing {}", tmp.display())))?;
    std::fs::rename(&tmp, path).map_err(io_error(format!("renaming to {}", path.display())))
}

/// First start: a read-write key named `default`, written to the data dir. The file
/// is written before the key is stored, so a crash between leaves no unusable key.
pub(super) async fn ensure_admin_key(service: &Service, path: &Path) -> Result<(), ServerError> {
    if !service.list_admin_keys().await?.is_empty() {
        return Ok(());
    }
    let key = random_token(ADMIN_KEY_PREFIX, 32)?;
    write_key_file(path, &key)?;
    service.register_admin_key(&key, "default", false).await?;
    tracing::info!(file = %path.display(), "created the first admin key");
    Ok(())
}
