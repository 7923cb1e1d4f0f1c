//! What the preflight can find wrong with the tester's configuration, as data: each becomes
//! one paragraph naming the option that fixes it ([`super::Note::Preflight`]), in the
//! reader's language. Every URL and body here is already redacted and printable.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One request the preflight sent, as shown: its method, URL and the status it got (none
/// when no response came).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub method: String,
    pub url: String,
    pub status: Option<u16>,
    /// Sent without the target's credentials, to compare.
    pub without_credentials: bool,
}

/// Why no connection could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreachable {
    /// The host answered that nothing listens on the port.
    Refused { host: String },
    /// No route to the host or its network.
    NoRoute { host: String },
    /// The host name does not resolve.
    NoSuchHost { host: String },
    /// No connection within this long.
    TimedOut { host: String, after: String },
}

/// The credentials konform sent, by the option that sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Bearer,
    ApiKey {
        header: String,
    },
    Basic,
    OAuth2,
    /// Extra headers holding credentials (`--header`, `[headers]`).
    Headers {
        names: Vec<String>,
    },
}

/// What a TLS handshake failed on, in terms of what fixes it. Step reasons carry it too
/// ([`super::Msg::Tls`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "is", rename_all = "kebab-case")]
pub enum TlsProblem {
    /// The server's certificate chains to no CA konform trusts.
    UnknownIssuer,
    /// The certificate does not name the host of the URL.
    WrongName {
        host: String,
    },
    Expired,
    NotYetValid,
    /// The server presents a CA certificate as its own.
    CaUsedAsEndEntity,
    /// The certificate is not meant for a TLS server (its extended key usage).
    NotForServers,
    /// The server demands a client certificate and konform has none.
    ClientCertificateRequired,
    /// The server refused the client certificate konform presented (`alert`: the TLS alert).
    ClientCertificateRefused {
        alert: String,
    },
    /// The server ended the handshake without saying why (`handshake_failure`).
    HandshakeRefused,
    /// Anything else about the certificate or the handshake, in rustls' words.
    Other {
        detail: String,
    },
}

impl TlsProblem {
    /// Whether the problem is the tester's to fix (a CA to trust, a client certificate to
    /// give, the host name to use), or shows a certificate konform cannot test through (the
    /// issue's list: expired, not yet valid, a CA as the server's certificate). A handshake
    /// the server ended without a reason, or anything else, may be the vendor's: it is not.
    pub fn is_configuration(&self) -> bool {
        !matches!(self, TlsProblem::HandshakeRefused | TlsProblem::Other { .. } | TlsProblem::NotForServers)
    }
}

/// What the preflight found: the tester's configuration, not the vendor, stops the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misconfigured {
    Unreachable {
        probe: Probe,
        why: Unreachable,
    },
    Tls {
        probe: Probe,
        problem: TlsProblem,
    },
    /// The OAuth2 token endpoint refused the client credentials (400/401/403).
    TokenRefused {
        url: String,
        status: u16,
        body: String,
    },
    /// Every authenticated probe of an operation the document secures was refused
    /// (401/403), though credentials were sent.
    CredentialsRefused {
        probes: Vec<Probe>,
        operation: String,
        credential: Credential,
    },
    /// A step of the plan that sends the target's credentials was refused (401/403), the
    /// document secures its operation, and no credentials were given.
    CredentialsMissing {
        probe: Probe,
        operation: String,
    },
    /// Every documented path probed answered 404, the document's server URL has a path the
    /// base URL does not end with, and under the base URL with that path (`suggestion`) the
    /// first probe's path got `answered` (not 404).
    NotFound {
        probes: Vec<Probe>,
        server_path: String,
        suggestion: String,
        answered: u16,
    },
}
