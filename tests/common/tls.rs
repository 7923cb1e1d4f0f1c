//! TLS for tests: certificates generated here (a CA, a server certificate for 127.0.0.1, a
//! client certificate) and a TLS front that terminates TLS on 127.0.0.1:0 and passes the
//! bytes on to a plain HTTP server, so any in-process vendor can be served over https, with
//! or without requiring a client certificate.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use tokio_rustls::rustls;

/// Files `ca.pem`, `client.pem` and `client-key.pem` in `dir`, and the server's certificate
/// and key.
pub struct Pki {
    pub dir: tempfile::TempDir,
    ca_der: rustls::pki_types::CertificateDer<'static>,
    ca_key: Vec<u8>,
    server_cert: rustls::pki_types::CertificateDer<'static>,
    server_key: Vec<u8>,
}

impl Pki {
    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// A server configuration for the generated server certificate; `client_auth` requires
    /// a client certificate issued by the generated CA.
    pub fn server_config(&self, client_auth: bool) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .unwrap();
        let builder = if client_auth {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(self.ca_der.clone()).unwrap();
            let verifier =
                rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider).build().unwrap();
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        let key = rustls::pki_types::PrivateKeyDer::try_from(self.server_key.clone()).unwrap();
        Arc::new(builder.with_single_cert(vec![self.server_cert.clone()], key).unwrap())
    }

    /// A server configuration that asks for a client certificate issued by the generated
    /// CA but completes the handshake without one (the gateway decides afterwards).
    pub fn server_config_asking_for_client_auth(&self) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.ca_der.clone()).unwrap();
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .allow_unauthenticated()
            .build()
            .unwrap();
        let key = rustls::pki_types::PrivateKeyDer::try_from(self.server_key.clone()).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![self.server_cert.clone()], key)
            .unwrap();
        Arc::new(config)
    }

    /// A server configuration presenting the CA's own certificate as the server's (a mistake
    /// made when a test environment's certificates are made by hand).
    pub fn ca_as_server_config(&self) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = rustls::pki_types::PrivateKeyDer::try_from(self.ca_key.clone()).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![self.ca_der.clone()], key)
            .unwrap();
        Arc::new(config)
    }
}

/// A CA, a server certificate for 127.0.0.1 and localhost, and a client certificate.
pub fn pki() -> Pki {
    pki_naming(&["127.0.0.1", "localhost"])
}

/// As [`pki`], with a server certificate made out for `names`.
pub fn pki_naming(names: &[&str]) -> Pki {
    let dir = tempfile::tempdir().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "konform test CA");
    ca_params.key_usages =
        vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let ca_key = KeyPair::generate().unwrap();
    let ca_key_der = ca_key.serialize_der();
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();

    let server_key = KeyPair::generate().unwrap();
    let mut server_params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_cert = server_params.signed_by(&server_key, &ca).unwrap();

    let client_key = KeyPair::generate().unwrap();
    let mut client_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    client_params.distinguished_name.push(DnType::CommonName, "vendor test client");
    client_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client_cert = client_params.signed_by(&client_key, &ca).unwrap();

    std::fs::write(dir.path().join("ca.pem"), ca.pem()).unwrap();
    std::fs::write(dir.path().join("client.pem"), client_cert.pem()).unwrap();
    std::fs::write(dir.path().join("client-key.pem"), client_key.serialize_pem()).unwrap();
    Pki {
        dir,
        ca_der: ca.der().clone(),
        ca_key: ca_key_der,
        server_cert: server_cert.der().clone(),
        server_key: server_key.serialize_der(),
    }
}

/// A TLS front on 127.0.0.1:0 passing every connection whose handshake succeeds on to
/// `backend`; stopped when dropped.
pub struct Front {
    pub addr: SocketAddr,
    /// Connections whose TLS handshake succeeded (and were passed on).
    pub passed: Arc<AtomicUsize>,
    _listener: super::server::Listener,
}

impl Front {
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}/", self.addr.port())
    }

    pub fn passed(&self) -> usize {
        self.passed.load(Ordering::SeqCst)
    }
}

/// A TLS front on 127.0.0.1:0 passing every connection whose handshake succeeds on to
/// `backend`.
pub fn front(config: Arc<rustls::ServerConfig>, backend: SocketAddr) -> Front {
    front_as(config, backend, false)
}

/// A TLS front (like [`front`]) that, when the client presented no certificate, resets the
/// connection right after the handshake, with no alert: what a gateway demanding mutual
/// TLS can look like from the client's side.
pub fn front_resetting_without_client_cert(config: Arc<rustls::ServerConfig>, backend: SocketAddr) -> Front {
    front_as(config, backend, true)
}

/// The TLS front; `reset_without_client_cert` resets, with no alert, every connection whose
/// client presented no certificate instead of passing it on.
fn front_as(config: Arc<rustls::ServerConfig>, backend: SocketAddr, reset_without_client_cert: bool) -> Front {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let passed = Arc::new(AtomicUsize::new(0));
    let counter = passed.clone();
    let listener = super::server::listen(move |tcp| {
        let acceptor = acceptor.clone();
        let counter = counter.clone();
        async move {
            let Ok(mut tls) = acceptor.accept(tcp).await else { return };
            if reset_without_client_cert && tls.get_ref().1.peer_certificates().is_none() {
                let _ = tls.get_ref().0.set_zero_linger();
                return;
            }
            let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
        }
    });
    Front { addr: listener.addr, passed, _listener: listener }
}
