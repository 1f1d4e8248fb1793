//! API integration tests: the real server on port 0, a real database (SQLite, and
//! PostgreSQL when `SIGHTLINE_TEST_PG_URL` is set), a manual clock, and a real webhook
//! receiver on loopback standing in for agencies' paging systems.

mod access;
mod account;
mod connections;
mod escalation;
mod form;
mod helpers;
mod intake;
mod lifecycle;
mod pages;
mod people;
mod routes;
mod sealed;
mod second_review;
mod security;
mod tipster;
mod wall;
