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
pub fn fetch_text(url: &str) -> Result<String, String> {
    init_tls();
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
    let response = client.get(url).send().map_err(|e| format!("cannot fetch {url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("cannot fetch {url}: HTTP {}", response.status()));
    }
    response.text().map_err(|e| format!("cannot read {url}: {e}"))
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
