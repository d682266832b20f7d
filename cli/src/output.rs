//! Standard output that never panics: when the reader goes away (`peername lint … | head`),
//! the command stops quietly instead of failing on a broken pipe.

use std::io::Write;

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        gone(&e);
    }
}

/// [`print`] with a line end.
pub fn println(text: &str) {
    print(&format!("{text}\n"));
}

/// Ends the process after a failed write: quietly when the reader closed the pipe (exit 0,
/// as the reader asked for no more), with a message otherwise (exit 2).
pub fn gone(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("peername: {}", peername_i18n::tf(crate::lang::current(), "cli.error.stdout", &[("error", &e.to_string())]));
    std::process::exit(i32::from(crate::EXIT_BAD_INPUT));
}
