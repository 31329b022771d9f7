#!/usr/bin/env bash
# Build the per-machine MSI from a built bundle with wixl (Debian: apt-get install wixl).
#
#   installer/windows/build-msi.sh BUNDLE_DIR DISTRICT_DIR VERSION OUT.msi
#
# BUNDLE_DIR: the Windows one-folder bundle (dist/counter-app, built on Windows
# by installer/build.sh). DISTRICT_DIR: the district's public key(s) *.pub.pem,
# update-root.json and update-url.txt, installed into district-keys\.
# With WiX 3 on Windows the same counter-app.wxs builds with heat/candle/light.
#
# VERSION must be what Windows Installer compares: MAJOR.MINOR.PATCH, numbers
# only (at most 255.255.65535); 0.2.0rc1 is refused (MSI would ignore the
# suffix and treat it as 0.2.0, so the final 0.2.0 would not upgrade it).
# With SIGN_PFX (a code-signing certificate, PKCS#12) the MSI is signed
# (installer/windows/sign.sh); without it signing is skipped, and said so.
set -euo pipefail
bundle=${1:?bundle folder} district=${2:?district folder} version=${3:?version} out=${4:?out.msi}
here=$(cd "$(dirname "$0")" && pwd)
if ! [[ $version =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,5})$ ]] \
        || (( BASH_REMATCH[1] > 255 || BASH_REMATCH[2] > 255 || BASH_REMATCH[3] > 65535 )); then
    echo "build-msi: 버전은 0.2.0 처럼 숫자 세 개입니다 / the MSI version must be MAJOR.MINOR.PATCH" \
         "(numbers, at most 255.255.65535): '$version'" >&2
    exit 2
fi
[ -f "$bundle/counter-window.exe" ] || { echo "build-msi: $bundle has no counter-window.exe (the windowed program)" >&2; exit 2; }
abs() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
bundle=$(abs "$bundle") district=$(abs "$district") out=$(abs "$out")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# wixl wants file sources relative to the folder it runs in: link both folders there.
ln -s "$bundle" "$work/bundle"
ln -s "$district" "$work/district"
cd "$work"
(cd bundle && find . -type f | sed 's|^\./||' | sort) | sed "s|^|bundle/|" \
    | wixl-heat -p "bundle/" --component-group CG.Bundle --var var.BundleDir \
        --directory-ref INSTALLDIR --win64 > bundle.wxs
(cd district && find . -type f | sed 's|^\./||' | sort) | sed "s|^|district/|" \
    | wixl-heat -p "district/" --component-group CG.District --var var.DistrictDir \
        --directory-ref DISTRICTDIR --win64 > district.wxs
wixl -a x64 -D Win64=yes -D "Version=$version" -D BundleDir=bundle -D DistrictDir=district \
    "$here/counter-app.wxs" bundle.wxs district.wxs -o "$out"
# Korean names in a codepage-949 database (msibuild converts the UTF-8 text on commit),
# the condition wixl cannot write, and the releases folder's ACL: administrators and
# SYSTEM write, users read and run (LockPermissions replaces the inherited ACL).
printf '\r\n\r\n949\t_ForceCodepage\r\n' > codepage.idt
msibuild "$out" -i codepage.idt
q() { msibuild "$out" -q "$1"; }
secure=$(msiinfo export "$out" Property | awk -F'\t' '$1 == "SecureCustomProperties" { print $2 }' | tr -d '\r')
q "UPDATE \`Property\` SET \`Value\` = '${secure:+$secure;}DATABASE;OFFICE;KEYS' WHERE \`Property\` = 'SecureCustomProperties'"
# The statements both builds run (wixl here, WiX on the Windows runner: .github/workflows/windows.yml).
while IFS= read -r statement; do
    case "$statement" in ''|'#'*) continue ;; esac
    q "$statement"
done < "$here/after-link.sql"
bash "$here/sign.sh" "$out" >&2
echo "$out"
