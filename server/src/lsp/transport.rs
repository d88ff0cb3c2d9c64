//! The stdio transport: frames messages between the editor and tower-lsp-server, answering
//! malformed ones itself.
//!
//! tower-lsp-server's framed reader stops for good after the first body it cannot decode
//! (tokio-util ends a framed stream after an error), which would end the session on one bad
//! message. So we read the frames here, pass on only well-formed JSON-RPC messages, and answer
//! the rest with a JSON-RPC error (`-32700` parse error, `-32600` invalid request) ourselves.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::Mutex;
use tower_lsp_server::jsonrpc::Response;

/// Messages larger than this are refused (a protection against absurd Content-Length values).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// One framed message read from the client.
enum Frame {
    Body(Vec<u8>),
    /// The header was unreadable; the reader resynchronised.
    BadHeader,
    Eof,
}

async fn read_frame<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> std::io::Result<Frame> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    let mut bad = false;
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(Frame::Eof);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !saw_header {
                // Blank lines between messages are tolerated.
                continue;
            }
            break;
        }
        saw_header = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length = value.trim().parse().ok();
                bad |= length.is_none();
            }
            Some((name, _)) if name.trim().eq_ignore_ascii_case("content-type") => {}
            _ => bad = true,
        }
    }
    match length {
        Some(n) if !bad && n <= MAX_MESSAGE => {
            let mut body = vec![0; n];
            reader.read_exact(&mut body).await?;
            Ok(Frame::Body(body))
        }
        _ => Ok(Frame::BadHeader),
    }
}

/// How long the server may take to finish on its own after `exit` before the process ends.
const EXIT_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The envelope of a JSON-RPC message, read without building the (possibly large) params.
#[derive(Deserialize)]
struct Envelope {
    jsonrpc: Option<String>,
    method: Option<String>,
    id: Option<Value>,
    #[allow(dead_code)]
    params: Option<serde::de::IgnoredAny>,
}

/// What the transport needs to know of a well-formed message.
#[derive(Debug, PartialEq)]
struct Checked {
    /// `None` for a response.
    method: Option<String>,
    /// The id of a request (`None` for notifications and responses).
    id: Option<Value>,
}

/// Checks one body: its method and id when tower-lsp-server can decode it, else the error
/// response to send. Requests are checked structurally in one pass; responses (small, rare)
/// are decoded in full.
fn validate(body: &[u8]) -> Result<Checked, Value> {
    let envelope: Envelope = match serde_json::from_slice(body) {
        Ok(e) => e,
        // Syntax errors are parse errors; valid JSON of the wrong shape is an invalid request.
        Err(e) if e.is_syntax() || e.is_eof() => return Err(error_response(Value::Null, -32700, "Parse error")),
        Err(_) => {
            let id = serde_json::from_slice::<Value>(body).ok().and_then(|v| v.get("id").cloned());
            return Err(error_response(usable_id(id), -32600, "Invalid request"));
        }
    };
    let id_ok = match &envelope.id {
        None | Some(Value::Null) | Some(Value::String(_)) => true,
        Some(Value::Number(n)) => n.is_i64(),
        Some(_) => false,
    };
    let version_ok = envelope.jsonrpc.as_deref() == Some("2.0");
    if version_ok && id_ok && envelope.method.is_some() {
        let id = envelope.id.filter(|id| !id.is_null());
        return Ok(Checked { method: envelope.method, id });
    }
    // A response (`"result": null` included) is decoded in full.
    if envelope.method.is_none() {
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            if Response::deserialize(&value).is_ok() {
                return Ok(Checked { method: None, id: None });
            }
        }
    }
    Err(error_response(usable_id(envelope.id), -32600, "Invalid request"))
}

/// The id to answer an invalid message with: its own when it is a valid id, else `null`.
fn usable_id(id: Option<Value>) -> Value {
    id.filter(|id| id.is_i64() || id.is_string()).unwrap_or(Value::Null)
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "error": {"code": code, "message": message}, "id": id})
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

/// Runs `serve` (given the server-side input and output streams) between `input` and `output`;
/// returns the process exit code.
pub async fn run<I, O, F, Fut>(input: I, output: O, serve: F) -> u8
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
    F: FnOnce(tokio::io::DuplexStream, tokio::io::DuplexStream, super::direct::Outgoing) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (to_server, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, from_server) = tokio::io::duplex(1 << 16);
    let output = Arc::new(Mutex::new(output));
    let ending = Arc::new(Ending::default());

    // Answers written beside tower-lsp-server (see `direct`), whole messages at a time.
    let (outgoing, mut direct) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let direct_out = output.clone();
    let direct_writer = tokio::spawn(async move {
        while let Some(body) = direct.recv().await {
            let mut out = direct_out.lock().await;
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            let written = async {
                out.write_all(header.as_bytes()).await?;
                out.write_all(&body).await?;
                out.flush().await
            };
            if written.await.is_err() {
                break;
            }
        }
    });

    // Client -> server, answering malformed messages directly.
    let out = output.clone();
    let reader_ending = ending.clone();
    let reader = tokio::spawn(async move {
        let ending = reader_ending;
        let mut to_server = to_server;
        let mut input = BufReader::new(input);
        loop {
            let reply = match read_frame(&mut input).await {
                Ok(Frame::Eof) | Err(_) => break,
                Ok(Frame::BadHeader) => error_response(Value::Null, -32700, "Parse error: bad message header"),
                Ok(Frame::Body(body)) => match validate(&body) {
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
                    Err(reply) => reply,
                },
            };
            if reply.get("error").is_some_and(|e| e["code"] != -32601) {
                tracing::warn!("answered a malformed message: {reply}");
            }
            let mut out = out.lock().await;
            let _ = out.write_all(&frame(reply.to_string().as_bytes())).await;
            let _ = out.flush().await;
        }
        // The client is gone (a crashed editor closes our stdin): closing the server's input
        // ends the session; if a handler still waits for an answer from the client, the
        // process ends anyway, so no orphan is left behind.
        drop(to_server);
        end_process_after(EXIT_GRACE, &ending).await;
    });

    // Server -> client, frame by frame so injected replies never interleave inside a message.
    let writer = tokio::spawn(async move {
        let mut from_server = BufReader::new(from_server);
        loop {
            match read_frame(&mut from_server).await {
                Ok(Frame::Body(body)) => {
                    let mut out = output.lock().await;
                    if out.write_all(&frame(&body)).await.is_err() || out.flush().await.is_err() {
                        break;
                    }
                }
                Ok(Frame::BadHeader) => continue,
                Ok(Frame::Eof) | Err(_) => break,
            }
        }
    });

    serve(server_in, server_out, outgoing).await;
    reader.abort();
    direct_writer.abort();
    let _ = writer.await;
    ending.exit_code()
}
