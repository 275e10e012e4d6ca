//! The languages Guestpass speaks (the seeds' languages) and how a browser's or an API caller's
//! language tag picks one. Shared so the SPA and the emails agree on the choice.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Fr,
    Ru,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::En, Language::Fr, Language::Ru];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
            Language::Ru => "ru",
        }
    }

    /// The language's own name for itself, as a language switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Fr => "Français",
            Language::Ru => "Русский",
        }
    }

    /// The language a tag such as `fr-CA` or `RU` names, by its primary subtag.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The first supported language in a preference list (the browser's `navigator.languages`),
    /// English when none is supported.
    pub fn negotiate<'a>(preferences: impl IntoIterator<Item = &'a str>) -> Language {
        preferences
            .into_iter()
            .find_map(Language::from_tag)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_and_case_do_not_matter() {
        assert_eq!(Language::from_tag("fr-CA"), Some(Language::Fr));
        assert_eq!(Language::from_tag("RU"), Some(Language::Ru));
        assert_eq!(Language::from_tag("en_GB"), Some(Language::En));
        assert_eq!(Language::from_tag("de-DE"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn the_first_supported_preference_wins_and_english_is_the_fallback() {
        assert_eq!(Language::negotiate(["de-DE", "ru-RU", "fr"]), Language::Ru);
        assert_eq!(Language::negotiate(["de", "ja"]), Language::En);
        assert_eq!(Language::negotiate([]), Language::En);
    }

    #[test]
    fn it_travels_as_its_tag() {
        assert_eq!(serde_json::to_string(&Language::Fr).unwrap(), "\"fr\"");
        assert_eq!(
            serde_json::from_str::<Language>("\"ru\"").unwrap(),
            Language::Ru
        );
    }
}
