//! TEMPORARY stand-in for `crate::server`'s public API until the server lands on main.
//! Delete on `git merge main`.

#![allow(dead_code)]
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use url::Url;

pub struct ServerConfig {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub issuer: Option<Url>,
}

#[derive(Debug, thiserror::Error)]
#[error("server not built yet")]
pub struct ServerError;

pub struct RunningServer {
    addr: SocketAddr,
    base: Url,
    key_file: PathBuf,
}

impl RunningServer {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
    pub fn base_url(&self) -> Url {
        self.base.clone()
    }
    pub fn issuer(&self) -> &Url {
        &self.base
    }
    pub fn admin_key_file(&self) -> &Path {
        &self.key_file
    }
    pub async fn shutdown(self) {}
    pub async fn wait(self) -> Result<(), ServerError> {
        Ok(())
    }
}

pub async fn start(_config: ServerConfig) -> Result<RunningServer, ServerError> {
    Err(ServerError)
}

pub fn read_admin_key(_path: &Path) -> Result<String, ServerError> {
    Err(ServerError)
}
