//! Property tests for certificate-name matching (both eras).

use peername_engine::names::legacy;
use peername_engine::names::openssl::compare_dns;
use peername_engine::names::reference::{expand, ExpansionContext};
use proptest::prelude::*;

fn label() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?"
}

fn domain() -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 2..4).prop_map(|l| l.join("."))
}

fn flip_case(s: &str) -> String {
    s.chars().enumerate().map(|(i, c)| if i % 2 == 0 { c.to_ascii_uppercase() } else { c }).collect()
}

fn legacy_ref(name: &str) -> peername_engine::names::reference::ReferenceId {
    expand(&[name.to_string()], &ExpansionContext { nexthop: "n.example", hostname: "h.example", openssl: false }).remove(0)
}

fn join(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(".")
}

fn openssl(cert: &str, reference: &str) -> bool {
    compare_dns(cert.as_bytes(), reference).matched()
}

fn old(cert: &str, reference: &str, multi: bool) -> bool {
    legacy::compare(cert, &legacy_ref(reference), multi).matched()
}

proptest! {
    #[test]
    fn matching_ignores_ascii_case(d in domain(), host in label()) {
        let reference = join(&[&host, &d]);
        let wildcard = join(&["*", &d]);
        for cert in [reference.clone(), wildcard] {
            let plain = openssl(&cert, &reference);
            let flipped = openssl(&flip_case(&cert), &flip_case(&reference));
            prop_assert_eq!(plain, flipped);
        }
    }

    #[test]
    fn a_dot_pattern_never_matches_the_bare_name(d in domain()) {
        let pattern = String::from(".") + &d;
        prop_assert!(!openssl(&d, &pattern));
        prop_assert!(!old(&d, &pattern, true));
    }

    #[test]
    fn a_dot_pattern_matches_any_subdomain(d in domain(), sub in prop::collection::vec(label(), 1..3)) {
        let name = join(&[&sub.join("."), &d]);
        let pattern = String::from(".") + &d;
        prop_assert!(openssl(&name, &pattern));
        prop_assert!(old(&name, &pattern, true));
    }

    #[test]
    fn openssl_wildcard_covers_exactly_one_label(d in domain(), a in label(), b in label()) {
        let cert = join(&["*", &d]);
        let one = join(&[&a, &d]);
        let two = join(&[&a, &b, &d]);
        prop_assert!(openssl(&cert, &one));
        prop_assert!(!openssl(&cert, &two));
        prop_assert!(!openssl(&cert, &d));
    }

    #[test]
    fn legacy_wildcard_covers_one_or_more_labels_by_default(d in domain(), a in label(), b in label()) {
        let cert = join(&["*", &d]);
        let one = join(&[&a, &d]);
        let two = join(&[&a, &b, &d]);
        prop_assert!(old(&cert, &one, true));
        prop_assert!(old(&cert, &two, true));
        prop_assert!(!old(&cert, &two, false));
        prop_assert!(!old(&cert, &d, true));
    }

    #[test]
    fn trailing_dots_are_never_ignored(d in domain()) {
        let dotted = d.clone() + ".";
        prop_assert!(!openssl(&dotted, &d));
        prop_assert!(!openssl(&d, &dotted));
    }

    #[test]
    fn arbitrary_bytes_never_panic(cert in prop::collection::vec(any::<u8>(), 0..64), reference in ".{0,40}") {
        let _ = compare_dns(&cert, &reference);
        let text = String::from_utf8_lossy(&cert).into_owned();
        let _ = old(&text, &reference, true);
    }
}
