//! JSON Pointer (RFC 6901) lookups that allocate nothing for the usual token.
//!
//! `serde_json::Value::pointer` unescapes every token with two `String::replace`s, so each
//! lookup allocates two strings per level. Resolving references and translating the schemas
//! of a large description does hundreds of thousands of lookups (GitHub's description: a
//! third of `konform check` went there), so these read each token in place and allocate
//! only for one holding `~`. They answer exactly what `Value::pointer` answers, including
//! its refusal of array indexes written `+1` or `01` (a test compares the two).

use std::borrow::Cow;

use serde_json::Value;

/// A pointer token, unescaped as RFC 6901 says (`~1` is `/`, then `~0` is `~`).
fn token(raw: &str) -> Cow<'_, str> {
    if raw.contains('~') {
        Cow::Owned(raw.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(raw)
    }
}

/// An array index as `Value::pointer` reads it: digits only, no sign, no leading zero.
fn index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// The value at `pointer` in `value`, as `Value::pointer` finds it.
pub fn get<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(value, |target, raw| match target {
        Value::Object(map) => map.get(token(raw).as_ref()),
        Value::Array(items) => index(&token(raw)).and_then(|i| items.get(i)),
        _ => None,
    })
}

/// The value at `pointer` in `value`, mutably, as `Value::pointer_mut` finds it.
pub fn get_mut<'a>(value: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(value, |target, raw| match target {
        Value::Object(map) => map.get_mut(token(raw).as_ref()),
        Value::Array(items) => index(&token(raw)).and_then(move |i| items.get_mut(i)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn finds_what_serde_json_finds() {
        let mut doc = json!({
            "a/b": { "c~d": [10, { "e": null }] },
            "": { "": 1 },
            "~01": 2,
            "list": [0, 1, 2],
            "s": "text"
        });
        for p in [
            "",
            "/",
            "//",
            "/a~1b",
            "/a~1b/c~0d",
            "/a~1b/c~0d/1/e",
            "/a~1b/c~0d/0",
            "/~01",
            "/~1",
            "/list/0",
            "/list/2",
            "/list/3",
            "/list/01",
            "/list/+1",
            "/list/-",
            "/list/ 1",
            "/s/0",
            "/missing",
            "a",
            "/a~1b/c~d",
        ] {
            assert_eq!(super::get(&doc, p), doc.pointer(p), "{p:?}");
            let expected = doc.clone().pointer_mut(p).cloned();
            assert_eq!(super::get_mut(&mut doc, p).cloned(), expected, "{p:?}");
        }
    }
}
