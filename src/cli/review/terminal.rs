//! The terminal while a review runs: raw mode on the alternate screen, keys
//! and resizes in, rows painted out (with `crossterm`).
//!
//! The terminal is always given back as it was (raw mode off, cursor shown,
//! normal screen): when [`Terminal`] is dropped, on an error, and on a panic
//! (a panic hook restores it before the message is printed, so the message is
//! readable), and on SIGTERM and SIGHUP (a thread restores it, then the process
//! dies of the signal as it would have; nothing undecided is written). Ctrl-C
//! arrives as a key in raw mode and quits like `q`.

use std::io::{self, Stdout, Write};
use std::sync::Once;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::style::{Attribute, Color, Print, ResetColor, SetAttribute, SetForegroundColor};
use crossterm::terminal::{self, ClearType};
use crossterm::{cursor, execute, queue};

use super::screen::{Row, Tone};

/// What the person did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A character key.
    Key(char),
    /// Ctrl-C or Escape: treated as quit.
    Interrupt,
}

/// The terminal in review mode. Restored when dropped.
pub struct Terminal {
    out: Stdout,
}

impl Terminal {
    /// Switches to raw mode on the alternate screen.
    pub fn open() -> io::Result<Self> {
        static HOOK: Once = Once::new();
        HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore();
                previous(info);
            }));
            restore_on_signals();
        });
        terminal::enable_raw_mode()?;
        // Start crossterm's event source (and its SIGWINCH handler) before the
        // first screen is drawn, so that a resize right after it is not lost.
        let _ = event::poll(std::time::Duration::ZERO);
        let mut out = io::stdout();
        if let Err(e) = execute!(out, terminal::EnterAlternateScreen, cursor::Hide) {
            restore();
            return Err(e);
        }
        Ok(Terminal { out })
    }

    /// Columns and rows.
    pub fn size(&self) -> (usize, usize) {
        let (c, r) = terminal::size().unwrap_or((80, 24));
        // A pseudo-terminal nobody sized reports 0×0.
        if c == 0 || r == 0 {
            (80, 24)
        } else {
            (c as usize, r as usize)
        }
    }

    /// Paints `rows` from the top, clearing what was there.
    pub fn draw(&mut self, rows: &[Row]) -> io::Result<()> {
        queue!(self.out, cursor::MoveTo(0, 0))?;
        for (y, row) in rows.iter().enumerate() {
            queue!(
                self.out,
                cursor::MoveTo(0, y as u16),
                terminal::Clear(ClearType::CurrentLine)
            )?;
            for span in row {
                paint(&mut self.out, span.tone, &span.text)?;
            }
        }
        queue!(self.out, terminal::Clear(ClearType::FromCursorDown))?;
        self.out.flush()
    }

    /// Shows the screen `view` makes for the terminal's size and waits for a
    /// key, repainting on every resize.
    pub fn ask(&mut self, view: &dyn Fn(usize, usize) -> Vec<Row>) -> io::Result<Input> {
        loop {
            let (cols, rows) = self.size();
            self.draw(&view(cols, rows))?;
            loop {
                match event::read()? {
                    Event::Resize(..) => break,
                    Event::Key(k) if k.kind != KeyEventKind::Release => match k.code {
                        KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                            return Ok(Input::Interrupt)
                        }
                        KeyCode::Esc => return Ok(Input::Interrupt),
                        KeyCode::Char(c) => return Ok(Input::Key(c.to_ascii_lowercase())),
                        _ => {}
                    },
                    _ => {}
                }
            }
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        restore();
    }
}

/// Gives the terminal back when the review is told to stop (`kill`, a closed
/// terminal or SSH session) instead of leaving it in raw mode on the alternate
/// screen: a thread waits for SIGTERM or SIGHUP, restores the terminal, then
/// ends the process with the signal's default action (exit status as if
/// unhandled). Files are only written when a file's review is complete, so
/// stopping here writes nothing half-decided.
fn restore_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            restore();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

/// Raw mode off, cursor shown, normal screen. Safe to call more than once.
fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        ResetColor,
        SetAttribute(Attribute::Reset),
        cursor::Show,
        terminal::LeaveAlternateScreen
    );
    let _ = terminal::disable_raw_mode();
}

fn paint(out: &mut Stdout, tone: Tone, text: &str) -> io::Result<()> {
    match tone {
        Tone::Plain => queue!(out, Print(text)),
        Tone::Dim => queue!(
            out,
            SetAttribute(Attribute::Dim),
            Print(text),
            SetAttribute(Attribute::Reset)
        ),
        Tone::Removed => queue!(
            out,
            SetForegroundColor(Color::Red),
            SetAttribute(Attribute::CrossedOut),
            Print(text),
            SetAttribute(Attribute::Reset),
            ResetColor
        ),
        Tone::Added => queue!(
            out,
            SetForegroundColor(Color::Green),
            SetAttribute(Attribute::Bold),
            Print(text),
            SetAttribute(Attribute::Reset),
            ResetColor
        ),
        Tone::Title => queue!(
            out,
            SetAttribute(Attribute::Reverse),
            Print(text),
            SetAttribute(Attribute::Reset)
        ),
        Tone::Strong => queue!(
            out,
            SetAttribute(Attribute::Bold),
            Print(text),
            SetAttribute(Attribute::Reset)
        ),
        Tone::Note => queue!(
            out,
            SetForegroundColor(Color::Yellow),
            Print(text),
            ResetColor
        ),
    }
}
