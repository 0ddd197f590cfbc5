//! How the client trusts a server: a certificate a public authority signed
//! for the server's name (the operating system's verifier), or exactly the
//! certificate the user confirmed by its SHA-256 fingerprint (a household
//! server with a self-signed certificate).
//!
//! Invariants:
//! * a pinned server is accepted only when the certificate it presents hashes
//!   to the pin; the handshake's signatures are still checked against that
//!   certificate's key (the peer holds its private key);
//! * [`observe`] is the only verifier that accepts any certificate, and it is
//!   used only by [`crate::probe`], which sends no credentials and reads only
//!   `/health`; it records what it saw for the user to confirm.

use std::sync::{Arc, Mutex};

pub use finance_api::Fingerprint;
use finance_api::{ApiError, ApiResult};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};

/// Which certificates the client accepts from a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// One a public authority signed for the server's name (the OS's roots).
    Public,
    /// Exactly the certificate with this fingerprint (confirmed by the user).
    Pinned(Fingerprint),
}

pub(crate) fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn builder() -> ApiResult<rustls::ConfigBuilder<ClientConfig, rustls::WantsVerifier>> {
    ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| ApiError::internal(format!("TLS set-up failed: {e}")))
}

/// The TLS configuration for `trust`.
pub(crate) fn config(trust: &Trust) -> ApiResult<ClientConfig> {
    let verifier: Arc<dyn ServerCertVerifier> = match trust {
        Trust::Public => Arc::new(
            rustls_platform_verifier::Verifier::new(provider())
                .map_err(|e| ApiError::internal(format!("TLS set-up failed: {e}")))?,
        ),
        Trust::Pinned(pin) => Arc::new(Pinned {
            pin: *pin,
            signatures: Signatures::new(),
        }),
    };
    Ok(builder()?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// The handshake's signature checks against the presented certificate's key,
/// as rustls does them: the same for every verifier here.
#[derive(Debug)]
struct Signatures(Arc<CryptoProvider>);

impl Signatures {
    fn new() -> Signatures {
        Signatures(provider())
    }

    fn tls12(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn tls13(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The message of a pinned server presenting another certificate (also how
/// the HTTP layer recognises the failure in the error chain).
pub(crate) const PIN_MISMATCH: &str =
    "the server presented a certificate other than the one confirmed in Settings";

/// Accepts exactly the pinned certificate.
#[derive(Debug)]
struct Pinned {
    pin: Fingerprint,
    signatures: Signatures,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if Fingerprint::of(end_entity) == self.pin {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(PIN_MISMATCH.into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.signatures.tls12(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.signatures.tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.signatures.schemes()
    }
}

/// What a probe saw of the server's certificate.
#[derive(Debug, Default, Clone)]
pub(crate) struct Seen {
    pub fingerprint: Option<Fingerprint>,
    /// Whether the OS's verifier accepts it for the server's name.
    pub publicly_trusted: bool,
}

/// Records the certificate and whether the OS would trust it, and accepts it
/// (probe only: see the module's invariants).
#[derive(Debug)]
struct Observer {
    public: rustls_platform_verifier::Verifier,
    seen: Arc<Mutex<Seen>>,
    signatures: Signatures,
}

impl ServerCertVerifier for Observer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let publicly_trusted = self
            .public
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .is_ok();
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Seen {
                fingerprint: Some(Fingerprint::of(end_entity)),
                publicly_trusted,
            };
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.signatures.tls12(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.signatures.tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.signatures.schemes()
    }
}

/// A configuration that accepts any certificate and records it in `seen`.
pub(crate) fn observe(seen: Arc<Mutex<Seen>>) -> ApiResult<ClientConfig> {
    let observer = Observer {
        public: rustls_platform_verifier::Verifier::new(provider())
            .map_err(|e| ApiError::internal(format!("TLS set-up failed: {e}")))?,
        seen,
        signatures: Signatures::new(),
    };
    Ok(builder()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(observer))
        .with_no_client_auth())
}
