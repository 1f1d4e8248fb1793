//! The process allocator of every Sightline binary: mimalloc; and SQLite's, once `main` calls
//! [`sqlite_allocates_through_mimalloc`].
//!
//! Linking this crate installs the allocator. mimalloc frees the many small allocations that
//! several threads make (requests, rows, triage, person records) without glibc's consolidation
//! passes, which had cost the HTTP workers a tenth of their time. By default it keeps freed
//! pages for a second before handing them back, so in a batch a stage that frees a lot and the
//! next that allocates a lot both count: a 100,000-record `sightline resolve` peaked at
//! 116 MiB, and at ~82 MiB with pages handed back at once, at the same speed (BENCHMARKS.md,
//! entity resolution). So `sightline resolve` and the resolve bench example call
//! [`return_freed_memory_at_once`] before they start. The server does not: with it, perf
//! showed its HTTP workers faulting pages in again (a couple of per cent of their samples),
//! for memory it would soon use again anyway.

mod sqlite;

pub use sqlite::sqlite_allocates_through_mimalloc;

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
    /// The option's value now.
    fn purge_delay() -> std::ffi::c_long {
        #[allow(unsafe_code)]
        // SAFETY: reading an option is a load from mimalloc's option table.
        unsafe {
            libmimalloc_sys::mi_option_get(super::PURGE_DELAY)
        }
    }

    #[test]
    fn the_call_takes_the_purge_delay_from_its_default_to_zero() {
        // 1,000 ms by default; a wrong option id would read (and set) some other option.
        assert_eq!(purge_delay(), 1000, "mimalloc's default (unless MIMALLOC_PURGE_DELAY is set)");
        super::return_freed_memory_at_once();
        assert_eq!(purge_delay(), 0);
    }
}
