#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    oauth_console::fuzzing::sealed_form(data);
});
