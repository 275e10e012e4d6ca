//! A policy's list with its mode: allow all, allow only the listed, or all but the listed (the
//! invitation domains of external collaboration, the authenticator models of the passkey policy).
//! The list is typed one entry a line and shown only when a mode uses it.

use guestpass_wire::DomainMode;
use leptos::prelude::*;

use crate::copy::Key;
use crate::tr;

/// The words of one such policy: the legend, the three choices, the list's label and hint.
#[derive(Clone, Copy)]
pub struct ModeWords {
    pub legend: Key,
    pub allow_all: Key,
    pub allow_list: Key,
    pub block_list: Key,
    pub list: Key,
    pub hint: Key,
}

/// `id` prefixes the controls' ids (`{id}-allow-all`, …, and `{id}` for the list).
#[component]
pub fn ModeList(
    id: &'static str,
    words: ModeWords,
    mode: RwSignal<DomainMode>,
    /// The entries, one a line.
    entries: RwSignal<String>,
    may_change: bool,
) -> impl IntoView {
    // Drawn again only when the list appears or goes, not on each change of mode.
    let listed = Memo::new(move |_| mode.get() != DomainMode::AllowAll);
    let option = move |value: DomainMode, suffix: &str, label: Key| {
        view! {
            <label class="check">
                <input type="radio" name=id id=format!("{id}-{suffix}") disabled=!may_change
                    prop:checked=move || mode.get() == value on:change=move |_| mode.set(value) />
                {tr(label)}
            </label>
        }
    };
    let hint = format!("{id}-hint");
    view! {
        <fieldset>
            <legend>{tr(words.legend)}</legend>
            {option(DomainMode::AllowAll, "allow-all", words.allow_all)}
            {option(DomainMode::AllowList, "allow-list", words.allow_list)}
            {option(DomainMode::BlockList, "block-list", words.block_list)}
        </fieldset>
        {move || listed.get().then(|| view! {
            <label for=id>{tr(words.list)}</label>
            <textarea id=id rows="6" disabled=!may_change aria-describedby=hint.clone()
                prop:value=entries on:input=move |ev| entries.set(event_target_value(&ev))></textarea>
            <p class="hint" id=hint.clone()>{tr(words.hint)}</p>
        })}
    }
}

/// The entries typed, split on lines, commas and spaces, blanks left out.
pub fn entries_of(text: &str) -> Vec<String> {
    text.split(['\n', ',', ' '])
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(String::from)
        .collect()
}
