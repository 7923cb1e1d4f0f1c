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
    pub client_auth: ClientAuth,
}

/// How the client authenticates at the token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    /// HTTP Basic with the form-encoded id and secret (the default every server must accept).
    #[default]
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body.
    ClientSecretPost,
}

/// Everything needed to talk to a vendor. Its `Debug` shows header values as the reports
/// do (credentials redacted); the credentials themselves are [`Secret`]s.
#[derive(Clone)]
pub struct Target {
    pub base_url: Url,
    pub auth: Auth,
    /// Extra headers for every request konform sends, probes included (once each).
    pub headers: Vec<(String, String)>,
    pub variables: BTreeMap<String, Value>,
    pub ca_bundle: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub timeout: Option<Duration>,
    /// `[target] preflight = false` in the config file skips the preflight.
    pub preflight: bool,
    /// `[target] rate_limit`: at most this many requests a second (`--rate-limit` wins).
    pub rate_limit: Option<f64>,
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
            .field("preflight", &self.preflight)
            .field("rate_limit", &self.rate_limit)
            .field("vendor", &self.vendor)
            .field("product", &self.product)
            .field("product_version", &self.product_version)
            .finish()
    }
}

/// `konform.toml`. Unknown keys and tables are warnings (see [`read_config`]).
#[derive(Debug, Default, Deserialize)]
pub struct ConfigFile {
    #[serde(default)]
    pub target: TargetSection,
    /// Read by hand ([`auth_section`]): serde cannot report unknown keys inside a tagged enum.
    #[serde(default)]
    pub auth: Option<toml::Table>,
    #[serde(default)]
    pub variables: BTreeMap<String, toml::Value>,
    /// Sent with every request; their values are treated as secrets.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Sent with every request and shown as they are (`X-Request-Id`, `Accept-Language`).
    #[serde(default)]
    pub public_headers: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct TargetSection {
    pub base_url: Option<String>,
    pub ca_bundle: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub timeout: Option<String>,
    /// `false` skips the preflight (as `--no-preflight` does).
    pub preflight: Option<bool>,
    /// Requests a second, at most (checked in [`resolve_parsed`]).
    pub rate_limit: Option<f64>,
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub product_version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AuthSection {
    Bearer {
        token_env: String,
    },
    ApiKey {
        header: String,
        value_env: String,
    },
    Basic {
        user: String,
        password_env: String,
    },
    Oauth2 {
        token_url: String,
        client_id: String,
        client_secret_env: String,
        scope: Option<String>,
        #[serde(default)]
        client_auth: ClientAuth,
    },
}

impl AuthSection {
    fn kind(&self) -> Kind {
        match self {
            AuthSection::Bearer { .. } => Kind::Bearer,
            AuthSection::ApiKey { .. } => Kind::ApiKey,
            AuthSection::Basic { .. } => Kind::Basic,
            AuthSection::Oauth2 { .. } => Kind::OAuth2,
        }
    }
}

/// The keys each `[auth]` type takes.
const AUTH_KEYS: [(&str, &[&str]); 4] = [
    ("bearer", &["token_env"]),
    ("api_key", &["header", "value_env"]),
    ("basic", &["user", "password_env"]),
    ("oauth2", &["token_url", "client_id", "client_secret_env", "scope", "client_auth"]),
];

/// The keys an `[auth]` of type `kind` takes besides `type` (`None`: no such type).
pub fn auth_keys(kind: &str) -> Option<&'static [&'static str]> {
    AUTH_KEYS.iter().find(|(k, _)| *k == kind).map(|(_, keys)| *keys)
}

/// Reads `[auth]`: unknown keys are warnings (a secret written in the file itself gets a
/// warning of its own: konform reads secrets only from the environment).
pub fn auth_section(path: &Path, table: &toml::Table, warnings: &mut Vec<String>) -> Result<AuthSection, TargetError> {
    let invalid = |detail: String| TargetError::ConfigInvalid { path: path.to_path_buf(), detail };
    let kind = table
        .get("type")
        .and_then(toml::Value::as_str)
        .ok_or_else(|| invalid("[auth] needs `type` = \"bearer\", \"api_key\", \"basic\" or \"oauth2\"".to_string()))?;
    let known = AUTH_KEYS.iter().find(|(k, _)| *k == kind).map(|(_, keys)| *keys).ok_or_else(|| {
        invalid(format!("[auth] type `{kind}` is not one of \"bearer\", \"api_key\", \"basic\", \"oauth2\""))
    })?;
    let mut kept = toml::Table::new();
    for (key, value) in table {
        if key == "type" || known.contains(&key.as_str()) {
            kept.insert(key.clone(), value.clone());
        } else if known.contains(&format!("{key}_env").as_str()) {
            warnings.push(format!(
                "{}: `auth.{key}` is ignored: konform reads secrets only from the environment; name the variable with `{key}_env`",
                path.display()
            ));
        } else {
            warnings.push(format!("{}: unknown key `auth.{key}` is ignored", path.display()));
        }
    }
    toml::Value::Table(kept).try_into().map_err(|e: toml::de::Error| invalid(format!("[auth]: {}", e.message())))
}

/// Reads a config file; unknown keys become warnings naming the key path.
pub fn read_config(path: &Path, warnings: &mut Vec<String>) -> Result<(ConfigFile, Option<AuthSection>), TargetError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| TargetError::ConfigUnreadable { path: path.to_path_buf(), source })?;
    let mut unknown = Vec::new();
    let invalid = |e: toml::de::Error| TargetError::ConfigInvalid { path: path.to_path_buf(), detail: e.to_string() };
    let de = toml::Deserializer::parse(&text).map_err(invalid)?;
    let config: ConfigFile = serde_ignored::deserialize(de, |p| unknown.push(p.to_string())).map_err(invalid)?;
    warnings.extend(unknown.into_iter().map(|k| format!("{}: unknown key `{k}` is ignored", path.display())));
    let auth = config.auth.as_ref().map(|t| auth_section(path, t, warnings)).transpose()?;
    Ok((config, auth))
}

/// The environment konform reads credentials and `KONFORM_VAR_*` from (a snapshot, so
/// that tests can give their own).
#[derive(Debug, Clone, Default)]
pub struct Env(Vec<(String, String)>);

impl Env {
    pub fn process() -> Env {
        Env(std::env::vars().collect())
    }

    pub fn of(pairs: &[(&str, &str)]) -> Env {
        Env(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    /// This environment without the variables `names`.
    pub fn without(&self, names: &[&str]) -> Env {
        Env(self.0.iter().filter(|(k, _)| !names.contains(&k.as_str())).cloned().collect())
    }

    /// A variable's value; set but empty counts as unset.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.as_str())
    }

    fn secret(&self, var: &str, what: &'static str) -> Result<Secret, TargetError> {
        self.get(var).map(Secret::new).ok_or_else(|| TargetError::SecretUnset { what, var: var.to_string() })
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
    #[error("--base-url must be http or https, not `{scheme}`{hint}")]
    BaseUrlScheme { scheme: String, hint: String },
    #[error("auth.token_url `{url}` is not a URL: {detail}")]
    TokenUrlInvalid { url: String, detail: String },
    #[error("{given} needs {missing}")]
    Incomplete { given: String, missing: String },
    #[error("{first} and {second} choose different authentications: give one")]
    Conflict { first: String, second: String },
    #[error("target.timeout `{value}`: {detail}")]
    TimeoutInvalid { value: String, detail: String },
    #[error("target.rate_limit: {0}")]
    RateInvalid(String),
    #[error("header `{name}` (from {from}) {problem}")]
    HeaderInvalid { name: String, from: &'static str, problem: &'static str },
    #[error("a --header has no `:`: write it as \"Name: value\" (it is not shown here, as it may hold a secret)")]
    HeaderMalformed,
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
    /// Extra headers; their values are treated as credentials.
    pub headers: Vec<(String, Secret)>,
    /// Extra headers shown as they are.
    pub public_headers: Vec<(String, String)>,
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

/// A kind of authentication, whichever source names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bearer,
    ApiKey,
    Basic,
    OAuth2,
}

/// The environment variables that carry each kind's secret.
const ENV_BEARER: &str = "KONFORM_BEARER_TOKEN";
const ENV_API_KEY: &str = "KONFORM_API_KEY";
const ENV_BASIC_PASSWORD: &str = "KONFORM_BASIC_PASSWORD";

/// Chooses the authentication by one rule, flag > environment > file, applied to whole
/// kinds: the highest source that names a kind decides it, and the parts it leaves open are
/// filled from the lower sources of the same kind only. A leftover of another kind in a
/// lower source is ignored with a warning; two kinds named by one source are a conflict.
fn choose_auth(
    flags: &TargetFlags,
    env: &Env,
    file: Option<&AuthSection>,
    config: Option<&Path>,
    warnings: &mut Vec<String>,
) -> Result<Auth, TargetError> {
    let by_flag: Vec<(Kind, &str)> = [
        (flags.bearer_token.is_some(), Kind::Bearer, "--bearer-token"),
        (flags.api_key.is_some() || flags.api_key_header.is_some(), Kind::ApiKey, "--api-key"),
        (flags.basic_user.is_some() || flags.basic_password.is_some(), Kind::Basic, "--basic-user"),
    ]
    .into_iter()
    .filter_map(|(given, kind, name)| given.then_some((kind, name)))
    .collect();
    let by_env: Vec<(Kind, &str)> =
        [(Kind::Bearer, ENV_BEARER), (Kind::ApiKey, ENV_API_KEY), (Kind::Basic, ENV_BASIC_PASSWORD)]
            .into_iter()
            .filter(|(_, var)| env.get(var).is_some())
            .collect();
    let conflict = |a: &[(Kind, &str)]| TargetError::Conflict { first: a[0].1.to_string(), second: a[1].1.to_string() };
    if by_flag.len() > 1 {
        return Err(conflict(&by_flag));
    }
    let (kind, chooser) = match (by_flag.first(), by_env.as_slice(), file) {
        (Some(&(kind, name)), _, _) => (kind, name.to_string()),
        (None, [_, _, ..], _) => return Err(conflict(&by_env)),
        (None, [(kind, var)], _) => (*kind, var.to_string()),
        (None, [], Some(f)) => (f.kind(), "[auth]".to_string()),
        (None, [], None) => return Ok(Auth::None),
    };
    for (_, var) in by_env.iter().filter(|(k, _)| *k != kind) {
        warnings.push(format!("{var} is set but not used: {chooser} chooses the authentication"));
    }
    let file = match file {
        Some(f) if f.kind() == kind => Some(f),
        Some(_) => {
            let at = config.map(|p| p.display().to_string()).unwrap_or_default();
            warnings.push(format!("the [auth] of {at} is not used: {chooser} chooses the authentication"));
            None
        }
        None => None,
    };
    // The file's part of the chosen kind, if the file chose the same kind.
    let (file_token, file_header, file_key, file_user, file_password) = match file {
        Some(AuthSection::Bearer { token_env }) => (Some(token_env), None, None, None, None),
        Some(AuthSection::ApiKey { header, value_env }) => (None, Some(header), Some(value_env), None, None),
        Some(AuthSection::Basic { user, password_env }) => (None, None, None, Some(user), Some(password_env)),
        _ => (None, None, None, None, None),
    };
    let incomplete = |missing: String| TargetError::Incomplete { given: chooser.clone(), missing };
    Ok(match kind {
        Kind::Bearer => Auth::Bearer {
            token: secret_part(&flags.bearer_token, env, ENV_BEARER, file_token, "the bearer token")?
                .ok_or_else(|| incomplete(format!("--bearer-token TOKEN (or {ENV_BEARER})")))?,
        },
        Kind::ApiKey => Auth::ApiKey {
            header: flags
                .api_key_header
                .clone()
                .or(file_header.cloned())
                .ok_or_else(|| incomplete("--api-key-header NAME".into()))?,
            value: secret_part(&flags.api_key, env, ENV_API_KEY, file_key, "the API key")?
                .ok_or_else(|| incomplete(format!("--api-key KEY (or {ENV_API_KEY})")))?,
        },
        Kind::Basic => Auth::Basic {
            user: flags
                .basic_user
                .clone()
                .or(file_user.cloned())
                .ok_or_else(|| incomplete("--basic-user USER".into()))?,
            password: secret_part(
                &flags.basic_password,
                env,
                ENV_BASIC_PASSWORD,
                file_password,
                "the basic-auth password",
            )?
            .ok_or_else(|| incomplete(format!("--basic-password PASSWORD (or {ENV_BASIC_PASSWORD})")))?,
        },
        Kind::OAuth2 => match file {
            Some(AuthSection::Oauth2 { token_url, client_id, client_secret_env, scope, client_auth }) => {
                Auth::OAuth2(OAuth2 {
                    token_url: Url::parse(token_url)
                        .map_err(|e| TargetError::TokenUrlInvalid { url: token_url.clone(), detail: e.to_string() })?,
                    client_id: client_id.clone(),
                    client_secret: env.secret(client_secret_env, "the OAuth2 client secret")?,
                    scope: scope.clone(),
                    client_auth: *client_auth,
                })
            }
            _ => return Err(incomplete("an [auth] of type \"oauth2\"".into())),
        },
    })
}

/// The secret of a chosen kind, by the one rule: its flag, else its environment variable,
/// else the variable the file names for it (which must then be set).
fn secret_part(
    flag: &Option<Secret>,
    env: &Env,
    var: &str,
    file_var: Option<&String>,
    what: &'static str,
) -> Result<Option<Secret>, TargetError> {
    if let Some(secret) = flag {
        return Ok(Some(secret.clone()));
    }
    if let Some(value) = env.get(var) {
        return Ok(Some(Secret::new(value)));
    }
    file_var.map(|v| env.secret(v, what)).transpose()
}

/// Splits a `--header` ("Name: value"); the value may be a credential, so an error never
/// shows it.
pub fn parse_header(given: &Secret) -> Result<(String, Secret), TargetError> {
    match given.expose().split_once(':') {
        Some((k, v)) => Ok((k.trim().to_string(), Secret::new(v.trim()))),
        None => Err(TargetError::HeaderMalformed),
    }
}

/// The placeholder a curl line shows for a header's value (`X-Tenant-Token` →
/// `KONFORM_X_TENANT_TOKEN`).
pub fn header_placeholder(name: &str) -> String {
    let upper: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    format!("KONFORM_{upper}")
}

/// Extra headers, file first and flags after, a later one replacing an earlier one of the
/// same name (so a header given in both is sent once, as the flag says). `true` marks a
/// secret value.
fn extra_headers(file: &ConfigFile, flags: &TargetFlags) -> Result<Vec<(String, String, bool)>, TargetError> {
    let given = file
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone(), true, "konform.toml [headers]"))
        .chain(file.public_headers.iter().map(|(k, v)| (k.clone(), v.clone(), false, "konform.toml [public_headers]")))
        .chain(flags.headers.iter().map(|(k, v)| (k.clone(), v.expose().to_string(), true, "--header")))
        .chain(flags.public_headers.iter().map(|(k, v)| (k.clone(), v.clone(), false, "--public-header")));
    let mut out: Vec<(String, String, bool)> = Vec::new();
    for (name, value, secret, from) in given {
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(TargetError::HeaderInvalid { name, from, problem: "is not a valid header name" });
        }
        if reqwest::header::HeaderValue::from_str(&value).is_err() {
            let problem = "has a line break or another control character in its value";
            return Err(TargetError::HeaderInvalid { name, from, problem });
        }
        out.retain(|(k, _, _)| !k.eq_ignore_ascii_case(&name));
        out.push((name, value, secret));
    }
    Ok(out)
}

/// Combines config file, environment and flags (see [`choose_auth`] for credentials;
/// elsewhere a flag wins over the file). Warnings (unknown config keys, unused credentials)
/// are pushed to `warnings` even when the result is an error, so they can be shown first.
pub fn resolve(
    config: Option<&Path>,
    flags: &TargetFlags,
    env: &Env,
    warnings: &mut Vec<String>,
) -> Result<Target, TargetError> {
    let (file, file_auth) = match config {
        Some(p) => read_config(p, warnings)?,
        None => (ConfigFile::default(), None),
    };
    let base = config.and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
    resolve_parsed(&file, file_auth.as_ref(), &base, config, flags, env, warnings)
}

/// [`resolve`] for settings already read: `file` and `file_auth` as [`read_config`] gives
/// them (or a fleet file's entry, `konform run --targets`), paths in them relative to
/// `base`, `config` the file named in messages.
pub fn resolve_parsed(
    file: &ConfigFile,
    file_auth: Option<&AuthSection>,
    base: &Path,
    config: Option<&Path>,
    flags: &TargetFlags,
    env: &Env,
    warnings: &mut Vec<String>,
) -> Result<Target, TargetError> {
    let redactor = Redactor::default();

    let given = flags.base_url.clone().or(file.target.base_url.clone()).ok_or(TargetError::NoBaseUrl)?;
    // `127.0.0.1:8080` or `localhost:8080` is a URL without its scheme: say how to write it.
    let hint = match given.contains("://") {
        true => String::new(),
        false => format!(" (with its scheme: http://{} or https://…)", redact_url_text(&given)),
    };
    let mut base_url = Url::parse(&given)
        .map_err(|e| TargetError::BaseUrlInvalid { url: redact_url_text(&given), detail: format!("{e}{hint}") })?;
    if !matches!(base_url.scheme(), "http" | "https") {
        return Err(TargetError::BaseUrlScheme { scheme: base_url.scheme().to_string(), hint });
    }
    if !base_url.path().ends_with('/') {
        let p = format!("{}/", base_url.path());
        base_url.set_path(&p);
    }
    learn_url_secrets(&base_url, &redactor);

    let auth = choose_auth(flags, env, file_auth, config, warnings)?;
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
        Auth::OAuth2(o) => {
            redactor.add(o.client_secret.expose(), "KONFORM_CLIENT_SECRET");
            redactor.add_basic(&o.client_id, o.client_secret.expose());
        }
    }

    let mut variables = BTreeMap::new();
    for (k, v) in &file.variables {
        variables.insert(k.clone(), toml_to_json(v));
    }
    for (k, v) in &env.0 {
        if let Some(name) = k.strip_prefix("KONFORM_VAR_") {
            variables.insert(name.to_string(), Value::String(v.clone()));
        }
    }
    for (k, v) in &flags.vars {
        variables.insert(k.clone(), Value::String(v.clone()));
    }

    let mut headers = Vec::new();
    for (name, value, secret) in extra_headers(file, flags)? {
        if secret {
            redactor.add(&value, &header_placeholder(&name));
            redactor.add_header(&name);
        }
        headers.push((name, value));
    }

    let path = |flag: &Option<PathBuf>, file_value: &Option<PathBuf>| {
        flag.clone().or_else(|| file_value.as_ref().map(|p| base.join(p)))
    };
    let timeout = match &file.target.timeout {
        Some(t) => match humantime::parse_duration(t) {
            Ok(d) if d.is_zero() => {
                return Err(TargetError::TimeoutInvalid { value: t.clone(), detail: "must be more than 0".into() })
            }
            Ok(d) => Some(d),
            Err(e) => return Err(TargetError::TimeoutInvalid { value: t.clone(), detail: e.to_string() }),
        },
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
        preflight: file.target.preflight.unwrap_or(true),
        rate_limit: file.target.rate_limit.map(check_rate).transpose().map_err(TargetError::RateInvalid)?,
        vendor: flags.vendor.clone().or(file.target.vendor.clone()),
        product: flags.product.clone().or(file.target.product.clone()),
        product_version: flags.product_version.clone().or(file.target.product_version.clone()),
        redactor,
    };
    match (&target.client_cert, &target.client_key) {
        (Some(_), None) => {
            return Err(TargetError::Incomplete { given: "--client-cert".into(), missing: "--client-key".into() })
        }
        (None, Some(_)) => {
            return Err(TargetError::Incomplete { given: "--client-key".into(), missing: "--client-cert".into() })
        }
        _ => {}
    }
    Ok(target)
}

/// Reads a rate (requests a second) from a flag or a file: a number more than 0.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text.trim().parse().map_err(|_| format!("`{text}` is not a number of requests a second"))?;
    check_rate(rate)
}

/// A rate must be a finite number more than 0.
pub fn check_rate(rate: f64) -> Result<f64, String> {
    if rate.is_finite() && rate > 0.0 {
        Ok(rate)
    } else {
        Err(format!("{rate} is not a rate: give a number of requests a second more than 0 (e.g. 5, or 0.5)"))
    }
}

/// A base URL's credentials are secrets: its userinfo (as written and decoded, and as the
/// Basic credentials an HTTP client makes of it) and the values of its query.
fn learn_url_secrets(url: &Url, redactor: &Redactor) {
    let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
    let user = decode(url.username());
    if !user.is_empty() {
        redactor.add(&user, "KONFORM_URL_USER");
        redactor.add(url.username(), "KONFORM_URL_USER");
    }
    if let Some(password) = url.password() {
        redactor.add(&decode(password), "KONFORM_URL_PASSWORD");
        redactor.add(password, "KONFORM_URL_PASSWORD");
        redactor.add_basic(&user, &decode(password));
    }
    for (key, value) in url.query_pairs() {
        redactor.add(
            &value,
            &format!("KONFORM_QUERY_{}", key.to_ascii_uppercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_")),
        );
    }
}

/// A base URL as given, for an error message, with anything after `//` up to `@` hidden.
fn redact_url_text(url: &str) -> String {
    match (url.find("//"), url.rfind('@')) {
        (Some(start), Some(at)) if at > start => format!("{}<redacted>{}", &url[..start + 2], &url[at..]),
        _ => url.to_string(),
    }
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
        let mut warnings = Vec::new();
        let target = resolve(Some(&p), &TargetFlags::default(), &Env::default(), &mut warnings).unwrap();
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
            ],
            public_headers: vec![("Accept".into(), "application/json".into())],
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
        let env = Env::of(&[("KONFORM_TEST_DEBUG_CLIENT_SECRET", SECRETS[3])]);

        let mut shown = Vec::new();
        for flags in [&bearer, &api_key, &basic] {
            let target = resolve(None, flags, &Env::default(), &mut Vec::new()).unwrap();
            shown.push(format!("{target:?} {:?} {flags:?}", target.auth));
        }
        let target = resolve(Some(&config), &base, &env, &mut Vec::new()).unwrap();
        assert!(matches!(target.auth, Auth::OAuth2(_)));
        shown.push(format!("{target:?} {:?}", target.auth));
        for text in &shown {
            for secret in SECRETS {
                assert!(!text.contains(secret), "{secret} is shown by Debug: {text}");
            }
        }
        assert!(shown.iter().all(|t| t.contains("[redacted]")), "{shown:#?}");
        // A header marked public stays readable.
        assert!(shown[0].contains(r#"("Accept", "application/json")"#), "{}", shown[0]);
    }

    #[test]
    fn a_rate_is_a_positive_number() {
        assert_eq!(parse_rate("2.5"), Ok(2.5));
        for bad in ["0", "-1", "NaN", "inf", "fast", ""] {
            assert!(parse_rate(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn secrets_come_from_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("konform.toml");
        std::fs::write(&p, "[target]\nbase_url = \"http://127.0.0.1:1\"\n[auth]\ntype = \"bearer\"\ntoken_env = \"KONFORM_TEST_UNSET_TOKEN_VAR\"\n").unwrap();
        let err = resolve(Some(&p), &TargetFlags::default(), &Env::default(), &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("KONFORM_TEST_UNSET_TOKEN_VAR"), "{err}");
    }
}

/// The URL of `path` (an operation's path, a resource such as `api-info`) under the base
/// URL: joined below the base's path, keeping the base's query (`?api_key=...`), which a
/// plain `Url::join` drops.
pub fn endpoint(base: &Url, path: &str) -> Result<Url, url::ParseError> {
    let mut url = base.join(path.trim_start_matches('/'))?;
    if let Some(query) = base.query() {
        let own = url.query().map(str::to_string);
        match own {
            Some(own) if !own.is_empty() => url.set_query(Some(&format!("{query}&{own}"))),
            _ => url.set_query(Some(query)),
        }
    }
    Ok(url)
}

#[cfg(test)]
mod endpoint_tests {
    use super::*;

    #[test]
    fn an_endpoint_keeps_the_base_urls_path_and_query() {
        let base = Url::parse("https://api.example.org/case-intake/2.0/?api_key=k1&tenant=t").unwrap();
        assert_eq!(
            endpoint(&base, "/2281/cases").unwrap().as_str(),
            "https://api.example.org/case-intake/2.0/2281/cases?api_key=k1&tenant=t"
        );
        assert_eq!(endpoint(&base, "api-info").unwrap().query(), Some("api_key=k1&tenant=t"));
        let plain = Url::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(endpoint(&plain, "/cases").unwrap().as_str(), "http://127.0.0.1:8080/cases");
    }
}
