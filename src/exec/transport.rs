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
