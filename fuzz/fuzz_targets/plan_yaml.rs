#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kaplan_fuzz::plan_yaml(data));
