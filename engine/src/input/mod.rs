//! Parsers for the texts people paste: main.cf, Postfix table files, MX lists and address
//! records. Each returns what it could read plus diagnostics; none of them fails.
