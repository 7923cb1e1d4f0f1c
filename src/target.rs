//! The target: where the vendor's API is and how to reach it. Comes from flags, a
//! `konform.toml` and environment variables. Secrets are only ever read from the
//! environment (or a flag the user chose to pass), and are registered for redaction.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::redact::{Redactor, Secret};

/// How requests authenticate.
#[derive(Debug, Clone, Default)]
pub enum Auth {
    #[default]
    None,
    Bearer {
        token: Secret,
    },
    ApiKey {
        header: String,
        value: Secret,
    },
    Basic {
        user: String,
        password: Secret,
    },
    OAuth2(OAuth2),
}

#[derive(Debug, Clone)]
pub struct OAuth2 {
    pub token_url: Url,
    pub client_id: String,
    pub client_secret: Secret,
    pub scope: Option<String>,
}

/// Everything needed to talk to a vendor. Its `Debug` shows header values as the reports
/// do (credentials redacted); the credentials themselves are [`Secret`]s.
#[derive(Clone)]
pub struct Target {
    pub base_url: Url,
    pub auth: Auth,
    pub headers: Vec<(String, String)>,
    pub variables: BTreeMap<String, Value>,
    pub ca_bundle: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub timeout: Option<Duration>,
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub product_version: Option<String>,
    pub redactor: Redactor,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, String)> =
            self.headers.iter().map(|(k, v)| (k.as_str(), self.redactor.header(k, v))).collect();
        f.debug_struct("Target")
            .field("base_url", &self.redactor.text(self.base_url.as_str()))
            .field("auth", &self.auth)
            .field("headers", &headers)
            .field("variables", &self.variables)
            .field("ca_bundle", &self.ca_bundle)
            .field("client_cert", &self.client_cert)
            .field("client_key", &self.client_key)
            .field("timeout", &self.timeout)
            .field("vendor", &self.vendor)
            .field("product", &self.product)
            .field("product_version", &self.product_version)
            .finish()
    }
}

/// `konform.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub target: TargetSection,
    #[serde(default)]
    pub auth: Option<AuthSection>,
    #[serde(default)]
    pub variables: BTreeMap<String, toml::Value>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct TargetSection {
    pub base_url: Option<String>,
    pub ca_bundle: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub timeout: Option<String>,
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub product_version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AuthSection {
    Bearer { token_env: String },
    ApiKey { header: String, value_env: String },
    Basic { user: String, password_env: String },
    Oauth2 { token_url: String, client_id: String, client_secret_env: String, scope: Option<String> },
}

/// Reads a config file; unknown keys become warnings naming the key path.
pub fn read_config(path: &Path) -> Result<(ConfigFile, Vec<String>), TargetError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| TargetError::ConfigUnreadable { path: path.to_path_buf(), source })?;
    let mut unknown = Vec::new();
    let invalid = |e: toml::de::Error| TargetError::ConfigInvalid { path: path.to_path_buf(), detail: e.to_string() };
    let de = toml::Deserializer::parse(&text).map_err(invalid)?;
    let config: ConfigFile = serde_ignored::deserialize(de, |p| unknown.push(p.to_string())).map_err(invalid)?;
    let warnings = unknown.into_iter().map(|k| format!("{}: unknown key `{k}` is ignored", path.display())).collect();
    Ok((config, warnings))
}

fn secret_from_env(var: &str, what: &'static str) -> Result<Secret, TargetError> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Ok(Secret::new(v)),
        _ => Err(TargetError::SecretUnset { what, var: var.to_string() }),
    }
}

/// Why the target cannot be worked out from the flags, the config file and the environment
/// (invalid input: nothing is sent).
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("cannot read {}: {source}", path.display())]
    ConfigUnreadable { path: PathBuf, source: std::io::Error },
    #[error("{}: {detail}", path.display())]
    ConfigInvalid { path: PathBuf, detail: String },
    #[error("{what} is read from the environment variable {var}, which is not set")]
    SecretUnset { what: &'static str, var: String },
    #[error("no target: pass --base-url URL (or set target.base_url in --config)")]
    NoBaseUrl,
    #[error("--base-url `{url}` is not a URL: {detail}")]
    BaseUrlInvalid { url: String, detail: String },
    #[error("--base-url must be http or https, not `{0}`")]
    BaseUrlScheme(String),
    #[error("auth.token_url `{url}` is not a URL: {detail}")]
    TokenUrlInvalid { url: String, detail: String },
    #[error("{0} and {1} go together")]
    Incomplete(&'static str, &'static str),
    #[error("target.timeout `{value}`: {detail}")]
    TimeoutInvalid { value: String, detail: String },
}

impl From<TargetError> for crate::error::Failure {
    fn from(e: TargetError) -> crate::error::Failure {
        crate::error::Failure::InvalidInput(e.to_string())
    }
}

/// Command-line settings that override the config file.
#[derive(Debug, Default, Clone)]
pub struct TargetFlags {
    pub base_url: Option<String>,
    pub vars: Vec<(String, String)>,
    /// Extra headers; a value may be a credential.
    pub headers: Vec<(String, Secret)>,
    pub bearer_token: Option<Secret>,
    pub api_key_header: Option<String>,
    pub api_key: Option<Secret>,
    pub basic_user: Option<String>,
    pub basic_password: Option<Secret>,
    pub ca_bundle: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub product_version: Option<String>,
}

/// Combines config file, environment and flags (flags win). Returns warnings too.
pub fn resolve(config: Option<&Path>, flags: &TargetFlags) -> Result<(Target, Vec<String>), TargetError> {
    let (file, mut warnings) = match config {
        Some(p) => read_config(p)?,
        None => (ConfigFile::default(), Vec::new()),
    };
    let base = config.and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
    let redactor = Redactor::default();

    let base_url = flags.base_url.clone().or(file.target.base_url.clone()).ok_or(TargetError::NoBaseUrl)?;
    let mut base_url = Url::parse(&base_url)
        .map_err(|e| TargetError::BaseUrlInvalid { url: base_url.clone(), detail: e.to_string() })?;
    if !matches!(base_url.scheme(), "http" | "https") {
        return Err(TargetError::BaseUrlScheme(base_url.scheme().to_string()));
    }
    if !base_url.path().ends_with('/') {
        let p = format!("{}/", base_url.path());
        base_url.set_path(&p);
    }

    let mut auth = match &file.auth {
        None => Auth::None,
        Some(AuthSection::Bearer { token_env }) => {
            Auth::Bearer { token: secret_from_env(token_env, "the bearer token")? }
        }
        Some(AuthSection::ApiKey { header, value_env }) => {
            Auth::ApiKey { header: header.clone(), value: secret_from_env(value_env, "the API key")? }
        }
        Some(AuthSection::Basic { user, password_env }) => {
            Auth::Basic { user: user.clone(), password: secret_from_env(password_env, "the basic-auth password")? }
        }
        Some(AuthSection::Oauth2 { token_url, client_id, client_secret_env, scope }) => Auth::OAuth2(OAuth2 {
            token_url: Url::parse(token_url)
                .map_err(|e| TargetError::TokenUrlInvalid { url: token_url.clone(), detail: e.to_string() })?,
            client_id: client_id.clone(),
            client_secret: secret_from_env(client_secret_env, "the OAuth2 client secret")?,
            scope: scope.clone(),
        }),
    };
    if let Some(token) = &flags.bearer_token {
        auth = Auth::Bearer { token: token.clone() };
    }
    if let (Some(header), Some(value)) = (&flags.api_key_header, &flags.api_key) {
        auth = Auth::ApiKey { header: header.clone(), value: value.clone() };
    } else if flags.api_key.is_some() != flags.api_key_header.is_some() {
        return Err(TargetError::Incomplete("--api-key", "--api-key-header"));
    }
    if let (Some(user), Some(password)) = (&flags.basic_user, &flags.basic_password) {
        auth = Auth::Basic { user: user.clone(), password: password.clone() };
    } else if flags.basic_user.is_some() != flags.basic_password.is_some() {
        return Err(TargetError::Incomplete("--basic-user", "--basic-password"));
    }
    match &auth {
        Auth::None => {}
        Auth::Bearer { token } => redactor.add(token.expose(), "KONFORM_BEARER_TOKEN"),
        Auth::ApiKey { header, value } => {
            redactor.add(value.expose(), "KONFORM_API_KEY");
            redactor.add_header(header);
        }
        Auth::Basic { user, password } => {
            redactor.add(password.expose(), "KONFORM_BASIC_PASSWORD");
            redactor.add_basic(user, password.expose());
        }
        Auth::OAuth2(o) => redactor.add(o.client_secret.expose(), "KONFORM_CLIENT_SECRET"),
    }

    let mut variables = BTreeMap::new();
    for (k, v) in &file.variables {
        variables.insert(k.clone(), toml_to_json(v));
    }
    for (k, v) in std::env::vars() {
        if let Some(name) = k.strip_prefix("KONFORM_VAR_") {
            variables.insert(name.to_string(), Value::String(v));
        }
    }
    for (k, v) in &flags.vars {
        variables.insert(k.clone(), Value::String(v.clone()));
    }

    let mut headers: Vec<(String, String)> = file.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    headers.extend(flags.headers.iter().map(|(k, v)| (k.clone(), v.expose().to_string())));
    // An extra header whose name says it carries a credential is treated as one: its value
    // is redacted everywhere, and the header is shown as redacted in evidence and curl lines.
    for (name, value) in headers.iter().filter(|(name, _)| carries_credential(name)) {
        let placeholder = format!("KONFORM_{}", name.to_ascii_uppercase().replace('-', "_"));
        redactor.add(value, &placeholder);
        redactor.add_header(name);
    }

    let path = |flag: &Option<PathBuf>, file_value: &Option<PathBuf>| {
        flag.clone().or_else(|| file_value.as_ref().map(|p| base.join(p)))
    };
    let timeout = match &file.target.timeout {
        Some(t) => Some(
            humantime::parse_duration(t)
                .map_err(|e| TargetError::TimeoutInvalid { value: t.clone(), detail: e.to_string() })?,
        ),
        None => None,
    };
    let target = Target {
        base_url,
        auth,
        headers,
        variables,
        ca_bundle: path(&flags.ca_bundle, &file.target.ca_bundle),
        client_cert: path(&flags.client_cert, &file.target.client_cert),
        client_key: path(&flags.client_key, &file.target.client_key),
        timeout,
        vendor: flags.vendor.clone().or(file.target.vendor.clone()),
        product: flags.product.clone().or(file.target.product.clone()),
        product_version: flags.product_version.clone().or(file.target.product_version.clone()),
        redactor,
    };
    if target.client_cert.is_some() != target.client_key.is_some() {
        warnings.push("a client certificate needs both --client-cert and --client-key; mTLS is off".into());
    }
    Ok((target, warnings))
}

/// Whether a header's name says it carries a credential (`X-Tenant-Token`, `X-Api-Secret`,
/// `Proxy-Authorization`, `X-Session`...).
pub fn carries_credential(name: &str) -> bool {
    const WORDS: [&str; 11] =
        ["auth", "token", "key", "secret", "session", "cookie", "password", "signature", "credential", "jwt", "bearer"];
    let name = name.to_ascii_lowercase();
    WORDS.iter().any(|w| name.contains(w))
}

fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_config_keys_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("konform.toml");
        std::fs::write(
            &p,
            "[target]\nbase_url = \"http://127.0.0.1:1\"\nbase_ulr = \"x\"\n[variables]\nmunicipalityId = \"2281\"\n",
        )
        .unwrap();
        let (target, warnings) = resolve(Some(&p), &TargetFlags::default()).unwrap();
        assert_eq!(target.base_url.as_str(), "http://127.0.0.1:1/");
        assert_eq!(target.variables["municipalityId"], Value::String("2281".into()));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("unknown key `target.base_ulr`"), "{warnings:?}");
    }

    #[test]
    fn no_credential_is_shown_by_debug_formatting() {
        const SECRETS: [&str; 7] = [
            "bearer-secret-1111",
            "apikey-secret-2222",
            "basic-secret-3333",
            "client-secret-4444",
            "header-secret-5555",
            "cookie-secret-6666",
            "tenant-secret-7777",
        ];
        let base = TargetFlags {
            base_url: Some("http://127.0.0.1:1/".into()),
            headers: vec![
                ("Authorization".into(), Secret::new(format!("Bearer {}", SECRETS[4]))),
                ("Cookie".into(), Secret::new(format!("session={}", SECRETS[5]))),
                ("X-Tenant-Token".into(), Secret::new(SECRETS[6])),
                ("Accept".into(), Secret::new("application/json")),
            ],
            ..TargetFlags::default()
        };
        let bearer = TargetFlags { bearer_token: Some(Secret::new(SECRETS[0])), ..base.clone() };
        let api_key = TargetFlags {
            api_key_header: Some("X-Key".into()),
            api_key: Some(Secret::new(SECRETS[1])),
            ..base.clone()
        };
        let basic = TargetFlags {
            basic_user: Some("user".into()),
            basic_password: Some(Secret::new(SECRETS[2])),
            ..base.clone()
        };
        // OAuth2 comes from a config file, its secret from the environment.
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("konform.toml");
        std::fs::write(&config, "[auth]\ntype = \"oauth2\"\ntoken_url = \"http://127.0.0.1:1/token\"\nclient_id = \"k\"\nclient_secret_env = \"KONFORM_TEST_DEBUG_CLIENT_SECRET\"\n").unwrap();
        std::env::set_var("KONFORM_TEST_DEBUG_CLIENT_SECRET", SECRETS[3]);

        let mut shown = Vec::new();
        for flags in [&bearer, &api_key, &basic] {
            let (target, _) = resolve(None, flags).unwrap();
            shown.push(format!("{target:?} {:?} {flags:?}", target.auth));
        }
        let (target, _) = resolve(Some(&config), &base).unwrap();
        assert!(matches!(target.auth, Auth::OAuth2(_)));
        shown.push(format!("{target:?} {:?}", target.auth));
        for text in &shown {
            for secret in SECRETS {
                assert!(!text.contains(secret), "{secret} is shown by Debug: {text}");
            }
        }
        assert!(shown.iter().all(|t| t.contains("[redacted]")), "{shown:#?}");
        // A header that carries no credential stays readable.
        assert!(shown[0].contains(r#"("Accept", "application/json")"#), "{}", shown[0]);
    }

    #[test]
    fn secrets_come_from_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("konform.toml");
        std::fs::write(&p, "[target]\nbase_url = \"http://127.0.0.1:1\"\n[auth]\ntype = \"bearer\"\ntoken_env = \"KONFORM_TEST_UNSET_TOKEN_VAR\"\n").unwrap();
        let err = resolve(Some(&p), &TargetFlags::default()).unwrap_err();
        assert!(err.to_string().contains("KONFORM_TEST_UNSET_TOKEN_VAR"), "{err}");
    }
}
