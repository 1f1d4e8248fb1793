//! Opening and sealing a tip's encrypted fields with its data key (see `crypto`).
//!
//! Sealed with the tip's key: the narrative, the place described, the factors' evidence
//! (quotes of the narrative), the subjects, the mentions of people, the matcher's reasons,
//! the tipster's contact details, the messages and the attachments. The store holds only
//! ciphertext of these; they are opened here, for the page or job that uses them, and nowhere
//! else.

use crate::ctx::Ctx;
use crate::error::AppResult;
use store::model::{Mention, MentionRow, NewTipRecord, SubjectRow, TipDetail, TipRow};
use vault::crypto::{self, Key};
use vault::secrets::Secrets;

/// Shown in place of a field this server's keys cannot open.
const UNREADABLE: &str = "[sealed: this server's key cannot open it]";

/// The tip's data key, unwrapped with this server's wrapping key.
pub async fn data_key(ctx: &Ctx, tip_id: i64) -> AppResult<Option<Key>> {
    let wrapped = ctx.store.tip_key(tip_id).await?;
    Ok(ctx.secrets.data_key(wrapped.as_ref())?)
}

/// A message body as people read it. A body this server cannot open is shown as such (and
/// logged), rather than failing the whole page.
pub fn open_message(key: Option<&Key>, reference: &str, body: &str) -> String {
    open_field(key, reference, "message", body)
}

pub fn seal_message(key: Option<&Key>, reference: &str, body: &str) -> String {
    match key {
        Some(k) => crypto::seal_text(k, reference, "message", body),
        None => body.to_owned(),
    }
}

pub fn seal_file(key: Option<&Key>, reference: &str, data: &[u8]) -> Vec<u8> {
    match key {
        Some(k) => crypto::seal_bytes(k, reference, "attachment", data),
        None => data.to_vec(),
    }
}

/// One field opened; one that cannot be is shown as such and logged, never failing the page.
fn open_field(key: Option<&Key>, reference: &str, field: &str, stored: &str) -> String {
    crypto::open_text(key, reference, field, stored).unwrap_or_else(|e| {
        tracing::error!(reference, field, error = %e, "a sealed field cannot be opened");
        UNREADABLE.to_owned()
    })
}

/// Seals or opens the fields of one tip, one direction at a time.
struct Fields<'a> {
    key: Option<Key>,
    reference: &'a str,
    seal: bool,
}

impl Fields<'_> {
    fn text(&self, field: &str, value: &mut String) {
        *value = match (&self.key, self.seal) {
            (Some(k), true) => crypto::seal_text(k, self.reference, field, value),
            (None, true) => return,
            (key, false) => open_field(key.as_ref(), self.reference, field, value),
        };
    }

    fn opt(&self, field: &str, value: &mut Option<String>) {
        if let Some(v) = value {
            self.text(field, v);
        }
    }

    fn subject(&self, s: &mut SubjectRow) {
        self.opt("subject.name", &mut s.name);
        self.opt("subject.dob", &mut s.dob);
        self.opt("subject.school", &mut s.school);
        self.opt("subject.phone", &mut s.phone);
        self.opt("subject.email", &mut s.email);
        for h in &mut s.handles {
            self.text("subject.handle", h);
        }
    }

    fn mention(&self, m: &mut MentionRow) {
        self.opt("mention.name", &mut m.name);
        self.opt("mention.dob", &mut m.dob);
        self.opt("mention.phone", &mut m.phone);
        self.opt("mention.email", &mut m.email);
        self.opt("mention.handle", &mut m.handle);
        self.opt("mention.school", &mut m.school);
        self.opt("mention.evidence", &mut m.evidence);
    }

    fn tip(&self, t: &mut TipRow) {
        self.text("narrative", &mut t.narrative);
        self.opt("location", &mut t.location_text);
    }
}

/// Seals a new tip's narrative, place, evidence, subjects and mentions with its data key.
pub fn seal_new_tip(record: &mut NewTipRecord, data_key: &Key) {
    let f = Fields { key: Some(*data_key), reference: &record.reference, seal: true };
    record.narrative = crypto::seal_text(data_key, f.reference, "narrative", &record.narrative);
    f.opt("location", &mut record.location_text);
    for factor in &mut record.factors {
        f.text("factor.evidence", &mut factor.evidence);
    }
    for s in &mut record.subjects {
        f.subject(s);
    }
    for m in &mut record.mentions {
        f.mention(m);
    }
}

fn opener<'a>(secrets: &Secrets, reference: &'a str, wrapped: Option<&(String, String)>) -> Fields<'a> {
    let key = secrets.data_key(wrapped).unwrap_or_else(|e| {
        tracing::error!(reference, error = %e, "a tip's data key cannot be unwrapped");
        None
    });
    Fields { key, reference, seal: false }
}

/// A tip row as people read it: the narrative and place opened.
pub fn open_tip(secrets: &Secrets, t: &mut TipRow) {
    let reference = t.reference.clone();
    let wrapped = t.data_key.clone();
    opener(secrets, &reference, wrapped.as_ref()).tip(t);
}

/// A tip's record as people read it: narrative, place, evidence and subjects opened.
pub fn open_detail(secrets: &Secrets, d: &mut TipDetail) {
    let reference = d.tip.reference.clone();
    let wrapped = d.tip.data_key.clone();
    let f = opener(secrets, &reference, wrapped.as_ref());
    f.tip(&mut d.tip);
    for factor in &mut d.factors {
        f.text("factor.evidence", &mut factor.evidence);
    }
    for s in &mut d.subjects {
        f.subject(s);
    }
}

/// A stored mention with its values opened, for the matcher (in memory only).
pub fn open_mention(secrets: &Secrets, m: &mut Mention) {
    let reference = m.reference.clone();
    let wrapped = m.data_key.clone();
    opener(secrets, &reference, wrapped.as_ref()).mention(&mut m.row);
}

/// Opens the mentions of one page, unwrapping each tip's key once.
pub fn open_mentions(secrets: &Secrets, page: &mut [Mention]) {
    let mut last: Option<(i64, Option<Key>)> = None;
    for m in page {
        let key = match &last {
            Some((tip, key)) if *tip == m.tip_id => *key,
            _ => {
                let key = opener(secrets, &m.reference, m.data_key.as_ref()).key;
                last = Some((m.tip_id, key));
                key
            }
        };
        Fields { key, reference: &m.reference, seal: false }.mention(&mut m.row);
        // What cannot be opened is no value to match on: every such field would look alike.
        for field in
            [&mut m.row.name, &mut m.row.dob, &mut m.row.phone, &mut m.row.email, &mut m.row.handle, &mut m.row.school]
        {
            if field.as_deref() == Some(UNREADABLE) {
                *field = None;
            }
        }
    }
}

/// The matcher's reasons for a link, sealed with the newer tip's key.
pub fn seal_explanation(secrets: &Secrets, m: &Mention, explanation: &str) -> String {
    let key = opener(secrets, &m.reference, m.data_key.as_ref()).key;
    match key {
        Some(k) => crypto::seal_text(&k, &m.reference, "link.explanation", explanation),
        // A tip without a key (stored before encryption): the reasons quote both sides, so
        // they are left out rather than written in the clear; the figures stay.
        None => match serde_json::from_str::<serde_json::Value>(explanation) {
            Ok(mut e) => {
                e["reasons"] = serde_json::Value::Array(Vec::new());
                e.to_string()
            }
            Err(_) => "{}".to_owned(),
        },
    }
}

/// The matcher's reasons opened, for a link of the tip with `reference` and key `key`.
pub fn open_explanation(key: Option<&Key>, reference: &str, stored: &str) -> String {
    open_field(key, reference, "link.explanation", stored)
}
