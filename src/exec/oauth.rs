//! OAuth2 client credentials: a token fetched from the token URL, cached until shortly
//! before it expires, refreshed on expiry and (by the caller) once on a 401.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::messages::Msg;
use crate::redact::{Redactor, Secret};
use crate::target::OAuth2;

/// Tokens are refreshed this long before they expire.
const EXPIRY_MARGIN: Duration = Duration::from_secs(5);

/// A token and when it expires (if the endpoint said).
type CachedToken = (Secret, Option<Instant>);

#[derive(Clone)]
pub struct TokenCache {
    config: OAuth2,
    client: reqwest::Client,
    redactor: Redactor,
    current: Arc<Mutex<Option<CachedToken>>>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl TokenCache {
    pub fn new(config: OAuth2, client: reqwest::Client, redactor: Redactor) -> TokenCache {
        TokenCache { config, client, redactor, current: Arc::new(Mutex::new(None)) }
    }

    /// A valid access token, fetching a new one when there is none or it is about to expire.
    pub async fn token(&self) -> Result<Secret, Msg> {
        let mut current = self.current.lock().await;
        if let Some((token, expires)) = current.as_ref() {
            if expires.is_none_or(|e| Instant::now() + EXPIRY_MARGIN < e) {
                return Ok(token.clone());
            }
        }
        let (token, expires) = self.fetch().await?;
        *current = Some((token.clone(), expires));
        Ok(token)
    }

    pub async fn invalidate(&self) {
        *self.current.lock().await = None;
    }

    async fn fetch(&self) -> Result<(Secret, Option<Instant>), Msg> {
        let mut form = vec![("grant_type", "client_credentials".to_string())];
        if let Some(scope) = &self.config.scope {
            form.push(("scope", scope.clone()));
        }
        let response = self
            .client
            .post(self.config.token_url.clone())
            .basic_auth(&self.config.client_id, Some(self.config.client_secret.expose()))
            .form(&form)
            .send()
            .await
            .map_err(|e| Msg::TokenUnreachable {
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
        let expires = parsed.expires_in.map(|s| Instant::now() + Duration::from_secs(s));
        Ok((Secret::new(parsed.access_token), expires))
    }
}
