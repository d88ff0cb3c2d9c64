//! The stdio transport: frames messages between the editor and tower-lsp-server, answering
//! malformed ones itself.
//!
//! tower-lsp-server's framed reader stops for good after the first body it cannot decode
//! (tokio-util ends a framed stream after an error), which would end the session on one bad
//! message. So we read the frames here, pass on only well-formed JSON-RPC messages, and answer
//! the rest with a JSON-RPC error (`-32700` parse error, `-32600` invalid request) ourselves.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tower_lsp_server::jsonrpc::Response;

/// Messages larger than this are refused (a protection against absurd Content-Length values).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// A header line longer than this is not a header: the reader drops it and looks for the next
/// `Content-Length` (a client sending megabytes without a newline must not grow our memory).
const MAX_HEADER_LINE: usize = 8 * 1024;

/// How long a message body may stall half-read before the reader, when what it read so far
/// holds another message's header, takes the declared length for a lie and resynchronises.
const BODY_STALL: std::time::Duration = std::time::Duration::from_millis(500);

/// Nesting deeper than this is refused with "invalid params" (serde_json, which
/// tower-lsp-server decodes with, stops at 128 levels and ends the session).
const MAX_DEPTH: usize = 100;

const CONTENT_LENGTH: &[u8] = b"content-length";

/// One event of the byte stream from the client.
#[derive(Debug, PartialEq)]
pub enum Frame {
    Body(Vec<u8>),
    /// A `Content-Length` header was unreadable (not a number, too large, an endless line);
    /// the reader looks for the next one.
    BadHeader,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Looking for a `Content-Length` header; everything else is skipped (unknown headers,
    /// blank lines, the rest of a message whose length was wrong).
    Seek,
    /// After `Content-Length: n`: skipping other headers up to the blank line.
    Headers(usize),
    /// Reading `n` bytes of body.
    Body(usize),
}

/// The message framing of the base protocol as a push parser: bytes in, bodies out. It never
/// fails and never holds more than one message plus one header line of input: unknown
/// headers are skipped, a bad or missing `Content-Length` makes it resynchronise on the next
/// `Content-Length`, and a body that turns out not to be JSON is scanned again for one
/// (`rescan`), so a wrong length loses only the messages it overlaps.
#[derive(Debug)]
pub struct Deframer {
    buf: Vec<u8>,
    pos: usize,
    state: State,
}

impl Default for Deframer {
    fn default() -> Self {
        Deframer { buf: Vec::new(), pos: 0, state: State::Seek }
    }
}

/// The first case-insensitive `content-length` in `hay`.
fn find_content_length(hay: &[u8]) -> Option<usize> {
    memchr::memchr2_iter(b'c', b'C', hay).find(|&i| {
        hay.len() - i >= CONTENT_LENGTH.len() && hay[i..i + CONTENT_LENGTH.len()].eq_ignore_ascii_case(CONTENT_LENGTH)
    })
}

impl Deframer {
    /// Appends bytes read from the client.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes held, for tests of the memory bound.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Whether a body is being read (the caller then watches for a stall).
    pub fn in_body(&self) -> bool {
        matches!(self.state, State::Body(_))
    }

    /// The next frame, or `None` when more input is needed.
    pub fn next_frame(&mut self) -> Option<Frame> {
        loop {
            let rest = &self.buf[self.pos..];
            match self.state {
                State::Seek => match find_content_length(rest) {
                    Some(i) => {
                        let line = &rest[i..];
                        let Some(end) = memchr::memchr(b'\n', line) else {
                            if line.len() > MAX_HEADER_LINE {
                                self.pos += i + CONTENT_LENGTH.len();
                                return Some(Frame::BadHeader);
                            }
                            self.pos += i;
                            return None;
                        };
                        let value = line[CONTENT_LENGTH.len()..end].trim_ascii();
                        let length = value
                            .strip_prefix(b":")
                            .and_then(|v| std::str::from_utf8(v).ok())
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .filter(|&n| n <= MAX_MESSAGE);
                        match length {
                            Some(n) => {
                                self.pos += i + end + 1;
                                self.state = State::Headers(n);
                            }
                            None => {
                                // Resynchronise just after this header's name, so a header
                                // glued to the next one (`Content-Length: xContent-Length: 5`)
                                // still finds it.
                                self.pos += i + CONTENT_LENGTH.len();
                                return Some(Frame::BadHeader);
                            }
                        }
                    }
                    None => {
                        // Keep only what could be the start of a `content-length` cut in two.
                        let keep = rest.len().min(CONTENT_LENGTH.len() - 1);
                        self.pos = self.buf.len() - keep;
                        return None;
                    }
                },
                State::Headers(n) => {
                    let Some(end) = memchr::memchr(b'\n', rest) else {
                        if rest.len() > MAX_HEADER_LINE {
                            self.state = State::Seek;
                            return Some(Frame::BadHeader);
                        }
                        return None;
                    };
                    let line = rest[..end].trim_ascii();
                    if line.is_empty() {
                        self.pos += end + 1;
                        self.state = State::Body(n);
                    } else if find_content_length(line).is_some() {
                        // Another length before the body: the later header wins.
                        self.state = State::Seek;
                    } else {
                        // Unknown headers (`Content-Type`, `X-Trace`...) are allowed and skipped.
                        self.pos += end + 1;
                    }
                }
                State::Body(n) => {
                    if rest.len() < n {
                        return None;
                    }
                    let body = rest[..n].to_vec();
                    self.pos += n;
                    self.state = State::Seek;
                    return Some(Frame::Body(body));
                }
            }
        }
    }

    /// A body that is not JSON at all (its length was wrong, or the stream was garbled): scan
    /// it again for the next message's header.
    pub fn rescan(&mut self, body: &[u8]) {
        let mut buf = Vec::with_capacity(body.len() + self.buffered());
        buf.extend_from_slice(body);
        buf.extend_from_slice(&self.buf[self.pos..]);
        self.buf = buf;
        self.pos = 0;
        self.state = State::Seek;
    }

    /// The input stalled (or ended) in the middle of a body: when what was read of it holds
    /// another message's header, the declared length was a lie; give up this body and
    /// resynchronise. Returns whether a body was given up.
    pub fn stalled(&mut self) -> bool {
        if self.in_body() && find_content_length(&self.buf[self.pos..]).is_some() {
            self.state = State::Seek;
            return true;
        }
        false
    }
}

/// How long the server may take to finish on its own after `exit` before the process ends.
const EXIT_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// The base protocol's header for a body of `len` bytes.
fn header(len: usize) -> String {
    format!("Content-Length: {len}\r\n\r\n")
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = header(body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The envelope of a JSON-RPC message, read without building the (possibly large) params,
/// used only to find the id of a message that failed the strict check.
#[derive(Deserialize)]
struct LooseEnvelope {
    method: Option<serde::de::IgnoredAny>,
    id: Option<Value>,
}

/// Any JSON value, checked the way tower-lsp-server will decode it, without building it:
/// strings must decode (no lone surrogate escapes), numbers must fit an `f64` (no `1e999`),
/// nesting at most `MAX_DEPTH` deep. Records whether it was `null`.
struct Strict {
    null: bool,
}

struct StrictVisitor {
    depth: usize,
}

/// `Strict` at a given depth, for the elements of arrays and objects.
struct StrictSeed {
    depth: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for StrictSeed {
    type Value = Strict;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Strict, D::Error> {
        if self.depth > MAX_DEPTH {
            return Err(serde::de::Error::custom(format!("nested more than {MAX_DEPTH} levels deep")));
        }
        d.deserialize_any(StrictVisitor { depth: self.depth })
    }
}

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Strict;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict { null: false })
    }
    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict { null: false })
    }
    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict { null: false })
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Strict, E> {
        if v.is_finite() {
            Ok(Strict { null: false })
        } else {
            Err(E::custom("number out of range"))
        }
    }
    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict { null: false })
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict { null: true })
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element_seed(StrictSeed { depth: self.depth + 1 })?.is_some() {}
        Ok(Strict { null: false })
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        while map.next_key::<std::borrow::Cow<'de, str>>()?.is_some() {
            map.next_value_seed(StrictSeed { depth: self.depth + 1 })?;
        }
        Ok(Strict { null: false })
    }
}

/// The envelope of a JSON-RPC message, every value checked strictly (`Strict`) in one pass
/// without building the params.
#[derive(Default)]
struct Envelope {
    jsonrpc: Option<Value>,
    method: Option<Value>,
    id: Option<Value>,
    /// `Some(true)` for `"params": null`.
    params_null: Option<bool>,
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Envelope, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Envelope;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON-RPC message")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
                let mut e = Envelope::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match &*key {
                        "jsonrpc" => e.jsonrpc = Some(map.next_value()?),
                        "method" => e.method = Some(map.next_value()?),
                        "id" => e.id = Some(map.next_value()?),
                        "params" => e.params_null = Some(map.next_value_seed(StrictSeed { depth: 1 })?.null),
                        _ => {
                            map.next_value_seed(StrictSeed { depth: 1 })?;
                        }
                    }
                }
                Ok(e)
            }
        }
        d.deserialize_any(V)
    }
}

/// What the transport needs to know of a well-formed message.
#[derive(Debug, PartialEq)]
pub struct Checked {
    /// `None` for a response.
    pub method: Option<String>,
    /// The id of a request (`None` for notifications and responses).
    pub id: Option<Value>,
}

/// Why a body is not passed on.
#[derive(Debug, PartialEq)]
pub enum Rejected {
    /// Not JSON at all: answered with a parse error, and scanned again for a message header
    /// (its Content-Length may have been wrong).
    NotJson(Value),
    /// JSON that tower-lsp-server cannot take: the answer to send, if any (notifications and
    /// responses get none).
    Invalid(Option<Value>),
}

/// Checks one body: its method and id when tower-lsp-server can decode it, else why not.
/// Requests and notifications are checked in one pass without building their params;
/// responses (small, rare) are decoded in full.
pub fn validate(body: &[u8]) -> Result<Checked, Rejected> {
    let envelope: Envelope = match serde_json::from_slice(body) {
        Ok(e) => e,
        Err(strict) => {
            // Which part failed: the JSON itself, or a value inside it.
            if body.trim_ascii_start().first() != Some(&b'{') {
                return Err(match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                    Ok(_) => Rejected::Invalid(Some(error_response(Value::Null, -32600, "Invalid request"))),
                    Err(_) => Rejected::NotJson(error_response(Value::Null, -32700, "Parse error")),
                });
            }
            return Err(match serde_json::from_slice::<LooseEnvelope>(body) {
                Err(e) if e.is_syntax() || e.is_eof() => {
                    Rejected::NotJson(error_response(Value::Null, -32700, "Parse error"))
                }
                Err(_) => match serde_json::from_slice::<Value>(body) {
                    Ok(v) => Rejected::Invalid(Some(error_response(
                        usable_id(v.get("id").cloned()),
                        -32600,
                        "Invalid request",
                    ))),
                    Err(_) => {
                        Rejected::Invalid(Some(error_response(Value::Null, -32700, &format!("Parse error: {strict}"))))
                    }
                },
                Ok(loose) => {
                    let id = usable_id(loose.id);
                    match (loose.method.is_some(), id.is_null()) {
                        (true, false) => {
                            Rejected::Invalid(Some(error_response(id, -32602, &format!("Invalid params: {strict}"))))
                        }
                        (true, true) => {
                            tracing::warn!("dropped a notification with invalid params: {strict}");
                            Rejected::Invalid(None)
                        }
                        (false, false) => {
                            Rejected::Invalid(Some(error_response(id, -32600, &format!("Invalid request: {strict}"))))
                        }
                        (false, true) => Rejected::Invalid(Some(error_response(
                            Value::Null,
                            -32700,
                            &format!("Parse error: {strict}"),
                        ))),
                    }
                }
            });
        }
    };
    let id_ok = match &envelope.id {
        None | Some(Value::Null) | Some(Value::String(_)) => true,
        Some(Value::Number(n)) => n.is_i64(),
        Some(_) => false,
    };
    let version_ok = envelope.jsonrpc.as_ref().and_then(Value::as_str) == Some("2.0");
    let method = match envelope.method {
        Some(Value::String(m)) => Some(m),
        None => None,
        Some(_) => {
            return Err(Rejected::Invalid(Some(error_response(usable_id(envelope.id), -32600, "Invalid request"))))
        }
    };
    if version_ok && id_ok && method.is_some() {
        let id = envelope.id.filter(|id| !id.is_null());
        // `shutdown` takes no params. tower-lsp-server enters its shut-down state before it
        // looks at them, and would then refuse everything after an "invalid params" answer.
        if method.as_deref() == Some("shutdown") && envelope.params_null == Some(false) {
            let reply = id.map(|id| error_response(id, -32602, "Invalid params: shutdown takes none"));
            return Err(Rejected::Invalid(reply));
        }
        return Ok(Checked { method, id });
    }
    // A response (`"result": null` included) is decoded in full.
    if method.is_none() {
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            if Response::deserialize(&value).is_ok() {
                return Ok(Checked { method: None, id: None });
            }
        }
    }
    Err(Rejected::Invalid(Some(error_response(usable_id(envelope.id), -32600, "Invalid request"))))
}

/// The id to answer an invalid message with: its own when it is a valid id, else `null`.
fn usable_id(id: Option<Value>) -> Value {
    id.filter(|id| id.is_i64() || id.is_string()).unwrap_or(Value::Null)
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "error": {"code": code, "message": message}, "id": id})
}

/// Answers of at least this size may be overtaken on the way out (see `Output`).
pub const BULK: usize = 64 * 1024;

/// The stream to the client, written by one thread of its own with plain blocking writes.
///
/// Every message (tower-lsp-server's, the ones answered beside it, the transport's own
/// replies) is queued here whole and written as one frame, so messages never interleave.
/// Messages keep the order they were sent in, except that an answer of `BULK` bytes or more
/// (a fix-all of 100,000 edits is megabytes) waits until no other message is queued: a hover
/// answered while three such answers are queued goes out after the one being written, not
/// after all three. Answers carry their request's id, so JSON-RPC needs no order among them;
/// notifications and requests to the client keep theirs.
#[derive(Clone, Debug)]
pub struct Output {
    shared: Arc<OutputShared>,
}

#[derive(Debug, Default)]
struct OutputShared {
    queue: Mutex<Queue>,
    /// Signalled when a message is queued, the output closes, or the writer ends.
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Queue {
    /// Messages in the order they were sent.
    ordered: VecDeque<Vec<u8>>,
    /// Large answers, written when `ordered` is empty.
    bulk: VecDeque<Vec<u8>>,
    /// No more messages will be sent: the writer ends once the queues are empty.
    closed: bool,
    /// The writer has ended (queues written, or the client's stream failed).
    ended: bool,
}

impl Output {
    /// Starts the thread that writes to `out`.
    pub fn start<W: Write + Send + 'static>(out: W) -> std::io::Result<Output> {
        let output = Output { shared: Arc::default() };
        let writer = output.clone();
        std::thread::Builder::new().name("errcode-lsp output".into()).spawn(move || writer.write_all_to(out))?;
        Ok(output)
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.shared.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a message (an unframed JSON body) that keeps its place in the order.
    pub fn send(&self, body: Vec<u8>) {
        self.push(body, false);
    }

    /// Queues the answer to a request: a large one may be overtaken by later messages.
    pub fn answer(&self, body: Vec<u8>) {
        let bulk = body.len() >= BULK;
        self.push(body, bulk);
    }

    fn push(&self, body: Vec<u8>, bulk: bool) {
        let mut queue = self.queue();
        // After the stream failed (the client is gone) messages are dropped, not kept.
        if queue.ended {
            return;
        }
        if bulk {
            queue.bulk.push_back(body);
        } else {
            queue.ordered.push_back(body);
        }
        drop(queue);
        self.shared.changed.notify_all();
    }

    /// The writer thread: frames and writes queued messages until the output is closed and
    /// empty, or a write fails.
    fn write_all_to<W: Write>(&self, mut out: W) {
        loop {
            let body = {
                let mut queue = self.queue();
                loop {
                    if let Some(body) = queue.ordered.pop_front().or_else(|| queue.bulk.pop_front()) {
                        break Some(body);
                    }
                    if queue.closed {
                        break None;
                    }
                    queue = self.shared.changed.wait(queue).unwrap_or_else(|e| e.into_inner());
                }
            };
            let Some(body) = body else { break };
            // A small message goes out in one write; a large one is not copied to be framed.
            let written = if body.len() < BULK {
                out.write_all(&frame(&body))
            } else {
                out.write_all(header(body.len()).as_bytes()).and_then(|()| out.write_all(&body))
            };
            let written = written.and_then(|()| out.flush());
            if let Err(e) = written {
                tracing::debug!("the client's stream is closed: {e}");
                break;
            }
        }
        let mut queue = self.queue();
        queue.ended = true;
        queue.ordered.clear();
        queue.bulk.clear();
        drop(queue);
        self.shared.changed.notify_all();
    }

    /// Whether the writer has ended (the client's stream failed, or the output was closed).
    pub fn ended(&self) -> bool {
        self.queue().ended
    }

    /// Closes the output and waits (at most `limit`) until what was queued is written.
    pub fn close(&self, limit: Duration) {
        let mut queue = self.queue();
        queue.closed = true;
        self.shared.changed.notify_all();
        let deadline = std::time::Instant::now() + limit;
        while !queue.ended {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                tracing::warn!(
                    "the client does not read its input; {} messages not written",
                    queue.ordered.len() + queue.bulk.len()
                );
                return;
            }
            queue = self.shared.changed.wait_timeout(queue, left).unwrap_or_else(|e| e.into_inner()).0;
        }
    }
}

/// tower-lsp-server's output stream: each message it writes goes whole onto the `Output`
/// queue, on the task that wrote it (no pipe and no task in between).
#[derive(Debug)]
pub struct ToClient {
    deframer: Deframer,
    out: Output,
}

impl ToClient {
    pub fn new(out: Output) -> ToClient {
        ToClient { deframer: Deframer::default(), out }
    }
}

impl tokio::io::AsyncWrite for ToClient {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        if this.out.ended() {
            return std::task::Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into()));
        }
        this.deframer.push(buf);
        while let Some(frame) = this.deframer.next_frame() {
            if let Frame::Body(body) = frame {
                this.out.send(body);
            }
        }
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// Writing one of the transport's own answers to the client.
trait Reply {
    fn reply(self, out: &Output);
}

impl Reply for Value {
    fn reply(self, out: &Output) {
        if self.get("error").is_some_and(|e| e["code"] != -32601) {
            tracing::warn!("answered a malformed message: {self}");
        }
        out.send(self.to_string().into_bytes());
    }
}

/// A message whose body stopped short of its `Content-Length` (the input paused or ended): a
/// parse error, so the client is not left waiting for an answer.
fn answer_stall(deframer: &mut Deframer, out: &Output) {
    if deframer.stalled() {
        error_response(Value::Null, -32700, "Parse error: message shorter than its Content-Length").reply(out);
    }
}

/// How the session ended, for the process exit code: 0 after `shutdown`, 1 otherwise (an `exit`
/// without `shutdown`, or the client vanished), as the LSP specification asks.
#[derive(Debug, Default)]
pub struct Ending {
    shutdown: std::sync::atomic::AtomicBool,
}

impl Ending {
    pub fn exit_code(&self) -> u8 {
        if self.shutdown.load(std::sync::atomic::Ordering::SeqCst) {
            0
        } else {
            1
        }
    }
}

/// Ends the process after `grace`: the server must stop after `exit`, and once its input is
/// gone, even when a handler still waits for a client answer that will never come.
async fn end_process_after(grace: std::time::Duration, ending: &Ending) -> ! {
    tokio::time::sleep(grace).await;
    std::process::exit(i32::from(ending.exit_code()))
}

/// How long, once the session is over, the output may take to write what is queued.
const FLUSH_LIMIT: Duration = Duration::from_secs(2);

/// Runs `serve` (given the server-side input and output streams) between `input` and `output`;
/// returns the process exit code.
pub async fn run<I, O, F, Fut>(input: I, output: O, serve: F) -> u8
where
    I: AsyncRead + Unpin + Send + 'static,
    O: Write + Send + 'static,
    F: FnOnce(tokio::io::DuplexStream, ToClient, Output) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (to_server, server_in) = tokio::io::duplex(1 << 16);
    let output = match Output::start(output) {
        Ok(output) => output,
        Err(e) => {
            tracing::error!("cannot start the output thread: {e}");
            return 2;
        }
    };
    let ending = Arc::new(Ending::default());

    // Client -> server, answering malformed messages directly.
    let out = output.clone();
    let reader_ending = ending.clone();
    let reader = tokio::spawn(async move {
        let ending = reader_ending;
        let mut to_server = to_server;
        let mut input = input;
        let mut deframer = Deframer::default();
        let mut chunk = vec![0u8; 64 * 1024];
        let mut eof = false;
        loop {
            let reply = match deframer.next_frame() {
                None if eof => break,
                None => {
                    let read = input.read(&mut chunk);
                    let read = if deframer.in_body() {
                        match tokio::time::timeout(BODY_STALL, read).await {
                            Ok(read) => read,
                            Err(_) => {
                                answer_stall(&mut deframer, &out);
                                continue;
                            }
                        }
                    } else {
                        read.await
                    };
                    match read {
                        Ok(0) | Err(_) => {
                            eof = true;
                            answer_stall(&mut deframer, &out);
                        }
                        Ok(n) => deframer.push(&chunk[..n]),
                    }
                    continue;
                }
                Some(Frame::BadHeader) => error_response(Value::Null, -32700, "Parse error: bad message header"),
                Some(Frame::Body(body)) => match validate(&body) {
                    // Requests named `$/...` are optional protocol extensions; we implement
                    // none, and the specification wants "method not found" for them.
                    Ok(Checked { method: Some(method), id: Some(id) }) if method.starts_with("$/") => {
                        error_response(id, -32601, &format!("Method not found: {method}"))
                    }
                    Ok(checked) => {
                        let method = checked.method.as_deref();
                        if method == Some("shutdown") {
                            ending.shutdown.store(true, std::sync::atomic::Ordering::SeqCst);
                        }
                        if to_server.write_all(&frame(&body)).await.is_err() {
                            break;
                        }
                        if method == Some("exit") {
                            // The server must exit now. A handler still waiting on the client
                            // (which stops answering after `exit`) must not keep it alive.
                            end_process_after(EXIT_GRACE, &ending).await;
                        }
                        continue;
                    }
                    Err(Rejected::NotJson(reply)) => {
                        deframer.rescan(&body);
                        reply
                    }
                    Err(Rejected::Invalid(Some(reply))) => reply,
                    Err(Rejected::Invalid(None)) => continue,
                },
            };
            reply.reply(&out);
        }
        // The client is gone (a crashed editor closes our stdin): closing the server's input
        // ends the session; if a handler still waits for an answer from the client, the
        // process ends anyway, so no orphan is left behind.
        drop(to_server);
        end_process_after(EXIT_GRACE, &ending).await;
    });

    // Server -> client: tower-lsp-server's messages go whole onto the output queue, so they
    // never interleave with the messages answered beside it.
    serve(server_in, ToClient::new(output.clone()), output.clone()).await;
    reader.abort();
    output.close(FLUSH_LIMIT);
    ending.exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// A client stream that records what is written, and holds the first write until told to
    /// go on (so messages pile up in the queue meanwhile).
    struct Held {
        written: Arc<Mutex<Vec<u8>>>,
        entered: Option<mpsc::Sender<()>>,
        go: mpsc::Receiver<()>,
    }

    impl Write for Held {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if let Some(entered) = self.entered.take() {
                let _ = entered.send(());
                let _ = self.go.recv();
            }
            self.written.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What was written so far.
    type Written = Arc<Mutex<Vec<u8>>>;

    /// An output writing to a `Held` stream; the receiver hears when the first write starts,
    /// the sender lets it finish.
    fn held() -> (Output, Written, mpsc::Receiver<()>, mpsc::Sender<()>) {
        let written = Arc::new(Mutex::new(Vec::new()));
        let (entered, entered_rx) = mpsc::channel();
        let (go_tx, go) = mpsc::channel();
        let output = Output::start(Held { written: written.clone(), entered: Some(entered), go }).unwrap();
        (output, written, entered_rx, go_tx)
    }

    /// The bodies written, in order, each checked against its header.
    fn bodies(written: &[u8]) -> Vec<Vec<u8>> {
        let mut deframer = Deframer::default();
        deframer.push(written);
        let mut out = Vec::new();
        while let Some(frame) = deframer.next_frame() {
            match frame {
                Frame::Body(body) => out.push(body),
                Frame::BadHeader => panic!("a bad header was written"),
            }
        }
        assert_eq!(deframer.buffered(), 0, "a message was cut short");
        out
    }

    fn msg(name: &str, size: usize) -> Vec<u8> {
        let mut body = format!("{{\"name\":\"{name}\",\"pad\":\"").into_bytes();
        body.resize(size.saturating_sub(2).max(body.len()), b'x');
        body.extend_from_slice(b"\"}");
        body
    }

    fn names(bodies: &[Vec<u8>]) -> Vec<String> {
        bodies
            .iter()
            .map(|b| serde_json::from_slice::<Value>(b).unwrap()["name"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn small_messages_overtake_large_answers_not_yet_started() {
        let (output, written, entered, go) = held();
        output.answer(msg("big answer being written", 3 * BULK));
        entered.recv().unwrap();
        // While it is written, more arrive: two large answers, and small messages among them.
        output.answer(msg("big answer 2", 2 * BULK));
        output.send(msg("diagnostics 1", 100));
        output.answer(msg("hover answer", 300));
        output.answer(msg("big answer 3", BULK));
        output.send(msg("diagnostics 2", BULK + 10));
        go.send(()).unwrap();
        output.close(Duration::from_secs(10));
        let written = bodies(&written.lock().unwrap());
        assert_eq!(
            names(&written),
            [
                "big answer being written",
                "diagnostics 1",
                "hover answer",
                // A large notification keeps its place among the ordered messages.
                "diagnostics 2",
                "big answer 2",
                "big answer 3",
            ]
        );
        assert_eq!(written[0].len(), 3 * BULK, "the large answer is written whole");
    }

    #[test]
    fn close_writes_everything_queued_first() {
        let (output, written, entered, go) = held();
        for i in 0..50 {
            output.send(msg(&format!("n{i}"), 10 + i * 100));
        }
        entered.recv().unwrap();
        go.send(()).unwrap();
        output.close(Duration::from_secs(10));
        let expected: Vec<String> = (0..50).map(|i| format!("n{i}")).collect();
        assert_eq!(names(&bodies(&written.lock().unwrap())), expected);
    }

    /// A client whose stream is gone: every write fails.
    struct Gone;

    impl Write for Gone {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn once_the_client_is_gone_messages_are_dropped_not_kept() {
        let output = Output::start(Gone).unwrap();
        output.send(msg("first", 10));
        // The writer ends on the failed write; what is sent afterwards is not held in memory.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !output.queue().ended {
            assert!(std::time::Instant::now() < deadline, "the writer did not end");
            std::thread::sleep(Duration::from_millis(1));
        }
        output.answer(msg("late", 4 * BULK));
        let queue = output.queue();
        assert!(queue.ordered.is_empty() && queue.bulk.is_empty());
    }

    #[test]
    fn close_gives_up_on_a_client_that_does_not_read() {
        let (output, _written, entered, _go) = held();
        output.send(msg("stuck", 10));
        entered.recv().unwrap();
        output.send(msg("behind it", 10));
        let start = std::time::Instant::now();
        output.close(Duration::from_millis(200));
        assert!(start.elapsed() < Duration::from_secs(5), "close waited for a stuck client");
        assert!(!output.queue().ended);
    }
}
