//! Throughput benchmark of the literal scanners: generates about 5 MB of realistic code per
//! language (deterministically), scans it a few times and prints MB/s per language.
//!
//! Run with `cargo bench --bench scan`.

use std::hint::black_box;
use std::time::Instant;

use errcode_core::scan::{scan, Lang};

const TARGET_BYTES: usize = 5 * 1024 * 1024;
const RUNS: usize = 5;

/// Code snippets typical for each language; `@N` is replaced by a varying number.
fn snippets(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::JavaScript | Lang::TypeScript | Lang::Wxs => &[
            "import { callFunction } from '@cloudbase/js-sdk';\n\n",
            "// Handles the error code returned by the function; don't retry here.\nexport async function handle@N(res, options = {}) {\n  if (res.code === 'FUNCTION_NOT_FOUND') {\n    throw new Error(`function ${res.name} not found (@N)`);\n  }\n  const ratio = (res.count / options.limit) * 100;\n  return { ok: true, ratio, tag: \"TAG_@N\" };\n}\n\n",
            "/**\n * Parses the payload.\n * @param {string} s\n */\nconst parse@N = (s) => s.replace(/[\"']/g, '').split(',').map((x) => x.trim());\n\n",
            "class Service@N extends Base {\n  constructor(private readonly client: Client) { super(); this.retries = 3; }\n  async run(): Promise<void> {\n    for (let i = 0; i < this.retries; i++) { await this.client.call({ name: 'svc_@N', data: { i } }); }\n  }\n}\n\n",
        ],
        Lang::Vue | Lang::Svelte => &[
            "<template>\n  <div class=\"wrapper\" :title=\"t('TITLE_@N')\">\n    <!-- A comment that isn't code -->\n    <p>{{ message }} and some text that doesn't matter</p>\n  </div>\n</template>\n<script lang=\"ts\">\nexport default { data() { return { message: 'HELLO_@N', count: @N / 2 }; } };\n</script>\n<style>\n.wrapper { color: red; }\n</style>\n",
        ],
        Lang::Wxml => &[
            "<!-- Page @N: a comment that isn't code -->\n<view class=\"page page-@N\" wx:if=\"{{ err.code === 'FUNCTION_NOT_FOUND' }}\">\n  <text class=\"title\">Don't retry {{ item.name }} ({{ count / 2 }})</text>\n  <button bindtap=\"retry\" data-id=\"{{ id }}\">{{ ok ? 'Retry' : \"TAG_@N\" }}</button>\n</view>\n",
            "<wxs module=\"m@N\">\nvar label = function (code) { return code === 'SYS_ERR' ? \"System error\" : 'Other'; };\nmodule.exports.label = label;\n</wxs>\n<block wx:for=\"{{ list }}\" wx:key=\"id\"><text>{{ m@N.label(item.code) }}</text></block>\n",
        ],
        Lang::Python => &[
            "# Handles an error code; don't retry.\ndef handle_@N(res, limit=10):\n    if res.get('code') == \"FUNCTION_NOT_FOUND\":\n        raise RuntimeError(f\"function {res['name']} not found (@N)\")\n    ratio = res['count'] / limit * 100\n    return {'ok': True, 'ratio': ratio}\n\n",
            "class Service@N(Base):\n    \"\"\"A service that calls cloud functions.\"\"\"\n\n    def run(self):\n        for i in range(3):\n            self.client.call(name=r'svc_@N', data={'i': i})\n\n",
        ],
        Lang::Go => &[
            "// Handle handles an error code; don't retry.\nfunc Handle@N(res *Response, limit int) (float64, error) {\n\tif res.Code == \"FUNCTION_NOT_FOUND\" {\n\t\treturn 0, fmt.Errorf(\"function %s not found (@N)\", res.Name)\n\t}\n\tr := '\\n'\n\t_ = r\n\treturn float64(res.Count) / float64(limit), nil\n}\n\n",
            "var query@N = `SELECT name, code FROM errors WHERE id = ?`\n\n",
        ],
        Lang::Rust => &[
            "/// Handles an error code; don't retry.\npub fn handle_@N<'a>(res: &'a Response, limit: u32) -> Result<f64, Error> {\n    if res.code == \"FUNCTION_NOT_FOUND\" {\n        return Err(Error::new(format!(\"function {} not found (@N)\", res.name)));\n    }\n    let c = '\"';\n    Ok(res.count as f64 / limit as f64)\n}\n\n",
            "const QUERY_@N: &str = r#\"SELECT \"name\" FROM errors\"#;\n/* A block comment. */\n\n",
        ],
        Lang::Java | Lang::Kotlin | Lang::CSharp | Lang::Dart | Lang::Swift => &[
            "// Handles an error code; don't retry.\npublic double handle@N(Response res, int limit) {\n    if (res.code.equals(\"FUNCTION_NOT_FOUND\")) {\n        throw new IllegalStateException(\"function \" + res.name + \" not found (@N)\");\n    }\n    char c = '\"';\n    return (double) res.count / limit;\n}\n\n",
            "/* A block comment about the service. */\nprivate static final String QUERY_@N = \"SELECT name FROM errors WHERE id = ?\";\n\n",
        ],
        Lang::Php => &[
            "<?php\n// Handles an error code; don't retry.\nfunction handle@N($res, $limit = 10) {\n    if ($res['code'] === \"FUNCTION_NOT_FOUND\") {\n        throw new Exception(\"function {$res['name']} not found (@N)\");\n    }\n    # A hash comment.\n    return $res['count'] / $limit;\n}\n\n",
        ],
        Lang::Ruby => &[
            "# Handles an error code; don't retry.\ndef handle_@N(res, limit = 10)\n  if res[:code] == \"FUNCTION_NOT_FOUND\"\n    raise \"function #{res[:name]} not found (@N)\"\n  end\n  res[:count] / limit * 100\nend\n\n",
        ],
        Lang::Lua => &[
            "-- Handles an error code; don't retry.\nlocal function handle_@N(res, limit)\n  if res.code == \"FUNCTION_NOT_FOUND\" then\n    error('function ' .. res.name .. ' not found (@N)')\n  end\n  local q = [[SELECT name FROM errors]]\n  return res.count / limit\nend\n\n",
        ],
        Lang::Shell => &[
            "# Handles an error code; don't retry.\nhandle_@N() {\n  local code=\"$1\"\n  if [ \"$code\" = 'FUNCTION_NOT_FOUND' ]; then\n    echo \"function $(basename \"$2\") not found (@N)\" >&2\n    return 1\n  fi\n}\n\n",
        ],
        Lang::Json | Lang::Jsonc => &[
            "  \"key_@N\": { \"code\": \"FUNCTION_NOT_FOUND\", \"message\": \"The function isn't there.\", \"retry\": false, \"count\": @N },\n",
        ],
        Lang::Yaml => &[
            "service_@N:\n  # The error code; don't retry.\n  code: FUNCTION_NOT_FOUND\n  message: \"The function isn't there\"\n  tags: [a, b, c]\n  steps:\n    - name: build\n      run: |\n        cargo build --release\n",
        ],
        Lang::Toml => &[
            "[service_@N]\n# The error code; don't retry.\ncode = \"FUNCTION_NOT_FOUND\"\nretries = 3\ntags = [\"a\", 'b']\n\n",
        ],
        Lang::Env => &["# Service @N; don't commit.\nSERVICE_@N_CODE=FUNCTION_NOT_FOUND\nexport SERVICE_@N_URL=\"https://example.com/@N\" # url\n"],
        Lang::Ini => &["; Service @N\n[service_@N]\ncode = FUNCTION_NOT_FOUND\nmessage = \"The function isn't there\"\n\n"],
        Lang::Generic => &["Some text with \"FUNCTION_NOT_FOUND\" (@N) and an apostrophe: don't.\n"],
    }
}

/// Builds about [`TARGET_BYTES`] of code from the language's snippets, chosen by a small LCG.
fn generate(lang: Lang) -> String {
    let pieces = snippets(lang);
    let mut seed: u64 = 42;
    let mut out = String::with_capacity(TARGET_BYTES + 4096);
    let mut n = 0u64;
    while out.len() < TARGET_BYTES {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let piece = pieces[(seed >> 33) as usize % pieces.len()];
        n += 1;
        out.push_str(&piece.replace("@N", &n.to_string()));
    }
    out
}

fn main() {
    println!("{:<12} {:>8} {:>10} {:>10}", "language", "MB", "spans", "MB/s");
    let mut total_bytes = 0usize;
    let mut total_secs = 0f64;
    for &lang in Lang::ALL {
        let text = generate(lang);
        let mut best = f64::MAX;
        let mut spans = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            let result = scan(black_box(lang), black_box(&text));
            best = best.min(start.elapsed().as_secs_f64());
            spans = black_box(result).len();
        }
        let mb = text.len() as f64 / 1e6;
        total_bytes += text.len();
        total_secs += best;
        println!("{:<12} {:>8.1} {:>10} {:>10.0}", lang.name(), mb, spans, mb / best);
    }
    println!(
        "{:<12} {:>8.1} {:>10} {:>10.0}",
        "all",
        total_bytes as f64 / 1e6,
        "",
        total_bytes as f64 / 1e6 / total_secs
    );
}
