//! What a failed request met on the way, read from the error's chain: a connection that
//! could not be made (refused, no route, no such host, no connection in time) or a TLS
//! handshake that failed (and on what). Steps show it as their reason; the preflight tells
//! the tester's configuration problems from the vendor's by it.

use std::error::Error;
use std::io::ErrorKind;

use crate::messages::TlsProblem;

/// Why a request got no response, when it is one of the things the preflight looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Nothing listens at the host and port.
    Refused,
    /// No route to the host or its network.
    NoRoute,
    /// The host name does not resolve.
    NoSuchHost,
    /// No connection was made within the connect timeout.
    ConnectTimeout,
    Tls(TlsProblem),
}

/// What a failed request met, if it is a [`Transport`] problem. `host` is the URL's host
/// (for a certificate made out for another name); `has_identity` whether konform presented
/// a client certificate (a refusal of it reads differently from a demand for one).
pub fn transport(e: &reqwest::Error, host: &str, has_identity: bool) -> Option<Transport> {
    let causes = causes(e);
    if let Some(tls) = causes.iter().find_map(|c| c.downcast_ref::<rustls::Error>()) {
        return Some(Transport::Tls(tls_problem(tls, host, has_identity)));
    }
    if e.is_dns() {
        return Some(Transport::NoSuchHost);
    }
    if !e.is_connect() {
        return None;
    }
    if e.is_timeout() {
        return Some(Transport::ConnectTimeout);
    }
    causes.iter().filter_map(|c| c.downcast_ref::<std::io::Error>()).find_map(|io| match io.kind() {
        ErrorKind::ConnectionRefused => Some(Transport::Refused),
        ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => Some(Transport::NoRoute),
        _ => None,
    })
}

/// The error and every error behind it, outermost first. An `io::Error` that wraps another
/// error hides it from `source` (which goes on with the wrapped error's own source), so the
/// wrapped error is taken from `get_ref` and walked in its place: that is how a rustls
/// error reaches reqwest, inside an `io::Error` inside another.
fn causes<'a>(e: &'a (dyn Error + 'static)) -> Vec<&'a (dyn Error + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(e);
    while let Some(e) = next {
        out.push(e);
        next = match e.downcast_ref::<std::io::Error>().and_then(std::io::Error::get_ref) {
            Some(wrapped) => Some(wrapped as &(dyn Error + 'static)),
            None => e.source(),
        };
    }
    out
}

/// A rustls error in terms of what fixes it.
pub fn tls_problem(e: &rustls::Error, host: &str, has_identity: bool) -> TlsProblem {
    use rustls::{AlertDescription as Alert, CertificateError as Cert};
    let other = || TlsProblem::Other { detail: e.to_string() };
    match e {
        rustls::Error::InvalidCertificate(cert) => match cert {
            Cert::UnknownIssuer => TlsProblem::UnknownIssuer,
            Cert::NotValidForName | Cert::NotValidForNameContext { .. } => {
                TlsProblem::WrongName { host: host.to_string() }
            }
            Cert::Expired | Cert::ExpiredContext { .. } => TlsProblem::Expired,
            Cert::NotValidYet | Cert::NotValidYetContext { .. } => TlsProblem::NotYetValid,
            Cert::InvalidPurpose | Cert::InvalidPurposeContext { .. } => TlsProblem::NotForServers,
            // webpki's `CaUsedAsEndEntity` reaches rustls as an `Other` error.
            Cert::Other(o) if o.to_string().contains("CaUsedAsEndEntity") => TlsProblem::CaUsedAsEndEntity,
            _ => other(),
        },
        rustls::Error::AlertReceived(Alert::CertificateRequired) => TlsProblem::ClientCertificateRequired,
        rustls::Error::AlertReceived(Alert::HandshakeFailure) => TlsProblem::HandshakeRefused,
        rustls::Error::AlertReceived(
            alert @ (Alert::BadCertificate
            | Alert::UnknownCA
            | Alert::CertificateUnknown
            | Alert::CertificateExpired
            | Alert::CertificateRevoked
            | Alert::UnsupportedCertificate
            | Alert::AccessDenied),
        ) if has_identity => TlsProblem::ClientCertificateRefused { alert: format!("{alert:?}") },
        _ => other(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::{AlertDescription as Alert, CertificateError as Cert};

    #[test]
    fn certificate_errors_are_named_by_what_fixes_them() {
        let problem = |e: rustls::Error, identity| tls_problem(&e, "vendor.example", identity);
        assert_eq!(problem(Cert::UnknownIssuer.into(), false), TlsProblem::UnknownIssuer);
        assert_eq!(
            problem(Cert::NotValidForName.into(), false),
            TlsProblem::WrongName { host: "vendor.example".into() }
        );
        assert_eq!(problem(Cert::Expired.into(), false), TlsProblem::Expired);
        assert_eq!(problem(rustls::Error::AlertReceived(Alert::CertificateRequired), false), {
            TlsProblem::ClientCertificateRequired
        });
        assert_eq!(
            problem(rustls::Error::AlertReceived(Alert::UnknownCA), true),
            TlsProblem::ClientCertificateRefused { alert: "UnknownCA".into() }
        );
        // Without a client certificate, an alert about one is not about konform's.
        assert!(matches!(problem(rustls::Error::AlertReceived(Alert::UnknownCA), false), TlsProblem::Other { .. }));
        assert!(!problem(rustls::Error::AlertReceived(Alert::HandshakeFailure), false).is_configuration());
        assert!(!problem(Cert::BadSignature.into(), false).is_configuration());
    }

    /// A server configuration for a fresh self-signed certificate for 127.0.0.1 that asks
    /// for a client certificate (issued by itself) and does without one.
    fn asking_server() -> std::sync::Arc<rustls::ServerConfig> {
        let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.add(cert.cert.der().clone()).unwrap();
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(std::sync::Arc::new(roots), provider.clone())
                .allow_unauthenticated()
                .build()
                .unwrap();
        let key = rustls::pki_types::PrivateKeyDer::try_from(cert.signing_key.serialize_der()).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![cert.cert.der().clone()], key)
            .unwrap();
        std::sync::Arc::new(config)
    }

    #[test]
    fn the_handshake_asking_for_a_client_certificate_leaves_the_runtime_free() {
        // The TLS server runs on the same one-thread runtime as the question: were the
        // blocking handshake made on the runtime's thread, the server could not answer
        // before the timeout and the answer would be `false`.
        crate::net::init_tls();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let acceptor = tokio_rustls::TlsAcceptor::from(asking_server());
            tokio::spawn(async move {
                let (tcp, _) = listener.accept().await.unwrap();
                let _ = acceptor.accept(tcp).await;
            });
            let timeout = std::time::Duration::from_secs(5);
            assert!(asks_for_client_certificate("127.0.0.1", port, timeout).await);
        });
    }

    #[test]
    fn a_rustls_error_is_found_inside_io_errors_inside_io_errors() {
        // As reqwest hands it on: io::Error(Other, io::Error(InvalidData, rustls::Error)).
        let inner = std::io::Error::new(ErrorKind::InvalidData, rustls::Error::from(Cert::UnknownIssuer));
        let outer = std::io::Error::other(inner);
        let found =
            causes(&outer).iter().find_map(|c| c.downcast_ref::<rustls::Error>()).map(|e| tls_problem(e, "h", false));
        assert_eq!(found, Some(TlsProblem::UnknownIssuer));
    }
}

/// Whether the TLS server at `host:port` asks for a client certificate during its
/// handshake. A server that demands one and gets none ends the connection after the
/// handshake, and whether konform reads its `certificate_required` alert or only a reset
/// depends on timing; the request for a certificate itself is always in the handshake. So
/// when a request without a client certificate fails on an https connection for no reason
/// konform could read, this handshake (with no request sent, no certificate presented and
/// the server's certificate not judged: only its question is of interest) tells whether a
/// client certificate is what is missing.
///
/// The handshake is made on a blocking socket, so it runs on tokio's blocking threads, never
/// on the runtime's own.
pub async fn asks_for_client_certificate(host: &str, port: u16, timeout: std::time::Duration) -> bool {
    let host = host.to_string();
    // A task that could not finish (a panic in the TLS library) has no answer either.
    tokio::task::spawn_blocking(move || handshake_asks_for_client_certificate(&host, port, timeout))
        .await
        .unwrap_or(false)
}

/// [`asks_for_client_certificate`], blocking the thread for up to about `timeout`.
fn handshake_asks_for_client_certificate(host: &str, port: u16, timeout: std::time::Duration) -> bool {
    use std::net::ToSocketAddrs;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let Some(provider) = rustls::crypto::CryptoProvider::get_default().cloned() else { return false };
    let asked = Arc::new(AtomicBool::new(false));
    let config =
        rustls::ClientConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions().map(|b| {
            b.dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyServer(provider)))
                .with_client_cert_resolver(Arc::new(Recorder(asked.clone())))
        });
    let Ok(config) = config else { return false };
    let Ok(name) = rustls::pki_types::ServerName::try_from(host.to_string()) else { return false };
    let Ok(mut conn) = rustls::ClientConnection::new(Arc::new(config), name) else { return false };
    let Some(addr) = (host, port).to_socket_addrs().ok().and_then(|mut a| a.next()) else { return false };
    let Ok(mut socket) = std::net::TcpStream::connect_timeout(&addr, timeout) else { return false };
    let _ = socket.set_read_timeout(Some(timeout));
    let _ = socket.set_write_timeout(Some(timeout));
    let started = std::time::Instant::now();
    while conn.is_handshaking() && !asked.load(Ordering::SeqCst) && started.elapsed() < timeout {
        if conn.complete_io(&mut socket).is_err() {
            break;
        }
    }
    asked.load(Ordering::SeqCst)
}

/// Accepts any server certificate: [`asks_for_client_certificate`] sends nothing over the
/// connection and only listens to the server's handshake.
#[derive(Debug)]
struct AnyServer(std::sync::Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AnyServer {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Presents no certificate, and notes that the server asked for one.
#[derive(Debug)]
struct Recorder(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl rustls::client::ResolvesClientCert for Recorder {
    fn resolve(
        &self,
        _: &[&[u8]],
        _: &[rustls::SignatureScheme],
    ) -> Option<std::sync::Arc<rustls::sign::CertifiedKey>> {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
        None
    }

    fn has_certs(&self) -> bool {
        true
    }
}
