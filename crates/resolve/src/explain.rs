//! Explanations of a match in words a detective reads.

use crate::compare::{self, FIELDS, Field};
use crate::model::{Model, probability};
use crate::record::{NormRecord, Record};
use std::fmt;

/// One field's part in a match decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The field.
    pub field: Field,
    /// The comparison level in words ("phonetic match").
    pub level: &'static str,
    /// Its weight in bits (log2 Bayes factor), 0 when missing.
    pub weight: f64,
    /// The two normalised values, when both are present.
    pub values: Option<(String, String)>,
}

/// Why two records were (or were not) judged the same person.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Field contributions, strongest first; missing fields last.
    pub contributions: Vec<Contribution>,
    /// Sum of the field weights (the match weight).
    pub weight: f64,
    /// Prior log2 odds of a match.
    pub prior: f64,
    /// Posterior match probability.
    pub probability: f64,
    /// True when names matched only with first and last name swapped.
    pub swapped: bool,
    /// True when the probability reaches the model's link threshold.
    pub linked: bool,
}

fn signed(w: f64) -> String {
    if w < -0.05 { format!("\u{2212}{:.1}", -w) } else { format!("+{:.1}", w.abs()) }
}

fn value(r: &NormRecord, f: Field) -> Option<String> {
    match f {
        Field::FirstName => r.first.as_ref().map(|n| n.text.to_string()),
        Field::LastName => r.last.as_ref().map(|n| n.text.to_string()),
        Field::Dob => r.dob.map(|d| d.to_string()),
        Field::Phone => r.phone.map(|p| p.e164()),
        Field::Email => r.email.as_ref().map(|e| e.full.to_string()),
        Field::Handle => r.handle.as_ref().map(|h| format!("@{}", h.text)),
        Field::Address => {
            let parts: Vec<String> = [
                r.street.as_ref().map(|s| s.text.to_string()),
                r.city.as_ref().map(|c| c.to_string()),
                r.state.as_ref().map(|c| c.to_string()),
                r.postcode.map(|z| format!("{z:05}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Field::NationalId => r.national_id.as_ref().map(|n| {
            let tail: String = n.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
            format!("…{tail}")
        }),
    }
}

/// Explains the comparison of two normalised records.
pub fn explain_norm(a: &NormRecord, b: &NormRecord, model: &Model) -> Explanation {
    let (c, weight) = model.score(a, b);
    let mut contributions: Vec<Contribution> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, &f)| {
            let l = compare::level(c.pattern, i);
            let mut w = model.level_weight(f, l);
            if l == 1 && !c.swapped {
                let v = match f {
                    Field::FirstName => a.first.as_ref().map(|n| n.text.as_ref()),
                    Field::LastName => a.last.as_ref().map(|n| n.text.as_ref()),
                    _ => None,
                };
                if let Some(v) = v {
                    w += model.tf_adjustment(f, v);
                }
            }
            let values = value(a, f).zip(value(b, f));
            let values = if c.swapped && matches!(f, Field::FirstName | Field::LastName) {
                // show both names of each side
                let full = |r: &NormRecord| {
                    format!(
                        "{} {}",
                        value(r, Field::FirstName).unwrap_or_default(),
                        value(r, Field::LastName).unwrap_or_default()
                    )
                };
                Some((full(a), full(b)))
            } else {
                values
            };
            Contribution { field: f, level: f.levels()[l], weight: w, values }
        })
        .collect();
    contributions.sort_by(|x, y| {
        let missing = |c: &Contribution| c.level == "missing";
        missing(x).cmp(&missing(y)).then(y.weight.abs().total_cmp(&x.weight.abs()))
    });
    let prior = model.prior_weight();
    let probability = probability(prior + weight);
    Explanation {
        contributions,
        weight,
        prior,
        probability,
        swapped: c.swapped,
        linked: probability >= model.threshold,
    }
}

/// Explains the comparison of two raw records (normalised with the model's settings).
pub fn explain(a: &Record, b: &Record, model: &Model) -> Explanation {
    explain_norm(&a.normalise(&model.normalizer), &b.normalise(&model.normalizer), model)
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: match probability {:.4} (total weight {}, prior {})",
            if self.linked { "LINKED" } else { "not linked" },
            self.probability,
            signed(self.weight),
            signed(self.prior)
        )?;
        if self.swapped {
            writeln!(f, "  note: first and last name appear swapped on one record")?;
        }
        for c in &self.contributions {
            if c.level == "missing" {
                writeln!(f, "  {}: missing on one side, 0", c.field.label())?;
                continue;
            }
            write!(f, "  {}: {}, {}", c.field.label(), c.level, signed(c.weight))?;
            if let Some((x, y)) = &c.values {
                if x == y { write!(f, " ({x})")? } else { write!(f, " ({x} vs {y})")? }
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
