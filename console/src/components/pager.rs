//! Paging through a list the API serves a page at a time: the link of the page shown (`None` is
//! the first) and the links of the pages before it, so Previous goes back without a cursor of
//! its own.

use leptos::prelude::*;

use crate::copy::Key;
use crate::tr;

#[derive(Clone, Copy)]
pub struct Pages {
    shown: RwSignal<Option<String>>,
    before: RwSignal<Vec<Option<String>>>,
}

impl Default for Pages {
    fn default() -> Pages {
        Pages::new()
    }
}

impl Pages {
    pub fn new() -> Pages {
        Pages {
            shown: RwSignal::new(None),
            before: RwSignal::new(Vec::new()),
        }
    }

    /// The `nextLink` of the page to show, `None` for the first (tracked: a resource reading it
    /// loads again when it changes).
    pub fn shown(self) -> Option<String> {
        self.shown.get()
    }

    /// Back to the first page (after a change to the list).
    pub fn reset(self) {
        self.before.set(Vec::new());
        self.shown.set(None);
    }

    fn next(self, link: String) {
        self.before.update(|b| b.push(self.shown.get_untracked()));
        self.shown.set(Some(link));
    }

    fn previous(self) {
        if let Some(link) = self.before.try_update(|b| b.pop()).flatten() {
            self.shown.set(link);
        }
    }
}

/// Previous and Next, under a page whose `nextLink` is `next_link`.
#[component]
pub fn Pager(pages: Pages, next_link: Option<String>) -> impl IntoView {
    view! {
        <div class="pager">
            <button id="previous-page" class="button" type="button"
                disabled=move || pages.before.with(Vec::is_empty) on:click=move |_| pages.previous()>
                {tr(Key::PreviousPage)}
            </button>
            <button id="next-page" class="button" type="button" disabled=next_link.is_none()
                on:click=move |_| if let Some(link) = next_link.clone() { pages.next(link) }>
                {tr(Key::NextPage)}
            </button>
        </div>
    }
}
