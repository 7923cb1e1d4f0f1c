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

/// Largest body read by default, from a vendor's response or a remote `$ref` (`--max-body`).
pub const DEFAULT_MAX_BODY: usize = 10 * 1024 * 1024;

/// Fetches a remote document for `--allow-remote-refs`, reading at most `limit` bytes.
/// Used only when the user asked.
pub fn fetch_text(url: &str, limit: usize) -> Result<String, FetchError> {
    use std::io::Read;
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
    let too_big = || FetchError::TooBig { url: url_text(), limit };
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    response
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| FetchError::Read { url: url_text(), detail: e.to_string() })?;
    if bytes.len() > limit {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|e| FetchError::Read {
        url: url_text(),
        detail: format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
    })
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
    #[error("{url} is larger than {} KiB, the most konform reads of one document", limit / 1024)]
    TooBig { url: String, limit: usize },
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
