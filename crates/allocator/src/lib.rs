//! The process allocator of every Sightline binary: mimalloc, returning freed memory at once.
//!
//! Linking this crate installs the allocator; `sightline resolve` (and the resolve bench
//! example) call `return_freed_memory_at_once` before they start. mimalloc frees the many small allocations that several threads make
//! (requests, rows, triage, person records) without glibc's consolidation passes, which had
//! cost the HTTP workers a tenth of their time. By default, though, it keeps freed pages for a
//! while before handing them back, so a stage that frees a lot and the next that allocates a
//! lot both count: a 100,000-record `sightline resolve` peaked at 116 MiB, and at ~82 MiB with
//! pages handed back at once, at the same speed (BENCHMARKS.md, entity resolution). The server
//! keeps the delay: handing pages back and faulting them in again at every request cost its
//! HTTP workers several per cent under load.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (`mi_option_e` in `mimalloc.h`); the `-sys` crate does not
/// name it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Hand freed pages back to the system at once rather than after mimalloc's delay.
pub fn return_freed_memory_at_once() {
    #[allow(unsafe_code)]
    // SAFETY: `mi_option_set` stores an integer in mimalloc's option table, which is read when
    // memory is purged; any time is a valid time to set it. 0 means "no delay".
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_is_zero_after_the_call() {
        super::return_freed_memory_at_once();
        #[allow(unsafe_code)]
        // SAFETY: reading an option is a load from mimalloc's option table.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, 0);
    }
}
