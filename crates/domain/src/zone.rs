//! Local time for people: the instance's IANA time zone, and instants as people read them in
//! it ("Wed 2 Dec 10:43 CST · 5 min ago"). Instants are stored and exchanged in UTC
//! (`time::rfc3339`); only what a person reads is local.

use crate::FieldError;

/// A time zone from the tz database (bundled, so every machine shows the same times).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone(jiff::tz::TimeZone);

impl Default for Zone {
    fn default() -> Self {
        Zone(jiff::tz::TimeZone::UTC)
    }
}

impl Zone {
    /// An IANA name such as `America/Chicago`.
    pub fn parse(name: &str) -> Result<Zone, FieldError> {
        let name = name.trim();
        jiff::tz::TimeZone::get(name).map(Zone).map_err(|_| {
            FieldError::new("time_zone", format!("{name:?} is not a time zone name such as America/Chicago or UTC"))
        })
    }

    pub fn name(&self) -> &str {
        self.0.iana_name().unwrap_or("UTC")
    }

    /// `ms` as people read it here: the day and time with the zone's abbreviation, the year
    /// only when it is not `now`'s, and how long ago (or how soon) when within two days.
    pub fn local(&self, ms: i64, now: i64) -> String {
        let Ok(at) = jiff::Timestamp::from_millisecond(ms) else { return crate::time::rfc3339(ms) };
        let zoned = at.to_zoned_datetime(self.0.clone());
        let same_year = jiff::Timestamp::from_millisecond(now)
            .map(|n| n.to_zoned_datetime(self.0.clone()).year() == zoned.year())
            .unwrap_or(true);
        let day =
            if same_year { zoned.strftime("%a %-d %b %H:%M %Z") } else { zoned.strftime("%a %-d %b %Y %H:%M %Z") };
        match relative(ms - now) {
            Some(rel) => format!("{day} · {rel}"),
            None => day.to_string(),
        }
    }

    /// An RFC 3339 instant (as the views carry them) read here; text that is not one is shown as it is.
    pub fn local_text(&self, rfc3339: &str, now: i64) -> String {
        match rfc3339.parse::<jiff::Timestamp>() {
            Ok(t) => self.local(t.as_millisecond(), now),
            Err(_) => rfc3339.to_owned(),
        }
    }

    /// The same without how long ago, for an instant shown beside a live countdown.
    pub fn local_text_only(&self, rfc3339: &str, now: i64) -> String {
        match rfc3339.parse::<jiff::Timestamp>() {
            Ok(t) => self.day(t.as_millisecond(), now),
            Err(_) => rfc3339.to_owned(),
        }
    }

    /// `ms` as [`Zone::local`] shows it, without how long ago (beside a live countdown, or as
    /// the time of a page itself).
    pub fn day(&self, ms: i64, now: i64) -> String {
        let shown = self.local(ms, now);
        shown.split(" · ").next().unwrap_or_default().to_owned()
    }
}

/// "5 min ago", "in 2 h 10 min", "just now"; `None` beyond two days, where the date says it.
pub fn relative(delta_ms: i64) -> Option<String> {
    let abs = delta_ms.unsigned_abs() / 1000;
    let words = match abs {
        0..=44 => return Some("just now".into()),
        45..=3_599 => format!("{} min", (abs + 30) / 60),
        3_600..=172_799 => match (abs / 3_600, (abs % 3_600) / 60) {
            (h, 0) => format!("{h} h"),
            (h, m) => format!("{h} h {m} min"),
        },
        _ => return None,
    };
    Some(if delta_ms < 0 { format!("{words} ago") } else { format!("in {words}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_people_read() {
        let chicago = Zone::parse("America/Chicago").unwrap();
        // 2026-12-02T16:43:00Z
        let at = 1_796_229_780_000;
        let shown = [
            chicago.local(at, at + 5 * 60_000),
            chicago.local(at, at),
            chicago.local(at, at - 90 * 60_000),
            chicago.local(at, at + 3 * 86_400_000),
            chicago.local(at, at + 400 * 86_400_000),
            Zone::default().local(at, at + 3 * 86_400_000),
            chicago.local_text("2026-12-02T16:43:00.000Z", at + 60_000),
            chicago.local_text("not a time", at),
        ];
        expect_test::expect![[r#"
            Wed 2 Dec 10:43 CST · 5 min ago
            Wed 2 Dec 10:43 CST · just now
            Wed 2 Dec 10:43 CST · in 1 h 30 min
            Wed 2 Dec 10:43 CST
            Wed 2 Dec 2026 10:43 CST
            Wed 2 Dec 16:43 UTC
            Wed 2 Dec 10:43 CST · 1 min ago
            not a time"#]]
        .assert_eq(&shown.join("\n"));
        assert!(Zone::parse("Mars/Olympus").unwrap_err().reason.contains("not a time zone"));
        assert_eq!(Zone::parse(" Europe/Madrid ").unwrap().name(), "Europe/Madrid");
    }
}
