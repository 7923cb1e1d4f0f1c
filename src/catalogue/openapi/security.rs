//! The document's security schemes, read for a suite that sends a credential of its own
//! (`auth: { scheme: NAME, value: ... }`): where a value of the named scheme goes.

use serde_json::Value;

use super::ApiDoc;

/// Where a credential of a security scheme is carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carrier {
    /// `Authorization: Bearer VALUE` (`http` bearer, `oauth2`, `openIdConnect`).
    Bearer,
    /// `Authorization: Basic base64(VALUE)`, the value being `user:password` (`http` basic).
    Basic,
    /// An `apiKey` in the named header.
    Header(String),
    /// An `apiKey` in the named query parameter.
    Query(String),
    /// An `apiKey` in the named cookie.
    Cookie(String),
}

/// Why a scheme cannot carry a suite's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeProblem {
    /// `components.securitySchemes` has no scheme of that name.
    Unknown,
    /// The scheme is there, but no single value can meet it (said why, in English: only
    /// `konform check` shows it).
    CannotCarry(String),
}

impl ApiDoc {
    /// The names under `components.securitySchemes` of the root document.
    pub fn security_scheme_names(&self) -> Vec<&str> {
        self.security_schemes().map(|s| s.keys().map(String::as_str).collect()).unwrap_or_default()
    }

    /// Where a value of the security scheme `name` is sent.
    pub fn credential_carrier(&self, name: &str) -> Result<Carrier, SchemeProblem> {
        let scheme = self.security_schemes().and_then(|s| s.get(name)).ok_or(SchemeProblem::Unknown)?;
        let scheme = match scheme.get("$ref").and_then(Value::as_str) {
            Some(r) => self.resolve_ref(0, r).map(|(_, v)| v).ok_or(SchemeProblem::Unknown)?,
            None => scheme,
        };
        carrier(scheme)
    }

    fn security_schemes(&self) -> Option<&serde_json::Map<String, Value>> {
        self.docs.first()?.value.pointer("/components/securitySchemes").and_then(Value::as_object)
    }
}

/// Where a value of a (resolved) security scheme object goes.
fn carrier(scheme: &Value) -> Result<Carrier, SchemeProblem> {
    let text = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or("");
    let cannot = |why: String| Err(SchemeProblem::CannotCarry(why));
    match text("type") {
        "http" if text("scheme").eq_ignore_ascii_case("bearer") => Ok(Carrier::Bearer),
        "http" if text("scheme").eq_ignore_ascii_case("basic") => Ok(Carrier::Basic),
        "http" => cannot(format!(
            "it is an `http` scheme `{}`; konform sends a value of `http` schemes `bearer` and `basic` only",
            text("scheme")
        )),
        "oauth2" | "openIdConnect" => Ok(Carrier::Bearer),
        "apiKey" => {
            let name = text("name");
            if name.is_empty() {
                return cannot("it is an `apiKey` scheme without a `name`".into());
            }
            match text("in") {
                "header" => Ok(Carrier::Header(name.into())),
                "query" => Ok(Carrier::Query(name.into())),
                "cookie" => Ok(Carrier::Cookie(name.into())),
                other => cannot(format!("it is an `apiKey` scheme `in: {other}`; header, query or cookie is needed")),
            }
        }
        "mutualTLS" => cannot("it is a `mutualTLS` scheme: a client certificate, not a value".into()),
        other => cannot(format!("its type `{other}` is not one konform knows")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_kind_of_scheme_says_where_its_value_goes() {
        let cases = [
            (json!({"type": "http", "scheme": "Bearer"}), Ok(Carrier::Bearer)),
            (json!({"type": "http", "scheme": "basic"}), Ok(Carrier::Basic)),
            (json!({"type": "oauth2", "flows": {}}), Ok(Carrier::Bearer)),
            (json!({"type": "openIdConnect"}), Ok(Carrier::Bearer)),
            (json!({"type": "apiKey", "in": "header", "name": "X-Token"}), Ok(Carrier::Header("X-Token".into()))),
            (json!({"type": "apiKey", "in": "query", "name": "key"}), Ok(Carrier::Query("key".into()))),
            (json!({"type": "apiKey", "in": "cookie", "name": "sid"}), Ok(Carrier::Cookie("sid".into()))),
        ];
        for (scheme, want) in cases {
            assert_eq!(carrier(&scheme), want, "{scheme}");
        }
    }

    #[test]
    fn a_scheme_no_single_value_meets_says_why() {
        for (scheme, said) in [
            (json!({"type": "http", "scheme": "digest"}), "`digest`"),
            (json!({"type": "mutualTLS"}), "client certificate"),
            (json!({"type": "apiKey", "in": "header"}), "without a `name`"),
            (json!({"type": "apiKey", "in": "body", "name": "k"}), "`in: body`"),
        ] {
            match carrier(&scheme) {
                Err(SchemeProblem::CannotCarry(why)) => assert!(why.contains(said), "{why}"),
                other => panic!("{scheme}: {other:?}"),
            }
        }
    }
}
