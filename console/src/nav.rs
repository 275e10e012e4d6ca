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
}

impl Nav {
    /// Starts at `initial` and follows back/forward from then on.
    pub fn provide(initial: AdminRoute) -> Nav {
        let nav = Nav {
            route: RwSignal::new(initial),
        };
        provide_context(nav);
        let _ = window_event_listener(leptos::ev::popstate, move |_| {
            let (path, query) = browser::location();
            if let Some(route) = route::parse(&path, &query) {
                nav.route.set(route);
                focus_heading();
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
        focus_heading();
    }
}

/// Focuses the page's `h1` once it is drawn.
fn focus_heading() {
    request_animation_frame(|| {
        if let Some(heading) = document().get_element_by_id("page-title") {
            if let Ok(heading) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(heading) {
                let _ = heading.focus();
            }
        }
    });
}

/// A link to a console page: a real `href` (open in a new tab works), followed in place on a
/// plain click.
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
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let modified = ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key();
        if ev.button() == 0 && !modified {
            ev.prevent_default();
            nav.go(page.clone());
        }
    };
    view! {
        <a href=href id=id class=class on:click=on_click aria-current=move || current.get().then_some("page")>
            {children()}
        </a>
    }
}
