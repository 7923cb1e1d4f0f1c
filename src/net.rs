//! Shared HTTP plumbing: the TLS provider and the one blocking fetch the loader may do.

use std::sync::Once;
use std::time::Duration;

/// Installs rustls' ring crypto provider once per process (reqwest is built without one so
/// that no C toolchain beyond a plain compiler is needed).
pub fn init_tls() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Fetches a remote document for `--allow-remote-refs`. Used only when the user asked.
pub fn fetch_text(url: &str) -> Result<String, FetchError> {
    init_tls();
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| FetchError::Client(e.to_string()))?;
    let url_text = || url.to_string();
    let response = client.get(url).send().map_err(|e| FetchError::Send { url: url_text(), detail: e.to_string() })?;
    if !response.status().is_success() {
        return Err(FetchError::Status { url: url_text(), status: response.status().to_string() });
    }
    response.text().map_err(|e| FetchError::Read { url: url_text(), detail: e.to_string() })
}

/// Why a remote document could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("cannot build an HTTP client: {0}")]
    Client(String),
    #[error("cannot fetch {url}: {detail}")]
    Send { url: String, detail: String },
    #[error("cannot fetch {url}: HTTP {status}")]
    Status { url: String, status: String },
    #[error("cannot read {url}: {detail}")]
    Read { url: String, detail: String },
}

/// The innermost error message, which names what really went wrong.
pub fn root_cause(e: &dyn std::error::Error) -> String {
    let mut last = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !text.is_empty() {
            last = text;
        }
        source = s.source();
    }
    last
}
