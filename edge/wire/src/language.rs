//! The languages Guestpass speaks (the seeds' languages) and how a browser's or an API caller's
//! language tag picks one. Shared so the SPA and the emails agree on the choice.

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum Language {
        #[default]
        En = "en",
        Fr = "fr",
        Ru = "ru",
    }
}

impl Language {
    pub const ALL: [Language; 3] = [Language::En, Language::Fr, Language::Ru];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        self.as_str()
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

    /// The plural category of a whole number `n` in this language (CLDR's rules for integers),
    /// which picks the form of the word that counts it: "1 minute", "5 minutes"; "1 минуту",
    /// "2 минуты", "5 минут".
    pub fn plural(self, n: u64) -> Plural {
        match self {
            Language::En if n == 1 => Plural::One,
            Language::En => Plural::Other,
            // French treats 0 like 1, and counts of a million and more take "de".
            Language::Fr if n <= 1 => Plural::One,
            Language::Fr if n != 0 && n.is_multiple_of(1_000_000) => Plural::Many,
            Language::Fr => Plural::Other,
            Language::Ru => match (n % 10, n % 100) {
                (1, h) if h != 11 => Plural::One,
                (2..=4, h) if !(12..=14).contains(&h) => Plural::Few,
                _ => Plural::Many,
            },
        }
    }

    /// `n` and the word that counts it: `forms` is `one|few|many|other`, with the forms this
    /// language uses filled (a missing one falls back to `other`, then to the last given), and
    /// `#` where the number goes — `"# minute|||# minutes"`.
    pub fn count(self, n: u64, forms: &str) -> String {
        let forms: Vec<&str> = forms.split('|').collect();
        let index = match self.plural(n) {
            Plural::One => 0,
            Plural::Few => 1,
            Plural::Many => 2,
            Plural::Other => 3,
        };
        let form = forms
            .get(index)
            .filter(|f| !f.is_empty())
            .or_else(|| forms.get(3).filter(|f| !f.is_empty()))
            .or_else(|| forms.iter().rev().find(|f| !f.is_empty()))
            .copied()
            .unwrap_or("#");
        form.replace('#', &n.to_string())
    }
}

/// CLDR plural categories (the ones our languages use for whole numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    One,
    Few,
    Many,
    Other,
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
    fn plural_forms_follow_each_languages_rules() {
        let minutes_ru = "# минуту|# минуты|# минут|";
        let ru: Vec<String> = [1, 2, 5, 11, 12, 21, 22, 25, 30, 101, 111]
            .into_iter()
            .map(|n| Language::Ru.count(n, minutes_ru))
            .collect();
        assert_eq!(
            ru,
            [
                "1 минуту",
                "2 минуты",
                "5 минут",
                "11 минут",
                "12 минут",
                "21 минуту",
                "22 минуты",
                "25 минут",
                "30 минут",
                "101 минуту",
                "111 минут"
            ]
        );
        let en = "# minute|||# minutes";
        assert_eq!(Language::En.count(1, en), "1 minute");
        assert_eq!(Language::En.count(0, en), "0 minutes");
        assert_eq!(Language::En.count(10, en), "10 minutes");
        let fr = "# minute||# de minutes|# minutes";
        assert_eq!(Language::Fr.count(0, fr), "0 minute");
        assert_eq!(Language::Fr.count(1, fr), "1 minute");
        assert_eq!(Language::Fr.count(2, fr), "2 minutes");
        assert_eq!(Language::Fr.count(1_000_000, fr), "1000000 de minutes");
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
