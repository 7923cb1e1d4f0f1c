//! The `openapi` fuzz target: the body is in `fuzz/bodies/openapi.rs`.
#![no_main]

#[path = "../bodies/openapi.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    body::run(data);
});
