//! A fleet file (`konform run --targets fleet.toml`): many vendors' targets, each a
//! `[[target]]` with a name, a base URL and the settings of `konform.toml`'s `[target]`,
//! `[auth]`, `[variables]` and `[public_headers]`, plus its own rate limit, concurrency and
//! deadline. Each entry is turned into a [`Target`] by the same code as `konform.toml`
//! ([`target::resolve_parsed`]). Unlike `konform.toml`, a fleet file is strict: an unknown
//! key is an error at its line, as a typo in one of many vendors' entries would otherwise go
//! unseen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::target::{self, ConfigFile, Env, Target, TargetFlags, TargetSection};

/// Targets run at once unless `parallel_targets` says otherwise.
pub const DEFAULT_PARALLEL_TARGETS: usize = 4;

/// The keys a `[[target]]` (and `[defaults]`, but for `name` and `base_url`) takes.
const TARGET_KEYS: &[&str] = &[
    "name",
    "base_url",
    "vendor",
    "product",
    "product_version",
    "ca_bundle",
    "client_cert",
    "client_key",
    "timeout",
    "preflight",
    "rate_limit",
    "concurrency",
    "deadline",
    "auth",
    "variables",
    "public_headers",
];

/// Tables merged key by key with `[defaults]` (the target's own value wins).
const MERGED_TABLES: &[&str] = &["variables", "public_headers"];

/// The targets of a fleet file, in the file's order.
#[derive(Debug)]
pub struct Fleet {
    pub targets: Vec<FleetTarget>,
    /// Targets run at once.
    pub parallel: usize,
}

#[derive(Debug)]
pub struct FleetTarget {
    /// Letters, digits, `.`, `-`, `_`: it names the target's report files.
    pub name: String,
    /// The line of its `[[target]]`.
    pub line: usize,
    pub target: Target,
    /// Scenarios run at once against this target (else `--jobs`).
    pub concurrency: Option<usize>,
    /// The whole run against this target ends by then, preflight included (else `--deadline`).
    pub deadline: Option<Duration>,
}

/// Why a fleet file cannot be used (exit 2: nothing is sent). The message names the file
/// and line.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FleetError(pub String);

impl From<FleetError> for crate::error::Failure {
    fn from(e: FleetError) -> crate::error::Failure {
        crate::error::Failure::InvalidInput(e.0)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    parallel_targets: Option<Spanned<i64>>,
    defaults: Option<Spanned<toml::Table>>,
    #[serde(default)]
    target: Vec<Spanned<toml::Table>>,
}

/// One `[[target]]` after `[defaults]` are merged in; checked for unknown keys first.
#[derive(Deserialize)]
struct Entry {
    name: String,
    base_url: Option<String>,
    vendor: Option<String>,
    product: Option<String>,
    product_version: Option<String>,
    ca_bundle: Option<PathBuf>,
    client_cert: Option<PathBuf>,
    client_key: Option<PathBuf>,
    timeout: Option<String>,
    preflight: Option<bool>,
    rate_limit: Option<f64>,
    concurrency: Option<i64>,
    deadline: Option<String>,
    auth: Option<toml::Table>,
    #[serde(default)]
    variables: BTreeMap<String, toml::Value>,
    #[serde(default)]
    public_headers: BTreeMap<String, String>,
}

/// The credentials variables a single-target run reads (`KONFORM_BEARER_TOKEN`...): a fleet
/// ignores them, so that one left set is never sent to every vendor.
const SINGLE_TARGET_SECRETS: [&str; 3] = ["KONFORM_BEARER_TOKEN", "KONFORM_API_KEY", "KONFORM_BASIC_PASSWORD"];

/// Reads and checks a fleet file and resolves every target (credentials from the variables
/// each entry names). `flags` apply to every target (`--var`, `--public-header`). Warnings
/// (a single-target credentials variable that is set) go to `warnings`.
pub fn read(path: &Path, flags: &TargetFlags, env: &Env, warnings: &mut Vec<String>) -> Result<Fleet, FleetError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| FleetError(format!("cannot read the fleet file {}: {e}", path.display())))?;
    let file = Source { path, text: &text };
    let doc: Document = toml::from_str(&text).map_err(|e| file.toml_error(&e))?;
    let parallel = match &doc.parallel_targets {
        None => DEFAULT_PARALLEL_TARGETS,
        Some(n) => usize::try_from(*n.get_ref())
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| file.error(n.span().start, "`parallel_targets` must be 1 or more".into()))?,
    };
    let defaults = match &doc.defaults {
        Some(d) => {
            check_keys(&file, d.span().start, d.get_ref(), "defaults", &["name", "base_url"])?;
            d.get_ref().clone()
        }
        None => toml::Table::new(),
    };
    if doc.target.is_empty() {
        return Err(FleetError(format!(
            "{}: no [[target]]: a fleet file lists its targets as [[target]] tables",
            path.display()
        )));
    }
    for var in SINGLE_TARGET_SECRETS.iter().filter(|v| env.get(v).is_some()) {
        warnings.push(format!(
            "{var} is set but not used: with --targets, each target names its own variables in {}",
            path.display()
        ));
    }
    let env = env.without(&SINGLE_TARGET_SECRETS);
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut targets: Vec<FleetTarget> = Vec::new();
    for entry in &doc.target {
        let at = entry.span().start;
        let t = target_of(&file, at, entry.get_ref(), &defaults, &base, flags, &env, warnings)?;
        if let Some(other) = targets.iter().find(|o| o.name.eq_ignore_ascii_case(&t.name)) {
            let detail = format!("target name `{}` is used twice (first at line {})", t.name, other.line);
            return Err(file.error(at, detail));
        }
        targets.push(t);
    }
    Ok(Fleet { targets, parallel })
}

/// One entry, merged with the defaults, checked and resolved.
#[allow(clippy::too_many_arguments)]
fn target_of(
    file: &Source<'_>,
    at: usize,
    own: &toml::Table,
    defaults: &toml::Table,
    base: &Path,
    flags: &TargetFlags,
    env: &Env,
    warnings: &mut Vec<String>,
) -> Result<FleetTarget, FleetError> {
    check_keys(file, at, own, "target", &[])?;
    let entry: Entry = toml::Value::Table(merged(own, defaults))
        .try_into()
        .map_err(|e: toml::de::Error| file.error(at, format!("[[target]]: {}", e.message())))?;
    let name = entry.name.clone();
    let line_of = |key: &str| file.key_at(at, key).unwrap_or(at);
    let fail = |key: &str, detail: String| file.error(line_of(key), format!("target `{name}`: {detail}"));
    check_name(&name).map_err(|d| file.error(line_of("name"), d))?;
    let Some(base_url) = entry.base_url.clone() else {
        return Err(file.error(at, format!("target `{name}` has no `base_url`")));
    };
    if let Some(rate) = entry.rate_limit {
        target::check_rate(rate).map_err(|d| fail("rate_limit", format!("rate_limit: {d}")))?;
    }
    let concurrency = match entry.concurrency {
        None => None,
        Some(n) => Some(
            usize::try_from(n)
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| fail("concurrency", "concurrency must be 1 or more".into()))?,
        ),
    };
    let deadline = match &entry.deadline {
        None => None,
        Some(text) => Some(positive_duration(text).map_err(|d| fail("deadline", format!("deadline `{text}`: {d}")))?),
    };
    let auth = match &entry.auth {
        None => None,
        Some(table) => {
            check_auth_keys(table).map_err(|d| fail("auth", d))?;
            Some(
                target::auth_section(file.path, table, warnings)
                    .map_err(|e| fail("auth", strip_path(file.path, &e.to_string())))?,
            )
        }
    };
    let config = ConfigFile {
        target: TargetSection {
            base_url: Some(base_url),
            ca_bundle: entry.ca_bundle,
            client_cert: entry.client_cert,
            client_key: entry.client_key,
            timeout: entry.timeout,
            preflight: entry.preflight,
            rate_limit: entry.rate_limit,
            vendor: entry.vendor,
            product: entry.product,
            product_version: entry.product_version,
        },
        auth: None,
        variables: entry.variables,
        headers: BTreeMap::new(),
        public_headers: entry.public_headers,
    };
    let target = target::resolve_parsed(&config, auth.as_ref(), base, Some(file.path), flags, env, warnings)
        .map_err(|e| file.error(at, format!("target `{name}`: {}", strip_path(file.path, &e.to_string()))))?;
    Ok(FleetTarget { name, line: file.line(at), target, concurrency, deadline })
}

/// A target's own keys over the defaults; `variables` and `public_headers` merged key by key.
fn merged(own: &toml::Table, defaults: &toml::Table) -> toml::Table {
    let mut out = defaults.clone();
    for (key, value) in own {
        match (out.get_mut(key), value) {
            (Some(toml::Value::Table(d)), toml::Value::Table(o)) if MERGED_TABLES.contains(&key.as_str()) => {
                d.extend(o.clone());
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out
}

fn check_keys(
    file: &Source<'_>,
    at: usize,
    table: &toml::Table,
    table_name: &str,
    refused: &[&str],
) -> Result<(), FleetError> {
    for key in table.keys() {
        let where_ = file.key_at(at, key).unwrap_or(at);
        if refused.contains(&key.as_str()) {
            return Err(file.error(where_, format!("`{key}` belongs in each [[target]], not in [{table_name}]")));
        }
        if !TARGET_KEYS.contains(&key.as_str()) {
            let hint = if key == "headers" {
                " (header values there would be secrets written in the file: konform reads secrets only from the environment)"
            } else {
                ""
            };
            return Err(file.error(
                where_,
                format!("unknown key `{table_name}.{key}`{hint}; known keys: {}", TARGET_KEYS.join(", ")),
            ));
        }
    }
    Ok(())
}

/// Unknown keys inside `auth` are errors here (a secret written in the file too).
fn check_auth_keys(table: &toml::Table) -> Result<(), String> {
    let Some(kind) = table.get("type").and_then(toml::Value::as_str) else {
        return Ok(()); // `auth_section` says what `type` must be.
    };
    let Some(known) = target::auth_keys(kind) else { return Ok(()) };
    match table.keys().find(|k| *k != "type" && !known.contains(&k.as_str())) {
        Some(key) if known.contains(&format!("{key}_env").as_str()) => Err(format!(
            "`auth.{key}`: konform reads secrets only from the environment; name the variable with `{key}_env`"
        )),
        Some(key) => Err(format!("unknown key `auth.{key}`; {kind} takes: type, {}", known.join(", "))),
        None => Ok(()),
    }
}

/// A name that is safe as a file name on every system: letters, digits, `.`, `-`, `_`,
/// starting with a letter or digit, at most 32 characters (so the summary fits 80 columns).
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 32
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "target name `{}` cannot name a report file: use 1 to 32 letters, digits, `.`, `-` or `_`, starting with a letter or digit",
            name.escape_debug()
        ))
    }
}

fn positive_duration(text: &str) -> Result<Duration, String> {
    match humantime::parse_duration(text) {
        Ok(d) if d.is_zero() => Err("must be more than 0".into()),
        Ok(d) => Ok(d),
        Err(e) => Err(e.to_string()),
    }
}

/// A message of `target` that starts with the file's path: the fleet's own prefix replaces it.
fn strip_path(path: &Path, message: &str) -> String {
    let prefix = format!("{}: ", path.display());
    message.strip_prefix(&prefix).unwrap_or(message).to_string()
}

/// The fleet file's text, for lines.
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    fn line(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())].matches('\n').count() + 1
    }

    fn error(&self, offset: usize, detail: String) -> FleetError {
        FleetError(format!("{}:{}: {detail}", self.path.display(), self.line(offset)))
    }

    fn toml_error(&self, e: &toml::de::Error) -> FleetError {
        match e.span() {
            Some(span) => self.error(span.start, e.message().to_string()),
            None => FleetError(format!("{}: {}", self.path.display(), e.message())),
        }
    }

    /// Where `key` is written in the entry that starts at `at` (up to the next `[[`): the
    /// start of the line that assigns it, or of its `[target.key]` table.
    fn key_at(&self, at: usize, key: &str) -> Option<usize> {
        let rest = &self.text[at.min(self.text.len())..];
        // The entry's own header is at `at`; it ends where the next array table starts.
        let body_start = rest.find('\n').map_or(rest.len(), |n| n + 1);
        let end = rest[body_start..].find("\n[[").map_or(rest.len(), |n| body_start + n);
        let mut offset = at;
        for line in rest[..end].split_inclusive('\n') {
            let trimmed = line.trim_start();
            let bare = trimmed.trim_start_matches('[').trim_start_matches("target.").trim_start_matches("defaults.");
            let assigns = bare.strip_prefix(key).is_some_and(|after| after.trim_start().starts_with(['=', ']', '.']));
            if assigns && !trimmed.starts_with('#') {
                return Some(offset);
            }
            offset += line.len();
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str, env: &[(&str, &str)]) -> Result<Fleet, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fleet.toml");
        std::fs::write(&path, text).unwrap();
        read(&path, &TargetFlags::default(), &Env::of(env), &mut Vec::new())
            .map_err(|e| e.0.replace(&path.display().to_string(), "fleet.toml"))
    }

    const TWO: &str = "parallel_targets = 2\n\n[defaults]\nrate_limit = 5\ndeadline = \"2m\"\n[defaults.variables]\nmunicipalityId = \"2281\"\nregion = \"x\"\n\n[[target]]\nname = \"acme\"\nbase_url = \"http://127.0.0.1:1/api\"\nconcurrency = 3\n[target.auth]\ntype = \"bearer\"\ntoken_env = \"ACME_TOKEN\"\n[target.variables]\nregion = \"north\"\n\n[[target]]\nname = \"beta.se\"\nbase_url = \"http://127.0.0.1:2/\"\nrate_limit = 0.5\n";

    #[test]
    fn entries_take_the_defaults_and_their_own_credentials() {
        let fleet = read_text(TWO, &[("ACME_TOKEN", "acme-secret")]).unwrap();
        assert_eq!(fleet.parallel, 2);
        let [acme, beta] = &fleet.targets[..] else { panic!("{fleet:?}") };
        assert_eq!((acme.name.as_str(), acme.line, beta.line), ("acme", 10, 20));
        assert_eq!(acme.target.base_url.as_str(), "http://127.0.0.1:1/api/");
        assert!(matches!(&acme.target.auth, target::Auth::Bearer { token } if token.expose() == "acme-secret"));
        assert!(matches!(beta.target.auth, target::Auth::None));
        assert_eq!((acme.target.rate_limit, beta.target.rate_limit), (Some(5.0), Some(0.5)));
        assert_eq!((acme.concurrency, beta.concurrency), (Some(3), None));
        assert_eq!(acme.deadline, Some(Duration::from_secs(120)));
        assert_eq!(acme.target.variables["region"], "north");
        assert_eq!(acme.target.variables["municipalityId"], "2281");
        assert_eq!(beta.target.variables["region"], "x");
    }

    #[test]
    fn the_single_target_credentials_variable_is_not_sent_to_the_fleet() {
        let fleet = read_text(TWO, &[("ACME_TOKEN", "a"), ("KONFORM_BEARER_TOKEN", "leftover")]).unwrap();
        assert!(matches!(fleet.targets[1].target.auth, target::Auth::None));
        assert!(matches!(&fleet.targets[0].target.auth, target::Auth::Bearer { token } if token.expose() == "a"));
    }

    #[test]
    fn mistakes_are_named_at_their_line() {
        let cases: &[(&str, &str)] = &[
            ("[[target]]\nname = \"a\"\nbase_url = \"http://h/\"\nrate_limt = 3\n", "fleet.toml:4: unknown key `target.rate_limt`"),
            ("[[target]]\nname = \"a\"\nbase_url = \"http://h/\"\n\n[[target]]\nname = \"A\"\nbase_url = \"http://i/\"\n", "fleet.toml:5: target name `A` is used twice (first at line 1)"),
            ("[[target]]\nname = \"a\"\nvendor = \"v\"\n", "fleet.toml:1: target `a` has no `base_url`"),
            ("[[target]]\nname = \"a\"\nbase_url = \"http://h/\"\nrate_limit = 0\n", "fleet.toml:4: target `a`: rate_limit: 0 is not a rate"),
            ("[[target]]\nname = \"a\"\nbase_url = \"http://h/\"\nrate_limit = \"fast\"\n", "fleet.toml:1: [[target]]: invalid type"),
            ("[[target]]\nname = \"../x\"\nbase_url = \"http://h/\"\n", "fleet.toml:2: target name `../x` cannot name a report file"),
            ("[[target]]\nname = \"a\"\nbase_url = \"http://h/\"\ndeadline = \"soon\"\n", "fleet.toml:4: target `a`: deadline `soon`"),
            ("[[target]]\nname = \"a\"\nbase_url = \"http://h/\"\nconcurrency = 0\n", "fleet.toml:4: target `a`: concurrency must be 1 or more"),
            ("[[target]]\nname = \"a\"\nbase_url = \"http://h/\"\n[target.auth]\ntype = \"bearer\"\ntoken = \"literal\"\n", "fleet.toml:4: target `a`: `auth.token`: konform reads secrets only from the environment"),
            ("[[target]]\nname = \"a\"\nbase_url = \"http://h/\"\n[target.auth]\ntype = \"bearer\"\ntoken_env = \"UNSET_FLEET_VAR\"\n", "target `a`: the bearer token is read from the environment variable UNSET_FLEET_VAR, which is not set"),
            ("[defaults]\nbase_url = \"http://h/\"\n", "fleet.toml:2: `base_url` belongs in each [[target]], not in [defaults]"),
            ("[defaults]\nrate_limit = 1\n", "fleet.toml: no [[target]]"),
            ("targets = 1\n", "fleet.toml:1: unknown field `targets`"),
            ("[[target]\n", "fleet.toml:1:"),
            ("[[target]]\nname = \"a\"\nbase_url = \"ftp://h/\"\n", "target `a`: --base-url must be http or https"),
        ];
        for (text, expected) in cases {
            let err = read_text(text, &[]).map(|f| format!("{f:?}")).unwrap_err();
            assert!(err.starts_with(expected) || err.contains(expected), "{text}\ngave: {err}\nwanted: {expected}");
        }
    }
}
