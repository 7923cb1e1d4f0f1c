//! The `expressions` fuzz target: the body is in `fuzz/bodies/expressions.rs`.
#![no_main]

#[path = "../bodies/expressions.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    body::run(data);
});
