//! OAuth2 client credentials: a token fetched from the token URL, cached until shortly
//! before it expires, refreshed on expiry and (by the caller) once on a 401. One fetch at a
//! time: requests that need a token while it is being fetched wait for that one.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::messages::Msg;
use crate::redact::{Redactor, Secret};
use crate::target::OAuth2;

/// Tokens are refreshed this long before they expire, or a tenth of their life if that is
/// shorter (a token that lives 2 s is still used for 1.8 s).
const EXPIRY_MARGIN: Duration = Duration::from_secs(5);

/// A token and when it expires (if the endpoint said).
type CachedToken = (Secret, Option<Instant>);

#[derive(Clone)]
pub struct TokenCache {
    config: OAuth2,
    client: reqwest::Client,
    redactor: Redactor,
    current: Arc<Mutex<Option<CachedToken>>>,
    /// The target's rate limit: a token call is a request to the target's side too.
    rate: Option<super::rate::RateLimit>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl TokenCache {
    pub fn new(
        config: OAuth2,
        client: reqwest::Client,
        redactor: Redactor,
        rate: Option<super::rate::RateLimit>,
    ) -> TokenCache {
        TokenCache { config, client, redactor, current: Arc::new(Mutex::new(None)), rate }
    }

    /// A valid access token, fetching a new one when there is none or it is about to expire.
    pub async fn token(&self) -> Result<Secret, Msg> {
        let mut current = self.current.lock().await;
        if let Some((token, expires)) = current.as_ref() {
            if expires.is_none_or(|e| Instant::now() < e) {
                return Ok(token.clone());
            }
        }
        let (token, expires) = self.fetch().await?;
        *current = Some((token.clone(), expires));
        Ok(token)
    }

    /// Forgets `stale`, the token a request was refused with (401). When many requests are
    /// refused at once only the first forgets it; the others find the new token already
    /// fetched (or being fetched, and wait for it): one refresh in all.
    pub async fn invalidate(&self, stale: &str) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|(token, _)| token.expose() == stale) {
            *current = None;
        }
    }

    async fn fetch(&self) -> Result<(Secret, Option<Instant>), Msg> {
        use crate::target::ClientAuth;
        let mut form = vec![("grant_type", "client_credentials".to_string())];
        if let Some(scope) = &self.config.scope {
            form.push(("scope", scope.clone()));
        }
        let request = self.client.post(self.config.token_url.clone());
        let request = match self.config.client_auth {
            // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined by `:`
            // and base64-encoded, so a secret holding `:`, `+`, `%` or `&` survives.
            ClientAuth::ClientSecretBasic => {
                let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                request.basic_auth(encode(&self.config.client_id), Some(encode(self.config.client_secret.expose())))
            }
            ClientAuth::ClientSecretPost => {
                form.push(("client_id", self.config.client_id.clone()));
                form.push(("client_secret", self.config.client_secret.expose().to_string()));
                request
            }
        };
        if let Some(rate) = &self.rate {
            rate.acquire().await;
        }
        let response = request.form(&form).send().await.map_err(|e| Msg::TokenUnreachable {
            url: self.config.token_url.to_string(),
            cause: crate::net::root_cause(&e),
        })?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(Msg::TokenRefused {
                url: self.config.token_url.to_string(),
                status: status.as_u16(),
                body: crate::model::shorten(&self.redactor.text(&text), 120),
            });
        }
        let parsed: TokenResponse = serde_json::from_str(&text).map_err(|e| Msg::TokenWithoutAccessToken {
            url: self.config.token_url.to_string(),
            detail: e.to_string(),
        })?;
        self.redactor.add(&parsed.access_token, "KONFORM_ACCESS_TOKEN");
        let expires = parsed.expires_in.map(|s| {
            let life = Duration::from_secs(s);
            Instant::now() + life - EXPIRY_MARGIN.min(life / 10)
        });
        Ok((Secret::new(parsed.access_token), expires))
    }
}
