//! `redline._redline`: the native half of the `redline` Python package.
//!
//! A thin edge over the core: Python values in, [`redline::Engine`] calls with
//! the GIL released, Python values out. Options are parsed by the core
//! ([`redline::options`]) so that they mean, and fail, exactly as on the command
//! line. The Python-side docs and type stubs live in `python/redline/`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ffi::CString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::exceptions::{PyTypeError, PyUnicodeDecodeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyStringData, PyTuple};
use pyo3::IntoPyObjectExt;
use rayon::prelude::*;

use redline::io::decode::DecodeError;
use redline::located::LocatedFinding;
use redline::options::{Apply, Names, OptionError, Options, RuleSource, Spelling};
use redline::Engine;

/// One finding, placed in the original text.
///
/// `start`/`end` are code-point offsets (Python `str` indices) into the
/// original text, so `text[f.start:f.end] == f.before` unless an earlier applied
/// fix overlapped it. Also: `rule`, `pass_name`, `message`, `applicability`
/// (`"safe"`, `"review"` or `"flag"`), `applied`, `after` (`None` for a flag),
/// `byte_start`/`byte_end` (UTF-8), `line`/`column` (1-based, characters).
#[pyclass(module = "redline", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
struct Finding {
    rule: String,
    pass_name: String,
    message: String,
    applicability: &'static str,
    applied: bool,
    before: String,
    after: Option<String>,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    line: usize,
    column: usize,
}

impl From<LocatedFinding> for Finding {
    fn from(f: LocatedFinding) -> Self {
        Finding {
            applicability: f.applicability.as_str(),
            rule: f.rule,
            pass_name: f.pass.to_string(),
            message: f.message,
            applied: f.applied,
            before: f.before,
            after: f.after,
            start: f.char_start,
            end: f.char_end,
            byte_start: f.start,
            byte_end: f.end,
            line: f.line,
            column: f.column,
        }
    }
}

#[pymethods]
impl Finding {
    /// Findings come from `Cleaner.check`; building one by hand (or
    /// unpickling) takes every attribute, in `to_dict` order.
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        rule: String,
        pass_name: String,
        message: String,
        applicability: &str,
        applied: bool,
        before: String,
        after: Option<String>,
        start: usize,
        end: usize,
        byte_start: usize,
        byte_end: usize,
        line: usize,
        column: usize,
    ) -> PyResult<Self> {
        let applicability = redline::finding::Applicability::parse(applicability)
            .ok_or_else(|| {
                PyValueError::new_err(format!(
                    "applicability: `{applicability}` is not `safe`, `review` or `flag`"
                ))
            })?
            .as_str();
        Ok(Finding {
            rule,
            pass_name,
            message,
            applicability,
            applied,
            before,
            after,
            start,
            end,
            byte_start,
            byte_end,
            line,
            column,
        })
    }

    /// Pickles as its attributes (findings travel back from worker processes).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let f = slf.get();
        let args = PyTuple::new(
            py,
            [
                f.rule.as_str().into_bound_py_any(py)?,
                f.pass_name.as_str().into_bound_py_any(py)?,
                f.message.as_str().into_bound_py_any(py)?,
                f.applicability.into_bound_py_any(py)?,
                f.applied.into_bound_py_any(py)?,
                f.before.as_str().into_bound_py_any(py)?,
                f.after.as_deref().into_bound_py_any(py)?,
                f.start.into_bound_py_any(py)?,
                f.end.into_bound_py_any(py)?,
                f.byte_start.into_bound_py_any(py)?,
                f.byte_end.into_bound_py_any(py)?,
                f.line.into_bound_py_any(py)?,
                f.column.into_bound_py_any(py)?,
            ],
        )?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }

    /// The finding as a JSON-serialisable dict (the attributes by name).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("rule", &self.rule)?;
        d.set_item("pass_name", &self.pass_name)?;
        d.set_item("message", &self.message)?;
        d.set_item("applicability", self.applicability)?;
        d.set_item("applied", self.applied)?;
        d.set_item("before", &self.before)?;
        d.set_item("after", &self.after)?;
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("byte_start", self.byte_start)?;
        d.set_item("byte_end", self.byte_end)?;
        d.set_item("line", self.line)?;
        d.set_item("column", self.column)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Finding(rule={:?}, start={}, end={}, before={:?}, after={}, applied={})",
            self.rule,
            self.start,
            self.end,
            self.before,
            self.after
                .as_ref()
                .map_or_else(|| "None".to_string(), |a| format!("{a:?}")),
            if self.applied { "True" } else { "False" }
        )
    }
}

/// Cleaner(*, only=None, enable=None, disable=None, apply="safe", spelling=None, rule_files=None, names="builtin", encoding=None)
///
/// A cleaning engine, built once from options and used for many texts, from
/// many threads. The options mean what the command line's options of the same
/// names mean; a bad value raises `ValueError` whose message starts with the
/// option's name. `only`/`enable`/`disable` take pass or rule names (a list,
/// or one comma-separated string); `apply` is `"safe"` or `"review"`;
/// `spelling` is `None`, `"none"` or `"en-GB"`; `rule_files` are paths,
/// rule-file TOML texts (a `str` with a newline) or `(name, toml_text)` pairs;
/// `names` is `"builtin"`, `"none"` or a names map given the way a rule file is
/// (it replaces the built-in map, as `--names FILE` does);
/// `encoding` forces the encoding `clean_bytes` decodes with.
#[pyclass(module = "redline", frozen)]
struct Cleaner {
    engine: Arc<Engine>,
    options: Options,
}

/// `None`, one string (comma-separated, as the command line takes it) or an
/// iterable of strings.
fn selectors(option: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    if value.is_none() {
        return Ok(Vec::new());
    }
    let split = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    };
    if let Ok(s) = value.downcast::<PyString>() {
        return Ok(split(s.to_str()?));
    }
    let mut out = Vec::new();
    for item in value.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{option}: expected a pass or rule name or a list of them, got {}",
            type_name(value)
        ))
    })? {
        let item = item?;
        let s = item.downcast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!(
                "{option}: expected pass or rule names (str), got {}",
                type_name(&item)
            ))
        })?;
        out.extend(split(s.to_str()?));
    }
    Ok(out)
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_string(), |n| n.to_string())
}

/// A rule file for `option`: a path (`str` without a newline, or
/// `os.PathLike`), a rule file's TOML text (`str` with a newline), or a
/// `(name, toml_text)` pair. Paths are read here, so that a pickled `Cleaner`
/// carries the rules' text.
fn rule_source(option: &str, item: &Bound<'_, PyAny>) -> PyResult<RuleSource> {
    if let Ok(pair) = item.downcast::<PyTuple>() {
        if let Ok((name, source)) = pair.extract::<(String, String)>() {
            return Ok(RuleSource::Toml { name, source });
        }
        return Err(PyTypeError::new_err(format!(
            "{option}: a pair must be (name, toml_text), both str"
        )));
    }
    if let Ok(s) = item.downcast::<PyString>() {
        let s = s.to_str()?;
        if s.contains('\n') {
            return Ok(RuleSource::Toml {
                name: format!("<{option} text>"),
                source: s.to_string(),
            });
        }
    }
    let path: PathBuf = item.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "{option}: expected a path, a rule file's TOML text or a (name, text) pair, got {}",
            type_name(item)
        ))
    })?;
    match std::fs::read_to_string(&path) {
        Ok(source) => Ok(RuleSource::Toml {
            name: path.display().to_string(),
            source,
        }),
        Err(e) => Err(PyValueError::new_err(format!(
            "{option}: cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// The names map: `"builtin"`, `"none"`, or a names map as [`rule_source`]
/// takes a rule file (`--names FILE`: a file named `builtin` or `none` is
/// `./builtin`, as on the command line). Python's `None` (which PyO3 passes as
/// Rust's) is the default, the built-in map.
fn names_source(value: Option<&Bound<'_, PyAny>>) -> PyResult<Names> {
    let Some(value) = value else {
        return Ok(Names::Builtin);
    };
    if let Ok(s) = value.downcast::<PyString>() {
        match s.to_str()? {
            "builtin" => return Ok(Names::Builtin),
            "none" => return Ok(Names::None),
            _ => {}
        }
    }
    Ok(Names::Map(rule_source("names", value)?))
}

/// Bytes invalid in their encoding as Python's `UnicodeDecodeError` (a
/// `ValueError`) with the command line's message as the reason; binary data
/// and unknown labels as `ValueError`.
fn decode_error(py: Python<'_>, data: &[u8], e: &DecodeError) -> PyErr {
    if let DecodeError::Malformed {
        encoding, offset, ..
    } = e
    {
        let (Ok(name), Ok(reason)) = (CString::new(*encoding), CString::new(e.to_string())) else {
            return PyValueError::new_err(e.to_string());
        };
        let end = (*offset + 1).min(data.len());
        match PyUnicodeDecodeError::new(py, &name, data, *offset..end, &reason) {
            Ok(err) => PyErr::from_value(err.into_any()),
            Err(err) => err,
        }
    } else {
        PyValueError::new_err(format!("cannot decode: {e}"))
    }
}

/// `ValueError("disable: unknown pass or rule …")`, with the option named as
/// the keyword argument is (`rule_files`, not the command line's `rule-files`).
fn option_error(e: OptionError) -> PyErr {
    PyValueError::new_err(format!("{}: {}", e.option.replace('-', "_"), e.source))
}

/// The thread pools of this process, by size.
struct Pools {
    /// The process they were built in: threads do not survive `fork()`, so a
    /// forked child (datatrove's and Spark's workers) must build its own.
    pid: u32,
    by_size: HashMap<usize, Arc<rayon::ThreadPool>>,
}

/// The pool of `threads` threads (`None`: one per core), built once per process
/// and size: building one costs more than cleaning a small batch. Rayon's
/// global pool is never used, since a child forked after the parent used it
/// would wait forever for threads it does not have.
fn pool(threads: Option<usize>) -> PyResult<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<Pools>> = OnceLock::new();
    let n = match threads {
        Some(0) => {
            return Err(PyValueError::new_err(
                "threads: takes a number of threads of at least 1 (or None for all cores)",
            ))
        }
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut pools = POOLS
        .get_or_init(|| {
            Mutex::new(Pools {
                pid: std::process::id(),
                by_size: HashMap::new(),
            })
        })
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if pools.pid != std::process::id() {
        // Inherited from the parent: their threads are not in this process.
        // Dropping them would signal threads that do not exist; leak them.
        std::mem::forget(std::mem::take(&mut pools.by_size));
        pools.pid = std::process::id();
    }
    if let Some(p) = pools.by_size.get(&n) {
        return Ok(p.clone());
    }
    let p = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("redline-{i}"))
        .build()
        .map_err(|e| PyValueError::new_err(format!("threads: {e}")))?;
    let p = Arc::new(p);
    pools.by_size.insert(n, p.clone());
    Ok(p)
}

/// A Python `str`'s text as the object stores it, borrowed (PEP 393: one, two
/// or four bytes per code point). Taking it costs nothing under the GIL; the
/// conversion to UTF-8, where one is needed, happens in [`Source::text`] on
/// the worker threads. (`PyString::to_str` would instead encode every
/// non-ASCII text on the calling thread, serially, and cache the UTF-8 copy on
/// the object for as long as it lives.) Only CPython exposes this layout.
#[derive(Clone, Copy)]
enum Source<'a> {
    Ucs1(&'a [u8]),
    Ucs2(&'a [u16]),
    Ucs4(&'a [u32]),
}

impl<'a> Source<'a> {
    /// The string's storage; valid while `s` is alive (a `str` never changes).
    fn of(s: &'a Bound<'_, PyString>) -> PyResult<Self> {
        // SAFETY: `data` reads the object's canonical storage, which CPython
        // never changes after creation; the slices live as long as the borrow
        // of `s`, which the callers keep alive until the text is no longer used.
        Ok(match unsafe { s.data()? } {
            PyStringData::Ucs1(b) => Source::Ucs1(b),
            PyStringData::Ucs2(u) => Source::Ucs2(u),
            PyStringData::Ucs4(u) => Source::Ucs4(u),
        })
    }

    /// The text as UTF-8: borrowed for ASCII (most news documents), else
    /// converted. `None` for a lone surrogate, which UTF-8 cannot hold (the
    /// caller raises the `UnicodeEncodeError` that `str.encode` would).
    fn text(self) -> Option<Cow<'a, str>> {
        match self {
            // ASCII is UTF-8 as it is; other one-byte texts are Latin-1.
            Source::Ucs1(b) if b.is_ascii() => std::str::from_utf8(b).ok().map(Cow::Borrowed),
            Source::Ucs1(b) => utf8(b.iter().map(|&c| c.into()), b.len() * 2),
            // One code point per unit (surrogates are lone code points here,
            // never pairs), so no UTF-16 decoding.
            Source::Ucs2(u) => utf8(u.iter().map(|&c| c.into()), u.len() * 3),
            Source::Ucs4(u) => utf8(u.iter().copied(), u.len() * 4),
        }
    }
}

/// Code points as UTF-8 into a buffer of the largest size they can take (no
/// reallocation); `None` at a surrogate.
fn utf8(code_points: impl Iterator<Item = u32>, capacity: usize) -> Option<Cow<'static, str>> {
    let mut out = String::with_capacity(capacity);
    for c in code_points {
        out.push(char::from_u32(c)?);
    }
    Some(Cow::Owned(out))
}

/// The error for a text that has no UTF-8 form (a lone surrogate), as
/// `to_str` raises it.
fn not_utf8(s: &Bound<'_, PyString>) -> PyErr {
    match s.to_str() {
        Err(e) => e,
        Ok(_) => PyValueError::new_err("text: cannot be read as UTF-8"),
    }
}

/// `original` itself when the cleaned text equals it (most documents of a clean
/// corpus; a `str` is immutable, so sharing it is safe), else a new `str`.
fn text_out<'py>(original: &Bound<'py, PyString>, cleaned: Option<String>) -> Bound<'py, PyString> {
    match cleaned {
        None => original.clone(),
        Some(c) => PyString::new(original.py(), &c),
    }
}

/// `Some(cleaned)` if cleaning changed `text`, `None` if not: compared on the
/// worker thread, so that the calling thread only converts changed texts.
fn changed(text: &str, cleaned: String) -> Option<String> {
    (cleaned != text).then_some(cleaned)
}

/// Runs `f` on `text` without the GIL (the conversion to UTF-8 included).
fn one<T: Send>(
    py: Python<'_>,
    text: &Bound<'_, PyString>,
    f: impl FnOnce(&str) -> T + Send,
) -> PyResult<T> {
    let source = Source::of(text)?;
    py.allow_threads(|| source.text().map(|t| f(&t)))
        .ok_or_else(|| not_utf8(text))
}

/// Runs `f` over `texts` in parallel on the pool for `threads`, without the
/// GIL, and returns the texts (as `str` objects, kept alive) with the results.
/// The calling thread only takes a pointer to each text; reading it as UTF-8
/// and cleaning are done by the pool.
fn batch<'py, T: Send>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    threads: Option<usize>,
    f: impl Fn(&str) -> T + Sync + Send,
) -> PyResult<(Vec<Bound<'py, PyString>>, Vec<T>)> {
    let pool = pool(threads)?;
    if texts.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "texts: expected an iterable of str, got one str (use clean() for one text)",
        ));
    }
    let items: Vec<Bound<'py, PyString>> = texts
        .try_iter()?
        .map(|item| {
            let item = item?;
            item.downcast_into::<PyString>().map_err(|e| {
                PyTypeError::new_err(format!(
                    "texts: expected str items, got {}",
                    type_name(e.into_inner().as_any())
                ))
            })
        })
        .collect::<PyResult<_>>()?;
    let sources: Vec<Source<'_>> = items.iter().map(Source::of).collect::<PyResult<_>>()?;
    let results: Vec<Option<T>> = py.allow_threads(|| {
        pool.install(|| {
            sources
                .par_iter()
                .map(|s| s.text().map(|t| f(&t)))
                .collect()
        })
    });
    let results = results
        .into_iter()
        .zip(&items)
        .map(|(r, s)| r.ok_or_else(|| not_utf8(s)))
        .collect::<PyResult<Vec<T>>>()?;
    Ok((items, results))
}

fn counts_dict<'py>(
    py: Python<'py>,
    counts: &BTreeMap<String, usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (rule, n) in counts {
        d.set_item(rule, n)?;
    }
    Ok(d)
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (*, only=None, enable=None, disable=None, apply="safe", spelling=None, rule_files=None, names=None, encoding=None))]
    #[pyo3(
        text_signature = "(*, only=None, enable=None, disable=None, apply=\"safe\", spelling=None, rule_files=None, names=\"builtin\", encoding=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        only: Option<&Bound<'_, PyAny>>,
        enable: Option<&Bound<'_, PyAny>>,
        disable: Option<&Bound<'_, PyAny>>,
        apply: &str,
        spelling: Option<&str>,
        rule_files: Option<&Bound<'_, PyAny>>,
        names: Option<&Bound<'_, PyAny>>,
        encoding: Option<String>,
    ) -> PyResult<Self> {
        let apply: Apply = apply
            .parse()
            .map_err(|e| PyValueError::new_err(format!("apply: {e}")))?;
        let spelling: Spelling = match spelling {
            None => Spelling::None,
            Some(s) => s
                .parse()
                .map_err(|e| PyValueError::new_err(format!("spelling: {e}")))?,
        };
        let mut sources = Vec::new();
        if let Some(files) = rule_files.filter(|f| !f.is_none()) {
            let one = files.is_instance_of::<PyString>()
                || files.is_instance_of::<PyTuple>()
                || files.hasattr("__fspath__")?;
            if one {
                sources.push(rule_source("rule_files", files)?);
            } else {
                for item in files.try_iter()? {
                    sources.push(rule_source("rule_files", &item?)?);
                }
            }
        }
        let options = Options {
            only: selectors("only", only)?,
            enable: selectors("enable", enable)?,
            disable: selectors("disable", disable)?,
            apply,
            spelling,
            rule_files: sources,
            names: names_source(names)?,
            encoding,
        };
        let engine = py
            .allow_threads(|| Engine::from_options(&options))
            .map_err(option_error)?;
        Ok(Cleaner {
            engine: Arc::new(engine),
            options,
        })
    }

    /// The cleaned text: what `redline clean` writes for it (`text` itself,
    /// the same object, when nothing changed).
    fn clean<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyString>> {
        let cleaned = one(py, text, |t| changed(t, self.engine.clean(t)))?;
        Ok(text_out(text, cleaned))
    }

    /// Every finding (applied fixes, fixes held back, flags) in the order
    /// `redline check` lists them.
    fn check(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<Vec<Finding>> {
        let found = one(py, text, |t| self.engine.check(t))?;
        Ok(found.into_iter().map(Finding::from).collect())
    }

    /// The cleaned text and the findings, from one run.
    fn clean_and_check<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
    ) -> PyResult<(Bound<'py, PyString>, Vec<Finding>)> {
        let (cleaned, found) = one(py, text, |t| {
            let (c, found) = self.engine.clean_and_check(t);
            (changed(t, c), found)
        })?;
        Ok((
            text_out(text, cleaned),
            found.into_iter().map(Finding::from).collect(),
        ))
    }

    /// The cleaned text and the number of findings per rule id: summed over
    /// documents, the `findings` column of `redline check --statistics`.
    fn clean_with_counts<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
    ) -> PyResult<(Bound<'py, PyString>, Bound<'py, PyDict>)> {
        let (cleaned, counts) = one(py, text, |t| {
            let (c, counts) = self.engine.clean_with_counts(t);
            (changed(t, c), counts)
        })?;
        Ok((text_out(text, cleaned), counts_dict(py, &counts)?))
    }

    /// Decodes `data` as the command line does (byte-order mark, UTF-8, else the
    /// legacy encoding detected, or `encoding`), then cleans. `ValueError` for
    /// binary data or bytes invalid in the encoding.
    fn clean_bytes(&self, py: Python<'_>, data: std::borrow::Cow<'_, [u8]>) -> PyResult<String> {
        match py.allow_threads(|| self.engine.clean_bytes(data.to_vec())) {
            Ok(decoded) => Ok(decoded.text),
            Err(e) => Err(decode_error(py, &data, &e)),
        }
    }

    /// `[clean(t) for t in texts]`, in parallel without the GIL on `threads`
    /// threads (`None`: all cores). The result is the same for every `threads`;
    /// an unchanged text is returned as the same object.
    #[pyo3(signature = (texts, threads=None))]
    fn clean_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Vec<Bound<'py, PyString>>> {
        let engine = &self.engine;
        let (items, cleaned) = batch(py, texts, threads, |t| changed(t, engine.clean(t)))?;
        Ok(items
            .iter()
            .zip(cleaned)
            .map(|(s, c)| text_out(s, c))
            .collect())
    }

    /// `[check(t) for t in texts]`, in parallel (see `clean_batch`).
    #[pyo3(signature = (texts, threads=None))]
    fn check_batch(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Vec<Vec<Finding>>> {
        let engine = &self.engine;
        let (_, found) = batch(py, texts, threads, |t| engine.check(t))?;
        Ok(found
            .into_iter()
            .map(|v| v.into_iter().map(Finding::from).collect())
            .collect())
    }

    /// `[clean_with_counts(t) for t in texts]`, in parallel (see `clean_batch`).
    #[pyo3(signature = (texts, threads=None))]
    fn clean_batch_with_counts<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Vec<(Bound<'py, PyString>, Bound<'py, PyDict>)>> {
        let engine = &self.engine;
        let (items, results) = batch(py, texts, threads, |t| {
            let (c, counts) = engine.clean_with_counts(t);
            (changed(t, c), counts)
        })?;
        items
            .iter()
            .zip(results)
            .map(|(s, (c, counts))| Ok((text_out(s, c), counts_dict(py, &counts)?)))
            .collect()
    }

    /// The passes that run, in order.
    #[getter]
    fn passes(&self) -> Vec<&'static str> {
        self.engine.pipeline.pass_names()
    }

    #[getter]
    fn only(&self) -> Vec<String> {
        self.options.only.clone()
    }

    #[getter]
    fn enable(&self) -> Vec<String> {
        self.options.enable.clone()
    }

    #[getter]
    fn disable(&self) -> Vec<String> {
        self.options.disable.clone()
    }

    #[getter]
    fn apply(&self) -> &'static str {
        self.options.apply.as_str()
    }

    #[getter]
    fn spelling(&self) -> Option<&'static str> {
        match self.options.spelling {
            Spelling::None => None,
            s => Some(s.as_str()),
        }
    }

    #[getter]
    fn encoding(&self) -> Option<String> {
        self.options.encoding.clone()
    }

    /// The extra rule files as `(name, toml_text)` pairs.
    #[getter]
    fn rule_files(&self) -> Vec<(String, String)> {
        self.options
            .rule_files
            .iter()
            .map(|r| match r {
                RuleSource::Path(p) => (p.display().to_string(), String::new()),
                RuleSource::Toml { name, source } => (name.clone(), source.clone()),
            })
            .collect()
    }

    /// The names map: `"builtin"`, `"none"` or `(name, toml_text)`.
    #[getter]
    fn names<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.options.names {
            Names::Builtin => "builtin".into_bound_py_any(py),
            Names::None => "none".into_bound_py_any(py),
            Names::Map(RuleSource::Toml { name, source }) => {
                (name.as_str(), source.as_str()).into_bound_py_any(py)
            }
            // Paths are read when the `Cleaner` is built; kept for completeness.
            Names::Map(RuleSource::Path(p)) => p.as_path().into_bound_py_any(py),
        }
    }

    /// The options as keyword arguments that rebuild an equal `Cleaner`.
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("only", self.only())?;
        d.set_item("enable", self.enable())?;
        d.set_item("disable", self.disable())?;
        d.set_item("apply", self.apply())?;
        d.set_item("spelling", self.spelling())?;
        d.set_item("rule_files", PyList::new(py, self.rule_files())?)?;
        d.set_item("names", self.names(py)?)?;
        d.set_item("encoding", self.encoding())?;
        Ok(d)
    }

    /// Pickles as its options: a worker rebuilds the engine from them.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let rebuild = py.import("redline")?.getattr("_rebuild_cleaner")?;
        let options = slf.get().options(py)?;
        PyTuple::new(py, [rebuild, PyTuple::new(py, [options])?.into_any()])
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .downcast::<Cleaner>()
            .is_ok_and(|o| o.get().options == self.options)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let o = &self.options;
        (&o.only, &o.enable, &o.disable, o.apply, o.spelling).hash(&mut h);
        (&o.rule_files, &o.names, &o.encoding).hash(&mut h);
        h.finish()
    }

    fn __repr__(&self) -> String {
        let o = &self.options;
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
            format!("[{}]", items.join(", "))
        };
        let mut parts = Vec::new();
        for (name, v) in [
            ("only", &o.only),
            ("enable", &o.enable),
            ("disable", &o.disable),
        ] {
            if !v.is_empty() {
                parts.push(format!("{name}={}", list(v)));
            }
        }
        parts.push(format!("apply={:?}", o.apply.as_str()));
        if o.spelling != Spelling::None {
            parts.push(format!("spelling={:?}", o.spelling.as_str()));
        }
        if !o.rule_files.is_empty() {
            let names: Vec<String> = self.rule_files().into_iter().map(|(n, _)| n).collect();
            parts.push(format!("rule_files={}", list(&names)));
        }
        match &o.names {
            Names::Builtin => {}
            Names::None => parts.push("names=\"none\"".to_string()),
            Names::Map(RuleSource::Toml { name, .. }) => parts.push(format!("names={name:?}")),
            Names::Map(RuleSource::Path(p)) => parts.push(format!("names={:?}", p.display())),
        }
        if let Some(e) = &o.encoding {
            parts.push(format!("encoding={e:?}"));
        }
        format!("Cleaner({})", parts.join(", "))
    }
}

/// The engine with the built-in defaults, built on first use.
fn default_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::default_config)
}

/// Cleans `text` with the default options (`text` itself when unchanged).
#[pyfunction]
fn clean<'py>(py: Python<'py>, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
    let cleaned = one(py, text, |t| changed(t, default_engine().clean(t)))?;
    Ok(text_out(text, cleaned))
}

/// Every finding in `text` with the default options.
#[pyfunction]
fn check(py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<Vec<Finding>> {
    let found = one(py, text, |t| default_engine().check(t))?;
    Ok(found.into_iter().map(Finding::from).collect())
}

#[pymodule]
fn _redline(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cleaner>()?;
    m.add_class::<Finding>()?;
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
