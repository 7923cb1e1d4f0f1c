//! The target: where the vendor's API is and how to reach it. Comes from flags, a
//! `konform.toml` and environment variables. Secrets are only ever read from the
//! environment (or a flag the user chose to pass), and are registered for redaction.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::redact::Redactor;

/// How requests authenticate.
#[derive(Debug, Clone, Default)]
pub enum Auth {
    #[default]
    None,
    Bearer {
        token: String,
    },
    ApiKey {
        header: String,
        value: String,
    },
    Basic {
        user: String,
        password: String,
    },
    OAuth2(OAuth2),
}

#[derive(Debug, Clone)]
pub struct OAuth2 {
    pub token_url: Url,
    pub client_id: String,
    pub client_secret: String,
    pub scope: Option<String>,
}

/// Everything needed to talk to a vendor.
#[derive(Debug, Clone)]
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
pub fn read_config(path: &Path) -> Result<(ConfigFile, Vec<String>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut unknown = Vec::new();
    let de = toml::Deserializer::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let config: ConfigFile = serde_ignored::deserialize(de, |p| unknown.push(p.to_string()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let warnings = unknown.into_iter().map(|k| format!("{}: unknown key `{k}` is ignored", path.display())).collect();
    Ok((config, warnings))
}

fn secret_from_env(var: &str, what: &str) -> Result<String, String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Ok(v),
        _ => Err(format!("{what} is read from the environment variable {var}, which is not set")),
    }
}

/// Command-line settings that override the config file.
#[derive(Debug, Default, Clone)]
pub struct TargetFlags {
    pub base_url: Option<String>,
    pub vars: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub bearer_token: Option<String>,
    pub api_key_header: Option<String>,
    pub api_key: Option<String>,
    pub basic_user: Option<String>,
    pub basic_password: Option<String>,
    pub ca_bundle: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub product_version: Option<String>,
}

/// Combines config file, environment and flags (flags win). Returns warnings too.
pub fn resolve(config: Option<&Path>, flags: &TargetFlags) -> Result<(Target, Vec<String>), String> {
    let (file, mut warnings) = match config {
        Some(p) => read_config(p)?,
        None => (ConfigFile::default(), Vec::new()),
    };
    let base = config.and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
    let redactor = Redactor::default();

    let base_url = flags
        .base_url
        .clone()
        .or(file.target.base_url.clone())
        .ok_or("no target: pass --base-url URL (or set target.base_url in --config)")?;
    let mut base_url = Url::parse(&base_url).map_err(|e| format!("--base-url `{base_url}` is not a URL: {e}"))?;
    if !matches!(base_url.scheme(), "http" | "https") {
        return Err(format!("--base-url must be http or https, not `{}`", base_url.scheme()));
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
            token_url: Url::parse(token_url).map_err(|e| format!("auth.token_url `{token_url}` is not a URL: {e}"))?,
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
        return Err("--api-key and --api-key-header go together".into());
    }
    if let (Some(user), Some(password)) = (&flags.basic_user, &flags.basic_password) {
        auth = Auth::Basic { user: user.clone(), password: password.clone() };
    } else if flags.basic_user.is_some() != flags.basic_password.is_some() {
        return Err("--basic-user and --basic-password go together".into());
    }
    match &auth {
        Auth::None => {}
        Auth::Bearer { token } => redactor.add(token, "KONFORM_BEARER_TOKEN"),
        Auth::ApiKey { header, value } => {
            redactor.add(value, "KONFORM_API_KEY");
            redactor.add_header(header);
        }
        Auth::Basic { user, password } => {
            redactor.add(password, "KONFORM_BASIC_PASSWORD");
            redactor.add_basic(user, password);
        }
        Auth::OAuth2(o) => redactor.add(&o.client_secret, "KONFORM_CLIENT_SECRET"),
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
    headers.extend(flags.headers.iter().cloned());

    let path = |flag: &Option<PathBuf>, file_value: &Option<PathBuf>| {
        flag.clone().or_else(|| file_value.as_ref().map(|p| base.join(p)))
    };
    let timeout = match &file.target.timeout {
        Some(t) => Some(humantime::parse_duration(t).map_err(|e| format!("target.timeout `{t}`: {e}"))?),
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
    fn secrets_come_from_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("konform.toml");
        std::fs::write(&p, "[target]\nbase_url = \"http://127.0.0.1:1\"\n[auth]\ntype = \"bearer\"\ntoken_env = \"KONFORM_TEST_UNSET_TOKEN_VAR\"\n").unwrap();
        let err = resolve(Some(&p), &TargetFlags::default()).unwrap_err();
        assert!(err.contains("KONFORM_TEST_UNSET_TOKEN_VAR"), "{err}");
    }
}
