//! What every public page shares: the language, its words, the path (for the language
//! switch) and whether crisis resources are shown prominently.

use super::cookies::cookie;
use super::i18n::{Lang, Text};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

pub struct Chrome {
    pub lang: Lang,
    pub t: &'static Text,
    pub path: String,
    pub crisis_prominent: bool,
}

impl Chrome {
    pub fn new(lang: Lang, path: &str) -> Chrome {
        Chrome { lang, t: lang.text(), path: path.to_owned(), crisis_prominent: false }
    }
}

/// The language named by `?lang=` in a query string, if any.
fn lang_in_query(query: Option<&str>) -> Option<Lang> {
    query.unwrap_or("").split('&').find_map(|kv| kv.strip_prefix("lang=")).and_then(Lang::parse)
}

/// The visitor's language: `?lang=` first, then the `sl_lang` cookie, then the browser's
/// `Accept-Language`, then English.
pub struct PageLang(pub Lang);

impl PageLang {
    /// The language of a request not yet taken apart (for middleware).
    pub fn from_query_or_cookie(req: &axum::extract::Request) -> Lang {
        lang_of(req.uri().query(), req.headers())
    }
}

fn lang_of(query: Option<&str>, headers: &axum::http::HeaderMap) -> Lang {
    let from_cookie = || cookie(headers, "sl_lang").and_then(|v| Lang::parse(&v));
    let from_browser = || {
        let header = headers.get(axum::http::header::ACCEPT_LANGUAGE)?.to_str().ok()?;
        preferred(header)
    };
    lang_in_query(query).or_else(from_cookie).or_else(from_browser).unwrap_or(Lang::En)
}

/// The language among ours the browser prefers most (`Accept-Language: es-MX,es;q=0.9,en;q=0.8`).
fn preferred(accept_language: &str) -> Option<Lang> {
    accept_language
        .split(',')
        .enumerate()
        .filter_map(|(i, item)| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q =
                parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            let lang = Lang::parse(tag.split('-').next()?.to_ascii_lowercase().as_str())?;
            // Ties go to the one named first.
            (q > 0.0).then_some((q, std::cmp::Reverse(i), lang))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        .map(|(_, _, lang)| lang)
}

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PageLang(lang_of(parts.uri.query(), &parts.headers)))
    }
}

/// Remembers the language choice for a year (not a tracking cookie: only "en" or "es"; not
/// `Secure` either, since it is no secret and must survive plain-HTTP deployments).
pub fn lang_cookie(lang: Lang) -> (axum::http::HeaderName, String) {
    (axum::http::header::SET_COOKIE, format!("sl_lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code()))
}

/// Remembers a language chosen with `?lang=` on any page.
pub async fn remember_lang(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let chosen = lang_in_query(req.uri().query());
    let mut resp = next.run(req).await;
    if let Some(lang) = chosen {
        let (k, v) = lang_cookie(lang);
        if let Ok(v) = v.parse() {
            resp.headers_mut().append(k, v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_browsers_language() {
        let got: Vec<Option<&str>> =
            ["es-MX,es;q=0.9,en;q=0.8", "en-US,en;q=0.9,es;q=0.5", "fr-FR,fr;q=0.9", "fr,es;q=0.2", "es;q=0", ""]
                .iter()
                .map(|h| super::preferred(h).map(|l| l.code()))
                .collect();
        assert_eq!(got, [Some("es"), Some("en"), None, Some("es"), None, None]);
    }
}
