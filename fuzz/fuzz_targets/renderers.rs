//! The `renderers` fuzz target: the body is in `fuzz/bodies/renderers.rs`.
#![no_main]

#[path = "../bodies/renderers.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    body::run(data);
});
