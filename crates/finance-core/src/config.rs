//! Configuration from the environment (and a `.env` file through dotenvy).
//!
//! `Debug` redacts the MongoDB URI's password and the JWT secret.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Which store to use and how to reach it.
#[derive(Clone, Default)]
pub struct Config {
    /// `MONGODB_URI`: when set, MongoDB is used; otherwise the embedded store.
    pub mongodb_uri: Option<String>,
    /// `MONGODB_DB` (default `finance`).
    pub mongodb_db: String,
    /// `FINANCE_JWT_SECRET`: when unset, a key is generated once and kept by the caller's key store.
    pub jwt_secret: Option<String>,
    /// `FINANCE_DATA_DIR`: where the embedded store's file lives (the caller's default otherwise).
    pub data_dir: Option<PathBuf>,
    /// `FINANCE_BCRYPT_COST` (tests only lower it; release builds refuse below 10).
    pub bcrypt_cost: Option<u32>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("mongodb_uri", &self.mongodb_uri.as_deref().map(redact_uri))
            .field("mongodb_db", &self.mongodb_db)
            .field(
                "jwt_secret",
                &self.jwt_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("data_dir", &self.data_dir)
            .field("bcrypt_cost", &self.bcrypt_cost)
            .finish()
    }
}

impl Config {
    /// Load `.env` from `dotenv_path` if given and present (variables already set win), then read the environment.
    pub fn load(dotenv_path: Option<&Path>) -> Result<Config> {
        if let Some(p) = dotenv_path
            && p.exists()
        {
            dotenvy::from_path(p)
                .map_err(|e| Error::validation(".env", format!("cannot be read: {e}")))?;
        }
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    /// Read configuration through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let nonempty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let mongodb_uri = nonempty("MONGODB_URI");
        if let Some(uri) = &mongodb_uri
            && !(uri.starts_with("mongodb://") || uri.starts_with("mongodb+srv://"))
        {
            return Err(Error::validation(
                "MONGODB_URI",
                "must start with mongodb:// or mongodb+srv://",
            ));
        }
        let bcrypt_cost = match nonempty("FINANCE_BCRYPT_COST") {
            None => None,
            Some(v) => {
                let cost: u32 =
                    v.parse()
                        .ok()
                        .filter(|c| (4..=31).contains(c))
                        .ok_or_else(|| {
                            Error::validation(
                                "FINANCE_BCRYPT_COST",
                                "must be a number from 4 to 31",
                            )
                        })?;
                if !cfg!(debug_assertions) && cost < 10 {
                    return Err(Error::validation(
                        "FINANCE_BCRYPT_COST",
                        "must be at least 10 in release builds",
                    ));
                }
                Some(cost)
            }
        };
        Ok(Config {
            mongodb_uri,
            mongodb_db: nonempty("MONGODB_DB").unwrap_or_else(|| "finance".to_string()),
            jwt_secret: nonempty("FINANCE_JWT_SECRET"),
            data_dir: nonempty("FINANCE_DATA_DIR").map(PathBuf::from),
            bcrypt_cost,
        })
    }
}

/// A MongoDB URI with any password replaced by `***` (safe to log or show).
pub fn redact_uri(uri: &str) -> String {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return "<unparseable uri>".to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        None => uri.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<Config> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_to_the_embedded_store() {
        let c = from(&[]).unwrap();
        assert!(c.mongodb_uri.is_none());
        assert_eq!(c.mongodb_db, "finance");
        let c = from(&[("MONGODB_URI", "  ")]).unwrap();
        assert!(c.mongodb_uri.is_none());
    }

    #[test]
    fn validates_values() {
        assert_eq!(
            from(&[("MONGODB_URI", "http://x")]).unwrap_err().field(),
            Some("MONGODB_URI")
        );
        assert_eq!(
            from(&[("FINANCE_BCRYPT_COST", "99")]).unwrap_err().field(),
            Some("FINANCE_BCRYPT_COST")
        );
        assert_eq!(
            from(&[("FINANCE_BCRYPT_COST", "4")]).unwrap().bcrypt_cost,
            Some(4)
        );
    }

    #[test]
    fn redacts_credentials() {
        let uri = "mongodb+srv://ann:s3cr%40t@cluster0.example.net/finance?retryWrites=true";
        let c = from(&[
            ("MONGODB_URI", uri),
            ("FINANCE_JWT_SECRET", "topsecretvalue"),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("s3cr") && !shown.contains("topsecretvalue"),
            "{shown}"
        );
        assert_eq!(
            redact_uri(uri),
            "mongodb+srv://ann:***@cluster0.example.net/finance?retryWrites=true"
        );
        assert_eq!(
            redact_uri("mongodb://localhost:27017"),
            "mongodb://localhost:27017"
        );
        assert_eq!(redact_uri("garbage"), "<unparseable uri>");
    }
}
