//! MongoDB connection strings: the validated [`MongoUri`] and the redaction
//! used wherever a URI is logged or shown ([`redact_uri`], [`uri_location`]).
//!
//! Invariants:
//! * **redaction fails closed.** [`redact_uri`] shows only what it has
//!   positively recognised as harmless: the scheme, host names (strict
//!   character set), the database name, and the values of the options in
//!   [`SHOWN_OPTIONS`] (strict character set). Everything before the last `@`
//!   is credentials (a password may hold a raw `/`, `?`, `#`, `:` or `@`), and
//!   every other option value (`authMechanismProperties`,
//!   `tlsCertificateKeyFilePassword`, `proxyPassword`…) becomes `***`, an
//!   unknown option is hidden whole, and so is every option after a hidden
//!   one (a raw `&` may be part of the hidden value);
//! * a [`MongoUri`] was accepted by the driver's own parser
//!   (`mongodb::options::ConnectionString::parse`), has URL-encoded
//!   credentials, never turns certificate checks off, and speaks TLS to any
//!   host that is not this computer unless the user said the server is on
//!   their own network;
//! * no message here quotes any part of the URI.

use std::fmt;

use mongodb::options::{ConnectionString, HostInfo, ServerAddress, Tls};

use crate::error::Error;

/// The options whose values [`redact_uri`] shows (lower-case): none of them
/// carries a credential. Every other option's value is hidden.
pub const SHOWN_OPTIONS: &[&str] = &[
    "appname",
    "authmechanism",
    "authsource",
    "compressors",
    "connecttimeoutms",
    "directconnection",
    "heartbeatfrequencyms",
    "journal",
    "loadbalanced",
    "localthresholdms",
    "maxconnecting",
    "maxidletimems",
    "maxpoolsize",
    "maxstalenessseconds",
    "minpoolsize",
    "readconcernlevel",
    "readpreference",
    "readpreferencetags",
    "replicaset",
    "retryreads",
    "retrywrites",
    "serverselectiontimeoutms",
    "servermonitoringmode",
    "sockettimeoutms",
    "srvmaxhosts",
    "srvservicename",
    "ssl",
    "timeoutms",
    "tls",
    "tlsallowinvalidcertificates",
    "tlsallowinvalidhostnames",
    "tlsinsecure",
    "uuidrepresentation",
    "w",
    "waitqueuetimeoutms",
    "wtimeoutms",
    "zlibcompressionlevel",
];

/// Known options whose values may hold a credential or a private path
/// (lower-case): their names are shown, their values never. An option in
/// neither list is hidden whole, name and value (a raw `&` in a value would
/// otherwise show the rest of the value as an option name).
pub const HIDDEN_VALUE_OPTIONS: &[&str] = &[
    "authmechanismproperties",
    "proxyhost",
    "proxypassword",
    "proxyport",
    "proxyusername",
    "tlscafile",
    "tlscertificatekeyfile",
    "tlscertificatekeyfilepassword",
];

/// Options that turn certificate checks off (lower-case); `=true` is refused.
const INSECURE_OPTIONS: &[&str] = &[
    "tlsinsecure",
    "tlsallowinvalidcertificates",
    "tlsallowinvalidhostnames",
    "sslallowinvalidcertificates",
    "sslallowinvalidhostnames",
];

const HIDDEN: &str = "***";

/// A connection string split where the syntax says, before any validation.
struct Parts<'a> {
    scheme: &'a str,
    /// Everything before the last `@`, if there is one.
    userinfo: Option<&'a str>,
    hosts: &'a str,
    /// The path after the hosts' `/` (the database), if any.
    db: Option<&'a str>,
    /// The query after `?`, if any (without a `#` fragment).
    query: Option<&'a str>,
    fragment: bool,
    /// A `?` or `#` before the last `@`: either the password holds a raw `?`
    /// or `#`, or an option value or fragment holds a raw `@`. Nothing after
    /// the `@` can then be trusted to be harmless.
    ambiguous: bool,
}

/// Split `uri` for display. A password may contain raw `/`, `?`, `#` or `@`
/// (invalid, but pasted all the same), so the credentials are everything up
/// to the **last** `@`: whatever the password holds, it is before it.
fn split(uri: &str) -> Option<Parts<'_>> {
    let (scheme, rest) = uri.split_once("://")?;
    if scheme != "mongodb" && scheme != "mongodb+srv" {
        return None;
    }
    let (userinfo, after) = match rest.rfind('@') {
        Some(i) => (Some(&rest[..i]), &rest[i + 1..]),
        None => (None, rest),
    };
    let (after, fragment) = match after.split_once('#') {
        Some((a, _)) => (a, true),
        None => (after, false),
    };
    let (before_query, query) = match after.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (after, None),
    };
    let (hosts, db) = match before_query.split_once('/') {
        Some((h, d)) => (h, Some(d)),
        None => (before_query, None),
    };
    Some(Parts {
        scheme,
        ambiguous: userinfo.is_some_and(|u| u.contains(['?', '#'])),
        userinfo,
        hosts,
        db,
        query,
        fragment,
    })
}

fn all(s: &str, ok: impl Fn(char) -> bool) -> bool {
    s.chars().all(ok)
}

/// Host lists as written: names, IPv4, `[IPv6]`, ports, commas, and
/// percent-encoded socket paths. Nothing that can delimit credentials.
fn safe_hosts(s: &str) -> bool {
    !s.is_empty()
        && all(s, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | ',' | '[' | ']' | '%')
        })
}

fn safe_name(s: &str) -> bool {
    all(s, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
    })
}

fn safe_value(s: &str) -> bool {
    all(s, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | ',' | '%')
    })
}

/// `uri` safe to log or show: the credentials become `***`, and so does
/// every option value that is not known to be harmless, and anything that
/// does not parse strictly. Never returns the input unchanged unless it holds
/// nothing but recognised harmless parts.
pub fn redact_uri(uri: &str) -> String {
    let Some(p) = split(uri.trim()) else {
        return "<unparseable uri>".to_string();
    };
    let mut out = format!("{}://", p.scheme);
    if p.ambiguous {
        out.push_str(HIDDEN);
        return out;
    }
    if p.userinfo.is_some() {
        out.push_str(HIDDEN);
        out.push('@');
    }
    out.push_str(if safe_hosts(p.hosts) { p.hosts } else { HIDDEN });
    if let Some(db) = p.db {
        out.push('/');
        out.push_str(if safe_name(db) { db } else { HIDDEN });
    }
    if let Some(query) = p.query {
        out.push('?');
        out.push_str(&redact_query(query));
    }
    if p.fragment {
        out.push('#');
        out.push_str(HIDDEN);
    }
    out
}

/// The options of a query, up to the first one whose value is hidden; after
/// it a raw `&` may still be part of that value, so the rest is one `***`.
fn redact_query(query: &str) -> String {
    let pairs: Vec<&str> = query.split(['&', ';']).collect();
    let mut shown = Vec::with_capacity(pairs.len());
    for pair in &pairs {
        let Some((key, value)) = pair.split_once('=') else {
            shown.push(HIDDEN.to_string());
            break;
        };
        let lower = key.to_ascii_lowercase();
        let known = SHOWN_OPTIONS.contains(&lower.as_str());
        if known && safe_value(value) {
            shown.push(format!("{key}={value}"));
            continue;
        }
        if known || HIDDEN_VALUE_OPTIONS.contains(&lower.as_str()) {
            shown.push(format!("{key}={HIDDEN}"));
        } else {
            shown.push(HIDDEN.to_string());
        }
        break;
    }
    if shown.len() < pairs.len() {
        shown.push(HIDDEN.to_string());
    }
    shown.join("&")
}

/// Where a URI points, for display: `hosts/db`, never credentials (`***`
/// for hosts that do not parse strictly).
pub fn uri_location(uri: &str, db: &str) -> String {
    let hosts = split(uri.trim())
        .filter(|p| !p.ambiguous && safe_hosts(p.hosts))
        .map(|p| p.hosts)
        .unwrap_or(HIDDEN);
    format!("{hosts}/{db}")
}

/// Why a MongoDB URI is refused. Messages never contain the URI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriProblem {
    #[error("is required")]
    Empty,
    #[error("must start with mongodb:// or mongodb+srv://")]
    Scheme,
    #[error("must not contain spaces or control characters")]
    Whitespace,
    #[error(
        "has a user name or password that is not URL-encoded: write %40 for @, %2F for /, \
         %3F for ?, %23 for #, %3A for :, %25 for % (and %40 for an @ in an option)"
    )]
    Unencoded,
    #[error(
        "turns certificate checks off ({0}=true), which lets anyone on the network pose as \
         the server; for a private certificate authority use tlsCAFile instead"
    )]
    InsecureTls(String),
    /// The driver's parser refused it. Its reason is not repeated: some of
    /// its messages quote the offending option, value and all.
    #[error(
        "is not a valid MongoDB connection string: check the host names, the port numbers \
         and the options"
    )]
    Invalid,
    #[error(
        "connects without TLS to a server on another computer, so the password and your \
         data would cross the network in clear text: add tls=true, or confirm that the \
         server is on your own network"
    )]
    PlainRemote,
}

impl UriProblem {
    /// The problem as a validation error of `field`.
    pub fn into_error(self, field: &str) -> Error {
        Error::validation(field, self.to_string())
    }
}

/// A MongoDB connection string that passed the checks in the module docs.
/// `Debug` shows it redacted; [`MongoUri::expose`] hands the text to the driver.
#[derive(Clone, PartialEq, Eq)]
pub struct MongoUri {
    text: String,
    tls: bool,
    local: bool,
}

impl fmt::Debug for MongoUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MongoUri({})", redact_uri(&self.text))
    }
}

impl MongoUri {
    /// Check `text` (trimmed). `own_network`: the user confirmed that a
    /// server reached without TLS is on their own network.
    pub fn parse(text: &str, own_network: bool) -> Result<MongoUri, UriProblem> {
        let text = text.trim();
        if text.is_empty() {
            return Err(UriProblem::Empty);
        }
        let Some(p) = split(text) else {
            return Err(UriProblem::Scheme);
        };
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(UriProblem::Whitespace);
        }
        // The driver splits at the first `?` and then the last `@`; an `@`,
        // `/`, `?`, `#` in the credentials (or an `@` in an option) would be
        // read differently by the two of us, so both must be encoded.
        if let Some(userinfo) = p.userinfo
            && (userinfo.contains(['/', '?', '#', '@', '[', ']'])
                || userinfo.matches(':').count() > 1)
        {
            return Err(UriProblem::Unencoded);
        }
        for pair in p.query.unwrap_or("").split(['&', ';']) {
            if let Some((key, value)) = pair.split_once('=') {
                let key = key.to_ascii_lowercase();
                if INSECURE_OPTIONS.contains(&key.as_str()) && value.eq_ignore_ascii_case("true") {
                    return Err(UriProblem::InsecureTls(canonical_option(&key)));
                }
            }
        }
        let parsed = ConnectionString::parse(text).map_err(|_| UriProblem::Invalid)?;
        let tls = match &parsed.tls {
            Some(Tls::Enabled(o)) => {
                if o.allow_invalid_certificates == Some(true) {
                    return Err(UriProblem::InsecureTls(
                        "tlsAllowInvalidCertificates".into(),
                    ));
                }
                true
            }
            Some(Tls::Disabled) => false,
            // mongodb+srv:// defaults to TLS; mongodb:// does not.
            None => p.scheme == "mongodb+srv",
        };
        let local = match &parsed.host_info {
            HostInfo::HostIdentifiers(hosts) => !hosts.is_empty() && hosts.iter().all(is_local),
            _ => false,
        };
        if !tls && !local && !own_network {
            return Err(UriProblem::PlainRemote);
        }
        Ok(MongoUri {
            text: text.to_string(),
            tls,
            local,
        })
    }

    /// The URI itself (a secret): for the driver and the keyring only.
    pub fn expose(&self) -> &str {
        &self.text
    }

    /// The URI with its secrets hidden ([`redact_uri`]).
    pub fn redacted(&self) -> String {
        redact_uri(&self.text)
    }

    /// `hosts/db` ([`uri_location`]).
    pub fn location(&self, db: &str) -> String {
        uri_location(&self.text, db)
    }

    /// Whether the connection uses TLS.
    pub fn uses_tls(&self) -> bool {
        self.tls
    }

    /// Whether every host is this computer (loopback or a local socket).
    pub fn is_local(&self) -> bool {
        self.local
    }
}

fn canonical_option(lower: &str) -> String {
    match lower {
        "tlsinsecure" => "tlsInsecure",
        "tlsallowinvalidcertificates" => "tlsAllowInvalidCertificates",
        "tlsallowinvalidhostnames" => "tlsAllowInvalidHostnames",
        "sslallowinvalidcertificates" => "sslAllowInvalidCertificates",
        "sslallowinvalidhostnames" => "sslAllowInvalidHostnames",
        other => other,
    }
    .to_string()
}

fn is_local(address: &ServerAddress) -> bool {
    match address {
        ServerAddress::Tcp { host, .. } => {
            let host = host.trim_start_matches('[').trim_end_matches(']');
            host.eq_ignore_ascii_case("localhost")
                || host == "::1"
                || host
                    .parse::<std::net::Ipv4Addr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        #[cfg(unix)]
        ServerAddress::Unix { .. } => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn redaction_hides_userinfo_and_secret_options() {
        let uri = "mongodb+srv://ann:s3cr%40t@cluster0.example.net/finance?retryWrites=true";
        assert_eq!(
            redact_uri(uri),
            "mongodb+srv://***@cluster0.example.net/finance?retryWrites=true"
        );
        assert_eq!(
            redact_uri("mongodb://localhost:27017"),
            "mongodb://localhost:27017"
        );
        assert_eq!(redact_uri("garbage"), "<unparseable uri>");
        assert_eq!(redact_uri("http://a:b@c"), "<unparseable uri>");
        // A raw `/` or `?` in the password used to end the "authority" early.
        assert_eq!(
            redact_uri("mongodb://ann:pa/ss@db.example.net/finance"),
            "mongodb://***@db.example.net/finance"
        );
        // A `?` before the last `@`: a raw `?` in the password, or an `@` in
        // an option. Either way nothing after it is trusted.
        assert_eq!(
            redact_uri("mongodb://ann:pa?ss@db.example.net/f"),
            "mongodb://***"
        );
        assert_eq!(
            redact_uri("mongodb://h/?appName=x@secret.example"),
            "mongodb://***"
        );
        assert_eq!(
            redact_uri(
                "mongodb://h/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:tok123&tlsCertificateKeyFilePassword=pw123&replicaSet=rs0"
            ),
            "mongodb://h/?authMechanism=MONGODB-AWS&authMechanismProperties=***&***"
        );
        // Unknown options and odd shapes are hidden, not guessed at.
        assert_eq!(
            redact_uri("mongodb://h/?newSecretOption=abc&noequals&w=majority#frag"),
            "mongodb://h/?***&***#***"
        );
        assert_eq!(redact_uri("mongodb://h/d b"), "mongodb://h/***");
    }

    #[test]
    fn location_never_includes_credentials() {
        assert_eq!(
            uri_location(
                "mongodb+srv://ann:s3cr%40t@cluster0.example.net/x?y=1",
                "finance"
            ),
            "cluster0.example.net/finance"
        );
        assert_eq!(
            uri_location("mongodb://a:1,b:2/?replicaSet=rs", "f"),
            "a:1,b:2/f"
        );
        assert_eq!(
            uri_location("mongodb://u:p@[::1]:27017", "f"),
            "[::1]:27017/f"
        );
        assert_eq!(uri_location("mongodb://u:p/w@h/", "f"), "h/f");
        assert_eq!(uri_location("nonsense", "f"), "***/f");
    }

    fn problem(uri: &str, own_network: bool) -> UriProblem {
        MongoUri::parse(uri, own_network).expect_err(uri)
    }

    #[test]
    fn accepts_local_tls_and_srv() {
        for uri in [
            "mongodb://localhost:27017",
            "mongodb://127.0.0.1:27017/finance",
            "mongodb://127.0.0.2",
            "mongodb://[::1]:27017",
            "mongodb://ann:s3cr%2Ft%40@localhost/?authSource=admin",
            "mongodb+srv://ann:pw@cluster0.example.net/finance?retryWrites=true&w=majority",
            "mongodb://db.example.net:27017/?tls=true",
            "mongodb://a.example.net,b.example.net/?ssl=true&replicaSet=rs0",
        ] {
            let parsed = MongoUri::parse(uri, false)
                .unwrap_or_else(|e| panic!("{uri} should be accepted: {e}"));
            assert_eq!(parsed.expose(), uri);
            assert!(!format!("{parsed:?}").contains("s3cr"), "Debug is redacted");
        }
        assert!(
            MongoUri::parse("mongodb+srv://c.example.net", false)
                .unwrap()
                .uses_tls()
        );
        assert!(
            MongoUri::parse("mongodb://[::1]", false)
                .unwrap()
                .is_local()
        );
    }

    #[test]
    fn refuses_insecure_tls_options() {
        for (uri, option) in [
            (
                "mongodb://h.example.net/?tls=true&tlsAllowInvalidCertificates=true",
                "tlsAllowInvalidCertificates",
            ),
            (
                "mongodb+srv://c.example.net/?tlsInsecure=true",
                "tlsInsecure",
            ),
            ("mongodb://localhost/?TLSINSECURE=TRUE", "tlsInsecure"),
            (
                "mongodb://h.example.net/?tls=true&tlsAllowInvalidHostnames=true",
                "tlsAllowInvalidHostnames",
            ),
        ] {
            assert_eq!(
                problem(uri, true),
                UriProblem::InsecureTls(option.into()),
                "{uri}"
            );
        }
        // `=false` is the default and harmless.
        MongoUri::parse("mongodb+srv://c.example.net/?tlsInsecure=false", false).unwrap();
    }

    #[test]
    fn plain_remote_hosts_need_the_own_network_confirmation() {
        for uri in [
            "mongodb://db.example.net:27017",
            "mongodb://192.168.1.20/finance",
            "mongodb://localhost,db.example.net/?replicaSet=rs0",
            "mongodb+srv://c.example.net/?tls=false",
            "mongodb://db.example.net/?tls=false",
        ] {
            assert_eq!(problem(uri, false), UriProblem::PlainRemote, "{uri}");
            let ok = MongoUri::parse(uri, true).expect("allowed once confirmed");
            assert!(!ok.uses_tls() && !ok.is_local(), "{uri}");
        }
    }

    #[test]
    fn refuses_malformed_uris_without_quoting_them() {
        assert_eq!(problem("  ", false), UriProblem::Empty);
        assert_eq!(problem("postgres://h", false), UriProblem::Scheme);
        assert_eq!(problem("mongodb://h x", false), UriProblem::Whitespace);
        for uri in [
            "mongodb://ann:pa/ss@localhost",
            "mongodb://ann:pa?ss@localhost",
            "mongodb://ann:p@ss@localhost",
            "mongodb://ann:pa:ss@localhost",
            "mongodb://localhost/?appName=a@b",
        ] {
            assert_eq!(problem(uri, true), UriProblem::Unencoded, "{uri}");
        }
        for uri in [
            "mongodb://localhost:notaport",
            "mongodb://localhost/?secretlooking=abcdefgh&junk",
            "mongodb+srv://a.example.net:27017",
        ] {
            assert_eq!(problem(uri, true), UriProblem::Invalid, "{uri}");
        }
        assert_eq!(
            UriProblem::Scheme.into_error("uri").field(),
            Some("uri"),
            "the error names the field"
        );
    }

    /// A generated secret: any of the characters that delimit URI parts,
    /// raw, between letters and digits.
    fn secret() -> impl Strategy<Value = String> {
        "[A-Za-z0-9/?#@:%&=+;,!$'()*~ \\[\\]._-]{1,40}"
    }

    /// The alphanumeric words of `shown` that are not among `known`: the
    /// output may hold nothing but the fixed parts of the test URI.
    fn unknown_words<'a>(shown: &'a str, known: &[&str]) -> Vec<&'a str> {
        shown
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty() && !known.contains(w))
            .collect()
    }

    const FIXED: &[&str] = &[
        "mongodb",
        "srv",
        "db",
        "example",
        "net",
        "27017",
        "finance",
        "retryWrites",
        "true",
        "w",
        "majority",
        "tls",
        "appName",
        "fin",
        "tlsCertificateKeyFilePassword",
        "authMechanismProperties",
        "proxyPassword",
        "proxyUsername",
        "tlsCertificateKeyFile",
        "f",
        "unparseable",
        "uri",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]

        /// Whatever a password holds, raw or URL-encoded, no part of it reaches
        /// the output: it holds only the fixed words of the URI around it.
        #[test]
        fn passwords_never_shown(user in "[a-z]{1,8}", password in secret(), encode in any::<bool>(), srv in any::<bool>()) {
            let written = if encode { encode_userinfo(&password) } else { password.clone() };
            let scheme = if srv { "mongodb+srv" } else { "mongodb" };
            let uri = format!("{scheme}://{user}:{written}@db.example.net:27017/finance?retryWrites=true&w=majority");
            for shown in [redact_uri(&uri), uri_location(&uri, "f")] {
                let mut known = FIXED.to_vec();
                known.push(&user);
                prop_assert!(unknown_words(&shown, &known).is_empty(), "{uri} shown as {shown}");
            }
            // (A refusal's message is fixed text, which quotes nothing.)
            if let Ok(parsed) = MongoUri::parse(&uri, false) {
                let debug = format!("{parsed:?}");
                let mut known = FIXED.to_vec();
                known.extend([user.as_str(), "MongoUri"]);
                prop_assert!(unknown_words(&debug, &known).is_empty(), "Debug shows {debug}");
            }
        }

        /// Credential-bearing and unknown options never show their values.
        #[test]
        fn option_secrets_never_shown(value in secret(), option in prop::sample::select(vec![
            "tlsCertificateKeyFilePassword", "authMechanismProperties", "proxyPassword",
            "proxyUsername", "tlsCertificateKeyFile", "someFutureOption",
        ]), aws in any::<bool>()) {
            let value_written = if aws && option == "authMechanismProperties" {
                format!("AWS_SESSION_TOKEN:{value}")
            } else {
                value.clone()
            };
            let uri = format!("mongodb://db.example.net/?tls=true&{option}={value_written}&appName=fin");
            let shown = redact_uri(&uri);
            prop_assert!(unknown_words(&shown, FIXED).is_empty(), "{uri} shown as {shown}");
        }
    }

    fn encode_userinfo(s: &str) -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }
}
