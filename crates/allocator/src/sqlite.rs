//! SQLite's own memory (its page cache, statements, rows) from mimalloc, as the rest of the
//! process's, instead of the C library's malloc it uses by default.
//!
//! In perf of the intake under load, glibc's `malloc`, `free` and their consolidation passes
//! were about an eighth of the intake writer's samples, SQLite's b-tree inserts allocating and
//! freeing cells at every row.

use libmimalloc_sys::{mi_free, mi_good_size, mi_malloc, mi_realloc, mi_usable_size};
use rusqlite::ffi;
use std::ffi::{c_int, c_void};

/// Hands SQLite mimalloc's functions (`SQLITE_CONFIG_MALLOC`). SQLite takes them only before
/// it is first used, and its configuration must not race with another thread's use of SQLite,
/// so this does nothing unless it is the process's only thread (call it first thing in
/// `main`). True when SQLite took them; false otherwise (SQLite then keeps the C library's
/// malloc, which is only slower).
pub fn sqlite_allocates_through_mimalloc() -> bool {
    if !only_thread() {
        return false;
    }
    let methods = ffi::sqlite3_mem_methods {
        xMalloc: Some(malloc),
        xFree: Some(free),
        xRealloc: Some(realloc),
        xSize: Some(size),
        xRoundup: Some(roundup),
        xInit: Some(init),
        xShutdown: Some(shutdown),
        pAppData: std::ptr::null_mut(),
    };
    #[allow(unsafe_code)]
    // SAFETY: no other thread exists to use SQLite meanwhile (checked above); SQLite copies
    // `methods` before returning, and refuses (SQLITE_MISUSE) once it has been initialised; the
    // functions it points to live as long as the process.
    let rc = unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_MALLOC, &raw const methods) };
    rc == ffi::SQLITE_OK
}

/// Whether this process has one thread, by `/proc` (Linux); false where that cannot be read.
fn only_thread() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("Threads:").map(|n| n.trim() == "1")))
        .unwrap_or(false)
}

// SQLite's contract: `malloc` and `realloc` get sizes above 0, `free`, `realloc` and `size`
// pointers it got from them; 8-byte alignment (mimalloc's blocks are aligned to their size
// class, 8 bytes at least).

extern "C" fn malloc(n: c_int) -> *mut c_void {
    #[allow(unsafe_code)]
    // SAFETY: mi_malloc accepts any size and returns null when out of memory, as SQLite expects.
    unsafe {
        mi_malloc(usize::try_from(n).unwrap_or(0))
    }
}

extern "C" fn free(p: *mut c_void) {
    #[allow(unsafe_code)]
    // SAFETY: `p` came from `malloc` or `realloc` above (or is null, which mi_free ignores).
    unsafe {
        mi_free(p)
    }
}

extern "C" fn realloc(p: *mut c_void, n: c_int) -> *mut c_void {
    #[allow(unsafe_code)]
    // SAFETY: `p` came from `malloc` or `realloc` above; on failure mi_realloc returns null and
    // leaves `p` allocated, as SQLite expects.
    unsafe {
        mi_realloc(p, usize::try_from(n).unwrap_or(0))
    }
}

extern "C" fn size(p: *mut c_void) -> c_int {
    #[allow(unsafe_code)]
    // SAFETY: `p` came from `malloc` or `realloc` above (or is null: 0).
    let n = unsafe { mi_usable_size(p) };
    c_int::try_from(n).unwrap_or(c_int::MAX)
}

extern "C" fn roundup(n: c_int) -> c_int {
    #[allow(unsafe_code)]
    // SAFETY: mi_good_size only computes a size class.
    let n = unsafe { mi_good_size(usize::try_from(n).unwrap_or(0)) };
    c_int::try_from(n).unwrap_or(c_int::MAX)
}

extern "C" fn init(_: *mut c_void) -> c_int {
    ffi::SQLITE_OK
}

extern "C" fn shutdown(_: *mut c_void) {}
