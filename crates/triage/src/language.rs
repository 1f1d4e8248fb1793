//! Language detection by counting each lexicon's stopwords; ties go to English.

use domain::tip::Language;

use crate::fold::fold;
use crate::lexicon::LEXICON;

/// Guesses whether `text` is English or Spanish.
pub fn detect(text: &str) -> Language {
    detect_folded(text, &fold(text).text)
}

/// [`detect`] for text already folded.
pub fn detect_folded(text: &str, folded: &str) -> Language {
    let (mut en, mut es) = (0usize, 0usize);
    for word in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        en += usize::from(LEXICON.en.stopwords.contains(word));
        es += usize::from(LEXICON.es.stopwords.contains(word));
    }
    // Spanish marks that English never uses tip a close count.
    let marks = text.chars().filter(|c| matches!(c, 'ñ' | 'Ñ' | '¿' | '¡' | 'á' | 'é' | 'í' | 'ó' | 'ú')).count();
    if es + marks.min(3) > en { Language::Es } else { Language::En }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_both() {
        assert_eq!(detect("He said he is going to bring a gun to the school"), Language::En);
        assert_eq!(detect("Dijo que va a traer una pistola a la escuela mañana"), Language::Es);
        assert_eq!(detect(""), Language::En);
        assert_eq!(detect("¿Qué?"), Language::Es);
    }
}
