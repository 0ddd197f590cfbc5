//! The server's configuration: the core's [`finance_core::Config`] (the same
//! `.env` conventions as the desktop app: `MONGODB_URI`, `MONGODB_DB`,
//! `FINANCE_DATA_DIR`, `FINANCE_JWT_SECRET`, `FINANCE_BCRYPT_COST`) plus what
//! only a server has: where it listens, its TLS certificate and the origins
//! allowed to call it from a browser.
//!
//! Invariants: a [`ServerConfig`] holds only checked values (a bad value is an
//! error naming its variable, never a silent default); the listen address is
//! loopback unless `FINANCE_LISTEN` says otherwise; TLS needs both files;
//! `Debug` shows no secret (the core's `Config` redacts its own).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::http::HeaderValue;
use finance_core::{Config, Error, Result};

/// Where the server listens unless `FINANCE_LISTEN` says otherwise (loopback only).
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8737";

/// The folder under the platform data dir (`~/.local/share` on Linux) that
/// holds the server's embedded store and signing key when `FINANCE_DATA_DIR`
/// is unset. Not the desktop app's folder: a server and a desktop on one
/// computer do not share a database file unless told to (`FINANCE_DATA_DIR`).
pub const DATA_FOLDER: &str = "app.financemanager.server";

/// The file in the data dir that keeps the generated JWT signing key (mode 0600).
pub const SIGNING_KEY_FILE: &str = "jwt-signing-key";

/// The largest upload (an imported file, a backup to restore) unless
/// `FINANCE_UPLOAD_LIMIT_MB` says otherwise: 64 MiB.
pub const DEFAULT_UPLOAD_LIMIT_MB: usize = 64;

/// The certificate chain and private key (PEM files) that turn TLS on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Everything the server is started with.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The store and the session settings, read as the desktop app reads them.
    pub core: Config,
    /// `FINANCE_LISTEN` (default [`DEFAULT_LISTEN`]).
    pub listen: SocketAddr,
    /// `FINANCE_TLS_CERT` and `FINANCE_TLS_KEY`, both or neither.
    pub tls: Option<TlsFiles>,
    /// `FINANCE_CORS_ORIGINS` (comma-separated origins); empty: no CORS headers at all.
    pub cors_origins: Vec<HeaderValue>,
    /// The embedded store's folder and where a generated signing key is kept.
    pub data_dir: PathBuf,
    /// `FINANCE_UPLOAD_LIMIT_MB` (default [`DEFAULT_UPLOAD_LIMIT_MB`]), in
    /// bytes: the largest body of the file routes (JSON bodies stay at 1 MiB).
    pub upload_limit: usize,
}

impl ServerConfig {
    /// Load `.env` from `dotenv_path` if given and present (variables already
    /// set win), then read the environment.
    pub fn load(dotenv_path: Option<&Path>) -> Result<ServerConfig> {
        let core = Config::load(dotenv_path)?;
        ServerConfig::with_core(core, |k| std::env::var(k).ok())
    }

    /// Read the configuration through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<ServerConfig> {
        let core = Config::from_lookup(&get)?;
        ServerConfig::with_core(core, get)
    }

    fn with_core(core: Config, get: impl Fn(&str) -> Option<String>) -> Result<ServerConfig> {
        let nonempty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let listen = nonempty("FINANCE_LISTEN")
            .unwrap_or_else(|| DEFAULT_LISTEN.to_string())
            .parse::<SocketAddr>()
            .map_err(|_| {
                Error::validation(
                    "FINANCE_LISTEN",
                    "FINANCE_LISTEN must be an address and port, such as 127.0.0.1:8737",
                )
            })?;
        let tls = match (nonempty("FINANCE_TLS_CERT"), nonempty("FINANCE_TLS_KEY")) {
            (None, None) => None,
            (Some(cert), Some(key)) => Some(TlsFiles {
                cert: cert.into(),
                key: key.into(),
            }),
            (Some(_), None) => {
                return Err(Error::validation(
                    "FINANCE_TLS_KEY",
                    "FINANCE_TLS_KEY must be set with FINANCE_TLS_CERT",
                ));
            }
            (None, Some(_)) => {
                return Err(Error::validation(
                    "FINANCE_TLS_CERT",
                    "FINANCE_TLS_CERT must be set with FINANCE_TLS_KEY",
                ));
            }
        };
        let cors_origins = match nonempty("FINANCE_CORS_ORIGINS") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(|o| {
                    if o == "*" || !(o.starts_with("https://") || o.starts_with("http://")) {
                        return Err(Error::validation(
                            "FINANCE_CORS_ORIGINS",
                            "FINANCE_CORS_ORIGINS must list origins such as https://finance.example.net (no wildcard)",
                        ));
                    }
                    HeaderValue::from_str(o.trim_end_matches('/')).map_err(|_| {
                        Error::validation(
                            "FINANCE_CORS_ORIGINS",
                            "FINANCE_CORS_ORIGINS holds an origin that is not a valid header value",
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        };
        let upload_limit = match nonempty("FINANCE_UPLOAD_LIMIT_MB") {
            None => DEFAULT_UPLOAD_LIMIT_MB,
            Some(mb) => mb
                .parse::<usize>()
                .ok()
                .filter(|mb| (1..=4096).contains(mb))
                .ok_or_else(|| {
                    Error::validation(
                        "FINANCE_UPLOAD_LIMIT_MB",
                        "FINANCE_UPLOAD_LIMIT_MB must be a whole number of MiB from 1 to 4096",
                    )
                })?,
        } * 1024
            * 1024;
        let data_dir = core
            .data_dir
            .clone()
            .or_else(|| dirs::data_dir().map(|d| d.join(DATA_FOLDER)))
            .ok_or_else(|| {
                Error::validation(
                    "FINANCE_DATA_DIR",
                    "this system has no data folder: set FINANCE_DATA_DIR",
                )
            })?;
        Ok(ServerConfig {
            core,
            listen,
            tls,
            cors_origins,
            data_dir,
            upload_limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<ServerConfig> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ServerConfig::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn listens_on_loopback_unless_told_otherwise() {
        let c = from(&[("FINANCE_DATA_DIR", "/tmp/x")]).unwrap();
        assert!(
            c.listen.ip().is_loopback(),
            "default is loopback: {}",
            c.listen
        );
        assert!(c.tls.is_none() && c.cors_origins.is_empty());
        assert_eq!(
            c.upload_limit,
            64 * 1024 * 1024,
            "uploads default to 64 MiB"
        );
        let c = from(&[
            ("FINANCE_DATA_DIR", "/tmp/x"),
            ("FINANCE_LISTEN", "0.0.0.0:9000"),
        ])
        .unwrap();
        assert_eq!(c.listen.port(), 9000);
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (pairs, field) in [
            (vec![("FINANCE_LISTEN", "localhost")], "FINANCE_LISTEN"),
            (vec![("FINANCE_TLS_CERT", "/c.pem")], "FINANCE_TLS_KEY"),
            (
                vec![("FINANCE_UPLOAD_LIMIT_MB", "0")],
                "FINANCE_UPLOAD_LIMIT_MB",
            ),
            (
                vec![("FINANCE_UPLOAD_LIMIT_MB", "64k")],
                "FINANCE_UPLOAD_LIMIT_MB",
            ),
            (vec![("FINANCE_TLS_KEY", "/k.pem")], "FINANCE_TLS_CERT"),
            (vec![("FINANCE_CORS_ORIGINS", "*")], "FINANCE_CORS_ORIGINS"),
            (
                vec![("FINANCE_CORS_ORIGINS", "example.net")],
                "FINANCE_CORS_ORIGINS",
            ),
        ] {
            let mut pairs = pairs;
            pairs.push(("FINANCE_DATA_DIR", "/tmp/x"));
            let e = from(&pairs).expect_err(field);
            assert_eq!(e.field(), Some(field), "{e}");
        }
    }

    #[test]
    fn cors_origins_are_listed_exactly() {
        let c = from(&[
            ("FINANCE_DATA_DIR", "/tmp/x"),
            (
                "FINANCE_CORS_ORIGINS",
                "https://a.example, http://localhost:5173/",
            ),
        ])
        .unwrap();
        assert_eq!(
            c.cors_origins,
            ["https://a.example", "http://localhost:5173"]
        );
    }
}
