//! Client networks: what per-client limits count. An IPv4 address is its own network; an IPv6
//! address counts as its /64 — the block one subscriber gets — so rotating through a /64 does
//! not buy more tries.

use std::net::{IpAddr, Ipv6Addr};

/// The client network of `ip` (as `CF-Connecting-IP` gives it): the IPv4 address, or the IPv6
/// /64 written `a:b:c:d::/64`. Anything else is one network, `unknown`.
pub fn client_network(ip: &str) -> String {
    match ip.trim().parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{prefix}/64")
            }
        },
        Err(_) => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_addresses_are_their_own_network() {
        assert_eq!(client_network("203.0.113.9"), "203.0.113.9");
        assert_eq!(client_network("::ffff:203.0.113.9"), "203.0.113.9");
    }

    #[test]
    fn ipv6_addresses_group_by_their_slash_64() {
        let a = client_network("2001:db8:1:2:aaaa::1");
        let b = client_network("2001:0db8:0001:0002:ffff:ffff:ffff:ffff");
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, b);
        assert_ne!(a, client_network("2001:db8:1:3::1"));
    }

    #[test]
    fn anything_else_is_one_unknown_network() {
        assert_eq!(client_network("unknown"), "unknown");
        assert_eq!(client_network(""), "unknown");
    }
}
