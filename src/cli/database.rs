//! Which database a local server uses: `--database` (or `OAUTH_CONSOLE_DATABASE_URL`),
//! else the config file's `database`, else none: the SQLite file in the data dir.

use super::CliError;
use super::args::GlobalArgs;
use super::profiles::load_config;

pub fn database_url(global: &GlobalArgs) -> Result<Option<String>, CliError> {
    if let Some(url) = global.database.as_deref().map(str::trim)
        && !url.is_empty()
    {
        return Ok(Some(url.to_string()));
    }
    Ok(load_config()?
        .config
        .database
        .filter(|url| !url.trim().is_empty()))
}
