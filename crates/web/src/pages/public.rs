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
#[derive(Default, Clone)]
pub struct TipForm {
    /// A one-time token of this form, sent back with it: a reload of the receipt (the browser
    /// posting the same form again) gets the same receipt, never a second tip.
    pub submission: String,
    pub category: String,
    pub narrative: String,
    pub site_id: String,
    pub site_name: String,
    /// The place chosen among several that fit what was typed (`none`: none of them).
    pub site_choice: String,
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
    /// Registered places that fit what was typed equally well, to choose from.
    site_choices: Vec<Site>,
}

#[derive(Template)]
#[template(path = "public/receipt.html")]
struct ReceiptPage {
    chrome: Chrome,
    reference: String,
    passphrase: String,
    save_text: String,
    /// No registered place matched what was typed: who reads the tip all the same.
    unmatched_place: Option<String>,
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
        site_choices: vec![],
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
        site_choice: d.get("site_choice").to_owned(),
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
    let show_errors = |state: AppState, mut values: TipForm, errors: Vec<ShownError>, choices: Vec<i64>| async move {
        values.error_fields = errors.iter().map(|e| e.field.clone()).collect();
        let sites = match app::intake::registered_sites(&state).await {
            Ok(s) => s,
            Err(e) => return super::failure::public(e, lang),
        };
        let site_choices = choices.iter().filter_map(|id| sites.iter().find(|s| s.id == *id).cloned()).collect();
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage { chrome: Chrome::new(lang, "/"), sites, form: values, errors, site_choices },
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
        return show_errors(state, values, errors, vec![]).await;
    }
    let mut unmatched_place = None;
    match place(&state, &mut values).await {
        Ok(Place::Settled) => {}
        Ok(Place::Unmatched(typed)) => unmatched_place = Some(typed),
        Ok(Place::Choose(ids)) => {
            let t = lang.text();
            let error = ShownError { field: "site_name".into(), label: t.site_search, reason: t.site_several.into() };
            return show_errors(state, values, vec![error], ids).await;
        }
        Err(e) => return super::failure::public(e, lang),
    }
    let tip = match as_request(&values, lang).and_then(NewTip::try_from) {
        Ok(t) => t,
        Err(_) => {
            let errors = every_error(&values, lang);
            return show_errors(state, values, errors, vec![]).await;
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
            let unmatched_place = match unmatched_place {
                None => None,
                Some(typed) => Some(unmatched_notice(&state, lang, &typed).await),
            };
            let page = ReceiptPage {
                chrome,
                reference: receipt.reference,
                passphrase: receipt.passphrase,
                save_text: percent_encode(&text),
                unmatched_place,
            };
            render(StatusCode::OK, &page)
        }
        Err(AppError::Invalid(e)) => {
            values.narrative = values.narrative.trim().to_owned();
            show_errors(state, values, vec![shown(lang, e)], vec![]).await
        }
        Err(e) => super::failure::public(e, lang),
    }
}

/// A field error as the form shows it: the field's label and the reason in the tipster's language.
fn shown(lang: Lang, e: domain::FieldError) -> ShownError {
    let reason = super::i18n::reason(lang, &e.field, &e.reason);
    ShownError { label: field_label(lang, &e.field), field: e.field, reason }
}

/// Every field error of the form at once, not only the first: each error's field is set aside
/// (left empty, or a valid stand-in) and the form parsed again, until it parses.
fn every_error(values: &TipForm, lang: Lang) -> Vec<ShownError> {
    let mut scratch = values.clone();
    let mut errors: Vec<ShownError> = Vec::new();
    for _ in 0..12 {
        let Err(e) = as_request(&scratch, lang).and_then(NewTip::try_from) else { break };
        if errors.iter().any(|x| x.field == e.field) || !set_aside(&mut scratch, &e.field) {
            errors.push(shown(lang, e));
            break;
        }
        errors.push(shown(lang, e));
    }
    errors
}

/// Makes one field of the form valid for [`every_error`]; false for a field it does not know.
fn set_aside(f: &mut TipForm, field: &str) -> bool {
    match field {
        "category" => f.category = Category::Other.code().into(),
        "narrative" => f.narrative = "set aside".into(),
        "site_id" => f.site_id.clear(),
        "location" | "location.text" | "location_text" => f.location_text.clear(),
        x if x.starts_with("subjects") => {
            for v in [&mut f.subject_name, &mut f.subject_age, &mut f.subject_school, &mut f.subject_handles] {
                v.clear();
            }
        }
        x if x.starts_with("contact") => {
            for v in [&mut f.contact_name, &mut f.contact_phone, &mut f.contact_email] {
                v.clear();
            }
        }
        _ => return false,
    }
    true
}

/// Where a tip from the form happened, once the typed name of a place is looked up.
enum Place {
    /// A registered site chosen, or a place described: nothing to ask.
    Settled,
    /// Nothing registered fits what was typed: it is the place as written.
    Unmatched(String),
    /// Several registered sites fit as well: the tipster chooses.
    Choose(Vec<i64>),
}

/// Looks up the typed name of a place forgivingly (`domain::site_search`), unless a site was
/// chosen from the list or among the choices offered.
async fn place(state: &AppState, values: &mut TipForm) -> Result<Place, AppError> {
    if !values.site_id.trim().is_empty() {
        return Ok(Place::Settled);
    }
    let typed = values.site_name.trim().to_owned();
    let keep_as_text = |values: &mut TipForm| {
        if values.location_text.trim().is_empty() {
            values.location_text = typed.clone();
        }
    };
    match values.site_choice.trim() {
        "" => {}
        "none" => {
            keep_as_text(values);
            return Ok(Place::Unmatched(typed.clone()));
        }
        id => {
            values.site_id = id.to_owned();
            return Ok(Place::Settled);
        }
    }
    if typed.is_empty() {
        return Ok(Place::Settled);
    }
    let sites = app::intake::registered_sites(state).await?;
    Ok(match domain::site_search::find(&typed, sites.iter().map(|s| (s.id, s.name.as_str()))) {
        domain::site_search::Found::One(id) => {
            values.site_id = id.to_string();
            Place::Settled
        }
        domain::site_search::Found::Several(ids) => Place::Choose(ids),
        domain::site_search::Found::None => {
            keep_as_text(values);
            Place::Unmatched(typed.clone())
        }
    })
}

/// The receipt's words when no registered place matched: the tip is read all the same, and by whom.
async fn unmatched_notice(state: &AppState, lang: Lang, typed: &str) -> String {
    let agency = match state.routing().await {
        Ok(r) => r.fallback_agency_id.map(|id| r.agency_name(id)),
        Err(e) => {
            tracing::error!(error = %e, "routing data for the receipt");
            None
        }
    };
    let agency = agency.unwrap_or_else(|| match lang {
        Lang::En => "the tip desk".to_owned(),
        Lang::Es => "la mesa de reportes".to_owned(),
    });
    lang.text().site_unmatched.replace("{place}", typed).replace("{agency}", &agency)
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
        &values.site_choice,
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
