//! Configuration from the environment (and a `.env` file through dotenvy).
//!
//! Invariants: a [`Config`] holds only checked values (a bad value is an
//! error naming its variable, never a silent default): `MONGODB_URI` is a
//! [`MongoUri`] (see [`mongo_uri`]), `FINANCE_JWT_SECRET` passed
//! [`check_jwt_secret`]. `Debug` redacts the MongoDB URI and the JWT secret.

mod jwt_secret;
mod mongo_uri;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use jwt_secret::{MIN_BITS_PER_BYTE, MIN_BYTES as JWT_SECRET_MIN_BYTES, check_jwt_secret};
pub use mongo_uri::{MongoUri, SHOWN_OPTIONS, UriProblem, redact_uri, uri_location};

/// The embedded store's file name inside the data folder (the desktop app's
/// and the server's).
pub const SQLITE_FILE: &str = "finance.sqlite3";

/// Which store to use and how to reach it.
#[derive(Clone, Default)]
pub struct Config {
    /// `MONGODB_URI`: when set, MongoDB is used; otherwise the embedded store.
    /// A server reached without TLS must be this computer, or
    /// `MONGODB_OWN_NETWORK=true` must say it is on the user's own network.
    pub mongodb_uri: Option<MongoUri>,
    /// `MONGODB_DB` (default `finance`).
    pub mongodb_db: String,
    /// `FINANCE_JWT_SECRET`: when unset, a key is generated once and kept by the
    /// caller's key store; when set, it passed [`check_jwt_secret`].
    pub jwt_secret: Option<String>,
    /// `FINANCE_DATA_DIR`: where the embedded store's file lives (the caller's default otherwise).
    pub data_dir: Option<PathBuf>,
    /// `FINANCE_BCRYPT_COST` (tests only lower it; release builds refuse below 10).
    pub bcrypt_cost: Option<u32>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field(
                "mongodb_uri",
                &self.mongodb_uri.as_ref().map(MongoUri::redacted),
            )
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
    /// The embedded store's file in `data_dir`.
    pub fn sqlite_path(data_dir: &Path) -> PathBuf {
        data_dir.join(SQLITE_FILE)
    }

    /// The session settings this configuration asks for (`FINANCE_BCRYPT_COST`).
    pub fn auth_settings(&self) -> crate::AuthSettings {
        crate::AuthSettings {
            bcrypt_cost: self.bcrypt_cost.unwrap_or(crate::auth::DEFAULT_BCRYPT_COST),
            ..crate::AuthSettings::default()
        }
    }

    /// Load `.env` from `dotenv_path` if given and present (variables already set win), then read the environment.
    pub fn load(dotenv_path: Option<&Path>) -> Result<Config> {
        if let Some(p) = dotenv_path
            && p.exists()
        {
            dotenvy::from_path(p).map_err(|e| Error::validation(".env", dotenv_problem(&e)))?;
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
        let own_network = match nonempty("MONGODB_OWN_NETWORK").as_deref() {
            None => false,
            Some(v) if v.eq_ignore_ascii_case("true") || v == "1" => true,
            Some(v) if v.eq_ignore_ascii_case("false") || v == "0" => false,
            Some(_) => {
                return Err(Error::validation(
                    "MONGODB_OWN_NETWORK",
                    "MONGODB_OWN_NETWORK must be true or false",
                ));
            }
        };
        let mongodb_uri = match nonempty("MONGODB_URI") {
            None => None,
            Some(uri) => Some(MongoUri::parse(&uri, own_network).map_err(|p| match p {
                UriProblem::PlainRemote => Error::validation(
                    "MONGODB_URI",
                    "MONGODB_URI connects without TLS to a server on another computer: add \
                     tls=true, or set MONGODB_OWN_NETWORK=true if the server is on your own network",
                ),
                other => Error::validation("MONGODB_URI", format!("MONGODB_URI {other}")),
            })?),
        };
        let jwt_secret = nonempty("FINANCE_JWT_SECRET");
        if let Some(secret) = &jwt_secret {
            check_jwt_secret(secret)?;
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
                                "FINANCE_BCRYPT_COST must be a number from 4 to 31",
                            )
                        })?;
                if !cfg!(debug_assertions) && cost < 10 {
                    return Err(Error::validation(
                        "FINANCE_BCRYPT_COST",
                        "FINANCE_BCRYPT_COST must be at least 10 in release builds",
                    ));
                }
                Some(cost)
            }
        };
        Ok(Config {
            mongodb_uri,
            mongodb_db: nonempty("MONGODB_DB").unwrap_or_else(|| "finance".to_string()),
            jwt_secret,
            data_dir: nonempty("FINANCE_DATA_DIR").map(PathBuf::from),
            bcrypt_cost,
        })
    }
}

/// Why `.env` could not be read, without quoting it (dotenvy's own message
/// repeats the offending line, which may hold a secret).
fn dotenv_problem(e: &dotenvy::Error) -> String {
    match e {
        dotenvy::Error::LineParse(_, at) => {
            format!("the .env file has a line that cannot be parsed (at character {at})")
        }
        dotenvy::Error::Io(io) => format!("the .env file cannot be read ({})", io.kind()),
        _ => "the .env file cannot be read".to_string(),
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
        let secret = "q7Vx2LmN9pR4sT8wY1zB5cD3fG6hJ0kM";
        let c = from(&[("MONGODB_URI", uri), ("FINANCE_JWT_SECRET", secret)]).unwrap();
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("s3cr") && !shown.contains(secret) && !shown.contains("ann"),
            "Debug hides the URI's credentials and the secret: {shown}"
        );
        assert!(shown.contains("cluster0.example.net"), "{shown}");
    }

    /// Before: a short or low-entropy secret was accepted here and silently
    /// replaced by a per-run key later (signing the user out at each start).
    #[test]
    fn a_bad_env_file_is_refused_without_quoting_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "FINANCE_JWT_SECRET='unterminated s3cr3t-value\n").unwrap();
        let e = Config::load(Some(&path)).expect_err("unparseable .env");
        assert_eq!(e.field(), Some(".env"));
        assert!(!e.to_string().contains("s3cr3t"), "{e}");
    }

    #[test]
    fn weak_jwt_secrets_are_refused_naming_the_variable() {
        for weak in ["topsecretvalue", &"a".repeat(40), &"secret12".repeat(4)] {
            let e = from(&[("FINANCE_JWT_SECRET", weak)]).expect_err(weak);
            assert_eq!(e.field(), Some("FINANCE_JWT_SECRET"), "{e}");
            assert!(e.to_string().contains("FINANCE_JWT_SECRET"), "{e}");
        }
    }

    #[test]
    fn mongodb_uri_is_checked_like_in_settings() {
        let e = from(&[("MONGODB_URI", "mongodb://db.example.net/?tlsInsecure=true")]).unwrap_err();
        assert_eq!(e.field(), Some("MONGODB_URI"));
        assert!(e.to_string().contains("tlsInsecure"), "{e}");
        let e = from(&[("MONGODB_URI", "mongodb://db.example.net")]).unwrap_err();
        assert!(e.to_string().contains("MONGODB_OWN_NETWORK"), "{e}");
        let c = from(&[
            ("MONGODB_URI", "mongodb://db.example.net"),
            ("MONGODB_OWN_NETWORK", "true"),
        ])
        .unwrap();
        assert!(c.mongodb_uri.is_some_and(|u| !u.uses_tls()));
        assert_eq!(
            from(&[("MONGODB_OWN_NETWORK", "maybe")])
                .unwrap_err()
                .field(),
            Some("MONGODB_OWN_NETWORK")
        );
    }
}
