//! Abuse control without identifying anyone, set per route: a handler that is limited takes a
//! [`Limited`] extractor naming its limit, so the route and its limit are read in one place.
//! Clients are counted by a hash of their address under a random salt that lives only in
//! memory and is replaced every hour (`app::limiter`): nothing is written anywhere, and
//! yesterday's keys match nobody today. Passphrase guessing is limited per reference, whoever
//! tries (`app::tipster`).

use crate::error::ApiError;
use crate::state::AppState;
use app::limiter::Limit;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use std::marker::PhantomData;
use std::net::IpAddr;

/// A route's limit per client, and how its refusal is answered.
pub trait RouteLimit: Send + Sync + 'static {
    const LIMIT: Limit;
    /// A JSON error body (the API) or a page's plain words (the HTML forms).
    const JSON: bool;
}

/// New tips through the API.
pub struct FileTipApi;
/// New tips through the form.
pub struct FileTipForm;
/// Follow-up sign-ins through the API.
pub struct TipsterSignInApi;
/// Follow-up sign-ins through the form.
pub struct TipsterSignInForm;
/// Staff password sign-ins.
pub struct StaffSignIn;

impl RouteLimit for FileTipApi {
    const LIMIT: Limit = app::limiter::FILE_TIP;
    const JSON: bool = true;
}
impl RouteLimit for FileTipForm {
    const LIMIT: Limit = app::limiter::FILE_TIP;
    const JSON: bool = false;
}
impl RouteLimit for TipsterSignInApi {
    const LIMIT: Limit = app::limiter::SIGN_IN;
    const JSON: bool = true;
}
impl RouteLimit for TipsterSignInForm {
    const LIMIT: Limit = app::limiter::SIGN_IN;
    const JSON: bool = false;
}
impl RouteLimit for StaffSignIn {
    const LIMIT: Limit = app::limiter::STAFF_SIGN_IN;
    const JSON: bool = false;
}

/// Counts this request against `L` for its client, or refuses it with 429 before the body is
/// read. A request from this machine (loopback) is not counted.
pub struct Limited<L>(PhantomData<L>);

impl<L: RouteLimit> FromRequestParts<AppState> for Limited<L> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<crate::tls::ClientAddr>>().map(|c| c.0.0.ip());
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().map(|v| v.to_str().unwrap_or(""));
        if let Some(key) = client(peer, forwarded, state.http().trusted_proxy_hops)
            && !state.limiter.allow(L::LIMIT, key.bucket().as_bytes(), state.now())
        {
            return Err(too_many(L::JSON));
        }
        Ok(Limited(PhantomData))
    }
}

/// Whom a request comes from, as the limits count it (`this-machine` for a loopback peer): for
/// use cases that count per client themselves (staff sign-in failures). Never stored as is.
pub struct ClientBucket(pub String);

impl FromRequestParts<AppState> for ClientBucket {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<crate::tls::ClientAddr>>().map(|c| c.0.0.ip());
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().map(|v| v.to_str().unwrap_or(""));
        let who = client(peer, forwarded, state.http().trusted_proxy_hops);
        Ok(ClientBucket(who.map_or_else(|| "this-machine".to_owned(), |c| c.bucket())))
    }
}

/// Whom a request is counted against.
#[derive(Debug, PartialEq, Eq)]
enum Client {
    /// An IPv4 address, or the /64 network of an IPv6 one (one subscriber's whole range).
    Address(IpAddr),
    /// A forwarded address that is missing or does not parse: all such requests share one
    /// budget, so garbage in the header buys nobody a fresh one.
    Unknown,
}

impl Client {
    fn bucket(&self) -> String {
        match self {
            Client::Address(ip) => ip.to_string(),
            Client::Unknown => "unparseable".into(),
        }
    }
}

/// Whom to count: with `hops` trusted proxies in front, the address the outermost of them
/// appended to `X-Forwarded-For` (the `hops`-th entry from the right: the entries left of it
/// are the client's own words); without, the peer. A loopback peer with no proxy trusted is
/// this machine and is not counted. Used only as limiter input, never stored or logged.
fn client<'a>(peer: Option<IpAddr>, forwarded: impl Iterator<Item = &'a str>, hops: u8) -> Option<Client> {
    if hops == 0 {
        // A loopback peer is this machine: the operator, a local tool, or a local proxy (which
        // should be run with `--trust-proxy` so clients are told apart).
        return peer.filter(|ip| !ip.is_loopback()).map(|ip| Client::Address(normalise(ip)));
    }
    let entries: Vec<&str> = forwarded.flat_map(|v| v.split(',')).map(str::trim).filter(|e| !e.is_empty()).collect();
    if entries.is_empty() {
        // Not through the proxy at all: the peer is the client.
        return peer.filter(|ip| !ip.is_loopback()).map(|ip| Client::Address(normalise(ip)));
    }
    let Some(entry) = entries.len().checked_sub(usize::from(hops)).map(|i| entries[i]) else {
        return Some(Client::Unknown);
    };
    Some(parse_entry(entry).map_or(Client::Unknown, |ip| Client::Address(normalise(ip))))
}

/// An address as proxies write it: bare, with a port, or bracketed IPv6 with a port.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| entry.strip_prefix('[').and_then(|e| e.strip_suffix(']')).and_then(|e| e.parse().ok()))
}

/// One client, one key: IPv4-mapped IPv6 is the IPv4 address, and IPv6 counts by /64.
fn normalise(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut s = v6.segments();
                s[4..].fill(0);
                IpAddr::V6(std::net::Ipv6Addr::from(s))
            }
        },
    }
}

pub fn too_many(json: bool) -> Response {
    if json {
        ApiError::App(app::AppError::TooMany).into_response()
    } else {
        (
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "Too many attempts. Wait a few minutes and try again. If someone is in danger now, call 911.",
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whom_a_request_counts_against() {
        let peer: Option<IpAddr> = Some("192.0.2.7".parse().unwrap());
        let local: Option<IpAddr> = Some("127.0.0.1".parse().unwrap());
        let cases: &[(&str, Option<IpAddr>, &[&str], u8)] = &[
            ("no proxy: the peer", peer, &["198.51.100.1"], 0),
            ("no proxy, loopback", local, &[], 0),
            ("one hop: the rightmost", local, &["6.6.6.6, 198.51.100.1"], 1),
            ("one hop, rotating first entry", local, &["7.7.7.7, 198.51.100.1"], 1),
            ("two hops", local, &["6.6.6.6, 198.51.100.1, 10.0.0.2"], 2),
            ("two headers", local, &["6.6.6.6", "198.51.100.1"], 1),
            ("fewer entries than hops", local, &["198.51.100.1"], 2),
            ("unknown", local, &["unknown"], 1),
            ("garbage", local, &["<script>"], 1),
            ("mapped IPv4", local, &["::ffff:198.51.100.1"], 1),
            ("with a port", local, &["198.51.100.1:4711"], 1),
            ("IPv6 with a port", local, &["[2001:db8:1:2:3:4:5:6]:443"], 1),
            ("IPv6 by /64", local, &["2001:db8:1:2:ffff::9"], 1),
            ("not through the proxy", peer, &[], 1),
        ];
        let mut out = String::new();
        for (name, peer, headers, hops) in cases {
            let who = client(*peer, headers.iter().copied(), *hops);
            out.push_str(&format!("{name}: {}\n", who.map_or("not counted".into(), |c| c.bucket())));
        }
        expect_test::expect![[r#"
            no proxy: the peer: 192.0.2.7
            no proxy, loopback: not counted
            one hop: the rightmost: 198.51.100.1
            one hop, rotating first entry: 198.51.100.1
            two hops: 198.51.100.1
            two headers: 198.51.100.1
            fewer entries than hops: unparseable
            unknown: unparseable
            garbage: unparseable
            mapped IPv4: 198.51.100.1
            with a port: 198.51.100.1
            IPv6 with a port: 2001:db8:1:2::
            IPv6 by /64: 2001:db8:1:2::
            not through the proxy: 192.0.2.7
        "#]]
        .assert_eq(&out);
    }
}
