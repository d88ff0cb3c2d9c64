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

/// Checks one body: its method (if any) when tower-lsp-server can decode it, else the error
/// response to send. Requests are checked structurally in one pass; responses (small, rare)
/// are decoded in full.
fn validate(body: &[u8]) -> Result<Option<String>, Value> {
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
        return Ok(envelope.method);
    }
    // A response (`"result": null` included) is decoded in full.
    if envelope.method.is_none() {
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            if Response::deserialize(&value).is_ok() {
                return Ok(None);
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

/// Runs `serve` (given the server-side input and output streams) between `input` and `output`.
pub async fn run<I, O, F, Fut>(input: I, output: O, serve: F)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
    F: FnOnce(tokio::io::DuplexStream, tokio::io::DuplexStream) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (to_server, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, from_server) = tokio::io::duplex(1 << 16);
    let output = Arc::new(Mutex::new(output));

    // Client -> server, answering malformed messages directly.
    let out = output.clone();
    let reader = tokio::spawn(async move {
        let mut to_server = to_server;
        let mut input = BufReader::new(input);
        let mut shutdown_seen = false;
        loop {
            let reply = match read_frame(&mut input).await {
                Ok(Frame::Eof) | Err(_) => break,
                Ok(Frame::BadHeader) => error_response(Value::Null, -32700, "Parse error: bad message header"),
                Ok(Frame::Body(body)) => match validate(&body) {
                    Ok(method) => {
                        shutdown_seen |= method.as_deref() == Some("shutdown");
                        if to_server.write_all(&frame(&body)).await.is_err() {
                            break;
                        }
                        if method.as_deref() == Some("exit") {
                            // The server must exit now. A handler still waiting on the client
                            // (which stops answering after `exit`) must not keep it alive.
                            tokio::time::sleep(EXIT_GRACE).await;
                            std::process::exit(if shutdown_seen { 0 } else { 1 });
                        }
                        continue;
                    }
                    Err(reply) => reply,
                },
            };
            eprintln!("errcode-lsp: answered a malformed message: {reply}");
            let mut out = out.lock().await;
            let _ = out.write_all(&frame(reply.to_string().as_bytes())).await;
            let _ = out.flush().await;
        }
        // Closing the server's input ends the session as if stdin had closed.
        drop(to_server);
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

    serve(server_in, server_out).await;
    reader.abort();
    let _ = writer.await;
}
