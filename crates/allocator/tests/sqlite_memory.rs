//! SQLite allocates through mimalloc once told to, first thing in a one-thread process; and
//! works as before. Without the test harness: it runs tests on threads of its own, and the
//! call refuses to configure SQLite while other threads exist.

use rusqlite::ffi;

fn main() {
    assert!(allocator::sqlite_allocates_through_mimalloc(), "one thread, SQLite not yet used: it takes mimalloc");
    let conn = rusqlite::Connection::open_in_memory().expect("open");
    conn.execute_batch(
        "CREATE TABLE t (x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
         INSERT INTO t SELECT hex(randomblob(64)) FROM n;",
    )
    .expect("write");
    let rows: i64 = conn.query_row("SELECT count(*) FROM t WHERE length(x) = 128", [], |r| r.get(0)).expect("read");
    assert_eq!(rows, 2000);
    #[allow(unsafe_code)]
    // SAFETY: sqlite3_malloc returns memory from SQLite's allocator or null; it is freed below
    // through SQLite; mi_is_in_heap_region only compares the address with mimalloc's regions.
    let (from_mimalloc, on_stack) = unsafe {
        let p = ffi::sqlite3_malloc(100);
        assert!(!p.is_null());
        let local = 0u8;
        let answers = (
            libmimalloc_sys::mi_is_in_heap_region(p.cast_const()),
            libmimalloc_sys::mi_is_in_heap_region((&raw const local).cast()),
        );
        ffi::sqlite3_free(p);
        answers
    };
    assert!(from_mimalloc, "SQLite's memory comes from mimalloc");
    assert!(!on_stack, "the check tells mimalloc's memory from other memory");
    // Once SQLite is in use, or with a second thread, it is left as it is.
    assert!(!allocator::sqlite_allocates_through_mimalloc(), "SQLite refuses once initialised");
    let refused = std::thread::spawn(allocator::sqlite_allocates_through_mimalloc).join().expect("thread");
    assert!(!refused, "never with another thread alive");
    println!("sqlite_memory: ok");
}
