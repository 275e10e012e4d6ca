//! Pages over stores that list in pages of their own (KV: up to 1000 keys a call), with filters:
//! a client asks for `top` matching items and gets an opaque cursor for the rest.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::error::DomainError;
use crate::url::encode_component;

pub const DEFAULT_TOP: usize = 100;
pub const MAX_TOP: usize = guestpass_wire::api::MAX_PAGE;

/// Where a client's page starts: a store page (by the store's own cursor) and how many of its
/// items the pages before took. Opaque to clients: base64url of `{skip}:{store cursor}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageCursor {
    pub skip: usize,
    pub store: Option<String>,
}

impl PageCursor {
    pub fn encode(&self) -> String {
        let text = format!(
            "{}:{}",
            self.skip,
            self.store.as_deref().unwrap_or_default()
        );
        URL_SAFE_NO_PAD.encode(text)
    }

    /// A cursor this API gave, or the start when there is none.
    pub fn decode(text: Option<&str>) -> Result<PageCursor, DomainError> {
        let Some(text) = text else {
            return Ok(PageCursor::default());
        };
        let invalid = || DomainError::validation("cursor", "The cursor is not one this API gave.");
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let (skip, store) = text.split_once(':').ok_or_else(invalid)?;
        Ok(PageCursor {
            skip: skip.parse().map_err(|_| invalid())?,
            store: (!store.is_empty()).then(|| store.to_string()),
        })
    }
}

/// `top`, 1 to [`MAX_TOP`] ([`DEFAULT_TOP`] when absent).
pub fn parse_top(text: Option<&str>) -> Result<usize, DomainError> {
    match text {
        None => Ok(DEFAULT_TOP),
        Some(text) => text
            .parse()
            .ok()
            .filter(|n| (1..=MAX_TOP).contains(n))
            .ok_or_else(|| DomainError::validation("top", format!("top is 1 to {MAX_TOP}."))),
    }
}

/// The `nextLink` of a page: `{origin}{path}?top=…&cursor=…`, then the query's other
/// parameters (those given), so the next page keeps its filters.
pub fn next_link(
    origin: &str,
    path: &str,
    top: usize,
    cursor: &PageCursor,
    filters: &[(&str, Option<&str>)],
) -> String {
    let mut link = format!("{origin}{path}?top={top}&cursor={}", cursor.encode());
    for (name, value) in filters {
        if let Some(value) = value {
            link.push_str(&format!("&{name}={}", encode_component(value)));
        }
    }
    link
}

/// A store read page by page, in a stable order.
#[allow(async_fn_in_trait)]
pub trait Pages<T> {
    /// The page at `cursor` (the first when `None`), and the cursor of the next, if any.
    async fn page(&self, cursor: Option<&str>) -> Result<(Vec<T>, Option<String>), DomainError>;
}

/// Up to `top` items that `keep` accepts, from `start` on, and where the next client page
/// starts (none when the store has nothing after). `stop` ends the walk early: the items are in
/// an order where, once it says so, nothing further can match (logs, newest first, before `from`).
pub async fn collect<T, P: Pages<T>>(
    pages: &P,
    start: PageCursor,
    top: usize,
    keep: impl Fn(&T) -> bool,
    stop: impl Fn(&T) -> bool,
) -> Result<(Vec<T>, Option<PageCursor>), DomainError> {
    let mut at = start;
    let mut found = Vec::new();
    loop {
        let (items, following) = pages.page(at.store.as_deref()).await?;
        let count = items.len();
        let mut stopped_after = None;
        for (index, item) in items.into_iter().enumerate().skip(at.skip) {
            if stop(&item) {
                return Ok((found, None));
            }
            if keep(&item) {
                found.push(item);
                if found.len() == top {
                    stopped_after = Some(index + 1);
                    break;
                }
            }
        }
        // A full page stops where it was: more may follow, in this store page or after it.
        match (stopped_after, following) {
            (Some(consumed), _) if consumed < count => {
                let next = PageCursor {
                    skip: consumed,
                    store: at.store,
                };
                return Ok((found, Some(next)));
            }
            (Some(_), following) => {
                let next = following.map(|store| PageCursor {
                    skip: 0,
                    store: Some(store),
                });
                return Ok((found, next));
            }
            (None, Some(store)) => {
                at = PageCursor {
                    skip: 0,
                    store: Some(store),
                }
            }
            (None, None) => return Ok((found, None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::run;

    /// 0..n in store pages of `size`; the cursor is the next index.
    struct Numbers {
        n: usize,
        size: usize,
    }

    impl Pages<usize> for Numbers {
        async fn page(
            &self,
            cursor: Option<&str>,
        ) -> Result<(Vec<usize>, Option<String>), DomainError> {
            let from: usize = cursor.map_or(0, |c| c.parse().unwrap());
            let to = (from + self.size).min(self.n);
            Ok(((from..to).collect(), (to < self.n).then(|| to.to_string())))
        }
    }

    #[test]
    fn pages_of_matching_items_cover_everything_once_across_store_pages() {
        let numbers = Numbers { n: 100, size: 7 };
        let mut cursor = PageCursor::default();
        let mut seen = Vec::new();
        loop {
            let (page, next) =
                run(collect(&numbers, cursor, 6, |n| n % 3 == 0, |_| false)).unwrap();
            assert!(page.len() <= 6);
            seen.extend(page);
            match next {
                Some(next) => cursor = PageCursor::decode(Some(&next.encode())).unwrap(),
                None => break,
            }
        }
        assert_eq!(seen, (0..100).filter(|n| n % 3 == 0).collect::<Vec<_>>());
    }

    #[test]
    fn a_stop_item_ends_the_walk() {
        let numbers = Numbers { n: 100, size: 10 };
        let (page, next) = run(collect(
            &numbers,
            PageCursor::default(),
            50,
            |_| true,
            |n| *n >= 12,
        ))
        .unwrap();
        assert_eq!(page, (0..12).collect::<Vec<_>>());
        assert_eq!(next, None);
    }

    #[test]
    fn only_cursors_this_api_gave_and_tops_in_range_are_taken() {
        assert!(PageCursor::decode(Some("@@")).is_err());
        assert!(PageCursor::decode(Some(&URL_SAFE_NO_PAD.encode("x:y"))).is_err());
        assert_eq!(parse_top(None).unwrap(), DEFAULT_TOP);
        assert!(parse_top(Some("0")).is_err() && parse_top(Some("1000")).is_err());
    }
}
