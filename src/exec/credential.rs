//! A credential a suite gives from its own variables (`auth: { bearer: ... }`,
//! `auth: { scheme: NAME, value: ... }`), put where the description's security scheme says.
//! A step that sends one does not send the target's credentials.

use base64::Engine;
use serde_json::Value;
use url::Url;

use crate::catalogue::openapi::security::{Carrier, SchemeProblem};
use crate::catalogue::openapi::ApiDoc;
use crate::messages::Msg;
use crate::suite::GivenAuth;

/// Where the step's credential goes: `Authorization: Bearer` for `bearer`, else as the
/// named scheme says. `konform run` refuses a suite naming a scheme that cannot carry a
/// value (`konform check` reports it), so the error is for a caller that did not check.
pub fn carrier(api: &ApiDoc, given: &GivenAuth) -> Result<Carrier, Msg> {
    let Some(name) = &given.scheme else { return Ok(Carrier::Bearer) };
    api.credential_carrier(name).map_err(|problem| Msg::RequestFailed {
        cause: match problem {
            SchemeProblem::Unknown => format!("the description has no security scheme `{name}`"),
            SchemeProblem::CannotCarry(why) => format!("security scheme `{name}` cannot carry a value: {why}"),
        },
    })
}

/// The environment-variable name a curl line shows the credential as, when it is not
/// already a known secret (a captured one is `KONFORM_CAPTURE_<NAME>`): `KONFORM_AUTH_` and
/// the variable (or the scheme) it comes from.
pub fn placeholder(given: &GivenAuth) -> String {
    let from = given.value.sole_variable().or(given.scheme.as_deref()).unwrap_or("bearer");
    crate::target::header_placeholder(&format!("auth_{from}"))
}

/// What to redact of a credential sent as `value`: it whole, and each variable it is made of
/// (`Token {{ key }}`: the key alone comes back too), each with its placeholder. Built-ins
/// (`$uuid`) are left out: they are new on every use.
pub fn secrets(given: &GivenAuth, value: String, lookup: &dyn Fn(&str) -> Option<Value>) -> Vec<(String, String)> {
    let mut out = vec![(value, placeholder(given))];
    for name in given.value.variables().filter(|n| !n.starts_with('$')) {
        let text = match lookup(name) {
            Some(Value::String(s)) => s,
            Some(other) => other.to_string(),
            None => continue,
        };
        out.push((text, crate::target::header_placeholder(&format!("auth_{name}"))));
    }
    out
}

/// Adds `value` to the request as `carrier` says. A header the step sets itself is kept
/// (as it is over the target's credentials); a cookie joins the step's `Cookie` header.
pub fn apply(carrier: &Carrier, value: &str, url: &mut Url, headers: &mut Vec<(String, String)>) {
    let set = |headers: &mut Vec<(String, String)>, name: &str, value: String| {
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name)) {
            headers.push((name.to_string(), value));
        }
    };
    match carrier {
        Carrier::Bearer => set(headers, "Authorization", format!("Bearer {value}")),
        Carrier::Basic => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(value);
            set(headers, "Authorization", format!("Basic {encoded}"));
        }
        Carrier::Header(name) => set(headers, name, value.to_string()),
        Carrier::Query(name) => {
            url.query_pairs_mut().append_pair(name, value);
        }
        Carrier::Cookie(name) => {
            let pair = format!("{name}={value}");
            match headers.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case("cookie")) {
                Some((_, v)) => *v = format!("{v}; {pair}"),
                None => headers.push(("Cookie".into(), pair)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(carrier: Carrier, headers: &[(&str, &str)]) -> (String, Vec<(String, String)>) {
        let mut url = Url::parse("http://127.0.0.1:1/things?page=1").unwrap();
        let mut headers: Vec<(String, String)> = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        apply(&carrier, "t0k en", &mut url, &mut headers);
        (url.to_string(), headers)
    }

    #[test]
    fn each_carrier_puts_the_value_where_its_scheme_says() {
        let pair = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert_eq!(applied(Carrier::Bearer, &[]).1, pair("Authorization", "Bearer t0k en"));
        assert_eq!(applied(Carrier::Basic, &[]).1, pair("Authorization", "Basic dDBrIGVu"));
        assert_eq!(applied(Carrier::Header("X-Token".into()), &[]).1, pair("X-Token", "t0k en"));
        let (url, headers) = applied(Carrier::Query("key".into()), &[]);
        assert_eq!(url, "http://127.0.0.1:1/things?page=1&key=t0k+en");
        assert!(headers.is_empty());
        assert_eq!(applied(Carrier::Cookie("sid".into()), &[]).1, pair("Cookie", "sid=t0k en"));
        assert_eq!(applied(Carrier::Cookie("sid".into()), &[("cookie", "a=b")]).1, pair("cookie", "a=b; sid=t0k en"));
    }

    #[test]
    fn a_credential_is_named_after_its_variable_else_its_scheme() {
        let given = |scheme: Option<&str>, value: &str| GivenAuth {
            scheme: scheme.map(str::to_string),
            value: crate::suite::template::Template::parse(value).unwrap(),
            pointer: "/scenarios/0/auth".into(),
            from_scenario: true,
        };
        assert_eq!(placeholder(&given(None, "{{ token }}")), "KONFORM_AUTH_TOKEN");
        assert_eq!(placeholder(&given(Some("session-key"), "{{ key }}")), "KONFORM_AUTH_KEY");
        assert_eq!(placeholder(&given(Some("session-key"), "Token {{ key }}")), "KONFORM_AUTH_SESSION_KEY");
        assert_eq!(placeholder(&given(None, "Token {{ key }}")), "KONFORM_AUTH_BEARER");
    }

    #[test]
    fn the_variables_a_credential_is_made_of_are_secrets_too() {
        let given = GivenAuth {
            scheme: Some("sessionKey".into()),
            value: crate::suite::template::Template::parse("Token {{ key }}-{{ $uuid }}").unwrap(),
            pointer: "/scenarios/0/steps/1/auth".into(),
            from_scenario: false,
        };
        let lookup = |n: &str| (n == "key").then(|| Value::String("k-1".into()));
        assert_eq!(
            secrets(&given, "Token k-1-u".into(), &lookup),
            [
                ("Token k-1-u".to_string(), "KONFORM_AUTH_SESSIONKEY".to_string()),
                ("k-1".to_string(), "KONFORM_AUTH_KEY".to_string())
            ]
        );
    }

    #[test]
    fn a_header_the_step_sets_itself_is_kept() {
        let (_, headers) = applied(Carrier::Bearer, &[("authorization", "Token mine")]);
        assert_eq!(headers, vec![("authorization".to_string(), "Token mine".to_string())]);
    }
}
