# Installs the errcode-lsp binary from a GitHub release of
# https://github.com/errcode-lsp/errcode-lsp on Windows (x64, arm64):
#
#   powershell -ExecutionPolicy Bypass -c "irm https://github.com/errcode-lsp/errcode-lsp/releases/latest/download/install.ps1 | iex"
#   .\install.ps1 -Version v0.1.0 -InstallDir C:\tools\errcode-lsp
#
# Parameters (or the environment variables in brackets, which also work with `irm | iex`):
#   -Version V       release to install, e.g. v0.1.0; default latest              [ERRCODE_LSP_VERSION]
#   -InstallDir D    default %LOCALAPPDATA%\errcode-lsp\bin                        [ERRCODE_LSP_INSTALL_DIR]
#   -Target T        x86_64-pc-windows-msvc or aarch64-pc-windows-msvc; default detected [ERRCODE_LSP_TARGET]
#   -BaseUrl U       where the release files are (a mirror); default GitHub      [ERRCODE_LSP_BASE_URL]
#   -NoModifyPath    do not add InstallDir to the user's PATH                     [ERRCODE_LSP_NO_MODIFY_PATH=1]
#
# It downloads errcode-lsp-<target>.zip and its .sha256 file, checks the SHA-256 checksum
# (and stops if it does not match), unpacks the archive and moves errcode-lsp.exe into
# InstallDir, then adds InstallDir to the user's PATH (new terminals see it).
param(
    [string]$Version = $(if ($env:ERRCODE_LSP_VERSION) { $env:ERRCODE_LSP_VERSION } else { 'latest' }),
    [string]$InstallDir = $env:ERRCODE_LSP_INSTALL_DIR,
    [string]$Target = $env:ERRCODE_LSP_TARGET,
    [string]$BaseUrl = $env:ERRCODE_LSP_BASE_URL,
    [switch]$NoModifyPath = ($env:ERRCODE_LSP_NO_MODIFY_PATH -eq '1')
)

$ErrorActionPreference = 'Stop'
$RepoUrl = 'https://github.com/errcode-lsp/errcode-lsp'

function Say([string]$Message) { Write-Host "errcode-lsp installer: $Message" }

if (-not $InstallDir) { $InstallDir = Join-Path $env:LOCALAPPDATA 'errcode-lsp\bin' }

if (-not $Target) {
    $arch = $null
    try {
        $arch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString()
    } catch {
        # Windows PowerShell on an old .NET Framework: ask the environment. A 32-bit
        # process on a 64-bit system sees its real architecture in PROCESSOR_ARCHITEW6432.
        $arch = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE }
    }
    switch -Regex ($arch) {
        '^(X64|AMD64)$' { $Target = 'x86_64-pc-windows-msvc' }
        '^(Arm64|ARM64)$' { $Target = 'aarch64-pc-windows-msvc' }
        default { throw "no prebuilt errcode-lsp for the $arch architecture; build it with: cargo install errcode-lsp" }
    }
}
$archive = "errcode-lsp-$Target.zip"

if (-not $BaseUrl) {
    if ($Version -eq 'latest') { $BaseUrl = "$RepoUrl/releases/latest/download" }
    elseif ($Version.StartsWith('v')) { $BaseUrl = "$RepoUrl/releases/download/$Version" }
    else { $BaseUrl = "$RepoUrl/releases/download/v$Version" }
}
$BaseUrl = $BaseUrl.TrimEnd('/')

# Windows PowerShell 5.1 may default to TLS 1.0, which GitHub refuses.
try {
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
} catch { }

$tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("errcode-lsp-" + [System.Guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $tmp | Out-Null
try {
    $zip = Join-Path $tmp $archive
    $sumFile = "$zip.sha256"
    Say "downloading $BaseUrl/$archive"
    $oldProgress = $ProgressPreference
    $ProgressPreference = 'SilentlyContinue'   # the progress bar makes Invoke-WebRequest very slow
    try {
        Invoke-WebRequest -UseBasicParsing -Uri "$BaseUrl/$archive" -OutFile $zip
        Invoke-WebRequest -UseBasicParsing -Uri "$BaseUrl/$archive.sha256" -OutFile $sumFile
    } finally {
        $ProgressPreference = $oldProgress
    }

    $expected = ((Get-Content -Raw $sumFile).Trim() -split '\s+')[0].ToLowerInvariant()
    if ($expected -notmatch '^[0-9a-f]{64}$') { throw "$archive.sha256 does not hold a SHA-256 checksum" }
    $actual = (Get-FileHash -Algorithm SHA256 -Path $zip).Hash.ToLowerInvariant()
    if ($expected -ne $actual) { throw "checksum mismatch for ${archive}: expected $expected, got $actual" }
    Say "checksum ok ($actual)"

    $unpacked = Join-Path $tmp 'unpacked'
    Expand-Archive -Path $zip -DestinationPath $unpacked -Force
    $exe = Join-Path $unpacked 'errcode-lsp.exe'
    if (-not (Test-Path $exe)) { throw "$archive has no errcode-lsp.exe" }

    New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
    $dest = Join-Path $InstallDir 'errcode-lsp.exe'
    try {
        Move-Item -Force -Path $exe -Destination $dest
    } catch {
        throw "cannot replace ${dest}: is errcode-lsp running (an editor's language server)? Close it and try again. ($_)"
    }
    $installed = & $dest --version
    if ($LASTEXITCODE -ne 0) { throw "$dest was installed but does not run on this system" }
    Say "installed $installed to $dest"

    if (-not $NoModifyPath) {
        $userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
        $parts = @($userPath -split ';' | Where-Object { $_ })
        if ($parts -notcontains $InstallDir) {
            [Environment]::SetEnvironmentVariable('Path', (($parts + $InstallDir) -join ';'), 'User')
            Say "added $InstallDir to your PATH (open a new terminal to use it)"
        }
    }
} finally {
    Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
}
