//! Which console page a URL shows, and the URL of each page. Pure, so the rules are tested
//! natively: `/{tenant}/admin` is the overview, and each page below it has a path of its own, so
//! links, reloads and back/forward all land where they should.

use guestpass_app::route::query_value;
pub use guestpass_app::route::{encode, sign_in_href};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminRoute {
    pub tenant: String,
    pub page: Page,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Overview,
    Users(UserFilter),
    User {
        id: String,
    },
    EmailOtp,
    TemporaryAccessPass,
    Passkeys,
    Branding,
    ExternalCollaboration,
    Applications,
    Application {
        id: String,
    },
    SignInLogs(LogFilter),
    AuditLogs(AuditFilter),
    /// A path under `/{tenant}/admin/` that names no page.
    NotFound,
}

/// The users table's search and type filter, kept in the URL so back and reload keep them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFilter {
    pub search: Option<String>,
    /// `Guest` or `Member`; anything else shows everyone.
    pub user_type: Option<String>,
}

/// The directory audit log's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Part of the activity's name.
    pub activity: Option<String>,
    /// Days back from now: 1, 7 or 30 (all that is kept when absent).
    pub days: Option<u32>,
}

/// The sign-in log's filters, as the API takes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    pub outcome: Option<String>,
    pub method: Option<String>,
    pub user: Option<String>,
    /// Days back from now the log and chart cover: 1, 7 or 30.
    pub days: Option<u32>,
}

/// The console route of `path`, or `None` when the path is not under `/{tenant}/admin`.
pub fn parse(path: &str, query: &str) -> Option<AdminRoute> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (tenant, rest) = match segments.as_slice() {
        [tenant, "admin", rest @ ..] if can_name_tenant(tenant) => {
            (tenant.to_ascii_lowercase(), rest)
        }
        _ => return None,
    };
    let page = match rest {
        [] => Page::Overview,
        ["users"] => Page::Users(UserFilter {
            search: query_value(query, "search"),
            user_type: query_value(query, "type").filter(|t| t == "Guest" || t == "Member"),
        }),
        ["users", id] if is_id(id) => Page::User { id: id.to_string() },
        ["email-otp"] => Page::EmailOtp,
        ["temporary-access-pass"] => Page::TemporaryAccessPass,
        ["passkeys"] => Page::Passkeys,
        ["branding"] => Page::Branding,
        ["external-collaboration"] => Page::ExternalCollaboration,
        ["applications"] => Page::Applications,
        ["applications", id] if is_id(id) => Page::Application { id: id.to_string() },
        ["sign-in-logs"] => Page::SignInLogs(LogFilter {
            outcome: query_value(query, "outcome").filter(|o| o == "success" || o == "failure"),
            method: query_value(query, "method"),
            user: query_value(query, "user"),
            days: days(query),
        }),
        ["audit-logs"] => Page::AuditLogs(AuditFilter {
            activity: query_value(query, "activity"),
            days: days(query),
        }),
        _ => Page::NotFound,
    };
    Some(AdminRoute { tenant, page })
}

impl AdminRoute {
    pub fn new(tenant: &str, page: Page) -> AdminRoute {
        AdminRoute {
            tenant: tenant.to_string(),
            page,
        }
    }

    /// The path (and query) that shows this page.
    pub fn href(&self) -> String {
        let base = format!("/{}/admin", self.tenant);
        match &self.page {
            Page::Overview => base,
            Page::Users(filter) => with_query(
                format!("{base}/users"),
                &[
                    ("search", filter.search.as_deref()),
                    ("type", filter.user_type.as_deref()),
                ],
            ),
            Page::User { id } => format!("{base}/users/{id}"),
            Page::EmailOtp => format!("{base}/email-otp"),
            Page::TemporaryAccessPass => format!("{base}/temporary-access-pass"),
            Page::Passkeys => format!("{base}/passkeys"),
            Page::Branding => format!("{base}/branding"),
            Page::ExternalCollaboration => format!("{base}/external-collaboration"),
            Page::Applications => format!("{base}/applications"),
            Page::Application { id } => format!("{base}/applications/{id}"),
            Page::SignInLogs(filter) => {
                let days = filter.days.map(|d| d.to_string());
                with_query(
                    format!("{base}/sign-in-logs"),
                    &[
                        ("outcome", filter.outcome.as_deref()),
                        ("method", filter.method.as_deref()),
                        ("user", filter.user.as_deref()),
                        ("days", days.as_deref()),
                    ],
                )
            }
            Page::AuditLogs(filter) => {
                let days = filter.days.map(|d| d.to_string());
                with_query(
                    format!("{base}/audit-logs"),
                    &[
                        ("activity", filter.activity.as_deref()),
                        ("days", days.as_deref()),
                    ],
                )
            }
            Page::NotFound => base,
        }
    }
}

/// The `days` filter: 1, 7 or 30.
fn days(query: &str) -> Option<u32> {
    query_value(query, "days")
        .and_then(|d| d.parse().ok())
        .filter(|d| [1, 7, 30].contains(d))
}

fn with_query(path: String, pairs: &[(&str, Option<&str>)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter_map(|(name, value)| {
            value
                .filter(|v| !v.trim().is_empty())
                .map(|v| format!("{name}={}", encode(v)))
        })
        .collect();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

fn can_name_tenant(segment: &str) -> bool {
    !segment.is_empty()
        && segment.len() <= 253
        && !segment.starts_with('.')
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// User and application ids are UUIDs: anything else never reaches a request path.
fn is_id(segment: &str) -> bool {
    segment.len() <= 64
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(page: Page) -> Option<AdminRoute> {
        Some(AdminRoute::new("contoso.example", page))
    }

    #[test]
    fn only_paths_under_the_tenants_admin_are_console_routes() {
        assert_eq!(parse("/contoso.example/admin", ""), route(Page::Overview));
        assert_eq!(parse("/Contoso.Example/admin/", ""), route(Page::Overview));
        assert_eq!(parse("/contoso.example/", ""), None);
        assert_eq!(parse("/contoso.example/sign-in", ""), None);
        assert_eq!(parse("/_console/", ""), None);
        assert_eq!(parse("/a%2Fb/admin", ""), None);
        assert_eq!(
            parse("/contoso.example/admin/nothing-here", ""),
            route(Page::NotFound)
        );
        assert_eq!(
            parse("/contoso.example/admin/users/..%2F..%2Fapi", ""),
            route(Page::NotFound)
        );
    }

    #[test]
    fn every_page_round_trips_through_its_href() {
        let pages = [
            Page::Overview,
            Page::Users(UserFilter::default()),
            Page::Users(UserFilter {
                search: Some("ada lovelace+1@x".into()),
                user_type: Some("Guest".into()),
            }),
            Page::User {
                id: "0b6f3c1e-1111-4222-8333-444455556666".into(),
            },
            Page::EmailOtp,
            Page::TemporaryAccessPass,
            Page::Passkeys,
            Page::Branding,
            Page::ExternalCollaboration,
            Page::Applications,
            Page::Application {
                id: "9c1f3c1e-1111-4222-8333-444455556666".into(),
            },
            Page::SignInLogs(LogFilter {
                outcome: Some("failure".into()),
                method: Some("emailOtp".into()),
                user: Some("ada@fabrikam.example".into()),
                days: Some(30),
            }),
            Page::AuditLogs(AuditFilter::default()),
            Page::AuditLogs(AuditFilter {
                activity: Some("company branding".into()),
                days: Some(1),
            }),
        ];
        for page in pages {
            let href = AdminRoute::new("contoso.example", page.clone()).href();
            let (path, query) = href.split_once('?').unwrap_or((&href, ""));
            assert_eq!(parse(path, query), route(page), "{href}");
        }
    }

    #[test]
    fn filters_outside_their_choices_are_dropped() {
        assert_eq!(
            parse("/contoso.example/admin/users", "?type=Robot&search=%20"),
            route(Page::Users(UserFilter::default()))
        );
        assert_eq!(
            parse(
                "/contoso.example/admin/sign-in-logs",
                "?outcome=maybe&days=9"
            ),
            route(Page::SignInLogs(LogFilter::default()))
        );
    }

    #[test]
    fn the_sign_in_link_carries_the_way_back() {
        assert_eq!(
            sign_in_href("contoso.example", "/contoso.example/admin/users?type=Guest"),
            "/contoso.example/sign-in?return_to=%2Fcontoso.example%2Fadmin%2Fusers%3Ftype%3DGuest"
        );
    }
}
