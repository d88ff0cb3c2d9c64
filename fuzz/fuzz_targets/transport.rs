//! The server's message framing (`lsp::transport`): any byte stream, cut into reads at
//! arbitrary points, followed by one well-formed request; the request still comes out whole
//! and valid ("still answers"), and the reader never holds much more than one message.
#![no_main]

use errcode_lsp::lsp::transport::{validate, Deframer, Frame, Rejected};
use libfuzzer_sys::fuzz_target;

const REQUEST: &str = r#"{"jsonrpc":"2.0","id":424242,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///a.ts"},"position":{"line":0,"character":6}}}"#;

fuzz_target!(|input: (Vec<u8>, Vec<u16>)| {
    let (junk, cuts) = input;
    let mut stream = junk.clone();
    stream.extend_from_slice(format!("Content-Length: {}\r\n\r\n{REQUEST}", REQUEST.len()).as_bytes());
    let mut d = Deframer::default();
    let mut answered = false;
    let handle = |d: &mut Deframer, answered: &mut bool| {
        while let Some(frame) = d.next_frame() {
            if let Frame::Body(body) = frame {
                match validate(&body) {
                    Ok(checked) if checked.id == Some(serde_json::json!(424242)) => *answered = true,
                    Ok(_) | Err(Rejected::Invalid(_)) => {}
                    Err(Rejected::NotJson(_)) => d.rescan(&body),
                }
            }
            assert!(d.buffered() <= stream_len_bound(&junk), "the reader holds {} bytes", d.buffered());
        }
    };
    let mut at = 0;
    for cut in cuts {
        let end = (at + cut as usize % 512).min(stream.len());
        d.push(&stream[at..end]);
        at = end;
        handle(&mut d, &mut answered);
    }
    d.push(&stream[at..]);
    handle(&mut d, &mut answered);
    // The end of input: a body cut short is given up and scanned again.
    while d.stalled() {
        handle(&mut d, &mut answered);
    }
    assert!(answered, "the request after {:?} was lost", String::from_utf8_lossy(&junk));
});

fn stream_len_bound(junk: &[u8]) -> usize {
    junk.len() + REQUEST.len() + 64
}
