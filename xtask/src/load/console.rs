//! Signs a staff user in to the HTML console the way a person does — password, then setting up
//! the authenticator app from the key the page shows — so the load run can time the queue page
//! itself, not only the API.

use anyhow::{Context, bail};

/// A signed-in console session: the cookie header to send with page requests.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
}

/// The value of the first `name="{name}" value="…"` in `html`.
fn form_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    Some(html[at..].split('"').next()?.to_owned())
}

/// The text of the element with `id="{id}"`.
fn element_text(html: &str, id: &str) -> Option<String> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let open = start + html[start..].find('>')? + 1;
    let close = open + html[open..].find('<')?;
    Some(html[open..close].trim().to_owned())
}

/// Password sign-in, then first-time second-factor setup with a code computed from the key
/// on the setup page. `password` is the one `sightline user add` printed.
pub async fn sign_in(url: &str, email: &str, password: &str) -> anyhow::Result<Session> {
    let client = crate::serve::client_builder(1, std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let r = client
        .post(format!("{url}/staff/login"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .context("POST /staff/login")?;
    let set = r
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .with_context(|| format!("sign-in answered {} without a session cookie", r.status()))?;
    let cookie = set.split(';').next().unwrap_or_default().to_owned();
    let page = client
        .get(format!("{url}/staff/mfa/setup"))
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await?
        .text()
        .await?;
    let (Some(csrf), Some(sealed), Some(key)) =
        (form_value(&page, "csrf"), form_value(&page, "sealed"), element_text(&page, "totp-secret"))
    else {
        bail!("the second-factor setup page has no key to set up");
    };
    let secret = totp_rs::Secret::Encoded(key.replace(' ', "")).to_bytes().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let code = totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, secret, None, String::new())
        .generate_current()?;
    let r = client
        .post(format!("{url}/staff/mfa/setup"))
        .header(reqwest::header::COOKIE, &cookie)
        .form(&[("csrf", csrf.as_str()), ("sealed", sealed.as_str()), ("code", code.as_str())])
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "second-factor setup answered {}", r.status());
    // A new account's password was chosen by the operator: the console asks for the user's own.
    let page = client
        .get(format!("{url}/staff/password"))
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await?
        .text()
        .await?;
    let csrf = form_value(&page, "csrf").context("the password page has no form")?;
    let own = format!("{password} and more");
    let r = client
        .post(format!("{url}/staff/password"))
        .header(reqwest::header::COOKIE, &cookie)
        .form(&[("csrf", csrf.as_str()), ("current", password), ("password", own.as_str()), ("confirm", own.as_str())])
        .send()
        .await?;
    anyhow::ensure!(r.status().is_redirection(), "changing the first password answered {}", r.status());
    let queue = client.get(format!("{url}/staff")).header(reqwest::header::COOKIE, &cookie).send().await?;
    anyhow::ensure!(queue.status().is_success(), "the queue page answered {} after sign-in", queue.status());
    Ok(Session { cookie })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_form_values_and_element_text() {
        let html =
            r#"<input type="hidden" name="csrf" value="abc"><p>Key: <code id="totp-secret"> JBSW Y3DP </code></p>"#;
        assert_eq!(form_value(html, "csrf").as_deref(), Some("abc"));
        assert_eq!(form_value(html, "sealed"), None);
        assert_eq!(element_text(html, "totp-secret").as_deref(), Some("JBSW Y3DP"));
    }
}
