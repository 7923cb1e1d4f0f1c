//! The `suite` fuzz target: the body is in `fuzz/bodies/suite.rs`.
#![no_main]

#[path = "../bodies/suite.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    body::run(data);
});
