#!/usr/bin/env bash
# Sign Windows files (the bundle's .exe, the MSI) with the office's code-signing certificate.
#
#   SIGN_PFX=cert.pfx SIGN_PASSWORD_FILE=pass.txt installer/windows/sign.sh FILE...
#
# signtool (Windows SDK) when it is on PATH, else osslsigncode (Debian: osslsigncode);
# timestamped by SIGN_TIMESTAMP_URL when set (an RFC 3161 server; none by default:
# the build machine may have no network). Without SIGN_PFX nothing is signed and
# this says so: Windows then shows "unknown publisher" and SmartScreen may warn.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 FILE..." >&2; exit 2; }
if [ -z "${SIGN_PFX:-}" ]; then
    echo "sign: 서명 안 함 — 인증서가 없습니다 (SIGN_PFX) / not signed: no code-signing certificate given (SIGN_PFX): $*"
    exit 0
fi
[ -f "$SIGN_PFX" ] || { echo "sign: $SIGN_PFX: no such certificate file" >&2; exit 1; }
pass=""
[ -n "${SIGN_PASSWORD_FILE:-}" ] && pass=$(cat "$SIGN_PASSWORD_FILE")
for f in "$@"; do
    if command -v signtool >/dev/null 2>&1; then
        args=(sign /fd SHA256 /f "$SIGN_PFX")
        [ -n "$pass" ] && args+=(/p "$pass")
        [ -n "${SIGN_TIMESTAMP_URL:-}" ] && args+=(/tr "$SIGN_TIMESTAMP_URL" /td SHA256)
        signtool "${args[@]}" "$f"
    else
        args=(sign -pkcs12 "$SIGN_PFX" -h sha256 -n "민원 창구 counter-app")
        [ -n "$pass" ] && args+=(-readpass "$SIGN_PASSWORD_FILE")
        [ -n "${SIGN_TIMESTAMP_URL:-}" ] && args+=(-ts "$SIGN_TIMESTAMP_URL")
        osslsigncode "${args[@]}" -in "$f" -out "$f.signed" >/dev/null
        mv "$f.signed" "$f"
    fi
    echo "sign: 서명함 / signed $f"
done
