//! The tipster's pages: the tip form, the receipt, and follow-up. All work without JavaScript.

use super::chrome::{Chrome, PageLang};
use super::cookies::{cookie, session_cookie};
use super::i18n::{Lang, field_label, status_words};
use super::render;
use super::upload;
use crate::abuse::{FileTipForm, Limited, TipsterSignInForm};
use crate::state::AppState;
use crate::views::request::{ContactRequest, LocationRequest, SubjectRequest, TipRequest};
use app::AppError;
use app::intake;
use askama::Template;
use axum::extract::{Form, Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::tip::{Category, NewTip};
use domain::urgency::Tier;
use serde::Deserialize;
use store::model::Site;

/// A field's error as the form shows it.
pub struct ShownError {
    pub field: String,
    pub label: &'static str,
    pub reason: String,
}

/// The form's values, kept when it is shown again with errors.
#[derive(Default)]
pub struct TipForm {
    /// A one-time token of this form, sent back with it: a reload of the receipt (the browser
    /// posting the same form again) gets the same receipt, never a second tip.
    pub submission: String,
    pub category: String,
    pub narrative: String,
    pub site_id: String,
    pub site_name: String,
    pub location_text: String,
    pub subject_name: String,
    pub subject_age: String,
    pub subject_school: String,
    pub subject_handles: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub error_fields: Vec<String>,
}

impl TipForm {
    pub fn is_category(&self, code: &str) -> bool {
        self.category == code
    }
    pub fn is_site(&self, id: &i64) -> bool {
        self.site_id == id.to_string()
    }
    pub fn has_error(&self, field: &str) -> bool {
        self.error_fields.iter().any(|f| f == field)
    }
}

#[derive(Template)]
#[template(path = "public/form.html")]
struct FormPage {
    chrome: Chrome,
    sites: Vec<Site>,
    form: TipForm,
    errors: Vec<ShownError>,
}

#[derive(Template)]
#[template(path = "public/receipt.html")]
struct ReceiptPage {
    chrome: Chrome,
    reference: String,
    passphrase: String,
    save_text: String,
}

pub async fn form(State(state): State<AppState>, PageLang(lang): PageLang) -> Response {
    let sites = match app::intake::registered_sites(&state).await {
        Ok(s) => s,
        Err(e) => return super::failure::public(e, lang),
    };
    let page = FormPage {
        chrome: Chrome::new(lang, "/"),
        sites,
        // No category chosen for the tipster: they say what it is about.
        form: TipForm { submission: vault::secrets::new_token("form"), ..TipForm::default() },
        errors: vec![],
    };
    render(StatusCode::OK, &page)
}

fn form_values(d: &upload::FormData) -> TipForm {
    TipForm {
        submission: d.get("submission").to_owned(),
        category: d.get("category").to_owned(),
        narrative: d.get("narrative").to_owned(),
        site_id: d.get("site_id").to_owned(),
        site_name: d.get("site_name").to_owned(),
        location_text: d.get("location_text").to_owned(),
        subject_name: d.get("subject_name").to_owned(),
        subject_age: d.get("subject_age").to_owned(),
        subject_school: d.get("subject_school").to_owned(),
        subject_handles: d.get("subject_handles").to_owned(),
        contact_name: d.get("contact_name").to_owned(),
        contact_phone: d.get("contact_phone").to_owned(),
        contact_email: d.get("contact_email").to_owned(),
        error_fields: vec![],
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The form's fields as the API's request, so both go through one parser.
fn as_request(f: &TipForm, lang: Lang) -> Result<TipRequest, domain::FieldError> {
    let site_id = match f.site_id.trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| domain::FieldError::new("site_id", "is not a registered site"))?),
    };
    let age = match f.subject_age.trim() {
        "" => None,
        a => Some(a.parse::<i64>().map_err(|_| domain::FieldError::new("subjects[0].age", "must be a number"))?),
    };
    let handles: Vec<String> = f.subject_handles.split([',', ' ']).filter_map(opt).collect();
    let subject = SubjectRequest {
        name: opt(&f.subject_name),
        age,
        school: opt(&f.subject_school),
        handles,
        ..SubjectRequest::default()
    };
    let contact =
        ContactRequest { name: opt(&f.contact_name), phone: opt(&f.contact_phone), email: opt(&f.contact_email) };
    Ok(TipRequest {
        category: f.category.clone(),
        narrative: f.narrative.clone(),
        language: Some(lang.code().to_owned()),
        location: opt(&f.location_text).map(|text| LocationRequest { lat: None, lon: None, text: Some(text) }),
        site_id,
        subjects: vec![subject],
        contact: Some(contact),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    _: Limited<FileTipForm>,
    PageLang(lang): PageLang,
    multipart: Multipart,
) -> Response {
    let data = match upload::read(multipart, domain::tip::Author::Tipster).await {
        Ok(d) => d,
        Err(e) => return super::failure::public(e, lang),
    };
    let lang = Lang::parse(data.get("lang")).unwrap_or(lang);
    let mut values = form_values(&data);
    let show_errors = |state: AppState, mut values: TipForm, errors: Vec<ShownError>| async move {
        values.error_fields = errors.iter().map(|e| e.field.clone()).collect();
        let sites = match app::intake::registered_sites(&state).await {
            Ok(s) => s,
            Err(e) => return super::failure::public(e, lang),
        };
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage { chrome: Chrome::new(lang, "/"), sites, form: values, errors },
        )
    };
    if !data.refused.is_empty() {
        let errors = data
            .refused
            .iter()
            .map(|r| ShownError {
                field: "attachments".into(),
                label: field_label(lang, "attachments"),
                reason: r.clone(),
            })
            .collect();
        return show_errors(state, values, errors).await;
    }
    // A site found by typing its name counts as chosen; an unknown name is kept as the place.
    if values.site_id.trim().is_empty() && !values.site_name.trim().is_empty() {
        let typed = values.site_name.trim().to_lowercase();
        let sites = match app::intake::registered_sites(&state).await {
            Ok(s) => s,
            Err(e) => return super::failure::public(e, lang),
        };
        match sites.iter().find(|s| s.name.to_lowercase() == typed) {
            Some(site) => values.site_id = site.id.to_string(),
            None if values.location_text.trim().is_empty() => values.location_text = values.site_name.trim().to_owned(),
            None => {}
        }
    }
    let parsed = as_request(&values, lang).and_then(NewTip::try_from);
    let tip = match parsed {
        Ok(t) => t,
        Err(e) => {
            let label = field_label(lang, &e.field);
            return show_errors(state, values, vec![ShownError { field: e.field, label, reason: e.reason }]).await;
        }
    };
    let category = tip.category;
    let idem = submission(&values, &data.files);
    let filed = match intake::file_tip(&state, tip.clone(), &data.files, idem.clone()).await {
        // The same form sent again with other words (back, edit, send): a new tip, not a replay.
        Err(AppError::Conflict(_)) if idem.is_some() => intake::file_tip(&state, tip, &data.files, None).await,
        other => other,
    };
    match filed {
        Ok(receipt) => {
            let t = lang.text();
            let mut chrome = Chrome::new(lang, "/");
            chrome.crisis_prominent = category == Category::SelfHarm || receipt.tier == Tier::LifeSafety;
            let text = format!(
                "Sightline\n{}: {}\n{}: {}\n{}\n",
                t.reference, receipt.reference, t.passphrase, receipt.passphrase, t.next_steps
            );
            let page = ReceiptPage {
                chrome,
                reference: receipt.reference,
                passphrase: receipt.passphrase,
                save_text: percent_encode(&text),
            };
            render(StatusCode::OK, &page)
        }
        Err(AppError::Invalid(e)) => {
            let label = field_label(lang, &e.field);
            values.narrative = values.narrative.trim().to_owned();
            show_errors(state, values, vec![ShownError { field: e.field, label, reason: e.reason }]).await
        }
        Err(e) => super::failure::public(e, lang),
    }
}

/// The form's one-time token as the idempotency key, with a hash of everything sent (the
/// fields and the files), so only the very same submission is a replay.
fn submission(values: &TipForm, files: &[store::model::NewAttachment]) -> Option<intake::Idempotency> {
    let key = values.submission.trim();
    if key.is_empty() || key.len() > 200 {
        return None;
    }
    let mut text = String::new();
    for field in [
        &values.category,
        &values.narrative,
        &values.site_id,
        &values.site_name,
        &values.location_text,
        &values.subject_name,
        &values.subject_age,
        &values.subject_school,
        &values.subject_handles,
        &values.contact_name,
        &values.contact_phone,
        &values.contact_email,
    ] {
        text.push_str(&format!("{}:{field}\n", field.len()));
    }
    for f in files {
        text.push_str(&format!("file:{}\n", f.sha256));
    }
    Some(intake::Idempotency { key: key.to_owned(), request_hash: vault::secrets::sha256_hex(text.as_bytes()) })
}

/// Percent-encodes for a `data:` URL.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "public/followup_login.html")]
struct FollowUpLogin {
    chrome: Chrome,
    failed: bool,
    /// The browser did not keep the sign-in cookie (plain HTTP on a real host name).
    cookie_refused: bool,
}

pub async fn follow_up_form(PageLang(lang): PageLang) -> Response {
    render(
        StatusCode::OK,
        &FollowUpLogin { chrome: Chrome::new(lang, "/follow-up"), failed: false, cookie_refused: false },
    )
}

#[derive(Deserialize)]
pub struct SignIn {
    reference: String,
    passphrase: String,
}

pub(super) const TIPSTER_COOKIE: &str = "sl_tipster";

pub async fn follow_up_sign_in(
    State(state): State<AppState>,
    _: Limited<TipsterSignInForm>,
    PageLang(lang): PageLang,
    Form(f): Form<SignIn>,
) -> Response {
    match app::tipster::open_session(&state, &f.reference, &f.passphrase).await {
        Ok(token) => {
            let max_age = state.options.tipster_session_ms / 1000;
            (
                [(header::SET_COOKIE, session_cookie(TIPSTER_COOKIE, &token, "/follow-up", max_age))],
                // The mark tells the next page the cookie was just set: if it is missing there,
                // the browser refused it, and the tipster is told why rather than sent round.
                Redirect::to(&format!("/follow-up/tip?lang={}&signed_in=1", lang.code())),
            )
                .into_response()
        }
        Err(AppError::Unauthorized) => render(
            StatusCode::UNAUTHORIZED,
            &FollowUpLogin { chrome: Chrome::new(lang, "/follow-up"), failed: true, cookie_refused: false },
        ),
        Err(e) => super::failure::public(e, lang),
    }
}

pub struct ShownMessage {
    pub from: &'static str,
    pub who: &'static str,
    pub body: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "public/followup_tip.html")]
struct FollowUpTip {
    chrome: Chrome,
    reference: String,
    status: &'static str,
    messages: Vec<ShownMessage>,
    sent: bool,
    errors: Vec<ShownError>,
}

/// The tip of the tipster's session cookie: none without a valid one, an error page when the
/// session cannot be read.
async fn tipster_tip(state: &AppState, headers: &HeaderMap, lang: Lang) -> Result<Option<i64>, Response> {
    let Some(token) = cookie(headers, TIPSTER_COOKIE) else { return Ok(None) };
    app::tipster::session_tip(state, &token).await.map_err(|e| super::failure::public(e, lang))
}

#[derive(Deserialize)]
pub struct Sent {
    sent: Option<String>,
    signed_in: Option<String>,
}

async fn show_tip(
    state: &AppState,
    lang: Lang,
    tip_id: i64,
    sent: bool,
    errors: Vec<ShownError>,
    status: StatusCode,
) -> Response {
    let v = match app::tipster::view(state, tip_id).await {
        Ok(v) => v,
        Err(e) => return super::failure::public(e, lang),
    };
    let t = lang.text();
    let messages = v
        .messages
        .into_iter()
        .map(|m| {
            let staff = m.from == app::tipster::From::Staff;
            ShownMessage {
                from: if staff { "staff" } else { "you" },
                who: if staff { t.from_staff } else { t.from_you },
                body: m.body,
                at: domain::time::rfc3339(m.at),
            }
        })
        .collect();
    let page = FollowUpTip {
        chrome: Chrome::new(lang, "/follow-up/tip"),
        reference: v.reference,
        status: status_words(lang, v.status),
        messages,
        sent,
        errors,
    };
    render(status, &page)
}

pub async fn follow_up_tip(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Query(q): Query<Sent>,
) -> Response {
    let tip_id = match tipster_tip(&state, &headers, lang).await {
        Ok(Some(tip)) => tip,
        Ok(None) if q.signed_in.is_some() => {
            let page = FollowUpLogin { chrome: Chrome::new(lang, "/follow-up"), failed: false, cookie_refused: true };
            return render(StatusCode::OK, &page);
        }
        Ok(None) => return Redirect::to(&format!("/follow-up?lang={}", lang.code())).into_response(),
        Err(page) => return page,
    };
    show_tip(&state, lang, tip_id, q.sent.is_some(), vec![], StatusCode::OK).await
}

pub async fn follow_up_message(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let tip_id = match tipster_tip(&state, &headers, lang).await {
        Ok(Some(tip)) => tip,
        Ok(None) => return Redirect::to(&format!("/follow-up?lang={}", lang.code())).into_response(),
        Err(page) => return page,
    };
    let data = match upload::read(multipart, domain::tip::Author::Tipster).await {
        Ok(d) => d,
        Err(e) => return super::failure::public(e, lang),
    };
    let error =
        |field: &str, reason: String| ShownError { field: field.into(), label: field_label(lang, field), reason };
    if !data.refused.is_empty() {
        let errors = data.refused.iter().map(|r| error("attachments", r.clone())).collect();
        return show_tip(&state, lang, tip_id, false, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let body = opt(data.get("body"));
    if body.is_none() && data.files.is_empty() {
        let errors = vec![error("body", lang.text().fix_errors.into())];
        return show_tip(&state, lang, tip_id, false, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match app::tipster::add_message(&state, tip_id, body, data.files).await {
        Ok(()) => Redirect::to(&format!("/follow-up/tip?lang={}&sent=1", lang.code())).into_response(),
        Err(AppError::Invalid(e)) => {
            show_tip(&state, lang, tip_id, false, vec![error("body", e.reason)], StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => super::failure::public(e, lang),
    }
}

pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/", get(form))
        .route("/tips", post(submit))
        .route("/follow-up", get(follow_up_form).post(follow_up_sign_in))
        .route("/follow-up/tip", get(follow_up_tip))
        .route("/follow-up/messages", post(follow_up_message))
        .route("/follow-up/sign-out", post(super::leave::sign_out))
        .route("/leave", get(super::leave::quick_exit))
}
