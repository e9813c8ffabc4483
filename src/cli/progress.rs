//! A progress bar on stderr when it is a terminal; nothing otherwise.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Documents and bytes done, MB/s, ETA.
pub struct Progress {
    bar: Option<ProgressBar>,
    docs: AtomicU64,
}

impl Progress {
    /// A bar over `total_bytes` (0 when unknown: a spinner), or nothing when quiet
    /// or stderr is not a terminal.
    pub fn new(total_bytes: u64, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress {
                bar: None,
                docs: AtomicU64::new(0),
            };
        }
        let bar = if total_bytes > 0 {
            let bar = ProgressBar::with_draw_target(
                Some(total_bytes),
                ProgressDrawTarget::stderr_with_hz(10),
            );
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {bytes}/{total_bytes} {msg} {binary_bytes_per_sec} ETA {eta}",
                )
                .expect("template is valid"),
            );
            bar
        } else {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
            bar.set_style(
                ProgressStyle::with_template("{spinner} {bytes} {msg} {binary_bytes_per_sec}")
                    .expect("template is valid"),
            );
            bar
        };
        Progress {
            bar: Some(bar),
            docs: AtomicU64::new(0),
        }
    }

    /// One more document of `bytes` done.
    pub fn document(&self, bytes: u64) {
        self.documents(1, bytes);
    }

    /// Many documents of `bytes` in total done.
    pub fn documents(&self, count: u64, bytes: u64) {
        if let Some(bar) = &self.bar {
            let done = self.docs.fetch_add(count, Ordering::Relaxed) + count;
            bar.inc(bytes);
            bar.set_message(format!("{done} docs"));
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
