//! Moving between console pages without reloading: links push the new URL onto the history,
//! back and forward re-render from the address bar, and focus moves to the new page's heading
//! so a screen reader announces where the visitor is.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::route::{self, AdminRoute, Page};
use guestpass_app::browser;

#[derive(Clone, Copy)]
pub struct Nav {
    route: RwSignal<AdminRoute>,
    /// A navigation happened and its page's heading has not taken focus yet.
    focus_pending: StoredValue<bool>,
}

impl Nav {
    /// Starts at `initial` and follows back/forward from then on.
    pub fn provide(initial: AdminRoute) -> Nav {
        let nav = Nav {
            route: RwSignal::new(initial),
            focus_pending: StoredValue::new(false),
        };
        provide_context(nav);
        let _ = window_event_listener(leptos::ev::popstate, move |_| {
            let (path, query) = browser::location();
            if let Some(route) = route::parse(&path, &query) {
                nav.route.set(route);
                nav.focus_heading();
            }
        });
        nav
    }

    pub fn get() -> Nav {
        expect_context::<Nav>()
    }

    pub fn route(self) -> AdminRoute {
        self.route.get()
    }

    pub fn tenant(self) -> String {
        self.route.with_untracked(|r| r.tenant.clone())
    }

    /// The route of `page` in this tenant.
    pub fn to(self, page: Page) -> AdminRoute {
        AdminRoute::new(&self.tenant(), page)
    }

    /// Goes to `page`, as a new history entry.
    pub fn go(self, page: Page) {
        let route = self.to(page);
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&route.href()));
        }
        self.route.set(route);
        self.focus_heading();
    }

    /// Moves focus to the new page's `h1` once it is drawn: on the next frame if the page is in
    /// the main wasm, or when its heading mounts ([`Nav::heading_drawn`]) if its chunk is still
    /// on its way.
    fn focus_heading(self) {
        self.focus_pending.set_value(true);
        self.heading_drawn();
    }

    /// Called by each page heading as it mounts: takes the focus a navigation asked for.
    pub fn heading_drawn(self) {
        request_animation_frame(move || {
            if !self.focus_pending.try_get_value().unwrap_or(false) {
                return;
            }
            let heading = document()
                .get_element_by_id("page-title")
                .and_then(|h| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(h).ok());
            if let Some(heading) = heading {
                let _ = heading.focus();
                self.focus_pending.set_value(false);
            }
        });
    }
}

/// A link to a console page: a real `href` (open in a new tab works), followed in place on a
/// plain click; pointing at it or focusing it starts fetching its page's part.
#[component]
pub fn Link(
    page: Page,
    children: Children,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] class: Option<String>,
    #[prop(optional, into)] current: Signal<bool>,
) -> impl IntoView {
    let nav = Nav::get();
    let href = nav.to(page.clone()).href();
    let on_pointer = {
        let page = page.clone();
        move |_: leptos::ev::PointerEvent| crate::pages::prefetch(&page)
    };
    let on_focus = {
        let page = page.clone();
        move |_: leptos::ev::FocusEvent| crate::pages::prefetch(&page)
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let modified = ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key();
        if ev.button() == 0 && !modified {
            ev.prevent_default();
            nav.go(page.clone());
        }
    };
    view! {
        <a
            href=href
            id=id
            class=class
            on:click=on_click
            on:pointerenter=on_pointer
            on:focus=on_focus
            aria-current=move || current.get().then_some("page")
        >
            {children()}
        </a>
    }
}
